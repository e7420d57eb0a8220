"""On-disk caches for the work a run would otherwise repeat: parsed rule packs and matcher plans.

They live in the folder ``mtreview.diskcache`` names, under its rules: every entry carries
the full key it was made for, and any problem silently falls back to doing the work.

* Rule packs: the result of ``load_rules`` for a list of folders, keyed by the path, size and
  modification time of every pack file and of the code that parses them, and by the
  mtreview and Python versions. Their regular expressions are stored as pattern text and
  rebuilt through ``compile_pattern``.
* Matcher plans: plain data computed from the selected rules (``cached_plan``).
"""

from __future__ import annotations

import io
import marshal
import pickle
import re
import sys
import zlib
from pathlib import Path

import mtreview
from mtreview.diskcache import cache_dir, compile_pattern, write_bounded as _write

__all__ = ["cache_dir", "cached_plan", "compile_pattern", "load_rules_cached"]


def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino)


_MAX_PACK_FILES = 16
_PACK_CODE = ("rule.py", "model.py", "errors.py", "ruleset/loader.py", "ruleset/yamlfile.py", "ruleset/cache.py", "diskcache.py")


def _code_stats(names) -> tuple:
    package = Path(mtreview.__file__).resolve().parent
    return tuple(_stat_key(package / name) for name in names)


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
        buffer = io.BytesIO()
        _PackPickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((key, packs))
        data = buffer.getvalue()
    except Exception:
        return packs
    _write(path, data, "packs-", _MAX_PACK_FILES)
    return packs


class _PackPickler(pickle.Pickler):
    """Pickles compiled patterns as calls to ``compile_pattern``, so loading rebuilds them fast."""

    def reducer_override(self, obj):
        if isinstance(obj, re.Pattern):
            return compile_pattern, (obj.pattern, obj.flags)
        return NotImplemented


# The code that fills the caches, as it was when this module was imported (with the modules
# that import it): a process that loaded older code must not file its results under the
# newer files' names.
try:
    _PLAN_TAG = (mtreview.__version__, sys.version, _code_stats(_PLAN_CODE))
    _PACK_TAG = (mtreview.__version__, sys.version, _code_stats(_PACK_CODE))
except OSError:
    _PLAN_TAG = _PACK_TAG = None
