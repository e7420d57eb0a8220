"""The glossary (termbase) of a review: source terms with the English the house requires for
them, and English terms it forbids, read from a CSV or a TBX file (``--glossary``, the
config's ``glossary``), and what of it a document holds.

CSV (also semicolon- or tab-separated; UTF-8 with or without a byte-order mark, or UTF-16
with one, as spreadsheets save “Unicode text”): a header row names the columns, in any order
and case; columns it does not name are left alone.

    source     the source term (also: term, src); or a column per source language,
               named by its code (es, fr-FR, de …)
    target     the English required for it (also: english, en, en-US, translation,
               preferred); several allowed ones separated by ``|``, the preferred first
    forbidden  English not to use (also: avoid, deprecated, do not use); ``|`` between several
    note       shown with the findings (also: notes, comment, definition)
    lang       the source language of the row's ``source`` (es, fr, pt, it, de; empty: any)

Blank rows and rows whose first field starts with ``#`` are skipped. A row needs an English
side (target or forbidden), and a target needs a source or a forbidden term.

TBX (TBX v2 ``martif`` / TBX-Basic, TBX v3 ``tbx``, as CAT tools export them): each
``termEntry``/``conceptEntry`` is an entry; its ``langSet``/``langSec`` with an English
``xml:lang`` gives the English terms (``tig``, ``ntig`` or ``termSec`` with a ``term``), the
others its source terms. An English term whose status (``termNote`` or DCT element
``administrativeStatus``, ``normativeAuthorization``, ``usageStatus``; Phrase's
``forbidden``/``preferred`` notes) says deprecated, superseded, obsolete, not recommended or
forbidden is forbidden; the others are allowed, the preferred one first. The XML is read by
expat with no DTD read and no entity declared (a file that declares entities is refused).

A bad file is a one-line error naming the file and the line. A file is read once however
many reviews use it (``load``: cached by path, size and time).
"""

from __future__ import annotations

import codecs
import csv
import io
from bisect import bisect_left
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from weakref import WeakKeyDictionary
from xml.parsers import expat

from mtreview import inputfile
from mtreview.bilingual.terms import Found, TermMatcher, pattern
from mtreview.diskcache import compile_pattern
from mtreview.document import Document, Link
from mtreview.errors import MtreviewError
from mtreview.model import SOURCE_LANGUAGES


class Source(NamedTuple):
    """A source term and its language (None: any)."""

    text: str
    lang: str | None


class Entry(NamedTuple):
    """One concept: its source terms, the English allowed for it (the preferred first), the
    English forbidden for it, a note, and the line of the file that defines it."""

    sources: tuple[Source, ...]
    targets: tuple[str, ...]
    forbidden: tuple[str, ...]
    note: str = ""
    line: int = 0


class EnglishTerm(NamedTuple):
    """An English term of the glossary: the entries that allow it and those that forbid it."""

    text: str
    allowed_by: tuple[int, ...]
    forbidden_by: tuple[int, ...]


class SourceTerm(NamedTuple):
    """A source term of the glossary (one text in one language, or in any)."""

    text: str
    lang: str | None
    entries: tuple[int, ...]


class Pair(NamedTuple):
    """A target sentence (or several) and the source sentences it translates, with the
    glossary's source terms in the source side (offsets into the source's text) and its
    English terms in the target side."""

    link: Link
    sources: list[Found]
    english: list[Found]


class Reading(NamedTuple):
    """What the glossary finds in a document: its English terms in the prose, in order, and
    the sentence pairs whose source side has a source term (none without a source)."""

    english: list[Found]
    pairs: list[Pair]


class Glossary:
    """The entries of a glossary file, with the matchers of their terms (built when first
    needed: the English terms, and the source terms of each source language)."""

    def __init__(self, entries: Iterable[Entry], path: str):
        self.entries = tuple(entries)
        self.path = path
        english: dict[str, tuple[str, list[int], list[int]]] = {}  # key -> text, allowed by, forbidden by
        source: dict[tuple[str, str | None], tuple[str, list[int]]] = {}
        for i, entry in enumerate(self.entries):
            for text in entry.targets:
                english.setdefault(_key(text), (text, [], []))[1].append(i)
            for text in entry.forbidden:
                english.setdefault(_key(text), (text, [], []))[2].append(i)
            for s in entry.sources:
                source.setdefault((_key(s.text), s.lang), (s.text, []))[1].append(i)
        self.english_terms = [EnglishTerm(text, tuple(dict.fromkeys(a)), tuple(dict.fromkeys(f)))
                              for text, a, f in english.values()]
        ids = {key: i for i, key in enumerate(english)}
        #: each entry's allowed and forbidden English, as indices in ``english_terms``
        self.target_ids = [tuple(ids[_key(t)] for t in e.targets) for e in self.entries]
        self.forbidden_ids = [tuple(ids[_key(t)] for t in e.forbidden) for e in self.entries]
        self.source_terms = [SourceTerm(text, lang, tuple(dict.fromkeys(ids))) for (_, lang), (text, ids) in source.items()]
        self._english: TermMatcher | None = None
        self._sources: dict[str | None, TermMatcher] = {}
        self._readings: WeakKeyDictionary[Document, Reading] = WeakKeyDictionary()

    def preferred(self, entry: int) -> str | None:
        """The English the glossary prefers for ``entry`` (None: it names none)."""
        targets = self.entries[entry].targets
        return targets[0] if targets else None

    def english(self) -> TermMatcher:
        if self._english is None:
            self._english = TermMatcher([pattern(t.text, "en") for t in self.english_terms])
        return self._english

    def source(self, lang: str | None) -> TermMatcher:
        """The matcher of the source terms for documents in ``lang`` (its own terms and
        those of no language; in an unknown language, every term)."""
        if lang not in self._sources:
            self._sources[lang] = TermMatcher([
                pattern(t.text, t.lang or lang) if lang is None or t.lang in (None, lang) else None
                for t in self.source_terms
            ])
        return self._sources[lang]

    def read(self, doc: Document) -> Reading:
        """The glossary's terms in ``doc`` (and, when it has a source, in its sentence
        pairs); worked out once per document."""
        reading = self._readings.get(doc)
        if reading is None:
            reading = self._readings[doc] = self._read(doc)
        return reading

    def _read(self, doc: Document) -> Reading:
        english = self.english().find(doc.scan_text, lowered=doc.scan_lowered)
        pairs = []
        source = doc.source
        if source is not None:
            sources = self.source(source.lang).find(source.doc.scan_text, lowered=source.doc.scan_lowered)
            starts = [f.start for f in english]
            k = 0
            for link in source.links:
                s, t = link.source, link.target
                if s.start == s.end or t.start == t.end:
                    continue
                while k < len(sources) and sources[k].start < s.start:
                    k += 1
                j = k
                while j < len(sources) and sources[j].end <= s.end:
                    j += 1
                if j > k:
                    lo, hi = bisect_left(starts, t.start), bisect_left(starts, t.end)
                    pairs.append(Pair(link, sources[k:j], [f for f in english[lo:hi] if f.end <= t.end]))
                k = j
        return Reading(english, pairs)

    def entries_of(self, found: Found) -> tuple[int, ...]:
        """The entries of a source term found in a document."""
        return self.source_terms[found.term].entries


def _key(term: str) -> str:
    return " ".join(term.split()).casefold()


# -- reading files -----------------------------------------------------------------------------
def load(path: Path) -> Glossary:
    """The glossary in the file ``path`` (CSV or TBX, by its suffix or, for another suffix,
    its first character); read once per file version."""
    stat = inputfile.regular(path, "--glossary")
    return _load(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: str, _size: int, _mtime: int) -> Glossary:
    data = inputfile.read_bytes(path, "--glossary", inputfile.WORD_LIST)
    text = _decode(data, f"--glossary {path}")
    suffix = Path(path).suffix.lower()
    if suffix in (".tbx", ".xml") or (suffix not in (".csv", ".tsv", ".txt") and text.lstrip().startswith("<")):
        entries = read_tbx(text, path)
    else:
        entries = read_csv(text, path)
    return Glossary(entries, path)


@lru_cache(maxsize=8)
def from_csv(text: str, label: str) -> Glossary:
    """The glossary written as CSV ``text`` (a rule's example glossary); ``label`` names it
    in errors."""
    return Glossary(read_csv(text, label), label)


def _decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without a byte-order mark), or UTF-16 with one."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MtreviewError(f"{path}: invalid UTF-16 at byte offset {exc.start}; re-save the file as UTF-8") from None
    from mtreview.inputs import decode

    return decode(data, path)


# -- CSV ---------------------------------------------------------------------------------------
_SOURCE, _TARGET, _FORBIDDEN, _NOTE, _LANG = "source", "target", "forbidden", "note", "lang"
_COLUMNS = {
    _SOURCE: "source|src|term|source term|source terms|original",
    _TARGET: "target|tgt|trg|english|translation|target term|target terms|required|preferred|approved",
    _FORBIDDEN: "forbidden|avoid|do not use|don't use|deprecated|banned|rejected|wrong|forbidden terms|forbidden term",
    _NOTE: "note|notes|comment|comments|definition|context|description|remark|remarks|usage",
    _LANG: "lang|language|source lang|source language|src lang|srclang",
}
_COLUMN_OF = {name: role for role, names in _COLUMNS.items() for name in names.split("|")}
_LANGUAGE_NAMES = {
    "spanish": "es", "español": "es", "espanol": "es", "castellano": "es", "french": "fr", "français": "fr",
    "francais": "fr", "portuguese": "pt", "português": "pt", "portugues": "pt", "italian": "it", "italiano": "it",
    "german": "de", "deutsch": "de", "english": "en",
}
_TAG_RE = compile_pattern(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")
_DELIMITERS = ",;\t"


def _language(value: str) -> str | None:
    """A language code (``es``, ``es-ES``, ``pt_BR``) or English name as its primary code."""
    value = value.strip()
    name = _LANGUAGE_NAMES.get(value.lower())
    if name is not None:
        return name
    m = _TAG_RE.fullmatch(value)
    return m.group(1).lower() if m else None


def _column(header: str) -> tuple[str, str | None] | None:
    """What a header cell names: a role, and the language of a source column named by one."""
    name = " ".join(header.replace("_", " ").split()).casefold()
    if name in _COLUMN_OF:
        return _COLUMN_OF[name], None
    lang = _language(header) if len(header.strip()) <= 12 else None
    if lang == "en":
        return _TARGET, None
    if lang in SOURCE_LANGUAGES:
        return _SOURCE, lang
    return None


def _sniff(text: str, header_line: str) -> str:
    """The delimiter: csv.Sniffer's guess over the first rows, when the header it splits
    names a column; else the one that splits the header into the most known columns."""
    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(_column(c) is not None for c in cells)

    try:
        guess = csv.Sniffer().sniff(text[:16384], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        guess = ","
    if known(guess):
        return guess
    return max(_DELIMITERS, key=lambda d: (known(d), header_line.count(d)))


def _values(cell: str) -> list[str]:
    return [v.strip() for v in cell.split("|") if v.strip()]


def read_csv(text: str, path: str) -> list[Entry]:
    """The entries of a CSV glossary (see the module's docstring)."""
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if first is None:
        raise MtreviewError(f"{path}:1: empty glossary; write a header row (source,target,forbidden,note) and a row a term")
    delimiter = _sniff("\n".join(lines[first:first + 50]), lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=True)
    columns: list[tuple[str, str | None] | None] | None = None
    entries: list[Entry] = []
    line = header_at = 1
    try:
        for row in reader:
            at, line = line, reader.line_num + 1
            if not any(c.strip() for c in row) or row[0].lstrip().startswith("#"):
                continue
            if columns is None:
                columns, header_at = _header(row, path, at), at
                continue
            if len(row) > len(columns):
                raise MtreviewError(f"{path}:{at}: {len(row)} fields, but the header names {len(columns)} columns "
                                    "(quote a field that holds the delimiter)")
            entry = _row(row, columns, path, at)
            if entry is not None:
                entries.append(entry)
    except csv.Error as exc:
        raise MtreviewError(f"{path}:{line}: malformed CSV ({exc}); quote fields with \"…\" and "
                            "double a quote inside one") from None
    if not entries:
        raise MtreviewError(f"{path}:{header_at}: no terms under the header; write a row a term")
    return entries


def _header(row: list[str], path: str, at: int) -> list[tuple[str, str | None] | None]:
    columns = [_column(c) for c in row]
    roles = {c[0] for c in columns if c is not None}
    if not roles & {_TARGET, _FORBIDDEN}:
        raise MtreviewError(f"{path}:{at}: the first row must name the columns, with at least target or "
                            f"forbidden (found {', '.join(repr(c) for c in row[:4])}); e.g. source,target,forbidden,note")
    return columns


def _row(row: list[str], columns: list[tuple[str, str | None] | None], path: str, at: int) -> Entry | None:
    cells: dict[str, list[str]] = {}
    sources: list[Source] = []
    row_lang: str | None = None
    for cell, column in zip(row, columns, strict=False):
        if column is None:
            continue
        role, lang = column
        if role == _LANG and cell.strip():
            row_lang = _language(cell)
            if row_lang is None:
                raise MtreviewError(f"{path}:{at}: lang {cell.strip()!r}: write a language code "
                                    f"({', '.join(SOURCE_LANGUAGES)})")
        elif role == _SOURCE:
            sources += [Source(v, lang) for v in _values(cell)]
        else:
            values = _values(cell) if role != _NOTE else [cell.strip()]
            cells.setdefault(role, []).extend(v for v in values if v)
    if row_lang is not None:
        sources = [s if s.lang is not None else s._replace(lang=row_lang) for s in sources]
    targets, forbidden = cells.get(_TARGET, []), cells.get(_FORBIDDEN, [])
    if not sources and not targets and not forbidden:
        return None  # a row of notes only
    if not targets and not forbidden:
        raise MtreviewError(f"{path}:{at}: “{sources[0].text}” has no English; fill in target (or forbidden)")
    if not sources and not forbidden:
        raise MtreviewError(f"{path}:{at}: “{targets[0]}” translates nothing; fill in source (or forbidden)")
    _check_terms(path, at, [s.text for s in sources] + targets + forbidden)
    return Entry(tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(targets)), tuple(dict.fromkeys(forbidden)),
                 " ".join(cells.get(_NOTE, [])), at)


def _check_terms(path: str, at: int, terms: list[str]) -> None:
    for term in terms:
        if pattern(term, None) is None:
            raise MtreviewError(f"{path}:{at}: {term!r} is not a term (no letter or digit)")


# -- TBX ---------------------------------------------------------------------------------------
_ENTRY = frozenset({"termEntry", "conceptEntry"})
_LANG_SET = frozenset({"langSet", "langSec"})
_TERM_GROUP = frozenset({"tig", "ntig", "termSec"})
_STATUS_TYPES = frozenset({"administrativestatus", "normativeauthorization", "usagestatus", "status", "termstatus"})
_FORBIDDEN_WORDS = ("deprecated", "superseded", "obsolete", "forbidden", "notrecommended", "not recommended",
                    "rejected", "prohibited", "do not use")
_NOTE_TYPES = frozenset({"definition", "usagenote", "note", "explanation", "context"})


class _TBXTerm:
    __slots__ = ("lang", "line", "status", "text")

    def __init__(self, lang: str | None, line: int):
        self.lang, self.line = lang, line
        self.text: list[str] = []
        self.status = ""


class _TBXReader:
    """expat's events read into entries: a stack of element names, the entry, language and
    term being read, and the text of the element being collected."""

    def __init__(self, text: str, path: str):
        self.path = path
        self.entries: list[Entry] = []
        self.seen = 0  # entries in the file
        self.stack: list[str] = []
        self.entry_line = 0
        self.terms: list[_TBXTerm] = []
        self.notes: list[str] = []
        self.lang: str | None = None
        self.term: _TBXTerm | None = None
        self.term_depth = 0  # of the element that holds the term being read
        self.collect: list[str] | None = None  # the text of a <term>, a status or a note
        self.field: tuple[str, str] = ("", "")  # (element, its type) whose text is collected
        self.parser = parser = expat.ParserCreate(encoding="UTF-8")
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        handlers = {"StartElementHandler": self._start, "EndElementHandler": self._end,
                    "CharacterDataHandler": self._text, "StartDoctypeDeclHandler": self._doctype,
                    "EntityDeclHandler": self._entity}
        for name, handler in handlers.items():
            setattr(parser, name, handler)  # expat reads its handlers as attributes
        try:
            parser.Parse(text.encode("utf-8"), True)
        except expat.ExpatError as exc:
            reason = expat.ErrorString(exc.code) or "error"
            raise MtreviewError(f"{path}:{exc.lineno}: not well-formed XML ({reason}); fix the file or export it again") from None

    def _where(self) -> str:
        return f"{self.path}:{self.parser.CurrentLineNumber}"

    def _doctype(self, _name, _system_id, _public_id, has_internal_subset) -> None:
        if has_internal_subset:
            raise MtreviewError(f"{self._where()}: a DOCTYPE with declarations (entities are not read); "
                                "export the file again without them")

    def _entity(self, *_declaration) -> None:
        raise MtreviewError(f"{self._where()}: an entity declaration (entities are not read); "
                            "export the file again without it")

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        name = tag.rpartition(":")[2]
        if not self.stack and name not in ("martif", "tbx"):
            raise MtreviewError(f"{self._where()}: not TBX (the root element is <{tag}>, not <martif> or <tbx>); "
                                "export the termbase as TBX, or write a CSV glossary")
        self.stack.append(name)
        if name in _ENTRY:
            self.entry_line, self.terms, self.notes, self.seen = self.parser.CurrentLineNumber, [], [], self.seen + 1
        elif name in _LANG_SET:
            self.lang = attrs.get("xml:lang") or attrs.get("lang")
            if not self.lang:
                raise MtreviewError(f"{self._where()}: a <{tag}> without xml:lang; say which language its terms are in")
        elif name in _TERM_GROUP or name == "term":
            if self.term is None:  # a <tig>, <ntig> or <termSec>; or a <term> straight in a <langSet>
                self.term, self.term_depth = _TBXTerm(self.lang, self.parser.CurrentLineNumber), len(self.stack)
            if name == "term":
                self._collect("term", "")
        elif name in ("termNote", "descrip", "admin", "note") or name.casefold() in _STATUS_TYPES | _NOTE_TYPES:
            if self.collect is None:
                self._collect(name, (attrs.get("type") or name).casefold())

    def _collect(self, name: str, kind: str) -> None:
        self.collect, self.field = [], (name, kind)

    def _text(self, data: str) -> None:
        if self.collect is not None:
            self.collect.append(data)

    def _end(self, _tag: str) -> None:
        depth = len(self.stack)
        name = self.stack.pop()
        if self.collect is not None and name == self.field[0]:
            value = " ".join("".join(self.collect).split())
            kind = self.field[1]
            self.collect = None
            if name == "term" and self.term is not None:
                self.term.text.append(value)
            elif self.term is not None:
                self._status(kind, value)
            elif kind in _NOTE_TYPES and value:
                self.notes.append(value)
        if self.term is not None and depth == self.term_depth:
            self._end_term()
        elif name in _LANG_SET:
            self.lang = None
        elif name in _ENTRY:
            self._end_entry()

    def _status(self, kind: str, value: str) -> None:
        assert self.term is not None
        low = value.casefold()
        status = ""
        if kind in ("forbidden", "preferred"):
            status = kind if low in ("true", "yes", "1") else ""
        elif kind in _STATUS_TYPES:
            status = "forbidden" if any(w in low for w in _FORBIDDEN_WORDS) else "preferred" if "preferred" in low else "admitted"
        if status and (self.term.status != "forbidden"):
            self.term.status = status

    def _end_term(self) -> None:
        term, self.term = self.term, None
        assert term is not None
        text = " ".join(" ".join(term.text).split())
        if not text:
            return
        if term.lang is None:
            raise MtreviewError(f"{self.path}:{term.line}: a term outside a <langSet>; put it in one with xml:lang")
        if pattern(text, None) is None:
            raise MtreviewError(f"{self.path}:{term.line}: {text!r} is not a term (no letter or digit)")
        term.text = [text]
        self.terms.append(term)

    def _end_entry(self) -> None:
        english = [t for t in self.terms if t.lang is not None and _is_english(t.lang)]
        others = [t for t in self.terms if t not in english]
        preferred = [t.text[0] for t in english if t.status == "preferred"]
        targets = preferred + [t.text[0] for t in english if t.status in ("", "admitted")]
        forbidden = [t.text[0] for t in english if t.status == "forbidden"]
        sources = [Source(t.text[0], _language(t.lang or "")) for t in others]
        if (targets and sources) or forbidden:
            self.entries.append(Entry(tuple(dict.fromkeys(sources)), tuple(dict.fromkeys(targets)),
                                      tuple(dict.fromkeys(forbidden)), self.notes[0] if self.notes else "",
                                      self.entry_line))


def _is_english(lang: str) -> bool:
    return _language(lang) == "en"


def read_tbx(text: str, path: str) -> list[Entry]:
    """The entries of a TBX glossary (see the module's docstring)."""
    reader = _TBXReader(text, path)
    if not reader.seen:
        raise MtreviewError(f"{path}:1: no <termEntry> or <conceptEntry> in this TBX file; export the termbase again")
    if not reader.entries:
        raise MtreviewError(f"{path}:1: no entry with English terms (a <langSet xml:lang=\"en…\">) and a source "
                            "term or a forbidden one; export the termbase with English")
    return reader.entries

