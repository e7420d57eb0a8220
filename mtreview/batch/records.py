"""An archive's articles as a stream of ``Record``s, read from folders of article files, JSON
Lines files and Parquet files (the kind a path is: ``KINDS``), in order, one at a time: nothing
is held but the article being read and, for the whole run, an 8-byte digest of each id (ids are
unique across a run's inputs).

A row that cannot be an article (invalid UTF-8 or JSON, no id, a text that is not a string,
an id seen before, a file of a folder that cannot be read) is a ``Reject``, with its input and
row number: given to ``on_reject`` while the stream goes on. A problem with an input as a whole
(no such file, a Parquet file without the text column) is a one-line error before anything is
read, so a run never stops half-way over a typo in a flag.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from mtreview import inputfile, inputs
from mtreview.errors import MtreviewError
from mtreview.options import SOURCE_LANG_CHOICES

#: ``--markup``: how the text of a JSONL or Parquet row is read (the suffix its name hint gets).
MARKUPS = {"txt": ".txt", "md": ".md"}
#: A JSON line longer than this is refused unread (an article's text is at most 4 MiB; its
#: source as much again; JSON escapes may double them).
MAX_LINE = 32 * inputfile.MB
_PARQUET_BATCH = 1024  # rows per Parquet batch read


@dataclass(frozen=True)
class Record:
    """One article of the archive. ``row``: its 1-based JSONL line or Parquet row (0 for a
    file of a folder); ``name``: the path hint that tells the loader its format ("a.md" is
    Markdown; a JSONL or Parquet row is "<id>.txt", or "<id>.md" with ``--markup md``);
    ``source_name``: the same for its source; ``size``: bytes of input it took (progress)."""

    id: str
    text: str
    source: str | None
    source_lang: str | None
    meta: dict[str, str | None]
    input: str
    row: int
    name: str
    source_name: str | None = None
    size: int = field(default=0, compare=False)


class Reject(NamedTuple):
    """A row that is no article, and why (``rejects.jsonl``: one object per line)."""

    input: str
    row: int
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()


@dataclass(frozen=True)
class Columns:
    """Which fields of a JSONL object or columns of a Parquet file hold what (``--id``,
    ``--text``, ``--source-text``, ``--source-lang-column``, ``--meta``)."""

    id: str = "id"
    text: str = "text"
    source_text: str | None = None
    source_lang: str | None = None
    meta: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "source_text": self.source_text, "source_lang": self.source_lang,
                "meta": list(self.meta)}


class Ids:
    """The ids seen in a run, as 8-byte digests (some 70 bytes of memory per article)."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def add(self, article_id: str) -> bool:
        """Whether ``article_id`` is new (it is remembered)."""
        digest = int.from_bytes(hashlib.blake2b(article_id.encode("utf-8", "surrogatepass"), digest_size=8).digest())
        if digest in self._seen:
            return False
        self._seen.add(digest)
        return True


@dataclass
class Reading:
    """What a run's inputs share while they are read: the columns, the markup of rows, the
    ``--source`` pattern of folders, ids seen, where rejects go, and the bytes read so far."""

    columns: Columns
    on_reject: Callable[[Reject], None]
    markup: str = "txt"
    source_spec: str | None = None
    wants: Callable[[Path], bool] | None = None  # a config's include/exclude, for the files of folders
    ids: Ids = field(default_factory=Ids)
    done: int = 0  # bytes of input read

    def reject(self, input_name: str, row: int, article_id: str | None, reason: str) -> None:
        self.on_reject(Reject(input_name, row, article_id, reason))

    def record(self, input_name: str, row: int, values: dict[str, Any], size: int) -> Record | None:
        """The record of a JSONL object or a Parquet row (field -> value), or None when it is
        rejected (said to ``on_reject``)."""
        c = self.columns
        raw_id = values.get(c.id)
        article_id = _id(raw_id)
        if article_id is None:
            what = "missing" if raw_id is None else f"{_type(raw_id)}, not a string or a whole number"
            self.reject(input_name, row, None, f"id {c.id!r}: {what}")
            return None
        text = values.get(c.text)
        problem = _text_problem(text, c.text)
        source = values.get(c.source_text) if c.source_text else None
        if problem is None and source is not None:
            problem = _text_problem(source, c.source_text or "")
        lang = values.get(c.source_lang) if c.source_lang else None
        if problem is None and lang is not None and lang not in SOURCE_LANG_CHOICES:
            problem = f"source language {c.source_lang!r}: {lang!r} is not one of {', '.join(SOURCE_LANG_CHOICES)}"
        if problem is None and not self.ids.add(article_id):
            problem = f"duplicate id {article_id!r}: an earlier row has it (ids are unique across the run's inputs)"
        if problem is not None:
            self.reject(input_name, row, article_id, problem)
            return None
        assert isinstance(text, str)
        suffix = MARKUPS[self.markup]
        return Record(article_id, text, source, lang, {m: _meta(values.get(m)) for m in c.meta}, input_name, row,
                      f"{article_id}{suffix}", f"{article_id}.source{suffix}" if source is not None else None, size)


def _id(value: Any) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _type(value: Any) -> str:
    names = {str: "a string", bool: "a boolean", int: "a number", float: "a number", list: "an array", dict: "an object"}
    return "empty" if value == "" else names.get(type(value), type(value).__name__)


def _text_problem(value: Any, column: str) -> str | None:
    """Why ``value`` cannot be an article's (or a source's) text, or None."""
    if value is None:
        return f"text {column!r}: missing"
    if not isinstance(value, str):
        return f"text {column!r}: {_type(value)}, not a string"
    nul = value.find("\0")
    if nul >= 0:
        return f"text {column!r}: a NUL character at offset {nul} (binary data, not an article)"
    size = len(value.encode("utf-8", "surrogatepass"))
    if size > inputfile.DOCUMENT.limit:
        return inputfile.too_large(f"text {column!r}", size, inputfile.DOCUMENT)
    return None


def _meta(value: Any) -> str | None:
    """A metadata value as the string its column holds (JSON's text of a number)."""
    if value is None or isinstance(value, str):
        return value
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")


# -- the kinds of inputs ------------------------------------------------------------------------
class Input:
    """One input path: ``check()`` refuses it whole (one line) before any row is read;
    ``records(reading)`` streams its articles; ``size`` is its bytes (progress)."""

    kind = ""

    def __init__(self, path: Path):
        self.path = path
        self.name = os.path.abspath(path)  # what rows and rejects name (the same from any folder a run starts in)
        self.size = 0

    def check(self, reading: Reading) -> None:
        st = inputfile.regular(self.path)
        self.size = st.st_size

    def records(self, reading: Reading) -> Iterator[Record]:
        raise NotImplementedError


class Folder(Input):
    """The article files under a folder (those ``mtreview check FOLDER`` reads), each an
    article whose id is its path under the folder; with ``--source``, each paired with its
    source as ``check --source`` pairs it."""

    kind = "folder"

    def check(self, reading: Reading) -> None:
        files = inputs.collect([self.path])
        if reading.wants is not None:
            files = [f for f in files if reading.wants(f)]
        if reading.source_spec and "{" not in reading.source_spec and len(files) != 1:
            inputs.source_of(files[0], reading.source_spec, len(files))  # the one-line error: one source, many files
        self.files = files
        self.size = sum(_size(f) for f in files)

    def records(self, reading: Reading) -> Iterator[Record]:
        spec = reading.source_spec
        for file in self.files:
            article_id = file.relative_to(self.path).as_posix()
            size = _size(file)
            try:
                text = inputs.read_text(file)
                source_path = inputs.source_of(file, spec, len(self.files)) if spec else None
                source = inputs.read_text(source_path, "--source") if source_path is not None else None
            except MtreviewError as exc:
                reading.done += size
                if reading.ids.add(article_id):
                    reading.reject(self.name, 0, article_id, _without(str(exc), str(file)))
                continue
            reading.done += size
            if not reading.ids.add(article_id):
                reading.reject(self.name, 0, article_id, f"duplicate id {article_id!r}: an earlier input has a file there "
                                                         "(ids are unique across the run's inputs)")
                continue
            yield Record(article_id, text, source, None, dict.fromkeys(reading.columns.meta), self.name, 0, str(file),
                         str(source_path) if source_path is not None else None, size)


class JsonLines(Input):
    """A JSON Lines file: one JSON object per line (blank lines skipped), read line by line
    as bytes, so a bad line is one reject and never the end of the run."""

    kind = "jsonl"

    def records(self, reading: Reading) -> Iterator[Record]:
        with open(self.path, "rb") as fh:
            row = 0
            while True:
                line = fh.readline(MAX_LINE + 1)
                if not line:
                    return
                row += 1
                size = len(line)
                if len(line) > MAX_LINE and not line.endswith(b"\n"):
                    size += _skip_line(fh)
                    reading.done += size
                    reading.reject(self.name, row, None, inputfile.too_large("line", size, inputfile.Kind(
                        "a JSON line", MAX_LINE, "split the article into parts")))
                    continue
                reading.done += size
                if row == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]  # a byte-order mark, as an editor may save it
                if not line.strip():
                    continue
                values = self._object(line, row, reading)
                if values is not None:
                    record = reading.record(self.name, row, values, size)
                    if record is not None:
                        yield record

    def _object(self, line: bytes, row: int, reading: Reading) -> dict | None:
        try:
            values = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as bad:
                reason = (f"invalid UTF-8 at byte {bad.start + 1} of the line (byte 0x{line[bad.start]:02x}); "
                          "re-save the file as UTF-8")
            else:
                reason = f"not valid JSON: {exc}"
            reading.reject(self.name, row, None, reason)
            return None
        if not isinstance(values, dict):
            reading.reject(self.name, row, None, f"not a JSON object but {_type(values)}; write one object per line")
            return None
        return values


class Parquet(Input):
    """A Parquet file, read a batch of rows at a time (pyarrow), only the columns named."""

    kind = "parquet"

    def check(self, reading: Reading) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        super().check(reading)
        try:
            schema = pq.read_schema(self.path)
        except (OSError, pa.ArrowException) as exc:
            raise MtreviewError(f"{self.path}: not a readable Parquet file ({_first_line(exc)})") from None
        c = reading.columns
        wanted = [(c.id, "--id", _is_id), (c.text, "--text", _is_text), (c.source_text, "--source-text", _is_text),
                  (c.source_lang, "--source-lang-column", _is_text)] + [(m, "--meta", None) for m in c.meta]
        for name, flag, fits in wanted:
            if name is None:
                continue
            if name not in schema.names:
                raise MtreviewError(f"{self.path}: no column {name!r} (its columns: {', '.join(schema.names)}); "
                                    f"name the column with {flag}")
            kind = schema.field(name).type
            if fits is not None and not fits(pa, kind):
                raise MtreviewError(f"{self.path}: column {name!r} holds {kind}, not text; name another with {flag}")
            if fits is None and not _is_text(pa, kind):
                try:  # a metadata column is copied as text: it must have a text form
                    pc.cast(pa.array([], type=kind), pa.string())
                except pa.ArrowException:
                    raise MtreviewError(f"{self.path}: column {name!r} holds {kind}, which has no text form; "
                                        "leave it out of --meta") from None
        self.columns = list(dict.fromkeys(n for n, _, _ in wanted if n is not None))

    def records(self, reading: Reading) -> Iterator[Record]:
        import pyarrow.parquet as pq

        with pq.ParquetFile(self.path) as parquet:
            total = max(parquet.metadata.num_rows, 1)
            row = 0
            for values, count in self._batches(parquet, set(reading.columns.meta)):
                for i in range(count):
                    row += 1
                    size = self.size * row // total - self.size * (row - 1) // total
                    reading.done += size
                    record = reading.record(self.name, row, {name: values[name][i] for name in self.columns}, size)
                    if record is not None:
                        yield record

    def _batches(self, parquet, meta: set[str]) -> Iterator[tuple[dict[str, list], int]]:
        """The file's rows a batch at a time, as lists by column (metadata columns as text); a
        file that cannot be read on is a one-line error."""
        import pyarrow as pa
        import pyarrow.compute as pc

        batches = parquet.iter_batches(batch_size=_PARQUET_BATCH, columns=self.columns)
        while True:
            try:
                batch = next(batches, None)
                if batch is None:
                    return
                values: dict[str, list] = {}
                for name in self.columns:
                    column = batch.column(batch.schema.get_field_index(name))
                    if name in meta and not _is_text(pa, column.type):
                        column = pc.cast(column, pa.string())
                    values[name] = column.to_pylist()
            except (OSError, pa.ArrowException) as exc:
                raise MtreviewError(f"{self.path}: cannot be read on ({_first_line(exc)}); fix or rewrite the file and run "
                                    "again (the shards written so far are kept)") from None
            yield values, batch.num_rows


def _is_text(pa, kind) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _is_id(pa, kind) -> bool:
    return _is_text(pa, kind) or bool(pa.types.is_integer(kind))


#: What kind of input a path is, by suffix (a folder is a ``Folder``).
KINDS: dict[str, type[Input]] = {".jsonl": JsonLines, ".ndjson": JsonLines, ".parquet": Parquet}


def input_for(path: Path) -> Input:
    """The input ``path`` names; anything but a folder or a file of a known kind is a
    one-line error."""
    if path.is_dir():
        return Folder(path)
    kind = KINDS.get(path.suffix.lower())
    if kind is None:
        if not os.path.lexists(path):
            raise MtreviewError(f"{path}: {inputfile.why_missing(path, FileNotFoundError(2, 'missing'), 'file or folder')}")
        raise MtreviewError(f"{path}: not a folder nor a {', '.join(KINDS)} file; batch reads folders of articles, "
                            "JSON Lines and Parquet files (`mtreview check` reads single articles)")
    return kind(path)


def open_inputs(paths: list[Path], reading: Reading) -> list[Input]:
    """The inputs of ``paths``, each checked whole (one-line errors before anything is read)."""
    found = [input_for(p) for p in paths]
    for item in found:
        item.check(reading)
    return found


def stream(found: list[Input], reading: Reading) -> Iterator[Record]:
    """The records of ``found`` (``open_inputs``), in order; rejects go to ``reading.on_reject``."""
    for item in found:
        yield from item.records(reading)


def read(paths: list[Path], columns: Columns, source_spec: str | None, on_reject: Callable[[Reject], None],
         markup: str = "txt") -> Iterator[Record]:
    """The records of the inputs ``paths``, in order (each input checked whole first); rejects
    go to ``on_reject``."""
    reading = Reading(columns, on_reject, markup, source_spec)
    return stream(open_inputs(paths, reading), reading)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _skip_line(fh) -> int:
    """Read past the rest of an overlong line; the bytes skipped."""
    skipped = 0
    while True:
        chunk = fh.readline(inputfile.MB)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _without(message: str, path: str) -> str:
    """An error message without the file name it starts with (the reject names the file)."""
    return message[len(path) + 2 :] if message.startswith(path + ": ") else message


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
