"""The on-disk caches, all of them: the cache folder, regular expressions compiled through
it, and values computed from the rule packs (parsed packs, matcher plans).

Everything lives in ``$XDG_CACHE_HOME/mtreview`` (``~/.cache/mtreview``; ``MTREVIEW_CACHE_DIR``
overrides it, ``MTREVIEW_NO_CACHE=1`` turns caching off). A cache is only a shortcut: every
entry carries the full key it was made for and is used only when that key matches exactly,
and any problem reading or writing one (a read-only home, a corrupt file, another Python)
silently falls back to doing the work.

Every file is written by ``write_entry`` and read by ``read_entry``: a header (format tag,
payload length, CRC-32 of the payload) before the payload, written to a temporary file
renamed over the entry, so a reader sees a whole entry or none, whatever other runs do at
the same time. A file whose header or checksum does not match (a flipped bit, a truncated or
empty file, an entry of an older format) is deleted and the entry is rebuilt: nothing
damaged is ever unpickled, unmarshalled or compiled. The checksum guards against accidental
damage, which CRC-32 detects for certain when it is a burst of up to 32 bits (any flipped
bit or byte) and otherwise misses once in 4 billion; against deliberate tampering no
unkeyed digest helps (whoever can write the entry can write its digest), and a run reads
about 5 MB of cache: CRC-32 checks that in ~4 ms, BLAKE2b or SHA-256 in 15–25 ms, a tenth of
a whole ``mtreview check`` (bench/startup.py).

``compile_pattern`` is ``re.compile`` for the patterns mtreview compiles on every run (its
own, and those of the rule packs): parsing a couple of hundred patterns costs about 80 ms,
a third of a whole ``mtreview check``, while rebuilding them from their stored programs
costs 2 ms. Small patterns share one store, read once per process and written back at exit
when it gained entries; each big pattern (the combined phrase tries) has a file of its own,
so a run reads only the tries it uses.

``cached_plan`` (plain data, marshal) and ``cached_object`` (pickled, compiled patterns
rebuilt through ``compile_pattern``) keep what a run computes from the rules. Each entry is
filed under its full key and the fingerprint of the code that computed it: mtreview's
version, Python's, and the size and time of every module of the package, so any change to
the code (a renamed module too) makes the old entries unused.
"""

from __future__ import annotations

import atexit
import contextlib
import io
import marshal
import os
import pickle
import re
import sys
import tempfile
import zlib
from pathlib import Path

_SRE_MIN_LENGTH = 400  # from this length a pattern gets a file of its own
_MAX_REGEX_FILES = 32
_MAX_STORE_ENTRIES = 2048  # beyond this, the store keeps only what the last process used
_STORE_NAME = "regex-store.bin"


def cache_dir() -> Path | None:
    """mtreview's cache folder, None when MTREVIEW_NO_CACHE turns caching off."""
    if os.environ.get("MTREVIEW_NO_CACHE", "") not in ("", "0"):
        return None
    return cache_root()


def cache_root() -> Path:
    """``MTREVIEW_CACHE_DIR``, else ``$XDG_CACHE_HOME/mtreview``, else ``~/.cache/mtreview``."""
    base = os.environ.get("MTREVIEW_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return root / "mtreview"


_MAGIC = b"mtreview-cache/2\n"  # the entry format: a header of this, the payload's length and checksum
_DIGEST_SIZE = 4
_HEADER_SIZE = len(_MAGIC) + 8 + _DIGEST_SIZE


def _digest(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(_DIGEST_SIZE, "little")


def read_entry(path: Path) -> bytes | None:
    """The payload of the cache entry at ``path``, verified against its checksum; None when
    there is none. A damaged entry (wrong header, length or checksum: a flipped bit, a
    truncated or empty file) or a file that cannot be read as one (a folder where an entry
    should be) is removed, so the caller rebuilds it."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return None
    except OSError:
        _drop(path)
        return None
    header, payload = data[:_HEADER_SIZE], data[_HEADER_SIZE:]
    if (
        len(header) != _HEADER_SIZE
        or not header.startswith(_MAGIC)
        or int.from_bytes(header[len(_MAGIC) : len(_MAGIC) + 8], "little") != len(payload)
        or header[len(_MAGIC) + 8 :] != _digest(payload)
    ):
        _drop(path)
        return None
    return payload


def _drop(path: Path) -> None:
    """Remove a damaged entry: a file, or an empty folder that stands where one should be."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            path.rmdir()
        else:
            path.unlink()


def write_entry(path: Path, payload: bytes, prefix: str, keep: int) -> None:
    """Store ``payload`` at ``path`` with its header (``read_entry``), atomically; keep at most
    ``keep`` entries whose names start with ``prefix`` (the oldest go first)."""
    header = _MAGIC + len(payload).to_bytes(8, "little") + _digest(payload)
    write_bounded(path, header + payload, prefix, keep)


def write_bounded(path: Path, data: bytes, prefix: str, keep: int) -> None:
    """Write ``data`` to a temporary file in the same folder and rename it over ``path`` (a
    reader sees the old file or the new one, never a part); keep at most ``keep`` files with
    this prefix (oldest go first). Any failure leaves no temporary file and is ignored."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return
    try:
        entries = []
        for entry in os.scandir(path.parent):
            if entry.name.startswith(prefix):
                with contextlib.suppress(OSError):  # gone meanwhile: another run pruned it
                    entries.append((entry.stat(follow_symlinks=False).st_mtime_ns, entry.path))
    except OSError:
        return
    if len(entries) > keep:
        entries.sort()
        for _, old in entries[: len(entries) - keep]:
            with contextlib.suppress(OSError):
                os.unlink(old)


# -- compiled regular expressions ------------------------------------------------------------
# A program is (final flags, code as bytes, group count, group index): what re's own compiler
# hands to _sre.compile, so a pattern rebuilt from it behaves exactly like re.compile's.


def _engine_tag() -> tuple | None:
    try:
        import _sre
        from array import array

        if array("I").itemsize != _sre.CODESIZE:
            return None
        return (sys.version, _sre.MAGIC, _sre.CODESIZE)
    except Exception:
        return None


def _program(pattern: str, flags: int) -> tuple:
    from array import array
    from re import _compiler, _parser  # type: ignore[attr-defined]  # private: typeshed has no stubs for them

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    return (flags | parsed.state.flags, array("I", code).tobytes(), parsed.state.groups - 1,
            dict(parsed.state.groupdict))


def _from_program(pattern: str, program: tuple) -> re.Pattern:
    import _sre
    from array import array

    final_flags, code, groups, groupindex = program
    indexgroup = [None] * (groups + 1)
    for name, index in groupindex.items():
        indexgroup[index] = name
    return _sre.compile(pattern, final_flags, array("I", code).tolist(), groups, groupindex, tuple(indexgroup))


class _Store:
    """The shared store of small patterns' programs: {(pattern, flags): program}."""

    def __init__(self):
        self.folder: Path | None = None
        self.tag: tuple | None = None
        self.programs: dict | None = None  # None: not read yet
        self.used: set = set()
        self.dirty = False

    def _read(self) -> None:
        self.programs = {}
        self.folder, self.tag = cache_dir(), _engine_tag()
        if self.folder is None or self.tag is None:
            return
        payload = read_entry(self.folder / _STORE_NAME)
        if payload is None:
            return
        try:
            entry = marshal.loads(payload)
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == self.tag and isinstance(entry[1], dict):
                self.programs = entry[1]
        except (EOFError, ValueError, TypeError):
            pass

    def compile(self, pattern: str, flags: int) -> re.Pattern:
        if self.programs is None:
            self._read()
        assert self.programs is not None  # _read() sets it
        if self.folder is None or self.tag is None:
            return re.compile(pattern, flags)
        key = (pattern, flags)
        program = self.programs.get(key)
        if program is not None:
            try:
                compiled = _from_program(pattern, program)
                self.used.add(key)
                return compiled
            except Exception:
                pass  # a damaged entry: compile afresh below
        compiled = re.compile(pattern, flags)  # raises re.error for a bad pattern, as callers expect
        try:
            self.programs[key] = _program(pattern, flags)
        except Exception:
            return compiled
        self.used.add(key)
        if not self.dirty:
            self.dirty = True
            atexit.register(self.save)
        return compiled

    def save(self) -> None:
        if not self.dirty or self.folder is None:
            return
        self.dirty = False
        programs = self.programs
        assert programs is not None  # dirty: compile() has read the store
        if len(programs) > _MAX_STORE_ENTRIES:
            programs = {k: v for k, v in programs.items() if k in self.used}
        try:
            data = marshal.dumps((self.tag, programs))
        except ValueError:
            return
        write_entry(self.folder / _STORE_NAME, data, _STORE_NAME, 1)


_STORE = _Store()


def _compile_big(pattern: str, flags: int, folder: Path, tag: tuple) -> re.Pattern:
    path = folder / f"re-{zlib.crc32(pattern.encode('utf-8', 'surrogatepass')):08x}-{len(pattern)}-{flags}.bin"
    payload = read_entry(path)
    if payload is not None:
        try:
            entry = marshal.loads(payload)
            if isinstance(entry, tuple) and len(entry) == 4 and entry[:3] == (tag, pattern, flags):
                return _from_program(pattern, entry[3])
        except Exception:
            pass  # another format or engine: rebuilt below
    compiled = re.compile(pattern, flags)
    with contextlib.suppress(Exception):  # a pattern whose program cannot be stored is not cached
        write_entry(path, marshal.dumps((tag, pattern, flags, _program(pattern, flags))), "re-", _MAX_REGEX_FILES)
    return compiled


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, rebuilt from its stored program when one is cached.

    For patterns that recur from run to run; a pattern made from a document's own words
    would only fill the store, so those use ``re.compile``.
    """
    flags = int(flags)
    if len(pattern) < _SRE_MIN_LENGTH:
        return _STORE.compile(pattern, flags)
    folder, tag = cache_dir(), _engine_tag()
    if folder is None or tag is None:
        return re.compile(pattern, flags)
    try:
        return _compile_big(pattern, flags, folder, tag)
    except re.error:
        raise
    except Exception:
        return re.compile(pattern, flags)


# -- values computed from the rules -----------------------------------------------------------
_MAX_PLAN_FILES = 64
_MAX_OBJECT_FILES = 16
_FINGERPRINT: tuple | None = None


def code_fingerprint() -> tuple:
    """mtreview's and Python's versions and (path, size, mtime) of every module of the
    package, read once per process."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from mtreview import __version__

        root = os.path.dirname(os.path.abspath(__file__))
        stats = []
        folders = [""]
        while folders:
            rel = folders.pop()
            with os.scandir(os.path.join(root, rel)) as entries:
                for entry in entries:
                    if entry.name.endswith(".py"):
                        st = entry.stat()
                        stats.append((rel + entry.name, st.st_size, st.st_mtime_ns))
                    elif entry.is_dir() and entry.name != "__pycache__" and not entry.name.startswith("."):
                        folders.append(rel + entry.name + "/")
        _FINGERPRINT = (__version__, sys.version, tuple(sorted(stats)))
    return _FINGERPRINT


def cached_plan(key: tuple, compute):
    """``compute()``, a value made of plain data (what marshal stores), cached under ``key``
    (plain data too) and the code's fingerprint."""
    folder = cache_dir()
    if folder is None:
        return compute()
    try:
        tag = code_fingerprint()
        blob = marshal.dumps(key)
        path = folder / f"plan-{zlib.crc32(blob):08x}-{len(blob)}.bin"
    except (OSError, ValueError):
        return compute()
    payload = read_entry(path)
    if payload is not None:
        try:
            entry = marshal.loads(payload)
            if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == tag and entry[1] == key:
                return entry[2]
        except (EOFError, ValueError, TypeError):
            pass
    value = compute()
    with contextlib.suppress(ValueError):  # not plain data after all: not cached
        write_entry(path, marshal.dumps((tag, key, value)), "plan-", _MAX_PLAN_FILES)
    return value


def cached_object(name: str, key, compute):
    """``compute()``, any picklable value, cached in the file ``<name>.pickle`` under ``key``
    and the code's fingerprint; its compiled patterns are stored as pattern text and rebuilt
    through ``compile_pattern``. ``name`` starts with a kind ("packs-…"): at most a few files
    of each kind are kept."""
    folder = cache_dir()
    if folder is None:
        return compute()
    try:
        full_key = (code_fingerprint(), key)
    except OSError:
        return compute()
    path = folder / f"{name}.pickle"
    payload = read_entry(path)
    if payload is not None:
        try:
            cached_key, value = pickle.loads(payload)
            if cached_key == full_key:
                return value
        except Exception:
            pass  # another format: rebuilt below
    value = compute()
    try:
        buffer = io.BytesIO()
        _PatternPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((full_key, value))
        data = buffer.getvalue()
    except Exception:
        return value
    write_entry(path, data, name.split("-")[0] + "-", _MAX_OBJECT_FILES)
    return value


class _PatternPickler(pickle.Pickler):
    """Pickles compiled patterns as calls to ``compile_pattern``, so loading rebuilds them fast."""

    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern):
            return compile_pattern, (obj.pattern, obj.flags)
        return NotImplemented
