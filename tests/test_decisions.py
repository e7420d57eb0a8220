"""`mtreview fix --decisions`: the decisions file the review page exports, read, checked and
applied as the editor chose (mtreview/decisions.py)."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from helpers import SEED
from mtreview.decisions import finding_id, load_decisions, text_hash
from mtreview.errors import MtreviewError
from mtreview.model import Edit


@pytest.fixture
def article(tmp_path):
    """The seed article copied to tmp_path."""
    path = tmp_path / SEED.name
    shutil.copyfile(SEED, path)
    return path


@pytest.fixture
def findings(cli, article):
    """The seed's findings, as `mtreview check --format json` gives them."""
    result = cli("check", article, "--format", "json")
    assert result.code == 1, result.output
    return result.json()["files"][0]["findings"]


def _decisions(path, text, decisions, edits=None, schema="mtreview-decisions/2", name=None):
    data = {"schema": schema, "path": name or str(path), "hash": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "decisions": decisions}
    if edits is not None:
        data["edits"] = edits
    out = path.with_name(path.name + ".decisions.json")
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def _pick(findings, rule, text=None):
    return next(f for f in findings if f["rule"] == rule and (text is None or f["text"] == text))


def _one_error_line(result):
    assert result.code == 2, result.output
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mtreview: error: "), result.err
    assert "Traceback" not in result.err
    return lines[0]


def test_text_hash_is_sha256_of_utf8():
    assert text_hash("Kyiv ✓ 😀") == hashlib.sha256("Kyiv ✓ 😀".encode()).hexdigest()
    assert text_hash("\ud800") == hashlib.sha256(b"\xed\xa0\x80").hexdigest()  # a lone surrogate passes through


def test_round_trip_on_the_seed(cli, article, findings):
    text = article.read_text(encoding="utf-8")
    garble = _pick(findings, "garble.det-in-order-to")
    name = _pick(findings, "name.es.transliterated")
    kiev = _pick(findings, "house.kyiv")
    assured = _pick(findings, "calque.assured-that")  # accepted with the editor's own wording
    rejected = _pick(findings, "calque.in-the-face-of")
    user_start = text.index("Meanwhile,")
    decisions = {
        finding_id_of(garble): {"status": "accepted", "replacement": garble["suggestions"][0]},
        finding_id_of(name): {"status": "accepted", "replacement": name["suggestions"][0]},
        finding_id_of(kiev): {"status": "accepted", "replacement": "Kyiv"},
        finding_id_of(assured): {"status": "accepted", "replacement": "stated that"},
        finding_id_of(rejected): {"status": "rejected", "replacement": None},
    }
    edits = [{"id": "edit-1", "start": user_start, "end": user_start + len("Meanwhile,"), "replacement": "At the same time,"}]
    path = _decisions(article, text, decisions, edits)

    # the expected text, built without mtreview's edit code: each decided place is the first
    # of its text, replaced once
    expected = text
    for f, old, new in [(garble, "with the in order to", "in order to"), (name, "Volodímir Zelenski", "Volodymyr Zelenskyy"),
                        (kiev, "Kiev", "Kyiv"), (assured, "assured that", "stated that"),
                        ({"start": user_start}, "Meanwhile,", "At the same time,")]:
        assert text.index(old) == f["start"]
        expected = expected.replace(old, new, 1)
    assert "in the face of" in expected  # the rejected one stays

    result = cli("fix", "--decisions", path)
    assert result.code == 0, result.output
    name = str(article).lstrip("/")  # an absolute path outside the current folder: a/tmp/…, as git writes it
    assert result.out.startswith(f"--- a/{name}\n+++ b/{name}\n")
    assert "-Meanwhile" not in result.out  # a diff of lines, not of words
    assert "At the same time," in result.out
    assert f"{article}: 5 edit(s)" in result.err and "written" not in result.err
    assert article.read_text(encoding="utf-8") == text  # not written without --write

    written = cli("fix", "--decisions", path, "--write")
    assert written.code == 0, written.output
    assert article.read_text(encoding="utf-8") == expected


def finding_id_of(f: dict) -> str:
    return f"{f['rule']}@{f['start']}-{f['end']}"


def test_finding_id_is_the_pages():
    class F:
        rule, start, end = "calque.this-weekday", 646, 660

    assert finding_id(F) == "calque.this-weekday@646-660"


def test_schema_1_without_edits_is_read(cli, article, findings):
    text = article.read_text(encoding="utf-8")
    kiev = _pick(findings, "house.kyiv")
    path = _decisions(article, text, {finding_id_of(kiev): {"status": "accepted", "replacement": "Kyiv"}},
                      schema="mtreview-decisions/1")
    result = cli("fix", "--decisions", path, "--write")
    assert result.code == 0, result.output
    assert article.read_text(encoding="utf-8") == text.replace("Kiev", "Kyiv", 1)


def test_path_defaults_to_the_decisions_files_folder(cli, article, findings, tmp_path):
    text = article.read_text(encoding="utf-8")
    kiev = _pick(findings, "house.kyiv")
    path = _decisions(article, text, {finding_id_of(kiev): {"status": "accepted", "replacement": "Kyiv"}},
                      name=article.name)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = cli("fix", "--decisions", path, "--write", cwd=elsewhere)
    assert result.code == 0, result.output
    assert article.read_text(encoding="utf-8") == text.replace("Kiev", "Kyiv", 1)
    # an article that is nowhere: the error says where it looked and what to do
    gone = _decisions(article, text, {}, name="missing.txt")
    line = _one_error_line(cli("fix", "--decisions", gone, cwd=elsewhere))
    assert "missing.txt" in line and "name it" in line


def test_changed_article_is_refused_and_left_alone(cli, article, findings):
    text = article.read_text(encoding="utf-8")
    kiev = _pick(findings, "house.kyiv")
    path = _decisions(article, text, {finding_id_of(kiev): {"status": "accepted", "replacement": "Kyiv"}})
    changed = text.replace("Macron", "Macron,", 1)
    article.write_text(changed, encoding="utf-8")
    line = _one_error_line(cli("fix", "--decisions", path, "--write"))
    assert line == f"mtreview: error: {article} has changed since these decisions were made (hash differs): review it again"
    assert article.read_text(encoding="utf-8") == changed


@pytest.mark.parametrize("content, expected", [
    ("{not json", "not JSON"),
    ('["a list"]', "not an mtreview decisions file"),
    ({"schema": "mtreview-decisions/9"}, "schema 'mtreview-decisions/9'"),
    ({"decisions": {"house.kyiv@0-999999": {"status": "accepted", "replacement": "x"}}}, "decision 'house.kyiv@0-999999': span 0-999999 is outside the text"),
    ({"decisions": {"house.kyiv@0-4": {"status": "maybe", "replacement": "x"}}}, "decision 'house.kyiv@0-4': status 'maybe' is not one of accepted, rejected"),
    ({"decisions": {"house.kyiv@0-4": {"status": "accepted", "replacement": 5}}}, "its replacement is not a string"),
    ({"decisions": {"house.kyiv": {"status": "accepted", "replacement": "x"}}}, "not a finding id (rule@start-end)"),
    ({"decisions": {"house.kyiv@9-4": {"status": "accepted", "replacement": "x"}}}, "not a finding id"),
    ({"edits": {"start": 1}}, '"edits" is not a list'),
    ({"edits": [{"id": "edit-1", "start": 5, "end": 2, "replacement": "x"}]}, "edit 'edit-1': start 5 and end 2"),
    ({"edits": [{"start": True, "end": 2, "replacement": "x"}]}, "edits[0]: start True"),
    ({"edits": [{"id": "edit-2", "start": 0, "end": 10 ** 7, "replacement": "x"}]}, "edit 'edit-2': span 0-10000000 is outside"),
    ({"schema": "mtreview-decisions/1", "edits": []}, '"edits" is not part of mtreview-decisions/1'),
    ({"hash": "abc"}, '"hash" is missing or not a SHA-256'),
    ({"path": 3}, '"path" is missing'),
    ({"decisions": []}, '"decisions" is missing or not an object'),
], ids=["not-json", "not-object", "schema", "span-outside", "status", "replacement-type", "bad-id", "reversed-id",
        "edits-not-list", "edit-reversed", "edit-bool", "edit-outside", "edits-in-v1", "hash", "path", "decisions-type"])
def test_malformed_decisions_are_one_line_errors(cli, article, content, expected):
    text = article.read_text(encoding="utf-8")
    path = article.with_name("d.json")
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        data = {"schema": "mtreview-decisions/2", "path": str(article), "hash": text_hash(text), "decisions": {}}
        data.update(content)
        path.write_text(json.dumps(data), encoding="utf-8")
    line = _one_error_line(cli("fix", "--decisions", path, article, "--write"))
    assert line.startswith(f"mtreview: error: {path}: ") and expected in line, line
    assert article.read_text(encoding="utf-8") == text


def test_load_decisions_gives_the_edits(tmp_path):
    text = "Talks in Kiev, with the in order to settle it."
    path = tmp_path / "d.json"
    path.write_text(json.dumps({
        "schema": "mtreview-decisions/2", "path": "a.txt", "hash": text_hash(text),
        "decisions": {"house.kyiv@9-13": {"status": "accepted", "replacement": "Kyiv"},
                      "garble.det-in-order-to@15-35": {"status": "rejected", "replacement": "in order to"},
                      "x.y@0-5": {"status": "accepted", "replacement": None}},
        "edits": [{"id": "edit-1", "start": 0, "end": 5, "replacement": "Meetings"},
                  {"id": "edit-2", "start": 9, "end": 13, "replacement": "Kyiv"}],  # the same as an accepted one
    }), encoding="utf-8")
    decisions = load_decisions(path)
    decisions.check(text, tmp_path / "a.txt")
    assert decisions.edits() == [Edit(9, 13, "Kyiv"), Edit(0, 5, "Meetings")]
    assert decisions.decided == {"house.kyiv@9-13", "garble.det-in-order-to@15-35", "x.y@0-5"}
    with pytest.raises(MtreviewError, match="has changed"):
        decisions.check(text + " ", tmp_path / "a.txt")


def test_several_paths_or_unsafe_with_decisions_are_errors(cli, article, tmp_path):
    text = article.read_text(encoding="utf-8")
    path = _decisions(article, text, {})
    assert "one article at a time" in _one_error_line(cli("fix", "--decisions", path, article, article))
    assert "--unsafe" in _one_error_line(cli("fix", "--decisions", path, "--unsafe"))


def test_write_is_atomic_and_keeps_the_bom(cli, tmp_path):
    text = "Talks in Kiev resume.\r\n\r\nThey met with the in order to settle it.\r\n"
    article = tmp_path / "a.txt"
    article.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    start = text.index("Kiev")
    path = _decisions(article, text, {f"house.kyiv@{start}-{start + 4}": {"status": "accepted", "replacement": "Kyiv"}},
                      [{"id": "edit-1", "start": 0, "end": 5, "replacement": "Meetings"}])
    result = cli("fix", "--decisions", path, "--write")
    assert result.code == 0, result.output
    assert article.read_bytes() == b"\xef\xbb\xbf" + text.replace("Kiev", "Kyiv").replace("Talks", "Meetings").encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "a.txt.decisions.json"]  # no temporary file left


def test_an_accepted_edit_and_an_own_edit_that_overlap_give_a_note(cli, tmp_path):
    text = "They met with the in order to settle it.\n"
    article = tmp_path / "a.txt"
    article.write_text(text, encoding="utf-8")
    start = text.index("with the in order to")
    path = _decisions(article, text,
                      {f"garble.det-in-order-to@{start}-{start + 20}": {"status": "accepted", "replacement": "in order to"}},
                      [{"id": "edit-1", "start": start + 5, "end": start + 8, "replacement": "a"}])
    result = cli("fix", "--decisions", path, "--write")
    assert result.code == 0, result.output
    assert article.read_text(encoding="utf-8") == "They met in order to settle it.\n"  # the earlier, longer one wins
    assert f"{article}: 1 chosen edit(s) not applied: each overlaps one applied there" in result.err


def test_nothing_accepted_is_nothing_to_fix(cli, article):
    text = article.read_text(encoding="utf-8")
    path = _decisions(article, text, {})
    result = cli("fix", "--decisions", path, "--write")
    assert result.code == 0 and result.out == "" and "Nothing to fix." in result.err
    assert article.read_text(encoding="utf-8") == text
