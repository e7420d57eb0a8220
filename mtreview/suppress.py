"""Inline suppressions: directives in a file that silence rules over a stretch of it.

Markdown and HTML: ``<!-- mtreview-disable RULE, … -->`` … ``<!-- mtreview-enable RULE -->``
and ``<!-- mtreview-disable-next-line RULE -->``; plain text: the same on a line of its own
in brackets, ``[mtreview-disable RULE]``. No RULE: every rule. RULE is whatever ``--select``
takes (id, pack, dotted prefix, glob) or an ``lt.*`` LanguageTool id. Loaders find the
directives (``parse``, ``text_directives``: ``doc.directives``); the finding lifecycle
(``mtreview/settle.py``) applies them to every source's drafts (``Suppressor``), so rules
never see them. A directive naming no rule, and (on request) one that silenced nothing, is
reported as a draft of its own, worded and weighed by its declared rule
(``mtreview/checks/suppressions.py``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import SimpleNamespace

from mtreview.diskcache import compile_pattern
from mtreview.document import Directive, Document
from mtreview.errors import MtreviewError
from mtreview.model import Draft
from mtreview.rule import Rule
from mtreview.textpatterns import LINE_RE

KINDS = ("disable", "enable", "disable-next-line")
UNUSED = "mtreview.unused-suppression"
UNKNOWN = "mtreview.unknown-suppression"
# Finding sources that name rules outside the rule set: LanguageTool's and the reference's.
_OPEN_NAMESPACES = ("lt", "reference")

_KIND = "|".join(sorted(KINDS, key=len, reverse=True))  # the longest first: disable-next-line, not disable
_BODY_RE = compile_pattern(rf"\s*mtreview-({_KIND})(?:\s+(.*?))?\s*\Z", re.DOTALL)
#: A plain-text directive: a line holding only ``[mtreview-… RULES]``.
TEXT_LINE_RE = compile_pattern(
    rf"(?:\A|(?<=[\r\n]))[ \t]*\[(mtreview-(?:{_KIND})(?:[ \t][^\]\r\n]*)?)\][ \t]*(?=[\r\n]|\Z)"
)


def parse(body: str, start: int, end: int) -> Directive | None:
    """The directive in a comment's (or bracketed line's) inner text, or None."""
    m = _BODY_RE.match(body)
    if m is None:
        return None
    rules = tuple(r for r in re.split(r"[\s,]+", m.group(2) or "") if r)
    return Directive(m.group(1), rules, start, end)


def text_directives(text: str) -> list[Directive]:
    """The directive lines of a plain-text file."""
    if "[mtreview-" not in text:
        return []
    out = []
    for m in TEXT_LINE_RE.finditer(text):
        directive = parse(m.group(1), m.start(1) - 1, m.end(1) + 1)  # the brackets and what they hold
        if directive is not None:
            out.append(directive)
    return out


class Suppressor:
    """Applies a document's directives to drafts, resolving the rule names in them with the
    rule set; the drafts about directives are worded by ``rules`` (the run's, with their
    severities: a rule the run left out reports nothing)."""

    def __init__(self, ruleset, rules: Mapping[str, Rule] | None = None):
        self.ruleset = ruleset
        self.rules = ruleset.rules if rules is None else rules
        self._matches: dict[tuple[str, str], bool] = {}

    def known(self, pattern: str) -> bool:
        if pattern.split(".")[0] in _OPEN_NAMESPACES:
            return True
        try:
            self.ruleset.resolve([pattern], "")
        except MtreviewError:
            return False
        return True

    def names(self, directive: Directive, rule_id: str) -> bool:
        """Whether the directive applies to ``rule_id``."""
        if not directive.rules:
            return True
        for pattern in directive.rules:
            key = (pattern, rule_id)
            if key not in self._matches:
                rule = self.ruleset.rules.get(rule_id) or SimpleNamespace(id=rule_id, pack=rule_id.split(".")[0])
                self._matches[key] = self.ruleset.matches(pattern, rule)
            if self._matches[key]:
                return True
        return False

    def apply(self, doc: Document, drafts: list[Draft], report_unused: bool = False) -> list[Draft]:
        """The drafts no directive silences, plus drafts about the directives themselves."""
        directives = doc.directives
        if not directives:
            return drafts
        text = doc.text
        ranges = [(d, _next_line(text, d.end) if d.kind == "disable-next-line" else None) for d in directives]
        used: set[int] = set()
        kept = []
        for f in drafts:
            silencing = self._silencing(ranges, f)
            if silencing:
                used.update(silencing)
                continue
            kept.append(f)
        extra: list[Draft | None] = []  # None: the run left that rule out
        for d in directives:
            unknown = [p for p in d.rules if not self.known(p)]
            for pattern in unknown:
                extra.append(self._draft(d, UNKNOWN, f"“{pattern}” in this suppression names no rule or pack; "
                                         "see `mtreview rules list`", ()))
            if report_unused and d.kind != "enable" and id(d) not in used and len(unknown) < len(d.rules or (1,)):
                extra.append(self._draft(d, UNUSED, "Unused suppression: it silences no finding; delete it", ("",)))
        added = [e for e in extra if e is not None]
        return sorted(kept + added, key=Draft.sort_key) if added else kept

    def _draft(self, d: Directive, rule_id: str, message: str, suggestions: tuple[str, ...]) -> Draft | None:
        rule = self.rules.get(rule_id)
        if rule is None:
            return None
        return Draft(rule=rule_id, start=d.start, end=d.end, message=message, severity=rule.severity,
                     category=rule.category, fix=rule.fix, suggestions=suggestions, source=rule.source)

    def _silencing(self, ranges, f: Draft) -> list[int]:
        """The ids of the directives that silence ``f`` (at its start offset)."""
        out = []
        open_: list[Directive] = []
        for d, line in ranges:
            if d.start > f.start:
                break
            if line is not None:
                if line[0] <= f.start < line[1] and self.names(d, f.rule):
                    out.append(id(d))
            elif d.end <= f.start and self.names(d, f.rule):
                if d.kind == "disable":
                    open_.append(d)
                else:
                    open_.clear()
        return out + [id(d) for d in open_]


def _next_line(text: str, pos: int) -> tuple[int, int]:
    """The first line after the one holding ``pos`` with something other than white space."""
    for m in LINE_RE.finditer(text, pos):
        if m.start() > pos and m.group(1).strip():
            return m.start(), m.end(1)
        if m.end() == len(text):
            break
    return len(text), len(text)

