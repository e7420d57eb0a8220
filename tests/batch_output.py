"""A made-up ``mtreview batch`` output folder, written without running a batch: shards of the
articles and findings tables (Parquet or JSONL, the columns of mtreview/batch/schema.py) and
the manifest, from synthetic articles whose figures are known. For the roll-up tests
(tests/test_batch_rollup.py) and bench/rollup.py (``python bench/rollup.py``: 50,000 articles).

The articles are also written as a JSONL input file (``text`` and the metadata), which the
articles rows name as their input, so review pages can be made from them.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta
from pathlib import Path

from mtreview.batch.schema import ARTICLES, FINDINGS, SCHEMA, arrow_schema, meta_column

#: rule -> (severity, category, MQM penalty)
RULES = {
    "calque.in-order-to": ("error", "accuracy/mistranslation", 5.0),
    "garble.det-det": ("error", "fluency/grammar", 5.0),
    "mt.repeated-word": ("warning", "fluency/grammar", 1.0),
    "style.long-sentence": ("warning", "style/readability", 1.0),
    "style.passive": ("info", "style/house", 0.0),
    "lt.EN_A_VS_AN": ("warning", "fluency/spelling", 1.0),
}
DESKS = ("world", "business", "sport")
ENGINES = ("opus-2019", "opus-2021")
FIRST_DAY = date(2024, 3, 1)
WORDS = ("the", "talks", "resume", "with", "ministers", "in", "order", "to", "settle", "it")


def text_of(i: int, words: int) -> str:
    """A throw-away article text of ``words`` words."""
    return " ".join(WORDS[(i + k) % len(WORDS)] for k in range(words)).capitalize() + ".\n"


def make(n: int, days: int = 20, seed: int = 17) -> list[tuple[dict, list[dict]]]:
    """``n`` articles: (row of the articles table without input/key, its findings rows)."""
    rng = random.Random(seed)
    out = []
    rules = list(RULES)
    for i in range(n):
        words = 40 + rng.randrange(400)
        engine = ENGINES[i % 2]
        found = [rng.choice(rules) for _ in range(rng.randrange(6 if engine == ENGINES[0] else 3))]
        findings = []
        for k, rule in enumerate(found):
            severity, category, _ = RULES[rule]
            findings.append({
                "article_id": f"art-{i:06d}", "rule": rule, "category": category, "severity": severity,
                "message": "A made-up finding.", "start": k, "end": k + 1, "line": 1, "column": k + 1, "end_line": 1,
                "end_column": k + 2, "text": "x", "suggestion": None, "suggestions": [], "fix": "none",
                "source": "rules", "source_start": None, "source_end": None, "source_text": None,
                "fingerprint": f"{i}-{k}",
            })
        by_rule: dict[str, int] = {}
        by_category: dict[str, int] = {}
        counts = {"error": 0, "warning": 0, "info": 0}
        penalty = 0.0
        for rule in found:
            severity, category, points = RULES[rule]
            by_rule[rule] = by_rule.get(rule, 0) + 1
            by_category[category] = by_category.get(category, 0) + 1
            counts[severity] += 1
            penalty += points
        per_1000 = 1000 * penalty / words
        score = max(0.0, 100.0 - per_1000)
        row = {
            "article_id": f"art-{i:06d}", "row": i + 1, "words": words, "findings": len(found),
            "errors": counts["error"], "warnings": counts["warning"], "info": counts["info"],
            "by_category": by_category, "by_rule": by_rule, "blocking": counts["error"] + counts["warning"],
            "mqm_score": score, "mqm_penalty": penalty, "mqm_per_1000_words": per_1000,
            "readability_grade": 9.5, "flesch_reading_ease": 60.0, "source_lang": "es", "has_source": False,
            "passed": counts["error"] + counts["warning"] == 0 and score >= 95.0,
            meta_column("desk"): DESKS[i % 3], meta_column("engine"): engine,
            meta_column("date"): (FIRST_DAY + timedelta(days=i % days)).isoformat(),
        }
        out.append((row, findings))
    return out


def fake_key(text: str) -> str:
    """The key a row gets without ``real_keys``: a digest of the text alone."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class RealKeys:
    """The keys and manifest fields of a real run with the built-in rules and default options
    (grammar off), so that ``mtreview report`` can review the articles again."""

    def __init__(self):
        from mtreview.batch import keys
        from mtreview.config import Config
        from mtreview.options import from_command_line

        self.options = keys.options_record(Config(None).options(from_command_line(grammar="off")), None)
        self.ruleset = keys.ruleset_fingerprint([])
        self._prefix = keys.prefix(self.ruleset, self.options)

    def key(self, article_id: str, text: str, meta: dict, source: Path, row: int) -> str:
        from mtreview.batch import keys
        from mtreview.batch.records import Record

        return keys.record_key(self._prefix, Record(article_id, text, None, None, meta, str(source), row, f"{article_id}.txt"))


def _write_table(path: Path, rows: list[dict], table, meta: tuple[str, ...], fmt: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table, meta)), path)
    else:
        with open(path, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write(out_dir: Path, articles: list[tuple[dict, list[dict]]], fmt: str = "parquet", shard_size: int = 16,
          meta: tuple[str, ...] = ("desk", "engine", "date"), rejects: int = 0, input_name: str = "input.jsonl",
          real_keys: bool = False, texts=None) -> Path:
    """Write the output folder of ``articles`` (from ``make``) and their JSONL input (beside
    ``out_dir``, named ``input_name``); the input's path. ``real_keys``: the keys (and
    manifest) of a run with the default options, so that review pages can be made;
    ``texts``: a function of the row number giving the article's text (default ``text_of``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    source = out_dir.parent / input_name
    real = RealKeys() if real_keys else None
    shards = []
    with open(source, "w", encoding="utf-8") as inp:
        for index in range(0, len(articles), shard_size):
            chunk = articles[index : index + shard_size]
            rows, findings = [], []
            for row, found in chunk:
                text = texts(row["row"]) if texts is not None else text_of(row["row"], row["words"])
                values = {m: row.get(meta_column(m)) for m in meta}
                inp.write(json.dumps({"id": row["article_id"], "text": text, **values}) + "\n")
                key = real.key(row["article_id"], text, values, source, row["row"]) if real else fake_key(text)
                full = dict(row, input=str(source), key=key)
                rows.append({name: full.get(name) for name, _, _ in ARTICLES} | {meta_column(m): full.get(meta_column(m))
                                                                                  for m in meta})
                findings += [{name: f.get(name) for name, _, _ in FINDINGS} | {meta_column(m): full.get(meta_column(m))
                                                                                 for m in meta} for f in found]
            key = hashlib.sha256(f"{index}".encode()).hexdigest()
            n = index // shard_size
            ext = "parquet" if fmt == "parquet" else "jsonl"
            names = {t: f"{t}/part-{n:05d}-{key[:16]}.{ext}" for t in ("findings", "articles")}
            _write_table(out_dir / names["findings"], findings, FINDINGS, meta, fmt)
            _write_table(out_dir / names["articles"], rows, ARTICLES, meta, fmt)
            shards.append({"index": n, "key": key, **names, "articles_rows": len(rows), "findings_rows": len(findings)})
    with open(out_dir / "rejects.jsonl", "w", encoding="utf-8") as fh:
        for k in range(rejects):
            fh.write(json.dumps({"input": str(source), "row": 10_000 + k, "id": None, "reason": "missing id"}) + "\n")
    manifest = {
        "schema": SCHEMA, "format": fmt, "mtreview": "0.0.test", "ruleset": real.ruleset if real else "f" * 64,
        "options": real.options if real else {},
        "fail_on": "warning", "mqm_threshold": 95.0, "inputs": [{"path": str(source), "kind": "jsonl"}],
        "columns": {"id": "id", "text": "text", "source_text": None, "source_lang": None, "meta": list(meta)},
        "shards": shards,
        "totals": {"articles": len(articles), "findings": sum(len(f) for _, f in articles),
                   "words": sum(r["words"] for r, _ in articles), "rejects": rejects, "reviewed": len(articles), "reused": 0},
        "rejects": "rejects.jsonl", "started": "2026-12-04T03:00:00+00:00", "finished": "2026-12-04T03:05:00+00:00",
        "seconds": 300.0,
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return source
