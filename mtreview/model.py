"""Value types that flow through mtreview, and the closed sets of values they draw on.

A finding is made in two steps, each its own frozen type:

- ``Draft``: a problem as its producer words it (rule, span, message, severity, category,
  fix, suggestions, source). The rule engine's hits are rendered into drafts; LanguageTool,
  the reference alignment and the suppression directives produce drafts directly.
- ``Finding``: a draft placed in its file (line, column, matched text) once the lifecycle
  (``mtreview/settle.py``) has settled it. Nothing changes a finding after that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from types import MappingProxyType
from typing import Any

#: The languages mtreview knows translations from (rules name them in ``languages``;
#: ``--source-lang`` picks one, or ``auto``).
SOURCE_LANGUAGES = ("es", "fr", "pt", "it", "de")
#: House styles a rule may belong to: ``ap`` (U.S. news, AP-like; the default) and ``uk``
#: (British news: BBC/Guardian-like). Rules without ``house`` apply to every house.
HOUSES = ("ap", "uk")


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}
#: The severities, highest first (as ``--fail-on`` and the config's ``severity`` list them).
LEVELS = tuple(s.value for s in sorted(Severity, key=lambda s: -s.rank))


#: MQM's severities and their penalty weights (neutral 0, minor 1, major 5, critical 25).
MQM_WEIGHTS = {"neutral": 0, "minor": 1, "major": 5, "critical": 25}


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


_NOTHING: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Draft:
    """One problem at text[start:end], reported by one rule, before it is placed and settled."""

    rule: str
    start: int
    end: int
    message: str
    severity: Severity
    category: str
    fix: FixSafety
    suggestions: tuple[str, ...] = ()
    source: str = "rules"
    # What a source adds to the JSON contract (``languagetool``, ``also_languagetool``);
    # read-only, like everything here.
    extra: Mapping[str, Any] = field(default_factory=lambda: _NOTHING)

    def __post_init__(self) -> None:
        if not isinstance(self.extra, MappingProxyType):
            object.__setattr__(self, "extra", MappingProxyType(dict(self.extra)) if self.extra else _NOTHING)

    def __reduce__(self):
        # a read-only mapping does not pickle (drafts cross process boundaries): its items do
        return type(self), tuple(dict(v) if f.name == "extra" else v for f, v in
                                 ((f, getattr(self, f.name)) for f in fields(self)))

    @property
    def edit(self) -> Edit | None:
        """The edit that applying this finding's first suggestion makes, if any."""
        if not self.suggestions or self.fix is FixSafety.NONE:
            return None
        return Edit(self.start, self.end, self.suggestions[0])

    def sort_key(self) -> tuple:
        return (self.start, self.end, self.rule)


@dataclass(frozen=True, slots=True)
class Finding(Draft):
    """A settled draft, placed in its file: what every reporter reads."""

    line: int = 0
    column: int = 0
    text: str = ""
