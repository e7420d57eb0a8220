"""SARIF 2.1.0 (the OASIS format GitHub code scanning and editors read): one run, the rules
that produced findings, one result per finding with its region and, where there is a
suggestion, its fixes.

Positions: ``run.columnKind`` is ``utf16CodeUnits`` (SARIF's default, what GitHub and
editors count in), so columns, ``charOffset`` and ``charLength`` are converted from
mtreview's character offsets; they differ only after a character outside the Basic
Multilingual Plane (an emoji). Offsets are into the decoded text (BOM removed). Artifact URIs
are relative to the current folder (``%SRCROOT%``) when the file is under it, forward
slashes, percent-encoded; otherwise absolute ``file:`` URIs.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from typing import Any
from urllib.parse import quote

from mtreview.baseline import fingerprints
from mtreview.jsontext import dumps_indented
from mtreview.loaders import media_type

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: The finding's fingerprint (``mtreview.baseline``, the JSON's ``fingerprint``): rule, text, a
#: few words of context and occurrence, no offsets, no path (v1 hashed the path and no context).
FINGERPRINT_KEY = "mtreviewFinding/v2"
_FIELD_RE = re.compile(r"\{\{|\}\}|\{\w+(?:\|\w+)?\}")


class _Utf16:
    """Python (code point) offsets of one text → UTF-16 code unit offsets."""

    def __init__(self, text: str):
        self.astral = [i for i, c in enumerate(text) if ord(c) > 0xFFFF] if not text.isascii() else []

    def __call__(self, offset: int) -> int:
        return offset + bisect_left(self.astral, offset) if self.astral else offset


def artifact_uri(path: str) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative to the current folder when under it, else a file: URI."""
    p = Path(path)
    absolute = p.absolute()
    try:
        rel = absolute.relative_to(Path.cwd())
    except ValueError:
        return absolute.as_uri(), None
    return quote(rel.as_posix(), safe="/"), SRCROOT


def _region(doc, start: int, end: int, units: _Utf16) -> dict:
    """1-based lines; columns (end exclusive), offset and length in UTF-16 code units."""
    line, col = doc.line_col(start)
    end_line, end_col = doc.line_col(end)
    u_start, u_end = units(start), units(end)
    return {
        "startLine": line,
        "startColumn": u_start - units(start - col + 1) + 1,
        "endLine": end_line,
        "endColumn": u_end - units(end - end_col + 1) + 1,
        "charOffset": u_start,
        "charLength": u_end - u_start,
    }


def _short(message: str) -> str:
    """A rule's message template as a description: its fields become “…”."""
    text = _FIELD_RE.sub(lambda m: {"{{": "{", "}}": "}"}.get(m.group(0), "…"), message)
    return " ".join(text.split())


def _friendly_name(rule_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[.\-_]", rule_id) if part)


def _descriptor(rule_id: str, rule, finding) -> dict:
    """A reportingDescriptor: from the Rule when there is one, else from a finding
    (LanguageTool's lt.* rules, reference omissions and additions)."""
    if rule is not None:
        severity, category, pack, fix = rule.severity.value, rule.category, rule.pack, rule.fix.value
        short, why, instead, source = _short(rule.message), rule.why, rule.instead, rule.source
    else:
        severity, category, fix = finding.severity.value, finding.category, finding.fix.value
        pack = rule_id.split(".", 1)[0]
        lt = finding.extra.get("languagetool") or {}
        short = _short(finding.message) if not lt else f"LanguageTool {lt.get('rule', rule_id)}"
        why, instead, source = finding.message, "", finding.source
    full = why or short
    help_text = full + (f"\n\nInstead: {instead}" if instead else "")
    help_md = full + (f"\n\n**Instead:** {instead}" if instead else "")
    return {
        "id": rule_id,
        "name": _friendly_name(rule_id),
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text, "markdown": help_md},
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "category": category,  # MQM dimension/subtype
            "pack": pack,
            "fix": fix,
            "source": source,
            "tags": ["mtreview", pack, category],
        },
    }


def _result(finding, index: int, location: dict, region: dict, fingerprint: str) -> dict:
    result = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity.value],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {"artifactLocation": location,
                                            "region": {**region, "snippet": {"text": finding.text}}}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {"category": finding.category, "fix": finding.fix.value, "source": finding.source,
                       **finding.extra},
    }
    if finding.suggestions:
        from mtreview.report.text import _quoted

        quoted = _quoted(finding.text)
        result["fixes"] = [
            {
                "description": {"text": f"Replace {quoted} with {_quoted(s)}" if s else f"Delete {quoted}"},
                "artifactChanges": [{
                    "artifactLocation": location,
                    "replacements": [{"deletedRegion": dict(region), "insertedContent": {"text": s}}],
                }],
            }
            for s in finding.suggestions
        ]
        result["properties"]["suggestions"] = list(finding.suggestions)
    return result


def sarif_log(report) -> dict:
    from mtreview import __version__

    rule_index: dict[str, int] = {}
    rules: list[dict] = []
    artifacts: list[dict] = []
    results: list[dict] = []
    relative = False
    for file_index, fr in enumerate(report.files):
        uri, base = artifact_uri(fr.path)
        relative = relative or base is not None
        location = {"uri": uri, **({"uriBaseId": base} if base else {}), "index": file_index}
        artifact: dict[str, Any] = {"location": {k: v for k, v in location.items() if k != "index"},
                                    "mimeType": media_type(fr.path),
                                    "encoding": "utf-8", "length": len(fr.doc.text.encode("utf-8")),
                                    "properties": {"words": fr.doc.word_count()}}
        if fr.scores:
            artifact["properties"]["scores"] = fr.scores
        artifacts.append(artifact)
        units = _Utf16(fr.doc.text)
        for f, fingerprint in zip(fr.findings, fingerprints(fr.doc, fr.findings), strict=True):
            if f.rule not in rule_index:
                rule_index[f.rule] = len(rules)
                rules.append(_descriptor(f.rule, report.rules.get(f.rule), f))
            region = _region(fr.doc, f.start, f.end, units)
            results.append(_result(f, rule_index[f.rule], location, region, fingerprint))
    run = {
        "tool": {"driver": {"name": "mtreview", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [{
            "executionSuccessful": True,
            "toolExecutionNotifications": [{"level": "note", "message": {"text": n}} for n in report.notes],
        }],
        "artifacts": artifacts,
        "results": results,
        "columnKind": "utf16CodeUnits",
        "properties": {"summary": report.summary()},
    }
    if relative:
        run["originalUriBaseIds"] = {SRCROOT: {"uri": Path.cwd().as_uri().rstrip("/") + "/"}}
    return {"$schema": SCHEMA_URI, "version": VERSION, "runs": [run]}


def render(report, color: bool = False) -> bytes:
    return dumps_indented(sarif_log(report))
