"""Bilingual files (XLIFF, TMX, two-column TSV/CSV): what their loaders share.

A bilingual file is read into two Documents over the same text, the file as decoded: the
target (English) segments are the prose of one, the source segments the prose of the other,
each segment a block of its own. The target Document is the one checked; the source one is
its ``source``, paired segment by segment (``mtreview.bilingual.pairing.pair``), so every
finding, and every aligned source sentence, is characters of the file. The XML formats are
read through ``read_xml``: expat's events at exact offsets, with no DTD read and no entity
declared.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import zip_longest
from types import MappingProxyType
from typing import NamedTuple
from xml.parsers import expat

from mtreview.bilingual.pairing import language, pair
from mtreview.diskcache import compile_pattern
from mtreview.document import Directive, Document
from mtreview.errors import MtreviewError
from mtreview.loaders.html import add_without_entities
from mtreview.loaders.markup import Builder
from mtreview.model import SOURCE_LANGUAGES
from mtreview.suppress import parse
from mtreview.textpatterns import LINE_BREAK_RE

_LANGUAGE_TAG_RE = compile_pattern(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"


class Piece(NamedTuple):
    """A stretch of a segment's text in the file; ``literal``: it holds no entity or
    character reference to leave out (CDATA, a CSV field)."""

    start: int
    end: int
    literal: bool = False


@dataclass
class Unit:
    """One segment of a bilingual file: where it starts (for messages) and the pieces of its
    source and its target text, markup left out."""

    at: int
    source: list[Piece] = field(default_factory=list)
    target: list[Piece] = field(default_factory=list)


def language_code(tag: str | None) -> str | None:
    """A language tag (``es-ES``, ``pt_BR``) as one of mtreview's source languages, or None."""
    m = _LANGUAGE_TAG_RE.fullmatch(tag.strip()) if tag else None
    lang = m.group(1).lower() if m else None
    return lang if lang in SOURCE_LANGUAGES else None


def is_english(tag: str) -> bool:
    m = _LANGUAGE_TAG_RE.fullmatch(tag.strip())
    return m is not None and m.group(1).lower() == "en"


def line_at(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` (CR, LF and CRLF end lines, as in findings)."""
    return sum(1 for _ in LINE_BREAK_RE.finditer(text, 0, offset)) + 1


def not_empty(text: str, path: str, expected: str) -> None:
    """A file with nothing but white space is an error."""
    if not text.strip():
        raise MtreviewError(f"{path}:1: empty file; expected {expected}")


def has_text(text: str, pieces: list[Piece]) -> bool:
    return any(not text[p.start : p.end].isspace() for p in pieces if p.end > p.start)


def document(text: str, path: str, units: list[Unit], declared: str | None, options,
             directives: Iterable[Directive] = ()) -> Document:
    """The target Document of a bilingual file read into ``units``, paired with its source
    Document (``declared``: the source language the file names, as ``language_code`` gives it)."""
    target, source = Builder(text), Builder(text)
    target.directives.extend(directives)
    for unit in units:
        for builder, pieces in ((target, unit.target), (source, unit.source)):
            for piece in pieces:
                if piece.literal:
                    builder.add(piece.start, piece.end)
                else:
                    add_without_entities(builder, piece.start, piece.end)
            builder.end_block()
    doc, source_doc = target.document(path), source.document(path)
    if not doc.paragraphs and not source_doc.paragraphs:
        raise MtreviewError(f"{path}:1: no segment with text; export the file again with its segments")
    lang = language(options.source_lang, declared, source_doc)
    doc.source = pair(doc, source_doc, path, lang, paragraphs=paired_paragraphs(units, doc, source_doc))
    return doc


def paired_paragraphs(units: list[Unit], doc: Document, source_doc: Document) -> list[tuple[int | None, int | None]]:
    """(target paragraph, source paragraph) of each unit, in order; None on a side without
    text. Paragraphs are numbered over the blocks with prose, and a segment with a blank line
    in it is two: they are found by position, and a unit's several are paired in order."""
    t_starts = [p.start for p in doc.paragraphs]
    s_starts = [p.start for p in source_doc.paragraphs]
    out: list[tuple[int | None, int | None]] = []
    for unit in units:
        out += zip_longest(_inside(t_starts, unit.target), _inside(s_starts, unit.source))
    return out


def _inside(starts: list[int], pieces: list[Piece]) -> range:
    """The indices of the paragraphs (by their ``starts``) that start among ``pieces``."""
    if not pieces:
        return range(0)
    return range(bisect_left(starts, pieces[0].start), bisect_left(starts, pieces[-1].end))


# -- XML ---------------------------------------------------------------------------------------
class Event(NamedTuple):
    """What the XML reader reports, at offsets into the text: an element's ``start`` (with
    its attributes) or ``end``, a stretch of ``text`` (``end``: where it stops; ``literal``
    in CDATA), or a ``directive`` (an mtreview comment)."""

    kind: str
    start: int
    end: int = 0
    name: str = ""
    attrs: Mapping[str, str] = MappingProxyType({})
    literal: bool = False
    directive: Directive | None = None


class Side(NamedTuple):
    """A side of an XML unit: its label (what ``segments``' ``side`` named it: ``source``,
    ``target``, a language), where its element starts, and its text."""

    label: str
    at: int
    pieces: list[Piece]


@dataclass
class Segment:
    """An XML unit: its element's start tag, the elements it is in, and its sides."""

    element: Event
    ancestors: list[Event]
    sides: list[Side] = field(default_factory=list)

    def excluded(self) -> bool:
        """Whether it is marked not to be translated (``translate="no"``, also inherited)."""
        return any(e.attrs.get("translate") == "no" for e in [*self.ancestors, self.element])

    def side(self, label: str) -> Side | None:
        return next((s for s in self.sides if s.label == label), None)


def segments(events: list[Event], unit: str, side: Callable[[list[Event]], str | None],
             codes: frozenset[str]) -> Iterator[Segment]:
    """The elements named ``unit``, in order, each with its sides: ``side(open)`` labels the
    element just opened inside a unit (``open``: the open elements from the unit's down),
    or says it is none. The text of a side is its pieces, except inside a ``codes`` element
    (native code, such as XLIFF's ``<bpt>``: not text to translate)."""
    stack: list[Event] = []
    current: Segment | None = None
    depth = 0  # of the unit element in the stack
    inside: Side | None = None  # the side being read
    side_depth = codes_open = 0
    for e in events:
        if e.kind == "start":
            stack.append(e)
            if current is None:
                if e.name == unit:
                    current, depth = Segment(e, stack[:-1]), len(stack)
            elif inside is None:
                label = side(stack[depth - 1 :])
                if label is not None:
                    inside, side_depth = Side(label, e.start, []), len(stack)
                    current.sides.append(inside)
            elif e.name in codes:
                codes_open += 1
        elif e.kind == "end":
            if inside is not None and len(stack) > side_depth and stack[-1].name in codes:
                codes_open -= 1
            if len(stack) == side_depth:
                inside = None
            if current is not None and len(stack) == depth:
                yield current
                current = None
            stack.pop()
        elif e.kind == "text" and inside is not None and not codes_open:
            inside.pieces.append(Piece(e.start, e.end, e.literal))


def unit(text: str, path: str, segment: Segment, source: Side | None, target: Side | None) -> Unit:
    """The unit of ``segment``; a target with text but a source without is an error."""
    if target is not None and has_text(text, target.pieces) and (source is None or not has_text(text, source.pieces)):
        raise MtreviewError(f"{path}:{line_at(text, segment.element.start)}: a <{segment.element.name}> with a "
                            "target but no source; add its source or delete it")
    return Unit(segment.element.start, source.pieces if source else [], target.pieces if target else [])


def read_xml(text: str, path: str, namespaces: tuple[str, ...]) -> list[Event]:
    """The events of the XML ``text``; elements and attributes of the ``namespaces`` (or
    none) by their local names, others as ``{uri}name``, ``xml:lang`` as it is written."""
    return _XMLReader(text, path, namespaces).events


class _XMLReader:
    """Collects expat's events by byte index, then turns the indices into ``str`` offsets in
    one pass. A stretch of text runs from its first character event to
    the next event of any other kind: a reference is a character event of its own."""

    def __init__(self, text: str, path: str, namespaces: tuple[str, ...]):
        self.text, self.path, self.namespaces = text, path, namespaces
        self.data = text.encode("utf-8")
        # the file was decoded as UTF-8: an encoding it declares does not count
        self.parser = parser = expat.ParserCreate(encoding="UTF-8", namespace_separator="}")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.raw: list[tuple[str, int, str, dict[str, str]]] = []  # kind, byte index, element name, attributes
        self.in_cdata = False
        handlers: dict[str, Callable] = {
            "StartElementHandler": lambda name, attrs: self._note("start", name, attrs),
            "EndElementHandler": lambda name: self._note("end", name),
            "CharacterDataHandler": lambda _: self._note("cdata" if self.in_cdata else "text"),
            "StartCdataSectionHandler": lambda: self._cdata(True),
            "EndCdataSectionHandler": lambda: self._cdata(False),
            "CommentHandler": lambda _: self._note("comment"),
            "ProcessingInstructionHandler": lambda *_: self._note("other"),
            "SkippedEntityHandler": lambda *_: self._note("other"),
            "StartDoctypeDeclHandler": self._doctype,
            "EntityDeclHandler": self._entity,
        }
        for name, handler in handlers.items():
            setattr(parser, name, handler)  # expat reads its handlers as attributes
        try:
            parser.Parse(self.data, True)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) or "error"
            reason = reason.removeprefix("not well-formed (").removesuffix(")") if reason.startswith("not well") else reason
            raise MtreviewError(f"{path}:{exc.lineno}: not well-formed XML ({reason}); fix the file or export it again") from None
        self.events = self._events()

    def _note(self, kind: str, name: str = "", attrs: dict[str, str] | None = None) -> None:
        self.raw.append((kind, self.parser.CurrentByteIndex, name, attrs or {}))

    def _cdata(self, opening: bool) -> None:
        self._note("other")
        self.in_cdata = opening

    def _doctype(self, _name, _system_id, _public_id, has_internal_subset) -> None:
        # an internal subset could declare entities that expand without bound
        if has_internal_subset:
            raise MtreviewError(f"{self.path}:{self.parser.CurrentLineNumber}: a DOCTYPE with declarations "
                                "(entities are not read); export the file again without them")

    def _entity(self, *_declaration) -> None:
        raise MtreviewError(f"{self.path}:{self.parser.CurrentLineNumber}: an entity declaration "
                            "(entities are not read); export the file again without it")

    def _offsets(self) -> list[int]:
        """The ``str`` offset of each event: what lies between it and the one before, decoded."""
        data = self.data
        if len(data) == len(self.text):  # ASCII: a byte is a character
            return [index for _, index, _, _ in self.raw]
        offsets: list[int] = []
        pos = at = 0
        for _, index, _, _ in self.raw:
            if index >= pos:
                at += len(data[pos:index].decode("utf-8"))
            else:
                at -= len(data[index:pos].decode("utf-8"))
            pos = index
            offsets.append(at)
        return offsets

    def _events(self) -> list[Event]:
        text, offsets = self.text, self._offsets()
        out: list[Event] = []
        for i, (kind, _, name, attrs) in enumerate(self.raw):
            start = offsets[i]
            if kind in ("text", "cdata"):
                if i > 0 and self.raw[i - 1][0] == kind:
                    continue  # the stretch began with an earlier event
                j = i + 1
                while j < len(self.raw) and self.raw[j][0] == kind:
                    j += 1
                end = offsets[j] if j < len(offsets) else len(text)
                out.append(Event("text", start, end, literal=kind == "cdata"))
            elif kind == "start":
                out.append(Event("start", start, name=self._name(name),
                                 attrs={self._name(k, attribute=True): v for k, v in attrs.items()}))
            elif kind == "end":
                out.append(Event("end", start, name=self._name(name)))
            elif kind == "comment":
                end = text.find("-->", start + 4) + 3
                directive = parse(text[start + 4 : end - 3], start, end)
                if directive is not None:
                    out.append(Event("directive", start, end, directive=directive))
        return out

    def _name(self, name: str, attribute: bool = False) -> str:
        uri, _, local = name.rpartition("}")
        if not uri or (uri in self.namespaces and not attribute):
            return local
        return f"xml:{local}" if uri == XML_NAMESPACE else "{" + name
