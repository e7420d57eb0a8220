"""Grammar through a real LanguageTool server, end to end through `mtreview check`: findings
merged with ours on exact offsets, corrections as suggestions, false friends for a source
language, and a server killed in the middle of a run (the fixture `lt_url` is in conftest.py;
misbehaving fake servers are in test_grammar.py)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from helpers import SEED
from mtreview.document import Document
from mtreview.grammar.client import GrammarChecker
from mtreview.options import Options
from mtreview.review import Reviewer


def _findings(cli, path, url, *args):
    result = cli("check", str(path), "--lt-url", url, "--format", "json", *args)
    assert result.code in (0, 1), result.out + result.err
    data = result.json()
    assert not any(n.startswith("grammar:") for n in data["summary"]["notes"]), data["summary"]["notes"]
    return data["files"][0]["findings"]


def test_the_seed_gets_languagetool_findings_merged_with_ours(cli, lt_url):
    text = SEED.read_bytes().decode("utf-8-sig")
    findings = _findings(cli, SEED, lt_url)
    grammar = [f for f in findings if f["source"] == "grammar"]
    ours = [f for f in findings if f["source"] == "rules"]
    assert ours
    for f in grammar:
        assert f["rule"].startswith("lt.") and f["text"] == text[f["start"]:f["end"]]
    ids = {f["rule"] for f in grammar}
    # "Monday, January 24" of 2022 is not wrong because today's year differs: off by default
    assert "lt.EN_DATE_WEEKDAY_CURRENTYEAR" not in ids
    # LanguageTool sees the stray periods (". from Ukraine") as lowercase sentence starts and
    # "Volodímir Zelenski" as misspellings: the same problems our rules name better, so merged
    merged = {f["rule"]: f.get("also_languagetool", []) for f in ours if f.get("also_languagetool")}
    assert "lt.UPPERCASE_SENTENCE_START" in merged.get("fragment.stray-period", []), merged
    assert "lt.MORFOLOGIK_RULE_EN_US" in merged.get("name.es.transliterated", []), merged
    assert sum(map(len, merged.values())) >= 5
    spans = {(f["start"], f["end"]) for f in ours}
    assert not any((f["start"], f["end"]) in spans for f in grammar)


def test_a_grammar_error_is_flagged_with_its_correction(cli, write, lt_url):
    path = write("a.txt", "He go to Paris every weeks.\n")
    findings = {f["rule"]: f for f in _findings(cli, path, lt_url)}
    verb = findings["lt.HE_VERB_AGR"]
    assert (verb["text"], verb["suggestions"][0], verb["fix"], verb["category"], verb["severity"]) == (
        "go", "goes", "unsafe", "fluency/grammar", "warning")
    assert (verb["line"], verb["column"]) == (1, 4)
    assert findings["lt.EVERY_EACH_SINGULAR"]["suggestions"][0] == "week"
    fixed = write("b.txt", "He goes to Paris every week.\n")
    assert not [f for f in _findings(cli, fixed, lt_url) if f["source"] == "grammar"]


def test_a_spanish_false_friend_is_flagged(cli, write, lt_url):
    """LanguageTool has no false friends for a Spanish mother tongue without its n-gram data
    (test_languagetool_server.py says why); mtreview's rule carries "actual" → "current"."""
    path = write("a.txt", "The actual president of Spain visited.\n")
    findings = _findings(cli, path, lt_url, "--source-lang", "es")
    hit = next(f for f in findings if f["text"] == "The actual president")
    assert hit["category"] == "accuracy/mistranslation" and hit["suggestions"] == ["The current president"]


def test_a_portuguese_false_friend_from_languagetool_merges_with_ours(cli, write, lt_url):
    path = write("a.txt", "The actual president of Portugal visited.\n")
    findings = _findings(cli, path, lt_url, "--source-lang", "pt", "--lt-picky")
    hit = next(f for f in findings if f["text"] == "The actual president")
    assert "lt.ACTUAL" in hit.get("also_languagetool", []), findings
    path = write("b.txt", "He assisted to the meeting.\n")
    hit = next(f for f in _findings(cli, path, lt_url, "--source-lang", "pt", "--lt-picky") if f["source"] != "readability")
    assert hit["rule"] == "calque.assist-to" and hit["also_languagetool"] == ["lt.ASSIST"]


@pytest.fixture
def own_server(tmp_path, monkeypatch, lt_url):
    """A throw-away LanguageTool in a cache folder of its own (Maven's cache is warm by now)."""
    from mtreview.grammar import server

    monkeypatch.setenv("MTREVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(server.URL_VARIABLE, raising=False)
    server.install()
    info = server.start(heap="512m", warm=False)
    try:
        yield info
    finally:
        server.stop()


def test_killing_the_server_mid_run_gives_a_note_and_a_complete_review(write, own_server, monkeypatch):
    texts = ["He go to Paris every weeks.\n", "They met with the in order to talk.\n", "She go home.\n"]
    paths = [write(f"{i}.txt", t) for i, t in enumerate(texts)]
    real_check = GrammarChecker._check  # one call per request
    calls = []

    def check_then_kill(self, doc: Document):
        calls.append(doc.path)
        found = real_check(self, doc)
        if len(calls) == 1:  # the first file is checked: now the JVM dies
            os.kill(own_server.pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and os.path.exists(f"/proc/{own_server.pid}/status") and \
                    "zombie" not in open(f"/proc/{own_server.pid}/status").read():
                time.sleep(0.05)
        return found

    monkeypatch.setattr(GrammarChecker, "_check", check_then_kill)
    started = time.monotonic()
    monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_CONCURRENCY", "1")  # one request at a time: the kill falls between two
    report = Reviewer(Options(source_lang="es")).review(paths)
    elapsed = time.monotonic() - started
    rules = [[f.rule for f in r.findings] for r in report.files]
    assert "lt.HE_VERB_AGR" in rules[0]  # before the kill: grammar
    assert "garble.det-in-order-to" in rules[1]  # after it: our rules still run ...
    assert not any(r.startswith("lt.") for r in rules[1] + rules[2])  # ... without grammar
    assert len(calls) == 2  # one failed request, then none: no more waiting on a dead server
    note = next(n for n in report.notes if n.startswith("grammar:"))
    # refused, or cut when the request reused the connection of the first one
    assert str(paths[1]) in note and ("connection refused" in note or "connection lost" in note), note
    assert all(r.scores for r in report.files)  # the review of every file is complete
    assert elapsed < 60


def test_concurrent_requests_give_the_findings_of_sequential_ones(write, lt_url, monkeypatch):
    monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_URL", lt_url)
    texts = ["He go to Paris every weeks.\n", "She have two cat.\n", "They was there.\n", "It are late.\n"] * 2
    paths = [write(f"{i}.txt", t) for i, t in enumerate(texts)]
    runs = []
    for concurrency in (1, 4):
        monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_CONCURRENCY", str(concurrency))
        report = Reviewer(Options(source_lang="es", scores=False)).review(paths)
        runs.append([[(f.rule, f.start, f.end, f.suggestions) for f in r.findings] for r in report.files])
        assert not [n for n in report.notes if n.startswith("grammar:")]
    assert runs[0] == runs[1] and all(any(r[0].startswith("lt.") for r in file) for file in runs[0])
