r"""Catastrophic backtracking: regexes whose matching time can grow exponentially with the text.

Python's ``re`` backtracks. A repeated group whose body can match one stretch of text in
more than one way (``(a+)+``, ``(\w+\s?)+``, ``(a|aa)+``) tries every way of sharing a
run of characters out between its repetitions before it gives up: 2^n ways for n
characters, so 40 a's and a "!" take minutes, and one such pattern in a rule pack freezes
every run on a line that nearly matches. ``backtracking_risk`` finds such repeats in the
pattern's parse tree (``re._parser``, as ``re`` compiles it) before the pattern ever runs.

A repeat is looked at when it can repeat often (``*``, ``+``, ``{n,}``, or an upper bound of
``BIG`` or more) and backtracks (not possessive, ``*+``, nor inside an atomic group,
``(?>…)``, up to where that group ends). Its body is ambiguous under repetition when

- a variable-length repeat at the end of the body (everything after it can match empty
  text) can also take a whole further repetition of the body: the body can match
  something made only of characters that repeat takes (``(a+)+``, ``(x\w*)+``,
  ``(\w+,?)+``); the same at the start of the body;
- a variable-length repeat that can end the body and one that can start it take a common
  character, so the cut between two repetitions can move (``(\w+-\w+)+``, ``(\s*\w+)+``);
- the body has no such repeat and matches one of a few strings (of character sets) that
  are not uniquely decodable, by the Sardinas–Patterson test with "the two sets share a
  character" for equality (``(a|aa)+``, ``(\w|\d)+``, ``(a?a)+``).

An anchor (``^``, ``$``, ``\b``…) between the edge of the body and the repeat ends the
edge: ``(\b\w+\b\s?)+`` cannot cut a word between two repetitions. Character sets are
compared on a sample of characters (ASCII, Latin, Greek, Cyrillic, punctuation, spaces,
a few of other scripts): good enough to tell ``\w`` from ``\s`` or ``[A-Z]`` from ``[a-z]``.
The test is a cheap approximation in both directions: it finds the usual shapes, misses
exotic ones (polynomial blow-ups such as ``\w+\w+\w+x`` are not its business) and may
flag a safe pattern whose repetitions are kept apart by something it does not model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typeshed has re's private modules under their former public names only
    import sre_compile as _sre_compiler
    import sre_constants as _sre_c
    import sre_parse as _sre_parser
else:
    from re import _compiler as _sre_compiler
    from re import _constants as _sre_c
    from re import _parser as _sre_parser

__all__ = ["BIG", "Risk", "backtracking_risk"]

#: A repeat with at least this upper bound counts as unbounded.
BIG = 10
_SHOW_MAX = 60  # characters of a pattern piece quoted in a message
_WORDS_MAX = 64  # strings a finite body may expand to before the test gives up on it
_WORD_LEN_MAX = 24
_SP_ROUNDS = 32
_SP_SETS_MAX = 2000

_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, _sre_c.POSSESSIVE_REPEAT)
_LOOKAROUNDS = (_sre_c.ASSERT, _sre_c.ASSERT_NOT)
# \B is no barrier: it holds inside a run of word characters, where a cut would move
_BARRIERS = frozenset(a for a in (
    _sre_c.AT_BEGINNING, _sre_c.AT_BEGINNING_STRING, _sre_c.AT_BOUNDARY, _sre_c.AT_END, _sre_c.AT_END_STRING,
))

_SAMPLE: str | None = None
_SAMPLE_INDEX: dict[str, int] = {}
# (op, repr(av), flags) -> the sample characters a node matches, as a bit set (bit i: character i)
_LEAF_SETS: dict[tuple, int] = {}


def _sample() -> str:
    """The characters that character sets are compared on."""
    global _SAMPLE
    if _SAMPLE is None:
        ranges = [(0, 0x250), (0x370, 0x530), (0x2000, 0x2070), (0x20A0, 0x20C0), (0x2100, 0x2150)]
        extra = [0x300, 0x5D0, 0x627, 0x660, 0x915, 0x966, 0xE01, 0x1E9E, 0x3000, 0x3042, 0x4E00, 0xAC00,
                 0xFB01, 0xFEFF, 0xFF10, 0xFF21, 0xFFFD, 0x10400, 0x1F1E6, 0x1F600, 0xE0061]
        _SAMPLE = "".join(chr(c) for lo, hi in ranges for c in range(lo, hi)) + "".join(map(chr, extra))
        _SAMPLE_INDEX.update((c, i) for i, c in enumerate(_SAMPLE))
    return _SAMPLE


def _all_chars() -> int:
    return (1 << len(_sample())) - 1


@dataclass(frozen=True)
class Risk:
    """A repeat that can backtrack catastrophically: what kind, the repeat as written out
    again, and how to rewrite it."""

    kind: str  # "nested quantifier" | "overlapping alternatives"
    piece: str
    advice: str

    def describe(self) -> str:
        """``catastrophic backtracking risk: nested quantifier `(a+)+`; rewrite it as `a+```."""
        return f"catastrophic backtracking risk: {self.kind} `{self.piece}`; {self.advice}"


def backtracking_risk(pattern: str, flags: int = 0) -> Risk | None:
    """The first repeat of ``pattern`` that can backtrack catastrophically, None when there
    is none (or the pattern does not parse: compiling it says what is wrong)."""
    if not _MAY_REPEAT_RE.search(pattern):
        return None
    try:
        parsed = _sre_parser.parse(pattern, flags)
    except (re.error, OverflowError, RecursionError, ValueError):
        return None
    items = _items(parsed, parsed.state.flags)
    analysis = _Analysis(items)
    found = analysis.find(items)
    if found is None:
        return None
    if not parsed.state.flags & re.VERBOSE:
        analysis.locate(pattern, items)
    return analysis.risk(*found)


def _data(sub) -> list:
    """The parser's list of ``(op, av)`` nodes (a SubPattern iterates them slowly)."""
    return sub.data if isinstance(sub, _sre_parser.SubPattern) else sub


def _items(sub, flags: int) -> list:
    return [(op, av, flags) for op, av in _data(sub)]


def _is_repeat_open(op, av) -> bool:
    """A repeat that may repeat often and backtracks."""
    return op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[1] >= BIG


def _variable(op, av) -> bool:
    return op in (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT) and av[1] > av[0]


class _Analysis:
    def __init__(self, items: list):
        self.root = items
        self.groups: dict[int, list] | None = None  # group number -> its items, for back-references
        self.pattern = ""
        self.spans: dict[int, tuple[int, int, int]] = {}  # id of a repeat's (min, max, body) -> where it is written

    def locate(self, pattern: str, items: list) -> None:
        """Find where each repeat is written in ``pattern``, so a message quotes it as written."""
        written = _quantified(pattern)
        repeats: list = []
        self._repeats(items, repeats)
        if written is not None and len(written) == len(repeats):
            self.pattern = pattern
            self.spans = {id(av): span for av, span in zip(repeats, written, strict=True)}

    def _repeats(self, items: list, out: list) -> None:
        for op, av, flags in items:
            if op in _REPEATS:
                out.append(av)
            for sub_items in _children(op, av, flags):
                self._repeats(sub_items, out)

    def _piece(self, op, av, flags: int) -> str:
        """The repeat as written in the pattern (else as ``_show`` writes it), shortened."""
        span = self.spans.get(id(av))
        if span is None:
            return _show([(op, av, flags)])
        text = self.pattern[span[0] : span[2]]
        return text if len(text) <= _SHOW_MAX else text[: _SHOW_MAX - 1] + "…"

    def _atom(self, op, av, flags: int) -> str:
        """What the repeat repeats, as written (without its quantifier)."""
        span = self.spans.get(id(av))
        if span is None:
            return _show(_items(av[2], flags), atom=True)
        return self.pattern[span[0] : span[1]]

    def _collect(self, items: list, groups: dict[int, list]) -> None:
        for op, av, flags in items:
            if op is _sre_c.SUBPATTERN and av[0] is not None:
                groups[av[0]] = _items(av[3], _scoped(flags, av[1], av[2]))
            for sub_items in _children(op, av, flags):
                self._collect(sub_items, groups)

    def _group(self, number) -> list | None:
        """The items of group ``number``, None when unknown."""
        if self.groups is None:
            self.groups = {}
            self._collect(self.root, self.groups)
        return self.groups.get(number) if isinstance(number, int) else None

    # -- the walk over every repeat ------------------------------------------------------
    def find(self, items: list) -> tuple | None:
        """``(kind, op, av, flags, body)`` of the first risky repeat in ``items``."""
        for op, av, flags in items:
            found = self._find_raw(op, av, flags)
            if found is not None:
                return found
        return None

    def _find_raw(self, op, av, flags: int) -> tuple | None:
        """``find`` on one node, walking the parser's own lists (no copies: most nodes are
        words of long alternations)."""
        if op in _REPEATS:
            for sub_op, sub_av in _data(av[2]):
                found = self._find_raw(sub_op, sub_av, flags)
                if found is not None:
                    return found
            return self._check(op, av, flags) if _is_repeat_open(op, av) else None
        if op is _sre_c.BRANCH:
            alternatives = av[1]
        elif op is _sre_c.SUBPATTERN:
            alternatives, flags = [av[3]], _scoped(flags, av[1], av[2])
        elif op is _sre_c.ATOMIC_GROUP:
            alternatives = [av]
        elif op in _LOOKAROUNDS:
            alternatives = [av[1]]
        elif op is _sre_c.GROUPREF_EXISTS:
            alternatives = [alt for alt in av[1:] if alt is not None]
        else:
            return None
        for alt in alternatives:
            for sub_op, sub_av in _data(alt):
                if sub_op is _sre_c.LITERAL:
                    continue
                found = self._find_raw(sub_op, sub_av, flags)
                if found is not None:
                    return found
        return None

    def _check(self, op, av, flags: int) -> tuple | None:
        body = _items(av[2], flags)
        ends = self._edge(body, last=True)
        starts = self._edge(body, last=False)
        for inner in ends + starts:
            taken = self.chars(_items(inner[1][2], inner[2]))
            if taken and self._fits(body, taken)[1]:
                return ("nested", op, av, flags, body)
        for end in ends:
            end_chars = self.chars(_items(end[1][2], end[2]))
            for start in starts:
                if end_chars & self.chars(_items(start[1][2], start[2])):
                    return ("nested", op, av, flags, body)
        if not ends and not starts:
            words = self._expand(body)
            if words is not None and _ambiguous([w for w in words if w]):
                return ("alternatives", op, av, flags, body)
        return None

    def risk(self, kind: str, op, av, flags: int, body: list) -> Risk:
        """The message's parts for a risky repeat ``find`` found."""
        if kind == "alternatives":
            return Risk("overlapping alternatives" if _has_branch(body) else "ambiguous repetition",
                        self._piece(op, av, flags),
                        "rewrite it so that each repetition can match only one way (no alternative "
                        "that others can spell, e.g. `(?:a|aa)+` as `a+`)")
        piece = self._piece(op, av, flags)
        inner = _only_repeat(body)
        unbounded = _sre_c.MAXREPEAT
        if inner is not None and inner[0] is not _sre_c.POSSESSIVE_REPEAT and av[1] == inner[1][1] == unbounded:
            low = av[0] * inner[1][0]
            quant = "*" if low == 0 else "+" if low == 1 else "{%d,}" % low
            atom = self._atom(*inner)
            advice = f"rewrite it as `{atom if len(atom) <= _SHOW_MAX else atom[: _SHOW_MAX - 1] + '…'}{quant}`"
        else:
            advice = ("rewrite it so that each repetition can match only one way (e.g. `(?:\\w+\\s?)+` as "
                      "`\\w+(?:\\s\\w+)*`), or make it possessive (`…)++`) or atomic (`(?>…)`)")
        return Risk("nested quantifier", piece, advice)

    # -- what a body can start and end with -----------------------------------------------
    def _edge(self, items: list, last: bool) -> list:
        """The variable-length, backtracking repeats that can start (or end) a match of
        ``items``: ``(op, av, flags)`` of each."""
        out: list = []
        for op, av, flags in reversed(items) if last else items:
            if op is _sre_c.AT:
                if av in _BARRIERS:
                    break
                continue
            if op in _LOOKAROUNDS:
                continue
            if _variable(op, av):
                out.append((op, av, flags))
                out += self._edge(_items(av[2], flags), last)
            elif op is _sre_c.SUBPATTERN:
                out += self._edge(_items(av[3], _scoped(flags, av[1], av[2])), last)
            elif op is _sre_c.BRANCH:
                for alt in av[1]:
                    out += self._edge(_items(alt, flags), last)
            elif op is _sre_c.MAX_REPEAT or op is _sre_c.MIN_REPEAT:  # a fixed count: {3}
                out += self._edge(_items(av[2], flags), last)
            if not self._nullable(op, av, flags):
                break
        return out

    def _nullable(self, op, av, flags: int) -> bool:
        """Whether the node can match empty text (a back-reference: when its group can)."""
        if op is _sre_c.GROUPREF:
            group = self._group(av)
            return group is None or all(self._nullable(*item) for item in group)
        if op in (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN):
            return False
        if op in _REPEATS:
            return av[0] == 0 or all(self._nullable(*item) for item in _items(av[2], flags))
        if op is _sre_c.BRANCH:
            return any(all(self._nullable(*item) for item in _items(alt, flags)) for alt in av[1])
        if op is _sre_c.SUBPATTERN or op is _sre_c.ATOMIC_GROUP:
            return all(self._nullable(*item) for item in _children(op, av, flags)[0])
        return True  # anchors, look-arounds, conditionals

    # -- characters ----------------------------------------------------------------------
    def leaf(self, op, av, flags: int) -> int:
        """The sample characters one single-character node matches (a bit set)."""
        key = (op, repr(av), flags)
        found = _LEAF_SETS.get(key)
        if found is None:
            state = _sre_parser.State()
            state.flags = flags
            try:
                compiled = _sre_compiler.compile(_sre_parser.SubPattern(state, [(op, av)]), flags)
                found = 0
                for char in compiled.findall(_sample()):
                    found |= 1 << _SAMPLE_INDEX[char]
            except Exception:
                found = _all_chars()
            if len(_LEAF_SETS) < 4096:
                _LEAF_SETS[key] = found
        return found

    def chars(self, items: list) -> int:
        """Every sample character some match of ``items`` can consume (a bit set)."""
        out = 0
        for op, av, flags in items:
            if op in (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN):
                out |= self.leaf(op, av, flags)
            elif op is _sre_c.GROUPREF:
                group = self._group(av)
                out |= self.chars(group) if group is not None else _all_chars()
            elif op not in _LOOKAROUNDS:
                for sub_items in _children(op, av, flags):
                    out |= self.chars(sub_items)
        return out

    def _fits(self, items: list, allowed: int) -> tuple[bool, bool]:
        """Whether ``items`` can match using only ``allowed`` characters: (at all, with at
        least one character)."""
        nonempty = False
        for op, av, flags in items:
            can, some = self._fits_one(op, av, flags, allowed)
            if not can:
                return False, False
            nonempty |= some
        return True, nonempty

    def _fits_one(self, op, av, flags: int, allowed: int) -> tuple[bool, bool]:
        if op in (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN):
            can = bool(self.leaf(op, av, flags) & allowed)
            return can, can
        if op in _REPEATS:
            can, some = self._fits(_items(av[2], flags), allowed)
            if av[0] == 0:
                return True, some and av[1] > 0
            return can, some
        if op is _sre_c.SUBPATTERN:
            return self._fits(_items(av[3], _scoped(flags, av[1], av[2])), allowed)
        if op is _sre_c.ATOMIC_GROUP:
            return self._fits(_items(av, flags), allowed)
        if op is _sre_c.BRANCH:
            results = [self._fits(_items(alt, flags), allowed) for alt in av[1]]
            return any(r[0] for r in results), any(r[1] for r in results)
        if op is _sre_c.GROUPREF_EXISTS:
            results = [self._fits(_items(alt, flags), allowed) for alt in av[1:] if alt is not None]
            return True, any(r[1] for r in results)
        if op is _sre_c.GROUPREF:
            group = self._group(av)
            return self._fits(group, allowed) if group is not None else (True, True)
        return True, False  # anchors, look-arounds: no character of their own

    # -- finite bodies -------------------------------------------------------------------
    def _expand(self, items: list) -> list[tuple[int, ...]] | None:
        """Every string of character sets ``items`` can match, None when there are too many
        (or infinitely many, or the body refers to a group)."""
        words: list[tuple[int, ...]] = [()]
        for op, av, flags in items:
            options = self._expand_one(op, av, flags)
            if options is None:
                return None
            words = [w + o for w, o in product(words, options)]
            if len(words) > _WORDS_MAX or any(len(w) > _WORD_LEN_MAX for w in words):
                return None
        return words

    def _expand_one(self, op, av, flags: int) -> list[tuple[int, ...]] | None:
        if op in (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN):
            return [(self.leaf(op, av, flags),)]
        if op is _sre_c.AT or op in _LOOKAROUNDS:
            return [()]
        if op is _sre_c.SUBPATTERN:
            return self._expand(_items(av[3], _scoped(flags, av[1], av[2])))
        if op is _sre_c.ATOMIC_GROUP:
            return self._expand(_items(av, flags))
        if op is _sre_c.BRANCH:
            out: list = []
            for alt in av[1]:
                found = self._expand(_items(alt, flags))
                if found is None:
                    return None
                out += found
            return out if len(out) <= _WORDS_MAX else None
        if op in _REPEATS and av[1] < BIG:
            body = self._expand(_items(av[2], flags))
            if body is None:
                return None
            counted: list[tuple[int, ...]] = []
            power: list[tuple[int, ...]] = [()]
            for count in range(av[1] + 1):
                if count >= av[0]:
                    counted += power
                power = [w + b for w, b in product(power, body)]
                if len(counted) + len(power) > _WORDS_MAX:
                    return None
            return counted
        return None


def _children(op, av, flags: int) -> list[list]:
    """The item lists directly inside a node."""
    if op in _REPEATS:
        return [_items(av[2], flags)]
    if op is _sre_c.SUBPATTERN:
        return [_items(av[3], _scoped(flags, av[1], av[2]))]
    if op is _sre_c.BRANCH:
        return [_items(alt, flags) for alt in av[1]]
    if op is _sre_c.ATOMIC_GROUP:
        return [_items(av, flags)]
    if op in _LOOKAROUNDS:
        return [_items(av[1], flags)]
    if op is _sre_c.GROUPREF_EXISTS:
        return [_items(alt, flags) for alt in av[1:] if alt is not None]
    return []


def _scoped(flags: int, add: int, delete: int) -> int:
    return (flags | add) & ~delete


def _has_branch(items: list) -> bool:
    return any(op is _sre_c.BRANCH or any(_has_branch(c) for c in _children(op, av, flags)) for op, av, flags in items)


def _only_repeat(items: list):
    """The one repeat that ``items`` consists of (through groups), else None."""
    while len(items) == 1 and items[0][0] is _sre_c.SUBPATTERN:
        _, av, flags = items[0]
        items = _items(av[3], _scoped(flags, av[1], av[2]))
    if len(items) == 1 and items[0][0] in _REPEATS:
        return items[0]
    return None


def _ambiguous(words: list[tuple[int, ...]]) -> bool:
    """Whether some string splits into these words in two ways (Sardinas–Patterson; two
    positions are equal when their sets share a character)."""

    def rest(u, v):
        """``v`` after ``u`` when ``u`` can spell the start of ``v``, else None."""
        if len(u) > len(v) or not all(a & b for a, b in zip(u, v, strict=False)):
            return None
        return v[len(u) :]

    current: set = set()
    for i, u in enumerate(words):
        for j, v in enumerate(words):
            if i != j:
                left = rest(u, v)
                if left is not None:
                    if not left:
                        return True
                    current.add(left)
    seen = set(current)
    for _ in range(_SP_ROUNDS):
        following: set = set()
        for s in current:
            for w in words:
                for left in (rest(s, w), rest(w, s)):
                    if left is not None:
                        if not left:
                            return True
                        following.add(left)
        current = following - seen
        seen |= current
        if not current or len(seen) > _SP_SETS_MAX:
            return False
    return False


# -- writing a piece out again, for the message ----------------------------------------------
_CATEGORY_TEXT = {
    _sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_NOT_DIGIT: r"\D",
    _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_NOT_SPACE: r"\S",
    _sre_c.CATEGORY_WORD: r"\w", _sre_c.CATEGORY_NOT_WORD: r"\W",
}
_AT_TEXT = {
    _sre_c.AT_BEGINNING: "^", _sre_c.AT_END: "$", _sre_c.AT_BEGINNING_STRING: r"\A",
    _sre_c.AT_END_STRING: r"\Z", _sre_c.AT_BOUNDARY: r"\b", _sre_c.AT_NON_BOUNDARY: r"\B",
}


def _show(items: list, atom: bool = False) -> str:
    """``items`` written as a reader would write them (not for compiling), shortened."""
    text = "".join(_show_one(op, av, flags) for op, av, flags in items)
    if atom and len(items) != 1:
        text = f"(?:{text})"
    return text if len(text) <= _SHOW_MAX else text[: _SHOW_MAX - 1] + "…"


def _show_char(code: int, in_class: bool = False) -> str:
    char = chr(code)
    special = "\\]^-[" if in_class else ".^$*+?{}[]\\|()"
    if char in special:
        return "\\" + char
    if not char.isprintable() or char.isspace():
        return {"\n": r"\n", "\t": r"\t", " ": " "}.get(char, "\\u%04x" % code if code <= 0xFFFF else "\\U%08x" % code)
    return char


def _show_one(op, av, flags: int) -> str:
    if op is _sre_c.LITERAL:
        return _show_char(av)
    if op is _sre_c.NOT_LITERAL:
        return "[^" + _show_char(av, True) + "]"
    if op is _sre_c.ANY:
        return "."
    if op is _sre_c.IN:
        parts = []
        for item_op, item_av in av:
            if item_op is _sre_c.NEGATE:
                parts.append("^")
            elif item_op is _sre_c.LITERAL:
                parts.append(_show_char(item_av, True))
            elif item_op is _sre_c.RANGE:
                parts.append(_show_char(item_av[0], True) + "-" + _show_char(item_av[1], True))
            elif item_op is _sre_c.CATEGORY:
                parts.append(_CATEGORY_TEXT.get(item_av, "?"))
        if len(parts) == 1 and parts[0].startswith("\\") and len(parts[0]) == 2 and parts[0][1] in "dDsSwW":
            return parts[0]
        return "[" + "".join(parts) + "]"
    if op is _sre_c.AT:
        return _AT_TEXT.get(av, "")
    if op is _sre_c.BRANCH:
        return "(?:" + "|".join(_show(_items(alt, flags)) for alt in av[1]) + ")"
    if op is _sre_c.SUBPATTERN:
        group, add, delete, sub = av
        inner = "".join(_show_one(*item) for item in _items(sub, _scoped(flags, add, delete)))
        if group is not None:
            if inner.startswith("(?:") and inner.endswith(")") and _balanced(inner[3:-1]):
                inner = inner[3:-1]  # a branch as the whole group: (a|aa), not ((?:a|aa))
            return "(" + inner + ")"
        if inner.startswith("(?:") and inner.endswith(")") and _balanced(inner[3:-1]):
            inner = inner[3:-1]
        return "(?:" + inner + ")"
    if op in _REPEATS:
        low, high, sub = av
        body = _items(sub, flags)
        inner = "".join(_show_one(*item) for item in body)
        single = len(body) == 1 and (body[0][0] in (_sre_c.LITERAL, _sre_c.ANY, _sre_c.IN, _sre_c.NOT_LITERAL)
                                     or body[0][0] is _sre_c.SUBPATTERN or body[0][0] is _sre_c.BRANCH)
        if not single:
            inner = "(?:" + inner + ")"
        if (low, high) == (0, _sre_c.MAXREPEAT):
            quant = "*"
        elif (low, high) == (1, _sre_c.MAXREPEAT):
            quant = "+"
        elif (low, high) == (0, 1):
            quant = "?"
        elif high == _sre_c.MAXREPEAT:
            quant = "{%d,}" % low
        elif low == high:
            quant = "{%d}" % low
        else:
            quant = "{%d,%d}" % (low, high)
        return inner + quant + ("?" if op is _sre_c.MIN_REPEAT else "+" if op is _sre_c.POSSESSIVE_REPEAT else "")
    if op is _sre_c.ATOMIC_GROUP:
        return "(?>" + "".join(_show_one(*item) for item in _items(av, flags)) + ")"
    if op in _LOOKAROUNDS:
        direction, sub = av
        head = ("(?=" if direction > 0 else "(?<=") if op is _sre_c.ASSERT else ("(?!" if direction > 0 else "(?<!")
        return head + "".join(_show_one(*item) for item in _items(sub, flags)) + ")"
    if op is _sre_c.GROUPREF:
        return "\\%d" % av
    return "…"


def _balanced(text: str) -> bool:
    """Whether the parentheses of ``text`` close where they open (escapes aside)."""
    depth, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth < 0:
                return False
        i += 1
    return depth == 0


# -- where a repeat is written in the pattern -------------------------------------------------
_MAY_REPEAT_RE = re.compile(r"[*+]|\{\d*,\d*\}|\{\d{2,}\}")  # what an unbounded or a long repeat needs
_COUNT_RE = re.compile(r"\{(\d*),?(\d*)\}")
# what opens a group: (  (?:  (?P<name>  (?=  (?!  (?<=  (?<!  (?>  (?i:  (?-i:  (?(1)  or flags alone (?i)
_GROUP_HEAD_RE = re.compile(r"\((?!\?)|\(\?(?::|P<\w+>|=|!|<=|<!|>|\(\w+\)|[aiLmsux]*(?:-[imsx]+)?[:)])")


def _quantified(pattern: str) -> list[tuple[int, int, int]] | None:
    """``(atom start, quantifier start, end)`` of each quantified atom of ``pattern``, by atom
    start (the order of the repeats in the parse tree), None for what this scan does not follow."""
    out = []
    opened: list[int] = []
    last: int | None = None  # where the atom a quantifier would repeat starts
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            last, i = i, i + 2
            kind = pattern[i - 1 : i]
            if kind == "x":
                i += 2
            elif kind == "u":
                i += 4
            elif kind == "U":
                i += 8
            elif kind == "N" and pattern.startswith("{", i):
                i = pattern.find("}", i) + 1 or n
            elif kind.isdigit():
                while i < n and pattern[i].isdigit():
                    i += 1
        elif char == "[":
            last = i
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif pattern.startswith("(?#", i):
            i = pattern.find(")", i) + 1 or n
        elif pattern.startswith("(?P=", i):  # a back-reference: an atom
            last, i = i, (pattern.find(")", i) + 1 or n)
        elif char == "(":
            head = _GROUP_HEAD_RE.match(pattern, i)
            if head is None:
                return None
            if head.group().endswith(")"):  # global flags, (?x)
                last, i = None, head.end()
                continue
            opened.append(i)
            last, i = None, head.end()
        elif char == ")":
            if not opened:
                return None
            last, i = opened.pop(), i + 1
        elif char in "*+?" or (char == "{" and _COUNT_RE.match(pattern, i) and pattern[i : i + 2] != "{}"):
            if last is None:
                return None
            end = i + 1 if char != "{" else _COUNT_RE.match(pattern, i).end()  # type: ignore[union-attr]
            if end < n and pattern[end] in "?+":
                end += 1
            out.append((last, i, end))
            last, i = None, end
        elif char in "|^$":
            last, i = None, i + 1
        else:
            last, i = i, i + 1
    return sorted(out)
