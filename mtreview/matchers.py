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
from dataclasses import dataclass, field

from mtreview.errors import MtreviewError
from mtreview.rule import Rule

_MAX_EXPANSIONS = 20000
_BACKREF_RE = re.compile(r"\\[1-9]|\(\?P=|\(\?[aiLmsux]+\)")
_NAMED_GROUP_RE = re.compile(r"(?<!\\)\(\?P<\w+>")


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


def trie_regex(phrases: list[str]) -> str:
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = True

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
        self.entries: dict[str, list[tuple[Rule, tuple[int, ...]]]] = {}
        for rule in rules:
            if rule.kind == "phrases":
                for phrase in rule.spec:
                    key = _norm_phrase(phrase, case_sensitive)
                    self.entries.setdefault(key, []).append((rule, (len(key.split()),)))
            else:
                for combo in expand_tokens(rule, classes):
                    key = " ".join(w for item in combo for w in item)
                    self.entries.setdefault(key, []).append((rule, tuple(len(item) for item in combo)))
        self.regex = (
            re.compile(r"(?<!\w)(?:" + trie_regex(sorted(self.entries)) + r")(?!\w)") if self.entries else None
        )

    def find(self, text: str, scan: str) -> list[Hit]:
        """``scan`` is what the regex runs on (lower-cased or not); offsets are shared with ``text``."""
        hits: list[Hit] = []
        if self.regex is None:
            return hits
        search = self.regex.search
        entries = self.entries
        pos = 0
        while True:
            m = search(scan, pos)
            if m is None:
                return hits
            start = m.start()
            key, index = normalize(m.group())
            for k in range(len(key), 0, -1):
                if k < len(key) and _is_word(key[k]):
                    continue
                for rule, counts in entries.get(key[:k], ()):
                    end = start + index[k - 1] + 1
                    hits.append(Hit(rule, start, end, _token_captures(text, start, end, counts)))
            pos = start + 1


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
    """Regex rules joined into one alternation; each rule is tried only where it hit."""

    def __init__(self, rules: list[Rule]):
        self.rules = []
        combinable = []
        self.standalone = []
        for rule in rules:
            flags = 0 if rule.case_sensitive else re.IGNORECASE
            compiled = re.compile(rule.spec, flags)
            self.rules.append((rule, compiled))
            # Names are the rule's own business: in the combined pattern they would clash.
            body = _NAMED_GROUP_RE.sub("(?:", rule.spec)
            wrapped = f"(?:{body})" if rule.case_sensitive else f"(?i:{body})"
            if _BACKREF_RE.search(rule.spec):
                self.standalone.append((rule, compiled))
            else:
                combinable.append((rule, compiled, wrapped))
        self.combined_rules = [(r, c) for r, c, _ in combinable]
        self.combined = re.compile("|".join(w for _, _, w in combinable)) if combinable else None

    def find(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        if self.combined is not None:
            search = self.combined.search
            pos = 0
            n = len(text)
            while pos <= n:
                m = search(text, pos)
                if m is None:
                    break
                start = m.start()
                for rule, compiled in self.combined_rules:
                    rm = compiled.match(text, start)
                    if rm is not None and rm.end() > start:
                        hits.append(Hit(rule, start, rm.end(), _regex_captures(rm)))
                pos = start + 1
        for rule, compiled in self.standalone:
            for rm in compiled.finditer(text):
                if rm.end() > rm.start():
                    hits.append(Hit(rule, rm.start(), rm.end(), _regex_captures(rm)))
        return hits


def _regex_captures(m: re.Match) -> dict[str, str]:
    captures = {"0": m.group(0)}
    for i, g in enumerate(m.groups(), 1):
        captures[str(i)] = g or ""
    for name, g in m.groupdict().items():
        captures[name] = g or ""
    return captures
