"""A batch run's progress on stderr: articles done (reviewed, reused), articles/s and MB/s of
the work reviewed, how far through the input it is and the time left.

On a terminal the line is redrawn in place (at most every ``EVERY`` seconds, from ``AFTER``
seconds on) and cleared at the end; elsewhere (a log, CI) a line is written every ``EVERY_LOG``
seconds, the first after as long. ``--quiet`` turns it off. The time left is reckoned from the rate of the work
reviewed so far over the input bytes not yet done (skipped shards cost nothing).
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

AFTER = 1.0
EVERY = 0.25
EVERY_LOG = 10.0


class BatchProgress:
    def __init__(self, enabled: bool, total_bytes: int = 0, stream: TextIO | None = None,
                 interactive: bool | None = None, clock=time.monotonic):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.interactive = self.stream.isatty() if interactive is None else interactive
        self.clock = clock
        self.started = clock()
        self.total_bytes = total_bytes
        self.articles = self.reviewed = 0
        self.done_bytes = self.reviewed_bytes = 0
        self._shown_at: float | None = None
        self._width = 0

    def shard(self, articles: int, reviewed: int, input_bytes: int, worked: bool) -> None:
        """A shard done: its articles, how many of them were reviewed, the input bytes it
        covers, and whether it was worked on (else: skipped, already done)."""
        self.articles += articles
        self.reviewed += reviewed
        self.done_bytes += input_bytes
        if worked:
            self.reviewed_bytes += input_bytes
        if not self.enabled:
            return
        now = self.clock()
        if self._shown_at is None:  # the first line: after AFTER seconds on a terminal, EVERY_LOG in a log
            since, wait = self.started, AFTER if self.interactive else EVERY_LOG
        else:
            since, wait = self._shown_at, EVERY if self.interactive else EVERY_LOG
        if now - since < wait:
            return
        self._shown_at = now
        self._show(self.line(now))

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.reviewed_bytes / elapsed
        left = max(self.total_bytes - self.done_bytes, 0)
        share = f", {min(100 * self.done_bytes // max(self.total_bytes, 1), 100)}%" if self.total_bytes else ""
        eta = f", {_clock(left / rate)} left" if rate > 0 and left else ""
        return (f"mtreview batch: {self.articles:,} articles ({self.reviewed:,} reviewed, "
                f"{self.articles - self.reviewed:,} reused), {self.reviewed / elapsed:,.1f} articles/s, "
                f"{rate / 1e6:.2f} MB/s{share}{eta}")

    def _show(self, text: str) -> None:
        if self.interactive:
            self.stream.write("\r" + text.ljust(self._width))
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        """Clear the line drawn on a terminal."""
        if self.interactive and self._shown_at is not None:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._shown_at = None


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"
