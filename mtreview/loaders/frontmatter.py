"""Front matter of a Markdown file: YAML between ``---`` lines or TOML between ``+++`` lines.

None of it is prose except the values of a few keys (``title`` and ``description`` by
default: ``mtreview.options.FRONT_MATTER_PROSE``): single-line strings, plain or quoted, and
YAML block scalars (``>``, ``|``). Each
value is a paragraph of its own; a quoted value leaves out its escapes, so no edit cuts one.
"""

from __future__ import annotations

import re

from mtreview.diskcache import compile_pattern
from mtreview.loaders.markup import Builder
from mtreview.textpatterns import LINE_RE

_OPEN_RE = compile_pattern(r"(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)")
_YAML_VALUE_RE = compile_pattern(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+|(?=[\r\n]|\Z))(.*)")
_TOML_VALUE_RE = compile_pattern(r"([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*)")
_BLOCK_SCALAR_RE = compile_pattern(r"[|>][+-]?[1-9]?[+-]?[ \t]*(?:#.*)?")


def split(text: str) -> int:
    """The length of the front matter at the start of ``text`` (0: there is none)."""
    m = _OPEN_RE.match(text)
    if m is None:
        return 0
    fence = m.group(1)
    closers = ("---", "...") if fence == "---" else ("+++",)
    for line in LINE_RE.finditer(text, m.end()):
        if line.group(1).rstrip() in closers:
            return line.end()
        if line.end() == len(text):
            break
    return 0


def add_prose(builder: Builder, end: int, keys) -> None:
    """Add the values of ``keys`` in the front matter ``builder.text[:end]`` as prose."""
    text = builder.text
    toml = text.startswith("+++")
    lines = [m for m in LINE_RE.finditer(text, 0, end) if m.start() < end][1:-1]  # between the fences
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        m = (_TOML_VALUE_RE if toml else _YAML_VALUE_RE).match(text, line.start(1), line.end(1))
        if m is None or m.group(1) not in keys:
            continue
        start, value = m.start(2), m.group(2)
        if not toml and _BLOCK_SCALAR_RE.fullmatch(value.rstrip()):
            # the indented lines that follow
            while i < len(lines) and (not lines[i].group(1).strip() or lines[i].group(1)[:1] in " \t"):
                content = lines[i].group(1)
                builder.add(lines[i].start(1) + len(content) - len(content.lstrip()), lines[i].end(1))
                i += 1
        else:
            _add_scalar(builder, start, value, toml)
        builder.end_block()


def _add_scalar(builder: Builder, start: int, value: str, toml: bool) -> None:
    quote = value[:1]
    if quote in ("'", '"'):
        close = _closing_quote(value, quote)
        if close is None:
            return
        pos, end = start + 1, start + close
        escape = r"\\." if quote == '"' else ("''" if not toml else None)
        if escape:
            for m in compile_pattern(escape).finditer(builder.text, pos, end):
                builder.add(pos, m.start())
                pos = m.end()
        builder.add(pos, end)
        return
    if toml or not value or value[0] in "[{&*!%@`":
        return  # TOML values other than strings, YAML flow collections, anchors, tags
    comment = re.search(r"[ \t]#", value)
    builder.add(start, start + len((value[: comment.start()] if comment else value).rstrip()))


def _closing_quote(value: str, quote: str) -> int | None:
    i = 1
    while i < len(value):
        c = value[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and value[i + 1 : i + 2] == "'":
                i += 2
                continue
            return i
        i += 1
    return None
