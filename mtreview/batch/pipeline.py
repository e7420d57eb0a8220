"""One ``mtreview batch`` run, driven from here: the inputs read as a stream of records, cut
into shards of ``shard_size`` articles, each keyed by content (``keys.py``); a shard whose
files are in the output folder under its key is skipped, the others go to the executor's
workers (``worker.py``), which write their files. Then the rejects file, the manifest (the
run's record, written last and atomically) and the removal of shard files no longer in it.

The driver holds one shard's records at a time per job in flight, the ids' digests and one
small entry per shard; nothing grows with the articles' text. A run killed at any point
leaves whole files only (``outputs.py``); the next run skips every shard written, so it
resumes where the last one stopped.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from mtreview import config
from mtreview.batch import keys, outputs, records
from mtreview.batch.executors import Executor
from mtreview.batch.progress import BatchProgress
from mtreview.batch.records import Columns, Reading, Record
from mtreview.batch.schema import SCHEMA
from mtreview.batch.worker import ShardDone, ShardJob, Worker, WorkerSettings
from mtreview.errors import MtreviewError

DEFAULT_SHARD_SIZE = 500


@dataclass
class BatchSettings:
    """What a run is asked to do: inputs, output folder and format, columns, how rows are
    read (``markup``), the shard size, the config file (None: the one found from the current
    folder) and the command line's option values (``mtreview.options.from_command_line``)."""

    inputs: list[Path]
    out_dir: Path
    columns: Columns = field(default_factory=Columns)
    fmt: str = "parquet"
    markup: str = "txt"
    shard_size: int = DEFAULT_SHARD_SIZE
    config: Path | None = None
    cli: dict[str, Any] = field(default_factory=dict)


def _config(path: Path | None) -> config.Config:
    """The run's one config: ``--config``, else the one found from the current folder."""
    if path is not None:
        return config.for_files([], path)[0][0]
    found = config.find(Path.cwd())
    return config.read(found) if found is not None else config.Config(None)


def _batched(items: Iterable[Record], size: int) -> Iterator[list[Record]]:
    batch: list[Record] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _check(settings: BatchSettings) -> None:
    outputs.format_named(settings.fmt)
    if settings.markup not in records.MARKUPS:
        from mtreview.options import unknown_choice

        raise MtreviewError(f"--markup {settings.markup!r}: {unknown_choice(settings.markup, tuple(records.MARKUPS), 'markup')}")
    if settings.shard_size < 1:
        raise MtreviewError(f"--shard-size {settings.shard_size}: use 1 or more articles per shard (default "
                            f"{DEFAULT_SHARD_SIZE})")
    if not settings.inputs:
        raise MtreviewError("batch: name the inputs (folders, .jsonl or .parquet files)")
    if len(set(settings.columns.meta)) != len(settings.columns.meta) or any(not m.strip() for m in settings.columns.meta):
        raise MtreviewError(f"--meta {','.join(settings.columns.meta)}: name each metadata column once")


def _out_dir(path: Path) -> None:
    if path.exists() and not path.is_dir():
        raise MtreviewError(f"--output {path}: not a folder; name a folder for the outputs (created if missing)")
    try:
        for sub in outputs.TABLES:
            (path / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MtreviewError(f"--output {path}: cannot create it: {exc.strerror or exc}; write elsewhere") from None


class Previous:
    """The last completed run's shards (its manifest), by index and by key."""

    def __init__(self, manifest: dict | None):
        self.by_index: dict[int, tuple[str, str]] = {}
        self.by_key: dict[str, dict] = {}
        try:
            for entry in (manifest or {}).get("shards", []):
                self.by_index[int(entry["index"])] = (str(entry["findings"]), str(entry["articles"]))
                self.by_key[str(entry["key"])] = entry
        except (KeyError, TypeError, ValueError):  # not a manifest we wrote: nothing to reuse
            self.by_index, self.by_key = {}, {}

    def near(self, index: int) -> tuple[tuple[str, str], ...]:
        """The old shards that may hold articles of new shard ``index`` (its neighbours too:
        rows added or removed before it shift its articles by less than a shard)."""
        return tuple(self.by_index[i] for i in (index, index - 1, index + 1) if i in self.by_index)


def _entry(index: int, key: str, files: tuple[str, str], articles: int, findings: int, words: int, rejects: int) -> dict:
    return {"index": index, "key": key, "articles": files[1], "findings": files[0], "articles_rows": articles,
            "findings_rows": findings, "words": words, "rejects": rejects}


def _done_entry(out_dir: Path, index: int, key: str, fmt: str, known: dict | None) -> dict:
    """The manifest entry of a shard already written: from the last manifest, else counted."""
    files = outputs.shard_files(index, key, fmt)
    if known is not None and known.get("findings") == files[0] and known.get("articles") == files[1]:
        return _entry(index, key, files, int(known["articles_rows"]), int(known["findings_rows"]), int(known["words"]),
                      int(known.get("rejects", 0)))
    articles = outputs.read_rows(out_dir / files[1], ["words"])
    findings = outputs.FORMATS[fmt].count(out_dir / files[0])
    rejects = sum(1 for _ in outputs.shard_rejects(out_dir, index, key))
    return _entry(index, key, files, len(articles), findings, sum(a["words"] for a in articles), rejects)


def run(settings: BatchSettings, executor: Executor, quiet: bool = False, stream: TextIO | None = None) -> dict:
    """Run the batch; the manifest of the run (``outputs.MANIFEST``)."""
    clock = time.perf_counter()
    started = datetime.now(UTC)
    _check(settings)
    cfg = _config(settings.config)
    options = cfg.options(settings.cli)
    from mtreview.review import Reviewer

    reviewer = Reviewer(options)  # the selection's errors now, before anything is read or written
    grammar = reviewer.grammar(None)  # grammar "on" without a server: its one-line error now
    shaping = keys.options_record(options, grammar.url if grammar is not None else None)
    ruleset = keys.ruleset_fingerprint(options.rule_dirs)
    start = keys.prefix(ruleset, shaping)
    columns, fmt, out = settings.columns, settings.fmt, settings.out_dir
    reading = Reading(columns, on_reject=lambda r: None, markup=settings.markup, source_spec=options.source,
                      wants=cfg.wants)
    found = records.open_inputs(settings.inputs, reading)
    _out_dir(out)
    lock = outputs.Lock(out)
    rejects = outputs.RejectsWriter(out)
    progress = BatchProgress(not quiet, sum(i.size for i in found), stream)
    try:
        reading.on_reject = lambda r: rejects(r.as_dict())
        previous = Previous(outputs.read_manifest(out))
        done = outputs.done_shards(out, fmt)
        entries: dict[int, dict] = {}
        sizes: dict[int, int] = {}

        def jobs() -> Iterator[ShardJob]:
            read_before = 0
            for index, shard in enumerate(_batched(records.stream(found, reading), settings.shard_size)):
                size, read_before = reading.done - read_before, reading.done
                record_keys = [keys.record_key(start, r) for r in shard]
                key = keys.shard_key(fmt, columns.meta, shard, record_keys)
                if outputs.stem(index, key) in done:
                    entries[index] = _done_entry(out, index, key, fmt, previous.by_key.get(key))
                    progress.shard(len(shard), 0, size, worked=False)
                    continue
                sizes[index] = size
                yield ShardJob(index, key, tuple(shard), tuple(record_keys), previous.near(index))

        worker_settings = WorkerSettings.of(options, out, fmt, columns, settings.markup, start)
        reviewed, cpu = 0, 0.0
        for result in executor.map(functools.partial(Worker, worker_settings), jobs()):
            assert isinstance(result, ShardDone)
            entries[result.index] = _entry(result.index, result.key, result.files, result.articles, result.findings,
                                           result.words, result.rejects)
            reviewed += result.reviewed
            cpu += result.cpu
            progress.shard(result.articles, result.reviewed, sizes.pop(result.index), worked=True)
        progress.finish()
        shards = [entries[i] for i in sorted(entries)]
        for entry in shards:
            if entry["rejects"]:
                for reject in outputs.shard_rejects(out, entry["index"], entry["key"]):
                    rejects(reject)
        outputs.test_point("rejects")
        rejects.close()
        articles = sum(e["articles_rows"] for e in shards)
        manifest = {
            "schema": SCHEMA, "format": fmt, "mtreview": _version(), "ruleset": ruleset, "options": shaping,
            "fail_on": options.fail_on, "mqm_threshold": options.mqm_pass,
            "inputs": [{"path": i.name, "kind": i.kind} for i in found],
            "columns": columns.as_dict(), "markup": settings.markup, "rule_dirs": [str(d) for d in options.rule_dirs],
            "shards": shards,
            "totals": {"articles": articles, "findings": sum(e["findings_rows"] for e in shards),
                       "words": sum(e["words"] for e in shards), "rejects": rejects.count, "reviewed": reviewed,
                       "reused": articles - reviewed, "shards": len(shards)},
            "rejects": outputs.REJECTS,
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - clock, 3),
            "cpu_seconds": round(cpu, 3),
        }
        outputs.test_point("manifest")
        outputs.write_manifest(out, manifest)
        outputs.test_point("cleanup")
        outputs.remove_stale(out, {outputs.stem(e["index"], e["key"]) for e in shards})
        outputs.remove_temporaries(out)
        return manifest
    finally:
        progress.finish()
        rejects.discard()
        executor.close()
        lock.release()


def _version() -> str:
    from mtreview import __version__

    return __version__


def summary_line(manifest: dict, out_dir: Path, describe: str) -> str:
    """What a run says on stderr when it ends: what it did, where, how fast."""
    t = manifest["totals"]
    seconds = manifest["seconds"]
    rate = f", {t['reviewed'] / seconds:,.1f} articles/s" if t["reviewed"] and seconds else ""
    rejects = f", {_count(t['rejects'], 'row')} rejected (see {out_dir / outputs.REJECTS})" if t["rejects"] else ""
    return (f"mtreview batch: {_count(t['articles'], 'article')} ({t['reviewed']:,} reviewed, {t['reused']:,} reused), "
            f"{_count(t['findings'], 'finding')}{rejects} → {out_dir} ({describe}; {seconds:.1f} s{rate})")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def run_command(settings: BatchSettings, executor_name: str, address: str | None, workers: int | None,
                report: Path | None, fail_on_rejects: bool, quiet: bool) -> int:
    """``mtreview batch``: the run, its summary on stderr, the roll-up page when asked for;
    the exit code (1: rows were rejected and ``fail_on_rejects``)."""
    import sys

    from mtreview.batch.executors import executor_named

    _check(settings)
    executor = executor_named(executor_name, address, workers)
    if not quiet:  # where the work runs, from the start (a Ray dashboard to watch it in)
        sys.stderr.write(f"mtreview batch: {executor.describe()}\n")
    try:
        manifest = run(settings, executor, quiet)
        describe = executor.describe()
    finally:
        executor.close()
    sys.stderr.write(summary_line(manifest, settings.out_dir, describe) + "\n")
    if report is not None:
        from mtreview.batch import rollup  # the roll-up page (jinja2, its aggregates): only when asked for

        sys.stderr.write(rollup.written_line(rollup.write(settings.out_dir, report)) + "\n")
    return 1 if fail_on_rejects and manifest["totals"]["rejects"] else 0
