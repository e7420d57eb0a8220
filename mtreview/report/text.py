"""Terminal output: ``path:line:col: severity rule-id message`` plus the suggestion."""

from __future__ import annotations

import re

from mtreview.diskcache import compile_pattern

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_DIM = "\033[2m"
_BOLD = "\033[1m"
_RESET = "\033[0m"


_LINE_BREAK_RE = compile_pattern(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def _visible(s: str) -> str:
    return s.replace("\r", "\\r").replace("\n", "\\n")


def _one_line(s: str) -> str:
    """A message quoting matched text may contain its line breaks; keep one line per finding."""
    return _LINE_BREAK_RE.sub(" ", s)


def _quoted(s: str) -> str:
    """“text”, or "text" when curly quotes or edge spaces would make “…” ambiguous."""
    s = _visible(s)
    if "“" in s or "”" in s or s != s.strip():
        return f'"{s}"'
    return f"“{s}”"


def score_lines(scores: dict) -> list[str]:
    """The compact score block: one line per score."""
    lines = []
    r = scores.get("readability")
    if r and "flesch_kincaid_grade" in r:
        lines.append(
            f"readability: {r['value']}; Flesch {r['flesch_reading_ease']:.1f}, fog {r['gunning_fog']:.1f}, "
            f"SMOG {r['smog']:.1f}, Coleman–Liau {r['coleman_liau']:.1f}, Dale–Chall {r['dale_chall']:.1f}, "
            f"consensus {r['consensus_grade']:g}; {r['words']} words, {r['sentences']} sentences "
            f"({r['avg_sentence_words']:g} words each)"
        )
    ref = scores.get("reference")
    if ref:
        metrics = ref["metrics"]
        shown = ", ".join(
            f"{name} {m['score']:.1f}" + (f" [{m['ci'][0]:.1f}–{m['ci'][1]:.1f}]" if m.get("ci") else "")
            for name, m in (("BLEU", metrics["bleu"]), ("chrF2", metrics["chrf2"]), ("chrF++", metrics["chrf++"]),
                            ("TER", metrics["ter"]))
        )
        align = ref["alignment"]
        lines.append(f"reference ({', '.join(ref['references'])}): {shown}; segments by {align['method']}")
        lines.append("  signatures: " + " | ".join(metrics[k]["signature"] for k in ("bleu", "chrf++", "ter")))
    q = scores.get("mqm")
    if q:
        by = q["by_severity"]
        lines.append(
            f"MQM quality {q['value']}; {q['penalty']} penalty points, {q['per_1000_words']:g} per 1,000 words "
            f"({by['critical']} critical, {by['major']} major, {by['minor']} minor)"
        )
    return lines


def render(report) -> str:
    color = report.color

    def paint(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if color else s

    lines = []
    for result in report.files:
        for f in result.findings:
            sev = paint(_COLORS[f.severity.value], f.severity.value)
            where = paint(_BOLD, f"{result.path}:{f.line}:{f.column}:")
            lines.append(f"{where} {sev} {paint(_DIM, f.rule)} {_one_line(f.message)}")
            if f.suggestions:
                shown = " | ".join(_quoted(s) if s else "(delete)" for s in f.suggestions)
                tag = {"safe": "fix", "unsafe": "suggestion (unsafe fix)", "none": "suggestion"}[f.fix.value]
                lines.append(f"    {tag}: {_quoted(f.text)} → {shown}")
        lines.extend(paint(_DIM, f"{result.path}: ") + line for line in score_lines(result.scores))
    for note in report.notes:
        lines.append(paint(_DIM, note))
    counts = report.counts()
    total = sum(counts.values())
    nfiles = len(report.files)
    parts = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info"))
    noun = "file" if nfiles == 1 else "files"
    if total:
        lines.append(f"{total} finding{'s' if total != 1 else ''} in {nfiles} {noun} ({parts})")
    else:
        lines.append(f"No findings in {nfiles} {noun}.")
    return "\n".join(lines) + "\n"
