"""Start-up: wall time of a whole `mtreview check` process on the sample article.

    python bench/startup.py [--runs N] [--file PATH]

Runs the installed console script (the one beside this Python, not a pyenv shim) as a
subprocess, ``--runs`` times after one warm-up run (which fills the rule cache), and prints
the median and minimum wall time, beside the floor: ``python -c pass`` and
``python -c "import typer"``. As a desk without a LanguageTool server runs it: the runs get a
cache folder of their own (``MTREVIEW_CACHE_DIR``: a server someone started here is not
found; the warm-up fills its rule cache) and ``MTREVIEW_LANGUAGETOOL_URL`` is unset. Also
prints ``--no-scores`` (no readability scorer) for comparison. Target: median at most 180 ms (issue 13).
Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import ROOT, verdict

TARGET_MS = 180.0  # issue 13 (was 250)


def console_script() -> list[str]:
    beside = Path(sys.executable).parent / "mtreview"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("mtreview")
    return [found] if found else [sys.executable, "-m", "mtreview"]


# As a user runs it: Python may write and reuse .pyc files (this sandbox's shell sets
# PYTHONDONTWRITEBYTECODE, which would make every run compile mtreview's modules again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def wall(cmd: list[str], runs: int, env: dict[str, str] | None = None) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=env or ENV, check=False)
        if done.returncode not in (0, 1):  # 1 = findings; anything else is a broken run, not a time
            sys.exit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode(errors='replace').strip()[-500:]}")
        times.append((time.perf_counter() - t0) * 1000)
    return times


def report(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{label:<44} median {median:7.1f} ms   min {min(times):7.1f} ms   ({len(times)} runs)")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--file", default="samples/mt-news-ukraine-es-en.txt")
    args = parser.parse_args()

    script = console_script()
    cmd = script + ["check", args.file]
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is unset for the runs (users' Pythons keep .pyc files)")
    with tempfile.TemporaryDirectory(prefix="mtreview-bench-startup-") as tmp:
        env = {k: v for k, v in ENV.items() if k != "MTREVIEW_LANGUAGETOOL_URL"}
        env["MTREVIEW_CACHE_DIR"] = str(Path(tmp) / "cache")
        wall(cmd, 1, env)  # warm-up: OS caches, .pyc files, the rule cache
        report(f"{sys.executable} -c pass", wall([sys.executable, "-c", "pass"], args.runs))
        report("python -c 'import typer'", wall([sys.executable, "-c", "import typer"], args.runs))
        median = report("mtreview check " + args.file, wall(cmd, args.runs, env))
        report("mtreview check --no-scores " + args.file, wall(cmd + ["--no-scores"], args.runs, env))
    print(f"command: {' '.join(cmd)}")
    print(f"target median <= {TARGET_MS:.0f} ms: {verdict(median <= TARGET_MS)} ({median:.1f} ms)")


if __name__ == "__main__":
    main()
