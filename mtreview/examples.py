"""Run every rule's own examples (LanguageTool-style): bad texts must be reported at exactly
the marked spans and fix to the given text; good texts must not be reported."""

from __future__ import annotations

from dataclasses import dataclass

from mtreview.bilingual.glossary import from_csv as glossary_from_csv
from mtreview.bilingual.pairing import pair
from mtreview.checker import Checker
from mtreview.document import Document, Run
from mtreview.fixes import apply_edits
from mtreview.loaders import load
from mtreview.model import Edit
from mtreview.rule import Example, Rule
from mtreview.ruleset import RuleSet


@dataclass(frozen=True)
class Failure:
    rule: str
    origin: str
    problem: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.rule}: {self.problem}"


def check_rule_examples(checker: Checker, rule: Rule) -> list[Failure]:
    """The failures of ``rule``'s examples, checked by ``checker`` (built with
    ``report_unused=True``, as ``examples_checker`` builds it)."""
    failures = []

    def found(example: str | Example):
        return [f for f in checker.check(example_document(example, rule)) if f.rule == rule.id]

    for n, example in enumerate(rule.bad, 1):
        findings = found(example)
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
                failures.append(Failure(rule.id, rule.origin,
                                        f"bad example {n}: fixed text is {fixed!r}, expected {example.fixed!r}"))
    for n, good in enumerate(rule.good, 1):
        findings = found(good)
        text = good if isinstance(good, str) else good.text
        if findings:
            got = ", ".join(f"[{f.text}]" for f in findings)
            failures.append(Failure(rule.id, rule.origin, f"good example {n} {text!r} was flagged: {got}"))
    return failures


def example_document(example: str | Example, rule: Rule) -> Document:
    """An example as a review reads it: a plain-text file, its suppression directives
    applied (and reported on) after the checks; with its source, paired with it; in a run
    with the glossary the rule's ``example_glossary`` option holds (CSV text), if any."""
    doc = load(example if isinstance(example, str) else example.text, "example.txt")
    if isinstance(example, Example) and example.source is not None:
        lang = example.source_lang or next((lang for lang in sorted(rule.languages) if lang != "any"), "es")
        doc.source = pair(doc, load(example.source, "source.txt"), "source.txt", lang)
    glossary = rule.options.get("example_glossary")
    if isinstance(glossary, str):
        doc.run = Run((doc,), glossary_from_csv(glossary, f"{rule.origin}: {rule.id}: example_glossary"))
    return doc


def examples_checker(ruleset: RuleSet, rules: list[Rule]) -> Checker:
    """The rules compiled together, as in a real run (no house style: suggestions as the
    rules write them); directives that silence nothing reported."""
    return Checker(ruleset, rules, report_unused=True)


def run_examples(ruleset: RuleSet, rules: list[Rule]) -> list[Failure]:
    """All rules compiled together, as in a real run, then each rule's examples checked."""
    checker = examples_checker(ruleset, rules)
    failures = []
    for rule in rules:
        failures.extend(check_rule_examples(checker, rule))
    return failures
