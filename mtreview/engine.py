"""The engine: run the compiled matchers and Python checks over a Document and turn their
hits into Findings. The core owns what rules don't decide: severity (overrides), message
and suggestion rendering, de-duplication and order."""

from __future__ import annotations

from mtreview import parallel
from mtreview.document import Document, crosses_paragraphs
from mtreview.matchers import Hit, PatternMatcher, PhraseMatcher, SharedWordScan
from mtreview.fixes import apply_edits, fixable
from mtreview.model import Finding, FixSafety, Severity
from mtreview.rule import Rule, match_case, render
from mtreview.ruleset.registry import RuleSet


HOUSE_PACK = "house"  # the pack whose safe edits every suggestion is put through


class Engine:
    def __init__(self, ruleset: RuleSet, rules: list[Rule], severity: dict[str, Severity] | None = None,
                 house: str | None = None):
        self.rules = rules
        self.severity = severity or {}
        self._ruleset = ruleset
        self.ruleset = ruleset
        # With a house style chosen, suggestions are put in it (built when first needed);
        # without one (rule examples, all houses' rules at once) they stay as the rule says.
        self._house: Engine | None | bool = None if house else False
        self._settled: dict[str, str] = {}
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

    def hits(self, doc: Document) -> list[Hit]:
        hits = self.local_hits(doc)
        for rule, find in self.document_checks:
            hits.extend(find(doc, rule))
        return hits

    def check(self, doc: Document) -> list[Finding]:
        spans = parallel.parts(doc, parallel.jobs())
        findings: dict[tuple, Finding] = {}
        for part in parallel.map_parts(self._part_findings, doc, spans, lambda: self._document_findings(doc)):
            for key, finding in part:
                findings.setdefault(key, finding)
        out = sorted(_drop_nested(list(findings.values())), key=Finding.sort_key)
        for f in out:
            f.line, f.column = doc.line_col(f.start)
        return out

    def _document_findings(self, doc: Document) -> list[tuple[tuple, Finding]]:
        return self._findings(doc, [hit for rule, find in self.document_checks for hit in find(doc, rule)])

    def _part_findings(self, doc: Document, start: int, end: int) -> list[tuple[tuple, Finding]]:
        """Findings of the paragraph-local rules in ``doc.text[start:end]`` (which starts a paragraph)."""
        if start == 0 and end == len(doc.text):
            hits = self.local_hits(doc)
        else:
            hits = self.local_hits(doc.part(start, end))
            for hit in hits:
                hit.start += start
                hit.end += start
        return self._findings(doc, hits)

    def _findings(self, doc: Document, hits: list[Hit]) -> list[tuple[tuple, Finding]]:
        """The hits that their rules' context filters keep, as findings keyed by (start, end, rule)."""
        text = doc.text
        out: dict[tuple, Finding] = {}
        for hit in hits:
            rule = hit.rule
            if rule.unless_before is not None and rule.unless_before.search(text, max(0, hit.start - 80), hit.start):
                continue
            if rule.unless_after is not None and rule.unless_after.match(text, hit.end):
                continue
            key = (hit.start, hit.end, rule.id)
            if key not in out:
                out[key] = self._finding(doc, hit)
        return list(out.items())

    def _in_house_style(self, suggestion: str) -> str:
        """A suggestion with the safe house-style edits made, so accepting it once gives the
        final text (“Volodymyr Zelensky” becomes “Volodymyr Zelenskyy” under AP style)."""
        settled = self._settled.get(suggestion)
        if settled is None:
            if self._house is None:
                house_rules = [r for r in self.rules if r.pack == HOUSE_PACK and r.fix is FixSafety.SAFE]
                self._house = Engine(self._ruleset, house_rules, self.severity) if house_rules else False
            settled = suggestion
            if self._house:
                edits = fixable(self._house.check(Document(suggestion)))
                settled = apply_edits(suggestion, edits) if edits else suggestion
            self._settled[suggestion] = settled
        return settled

    def _finding(self, doc: Document, hit: Hit) -> Finding:
        rule = hit.rule
        matched = doc.text[hit.start : hit.end]
        captures = dict(hit.captures)
        captures.setdefault("0", matched)
        replacement = rule.replacement_for(matched)
        if replacement is not None:
            if self._house is not False and rule.pack != HOUSE_PACK:
                replacement = self._in_house_style(replacement)  # the message names what the fix writes
            captures["replacement"] = replacement
        if hit.suggestions is not None:
            suggestions = hit.suggestions
        elif replacement is not None and not rule.suggest:
            suggestions = (replacement,)
        else:
            suggestions = tuple(match_case(render(t, captures), matched) for t in rule.suggest)
        if self._house is not False and rule.pack != HOUSE_PACK and suggestions:
            suggestions = tuple(self._in_house_style(s) for s in suggestions)
        unique = tuple(dict.fromkeys(s for s in suggestions if s != matched))
        return Finding(
            rule=rule.id,
            start=hit.start,
            end=hit.end,
            message=hit.message if hit.message is not None else render(rule.message, captures),
            severity=self.severity.get(rule.id, rule.severity),
            category=rule.category,
            fix=rule.fix,
            suggestions=unique,
            source=rule.source,
            text=matched,
        )


def _drop_nested(findings: list[Finding]) -> list[Finding]:
    """One rule reports one finding per stretch of text: a match inside (or overlapping) an
    earlier match of the same rule is dropped ("with the in order to" hides "the in order to")."""
    reach: dict[str, int] = {}
    kept = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end, f.rule)):
        if f.start < reach.get(f.rule, -1):
            continue
        reach[f.rule] = f.end
        kept.append(f)
    return kept
