"""Sets of strings as trie-shaped regular expressions: one alternation per shared prefix, so
the regex engine reads each character of the text once whatever the number of strings.

Three shapes, one trie builder: ``phrase_trie`` (phrases on word boundaries, white space and
apostrophes read loosely), ``shared_trie`` (phrases and literal prefixes of regex rules in
one scan) and ``literal_trie`` (literal beginnings, where the first to end wins).
"""

from __future__ import annotations

import re


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


def phrase_trie(phrases: list[str]) -> str:
    """A pattern matching any of ``phrases`` (a space: a run of white space; ``'``: either
    apostrophe), longest first where one begins with another."""
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


def shared_trie(phrases: list[str], prefixes: list[str]) -> str:
    """One pattern for ``phrases`` (which end at a word boundary) and ``prefixes`` (which end
    anywhere); at each offset it matches the longest string that begins there."""
    trie = _build_trie([(p, "phrase") for p in phrases] + [(p, "prefix") for p in prefixes])

    def emit(node: dict) -> str:
        alts = [_char_re(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        ends = node.get("")
        if ends:
            alts.append("" if "prefix" in ends else r"(?!\w)")  # tried last: longer first
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)


def literal_trie(strings) -> str:
    """A trie-shaped pattern matching any of ``strings`` (a space: a run of white space)."""
    trie = _build_trie((string, "literal") for string in strings)

    def emit(node: dict) -> str:
        alts = [(r"\s+" if char == " " else re.escape(char)) + emit(child) for char, child in sorted(node.items()) if char]
        if not alts or "" in node:
            return ""  # a string ends here: what follows does not matter
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie)
