"""The same name or word spelt two ways in one document (Elysée/Elysee, Kiev/Kyiv)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.matching.api import Hit, finditer_at, literal_starts

# Words with a letter outside ASCII: candidates for an accented/unaccented pair.
_ACCENTED_WORD_RE = compile_pattern(r"(?<![\w'’-])[\w'’-]*[^\x00-\x7f](?<=[^\W\d_])[\w'’-]*")


# Speed: the patterns here open with a look-behind, which makes the regex engine try them
# at every offset; they are tried only where one of their literal words begins
# (``literal_starts``).
_NON_ASCII_LETTER_RE = compile_pattern(r"[^\x00-\x7f](?<=[^\W\d_])")
_WORD_CHARS = frozenset("'’-_")


def _is_run_char(c: str) -> bool:
    return c.isalnum() or c in _WORD_CHARS


def _accented_words(doc):
    """``(start, word)`` for each ``_ACCENTED_WORD_RE`` match: a maximal run of word
    characters, apostrophes and hyphens holding a non-ASCII letter."""
    text = doc.scan_text
    if text.isascii():
        return
    end = 0
    for chunk in range(0, len(text), 4096):
        if text[chunk : chunk + 4096].isascii():
            continue
        for m in _NON_ASCII_LETTER_RE.finditer(text, chunk, chunk + 4096):
            i = m.start()
            if i < end:
                continue  # inside the word just reported
            start = i
            while start > 0 and _is_run_char(text[start - 1]):
                start -= 1
            end = i + 1
            while end < len(text) and _is_run_char(text[end]):
                end += 1
            yield start, text[start:end]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _table_regex(groups: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern | None, dict[str, int]]:
    """One regex for every variant of every group, and each variant's group index."""
    which = {variant: i for i, group in enumerate(groups) for variant in group}
    if not which:
        return None, which
    alternatives = "|".join(re.escape(v) for v in sorted(which, key=len, reverse=True))
    return compile_pattern(rf"(?<![\w.])(?:{alternatives})(?![\w]|\.\w)"), which


@check(
    scope="document",
    id="consistency.spelling",
    category="terminology/inconsistent",
    severity="info",
    fix="unsafe",
    message="“{0}” is written “{majority}” elsewhere in this document ({count}×); use one spelling",
    why="""Translations assembled from several sources or edited by several hands mix spellings
        of the same name (Elysée and Elysee, Kiev and Kyiv, US and U.S.). Readers notice; the
        desk picks one. The form used most (or first, on a tie) is suggested; which one is
        right is the house's choice, so this is information, not a warning.""",
    instead="One spelling throughout: “the Elysée … the Elysée”.",
    options={"groups": "@variants"},
    examples={
        "bad": [
            {"text": "The Elysée said so. Later the [Elysee] denied it. The Elysée insisted.",
             "fixed": "The Elysée said so. Later the Elysée denied it. The Elysée insisted."},
            {"text": "Officials in Kyiv spoke. Kyiv denied it. Shelling hit [Kiev].",
             "fixed": "Officials in Kyiv spoke. Kyiv denied it. Shelling hit Kyiv."},
            {"text": "The U.S. said so, and the [US] agreed.",
             "fixed": "The U.S. said so, and the U.S. agreed."},
        ],
        "good": [
            "The Elysée spoke. The Elysée denied it.",
            "Officials in Kyiv spoke; Kyiv denied it.",
            "José Martí wrote it. The café was full; a cafe opened later.",
        ],
    },
)
def spelling_variants(doc, rule):
    text = doc.scan_text
    occurrences: dict[str, dict[str, list[int]]] = {}  # group key -> variant -> starts
    groups = tuple(tuple(g) for g in rule.options.get("groups", ()) if isinstance(g, list))
    pattern, which = _table_regex(groups)
    if pattern is not None:
        for m in finditer_at(pattern, text, literal_starts(text, which)):
            occurrences.setdefault(f"table:{which[m.group()]}", {}).setdefault(m.group(), []).append(m.start())
    # accented and unaccented forms of the same word: only names (capitalised), so that
    # foreign words quoted in italics (café, résumé) are left alone
    accented: dict[str, set[str]] = {}
    for _, word in _accented_words(doc):
        if word[:1].isupper():
            plain = _strip_accents(word)
            if plain != word:
                accented.setdefault(plain, set()).add(word)
    if accented:
        forms = sorted({f for plain, fs in accented.items() for f in fs | {plain}}, key=len, reverse=True)
        finder = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, forms)) + r")(?![\w'’-])")
        for m in finditer_at(finder, text, literal_starts(text, forms)):
            word = m.group()
            occurrences.setdefault(f"accent:{_strip_accents(word)}", {}).setdefault(word, []).append(m.start())
    for variants in occurrences.values():
        if len(variants) < 2:
            continue
        majority = max(variants, key=lambda v: (len(variants[v]), -variants[v][0]))
        count = len(variants[majority])
        for variant, starts in variants.items():
            if variant == majority:
                continue
            for start in starts:
                yield Hit(rule, start, start + len(variant), {"majority": majority, "count": str(count)},
                          suggestions=(majority,))
