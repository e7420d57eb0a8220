"""This tree against an earlier revision, side by side in one run: start-up and throughput.

    python bench/against.py REV [--rounds N] [--runs N] [--min-mb MB]

Exports REV (``git archive``) into a temporary folder and measures both trees, taking turns
(which tree goes first alternates too) so that a slower or faster spell of the machine hits
both:

- start-up: the wall time of a whole ``python -m mtreview check samples/mt-news-ukraine-es-en.txt``
  process (default options, no LanguageTool server: each tree gets a cache folder of its own,
  warmed by one run first), ``--rounds`` × ``--runs`` runs of each tree, one at a time;
- throughput, after all of those: each tree's own ``bench/throughput.py --repeat 3`` in a
  process of its own (the check of the ≥10 MB news corpus by every built-in rule, as that
  tree times it: the best of three), once per round.

Prints each tree's median start-up and median throughput over the rounds, and the ratios
this/REV: for a change that should not touch speed (a refactoring), both should be within
noise (±10 %).
Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from _corpus import ROOT

SAMPLE = "samples/mt-news-ukraine-es-en.txt"


def export(rev: str, folder: Path) -> Path:
    """The tree of ``rev`` in ``folder``."""
    data = subprocess.run(["git", "archive", "--format=tar", rev], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def env_for(tree: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "MTREVIEW_LANGUAGETOOL_URL")}
    env.update(PYTHONPATH=str(tree), MTREVIEW_CACHE_DIR=str(cache))
    return env


def startup(tree: Path, env: dict[str, str], runs: int) -> list[float]:
    cmd = [sys.executable, "-m", "mtreview", "check", SAMPLE]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, cwd=tree, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def throughput(tree: Path, env: dict[str, str], min_mb: float) -> float:
    """MB/s of the tree's own throughput script (its default processes)."""
    out = subprocess.run([sys.executable, "bench/throughput.py", "--repeat", "3", "--min-mb", str(min_mb)],
                         cwd=tree, env=env, capture_output=True, text=True, check=True).stdout
    m = re.search(r"^mtreview: .* -> ([\d.]+) MB/s", out, re.M)
    if m is None:
        sys.exit(f"bench/against: no figure in {tree}'s bench/throughput.py output:\n{out}")
    return float(m.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the revision to compare with (e.g. HEAD~1, a tag)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5, help="start-up runs per tree and round")
    parser.add_argument("--min-mb", type=float, default=10.0, help="throughput corpus size (MB)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mtreview-bench-against-") as tmp:
        trees = {"this": ROOT, args.rev: export(args.rev, Path(tmp) / "rev")}
        envs = {name: env_for(tree, Path(tmp) / f"cache-{i}") for i, (name, tree) in enumerate(trees.items())}
        for name, tree in trees.items():
            startup(tree, envs[name], 1)  # warm-up: OS caches, .pyc files, the rule cache
        starts: dict[str, list[float]] = {name: [] for name in trees}
        speeds: dict[str, list[float]] = {name: [] for name in trees}
        order = list(trees)
        for _ in range(args.rounds * args.runs):
            for name in order:
                starts[name] += startup(trees[name], envs[name], 1)
            order.reverse()
        for _ in range(args.rounds):
            for name in order:
                speeds[name].append(throughput(trees[name], envs[name], args.min_mb))
            order.reverse()
    for name in trees:
        print(f"{name:>10}: start-up median {statistics.median(starts[name]):6.1f} ms (min {min(starts[name]):.1f}), "
              f"throughput median {statistics.median(speeds[name]):.2f} MB/s "
              f"(all: {', '.join(f'{s:.2f}' for s in speeds[name])})")
    ratio_start = statistics.median(starts["this"]) / statistics.median(starts[args.rev])
    ratio_speed = statistics.median(speeds["this"]) / statistics.median(speeds[args.rev])
    print(f"this/{args.rev}: start-up time ×{ratio_start:.3f}, throughput ×{ratio_speed:.3f} "
          f"({args.rounds} rounds, taking turns)")


if __name__ == "__main__":
    main()
