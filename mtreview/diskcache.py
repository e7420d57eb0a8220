"""The on-disk caches, all of them: the cache folder, regular expressions compiled through
it, and values computed from the rule packs (parsed packs, matcher plans).

Everything lives in ``$XDG_CACHE_HOME/mtreview`` (``~/.cache/mtreview``; ``MTREVIEW_CACHE_DIR``
overrides it, ``MTREVIEW_NO_CACHE=1`` turns caching off). A cache is only a shortcut: every
entry carries the full key it was made for and is used only when that key matches exactly,
and any problem reading or writing one (a read-only home, a corrupt file, another Python)
silently falls back to doing the work.

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


def write_bounded(path: Path, data: bytes, prefix: str, keep: int) -> None:
    """Write atomically; keep at most ``keep`` files with this prefix (oldest go first)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        entries = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
        if len(entries) > keep:
            entries.sort(key=lambda p: p.stat().st_mtime_ns)
            for old in entries[: len(entries) - keep]:
                old.unlink()
    except (OSError, ValueError):
        pass


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
        try:
            entry = marshal.loads((self.folder / _STORE_NAME).read_bytes())
            if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == self.tag and isinstance(entry[1], dict):
                self.programs = entry[1]
        except (OSError, EOFError, ValueError, TypeError):
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
        write_bounded(self.folder / _STORE_NAME, data, _STORE_NAME, 1)


_STORE = _Store()


def _compile_big(pattern: str, flags: int, folder: Path, tag: tuple) -> re.Pattern:
    path = folder / f"re-{zlib.crc32(pattern.encode('utf-8', 'surrogatepass')):08x}-{len(pattern)}-{flags}.bin"
    try:
        entry = marshal.loads(path.read_bytes())
        if isinstance(entry, tuple) and len(entry) == 4 and entry[:3] == (tag, pattern, flags):
            return _from_program(pattern, entry[3])
    except (OSError, EOFError, ValueError, TypeError):
        pass
    compiled = re.compile(pattern, flags)
    with contextlib.suppress(Exception):  # a pattern whose program cannot be stored is not cached
        write_bounded(path, marshal.dumps((tag, pattern, flags, _program(pattern, flags))), "re-", _MAX_REGEX_FILES)
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
    try:
        entry = marshal.loads(path.read_bytes())
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == tag and entry[1] == key:
            return entry[2]
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = compute()
    with contextlib.suppress(ValueError):  # not plain data after all: not cached
        write_bounded(path, marshal.dumps((tag, key, value)), "plan-", _MAX_PLAN_FILES)
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
    try:
        cached_key, value = pickle.loads(path.read_bytes())
        if cached_key == full_key:
            return value
    except Exception:
        pass
    value = compute()
    try:
        buffer = io.BytesIO()
        _PatternPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((full_key, value))
        data = buffer.getvalue()
    except Exception:
        return value
    write_bounded(path, data, name.split("-")[0] + "-", _MAX_OBJECT_FILES)
    return value


class _PatternPickler(pickle.Pickler):
    """Pickles compiled patterns as calls to ``compile_pattern``, so loading rebuilds them fast."""

    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern):
            return compile_pattern, (obj.pattern, obj.flags)
        return NotImplemented
