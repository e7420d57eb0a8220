"""Applying edits: the single definition of edit semantics (order, overlap, bounds), and the
fix loop that re-checks until the text is stable. The HTML review mirrors ``select_edits``
and ``apply_edits`` exactly."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mtreview.errors import MtreviewError
from mtreview.model import Edit, Finding, FixSafety

MAX_PASSES = 10


def edit_order(edit: Edit) -> tuple:
    """Edits are considered by start, longer span first, then replacement text."""
    return (edit.start, -edit.end, edit.replacement)


def conflicts(a: Edit, b: Edit) -> bool:
    """Two edits conflict if they start at the same place or share a character."""
    return a.start == b.start or (a.start < b.end and b.start < a.end)


def select_edits(edits: Iterable[Edit]) -> list[Edit]:
    """Keep each edit, in ``edit_order``, unless it conflicts with one already kept."""
    kept: list[Edit] = []
    for edit in sorted(edits, key=edit_order):
        # kept edits are sorted by start; only the last can reach this one
        if kept and conflicts(kept[-1], edit):
            continue
        kept.append(edit)
    return kept


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply the non-conflicting edits (see ``select_edits``) to text; the bounds of every
    edit are checked, including one that a conflict would have dropped."""
    edits = list(edits)
    for edit in edits:
        if not (0 <= edit.start <= edit.end <= len(text)):
            raise MtreviewError(f"edit {edit.start}..{edit.end} is outside the text (length {len(text)})")
    pieces = []
    pos = 0
    for edit in select_edits(edits):
        pieces.append(text[pos : edit.start])
        pieces.append(edit.replacement)
        pos = edit.end
    pieces.append(text[pos:])
    return "".join(pieces)


def fixable(findings: Iterable[Finding], unsafe: bool = False) -> list[Edit]:
    allowed = {FixSafety.SAFE, FixSafety.UNSAFE} if unsafe else {FixSafety.SAFE}
    return [f.edit for f in findings if f.fix in allowed and f.edit is not None]


@dataclass
class FixResult:
    text: str
    applied: int
    passes: int
    stable: bool


def fix_text(text: str, check: Callable[[str], list[Finding]], unsafe: bool = False) -> FixResult:
    """Apply fixable edits, re-check, and repeat until nothing is left to fix (bounded)."""
    applied = 0
    for passes in range(1, MAX_PASSES + 1):
        edits = select_edits(fixable(check(text), unsafe))
        if not edits:
            return FixResult(text, applied, passes - 1, True)
        text = apply_edits(text, edits)
        applied += len(edits)
    stable = not fixable(check(text), unsafe)
    return FixResult(text, applied, MAX_PASSES, stable)
