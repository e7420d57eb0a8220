"""Run every rule's own examples (LanguageTool-style): bad texts must be reported at exactly
the marked spans and fix to the given text; good texts must not be reported."""

from __future__ import annotations

from dataclasses import dataclass

from mtreview.engine import Engine
from mtreview.fixes import apply_edits
from mtreview.loaders import load
from mtreview.model import Edit
from mtreview.rule import Rule
from mtreview.ruleset import RuleSet


@dataclass(frozen=True)
class Failure:
    rule: str
    origin: str
    problem: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.rule}: {self.problem}"


def check_rule_examples(engine: Engine, rule: Rule) -> list[Failure]:
    failures = []

    def found(text: str):
        return [f for f in _as_reviewed(engine, text) if f.rule == rule.id]

    for n, example in enumerate(rule.bad, 1):
        findings = found(example.text)
        spans = sorted((f.start, f.end) for f in findings)
        if spans != sorted(example.spans):
            got = ", ".join(f"[{example.text[s:e]}]" for s, e in spans) or "nothing"
            want = ", ".join(f"[{example.text[s:e]}]" for s, e in example.spans)
            failures.append(Failure(rule.id, rule.origin, f"bad example {n} {example.text!r}: expected {want}, found {got}"))
            continue
        if example.fixed is not None:
            edits = [Edit(f.start, f.end, f.suggestions[0]) for f in findings if f.suggestions]
            fixed = apply_edits(example.text, edits)
            if fixed != example.fixed:
                failures.append(Failure(rule.id, rule.origin, f"bad example {n}: fixed text is {fixed!r}, expected {example.fixed!r}"))
    for n, text in enumerate(rule.good, 1):
        findings = found(text)
        if findings:
            got = ", ".join(f"[{f.text}]" for f in findings)
            failures.append(Failure(rule.id, rule.origin, f"good example {n} {text!r} was flagged: {got}"))
    return failures


def _as_reviewed(engine: Engine, text: str):
    """The findings in an example as a review gives them: read as a plain-text file, its
    suppression directives applied (and reported on) after the checks."""
    doc = load(text, "example.txt")
    findings = engine.check(doc)
    if getattr(doc, "directives", None):
        from mtreview.suppress import Suppressor

        findings = Suppressor(engine.ruleset).apply(doc, findings, report_unused=True)
    return findings


def run_examples(ruleset: RuleSet, rules: list[Rule]) -> list[Failure]:
    """All rules compiled together, as in a real run, then each rule's examples checked."""
    engine = Engine(ruleset, rules)
    failures = []
    for rule in rules:
        failures.extend(check_rule_examples(engine, rule))
    return failures
