"""`mtreview batch` (mtreview/batch/): an archive as JSON Lines, Parquet and a folder, built from
the shared eval set (../shared/eval; skipped when it is absent); each article's findings and
scores equal `mtreview check` on that article alone; malformed rows go to rejects.jsonl with
their row number while the run goes on; both output formats hold the same rows; a run again
over the same input reviews nothing, an edited article costs its own review, a rule change
redoes the work; no temporary file is ever left."""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from helpers import REPO, eval_dir, run
from mtreview.batch import schema
from mtreview.batch.outputs import read_rows
from mtreview.batch.progress import BatchProgress

COMPARED = ("rule", "start", "end", "severity", "message", "suggestions", "fingerprint")
QUIET = ("--no-grammar", "-q")


def _paragraphs(lines: list[str]) -> str:
    return "\n\n".join(" ".join(lines[k : k + 4]) for k in range(0, len(lines), 4)) + "\n"


@pytest.fixture(scope="module")
def eval_articles() -> list[dict]:
    """About 40 articles of 10–24 lines of the es, fr and de references and MT outputs, with a
    desk, an engine and a date each (the lines of a file split into consecutive articles)."""
    folder = eval_dir()
    rng = random.Random(17)
    articles = []
    for pair in ("es-en", "fr-en", "de-en"):
        for path in sorted((folder / pair).glob("newssyscomb2009.*.txt")):
            if ".src." in path.name:
                continue
            lines = [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
            engine = "reference" if ".ref." in path.name else path.name.split(".")[1]
            at = 0
            for n in range(6):
                size = rng.randint(10, 24)
                articles.append({"id": f"{pair[:2]}-{engine}-{n}", "text": _paragraphs(lines[at : at + size]),
                                 "desk": pair[:2], "engine": engine, "date": f"2009-{n % 3 + 1:02d}-{n + 10}"})
                at += size
    return articles


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _parquet(path: Path, rows: list[dict]) -> Path:
    import datetime

    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({
        "doc_id": [r["id"] for r in rows], "body": [r["text"] for r in rows], "desk": [r["desk"] for r in rows],
        "engine": [r["engine"] for r in rows],
        "date": pa.array([datetime.date.fromisoformat(r["date"]) for r in rows], pa.date32()),
    })
    pq.write_table(table, path, row_group_size=7)
    return path


def table(out: Path, name: str) -> list[dict]:
    """The rows of table ``name`` (findings, articles) of a run, in the manifest's order."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return [row for shard in manifest["shards"] for row in read_rows(out / shard[name])]


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def rejects(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()]


def batch(tmp: Path, *args, code: int = 0):
    result = run("batch", *args, *QUIET, cwd=tmp)
    assert result.code == code, result.output
    assert "Traceback" not in result.output
    return result


def assert_tidy(out: Path) -> None:
    """Only the run's files: the manifest's shards, no temporary file anywhere."""
    m = manifest(out)
    listed = {s[t] for s in m["shards"] for t in ("findings", "articles")}
    on_disk = {p.relative_to(out).as_posix() for t in ("findings", "articles") for p in (out / t).iterdir()}
    assert on_disk == listed
    leftovers = [p for p in out.rglob("*") if ".tmp" in p.name or ".batch-" in p.name]
    assert not leftovers, leftovers


@pytest.fixture(scope="module")
def checked(eval_articles, tmp_path_factory) -> dict[str, dict]:
    """`mtreview check --format json --no-grammar` of each article, alone, as <id>.txt."""
    folder = tmp_path_factory.mktemp("check")
    out = {}
    for article in eval_articles:
        path = folder / f"{article['id']}.txt"
        path.write_text(article["text"], encoding="utf-8")
        result = run("check", path.name, "--format", "json", "--no-grammar", cwd=folder)
        assert result.code in (0, 1), result.output
        (out[article["id"]],) = result.json()["files"]
    return out


def assert_as_check(findings: list[dict], articles: list[dict], checked: dict[str, dict]) -> None:
    """Each article's findings are check's (compared field by field, in order) and its row
    agrees with check's words, counts and MQM score."""
    assert sorted(a["article_id"] for a in articles) == sorted(checked)
    by_article: dict[str, list[dict]] = {}
    for f in findings:
        by_article.setdefault(f["article_id"], []).append(f)
    for row in articles:
        theirs = checked[row["article_id"]]
        ours = by_article.get(row["article_id"], [])
        assert [[f[k] for k in COMPARED] for f in ours] == [[f[k] for k in COMPARED] for f in theirs["findings"]], \
            row["article_id"]
        for f, g in zip(ours, theirs["findings"]):
            assert (f["line"], f["column"], f["end_line"], f["end_column"], f["text"], f["category"], f["fix"], f["source"]) == \
                (g["line"], g["column"], g["end_line"], g["end_column"], g["text"], g["category"], g["fix"], g["source"])
            assert f["suggestion"] == (g["suggestions"][0] if g["suggestions"] else None)
        mqm = theirs["scores"]["mqm"]
        assert row["words"] == theirs["words"] == mqm["words"]
        assert (row["mqm_score"], row["mqm_penalty"], row["mqm_per_1000_words"]) == \
            (mqm["score"], mqm["penalty"], mqm["per_1000_words"])
        assert row["readability_grade"] == theirs["scores"]["readability"]["consensus_grade"]
        assert row["findings"] == len(theirs["findings"])
        assert row["blocking"] == theirs["blocking"]
        assert row["source_lang"] == theirs["source_lang"]
        assert row["passed"] == (not theirs["blocking"] and mqm["passed"])
        severities = [f["severity"] for f in theirs["findings"]]
        assert (row["errors"], row["warnings"], row["info"]) == tuple(severities.count(s) for s in ("error", "warning", "info"))


# -- the same findings as check ----------------------------------------------------------------------
def test_jsonl_archive_gives_each_article_the_findings_and_scores_of_check(tmp_path, eval_articles, checked):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles)
    batch(tmp_path, source.name, "-o", "out", "--meta", "desk,engine,date", "--workers", "1", "--shard-size", "16")
    out = tmp_path / "out"
    findings, articles = table(out, "findings"), table(out, "articles")
    assert findings and any(f["severity"] != "info" for f in findings)
    assert_as_check(findings, articles, checked)
    by_id = {a["id"]: a for a in eval_articles}
    for n, row in enumerate(articles, 1):
        assert (row["input"], row["row"]) == (str(source), n)  # the input by its absolute path
        article = by_id[row["article_id"]]
        assert (row["meta_desk"], row["meta_engine"], row["meta_date"]) == (article["desk"], article["engine"], article["date"])
    assert all(f["meta_desk"] == by_id[f["article_id"]]["desk"] for f in findings)
    m = manifest(out)
    assert m["schema"] == schema.SCHEMA and m["format"] == "parquet"
    assert m["totals"] == {"articles": len(eval_articles), "findings": len(findings), "words": sum(a["words"] for a in articles),
                           "rejects": 0, "reviewed": len(eval_articles), "reused": 0, "shards": -(-len(eval_articles) // 16)}
    assert rejects(out) == []
    assert_tidy(out)


def test_parquet_archive_gives_the_same_findings_as_check(tmp_path, eval_articles, checked):
    source = _parquet(tmp_path / "archive.parquet", eval_articles)
    batch(tmp_path, source.name, "-o", "out", "--id", "doc_id", "--text", "body", "--meta", "desk,engine,date",
          "--workers", "1", "--shard-size", "10")
    out = tmp_path / "out"
    articles = table(out, "articles")
    assert_as_check(table(out, "findings"), articles, checked)
    assert [a["row"] for a in articles] == list(range(1, len(eval_articles) + 1))
    assert articles[0]["meta_date"] == eval_articles[0]["date"]  # a date column, as text


def test_two_worker_processes_write_what_one_does(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles)
    batch(tmp_path, source.name, "-o", "one", "--workers", "1", "--shard-size", "9")
    batch(tmp_path, source.name, "-o", "two", "--workers", "2", "--shard-size", "9")
    for name in ("findings", "articles"):
        assert table(tmp_path / "one", name) == table(tmp_path / "two", name)
    assert manifest(tmp_path / "one")["shards"] == manifest(tmp_path / "two")["shards"]
    assert_tidy(tmp_path / "two")


def test_a_folder_of_articles_markdown_and_a_paired_source(tmp_path, eval_articles):
    folder = eval_dir() / "es-en"
    src = folder.joinpath("newssyscomb2009.src.txt").read_text(encoding="utf-8").split("\n")
    mt = folder.joinpath("newssyscomb2009.opus-2021-02-19.mt.txt").read_text(encoding="utf-8").split("\n")
    en, es = tmp_path / "archive" / "en", tmp_path / "archive" / "es"
    es.mkdir(parents=True)
    (en / "world").mkdir(parents=True)
    (en / "world" / "paired.txt").write_text(_paragraphs(mt[40:56]), encoding="utf-8")
    (es / "paired.txt").write_text(_paragraphs(src[40:56]), encoding="utf-8")
    text = eval_articles[3]["text"].split("\n\n")
    (en / "feature.md").write_text("# " + text[0][:60] + "\n\n" + "\n\n".join(f"- {p}" if i == 1 else p
                                                                            for i, p in enumerate(text[1:])), encoding="utf-8")
    for article in eval_articles[:4]:
        (en / f"{article['id']}.txt").write_text(article["text"], encoding="utf-8")
    pattern = "../../es/{name}"
    batch(tmp_path, "archive/en", "-o", "out", "--source", pattern, "--workers", "1")
    out = tmp_path / "out"
    articles = {a["article_id"]: a for a in table(out, "articles")}
    assert set(articles) == {"world/paired.txt", "feature.md"} | {f"{a['id']}.txt" for a in eval_articles[:4]}
    assert articles["world/paired.txt"]["has_source"] and articles["world/paired.txt"]["source_lang"] == "es"
    assert not articles["feature.md"]["has_source"] and articles["feature.md"]["row"] == 0
    findings = table(out, "findings")
    for article_id, row in articles.items():
        result = run("check", f"archive/en/{article_id}", "--format", "json", "--no-grammar", "--source", pattern,
                     cwd=tmp_path)
        assert result.code in (0, 1), result.output
        (theirs,) = result.json()["files"]
        assert_as_check([f for f in findings if f["article_id"] == article_id], [row], {article_id: theirs})
    aligned = [f for f in findings if f["article_id"] == "world/paired.txt" and f["source_text"] is not None]
    source_text = (es / "paired.txt").read_text(encoding="utf-8")
    assert aligned and all(source_text[f["source_start"] : f["source_end"]] == f["source_text"] for f in aligned)


# -- malformed rows ----------------------------------------------------------------------------------------
def _malformed(tmp_path: Path) -> Path:
    good = "The minister said on Monday that the talks would resume in Geneva next week.\n"
    lines = [
        b"\xef\xbb\xbf" + json.dumps({"id": "a1", "text": good}).encode(),  # 1: after a byte-order mark
        json.dumps({"text": good}).encode(),  # 2: no id
        json.dumps({"id": "a3", "text": 42}).encode(),  # 3: text not a string
        b'{"id": "a4", "text": "caf\xe9 con leche"}',  # 4: invalid UTF-8 (Latin-1)
        b'{"id": "a5", "text": "unterminated',  # 5: invalid JSON
        b"",  # 6: blank: skipped, still counted
        json.dumps({"id": "a1", "text": good}).encode(),  # 7: duplicate id
        json.dumps(["a8", good]).encode(),  # 8: not an object
        json.dumps({"id": 9, "text": good}).encode(),  # 9: a whole-number id is fine
        json.dumps({"id": "a10", "text": None}).encode(),  # 10: text null
        json.dumps({"id": "a11", "text": "Two\u0000parts"}).encode(),  # 11: a NUL character
    ]
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_malformed_rows_are_rejected_with_their_row_and_the_run_goes_on(tmp_path):
    _malformed(tmp_path)
    result = batch(tmp_path, "rows.jsonl", "-o", "out", "--workers", "1")
    out = tmp_path / "out"
    assert "8 rows rejected" in result.err
    found = rejects(out)
    assert {r["input"] for r in found} == {str(tmp_path / "rows.jsonl")}
    assert [(r["row"], r["id"]) for r in found] == [(2, None), (3, "a3"), (4, None), (5, None), (7, "a1"), (8, None),
                                                    (10, "a10"), (11, "a11")]
    reasons = [r["reason"] for r in found]
    assert "missing" in reasons[0] and "not a string" in reasons[1] and "invalid UTF-8 at byte 26" in reasons[2]
    assert "not valid JSON" in reasons[3] and "duplicate id 'a1'" in reasons[4] and "not a JSON object" in reasons[5]
    assert "NUL" in reasons[7]
    assert [(a["article_id"], a["row"]) for a in table(out, "articles")] == [("a1", 1), ("9", 9)]
    assert manifest(out)["totals"]["rejects"] == 8
    batch(tmp_path, "rows.jsonl", "-o", "out", "--workers", "1", "--fail-on-rejects", code=1)
    assert rejects(out) == found  # the same rejects again (the rows are read again), nothing else changed
    assert_tidy(out)


def test_parquet_rows_without_id_or_text_are_rejected(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["x", None, "z", "x"], "text": ["One text here.\n", "Two.\n", None, "Again.\n"]}),
                   tmp_path / "rows.parquet")
    batch(tmp_path, "rows.parquet", "-o", "out", "--workers", "1", "--fail-on-rejects", code=1)
    assert [(r["row"], r["id"]) for r in rejects(tmp_path / "out")] == [(2, None), (3, "z"), (4, "x")]
    assert [a["article_id"] for a in table(tmp_path / "out", "articles")] == ["x"]


def test_files_of_a_folder_that_cannot_be_read_are_rejected(tmp_path, write):
    write("in/good.txt", "The minister said on Monday that the talks would resume.\n")
    write("in/utf16.txt", b"\xff\xfeT\x00h\x00e\x00")
    write("in/broken.xlf", '<?xml version="1.0"?>\n<xliff version="1.2"><file><body><trans-unit id="1">')
    for _ in range(2):  # the second run skips the shard: its reject (the worker's) is said again
        batch(tmp_path, "in", "-o", "out", "--workers", "1")
        found = {r["id"]: r for r in rejects(tmp_path / "out")}
        assert set(found) == {"utf16.txt", "broken.xlf"}
        assert {r["row"] for r in found.values()} == {0} and {r["input"] for r in found.values()} == {str(tmp_path / "in")}
        assert "UTF-16" in found["utf16.txt"]["reason"] and "not well-formed XML" in found["broken.xlf"]["reason"]
        assert [a["article_id"] for a in table(tmp_path / "out", "articles")] == ["good.txt"]
    assert manifest(tmp_path / "out")["totals"]["rejects"] == 2


@pytest.mark.parametrize(("args", "said"), [
    (("nothere.jsonl",), "nothere.jsonl: no such file"),
    (("rows.csv",), "not a folder nor a .jsonl, .ndjson, .parquet file"),
    (("rows.parquet", "--text", "body"), "no column 'body' (its columns: id, text); name the column with --text"),
    (("rows.parquet", "--format", "csv"), "--format 'csv': unknown format"),
    (("rows.parquet", "--shard-size", "0"), "--shard-size 0: use 1 or more"),
    (("rows.parquet", "--executor", "rey"), "(did you mean ray?)"),
    (("rows.parquet", "--select", "no-such-rule"), "unknown rule or pack 'no-such-rule'"),
])
def test_bad_usage_is_one_line_and_writes_nothing(tmp_path, args, said):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["x"], "text": ["A text.\n"]}), tmp_path / "rows.parquet")
    (tmp_path / "rows.csv").write_text("id,text\n", encoding="utf-8")
    result = run("batch", *args, "-o", "out", "-q", cwd=tmp_path)
    assert result.code == 2, result.output
    assert said in result.err and len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


# -- formats -------------------------------------------------------------------------------------------------
def test_jsonl_output_holds_the_rows_parquet_does(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles[:15])
    batch(tmp_path, source.name, "-o", "pq", "--meta", "desk", "--workers", "1", "--shard-size", "4")
    batch(tmp_path, source.name, "-o", "js", "--meta", "desk", "--workers", "1", "--shard-size", "4", "--format", "jsonl")
    for name in ("findings", "articles"):
        rows = table(tmp_path / "js", name)
        assert rows == table(tmp_path / "pq", name)
        assert list(rows[0]) == schema.columns(schema.FINDINGS if name == "findings" else schema.ARTICLES, ("desk",))
    assert manifest(tmp_path / "js")["format"] == "jsonl"
    first = (tmp_path / "js" / manifest(tmp_path / "js")["shards"][0]["articles"]).read_text(encoding="utf-8")
    assert isinstance(json.loads(first.splitlines()[0])["by_rule"], dict)


def test_parquet_outputs_carry_the_schema(tmp_path, eval_articles):
    import pyarrow.parquet as pq

    source = _jsonl(tmp_path / "archive.jsonl", eval_articles[:3])
    batch(tmp_path, source.name, "-o", "out", "--meta", "desk,engine", "--workers", "1")
    for name, columns in (("findings", schema.FINDINGS), ("articles", schema.ARTICLES)):
        found = pq.read_schema(tmp_path / "out" / manifest(tmp_path / "out")["shards"][0][name])
        assert found.equals(schema.arrow_schema(columns, ("desk", "engine")))
        assert found.metadata[b"schema"] == schema.SCHEMA.encode()


# -- incremental ---------------------------------------------------------------------------------------------
def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for t in ("findings", "articles") for p in (out / t).iterdir()}


def test_a_run_again_over_the_same_input_reviews_nothing_and_changes_nothing(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles)
    args = (source.name, "-o", "out", "--meta", "engine", "--workers", "1", "--shard-size", "8")
    batch(tmp_path, *args)
    out = tmp_path / "out"
    before, first = _files(out), manifest(out)
    batch(tmp_path, *args)
    again = manifest(out)
    assert again["totals"]["reviewed"] == 0 and again["totals"]["reused"] == len(eval_articles)
    assert _files(out) == before
    assert again["shards"] == first["shards"]
    assert {k: v for k, v in again["totals"].items() if k not in ("reviewed", "reused")} == \
        {k: v for k, v in first["totals"].items() if k not in ("reviewed", "reused")}
    elsewhere = (f"{tmp_path.name}/{source.name}", "-o", f"{tmp_path.name}/out", *args[3:])
    batch(tmp_path.parent, *elsewhere)  # the same input named from another folder: the same work
    assert manifest(out)["totals"]["reviewed"] == 0 and _files(out) == before
    assert_tidy(out)


def test_an_edited_article_costs_its_own_review_and_its_shard(tmp_path, eval_articles):
    rows = [dict(a) for a in eval_articles]
    source = _jsonl(tmp_path / "archive.jsonl", rows)
    args = (source.name, "-o", "out", "--workers", "1", "--shard-size", "8")
    batch(tmp_path, *args)
    out = tmp_path / "out"
    before = _files(out)
    rows[11]["text"] = rows[11]["text"].replace(" the ", " the the ", 1)  # a repeated word: a new finding
    _jsonl(source, rows)
    batch(tmp_path, *args)
    after = _files(out)
    changed = sorted(set(after) ^ set(before))
    assert [re.sub(r"-[0-9a-f]{16}", "", c) for c in changed] == ["articles/part-00001.parquet"] * 2 + \
        ["findings/part-00001.parquet"] * 2
    assert all(after[name] == before[name] for name in set(after) & set(before))
    assert manifest(out)["totals"]["reviewed"] == 1
    batch(tmp_path, source.name, "-o", "fresh", "--workers", "1", "--shard-size", "8")
    for name in ("findings", "articles"):
        assert table(out, name) == table(tmp_path / "fresh", name)
    assert "repeat.word" in {f["rule"] for f in table(out, "findings") if f["article_id"] == rows[11]["id"]}
    assert_tidy(out)


def test_rows_added_at_the_top_are_reviewed_and_the_rest_copied(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles[3:])
    args = (source.name, "-o", "out", "--workers", "1", "--shard-size", "8")
    batch(tmp_path, *args)
    _jsonl(source, eval_articles)  # three new rows first: every row number and shard moves
    batch(tmp_path, *args)
    assert manifest(tmp_path / "out")["totals"]["reviewed"] == 3
    batch(tmp_path, source.name, "-o", "fresh", "--workers", "1", "--shard-size", "8")
    for name in ("findings", "articles"):
        assert table(tmp_path / "out", name) == table(tmp_path / "fresh", name)


def test_a_rule_change_redoes_the_work(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles)
    batch(tmp_path, source.name, "-o", "out", "--workers", "1", "--shard-size", "8")
    out = tmp_path / "out"
    findings = table(out, "findings")
    rule = max({f["rule"] for f in findings}, key=[f["rule"] for f in findings].count)
    before = _files(out)
    batch(tmp_path, source.name, "-o", "out", "--workers", "1", "--shard-size", "8", "--ignore", rule)
    assert manifest(out)["totals"]["reviewed"] == len(eval_articles)
    assert manifest(out)["options"]["ignore"] == [rule]
    now = table(out, "findings")
    assert rule not in {f["rule"] for f in now} and len(now) < len(findings)
    assert not set(_files(out)) & set(before)  # every shard rewritten, the old ones removed
    assert_tidy(out)


def test_a_changed_rule_pack_redoes_the_work(tmp_path, write):
    from helpers import make_rule, write_pack

    write("rows.jsonl", json.dumps({"id": "a", "text": "A zzyzx here and a qqxyz there.\n"}) + "\n")
    pack = write_pack(tmp_path / "pack", [make_rule("custom.one")])
    batch(tmp_path, "rows.jsonl", "-o", "out", "--rules", "pack", "--workers", "1")
    assert [f["rule"] for f in table(tmp_path / "out", "findings")] == ["custom.one"]
    write_pack(pack, [make_rule("custom.one", phrase="qqxyz")])
    batch(tmp_path, "rows.jsonl", "-o", "out", "--rules", "pack", "--workers", "1")
    assert manifest(tmp_path / "out")["totals"]["reviewed"] == 1
    assert [f["text"] for f in table(tmp_path / "out", "findings")] == ["qqxyz"]


def test_report_writes_the_roll_up_page_after_the_run(tmp_path, eval_articles):
    source = _jsonl(tmp_path / "archive.jsonl", eval_articles[:6])
    result = batch(tmp_path, source.name, "-o", "out", "--meta", "desk,engine,date", "--workers", "1",
                   "--report", "roll-up.html")
    assert "Roll-up page: " in result.err
    assert "<html" in (tmp_path / "roll-up.html").read_text(encoding="utf-8")


# -- the README documents the schema ------------------------------------------------------------------------------
def schema_tables() -> str:
    """The README's tables of the two tables' columns, from mtreview/batch/schema.py."""
    out = []
    for name, columns in (("findings", schema.FINDINGS), ("articles", schema.ARTICLES)):
        out += [f"`{name}`:", "", "| column | type | what it holds |", "|---|---|---|"]
        out += [f"| `{column}` | {kind} | {meaning} |" for column, kind, meaning in columns]
        out.append("")
    return "\n".join(out)


def test_the_readme_documents_the_schema_of_schema_py():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert schema_tables() in readme, "README.md's batch schema differs from mtreview/batch/schema.py:\n" + schema_tables()
    assert f"`{schema.SCHEMA}`" in readme


# -- progress -----------------------------------------------------------------------------------------------------
class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_is_redrawn_on_a_terminal_and_written_now_and_then_in_a_log():
    clock = _Clock()
    stream = io.StringIO()
    progress = BatchProgress(True, total_bytes=4_000_000, stream=stream, interactive=False, clock=clock)
    for second in range(1, 31):
        clock.now = float(second)
        progress.shard(10, 10, 100_000, worked=True)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3  # at 10, 20 and 30 s
    assert lines[0] == "mtreview batch: 100 articles (100 reviewed, 0 reused), 10.0 articles/s, 0.10 MB/s, 25%, 0:30 left"
    stream = io.StringIO()
    progress = BatchProgress(True, total_bytes=1_000_000, stream=stream, interactive=True, clock=clock)
    clock.now += 2
    progress.shard(5, 0, 500_000, worked=False)
    progress.shard(5, 5, 250_000, worked=True)
    clock.now += 1
    progress.shard(5, 5, 250_000, worked=True)
    progress.finish()
    assert stream.getvalue().startswith("\rmtreview batch: 5 articles (0 reviewed, 5 reused)")
    assert stream.getvalue().endswith("\r")
    quiet = io.StringIO()
    progress = BatchProgress(False, stream=quiet, interactive=True, clock=clock)
    clock.now += 100
    progress.shard(5, 5, 1, worked=True)
    assert quiet.getvalue() == ""
