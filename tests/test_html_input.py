"""HTML input: text nodes, <title> and alt/title values are prose, at exact offsets; tags,
attributes, comments, code, scripts, <head> and embedded posts are not; entities are never
cut by an edit."""

from __future__ import annotations

import re

import pytest

from helpers import at
from helpers import checked_findings as findings
from mtreview.loaders import load

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="description" content="They met this Monday with the in order to talk.">
  <title>Paris assured that the talks go on</title>
  <style>p::after { content: "this Monday"; }</style>
  <script>var s = "with the in order to";</script>
</head>
<body>
<h1 class="this-monday">NATO leaders meet in Brussels</h1>
<p>In a statement, Paris assured that <a href="https://x.com/this-monday-in-order-to" data-note="this Monday">the talks</a> would continue.</p>
<!-- They met this Monday with the in order to talk. -->
<p>Run <code>with the in order to</code> in a shell.</p>
<pre>They met with the in order to talk this Monday.</pre>
<template><p>They met this Monday.</p></template>
<noscript><p>They met this Monday.</p></noscript>
<p><img src="photo.jpg" alt="Officials met this Monday in Brussels"></p>
<blockquote class="twitter-tweet"><p lang="en" dir="ltr">This is a defining moment. Join us tomorrow for a conversation organized by #BORN and @MunSecConf <a href="https://t.co/x">pic.twitter.com/x</a></p>&mdash; NATO (@NATO) <a href="https://twitter.com/NATO/status/1485656172451057665">January 24, 2022</a></blockquote>
<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>
<p>The ministers met with the in order to coordinate the response.</p>
</body>
</html>
"""


def test_traps_are_not_flagged_and_prose_is(cli, write):
    path = write("page.html", PAGE)
    got = {(f["rule"], f["line"], f["column"], f["text"]) for f in findings(cli, path, "-s", "es")}
    assert got == {
        ("calque.assured-that", *at(PAGE, "assured that", 0), "assured that"),  # <title>
        ("calque.assured-that", *at(PAGE, "assured that", 1), "assured that"),
        ("calque.this-weekday", *at(PAGE, "this Monday in Brussels"), "this Monday"),  # the alt text
        ("garble.det-in-order-to", *at(PAGE, "with the in order to", -1), "with the in order to"),
    }


def test_alt_and_title_values_have_exact_offsets():
    source = '<p>p1 <img alt="p2 &amp; p3" src="n1"> <abbr title=\'p4\'>p5</abbr> <a title=p6 href=n2>p7</a></p>'
    doc = load(source, "x.html")
    assert [source[r.start : r.end] for r in doc.regions] == ["p1 ", "p2 ", " p3", "p4", "p5", "p6", "p7"]
    # a value is a paragraph of its own
    assert [source[p.start : p.end] for p in doc.paragraphs] == ["p1", "p2 &amp; p3", "p4", "p5", "p6", "p7"]
    scan = doc.scan_text
    for m in re.finditer(r"p\d+", source):
        assert scan[m.start() : m.end()] == m.group()
    assert not re.search(r"n\d+|amp|<|>|=|&", scan)


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_regions_are_exact(newline):
    source = ("<html><head><title>p1 p2</title><meta content=\"n1\"><link href=n2></head>\n<body>\n"
              "<h2>p3 <em>p4</em></h2>\n<p>p5&nbsp;p6 &#169; p7 &copy p8</p>\n<ul>\n  <li>p9</li>\n  <li>p10 <b>p11</b></li>\n</ul>\n"
              "<table><tr><td>p12</td><td>p13</td></tr></table>\n<div>p14<br>p15<br/>p16</div>\n"
              "<script type=\"text/javascript\">\nn3 < n4\n</script>\n<style>\nn5\n</style>\n"
              "<pre><code>n6\nn7</code></pre>\n<textarea>n8</textarea>\n<svg><text>n9</text></svg>\n"
              "<!-- n10 -->\n<![CDATA[n11]]>\n<?n12?>\n"
              "<blockquote class=\"twitter-tweet\"><p>n13 <blockquote>n14</blockquote> n15</p>&mdash; n16</blockquote>\n"
              "<blockquote><p>p17</p></blockquote>\n</body></html>\n").replace("\n", newline)
    doc = load(source, "x.html")
    scan = doc.scan_text
    assert len(scan) == len(source)
    for m in re.finditer(r"p\d+", source):
        assert scan[m.start() : m.end()] == m.group(), (m.group(), scan)
    assert not re.search(r"n\d+", scan), scan
    assert not set(scan) & set("<>&;=\"'/"), scan


def test_blocks_separate_paragraphs(cli, write):
    source = ("<ul><li>They met with the</li><li>in order to talk.</li></ul>\n"
              "<table><tr><td>the</td><td>the</td></tr></table>\n"
              "<p>He met with the<br>in order to talk.</p>\n<h2>The talks</h2><p>go on.</p>\n")
    doc = load(source, "x.html")
    assert [source[p.start : p.end] for p in doc.paragraphs] == [
        "They met with the", "in order to talk.", "the", "the", "He met with the", "in order to talk.",
        "The talks", "go on."]
    assert findings(cli, write("blocks.html", source)) == []


def test_inline_elements_keep_the_sentence(cli, write):
    source = "<p>They met <em>with the</em> <code>x</code> in order to talk.</p>\n"
    doc = load(source, "x.html")
    assert len(doc.paragraphs) == 1
    got = [f["rule"] for f in findings(cli, write("inline.html", source))]
    assert got == ["garble.det-in-order-to"]


def test_an_edit_never_cuts_an_entity(cli, write):
    path = write("entity.html", "<p>They met with the&nbsp;in order to talk, and Paris&#8217;s envoy this Monday.</p>\n")
    got = {f["rule"]: f for f in findings(cli, path, "-s", "es")}
    garble = got["garble.det-in-order-to"]
    assert garble["text"] == "with the&nbsp;in order to"
    assert garble["suggestions"] == [] and garble["fix"] == "none"
    assert got["calque.this-weekday"]["fix"] == "safe"
    result = cli("fix", path, "-s", "es", "--write")
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == (
        "<p>They met with the&nbsp;in order to talk, and Paris&#8217;s envoy on Monday.</p>\n")


def test_raw_leftovers_in_html_prose_are_flagged(cli, write):
    path = write("left.html", "<p>Reinforce the eastern flank. pic.twitter.com/2XvTTvdLJl &mdash; President Biden "
                              "(@POTUS) January 24, 2022</p>\n<p>Reinforce it. pic.twitter.com/3XvT "
                              "— NATO (@NATO) January 24, 2022</p>\n")
    got = [(f["rule"], f["text"]) for f in findings(cli, path)]
    assert ("embed.pic-link", "pic.twitter.com/2XvTTvdLJl") in got
    assert ("embed.tweet-attribution", "— NATO (@NATO) January 24, 2022") in got


def test_fix_write_leaves_the_markup_alone(cli, tmp_path):
    path = tmp_path / "page.htm"
    path.write_text(PAGE, encoding="utf-8")
    result = cli("fix", path, "-s", "es", "--unsafe", "--write")
    assert result.code == 0, result.output
    fixed = path.read_text(encoding="utf-8")
    assert "They met with the in order to talk this Monday.</pre>" in fixed  # code is not prose
    assert "<p>The ministers met in order to coordinate the response.</p>" in fixed
    assert 'alt="Officials met on Monday in Brussels"' in fixed
    assert re.sub(r">[^<]*<", "><", fixed.split("<body>")[1]).count("<") == \
        re.sub(r">[^<]*<", "><", PAGE.split("<body>")[1]).count("<")
    original_tags = re.findall(r"<[^>]*>", PAGE.replace('alt="Officials met this Monday in Brussels"', "ALT"))
    fixed_tags = re.findall(r"<[^>]*>", fixed.replace('alt="Officials met on Monday in Brussels"', "ALT"))
    assert fixed_tags == original_tags


def test_head_is_not_prose_but_its_title_is():
    source = "<head><title>p1</title><meta name=n1 content=\"n2\"></head><body><p>p2</p></body>"
    doc = load(source, "x.html")
    assert [source[r.start : r.end] for r in doc.regions] == ["p1", "p2"]
