"""What a newcomer expects of the command line: --version and -h, help that reads well,
usage errors in one line with "did you mean", a pack listed by `rules show`, a readable
`rules list`, exit 2 for out-of-range values, config errors naming the file and the key,
--min-severity in every format, `fix --check` and `fix --changed-only`, and set-up commands
that work on a PEP 668 Python (the Makefile's virtualenv)."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from helpers import REPO

ERROR_TEXT = "Intro line.\nThey met with the in order to talk.\n"  # garble: error
WARNING_TEXT = "A talk organized by #BORN today.\n"  # hashtag: warning
INFO_TEXT = " ".join(["word"] * 45) + ".\n"  # overlong sentence: info (a readability finding)
ONLY = ("--select", "garble.det-in-order-to,embed.hashtag,readability.sentence", "--no-grammar")
GARBLE = "They met with the in order to talk."


def one_line_error(result, *needles: str) -> str:
    """The one line of a usage or input error (exit 2, nothing on stdout, no traceback)."""
    assert result.code == 2, result.output
    assert result.out == "" and "Traceback" not in result.err, result.output
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    for needle in needles:
        assert needle in result.err, (needle, result.err)
    return result.err.rstrip("\n")


# -- 1. --version, -V and -h ----------------------------------------------------------------------
def test_version(cli, cli_process):
    from mtreview import __version__

    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    for flag in ("--version", "-V"):
        result = cli(flag)
        assert (result.code, result.out, result.err) == (0, f"mtreview {__version__}\n", "")
    assert cli_process("--version").out == f"mtreview {__version__}\n"


COMMANDS = [(), ("check",), ("fix",), ("init",), ("score",), ("rules",), ("rules", "list"), ("rules", "show"),
            ("rules", "test"), ("languagetool",), ("languagetool", "install"), ("languagetool", "start"),
            ("languagetool", "stop"), ("languagetool", "status"), ("hook",), ("hook", "install"), ("hook", "uninstall")]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "mtreview")
def test_dash_h_is_help_everywhere(cli, command):
    long, short = cli(*command, "--help"), cli(*command, "-h")
    assert long.code == short.code == 0
    assert short.out == long.out and long.out.startswith("Usage: mtreview")
    assert "-h, --help" in long.out


# -- 2. help that reads well ----------------------------------------------------------------------
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "mtreview")
def test_help_has_readable_metavars(cli, command):
    text = cli(*command, "--help").out
    assert not re.search(r"<(?:str|int|float|path|text|bool)>", text, re.IGNORECASE), text
    assert "{" not in text.splitlines()[0] and "{paths}" not in text, text  # typer's {paths}...


@pytest.mark.parametrize("command, usage", [
    ("check", "Usage: mtreview check [OPTIONS] PATH..."),
    ("fix", "Usage: mtreview fix [OPTIONS] [PATH...]"),
    ("init", "Usage: mtreview init [OPTIONS] [DIR]"),
    ("score", "Usage: mtreview score [OPTIONS] FILE"),
    ("rules show", "Usage: mtreview rules show [OPTIONS] RULE"),
    ("rules test", "Usage: mtreview rules test [OPTIONS] [DIR]"),
])
def test_usage_lines_name_the_arguments(cli, command, usage):
    assert cli(*command.split(), "--help").out.splitlines()[0] == usage


def test_check_help_names_each_value(cli):
    text = cli("check", "--help").out
    for shown in ("--format FORMAT", "--source-lang LANG", "--rules DIR", "--select RULES", "--config FILE",
                  "--fail-on LEVEL", "--min-severity LEVEL", "--output FILE", "--readability-target MIN-MAX",
                  "--mqm-pass SCORE", "--lt-url URL", "--diff-base REV"):
        assert shown in text, shown


def test_top_help_shows_each_commands_whole_first_sentence(cli):
    import typer

    from mtreview.cli import app
    from mtreview.usage import first_sentence

    text = cli("--help").out
    commands = text.split("Commands:", 1)[1]
    assert "..." not in commands  # click's cut
    squeezed = "".join(commands.split())  # the wrapping (also inside hyphenated words) undone
    group = typer.main.get_command(app)
    for name, command in group.commands.items():
        sentence = first_sentence(command.help or "")
        assert sentence.endswith(".") and "".join(sentence.split()) in squeezed, (name, sentence, commands)


def test_first_sentence():
    from mtreview.usage import first_sentence

    assert first_sentence("Check files.  Exit 0: clean.") == "Check files."
    assert first_sentence("A list, e.g. this one, and\n  more. Then") == "A list, e.g. this one, and more."
    assert first_sentence("No full stop") == "No full stop"


# -- 3. usage errors in one line -------------------------------------------------------------------
def test_unknown_option_is_one_line_with_a_suggestion(cli, write):
    path = write("a.txt", "Text.\n")
    line = one_line_error(cli("check", "--formt", "json", path))
    assert line == "mtreview check: no such option --formt (did you mean --format?); see mtreview check --help"


def test_usage_errors_in_a_real_process(cli_process, write):
    path = write("a.txt", "Text.\n")
    result = cli_process("check", "--formt", "json", path)
    assert one_line_error(result) == ("mtreview check: no such option --formt (did you mean --format?); "
                                      "see mtreview check --help")
    assert not any(line.startswith(("Usage:", "Try ", "Error:")) for line in result.err.splitlines())


@pytest.mark.parametrize("args, line", [
    (["check"], "mtreview check: missing argument 'PATH...'; see mtreview check --help"),
    (["score", "--worst", "x", "a.txt"], "mtreview score: invalid value for '--worst': "),
    (["chek", "a.txt"], "mtreview: no such command 'chek' (did you mean check?); see mtreview --help"),
    (["rules", "shwo", "garble"], "mtreview rules: no such command 'shwo' (did you mean show?); see mtreview rules --help"),
    (["check", "--format"], "mtreview check: option '--format' requires an argument; see mtreview check --help"),
    (["fix", "--wirte", "a.txt"], "mtreview fix: no such option --wirte (did you mean --write?); see mtreview fix --help"),
    (["--verison"], "mtreview: no such option --verison (did you mean --version?); see mtreview --help"),
])
def test_usage_errors(cli, args, line):
    result = one_line_error(cli(*args))
    assert result.startswith(line), result
    assert result.endswith("--help")


def test_no_arguments_still_shows_the_help(cli):
    result = cli()
    assert result.code == 2 and "Usage: mtreview" in result.output and "Commands:" in result.output


# -- 4. "did you mean" in every unknown-value message -----------------------------------------------
@pytest.mark.parametrize("args, needles", [
    (["--fail-on", "warnings"], ["--fail-on 'warnings'", "(did you mean warning?)", "use one of error, warning, info"]),
    (["--format", "jsno"], ["--format 'jsno'", "(did you mean json?)"]),
    (["--source-lang", "esp"], ["--source-lang 'esp'", "(did you mean es?)"]),
    (["--house", "apx"], ["--house 'apx'", "(did you mean ap?)"]),
    (["--min-severity", "warn"], ["--min-severity 'warn'", "(did you mean warning?)"]),
    (["--lt-language", "en-GBR"], ["--lt-language 'en-GBR'", "(did you mean en-GB?)"]),
    (["--select", "garble.det-in-order"], ["--select", "'garble.det-in-order'", "(did you mean garble.det-in-order-to?)"]),
    (["--ignore", "garble.det-in-order"], ["--ignore", "(did you mean garble.det-in-order-to?)"]),
    (["--select", "embd"], ["--select", "(did you mean embed?)"]),
])
def test_did_you_mean(cli, write, args, needles):
    one_line_error(cli("check", write("a.txt", "Text.\n"), *args), *needles)


def test_no_suggestion_when_nothing_is_close(cli, write):
    line = one_line_error(cli("check", write("a.txt", "Text.\n"), "--select", "zzzzzz"), "'zzzzzz'")
    assert "did you mean" not in line


def test_did_you_mean_is_one_helper():
    from mtreview.options import did_you_mean, unknown_choice

    assert did_you_mean("warnings", ["error", "warning", "info"]) == " (did you mean warning?)"
    assert did_you_mean("zzz", ["error", "warning", "info"]) == ""
    assert unknown_choice("uk2", ("ap", "uk"), "house style") == "unknown house style (did you mean uk?); use one of ap, uk"


def test_rules_show_suggests_the_nearest_rule(cli):
    line = one_line_error(cli("rules", "show", "garble.det-in-order"), "'garble.det-in-order'")
    assert "(did you mean garble.det-in-order-to?)" in line


def test_rules_list_format_and_language_suggest(cli):
    one_line_error(cli("rules", "list", "--format", "jsn"), "(did you mean json?)")
    one_line_error(cli("rules", "list", "--source-lang", "fre"), "(did you mean fr?)")


# -- 5. rules show of a pack, prefix or glob ------------------------------------------------------
@pytest.mark.parametrize("name", ["garble", "embed.*", "calque.de"])
def test_rules_show_lists_the_rules_a_name_matches(cli, name):
    from helpers import builtin_ruleset

    ruleset = builtin_ruleset()
    expected = sorted(ruleset.resolve([name], "test"))
    assert len(expected) > 1
    result = cli("rules", "show", name)
    assert result.code == 0, result.output
    rows = [line.split() for line in result.out.splitlines() if line.startswith("  ")]
    assert sorted(row[0] for row in rows) == expected
    for row in rows:
        assert row[1] == ruleset.rules[row[0]].severity.value and len(row) > 2  # id, severity, message
    assert "rules show ID" in result.out


def test_rules_show_of_a_glob_matching_one_rule_explains_it(cli):
    result = cli("rules", "show", "garble.det-in-*")
    assert result.code == 0 and "Why it matters:" in result.out and result.out.startswith("garble.det-in-order-to")


# -- 6. rules list, readable ----------------------------------------------------------------------
@pytest.mark.parametrize("columns", ["100", "60"])
def test_rules_list_is_grouped_one_line_a_rule_within_the_width(cli, columns):
    from helpers import builtin_ruleset

    ruleset = builtin_ruleset()
    result = cli("rules", "list", env={"COLUMNS": columns})
    assert result.code == 0
    lines = result.out.splitlines()
    assert all(len(line) <= int(columns) for line in lines), max(lines, key=len)
    assert not any(re.search(r"\{\w*(?:\|\w+)?\}", line) for line in lines)  # placeholders shown as …
    packs = [line for line in lines if line and not line.startswith(" ")][:-1]
    assert [re.fullmatch(r"(\S+) \(\d+ rules?\)", p)[1] for p in packs] == list(dict.fromkeys(
        r.pack for r in ruleset.rules.values()))
    ids = [line.split()[0] for line in lines if line.startswith("  ")]
    assert ids == sorted(ruleset.rules, key=lambda rid: [r.pack for r in ruleset.rules.values()].index(
        ruleset.rules[rid].pack))
    assert lines[-1] == f"{len(ruleset.rules)} rules in {len(packs)} packs"


def test_rules_list_renders_placeholders():
    from helpers import builtin_ruleset
    from mtreview.report.rules import summary

    rule = builtin_ruleset().rules["garble.det-in-order-to"]
    assert "{0}" in rule.message and "“…”" in summary(rule) and "{" not in summary(rule)


def test_rules_list_json_is_unchanged(cli):
    listed = json.loads(cli("rules", "list", "--format", "json").out)
    assert any("{0}" in r["message"] for r in listed)  # the raw templates, as before


# -- 7. out-of-range and malformed values: exit 2 --------------------------------------------------
@pytest.mark.parametrize("args, needle", [
    (["--lt-url", "notaurl"], "--lt-url 'notaurl'"),
    (["--lt-url", "ftp://host/"], "--lt-url"),
    (["--mqm-pass", "500"], "0–100"),
    (["--mqm-pass", "-1"], "0–100"),
    (["--mqm-pass", "nan"], "0–100"),
    (["--fail-under", "101"], "0–100"),
    (["--fail-under", "inf"], "0–100"),
    (["--readability-target", "nan-nan"], "--readability-target 'nan-nan'"),
    (["--readability-target", "8-inf"], "--readability-target"),
    (["--readability-target", "12-8"], "MIN-MAX"),
    (["--mqm-map", "error=fatal"], "--mqm-map"),
    (["--fail-on", "loud"], "--fail-on"),
    (["--min-severity", "never"], "--min-severity"),
    (["--format", "xml"], "--format"),
    (["--mqm-pass", "abc"], "--mqm-pass"),  # click's own parse error: one line too
])
def test_bad_values_exit_2(cli, write, args, needle):
    one_line_error(cli("check", write("a.txt", "Text.\n"), "--no-grammar", *args), needle)


def test_score_worst_negative_exits_2(cli, write):
    path = write("a.txt", "Text.\n")
    one_line_error(cli("score", path, "-r", path, "--worst", "-1"), "--worst")


@pytest.mark.parametrize("args", [["--mqm-pass", "0"], ["--mqm-pass", "100"], ["--fail-under", "50"],
                                  ["--readability-target", "6-10"]])
def test_values_in_range_are_taken(cli, write, args):
    result = cli("check", write("a.txt", "Text.\n"), "--no-grammar", *args)
    assert result.code == 0, result.output


# -- 8. config errors name the file and the key ------------------------------------------------------
def test_config_rule_typo_names_file_and_key(cli, write):
    cfg = write(".mtreview.toml", 'ignore = ["garble.det-in-order"]\n')
    line = one_line_error(cli("check", write("a.txt", "Text.\n"), "--no-grammar"))
    assert line == (f"mtreview: error: {cfg}: ignore: unknown rule or pack 'garble.det-in-order' "
                    "(did you mean garble.det-in-order-to?); see `mtreview rules list`")
    assert "--ignore" not in line


def test_config_select_typo_and_command_line_ignore(cli, write):
    cfg = write(".mtreview.toml", 'select = ["embd"]\n')
    one_line_error(cli("check", write("a.txt", "Text.\n")), f"{cfg}: select: unknown rule or pack 'embd'",
                   "(did you mean embed?)")
    # a good config and a bad flag: the flag is named
    write(".mtreview.toml", 'ignore = ["embed"]\n')
    line = one_line_error(cli("check", write("a.txt", "Text.\n"), "--ignore", "garbel"), "--ignore", "'garbel'")
    assert ".mtreview.toml" not in line


def test_config_unknown_key_suggests_and_lists(cli, write):
    cfg = write(".mtreview.toml", 'fail_on = "error"\n')
    one_line_error(cli("check", write("a.txt", "Text.\n")), str(cfg), "unknown key 'fail_on'", "(did you mean fail-on?)",
                   "known keys: source-lang, select")


def test_config_languagetool_unknown_key_suggests(cli, write):
    write(".mtreview.toml", '[languagetool]\nlangauge = "en-GB"\n')
    one_line_error(cli("check", write("a.txt", "Text.\n")), "unknown key 'langauge'", "(did you mean language?)")


def test_tool_mtreview_table_in_mtreview_toml_is_read(cli, write):
    write(".mtreview.toml", '[tool.mtreview]\nselect = ["embed"]\nmin-severity = "error"\n\n'
                            '[tool.mtreview.languagetool]\nlanguage = "en-GB"\n')
    result = cli("check", write("a.txt", ERROR_TEXT + WARNING_TEXT), "--no-grammar", "--format", "json")
    assert result.code == 0, result.output  # only embed (a warning), and warnings hidden
    assert result.json()["files"][0]["findings"] == []


def test_tool_table_mixed_with_top_level_keys_says_what_to_do(cli, write):
    cfg = write(".mtreview.toml", 'fail-on = "error"\n\n[tool.mtreview]\nselect = ["embed"]\n')
    one_line_error(cli("check", write("a.txt", "Text.\n")), str(cfg), "unknown key 'tool'",
                   "drop the [tool.mtreview] line")


def test_readme_configuration_examples_are_valid(tmp_path):
    """The README's two examples: the .mtreview.toml one at the top level, the pyproject.toml
    one under [tool.mtreview]; each read as the file it is meant for."""
    from mtreview import config

    section = (REPO / "README.md").read_text(encoding="utf-8").split("### Configuration", 1)[1].split("\n### ", 1)[0]
    blocks = re.findall(r"```toml\n(.*?)```", section, re.S)
    assert len(blocks) == 2
    (tmp_path / "style" / "mtreview-rules").mkdir(parents=True)
    (tmp_path / "style" / "vocabulary.txt").write_text("Zelenskyy\n", encoding="utf-8")
    own, pyproject = tmp_path / ".mtreview.toml", tmp_path / "pyproject.toml"
    own.write_text(blocks[0], encoding="utf-8")
    pyproject.write_text(blocks[1], encoding="utf-8")
    assert "tool" not in tomllib.loads(blocks[0]) and "mtreview" in tomllib.loads(blocks[1])["tool"]
    first = config.read(own).options()
    assert first.source_lang == "es" and first.languagetool.language == "en-GB" and first.min_severity == "warning"
    second = config.read(pyproject).options()
    assert second.source_lang == "es" and second.languagetool.language == "en-GB"


# -- 9. --min-severity --------------------------------------------------------------------------------
def _article(write):
    return write("a.txt", ERROR_TEXT + "\n" + WARNING_TEXT + "\n" + INFO_TEXT)


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "html"])
def test_min_severity_hides_findings_in_every_format(cli, write, tmp_path, fmt):
    path = _article(write)

    def output(*more):
        out = tmp_path / f"report-{len(more)}.{fmt}"
        result = cli("check", path, *ONLY, "--format", fmt, "--output", out, *more)
        assert result.code == 1, result.output
        return out.read_text(encoding="utf-8")

    everything, shown = output(), output("--min-severity", "warning")
    assert "readability.sentence" in everything and "readability.sentence" not in shown
    assert "embed.hashtag" in shown and "garble.det-in-order-to" in shown
    only_errors = output("--min-severity", "error")
    assert "embed.hashtag" not in only_errors and "garble.det-in-order-to" in only_errors


def test_min_severity_counts_and_exit_code(cli, write):
    path = _article(write)
    result = cli("check", path, *ONLY, "--format", "json", "--min-severity", "warning")
    summary = result.json()["summary"]
    assert summary["by_severity"] == {"error": 1, "warning": 1, "info": 0}
    assert "min-severity warning: 1 finding(s) below it not shown" in summary["notes"]
    # --fail-on only sets the exit code; --min-severity hides: a hidden warning fails nothing
    warning_only = write("b.txt", WARNING_TEXT)
    assert cli("check", warning_only, *ONLY, "--min-severity", "error").code == 0
    assert cli("check", warning_only, *ONLY, "--fail-on", "error").code == 0
    shown = cli("check", warning_only, *ONLY, "--fail-on", "error")
    assert "embed.hashtag" in shown.out  # --fail-on hides nothing


def test_min_severity_from_the_config(cli, write):
    write(".mtreview.toml", 'min-severity = "warning"\n')
    path = _article(write)
    result = cli("check", path, *ONLY, "--format", "json")
    assert {f["severity"] for f in result.json()["files"][0]["findings"]} == {"error", "warning"}
    # the command line wins over the file
    result = cli("check", path, *ONLY, "--format", "json", "--min-severity", "info")
    assert "info" in {f["severity"] for f in result.json()["files"][0]["findings"]}


# -- 10. fix --check, --changed-only, --diff-base -------------------------------------------------------
def test_fix_check_exits_1_with_the_diff_and_writes_nothing(cli, write):
    path = write("a.txt", ERROR_TEXT)
    before = path.read_bytes()
    result = cli("fix", "--check", path)
    assert result.code == 1, result.output
    assert "-They met with the in order to talk." in result.out and "+They met in order to talk." in result.out
    assert "fix --check: 1 file(s) would change" in result.err
    assert path.read_bytes() == before


def test_fix_check_exits_0_when_nothing_to_fix(cli, write):
    result = cli("fix", "--check", write("a.txt", "Nothing wrong here.\n"))
    assert (result.code, result.out) == (0, "") and "Nothing to fix." in result.err


@pytest.mark.parametrize("more, needle", [(["--write"], "--check with --write"), (["--docx", "x.docx"], "--check with --docx")])
def test_fix_check_does_not_go_with_writing(cli, write, more, needle):
    path = write("a.txt", ERROR_TEXT)
    before = path.read_bytes()
    one_line_error(cli("fix", "--check", path, *more), needle)
    assert path.read_bytes() == before


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "desk"
    repo.mkdir()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "config", "user.name", "Test Editor")
    _git(repo, "config", "user.email", "editor@example.com")
    _git(repo, "config", "commit.gpgsign", "false")
    return repo


def _lines(*lines: str) -> str:
    return "".join(line + "\n" for line in lines)


def test_fix_changed_only_fixes_the_staged_lines_only(cli, repo):
    article = repo / "story.txt"
    article.write_text(_lines(GARBLE, "", "Calm paragraph.", "", GARBLE), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "first")
    # two lines inserted at the top (one with a garble) move the old lines down
    article.write_text(_lines("They came with the in order to eat.", "", GARBLE, "", "Calm paragraph.", "", GARBLE),
                       encoding="utf-8")
    _git(repo, "add", "story.txt")
    result = cli("fix", "--changed-only", "--check", article)
    assert result.code == 1, result.output
    assert [line for line in result.out.splitlines() if line.startswith(("-T", "+T"))] == [
        "-They came with the in order to eat.", "+They came in order to eat."]
    assert cli("fix", "--changed-only", "--write", article).code == 0
    assert article.read_text(encoding="utf-8") == _lines("They came in order to eat.", "", GARBLE, "", "Calm paragraph.",
                                                         "", GARBLE)
    # nothing on the staged lines is left to fix (the fixed line is not staged: the staged one is)
    _git(repo, "add", "story.txt")
    again = cli("fix", "--changed-only", "--check", article)
    assert again.code == 0 and "Nothing to fix." in again.err


def test_fix_diff_base_fixes_lines_changed_since_a_revision(cli, repo):
    article = repo / "story.txt"
    article.write_text(_lines(GARBLE, "", "Calm paragraph."), encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-verify", "-m", "first")
    article.write_text(_lines(GARBLE, "", "Calm paragraph.", "", "And with the in order to eat."), encoding="utf-8")
    result = cli("fix", "--diff-base", "HEAD", "--check", article)
    assert result.code == 1
    assert "+And in order to eat." in result.out and "+They met in order to talk." not in result.out
    untouched = cli("fix", "--diff-base", "HEAD", "--check", repo / "nothing.txt")  # missing: an input error
    assert untouched.code == 2


@pytest.mark.parametrize("flags", [["--changed-only"], ["--diff-base", "HEAD"]])
def test_fix_changed_lines_do_not_go_with_decisions_or_docx(cli, write, flags):
    path = write("a.txt", ERROR_TEXT)
    one_line_error(cli("fix", path, "--docx", path.with_suffix(".docx"), *flags), flags[0], "--docx")


def test_fix_changed_only_outside_git_is_an_error(cli, write):
    one_line_error(cli("fix", "--changed-only", write("a.txt", ERROR_TEXT)), "not in a git repository")


def test_hunks_between_agrees_with_git(tmp_path):
    from mtreview.changes import hunks_between, parse_hunks

    before = _lines("a", "b", "c", "d", "e", "f", "g")
    after = _lines("new", "a", "B", "B2", "c", "e", "f", "g", "end")
    (tmp_path / "before").write_text(before, encoding="utf-8")
    (tmp_path / "after").write_text(after, encoding="utf-8")
    proc = subprocess.run(["git", "diff", "--no-index", "-U0", "--no-color", "before", "after"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert hunks_between(before, after) == parse_hunks(proc.stdout)


# -- 11. set-up on a PEP 668 Python ---------------------------------------------------------------------
def test_readme_setup_makes_a_virtualenv_first():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Set-up", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    first, second = block.splitlines()[:2]
    assert first.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install -e . && mtreview check ")
    assert second.startswith("make test")
    assert ".venv/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def _make_install(tmp_path: Path, python: str) -> str:
    """What `make install PYTHON=python` would run (make -n), in a copy of the Makefile."""
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    # a make of its own, not a sub-make of `make test` (which would add "Entering directory" lines)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    proc = subprocess.run(["make", "-n", "install", f"PYTHON={python}"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _fake_python(tmp_path: Path, answer: str) -> Path:
    """A "python" that answers the Makefile's PEP 668 question with ``answer``."""
    fake = tmp_path / f"python-{answer}"
    fake.write_text(f"#!/bin/sh\necho {answer}\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    return fake


def test_make_uses_a_virtualenv_for_an_externally_managed_python(tmp_path):
    fake = _fake_python(tmp_path, "True")
    assert _make_install(tmp_path, str(fake)).splitlines() == [
        f"{fake} -m venv .venv", ".venv/bin/python -m pip install --quiet -e '.[test]'"]


def _question() -> str:
    """The Makefile's PEP 668 question, as Python code."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    return re.search(r'-c "(import os, sys, sysconfig;.*?)"', makefile.replace("\\\n\t", " "), re.S)[1]


def test_make_uses_any_other_python_as_it_is(tmp_path):
    fake = _fake_python(tmp_path, "False")
    assert _make_install(tmp_path, str(fake)).splitlines() == [f"{fake} -m pip install --quiet -e '.[test]'"]
    # the Python running these tests (.ci/run's, a virtualenv's): used as it is unless it refuses pip
    managed = subprocess.run([sys.executable, "-c", _question()], capture_output=True, text=True, timeout=120).stdout
    if managed.strip() == "False":
        assert _make_install(tmp_path, sys.executable).splitlines() == [
            f"{sys.executable} -m pip install --quiet -e '.[test]'"]


def test_makefile_question_is_false_in_a_virtualenv(tmp_path):
    """The Makefile's PEP 668 question, asked of a virtualenv's Python: never externally
    managed, even though its standard library (the base one) may hold the marker."""
    snippet = _question()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=300)
    answer = subprocess.run([venv / "bin" / "python", "-c", snippet], capture_output=True, text=True, timeout=120)
    assert answer.stdout.strip() == "False", answer.stderr
