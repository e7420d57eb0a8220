"""Readability from counts gathered once (``mtreview/scoring/readability.py``) gives textstat's
own figures, to the last bit: every formula on real paragraphs, compared with textstat's
functions.

The paragraphs are the samples' and, when the shared eval set is there (``../shared/eval``
or ``$MTREVIEW_SHARED/eval``), 520 more: four lines of English each, from the professional
references and the MT of every language pair. Without it the samples alone are compared.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mtreview.document import Document
from mtreview.options import Targets
from mtreview.scoring.readability import Reader, document_scores, grade
from mtreview.scoring.syllables import textstat

ROOT = Path(__file__).resolve().parent.parent
EVAL_PARAGRAPHS = 520


def _eval_folder() -> Path | None:
    candidates = [Path(os.environ["MTREVIEW_SHARED"]) / "eval"] if os.environ.get("MTREVIEW_SHARED") else []
    candidates.append(ROOT.parent / "shared" / "eval")
    return next((c for c in candidates if c.is_dir()), None)


def _paragraphs() -> list[str]:
    out = []
    for path in sorted((ROOT / "samples").glob("*")):
        if path.suffix in (".txt", ".md") and not path.name.endswith((".es.txt", ".src.txt")):
            out += [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    folder = _eval_folder()
    if folder is not None:
        files = sorted(p for p in folder.glob("*-en/*.txt") if ".src." not in p.name)
        eval_paragraphs = []
        for path in files:
            lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
            eval_paragraphs += [" ".join(lines[i : i + 4]) for i in range(0, len(lines) - 3, 4)]
        step = max(1, len(eval_paragraphs) // EVAL_PARAGRAPHS)
        out += eval_paragraphs[::step][:EVAL_PARAGRAPHS]
    return out


PARAGRAPHS = _paragraphs()


def test_enough_real_paragraphs_are_compared():
    if _eval_folder() is None:
        pytest.skip("the shared eval set is not here: the samples' paragraphs alone are compared")
    assert len(PARAGRAPHS) >= 500


def test_every_figure_is_textstats():
    ts, r = textstat(), Reader()
    functions = {
        "flesch_reading_ease": (ts.flesch_reading_ease, r.flesch_reading_ease),
        "flesch_kincaid_grade": (ts.flesch_kincaid_grade, r.flesch_kincaid_grade),
        "gunning_fog": (ts.gunning_fog, r.gunning_fog),
        "smog_index": (ts.smog_index, r.smog),
        "coleman_liau_index": (ts.coleman_liau_index, r.coleman_liau),
        "automated_readability_index": (ts.automated_readability_index, r.automated_readability_index),
        "dale_chall_readability_score": (ts.dale_chall_readability_score, r.dale_chall),
    }
    differ = []
    for text in PARAGRAPHS:
        counts = r.counts(text)
        for name, (theirs, ours) in functions.items():
            if theirs(text) != ours(counts):
                differ.append((name, theirs(text), ours(counts), text[:60]))
        if ts.linsear_write_formula(text) != r.linsear_write(text):
            differ.append(("linsear_write_formula", ts.linsear_write_formula(text), r.linsear_write(text)))
        if ts.text_standard(text, float_output=True) != r.consensus(text, counts):
            differ.append(("text_standard", ts.text_standard(text, float_output=True), r.consensus(text, counts)))
    assert not differ, differ[:5]


@pytest.mark.parametrize("text", [
    "", "Yes.", "...", "U.S. officials met. They spoke", "It's the rock'n'roll students' o'clock show!",
    "İstanbul and ΟΔΟΣ were named.", "12,5 % of 3.000 people", "A - B — C \u2019quoted\u2019 words",
])
def test_odd_texts_give_textstats_figures(text):
    ts, r = textstat(), Reader()
    counts = r.counts(text)
    assert r.flesch_kincaid_grade(counts) == ts.flesch_kincaid_grade(text)
    assert r.flesch_reading_ease(counts) == ts.flesch_reading_ease(text)
    assert r.dale_chall(counts) == ts.dale_chall_readability_score(text)
    assert r.consensus(text, counts) == ts.text_standard(text, float_output=True)
    assert r.linsear_write(text) == ts.linsear_write_formula(text)
    assert grade(text) == ts.flesch_kincaid_grade(text)


def test_the_documents_figures_are_textstats_on_its_prose():
    ts = textstat()
    doc = Document((ROOT / "samples" / "mt-news-ukraine-es-en.txt").read_text(encoding="utf-8"), "seed.txt")
    scores = document_scores(doc, Targets())
    prose = "\n\n".join(doc.scan_text[p.start : p.end] for p in doc.paragraphs)
    assert scores["flesch_kincaid_grade"] == round(ts.flesch_kincaid_grade(prose), 2)
    assert scores["smog"] == round(ts.smog_index(prose), 2)
    assert scores["consensus_grade"] == round(ts.text_standard(prose, float_output=True), 1)
    first = scores["sentence_grades"][0]
    assert first["flesch_kincaid_grade"] == round(ts.flesch_kincaid_grade(doc.scan_text[first["start"] : first["end"]]), 1)


def test_a_paragraphs_counts_are_its_sentences_added_up():
    r = Reader()
    for path in sorted((ROOT / "samples").glob("*")):
        if path.suffix not in (".txt", ".md", ".html"):
            continue
        from mtreview.inputs import read_document

        doc = read_document(path)
        text = doc.scan_text
        parts = [r.counts(text[s.start : s.end]) for s in doc.sentences]
        for i, p in enumerate(doc.paragraphs):
            mine = [c for s, c in zip(doc.sentences, parts, strict=True) if s.paragraph == i]
            assert r.combined(mine, text[p.start : p.end]) == r.counts(text[p.start : p.end]), (path.name, i)
        prose = "\n\n".join(text[p.start : p.end] for p in doc.paragraphs)
        assert r.combined(parts, prose) == r.counts(prose), path.name
