"""Regex-shape analysis: what a regular expression's parse tree (``re._parser``, as ``re``
itself compiles it) says about where its matches can begin.

A rule's "shape" is the characters a non-empty match can start with, as single-character
regex pieces, and whether a match can only start at offset 0, after a line feed or after a
non-word character; its "parts" are the alternatives of its first alternation; its literal
prefixes are the texts every match begins with. ``unparse`` writes a parse tree out again
in a form the regex engine scans fast. All of it over-approximates: anything the analysis
does not understand makes the shape "any character, anywhere", which is always safe (just
slower). ``mtreview/matching/dispatch.py`` uses it to try each regex rule only where it can
match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typeshed has re's private modules under their former public names only
    import sre_constants as _sre_c
    import sre_parse as _sre_parser
else:
    from re import _constants as _sre_c
    from re import _parser as _sre_parser

_REPEATS = (_sre_c.MAX_REPEAT, _sre_c.MIN_REPEAT, _sre_c.POSSESSIVE_REPEAT)
_ONE_CHAR = (_sre_c.LITERAL, _sre_c.NOT_LITERAL, _sre_c.ANY, _sre_c.IN)
_CATEGORIES = {
    _sre_c.CATEGORY_DIGIT: r"\d", _sre_c.CATEGORY_NOT_DIGIT: r"\D",
    _sre_c.CATEGORY_SPACE: r"\s", _sre_c.CATEGORY_NOT_SPACE: r"\S",
    _sre_c.CATEGORY_WORD: r"\w", _sre_c.CATEGORY_NOT_WORD: r"\W",
}


@dataclass(frozen=True, slots=True)
class Piece:
    """One way a regex can consume a character: a single-character regex and what it can be."""

    regex: str
    word_only: bool  # matches word characters only
    non_word_only: bool  # matches non-word characters only
    ascii_only: bool  # matches ASCII characters only


@dataclass(frozen=True, slots=True)
class Shape:
    first: tuple[Piece, ...] | None  # None: a match can start with any character
    after_non_word: bool  # a match starts at 0 or right after a non-word character
    nullable: bool  # the regex can match empty text
    after_newline: bool = False  # a match starts at 0 or right after a line feed


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _literal_piece(code: int, flags: int, negate: bool = False) -> Piece:
    char = chr(code)
    regex = ("[^\\U%08x]" if negate else "\\U%08x") % code
    ignore = bool(flags & re.IGNORECASE)
    # Under IGNORECASE a character also matches its case partners (ASCII letters have
    # non-ASCII ones: K and the Kelvin sign, s and long s…), so only ASCII non-letters
    # keep their class for sure.
    plain = not ignore or (char.isascii() and not char.isalpha())
    return _wrap(Piece(
        regex,
        word_only=not negate and _is_word_char(char) and (plain or char.isascii()),
        non_word_only=not negate and not _is_word_char(char) and plain,
        ascii_only=not negate and char.isascii() and plain,
    ), flags)


def _wrap(piece: Piece, flags: int) -> Piece:
    scoped = ("i" if flags & re.IGNORECASE else "") + ("a" if flags & re.ASCII else "")
    if not scoped:
        return piece
    return Piece(f"(?{scoped}:{piece.regex})", piece.word_only, piece.non_word_only, piece.ascii_only)


def _class_piece(items, flags: int) -> Piece | None:
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
            plain = not ignore or (hi < 128 and chars is not None and not any(c.isalpha() for c in chars))
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
    return _wrap(Piece("[" + "".join(parts) + "]", word_only, non_word_only, ascii_only), flags)


def _char_piece(op, av, flags: int) -> Piece | None:
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


def _edge(items: list, last: bool = False) -> tuple[list[Piece] | None, bool]:
    """The pieces a non-empty match of ``items`` can start (or end) with; None for any
    character. Also whether ``items`` can match empty text."""
    pieces: list[Piece] = []
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
        if not last or nullable:
            return False
        return all(p.non_word_only for p in last)
    # (?<![…\w…]): the character before is not a word character.
    if len(items) != 1:
        return False
    op, av, flags = items[0]
    return op is _sre_c.IN and not flags & re.ASCII and not any(o is _sre_c.NEGATE for o, _ in av) and any(
        o is _sre_c.CATEGORY and a == _sre_c.CATEGORY_WORD for o, a in av
    )


def shape_of(compiled: re.Pattern) -> Shape:
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        items = _items(parsed, parsed.state.flags)
        first, nullable = _edge(items)
        return Shape(tuple(first) if first is not None else None, _after_non_word(items), nullable,
                      _after_newline(items))
    except Exception:  # an analysis that fails only costs speed
        return Shape(None, False, True)


def literal_prefixes(items: list) -> set[str] | None:
    """``_literal_prefixes_up_to`` with the longest cap that keeps the set small."""
    for cap in (MAX_PREFIX_LENGTH, 10, 8, 6, 5, 4):
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
MAX_PREFIX_LENGTH = 16


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
            otherwise = _unparse(_items(no, flags), loose) if no else ""
            out.append("(?:" + _unparse(_items(yes, flags), loose) + "|" + otherwise + ")")
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


def unparse_part(items: list, loose: bool = False) -> str:
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
    if flags & re.ASCII and code in (_sre_c.AT_BOUNDARY, _sre_c.AT_NON_BOUNDARY):
        return "(?a:" + simple[code] + ")"
    return simple[code]


_MAX_PARTS = 128


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



def parts_of(compiled: re.Pattern, loose: bool = False) -> list[tuple[list, tuple[Piece, ...]]] | None:
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
            re.compile(unparse_part(part, loose))  # it can be written out (or this raises)
            parts.append((part, tuple(first)))
        return parts
    except Exception:
        return None


def embeddable_loose(compiled: re.Pattern) -> str | None:
    """A pattern without back-references that matches wherever ``compiled`` does."""
    try:
        parsed = _sre_parser.parse(compiled.pattern, compiled.flags)
        body = "(?:" + _unparse(_items(parsed, parsed.state.flags), loose=True) + ")"
        re.compile(body)
        return body
    except Exception:
        return None
