"""The engine: a selection of rules run over a Document, as hits.

Phrase and token rules and regex rules run through the combined matchers of
``mtreview/matching/`` (one pass over the text whatever the number of rules), Python checks
through their finders. A hit survives when its rule's context filters (``unless_before``,
``unless_after``) allow it and, for paragraph-local rules, when it stays inside one
paragraph. A long document is checked in parts on several cores (``mtreview/parallel.py``).
What becomes of the hits (wording, severity, placement) is the lifecycle's business
(``mtreview/settle.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mtreview import parallel
from mtreview.document import Document, crosses_paragraphs
from mtreview.matching.api import Hit
from mtreview.matching.dispatch import PatternMatcher
from mtreview.matching.phrases import PhraseMatcher, SharedWordScan
from mtreview.rule import Rule
from mtreview.ruleset.registry import RuleSet

T = TypeVar("T")
#: What the caller makes of a part's hits, in the process that found them.
Finish = Callable[[Document, list[Hit]], list[T]]


class Engine:
    def __init__(self, ruleset: RuleSet, rules: list[Rule]):
        self.rules = rules
        self.ruleset = ruleset
        phrase_rules = [r for r in rules if r.kind in ("phrases", "tokens")]
        self.phrases_ci = PhraseMatcher([r for r in phrase_rules if not r.case_sensitive], ruleset.classes, False)
        self.phrases_cs = PhraseMatcher([r for r in phrase_rules if r.case_sensitive], ruleset.classes, True)
        self.patterns = PatternMatcher([r for r in rules if r.kind == "regex"])
        checks = [(r, ruleset.checks[r.id]) for r in rules if r.kind == "check"]
        self.local_checks = [(r, c.find) for r, c in checks if c.scope == "paragraphs"]
        self.document_checks = [(r, c.find) for r, c in checks if c.scope == "document"]
        prefixes = self.patterns.word_prefixes
        self._shared = None
        if prefixes and self.phrases_ci.entries:
            cs = self.phrases_cs if self.phrases_cs.entries and SharedWordScan.takes(self.phrases_cs) else None
            self._shared = SharedWordScan(self.phrases_ci, prefixes, cs)

    def local_hits(self, doc: Document) -> list[Hit]:
        """Hits of the rules that look at one paragraph at a time: phrases, patterns and
        paragraph-scoped checks (a hit across a paragraph break is none)."""
        text = doc.scan_text
        separators = doc.after_non_ascii_separators
        word_starts = None
        cs_done = False
        if self._shared is not None:
            hits, cs_hits, word_starts = self._shared.find(
                text, doc.scan_lowered, doc.padded_lowered, separators,
                doc.padded_scan if self._shared.cs is not None else None,
            )
            hits += cs_hits
            cs_done = self._shared.cs is not None
        elif self.phrases_ci.entries:
            hits = self.phrases_ci.find(text, doc.scan_lowered, doc.padded_lowered, separators)
        else:
            hits = []
        if self.phrases_cs.entries and not cs_done:
            hits += self.phrases_cs.find(text, text, doc.padded_scan, separators)
        hits += self.patterns.find(text, doc.scan_lowered, doc.padded_lowered, separators, word_starts)
        for rule, find in self.local_checks:
            hits.extend(find(doc, rule))
        return [h for h in hits if not crosses_paragraphs(text, h.start, h.end)]

    def document_hits(self, doc: Document) -> list[Hit]:
        """Hits of the checks that weigh the whole document (counts, majorities)."""
        return [hit for rule, find in self.document_checks for hit in find(doc, rule)]

    def hits(self, doc: Document) -> list[Hit]:
        """Every hit in ``doc`` that its rule's context filters keep."""
        return [hit for part in self.map(doc, _as_is) for hit in part]

    def map(self, doc: Document, finish: Finish[T]) -> list[list[T]]:
        """``finish(doc, hits)`` for the hits of each part of ``doc`` (one part, unless the
        document is long: then one per process, each finished where it was found) and for the
        hits of the whole-document checks; the results in text order, the document checks'
        last."""
        doc.line_col(0)  # the line table, built before any fork so every process shares it
        spans = parallel.parts(doc, parallel.jobs())
        return parallel.map_parts(
            lambda d, start, end: finish(d, self._part_hits(d, start, end)), doc, spans,
            lambda: finish(doc, self._kept(doc, self.document_hits(doc))),
        )

    def _part_hits(self, doc: Document, start: int, end: int) -> list[Hit]:
        """Hits of the paragraph-local rules in ``doc.text[start:end]`` (which starts a
        paragraph), with offsets into the whole text."""
        if start == 0 and end == len(doc.text):
            return self._kept(doc, self.local_hits(doc))
        hits = [h._replace(start=h.start + start, end=h.end + start) for h in self.local_hits(doc.part(start, end))]
        return self._kept(doc, hits)

    @staticmethod
    def _kept(doc: Document, hits: list[Hit]) -> list[Hit]:
        """The hits that their rules' context filters keep (read in ``line_text``, where a
        lone CR is a line feed)."""
        text = doc.line_text
        kept = []
        for hit in hits:
            rule = hit.rule
            if rule.unless_before is not None and rule.unless_before.search(text, max(0, hit.start - 80), hit.start):
                continue
            if rule.unless_after is not None and rule.unless_after.match(text, hit.end):
                continue
            kept.append(hit)
        return kept


def _as_is(doc: Document, hits: list[Hit]) -> list[Hit]:
    return hits
