"""The stable JSON contract (schema "mtreview/1"), documented in the README."""

from __future__ import annotations

from mtreview.jsontext import dumps_indented

SCHEMA = "mtreview/1"


def finding_dict(f) -> dict:
    """A finding, plus what its source adds (``languagetool``: LanguageTool's rule, category and
    issue type; ``also_languagetool``: LanguageTool rules that found the same problem)."""
    return {
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


def file_dict(r) -> dict:
    """A checked file: its path, words, findings and scores, and its source when it has one."""
    out = {"path": r.path, "words": r.doc.word_count(), "findings": [finding_dict(f) for f in r.findings],
           "scores": r.scores}
    source = r.doc.source
    if source is not None:
        out.update(source_path=source.path, source_lang=source.lang)
    return out


def render(report, color: bool = False) -> bytes:
    data = {
        "schema": SCHEMA,
        "files": [file_dict(r) for r in report.files],
        "summary": report.summary(),
    }
    return dumps_indented(data)
