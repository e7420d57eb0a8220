"""The Ray executor of ``mtreview batch --executor ray [--address ADDR]``: the same jobs as the
local executor, run by one Ray actor per worker, on this machine or on a cluster.

Why actors: each actor calls the factory once and keeps what it returns (the Reviewer: loaded
rules, compiled matchers, a LanguageTool client), so the state a worker needs is built once
per actor, not once per shard. Jobs are handed out as actors free up, at most
``IN_FLIGHT_PER_WORKER`` per actor, and read from the job iterator only then: the driver's
memory stays flat in the number of jobs. Results come back in completion order.

Which Ray: a Ray this process is already connected to is used as it is and left running;
else ``--address`` (or ``RAY_ADDRESS``, which ``ray job submit`` sets) is joined, and
disconnected from at the end, never stopped; else a local Ray is started (one CPU per
worker, a small object store, the dashboard only when ``ray[default]`` is installed) and
shut down by ``close``. Ray's own log lines stay off stderr unless ``MTREVIEW_RAY_LOGS=1``.

Ray is an optional extra (``pip install 'mtreview[ray]'``), imported only here, and this
module only when ``--executor ray`` is chosen.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from mtreview.batch.executors import cores, failure
from mtreview.errors import MtreviewError

J = TypeVar("J")
R = TypeVar("R")

INSTALL_HINT = "--executor ray: Ray is not installed; pip install 'mtreview[ray]'"
#: jobs handed to one actor at a time: one running, one waiting (its input already shipped)
IN_FLIGHT_PER_WORKER = 2
#: a started Ray's object store: jobs pass through it two shards per actor at a time (500
#: articles of 3 KB: 1.5 MB a shard), results are counts; Ray's default (30 % of the machine's
#: memory) would be waste. Ray's floor is 75 MB.
OBJECT_STORE_BYTES = 128 * 1024 * 1024
#: a worker that dies (killed, out of memory, its node lost) is restarted and its job retried
#: this many times; a job that raises is not retried (it would raise again)
RESTARTS = 2
#: set to 1 to see Ray's own log lines and the actors' output on stderr
LOGS_VARIABLE = "MTREVIEW_RAY_LOGS"


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise MtreviewError(INSTALL_HINT) from None
    return ray


def _dashboard_installed() -> bool:
    """Whether ``ray[default]`` (the dashboard's dependencies) is installed: Ray's own test."""
    try:
        from ray._private.utils import get_dashboard_dependency_error
    except ImportError:
        return False
    return get_dashboard_dependency_error() is None


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0] if text else type(value).__name__


class _Holder:
    """The actor: calls the factory once, keeps the callable, runs each job through it.

    A factory that raises is kept as an error and raised again by ``ready`` and ``run``, so
    the driver gets the exception itself, not a dead actor."""

    def __init__(self, factory: Callable[[], Callable[[Any], Any]]) -> None:
        self._error: BaseException | None = None
        self._run: Callable[[Any], Any] | None = None
        try:
            self._run = factory()
        except Exception as exc:
            self._error = exc

    def ready(self) -> int:
        if self._error is not None:
            raise self._error
        return os.getpid()

    def run(self, job: Any) -> Any:
        if self._error is not None:
            raise self._error
        assert self._run is not None
        return self._run(job)


class RayExecutor:
    """``map(factory, jobs)`` on Ray actors; see the module docstring."""

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        if workers is not None and workers < 1:
            raise MtreviewError(f"--workers {workers}: use 1 or more workers")
        self._ray = ray = _import_ray()
        self._verbose = os.environ.get(LOGS_VARIABLE, "").strip() not in ("", "0")
        self._connected = False  # whether close() disconnects (and stops a Ray it started)
        self._printer: Any = None  # Ray's printer of its error messages, while ours silences it
        if not ray.is_initialized():
            target = address or os.environ.get("RAY_ADDRESS") or None
            if target:
                self._join(target)
            else:
                self._start(workers or cores())
        self.address = _gcs_address(ray)
        self._dashboard = _dashboard_url(ray)
        try:
            self.workers = self._check_workers(workers)
        except MtreviewError:
            self.close()
            raise

    # -- connecting ------------------------------------------------------------------------
    def _quiet(self) -> dict[str, Any]:
        level = logging.INFO if self._verbose else logging.ERROR
        return {"log_to_driver": self._verbose, "configure_logging": True, "logging_level": level}

    def _silence_errors(self) -> None:
        """Ray's driver prints the errors its daemons report ("(raylet) A worker died…", "Task
        … will be retried") on stdout whatever ``log_to_driver`` says: through a function of
        its worker module, replaced here until ``close`` (unless ``MTREVIEW_RAY_LOGS`` asks for
        them). A dead worker still ends the run with one line; one that is restarted says nothing."""
        module: Any = getattr(getattr(self._ray, "_private", None), "worker", None)
        if self._verbose or not callable(getattr(module, "print_to_stdstream", None)):
            return
        self._printer = module.print_to_stdstream
        module.print_to_stdstream = lambda *_, **__: None

    def _join(self, target: str) -> None:
        try:
            self._ray.init(address=target, **self._quiet())
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError here
            raise MtreviewError(f"--address {target}: cannot join the Ray cluster there ({_first_line(exc)}); "
                                "start one with `ray start --head` or give the address it printed") from None
        self._connected = True
        self._silence_errors()

    def _start(self, workers: int) -> None:
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no usage report over the network, whatever the build
        try:
            self._ray.init(address="local", num_cpus=workers, object_store_memory=OBJECT_STORE_BYTES,
                           include_dashboard=_dashboard_installed(), **self._quiet())
        except Exception as exc:
            raise MtreviewError(f"--executor ray: a local Ray could not start ({_first_line(exc)}); "
                                f"set {LOGS_VARIABLE}=1 to see Ray's log") from None
        self._connected = True
        self._silence_errors()

    def _check_workers(self, workers: int | None) -> int:
        """One actor per worker, each taking one CPU: more actors than the cluster has CPUs
        would wait for ever."""
        cpus = int(self._ray.cluster_resources().get("CPU", 0))
        if cpus < 1:
            raise MtreviewError(f"--executor ray: the Ray cluster at {self.address} has no CPUs to run workers on")
        if workers is None:
            return cpus
        if workers > cpus:
            raise MtreviewError(f"--workers {workers}: the Ray cluster at {self.address} has {cpus} CPUs "
                                f"(one per worker); use --workers {cpus} or fewer, or add nodes")
        return workers

    # -- the Executor protocol ----------------------------------------------------------------
    def describe(self) -> str:
        where = f"ray: {self.workers} actor{'s' if self.workers != 1 else ''} on {self.address}"
        return f"{where} (dashboard {self._dashboard})" if self._dashboard else where

    def map(self, factory: Callable[[], Callable[[J], R]], jobs: Iterable[J]) -> Iterator[R]:
        ray = self._ray
        actor_class = ray.remote(_Holder).options(num_cpus=1, max_restarts=RESTARTS, max_task_retries=RESTARTS)
        actors = [actor_class.remote(factory) for _ in range(self.workers)]
        try:
            self._ready(actors)
            yield from self._run(actors, jobs)
        finally:
            if ray.is_initialized():  # else close() came first and took the actors with it
                for actor in actors:
                    ray.kill(actor)

    def close(self) -> None:
        if self._connected:
            self._connected = False
            self._ray.shutdown()
            if self._printer is not None:
                self._ray._private.worker.print_to_stdstream, self._printer = self._printer, None

    # -- running ----------------------------------------------------------------------------
    def _ready(self, actors: list[Any]) -> None:
        """Wait until every actor has built its state; a factory's error ends the run."""
        try:
            self._ray.get([actor.ready.remote() for actor in actors])
        except self._ray.exceptions.RayError as exc:
            raise self._error(exc, None) from None

    def _run(self, actors: list[Any], jobs: Iterable[J]) -> Iterator[R]:
        ray = self._ray
        free = deque(actors * IN_FLIGHT_PER_WORKER)  # one entry per free slot of an actor
        pending: dict[Any, tuple[Any, str]] = {}  # result ref -> (actor, what the job is): never the job itself
        # (in the order given: a dict keeps it)
        source = iter(jobs)
        exhausted = False
        while True:
            while free and not exhausted:
                try:
                    job = next(source)
                except StopIteration:
                    exhausted = True
                    break
                actor = free.popleft()
                pending[actor.run.remote(job)] = (actor, str(job))
                del job
            if not pending:
                return
            (ref,), _ = ray.wait(list(pending), num_returns=1)
            actor, name = pending.pop(ref)
            try:
                result = ray.get(ref)
            except ray.exceptions.RayError as exc:
                held = [name] + [other for holder, other in pending.values() if holder is actor]
                raise self._error(exc, name, held) from None
            del ref
            free.append(actor)
            yield result

    def _error(self, exc: Any, job: str | None, held: list[str] | None = None) -> MtreviewError:
        """The one-line error of a job (None: of an actor's start): the job's own exception as
        the local executor says it (``executors.failure``); a dead worker as such, with the
        jobs it held (``held``: which of them killed it, Ray cannot say; its text is pages)."""
        cause = getattr(exc, "cause", None)
        if isinstance(exc, self._ray.exceptions.RayTaskError) and isinstance(cause, Exception):
            if job is not None:
                return failure(job, cause)
            if isinstance(cause, MtreviewError):
                return MtreviewError(f"--executor ray: a worker could not start: {cause}")
            return MtreviewError(f"--executor ray: a worker could not start: {type(cause).__name__}: {cause}")
        where = f" with {' and '.join(held or [])} in hand" if held else ""
        return MtreviewError(f"--executor ray: a Ray worker died{where} ({type(exc).__name__}: {_first_line(exc)}); "
                             f"run again to resume (set {LOGS_VARIABLE}=1 to see Ray's log)")


def _gcs_address(ray: Any) -> str:
    try:
        return str(ray.get_runtime_context().gcs_address)
    except Exception:  # an older Ray without it: the address is only shown
        return "?"


def _dashboard_url(ray: Any) -> str:
    """The dashboard's URL, "" when the cluster runs none (Ray without ``ray[default]``)."""
    try:
        url = str(ray._private.worker.get_dashboard_url() or "")
    except Exception:  # not part of Ray's public API: without it, no URL is shown
        return ""
    return url if not url or "://" in url else f"http://{url}"
