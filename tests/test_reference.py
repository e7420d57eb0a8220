"""Reference-based metrics (mtreview.scoring.reference) and segment alignment (.align).

The published-score tests read the WMT es-en eval set from ../shared/eval (or
``$MTREVIEW_SHARED/eval``) and are skipped when it is absent; every other test builds its
texts here.
"""

from __future__ import annotations

import json
import os
import random
from functools import cache
from pathlib import Path

import pytest

sacrebleu = pytest.importorskip("sacrebleu")
from sacrebleu.metrics import BLEU, CHRF, TER

from mtreview.scoring.align import (
    align,
    choose_method,
    segment,
    split_lines,
    split_paragraphs,
    split_sentences,
)
from mtreview.scoring.reference import reference_findings, score_reference

ROOT = Path(__file__).resolve().parents[1]

# A short news item and an MT-like rendering of it (written for these tests).
REF_LINES = [
    "Storm shuts ports on northern coast",
    "Authorities shut three ports on Tuesday after winds hit 120 kilometres an hour.",
    "Fishermen were ordered to keep their boats in harbour until Friday.",
    "The regional government said schools would stay open, though several bus routes have been suspended.",
    "Forecasters expect the storm to weaken over the weekend.",
    "The damage to the fishing fleet is put at two million euros.",
]
HYP_LINES = [
    "Storm closes ports along the northern coast",
    "The authorities closed three ports on Tuesday after winds reached 120 kilometres per hour.",
    "Fishermen were told to keep their boats in the harbour until Friday.",
    "The regional government said that schools will remain open, although several bus lines have been suspended.",
    "Meteorologists expect the storm to weaken over the weekend.",
    "Damage to the fishing fleet is estimated at two million euros.",
]


def text(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def metric(result: dict, name: str) -> float:
    return result["metrics"][name]["score"]


# -- published scores ----------------------------------------------------------------------------
def eval_dir() -> Path:
    candidates = []
    if os.environ.get("MTREVIEW_SHARED"):
        shared = Path(os.environ["MTREVIEW_SHARED"])
        candidates += [shared / "eval", shared]
    candidates.append(ROOT.parent / "shared" / "eval")
    for folder in candidates:
        if (folder / "es-en" / "newssyscomb2009.ref.txt").is_file():
            return folder / "es-en"
    pytest.skip(
        "WMT es-en eval set not found (looked for es-en/newssyscomb2009.ref.txt under "
        + ", ".join(str(c) for c in candidates)
        + "); set MTREVIEW_SHARED to the shared/ folder to run the published-score tests"
    )


@cache
def published(system: str) -> tuple[str, str, dict]:
    """The eval set's reference, a system's output, and its score_reference result (TER
    takes seconds on 502 lines: computed once per system)."""
    folder = eval_dir()
    ref = (folder / "newssyscomb2009.ref.txt").read_text(encoding="utf-8")
    hyp = (folder / f"newssyscomb2009.{system}.mt.txt").read_text(encoding="utf-8")
    return hyp, ref, score_reference(hyp, [("newssyscomb2009.ref.txt", ref)])


@pytest.mark.parametrize(
    "system, bleu, chrf2, hyp_len",
    [("opus-2021-02-19", 30.5, 56.939, 11807), ("opus-2019-12-04", 29.3, 56.562, 11974)],
)
def test_published_scores(system, bleu, chrf2, hyp_len):
    _, _, result = published(system)
    assert result["alignment"]["method"] == "lines" and "warnings" not in result["alignment"]
    assert result["segments"]["count"] == 502
    assert round(metric(result, "bleu"), 1) == bleu
    assert result["metrics"]["bleu"]["hyp_len"] == hyp_len
    assert result["metrics"]["bleu"]["ref_len"] == 11818
    assert round(metric(result, "chrf2"), 3) == chrf2
    assert result["metrics"]["bleu"]["signature"].startswith("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|")
    assert result["metrics"]["chrf2"]["signature"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|")
    if system == "opus-2021-02-19":
        assert round(metric(result, "chrf++"), 3) == 54.999
    assert result["omissions"] == [] and result["additions"] == []


def test_published_scores_match_sacrebleu_api_exactly():
    hyp, ref, result = published("opus-2021-02-19")
    hyps, refs = hyp.splitlines(), [ref.splitlines()]
    assert metric(result, "bleu") == BLEU().corpus_score(hyps, refs).score
    assert metric(result, "chrf2") == CHRF().corpus_score(hyps, refs).score
    assert metric(result, "chrf++") == CHRF(word_order=2).corpus_score(hyps, refs).score
    # TER against sacrebleu's API: test_line_aligned_scores_equal_sacrebleu... (seconds here)
    sentence_bleu, sentence_chrf = BLEU(effective_order=True), CHRF()
    for w in result["segments"]["worst"]:
        i = w["index"]
        assert w["chrf"] == round(sentence_chrf.sentence_score(hyps[i], [refs[0][i]]).score, 2)
        assert w["bleu"] == round(sentence_bleu.sentence_score(hyps[i], [refs[0][i]]).score, 2)


# -- small texts -------------------------------------------------------------------------------
def test_identical_texts_score_100():
    result = score_reference(text(REF_LINES), [("ref.txt", text(REF_LINES))])
    assert result["alignment"]["method"] == "lines"
    assert metric(result, "bleu") == pytest.approx(100.0)
    assert metric(result, "chrf2") == pytest.approx(100.0)
    assert metric(result, "chrf++") == pytest.approx(100.0)
    assert metric(result, "ter") == pytest.approx(0.0)
    assert result["segments"]["worst"][0]["chrf"] == 100.0
    assert result["omissions"] == [] and result["additions"] == []
    json.dumps(result)  # JSON-ready


def test_line_aligned_scores_equal_sacrebleu_and_its_sentence_scores():
    result = score_reference(text(HYP_LINES), [("ref.txt", text(REF_LINES))], worst=len(HYP_LINES))
    assert metric(result, "bleu") == BLEU().corpus_score(HYP_LINES, [REF_LINES]).score
    assert metric(result, "chrf2") == CHRF().corpus_score(HYP_LINES, [REF_LINES]).score
    assert metric(result, "chrf++") == CHRF(word_order=2).corpus_score(HYP_LINES, [REF_LINES]).score
    assert metric(result, "ter") == TER().corpus_score(HYP_LINES, [REF_LINES]).score
    worst = result["segments"]["worst"]
    assert len(worst) == len(HYP_LINES)
    assert [w["chrf"] for w in worst] == sorted(w["chrf"] for w in worst)
    sentence_bleu, sentence_chrf = BLEU(effective_order=True), CHRF()
    for w in worst:
        i = w["index"]
        assert w["hyp"]["text"] == HYP_LINES[i] and w["refs"][0]["text"] == REF_LINES[i]
        assert w["chrf"] == round(sentence_chrf.sentence_score(HYP_LINES[i], [REF_LINES[i]]).score, 2)
        assert w["bleu"] == round(sentence_bleu.sentence_score(HYP_LINES[i], [REF_LINES[i]]).score, 2)


def test_reference_with_a_sentence_split_over_two_lines_is_aligned_1_2():
    ref = REF_LINES[:3] + [
        "The regional government said schools would stay open,",
        "though several bus routes have been suspended.",
    ] + REF_LINES[4:]
    result = score_reference(text(HYP_LINES), [("ref.txt", text(ref))])
    assert result["alignment"]["method"] == "sentences"
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 5, "1-2": 1}
    assert result["segments"]["count"] == 6
    assert result["omissions"] == [] and result["additions"] == []
    # Scored as if the reference line had not been split.
    plain = score_reference(text(HYP_LINES), [("ref.txt", text(REF_LINES))])
    assert metric(result, "bleu") == pytest.approx(metric(plain, "bleu"))


def test_translation_with_a_sentence_split_over_two_lines_is_aligned_2_1():
    hyp = HYP_LINES[:3] + [
        "The regional government said that schools will remain open,",
        "although several bus lines have been suspended.",
    ] + HYP_LINES[4:]
    hyp_text = text(hyp)
    result = score_reference(hyp_text, [("ref.txt", text(REF_LINES))], worst=6)
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 5, "2-1": 1}
    assert result["segments"]["count"] == 6
    unit = next(w for w in result["segments"]["worst"] if w["refs"][0]["text"] == REF_LINES[3])
    assert unit["hyp"]["text"] == hyp[3] + " " + hyp[4]
    assert (unit["hyp"]["start"], unit["hyp"]["end"]) == (hyp_text.index(hyp[3]), hyp_text.index(hyp[4]) + len(hyp[4]))
    assert result["omissions"] == [] and result["additions"] == []


def test_translation_running_two_sentences_into_one_is_aligned_1_2():
    # One line holding two sentences: the sentence splitter cuts it, so the beads stay 1-1.
    hyp = HYP_LINES[:1] + [HYP_LINES[1] + " " + HYP_LINES[2]] + HYP_LINES[3:]
    result = score_reference(text(hyp), [("ref.txt", text(REF_LINES))])
    assert result["alignment"]["method"] == "sentences"
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 6}
    # One sentence for two of the reference's.
    joined = (
        "The regional government said that schools will remain open, although several bus lines"
        " have been suspended as meteorologists expect the storm to weaken over the weekend."
    )
    result = score_reference(text(HYP_LINES[:3] + [joined] + HYP_LINES[5:]), [("ref.txt", text(REF_LINES))])
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 4, "1-2": 1}
    assert result["omissions"] == [] and result["additions"] == []


def test_reference_missing_a_line_gives_an_addition_at_that_line():
    hyp_text = text(HYP_LINES)
    ref = REF_LINES[:4] + REF_LINES[5:]
    result = score_reference(hyp_text, [("ref.txt", text(ref))])
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 5, "1-0": 1}
    [addition] = result["additions"]
    start = hyp_text.index(HYP_LINES[4])
    assert (addition["start"], addition["end"]) == (start, start + len(HYP_LINES[4]))
    assert addition["text"] == HYP_LINES[4]
    [finding] = reference_findings(result)
    assert finding == {
        "start": start, "end": start + len(HYP_LINES[4]), "category": "accuracy/addition",
        "severity": "warning", "rule": "reference.addition",
        "message": f"Not in the reference: “{HYP_LINES[4]}”",
    }


def test_translation_missing_a_line_gives_an_omission_where_it_would_go():
    hyp = HYP_LINES[:2] + HYP_LINES[3:]
    hyp_text = text(hyp)
    result = score_reference(hyp_text, [("ref.txt", text(REF_LINES))])
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 5, "0-1": 1}
    [omission] = result["omissions"]
    after = hyp_text.index(HYP_LINES[1]) + len(HYP_LINES[1])  # end of the line before
    assert omission["at"] == after
    assert omission["after"] == [hyp_text.index(HYP_LINES[1]), after]
    assert omission["text"] == REF_LINES[2]
    ref_text = text(REF_LINES)
    part = omission["refs"][0]
    assert ref_text[part["start"] : part["end"]] == REF_LINES[2]
    [finding] = reference_findings(result)
    assert (finding["start"], finding["end"]) == (after, after)
    assert finding["category"] == "accuracy/omission" and finding["rule"] == "reference.omission"
    assert REF_LINES[2] in finding["message"]
    # The omitted sentence counts against the translation: an empty hypothesis unit.
    assert result["segments"]["count"] == 6
    full = score_reference(text(HYP_LINES), [("ref.txt", text(REF_LINES))])
    assert metric(result, "chrf2") < metric(full, "chrf2")
    assert result["metrics"]["bleu"]["ref_len"] == full["metrics"]["bleu"]["ref_len"]


def test_same_line_count_but_shifted_lines_are_paired_with_a_warning():
    hyp = HYP_LINES[:1] + HYP_LINES[2:] + ["Ferries will resume on Saturday."]  # one line lost, one added
    result = score_reference(text(hyp), [("ref.txt", text(REF_LINES))])
    assert result["alignment"]["method"] == "lines"  # paired line by line, as sacrebleu does
    assert metric(result, "bleu") == BLEU().corpus_score(hyp, [REF_LINES]).score
    [warning] = result["alignment"]["warnings"]
    assert warning.startswith("ref.txt: line i of the translation is not always line i") and "from line 2" in warning
    clean = score_reference(text(HYP_LINES), [("ref.txt", text(REF_LINES))])
    assert "warnings" not in clean["alignment"]


def test_omission_at_the_start_goes_before_the_first_segment():
    hyp_text = "\n\n" + text(HYP_LINES[1:])
    result = score_reference(hyp_text, [("ref.txt", text(REF_LINES))])
    [omission] = result["omissions"]
    # Lines mode (same count: the blank first line is a line): blank line against the headline.
    assert result["alignment"]["method"] == "sentences" or omission["at"] == 0
    assert omission["text"] == REF_LINES[0]
    assert omission["at"] in (0, 2)


def test_long_omission_is_quoted_shortened():
    long_line = "The regional government said " + "that several schools and offices will stay open " * 4 + "today."
    ref = REF_LINES[:2] + [long_line] + REF_LINES[2:]
    result = score_reference(text(HYP_LINES), [("ref.txt", text(ref))])
    [finding] = reference_findings(result)
    quoted = finding["message"].split("“", 1)[1].rstrip("”")
    assert quoted.endswith("…") and len(quoted) <= 80
    assert long_line.startswith(quoted[:-1])


def test_paragraphs_are_aligned_then_their_sentences():
    hyp_paras = [" ".join(HYP_LINES[1:3]), " ".join(HYP_LINES[3:5]), HYP_LINES[5]]
    ref_paras = [" ".join(REF_LINES[1:3]), " ".join(REF_LINES[3:5]), REF_LINES[5]]
    hyp_text = "\n\n".join(hyp_paras) + "\n"
    ref_text = "\n\n\n".join(ref_paras) + "\n"  # other blank lines: line counts differ
    result = score_reference(hyp_text, [("ref.txt", ref_text)])
    alignment = result["alignment"]
    assert alignment["method"] == "paragraphs" and alignment["paragraphs"] == 3
    assert alignment["references"][0]["paragraphs"] == {"segments": 3, "beads": {"1-1": 3}}
    assert alignment["references"][0]["beads"] == {"1-1": 5}  # sentences within the paragraphs
    assert result["segments"]["count"] == 5
    assert result["omissions"] == [] and result["additions"] == []

    # A paragraph missing from the translation: an omission between its neighbours.
    hyp_text = "\n\n".join(hyp_paras[:1] + hyp_paras[2:]) + "\n"
    result = score_reference(hyp_text, [("ref.txt", ref_text)])
    assert result["alignment"]["method"] == "paragraphs"
    assert result["alignment"]["references"][0]["paragraphs"]["beads"] == {"1-1": 2, "0-1": 1}
    [omission] = result["omissions"]
    assert omission["at"] == len(hyp_paras[0])
    assert omission["text"] == ref_paras[1] and omission["segments"] == 2
    part = omission["refs"][0]
    assert ref_text[part["start"] : part["end"]] == ref_paras[1]

    # A paragraph missing from the reference: its two sentences are one addition.
    hyp_text = "\n\n".join(hyp_paras) + "\n"
    result = score_reference(hyp_text, [("ref.txt", "\n\n".join(ref_paras[:1] + ref_paras[2:]) + "\n")])
    [addition] = result["additions"]
    start = hyp_text.index(hyp_paras[1])
    assert (addition["start"], addition["end"], addition["segments"]) == (start, start + len(hyp_paras[1]), 2)
    [finding] = reference_findings(result)
    assert finding["rule"] == "reference.addition"
    assert (finding["start"], finding["end"]) == (start, start + len(hyp_paras[1]))


def test_empty_translation_scores_zero_and_omits_everything():
    result = score_reference("", [("ref.txt", text(REF_LINES))])
    assert metric(result, "bleu") == 0.0
    assert metric(result, "chrf2") == 0.0
    assert metric(result, "ter") == 100.0
    assert result["additions"] == []
    assert len(result["omissions"]) == 1 and result["omissions"][0]["at"] == 0
    assert result["segments"]["worst"] == []
    json.dumps(result)
    blank = score_reference("\n  \n\n\n\n\n", [("ref.txt", text(REF_LINES))])  # six blank lines
    assert blank["alignment"]["method"] == "lines"
    assert metric(blank, "bleu") == 0.0 and len(blank["omissions"]) == 6


@pytest.mark.parametrize("ref", ["", "\n\n   \n", " "])
def test_empty_reference_is_a_clear_error(ref):
    with pytest.raises(ValueError) as info:
        score_reference(text(HYP_LINES), [("refs/empty.txt", ref)])
    message = str(info.value)
    assert "refs/empty.txt" in message and "empty" in message and "\n" not in message
    with pytest.raises(ValueError):
        score_reference("", [("refs/empty.txt", ref)])


def test_no_reference_is_a_clear_error():
    with pytest.raises(ValueError, match="no reference"):
        score_reference(text(HYP_LINES), [])


def test_far_shorter_reference_is_a_clear_error():
    with pytest.raises(ValueError) as info:
        score_reference(text(HYP_LINES * 4), [("short.txt", REF_LINES[1] + "\n")])
    message = str(info.value)
    assert "short.txt" in message and "truncated" in message and "\n" not in message


def test_reference_with_fewer_segments_but_the_same_text_is_aligned():
    # The reference has its sentences run together in one paragraph.
    result = score_reference(text(HYP_LINES), [("ref.txt", REF_LINES[0] + "\n" + " ".join(REF_LINES[1:]) + "\n")])
    assert result["alignment"]["method"] == "sentences"
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 6}
    assert result["omissions"] == [] and result["additions"] == []


def test_one_word_headlines_and_blank_lines():
    result = score_reference("Storm\n\nPorts\n", [("ref.txt", "Storms\n\nPorts\n")])
    assert result["alignment"]["method"] == "lines"
    # Corpus BLEU has no 2-grams to count: 0, as sacrebleu gives it; sentence BLEU uses the
    # effective order, so a one-word match scores 100.
    assert metric(result, "bleu") == BLEU().corpus_score(["Storm", "", "Ports"], [["Storms", "", "Ports"]]).score == 0.0
    assert 0.0 < metric(result, "chrf2") < 100.0
    scores = {w["hyp"]["text"]: w for w in result["segments"]["worst"]}
    assert set(scores) == {"Storm", "Ports"}  # the blank pair is not a scored segment
    assert scores["Ports"]["bleu"] == 100.0 and scores["Ports"]["chrf"] == 100.0
    assert scores["Storm"]["bleu"] == 0.0
    assert result["omissions"] == [] and result["additions"] == []
    single = score_reference("Hello", [("ref.txt", "Hi")])
    assert metric(single, "bleu") == 0.0 and metric(single, "ter") == 100.0


def test_multiple_references():
    other = [
        "Storm closes northern ports",
        "Three ports were closed on Tuesday when winds reached 120 km per hour.",
        "Fishermen had to keep their boats in the harbour until Friday.",
        "Schools will stay open, the regional government said, but several bus lines were suspended.",
        "Meteorologists expect the storm to weaken over the weekend.",
        "Damage to the fishing fleet is estimated at two million euros.",
    ]
    refs = [("a.txt", text(REF_LINES)), ("b.txt", text(other))]
    result = score_reference(text(HYP_LINES), refs)
    assert result["references"] == ["a.txt", "b.txt"]
    assert result["alignment"]["method"] == "lines"
    streams = [REF_LINES, other]
    assert metric(result, "bleu") == BLEU().corpus_score(HYP_LINES, streams).score
    assert metric(result, "chrf2") == CHRF().corpus_score(HYP_LINES, streams).score
    assert metric(result, "chrf++") == CHRF(word_order=2).corpus_score(HYP_LINES, streams).score
    assert metric(result, "ter") == TER().corpus_score(HYP_LINES, streams).score
    assert result["metrics"]["bleu"]["signature"].startswith("nrefs:2|")
    one = score_reference(text(HYP_LINES), refs[:1])
    assert metric(result, "bleu") > metric(one, "bleu")
    assert len(result["segments"]["worst"][0]["refs"]) == 2

    # b.txt lacks a line the translation has: a.txt has it, so it is not an addition.
    refs = [("a.txt", text(REF_LINES)), ("b.txt", text(other[:4] + other[5:]))]
    result = score_reference(text(HYP_LINES), refs)
    assert result["alignment"]["method"] == "sentences"
    assert result["alignment"]["references"][1]["beads"] == {"1-1": 5, "1-0": 1}
    assert result["additions"] == [] and result["omissions"] == []
    assert result["segments"]["count"] == 6
    # Both lack it: an addition.
    refs = [("a.txt", text(REF_LINES[:4] + REF_LINES[5:])), ("b.txt", text(other[:4] + other[5:]))]
    result = score_reference(text(HYP_LINES), refs)
    assert [a["text"] for a in result["additions"]] == [HYP_LINES[4]]
    assert reference_findings(result)[0]["message"].startswith("Not in any reference")


def test_multiple_references_one_merging_two_translation_sentences():
    # b.txt's line 4 holds the translation's lines 4 and 5 run together (lower case after
    # the period, so one sentence): one 2-1 bead. Those two translation segments form one
    # unit, in which a.txt's two lines are joined with a space.
    merged = REF_LINES[3] + " " + REF_LINES[4][0].lower() + REF_LINES[4][1:]
    other = REF_LINES[:3] + [merged] + REF_LINES[5:]
    result = score_reference(text(HYP_LINES), [("a.txt", text(REF_LINES)), ("b.txt", text(other))], worst=6)
    assert result["alignment"]["method"] == "sentences"
    assert result["alignment"]["references"][0]["beads"] == {"1-1": 6}
    assert result["alignment"]["references"][1]["beads"] == {"1-1": 4, "2-1": 1}
    assert result["segments"]["count"] == 5
    unit = next(w for w in result["segments"]["worst"] if w["hyp"]["text"].startswith("The regional"))
    assert unit["hyp"]["text"] == HYP_LINES[3] + " " + HYP_LINES[4]
    assert unit["refs"][0]["text"] == REF_LINES[3] + " " + REF_LINES[4]
    assert unit["refs"][1]["text"] == merged
    assert result["omissions"] == [] and result["additions"] == []
    streams = [
        REF_LINES[:3] + [REF_LINES[3] + " " + REF_LINES[4]] + REF_LINES[5:],
        other,
    ]
    hyps = HYP_LINES[:3] + [HYP_LINES[3] + " " + HYP_LINES[4]] + HYP_LINES[5:]
    assert metric(result, "bleu") == BLEU().corpus_score(hyps, streams).score


def corpus(n: int, seed: int = 7) -> tuple[str, str]:
    rng = random.Random(seed)
    words = ("the government said port storm wind fleet boats harbour schools open bus routes "
             "suspended weekend damage million euros fishermen tuesday friday coast northern").split()
    refs, hyps = [], []
    for _ in range(n):
        ref = [rng.choice(words) for _ in range(rng.randint(6, 14))]
        hyp = [w if rng.random() > 0.3 else rng.choice(words) for w in ref]
        refs.append(" ".join(ref).capitalize() + ".")
        hyps.append(" ".join(hyp).capitalize() + ".")
    return text(hyps), text(refs)


def test_confidence_intervals_contain_the_score_and_match_sacrebleu(monkeypatch):
    monkeypatch.delenv("SACREBLEU_SEED", raising=False)
    hyp, ref = corpus(60)
    result = score_reference(hyp, [("ref.txt", ref)], ci=True)
    again = score_reference(hyp, [("ref.txt", ref)], ci=True)
    for name in ("bleu", "chrf2", "chrf++", "ter"):
        entry = result["metrics"][name]
        lo, hi = entry["ci_exact"]
        assert lo <= entry["score"] <= hi, name
        assert "|bs:1000|seed:12345|" in entry["signature"]
        assert again["metrics"][name]["ci_exact"] == [lo, hi]  # fixed seed
    # The same resamples as sacrebleu's own bootstrap: same mean and half-width.
    hyps, refs = hyp.splitlines(), [ref.splitlines()]
    for name, sb_metric in (("bleu", BLEU()), ("chrf2", CHRF()), ("ter", TER())):
        score = sb_metric.corpus_score(hyps, refs, n_bootstrap=1000)
        lo, hi = result["metrics"][name]["ci_exact"]
        assert (hi - lo) / 2 == pytest.approx(score._ci, abs=1e-3), name
        assert result["metrics"][name]["ci_mean"] == pytest.approx(score._mean, abs=2e-3), name
    plain = score_reference(hyp, [("ref.txt", ref)])
    assert "ci" not in plain["metrics"]["bleu"] and "bs:" not in plain["metrics"]["bleu"]["signature"]


def test_unicode_offsets_survive_alignment():
    hyp_lines = [
        "“Café society” is back in Zürich 🎉",
        "The mayor’s office said the Straße would stay closed – at least until Monday.",
        "Residents of the old town welcomed the decision, said Zoë Müller.",
        "Tourists, however, complained about the noise.",
    ]
    ref_lines = [
        "“Café society” returns to Zürich 🎉",
        "The mayor’s office said the street would remain closed – at least until Monday.",
        "Tourists, however, complained about the noise.",
    ]
    hyp_text = "\r\n".join(hyp_lines) + "\r\n"
    result = score_reference(hyp_text, [("ref.txt", "\n".join(ref_lines))], worst=10)
    [addition] = result["additions"]
    assert hyp_text[addition["start"] : addition["end"]] == hyp_lines[2]
    for w in result["segments"]["worst"]:
        assert hyp_text[w["hyp"]["start"] : w["hyp"]["end"]] == w["hyp"]["text"]
    # And the other way round: the reference has the line the translation lacks.
    result = score_reference("\n".join(ref_lines), [("ref.txt", hyp_text)])
    [omission] = result["omissions"]
    assert omission["at"] == "\n".join(ref_lines).index(ref_lines[1]) + len(ref_lines[1])
    part = omission["refs"][0]
    assert hyp_text[part["start"] : part["end"]] == hyp_lines[2]


def test_result_shape():
    result = score_reference(text(HYP_LINES), [("ref.txt", text(REF_LINES))], worst=2)
    assert set(result) == {"references", "alignment", "metrics", "segments", "omissions", "additions"}
    assert set(result["metrics"]) == {"bleu", "chrf2", "chrf++", "ter"}
    for entry in result["metrics"].values():
        assert {"score", "rounded", "signature", "text"} <= set(entry)
        assert isinstance(entry["score"], float)
    assert result["segments"]["count"] == 6 and len(result["segments"]["worst"]) == 2
    assert json.loads(json.dumps(result)) == result


# -- alignment and segmentation -----------------------------------------------------------------
def test_split_lines_keeps_offsets_and_blank_lines():
    source = "one\r\ntwo\n\nthree"
    segs = split_lines(source)
    assert [s.text for s in segs] == ["one", "two", "", "three"]
    assert all(source[s.start : s.end] == s.text for s in segs)
    assert len(split_lines("a\nb\n")) == 2 and split_lines("") == []


def test_split_sentences_cuts_headlines_and_keeps_wrapped_prose_together():
    source = "Storm shuts ports\nAuthorities shut three ports. Fishermen stayed home.\n"
    assert [s.text for s in split_sentences(source)] == [
        "Storm shuts ports", "Authorities shut three ports.", "Fishermen stayed home.",
    ]
    wrapped = (
        "The authorities closed three ports on Tuesday after\n"
        "winds reached 120 kilometres per hour, and\nthe fishermen stayed home.\n"
    )
    [sentence] = split_sentences(wrapped)
    assert sentence.text == wrapped.strip() and wrapped[sentence.start : sentence.end] == sentence.text
    paras = split_paragraphs("One.\n\n  Two.  \n")
    assert [p.text for p in paras] == ["One.", "Two."]


def test_choose_method():
    assert choose_method("a\nb\n", ["c\nd"]) == "lines"
    assert choose_method("A b.\n\nC d.\n", ["A b.\n\n\nC d.\n"]) == "paragraphs"
    assert choose_method("A b.\nC d.\n", ["A b.\nC d.\nE f.\n"]) == "sentences"
    method, hyp, [ref] = segment("A b. C d.\n", "A b.\nC d.\n")
    assert method == "sentences" and [s.text for s in hyp] == ["A b.", "C d."]


def test_align_beads():
    beads = align(HYP_LINES, REF_LINES[:2] + REF_LINES[3:])
    assert [b.kind for b in beads] == ["1-1", "1-1", "1-0", "1-1", "1-1", "1-1"]
    assert [(b.hyp, b.ref) for b in beads][2] == (range(2, 3), range(2, 2))
    assert align([], ["x"]) and align([], ["x"])[0].kind == "0-1"
    assert align([], []) == []


def test_banded_alignment_equals_the_full_table():
    rng = random.Random(3)
    hyp_text, ref_text = corpus(400, seed=11)
    hyp, ref = hyp_text.splitlines(), ref_text.splitlines()
    for k in sorted(rng.sample(range(len(ref)), 12), reverse=True):
        del ref[k]
    for k in sorted(rng.sample(range(len(hyp)), 8), reverse=True):
        del hyp[k]
    banded = align(hyp, ref)
    full = align(hyp, ref, band=10_000)
    assert [(b.hyp, b.ref) for b in banded] == [(b.hyp, b.ref) for b in full]
    assert sum(len(b.ref) for b in banded) == len(ref) and sum(len(b.hyp) for b in banded) == len(hyp)
