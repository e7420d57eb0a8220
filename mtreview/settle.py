"""The finding lifecycle: everything between a check's hit and the finding a reporter shows.

Checks produce hits (``mtreview/engine.py``); here, and only here, they become findings:

1. ``render``: each hit worded from its rule's templates (message, suggestions in the case of
   the matched text), its suggestions put in the house style (``restyle``, a declared step:
   the safe edits of the house-style rules), severity, category and fix safety from the rule
   as the run selected it (with the configuration's severity overrides already applied),
   and placed (line, column, matched text). Rendering runs where the hits were found, so a
   long document is rendered in parallel.
2. ``settle``: one finding per rule and stretch (duplicates and nested matches of one rule
   dropped); LanguageTool's drafts merged into ours where both saw the same problem; drafts
   from other sources (the reference alignment) added; kept to the prose of a marked-up
   document (``confine``); silenced by the document's suppression directives (and the
   drafts about those directives added); kept to the changed lines (``--changed-only``,
   ``--diff-base``); LanguageTool's severities overridden (``lt.*`` in the configuration);
   the drafts placed, and all put in order.

This module is the only one that makes a ``Finding``, and nothing after ``settle`` changes
one: ``Finding`` is frozen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, replace
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, NamedTuple, Protocol

from mtreview.document import Document
from mtreview.matching.api import Hit
from mtreview.model import Draft, Finding, FixSafety, Severity
from mtreview.rule import Rule, match_case, render

if TYPE_CHECKING:
    from mtreview.ruleset import RuleSet
    from mtreview.suppress import Suppressor

#: A step that takes a suggestion and gives it in the house style.
Restyle = Callable[[str], str]


class ChangedLines(Protocol):
    def touches(self, first: int, last: int) -> bool: ...


class Settled(NamedTuple):
    findings: list[Finding]
    hidden: int  # findings left out because they are not on changed lines


class Settler:
    """The lifecycle of the findings of one selection of rules.

    ``rules``: the rules the run selected, with their effective severities. ``ruleset``:
    every known rule, what the names in suppression directives are resolved against.
    ``restyle``: the house-style step for suggestions (None: suggestions as the rules write
    them). ``lt_severity``: ``(pattern, severity)`` overrides for LanguageTool's ``lt.*``
    rules, in order (the last match wins). ``report_unused``: a suppression directive that
    silences nothing is a finding."""

    def __init__(self, rules: Iterable[Rule], ruleset: RuleSet, *, restyle: Restyle | None = None,
                 lt_severity: Sequence[tuple[str, Severity]] = (), report_unused: bool = False):
        self.rules = {r.id: r for r in rules}
        self.ruleset = ruleset
        self.restyle = restyle
        self.lt_severity = tuple(lt_severity)
        self.report_unused = report_unused
        self._suppressor: Suppressor | None = None  # made for the first document with directives

    # -- 1. hits -> findings ------------------------------------------------------------------
    def render(self, doc: Document, hits: list[Hit]) -> list[Finding]:
        """Each hit as its rule words it, placed in ``doc`` (see the module's docstring)."""
        return [self._finding(doc, hit) for hit in hits]

    def _finding(self, doc: Document, hit: Hit) -> Finding:
        rule = hit.rule
        matched = doc.text[hit.start : hit.end]
        captures = dict(hit.captures)
        captures.setdefault("0", matched)
        if doc.cr_only:
            # a CR-only file is scanned with line feeds (Document.line_text): quote and fix it with its CRs
            captures = {k: v.replace("\n", "\r") for k, v in captures.items()}
        restyle = self.restyle if not rule.house_style else None
        replacement = rule.replacement_for(matched)
        if replacement is not None:
            if restyle is not None:
                replacement = restyle(replacement)  # the message names what the fix writes
            captures["replacement"] = replacement
        if hit.suggestions is not None:
            suggestions = hit.suggestions
        elif replacement is not None and not rule.suggest:
            suggestions = (replacement,)
        else:
            suggestions = tuple(match_case(render(t, captures), matched) for t in rule.suggest)
        if restyle is not None and suggestions:
            suggestions = tuple(restyle(s) for s in suggestions)
        line, column = doc.line_col(hit.start)
        extra = _aligned_source(doc, hit.start, hit.source_marks) if doc.source is not None else {}
        return Finding(
            rule=rule.id,
            start=hit.start,
            end=hit.end,
            message=hit.message if hit.message is not None else render(rule.message, captures),
            severity=rule.severity,
            category=rule.category,
            fix=rule.fix,
            suggestions=tuple(dict.fromkeys(s for s in suggestions if s != matched)),
            source=rule.source,
            line=line,
            column=column,
            text=matched,
            extra=extra,
        )

    # -- 2. settling -------------------------------------------------------------------------
    def settle(self, doc: Document, rendered: Iterable[Finding], *, grammar: Iterable[Draft] = (),
               added: Iterable[Draft] = (), changed: ChangedLines | None = None) -> Settled:
        """The final findings of ``doc`` from the rule engine's (``rendered``), LanguageTool's
        drafts (``grammar``) and other sources' (``added``); see the module's docstring."""
        ours: list[Draft] = sorted(_one_per_stretch(rendered), key=Draft.sort_key)
        theirs = list(grammar)
        kept = (merge(ours, theirs) if theirs else ours) + list(added)
        if doc.blocks is not None:
            kept = confine(doc, kept)
        skipping = {rid for rid, r in self.rules.items() if r.skip_headings}
        if skipping and any(p.heading for p in doc.paragraphs):
            kept = [d for d in kept if d.rule not in skipping or not doc.in_heading(d.start)]
        if doc.directives:
            kept = self._suppress(doc, kept)
        hidden = 0
        if changed is not None:
            on_changed = on_changed_lines(doc, kept, changed)
            hidden = len(kept) - len(on_changed)
            kept = on_changed
        if self.lt_severity:
            kept = [self._lt_severity(d) for d in kept]
        placed = [d if isinstance(d, Finding) else place(doc, d) for d in kept]
        return Settled(sorted(placed, key=Draft.sort_key), hidden)

    def _suppress(self, doc: Document, drafts: list[Draft]) -> list[Draft]:
        if self._suppressor is None:
            from mtreview.suppress import Suppressor

            self._suppressor = Suppressor(self.ruleset, self.rules)
        return self._suppressor.apply(doc, drafts, self.report_unused)

    def _lt_severity(self, draft: Draft) -> Draft:
        if not draft.rule.startswith("lt."):
            return draft
        level = draft.severity
        for pattern, severity in self.lt_severity:
            if fnmatchcase(draft.rule, pattern):
                level = severity
        return draft if level is draft.severity else replace(draft, severity=level)


_DRAFT_FIELDS = tuple(f.name for f in fields(Draft))


def place(doc: Document, draft: Draft) -> Finding:
    """The draft as a finding of ``doc``: its line, column and matched text (and, for a
    translation with its source, the aligned source sentence)."""
    line, column = doc.line_col(draft.start)
    fields_ = {name: getattr(draft, name) for name in _DRAFT_FIELDS}
    if doc.source is not None:
        fields_["extra"] = {**draft.extra, **_aligned_source(doc, draft.start, ())}
    return Finding(**fields_, line=line, column=column, text=doc.text[draft.start : draft.end])


def _aligned_source(doc: Document, offset: int, marks: tuple[tuple[int, int], ...]) -> dict:
    """``{"aligned_source": …}``: the source sentences the target sentence at ``offset``
    translates (path, span, text), with ``marks`` (source spans a check points at); nothing
    when that sentence translates nothing."""
    assert doc.source is not None
    link = doc.source.link_at(offset)
    if link is None or link.source.start == link.source.end:
        return {}
    start, end = link.source.start, link.source.end
    aligned = {"path": doc.source.path, "start": start, "end": end, "text": doc.source.doc.text[start:end]}
    if marks:
        aligned["marks"] = [list(m) for m in marks]
    return {"aligned_source": aligned}


def _one_per_stretch(drafts: Iterable[Finding]) -> list[Finding]:
    """One finding per rule and span (the first), and one rule reports one finding per
    stretch of text: a match inside (or overlapping) an earlier match of the same rule is
    dropped ("with the in order to" hides "the in order to")."""
    unique: dict[tuple, Finding] = {}
    for d in drafts:
        unique.setdefault((d.start, d.end, d.rule), d)
    reach: dict[str, int] = {}
    kept = []
    for d in sorted(unique.values(), key=lambda d: (d.start, -d.end, d.rule)):
        if d.start < reach.get(d.rule, -1):
            continue
        reach[d.rule] = d.end
        kept.append(d)
    return kept


def merge(ours: list[Draft], theirs: list[Draft]) -> list[Draft]:
    """Our drafts plus LanguageTool's. A LanguageTool draft on the span of one of ours, or
    inside the span of one of our rule drafts (a phrase: "Volodímir Zelenski", ". from"), is
    the same problem seen less well: it is dropped and its id noted on ours
    (``also_languagetool``). Readability and reference drafts span whole sentences and hide
    nothing."""
    by_span = {(d.start, d.end): i for i, d in enumerate(ours)}
    phrases = [i for i, d in enumerate(ours) if d.source == "rules"]
    also: dict[int, list[str]] = {}
    kept = []
    for d in theirs:
        same = by_span.get((d.start, d.end))
        if same is None:
            same = next((i for i in phrases if ours[i].start <= d.start and d.end <= ours[i].end), None)
        if same is not None:
            also.setdefault(same, []).append(d.rule)
            continue
        kept.append(d)
    merged = [replace(d, extra={**d.extra, "also_languagetool": also[i]}) if i in also else d for i, d in enumerate(ours)]
    return sorted(merged + kept, key=Draft.sort_key)


def confine(doc: Document, drafts: list[Draft]) -> list[Draft]:
    """Drafts of a marked-up document kept to its prose: one that runs from one block into
    the next is dropped; one whose span covers markup is kept without its edit (its prose
    part white space only: dropped), so no fix ever rewrites markup. Plain-text documents
    (no ``blocks``) pass unchanged."""
    blocks = doc.blocks
    if blocks is None:
        return drafts
    starts = [b.start for b in blocks]
    regions = doc.regions
    region_starts = [r.start for r in regions]
    scan = doc.scan_text
    kept = []
    for d in drafts:
        if d.end > d.start:
            i = bisect_right(starts, d.start) - 1
            if i + 1 < len(blocks) and d.end > blocks[i + 1].start:
                continue  # reaches into the next block
            j = bisect_right(region_starts, d.start) - 1
            inside = j >= 0 and d.end <= regions[j].end
            if not inside and _covers_markup(doc.text, scan, d.start, d.end):
                if scan[d.start : d.end].isspace():
                    continue  # nothing but markup and space: not a finding about the prose
                d = replace(d, suggestions=(), fix=FixSafety.NONE)
        kept.append(d)
    return kept


def _covers_markup(text: str, scan: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a non-space character that is not prose (blanked)."""
    return any(s != t and not t.isspace() for s, t in zip(scan[start:end], text[start:end], strict=True))


def on_changed_lines(doc: Document, drafts: list[Draft], changed: ChangedLines) -> list[Draft]:
    """The drafts whose lines (first to last character) touch a changed line: the one place
    --changed-only and --diff-base choose what is reported."""
    return [d for d in drafts
            if changed.touches(doc.line_col(d.start)[0], doc.line_col(max(d.end - 1, d.start))[0])]
