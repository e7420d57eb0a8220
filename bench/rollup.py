"""The roll-up page at archive scale: the whole ``mtreview report DIR`` process on batch outputs
of 5,000 and 50,000 articles, its wall time, peak RSS (the child's own, from ``wait4``) and
the page's size.

    python bench/rollup.py [--articles N] [--small N] [--pages N]

The outputs are made up (tests/batch_output.py: the articles and findings tables in shards of
500, their manifest, and a JSONL input of the articles' texts, 5 lines of the es-en eval MT
each), with the keys a real run with the default options gives, so that the review pages of
the listed articles are really made (read again from the input, reviewed, rendered). They are
written to bench/corpus/rollup-<n>-<format>/ (git-ignored) and kept.

Runs: the large output in Parquet and JSONL, and the small one in Parquet, each with
``--pages 0`` (the page alone), ``--pages N`` with no page there yet (N articles reviewed
again), and ``--pages N`` again (the pages there are kept). Memory flat in the number of
articles: the large output's peak RSS over the small one's (target ≤ 1.25). Exits 0 whatever
the result.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from _corpus import BENCH, ROOT, SHARED, verdict

sys.path.insert(0, str(ROOT / "tests"))
import batch_output
from helpers import run_subprocess

MAX_RSS_RATIO = 1.25
EVAL_MT = SHARED / "eval" / "es-en" / "newssyscomb2009.opus-2019-12-04.mt.txt"


def texts():
    """Article texts from the eval set's MT (5 lines each, in turn), or the made-up ones."""
    if not EVAL_MT.is_file():
        print(f"(no {EVAL_MT}: made-up texts)")
        return None
    lines = [line for line in EVAL_MT.read_text(encoding="utf-8").split("\n") if line.strip()]
    groups = ["\n\n".join(lines[i : i + 5]) + "\n" for i in range(0, len(lines) - 4, 5)]
    return lambda row: groups[row % len(groups)]


def output(n: int, fmt: str) -> Path:
    """The output folder of ``n`` articles in ``fmt``, built by a process of its own when it is
    not there yet (built here, its memory would count in the peak RSS of the processes this
    one starts: a forked child's maximum starts from its parent's size)."""
    folder = BENCH / "corpus" / f"rollup-{n}-{fmt}" / "out"
    if (folder / "manifest.json").is_file():
        return folder
    shutil.rmtree(folder.parent, ignore_errors=True)
    print(f"building a {fmt} output of {n:,} articles in {folder} ...", flush=True)
    subprocess.run([sys.executable, __file__, "--build", str(n), fmt, str(folder)], check=True)
    return folder


def build(n: int, fmt: str, folder: Path) -> None:
    batch_output.write(folder, batch_output.make(n, days=400), fmt=fmt, shard_size=500, rejects=12, real_keys=True,
                       texts=texts())


def size(path: Path) -> str:
    return f"{path.stat().st_size / 1024:,.0f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=50_000)
    parser.add_argument("--small", type=int, default=5_000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--build", nargs=3, metavar=("N", "FORMAT", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        build(int(args.build[0]), args.build[1], Path(args.build[2]))
        return
    peaks: dict[tuple[int, str], float] = {}
    print(f"{'output':<24} {'run':<26} {'seconds':>8} {'peak RSS':>9}  page")
    for n, fmt in ((args.small, "parquet"), (args.articles, "parquet"), (args.articles, "jsonl")):
        folder = output(n, fmt)
        shutil.rmtree(folder / "pages", ignore_errors=True)
        for label, pages in (("--pages 0", 0), (f"--pages {args.pages} (made)", args.pages),
                             (f"--pages {args.pages} (kept)", args.pages)):
            result = run_subprocess("report", folder, "--pages", pages, timeout=1800)
            if result.code != 0:
                sys.exit(f"mtreview report {folder} failed: {result.err.strip()}")
            if pages == 0:
                peaks[(n, fmt)] = result.max_rss_mb
            pages_kb = sum(p.stat().st_size for p in (folder / "pages").glob("*.html")) / 1024 if pages else 0
            made = f" + {len(list((folder / 'pages').glob('*.html')))} review pages, {pages_kb:,.0f} KB" if pages else ""
            print(f"{f'{n:,} articles, {fmt}':<24} {label:<26} {result.seconds:>8.2f} {result.max_rss_mb:>6.0f} MB  "
                  f"{size(folder / 'report.html')}{made}", flush=True)
    ratio = peaks[(args.articles, "parquet")] / peaks[(args.small, "parquet")]
    print(f"peak RSS, {args.articles:,} over {args.small:,} articles (Parquet, --pages 0): {ratio:.2f} "
          f"(target ≤ {MAX_RSS_RATIO}): {verdict(ratio <= MAX_RSS_RATIO)}")


if __name__ == "__main__":
    main()
