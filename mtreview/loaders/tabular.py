"""Two-column TSV and CSV (``.tsv``, ``.csv``): source, target; each row is a segment, its
target field the prose, paired with its source field (``mtreview/loaders/bilingual.py``).

TSV: a row is a line (CR, LF or CRLF), fields are separated by tabs, nothing is quoted. CSV
(RFC 4180): fields separated by commas; a field in double quotes may hold commas, line breaks
and doubled quotes (``""``), and its prose leaves out the quotes and the escapes. Blank lines
are skipped; every other row has exactly two fields. The first row is a header, and skipped,
when both its fields name columns: ``COLUMN_NAMES`` (``source``, ``target`` …, any case), or
language tags whose second is English (``es,en``, ``es-ES,en-US``: the first is then the
source language); any other first row is a segment. The readers keep the offsets the
``csv`` module does not give.
"""

from __future__ import annotations

from pathlib import Path

from mtreview.diskcache import compile_pattern
from mtreview.document import Document
from mtreview.errors import MtreviewError
from mtreview.loaders.bilingual import Piece, Unit, document, has_text, is_english, language_code, line_at, not_empty

COLUMN_NAMES = frozenset({"source", "target", "src", "tgt", "trg", "original", "translation", "source text", "target text"})
_LANGUAGE_TAG_RE = compile_pattern(r"[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*")
_TSV_ROW_RE = compile_pattern(r"([^\r\n]*)(?:\r\n|\r|\n|\Z)")
_CSV_PLAIN_RE = compile_pattern(r"[^,\r\n]*")
_LINE_END_RE = compile_pattern(r"\r\n|\r|\n|\Z")

Row = tuple[int, list[list[Piece]]]  # where it starts, and the pieces of each field


def load(text: str, path: str, options) -> Document:
    not_empty(text, path, "rows of source and target")
    tsv = Path(path).suffix.lower() == ".tsv"
    rows = _tsv_rows(text) if tsv else _csv_rows(text, path)
    declared = None
    if rows and _is_header(text, rows[0]):
        declared = language_code(_field(text, rows[0][1][0]))
        rows = rows[1:]
    units = []
    for at, fields in rows:
        if len(fields) != 2:
            raise MtreviewError(f"{path}:{line_at(text, at)}: {len(fields)} field{'s' if len(fields) != 1 else ''}, "
                                f"expected 2 (source, target){'' if tsv else ' (quote a field with commas in it)'}")
        source, target = fields
        if has_text(text, target) and not has_text(text, source):
            raise MtreviewError(f"{path}:{line_at(text, at)}: a target but no source; fill in the source "
                                "or delete the row")
        units.append(Unit(at, source, target))
    return document(text, path, units, declared, options)


def _field(text: str, pieces: list[Piece]) -> str:
    return "".join(text[p.start : p.end] for p in pieces).strip()


def _is_header(text: str, row: Row) -> bool:
    """Whether the first row names the columns (the module's docstring says how)."""
    fields = [_field(text, pieces).lower() for pieces in row[1]]
    if len(fields) != 2:
        return False
    if all(f in COLUMN_NAMES for f in fields):
        return True
    return all(_LANGUAGE_TAG_RE.fullmatch(f) for f in fields) and is_english(fields[1])


def _blank(text: str, fields: list[list[Piece]]) -> bool:
    return len(fields) == 1 and not has_text(text, fields[0])


def _tsv_rows(text: str) -> list[Row]:
    rows = []
    for m in _TSV_ROW_RE.finditer(text):
        if m.start() == len(text):
            break
        fields, pos = [], m.start(1)
        for cell in m.group(1).split("\t"):
            fields.append([Piece(pos, pos + len(cell), literal=True)])
            pos += len(cell) + 1
        if not _blank(text, fields):
            rows.append((m.start(), fields))
    return rows


def _csv_rows(text: str, path: str) -> list[Row]:
    rows, pos, end = [], 0, len(text)
    while pos < end:
        start, fields = pos, []
        while True:
            if text.startswith('"', pos):
                pieces, pos = _quoted(text, path, pos)
            else:
                plain = _CSV_PLAIN_RE.match(text, pos)
                assert plain is not None  # it matches the empty string
                pieces, pos = [Piece(pos, plain.end(), literal=True)], plain.end()
            fields.append(pieces)
            if not text.startswith(",", pos):
                break
            pos += 1
        line_end = _LINE_END_RE.match(text, pos)
        if line_end is None:
            raise MtreviewError(f'{path}:{line_at(text, pos)}: text after a closing quote; quote the whole field '
                                'and double the quotes inside it ("")')
        pos = line_end.end()
        if not _blank(text, fields):
            rows.append((start, fields))
    return rows


def _quoted(text: str, path: str, pos: int) -> tuple[list[Piece], int]:
    """The pieces of the quoted field at ``pos`` (without its quotes and the doubled
    quotes' escapes), and where it ends."""
    pieces, start = [], pos + 1
    while True:
        quote = text.find('"', start)
        if quote < 0:
            raise MtreviewError(f"{path}:{line_at(text, pos)}: a quoted field is not closed; add the closing "
                                'quote (and double the quotes inside the field: "")')
        pieces.append(Piece(start, quote, literal=True))
        if not text.startswith('""', quote):
            return pieces, quote + 1
        start = quote + 2
