"""The stable JSON contract (schema "mtreview/1"), documented in the README; fields are only
ever added to it. ``error_document`` is what ``--format json`` gives instead when the run
stops on an error (exit 2)."""

from __future__ import annotations

from mtreview.baseline import fingerprints
from mtreview.jsontext import dumps_indented

SCHEMA = "mtreview/1"


def finding_dict(f, doc=None, fingerprint: str | None = None, rule=None) -> dict:
    """A finding, plus what its source adds (``languagetool``: LanguageTool's rule, category and
    issue type; ``also_languagetool``: LanguageTool rules that found the same problem). With its
    ``doc``: where it ends; its ``fingerprint`` (``mtreview.baseline``); its ``rule``'s why
    (None: a finding no rule of ours made, such as LanguageTool's)."""
    out = {
        "rule": f.rule,
        "category": f.category,
        "severity": f.severity.value,
        "message": f.message,
        "start": f.start,
        "end": f.end,
        "line": f.line,
        "column": f.column,
        "text": f.text,
        "suggestions": list(f.suggestions),
        "fix": f.fix.value,
        "source": f.source,
        **f.extra,
    }
    if doc is not None:
        out["end_line"], out["end_column"] = doc.line_col(f.end)
        out["fingerprint"] = fingerprint
        out["why"] = rule.why if rule is not None and rule.why else None
    return out


def file_dict(r, rules: dict | None = None) -> dict:
    """A checked file: its path, the source language it was reviewed for, words, findings and
    scores, its fail-on level and how many of its findings are at or above it (blocking), and
    its source when it has one."""
    rules = rules or {}
    prints = fingerprints(r.doc, r.findings)
    out = {"path": r.path, "source_lang": r.lang, "words": r.doc.word_count(),
           "findings": [finding_dict(f, r.doc, fp, rules.get(f.rule)) for f, fp in zip(r.findings, prints, strict=True)],
           "scores": r.scores, "fail_on": r.fail_on, "blocking": len(r.blocking())}
    source = r.doc.source
    if source is not None:
        out["source_path"] = source.path
    return out


def render(report, color: bool = False) -> bytes:
    data = {
        "schema": SCHEMA,
        "files": [file_dict(r, report.rules) for r in report.files],
        "summary": report.summary(),
    }
    return dumps_indented(data)


def error_document(message: str, code: int = 2) -> bytes:
    """The JSON a run that stopped on an error writes to standard output with ``--format json``."""
    return dumps_indented({"schema": SCHEMA, "error": {"message": message, "code": code}})
