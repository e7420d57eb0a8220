"""The word-level difference of two texts, as edits on the first: what turns ``before`` into
``after`` (``apply_edits(before, word_edits(before, after)) == after``), for showing a fixed
text as tracked changes. Lines are matched first, then the words, spaces and punctuation
of the lines that differ."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import accumulate

from mtreview.model import Edit

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")


def word_edits(before: str, after: str) -> list[Edit]:
    """Edits on ``before``, in order, none touching the next (adjacent ones are merged)."""
    a_lines, b_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    offsets = list(accumulate(map(len, a_lines), initial=0))
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_lines, b_lines, autojunk=False).get_opcodes():
        if tag != "equal":
            edits += _token_edits("".join(a_lines[i1:i2]), "".join(b_lines[j1:j2]), offsets[i1])
    merged: list[Edit] = []
    for edit in edits:
        if merged and merged[-1].end == edit.start:
            last = merged.pop()
            edit = Edit(last.start, edit.end, last.replacement + edit.replacement)
        merged.append(edit)
    return merged


def _token_edits(a: str, b: str, base: int) -> list[Edit]:
    a_matches = list(_TOKEN_RE.finditer(a))
    a_tokens = [m.group() for m in a_matches]
    b_tokens = _TOKEN_RE.findall(b)
    starts = [m.start() for m in a_matches] + [len(a)]
    return [Edit(base + starts[i1], base + starts[i2], "".join(b_tokens[j1:j2]))
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, a_tokens, b_tokens, autojunk=False).get_opcodes()
            if tag != "equal"]
