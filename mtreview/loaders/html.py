"""HTML (stdlib ``html.parser``): text nodes, ``<title>`` and ``alt``/``title`` values are prose.

Not prose: tags and other attributes, comments, entity references (a region ends at each, so
no edit ever cuts one), ``<head>`` except its ``<title>``, and everything inside script,
style, code, pre, template, noscript and an embedded post (``<blockquote
class="twitter-tweet">``). Block elements (p, h1–h6, li, td, blockquote, div, br …) end a
paragraph; an ``alt`` or ``title`` value is a paragraph of its own. Positions come from the
parser's ``getpos()``, so every region is exact characters of the file.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from mtreview.diskcache import compile_pattern
from mtreview.document import Document
from mtreview.loaders.markup import Builder
from mtreview.suppress import parse

SKIP = frozenset({"script", "style", "code", "pre", "template", "noscript", "textarea", "svg", "math",
                  "iframe", "object", "kbd", "samp", "var"})
INLINE_SKIP = frozenset({"code", "kbd", "samp", "var", "textarea"})  # inside a sentence: the paragraph goes on
EMBED_CLASSES = frozenset({"twitter-tweet", "twitter-video", "instagram-media", "tiktok-embed"})
BLOCKS = frozenset("""address article aside blockquote body br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html legend li main nav ol p pre
    section summary table tbody td tfoot th thead title tr ul""".split())
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
PROSE_ATTRIBUTES = ("alt", "title")
_ATTRIBUTE_RE = compile_pattern(
    r"""[\s/]([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_TAG_NAME_RE = compile_pattern(r"<[^\s/>]+")
_ENTITY_RE = compile_pattern(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def load(text: str, path: str, options=None) -> Document:
    builder = Builder(text)
    scan(builder, 0, len(text))
    return builder.document(path)


def scan(builder: Builder, start: int, end: int) -> None:
    """Add the prose of the HTML in ``builder.text[start:end]`` to ``builder``."""
    parser = _Parser(builder, start, end)
    parser.feed(builder.text[start:end])
    parser.close()
    builder.end_block()


class _Parser(HTMLParser):
    def __init__(self, builder: Builder, start: int, end: int):
        super().__init__(convert_charrefs=False)
        self.b = builder
        self.base = start
        chunk = builder.text[start:end]
        # getpos() counts lines at "\n" only, and columns in characters
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", chunk)]
        self.skipping: list[str] = []  # open elements whose content is not prose
        self.in_head = False
        self.in_title = False

    def _at(self) -> int:
        line, column = self.getpos()
        return self.base + self.line_starts[line - 1] + column

    # -- elements ------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        self._start(tag, attrs, closed=tag in VOID)

    def handle_startendtag(self, tag, attrs):
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs, closed: bool) -> None:
        if self.skipping:
            if not closed and (tag in SKIP or tag in self.skipping):
                self.skipping.append(tag)
            return
        classes = set((dict(attrs).get("class") or "").split())
        if tag in BLOCKS or (tag in SKIP and tag not in INLINE_SKIP) or classes & EMBED_CLASSES:
            self.b.end_block()
        if tag in SKIP or (tag == "blockquote" and classes & EMBED_CLASSES):
            if not closed:
                self.skipping.append(tag)
            return
        if tag == "head":
            self.in_head = not closed
        elif tag == "title":
            self.in_title = not closed
        elif tag == "body":
            self.in_head = False
        if not self.in_head:
            self._attributes(self.get_starttag_text() or "", self._at())

    def _attributes(self, raw: str, at: int) -> None:
        """``alt`` and ``title`` values: each a paragraph of its own."""
        name = _TAG_NAME_RE.match(raw)
        for m in _ATTRIBUTE_RE.finditer(raw, name.end() if name else 0):
            if m.group(1).lower() not in PROSE_ATTRIBUTES:
                continue
            group = next((g for g in (2, 3, 4) if m.group(g) is not None), None)
            if group is None:
                continue
            self.b.end_block()
            add_without_entities(self.b, at + m.start(group), at + m.end(group))
            self.b.end_block()

    def handle_endtag(self, tag):
        if self.skipping:
            if tag in self.skipping:
                while self.skipping.pop() != tag:
                    pass
                if not self.skipping and tag not in INLINE_SKIP:
                    self.b.end_block()
            return
        if tag == "head":
            self.in_head = False
        elif tag == "title":
            self.in_title = False
        if tag in BLOCKS:
            self.b.end_block()

    # -- text ------------------------------------------------------------------------------
    def handle_data(self, data):
        if self.skipping or (self.in_head and not self.in_title):
            return
        start = self._at()
        self.b.add(start, start + len(data))

    def handle_comment(self, data):
        start = self._at()
        end = start + len("<!--") + len(data) + len("-->")
        if self.b.text.startswith("-->", end - 3):
            directive = parse(data, start, end)
            if directive is not None and not self.skipping:
                self.b.directives.append(directive)


def add_without_entities(builder: Builder, start: int, end: int) -> None:
    """Add ``text[start:end]`` as prose, leaving out its entity references."""
    pos = start
    for m in _ENTITY_RE.finditer(builder.text, start, end):
        builder.add(pos, m.start())
        pos = m.end()
    builder.add(pos, end)

