"""A progress line on stderr for long runs: files done of the total, MB/s and time left.

Shown only when stderr is a terminal, and only once a run has lasted ``AFTER`` seconds (a
short check prints nothing); redrawn at most every ``EVERY`` seconds on one line, which is
cleared when the run ends. The report itself (stdout or ``--output``) never carries it.
``mtreview check --quiet`` turns it off.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

AFTER = 2.0  # seconds before the line first shows
EVERY = 0.25  # seconds between redraws


class Progress:
    """What the reviewers report as they go (``begin``, ``advance``) and the line drawn
    from it; a disabled one draws nothing."""

    def __init__(self, enabled: bool, stream: TextIO | None = None, clock=time.monotonic):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.files = self.done_files = 0
        self.chars = self.done_chars = 0
        self._drawn_at: float | None = None
        self._width = 0

    @classmethod
    def for_terminal(cls, quiet: bool) -> Progress:
        """On when stderr is a terminal and ``--quiet`` is not given."""
        return cls(not quiet and sys.stderr.isatty())

    def begin(self, files: int, chars: int) -> None:
        """Files about to be checked (and their characters)."""
        self.files += files
        self.chars += chars

    def advance(self, chars: int) -> None:
        """One file checked."""
        self.done_files += 1
        self.done_chars += chars
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < AFTER or (self._drawn_at is not None and now - self._drawn_at < EVERY):
            return
        self._drawn_at = now
        self._draw(self.line(now))

    def line(self, now: float) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done_chars / elapsed
        left = (self.chars - self.done_chars) / rate if rate else 0.0
        return (f"mtreview: {self.done_files}/{self.files} files, {rate / 1e6:.2f} MB/s, "
                f"{int(left) // 60}:{int(left) % 60:02d} left")

    def _draw(self, text: str) -> None:
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def finish(self) -> None:
        """Clear the line (when one was drawn)."""
        if self._drawn_at is not None:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._drawn_at = None
