"""The executors of `mtreview batch` (mtreview/batch/executors.py), with a toy worker: each
worker calls the factory once and serves every job it gets; every job's result comes back;
jobs are taken lazily (at most two per worker in flight); a failing job or factory ends the
map with a one-line error naming the job; nothing starts when there is nothing to do."""

from __future__ import annotations

import functools
import os

import pytest

from mtreview.batch.executors import EXECUTORS, LocalExecutor, executor_named
from mtreview.errors import MtreviewError

BUILT: list[int] = []  # the toy workers built in this process


class Toy:
    """A worker: doubles numbers, and says which process and which build of it did."""

    def __init__(self, fail_on: int | None = None, broken: bool = False):
        if broken:
            raise MtreviewError("the toy cannot start")
        BUILT.append(os.getpid())
        self.builds = len(BUILT)
        self.fail_on = fail_on

    def __call__(self, job: int) -> tuple[int, int, int]:
        if job == self.fail_on:
            raise ValueError(f"no {job}\n  (said over\n  three lines)")
        if job == -1:
            raise MtreviewError("a job's own error")
        return job * 2, os.getpid(), self.builds


@pytest.mark.parametrize("workers", [1, 2])
def test_every_job_once_each_worker_built_once(workers):
    BUILT.clear()
    executor = LocalExecutor(workers)
    try:
        results = list(executor.map(Toy, range(40)))
    finally:
        executor.close()
    assert sorted(r[0] for r in results) == [2 * n for n in range(40)]
    by_process: dict[int, set[int]] = {}
    for _, pid, builds in results:
        by_process.setdefault(pid, set()).add(builds)
    assert all(builds == {1} for builds in by_process.values())  # one build per process, reused for every job
    if workers == 1:
        assert set(by_process) == {os.getpid()}
        assert [os.getpid()] == BUILT
    else:
        assert os.getpid() not in by_process and len(by_process) <= 2 and not BUILT


@pytest.mark.parametrize("workers", [1, 2])
def test_jobs_are_taken_lazily(workers):
    pulled = []

    def jobs():
        for n in range(30):
            pulled.append(n)
            yield n

    executor = LocalExecutor(workers)
    try:
        for count, _ in enumerate(executor.map(Toy, jobs()), 1):
            assert len(pulled) - count <= 2 * workers
    finally:
        executor.close()


def test_nothing_to_do_builds_nothing():
    BUILT.clear()
    executor = LocalExecutor(1)
    assert list(executor.map(functools.partial(Toy, broken=True), [])) == []
    executor = LocalExecutor(2)
    assert list(executor.map(Toy, iter([]))) == []
    assert executor._pool is None  # no process started


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_job_ends_the_map_naming_it(workers):
    executor = LocalExecutor(workers)
    with pytest.raises(MtreviewError) as info:
        list(executor.map(functools.partial(Toy, fail_on=7), range(20)))
    assert str(info.value) == "7: ValueError: no 7 (said over three lines) (an mtreview bug: please report it with this line)"
    with pytest.raises(MtreviewError, match=r"^-1: a job's own error$"):
        list(executor.map(Toy, [3, -1, 4]))
    with pytest.raises(MtreviewError, match=r"^[0-2]: the toy cannot start$"):  # every job fails: the first to end says it
        list(executor.map(functools.partial(Toy, broken=True), range(3)))
    executor.close()


def test_the_executors_by_name():
    assert set(EXECUTORS) == {"local", "ray"}
    assert executor_named("local", workers=3).describe() == "local: 3 processes"
    assert executor_named("local", workers=1).describe() == "local: this process"
    with pytest.raises(MtreviewError, match=r"--executor 'lcoal': unknown executor \(did you mean local\?\)"):
        executor_named("lcoal")
    with pytest.raises(MtreviewError, match="--workers 0: use 1 or more"):
        executor_named("local", workers=0)
    with pytest.raises(MtreviewError, match="--address: names a Ray cluster"):
        executor_named("local", address="10.0.0.1:6379")
