"""What other programs and terminals get from mtreview: the JSON contract's added fields
(end positions, fingerprints, why, source language, fail-on and blocking counts), errors as
JSON with --format json, control characters in documents kept from the terminal, baselines
(--write-baseline / --baseline), and the message of a blocked commit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SEED, line_col, make_rule, write_pack

NO_EXTRAS = ("--no-grammar", "--no-scores", "--source-lang", "es")
ERROR_SENTENCE = "The ministers met with the in order to talk."  # garble.det-in-order-to: error, safe fix
WARNING_SENTENCE = "Paris assured that it would keep talking."  # calque.assured-that: warning, unsafe fix
INFO_SENTENCE = "The troops are on “high” alert."  # house.scare-quotes: info
C0_C1 = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _json(cli, *args, code: int | None = None) -> dict:
    result = cli("check", "--format", "json", *NO_EXTRAS, *args)
    assert code is None or result.code == code, result.output
    return result.json()


def _by_rule(findings) -> dict[str, dict]:
    return {f["rule"]: f for f in findings}


# -- 1. the JSON contract's added fields ----------------------------------------------------------
def test_json_findings_carry_end_fingerprint_why_and_the_file_its_language(cli, write):
    from helpers import builtin_ruleset

    text = f"{INFO_SENTENCE}\n\n{WARNING_SENTENCE}\n\nThe ministers met with the in\norder to talk.\n"
    path = write("a.md", text)
    data = _json(cli, path, code=1)
    assert data["schema"] == "mtreview/1"
    (file,) = data["files"]
    assert file["source_lang"] == "es" and file["fail_on"] == "warning" and file["blocking"] == 2
    found = _by_rule(file["findings"])
    garble = found["garble.det-in-order-to"]  # across a line break: it ends on the next line
    assert "\n" in garble["text"]
    assert (garble["end_line"], garble["end_column"]) == line_col(text, garble["end"]) == (6, 9)
    for f in file["findings"]:
        assert (f["end_line"], f["end_column"]) == line_col(text, f["end"])
        assert re.fullmatch(r"[0-9a-f]{32}", f["fingerprint"])
        assert f["why"] == builtin_ruleset().rules[f["rule"]].why and f["why"]
    assert len({f["fingerprint"] for f in file["findings"]}) == len(file["findings"])
    summary = data["summary"]
    assert summary["fail_on"] == "warning" and summary["blocking"] == 2
    assert summary["by_severity"] == {"error": 1, "warning": 1, "info": 1}

    errors_only = _json(cli, path, "--fail-on", "error")
    assert errors_only["summary"]["blocking"] == errors_only["files"][0]["blocking"] == 1
    assert errors_only["summary"]["fail_on"] == "error"
    never = _json(cli, path, "--fail-on", "never", code=0)
    assert never["summary"]["blocking"] == 0 and never["summary"]["fail_on"] == "never"


def test_files_under_configs_with_other_fail_on_levels(cli, write, tmp_path):
    write("strict/.mtreview.toml", 'fail-on = "info"\n')
    a = write("strict/a.txt", INFO_SENTENCE + "\n")
    b = write("loose/b.txt", INFO_SENTENCE + "\n")
    data = _json(cli, a, b, code=1)
    assert [(f["fail_on"], f["blocking"]) for f in data["files"]] == [("info", 1), ("warning", 0)]
    assert data["summary"]["fail_on"] is None and data["summary"]["blocking"] == 1


def test_fingerprints_survive_edits_elsewhere_and_tell_repeats_apart(cli, write, seed_text):
    before = {f["fingerprint"]: f for f in _json(cli, write("seed.txt", seed_text))["files"][0]["findings"]}
    # a paragraph before everything (every offset and line moves) and one changed far away
    edited = "A new first paragraph, added by the desk.\n\n" + seed_text.replace(
        "At the moment, the Atlantic Alliance", "At the moment, according to the desk, the Atlantic Alliance")
    after = {f["fingerprint"]: f for f in _json(cli, write("seed.txt", edited))["files"][0]["findings"]}
    moved = [fp for fp in before if fp not in after]
    assert all("Atlantic Alliance" in before[fp]["text"] or before[fp]["line"] == 33 for fp in moved), \
        [before[fp] for fp in moved]
    assert len(moved) <= 1 and len(before) >= 40
    # the same sentence twice: two findings, two fingerprints, each stable
    twice = write("twice.txt", f"{ERROR_SENTENCE}\n\n{ERROR_SENTENCE}\n")
    prints = [f["fingerprint"] for f in _json(cli, twice, code=1)["files"][0]["findings"]]
    assert len(prints) == len(set(prints)) == 2
    twice.write_text(f"New lead.\n\n{ERROR_SENTENCE}\n\n{ERROR_SENTENCE}\n", encoding="utf-8")
    assert [f["fingerprint"] for f in _json(cli, twice, code=1)["files"][0]["findings"]] == prints


def test_sarif_partial_fingerprints_are_the_json_fingerprints(cli, write):
    path = write("a.txt", f"{ERROR_SENTENCE}\n\n{WARNING_SENTENCE}\n\n{INFO_SENTENCE}\n")
    prints = [f["fingerprint"] for f in _json(cli, path)["files"][0]["findings"]]
    log = json.loads(cli("check", "--format", "sarif", *NO_EXTRAS, path).out)
    from mtreview.report.sarif import FINGERPRINT_KEY

    assert [r["partialFingerprints"][FINGERPRINT_KEY] for r in log["runs"][0]["results"]] == prints


# -- 2. errors as JSON with --format json ---------------------------------------------------------
@pytest.mark.parametrize("args, needle", [
    (["--format", "json", "missing.txt"], "missing.txt: no such file"),
    (["--format=json", "--fail-on", "warnings", "a.txt"], "--fail-on 'warnings'"),
    (["-f", "json", "--baseline", "nope.json", "a.txt"], "nope.json: no such file"),
    (["-fjson", "--source-lang", "xx", "a.txt"], "xx"),
], ids=["missing-file", "bad-fail-on", "missing-baseline", "bad-source-lang"])
def test_errors_arrive_as_json_with_format_json(cli, write, tmp_path, args, needle):
    write("a.txt", "Text.\n")
    result = cli("check", *args, cwd=tmp_path)
    assert result.code == 2
    data = result.json()
    assert data["schema"] == "mtreview/1" and data["error"]["code"] == 2 and needle in data["error"]["message"]
    assert result.err == f"mtreview: error: {data['error']['message']}\n"  # and the one line on stderr


@pytest.mark.parametrize("args, needle", [
    (["--format", "json", "--formt", "text", "a.txt"], "no such option --formt (did you mean --format?)"),
    (["-f", "json", "--mqm-pass", "abc", "a.txt"], "invalid value for '--mqm-pass'"),
    (["--format=json", "--fail-on"], "--fail-on"),
], ids=["unknown-option", "bad-type", "missing-value"])
def test_usage_errors_arrive_as_json_with_format_json(cli_process, write, tmp_path, args, needle):
    write("a.txt", "Text.\n")
    result = cli_process("check", *args, cwd=tmp_path)
    assert result.code == 2 and "Traceback" not in result.err
    data = result.json()
    assert data["schema"] == "mtreview/1" and data["error"]["code"] == 2 and needle in data["error"]["message"]
    assert data["error"]["message"].startswith("mtreview check: ") and data["error"]["message"].endswith("see mtreview check --help")
    assert result.err == data["error"]["message"] + "\n"  # the same one line on stderr


def test_errors_stay_text_without_format_json(cli, cli_process, tmp_path):
    result = cli("check", tmp_path / "missing.txt")
    assert result.code == 2 and result.out == "" and len(result.err.splitlines()) == 1
    as_process = cli_process("check", "--format", "json", tmp_path / "missing.txt")
    assert as_process.code == 2 and as_process.json()["error"]["code"] == 2
    assert "Traceback" not in as_process.err and len(as_process.err.splitlines()) == 1
    # "json" as a file name after --, not a format
    assert cli("check", "--", "json").out == ""


# -- 3. control characters in a document never reach the terminal ----------------------------------
HOSTILE = ("Read \x1b]8;;https://evil.example/\x07this\x1b]8;;\x07 and \x1b[31mred\x1b[0m, \x9b2J, bell\x07, "
           "back\x08space now.\n")


@pytest.fixture
def hostile(write, tmp_path):
    """A document whose findings quote escape sequences, in a file whose name has one."""
    packs = write_pack(tmp_path / "packs", [make_rule(
        "custom.escapes", regex="Read.*?now", message="Found “{0}”", suggest="Read this", fix="safe",
        examples={"bad": [{"text": "[Read it now]", "fixed": "Read this"}], "good": ["Nothing."]})])
    return write("e\x1b[2Jvil.txt", HOSTILE), packs


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_escape_sequences_are_shown_not_sent(cli, hostile, fmt):
    path, packs = hostile
    result = cli("check", "--rules", packs, "--select", "custom", "--format", fmt, *NO_EXTRAS, path,
                 env={"FORCE_COLOR": None, "NO_COLOR": "1"})
    assert result.code == 1, result.output
    assert not C0_C1.search(result.out), result.out
    assert "\\x1b]8;;https://evil.example/\\x07this" in result.out  # visible, escaped
    assert "\\x9b2J" in result.out and "back\\x08space" in result.out
    assert "e\\x1b[2Jvil.txt" in result.out  # the file name too
    if fmt == "text":
        assert "fix: “Read" in result.out


def test_escape_sequences_in_colour_output_leave_only_our_colours(cli, hostile):
    path, packs = hostile
    out = cli("check", "--rules", packs, "--select", "custom", *NO_EXTRAS, path, env={"FORCE_COLOR": "1"}).out
    assert "\x1b[33m" in out  # our own colour for "warning"
    ours = re.sub(r"\x1b\[(?:0|1|2|31|33|36)m", "", out)
    assert not C0_C1.search(ours), ours


def test_escape_sequences_in_json_are_escaped(cli, hostile):
    path, packs = hostile
    result = cli("check", "--rules", packs, "--select", "custom", "--format", "json", *NO_EXTRAS, path)
    assert "\x1b" not in result.out and "\\u001b" in result.out
    assert result.json()["files"][0]["findings"][0]["text"] == HOSTILE[: HOSTILE.index("now") + 3]


def test_an_error_naming_a_hostile_file_is_escaped(cli, tmp_path):
    result = cli("check", tmp_path / "gone\x1b[2J.txt")
    assert result.code == 2 and "\x1b" not in result.err and "gone\\x1b[2J.txt" in result.err


# -- 4. baselines ------------------------------------------------------------------------------------
NEW_SENTENCE = "Officials assured that the talks would go on with the in order to calm tensions."


def test_baseline_round_trip_on_the_seed(cli, write, tmp_path):
    seed = write("content/seed.txt", SEED.read_bytes())
    baseline = tmp_path / ".mtreview-baseline.json"
    written = cli("check", *NO_EXTRAS, "--write-baseline", baseline, seed)
    assert written.code == 0 and written.out == ""
    total = sum(e["count"] for entries in json.loads(baseline.read_text())["files"].values() for e in entries)
    assert written.err == f"wrote baseline {baseline}: {total} findings in 1 file\n" and total >= 40

    clean = cli("check", *NO_EXTRAS, "--baseline", baseline, seed)
    assert clean.code == 0, clean.output
    assert f"baseline {baseline}: {total} findings in it not shown" in clean.out
    assert clean.out.endswith("No findings in 1 file.\n")

    # a new bad sentence in a paragraph of its own, and an unrelated paragraph edited
    text = seed.read_text(encoding="utf-8")
    unrelated = "The West has its eye on Russia after this nation deployed nearly 100,000 troops"
    after = "In addition, Moscow does not look favorably on Ukraine’s rapprochement"
    edited = text.replace(unrelated, unrelated.replace("nearly", "almost")).replace(
        after, f"{NEW_SENTENCE}\n\n{after}")
    assert edited.count("almost 100,000") == edited.count(NEW_SENTENCE) == 1
    seed.write_text(edited, encoding="utf-8")
    result = cli("check", "--format", "json", *NO_EXTRAS, "--baseline", baseline, seed)
    assert result.code == 1, result.output
    data = result.json()
    findings = data["files"][0]["findings"]
    start = edited.index(NEW_SENTENCE)
    assert {f["rule"] for f in findings} == {"calque.assured-that", "garble.det-in-order-to"}
    assert all(start <= f["start"] and f["end"] <= start + len(NEW_SENTENCE) for f in findings), findings
    assert f"baseline {baseline}: {total} findings in it not shown" in data["summary"]["notes"]
    # the exit code follows the findings left: only the new warning and error
    assert cli("check", *NO_EXTRAS, "--baseline", baseline, "--fail-on", "never", seed).code == 0


def test_baseline_is_deterministic_sorted_and_relative_to_its_folder(cli, write, tmp_path):
    a = write("docs/a.txt", f"{ERROR_SENTENCE}\n\n{WARNING_SENTENCE}\n\n{ERROR_SENTENCE}\n")
    b = write("docs/sub/b.txt", f"{INFO_SENTENCE}\n")
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert cli("check", *NO_EXTRAS, "--write-baseline", first, a, b).code == 0
    assert cli("check", *NO_EXTRAS, "--write-baseline", second, "sub/b.txt", "a.txt", cwd=tmp_path / "docs").code == 0
    assert first.read_bytes() == second.read_bytes()  # same findings, same bytes, whatever the order or folder
    data = json.loads(first.read_text())
    assert data["schema"] == "mtreview-baseline/1" and data["findings"] == 4
    assert list(data["files"]) == ["docs/a.txt", "docs/sub/b.txt"]
    entries = data["files"]["docs/a.txt"]
    assert entries == sorted(entries, key=lambda e: (e["rule"], e["fingerprint"]))
    assert [e["count"] for e in entries] == [1, 1, 1]  # the repeated sentence: two fingerprints
    # used from another folder, with relative paths from there
    result = cli("check", *NO_EXTRAS, "--baseline", "../one.json", "a.txt", "sub/b.txt", cwd=tmp_path / "docs")
    assert result.code == 0 and "baseline ../one.json: 4 findings in it not shown" in result.out, result.output


def test_baseline_from_the_config(cli, write, tmp_path):
    write(".mtreview.toml", 'baseline = "style/baseline.json"\nsource-lang = "es"\n')
    (tmp_path / "style").mkdir()
    path = write("a.txt", f"{ERROR_SENTENCE}\n")
    missing = cli("check", "--no-grammar", path)
    assert missing.code == 2 and len(missing.err.splitlines()) == 1 and "style/baseline.json: no such file" in missing.err
    # --write-baseline writes it (the configured baseline is not applied while writing)
    assert cli("check", "--no-grammar", "--write-baseline", tmp_path / "style" / "baseline.json", path).code == 0
    assert cli("check", "--no-grammar", path).code == 0


@pytest.mark.parametrize("content, needle", [
    (None, "no such file"),
    (b"{not json", "damaged (not JSON"),
    (b"[" * 100000, "damaged"),
    (b'{"schema": "mtreview/1", "files": {}}', "schema 'mtreview/1'"),
    (b'{"schema": "mtreview-baseline/1", "files": []}', '"files" is not an object'),
    (b'{"schema": "mtreview-baseline/1", "files": {"a.txt": [{"fingerprint": "x", "count": 0}]}}', "positive"),
    (b"\xff\xfe{}", "damaged"),
    ("folder", "not a regular file"),
], ids=["missing", "not-json", "deep", "schema", "files", "count", "encoding", "folder"])
def test_a_missing_or_damaged_baseline_is_a_one_line_error(cli, write, tmp_path, content, needle):
    baseline = tmp_path / "baseline.json"
    if content == "folder":
        baseline.mkdir()
    elif content is not None:
        baseline.write_bytes(content)
    result = cli("check", *NO_EXTRAS, "--baseline", baseline, write("a.txt", ERROR_SENTENCE + "\n"))
    assert result.code == 2 and result.out == "", result.output
    assert len(result.err.splitlines()) == 1 and needle in result.err and str(baseline) in result.err, result.err


# -- 5. the pre-commit hook's blocked-commit message ---------------------------------------------
def _git(repo: Path, *args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_a_blocked_commit_says_what_blocks_it_and_what_to_do(tmp_path):
    env = dict(os.environ, NO_COLOR="1", PYTHONIOENCODING="utf-8")
    env.pop("FORCE_COLOR", None)
    env.pop("MTREVIEW_LANGUAGETOOL_URL", None)
    repo = tmp_path / "desk"
    repo.mkdir()
    for args in (("init", "-q", "-b", "main"), ("config", "user.name", "Desk"), ("config", "user.email", "d@example.com"),
                 ("config", "commit.gpgsign", "false")):
        assert _git(repo, *args).returncode == 0
    (repo / ".mtreview.toml").write_text('source-lang = "es"\ngrammar = "off"\n', encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "mtreview", "hook", "install"], cwd=repo, env=env,
                               capture_output=True, text=True, timeout=120)
    assert installed.returncode == 0, installed.stderr
    (repo / "news").mkdir()
    story = repo / "news" / "my story.md"
    story.write_text(f"{INFO_SENTENCE}\n\n{WARNING_SENTENCE}\n\n{ERROR_SENTENCE}\n", encoding="utf-8")
    assert _git(repo, "add", "-A").returncode == 0
    blocked = _git(repo, "commit", "-m", "story", env=env)
    assert blocked.returncode != 0
    out = blocked.stdout + blocked.stderr
    lines = [line for line in out.splitlines() if line.strip()]
    listed = re.findall(r"^news/my story\.md:\d+:\d+: (\w+) ", out, re.M)
    assert listed == ["warning", "error"], out  # the info finding is not listed
    assert "house.scare-quotes" not in out and "1 info not listed" in out
    message = lines[lines.index(next(line for line in lines if line.startswith("mtreview: commit blocked"))):]
    assert message[0] == ("mtreview: commit blocked: 2 findings at or above the fail-on level, warning "
                          "(1 error, 1 warning)"), out
    assert message[1].startswith("  1 of them has a safe fix: mtreview fix --write 'news/my story.md'"), out
    assert message[2].startswith("  review page: mtreview check 'news/my story.md' --format html"), out
    assert "reports/my story.md.html" in message[2]
    assert message[-1] == "  last resort, to commit without the check: git commit --no-verify", out
    assert _git(repo, "rev-parse", "--verify", "-q", "HEAD").returncode != 0  # nothing committed

    # the commands it names do what it says
    fixed = subprocess.run([sys.executable, "-m", "mtreview", "fix", "--write", "news/my story.md"], cwd=repo, env=env,
                           capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0, fixed.stderr
    assert "with the in order to" not in story.read_text(encoding="utf-8")
    page = subprocess.run([sys.executable, "-m", "mtreview", "check", "news/my story.md", "--format", "html"], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=120)
    assert page.returncode == 1 and (repo / "reports" / "my story.md.html").is_file(), page.stderr


def test_hook_listing_puts_blocking_findings_first(cli, write):
    path = write("a.md", f"{ERROR_SENTENCE}\n\n{WARNING_SENTENCE}\n\n{INFO_SENTENCE}\n\n{ERROR_SENTENCE}\n")
    result = cli("check", "--hook", "--fail-on", "error", *NO_EXTRAS, path)
    assert result.code == 1
    rules = re.findall(r"^\S+:\d+:\d+: (\w+) (\S+)", result.out, re.M)
    assert rules == [("error", "garble.det-in-order-to"), ("error", "garble.det-in-order-to"),
                     ("warning", "calque.assured-that")], result.out
    assert "not blocking (below the fail-on level): 1 warning" in result.out
    assert result.out.endswith("4 findings in 1 file (2 errors, 1 warning, 1 info); 1 info not listed\n")
    assert "commit blocked: 2 findings at or above the fail-on level, error (2 errors)" in result.err
    assert "2 of them have safe fixes" in result.err and "--source-lang es" in result.err
    assert result.err.rstrip().endswith("git commit --no-verify")
    passed = cli("check", "--hook", "--fail-on", "never", *NO_EXTRAS, path)
    assert passed.code == 0 and "commit blocked" not in passed.output
    failed = cli("check", "--hook", *NO_EXTRAS, path.with_name("missing.md"))
    assert failed.code == 2 and "commit blocked" in failed.err and "--no-verify" in failed.err


def test_hook_runs_with_the_hook_flag():
    from mtreview.hook import HOOK_ARGS, script

    assert "--hook" in HOOK_ARGS and " ".join(HOOK_ARGS) in script(["mtreview"])
