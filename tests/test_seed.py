"""Acceptance on the seed article: a real Spanish→English MT news story."""

from __future__ import annotations

import re

import pytest

from helpers import SEED, line_col, run


@pytest.fixture(scope="module")
def report():
    result = run("check", "--format", "json", "--source-lang", "es", "--fail-on", "never", SEED)
    assert result.code == 0, result.output
    data = result.json()
    assert len(data["files"]) == 1
    return data


@pytest.fixture(scope="module")
def findings(report):
    return report["files"][0]["findings"]


def _occurrences(text: str, needle: str) -> list[int]:
    found = [m.start() for m in re.finditer(re.escape(needle), text)]
    assert found, f"{needle!r} is not in the seed article"
    return found


def _one(findings, rule, start, end=None):
    hits = [f for f in findings if f["rule"] == rule and f["start"] == start and (end is None or f["end"] == end)]
    assert len(hits) == 1, f"expected one {rule} finding at {start}..{end}; got {[(f['rule'], f['start'], f['end']) for f in findings]}"
    return hits[0]


def test_garble_det_in_order_to_at_exact_offsets(findings, seed_text):
    (start,) = _occurrences(seed_text, "with the in order to")
    end = start + len("with the in order to")
    f = _one(findings, "garble.det-in-order-to", start, end)
    assert f["severity"] == "error"
    assert f["text"] == "with the in order to"
    assert f["suggestions"] == ["in order to"] and f["fix"] == "safe"
    # one finding for the stretch, not another for "the in order to" inside it
    inside = [g for g in findings if g["rule"] == "garble.det-in-order-to" and start <= g["start"] < end]
    assert len(inside) == 1


@pytest.mark.parametrize(
    "fragment", [". from Ukraine.", ". for Ukraine.", ". including, but not limited to"]
)
def test_stray_period_fragments(findings, seed_text, fragment):
    (start,) = _occurrences(seed_text, fragment)
    f = _one(findings, "fragment.stray-period", start)
    assert f["severity"] == "error"
    assert f["end"] <= start + len(fragment)
    assert fragment.startswith(f["text"]) and len(f["text"]) > 2  # the period and the word after it


def test_stray_period_has_no_other_hits(findings, seed_text):
    starts = sorted(f["start"] for f in findings if f["rule"] == "fragment.stray-period")
    expected = sorted(
        seed_text.index(fr) for fr in (". from Ukraine.", ". for Ukraine.", ". including, but not limited to")
    )
    assert starts == expected


@pytest.mark.parametrize(
    "leftover", ["— President Biden (@POTUS) January 24, 2022", "— NATO (@NATO) January 24, 2022"]
)
def test_tweet_attributions(findings, seed_text, leftover):
    (start,) = _occurrences(seed_text, leftover)
    f = _one(findings, "embed.tweet-attribution", start, start + len(leftover))
    assert f["severity"] == "error"


def test_pic_twitter_link(findings, seed_text):
    (start,) = _occurrences(seed_text, "pic.twitter.com/2XvTTvdLJl")
    _one(findings, "embed.pic-link", start, start + len("pic.twitter.com/2XvTTvdLJl"))


def test_hashtag_born(findings, seed_text):
    (start,) = _occurrences(seed_text, "#BORN")
    f = _one(findings, "embed.hashtag", start, start + len("#BORN"))
    assert f["severity"] in ("warning", "error")


@pytest.mark.parametrize(
    "correct",
    [
        "In order to calm the tension",
        "The US puts its troops on “high” alert",
        "For the Kremlin, it is a Western “hysteria”",
        "French President Emmanuel Macron",
        "8,500",
        "officials from both sides, who will meet in Paris next Wednesday",
        "“We are not deploying them now, we are not saying that diplomacy is dead,” he insisted.",
    ],
)
def test_no_errors_or_warnings_on_correct_text(findings, seed_text, correct):
    for start in _occurrences(seed_text, correct):
        end = start + len(correct)
        bad = [
            (f["rule"], f["severity"], f["text"])
            for f in findings
            if f["severity"] in ("error", "warning") and f["start"] < end and start < f["end"]
        ]
        assert not bad, f"{correct!r} at {start} flagged: {bad}"


def test_subheadings_are_headings(seed_text):
    from mtreview.document import Document

    doc = Document(seed_text)
    headings = [seed_text[p.start : p.end] for p in doc.paragraphs if p.heading]
    assert "The US puts its troops on “high” alert" in headings
    assert "For the Kremlin, it is a Western “hysteria”" in headings
    assert not any(h.startswith(("In order to", "France and Germany")) for h in headings)


def test_every_finding_points_at_the_decoded_text(findings, seed_text):
    assert findings
    for f in findings:
        assert 0 <= f["start"] < f["end"] <= len(seed_text), f
        assert f["text"] == seed_text[f["start"] : f["end"]], f
        assert (f["line"], f["column"]) == line_col(seed_text, f["start"]), f
        assert f["line"] >= 1 and f["column"] >= 1


def test_findings_are_sorted(findings):
    keys = [(f["start"], f["end"], f["rule"]) for f in findings]
    assert keys == sorted(keys)


def test_text_output_positions_match_json(findings):
    result = run("check", "--source-lang", "es", "--fail-on", "never", SEED)
    assert result.code == 0
    shown = re.findall(rf"^{re.escape(str(SEED))}:(\d+):(\d+): (\w+) (\S+) ", result.out, re.M)
    assert shown == [(str(f["line"]), str(f["column"]), f["severity"], f["rule"]) for f in findings]


def test_seed_exits_1_by_default():
    # errors and warnings exist, so the default --fail-on warning fails
    assert run("check", SEED).code == 1
