"""On-disk caches that keep start-up fast: parsed rule packs and compiled regular expressions.

Both live in ``$XDG_CACHE_HOME/mtreview`` (``~/.cache/mtreview``; ``MTREVIEW_CACHE_DIR``
overrides it, ``MTREVIEW_NO_CACHE=1`` turns caching off). A cache is only a shortcut: every
entry carries the full key it was made for and is used only when that key matches exactly,
and any problem reading or writing one (a read-only home, a corrupt file, another Python)
silently falls back to doing the work.

* Rule packs: the result of ``load_rules`` for a list of folders, keyed by the path, size and
  modification time of every pack file and of the code that parses them, and by the
  mtreview and Python versions.
* Regular expressions: the compiled program of big patterns (the combined phrase tries),
  keyed by the pattern text, the flags and the regex engine's version. Compiling a trie of
  a few thousand phrases takes longer than the rest of a run.
"""

from __future__ import annotations

import marshal
import os
import re
import sys
import zlib
from pathlib import Path

import mtreview

def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino)


_SRE_MIN_LENGTH = 400  # patterns shorter than this compile in well under a millisecond
_MAX_REGEX_FILES = 32
_MAX_PACK_FILES = 16
_PACK_CODE = ("rule.py", "model.py", "errors.py", "ruleset/loader.py", "ruleset/cache.py")


def _code_stats(names) -> tuple:
    package = Path(mtreview.__file__).resolve().parent
    return tuple(_stat_key(package / name) for name in names)


def cache_dir() -> Path | None:
    if os.environ.get("MTREVIEW_NO_CACHE", "") not in ("", "0"):
        return None
    base = os.environ.get("MTREVIEW_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    root = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return root / "mtreview"


def _write(path: Path, data: bytes, prefix: str, keep: int) -> None:
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
def _sre_tag() -> tuple:
    import _sre

    return (sys.version, _sre.MAGIC, _sre.CODESIZE)


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, reusing the compiled program of a big pattern from disk.

    The program is what ``re`` itself would build; it is handed to the regex engine the way
    ``re._compiler.compile`` does, so the result behaves exactly like ``re.compile``'s.
    """
    folder = cache_dir() if len(pattern) >= _SRE_MIN_LENGTH else None
    if folder is None:
        return re.compile(pattern, flags)
    try:
        import _sre
        from array import array

        if array("I").itemsize != _sre.CODESIZE:
            return re.compile(pattern, flags)
        tag = _sre_tag()
        path = folder / f"re-{zlib.crc32(pattern.encode('utf-8', 'surrogatepass')):08x}-{len(pattern)}-{flags}.bin"
        try:
            entry = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            entry = None
        if isinstance(entry, tuple) and len(entry) == 8 and entry[:3] == (tag, pattern, flags):
            _, _, _, final_flags, code, groups, groupindex, indexgroup = entry
            return _sre.compile(pattern, final_flags, array("I", code).tolist(), groups, groupindex, indexgroup)
        from re import _compiler, _parser

        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final_flags = flags | parsed.state.flags
        compiled = _sre.compile(pattern, final_flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))
        entry = (tag, pattern, flags, final_flags, array("I", code).tobytes(), parsed.state.groups - 1,
                 groupindex, tuple(indexgroup))
        _write(path, marshal.dumps(entry), "re-", _MAX_REGEX_FILES)
        return compiled
    except Exception:  # anything odd about the engine's internals: compile the normal way
        return re.compile(pattern, flags)


# -- analyses ---------------------------------------------------------------------------------
_MAX_PLAN_FILES = 64
_PLAN_CODE = ("matchers.py", "ruleset/cache.py")


def cached_plan(key: tuple, compute):
    """``compute()``, a value made of plain data (what marshal stores), cached under ``key``
    (plain data too) and the version of the code that computes it."""
    folder = cache_dir()
    if folder is None:
        return compute()
    if _PLAN_TAG is None:
        return compute()
    try:
        tag = _PLAN_TAG
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
    try:
        _write(path, marshal.dumps((tag, key, value)), "plan-", _MAX_PLAN_FILES)
    except ValueError:
        pass
    return value


# -- parsed rule packs -----------------------------------------------------------------------


def load_rules_cached(directories: list[Path]):
    """``loader.load_rules(directories)``, from the cache when no pack file or parsing code changed."""
    from mtreview.ruleset.loader import load_rules, pack_files

    folder = cache_dir()
    if folder is None:
        return load_rules(directories)
    if _PACK_TAG is None:
        return load_rules(directories)
    try:
        folders = tuple(str(Path(d).resolve()) for d in directories)
        key = (
            _PACK_TAG,
            tuple((folder, tuple(_stat_key(p) for p in pack_files(Path(folder)))) for folder in folders),
        )
    except Exception:
        return load_rules(directories)  # load_rules reports missing folders and the like
    import pickle

    name = f"packs-{zlib.crc32(repr(folders).encode('utf-8', 'surrogatepass')):08x}.pickle"
    path = folder / name
    try:
        cached_key, packs = pickle.loads(path.read_bytes())
        if cached_key == key:
            return packs
    except Exception:
        pass
    packs = load_rules(directories)
    try:
        data = pickle.dumps((key, packs), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return packs
    _write(path, data, "packs-", _MAX_PACK_FILES)
    return packs


# The code that fills the caches, as it was when this module was imported (with the modules
# that import it): a process that loaded older code must not file its results under the
# newer files' names.
try:
    _PLAN_TAG = (mtreview.__version__, sys.version, _code_stats(_PLAN_CODE))
    _PACK_TAG = (mtreview.__version__, sys.version, _code_stats(_PACK_CODE))
except OSError:
    _PLAN_TAG = _PACK_TAG = None
