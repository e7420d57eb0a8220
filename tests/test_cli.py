"""The command line: output formats, exit codes, selection, source language, inputs, and
one-line errors (exit 2, no traceback) for every kind of bad input."""

from __future__ import annotations

import json
import os
import re

import pytest

from helpers import SEED, builtin_ruleset, make_rule, write_pack

FINDING_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<rule>[a-z0-9.-]+) (?P<msg>\S.*)$")
SUMMARY_LINE = re.compile(
    r"^(?:\d+ findings? in \d+ files? \(\d+ errors?, \d+ warnings?, \d+ info\)|No findings in \d+ files?\.)$"
)
ANSI = "\x1b["

ERROR_TEXT = "Intro line.\nThey met with the in order to talk.\n"  # garble: error
WARNING_TEXT = "A talk organized by #BORN today.\n"  # hashtag: warning
INFO_TEXT = " ".join(["word"] * 45) + ".\n"  # overlong sentence: info
ONLY = ["--select", "garble.det-in-order-to,embed.hashtag,readability.sentence"]
SCORE_LINE = re.compile(r"^\S+: (?:readability|MQM quality|reference|  signatures)")
NOTE_LINE = re.compile(r"^(?:source language|grammar): ")  # the run's notes, before the summary


# -- text output -----------------------------------------------------------------------------
def test_text_format(cli, write):
    path = write("a.txt", ERROR_TEXT + "\n" + WARNING_TEXT)
    result = cli("check", path, *ONLY)
    assert result.code == 1
    lines = result.out.splitlines()
    findings = [FINDING_LINE.match(line) for line in lines
                if not line.startswith(" ") and not SCORE_LINE.match(line) and not NOTE_LINE.match(line)]
    assert findings[-1] is None and SUMMARY_LINE.match(lines[-1]), result.out
    parsed = [(m["path"], m["line"], m["col"], m["sev"], m["rule"]) for m in findings[:-1]]
    assert parsed == [
        (str(path), "2", "10", "error", "garble.det-in-order-to"),
        (str(path), "4", "21", "warning", "embed.hashtag"),
    ]
    assert "Garbled construction: “with the in order to”" in findings[0]["msg"]
    assert "    fix: “with the in order to” → “in order to”" in lines
    assert lines[-1] == "2 findings in 1 file (1 error, 1 warning, 0 info)"
    assert result.err == ""


def test_text_summary_when_clean(cli, write):
    result = cli("check", write("a.txt", "All is well.\n"), write("b.txt", "Fine.\n"), *ONLY)
    assert result.code == 0
    assert result.out.splitlines()[-1] == "No findings in 2 files."


@pytest.mark.parametrize(
    "env, colored",
    [
        ({}, False),  # not a terminal
        ({"FORCE_COLOR": "1"}, True),
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ({"NO_COLOR": "", "FORCE_COLOR": "1"}, True),  # NO_COLOR counts only when non-empty
    ],
    ids=["pipe", "force", "no-color", "no-color-beats-force", "empty-no-color"],
)
def test_color(cli, write, env, colored):
    result = cli("check", write("a.txt", ERROR_TEXT), *ONLY, env=env)
    assert (ANSI in result.out) is colored
    if colored:
        plain = re.sub(r"\x1b\[[0-9;]*m", "", result.out)
        assert FINDING_LINE.match(plain.splitlines()[0])


def test_no_color_in_a_real_process(cli_process, write):
    path = write("a.txt", ERROR_TEXT)
    assert ANSI in cli_process("check", path, *ONLY, env={"FORCE_COLOR": "1"}).out
    result = cli_process("check", path, *ONLY, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert result.code == 1 and ANSI not in result.output


def test_never_color_in_json_or_output_file(cli, write, tmp_path):
    path = write("a.txt", ERROR_TEXT)
    assert ANSI not in cli("check", "-f", "json", path, *ONLY, env={"FORCE_COLOR": "1"}).out
    out = tmp_path / "report.txt"
    result = cli("check", path, *ONLY, "-o", out, env={"FORCE_COLOR": "1"})
    assert result.code == 1 and result.out == ""
    assert ANSI not in out.read_text(encoding="utf-8")
    assert "garble.det-in-order-to" in out.read_text(encoding="utf-8")


# -- JSON contract -------------------------------------------------------------------------
FINDING_KEYS = {"rule", "category", "severity", "message", "start", "end", "line", "column", "text", "suggestions", "fix"}


def test_json_contract(cli, write):
    a = write("a.txt", ERROR_TEXT + "\n" + WARNING_TEXT + "\n" + INFO_TEXT)
    b = write("b.txt", "Nothing wrong.\n")
    result = cli("check", "--format", "json", a, b, *ONLY)
    assert result.code == 1
    data = json.loads(result.out)
    assert data["schema"] == "mtreview/1"
    assert [f["path"] for f in data["files"]] == [str(a), str(b)]
    assert data["files"][1]["findings"] == []
    findings = data["files"][0]["findings"]
    assert [f["rule"] for f in findings] == ["garble.det-in-order-to", "embed.hashtag", "readability.sentence"]
    text = a.read_text(encoding="utf-8")
    for f in findings:
        assert set(f) >= FINDING_KEYS, FINDING_KEYS - set(f)
        assert isinstance(f["start"], int) and isinstance(f["end"], int)
        assert isinstance(f["line"], int) and isinstance(f["column"], int)
        assert isinstance(f["suggestions"], list) and all(isinstance(s, str) for s in f["suggestions"])
        assert f["severity"] in ("error", "warning", "info")
        assert f["fix"] in ("safe", "unsafe", "none")
        assert f["text"] == text[f["start"] : f["end"]]
        assert "/" in f["category"]
    garble = findings[0]
    assert garble == {
        **garble,
        "rule": "garble.det-in-order-to",
        "category": "fluency/grammar",
        "severity": "error",
        "start": text.index("with the"),
        "end": text.index(" talk."),
        "line": 2,
        "column": 10,
        "text": "with the in order to",
        "suggestions": ["in order to"],
        "fix": "safe",
    }
    summary = data["summary"]
    assert summary["files"] == 2
    assert summary["findings"] == 3
    assert summary["by_severity"] == {"error": 1, "warning": 1, "info": 1}
    assert summary["by_rule"] == {"embed.hashtag": 1, "garble.det-in-order-to": 1, "readability.sentence": 1}
    assert sum(summary["by_category"].values()) == 3


def test_json_keeps_unicode_and_counts_characters(cli, write):
    text = "L’Élysée “said” so, #Élysée 🎉 today.\n"
    result = cli("check", "-f", "json", write("a.txt", text.encode("utf-8")), "--select", "embed.hashtag", "--fail-on", "never")
    assert result.code == 0
    assert "#Élysée" in result.out and "\\u" not in result.out  # not ASCII-escaped
    (f,) = result.json()["files"][0]["findings"]
    assert (f["start"], f["end"], f["column"]) == (text.index("#"), text.index(" 🎉"), text.index("#") + 1)


def test_json_when_clean(cli, write):
    result = cli("check", "-f", "json", write("a.txt", "Nothing here.\n"), *ONLY)
    assert result.code == 0
    data = result.json()
    assert data["files"][0]["findings"] == [] and data["summary"]["findings"] == 0
    assert data["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 0}


# -- exit codes ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, fail_on, code",
    [
        (ERROR_TEXT, "error", 1),
        (ERROR_TEXT, "warning", 1),
        (ERROR_TEXT, "info", 1),
        (ERROR_TEXT, "never", 0),
        (WARNING_TEXT, "error", 0),
        (WARNING_TEXT, "warning", 1),
        (WARNING_TEXT, "info", 1),
        (WARNING_TEXT, "never", 0),
        (INFO_TEXT, "error", 0),
        (INFO_TEXT, "warning", 0),
        (INFO_TEXT, "info", 1),
        (INFO_TEXT, "never", 0),
        ("Clean text.\n", "info", 0),
        (WARNING_TEXT, None, 1),  # default: --fail-on warning
        (INFO_TEXT, None, 0),
    ],
)
def test_exit_codes(cli, write, text, fail_on, code):
    args = ["check", write("a.txt", text), *ONLY]
    if fail_on:
        args += ["--fail-on", fail_on]
    result = cli(*args)
    assert result.code == code, result.output


def test_exit_codes_as_a_process(cli_process, write):
    assert cli_process("check", write("a.txt", WARNING_TEXT), *ONLY, "--fail-on", "error").code == 0
    assert cli_process("check", write("b.txt", WARNING_TEXT), *ONLY).code == 1


# -- selection ---------------------------------------------------------------------------------
SELECT_TEXT = "They met with the in order to talk, #BORN and @MunSecConf the the end.\n"


def _rules_found(cli, path, *args):
    result = cli("check", "-f", "json", "--fail-on", "never", path, *args)
    assert result.code == 0, result.output
    return sorted({f["rule"] for f in result.json()["files"][0]["findings"]})


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--select", "embed.hashtag"], ["embed.hashtag"]),
        (["--select", "embed"], ["embed.hashtag", "embed.mention"]),  # a pack
        (["--select", "embed.*"], ["embed.hashtag", "embed.mention"]),  # a glob
        (["--select", "*.hashtag,repeat.word"], ["embed.hashtag", "repeat.word"]),  # comma-separated
        (["--select", "garble", "--select", "repeat.word"], ["garble.det-in-order-to", "repeat.word"]),
        (["--select", "embed", "--ignore", "embed.mention"], ["embed.hashtag"]),
        (["--select", "embed,garble", "--ignore", "embed"], ["garble.det-in-order-to"]),
        (["--select", "embed,garble,repeat", "--ignore", "*.hash*"], ["embed.mention", "garble.det-in-order-to", "repeat.word"]),
    ],
)
def test_select_and_ignore(cli, write, args, expected):
    assert _rules_found(cli, write("a.txt", SELECT_TEXT), *args) == expected


def test_ignore_alone_removes_only_the_ignored(cli, write):
    path = write("a.txt", SELECT_TEXT)
    everything = _rules_found(cli, path)
    assert {"embed.hashtag", "embed.mention", "garble.det-in-order-to", "repeat.word"} <= set(everything)
    assert _rules_found(cli, path, "--ignore", "embed") == [r for r in everything if not r.startswith("embed.")]


# -- source language -------------------------------------------------------------------------------
LANG_TEXT = "The zzspanish and the zzfrench and the zzany words.\n"


@pytest.fixture
def lang_pack(tmp_path):
    return write_pack(
        tmp_path / "packs",
        [
            make_rule("custom.es-only", phrase="zzspanish", languages=["es"],
                      examples={"bad": ["[zzspanish]"], "good": ["no"]}),
            make_rule("custom.fr-only", phrase="zzfrench", languages=["fr"],
                      examples={"bad": ["[zzfrench]"], "good": ["no"]}),
            make_rule("custom.any", phrase="zzany", examples={"bad": ["[zzany]"], "good": ["no"]}),
        ],
        telltales={"fr": [{"regex": "ZQXFRENCH", "weight": 5}]},
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("fr", ["custom.any", "custom.fr-only"]),
        ("es", ["custom.any", "custom.es-only"]),
        ("de", ["custom.any"]),
        ("auto", ["custom.any"]),  # nothing to guess from: language-specific rules are off
    ],
)
def test_source_lang_runs_only_rules_for_that_language(cli, write, lang_pack, lang, expected):
    path = write("a.txt", LANG_TEXT)
    found = _rules_found(cli, path, "--rules", lang_pack, "--select", "custom", "--source-lang", lang)
    assert found == expected


def test_source_lang_auto_prints_its_guess(cli, write, lang_pack):
    path = write("a.txt", "ZQXFRENCH reports: " + LANG_TEXT)
    result = cli("check", path, "--rules", lang_pack, "--select", "custom", "--fail-on", "never")
    assert result.code == 0
    assert "source language: fr (guessed from “ZQXFRENCH”)" in result.out
    assert SUMMARY_LINE.match(result.out.splitlines()[-1])
    data = cli("check", "-f", "json", path, "--rules", lang_pack, "--select", "custom", "--fail-on", "never").json()
    assert data["summary"]["source_lang"] == "fr"
    assert any("fr" in note and "ZQXFRENCH" in note for note in data["summary"]["notes"])
    assert sorted({f["rule"] for f in data["files"][0]["findings"]}) == ["custom.any", "custom.fr-only"]


def test_source_lang_auto_guesses_each_file_of_a_folder(cli, write, lang_pack, tmp_path):
    write("copy/a.txt", "ZQXFRENCH reports: " + LANG_TEXT)
    write("copy/b.txt", LANG_TEXT)  # no telltale: takes the run's guess
    write("copy/c.txt", "Los EEUU dijeron: " + LANG_TEXT)  # the built-in Spanish telltale
    data = cli("check", "-f", "json", str(tmp_path / "copy"), "--rules", lang_pack, "--select", "custom",
               "--fail-on", "never").json()
    found = {os.path.basename(f["path"]): sorted({x["rule"] for x in f["findings"]}) for f in data["files"]}
    assert found == {"a.txt": ["custom.any", "custom.fr-only"], "b.txt": ["custom.any", "custom.fr-only"],
                     "c.txt": ["custom.any", "custom.es-only"]}
    assert any("guessed per file (fr 2, es 1 files)" in note for note in data["summary"]["notes"])


def test_source_lang_auto_says_when_it_cannot_guess(cli, write):
    result = cli("check", write("a.txt", "Plain words.\n"), *ONLY)
    assert "source language: not recognised" in result.out


def test_source_lang_explicit_prints_no_guess(cli, write):
    result = cli("check", write("a.txt", "Plain words.\n"), *ONLY, "-s", "es")
    assert "source language" not in result.output


# -- inputs ---------------------------------------------------------------------------------------
def test_folder_takes_txt_and_md(cli, write, tmp_path):
    folder = tmp_path / "copy"
    paths = [
        write("a.txt", WARNING_TEXT, folder),
        write("b.md", WARNING_TEXT, folder),
        write("nested/c.TXT", WARNING_TEXT, folder),
        write("d.html", WARNING_TEXT, folder),  # every suffix a loader reads (mtreview/loaders)
    ]
    write("d.rst", WARNING_TEXT, folder)
    write("e.yaml", WARNING_TEXT, folder)
    write("notes", WARNING_TEXT, folder)
    write(".hidden/f.txt", WARNING_TEXT, folder)
    write(".g.txt", WARNING_TEXT, folder)
    result = cli("check", "-f", "json", folder, *ONLY)
    assert result.code == 1
    files = [f["path"] for f in result.json()["files"]]
    assert sorted(files) == sorted(str(p) for p in paths)
    assert all(f["findings"] for f in result.json()["files"])


def test_file_named_twice_is_checked_once(cli, write):
    path = write("a.txt", WARNING_TEXT)
    assert len(cli("check", "-f", "json", path, path, *ONLY).json()["files"]) == 1


# -- bad input: one line on stderr, exit 2, no traceback ------------------------------------------
def _assert_one_line_error(result, *needles):
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert result.err.startswith("mtreview: error: "), result.err
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    for needle in needles:
        assert str(needle) in result.err, (needle, result.err)


def test_missing_file(cli, tmp_path):
    missing = tmp_path / "nope.txt"
    _assert_one_line_error(cli("check", missing), missing, "no such file")


def test_folder_without_text_files(cli, write, tmp_path):
    folder = tmp_path / "empty"
    write("x.yaml", "a: 1", folder)
    write("y.rst", "x", folder)
    _assert_one_line_error(cli("check", folder), folder, ".txt")


def test_binary_file(cli, write):
    path = write("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    _assert_one_line_error(cli("check", path), path, "binary")


@pytest.mark.parametrize("data, offset", [(b"Caf\xe9 au lait\n", 3), (b"\xef\xbb\xbfline one\nbad \xc3(\n", 16)])
def test_invalid_utf8_names_byte_offset(cli, write, data, offset):
    path = write("latin1.txt", data)
    _assert_one_line_error(cli("check", path), path, f"byte offset {offset}")


def test_utf16_file(cli, write):
    path = write("utf16.txt", "Hello".encode("utf-16"))
    _assert_one_line_error(cli("check", path), path, "UTF-16")


def test_empty_file_is_clean(cli, write):
    result = cli("check", write("empty.txt", b""))
    assert result.code == 0, result.output
    assert result.out.splitlines()[-1] == "No findings in 1 file."
    data = cli("check", "-f", "json", write("empty2.txt", b"\xef\xbb\xbf")).json()
    assert data["files"][0]["findings"] == [] and data["files"][0]["path"].endswith("empty2.txt")


def test_malformed_rule_yaml_names_file_and_line(cli, write, tmp_path):
    packs = tmp_path / "packs"
    pack = write(
        "broken.yaml",
        "pack: custom\nrules:\n  - id: custom.one\n    category: style/house\n    phrases: [one, two\n    severity: warning\n",
        packs,
    )
    result = cli("check", "--rules", packs, write("a.txt", "Text.\n"))
    _assert_one_line_error(result, "malformed YAML")
    assert re.search(rf"{re.escape(str(pack))}:\d+:", result.err)


@pytest.mark.parametrize(
    "text, line",
    [
        ("pack: custom\nrules:\n  - id: custom.one\n    id: custom.two\n", 4),  # duplicate key
        ("pack: custom\nrules:\n  - {[a, b]: 1}\n", 3),  # a key that is a list
        ("pack: custom\nrules:\n\t- id: x\n", 3),  # a tab
    ],
    ids=["duplicate-key", "list-key", "tab"],
)
def test_yaml_structure_errors_name_file_and_line(cli, write, tmp_path, text, line):
    packs = tmp_path / "packs"
    pack = write("p.yaml", text, packs)
    _assert_one_line_error(cli("rules", "test", packs), f"{pack}:{line}:")


def test_rule_yaml_error_names_the_rules_line(cli, write, tmp_path):
    packs = write_pack(tmp_path / "packs", [make_rule("custom.ok"), make_rule("custom.bad", severity="fatal")])
    text = (packs / "custom.yaml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if "custom.bad" in t)
    result = cli("check", "--rules", packs, write("a.txt", "Text.\n"))
    _assert_one_line_error(result, f"custom.yaml:{line}:", "custom.bad", "severity")


def test_invalid_regex_names_the_rule(cli, write, tmp_path):
    packs = write_pack(tmp_path / "packs", [make_rule("custom.bad-regex", regex="foo(bar")])
    _assert_one_line_error(cli("check", "--rules", packs, write("a.txt", "Text.\n")), "custom.bad-regex", "invalid regex")


def test_duplicate_rule_ids(cli, write, tmp_path):
    packs = tmp_path / "packs"
    write_pack(packs, [make_rule("custom.twice")], name="one")
    write_pack(packs, [make_rule("custom.twice")], name="two")
    result = cli("check", "--rules", packs, write("a.txt", "Text.\n"))
    _assert_one_line_error(result, "duplicate rule id 'custom.twice'", "one.yaml", "two.yaml")


def test_duplicate_of_a_builtin_rule_id(cli, write, tmp_path):
    packs = write_pack(tmp_path / "packs", [make_rule("garble.det-in-order-to")])
    _assert_one_line_error(cli("check", "--rules", packs, write("a.txt", "Text.\n")), "duplicate rule id")


@pytest.mark.parametrize(
    "rule",
    [
        make_rule("custom.lang", languages=5),
        make_rule("custom.lang", languages=["es", "klingon"]),
        make_rule("custom.cat", category=["style/house"]),
        make_rule("custom.pack", pack=["x"]),
        make_rule("custom.unless", unless_after="(open"),
        make_rule("custom.badkey", colour="red"),
        make_rule("custom.filter", message="Found {0|shout}"),
        make_rule("custom.nofix", fix="safe"),
        make_rule("custom.empty-regex", regex="x*"),
        make_rule("custom.tokens", tokens=["<no-such-class>", "word"]),
        make_rule("custom.examples", examples={"bad": "A [zzyzx] here.", "good": ["x"]}),
        make_rule("custom.examples-good", examples={"bad": ["A [zzyzx] here."], "good": "x"}),
        make_rule("custom.span", examples={"bad": [{"text": "A zzyzx here.", "span": "nope"}], "good": ["x"]}),
        {"id": "custom.missing", "category": "style/house"},
        ["not", "a", "mapping"],
    ],
    ids=lambda r: r["id"] if isinstance(r, dict) else "list",
)
def test_invalid_rule_is_a_one_line_error(cli, write, tmp_path, rule):
    packs = write_pack(tmp_path / "packs", [rule])
    result = cli("check", "--rules", packs, write("a.txt", "Text.\n"))
    _assert_one_line_error(result, "custom.yaml")
    if isinstance(rule, dict):
        assert rule["id"] in result.err


@pytest.mark.parametrize(
    "top",
    [
        {"classes": ["not", "a", "mapping"]},
        {"classes": {"mine": "not a list"}},
        {"telltales": ["not", "a", "mapping"]},
        {"telltales": {"fr": [{"regex": "(unclosed", "weight": 1}]}},
        {"telltales": {"fr": [{"regex": "ok", "weight": "heavy"}]}},
        {"telltales": {"fr": [{"weight": 1}]}},
        {"pack": ["x"]},
        {"unknown_key": 1},
    ],
    ids=["classes-list", "class-not-list", "telltales-list", "telltale-regex", "telltale-weight",
         "telltale-no-regex", "pack-name", "unknown-key"],
)
def test_invalid_pack_is_a_one_line_error(cli, write, tmp_path, top):
    packs = write_pack(tmp_path / "packs", None, **top)
    _assert_one_line_error(cli("check", "--rules", packs, write("a.txt", "Text.\n")), "custom.yaml")


def test_unknown_select_id(cli, write):
    path = write("a.txt", "Text.\n")
    _assert_one_line_error(cli("check", "--select", "no.such-rule", path), "--select", "no.such-rule")
    _assert_one_line_error(cli("check", "--ignore", "nosuchpack", path), "--ignore", "nosuchpack")


def test_unknown_select_is_reported_before_reading_files(cli, tmp_path):
    # the selection error wins over the missing file: options are validated first
    _assert_one_line_error(cli("check", "--select", "no.such-rule", tmp_path / "missing.txt"), "no.such-rule")


def test_unknown_format(cli, write):
    _assert_one_line_error(cli("check", "--format", "xml", write("a.txt", "Text.\n")), "--format", "xml", "json")


def test_unknown_source_lang(cli, write):
    _assert_one_line_error(cli("check", "--source-lang", "xx", write("a.txt", "Text.\n")), "xx")


def test_missing_rules_folder(cli, write, tmp_path):
    _assert_one_line_error(cli("check", "--rules", tmp_path / "nope", write("a.txt", "Text.\n")), "nope")


def test_output_onto_an_input_file_is_refused(cli, write):
    path = write("a.txt", ERROR_TEXT)
    before = path.read_bytes()
    _assert_one_line_error(cli("check", path, "-o", path), path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "make_args",
    [
        lambda tmp: ["check", tmp / "nope.txt"],
        lambda tmp: ["check", _bytes(tmp / "bad.txt", b"ok \xff\n")],
        lambda tmp: ["check", "--rules", _pack_dir(tmp, "rules:\n  - id: [\n"), _bytes(tmp / "ok.txt", b"ok\n")],
        lambda tmp: ["fix", tmp / "nope.txt"],
    ],
    ids=["missing", "invalid-utf8", "malformed-yaml", "fix-missing"],
)
def test_bad_input_in_a_real_process(cli_process, tmp_path, make_args):
    _assert_one_line_error(cli_process(*make_args(tmp_path)))


def _bytes(path, data):
    path.write_bytes(data)
    return path


def _pack_dir(tmp, text):
    folder = tmp / "packs"
    folder.mkdir()
    (folder / "p.yaml").write_text(text, encoding="utf-8")
    return folder


# -- check never changes its input ------------------------------------------------------------
def test_check_never_changes_input_files(cli, write, tmp_path):
    path = write("a.txt", b"\xef\xbb\xbfThey met with the in order to talk \xf0\x9f\x8e\x89.\r\nthe the end\r\n")
    os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    listing = sorted(p.name for p in tmp_path.iterdir())
    for fmt in ("text", "json"):
        assert cli("check", "-f", fmt, path).code == 1
    assert cli("check", tmp_path, "-o", tmp_path / "out" / "report.json", "-f", "json").code == 1
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(listing + ["out"])


# -- rules list / show -------------------------------------------------------------------------
def test_rules_list_json_lists_every_rule(cli):
    result = cli("rules", "list", "--format", "json")
    assert result.code == 0
    listed = json.loads(result.out)
    assert [r["id"] for r in listed] == list(builtin_ruleset().rules)
    for r in listed:
        assert {"id", "pack", "category", "severity", "fix", "languages", "message", "why", "examples"} <= set(r)


def test_rules_list_text_and_language_filter(cli, lang_pack):
    result = cli("rules", "list", "--rules", lang_pack, "--select", "custom", "--source-lang", "fr")
    assert result.code == 0
    ids = [line.split()[0] for line in result.out.splitlines()[1:-1]]
    assert ids == ["custom.fr-only", "custom.any"]
    assert result.out.splitlines()[-1] == "2 rules in 1 pack"


def test_rules_show(cli):
    result = cli("rules", "show", "garble.det-in-order-to")
    assert result.code == 0
    assert "Why it matters:" in result.out and "garbles.yaml:" in result.out
    assert "✗ He met European leaders, [with the in order to] coordinate the response." in result.out


def test_rules_list_unknown_source_lang(cli):
    _assert_one_line_error(cli("rules", "list", "--source-lang", "klingon"), "klingon")


def test_text_output_is_one_line_per_finding_even_across_line_breaks(cli, write):
    path = write("a.txt", "They met with the in\r\norder to talk.\nAnd with the\nin order to eat.\n")
    result = cli("check", path, "--select", "garble.det-in-order-to", "-s", "es")
    lines = result.out.splitlines()
    assert [m["line"] for m in map(FINDING_LINE.match, lines) if m] == ["1", "3"]
    lines = [line for line in lines if not SCORE_LINE.match(line) and not NOTE_LINE.match(line)]
    assert len(lines) == 5  # two findings, each with its fix line, and the summary
    assert "“with the in order to”" in lines[0]
    assert "fix: “with the in\\r\\norder to” → “in order to”" in lines[1]


def test_rules_show_unknown_rule(cli):
    _assert_one_line_error(cli("rules", "show", "no.such-rule"), "no.such-rule")


def test_help_works(cli):
    result = cli("--help")
    assert result.code == 0 and "check" in result.out and "fix" in result.out


def test_seed_through_the_cli(cli):
    # smoke: the canonical input from the repository, text format
    result = cli("check", SEED, "-s", "es")
    assert result.code == 1
    assert SUMMARY_LINE.match(result.out.splitlines()[-1])


def test_text_output_quotes_suggestions_unambiguously(cli, write):
    """Text with curly quotes or edge spaces is shown in straight quotes, so “…” never nests;
    both sides of the arrow then take straight quotes, so the edit reads like for like."""
    path = write("q.txt", "Troops were put on “high” alert. They met in the north. and the south.\n")
    lines = cli("check", str(path), "--source-lang", "es").out.splitlines()
    assert '    suggestion (unsafe fix): "“high”" → "high"' in lines
    assert '    suggestion (unsafe fix): ". and" → " and"' in lines


def test_the_language_guess_stops_reading_once_the_evidence_is_decisive():
    from mtreview.langdetect import FIRST_WINDOW, guess

    telltales = {"es": [(r"\bEEUU\b", 3.0)], "fr": [(r"«", 2.0)]}
    head = "Los EEUU dijeron.\n" * 20  # decisive: 60 points
    tail = ("Plain words here.\n" * (4 * FIRST_WINDOW // 18)) + "« " * 100  # the French marks past the windows read
    found = guess([head + tail], telltales)
    assert found.language == "es" and found.score == 60.0
    assert guess(["Los EEUU dijeron.\n" + tail], telltales).language == "fr"  # not decisive: read on to the end


def test_guessing_each_file_gives_the_runs_guess_of_them_all():
    from mtreview.langdetect import guess, guess_each

    telltales = {"es": [(r"\bEEUU\b", 3.0), (r"[¿¡]", 2.0)], "fr": [(r"«", 2.0)]}
    texts = ["¿Los EEUU?\n", "« Non »\n", "Nada.\n", "Los EEUU y los EEUU.\n"]
    together, each = guess_each(texts, telltales)
    assert together == guess(texts, telltales)
    assert [g.language for g in each] == ["es", "fr", None, "es"]
