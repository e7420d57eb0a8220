"""The work of one shard, done where an executor runs it (this process, a local process, a Ray
actor): each article reviewed exactly as ``mtreview check`` reviews it alone
(``Reviewer.review_documents`` on its one document, so both use the same code), its findings
and scores made into the rows of ``schema.py``, and the shard's files written
(``outputs.write_shard``). The state a review needs (rules loaded, matchers compiled, the
LanguageTool client) is built once per worker (``Worker(settings)``), then serves every shard
it is given.

Articles the previous run already reviewed under the same key (``ShardJob.reuse``: the old
shards where they may be) are copied from its outputs instead of reviewed again: an edited
article costs its own review, not its shard's.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtreview import inputs, loaders
from mtreview.baseline import fingerprints
from mtreview.batch import keys, outputs
from mtreview.batch.records import Columns, Record
from mtreview.batch.schema import meta_column
from mtreview.errors import MtreviewError
from mtreview.options import Options
from mtreview.result import FileResult, Report
from mtreview.review import Reviewer


@dataclass(frozen=True)
class WorkerSettings:
    """What a worker needs, picklable (it goes to other processes and machines): the run's
    options (``Options`` fields, mappings as dicts), the output folder and format, the
    columns and markup of the rows, and what every record key starts from
    (``keys.prefix``)."""

    options: dict[str, Any]
    out_dir: str
    fmt: str = "parquet"
    columns: Columns = field(default_factory=Columns)
    markup: str = "txt"
    key_prefix: bytes = b""

    @classmethod
    def of(cls, options: Options, out_dir: Path, fmt: str = "parquet", columns: Columns | None = None,
           markup: str = "txt", key_prefix: bytes = b"") -> WorkerSettings:
        fields = {name: dict(value) if isinstance(value, Mapping) else value
                  for name, value in options._asdict().items() if name not in ("config_label", "config_values")}
        return cls(fields, str(out_dir), fmt, columns or Columns(), markup, key_prefix)

    def build(self) -> Options:
        """The run's ``Options``."""
        return Options(**self.options)

    @property
    def meta(self) -> tuple[str, ...]:
        return self.columns.meta

    @property
    def source_spec(self) -> str | None:
        """Where a folder's articles have their sources (``--source``, the config's ``source``)."""
        return self.options.get("source")


def settings_from_manifest(manifest: dict, out_dir: Path) -> WorkerSettings:
    """The settings of the run ``manifest`` records (its options, columns, format and keys), to
    review its articles again as it did (``mtreview report``'s review pages)."""
    recorded = manifest.get("options") or {}
    fields = {name: keys.option_from_json(name, recorded[name]) for name in keys.SHAPING if name in recorded}
    fields["rule_dirs"] = tuple(Path(d) for d in manifest.get("rule_dirs") or ())
    column_values = dict(manifest.get("columns") or {})
    column_values["meta"] = tuple(column_values.get("meta") or ())
    return WorkerSettings.of(Options(**fields), out_dir, str(manifest.get("format", "parquet")), Columns(**column_values),
                             str(manifest.get("markup", "txt")), keys.prefix(str(manifest.get("ruleset", "")), recorded))


def record_key(record: Record, settings: WorkerSettings) -> str:
    """The key ``record`` has in the run of ``settings`` (the articles table's ``key``)."""
    return keys.record_key(settings.key_prefix, record)


@dataclass(frozen=True)
class ShardJob:
    """A shard to write: its index and key, its records (with their keys, in order), and the
    previous run's shards where some of its articles may already be (their files, relative to
    the output folder)."""

    index: int
    key: str
    records: tuple[Record, ...]
    keys: tuple[str, ...]
    reuse: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        first, last = self.records[0], self.records[-1]
        where = f"{first.input} row {first.row}" if first.row else f"{first.input}/{first.id}"
        return f"shard {self.index} ({len(self.records)} articles from {where}" + (
            f" to {last.input} row {last.row})" if last.row else f" to {last.input}/{last.id})")


@dataclass(frozen=True)
class ShardDone:
    """A shard written: counts only (the rows are in its files)."""

    index: int
    key: str
    articles: int
    findings: int
    words: int
    seconds: float
    reviewed: int = 0
    reused: int = 0
    rejects: int = 0
    files: tuple[str, str] = ("", "")
    cpu: float = 0.0  # CPU seconds the worker spent on it


class Worker:
    """Reviews shards: built once per process or actor (rules loaded, matchers compiled),
    then called with one ``ShardJob`` after another."""

    def __init__(self, settings: WorkerSettings):
        self.settings = settings
        self.options = settings.build()
        self._reviewers: dict[str | None, Reviewer] = {None: Reviewer(self.options)}
        self.out_dir = Path(settings.out_dir)

    def reviewer(self, source_lang: str | None) -> Reviewer:
        """The reviewer of articles whose row names their source language (as ``check
        --source-lang LANG`` would review them); None: the run's."""
        found = self._reviewers.get(source_lang)
        if found is None:
            assert source_lang is not None  # the run's is there from the start
            found = self._reviewers[source_lang] = Reviewer(self.options._replace(source_lang=source_lang))
        return found

    def review(self, record: Record) -> FileResult:
        """``record`` reviewed as ``mtreview check`` reviews the article alone."""
        return self.report(record).files[0]

    def report(self, record: Record) -> Report:
        """The report of ``record`` reviewed as ``mtreview check`` reviews the article alone
        (the review page's input); a ``MtreviewError`` from reading it (a malformed HTML or
        XLIFF file) is raised as ``Unreadable``."""
        reviewer = self.reviewer(record.source_lang)
        options = reviewer.load_options()
        try:
            doc = loaders.load(record.text, record.name, options)
            if record.source is not None:
                source_name = record.source_name or record.name
                inputs.paired(doc, loaders.load(record.source, source_name, options), source_name, options)
        except MtreviewError as exc:
            raise Unreadable(str(exc)) from None
        reviewer.in_run([doc])
        return reviewer.review_documents([doc])

    def __call__(self, job: ShardJob) -> ShardDone:
        started, cpu = time.perf_counter(), time.process_time()
        meta = self.settings.meta
        old = Previous(self.out_dir, job.reuse, set(job.keys)) if job.reuse else None
        findings: list[dict] = []
        articles: list[dict] = []
        rejects: list[dict] = []
        reviewed = 0
        for record, key in zip(job.records, job.keys, strict=True):
            copied = old.rows(key) if old is not None else None
            if copied is not None:
                article, found = copied
                article.update(input=record.input, row=record.row)
            else:
                try:
                    result = self.review(record)
                except Unreadable as exc:
                    rejects.append({"input": record.input, "row": record.row, "id": record.id, "reason": str(exc)})
                    continue
                article, found = rows(record, key, result, meta)
                reviewed += 1
            articles.append(article)
            findings.extend(found)
        files = outputs.write_shard(self.out_dir, job.index, job.key, findings, articles, self.settings.fmt, meta, rejects)
        return ShardDone(job.index, job.key, len(articles), len(findings), sum(a["words"] for a in articles),
                         time.perf_counter() - started, reviewed, len(articles) - reviewed, len(rejects),
                         files, time.process_time() - cpu)


class Unreadable(Exception):
    """An article that cannot be read as its format (a reject, not the end of the run)."""


class Previous:
    """The rows of the previous run's shards that may hold articles of a new shard: those
    whose key is one of ``keys``, found by the articles files' ``key`` column."""

    def __init__(self, out_dir: Path, shards: tuple[tuple[str, str], ...], keys: set[str]):
        self._articles: dict[str, dict] = {}
        self._findings: dict[str, list[dict]] = {}
        for findings_file, articles_file in shards:
            try:
                found = [a for a in outputs.read_rows(out_dir / articles_file) if a.get("key") in keys]
                if not found:
                    continue
                ids = {a["article_id"] for a in found}
                by_id: dict[str, list[dict]] = {}
                for f in outputs.read_rows(out_dir / findings_file):
                    if f.get("article_id") in ids:
                        by_id.setdefault(f["article_id"], []).append(f)
            except (OSError, ValueError, TypeError, KeyError, MtreviewError):  # pyarrow's errors are of these too
                continue  # gone or unreadable: those articles are reviewed again
            for article in found:
                self._articles.setdefault(article["key"], article)
                self._findings.setdefault(article["key"], by_id.get(article["article_id"], []))

    def rows(self, key: str) -> tuple[dict, list[dict]] | None:
        """The article row and finding rows of the article of ``key``, or None."""
        article = self._articles.get(key)
        if article is None:
            return None
        return dict(article), self._findings[key]


def rows(record: Record, key: str, result: FileResult, meta: tuple[str, ...]) -> tuple[dict, list[dict]]:
    """The article's row and its findings' rows (``schema.ARTICLES``, ``schema.FINDINGS``)."""
    doc = result.doc
    metadata = {meta_column(m): record.meta.get(m) for m in meta}
    found = []
    for f, fingerprint in zip(result.findings, fingerprints(doc, result.findings), strict=True):
        end_line, end_column = doc.line_col(f.end)
        aligned = f.extra.get("aligned_source") or {}
        found.append({
            "article_id": record.id, "rule": f.rule, "category": f.category, "severity": f.severity.value,
            "message": f.message, "start": f.start, "end": f.end, "line": f.line, "column": f.column,
            "end_line": end_line, "end_column": end_column, "text": f.text,
            "suggestion": f.suggestions[0] if f.suggestions else None, "suggestions": list(f.suggestions),
            "fix": f.fix.value, "source": f.source, "source_start": aligned.get("start"), "source_end": aligned.get("end"),
            "source_text": aligned.get("text"), "fingerprint": fingerprint, **metadata,
        })
    severities = Counter(f.severity.value for f in result.findings)
    mqm = result.scores.get("mqm")
    readability = result.scores.get("readability") or {}
    blocking = len(result.blocking())
    article = {
        "article_id": record.id, "input": record.input, "row": record.row, "key": key, "words": doc.word_count(),
        "findings": len(result.findings), "errors": severities["error"], "warnings": severities["warning"],
        "info": severities["info"],
        "by_category": dict(sorted(Counter(f.category for f in result.findings).items())),
        "by_rule": dict(sorted(Counter(f.rule for f in result.findings).items())),
        "blocking": blocking,
        "mqm_score": _float(mqm, "score"), "mqm_penalty": _float(mqm, "penalty"),
        "mqm_per_1000_words": _float(mqm, "per_1000_words"),
        "readability_grade": _float(readability, "consensus_grade"),
        "flesch_reading_ease": _float(readability, "flesch_reading_ease"),
        "source_lang": result.lang, "has_source": doc.source is not None,
        "passed": not blocking and (mqm is None or bool(mqm["passed"])),
        **metadata,
    }
    return article, found


def _float(scores: dict | None, name: str) -> float | None:
    value = (scores or {}).get(name)
    return float(value) if value is not None else None
