"""Where the shards are worked on: an ``Executor`` maps a worker over jobs. Each worker (a
process, a Ray actor) calls ``factory()`` once, builds its state there (the rules, the
matchers, a LanguageTool client), then is called with one job after another; results come
back in completion order, with at most two jobs per worker in flight (jobs are read lazily:
memory stays flat however many there are). A job that fails ends the map with a one-line
``MtreviewError`` naming it.

``EXECUTORS`` is the table of ``--executor`` names: ``local`` (this machine's processes,
``LocalExecutor``) and ``ray`` (a Ray cluster, ``mtreview.batch.ray_executor``, imported only
when asked for).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

from mtreview.errors import MtreviewError

J = TypeVar("J")
R = TypeVar("R")


class Executor(Protocol):
    """Runs a worker over jobs (see the module's docstring)."""

    def map(self, factory: Callable[[], Callable[[J], R]], jobs: Iterable[J]) -> Iterator[R]:
        """``factory()(job)`` for each job, in worker processes or actors (``factory`` is
        called once per worker and must be picklable, e.g. ``functools.partial(Worker,
        settings)``); results in completion order."""
        ...

    def describe(self) -> str:
        """What runs the jobs, for the run's first line ("local: 2 processes")."""
        ...

    def close(self) -> None:
        """Stop the workers (and whatever the executor started)."""
        ...


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def failure(job: Any, exc: BaseException) -> MtreviewError:
    """The one-line error of a job that failed: the job, and what went wrong."""
    said = " ".join(str(exc).split())  # one line, whatever the exception's message holds
    if isinstance(exc, MtreviewError):
        return MtreviewError(f"{job}: {said}")
    return MtreviewError(f"{job}: {type(exc).__name__}: {said} (an mtreview bug: please report it with this line)")


class LocalExecutor:
    """Jobs on this machine: in this process (``workers=1``), else in ``workers`` processes
    (default: one per core) started by a fork server (spawn where there is none): never a
    plain fork of a process that may run threads (pyarrow's)."""

    def __init__(self, workers: int | None = None):
        if workers is not None and workers < 1:
            raise MtreviewError(f"--workers {workers}: use 1 or more (default: one per core)")
        self.workers = workers or cores()
        self._pool: Any = None

    def describe(self) -> str:
        return "local: this process" if self.workers == 1 else f"local: {self.workers} processes"

    def map(self, factory: Callable[[], Callable[[J], R]], jobs: Iterable[J]) -> Iterator[R]:
        if self.workers == 1:
            yield from self._here(factory, jobs)
        else:
            yield from self._processes(factory, jobs)

    def _here(self, factory: Callable[[], Callable[[J], R]], jobs: Iterable[J]) -> Iterator[R]:
        worker: Callable[[J], R] | None = None
        for job in jobs:
            try:
                if worker is None:  # built when the first job comes: a run with nothing to do builds nothing
                    worker = factory()
                result = worker(job)
            except Exception as exc:
                raise failure(job, exc) from None
            yield result

    def _processes(self, factory: Callable[[], Callable[[J], R]], jobs: Iterable[J]) -> Iterator[R]:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        pending: dict[Future, Any] = {}
        source = iter(jobs)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < 2 * self.workers:
                    job = next(source, _END)
                    if job is _END:
                        exhausted = True
                        break
                    if self._pool is None:  # started with the first job
                        self._pool = ProcessPoolExecutor(self.workers, multiprocessing.get_context(method),
                                                         initializer=_start, initargs=(factory,))
                    pending[self._pool.submit(_call, job)] = job
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: id(pending[f])):
                    job = pending.pop(future)
                    exc = future.exception()
                    if isinstance(exc, BrokenProcessPool):
                        raise MtreviewError(f"{job}: a worker process died (killed, or out of memory?); "
                                            "run again to resume") from None
                    if exc is not None:
                        raise failure(job, exc) from None
                    yield future.result()
        finally:
            for future in pending:
                future.cancel()
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


_END = object()

# The worker of a process of LocalExecutor's pool (built by ``_start``), or why it could not be.
_WORKER: Callable | None = None
_FAILED: BaseException | None = None


def _start(factory: Callable[[], Callable]) -> None:
    """A pool process's start: Ctrl-C is the driver's to handle; the worker built once."""
    global _WORKER, _FAILED
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _WORKER = factory()
    except Exception as exc:  # said by the first job it gets (an initializer's error would break the pool)
        _FAILED = exc


def _call(job: Any) -> Any:
    if _FAILED is not None:
        raise _FAILED
    assert _WORKER is not None
    return _WORKER(job)


def _ray(address: str | None, workers: int | None) -> Executor:
    from mtreview.batch.ray_executor import RayExecutor  # ray is an optional extra: imported only here

    return RayExecutor(address, workers)


def _local(address: str | None, workers: int | None) -> Executor:
    if address is not None:
        raise MtreviewError("--address: names a Ray cluster; use it with --executor ray")
    return LocalExecutor(workers)


#: ``--executor``: name -> maker of the executor, given ``--address`` and ``--workers``.
EXECUTORS: dict[str, Callable[[str | None, int | None], Executor]] = {"local": _local, "ray": _ray}


def executor_named(name: str, address: str | None = None, workers: int | None = None) -> Executor:
    """The executor ``--executor NAME`` asks for."""
    if name not in EXECUTORS:
        from mtreview.options import unknown_choice

        raise MtreviewError(f"--executor {name!r}: {unknown_choice(name, tuple(EXECUTORS), 'executor')}")
    if workers is not None and workers < 1:
        raise MtreviewError(f"--workers {workers}: use 1 or more (default: one per core)")
    return EXECUTORS[name](address, workers)
