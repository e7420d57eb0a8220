"""Reading a file the user names (an article, a reference, a vocabulary, a glossary, a config,
a rule pack, a decisions file): the one way mtreview opens one, with a one-line error for
anything that is not a readable regular file, and a size limit per kind of input.

- Special files are refused before they are opened (``os.stat``): a named pipe (FIFO), a
  character or block device (``/dev/zero``), a socket, a folder. A file is opened
  non-blocking and checked again after opening, so one swapped for a FIFO in between cannot
  hang the run either.
- What mtreview's own process was handed as a pipe (``/dev/stdin``, ``/dev/fd/N`` of a
  shell's process substitution) is read as before, from the descriptor already open.
- A missing file says whether it is a symbolic link loop or a dangling link.
- Every read is bounded: at most the kind's limit plus one byte is read (a file that grows
  after ``stat``, or a ``/proc`` file whose size says 0, cannot exhaust memory).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from mtreview.errors import MtreviewError

MB = 1024 * 1024


@dataclass(frozen=True)
class Kind:
    """A kind of input file: what to call it, the most of it mtreview reads (bytes), and how
    to bring a larger one under the limit."""

    what: str
    limit: int
    advice: str


#: Articles, sources, references and ``mtreview score`` inputs. 4 MiB is some 700,000 words
#: (a news article is a few thousand); at this size the heaviest review (bilingual, HTML
#: page) peaks near 0.6 GB, measured by ``bench/limits.py``.
DOCUMENT = Kind("a document", 4 * MB, "split it into parts (e.g. at section breaks) and check or score them one by one")
#: ``--vocabulary`` and ``--glossary``.
WORD_LIST = Kind("a vocabulary or glossary", 16 * MB, "keep only the entries the articles need")
#: The review page's decisions file (``fix --decisions``).
DECISIONS = Kind("a decisions file", 16 * MB, "export the decisions of one article at a time")
#: A YAML rule pack.
RULE_PACK = Kind("a rule pack", 4 * MB, "split it into several packs in the same folder")
#: ``.mtreview.toml`` and ``pyproject.toml``.
CONFIG = Kind("a config file", 1 * MB, "a config needs a few lines: remove what is not configuration")

_SPECIAL = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
            (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))
_OWN_FD_RE = re.compile(r"/(?:dev/fd|proc/self/fd)/(\d+)")
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def label(path: Path | str, role: str = "") -> str:
    """How errors name the file: ``--reference ref.txt``, or the path alone."""
    return f"{role} {path}" if role else str(path)


def file_kind(mode: int) -> str | None:
    """What a file of this ``st_mode`` is when it is not a regular file ("a character
    device"); None for a regular file."""
    for test, kind in _SPECIAL:
        if test(mode):
            return kind
    return None if stat.S_ISREG(mode) else "not a file"


def why_missing(path: Path | str, exc: OSError, what: str = "file") -> str:
    """Why ``os.stat(path)`` failed, for a message: a symbolic link loop, a dangling link, a
    missing ``what`` ("file", "file or folder"), or the system's reason."""
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop; point the link at a file, or name the file itself"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        try:
            if os.path.islink(path):
                return (f"a dangling symbolic link (to {os.readlink(path)}, which does not exist); "
                        "point it at a file, or name the file itself")
        except OSError:
            pass
        return f"no such {what}; check the path"
    return f"cannot read: {exc.strerror or exc}"


def status(path: Path | str, role: str = "", what: str = "file") -> os.stat_result:
    """``os.stat(path)`` (links followed), or a one-line error saying why there is none."""
    try:
        return os.stat(path)
    except OSError as exc:
        raise MtreviewError(f"{label(path, role)}: {why_missing(path, exc, what)}") from None


def regular(path: Path | str, role: str = "") -> os.stat_result:
    """The status of the regular file ``path`` names; anything else is a one-line error."""
    st = status(path, role)
    kind = file_kind(st.st_mode)
    if kind is not None:
        raise MtreviewError(f"{label(path, role)}: not a regular file ({kind}); give a file")
    return st


def read_bytes(path: Path | str, role: str = "", kind: Kind = DOCUMENT) -> bytes:
    """The bytes of the file ``path`` names, at most ``kind.limit`` of them (a larger file is a
    one-line error naming its size, the limit and what to do); ``role`` ("--reference")
    starts every message. Special files are refused unopened; a pipe this process was handed
    (``/dev/stdin``, ``/dev/fd/N``) is read from its open descriptor."""
    name = label(path, role)
    st = status(path, role)
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
        fd = _own_descriptor(path, st)
        if fd is not None:
            return _read_pipe(fd, name, kind)
    regular(path, role)
    if st.st_size > kind.limit:
        raise MtreviewError(too_large(name, st.st_size, kind))
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise MtreviewError(f"{name}: {why_missing(path, exc)}") from None
    with os.fdopen(fd, "rb") as fh:
        now = os.fstat(fd)
        if file_kind(now.st_mode) is not None:  # replaced between stat and open
            raise MtreviewError(f"{name}: not a regular file ({file_kind(now.st_mode)}); give a file")
        try:
            data = fh.read(kind.limit + 1)
        except OSError as exc:
            raise MtreviewError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > kind.limit:
        raise MtreviewError(too_large(name, max(now.st_size, len(data)), kind, grew=now.st_size <= kind.limit))
    return data


def too_large(name: str, size: int, kind: Kind, grew: bool = False) -> str:
    """The message for a file over its kind's limit."""
    shown = f"more than {_size(kind.limit)}" if grew else _size(size)
    return f"{name}: {shown}, over the {_size(kind.limit)} limit for {kind.what}; {kind.advice}"


def _size(n: int) -> str:
    if n >= MB and n % MB == 0:
        return f"{n // MB} MiB"
    return f"{n / MB:.1f} MiB" if n >= MB else f"{n:,} bytes"


def _own_descriptor(path: Path | str, st: os.stat_result) -> int | None:
    """The descriptor of this process that ``path`` leads to (``/dev/stdin``: 0,
    ``/dev/fd/N`` and ``/proc/self/fd/N``: N) when it is that very pipe; else None."""
    name = os.path.normpath(str(path))
    match = _OWN_FD_RE.fullmatch(name)
    number = 0 if name == "/dev/stdin" else int(match.group(1)) if match else None
    if number is None:
        return None
    try:
        own = os.fstat(number)
    except OSError:
        return None
    return number if (own.st_dev, own.st_ino) == (st.st_dev, st.st_ino) else None


def _read_pipe(number: int, name: str, kind: Kind) -> bytes:
    """At most ``kind.limit`` bytes from this process's open descriptor ``number`` (a pipe
    or socket), to its end; the descriptor itself stays open."""
    fd = os.dup(number)
    os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as fh:
        try:
            data = fh.read(kind.limit + 1)
        except OSError as exc:
            raise MtreviewError(f"{name}: cannot read: {exc.strerror or exc}") from None
    if len(data) > kind.limit:
        raise MtreviewError(too_large(name, len(data), kind, grew=True))
    return data
