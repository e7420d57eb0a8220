"""A long document checked in several processes gives exactly the findings of one process."""

from __future__ import annotations

import pytest

from helpers import REPO, SEED, engine_for, spans
from mtreview import parallel
from mtreview.document import Document


def _long_text() -> str:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    # CRLF in one stretch, a blank-line-only gap in another: cut points land on both
    texts.append(SEED.read_text(encoding="utf-8").replace("\n", "\r\n"))
    texts.append("The ministers met in the the capital.")
    return "\n\n \n\n".join(texts * 4)


@pytest.mark.parametrize("jobs", ["2", "3", "5"])
def test_parallel_findings_equal_one_process(monkeypatch, jobs):
    text = _long_text()
    monkeypatch.setattr(parallel, "MIN_PART", 8_000)
    engine = engine_for()
    monkeypatch.setenv("MTREVIEW_JOBS", "1")
    alone = engine.check(Document(text, "long.txt"))
    monkeypatch.setenv("MTREVIEW_JOBS", jobs)
    doc = Document(text, "long.txt")
    assert 2 <= len(parallel.parts(doc, int(jobs))) <= int(jobs)
    together = engine.check(doc)
    assert together == alone
    assert len(alone) > 100 and {f.rule for f in alone} >= {"consistency.spelling", "repeat.word", "garble.det-in-order-to"}


def test_parts_cut_where_paragraphs_start(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_PART", 1000)
    text = "\n\n".join(f"Paragraph {i} says something. " * 20 for i in range(40))
    doc = Document(text)
    cuts = parallel.parts(doc, 4)
    assert cuts[0][0] == 0 and cuts[-1][1] == len(text) and len(cuts) == 4
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))
    starts = {p.start for p in doc.paragraphs}
    assert all(start in starts for start, _ in cuts[1:])
    assert all(end - start >= 1000 for start, end in cuts)
    assert parallel.parts(Document("Short text."), 8) == [(0, 11)]


def test_a_match_across_a_blank_line_is_no_finding():
    # "this Monday" is a calque only inside one paragraph
    assert spans(engine_for(lang="es").check(Document("Talks resume this Monday.")), "calque.this-weekday")
    assert not spans(engine_for(lang="es").check(Document("Talks resume, as agreed this\n\nMonday came.")),
                     "calque.this-weekday")


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_bad_jobs_setting_is_a_usage_error(cli, write, value):
    path = write("a.txt", "Fine text.\n")
    result = cli("check", str(path), env={"MTREVIEW_JOBS": value})
    assert result.code == 2
    assert "MTREVIEW_JOBS" in result.err and len(result.err.strip().splitlines()) == 1
