"""Inputs at the size limit: time and peak RSS of the heaviest commands on a document as large
as mtreview accepts (``inputfile.DOCUMENT``, 4 MiB), beside the same commands on a quarter of it.

    python bench/limits.py [--fraction 0.25]

Each command runs as a child process, timed whole, its peak RSS from ``wait4``: ``check`` in
text, JSON and HTML, ``check --source`` (bilingual) with the HTML page, and ``score`` of the
document against itself. The documents are the seed article (and its Spanish source) repeated
up to the limit. The peer is the same command on ``--fraction`` of the input: the ratio of the
two RSS figures says whether memory grows with the input or not. Target: every command at
the limit under 1 GB (issue 16: every accepted input reviewed in bounded memory). Exits 0
whatever the result.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import ROOT, verdict
from mtreview import inputfile

BOUND_MB = 1024


def repeat(sample: Path, size: int, out: Path) -> Path:
    """``sample`` repeated (blank line between copies) to at most ``size`` bytes."""
    unit = sample.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    out.write_text(unit * max(1, size // len(unit.encode("utf-8"))), encoding="utf-8")
    return out


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmd``; exits if the command fails."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        sys.exit(f"{' '.join(cmd)} exited {code}: {err.strip()[-500:]}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.25, help="size of the peer input, as a fraction of the limit")
    args = parser.parse_args()
    limit = inputfile.DOCUMENT.limit
    exe = [sys.executable, "-m", "mtreview"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = []
        for label, size in (("limit", limit), ("peer", int(limit * args.fraction))):
            art = repeat(ROOT / "samples/mt-news-ukraine-es-en.txt", size, folder / f"{label}.txt")
            src = repeat(ROOT / "samples/mt-news-ukraine-es-en.es.txt", size, folder / f"{label}.es.txt")
            quiet = ["--no-grammar"]
            cases = {
                "check (text)": [*exe, "check", str(art), *quiet],
                "check --format json": [*exe, "check", str(art), *quiet, "--format", "json", "-o", str(folder / "out.json")],
                "check --format html": [*exe, "check", str(art), *quiet, "--format", "html", "-o", str(folder / "out.html")],
                "check --source (html)": [*exe, "check", str(art), "--source", str(src), *quiet, "--format", "html",
                                          "-o", str(folder / "bil.html")],
                "score FILE -r FILE": [*exe, "score", str(art), "-r", str(art)],
            }
            for name, cmd in cases.items():
                seconds, rss = run(cmd)
                rows.append((label, name, art.stat().st_size, seconds, rss))
                print(f"{label:<6} {name:<24} {art.stat().st_size / 2**20:5.2f} MiB  {seconds:7.1f} s  {rss:7.0f} MB", flush=True)
    print()
    at_limit = {name: (s, rss) for label, name, _, s, rss in rows if label == "limit"}
    peer = {name: (s, rss) for label, name, _, s, rss in rows if label == "peer"}
    worst = max(rss for _, rss in at_limit.values())
    for name, (seconds, rss) in at_limit.items():
        ps, prss = peer[name]
        print(f"{name:<24} at the limit {rss:6.0f} MB, {seconds:6.1f} s; "
              f"× {rss / prss:4.2f} RSS and × {seconds / ps:4.2f} time of the {args.fraction:g} peer")
    print(f"{verdict(worst < BOUND_MB)}: peak RSS at the {limit / 2**20:g} MiB limit {worst:.0f} MB (target < {BOUND_MB} MB)")


if __name__ == "__main__":
    main()
