"""Markdown (markdown-it-py, CommonMark plus tables and strikethrough): the inline text of
paragraphs, headings, list items, block quotes and table cells is prose, link text included.

Not prose: front matter (but see ``frontmatter``), code (fenced, indented, inline), link and
image targets and reference definitions, images, autolinks and bare URLs, HTML comments and
tags (the text between tags in an HTML block is read as HTML), escapes and entity
references (a region ends at each), syntax characters (``#``, ``*``, ``>``, list markers,
``|``), and a block quote that is an embedded post (an author line “— Name (@handle) Month D,
YYYY”, or a link to a tweet or its picture).

markdown-it gives each block its source lines but no offsets inside them, so each inline
token's ``content`` is matched to its lines (``_align``) and its children are replayed over
that content with a cursor (``_Walk``), markdown-it's own link-target parser included.
A block whose replay goes astray is left out rather than guessed at.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from mtreview.diskcache import compile_pattern
from mtreview.document import Document
from mtreview.loaders import frontmatter
from mtreview.loaders.markup import Builder
from mtreview.options import FRONT_MATTER_PROSE
from mtreview.suppress import parse
from mtreview.textpatterns import LINE_BREAK_RE, LINE_RE, MONTHS

_EMBED_RE = compile_pattern(
    r"(?:—|–|&mdash;|&ndash;|--)\s*[^\n()]{1,80}?\(@\w{1,15}\)\s*(?:\]\([^)]*\)\s*)?\[?\s*(?:" + MONTHS + r")\s+\d{1,2},\s+\d{4}"
    r"|pic\.twitter\.com/\w+|(?:twitter|x)\.com/\w{1,15}/status(?:es)?/\d+"
)
_MARKUP = frozenset({"em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"})


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt  # ~75 ms to import: only when a Markdown file is read

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.disable("text_join")  # keep escapes and entities apart from the text around them
    return md


def load(text: str, path: str, options=None) -> Document:
    keys = tuple((options.front_matter_prose if options is not None else ()) or FRONT_MATTER_PROSE)
    builder = Builder(text)
    head = frontmatter.split(text)
    if head:
        frontmatter.add_prose(builder, head, keys)
    lines = _lines(text)
    # the front matter becomes empty lines: markdown-it's line numbers stay the file's
    source = "\n" * len(LINE_BREAK_RE.findall(text, 0, head)) + text[head:]
    tokens = _parser().parse(source)
    i, row_cursor, quotes = 0, None, 0
    while i < len(tokens):
        token = tokens[i]
        kind = token.type
        if kind == "blockquote_open" and _is_embed(tokens, i):
            i = _close(tokens, i)
        elif kind in ("blockquote_open", "blockquote_close"):
            quotes += 1 if kind == "blockquote_open" else -1
        elif kind == "tr_open":
            row_cursor = lines[token.map[0]][0] if token.map else None
        elif kind == "inline" and token.map:
            in_cell = tokens[i - 1].type in ("th_open", "td_open")
            end = _inline(builder, lines, token, row_cursor if in_cell else None)
            if in_cell and end is not None:
                row_cursor = end
            builder.end_block()
        elif kind == "html_block" and token.map:
            from mtreview.loaders import html  # html.parser: only for articles with HTML blocks

            first = token.content.split("\n", 1)[0].strip()
            start, line_end = lines[token.map[0]]
            at = builder.text.find(first, start, line_end) if first else -1
            end = lines[token.map[1]][0] if token.map[1] < len(lines) else len(text)
            if quotes:
                # its lines start with ">": only its directives count
                scratch = Builder(text)
                html.scan(scratch, at if at >= 0 else start, end)
                builder.directives += scratch.directives
            else:
                html.scan(builder, at if at >= 0 else start, end)
        i += 1
    return builder.document(path)


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end without the line break) of every line, as markdown-it counts them."""
    out = []
    for m in LINE_RE.finditer(text):
        out.append((m.start(1), m.end(1)))
        if not m.group(2):
            break
    return out


def _close(tokens, i: int) -> int:
    """The index of the token closing ``tokens[i]``."""
    level = tokens[i].level
    closing = tokens[i].type.replace("_open", "_close")
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == closing and tokens[j].level == level:
            return j
    return len(tokens)


def _is_embed(tokens, i: int) -> bool:
    content = "\n".join(t.content for t in tokens[i : _close(tokens, i)] if t.type == "inline")
    return _EMBED_RE.search(content) is not None


# -- one inline token ------------------------------------------------------------------------
class _Lost(Exception):
    """The replay of an inline token's children no longer matches its content."""


def _inline(builder: Builder, lines, token, row_cursor: int | None) -> int | None:
    """Add the prose of one inline token; for a table cell, where its source ends."""
    content = token.content
    if not content:
        return row_cursor
    aligned = _align(builder.text, lines, token.map[0], token.map[1], content, row_cursor)
    if aligned is None:
        return row_cursor
    pieces, end_of_source = aligned
    ends = [piece[1] for piece in pieces]
    walk = _Walk(content)
    try:
        walk.children(token.children or [], prose=True)
    except _Lost:
        return row_cursor
    for start, end in walk.prose:
        for src_start, src_end in _mapped(pieces, ends, start, end):
            builder.add(src_start, src_end)
    for start, end in walk.comments:
        spans = _mapped(pieces, ends, start, end)
        directive = parse(content[start + 4 : end - 3], spans[0][0], spans[-1][1]) if spans else None
        if directive is not None:
            builder.directives.append(directive)
    return end_of_source


def _align(text: str, lines, first: int, last: int, content: str, cursor: int | None):
    """Where ``content`` is in ``text``: pieces ``(content start, content end, text start)``
    in order, and where the content ends in ``text``; None when it is not found in its lines.
    Each content line is its source line, minus the block's markers and indentation in front
    (and, for the last, the white space and closing ``#``s after); a table cell (``cursor``
    given: where the row's previous cell ended) is found forward from ``cursor``, its ``\\|``
    written ``|`` in ``content``."""
    pieces = []
    pos = after = 0
    for j, cline in enumerate(content.split("\n")):
        if first + j >= min(last, len(lines)):
            return None
        line_start, line_end = lines[first + j]
        stripped = cline.lstrip(" \t")
        lead = pos + len(cline) - len(stripped)
        if cursor is None:
            at = text.rfind(stripped, line_start, line_end)
            if at < 0:
                return None
            pieces.append((lead, lead + len(stripped), at))
            after = at + len(stripped)
        else:
            pattern = "".join(r"\\?\|" if c == "|" else re.escape(c) for c in stripped)
            m = re.compile(pattern).search(text, max(cursor, line_start), line_end)
            if m is None:
                return None
            # each backslash before a "|" in the source starts a new piece
            piece_start, piece_src, src = lead, m.start(), m.start()
            for k, c in enumerate(stripped):
                if c == "|" and text[src] == "\\":
                    pieces.append((piece_start, lead + k, piece_src))
                    src += 1
                    piece_start, piece_src = lead + k, src
                src += 1
            pieces.append((piece_start, lead + len(stripped), piece_src))
            after = m.end()
        pos += len(cline) + 1
    return pieces, after


def _mapped(pieces, ends: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of ``text`` that ``content[start:end]`` is (``ends``: each piece's end)."""
    out = []
    for i in range(bisect_right(ends, start), len(pieces)):
        c_start, c_end, t_start = pieces[i]
        if c_start >= end:
            break
        a, b = max(start, c_start), min(end, c_end)
        if a < b:
            out.append((t_start + a - c_start, t_start + b - c_start))
    return out


class _Walk:
    """Replays inline children over their content: where each text run is (``prose``) and
    where each HTML comment is (``comments``), as offsets into the content."""

    def __init__(self, content: str):
        self.content = content
        self.pos = 0
        self.prose: list[tuple[int, int]] = []
        self.comments: list[tuple[int, int]] = []

    def expect(self, s: str) -> int:
        """Where ``s`` starts: at the cursor, or after white space markdown-it dropped."""
        content, pos = self.content, self.pos
        while not content.startswith(s, pos):
            if pos < len(content) and content[pos] in " \t\n":
                pos += 1
            else:
                raise _Lost(s)
        return pos

    def take(self, s: str) -> int:
        start = self.expect(s)
        self.pos = start + len(s)
        return start

    def children(self, tokens, prose: bool) -> None:
        i = 0
        while i < len(tokens):
            t = tokens[i]
            kind = t.type
            if kind == "text":
                if t.content:
                    start = self.take(t.content)
                    if prose:
                        self.prose.append((start, self.pos))
            elif kind == "text_special":
                self.take(t.markup)
            elif kind in ("softbreak", "hardbreak"):
                newline = self.content.find("\n", self.pos)
                if newline < 0:
                    raise _Lost("line break")
                self.pos = newline + 1
            elif kind == "code_inline":
                start = self.take(t.markup)
                close = compile_pattern(r"(?<!`)" + t.markup + r"(?!`)").search(self.content, self.pos)
                if close is None:
                    raise _Lost("code")
                self.pos = close.end()
            elif kind == "html_inline":
                start = self.take(t.content)
                if t.content.startswith("<!--"):
                    self.comments.append((start, self.pos))
            elif kind in _MARKUP:
                self.take(t.markup)
            elif kind == "link_open" and t.markup == "autolink":
                start = self.take("<")
                closer = self.content.find(">", self.pos)
                if closer < 0:
                    raise _Lost("autolink")
                self.pos = closer + 1
                while i < len(tokens) and tokens[i].type != "link_close":
                    i += 1
            elif kind == "link_open":
                self.take("[")
            elif kind == "link_close":
                self.link_tail()
            elif kind == "image":
                self.take("![")
                self.children(t.children or [], prose=False)  # alt text: not prose
                self.link_tail()
            i += 1

    def link_tail(self) -> None:
        """Past ``](target "title")``, ``][label]`` or ``]``, as markdown-it's link rule reads them."""
        from markdown_it.helpers import parseLinkDestination, parseLinkTitle

        content = self.content
        end = len(content)
        pos = self.take("]") + 1
        if pos < end and content[pos] == "(":
            p = _skip_space(content, pos + 1)
            result = parseLinkDestination(content, p, end)
            if result.ok:
                p = result.pos
                start = p
                p = _skip_space(content, p)
                title = parseLinkTitle(content, p, end)
                if p < end and start != p and title.ok:
                    p = _skip_space(content, title.pos)
            if p < end and content[p] == ")":
                self.pos = p + 1
                return
        if pos < end and content[pos] == "[":
            m = compile_pattern(r"(?:[^\]\\]|\\.)*\]", re.DOTALL).match(content, pos + 1)
            if m is not None:
                self.pos = m.end()
                return
        self.pos = pos


def _skip_space(content: str, pos: int) -> int:
    while pos < len(content) and content[pos] in " \t\n":
        pos += 1
    return pos
