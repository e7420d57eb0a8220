"""Terminal output: ``path:line:col: severity rule-id message`` plus the suggestion."""

from __future__ import annotations

from mtreview.diskcache import compile_pattern

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_DIM = "\033[2m"
_BOLD = "\033[1m"
_RESET = "\033[0m"


_LINE_BREAK_RE = compile_pattern(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")
#: What a terminal (or a CI log) would act on rather than show: the C0 controls but tab (ESC
#: starts colour, cursor and OSC 8 link sequences; BEL, backspace, form feed…), DEL, the C1
#: controls (CSI, OSC, ST as one code point).
_CONTROL_RE = compile_pattern(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_CONTROL_BUT_BREAKS_RE = compile_pattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NAMED = {"\r": "\\r", "\n": "\\n"}


def _escape(m) -> str:
    c = m.group(0)
    return _NAMED.get(c) or f"\\x{ord(c):02x}"


def terminal_safe(s: str, breaks: bool = False) -> str:
    """``s`` with every control character written out (ESC → ``\\x1b``, CR → ``\\r``): a
    document's text, a file name, cannot colour, move, retitle or link the terminal.
    ``breaks``: CR and LF are kept (a format that escapes them its own way)."""
    return (_CONTROL_BUT_BREAKS_RE if breaks else _CONTROL_RE).sub(_escape, s)


def _visible(s: str) -> str:
    return terminal_safe(s)


def _one_line(s: str) -> str:
    """A message quoting matched text may contain its line breaks; keep one line per finding
    (and no control character: ``terminal_safe``)."""
    return terminal_safe(_LINE_BREAK_RE.sub(" ", s))


def _plain_quotes(s: str) -> bool:
    """Whether curly quotes or edge spaces in ``s`` would make “…” around it ambiguous."""
    return "“" in s or "”" in s or s != s.strip()


def _quoted(s: str, plain: bool = False) -> str:
    """“text”, or "text" when ``plain`` or when “…” would be ambiguous (``_plain_quotes``)."""
    s = _visible(s)
    if plain or _plain_quotes(s):
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
        lines.append(f"    translation: {_one_line(_clipped(w['hyp']['text']))}")
        for r in w["refs"]:
            lines.append(f"    reference:   {_one_line(_clipped(r['text']))}")
    lines.append(f"omissions: {len(ref['omissions'])}, additions: {len(ref['additions'])}")
    return lines


def _clipped(text: str, limit: int = 400) -> str:
    """A segment quoted in the text report: at most ``limit`` characters (a one-line file is
    one segment; the JSON report has it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _painter(color: bool):
    def paint(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if color else s
    return paint


def finding_lines(path: str, f, color: bool = False) -> list[str]:
    """``path:line:col: severity rule-id message`` and, with suggestions, the edit: every
    piece terminal-safe (a file name or a document's text cannot drive the terminal)."""
    paint = _painter(color)
    sev = paint(_COLORS[f.severity.value], f.severity.value)
    where = paint(_BOLD, f"{terminal_safe(path)}:{f.line}:{f.column}:")
    lines = [f"{where} {sev} {paint(_DIM, terminal_safe(f.rule))} {_one_line(f.message)}"]
    if f.suggestions:
        # one kind of quotes on both sides of the arrow, so “high” → high cannot read as "“high”" → “high”
        plain = any(_plain_quotes(_visible(s)) for s in (f.text, *f.suggestions))
        shown = " | ".join(_quoted(s, plain) if s else "(delete)" for s in f.suggestions)
        tag = {"safe": "fix", "unsafe": "suggestion (unsafe fix)", "none": "suggestion"}[f.fix.value]
        lines.append(f"    {tag}: {_quoted(f.text, plain)} → {shown}")
    return lines


def summary_line(report) -> str:
    """"5 findings in 2 files (1 error, 2 warnings, 2 info)", or "No findings in 2 files."."""
    counts = report.counts()
    total = sum(counts.values())
    nfiles = len(report.files)
    parts = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info"))
    noun = "file" if nfiles == 1 else "files"
    if total:
        return f"{total} finding{'s' if total != 1 else ''} in {nfiles} {noun} ({parts})"
    return f"No findings in {nfiles} {noun}."


def render(report, color: bool = False) -> str:
    paint = _painter(color)
    lines = []
    for result in report.files:
        for f in result.findings:
            lines.extend(finding_lines(result.path, f, color))
        lines.extend(paint(_DIM, f"{terminal_safe(result.path)}: ") + terminal_safe(line)
                     for line in score_lines(result.scores))
    for note in report.notes:
        lines.append(paint(_DIM, terminal_safe(note)))
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
