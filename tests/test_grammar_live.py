"""Grammar through a real LanguageTool server, end to end through `mtreview check`: findings
merged with ours on exact offsets, corrections as suggestions, false friends for a source
language, and a server that dies in the middle of a run (a proxy in front of the real one;
the fixture `lt_url` is in conftest.py; misbehaving fake servers are in test_grammar.py and
test_grammar_hostile.py)."""

from __future__ import annotations

import http.client
import socket
import threading
import urllib.parse

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


class DyingProxy:
    """A LanguageTool that dies in the middle of a run: it relays the first request to the real
    server ``upstream`` and, with the answer in hand, stops listening before it passes the
    answer on; every later request is refused. The order is set by the proxy itself (no
    sleeps, no kill racing a request), so the first file always gets its findings."""

    def __init__(self, upstream: str):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.relayed = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                head += conn.recv(65536)
            head, body = head.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            length = next(int(v) for k, v in (line.split(":", 1) for line in lines[1:]) if k.lower() == "content-length")
            while len(body) < length:
                body += conn.recv(65536)
            upstream = http.client.HTTPConnection(self.upstream.hostname, self.upstream.port, timeout=300)
            upstream.request(method, path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
            answer = upstream.getresponse()
            status, data = answer.status, answer.read()
            upstream.close()
            self.listener.close()  # dead from here on: the next request is refused
            conn.sendall(b"HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                         b"Connection: close\r\n\r\n" % (status, len(data)) + data)
            self.relayed.set()


def test_killing_the_server_mid_run_gives_a_note_and_a_complete_review(write, lt_url, monkeypatch):
    texts = ["He go to Paris every weeks.\n", "They met with the in order to talk.\n", "She go home.\n"]
    paths = [write(f"{i}.txt", t) for i, t in enumerate(texts)]
    real_check = GrammarChecker._check  # one call per request
    calls = []

    def counted(self, doc: Document, *args):
        calls.append(doc.path)
        return real_check(self, doc, *args)

    monkeypatch.setattr(GrammarChecker, "_check", counted)
    proxy = DyingProxy(lt_url)
    monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_URL", proxy.url)
    monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_CONCURRENCY", "1")  # one request at a time: the death falls between two
    monkeypatch.setenv("MTREVIEW_LANGUAGETOOL_TIMEOUT", "600")  # however loaded the machine, the first answer comes
    report = Reviewer(Options(source_lang="es")).review(paths)
    assert proxy.relayed.is_set()
    rules = [[f.rule for f in r.findings] for r in report.files]
    assert "lt.HE_VERB_AGR" in rules[0]  # before the death: grammar
    assert "garble.det-in-order-to" in rules[1]  # after it: our rules still run ...
    assert not any(r.startswith("lt.") for r in rules[1] + rules[2])  # ... without grammar
    assert len(calls) == 2  # one failed request, then none: no more waiting on a dead server
    note = next(n for n in report.notes if n.startswith("grammar:"))
    assert str(paths[1]) in note and "connection refused" in note, note
    assert all(r.scores for r in report.files)  # the review of every file is complete


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
