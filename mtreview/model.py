"""Value types that flow through mtreview: severities, fix safety, edits and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class FixSafety(str, Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"
    NONE = "none"


#: MQM-style categories a rule may declare (dimension/subtype).
CATEGORIES = frozenset(
    {
        "accuracy/mistranslation",
        "accuracy/omission",
        "accuracy/addition",
        "accuracy/untranslated",
        "fluency/grammar",
        "fluency/spelling",
        "fluency/punctuation",
        "fluency/register",
        "fluency/inconsistency",
        "style/unidiomatic",
        "style/awkward",
        "style/house",
        "locale/number-format",
        "locale/date-format",
        "locale/quote-marks",
        "terminology/inconsistent",
        "terminology/wrong-term",
        "design/markup",
        "design/truncation",
    }
)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace text[start:end] with ``replacement`` (offsets into the decoded original)."""

    start: int
    end: int
    replacement: str


@dataclass(slots=True)
class Finding:
    """One problem at text[start:end], reported by one rule."""

    rule: str
    start: int
    end: int
    message: str
    severity: Severity
    category: str
    fix: FixSafety
    suggestions: tuple[str, ...] = ()
    source: str = "rules"
    line: int = 0
    column: int = 0
    text: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def edit(self) -> Edit | None:
        """The edit that applying this finding's first suggestion makes, if any."""
        if not self.suggestions or self.fix is FixSafety.NONE:
            return None
        return Edit(self.start, self.end, self.suggestions[0])

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.rule)
