"""Bilingual review's cost: wall time of a whole `mtreview check` process on the seed article
with its source, against the same article checked alone, in the same run.

    python bench/bilingual_speed.py [--runs N] [--file PATH] [--source PATH]

Runs the installed console script as ``bench/startup.py`` does (a cache folder of its own,
filled by one warm-up run of each command; no LanguageTool server: as a desk without one
runs it), alternating the two commands ``--runs`` times so that both see the same machine
load, with default options otherwise. Prints the medians and their ratio. Target: the
check with the source at most 1.5 times the monolingual one. Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from startup import ENV, console_script, report, wall

from _corpus import verdict

TARGET_RATIO = 1.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--file", default="samples/mt-news-ukraine-es-en.txt")
    parser.add_argument("--source", default="samples/mt-news-ukraine-es-en.es.txt")
    args = parser.parse_args()

    mono = console_script() + ["check", args.file, "--fail-on", "never"]
    paired = mono + ["--source", args.source]
    with tempfile.TemporaryDirectory(prefix="mtreview-bench-bilingual-") as tmp:
        env = {k: v for k, v in ENV.items() if k != "MTREVIEW_LANGUAGETOOL_URL"}
        env["MTREVIEW_CACHE_DIR"] = str(Path(tmp) / "cache")
        wall(mono, 1, env)  # warm-up: OS caches, .pyc files, the rule and word-list caches
        wall(paired, 1, env)
        times: dict[str, list[float]] = {"mono": [], "paired": []}
        for _ in range(args.runs):
            times["mono"] += wall(mono, 1, env)
            times["paired"] += wall(paired, 1, env)
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is unset for the runs (users' Pythons keep .pyc files)")
    base = report("mtreview check " + args.file, times["mono"])
    with_source = report("  … --source " + args.source, times["paired"])
    ratio = with_source / base
    print(f"python: {sys.executable}; ratio of medians {ratio:.2f}, of the fastest runs "
          f"{min(times['paired']) / min(times['mono']):.2f}")
    print(f"target ratio <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)} ({ratio:.2f})")


if __name__ == "__main__":
    main()
