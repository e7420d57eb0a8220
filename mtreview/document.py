"""The Document: decoded text, its prose regions, paragraphs, sentences and words, all by offset.

Offsets are Python string indices into the decoded original (BOM removed, line endings
kept as they are), so every finding points at exact characters of the input file.
Loaders for other formats (Markdown, HTML) hand in their own prose ``regions``; plain
text is one region covering everything. Loaders also hand in what else they found: the
``blocks`` of a marked-up file (its paragraphs, which findings must not run across) and the
suppression ``directives`` in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import NamedTuple

from mtreview.diskcache import compile_pattern
from mtreview.textpatterns import LINE_BREAK_RE

_SIMPLE_WORD_RE = compile_pattern(r"\w+(?:[-'’]\w+)*")
_LONE_CR_RE = compile_pattern(r"\r(?!\n)")
_PARAGRAPH_BREAK_RE = compile_pattern(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t\f\v]*(?:\r\n|\r(?!\n)|\n))+")
# The same for text without carriage returns; a literal first character scans much faster.
_LF_PARAGRAPH_BREAK_RE = compile_pattern(r"\n(?:[ \t\f\v]*\n)+")
# A sentence ends at . ! ? or … (plus closing quotes/brackets) before white space and a
# capital, digit or opening quote (a backtick too, `so', and a quotation mark spaced off
# its sentence, " So, as machine-translated and older copy has them). Lower case after a
# period is *not* a boundary: that is exactly the stray-period fragment the checks look for.
#
# The pattern takes the final punctuation itself rather than looking behind for it (a
# pattern that starts with a look-behind is tried at every position); only the end counts.
_SENTENCE_END_RE = compile_pattern(
    r"[.!?…][\"'”’»)\]]*(?=\s+(?:[\"“«]\s)?[\"'“‘«(\[`]*[A-Z0-9À-ÖØ-Þ])"
)
_ABBREV_BEFORE_RE = compile_pattern(
    r"(?:\b(?:[A-Za-z]\.){2,}|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev|St|Sr|Jr|"
    r"Inc|Ltd|Co|Corp|No|Nos|vs|etc|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|"
    r"[A-Z])\.)$"
)
_HEADING_MAX_WORDS = 14
_TERMINAL_PUNCT = ".!?:;,…"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    start: int
    end: int
    heading: bool


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index into Document.paragraphs


@dataclass(frozen=True)
class Directive:
    """A suppression directive in the text (``mtreview/suppress.py`` reads and applies them)."""

    kind: str  # disable | enable | disable-next-line
    rules: tuple[str, ...]  # () = every rule
    start: int  # the directive itself (comment or line) in the text
    end: int


_NON_ASCII_SEPARATOR_RE = compile_pattern(r"[^\x00-\x7f](?<!\w)")
_ASCII_CHUNK = 4096


def non_ascii_separator_ends(text: str) -> list[int]:
    """Offsets just after each non-ASCII non-word character of ``text``."""
    if text.isascii():
        return []
    out: list[int] = []
    finditer = _NON_ASCII_SEPARATOR_RE.finditer
    for start in range(0, len(text), _ASCII_CHUNK):
        # A slice knows at once whether it is all ASCII; most chunks of English text are.
        if not text[start : start + _ASCII_CHUNK].isascii():
            out.extend(m.end() for m in finditer(text, start, start + _ASCII_CHUNK))
    return out


def lower_same_length(text: str) -> str:
    """``text.lower()``, except that characters whose lower form is longer stay as they are."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def crosses_paragraphs(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds a paragraph break (a blank line)."""
    if text.find("\n", start, end) == -1 and text.find("\r", start, end) == -1:
        return False
    return _PARAGRAPH_BREAK_RE.search(text, start, end) is not None


# A credit or byline is a short unpunctuated line too, but not a heading
_CREDIT_RE = re.compile(r"(?:With|By|From|Reporting|Additional reporting|Edited|Writing|Photo|Photos|Source|Sources|Credit)\b")


def is_heading(text: str) -> bool:
    """A plain-text heading: one short line, no final punctuation, starting with a capital,
    and not a credit line ("With AFP and Reuters", "By Jane Doe")."""
    if "\n" in text or "\r" in text or _CREDIT_RE.match(text):
        return False
    stripped = text.rstrip("”’\"' ")
    if not stripped or stripped[-1] in _TERMINAL_PUNCT:
        return False
    first = text.lstrip("“‘\"'(#")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    return len(text.split()) <= _HEADING_MAX_WORDS


class Link(NamedTuple):
    """Target sentences ``target`` translate source sentences ``source`` (spans into the
    target's and the source's text; an empty span is where the missing side would be)."""

    target: Span
    source: Span


class Pairing:
    """The source of a translation: the source Document, where it came from, its language,
    the links between the two texts' sentences, in order, covering both (a link with an
    empty source side: an addition; an empty target side: an omission), and the ratio of
    target to source characters over the whole document."""

    def __init__(self, doc: Document, path: str, lang: str | None, links: Sequence[Link], ratio: float):
        self.doc = doc
        self.path = path
        self.lang = lang
        self.links = tuple(links)
        self.ratio = ratio
        self._ends = [link.target.end for link in self.links]

    def link_at(self, offset: int) -> Link | None:
        """The link whose target sentences hold ``offset`` (at an omission's empty target
        span: the omission); None where no sentence is."""
        i = bisect_right(self._ends, offset)
        for link in self.links[max(0, i - 1) : i + 2]:
            if link.target.start <= offset < link.target.end or link.target.start == link.target.end == offset:
                return link
        return None


class Run:
    """What the documents checked together in one review share: the documents, in order (a
    document-wide check may weigh one against the others: a term translated one way in one
    file and another way in the next), and the run's glossary (a
    ``mtreview.bilingual.glossary.Glossary``; None without one)."""

    def __init__(self, documents: Sequence[Document] = (), glossary: object = None):
        self.documents = tuple(documents)
        self.glossary = glossary


class Document:
    """Decoded text plus lazily computed structure.

    ``regions``: the prose, in order (default: all of the text). ``blocks``: for a marked-up
    file, its blocks (paragraphs, headings, list items, cells…), which no finding may run
    across; None for plain text. ``directives``: the suppression directives, in order.
    ``source``: for a translation reviewed against its source, the source and the alignment
    of their sentences (``Pairing``, made by ``mtreview.bilingual.pairing.pair``), set once
    when the document is read; None otherwise. ``run``: the review it is checked in (``Run``:
    the documents checked with it, the glossary), set by the review; None for a document
    checked on its own."""

    blocks: list[Span] | None = None
    source: Pairing | None = None
    run: Run | None = None

    def __init__(self, text: str, path: str = "<text>", regions: list[Span] | None = None,
                 directives: list[Directive] | tuple[Directive, ...] = ()):
        self.text = text
        self.path = path
        self.regions = regions if regions is not None else [Span(0, len(text))]
        self.directives = list(directives)

    def part(self, start: int, end: int) -> Document:
        """The stretch ``start:end`` as a document of its own (offsets from ``start``), with
        the prose regions that fall in it."""
        regions = [
            Span(max(r.start, start) - start, min(r.end, end) - start)
            for r in self.regions
            if r.start < end and r.end > start
        ]
        return Document(self.text[start:end], self.path, regions)

    def sentence_pairs(self) -> Iterator[tuple[Link, str, str]]:
        """For a translation with its source: each link with a sentence on both sides, with
        the two texts (prose only: markup blanked, ``scan_text``); nothing without a source."""
        if self.source is None:
            return
        theirs = self.source.doc.scan_text
        for link in self.source.links:
            t, s = link.target, link.source
            if t.end > t.start and s.end > s.start:
                yield link, self.scan_text[t.start : t.end], theirs[s.start : s.end]

    # -- what checks scan --------------------------------------------------------------
    @cached_property
    def line_text(self) -> str:
        """The text with each lone carriage return (an old Mac line end) read as a line feed:
        the same length and offsets, so that ``^``, ``$``, ``(?<=\\n)`` and ``[^\\n]`` in
        patterns and checks see the lines of a CR-only file as they see those of any other.
        (A CRLF keeps its CR: ``crlf_line_ends`` lets a pattern's ``$`` stop before it.)"""
        text = self.text
        return _LONE_CR_RE.sub("\n", text) if "\r" in text else text

    @cached_property
    def cr_only(self) -> bool:
        """Whether the text's lines end in lone CRs only (no line feed anywhere): in what was
        scanned (``line_text``) every line feed is one of its CRs."""
        return self.line_text is not self.text and "\n" not in self.text

    @cached_property
    def scan_text(self) -> str:
        """The text with everything outside prose regions blanked to spaces (same length), and
        lone CRs read as line feeds (``line_text``)."""
        text = self.line_text
        if len(self.regions) == 1 and self.regions[0].start == 0 and self.regions[0].end == len(text):
            return text
        out = []
        pos = 0
        for region in self.regions:
            out.append(_blank(text[pos : region.start]))
            out.append(text[region.start : region.end])
            pos = region.end
        out.append(_blank(text[pos:]))
        return "".join(out)

    @cached_property
    def scan_lowered(self) -> str:
        """``scan_text`` lower-cased, keeping its length (characters whose lower form is longer stay)."""
        return lower_same_length(self.scan_text)

    @cached_property
    def padded_scan(self) -> str:
        """``" " + scan_text``: what matchers that need a character before every position scan."""
        return " " + self.scan_text

    @cached_property
    def padded_lowered(self) -> str:
        """``" " + scan_lowered``."""
        return " " + self.scan_lowered

    @cached_property
    def after_non_ascii_separators(self) -> list[int]:
        """Offsets just after a non-ASCII character that is not a word character (in
        ``scan_text``; the same in ``scan_lowered``). Word-start scans find the offsets after
        ASCII separators with the regex engine's fast first-character scan; these few they
        take from here instead of scanning the whole text once more each."""
        return non_ascii_separator_ends(self.scan_text)

    # -- structure ---------------------------------------------------------------------
    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        text = self.text
        out: list[Paragraph] = []
        breaks = _PARAGRAPH_BREAK_RE if "\r" in text else _LF_PARAGRAPH_BREAK_RE
        for region in self.regions:
            pos = region.start
            for m in breaks.finditer(text, region.start, region.end):
                self._add_paragraph(out, pos, m.start())
                pos = m.end()
            self._add_paragraph(out, pos, region.end)
        if len(out) > 1 and out[-1].heading:  # a heading comes before what it heads, never last
            out[-1] = Paragraph(out[-1].start, out[-1].end, False)
        return out

    def in_heading(self, offset: int) -> bool:
        """Whether ``offset`` lies in a heading (a title, a headline)."""
        paragraphs = self.paragraphs
        i = bisect_right(self._paragraph_starts, offset) - 1
        return i >= 0 and paragraphs[i].heading and offset < paragraphs[i].end

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def _add_paragraph(self, out: list[Paragraph], start: int, end: int) -> None:
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append(Paragraph(start, end, is_heading(text[start:end])))

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences of every paragraph; a heading is one sentence."""
        text = self.text
        out: list[Sentence] = []
        for index, para in enumerate(self.paragraphs):
            pos = para.start
            if not para.heading:
                for m in _SENTENCE_END_RE.finditer(text, para.start, para.end):
                    end = m.end()
                    # Only a period can end an abbreviation, and only after one of the
                    # listed words or a single letter (checked cheaply first).
                    dot = m.start()
                    if (
                        text[dot] == "."
                        and (text[dot - 2 : dot] in _ABBREVIATION_TAILS or text[dot - 2 : dot - 1] not in _ASCII_LETTER_SET)
                        and _may_be_abbreviation(text, dot)
                        and _ABBREV_BEFORE_RE.search(text, max(para.start, end - 12), _strip_closers(text, pos, end))
                    ):
                        continue
                    out.append(_sentence(pos, end, index))
                    pos = end
                    while pos < para.end and text[pos].isspace():
                        pos += 1
            if pos < para.end:
                out.append(_sentence(pos, para.end, index))
        return out

    def words(self, start: int = 0, end: int | None = None) -> list[Span]:
        """Words (with inner hyphens and apostrophes) between two offsets."""
        end = len(self.text) if end is None else end
        return [Span(m.start(), m.end()) for m in _SIMPLE_WORD_RE.finditer(self.text, start, end)]

    def word_count(self, start: int = 0, end: int | None = None) -> int:
        if start == 0 and end is None:
            return self._words
        return count_words(self.text[start:end])

    @cached_property
    def _words(self) -> int:
        return count_words(self.text)

    # -- positions ---------------------------------------------------------------------
    @cached_property
    def _line_starts(self) -> list[int]:
        text = self.text
        if "\r" in text:
            return [0] + [m.end() for m in LINE_BREAK_RE.finditer(text)]
        # Each line starts one past the end of the one before.
        lines = text.split("\n")
        lines.pop()
        return list(accumulate(map((1).__add__, map(len, lines)), initial=0))

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column (in characters) of an offset."""
        starts = self._line_starts
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def in_prose(self, start: int, end: int) -> bool:
        return any(r.start <= start and end <= r.end for r in self.regions)


# -- counting words ----------------------------------------------------------------------------
# ``count_words`` gives ``len(_SIMPLE_WORD_RE.findall(text))`` without a match per word: a
# word is a run of word characters, joined to the next run by one hyphen or apostrophe
# between them, so the count is the runs minus the joins. Each character is mapped to a
# class byte (a: word character, -: joiner, space: anything else) and both are counted with
# bytes methods. In text with non-ASCII characters the curly apostrophe (a joiner) becomes
# "'" and every other non-ASCII character that is no word character becomes a space; the
# bytes of those that are all map to "a".
_CLASS_TABLE = bytes(
    ord("a") if chr(b).isalnum() or b == ord("_") else ord("-") if chr(b) in "-'" else ord(" ") if b < 128
    else ord("a")
    for b in range(256)
)
_NON_ASCII_NON_WORD_RE = compile_pattern(r"[^\x00-\x7f](?<!\w)")


def count_words(text: str) -> int:
    """The number of words (``_SIMPLE_WORD_RE`` matches) in ``text``."""
    if not text.isascii():
        text = _NON_ASCII_NON_WORD_RE.sub(" ", text.replace("’", "'"))
    classes = text.encode("utf-8", "surrogatepass").translate(_CLASS_TABLE)
    starts = classes.count(b" a") + classes.count(b"-a") + classes.startswith(b"a")
    joins = classes.replace(b"a-", b"aJ").count(b"Ja")
    return starts - joins


_ASCII_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
# The words _ABBREV_BEFORE_RE knows (it also takes single letters).
_ABBREVIATION_WORDS = frozenset(
    "Mr Mrs Ms Dr Prof Gen Col Lt Sgt Capt Gov Sen Rep Rev St Sr Jr Inc Ltd Co Corp No Nos vs etc approx "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)


# The two characters before a period that can end a listed word; a period after anything
# else needs a look only when one letter stands before it (after a non-letter).
_ABBREVIATION_TAILS = frozenset(w[-2:] for w in _ABBREVIATION_WORDS)
_ASCII_LETTER_SET = frozenset(_ASCII_LETTERS)


def _may_be_abbreviation(text: str, dot: int) -> bool:
    """False when ``_ABBREV_BEFORE_RE`` cannot match before the period at ``dot``: the run of
    ASCII letters before it is empty, longer than any listed word, or not a listed word and
    not a single letter."""
    tail = text[max(0, dot - 7) : dot]
    run = len(tail) - len(tail.rstrip(_ASCII_LETTERS))
    if run == 1:
        return True
    if run == 0 or run == 7:
        return False
    return tail[-run:] in _ABBREVIATION_WORDS


# Sentences are made by the tens of thousands: set the slots directly through their member
# descriptors (a frozen dataclass's __init__ goes through object.__setattr__ for each field).
# They are read from the class's namespace: mypy takes ``Sentence.start`` for the field's int.
_new_sentence = object.__new__
_set_start = vars(Sentence)["start"].__set__
_set_end = vars(Sentence)["end"].__set__
_set_paragraph = vars(Sentence)["paragraph"].__set__


def _sentence(start: int, end: int, paragraph: int) -> Sentence:
    sentence = _new_sentence(Sentence)
    _set_start(sentence, start)
    _set_end(sentence, end)
    _set_paragraph(sentence, paragraph)
    return sentence


def _blank(chunk: str) -> str:
    """Spaces for everything but line breaks, so line:column stays right."""
    return re.sub(r"[^\r\n]", " ", chunk)


def _strip_closers(text: str, start: int, end: int) -> int:
    """End offset of a sentence without its closing quotes/brackets (where the period is)."""
    while end > start and text[end - 1] in "\"'”’»)]":
        end -= 1
    return end
