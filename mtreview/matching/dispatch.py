"""Regex rules, each tried only at the offsets where it can match.

``PatternMatcher`` runs every regex rule at every offset where the rule may match and reports
what it matches there: what regex rules promise. Trying each rule at each offset would cost
the number of rules times the length of the text, so ``_RegexScan`` first reads the rules'
shapes (``mtreview/matching/shapes.py``) and finds, with a few combined scans, the offsets
where some rule may match and which rules may match there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from heapq import merge
from operator import itemgetter

from mtreview.diskcache import cached_plan, compile_pattern
from mtreview.document import lower_same_length, non_ascii_separator_ends
from mtreview.matching.api import ASCII_NON_WORD, Hit, finditer_at, iter_all, iter_at
from mtreview.matching.shapes import (
    MAX_PREFIX_LENGTH,
    Shape,
    embeddable_loose,
    literal_prefixes,
    parts_of,
    shape_of,
    unparse_part,
)
from mtreview.matching.tries import literal_trie
from mtreview.rule import Rule

_BACKREF_RE = compile_pattern(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")
_NAMED_GROUP_RE = compile_pattern(r"(?<!\\)\(\?P<\w+>")
_HEAD = 4
_MIN_WORD_PREFIX = 4


class PatternMatcher:
    r"""Regex rules, each tried only at the positions where it can match.

    Every rule is run (``match``) at every offset of the text and reports what it matches
    there: that is what regex rules promise. Trying each rule at each offset would cost the
    number of rules times the length of the text, so the rules are first analysed: which
    literal text a match must begin with, or else which characters it can begin with, and
    whether it can only begin after a non-word character (``\b``, ``(?<!\w)``, ``(?<=\s)``
    and the like). A few combined scans then find the offsets where some rule may match,
    with the rules that may match there (``_RegexScan``), and only those are run. Rules with
    back-references run on their own with ``finditer``, from the offsets where they can
    start.
    """

    def __init__(self, rules: list[Rule]):
        self.rules = []
        combinable = []
        self.standalone = []
        for rule in rules:
            pattern = rule.spec
            assert isinstance(pattern, str)  # a regex rule's spec is its pattern
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            compiled = compile_pattern(pattern, flags)
            self.rules.append((rule, compiled))
            # Names are the rule's own business: in the combined pattern they would clash.
            body = _NAMED_GROUP_RE.sub("(?:", pattern)
            wrapped = f"(?:{body})" if rule.case_sensitive else f"(?i:{body})"
            if _BACKREF_RE.search(pattern):
                self.standalone.append((rule, compiled))
            else:
                combinable.append((rule, compiled, wrapped))
        self.combined_rules = [(r, c) for r, c, _ in combinable]
        # Rules with back-references are found from the same scan, looked for by a looser
        # pattern; finditer_at needs regexes that never match empty text, the others run on
        # their own as before.
        loose = cached_plan(
            ("standalone", tuple((c.pattern, c.flags) for _, c in self.standalone)),
            lambda: [
                embeddable_loose(c) if c.match("") is None and not shape_of(c).nullable else None
                for _, c in self.standalone
            ],
        )
        self._scanned_standalone = [j for j, body in enumerate(loose) if body is not None]
        entries: list[tuple] = [(w, c) for _, c, w in combinable]
        entries += [(loose[j], self.standalone[j][1], True) for j in self._scanned_standalone]
        self._scan = _RegexScan(entries) if entries else None

    @property
    def word_prefixes(self) -> list[str]:
        """The lower-cased texts that matches of some regex rules begin with at word starts
        (``find`` can take the offsets where they occur from a shared scan)."""
        return self._scan.word_prefixes if self._scan is not None else []

    def find(self, text: str, lowered: str | None = None, padded_lowered: str | None = None,
             separators: list[int] | None = None, word_starts: Iterable[int] | None = None) -> list[Hit]:
        """``lowered`` (``lower_same_length(text)``), ``padded_lowered`` (``" " + lowered``)
        and ``separators`` (``Document.after_non_ascii_separators``) may be given when the
        caller has them."""
        hits: list[Hit] = []
        if self._scan is None and not self.standalone:
            return hits
        if lowered is None:
            lowered = lower_same_length(text)
        if padded_lowered is None:
            padded_lowered = " " + lowered
        standalone_starts: dict[int, list[int]] = {j: [] for j in self._scanned_standalone}
        if self._scan is not None:
            rules = self.combined_rules
            combined = len(rules)
            for start, chosen in self._scan.candidates(text, lowered, padded_lowered, separators, word_starts):
                for i in chosen:
                    if i >= combined:
                        standalone_starts[self._scanned_standalone[i - combined]].append(start)
                        continue
                    rule, compiled = rules[i]
                    rm = compiled.match(text, start)
                    if rm is not None and rm.end() > start:
                        hits.append(Hit(rule, start, rm.end(), _regex_captures(rm)))
        for j, (rule, compiled) in enumerate(self.standalone):
            if j in standalone_starts:
                matches: Iterable[re.Match] = finditer_at(compiled, text, standalone_starts[j])
            else:
                matches = compiled.finditer(text)
            for rm in matches:
                if rm.end() > rm.start():
                    hits.append(Hit(rule, rm.start(), rm.end(), _regex_captures(rm)))
        return hits


# Characters in the order they most often start English words, so that the dispatch below
# finds the branch for a word's first letter after few comparisons.
_FIRST_CHAR_ORDER = (
    "tacsopmbwfidhrelgnuvkjyqzxTASCIMBPHWNFDRGLEOJKUVYZQX1234567890"
    + "".join(chr(c) for c in range(128) if not chr(c).isalnum())
)
# The characters that match an ASCII letter when case is ignored without being one of its
# two cases (dotless i, long s, dotted capital I, Kelvin sign): text with one of them is not
# read through its lower-cased form or with ``_unparse``'s case classes.
_CASE_ODD = ("\u0131", "\u017f", "\u0130", "\u212a")


class _RegexScan:
    """Finds the offsets where some of several regexes may match, with which ones.

    ``entries`` are ``(body, compiled)``: the regex as a group that can sit in a bigger
    pattern, and the regex itself. Each regex is cut into parts, one per alternative of its
    first alternation (``_split_alternatives``), and each part is looked for

    * by the literal text its matches begin with (``literal_prefixes``), in a trie of all
      such texts, run over the lower-cased text; only at word starts for regexes whose
      matches begin after a non-word character (the scan consumes the character before, as
      ``PhraseMatcher`` does);
    * or, when that text is short or unknown, by its first character: a pattern consumes
      that character, picks the branch for it and checks there, in a look-behind holding a
      look-ahead, the parts that can begin with it (``_CharDispatch``), written out with
      ``_unparse`` so that the regex engine's fast paths work; again at word starts only
      where that is enough;
    * and a regex the analysis does not understand is looked for at every offset.

    Offset 0 is always a candidate, for every regex. Candidates are a superset of where the
    regexes match, so callers run the regexes there and report exactly what they match.
    """

    def __init__(self, entries: list[tuple], single: bool = False):
        self.size = len(entries)
        self._source = entries
        self._single = single
        key = ("regex-scan", single, tuple(
            (body, compiled.pattern, compiled.flags, bool(rest and rest[0])) for body, compiled, *rest in entries
        ))
        plan = cached_plan(key, lambda: self._plan(entries, single))
        self._by_prefix = {prefix: tuple(indexes) for prefix, indexes in plan["by_prefix"].items()}
        self.word_prefixes: list[str] = plan["word_prefixes"]
        # Prefixes by their first (up to) four characters, for the look-up at each candidate.
        self._by_head: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
        for prefix, indexes in self._by_prefix.items():
            self._by_head.setdefault(prefix[:_HEAD], []).append((prefix, indexes))
        self._head_lengths = sorted({min(len(p), _HEAD) for p in self._by_prefix})
        self._trie_word = self._trie_anywhere = None
        if plan["trie_word"] is not None:
            trie = plan["trie_word"]
            self._trie_word = (compile_pattern(ASCII_NON_WORD + trie), compile_pattern(r"[^\x00-\x7f](?<!\w)" + trie))
        if plan["trie_anywhere"] is not None:
            self._trie_anywhere = compile_pattern(plan["trie_anywhere"])
        self._by_char = _CharDispatch(plan["by_char"])
        self._by_char_all: _CharDispatch | None = None

    @staticmethod
    def _plan(entries: list[tuple], single: bool) -> dict:
        """The analysis, as plain data (so that it can be cached)."""
        by_prefix: dict[str, set[int]] = {}
        prefix_word: list[str] = []
        prefix_anywhere: list[str] = []
        dispatched: list[tuple[int, list, Shape]] = []  # (index, parts, shape)
        for i, (body, compiled, *rest) in enumerate(entries):
            loose = bool(rest and rest[0])  # a regex with back-references: look for a looser one
            shape = shape_of(compiled)
            parts = parts_of(compiled, loose) if shape.first is not None and not single else None
            if parts is None:
                dispatched.append((i, [(body, shape.first)], shape))
                continue
            by_char = []
            for items, first in parts:
                prefixes = literal_prefixes(items)
                if prefixes and min(map(len, prefixes)) >= (_MIN_WORD_PREFIX if shape.after_non_word else 1):
                    for prefix in prefixes:
                        by_prefix.setdefault(prefix, set()).add(i)
                        (prefix_word if shape.after_non_word else prefix_anywhere).append(prefix)
                else:
                    by_char.append(("(?:" + unparse_part(items, loose) + ")", first))
            if by_char:
                dispatched.append((i, by_char, shape))
        return {
            "by_prefix": {prefix: sorted(indexes) for prefix, indexes in by_prefix.items()},
            "trie_word": "(?:" + literal_trie(prefix_word) + ")" if prefix_word else None,
            "word_prefixes": sorted(set(prefix_word)),
            "trie_anywhere": literal_trie(prefix_anywhere) if prefix_anywhere else None,
            "by_char": _CharDispatch.plan(dispatched, single),
        }

    def _exact_dispatch(self) -> _CharDispatch:
        """The dispatch of every whole regex as it is written (for case-odd text)."""
        if self._by_char_all is None:
            entries = []
            for i, (body, compiled, *_) in enumerate(self._source):
                shape = shape_of(compiled)
                entries.append((i, [(body, shape.first)], shape))
            self._by_char_all = _CharDispatch(_CharDispatch.plan(entries, self._single))
        return self._by_char_all

    def candidates(self, text: str, lowered: str, padded_lowered: str, separators: list[int] | None = None,
                   word_starts: Iterable[int] | None = None) -> Iterator[tuple[int, list[int]]]:
        """``(offset, indexes of the regexes to try there)``, by offset. ``word_starts``:
        offsets where some of ``word_prefixes`` begins (ascending), when the caller scanned
        for them. The scans are merged as they go: whatever the length of the text, no list
        of every candidate is ever held (a 50 MB text has tens of millions)."""
        if separators is None and not text.isascii():
            separators = non_ascii_separator_ends(text)
        streams: list[Iterable[tuple[int, Iterable[int]]]] = [[(0, range(self.size))]]
        if any(c in text for c in _CASE_ODD):
            dispatch = self._exact_dispatch()
        else:
            dispatch = self._by_char
            streams.append(self._prefix_candidates(lowered, padded_lowered, separators, word_starts))
        streams.extend(dispatch.streams(text, separators or []))
        current, chosen = -1, set[int]()
        for start, indexes in merge(*streams, key=itemgetter(0)):
            if start != current:
                if current >= 0:
                    yield current, sorted(chosen)
                current, chosen = start, set(indexes)
            else:
                chosen.update(indexes)
        if current >= 0:
            yield current, sorted(chosen)

    def _prefix_candidates(self, lowered: str, padded_lowered: str, separators: list[int] | None,
                           word_starts: Iterable[int] | None) -> Iterator[tuple[int, tuple[int, ...]]]:
        """``(offset, indexes)`` where a regex's literal prefix begins, ascending."""
        sources: list[Iterable[int]] = []
        if word_starts is not None:
            sources.append(word_starts)
        elif self._trie_word is not None:
            sources.append(m.start() for m in iter_all(self._trie_word[0], padded_lowered))
            if separators:
                sources.append(m.start() for m in iter_at(self._trie_word[1], padded_lowered, separators))
        if self._trie_anywhere is not None:
            sources.append(m.start() for m in iter_all(self._trie_anywhere, lowered))
        by_head = self._by_head
        head_lengths = self._head_lengths
        reach = 4 * MAX_PREFIX_LENGTH
        last = -1
        for start in merge(*sources):
            if start == last:
                continue
            last = start
            # White-space runs as one space (a space in a prefix stands for a run), a
            # leading one included (a prefix may begin with white space: " ,").
            window = " ".join(lowered[start : start + reach].split())
            if lowered[start : start + 1].isspace():
                window = " " + window
            for length in head_lengths:
                for prefix, indexes in by_head.get(window[:length], ()):
                    if window.startswith(prefix):
                        yield start, indexes


class _CharDispatch:
    """The first-character part of ``_RegexScan``, built from a ``plan``; it reports the
    indexes of the regexes to try."""

    def __init__(self, plan: dict):
        self._char_rules = plan["char_rules"]
        self._non_ascii_rules = plan["non_ascii_rules"]
        self._lines = compile_pattern(plan["lines"]) if plan["lines"] is not None else None
        self._ascii = compile_pattern(plan["ascii"]) if plan["ascii"] is not None else None
        self._other = compile_pattern(plan["other"]) if plan["other"] is not None else None
        self._anywhere = compile_pattern(plan["anywhere"]) if plan["anywhere"] is not None else None

    @staticmethod
    def plan(entries: list[tuple[int, list, Shape]], single: bool = False) -> dict:
        """For ``entries`` ``(index, parts, shape)`` where ``parts`` are ``(body, first
        pieces)`` (``first`` None: any character)."""
        # (index, body, test of the first character or None, ascii-only, where, first)
        parts = []
        for i, entry_parts, shape in entries:
            for body, first in entry_parts:
                test = compile_pattern("|".join(p.regex for p in first)) if first else None
                ascii_only = bool(first) and all(p.ascii_only for p in first)
                where = None if first is None else "line" if shape.after_newline else "word" if shape.after_non_word else "any"
                parts.append((i, body, test, ascii_only, where, first))
        word = [part for part in parts if part[4] == "word"]
        lines = [part for part in parts if part[4] == "line"]
        anywhere = [part for part in parts if part[4] == "any"]
        unknown = [part for part in parts if part[4] is None]
        dispatch = _dispatch(word, single) if word else None
        branches = [_dispatch(anywhere, single)] if anywhere else []
        if unknown:
            branches.append("(?=" + "|".join(part[1] for part in unknown) + ")")
        return {
            "char_rules": {
                char: sorted({i for i, _, test, _, _, _ in parts if test is None or test.fullmatch(char)})
                for char in _FIRST_CHAR_ORDER
            },
            "non_ascii_rules": sorted({i for i, _, _, ascii_only, _, _ in parts if not ascii_only}),
            "lines": "\n" + _dispatch(lines, single) if lines else None,
            "ascii": ASCII_NON_WORD + dispatch if dispatch else None,
            "other": r"[^\x00-\x7f](?<!\w)" + dispatch if dispatch else None,
            "anywhere": "|".join(branches) if branches else None,
        }

    def _rules_for(self, char: str) -> list[int]:
        return self._char_rules[char] if char.isascii() else self._non_ascii_rules

    def streams(self, text: str, separators: list[int]) -> list[Iterator[tuple[int, list[int]]]]:
        """One scan per pattern, each yielding ``(offset, indexes)`` in ascending order."""
        out = []
        for pattern, skip in ((self._lines, 1), (self._ascii, 1), (self._anywhere, 0)):
            if pattern is not None:
                out.append(self._offsets(iter_all(pattern, text), text, skip))
        if self._other is not None and separators:
            out.append(self._offsets(iter_at(self._other, text, (s - 1 for s in separators)), text, 1))
        return out

    def _offsets(self, matches: Iterable[re.Match], text: str, skip: int) -> Iterator[tuple[int, list[int]]]:
        n = len(text)
        rules_for = self._rules_for
        for m in matches:
            start = m.start() + skip
            yield start, rules_for(text[start]) if start < n else []


def _dispatch(parts: list, single: bool = False) -> str:
    """A pattern that matches one character at offset i iff some part can match at i.
    ``single``: instead, a look-ahead for the parts, to be tried at every position the scan
    stops at (for a body that can appear only once, and not in a look-behind: one with
    back-references)."""
    if single:
        firsts = "|".join(piece.regex for part in parts for piece in (part[5] or ()))
        return ("(?=" + firsts + ")" if firsts else "") + "(?=" + "|".join(part[1] for part in parts) + ")"
    by_parts: dict[tuple[int, ...], list[str]] = {}
    for char in _FIRST_CHAR_ORDER:
        chosen = tuple(k for k, part in enumerate(parts) if part[2].fullmatch(char))
        if chosen:
            by_parts.setdefault(chosen, []).append(char)
    branches = []
    for chosen, chars in by_parts.items():
        head = re.escape(chars[0]) if len(chars) == 1 else "[" + "".join("\\x%02x" % ord(c) for c in chars) + "]"
        branches.append(head + _at_this_char([parts[k][1] for k in chosen]))
    beyond_ascii = [part[1] for part in parts if not part[3]]
    if beyond_ascii:
        branches.append(r"[^\x00-\x7f]" + _at_this_char(beyond_ascii))
    return "(?:" + "|".join(branches) + ")" if len(branches) != 1 else branches[0]


def _at_this_char(bodies: list[str]) -> str:
    """After one character is consumed: check that one of ``bodies`` matches where it began."""
    return r"(?<=(?=" + "|".join(bodies) + r")[\s\S])"


def _regex_captures(m: re.Match) -> dict[str, str]:
    captures = {"0": m.group(0)}
    for i, g in enumerate(m.groups(), 1):
        captures[str(i)] = g or ""
    for name, g in m.groupdict().items():
        captures[name] = g or ""
    return captures
