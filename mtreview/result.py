"""What a review gives: each file's document, settled findings and scores, and the run's
notes. Reporters (``mtreview/report/``) read it; nothing changes it after the review."""

from __future__ import annotations

from dataclasses import dataclass, field

from mtreview.document import Document
from mtreview.model import Finding, Severity
from mtreview.rule import Rule


@dataclass
class FileResult:
    path: str
    doc: Document
    findings: list[Finding]
    scores: dict[str, dict] = field(default_factory=dict)  # name -> {"label", "value", ...} (mtreview/scoring)
    lang: str | None = None  # the source language the file was reviewed for (None: not known)
    fail_on: str = "warning"  # the level from which its findings fail the run (its config's), or "never"

    def blocking(self) -> list[Finding]:
        """The findings at or above ``fail_on``: those that fail the run (block a commit)."""
        if self.fail_on == "never":
            return []
        threshold = Severity(self.fail_on).rank
        return [f for f in self.findings if f.severity.rank >= threshold]


@dataclass
class Report:
    files: list[FileResult]
    notes: list[str] = field(default_factory=list)  # lines such as the guessed source language
    source_lang: str | None = None
    rules: dict[str, Rule] = field(default_factory=dict)  # rule id -> Rule, for formats that explain findings

    def counts(self) -> dict[str, int]:
        counts = {s.value: 0 for s in Severity}
        for result in self.files:
            for f in result.findings:
                counts[f.severity.value] += 1
        return counts

    def fail_on(self) -> str | None:
        """The files' ``fail_on`` level, None when their configs set different ones (or no file)."""
        levels = {r.fail_on for r in self.files}
        return levels.pop() if len(levels) == 1 else None

    def summary(self) -> dict:
        by_category: dict[str, int] = {}
        by_rule: dict[str, int] = {}
        for result in self.files:
            for f in result.findings:
                by_category[f.category] = by_category.get(f.category, 0) + 1
                by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
        counts = self.counts()
        return {
            "files": len(self.files),
            "findings": sum(counts.values()),
            "by_severity": counts,
            "by_category": dict(sorted(by_category.items())),
            "by_rule": dict(sorted(by_rule.items())),
            "source_lang": self.source_lang,
            "notes": list(self.notes),
            "fail_on": self.fail_on(),
            "blocking": sum(len(r.blocking()) for r in self.files),
        }
