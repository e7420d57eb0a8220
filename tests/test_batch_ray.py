"""The Ray executor (mtreview/batch/ray_executor.py). `mtreview batch --executor ray --workers 2`
on a JSONL archive built from the shared eval set starts a local Ray of its own, writes what
`--executor local` writes (row by row), says nothing of Ray's on stderr and leaves no Ray
process behind. With toy workers: each actor builds its state once, every job comes back
once, jobs are read from the iterator only as actors free up (memory flat in the number of
jobs), a failing job or factory ends the run with a one-line MtreviewError, a worker that dies
is restarted and its shard retried, one that dies every time ends the run with one line, and
Ray's own reports of it stay off the output.

The toy tests share one local Ray (two CPUs, started once for the module), which the executor
joins as it joins any Ray this process is connected to; the two tests of a Ray the executor
starts itself run it in a process of their own. Everything but the missing-Ray errors skips,
saying why, only when ray is not importable.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import eval_dir
from mtreview.errors import MtreviewError

RAY_SKIP = "ray is not installed: pip install 'mtreview[ray]' (or the test extra) to test the Ray executor"
#: set in the environment of the Ray processes a test starts: /proc/PID/environ finds them
#: all (workers and agents rename themselves, so their command lines do not say whose they are)
MARK = "MTREVIEW_TEST_RAY_MARK"


def ray_processes(mark: str) -> list[str]:
    """Processes (other than this one) whose environment carries ``MARK=mark``: ``ps`` by environment."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if needle in (proc / "environ").read_bytes().split(b"\0"):
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                found.append(f"{proc.name} {command[:120]}")
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found


def assert_no_ray_left(mark: str, deadline: float = 60) -> None:
    """Ray's processes exit a little after shutdown returns: wait for them, up to a deadline."""
    end = time.monotonic() + deadline
    while (left := ray_processes(mark)) and time.monotonic() < end:
        time.sleep(0.2)
    assert not left, f"Ray processes left behind: {left}"


@pytest.fixture(scope="module")
def local_ray():
    """``ray.init(num_cpus=2)``, quiet, for this module; shut down (and checked gone) at its end."""
    ray = pytest.importorskip("ray", reason=RAY_SKIP)
    mark = uuid.uuid4().hex
    os.environ[MARK] = mark  # only while Ray starts: its processes inherit it, later children of pytest do not
    try:
        ray.init(address="local", num_cpus=2, object_store_memory=100 * 1024 * 1024, include_dashboard=False,
                 log_to_driver=False, logging_level="ERROR")
    finally:
        del os.environ[MARK]
    # the toy factories below live in this module, which Ray's workers cannot import: ship them by value
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        yield ray
    finally:
        ray.shutdown()
        assert_no_ray_left(mark)


@pytest.fixture
def executor(local_ray):
    from mtreview.batch.ray_executor import RayExecutor

    ex = RayExecutor(None, 2)
    yield ex
    ex.close()  # the module's Ray is the caller's: close leaves it running


@dataclass(frozen=True)
class Job:
    index: int

    def __str__(self) -> str:
        return f"shard {self.index}"


class Toy:
    """A toy worker: its construction (the expensive state of a real one) is logged to ``calls``."""

    def __init__(self, calls: Path, fail: int | None = None) -> None:
        self.token = uuid.uuid4().hex
        self.fail = fail
        with open(calls, "a", encoding="utf-8") as log:
            log.write(f"{self.token}\n")

    def __call__(self, job: Job) -> tuple[int, str, int]:
        if job.index == self.fail:
            raise ValueError(f"toy failure on {job.index}")
        return job.index, self.token, os.getpid()


class Dies:
    """A toy worker whose process dies (as if killed, or out of memory) on job ``index``: once
    when ``marker`` names a file it creates, else every time (DYING_SCRIPT)."""

    def __init__(self, index: int, marker: Path | None) -> None:
        self.index, self.marker = index, marker

    def __call__(self, job: Job) -> int:
        if job.index == self.index and (self.marker is None or not self.marker.exists()):
            if self.marker is not None:
                self.marker.touch()
            os._exit(1)
        return job.index


def broken_factory():
    raise MtreviewError("--config broken.yaml: not a mapping")


# -- a Ray of the executor's own: `mtreview batch --executor ray` beside `--executor local` ---------------
# (first in the module: their Rays are started and stopped before the module's starts)
def eval_jsonl(path: Path) -> Path:
    """About 60 articles of 3–9 lines of the eval set's English (references and MT of four pairs)
    with desk, engine and date, then a row that is not JSON and a duplicate id (two rejects)."""
    rng = random.Random(17)
    rows = []
    for pair in ("es-en", "fr-en", "de-en", "pt-en"):
        for source in sorted((eval_dir() / pair).glob("*.txt")):
            if ".src." in source.name:
                continue
            lines = [ln for ln in source.read_text(encoding="utf-8").split("\n") if ln.strip()]
            engine = "human" if ".ref." in source.name else source.name.split(".")[1]
            at = 0
            for n in range(6):
                size = rng.randint(3, 9)
                text = "\n\n".join(" ".join(lines[at + k : at + min(k + 4, size)]) for k in range(0, size, 4)) + "\n"
                rows.append(json.dumps({"id": f"{pair}/{engine}/{n}", "text": text, "desk": pair[:2], "engine": engine,
                                        "date": f"2009-0{n % 3 + 1}-1{n}"}, ensure_ascii=False))
                at += size
    rows += ['{"id": "broken", "text": ', rows[0]]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def outputs_of(folder: Path) -> tuple[dict, dict[str, list[dict]], str]:
    """The manifest without its times, every shard file's rows by name, and the rejects file."""
    from mtreview.batch.outputs import read_rows

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for varying in ("started", "finished", "seconds", "cpu_seconds"):  # times: the run's, not its outputs'
        manifest.pop(varying, None)
    rows = {}
    for shard in manifest["shards"]:
        for table in ("articles", "findings"):
            rows[shard[table]] = read_rows(folder / shard[table])
    return manifest, rows, (folder / "rejects.jsonl").read_text(encoding="utf-8")


def test_batch_on_a_ray_of_its_own_writes_what_the_local_executor_writes(cli, cli_process, tmp_path):
    """`--executor ray --workers 2` starts a local Ray (two CPUs), reviews the shards on two
    actors, stops it: the same manifest, shard files row by row and rejects as `--executor
    local`; nothing of Ray's on stderr; no Ray process left."""
    pytest.importorskip("ray", reason=RAY_SKIP)
    data = eval_jsonl(tmp_path / "archive.jsonl")
    common = (data, "--no-grammar", "-q", "--meta", "desk,engine,date", "--shard-size", "8")
    local = cli("batch", *common, "-o", tmp_path / "local", "--executor", "local", "--workers", "2")
    assert local.code == 0, local.output
    mark = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="mtr-ray-", dir="/tmp") as temp:  # short: Ray's socket paths are limited
        ray = cli_process("batch", *common, "-o", tmp_path / "ray", "--executor", "ray", "--workers", "2",
                          env={MARK: mark, "RAY_TMPDIR": temp, "RAY_ADDRESS": None}, timeout=300)
        assert ray.code == 0, ray.output
        assert_no_ray_left(mark)
    (line,) = ray.err.splitlines()  # the run's summary, and none of Ray's log lines
    assert re.fullmatch(r"mtreview batch: .* \(ray: 2 actors on \S+; .*\)", line), line
    local_manifest, local_rows, local_rejects = outputs_of(tmp_path / "local")
    ray_manifest, ray_rows, ray_rejects = outputs_of(tmp_path / "ray")
    assert len(local_manifest["shards"]) > 4 and local_manifest["totals"]["rejects"] == 2
    assert local_manifest["totals"]["findings"] > 0
    assert ray_manifest == local_manifest
    assert ray_rejects == local_rejects
    assert ray_rows.keys() == local_rows.keys()
    for name, rows in local_rows.items():
        assert ray_rows[name] == rows, name


DYING_SCRIPT = f"""
import functools, sys
from pathlib import Path
import ray
import test_batch_ray as t
from mtreview.batch.ray_executor import RayExecutor
executor = RayExecutor(None, 2)
ray.cloudpickle.register_pickle_by_value(t)
print(sorted(executor.map(functools.partial(t.{Dies.__name__}, 5, Path(sys.argv[1])), map(t.Job, range(12)))))
try:
    list(executor.map(functools.partial(t.{Dies.__name__}, 2, None), map(t.Job, range(6))))
finally:
    executor.close()
"""


def test_dying_workers_on_a_ray_of_its_own_say_one_line_and_nothing_of_rays(tmp_path):
    """Ray's driver prints its daemons' reports of dead workers and retried tasks on stdout;
    the executor's own Ray keeps them off: a worker restarted says nothing, one that dies for
    good ends the run with the executor's one line."""
    pytest.importorskip("ray", reason=RAY_SKIP)
    mark = uuid.uuid4().hex
    with tempfile.TemporaryDirectory(prefix="mtr-ray-", dir="/tmp") as temp:
        env = {**os.environ, MARK: mark, "RAY_TMPDIR": temp, "PYTHONPATH": str(Path(__file__).parent)}
        env.pop("RAY_ADDRESS", None)
        done = subprocess.run([sys.executable, "-c", DYING_SCRIPT, str(tmp_path / "died")], capture_output=True, text=True,
                              env=env, timeout=300)
        assert_no_ray_left(mark)
    # the worker that died once was restarted, its job retried: every job came back once
    assert done.stdout == f"{list(range(12))}\n"  # and nothing of Ray's
    # the one that died every time ends the run naming the shards its actor held (Ray cannot
    # say which of them killed it)
    (last,) = done.stderr.strip().splitlines()[-1:]
    assert re.fullmatch(r"mtreview\.errors\.MtreviewError: --executor ray: a Ray worker died with (shard \d+ and )*shard 2"
                        r"( and shard \d+)* in hand \(\w+: [^\n]*\); run again to resume \(set MTREVIEW_RAY_LOGS=1 to see Ray's log\)",
                        last), done.stderr
    assert "(raylet)" not in done.stderr and "retried" not in done.stderr, done.stderr


def test_batch_with_ray_missing_is_a_one_line_error(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    (tmp_path / "in.jsonl").write_text('{"id": "a", "text": "Some text."}\n', encoding="utf-8")
    result = cli("batch", tmp_path / "in.jsonl", "-o", tmp_path / "out", "--executor", "ray", "--no-grammar")
    assert result.code == 2
    assert result.err.strip().endswith("--executor ray: Ray is not installed; pip install 'mtreview[ray]'"), result.err
    assert len(result.err.strip().splitlines()) == 1


# -- without Ray ---------------------------------------------------------------------------------
def test_without_ray_the_executor_says_how_to_install_it(monkeypatch):
    from mtreview.batch import ray_executor

    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` raises ImportError
    with pytest.raises(MtreviewError) as caught:
        ray_executor.RayExecutor(None, 2)
    message = str(caught.value)
    assert message == "--executor ray: Ray is not installed; pip install 'mtreview[ray]'"


# -- the executor on the module's Ray ------------------------------------------------------------
def test_each_actor_builds_its_state_once_and_every_job_comes_back_once(executor, tmp_path):
    calls = tmp_path / "calls"
    results = list(executor.map(functools.partial(Toy, calls), (Job(i) for i in range(60))))
    assert sorted(index for index, _, _ in results) == list(range(60))
    tokens = calls.read_text(encoding="utf-8").split()
    assert len(tokens) == 2  # the factory ran once per actor, not once per job
    assert {token for _, token, _ in results} <= set(tokens)
    by_token = {}
    for _, token, pid in results:
        by_token.setdefault(token, set()).add(pid)
    assert all(len(pids) == 1 for pids in by_token.values())  # one state per process
    assert executor.describe().startswith(f"ray: 2 actors on {executor.address}")


def test_jobs_are_read_only_as_actors_free_up(executor, tmp_path):
    """At the k-th result, at most k - 1 + 2 × workers jobs have been taken from the iterator:
    the driver never holds more than that many jobs, whatever their number."""
    taken = 0

    def jobs():
        nonlocal taken
        for i in range(40):
            taken += 1
            yield Job(i)

    seen = []
    for k, result in enumerate(executor.map(functools.partial(Toy, tmp_path / "calls"), jobs()), start=1):
        seen.append(result[0])
        assert taken <= k - 1 + 2 * executor.workers, (k, taken)
    assert sorted(seen) == list(range(40))


def test_a_failing_job_ends_the_run_with_a_one_line_error_naming_it(executor, tmp_path):
    with pytest.raises(MtreviewError) as caught:
        list(executor.map(functools.partial(Toy, tmp_path / "calls", fail=7), (Job(i) for i in range(20))))
    message = str(caught.value)
    assert message == "shard 7: ValueError: toy failure on 7 (an mtreview bug: please report it with this line)"  # as the local executor says it
    # the executor is still usable: the failed run's actors are gone, new ones serve the next run
    assert sorted(r[0] for r in executor.map(functools.partial(Toy, tmp_path / "calls"), map(Job, range(5)))) == list(range(5))


def test_a_factory_that_fails_ends_the_run_with_its_message(executor):
    with pytest.raises(MtreviewError) as caught:
        list(executor.map(broken_factory, map(Job, range(3))))
    assert str(caught.value) == "--executor ray: a worker could not start: --config broken.yaml: not a mapping"


def test_more_workers_than_the_cluster_has_cpus_is_a_usage_error(local_ray):
    from mtreview.batch.ray_executor import RayExecutor

    with pytest.raises(MtreviewError, match=r"^--workers 5: the Ray cluster at \S+ has 2 CPUs"):
        RayExecutor(None, 5)
    assert local_ray.is_initialized()  # a Ray it joined is left running
