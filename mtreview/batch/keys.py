"""Content addresses of a batch's work: what an article's review depends on, hashed, so that a
shard whose key is already in the output folder is known to be done (nothing reviewed again),
and an article whose key a previous run's outputs hold is copied from there.

- ruleset fingerprint: mtreview's version, the code that shapes findings (every module but the
  command line, the report formats and the batch driver) and every rule pack the run loads,
  by content (not by file times: a fresh checkout or another machine gives the same).
- options fingerprint: the options that change findings or scores (``SHAPING``), files they
  name (vocabulary, glossary) by content, and whether a LanguageTool server answers the run.
- record key: the schema, both fingerprints, and the article: its id, format, text, source,
  source language and metadata.
- shard key: the output format, the metadata columns, and each record's key, input and row.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from mtreview.batch.records import Record
from mtreview.batch.schema import SCHEMA
from mtreview.options import LanguageTool, Options, Targets

#: The options that shape an article's findings, scores or row (by ``Options`` field).
SHAPING = ("source_lang", "select", "ignore", "severity", "fail_on", "min_severity", "house", "readability",
           "vocabulary", "glossary", "scores", "front_matter_prose", "languagetool", "grammar", "mqm_map",
           "mqm_pass", "source")
#: Files and folders of the package whose code does not shape findings nor rows (left out of the
#: fingerprint): the command line, the report formats, the batch package but for its modules
#: that make rows and keys (``_BATCH_SHAPING``).
_NOT_SHAPING = ("__pycache__", "cli.py", "usage.py", "hook.py", "init.py", "fixing.py", "fixarticle.py", "__main__.py",
                "report", "grammar/commands.py", "grammar/server.py", "grammar/state.py", "batch")
_BATCH_SHAPING = ("schema.py", "records.py", "keys.py", "worker.py", "outputs.py")
_NONE = b"\xff" * 8


def _field(h, value: str | None) -> None:
    """Add a length-prefixed field (None distinct from every string) to a hash."""
    if value is None:
        h.update(_NONE)
        return
    data = value.encode("utf-8", "surrogatepass")
    h.update(len(data).to_bytes(8, "little"))
    h.update(data)


def _files(root: Path, skip: tuple[str, ...] = ()) -> list[Path]:
    out = []
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        dirs[:] = sorted(d for d in dirs if (rel / d).as_posix() not in skip and not d.startswith("."))
        out += [Path(folder) / f for f in sorted(files) if (rel / f).as_posix() not in skip and not f.startswith(".")]
    return out


def ruleset_fingerprint(rule_dirs: Iterable[Path]) -> str:
    """The fingerprint of mtreview's version, its finding-shaping code and the rule packs of
    ``rule_dirs`` and the built-in ones (64 hex digits)."""
    from mtreview import __version__
    from mtreview.ruleset.loader import builtin_rules_dir, pack_files

    h = hashlib.sha256()
    _field(h, __version__)
    package = Path(__file__).resolve().parent.parent
    folders = [(package, _files(package, _NOT_SHAPING)), (package, [package / "batch" / name for name in _BATCH_SHAPING])]
    folders += [(Path(d), pack_files(Path(d))) for d in (builtin_rules_dir(), *rule_dirs)]
    for root, files in folders:
        _field(h, "folder")
        for path in files:
            _field(h, path.relative_to(root).as_posix())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _plain(value: Any) -> Any:
    """An option's value as JSON (files by absolute path and content)."""
    if isinstance(value, Path):
        digest = hashlib.sha256(value.read_bytes()).hexdigest() if value.is_file() else None
        return {"path": os.path.abspath(value), "sha256": digest}
    if hasattr(value, "_asdict"):
        return {k: _plain(v) for k, v in value._asdict().items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    return value


def options_record(options: Options, grammar_url: str | None) -> dict[str, Any]:
    """The options that shape the findings (``SHAPING``), as JSON, and the LanguageTool
    server that answers (None: no grammar findings): the manifest's ``options``."""
    record = {name: _plain(getattr(options, name)) for name in SHAPING}
    record["languagetool_server"] = grammar_url
    return record


def _by_content(value: Any) -> Any:
    """``options_record``'s JSON with each file by its content alone (a file moved elsewhere
    with the same content reviews the same)."""
    if isinstance(value, dict):
        if set(value) == {"path", "sha256"}:
            return value["sha256"]
        return {k: _by_content(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_by_content(v) for v in value]
    return value


def option_from_json(name: str, value: Any) -> Any:
    """The ``Options`` value of field ``name`` from its JSON in ``options_record``."""
    if value is None:
        return None
    convert = _FROM_JSON.get(name)
    return convert(value) if convert is not None else value


def _languagetool(value: dict[str, Any]) -> LanguageTool:
    fields: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}
    return LanguageTool(**fields)


_FROM_JSON: dict[str, Callable[[Any], Any]] = {
    "select": tuple, "ignore": tuple, "front_matter_prose": tuple, "severity": dict, "mqm_map": dict,
    "readability": lambda v: Targets(**v), "vocabulary": lambda v: Path(v["path"]), "glossary": lambda v: Path(v["path"]),
    "languagetool": _languagetool,
}


def prefix(ruleset: str, options: dict[str, Any]) -> bytes:
    """What every record key of a run starts from: the schema, mtreview's version, the rule
    set's fingerprint and the options (``options_record``, files by content)."""
    import orjson

    from mtreview import __version__

    h = hashlib.sha256()
    shaping = orjson.dumps(_by_content(options), option=orjson.OPT_SORT_KEYS).decode("utf-8")
    for part in (SCHEMA, __version__, ruleset, shaping):
        _field(h, part)
    return h.digest()


def record_key(start: bytes, record: Record) -> str:
    """The content address of ``record``'s review (64 hex digits)."""
    h = hashlib.sha256(start)
    for part in (record.id, Path(record.name).suffix.lower(), record.text, record.source,
                 Path(record.source_name).suffix.lower() if record.source_name else None, record.source_lang):
        _field(h, part)
    for name, value in record.meta.items():
        _field(h, name)
        _field(h, value)
    return h.hexdigest()


def shard_key(fmt: str, meta: tuple[str, ...], records: list[Record], keys: list[str]) -> str:
    """The content address of a shard's files (64 hex digits)."""
    h = hashlib.sha256()
    _field(h, fmt)
    _field(h, ",".join(meta))
    for record, key in zip(records, keys, strict=True):
        _field(h, key)
        _field(h, record.input)
        _field(h, str(record.row))
    return h.hexdigest()
