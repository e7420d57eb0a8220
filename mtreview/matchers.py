"""Compile phrase, token-sequence and regex rules into a few combined matchers.

Phrase and token rules become one trie-shaped regular expression per case mode, run once
over the text; every hit is then resolved in Python to all the rules whose phrase starts
there. Regex rules are joined into one alternation, and each rule is tried only at the
positions where the alternation hit. The cost is one pass over the text whatever the
number of rules.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from itertools import repeat
from dataclasses import dataclass, field

from mtreview.diskcache import compile_pattern
from mtreview.errors import MtreviewError
from mtreview.rule import Rule
from mtreview.ruleset.cache import cached_plan

_MAX_EXPANSIONS = 20000
_BACKREF_RE = compile_pattern(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")
_NAMED_GROUP_RE = compile_pattern(r"(?<!\\)\(\?P<\w+>")
#: ASCII characters that are not word characters (what ``\W`` matches below U+0080).
ASCII_NON_WORD = r"[\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"


@dataclass(slots=True)
class Hit:
    """Where a rule matched, with its captures (``"0"`` is the whole match)."""

    rule: Rule
    start: int
    end: int
    captures: dict[str, str] = field(default_factory=dict)
    suggestions: tuple[str, ...] | None = None  # None: render the rule's templates
    message: str | None = None  # None: render the rule's message


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


def _norm_phrase(phrase: str, case_sensitive: bool) -> str:
    phrase = " ".join(phrase.split()).replace("’", "'")
    return phrase if case_sensitive else phrase.lower()


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
                alternatives.append(tuple(_norm_phrase(alt, rule.case_sensitive).split()))
        if optional:
            alternatives.append(())
        items.append(alternatives)
    total = 1
    for alternatives in items:
        total *= len(alternatives)
    if total > _MAX_EXPANSIONS:
        raise MtreviewError(f"{rule.origin}: rule {rule.id!r}: token sequence expands to {total} phrases; split the rule")
    return [combo for combo in itertools.product(*items) if any(combo)]


# -- the trie-shaped regular expression ----------------------------------------------------
def _char_re(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch == "'":
        return "['’]"
    return re.escape(ch)


def _build_trie(tagged) -> dict:
    """A character trie of ``(string, tag)`` pairs; the key "" of a node holds the tags of
    the strings that end there. The trie-shaped patterns below are emitted from it."""
    trie: dict = {}
    for string, tag in tagged:
        node = trie
        for ch in string:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).add(tag)
    return trie


def trie_regex(phrases: list[str]) -> str:
    trie = _build_trie((phrase, "phrase") for phrase in phrases)

    def emit(node: dict) -> str:
        end = "" in node
        alts = [_char_re(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            body = (body if len(alts) > 1 else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


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
                    key = _norm_phrase(phrase, case_sensitive)
                    entries.setdefault(key, []).append((i, (len(key.split()),)))
            else:
                for combo in expand_tokens(rule, classes):
                    key = " ".join(w for item in combo for w in item)
                    entries.setdefault(key, []).append((i, tuple(len(item) for item in combo)))
        return {"entries": entries, "trie": trie_regex(sorted(entries)) if entries else None}

    @property
    def regex(self) -> re.Pattern | None:
        """The combined matcher as one plain pattern (for reference; ``find`` does not use it)."""
        return re.compile(r"(?<!\w)(?:" + self._trie + r")(?!\w)") if self._trie is not None else None

    def find(self, text: str, scan: str, padded: str | None = None, separators: list[int] | None = None) -> list[Hit]:
        """``scan`` is what the regex runs on (lower-cased or not); offsets are shared with ``text``.
        ``padded`` may give ``" " + scan`` and ``separators`` the offsets after non-ASCII
        separators (``Document.after_non_ascii_separators``) when the caller has them."""
        hits: list[Hit] = []
        if self._trie is None:
            return hits
        if padded is None:
            padded = " " + scan
        entries = self.entries
        # Every position where a phrase match starts, with its match (offsets in ``padded``
        # are one more than in ``scan``, so the separator's offset is the phrase's).
        starts = scan_all(self._ascii_scan, padded)
        if not padded.isascii():
            # In ``padded`` the separator before offset s of the text is at s.
            other = (scan_all(self._other_scan, padded) if separators is None
                     else matches_at(self._other_scan, padded, separators))
            if other:
                starts = sorted(starts + other, key=lambda m: m.start())
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
        trie = cached_plan(key, lambda: _shared_trie(sorted(phrases.entries), sorted(set(prefixes) | set(extra))))
        self._ascii = compile_pattern(ASCII_NON_WORD + "(" + trie + ")")
        self._other = compile_pattern(r"[^\x00-\x7f](?<!\w)(" + trie + ")")

    @staticmethod
    def takes(cs: PhraseMatcher) -> bool:
        """Whether the case-sensitive phrases can ride along (their lower-cased forms are
        read the same way in the lower-cased text)."""
        return all(key.isascii() for key in cs.entries)

    def find(self, text: str, scan: str, padded: str, separators: list[int],
             padded_scan: str | None = None) -> tuple[list[Hit], list[Hit], list[int]]:
        """Case-insensitive phrase hits, case-sensitive phrase hits, and the offsets for the
        regex rules. ``padded_scan`` is ``" " + text`` (for the case-sensitive phrases)."""
        matches = scan_all(self._ascii, padded)
        if separators:
            other = matches_at(self._other, padded, separators)
            if other:
                matches = sorted(matches + other, key=lambda m: m.start())
        hits: list[Hit] = []
        cs_hits: list[Hit] = []
        resolve = self.phrases._resolve
        cs = self.cs
        if cs is not None and padded_scan is None:
            padded_scan = " " + text
        for m in matches:
            start = m.start()
            after = padded[m.end() : m.end() + 1]
            resolve(text, start, m.group(1), hits, after)
            if cs is not None:
                exact = (cs._ascii_scan if padded_scan[start] < "\x80" else cs._other_scan).match(padded_scan, start)
                if exact is not None:
                    cs._resolve(text, start, exact.group(1), cs_hits)
        return hits, cs_hits, [m.start() for m in matches]


def _shared_trie(phrases: list[str], prefixes: list[str]) -> str:
    trie = _build_trie([(p, "phrase") for p in phrases] + [(p, "prefix") for p in prefixes])

    def emit(node: dict) -> str:
        alts = [_char_re(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        ends = node.get("")
        if ends:
            alts.append("" if "prefix" in ends else r"(?!\w)")  # tried last: longer first
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def scan_all(pattern: re.Pattern, text: str) -> list[re.Match]:
    """The match at every position where ``pattern`` matches (overlapping ones included)."""
    out = []
    search = pattern.search
    pos = 0
    while True:
        m = search(text, pos)
        if m is None:
            return out
        out.append(m)
        pos = m.start() + 1


def literal_starts(text: str, literals) -> list[int]:
    """Every offset where one of ``literals`` begins in ``text`` (case-sensitive), ascending.

    Candidates for ``finditer_at`` when a pattern's matches begin with one of a few literal
    words. Literals that open with a capital are found by one scan of their trie: capitals
    are rare in prose, so the regex engine skips ahead fast. The others are found by
    ``str.find``, one literal at a time: a scan stopping at every “e” or “p” would be
    slower than several passes of ``find``."""
    capitals = sorted({w for w in literals if w[:1].isupper()})
    starts = set()
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
    return compile_pattern(trie_regex(list(words)))


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


def _token_captures(text: str, start: int, end: int, counts: tuple[int, ...]) -> dict[str, str]:
    matched = text[start:end]
    words = matched.split()
    captures = {"0": matched}
    i = 0
    for n, count in enumerate(counts, 1):
        captures[str(n)] = " ".join(words[i : i + count])
        i += count
    return captures


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
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            compiled = compile_pattern(rule.spec, flags)
            self.rules.append((rule, compiled))
            # Names are the rule's own business: in the combined pattern they would clash.
            body = _NAMED_GROUP_RE.sub("(?:", rule.spec)
            wrapped = f"(?:{body})" if rule.case_sensitive else f"(?i:{body})"
            if _BACKREF_RE.search(rule.spec):
                self.standalone.append((rule, compiled))
            else:
                combinable.append((rule, compiled, wrapped))
        self.combined_rules = [(r, c) for r, c, _ in combinable]
        self._combined_source = "|".join(w for _, _, w in combinable)
        # Rules with back-references are found from the same scan, looked for by a looser
        # pattern; finditer_at needs regexes that never match empty text, the others run on
        # their own as before.
        loose = cached_plan(
            ("standalone", tuple((c.pattern, c.flags) for _, c in self.standalone)),
            lambda: [
                _embeddable_loose(c) if c.match("") is None and not _shape(c).nullable else None
                for _, c in self.standalone
            ],
        )
        self._scanned_standalone = [j for j, body in enumerate(loose) if body is not None]
        entries = [(w, c) for _, c, w in combinable]
        entries += [(loose[j], self.standalone[j][1], True) for j in self._scanned_standalone]
        self._scan = _RegexScan(entries) if entries else None

    @property
    def word_prefixes(self) -> list[str]:
        """The lower-cased texts that matches of some regex rules begin with at word starts
        (``find`` can take the offsets where they occur from a shared scan)."""
        return self._scan.word_prefixes if self._scan is not None else []

    @property
    def combined(self) -> re.Pattern | None:
        """All combinable rules as one alternation (for reference; ``find`` does not use it)."""
        return re.compile(self._combined_source) if self.combined_rules else None

    def find(self, text: str, lowered: str | None = None, padded_lowered: str | None = None,
             separators: list[int] | None = None, word_starts: list[int] | None = None) -> list[Hit]:
        """``lowered`` (``lower_same_length(text)``), ``padded_lowered`` (``" " + lowered``)
        and ``separators`` (``Document.after_non_ascii_separators``) may be given when the
        caller has them."""
        hits: list[Hit] = []
        if self._scan is None and not self.standalone:
            return hits
        if lowered is None:
            from mtreview.document import lower_same_length

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
                matches = finditer_at(compiled, text, standalone_starts[j])
            else:
                matches = compiled.finditer(text)
            for rm in matches:
                if rm.end() > rm.start():
                    hits.append(Hit(rule, rm.start(), rm.end(), _regex_captures(rm)))
        return hits


def _loose_ok(compiled: re.Pattern) -> bool:
    return _embeddable_loose(compiled) is not None


def _embeddable_loose(compiled: re.Pattern) -> str | None:
    """A pattern without back-references that matches wherever ``compiled`` does."""
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        body = "(?:" + _unparse(_items(parsed, parsed.state.flags), loose=True) + ")"
        re.compile(body)
        return body
    except Exception:
        return None


def _embeddable(spec: str, case_sensitive: bool) -> str:
    """The rule's regex as a group that can sit inside a bigger pattern (its own group
    numbers and names unchanged): global flags at its start become scoped ones."""
    flags = "" if case_sensitive else "i"
    while True:
        m = _GLOBAL_FLAGS_RE.match(spec)
        if m is None:
            break
        flags += m.group(1)
        spec = spec[m.end() :]
    return f"(?{flags}:{spec})" if flags else f"(?:{spec})"


_GLOBAL_FLAGS_RE = compile_pattern(r"\(\?([aiLmsux]+)\)")


# -- where a regex can match ----------------------------------------------------------------
# A rule's "shape" is read from the regex parser's tree (``re._parser``, as ``re`` itself
# compiles it): the characters a non-empty match can start with, as single-character regex
# pieces, and whether a match can only start at offset 0 or after a non-word character.
# Both are over-approximations: anything the analysis does not understand makes the shape
# "any character, anywhere", which is always safe (just slower).
from re import _constants as _sre_c  # noqa: E402
from re import _parser as _sre_parser  # noqa: E402

_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, _sre_c.POSSESSIVE_REPEAT)
_ONE_CHAR = (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN)
_CATEGORIES = {
    _sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_NOT_DIGIT: r"\D",
    _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_NOT_SPACE: r"\S",
    _sre_c.CATEGORY_WORD: r"\w", _sre_c.CATEGORY_NOT_WORD: r"\W",
}
_ANY_PIECE = r"[\s\S]"


@dataclass(frozen=True, slots=True)
class _Piece:
    """One way a regex can consume a character: a single-character regex and what it can be."""

    regex: str
    word_only: bool  # matches word characters only
    non_word_only: bool  # matches non-word characters only
    ascii_only: bool  # matches ASCII characters only


@dataclass(frozen=True, slots=True)
class _Shape:
    first: tuple[_Piece, ...] | None  # None: a match can start with any character
    after_non_word: bool  # a match starts at 0 or right after a non-word character
    nullable: bool  # the regex can match empty text
    after_newline: bool = False  # a match starts at 0 or right after a line feed


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _literal_piece(code: int, flags: int, negate: bool = False) -> _Piece:
    char = chr(code)
    regex = ("[^\\U%08x]" if negate else "\\U%08x") % code
    ignore = bool(flags & re.IGNORECASE)
    # Under IGNORECASE a character also matches its case partners (ASCII letters have
    # non-ASCII ones: K and the Kelvin sign, s and long s…), so only ASCII non-letters
    # keep their class for sure.
    plain = not ignore or (char.isascii() and not char.isalpha())
    return _wrap(_Piece(
        regex,
        word_only=not negate and _is_word_char(char) and (plain or char.isascii()),
        non_word_only=not negate and not _is_word_char(char) and plain,
        ascii_only=not negate and char.isascii() and plain,
    ), flags)


def _wrap(piece: _Piece, flags: int) -> _Piece:
    scoped = ("i" if flags & re.IGNORECASE else "") + ("a" if flags & re.ASCII else "")
    if not scoped:
        return piece
    return _Piece(f"(?{scoped}:{piece.regex})", piece.word_only, piece.non_word_only, piece.ascii_only)


def _class_piece(items, flags: int) -> _Piece | None:
    ignore = bool(flags & re.IGNORECASE)
    parts = []
    negate = False
    word_only = non_word_only = ascii_only = True
    for op, av in items:
        if op is _sre_c.NEGATE:
            negate = True
            parts.append("^")
        elif op is _sre_c.LITERAL:
            piece = _literal_piece(av, 0 if not ignore else re.IGNORECASE)
            parts.append("\\U%08x" % av)
            word_only &= piece.word_only
            non_word_only &= piece.non_word_only
            ascii_only &= piece.ascii_only
        elif op is _sre_c.RANGE:
            lo, hi = av
            parts.append("\\U%08x-\\U%08x" % (lo, hi))
            chars = [chr(c) for c in range(lo, hi + 1)] if hi - lo < 512 else None
            plain = not ignore or (hi < 128 and not any(c.isalpha() for c in chars))
            word_only &= chars is not None and all(map(_is_word_char, chars)) and (plain or hi < 128)
            non_word_only &= chars is not None and not any(map(_is_word_char, chars)) and plain
            ascii_only &= hi < 128 and plain
        elif op is _sre_c.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
            word_only &= av in (_sre_c.CATEGORY_WORD, _sre_c.CATEGORY_DIGIT) and not flags & re.ASCII
            non_word_only &= av in (_sre_c.CATEGORY_SPACE, _sre_c.CATEGORY_NOT_WORD) and not flags & re.ASCII
            ascii_only = False
        else:
            return None
    if negate:
        # [^…\w…] holds no word character; nothing else is known about a negated class.
        has_word = any(op is _sre_c.CATEGORY and av == _sre_c.CATEGORY_WORD for op, av in items)
        word_only, non_word_only, ascii_only = False, has_word and not flags & re.ASCII, False
    return _wrap(_Piece("[" + "".join(parts) + "]", word_only, non_word_only, ascii_only), flags)


def _char_piece(op, av, flags: int) -> _Piece | None:
    if op is _sre_c.LITERAL:
        return _literal_piece(av, flags)
    if op is _sre_c.NOT_LITERAL:
        return _literal_piece(av, flags, negate=True)
    if op is _sre_c.IN:
        return _class_piece(av, flags)
    return None  # ANY


def _items(pattern, flags: int) -> list:
    return [(op, av, flags) for op, av in pattern.data]


def _scoped(flags: int, add: int, delete: int) -> int:
    return (flags | add) & ~delete


def _edge(items: list, last: bool = False) -> tuple[list[_Piece] | None, bool]:
    """The pieces a non-empty match of ``items`` can start (or end) with; None for any
    character. Also whether ``items`` can match empty text."""
    pieces: list[_Piece] = []
    for op, av, flags in reversed(items) if last else items:
        if op in _ONE_CHAR:
            piece = _char_piece(op, av, flags)
            if piece is None:
                return None, False
            pieces.append(piece)
            return pieces, False
        if op is _sre_c.AT or op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            continue
        if op is _sre_c.SUBPATTERN:
            _, add, delete, sub = av
            found, nullable = _edge(_items(sub, _scoped(flags, add, delete)), last)
        elif op is _sre_c.ATOMIC_GROUP:
            found, nullable = _edge(_items(av, flags), last)
        elif op is _sre_c.BRANCH:
            found, nullable = [], False
            for alternative in av[1]:
                sub_found, sub_nullable = _edge(_items(alternative, flags), last)
                if sub_found is None:
                    return None, True
                found += sub_found
                nullable |= sub_nullable
        elif op in _REPEATS:
            low, _, sub = av
            found, nullable = _edge(_items(sub, flags), last)
            nullable = nullable or low == 0
        else:  # back-references, conditionals: anything
            return None, True
        if found is None:
            return None, True
        pieces += found
        if not nullable:
            return pieces, False
    return pieces, True


def _after_non_word(items: list) -> bool:
    """Whether every non-empty match of ``items`` starts at 0 or after a non-word character."""
    for i, (op, av, flags) in enumerate(items):
        if flags & re.ASCII:
            return False  # \b and \w then ignore non-ASCII letters
        rest = items[i + 1 :]
        if op is _sre_c.AT:
            if av in (_sre_c.AT_BEGINNING, _sre_c.AT_BEGINNING_STRING):
                return True
            if av is _sre_c.AT_BOUNDARY:
                first, _ = _edge(rest)
                if first and all(p.word_only for p in first):
                    return True
            continue
        if op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            direction, sub = av
            if direction < 0 and _behind_is_non_word(op is _sre_c.ASSERT, _items(sub, flags)):
                return True
            continue
        if op is _sre_c.SUBPATTERN:
            _, add, delete, sub = av
            return _after_non_word(_items(sub, _scoped(flags, add, delete)) + rest)
        if op is _sre_c.ATOMIC_GROUP:
            return _after_non_word(_items(av, flags) + rest)
        if op is _sre_c.BRANCH:
            return all(_after_non_word(_items(alternative, flags) + rest) for alternative in av[1])
        if op in _REPEATS:
            low, _, sub = av
            # A match starts inside the first repetition, or (if there may be none) after it.
            taken = _after_non_word(_items(sub, flags) + rest)
            return taken and (low > 0 or _after_non_word(rest))
        return False
    return False


def _after_newline(items: list) -> bool:
    """Whether every match of ``items`` starts at 0 or right after a line feed (``^``)."""
    for i, (op, av, flags) in enumerate(items):
        rest = items[i + 1 :]
        if op is _sre_c.AT:
            if av in (_sre_c.AT_BEGINNING, _sre_c.AT_BEGINNING_STRING):
                return True
            continue
        if op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            continue
        if op is _sre_c.SUBPATTERN:
            _, add, delete, sub = av
            return _after_newline(_items(sub, _scoped(flags, add, delete)) + rest)
        if op is _sre_c.BRANCH:
            return all(_after_newline(_items(alternative, flags) + rest) for alternative in av[1])
        return False
    return False


def _behind_is_non_word(positive: bool, items: list) -> bool:
    """Whether a look-behind (positive or negative) guarantees a non-word character (or
    the start of the text) just before the position it is checked at."""
    if positive:
        if items and all(op is _sre_c.AT and av in (_sre_c.AT_BEGINNING, _sre_c.AT_BEGINNING_STRING)
                         for op, av, _ in items):
            return True
        if len(items) == 1 and items[0][0] is _sre_c.BRANCH:
            _, av, flags = items[0]
            return all(_behind_is_non_word(True, _items(alternative, flags)) for alternative in av[1])
        last, nullable = _edge(items, last=True)
        return bool(last) and not nullable and all(p.non_word_only for p in last)
    # (?<![…\w…]): the character before is not a word character.
    if len(items) != 1:
        return False
    op, av, flags = items[0]
    return op is _sre_c.IN and not flags & re.ASCII and not any(o is _sre_c.NEGATE for o, _ in av) and any(
        o is _sre_c.CATEGORY and a == _sre_c.CATEGORY_WORD for o, a in av
    )


def _shape(compiled: re.Pattern) -> _Shape:
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        items = _items(parsed, parsed.state.flags)
        first, nullable = _edge(items)
        return _Shape(tuple(first) if first is not None else None, _after_non_word(items), nullable,
                      _after_newline(items))
    except Exception:  # an analysis that fails only costs speed
        return _Shape(None, False, True)


def _literal_prefixes(items: list) -> set[str] | None:
    """``_literal_prefixes_up_to`` with the longest cap that keeps the set small."""
    for cap in (_MAX_PREFIX_LENGTH, 10, 8, 6, 5, 4):
        found = _literal_prefixes_up_to(items, cap)
        if found is not None:
            return found
    return None


def _literal_prefixes_up_to(items: list, cap: int) -> set[str] | None:
    """Lower-cased ASCII strings one of which every match of ``items`` begins with (in
    lower-cased text, where a space stands for a run of white space), as long as they can
    be read off the pattern; None when the set grows too big. Look-arounds are skipped
    (they only narrow the matches); the strings stop at the first element that is not a
    literal, white space or a small class of ASCII characters."""
    found: set[str] = set()

    def walk(items: list, acc: str) -> None:
        if len(found) > _MAX_PREFIXES:
            raise _TooMany
        i = 0
        while i < len(items):
            if len(acc) >= cap:
                break
            op, av, flags = items[i]
            rest = items[i + 1 :]
            if op is _sre_c.AT or op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
                i += 1
                continue
            if op in (_sre_c.SUBPATTERN, _sre_c.BRANCH) and _zero_width(op, av):
                i += 1  # a group of look-arounds only: it consumes nothing
                continue
            if op is _sre_c.LITERAL or op is _sre_c.IN:
                if _is_space_class(op, av):
                    if not acc.endswith(" "):
                        acc += " "
                    i += 1
                    continue
                if op is _sre_c.LITERAL:
                    char = chr(av)
                    if not char.isascii() and not _reads_lowered(char):
                        break
                    acc += char.lower()
                    i += 1
                    continue
                chars = _small_ascii_class(av)
                if chars is None:
                    break
                for char in chars:
                    walk(rest, acc + char)
                return
            if op is _sre_c.SUBPATTERN:
                _, add, delete, sub = av
                walk(_items(sub, _scoped(flags, add, delete)) + rest, acc)
                return
            if op is _sre_c.ATOMIC_GROUP:
                walk(_items(av, flags) + rest, acc)
                return
            if op is _sre_c.BRANCH:
                for alternative in av[1]:
                    walk(_items(alternative, flags) + rest, acc)
                return
            if op in _REPEATS:
                low, high, sub = av
                if low == high == 1:
                    walk(_items(sub, flags) + rest, acc)
                    return
                if len(sub.data) == 1 and _is_space_class(*sub.data[0]) and low >= 1:
                    if not acc.endswith(" "):
                        acc += " "  # one or more white-space characters: a run of white space
                    i += 1
                    continue
                if low == 0:
                    walk(rest, acc)
                if high > 0:
                    walk(_items(sub, flags), acc)  # what follows the first repetition is open
                return
            break
        found.add(acc.rstrip(" ") if acc.strip(" ") else acc)

    try:
        walk(items, "")
    except _TooMany:
        return None
    return found


def _zero_width(op, av) -> bool:
    sub = av[3] if op is _sre_c.SUBPATTERN else None
    try:
        if sub is not None:
            return sub.getwidth() == (0, 0)
        return all(alternative.getwidth() == (0, 0) for alternative in av[1])
    except Exception:
        return False


def _is_space_class(op, av) -> bool:
    r"""A literal white-space character, or a class of white space only (``\s``, ``[ \t]``)."""
    if op is _sre_c.LITERAL:
        return chr(av).isspace()
    if op is not _sre_c.IN:
        return False
    return bool(av) and all(
        (o is _sre_c.LITERAL and chr(a).isspace()) or (o is _sre_c.CATEGORY and a == _sre_c.CATEGORY_SPACE)
        for o, a in av
    )


class _TooMany(Exception):
    pass


_MAX_PREFIXES = 512
_HEAD = 4
_MIN_WORD_PREFIX = 4
_MAX_PREFIX_LENGTH = 16
_SPACE_RUN_RE = compile_pattern(r"\s+")


def _small_ascii_class(items) -> list[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre_c.LITERAL and (av < 128 or _reads_lowered(chr(av))):
            chars.add(chr(av).lower())
        elif op is _sre_c.RANGE and av[1] < 128 and av[1] - av[0] < 16:
            chars.update(chr(c).lower() for c in range(av[0], av[1] + 1))
        else:
            return None
    return sorted(chars) if len(chars) <= 8 else None


_ALL_CHARS: str | None = None


def _reads_lowered(char: str) -> bool:
    """Whether a non-ASCII character of a pattern can be looked for in lower-cased text as
    ``char.lower()``: every character that matches it, with or without case, has exactly
    that lower case (so not the Greek sigmas, dotless i, long s and the like). Only asked
    while a cache miss analyses the rules."""
    global _ALL_CHARS
    lower = char.lower()
    if len(lower) != 1 or char in "\u03a3\u03c3\u03c2":
        return False
    if lower == char.upper() == char:
        return True  # no case at all: ’, —, «
    if _ALL_CHARS is None:
        _ALL_CHARS = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    return all(c.lower() == lower for c in re.findall("(?i:" + re.escape(char) + ")", _ALL_CHARS))


def _literal_trie(strings) -> str:
    """A trie-shaped pattern matching any of ``strings`` (a space: a run of white space)."""
    trie = _build_trie((string, "literal") for string in strings)

    def emit(node: dict) -> str:
        alts = [(r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char]
        if not alts or "" in node:
            return ""  # a string ends here: what follows does not matter
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def _unparse(items: list, loose: bool = False) -> str:
    """The pattern of ``items`` written out again, without capturing groups and with every
    case-insensitive ASCII letter spelled as a class of both cases (``[sS]``): the regex
    engine checks such classes quickly, while case-insensitive literals defeat its fast
    paths. Equivalent to the original on text without the characters in ``_CASE_ODD``.
    Raises ``ValueError`` for what it does not know (back-references, conditionals),
    unless ``loose``: then it writes a pattern that matches wherever the original does (a
    back-reference matches anything, look-arounds that use one are left out)."""
    out = []
    for op, av, flags in items:
        if loose and op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT) and _has_reference(_items(av[1], flags)):
            continue
        if loose and op is _sre_c.GROUPREF:
            out.append(r"[\s\S]*?")
            continue
        if loose and op is _sre_c.GROUPREF_EXISTS:
            _, yes, no = av
            out.append("(?:" + _unparse(_items(yes, flags), loose) + "|" + (_unparse(_items(no, flags), loose) if no else "") + ")")
            continue
        if op is _sre_c.LITERAL:
            out.append(_unparse_literal(av, flags))
        elif op is _sre_c.NOT_LITERAL:
            out.append(_scope("[^\\U%08x]" % av, flags, chr(av)))
        elif op is _sre_c.ANY:
            out.append("(?s:.)" if flags & re.DOTALL else "(?-s:.)")
        elif op is _sre_c.IN:
            out.append(_unparse_class(av, flags))
        elif op is _sre_c.BRANCH:
            out.append("(?:" + "|".join(_unparse(_items(alt, flags), loose) for alt in av[1]) + ")")
        elif op is _sre_c.SUBPATTERN:
            _, add, delete, sub = av
            out.append("(?:" + _unparse(_items(sub, _scoped(flags, add, delete)), loose) + ")")
        elif op in _REPEATS:
            low, high, sub = av
            count = "{%d,%s}" % (low, "" if high == _sre_c.MAXREPEAT else high)
            mode = "?" if op is _sre_c.MIN_REPEAT else "+" if op is _sre_c.POSSESSIVE_REPEAT else ""
            out.append("(?:" + _unparse(_items(sub, flags), loose) + ")" + count + mode)
        elif op is _sre_c.ATOMIC_GROUP:
            out.append("(?>" + _unparse(_items(av, flags), loose) + ")")
        elif op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            direction, sub = av
            head = ("(?=" if direction > 0 else "(?<=") if op is _sre_c.ASSERT else ("(?!" if direction > 0 else "(?<!")
            out.append(head + _unparse(_items(sub, flags), loose) + ")")
        elif op is _sre_c.AT:
            out.append(_unparse_at(av, flags))
        else:
            raise ValueError(f"cannot write out {op}")
    return "".join(out)


def _has_reference(items: list) -> bool:
    for op, av, flags in items:
        if op in (_sre_c.GROUPREF, _sre_c.GROUPREF_EXISTS):
            return True
        if op is _sre_c.SUBPATTERN and _has_reference(_items(av[3], flags)):
            return True
        if op in (_sre_c.ASSERT, _sre_c.ASSERT_NOT) and _has_reference(_items(av[1], flags)):
            return True
        if op is _sre_c.BRANCH and any(_has_reference(_items(alt, flags)) for alt in av[1]):
            return True
        if op in _REPEATS and _has_reference(_items(av[2], flags)):
            return True
        if op is _sre_c.ATOMIC_GROUP and _has_reference(_items(av, flags)):
            return True
    return False


def _unparse_part(items: list, loose: bool = False) -> str:
    """``_unparse(items)``, with any look-arounds in front moved behind the literal
    characters that follow them (checked again in a look-behind): ``\bthe`` becomes
    ``the(?<=\bthe)``. Same matches; but a part that starts with a character, not an
    assertion, is skipped at once by the regex engine where that character is not there."""
    head = 0
    while head < len(items) and (
        items[head][0] in (_sre_c.AT, _sre_c.ASSERT, _sre_c.ASSERT_NOT)
        or (items[head][0] in (_sre_c.SUBPATTERN, _sre_c.BRANCH) and _zero_width(items[head][0], items[head][1]))
    ):
        head += 1
    run = head
    while run < len(items) and run - head < 8 and items[run][0] in (_sre_c.LITERAL, _sre_c.IN):
        run += 1
    if head == 0 or run == head or (loose and _has_reference(items[:head])):
        return _unparse(items, loose)
    chars = _unparse(items[head:run])
    return chars + "(?<=" + _unparse(items[:head]) + chars + ")" + _unparse(items[run:], loose)


def _scope(text: str, flags: int, chars: str = "") -> str:
    letters = ("i" if flags & re.IGNORECASE and any(c.lower() != c.upper() for c in chars) else "") + (
        "a" if flags & re.ASCII else ""
    )
    return f"(?{letters}:{text})" if letters else text


def _unparse_literal(code: int, flags: int) -> str:
    char = chr(code)
    if flags & re.IGNORECASE and char.lower() != char.upper():
        if char.isascii():
            return "[\\U%08x\\U%08x]" % (ord(char.lower()), ord(char.upper()))
        return "(?i:\\U%08x)" % code
    return "\\U%08x" % code


def _unparse_class(items, flags: int) -> str:
    parts = []
    cased_beyond_ascii = False
    for op, av in items:
        if op is _sre_c.NEGATE:
            parts.append("^")
        elif op is _sre_c.LITERAL:
            parts.append("\\U%08x" % av)
            char = chr(av)
            if flags & re.IGNORECASE and char.lower() != char.upper():
                if char.isascii():
                    parts.append("\\U%08x\\U%08x" % (ord(char.lower()), ord(char.upper())))
                else:
                    cased_beyond_ascii = True
        elif op is _sre_c.RANGE:
            lo, hi = av
            parts.append("\\U%08x-\\U%08x" % (lo, hi))
            if flags & re.IGNORECASE:
                if hi >= 128 and any(chr(c).lower() != chr(c).upper() for c in range(max(lo, 128), min(hi, 0x2FFFF) + 1)):
                    cased_beyond_ascii = True
                for c in range(lo, min(hi, 127) + 1):
                    if chr(c).isalpha():
                        parts.append("\\U%08x\\U%08x" % (ord(chr(c).lower()), ord(chr(c).upper())))
        elif op is _sre_c.CATEGORY and av in _CATEGORIES:
            parts.append(_CATEGORIES[av])
        else:
            raise ValueError(f"cannot write out class item {op}")
    negated = bool(items) and items[0][0] is _sre_c.NEGATE
    text = "[" + "".join(parts) + "]"
    if flags & re.IGNORECASE and (cased_beyond_ascii or negated):
        # Let the engine ignore case itself (a negated class, or letters beyond ASCII).
        text = "[" + "".join("^" if op is _sre_c.NEGATE else "" for op, _ in items[:1]) + "".join(
            ("\\U%08x" % av) if op is _sre_c.LITERAL else ("\\U%08x-\\U%08x" % av) if op is _sre_c.RANGE
            else _CATEGORIES[av] for op, av in items if op is not _sre_c.NEGATE
        ) + "]"
        return "(?i" + ("a" if flags & re.ASCII else "") + ":" + text + ")"
    return "(?a:" + text + ")" if flags & re.ASCII else text


def _unparse_at(code, flags: int) -> str:
    if code is _sre_c.AT_BEGINNING:
        return "(?m:^)" if flags & re.MULTILINE else "(?-m:^)"
    if code is _sre_c.AT_END:
        return "(?m:$)" if flags & re.MULTILINE else "(?-m:$)"
    simple = {_sre_c.AT_BEGINNING_STRING: r"\A", _sre_c.AT_END_STRING: r"\Z",
              _sre_c.AT_BOUNDARY: r"\b", _sre_c.AT_NON_BOUNDARY: r"\B"}
    if code not in simple:
        raise ValueError(f"cannot write out {code}")
    return "(?a:" + simple[code] + ")" if flags & re.ASCII and code in (_sre_c.AT_BOUNDARY, _sre_c.AT_NON_BOUNDARY) else simple[code]


_MAX_PARTS = 128
_MAX_SPLIT_GROWTH = 8


def _split_alternatives(items: list) -> list[list] | None:
    """``items`` as the alternatives of its first alternation (after any look-arounds), each
    followed by the rest; None if the first thing to consume text is not an alternation."""
    for i, (op, av, flags) in enumerate(items):
        if op is _sre_c.AT or op is _sre_c.ASSERT or op is _sre_c.ASSERT_NOT:
            continue
        if op in (_sre_c.SUBPATTERN, _sre_c.BRANCH) and _zero_width(op, av):
            continue
        head, rest = items[:i], items[i + 1 :]
        if op is _sre_c.SUBPATTERN:
            _, add, delete, sub = av
            return _split_alternatives(head + _items(sub, _scoped(flags, add, delete)) + rest)
        if op is _sre_c.BRANCH:
            out = []
            for alternative in av[1]:
                whole = head + _items(alternative, flags) + rest
                out += _split_alternatives(whole) or [whole]
                if len(out) > _MAX_PARTS:
                    return None
            return out
        return None
    return None


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

    * by the literal text its matches begin with (``_literal_prefixes``), in a trie of all
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
        dispatched = []  # (index, parts, shape)
        for i, (body, compiled, *rest) in enumerate(entries):
            loose = bool(rest and rest[0])  # a regex with back-references: look for a looser one
            shape = _shape(compiled)
            parts = _parts_of(compiled, loose) if shape.first is not None and not single else None
            if parts is None:
                dispatched.append((i, [(body, shape.first)], shape))
                continue
            by_char = []
            for items, first in parts:
                prefixes = _literal_prefixes(items)
                if prefixes and min(map(len, prefixes)) >= (_MIN_WORD_PREFIX if shape.after_non_word else 1):
                    for prefix in prefixes:
                        by_prefix.setdefault(prefix, set()).add(i)
                        (prefix_word if shape.after_non_word else prefix_anywhere).append(prefix)
                else:
                    by_char.append(("(?:" + _unparse_part(items, loose) + ")", first))
            if by_char:
                dispatched.append((i, by_char, shape))
        return {
            "by_prefix": {prefix: sorted(indexes) for prefix, indexes in by_prefix.items()},
            "trie_word": "(?:" + _literal_trie(prefix_word) + ")" if prefix_word else None,
            "word_prefixes": sorted(set(prefix_word)),
            "trie_anywhere": _literal_trie(prefix_anywhere) if prefix_anywhere else None,
            "by_char": _CharDispatch.plan(dispatched, single),
        }

    def _exact_dispatch(self) -> _CharDispatch:
        """The dispatch of every whole regex as it is written (for case-odd text)."""
        if self._by_char_all is None:
            entries = []
            for i, (body, compiled, *_) in enumerate(self._source):
                shape = _shape(compiled)
                entries.append((i, [(body, shape.first)], shape))
            self._by_char_all = _CharDispatch(_CharDispatch.plan(entries, self._single))
        return self._by_char_all

    def candidates(self, text: str, lowered: str, padded_lowered: str,
                   separators: list[int] | None = None, word_starts: list[int] | None = None) -> list[tuple[int, list[int]]]:
        """``(offset, indexes of the regexes to try there)``, by offset. ``word_starts``:
        offsets where some of ``word_prefixes`` begins, when the caller scanned for them."""
        if separators is None and not text.isascii():
            from mtreview.document import non_ascii_separator_ends

            separators = non_ascii_separator_ends(text)
        found: dict[int, set[int]] = {0: set(range(self.size))}
        if any(c in text for c in _CASE_ODD):
            dispatch = self._exact_dispatch()
        else:
            dispatch = self._by_char
            by_head = self._by_head
            head_lengths = self._head_lengths
            starts: list[int] = list(word_starts or ())
            if self._trie_word is not None and word_starts is None:
                starts += [m.start() for m in scan_all(self._trie_word[0], padded_lowered)]
                if separators:
                    starts += [m.start() for m in matches_at(self._trie_word[1], padded_lowered, separators)]
            if self._trie_anywhere is not None:
                starts += [m.start() for m in scan_all(self._trie_anywhere, lowered)]
            reach = 4 * _MAX_PREFIX_LENGTH
            for start in set(starts):
                # White-space runs as one space (a space in a prefix stands for a run).
                window = " ".join(lowered[start : start + reach].split())
                for length in head_lengths:
                    for prefix, indexes in by_head.get(window[:length], ()):
                        if window.startswith(prefix):
                            if start in found:
                                found[start].update(indexes)
                            else:
                                found[start] = set(indexes)
        for start, chosen in dispatch.candidates(text, separators or []):
            found.setdefault(start, set()).update(chosen)
        return [(start, sorted(found[start])) for start in sorted(found)]


def _parts_of(compiled: re.Pattern, loose: bool = False) -> list[tuple[list, tuple[_Piece, ...]]] | None:
    """The regex's parts (item lists) with the pieces each can start with; None when the
    analysis fails (the regex is then dispatched whole)."""
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        items = _items(parsed, parsed.state.flags)
        alternatives = _split_alternatives(items)
        if alternatives is None or len(alternatives) > _MAX_PARTS:
            alternatives = [items]
        parts = []
        for part in alternatives:
            first, _ = _edge(part)
            if not first:
                return None
            re.compile(_unparse_part(part, loose))  # it can be written out (or this raises)
            parts.append((part, tuple(first)))
        return parts
    except Exception:
        return None


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
    def plan(entries: list[tuple[int, list, _Shape]], single: bool = False) -> dict:
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

    def candidates(self, text: str, separators: list[int]):
        n = len(text)
        rules_for = self._rules_for
        found = []
        for pattern, skip in ((self._lines, 1), (self._ascii, 1), (self._anywhere, 0)):
            if pattern is not None:
                found.append((scan_all(pattern, text), skip))
        if self._other is not None and separators:
            found.append((matches_at(self._other, text, [s - 1 for s in separators]), 1))
        for matches, skip in found:
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
