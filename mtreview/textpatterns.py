"""Regular expressions and helpers that several modules read text with, written once: lines and line
breaks (CR, LF and CRLF all end a line, as everywhere in mtreview), English month names, and
the one-line excerpt a message quotes."""

from __future__ import annotations

from mtreview.diskcache import compile_pattern

#: A line break.
LINE_BREAK_RE = compile_pattern(r"\r\n|\r|\n")
#: A line: its text (group 1) and its line break (group 2: empty for the last line).
LINE_RE = compile_pattern(r"([^\r\n]*)(\r\n|\r|\n|\Z)")
#: The English month names, as regex alternatives.
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def excerpt(text: str, limit: int = 80) -> str:
    """``text`` on one line (white space runs as one space), cut to ``limit`` characters with
    "…": a source sentence quoted in a message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
