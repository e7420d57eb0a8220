"""LanguageTool servers that misbehave, each a fake on 127.0.0.1 (a real server's findings are
tested in test_grammar_live.py): servers that trickle, hang, reset, fail, redirect, or answer
garbage or JSON of the wrong shape; Ctrl-C during a hung request; grammar required of a dead
server. Every case runs ``python -m mtreview check`` as a process and asserts its exit code,
one-line notes and errors and no traceback; a run that does not end within ``LIMIT`` fails (a
hang), and conftest.py's bounds of the hostile suite (time, memory) apply to each run."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from helpers import RUNS, Result, run_subprocess

TEXT = "He go to Paris every weeks. They met with the in order to talk.\n"
GO = TEXT.index("go")
LIMIT = 60  # seconds any one run may take before the test fails: a hang, not a slow machine
QUICK = {"MTREVIEW_LANGUAGETOOL_TIMEOUT": "3"}  # the deadline of a request of TEXT: 3 s and a little


def match(offset=GO, length=2, rule="HE_VERB_AGR", replacements=({"value": "goes"},), **more) -> dict:
    """One LanguageTool match, well formed unless told otherwise."""
    m = {"message": "The verb form may be wrong.", "offset": offset, "length": length,
         "replacements": list(replacements),
         "rule": {"id": rule, "issueType": "grammar", "category": {"id": "GRAMMAR", "name": "Grammar"}}}
    m.update(more)
    return m


def answer(body: bytes | str, status: int = 200, headers: str = "Content-Type: application/json\r\n") -> bytes:
    body = body.encode() if isinstance(body, str) else body
    return (f"HTTP/1.1 {status} X\r\n{headers}Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


def matches(*items, raw: str | None = None) -> bytes:
    """An answer with ``items`` as its matches (or the JSON text ``raw``)."""
    return answer(raw if raw is not None else json.dumps({"matches": list(items)}))


@dataclass
class Server:
    """A fake server's URL, the requests it got, and an event set on the first one."""

    url: str
    requests: list[bytes] = field(default_factory=list)
    asked: threading.Event = field(default_factory=threading.Event)
    stop: threading.Event = field(default_factory=threading.Event)


def _read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def fake_server(behave: Callable[[socket.socket, Server], None]) -> Iterator[Server]:
    """A server on 127.0.0.1 that reads each request and lets ``behave(conn, server)`` answer."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    server = Server(f"http://127.0.0.1:{listener.getsockname()[1]}")

    def handle(conn: socket.socket) -> None:
        with conn:
            try:
                server.requests.append(_read_request(conn))
                server.asked.set()
                behave(conn, server)
            except OSError:
                pass

    def serve() -> None:
        while not server.stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stop.set()
        thread.join()
        listener.close()


def sends(data: bytes) -> Callable[[socket.socket, Server], None]:
    return lambda conn, server: conn.sendall(data)


def hangs(conn: socket.socket, server: Server) -> None:
    server.stop.wait()


def dead_url() -> str:
    """A local port nobody listens on."""
    with socket.create_server(("127.0.0.1", 0)) as s:
        return f"http://127.0.0.1:{s.getsockname()[1]}"


# the LanguageTool variables of the caller's environment are not the case's
UNSET = {name: None for name in ("MTREVIEW_LANGUAGETOOL_URL", "MTREVIEW_LANGUAGETOOL_TIMEOUT",
                                 "MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT", "MTREVIEW_LANGUAGETOOL_CONCURRENCY")}


def grammar_notes(run: Result) -> list[str]:
    return [n for n in run.json()["summary"]["notes"] if n.startswith("grammar:")]


def check(*args, env: dict[str, str] | None = None, cwd=None) -> Result:
    """``mtreview check ARGS`` as a process (helpers.run_subprocess: killed and failed if it does not
    end within ``LIMIT``; conftest.py's hostile-suite bounds apply to it)."""
    run = run_subprocess("check", *args, env={**UNSET, **(env or {})}, cwd=cwd, timeout=LIMIT)
    assert "Traceback" not in run.out + run.err, run.err
    return run


@pytest.fixture
def article(write):
    return write("a.txt", TEXT)


@pytest.fixture(scope="module")
def usual(tmp_path_factory) -> int:
    """The exit code of TEXT without grammar: a run whose grammar failed exits with it too."""
    path = tmp_path_factory.mktemp("usual") / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    run = check(path, "--no-grammar")
    assert run.code == 1  # our own rules find "the in order to"
    return run.code


def stopped(run: Result, usual: int, *words: str) -> str:
    """The one note of a run whose grammar stopped: the review completed without it."""
    assert run.code == usual, run.err
    said = grammar_notes(run)
    assert len(said) == 1 and said[0].startswith("grammar: stopped at") and "\n" not in said[0], said
    for word in words:
        assert word in said[0], said[0]
    rules = {f["rule"] for f in run.json()["files"][0]["findings"]}
    assert "garble.det-in-order-to" in rules and not any(r.startswith("lt.") for r in rules)
    return said[0]


def one_error(run: Result, *words: str) -> str:
    """The one line a run that stops with an error (exit 2) writes."""
    assert run.code == 2, (run.out, run.err)
    lines = run.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtreview: error:"), run.err
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- servers that keep the answer from coming -------------------------------------------------------
def trickle(conn: socket.socket, server: Server) -> None:
    """Headers, then one byte of the body every half second: each read is quick, the answer never ends."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
    while not server.stop.wait(0.5):
        conn.sendall(b" ")


def headers_then_hang(conn: socket.socket, server: Server) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"matches\": [")
    server.stop.wait()


def reset(conn: socket.socket, server: Server) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # close = RST


@pytest.mark.parametrize(("behave", "words"), [
    (trickle, ("3 s timeout", "MTREVIEW_LANGUAGETOOL_TIMEOUT")),
    (headers_then_hang, ("3 s timeout",)),
    (hangs, ("3 s timeout",)),
    (reset, ("connection lost",)),
], ids=["trickle", "headers-then-hang", "no-answer", "reset"])
def test_a_server_that_keeps_the_answer_from_coming_costs_one_deadline(article, usual, behave, words):
    with fake_server(behave) as server:
        run = check(article, "--lt-url", server.url, "-f", "json", env=QUICK)
    stopped(run, usual, server.url, *words)
    assert len(server.requests) == 1  # no second try at a server that failed


# -- servers that answer nonsense ------------------------------------------------------------------
@pytest.mark.parametrize(("data", "words"), [
    (answer("java.lang.OutOfMemoryError", 500), ("HTTP 500", "OutOfMemoryError")),
    (answer("<html>Not Found</html>", 404, "Content-Type: text/html\r\n"), ("HTTP 404",)),
    (answer("<html><body>Welcome to nginx!</body></html>", 200, "Content-Type: text/html\r\n"), ("not JSON",)),
    (matches(raw='{"matches": [{"offset": 3, "len'), ("not JSON",)),
    (matches(raw="[" * 100_000 + "]" * 100_000), ("not JSON",)),
    (answer(b'{"matches": ["\xff\xfe"]}'), ("not UTF-8",)),
    (matches(raw='{"matches": {"offset": 3}}'), ("not a LanguageTool answer",)),
    (matches(raw="[1, 2, 3]"), ("not a LanguageTool answer",)),
    (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999999\r\n\r\n" + b"x" * 1000,
     ("more than mtreview reads",)),
    (b"SSH-2.0-OpenSSH_9.6\r\n", ("not an HTTP answer",)),
], ids=["500", "404", "html", "truncated-json", "deep-json", "not-utf8", "matches-not-a-list", "json-not-an-object",
        "huge-content-length", "not-http"])
def test_a_server_that_answers_nonsense_gives_a_note_and_a_complete_review(article, usual, data, words):
    with fake_server(sends(data)) as server:
        run = check(article, "--lt-url", server.url, "-f", "json", env=QUICK)
    stopped(run, usual, *words)


def test_a_redirect_is_not_followed(article, usual):
    with fake_server(sends(matches(match()))) as elsewhere:
        redirects = [answer("", 302, f"Location: {where}/v2/check\r\n")
                     for where in (elsewhere.url, "http://languagetool.example.invalid")]
        for data in redirects:
            with fake_server(sends(data)) as server:
                run = check(article, "--lt-url", server.url, "-f", "json", env=QUICK)
            stopped(run, usual, "HTTP 302", "redirect", "follows no redirect")
    assert not elsewhere.requests


# -- answers with malformed matches: each skipped, the rest kept -------------------------------------
MALFORMED = {
    "offset-1e400": '{"offset": 1e400, "length": 2, "rule": {"id": "X"}}',
    "length-1e400": '{"offset": 3, "length": 1e400, "rule": {"id": "X"}}',
    "offset-nan": '{"offset": NaN, "length": 2, "rule": {"id": "X"}}',
    "offset-string": '{"offset": "3", "length": 2, "rule": {"id": "X"}}',
    "offset-float": '{"offset": 3.5, "length": 2, "rule": {"id": "X"}}',
    "offset-bool": '{"offset": true, "length": 2, "rule": {"id": "X"}}',
    "offset-negative": '{"offset": -5, "length": 2, "rule": {"id": "X"}}',
    "offset-beyond": '{"offset": 100000, "length": 2, "rule": {"id": "X"}}',
    "length-beyond": '{"offset": 3, "length": 100000, "rule": {"id": "X"}}',
    "length-zero": '{"offset": 3, "length": 0, "rule": {"id": "X"}}',
    "no-offset": '{"length": 2, "rule": {"id": "X"}}',
    "no-rule": '{"offset": 3, "length": 2}',
    "rule-id-object": '{"offset": 3, "length": 2, "rule": {"id": {"a": 1}}}',
    "rule-id-escape": '{"offset": 3, "length": 2, "rule": {"id": "X\\u001b[2J"}}',
    "replacement-object": '{"offset": 3, "length": 2, "rule": {"id": "X"}, "replacements": [{"value": {"a": 1}}]}',
    "replacement-string": '{"offset": 3, "length": 2, "rule": {"id": "X"}, "replacements": ["goes"]}',
    "replacements-object": '{"offset": 3, "length": 2, "rule": {"id": "X"}, "replacements": {"value": "goes"}}',
    "message-list": '{"offset": 3, "length": 2, "rule": {"id": "X"}, "message": ["a"]}',
    "category-string": '{"offset": 3, "length": 2, "rule": {"id": "X", "category": "GRAMMAR"}}',
    "match-a-number": "42",
}


def test_malformed_matches_are_skipped_with_one_note_and_the_good_ones_kept(article):
    good = json.dumps(match())
    raw = '{"matches": [' + ", ".join([*MALFORMED.values(), good]) + "]}"
    with fake_server(sends(matches(raw=raw))) as server:
        run = check(article, "--lt-url", server.url, "-f", "json", env=QUICK)
    assert run.code == 1
    assert grammar_notes(run) == [f"grammar: skipped {len(MALFORMED)} malformed matches from the server ({server.url}, in 1 file)"]
    grammar = [f for f in run.json()["files"][0]["findings"] if f["source"] == "grammar"]
    assert [(f["rule"], f["text"], f["suggestions"]) for f in grammar] == [("lt.HE_VERB_AGR", "go", ["goes"])]


def test_a_hundred_thousand_matches_are_bounded(article):
    raw = '{"matches": [' + ", ".join([json.dumps(match())] * 100_000) + "]}"
    with fake_server(sends(matches(raw=raw))) as server:
        run = check(article, "--lt-url", server.url, "-f", "json", env=QUICK)
    assert run.code == 1
    notes = grammar_notes(run)
    assert len(notes) == 1 and "skipped 99900 malformed matches" in notes[0], notes  # beyond one per character
    grammar = [f for f in run.json()["files"][0]["findings"] if f["source"] == "grammar"]
    assert [f["rule"] for f in grammar] == ["lt.HE_VERB_AGR"]  # the same match said again is one finding


def test_escapes_in_a_message_never_reach_the_terminal(article):
    evil = match(message="Wrong\u001b[2J\u001b]0;owned\u0007 verb\r\nform.")
    with fake_server(sends(matches(evil))) as server:
        run = check(article, "--lt-url", server.url, env=QUICK)
    line = next(line for line in run.out.splitlines() if "lt.HE_VERB_AGR" in line)
    assert run.code == 1 and line.endswith("Wrong[2J]0;owned verb form.")  # the escapes' printable rest, harmless
    assert not any(c in run.out for c in "\u001b\u0007\r"), run.out


def test_offsets_count_utf16_units_as_languagetool_does(write):
    """LanguageTool (Java) counts an emoji as two; the finding must land on "go", not next to it."""
    text = "🇺🇦 😀 He go home.\n"
    path = write("e.txt", text)
    units = len(text[:text.index("go")].encode("utf-16-le")) // 2
    inside_a_pair = match(offset=1, length=2, rule="SPLIT")  # between the halves of 🇺: malformed
    with fake_server(sends(matches(match(offset=units), inside_a_pair))) as server:
        run = check(path, "--lt-url", server.url, "-f", "json", env=QUICK)
    grammar = [f for f in run.json()["files"][0]["findings"] if f["source"] == "grammar"]
    assert [(f["rule"], f["text"]) for f in grammar] == [("lt.HE_VERB_AGR", "go")]
    assert grammar_notes(run) == [f"grammar: skipped 1 malformed match from the server ({server.url}, in 1 file)"]


# -- deadlines for the run, Ctrl-C ------------------------------------------------------------------
def test_the_run_has_a_deadline_of_its_own(write, usual):
    paths = [write(f"{i}.txt", TEXT) for i in range(3)]
    env = {"MTREVIEW_LANGUAGETOOL_TIMEOUT": "600", "MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT": "3"}
    with fake_server(hangs) as server:
        run = check(*paths, "--lt-url", server.url, "-f", "json", env=env)
    assert run.code == usual
    notes = grammar_notes(run)
    assert len(notes) == 1 and "MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT" in notes[0] and "3 s" in notes[0], notes


def test_ctrl_c_during_a_hung_request_ends_the_run(article):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    env.update(MTREVIEW_LANGUAGETOOL_TIMEOUT="600", PYTHONIOENCODING="utf-8", NO_COLOR="1")
    args = ["check", str(article), "--lt-url"]
    with fake_server(hangs) as server, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        args.append(server.url)
        started = time.perf_counter()
        # SIGINT as a terminal gives it: a shell's background job starts with it ignored, a
        # Python started that way keeps ignoring it (as nohup users want), and an ignored signal
        # stays ignored across exec; a handler does not, so the child gets the default
        saved = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            proc = subprocess.Popen([sys.executable, "-m", "mtreview", *args], env=env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL)
        finally:
            signal.signal(signal.SIGINT, saved)
        try:
            assert server.asked.wait(LIMIT), "the request never came"
            proc.send_signal(signal.SIGINT)
            proc.wait(LIMIT)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        run = Result(proc.returncode, out.read().decode(), err.read().decode(), seconds,
                     resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)  # at most: all children's peak
    RUNS.append((os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], args, run))
    assert run.code in (130, 1, 2), run
    assert "Traceback" not in run.err and len(run.err.strip().splitlines()) <= 1, run.err


# -- grammar asked for: a failing server is an error ---------------------------------------------------
def test_grammar_asked_for_with_a_dead_server_is_an_error(article):
    run = check(article, "--grammar", "--lt-url", dead_url())
    one_error(run, "grammar required", "connection refused")


def test_grammar_on_in_the_config_with_a_dead_server_is_an_error(article, tmp_path):
    (tmp_path / ".mtreview.toml").write_text(f'grammar = "on"\n[languagetool]\nurl = "{dead_url()}"\n', encoding="utf-8")
    one_error(check(article, cwd=tmp_path), "grammar required", "connection refused")
    assert check(article, "--no-grammar", cwd=tmp_path).code == 1  # the command line wins


@pytest.mark.parametrize("value", ['"maybe"', "1", "[]"])
def test_a_bad_grammar_value_in_the_config_is_an_error_naming_file_and_key(article, tmp_path, value):
    (tmp_path / ".mtreview.toml").write_text(f"grammar = {value}\n", encoding="utf-8")
    one_error(check(article, cwd=tmp_path), ".mtreview.toml", "grammar", '"on"')


def test_grammar_true_in_the_config_means_on(article, tmp_path):
    (tmp_path / ".mtreview.toml").write_text(f'grammar = true\n[languagetool]\nurl = "{dead_url()}"\n', encoding="utf-8")
    one_error(check(article, cwd=tmp_path), "grammar required")


def test_grammar_asked_for_with_a_server_answering_nonsense_is_an_error(article):
    with fake_server(sends(answer("<html>", 502))) as server:
        one_error(check(article, "--grammar", "--lt-url", server.url), "grammar required", "HTTP 502")


def test_grammar_asked_for_with_a_working_server_exits_as_usual(article):
    with fake_server(sends(matches(match()))) as server:
        run = check(article, "--grammar", "--lt-url", server.url, "-f", "json")
    assert run.code == 1 and not grammar_notes(run) and run.err == ""


# -- addresses that are not a server ----------------------------------------------------------------
@pytest.mark.parametrize("url", ["localhost:8081", "ftp://127.0.0.1/", "http://", "http://127.0.0.1:99999",
                                 "http://127.0.0.1:80 81", "file:///etc/passwd"])
def test_an_lt_url_that_is_not_an_http_url_is_an_error_at_once(article, url):
    one_error(check(article, "--lt-url", url), "--lt-url", "http")


def test_a_config_url_that_is_not_an_http_url_is_an_error(article, tmp_path):
    (tmp_path / ".mtreview.toml").write_text('[languagetool]\nurl = "127.0.0.1:8081"\n', encoding="utf-8")
    one_error(check(article, cwd=tmp_path), "url", "http")


def test_a_bad_url_in_the_environment_gives_a_note(article, usual):
    run = check(article, "-f", "json", env={"MTREVIEW_LANGUAGETOOL_URL": "127.0.0.1:8081"})
    stopped(run, usual, "not an http(s) URL")
    one_error(check(article, "--grammar", env={"MTREVIEW_LANGUAGETOOL_URL": "127.0.0.1:8081"}), "grammar required")
