"""What checks use: ``Hit``, what a rule or check reports, and the scan helpers that find
candidate offsets fast and then report exactly what a plain ``finditer`` would."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from itertools import repeat
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from mtreview.diskcache import compile_pattern
from mtreview.matching.tries import phrase_trie

if TYPE_CHECKING:
    from mtreview.rule import Rule

#: ASCII characters that are not word characters (what ``\W`` matches below U+0080).
ASCII_NON_WORD = r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"


class Hit(NamedTuple):
    """Where a rule matched, with its captures (``"0"`` is the whole match). A check may give
    its own message and suggestions; otherwise the rule's templates are rendered from the
    captures (``mtreview/settle.py``)."""

    rule: Rule
    start: int
    end: int
    captures: Mapping[str, str] = MappingProxyType({})
    suggestions: tuple[str, ...] | None = None  # None: render the rule's templates
    message: str | None = None  # None: render the rule's message
    source_marks: tuple[tuple[int, int], ...] = ()  # a bilingual check's evidence: spans of the source text


def scan_all(pattern: re.Pattern, text: str) -> list[re.Match]:
    """The match at every position where ``pattern`` matches (overlapping ones included)."""
    out: list[re.Match] = []
    search = pattern.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            return out
        out.append(m)
        pos = m.start() + 1


def iter_all(pattern: re.Pattern, text: str) -> Iterator[re.Match]:
    """``scan_all``, one match at a time: a scan of a long text holds no list of its matches."""
    search = pattern.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            return
        yield m
        pos = m.start() + 1


def iter_at(pattern: re.Pattern, text: str, starts) -> Iterator[re.Match]:
    """``matches_at``, one match at a time."""
    match = pattern.match
    for start in starts:
        m = match(text, start)
        if m is not None:
            yield m


def literal_starts(text: str, literals) -> list[int]:
    """Every offset where one of ``literals`` begins in ``text`` (case-sensitive), ascending.

    Candidates for ``finditer_at`` when a pattern's matches begin with one of a few literal
    words. Literals that open with a capital are found by one scan of their trie: capitals
    are rare in prose, so the regex engine skips ahead fast. The others are found by
    ``str.find``, one literal at a time: a scan stopping at every “e” or “p” would be
    slower than several passes of ``find``."""
    capitals = sorted({w for w in literals if w[:1].isupper()})
    starts: set[int] = set()
    if capitals:
        starts.update(m.start() for m in scan_all(_words_finder(tuple(capitals)), text))
    find = text.find
    for word in {w for w in literals if w and not w[:1].isupper()}:
        i = find(word)
        while i != -1:
            starts.add(i)
            i = find(word, i + 1)
    return sorted(starts)


@lru_cache(maxsize=16)
def _words_finder(words: tuple[str, ...]) -> re.Pattern:
    return compile_pattern(phrase_trie(list(words)))


def matches_at(pattern: re.Pattern, text: str, starts) -> list[re.Match]:
    """``scan_all(pattern, text)`` when ``starts`` holds every offset where ``pattern`` can
    match (ascending)."""
    match = pattern.match
    return [m for m in map(match, repeat(text), starts) if m is not None]


def finditer_at(regex: re.Pattern, text: str, starts) -> list[re.Match]:
    """``list(regex.finditer(text))``, trying ``regex`` only at ``starts``: ascending
    offsets that include every offset where a match of ``regex`` can start. ``regex`` must
    not match empty text. Fast scans that find candidates use this to report exactly what
    the plain pattern would."""
    out = []
    match = regex.match
    pos = 0
    for start in starts:
        if start < pos:
            continue
        m = match(text, start)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out

