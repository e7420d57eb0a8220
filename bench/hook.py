"""The pre-commit hook: wall time of the whole hook process on a typical article.

    python bench/hook.py [--runs N] [--file PATH]

Makes a temporary git repository holding the seed article as Markdown
(samples/mt-news-ukraine-es-en.md, or the .txt seed copied to a .md when that is missing),
stages it as a new file (every line changed: the whole article is checked and reported, the
hook's worst case for one file) and runs what the hook runs,
``mtreview check --changed-only --no-scores article.md``, in that repository, ``--runs``
times after one warm-up run (whose summary is shown; it fills the rule cache), beside the
floor ``python -c pass``. Prints the median and minimum wall time.

As a desk without a LanguageTool server runs it: the runs get a cache folder of their own
(``MTREVIEW_CACHE_DIR``), so a server someone started on this machine is not found, and
``MTREVIEW_LANGUAGETOOL_URL`` is unset. Target: median under 300 ms. Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from startup import ENV, console_script, report, wall

from _corpus import ROOT, verdict

TARGET_MS = 300.0


def seed_markdown() -> Path:
    md = ROOT / "samples" / "mt-news-ukraine-es-en.md"
    return md if md.is_file() else ROOT / "samples" / "mt-news-ukraine-es-en.txt"


def staged_repo(folder: Path, source: Path, env: dict) -> Path:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, check=True, capture_output=True, env=env)

    git("init", "-q")
    git("config", "user.name", "bench")
    git("config", "user.email", "bench@example.com")
    (folder / "README.md").write_text("Desk notes.\n", encoding="utf-8")
    git("add", "README.md")
    git("-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "start")
    article = folder / "article.md"
    shutil.copyfile(source, article)
    git("add", "article.md")
    return article


def wall_in(cmd: list[str], cwd: Path, env: dict) -> float:
    """One run's wall time in ms, in the repository's folder (where git runs a hook)."""
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env, check=False)
    return (time.perf_counter() - t0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--file", type=Path, default=None, help="the article (default: the seed as Markdown)")
    args = parser.parse_args()

    source = (args.file or seed_markdown()).absolute()
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is unset for the runs (users' Pythons keep .pyc files)")
    with tempfile.TemporaryDirectory(prefix="mtreview-bench-hook-") as tmp:
        env = {k: v for k, v in ENV.items() if k != "MTREVIEW_LANGUAGETOOL_URL"}
        env["MTREVIEW_CACHE_DIR"] = str(Path(tmp) / "cache")
        repo = Path(tmp) / "desk"
        repo.mkdir()
        article = staged_repo(repo, source, env)
        cmd = console_script() + ["check", "--changed-only", "--no-scores", article.name]
        warm = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
        summary = (warm.stdout.strip().splitlines() or ["(no output)"])[-1]
        shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
        print(f"article: {shown}, staged as a new file; exit {warm.returncode}: {summary}")
        if warm.returncode not in (0, 1):
            print(warm.stderr.strip())
        report(f"{sys.executable} -c pass", wall([sys.executable, "-c", "pass"], args.runs))
        times = [wall_in(cmd, repo, env) for _ in range(args.runs)]
        median = report("mtreview check --changed-only --no-scores", times)
    print(f"command: {' '.join(cmd)}")
    print(f"target median < {TARGET_MS:.0f} ms: {verdict(median < TARGET_MS)} ({median:.1f} ms)")


if __name__ == "__main__":
    main()
