"""The managed LanguageTool server (mtreview/grammar/server.py, `mtreview languagetool`)
against a real LanguageTool: install through Maven, start, healthcheck, real checks, stop.

One server serves the session: the `lt_url` fixture in conftest.py. The lifecycle tests use a
throw-away server of their own, in a cache folder of their own. When no server can be
provisioned the tests FAIL, saying why: they never skip.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from mtreview.errors import MtreviewError
from mtreview.grammar import server

URL_VARIABLE = server.URL_VARIABLE


def get(url: str, timeout: float = 10.0) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8")


def check(url: str, **params: str) -> dict:
    data = urllib.parse.urlencode(params).encode("utf-8")
    with urllib.request.urlopen(url + "/v2/check", data=data, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read().decode("utf-8"))


def rules_of(answer: dict) -> dict[str, dict]:
    return {m["rule"]["id"]: m for m in answer["matches"]}


def commands(*args: str, env: dict[str, str | None] | None = None, timeout: float = 180) -> subprocess.CompletedProcess:
    """``python -m mtreview languagetool ARGS``, as a user runs them."""
    full = dict(os.environ)
    for key, value in (env or {}).items():
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    return subprocess.run([sys.executable, "-m", "mtreview", "languagetool", *args], capture_output=True,
                          text=True, env=full, timeout=timeout, stdin=subprocess.DEVNULL)


def gone(pid: int) -> bool:
    """No such process, or only a zombie left for its parent to reap."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2:].startswith(("Z", "X"))


# -- against the module's server ------------------------------------------------------------


def test_healthcheck_answers(lt_url):
    status, body = get(lt_url + "/v2/healthcheck")
    assert status == 200 and body.strip() == "OK"


def test_real_check_finds_grammar_errors(lt_url):
    answer = check(lt_url, language="en-US", text="He go to Paris every weeks.")
    assert answer["software"]["name"] == "LanguageTool" and answer["software"]["version"].startswith("6.")
    found = rules_of(answer)
    assert found, answer
    assert "HE_VERB_AGR" in found, sorted(found)  # "He go" → "goes"
    m = found["HE_VERB_AGR"]
    assert "goes" in [r["value"] for r in m["replacements"]]
    assert "He go to Paris every weeks."[m["offset"]:m["offset"] + m["length"]] in ("go", "He go")


def test_false_friend_for_a_portuguese_mother_tongue(lt_url):
    """LanguageTool's XML false-friend rules: category FALSE_FRIENDS, rule id = the rule
    group (ACTUAL), issued only at the picky level."""
    text = "The actual president of Spain visited."
    found = rules_of(check(lt_url, language="en-US", motherTongue="pt", level="picky", text=text))
    assert "ACTUAL" in found, sorted(found)
    m = found["ACTUAL"]
    assert m["rule"]["category"]["id"] == "FALSE_FRIENDS"
    assert text[m["offset"]:m["offset"] + m["length"]] == "actual"
    assert "Portuguese" in m["message"] and "current" in [r["value"] for r in m["replacements"]]
    # not at the default level
    assert "ACTUAL" not in rules_of(check(lt_url, language="en-US", motherTongue="pt", text=text))


@pytest.mark.parametrize("mother_tongue", ["es", "fr", "pt", "it", "de"])
def test_every_source_language_is_an_accepted_mother_tongue(lt_url, mother_tongue):
    """mtreview sends --source-lang as motherTongue; a missing language module would make
    LanguageTool answer HTTP 400 and stop grammar for the whole run."""
    answer = check(lt_url, language="en-US", motherTongue=mother_tongue, text="He go to Paris every weeks.")
    assert "HE_VERB_AGR" in rules_of(answer)


@pytest.mark.parametrize("mother_tongue", ["es", "fr", "de"])
def test_no_xml_false_friends_for_mother_tongues_with_an_ngram_rule(lt_url, mother_tongue):
    """LanguageTool 6.x leaves out its XML false friends for English written by Spanish, French,
    German and Dutch speakers (English.hasNGramFalseFriendRule): those get an n-gram rule
    (EN_FOR_ES_SPEAKERS_FALSE_FRIENDS...) that needs the English n-gram data, many GB served
    by languagetool.org only. So LanguageTool flags no "actual" for them here, and mtreview's
    own rule (calque.actual-title, for es/fr/pt/it/de) carries that false friend: see
    test_grammar_live.py. Should a LanguageTool release change this, this test says so."""
    text = "The actual president of Spain visited."
    answer = check(lt_url, language="en-US", motherTongue=mother_tongue, level="picky", text=text)
    assert not any(m["rule"]["category"]["id"] == "FALSE_FRIENDS" for m in answer["matches"]), answer["matches"]


# -- the lifecycle, on a throw-away server in a cache folder of its own -------------------------


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder where no server runs; MTREVIEW_LANGUAGETOOL_URL unset."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("MTREVIEW_CACHE_DIR", str(cache))
    monkeypatch.delenv(URL_VARIABLE, raising=False)
    return cache


def test_status_when_nothing_runs(own_cache):
    assert server.status() is None
    assert server.server_url() is None
    assert server.stop() is False
    done = commands("status")
    assert done.returncode == 1 and "not running" in done.stdout
    done = commands("stop")
    assert done.returncode == 0 and "No LanguageTool server was running" in done.stdout
    done = commands("start")
    assert done.returncode == 2
    assert done.stderr.startswith("mtreview: error: LanguageTool is not installed") and "install" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_the_url_variable_overrides_the_state(own_cache, monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, "http://127.0.0.1:9")
    assert server.server_url() == "http://127.0.0.1:9"
    done = commands("status")
    assert done.returncode == 1 and URL_VARIABLE in done.stdout


def test_install_start_status_stop(own_cache, lt_url):
    """The whole lifecycle through the commands, as a user runs them: the JVM outlives the
    `start` process, `status` and mtreview find it through the state file, `stop` ends it."""
    done = commands("install")  # Maven's cache is warm by now: offline, a few seconds
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("LanguageTool 6.") and "jars" in done.stdout
    install = server.installed()
    assert install is not None and install.folder.parent == own_cache / "languagetool"
    assert any("languagetool-server" in p for p in install.classpath)
    assert not any("language-all" in p for p in install.classpath)
    again = commands("install")
    assert again.returncode == 0 and "already installed" in again.stdout

    # a port in use, and a JVM that dies at start-up: clear one-line errors, no state left
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(MtreviewError, match=f"--port {port}: .* in use"):
            server.start(port=port)
    with pytest.raises(MtreviewError, match="exited with code .*OutOfMemoryError"):
        server.start(heap="16m", warm=False)
    assert not server.state_path().exists()

    done = commands("start", "--heap", "512m", "--no-warm")
    assert done.returncode == 0, done.stderr
    state = json.loads(server.state_path().read_text())
    assert set(state) >= {"url", "pid", "port", "version", "started"}
    url, pid = state["url"], state["pid"]
    try:
        assert url == f"http://127.0.0.1:{state['port']}" and url in done.stdout
        assert url != lt_url
        assert not gone(pid)  # outlived the `start` process
        assert server.server_url() == url
        info = server.status()
        assert info is not None and info.healthy and info.pid == pid and info.version == state["version"]
        assert get(url + "/v2/healthcheck")[0] == 200
        assert "HE_VERB_AGR" in rules_of(check(url, language="en-US", text="He go to Paris every weeks."))
        status = commands("status")
        assert status.returncode == 0 and url in status.stdout and "healthy" in status.stdout
        assert commands("status", "--url").stdout.strip() == url
        second = commands("start", "--no-warm")  # no second JVM
        assert second.returncode == 0 and "already running" in second.stdout and str(pid) in second.stdout
        assert json.loads(server.state_path().read_text())["pid"] == pid
    finally:
        stopped = commands("stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout, stopped.stdout + stopped.stderr
    assert not server.state_path().exists()
    assert gone(pid)
    assert server.status() is None and server.server_url() is None
    assert not server.healthy(url, timeout=1)
    assert commands("status").returncode == 1
