"""The batch outputs' contract (schema ``mtreview-batch/1``), documented in the README: the
columns of ``findings`` (one row per finding) and ``articles`` (one row per article), in
Parquet and in JSONL, the same names and values in both. Columns are only ever added; a
change that removes or retypes one is a new schema version.

The metadata columns a run names (``--meta desk,engine,date``) follow the fixed ones in both
tables, as ``meta_<name>`` strings (a null where a row has none).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyarrow is imported where a table is built, not on every mtreview start
    import pyarrow as pa

SCHEMA = "mtreview-batch/1"

#: (name, arrow type name, what it holds): one row per finding.
FINDINGS: tuple[tuple[str, str, str], ...] = (
    ("article_id", "string", "the article's id (its --id column, or its path under the input folder)"),
    ("rule", "string", "rule id (`mtreview rules show RULE`), or a LanguageTool rule as `lt.RULE_ID`"),
    ("category", "string", "MQM-style category, e.g. `accuracy/mistranslation`"),
    ("severity", "string", "`error`, `warning` or `info`"),
    ("message", "string", "what is wrong, in one sentence"),
    ("start", "int64", "offset of the first character (Unicode code points into the article text)"),
    ("end", "int64", "offset just past the last character"),
    ("line", "int32", "1-based line of `start`"),
    ("column", "int32", "1-based column of `start`"),
    ("end_line", "int32", "1-based line of `end`"),
    ("end_column", "int32", "1-based column of `end`"),
    ("text", "string", "the flagged text"),
    ("suggestion", "string", "the first suggested replacement, or null"),
    ("suggestions", "list<string>", "every suggested replacement, best first"),
    ("fix", "string", "fix safety: `safe`, `unsafe` or `none`"),
    ("source", "string", "which check made it: `rules`, `languagetool`, `bilingual`, a score"),
    ("source_start", "int64", "for a bilingual review: offset of the aligned source span, or null"),
    ("source_end", "int64", "end of the aligned source span, or null"),
    ("source_text", "string", "the aligned source span's text, or null"),
    ("fingerprint", "string", "stable id of the finding (the same as `mtreview check --format json`)"),
)

#: (name, arrow type name, what it holds): one row per article.
ARTICLES: tuple[tuple[str, str, str], ...] = (
    ("article_id", "string", "the article's id"),
    ("input", "string", "the input file the article came from"),
    ("row", "int64", "its 1-based row (JSONL line, Parquet row); 0 for a file of a folder"),
    ("key", "string", "content address of the work: SHA-256 of text, source, rule set and options"),
    ("words", "int64", "words in the article"),
    ("findings", "int64", "findings reported"),
    ("errors", "int64", "findings of severity error"),
    ("warnings", "int64", "findings of severity warning"),
    ("info", "int64", "findings of severity info"),
    ("by_category", "map<string,int64>", "findings per category (JSONL: an object)"),
    ("by_rule", "map<string,int64>", "findings per rule (JSONL: an object)"),
    ("blocking", "int64", "findings at or above the run's fail-on level"),
    ("mqm_score", "float64", "MQM quality score, 0–100 (null with --no-scores)"),
    ("mqm_penalty", "float64", "MQM penalty points"),
    ("mqm_per_1000_words", "float64", "MQM penalty per 1,000 words"),
    ("readability_grade", "float64", "consensus US school grade (null with --no-scores)"),
    ("flesch_reading_ease", "float64", "Flesch reading ease (null with --no-scores)"),
    ("source_lang", "string", "the source language the article was reviewed for, or null"),
    ("has_source", "bool", "whether it was reviewed against a source text"),
    ("passed", "bool", "no blocking finding and MQM score at or above the threshold"),
)

_ARROW = {
    "string": lambda pa: pa.string(), "int64": lambda pa: pa.int64(), "int32": lambda pa: pa.int32(),
    "float64": lambda pa: pa.float64(), "bool": lambda pa: pa.bool_(),
    "list<string>": lambda pa: pa.list_(pa.string()),
    "map<string,int64>": lambda pa: pa.map_(pa.string(), pa.int64()),
}


def meta_column(name: str) -> str:
    """The column of metadata field ``name``: ``meta_desk``."""
    return f"meta_{name}"


def columns(table: tuple[tuple[str, str, str], ...], meta: tuple[str, ...] = ()) -> list[str]:
    """The column names of ``table`` (FINDINGS or ARTICLES) with a run's metadata fields."""
    return [name for name, _, _ in table] + [meta_column(m) for m in meta]


def arrow_schema(table: tuple[tuple[str, str, str], ...], meta: tuple[str, ...] = ()) -> pa.Schema:
    """The Arrow schema of ``table`` with a run's metadata fields (strings), stamped with
    ``SCHEMA`` in its metadata."""
    import pyarrow as pa

    fields = [pa.field(name, _ARROW[kind](pa)) for name, kind, _ in table]
    fields += [pa.field(meta_column(m), pa.string()) for m in meta]
    return pa.schema(fields, metadata={"schema": SCHEMA})
