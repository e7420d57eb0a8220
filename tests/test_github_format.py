"""--format github: GitHub Actions workflow commands, one per finding, escaped as the
runner's toolkit escapes them, then the notes and a plain summary line."""

from __future__ import annotations

import re

import pytest

from mtreview.report.github import escape_data, escape_property

ONLY = ["--select", "garble.det-in-order-to,embed.hashtag,readability.sentence", "--source-lang", "es",
        "--no-grammar"]  # scores on: --no-scores turns the readability findings off too
COMMAND = re.compile(r"^::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<msg>.*)$")


def unescape_property(s: str) -> str:
    return s.replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")


def parse(line: str) -> tuple[str, dict, str]:
    m = COMMAND.match(line)
    assert m, line
    props = dict(p.split("=", 1) for p in m["props"].split(","))
    return m["cmd"], {k: unescape_property(v) for k, v in props.items()}, m["msg"]


def test_escaping():
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    assert escape_data("%0A") == "%250A"  # escaped first, so a literal %0A survives


def test_one_command_per_finding(cli, write, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    text = "Intro line.\nThey met with the in order to talk.\n\nA talk organized by #BORN today.\n\n" + " ".join(["word"] * 45) + ".\n"
    write("sub/story.md", text)
    result = cli("check", "sub/story.md", "--format", "github", *ONLY)
    assert result.code == 1 and result.err == ""
    lines = result.out.splitlines()
    assert lines[-1] == "mtreview: 3 findings in 1 file (1 error, 1 warning, 1 info)"
    commands = [parse(line) for line in lines if line.startswith("::")]
    assert [(c, p["title"], p["line"], p["col"], p["endLine"], p["endColumn"]) for c, p, _ in commands] == [
        ("error", "garble.det-in-order-to", "2", "10", "2", "30"),
        ("warning", "embed.hashtag", "4", "21", "4", "26"),
        ("notice", "readability.sentence", "6", "1", "6", "226"),
    ]
    assert all(p["file"] == "sub/story.md" for _, p, _ in commands)
    msg = commands[0][2]
    assert msg == "Garbled construction: “with the in order to” — a determiner cannot precede “in order to”" \
                  "%0Afix: “with the in order to” → “in order to”"
    # the same findings and exit code as the text format
    text_out = cli("check", "sub/story.md", *ONLY)
    assert text_out.code == result.code
    assert len([line for line in text_out.out.splitlines() if ": error " in line or ": warning " in line or ": info " in line]) == 3


def test_paths_and_messages_are_escaped(cli, write, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    write("a,b:c%.md", "They met\nwith the in order to talk, 100% sure.\n")
    result = cli("check", "a,b:c%.md", "--format", "github", *ONLY)
    (line,) = [x for x in result.out.splitlines() if x.startswith("::")]
    assert line.startswith("::error file=a%2Cb%3Ac%25.md,line=2,col=1,endLine=2,endColumn=21,title=garble.det-in-order-to::")
    assert parse(line)[1]["file"] == "a,b:c%.md"


def test_multi_line_span_and_message(cli, write, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    write("a.md", "They met with the\nin order to talk.\n")
    result = cli("check", "a.md", "--format", "github", *ONLY)
    (line,) = [x for x in result.out.splitlines() if x.startswith("::")]
    cmd, props, msg = parse(line)
    assert (props["line"], props["col"], props["endLine"], props["endColumn"]) == ("1", "10", "2", "12")
    assert "\n" not in line and "\r" not in line
    assert "%0A" in msg  # the matched text's line break, and the suggestion's line


def test_clean_and_notes(cli, write, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    write("a.md", "All is well.\n")
    result = cli("check", "a.md", "--format", "github", "--select", "garble", "--no-scores")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[-1] == "mtreview: no findings in 1 file"
    assert not any(line.startswith("::") for line in lines)
    assert any(line.startswith("grammar: ") or line.startswith("source language: ") for line in lines[:-1])


@pytest.mark.parametrize("fmt", ["sarif", "github"])
def test_listed_in_the_help_and_the_format_table(cli, fmt):
    from mtreview.report import FORMATS

    assert fmt in FORMATS
    assert fmt in cli("check", "--help").out
