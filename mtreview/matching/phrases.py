"""Phrase and token-sequence rules: every phrase of one case mode in one trie-shaped regular
expression, run once over the text; each match is resolved in Python to all the rules whose
phrase starts there. Token rules are expanded into their phrases (word classes, alternatives,
optional items) first."""

from __future__ import annotations

import itertools
import re
from array import array
from collections.abc import Iterable
from heapq import merge

from mtreview.diskcache import cached_plan, compile_pattern
from mtreview.errors import MtreviewError
from mtreview.matching.api import ASCII_NON_WORD, Hit, iter_all, iter_at
from mtreview.matching.tries import phrase_trie, shared_trie
from mtreview.rule import Rule, phrase_key

_MAX_EXPANSIONS = 20000


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def normalize(text: str) -> tuple[str, list[int]]:
    """Collapse white space to one space and ’ to '; map each output char to its input index."""
    if "’" not in text and "  " not in text and text.isprintable() and not text.startswith(" "):
        # Already normal: single spaces only (every other white-space character is
        # unprintable) and no curly apostrophe.
        return text, list(range(len(text)))
    out: list[str] = []
    index: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                index.append(i)
            in_space = True
            continue
        in_space = False
        out.append("'" if ch == "’" else ch)
        index.append(i)
    return "".join(out), index


# -- token items -------------------------------------------------------------------------
def expand_tokens(rule: Rule, classes: dict[str, frozenset[str]]) -> list[tuple[tuple[str, ...], ...]]:
    """All concrete word sequences of a token rule, one tuple of words per item."""
    items: list[list[tuple[str, ...]]] = []
    for raw in rule.spec:
        optional = raw.endswith("?") and len(raw) > 1
        body = raw[:-1] if optional else raw
        alternatives: list[tuple[str, ...]] = []
        for alt in body.split("|"):
            alt = alt.strip()
            if alt.startswith("<") and alt.endswith(">"):
                name = alt[1:-1]
                if name not in classes:
                    raise MtreviewError(
                        f"{rule.origin}: rule {rule.id!r}: unknown word class <{name}> "
                        f"(known: {', '.join(sorted(classes)) or 'none'})"
                    )
                alternatives.extend(tuple(w.split()) for w in sorted(classes[name]))
            elif alt:
                alternatives.append(tuple(phrase_key(alt, rule.case_sensitive).split()))
        if optional:
            alternatives.append(())
        items.append(alternatives)
    total = 1
    for alternatives in items:
        total *= len(alternatives)
    if total > _MAX_EXPANSIONS:
        raise MtreviewError(f"{rule.origin}: rule {rule.id!r}: token sequence expands to {total} phrases; split the rule")
    return [combo for combo in itertools.product(*items) if any(combo)]


class PhraseMatcher:
    """All phrase and token rules of one case mode, as one trie regex."""

    def __init__(self, rules: list[Rule], classes: dict[str, frozenset[str]], case_sensitive: bool):
        self.case_sensitive = case_sensitive
        # Expanding token rules and writing the trie take a while for thousands of phrases:
        # that work is cached (as rule indexes), keyed by everything it depends on.
        key = (
            "phrases", case_sensitive,
            tuple((r.id, r.kind, tuple(r.spec), r.case_sensitive, r.origin) for r in rules),
            tuple(sorted((name, tuple(sorted(words))) for name, words in classes.items()))
            if any(r.kind == "tokens" for r in rules) else (),
        )
        plan = cached_plan(key, lambda: self._plan(rules, classes, case_sensitive))
        self.entries: dict[str, list[tuple[Rule, tuple[int, ...]]]] = {
            phrase: [(rules[i], tuple(counts)) for i, counts in found] for phrase, found in plan["entries"].items()
        }
        self._trie = plan["trie"]
        # A phrase starts where no word character precedes it: ``(?<!\w)(?:trie)(?!\w)``. A
        # pattern that opens with a look-behind is tried at every position of the text, so the
        # scan instead consumes the character before the phrase (the text is searched with one
        # space in front, for a phrase at offset 0): an ASCII non-word character, found by the
        # regex engine's fast first-character scan, or a non-ASCII one that is not a word
        # character, in a second, equally fast scan. Together they try exactly the positions
        # the look-behind allows, and the trie then matches exactly as it would there.
        if self._trie is not None:
            body = "(" + self._trie + r")(?!\w)"
            self._ascii_scan = compile_pattern(ASCII_NON_WORD + body)
            self._other_scan = compile_pattern(r"[^\x00-\x7f](?<!\w)" + body)

    @staticmethod
    def _plan(rules: list[Rule], classes: dict[str, frozenset[str]], case_sensitive: bool) -> dict:
        entries: dict[str, list[tuple[int, tuple[int, ...]]]] = {}
        for i, rule in enumerate(rules):
            if rule.kind == "phrases":
                for phrase in rule.spec:
                    key = phrase_key(phrase, case_sensitive)
                    entries.setdefault(key, []).append((i, (len(key.split()),)))
            else:
                for combo in expand_tokens(rule, classes):
                    key = " ".join(w for item in combo for w in item)
                    entries.setdefault(key, []).append((i, tuple(len(item) for item in combo)))
        return {"entries": entries, "trie": phrase_trie(sorted(entries)) if entries else None}

    def find(self, text: str, scan: str, padded: str | None = None, separators: list[int] | None = None) -> list[Hit]:
        """``scan`` is what the regex runs on (lower-cased or not); offsets are shared with ``text``.
        ``padded`` may give ``" " + scan`` and ``separators`` the offsets after non-ASCII
        separators (``Document.after_non_ascii_separators``) when the caller has them."""
        hits: list[Hit] = []
        if self._trie is None:
            return hits
        if padded is None:
            padded = " " + scan
        # Every position where a phrase match starts, with its match (offsets in ``padded``
        # are one more than in ``scan``, so the separator's offset is the phrase's).
        # (one at a time: a long text has millions)
        starts: Iterable[re.Match] = iter_all(self._ascii_scan, padded)
        if not padded.isascii():
            # In ``padded`` the separator before offset s of the text is at s.
            other = (iter_all(self._other_scan, padded) if separators is None
                     else iter_at(self._other_scan, padded, separators))
            starts = merge(starts, other, key=_match_start)
        for m in starts:
            self._resolve(text, m.start(), m.group(1), hits)
        return hits

    def _resolve(self, text: str, start: int, matched: str, hits: list[Hit], after: str = "") -> None:
        """Hits for every phrase that ``matched`` (the text at ``start``) begins with and that
        ends at a word boundary in it; ``after`` is the character after ``matched`` when the
        match itself did not check the boundary at its end."""
        key, index = normalize(matched)
        entries = self.entries
        for k in range(len(key), 0, -1):
            if k < len(key) and _is_word(key[k]):
                continue
            if k == len(key) and after and _is_word(after):
                continue
            for rule, counts in entries.get(key[:k], ()):
                end = start + index[k - 1] + 1
                hits.append(Hit(rule, start, end, _token_captures(text, start, end, counts)))


class SharedWordScan:
    """One scan of the lower-cased text for both the case-insensitive phrases and the
    literal beginnings of regex rules (``PatternMatcher.word_prefixes``): one trie holds
    both, phrase ends checking the word boundary, prefix ends not. At each offset the trie
    returns its longest match, which begins with every phrase that matches there (they all
    lie on the same text), so the phrases found are those ``PhraseMatcher.find`` finds; and
    every offset where a prefix begins is reported for the regex rules.

    Case-sensitive phrases (``cs``, ASCII ones only) ride along: their lower-cased forms go
    into the trie like prefixes, and where the trie matches, their own matcher is run at
    that offset of the original text."""

    def __init__(self, phrases: PhraseMatcher, prefixes: list[str], cs: PhraseMatcher | None = None):
        self.phrases = phrases
        self.cs = cs if cs is not None and cs.entries else None
        extra = sorted({k.lower() for k in self.cs.entries}) if self.cs is not None else []
        key = ("shared-word-scan", tuple(sorted(phrases.entries)), tuple(prefixes), tuple(extra))
        trie = cached_plan(key, lambda: shared_trie(sorted(phrases.entries), sorted(set(prefixes) | set(extra))))
        self._ascii = compile_pattern(ASCII_NON_WORD + "(" + trie + ")")
        self._other = compile_pattern(r"[^\x00-\x7f](?<!\w)(" + trie + ")")

    @staticmethod
    def takes(cs: PhraseMatcher) -> bool:
        """Whether the case-sensitive phrases can ride along (their lower-cased forms are
        read the same way in the lower-cased text)."""
        return all(key.isascii() for key in cs.entries)

    def find(self, text: str, scan: str, padded: str, separators: list[int],
             padded_scan: str | None = None) -> tuple[list[Hit], list[Hit], array]:
        """Case-insensitive phrase hits, case-sensitive phrase hits, and the offsets for the
        regex rules. ``padded_scan`` is ``" " + text`` (for the case-sensitive phrases)."""
        # one match at a time, keeping only the offsets: a long text has millions of them
        matches: Iterable[re.Match] = iter_all(self._ascii, padded)
        if separators:
            matches = merge(matches, iter_at(self._other, padded, separators), key=_match_start)
        starts = array("q")
        hits: list[Hit] = []
        cs_hits: list[Hit] = []
        resolve = self.phrases._resolve
        cs = self.cs
        cs_scan = ""  # ``" " + text``, when there are case-sensitive phrases
        if cs is not None:
            cs_scan = " " + text if padded_scan is None else padded_scan
        for m in matches:
            start = m.start()
            starts.append(start)
            after = padded[m.end() : m.end() + 1]
            resolve(text, start, m.group(1), hits, after)
            if cs is not None:
                exact = (cs._ascii_scan if cs_scan[start] < "\x80" else cs._other_scan).match(cs_scan, start)
                if exact is not None:
                    cs._resolve(text, start, exact.group(1), cs_hits)
        return hits, cs_hits, starts


def _match_start(m: re.Match) -> int:
    return m.start()


def _token_captures(text: str, start: int, end: int, counts: tuple[int, ...]) -> dict[str, str]:
    matched = text[start:end]
    words = matched.split()
    captures = {"0": matched}
    i = 0
    for n, count in enumerate(counts, 1):
        captures[str(n)] = " ".join(words[i : i + count])
        i += count
    return captures
