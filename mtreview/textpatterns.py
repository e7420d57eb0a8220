"""Regular expressions and helpers that several modules read text with, written once: lines and line
breaks (CR, LF and CRLF all end a line, as everywhere in mtreview), English month names, and
the one-line excerpt a message quotes."""

from __future__ import annotations

import re

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


#: Leading global inline flags: ``(?m)``, ``(?im)``.
_GLOBAL_FLAGS_RE = re.compile(r"(?:\(\?[aiLmsux]+\))+")
#: A group that sets flags for its own scope: ``(?m:``, ``(?i-m:``.
_SCOPED_FLAGS_RE = re.compile(r"\(\?([aiLmsux]*)(?:-([imsx]+))?:")
#: What an end-of-line ``$`` becomes: also before the CR of a CRLF line break.
CRLF_LINE_END = r"(?:$|(?=\r))"


def crlf_line_ends(pattern: str, flags: int = 0) -> str:
    """``pattern`` with each ``$`` that ends a line (under MULTILINE, given in ``flags``, as
    leading ``(?m)`` or in a ``(?m:…)`` group) written ``CRLF_LINE_END``: Python's ``$``
    stops only before ``\\n``, so ``[ \\t]*$`` would never match a line that ends in CRLF.
    (``Document.line_text``, which patterns scan, already has a line feed for every lone
    CR.) Verbose patterns, and patterns without ``$``, are returned as they are."""
    if "$" not in pattern or flags & re.VERBOSE:
        return pattern
    head = _GLOBAL_FLAGS_RE.match(pattern)
    if head and "x" in head.group():
        return pattern
    scopes = [bool(flags & re.MULTILINE) or bool(head and "m" in head.group())]
    out: list[str] = []
    i, n = (head.end() if head else 0), len(pattern)
    out.append(pattern[:i])
    while i < n:
        char = pattern[i]
        if char == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[":  # a set: "]" right after "[" or "[^" is literal
            j = i + (2 if pattern.startswith("[^", i) else 1)
            j += 1 if pattern.startswith("]", j) else 0
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            out.append(pattern[i : j + 1])
            i = j + 1
            continue
        if pattern.startswith("(?#", i):
            j = pattern.find(")", i)
            j = n - 1 if j < 0 else j
            out.append(pattern[i : j + 1])
            i = j + 1
            continue
        if char == "(":
            scoped = _SCOPED_FLAGS_RE.match(pattern, i)
            multiline = scopes[-1]
            if scoped:
                multiline = ("m" in scoped.group(1) or multiline) and "m" not in (scoped.group(2) or "")
            scopes.append(multiline)
        elif char == ")" and len(scopes) > 1:
            scopes.pop()
        out.append(CRLF_LINE_END if char == "$" and scopes[-1] else char)
        i += 1
    return "".join(out)
