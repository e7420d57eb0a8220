"""Fix safety as a property: an edit mtreview offers never writes a new error or warning.

Every unsafe suggestion is applied alone, and all safe edits together (as ``mtreview fix``
selects them), on the samples and on the MT outputs of ``../shared/eval`` (when present);
the paragraph is checked again, and any error or warning finding that overlaps an edit and
was not there before fails the test, naming the rule whose edit caused it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO
from mtreview.document import Document
from mtreview.fixes import apply_edits, select_edits
from mtreview.model import Edit, FixSafety, Severity
from mtreview.options import Options
from mtreview.review import Reviewer

EVAL = REPO.parent / "shared" / "eval"
SERIOUS = (Severity.ERROR, Severity.WARNING)
SAMPLES = [(REPO / "samples" / "mt-news-ukraine-es-en.txt", "es"), (REPO / "samples" / "mt-news-farmers-fr-en.txt", "fr"),
           (REPO / "samples" / "short-garbles.txt", "es"), (REPO / "samples" / "clean.txt", "es")]
EVAL_MT = sorted((p, p.parent.name[:2]) for p in EVAL.glob("*-en/*.mt.txt"))
CORPORA = SAMPLES + EVAL_MT


def _checker(lang: str):
    return Reviewer(Options(source_lang=lang)).checker(lang)


def _serious(checker, text: str) -> list:
    return [f for f in checker.check(Document(text)) if f.severity in SERIOUS]


def _new_near(checker, before: str, after: str, edits: list[Edit]) -> list:
    """Error/warning findings of ``after`` (``before`` with ``edits`` applied) that overlap
    an edit and that ``before`` did not have: no finding of the same rule there (its span
    carried through the edits) overlaps it."""

    def carried(pos: int, end: bool = False) -> int:
        """Where ``pos`` is after the edits; inside a replaced stretch, its start (or its
        end, for the end of a span): a finding inside the stretch may be anywhere in it."""
        shift = 0
        for e in edits:
            if pos >= e.end:
                shift += len(e.replacement) - (e.end - e.start)
            elif pos > e.start:
                return e.start + shift + (len(e.replacement) if end else 0)
        return pos + shift

    spans, shift = [], 0
    for e in edits:
        spans.append((e.start + shift, e.start + shift + len(e.replacement)))
        shift += len(e.replacement) - (e.end - e.start)
    had = [(f.rule, carried(f.start), carried(f.end, end=True)) for f in _serious(checker, before)]
    out = []
    for f in _serious(checker, after):
        if not any(f.start <= e and s <= f.end for s, e in spans):
            continue
        if any(rule == f.rule and start <= f.end and f.start <= end for rule, start, end in had):
            continue
        out.append(f)
    return out


def _paragraph(doc: Document, start: int):
    return next(p for p in doc.paragraphs if p.start <= start <= p.end)


@pytest.mark.parametrize("path,lang", CORPORA, ids=[f"{p.parent.name}/{p.name}" for p, _ in CORPORA])
def test_no_suggested_edit_writes_a_new_error_or_warning(path: Path, lang: str):
    checker = _checker(lang)
    text = path.read_text(encoding="utf-8")
    doc = Document(text)
    findings = checker.check(doc)
    problems = []
    # every unsafe suggestion, alone
    for f in findings:
        if f.fix is not FixSafety.UNSAFE:
            continue
        para = _paragraph(doc, f.start)
        if f.end > para.end:
            continue
        before = text[para.start : para.end]
        for suggestion in f.suggestions:
            s = f.start - para.start
            after = before[:s] + suggestion + before[f.end - para.start :]
            for new in _new_near(checker, before, after, [Edit(s, f.end - para.start, suggestion)]):
                problems.append(f"{f.rule} “{f.text}” → “{suggestion}” writes {new.rule} “{new.text}”: {after[:160]!r}")
    # the safe edits, together
    for para in doc.paragraphs:
        inside = [f.edit for f in findings if f.fix is FixSafety.SAFE and f.edit is not None
                  and para.start <= f.start and f.end <= para.end]
        edits = select_edits(Edit(e.start - para.start, e.end - para.start, e.replacement) for e in inside)
        if not edits:
            continue
        before = text[para.start : para.end]
        after = apply_edits(before, edits)
        for new in _new_near(checker, before, after, edits):
            problems.append(f"safe edits write {new.rule} “{new.text}”: {after[max(0, new.start - 60) : new.end + 60]!r}")
    assert not problems, "\n".join(problems)
