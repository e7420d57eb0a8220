"""The files of a batch's output folder, and the one way each is written: whole or not at all.

    DIR/findings/part-<index:05d>-<key16>.<ext>   one row per finding of the shard's articles
    DIR/articles/part-<index:05d>-<key16>.<ext>   one row per article (written last: the shard is complete)
    DIR/rejects/part-<index:05d>-<key16>.jsonl    articles of the shard that could not be read (only when some)
    DIR/rejects.jsonl                              every reject of the run, one JSON object per line
    DIR/manifest.json                              the run: inputs, options, shards, totals (written last)

``<key16>`` is the start of the shard's key (``pipeline.shard_key``): a shard whose files are
there with its key is done, and a re-run or a resumed run skips it. Every file is written to
an unnamed temporary file (Linux ``O_TMPFILE``; elsewhere a ``.NAME.batch-PID-XXXX.tmp`` that
the next run removes) and renamed into place, so a killed run leaves whole files or none. The
formats (``FORMATS``: Parquet, JSON Lines) write the same columns (``schema.py``) and values.
"""

from __future__ import annotations

import errno
import fcntl
import io
import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import orjson

from mtreview.batch.schema import ARTICLES, FINDINGS, arrow_schema
from mtreview.errors import MtreviewError
from mtreview.fileio import write_atomic
from mtreview.jsontext import dumps_indented

MANIFEST = "manifest.json"
REJECTS = "rejects.jsonl"
TABLES = {"findings": FINDINGS, "articles": ARTICLES}
REJECTS_DIR = "rejects"
TEMP = ".batch-"  # in the names of temporary files: .NAME.batch-PID-XXXX.tmp
_PART = re.compile(r"part-(\d+)-([0-9a-f]{16})\.(\w+)")
_MAP_COLUMNS = {name for table in TABLES.values() for name, kind, _ in table if kind.startswith("map<")}


# -- the formats ----------------------------------------------------------------------------------
def _parquet_bytes(rows: list[dict], table, meta: tuple[str, ...]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table, meta)), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _parquet_rows(path: Path, columns: list[str] | None = None) -> list[dict]:
    import pyarrow.parquet as pq

    rows = pq.read_table(path, columns=columns).to_pylist()
    for row in rows:
        for name in _MAP_COLUMNS.intersection(row):
            if row[name] is not None:
                row[name] = dict(row[name])
    return rows


def _parquet_count(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _jsonl_bytes(rows: list[dict], table, meta: tuple[str, ...]) -> bytes:
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


def _jsonl_rows(path: Path, columns: list[str] | None = None) -> list[dict]:
    with open(path, "rb") as fh:
        rows = [orjson.loads(line) for line in fh if line.strip()]
    return [{c: row.get(c) for c in columns} for row in rows] if columns is not None else rows


def _jsonl_count(path: Path) -> int:
    with open(path, "rb") as fh:
        return sum(1 for line in fh if line.strip())


class Format(NamedTuple):
    """An output format: its file suffix, and how rows become a file's bytes, how a file's
    rows are read back (maps as dicts, in both), and how its rows are counted."""

    suffix: str
    to_bytes: Callable[[list[dict], Any, tuple[str, ...]], bytes]
    rows: Callable[..., list[dict]]
    count: Callable[[Path], int]


#: ``--format``: name -> Format.
FORMATS: dict[str, Format] = {
    "parquet": Format(".parquet", _parquet_bytes, _parquet_rows, _parquet_count),
    "jsonl": Format(".jsonl", _jsonl_bytes, _jsonl_rows, _jsonl_count),
}


def format_named(name: str) -> Format:
    if name not in FORMATS:
        from mtreview.options import unknown_choice

        raise MtreviewError(f"--format {name!r}: {unknown_choice(name, tuple(FORMATS), 'format')}")
    return FORMATS[name]


def read_rows(path: Path, columns: list[str] | None = None) -> list[dict]:
    """The rows of an output file of either format (by its suffix); ``columns``: only those."""
    for fmt in FORMATS.values():
        if path.name.endswith(fmt.suffix):
            return fmt.rows(path, columns)
    raise MtreviewError(f"{path}: not a batch output file ({', '.join(f.suffix for f in FORMATS.values())})")


# -- shards -----------------------------------------------------------------------------------------
def stem(index: int, key: str) -> str:
    """The name of a shard's files without their suffix."""
    return f"part-{index:05d}-{key[:16]}"


def shard_files(index: int, key: str, fmt: str) -> tuple[str, str]:
    """The findings and articles files of a shard, relative to the output folder."""
    name = stem(index, key) + FORMATS[fmt].suffix
    return f"findings/{name}", f"articles/{name}"


def write_shard(out_dir: Path, index: int, key: str, findings_rows: list[dict], article_rows: list[dict],
                fmt: str, meta: tuple[str, ...], rejects: Iterable[dict] = ()) -> tuple[str, str]:
    """Write a shard: its rejects (when any), its findings, then its articles, each file whole;
    the findings and articles files (relative to the output folder)."""
    form = FORMATS[fmt]
    rejected = b"".join(orjson.dumps(r) + b"\n" for r in rejects)
    if rejected:
        (out_dir / REJECTS_DIR).mkdir(exist_ok=True)
        write_file(out_dir / REJECTS_DIR / (stem(index, key) + ".jsonl"), rejected)
    findings, articles = shard_files(index, key, fmt)
    write_file(out_dir / findings, form.to_bytes(findings_rows, FINDINGS, meta))
    write_file(out_dir / articles, form.to_bytes(article_rows, ARTICLES, meta))
    return findings, articles


def done_shards(out_dir: Path, fmt: str) -> set[str]:
    """The stems (``part-00003-<key16>``) of the shards whose files are all in ``out_dir``."""
    suffix = FORMATS[fmt].suffix
    found = []
    for table in ("findings", "articles"):
        try:
            names = os.listdir(out_dir / table)
        except FileNotFoundError:
            return set()
        found.append({n[: -len(suffix)] for n in names if n.endswith(suffix) and _PART.fullmatch(n)})
    return found[0] & found[1]


def shard_rejects(out_dir: Path, index: int, key: str) -> Iterator[dict]:
    """The rejects a shard's worker wrote (articles of the shard that could not be read)."""
    try:
        with open(out_dir / REJECTS_DIR / (stem(index, key) + ".jsonl"), "rb") as fh:
            yield from (orjson.loads(line) for line in fh if line.strip())
    except FileNotFoundError:
        return


def remove_stale(out_dir: Path, keep: set[str]) -> int:
    """Remove the shard files of ``out_dir`` (findings, articles, rejects) whose stem is not in
    ``keep``, and temporary files of killed runs; the number removed. Nothing else is touched."""
    removed = 0
    for table in (*TABLES, REJECTS_DIR):
        folder = out_dir / table
        try:
            names = os.listdir(folder)
        except FileNotFoundError:
            continue
        for name in names:
            part = _PART.fullmatch(name)
            if (part and name.rsplit(".", 1)[0] not in keep) or (name.startswith(".") and TEMP in name):
                (folder / name).unlink(missing_ok=True)
                removed += 1
    return removed


# -- writing a file whole -------------------------------------------------------------------------------
def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: to an unnamed temporary file in its folder
    (a named one where the system has no ``O_TMPFILE``), fsynced, then renamed over it."""
    try:
        _write(path, data)
    except OSError as exc:
        raise MtreviewError(f"{path}: cannot write: {exc.strerror or exc}; free some space or write elsewhere") from None


def _write(path: Path, data: bytes) -> None:
    folder = path.parent
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)
    named: Path | None = None
    fd = -1
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            fd = os.open(folder, os.O_TMPFILE | flags, 0o644)
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    if fd < 0:
        named = _temp_name(path)
        fd = os.open(named, flags | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            if named is None:
                named = _temp_name(path)
                procfd = os.open("/proc/self/fd", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                try:  # linkat(AT_SYMLINK_FOLLOW) of /proc/self/fd/FD: the unnamed file gets a name
                    os.link(str(fd), named, src_dir_fd=procfd, follow_symlinks=True)
                finally:
                    os.close(procfd)
        finally:
            os.close(fd)
        test_point("write")
        os.replace(named, path)
        named = None
    finally:
        if named is not None:
            named.unlink(missing_ok=True)


#: ``MTREVIEW_BATCH_TEST_KILL=POINT``: this process kills itself (SIGKILL) at ``POINT``, for the
#: interrupt tests: ``write:N`` as the Nth file it writes is about to be renamed into place, or a
#: named point of the run (``rejects``, ``manifest``, ``cleanup``: just before each is done).
KILL_VARIABLE = "MTREVIEW_BATCH_TEST_KILL"
_points: dict[str, int] = {}


def test_point(name: str) -> None:
    """A point of the run where the interrupt tests may kill it (``KILL_VARIABLE``)."""
    wanted = os.environ.get(KILL_VARIABLE)
    if not wanted:
        return
    _points[name] = _points.get(name, 0) + 1
    if wanted in (name, f"{name}:{_points[name]}"):
        os.kill(os.getpid(), signal.SIGKILL)


def _temp_name(path: Path) -> Path:
    return path.parent / f".{path.name}{TEMP}{os.getpid()}-{os.urandom(4).hex()}.tmp"


# -- the manifest and the rejects ---------------------------------------------------------------------------
def write_manifest(out_dir: Path, manifest: dict) -> None:
    write_atomic(out_dir / MANIFEST, dumps_indented(manifest))


def read_manifest(out_dir: Path) -> dict | None:
    """The manifest of the last completed run in ``out_dir``, or None (none, or not one of ours)."""
    try:
        with open(out_dir / MANIFEST, "rb") as fh:
            manifest = orjson.loads(fh.read())
    except (OSError, orjson.JSONDecodeError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("shards"), list) else None


class RejectsWriter:
    """``rejects.jsonl``, written as rejects come (``.rejects.jsonl.PID.part``, flushed line by
    line: ``tail -f`` shows them) and renamed into place when the run ends (``close``)."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / REJECTS
        self._part = out_dir / f".{REJECTS}{TEMP}{os.getpid()}.tmp"
        self._fh: io.BufferedWriter | None = open(self._part, "wb")  # noqa: SIM115 (closed by close())
        self.count = 0

    def __call__(self, reject: dict) -> None:
        assert self._fh is not None
        self._fh.write(orjson.dumps(reject) + b"\n")
        self._fh.flush()
        self.count += 1

    def close(self) -> None:
        """Put the file in place (fsynced, renamed over the last run's)."""
        if self._fh is None:
            return
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        os.replace(self._part, self.path)

    def discard(self) -> None:
        """Drop what was written (a run that failed keeps the last run's file)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        self._part.unlink(missing_ok=True)


def remove_temporaries(out_dir: Path) -> None:
    """Remove the temporary files killed runs left at the top of ``out_dir``."""
    for name in os.listdir(out_dir):
        if name.startswith(".") and TEMP in name:
            (out_dir / name).unlink(missing_ok=True)


class Lock:
    """One run at a time per output folder: an exclusive lock on ``DIR/.lock`` for the run (the
    system drops it when the process ends, killed or not)."""

    def __init__(self, out_dir: Path):
        self._fd = os.open(out_dir / ".lock", os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            raise MtreviewError(f"{out_dir}: another mtreview batch is writing this folder; wait for it to finish "
                                "or write elsewhere") from None

    def release(self) -> None:
        os.close(self._fd)
