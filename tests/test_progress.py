"""The progress line: on a terminal only, after a few seconds, throttled, cleared at the end."""

from __future__ import annotations

import io

from mtreview.progress import AFTER, EVERY, Progress


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_short_run_draws_nothing_and_a_long_one_its_files_rate_and_time_left():
    clock, out = Clock(), io.StringIO()
    p = Progress(True, out, clock)
    p.begin(4, 4_000_000)
    clock.now = AFTER / 2
    p.advance(1_000_000)
    assert out.getvalue() == ""
    clock.now = AFTER
    p.advance(1_000_000)
    assert out.getvalue() == "\rmtreview: 2/4 files, 1.00 MB/s, 0:02 left"
    clock.now = AFTER + EVERY / 2  # too soon to redraw
    p.advance(1_000_000)
    assert out.getvalue().count("\r") == 1
    p.finish()
    assert out.getvalue().endswith("\r" + " " * len("mtreview: 2/4 files, 1.00 MB/s, 0:02 left") + "\r")


def test_a_disabled_progress_draws_nothing():
    clock, out = Clock(), io.StringIO()
    p = Progress(False, out, clock)
    p.begin(1, 10)
    clock.now = 100.0
    p.advance(10)
    p.finish()
    assert out.getvalue() == ""


def test_the_report_never_carries_it(cli, write):
    result = cli("check", "-f", "json", "--quiet", "--no-grammar", write("a.txt", "The talks resumed.\n"))
    assert "files," not in result.output and result.json()["files"]
