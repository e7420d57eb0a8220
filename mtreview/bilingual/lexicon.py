"""Which words are common words of a language: the word-frequency lists that ship inside
pyspellchecker (English, Spanish, French, German, Italian, Portuguese and others, built from
subtitles and Wikipedia), cut to the words seen at least ``COMMON`` times (or as often as a caller asks).

The name check asks it two questions a language identifier cannot answer for one word: is
a capitalised English word a translation ("Green", "Shelf", "Alliance") rather than a name
put in a source name's place ("Anderson", "Woodruff"), and is a capitalised source word a
word of the source language ("Verde", "Aberto", "Comando") that English translates rather
than keeps. The untranslated checks ask whether a sentence is plainly English before they
ask the language model. The cut lists are cached (``mtreview.diskcache``): reading one costs
5–10 ms, building it from pyspellchecker's file 0.1–0.7 s, once per cache.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

#: A word seen this many times in a language's list is a common word of it: "york" (4,271
#: in English) is, "morgan" (789), "anderson" (260) and "stanley" (435) are not.
COMMON = 1000


def common(word: str, lang: str, count: int = COMMON) -> bool:
    """Whether ``word`` is a common word of ``lang``, case and accents aside (French drops
    the accent of a capital: "Etats"); False for a language without a list. Outside English
    a plural in -s or -es counts as its singular: the Spanish list lacks most plurals
    ("estados", "asuntos"); English names in -s ("Williams") stay names. ``count``: seen at
    least this many times (each count asked for is a list of its own, cached)."""
    plain, words = _plain(word), _words(lang, count)
    forms = [plain]
    if lang != "en" and plain.endswith("s"):
        forms += [plain[:-1], plain[:-2]] if plain.endswith("es") else [plain[:-1]]
    return any(form in words for form in forms)


def _plain(word: str) -> str:
    if word.isascii():
        return word.lower()
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


@functools.cache
def _words(lang: str, count: int) -> frozenset[str]:
    from importlib.util import find_spec

    from mtreview.diskcache import cached_plan

    spec = find_spec("spellchecker")  # the list's file names the cache entry (not importing: 40 ms)
    if spec is None or spec.origin is None:
        return frozenset()
    path = Path(spec.origin).parent / "resources" / f"{lang}.json.gz"
    try:
        stat = path.stat()
    except OSError:
        return frozenset()
    key = ("common-words", lang, count, str(path), stat.st_size, stat.st_mtime_ns)
    return frozenset(cached_plan(key, lambda: _read(lang, count)))


def _read(lang: str, least: int) -> list[str]:
    from spellchecker import SpellChecker

    try:
        frequencies = SpellChecker(language=lang, distance=1).word_frequency.dictionary
    except ValueError:  # no list for this language
        return []
    return sorted({_plain(word) for word, count in frequencies.items() if count >= least})
