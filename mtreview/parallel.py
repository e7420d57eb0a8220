"""Checking a long document on several cores: the text is cut between paragraphs into one
stretch per core, and the stretches are checked at the same time in forked processes.

Only rules whose findings in a paragraph depend on that paragraph alone run this way (the
engine keeps the others); the findings are the same as those of one process. Documents
under ``MIN_PART`` characters per core, platforms without ``fork``, and processes that
already run threads (forking those is unsafe) are checked in one process.
``MTREVIEW_JOBS`` sets the number of processes (1: never fork).
"""

from __future__ import annotations

import os
import threading
from bisect import bisect_left
from collections.abc import Callable
from itertools import pairwise

from mtreview.document import Document
from mtreview.errors import MtreviewError

MIN_PART = 1 << 19  # characters per process (~0.1 s of checking): below this, forking costs more than it saves

# The job of the forked workers: set just before the pool forks, read by the workers.
_JOB: tuple | None = None


def jobs() -> int:
    """How many processes may check one document."""
    value = os.environ.get("MTREVIEW_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise MtreviewError(f"MTREVIEW_JOBS={value!r}: use a whole number of processes (1: one process)")
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parts(doc: Document, count: int) -> list[tuple[int, int]]:
    """At most ``count`` stretches ``(start, end)`` covering the text in order, each at
    least ``MIN_PART`` long, cut where a paragraph starts."""
    size = len(doc.text)
    count = min(count, size // MIN_PART)
    if count < 2:
        return [(0, size)]
    starts = [p.start for p in doc.paragraphs[1:]]
    cuts = [0]
    for k in range(1, count):
        i = bisect_left(starts, k * size // count)
        if i < len(starts) and starts[i] - cuts[-1] >= MIN_PART and size - starts[i] >= MIN_PART:
            cuts.append(starts[i])
    cuts.append(size)
    return list(pairwise(cuts))


def map_parts(func: Callable[[Document, int, int], list], doc: Document, spans: list[tuple[int, int]],
              meanwhile: Callable[[], list]) -> list[list]:
    """``[func(doc, start, end) for start, end in spans] + [meanwhile()]``: the spans in
    forked processes when there are several and forking is possible and safe, while this
    process runs ``meanwhile``."""
    global _JOB
    if len(spans) < 2 or threading.active_count() > 1:
        return [func(doc, start, end) for start, end in spans] + [meanwhile()]
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return [func(doc, start, end) for start, end in spans] + [meanwhile()]
    _JOB = (func, doc, spans)
    try:
        pool = multiprocessing.get_context("fork").Pool(len(spans))
    except OSError:  # no processes to spare: do the work here
        _JOB = None
        return [func(doc, start, end) for start, end in spans] + [meanwhile()]
    try:
        pending = pool.map_async(_run, range(len(spans)))
        own = meanwhile()
        return pending.get() + [own]
    finally:
        pool.terminate()
        pool.join()
        _JOB = None


def _run(index: int) -> list:
    assert _JOB is not None  # set before the pool forked this worker
    func, doc, spans = _JOB
    return func(doc, *spans[index])
