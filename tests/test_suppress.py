"""Inline suppressions: the directives in Markdown, HTML and plain text, what they silence
(any finding, by the names --select takes), and the findings about the directives."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import builtin_ruleset, line_col
from mtreview.loaders import load
from mtreview.model import Finding, FixSafety, Severity
from mtreview.suppress import Suppressor, parse, text_directives

QUIET = ("--no-grammar", "--no-scores", "--fail-on", "never", "--format", "json", "-s", "es")
LINE = "They met this Monday with the in order to talk."  # calque.this-weekday + garble.det-in-order-to


def check(cli, path, *args):
    result = cli("check", path, *QUIET, *args)
    assert result.code == 0, result.output
    (file,) = result.json()["files"]
    text = Path(path).read_bytes().decode("utf-8")
    for f in file["findings"]:
        assert f["text"] == text[f["start"] : f["end"]]
        assert (f["line"], f["column"]) == line_col(text, f["start"])
    return file["findings"]


def rules_by_line(found) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for f in found:
        out.setdefault(f["line"], []).append(f["rule"])
    return {line: sorted(rules) for line, rules in out.items()}


BOTH = ["calque.this-weekday", "garble.det-in-order-to"]


# -- Markdown --------------------------------------------------------------------------------
def test_markdown_disable_enable_and_next_line(cli, write):
    source = "\n".join([
        LINE,                                                      # 1: both
        "",
        "<!-- mtreview-disable garble, calque.es.this-* -->",      # 3
        LINE,                                                      # 4: neither
        "<!-- mtreview-enable garble -->",                         # 5
        "",
        LINE,                                                      # 7: garble only
        "",
        "<!-- mtreview-enable -->",                                # 9
        "<!-- mtreview-disable-next-line garble.det-in-order-to -->",
        "",
        LINE,                                                      # 12: this-weekday only
        LINE,                                                      # 13: both
        "",
        "```",
        "<!-- mtreview-disable -->",                               # in code: not a directive
        "```",
        LINE,                                                      # 18: both
        "",
    ])
    found = check(cli, write("a.md", source))
    assert rules_by_line(found) == {1: BOTH, 7: ["garble.det-in-order-to"], 12: ["calque.this-weekday"],
                                    13: BOTH, 18: BOTH}


@pytest.mark.parametrize("name", ["garble.det-in-order-to", "garble", "garble.*", "*in-order*", "garble.det-in-order-to,calque"])
def test_a_directive_takes_what_select_takes(cli, write, name):
    found = check(cli, write("a.md", f"<!-- mtreview-disable {name} -->\n\n{LINE}\n"))
    assert "garble.det-in-order-to" not in [f["rule"] for f in found]


def test_no_rule_means_every_rule_and_an_inline_comment_works(cli, write):
    found = check(cli, write("a.md", f"{LINE} <!-- mtreview-disable -->\n\n{LINE}\n\n{LINE}\n"))
    assert rules_by_line(found) == {1: BOTH}


def test_readability_findings_are_suppressed_too(cli, write):
    long = " ".join(f"word{i}" for i in range(45)) + "."

    def rules(path):  # with scores: the readability scorer's findings are on
        result = cli("check", path, "--no-grammar", "--fail-on", "never", "--format", "json")
        assert result.code == 0, result.output
        return [f["rule"] for f in result.json()["files"][0]["findings"]]

    assert "readability.sentence" in rules(write("a.md", long + "\n"))
    assert rules(write("b.md", f"<!-- mtreview-disable readability -->\n\n{long}\n")) == []


# -- HTML --------------------------------------------------------------------------------------
def test_html_directives(cli, write):
    source = (f"<p>{LINE}</p>\n<!-- mtreview-disable-next-line calque.es -->\n<p>{LINE}</p>\n"
              f"<!--mtreview-disable garble-->\n<p>{LINE}</p>\n<p>{LINE}</p>\n<!-- mtreview-enable garble -->\n<p>{LINE}</p>\n"
              f"<pre><!-- mtreview-disable --></pre><p>{LINE}</p>\n")
    found = check(cli, write("a.html", source))
    assert rules_by_line(found) == {1: BOTH, 3: ["garble.det-in-order-to"], 5: ["calque.this-weekday"],
                                    6: ["calque.this-weekday"], 8: BOTH, 9: BOTH}


# -- plain text ---------------------------------------------------------------------------------
def test_text_directives_on_lines_of_their_own(cli, write):
    source = "\n".join([LINE, "[mtreview-disable-next-line garble]", LINE, "  [mtreview-disable calque.this-weekday]  ",
                        LINE, "[mtreview-enable]", LINE, "Say [mtreview-disable] in a sentence: no directive.", LINE, ""])
    found = check(cli, write("a.txt", source))
    assert rules_by_line(found) == {1: BOTH, 3: ["calque.this-weekday"], 5: ["garble.det-in-order-to"],
                                    7: BOTH, 9: BOTH}


def test_a_text_directive_line_is_not_prose():
    source = "One line.\n[mtreview-disable embed.hashtag, #BORN]\r\nAnother line.\n"
    doc = load(source, "a.txt")
    assert doc.scan_text.splitlines()[1].strip() == ""
    assert [d.kind for d in doc.directives] == ["disable"]
    assert doc.directives[0].rules == ("embed.hashtag", "#BORN")
    assert [source[p.start : p.end] for p in doc.paragraphs] == ["One line.", "Another line."]


def test_text_directive_with_crlf(cli, write):
    path = write("a.txt", f"[mtreview-disable-next-line garble]\r\n\r\n{LINE}\r\n{LINE}\r\n")
    assert rules_by_line(check(cli, path)) == {3: ["calque.this-weekday"], 4: BOTH}


def test_a_plain_text_file_without_directives_is_one_region():
    doc = load(LINE, "a.txt")
    assert not doc.directives and doc.scan_text is doc.text


# -- findings about directives ------------------------------------------------------------------
def test_unused_suppressions_are_reported_on_request(cli, write):
    source = (f"<!-- mtreview-disable garble -->\n\n{LINE}\n\n<!-- mtreview-enable garble -->\n"
              "<!-- mtreview-disable-next-line repeat -->\nNothing repeated here.\n")
    path = write("a.md", source)
    assert [f["rule"] for f in check(cli, path)] == ["calque.this-weekday"]
    found = check(cli, path, "--report-unused-suppressions")
    unused = [f for f in found if f["rule"] == "mtreview.unused-suppression"]
    assert len(unused) == 1
    (f,) = unused
    assert f["text"] == "<!-- mtreview-disable-next-line repeat -->"
    assert (f["line"], f["column"]) == (6, 1)
    assert f["severity"] == "warning" and f["category"] == "design/markup"
    assert f["suggestions"] == [""] and f["fix"] == "unsafe" and f["source"] == "suppressions"


def test_unused_text_directive_points_at_its_line(cli, write):
    path = write("a.txt", f"{LINE}\n  [mtreview-disable-next-line embed]\nNothing here.\n")
    found = check(cli, path, "--report-unused-suppressions")
    (f,) = [f for f in found if f["rule"] == "mtreview.unused-suppression"]
    assert (f["line"], f["column"], f["text"]) == (2, 3, "[mtreview-disable-next-line embed]")


def test_unknown_rule_names_are_findings_not_errors(cli, write):
    path = write("a.md", f"<!-- mtreview-disable nonesuch, garble -->\n\n{LINE}\n")
    result = cli("check", path, "--no-grammar", "--no-scores", "-s", "es")
    assert result.code == 1 and "Traceback" not in result.output
    assert "mtreview.unknown-suppression" in result.out and "nonesuch" in result.out
    found = check(cli, path)
    assert sorted(f["rule"] for f in found) == ["calque.this-weekday", "mtreview.unknown-suppression"]
    # a directive that names nothing known is not "unused" as well
    found = check(cli, write("b.md", "<!-- mtreview-disable nonesuch -->\n\nText.\n"), "--report-unused-suppressions")
    assert [f["rule"] for f in found] == ["mtreview.unknown-suppression"]


# -- fixes ------------------------------------------------------------------------------------
def test_fix_leaves_suppressed_findings_alone(cli, write):
    path = write("a.md", f"<!-- mtreview-disable-next-line garble -->\n{LINE}\n")
    result = cli("fix", path, "-s", "es", "--write")
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == (
        "<!-- mtreview-disable-next-line garble -->\nThey met on Monday with the in order to talk.\n")


# -- the Suppressor on its own: any source of findings --------------------------------------------
def _finding(rule: str, start: int, end: int, source="grammar") -> Finding:
    return Finding(rule=rule, start=start, end=end, message="m", severity=Severity.WARNING,
                   category="fluency/grammar", fix=FixSafety.NONE, source=source)


def test_languagetool_and_reference_findings_are_suppressed_by_their_ids():
    text = "[mtreview-disable lt.EN_A_VS_AN]\nThis is a apple.\n[mtreview-enable]\n[mtreview-disable reference]\nMore.\n"
    doc = load(text, "a.txt")
    start = text.index("a apple")
    more = text.index("More")
    findings = [_finding("lt.EN_A_VS_AN", start, start + 1), _finding("lt.OTHER", start, start + 1),
                _finding("reference.omission", more, more + 4, "reference")]
    kept = Suppressor(builtin_ruleset()).apply(doc, findings, report_unused=True)
    assert [f.rule for f in kept] == ["lt.OTHER"]


def test_parse():
    assert parse(" mtreview-disable a, b c ", 0, 1).rules == ("a", "b", "c")
    assert parse("mtreview-disable-next-line", 0, 1).kind == "disable-next-line"
    assert parse("mtreview-disabled x", 0, 1) is None
    assert parse("just a comment", 0, 1) is None
    assert [d.kind for d in text_directives("[mtreview-enable]\nx [mtreview-disable]\n")] == ["enable"]


def test_findings_about_directives_are_rules_like_others(cli, write):
    """They have metadata and examples (`rules show`), and --ignore and the config's severity
    apply to them."""
    assert cli("rules", "show", "mtreview.unknown-suppression").code == 0
    path = write("a.md", "<!-- mtreview-disable nonesuch -->\n\nText.\n")
    ignored = cli("check", path, "--ignore", "mtreview.unknown-suppression", "--format", "json", "--no-grammar")
    assert ignored.json()["files"][0]["findings"] == [] and ignored.code == 0
    write(".mtreview.toml", 'severity = { "mtreview.unknown-suppression" = "info" }\n')
    data = cli("check", path, "--format", "json", "--no-grammar", "--no-scores").json()
    assert [(f["rule"], f["severity"]) for f in data["files"][0]["findings"]] == [("mtreview.unknown-suppression", "info")]
