"""The Document of a marked-up file (Markdown, HTML): prose regions that are pieces of blocks.

A loader records each run of prose (``add``) and where each block ends (``end_block``):
a paragraph, heading, list item, table cell or attribute value. Regions are what the checks
see (everything else is blanked in ``scan_text``); blocks are the paragraphs, read in
``scan_text``, so inline markup (``**``, a link's ``(url)``) neither splits a sentence nor
joins one, and two list items or cells never make one sentence. The lifecycle keeps findings
to what they may touch (``mtreview.settle.confine``): none runs from one block into the
next, and none whose span covers markup offers an edit (it would rewrite the markup).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property

from mtreview.diskcache import compile_pattern
from mtreview.document import Directive, Document, Paragraph, Sentence, Span, count_words

# A bare URL is not prose; the links an embedded post leaves behind are (embed.pic-link).
_URL_RE = compile_pattern(r"(?<![\w@/.-])(?:[a-zA-Z][a-zA-Z0-9+.-]*://|www\.)[^\s<>\"'`]+")
_URL_TRAILERS = ".,;:!?)]}'\"»”’*_"
_LEFTOVER_RE = compile_pattern(r"(?:https?://)?(?:t\.co|pic\.twitter\.com)/")


class MarkupDocument(Document):
    """A Document whose paragraphs are its blocks (``Span``s, in order, not overlapping)."""

    def __init__(self, text: str, path: str, regions: list[Span], blocks: list[Span],
                 directives: list[Directive] | tuple[Directive, ...] = ()):
        super().__init__(text, path, regions, directives)
        self.blocks: list[Span] = blocks

    @cached_property
    def scan_text(self) -> str:
        """Markup blanked, and the markup around a block on its lines (``# ``, ``- ``, ``> ``,
        ``*``, a cell's ``|``) made line breaks: a block is a line of its own for the checks
        (``^`` and ``$`` in a pattern) and a paragraph apart from its neighbours (no match
        runs from one into the next)."""
        # mypy types a cached_property like a property: on the class, it is the descriptor
        blanked = Document.scan_text.func(self)  # type: ignore[attr-defined]
        starts = [r.start for r in self.regions]
        ends = [r.end for r in self.regions]
        breaks = []
        for block in self.blocks:
            k = bisect_right(ends, block.start) - 1
            since = ends[k] if k >= 0 else 0
            start = max(since, blanked.rfind("\n", since, block.start) + 1, blanked.rfind("\r", since, block.start) + 1)
            k = bisect_left(starts, block.end)
            until = starts[k] if k < len(starts) else len(blanked)
            breaks_after = (blanked.find("\n", block.end, until), blanked.find("\r", block.end, until))
            end = min([until] + [i for i in breaks_after if i >= 0])
            breaks += [(start, block.start), (block.end, end)]
        pieces, pos = [], 0
        for start, end in sorted(breaks):
            if start < end and start >= pos:
                pieces += [blanked[pos:start], "\n" * (end - start)]
                pos = end
        return "".join(pieces) + blanked[pos:] if pieces else blanked

    @cached_property
    def _structure(self) -> Document:
        # ``scan_text`` has the text's length, so its paragraphs and sentences are the text's
        return Document(self.scan_text, self.path, self.blocks)

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        return self._structure.paragraphs

    @cached_property
    def sentences(self) -> list[Sentence]:
        return self._structure.sentences

    def words(self, start: int = 0, end: int | None = None) -> list[Span]:
        return self._structure.words(start, end)

    def word_count(self, start: int = 0, end: int | None = None) -> int:
        return count_words(self.scan_text[start:end])

    def part(self, start: int, end: int) -> MarkupDocument:
        def clip(spans: list[Span]) -> list[Span]:
            return [Span(max(s.start, start) - start, min(s.end, end) - start) for s in spans
                    if s.start < end and s.end > start]

        return MarkupDocument(self.text[start:end], self.path, clip(self.regions), clip(self.blocks))


class Builder:
    """Collects prose regions, blocks and suppression directives while a loader walks a file."""

    def __init__(self, text: str):
        self.text = text
        self.regions: list[Span] = []
        self.blocks: list[Span] = []
        self.directives: list[Directive] = []
        self._open: int | None = None  # the first region of the block being built

    def add(self, start: int, end: int) -> None:
        """``text[start:end]`` is prose, except the bare URLs in it (white space alone is
        not worth a region)."""
        text = self.text
        if "://" in text[start:end] or "www." in text[start:end]:
            for m in _URL_RE.finditer(text, start, end):
                url_end = m.start() + len(m.group().rstrip(_URL_TRAILERS))
                if not _LEFTOVER_RE.match(m.group()):
                    self.add(start, m.start())
                    start = url_end
        if start < end and not text[start:end].isspace():
            if self._open is None:
                self._open = len(self.regions)
            self.regions.append(Span(start, end))

    def end_block(self) -> None:
        """The prose added since the last call is one block."""
        if self._open is not None:
            first = self.regions[self._open]
            self.blocks.append(Span(first.start, max(r.end for r in self.regions[self._open :])))
            self._open = None

    def document(self, path: str) -> MarkupDocument:
        self.end_block()
        return MarkupDocument(self.text, path, _merged(self.regions), _merged(self.blocks),
                              sorted(self.directives, key=lambda d: d.start))


def _merged(spans: list[Span]) -> list[Span]:
    """Sorted, with overlapping or touching spans joined (what ``scan_text`` needs)."""
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return out
