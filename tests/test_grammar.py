"""Grammar through LanguageTool: without a server, and with servers that misbehave (a real
server's findings are tested in test_grammar_live.py)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from contextlib import contextmanager

import pytest

from mtreview.document import Document
from mtreview.grammar.client import GrammarChecker, GrammarSettings, GrammarUnavailable
from mtreview.model import Draft, FixSafety, Severity
from mtreview.settle import merge

TEXT = "He go to Paris every weeks. The talks resume on Monday.\n"
NO_SERVER = {"MTREVIEW_LANGUAGETOOL_URL": None, "MTREVIEW_CACHE_DIR": None}


@contextmanager
def fake_server(behaviour: str):
    """A local HTTP server standing in for a broken LanguageTool: "500", "garbage" (not JSON),
    "slow" (answers after 3 s), or "ok" (one grammar match on "go")."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self):
            if self.path.startswith("/v2/languages"):
                body = json.dumps([{"name": "English (US)", "code": "en", "longCode": "en-US"},
                                   {"name": "Spanish", "code": "es", "longCode": "es"}]).encode()
                status = 200
            elif behaviour == "500":
                body, status = b"Internal error", 500
            elif behaviour == "garbage":
                body, status = b"<html>not json", 200
            elif behaviour == "slow":
                time.sleep(6)
                body, status = b"{}", 200
            else:
                body = json.dumps({"matches": [{
                    "message": "The verb form may be wrong.", "shortMessage": "", "offset": 3, "length": 2,
                    "replacements": [{"value": "goes"}], "context": {"text": TEXT, "offset": 3, "length": 2},
                    "sentence": "He go to Paris every weeks.",
                    "rule": {"id": "HE_VERB_AGR", "description": "", "issueType": "grammar",
                             "category": {"id": "GRAMMAR", "name": "Grammar"}},
                }]}).encode()
                status = 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_without_a_server_grammar_is_skipped_with_one_line(cli, write, tmp_path):
    path = write("a.txt", TEXT)
    env = dict(NO_SERVER, MTREVIEW_CACHE_DIR=str(tmp_path / "cache"))
    result = cli("check", path, env=env)
    assert result.code == 0
    skipped = [line for line in result.out.splitlines() if line.startswith("grammar: skipped")]
    assert len(skipped) == 1 and "mtreview languagetool start" in skipped[0]
    data = cli("check", path, "--format", "json", env=env).json()
    assert any(n.startswith("grammar: skipped") for n in data["summary"]["notes"])
    assert "grammar:" not in cli("check", path, "--no-grammar", env=env).out
    required = cli("check", path, "--grammar", env=env)
    assert required.code == 2 and "--grammar" in required.err


@pytest.mark.parametrize("behaviour", ["500", "garbage", "slow"])
def test_misbehaving_server_gives_a_clear_note_and_a_complete_review(cli, write, behaviour):
    a = write("a.txt", TEXT + "They met with the in order to talk.\n")
    b = write("b.txt", "Paris assured that it would help.\n")
    with fake_server(behaviour) as url:
        t0 = time.perf_counter()
        result = cli("check", a, b, "--lt-url", url, "-s", "es", "--format", "json",
                     env={"MTREVIEW_LANGUAGETOOL_TIMEOUT": "1"})
        elapsed = time.perf_counter() - t0
    data = result.json()
    notes = [n for n in data["summary"]["notes"] if n.startswith("grammar: stopped")]
    assert len(notes) == 1 and url in notes[0], data["summary"]["notes"]
    if behaviour == "slow":
        assert "timeout" in notes[0]
    rules = {f["rule"] for file in data["files"] for f in file["findings"]}
    assert {"garble.det-in-order-to", "calque.assured-that"} <= rules  # the rest of the review completed
    assert elapsed < 20  # one file's bounded wait, not one per file


def test_a_dead_server_does_not_hang(cli, write):
    path = write("a.txt", TEXT)
    result = cli("check", path, "--lt-url", "http://127.0.0.1:9")
    assert result.code == 0 and "grammar: stopped at" in result.out and "connection refused" in result.out


def test_languagetool_matches_become_findings_and_merge_with_ours(cli, write):
    path = write("a.txt", TEXT)
    with fake_server("ok") as url:
        data = cli("check", path, "--lt-url", url, "--format", "json").json()
    grammar = [f for f in data["files"][0]["findings"] if f["source"] == "grammar"]
    assert len(grammar) == 1
    g = grammar[0]
    assert (g["rule"], g["text"], g["suggestions"], g["fix"], g["category"], g["severity"]) == (
        "lt.HE_VERB_AGR", "go", ["goes"], "unsafe", "fluency/grammar", "warning")
    assert (g["start"], g["end"], g["line"], g["column"]) == (3, 5, 1, 4)


def _f(rule, start, end, category="fluency/grammar", source="rules"):
    return Draft(rule, start, end, "m", Severity.WARNING, category, FixSafety.NONE, source=source)


def test_merge_keeps_ours_on_the_same_span_and_notes_languagetool():
    ours = [_f("repeat.word", 10, 17)]
    theirs = [_f("lt.ENGLISH_WORD_REPEAT_RULE", 10, 17, source="grammar"), _f("lt.OTHER", 30, 35, source="grammar"),
              _f("lt.INSIDE", 11, 14, source="grammar")]
    merged = merge(ours, theirs)
    assert [f.rule for f in merged] == ["repeat.word", "lt.OTHER"]
    assert merged[0].extra["also_languagetool"] == ["lt.ENGLISH_WORD_REPEAT_RULE", "lt.INSIDE"]


def test_names_in_the_document_are_not_warning_level_misspellings():
    class M:
        def __init__(self, offset, length, rule="MORFOLOGIK_RULE_EN_US", cat="TYPOS", issue="misspelling"):
            self.offset, self.error_length, self.rule_id, self.category, self.rule_issue_type = offset, length, rule, cat, issue
            self.message, self.replacements = "Possible spelling mistake found.", ["Zelensky"]

    text = "President Zelenskyy spoke. Later Zelenskyy left. The teh cat sat."
    doc = Document(text)
    checker = GrammarChecker(GrammarSettings(vocabulary=frozenset({"Blinken"})), "http://unused")
    from mtreview.grammar.client import _capitalised_names

    names = _capitalised_names(doc)
    name = checker._draft(doc, M(text.index("Zelenskyy"), 9), names)
    typo = checker._draft(doc, M(text.index("teh"), 3), names)
    assert name.severity is Severity.INFO and typo.severity is Severity.WARNING
    vocab_doc = Document("Antony Blinken met them.")
    assert checker._draft(vocab_doc, M(7, 7), _capitalised_names(vocab_doc)) is None


def test_unavailable_is_an_exception_with_a_one_line_reason():
    checker = GrammarChecker(GrammarSettings(timeout=1.0), "http://127.0.0.1:9")
    with pytest.raises(GrammarUnavailable) as info:
        checker.check(Document(TEXT))
    assert "\n" not in str(info.value) and "127.0.0.1:9" in str(info.value)


def test_utf16_offsets_become_code_points():
    from mtreview.grammar.matches import parse

    text = "😀 a 🇺🇦 b"  # LanguageTool counts each of the three astral characters as two
    units = {ch: len(text[:text.index(ch)].encode("utf-16-le")) // 2 for ch in "ab"}
    good = [{"offset": units[ch], "length": 1, "rule": {"id": "R"}} for ch in "ab"]
    inside = {"offset": 1, "length": 1, "rule": {"id": "R"}}  # between the halves of 😀
    found, skipped = parse(json.dumps({"matches": [*good, inside]}).encode(), text)
    assert [text[m.offset:m.offset + m.error_length] for m in found] == ["a", "b"] and skipped == 1


def test_a_request_thread_that_outlives_its_deadline_is_given_up(monkeypatch):
    """However a request hangs (here: a transport that ignores its deadline), the caller waits
    no longer than the deadline and a grace period."""
    from mtreview.grammar import client

    gate = threading.Event()
    monkeypatch.setattr(client, "GRACE", 0.2)
    monkeypatch.setattr(client.transport, "request", lambda *args, **kwargs: gate.wait())
    checker = GrammarChecker(GrammarSettings(timeout=0.5, concurrency=1), "http://127.0.0.1:9")
    pending = checker.check_all([Document(TEXT, "a.txt")])
    try:
        with pytest.raises(GrammarUnavailable, match="did not answer for a.txt in time"):
            pending.result(0)
    finally:
        gate.set()
