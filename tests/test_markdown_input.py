"""Markdown input: what is prose (exact offsets), what is not, paragraphs, embeds, the seed
article as Markdown, and fixes that leave the markup alone."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from helpers import QUIET, REPO, SEED, at, run_subprocess
from helpers import checked_findings as findings
from mtreview.loaders import LoadOptions, load

SEED_MD = REPO / "samples" / "mt-news-ukraine-es-en.md"
# -- the traps: nothing but the prose is checked ------------------------------------------------
TRAPS = """\
---
title: "Paris assured that the talks would go on"
slug: this-monday-nato
tags: [OTAN]
aliases: ["/this-monday/in-order-to/"]
date: 2022-01-24
---

# NATO leaders meet in Brussels

In a statement, Paris assured that the talks would continue.

See [the NATO report](https://x.com/this-monday-in-order-to) or https://example.com/this-monday for more.

Run `with the in order to` in a shell, or <span class="this-monday" data-x="with the in order to">look here</span>.

<!-- They met this Monday with the in order to talk. -->

```text
They met with the in order to talk this Monday.
```

    They met with the in order to talk this Monday.

> This is a defining moment for Euro-Atlantic security. Join us tomorrow for a conversation organized by #BORN and @MunSecConf
>
> — NATO (@NATO) [January 24, 2022](https://twitter.com/NATO/status/1485656172451057665)

The ministers met with the in order to coordinate the response.

[ref]: https://example.com/this-monday-in-order-to "this Monday"
"""


def test_traps_are_not_flagged_and_prose_is(cli, write):
    path = write("traps.md", TRAPS)
    got = {(f["rule"], f["line"], f["column"], f["text"]) for f in findings(cli, path, "-s", "es")}
    assert got == {
        ("calque.assured-that", *at(TRAPS, "assured that", 0), "assured that"),  # the title
        ("calque.assured-that", *at(TRAPS, "assured that", 1), "assured that"),
        ("garble.det-in-order-to", *at(TRAPS, "with the in order to", -1), "with the in order to"),
    }


def test_prose_line_and_column(cli, write):
    path = write("traps.md", TRAPS)
    by_rule = {(f["rule"], f["line"]): f for f in findings(cli, path, "-s", "es")}
    assert (by_rule[("calque.assured-that", 11)]["column"]) == len("In a statement, Paris ") + 1
    assert by_rule[("garble.det-in-order-to", 29)]["column"] == len("The ministers met ") + 1


# -- exact regions, checked construct by construct ------------------------------------------------
# Prose words are p1, p2 …; words that must not be prose are n1, n2 …. A construct's source
# may use each only once; ``scan_text`` must show every p-word where the source has it and
# no n-word and no Markdown syntax at all.
CONSTRUCTS = [
    "# p1 p2",
    "## p1 *p2* ##",
    "p1 p2\n===",
    "p1 **p2** _p3_ ~~p4~~",
    "p1 [p2 *p3*](https://n1.example/n2 \"n3 (n4)\") p5",
    "p1 [p2][n1] p3\n\n[n1]: https://n2.example \"n3\"",
    "p1 [p2] p3\n\n[P2]: https://n1.example",
    "p1 ![n1 *n2*](n3.png \"n4\") p2",
    "p1 `n1` p2 ``n2 ` n3`` p3",
    "p1 &amp; p2 &#169; p3 \\* p4",
    "p1 <https://n1.example/n2> p2 <n3@n4.example> p3",
    "p1 https://n1.example/n2?n3=n4 p2 www.n5.example p3.",
    "p1 <span class=\"n1\" data-n2=\"n3\">p2</span> p3",
    "p1 <!-- n1 n2 --> p2",
    "<!-- n1\nn2 -->\n\np1",
    "- p1\n- p2\n  p3\n\n  p4\n- p5",
    "1. p1\n2) p2",
    "* p1\n    * p2\n        * p3",
    "> p1\n> > p2\n> p3\np4",
    "| p1 | p2 |\n|----|:--:|\n| `n1` | p4 [p5](n2) |\np6 | p7",
    "p1  \np2\\\np3",
    "```n1\nn2\n```\n\np1\n\n~~~\nn3\n~~~",
    "    n1 n2\n\np1",
    "p1\n\n---\n\np2\n\n***",
    "<div class=\"n1\">\np1 <b>p2</b>\n</div>",
    "<script>n1 n2</script>\n\np1",
    "> <div class=\"n1\">\n> n2\n> </div>\n\np1",
    "p1\n\n- \tp2\n\n>\tp3",
    "p1 *p3*p4 p2",
    "p1 ** p2 * p3 _ p4",
    "p1 [p2](<n1 n2.html>) p3 [p4]() p5",
]
_SYNTAX = set("#*_>|`[]()!<~\\&;=")


def _check_regions(source: str) -> None:
    doc = load(source, "x.md")
    scan = doc.scan_text
    assert len(scan) == len(source)
    prose = {m.group(): m.start() for m in re.finditer(r"p\d+", source)}
    for word, start in prose.items():
        assert scan[start : start + len(word)] == word, (word, source, scan)
    assert not re.search(r"n\d+", scan), (source, scan)
    # literal markup characters that are prose in these sources: "*" and "_" on their own
    stray = {c for c in scan if c in _SYNTAX} - ({"*", "_"} if " ** " in source else set())
    assert not stray, (source, scan)
    for r in doc.regions:  # the prose as it is (a lone CR read as a line feed: Document.line_text)
        assert scan[r.start : r.end] == doc.line_text[r.start : r.end]


@pytest.mark.parametrize("construct", CONSTRUCTS)
def test_regions_are_exact(construct):
    _check_regions(construct)


def test_regions_are_exact_in_combination():
    for a, b in itertools.permutations(range(len(CONSTRUCTS)), 2):
        first = CONSTRUCTS[a]
        # renumber the second construct's words so each word is used once
        second = re.sub(r"([pnP])(\d+)", lambda m: f"{m.group(1)}{int(m.group(2)) + 100}", CONSTRUCTS[b])
        # (an HTML block at the margin ends a list or quote before the second construct)
        _check_regions(first + "\n\n<!-- n0 -->\n\n" + second + "\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_regions_with_any_line_ending(newline):
    for construct in CONSTRUCTS:
        _check_regions(construct.replace("\n", newline))


def test_escaped_pipe_in_a_cell_is_prose_without_its_backslash():
    source = "| a | b \\| c |\n|---|---|\n| d | e |\n"
    doc = load(source, "x.md")
    assert [source[r.start : r.end] for r in doc.regions] == ["a", "b ", "| c", "d", "e"]


def test_front_matter_values_are_prose_by_key():
    source = ('---\ntitle: "p1 \\"p6\\" p2"\ndescription: >\n  p3\n  p4\nslug: n2\nsummary: n3\n'
              "tags: [n4]\nauthor: 'n5 ''n6'''\n---\n\np5\n")
    _check_regions(source)
    doc = load(source, "x.md", LoadOptions(front_matter_prose=("summary", "author")))
    scan = doc.scan_text
    assert "n3" in scan and "n5" in scan and "n6" in scan and "p1" not in scan and "p3" not in scan
    assert "''" not in scan  # a YAML quote escape is never prose


def test_toml_front_matter():
    source = '+++\ntitle = "p1 p2"\nslug = "n1"\ndraft = false\n+++\n\np3\n'
    _check_regions(source)


def test_unclosed_front_matter_is_markdown():
    doc = load("---\np1 p2\n", "x.md")
    assert "p1 p2" in doc.scan_text


# -- paragraphs -----------------------------------------------------------------------------
def test_blocks_are_paragraphs_of_their_own():
    source = "# The talks\nThey met.\n\n- one item\n- another item\n\n| a cell | b cell |\n|---|---|\n| c | d |\n"
    doc = load(source, "x.md")
    assert [source[p.start : p.end] for p in doc.paragraphs] == [
        "The talks", "They met.", "one item", "another item", "a cell", "b cell", "c", "d"]
    assert doc.paragraphs[0].heading


def test_no_match_runs_from_one_block_into_the_next(cli, write):
    path = write("blocks.md", "# He met with the\nin order to talk.\n\n- they met with the\n- in order to talk\n\n"
                              "| the | the |\n|---|---|\n| talk | talk |\n")
    assert findings(cli, path) == []


def test_syntax_is_no_hashtag_and_markup_no_sentence_break(cli, write):
    path = write("h.md", "# Leaders meet\n\n## Talks go on\n\nA conversation organized by **#BORN** today.\n")
    got = [(f["rule"], f["text"]) for f in findings(cli, path)]
    assert got == [("embed.hashtag", "#BORN")]


def test_line_anchored_rules_see_a_block_start(cli, write):
    path = write("credit.md", "They met.\n\n*With Reuters, EFE and AFP*\n")
    (f,) = findings(cli, path, "-s", "es")
    assert f["rule"] == "calque.credit-line" and f["text"] == "With Reuters, EFE and AFP" and f["fix"] == "safe"


# -- embeds -----------------------------------------------------------------------------------
def test_tweet_embed_blockquote_is_not_prose_but_leftovers_are(cli, write):
    embed = ("> Reinforce the eastern flank. [pic.twitter.com/2XvTTvdLJl](https://t.co/2XvTTvdLJl)\n>\n"
             "> — President Biden (@POTUS) [January 24, 2022](https://twitter.com/POTUS/status/1485711546218287107)\n")
    leftover = "Reinforce the eastern flank. pic.twitter.com/2XvTTvdLJl — NATO (@NATO) January 24, 2022\n"
    path = write("embeds.md", embed + "\n" + leftover + "\nRead it here https://t.co/AbC123 now.\n")
    got = [(f["rule"], f["text"]) for f in findings(cli, path)]
    assert got == [("embed.pic-link", "pic.twitter.com/2XvTTvdLJl"),
                   ("embed.tweet-attribution", "— NATO (@NATO) January 24, 2022"),
                   ("embed.pic-link", "https://t.co/AbC123")]


def test_an_ordinary_quote_is_prose(cli, write):
    path = write("quote.md", "> They met with the in order to talk.\n")
    assert [f["rule"] for f in findings(cli, path)] == ["garble.det-in-order-to"]


# -- the seed as Markdown -----------------------------------------------------------------------
def _key(path: Path, f) -> tuple[str, str]:
    doc = load(path.read_text(encoding="utf-8"), str(path))
    return f["rule"], " ".join(doc.scan_text[f["start"] : f["end"]].split())


def test_seed_markdown_has_the_seed_findings_but_the_embeds(cli):
    txt = findings(cli, SEED, "-s", "es", scores=True)
    md = findings(cli, SEED_MD, "-s", "es", scores=True)
    assert any(f["rule"].startswith("readability.") for f in md)
    txt_keys = Counter(_key(SEED, f) for f in txt)
    md_keys = Counter(_key(SEED_MD, f) for f in md)
    assert md_keys - txt_keys == Counter()
    missing = txt_keys - md_keys
    assert {rule for rule, _ in missing} <= {"embed.pic-link", "embed.tweet-attribution", "embed.hashtag",
                                            "embed.mention", "embed.emoji"}
    assert sum(missing.values()) == 6
    text = SEED_MD.read_text(encoding="utf-8")
    garble = next(f for f in md if f["rule"] == "garble.det-in-order-to")
    assert (garble["line"], garble["column"]) == at(text, "with the in order to")


def test_seed_markdown_front_matter_and_links_are_not_checked(cli):
    text = SEED_MD.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    doc = load(text, str(SEED_MD))
    for f in findings(cli, SEED_MD, "-s", "es"):
        assert f["start"] >= body
        last = f["start"] + len(doc.scan_text[f["start"] : f["end"]].rstrip())
        assert doc.in_prose(f["start"], f["start"] + 1) and doc.in_prose(last - 1, last)


# -- fixing Markdown ------------------------------------------------------------------------
def _skeleton(text: str, path: str) -> list[str]:
    """The file with its prose taken out: what a fix must leave as it is."""
    doc = load(text, path)
    out, pos = [], 0
    for r in doc.regions:
        out.append(text[pos : r.start].strip())
        pos = r.end
    out.append(text[pos:].strip())
    return [s for s in out if s]


def test_fix_write_changes_prose_and_leaves_markup_byte_identical(cli, tmp_path):
    path = tmp_path / "seed.md"
    original = SEED_MD.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    result = cli("fix", path, "-s", "es", "--unsafe", "--write")
    assert result.code == 0, result.output
    fixed = path.read_text(encoding="utf-8")
    assert fixed != original
    assert "with the in order to" not in fixed and "in order to coordinate" in fixed
    assert _skeleton(fixed, str(path)) == _skeleton(original, str(path))
    head = original[: original.index("\n---\n", 4) + 5]
    assert fixed.startswith(head)
    for block in re.findall(r"(?m)^>.*$", original):
        assert block in fixed  # the embeds, byte for byte
    assert "[Elysée](https://www.elysee.fr/en/)" in fixed


def test_a_finding_over_markup_offers_no_edit(cli, write):
    path = write("over.md", "In a statement, Paris assured **that** it would help.\n")
    (f,) = findings(cli, path, "-s", "es")
    assert f["rule"] == "calque.assured-that" and f["text"] == "assured **that"
    assert f["suggestions"] == [] and f["fix"] == "none"
    result = cli("fix", path, "-s", "es", "--unsafe")
    assert "Nothing to fix." in result.err


def test_suggestions_inside_a_link_text_apply(cli, write):
    path = write("link.md", "They met [this Monday](https://example.com/this-monday) in Paris.\n")
    result = cli("fix", path, "-s", "es", "--write")
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == "They met [on Monday](https://example.com/this-monday) in Paris.\n"


# -- cost ----------------------------------------------------------------------------------
def test_plain_text_runs_do_not_import_markdown_it():
    result = run_subprocess("check", SEED, "--no-scores", "--no-grammar", env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert "mtreview.inputs" in result.err  # the import times are there
    assert "markdown_it" not in result.err and "mtreview.loaders.markdown" not in result.err


def test_a_folder_takes_markdown_and_html(cli, write, tmp_path):
    folder = tmp_path / "site"
    for name in ("a.md", "b.markdown", "c.html", "d.htm", "e.txt"):
        write(name, "They met with the in order to talk.\n", folder)
    write("f.rst", "They met with the in order to talk.\n", folder)
    result = cli("check", folder, *QUIET)
    names = sorted(Path(f["path"]).name for f in result.json()["files"])
    assert names == ["a.md", "b.markdown", "c.html", "d.htm", "e.txt"]


def test_front_matter_keys_come_from_the_configuration(cli, write, tmp_path):
    folder = tmp_path / "site"
    write(".mtreview.toml", 'front-matter-prose = ["summary"]\n', folder)
    path = write("a.md", "---\ntitle: They met this Monday\nsummary: They met this Monday\n---\n\nText.\n", folder)
    got = [(f["rule"], f["line"], f["column"]) for f in findings(cli, path, "-s", "es")]
    assert got == [("calque.this-weekday", 3, 19)]
    result = cli("fix", path, "-s", "es", "--write")
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8").splitlines()[1:3] == ["title: They met this Monday",
                                                                   "summary: They met on Monday"]


def test_readability_reads_the_prose_not_the_markup(cli, write):
    """Link targets, emphasis marks and front matter are not words to the formulas."""
    prose = "Officials met in Paris today and talked about the crisis for several long hours.\n"
    marked = ("---\nslug: officials-met-in-paris-to-discuss-the-international-situation\n---\n\n"
              "Officials met in [Paris](https://example.com/officials-met-in-paris-to-discuss-the-international-"
              "situation-and-everything-else) today and **talked** about the crisis for several long hours.\n")
    grades = []
    for name, text in (("a.txt", prose), ("b.md", marked)):
        data = cli("check", write(name, text), "--format", "json", "--no-grammar", "--fail-on", "never").json()
        r = data["files"][0]["scores"]["readability"]
        grades.append((r["flesch_kincaid_grade"], r["flesch_reading_ease"], r["words"],
                       [s["flesch_kincaid_grade"] for s in r["sentence_grades"]]))
    assert grades[0] == grades[1]
