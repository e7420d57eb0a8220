"""Configuration files: found upward from each file, validated key by key, laid under the
command line's flags; `mtreview init`."""

from __future__ import annotations

import tomllib

import pytest

from mtreview import config
from mtreview.init import HOOK_ENTRY

CALQUE = "The ministers met this Monday in Paris.\n"  # calque.this-weekday: warning


def _rules(result) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for r in result.json()["files"] for f in r["findings"]]


def test_config_found_upward_and_flags_win(cli, write, tmp_path):
    write(".mtreview.toml", 'source-lang = "es"\nselect = ["calque-es"]\nscores = false\n')
    article = write("news/2026/a.txt", CALQUE)
    result = cli("check", article, "--format", "json")
    assert _rules(result) == [("calque.this-weekday", "warning")] and result.code == 1
    assert result.json()["files"][0]["scores"] == {}
    # a flag given on the command line wins over the file
    assert _rules(cli("check", article, "--format", "json", "--select", "garble")) == []
    assert cli("check", article, "--format", "json", "--scores").json()["files"][0]["scores"]


def test_pyproject_table_and_nearest_file_wins(cli, write):
    write("pyproject.toml", '[project]\nname = "site"\n\n[tool.mtreview]\nsource-lang = "es"\nfail-on = "error"\n')
    top = write("a.txt", CALQUE)
    assert cli("check", top, "--no-scores").code == 0  # a warning does not fail at fail-on = error
    write("sub/.mtreview.toml", 'source-lang = "es"\nseverity = { "calque.es" = "error" }\n')
    nested = write("sub/b.txt", CALQUE)
    result = cli("check", top, nested, "--format", "json", "--no-scores")
    assert _rules(result) == [("calque.this-weekday", "warning"), ("calque.this-weekday", "error")]
    assert result.code == 1  # the nested file's error fails the run


def test_pyproject_without_our_table_is_not_a_config(write, tmp_path):
    write("pyproject.toml", '[project]\nname = "x"\n')
    assert config.find(tmp_path) is None


def test_include_exclude_and_explicit_config(cli, write, tmp_path):
    write(".mtreview.toml", 'source-lang = "es"\nexclude = ["drafts/**", "*.old.txt"]\nscores = false\n')
    write("drafts/a.txt", CALQUE)
    write("b.old.txt", CALQUE)
    kept = write("c.txt", CALQUE)
    result = cli("check", tmp_path, "--format", "json")
    assert [f["path"] for f in result.json()["files"]] == [str(kept)]
    other = write("elsewhere/other.toml", 'source-lang = "es"\nselect = ["garble"]\n')
    assert _rules(cli("check", kept, "--config", other, "--format", "json")) == []


def test_severity_override_changes_exit_code_and_mqm(cli, write):
    write(".mtreview.toml", 'source-lang = "es"\nseverity = { "calque.this-weekday" = "info" }\n')
    result = cli("check", write("a.txt", CALQUE), "--format", "json")
    assert _rules(result) == [("calque.this-weekday", "info")] and result.code == 0
    assert result.json()["files"][0]["scores"]["mqm"]["penalty"] == 0


@pytest.mark.parametrize("content, message", [
    ("bogus = 1\n", "unknown key 'bogus'"),
    ('fail-on = "loud"\n', "fail-on = 'loud': unknown level; use one of error, warning, info, never"),
    ('source-lang = "xx"\n', "source-lang = 'xx': unknown language; use one of es, fr, pt, it, de, auto"),
    ('severity = { "nosuch.rule" = "error" }\n', "severity: unknown rule or pack 'nosuch.rule'"),
    ('severity = { "garble" = "fatal" }\n', "'garble' = 'fatal': unknown level; use one of error, warning, info"),
    ('readability-target = "12-8"\n', "write MIN-MAX grades"),
    ('rules = ["missing-folder"]\n', "missing-folder is not a folder"),
    ('vocabulary = "nope.txt"\n', "nope.txt is not a file"),
    ("[languagetool]\npicky = 'yes'\n", "picky: must be true or false"),
    ("[languagetool]\nport = 1\n", "unknown key 'port'"),
    ("select = [\n", "not valid TOML"),
])
def test_bad_config_is_a_one_line_error_naming_file_and_key(cli, write, content, message):
    cfg = write(".mtreview.toml", content)
    result = cli("check", write("a.txt", CALQUE))
    assert result.code == 2 and result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and str(cfg) in lines[0] and message in lines[0], result.err
    assert "Traceback" not in result.err


def test_custom_rules_and_vocabulary_paths_are_relative_to_the_config(cli, write, tmp_path):
    write("style/rules/house.yaml", """pack: desk
rules:
  - id: desk.no-utilize
    category: style/house
    severity: warning
    languages: [any]
    phrases: [utilize]
    message: "Write “use”."
    why: "House style."
    suggest: "use"
    fix: safe
    examples:
      bad:
        - text: "They [utilize] drones."
          fixed: "They use drones."
      good:
        - "They use drones."
""")
    write("style/vocabulary.txt", "# names\nZelenskyy\n")
    write(".mtreview.toml", 'rules = ["style/rules"]\nvocabulary = "style/vocabulary.txt"\nselect = ["desk"]\n')
    result = cli("check", write("content/a.txt", "They utilize drones.\n"), "--format", "json", "--no-scores")
    assert _rules(result) == [("desk.no-utilize", "warning")]


def test_fix_follows_the_config(cli, write):
    write(".mtreview.toml", 'source-lang = "es"\nignore = ["calque.this-weekday"]\n')
    path = write("a.txt", CALQUE)
    result = cli("fix", path)
    assert result.code == 0 and "Nothing to fix." in result.err


def test_init_writes_a_valid_commented_starter(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--pre-commit")
    assert result.code == 0
    text = (tmp_path / ".mtreview.toml").read_text()
    assert config.read(tmp_path / ".mtreview.toml").values == {}  # all commented out: no option set
    for key in config.KEYS:
        assert f"# {key} = " in text or f"# [{key}]" in text
    # every example, uncommented, is valid (the two paths aside: they name the user's files)
    live = "\n".join(line[2:] for line in text.splitlines()
                     if line.startswith("# ") and " = " in line and not line.startswith(("# rules", "# vocabulary")))
    live = live.replace("\n[languagetool]", "")
    tomllib.loads(live)
    hook = (tmp_path / ".pre-commit-config.yaml").read_text()
    assert f"entry: {HOOK_ENTRY}" in hook
    again = cli("init")
    assert again.code == 2 and "exists" in again.err and "--force" in again.err
    assert cli("init", "--force").code == 0


def test_hook_entry_is_the_one_in_pre_commit_hooks_yaml():
    import yaml

    from helpers import REPO

    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["entry"] for h in hooks if h["id"] == "mtreview"] == [HOOK_ENTRY]
