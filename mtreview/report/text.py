"""Terminal output: ``path:line:col: severity rule-id message`` plus the suggestion."""

from __future__ import annotations

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


def reference_lines(ref: dict, full: bool = False) -> list[str]:
    """Reference metrics: the scores on one line and their sacrebleu signatures; ``full``
    adds the alignment, the weakest segments, omissions and additions (``mtreview score``)."""
    metrics = ref["metrics"]
    names = (("BLEU", "bleu"), ("chrF2", "chrf2"), ("chrF++", "chrf++"), ("TER", "ter"))
    shown = ", ".join(
        f"{label} {metrics[key]['score']:.2f}"
        + (f" [{metrics[key]['ci'][0]}–{metrics[key]['ci'][1]}]" if "ci" in metrics[key] else "")
        for label, key in names
    )
    align = ref["alignment"]
    head = f"reference ({', '.join(ref['references'])}): {shown}; {ref['segments']['count']} segments"
    lines = [f"{head} paired by {align['method']}"]
    lines.extend(f"  {label:6} {metrics[key]['signature']}" for label, key in names)
    if not full:
        return lines
    for r in align.get("references", ()):
        beads = ", ".join(f"{k} ×{v}" for k, v in r.get("beads", {}).items())
        lines.append(f"  {r['name']}: {r['segments']} segments; alignment {beads or 'none'}")
    seg = ref["segments"]
    lines.append(f"segments: mean chrF2 {seg['mean_chrf']}, mean BLEU {seg['mean_bleu']} ({seg['scored']} scored)")
    for w in seg.get("worst", ()):
        lines.append(f"  weakest, segment {w['index'] + 1}: chrF2 {w['chrf']}, BLEU {w['bleu']}")
        lines.append(f"    translation: {_one_line(w['hyp']['text'])}")
        for r in w["refs"]:
            lines.append(f"    reference:   {_one_line(r['text'])}")
    lines.append(f"omissions: {len(ref['omissions'])}, additions: {len(ref['additions'])}")
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def score_lines(scores: dict) -> list[str]:
    """The compact score block: one line per score."""
    lines = []
    r = scores.get("readability")
    if r and "flesch_kincaid_grade" in r:
        lines.append(
            f"readability: {r['value']}; Flesch {r['flesch_reading_ease']:.1f}, fog {r['gunning_fog']:.1f}, "
            f"SMOG {r['smog']:.1f}, Coleman–Liau {r['coleman_liau']:.1f}, Dale–Chall {r['dale_chall']:.1f}, "
            f"consensus {r['consensus_grade']:g}; {_count(r['words'], 'word')}, "
            f"{_count(r['sentences'], 'sentence')} ({r['avg_sentence_words']:g} words each)"
        )
    ref = scores.get("reference")
    if ref:
        lines.extend(reference_lines(ref))
    q = scores.get("mqm")
    if q:
        by = q["by_severity"]
        lines.append(
            f"MQM quality {q['value']}; {q['penalty']} penalty points, {q['per_1000_words']:g} per 1,000 words "
            f"({by['critical']} critical, {by['major']} major, {by['minor']} minor)"
        )
    return lines


def render(report, color: bool = False) -> str:
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
