"""LanguageTool server: install, start-up, memory and /v2/check latency on the seed article.

    python bench/grammar_server.py [--repeat N] [--heap 1g] [--url URL] [--file PATH]

Without ``--url`` it installs (``mtreview languagetool install``: Maven, offline when
~/.m2 already has LanguageTool) into a temporary cache folder, starts a server of its own
there, and stops it at the end; with ``--url`` it measures that running server (no start-up
or memory figures). Figures: install time; JVM start to a healthy /v2/healthcheck; the first
English check (it loads the English rules); a 1 KB check; the seed article's first check
(warm JVM, sentences not yet in the server's cache) and its warm checks (median of
``--repeat``); the server's resident memory; and a whole ``mtreview check --lt-url`` process
beside ``--no-grammar``. Target: warm seed check under 1 s. Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _corpus import ROOT, verdict

TARGET_S = 1.0


def rss_mb(pid: int) -> tuple[float, float]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def timed(fn, *args, **kwargs):
    t0 = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - t0, result


def line(label: str, value: str) -> None:
    print(f"{label:<52} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--url", help="measure this running server instead of starting one")
    parser.add_argument("--file", default=str(ROOT / "samples" / "mt-news-ukraine-es-en.txt"))
    args = parser.parse_args()

    if not args.url:
        os.environ["MTREVIEW_CACHE_DIR"] = tempfile.mkdtemp(prefix="mtreview-bench-lt-")
    os.environ.pop("MTREVIEW_LANGUAGETOOL_URL", None)
    from mtreview.grammar import server

    text = Path(args.file).read_bytes().decode("utf-8-sig")
    one_kb = text.encode("utf-8")[:1024].decode("utf-8", "ignore")
    pid = None
    try:
        if args.url:
            url = args.url
        else:
            seconds, inst = timed(server.install)
            line("install (Maven, ~/.m2 warm)", f"{seconds:6.2f} s  (LanguageTool {inst.version}, {len(inst.classpath)} jars, "
                 f"{inst.size_bytes / 1e6:.0f} MB)")
            info = server.start(heap=args.heap, warm=False)
            url, pid = info.url, info.pid
            line("JVM start → healthy", f"{info.startup_seconds:6.2f} s  (heap ≤ {args.heap})")
            line("RSS when healthy", f"{rss_mb(pid)[0]:6.0f} MB")
            seconds, _ = timed(server.check, url, server.WARMUP_TEXT, timeout=120)
            line("first English check (loads the rules)", f"{seconds:6.2f} s")
        seconds, answer = timed(server.check, url, one_kb)
        line("1 KB check, first time", f"{seconds * 1000:6.0f} ms  ({len(answer['matches'])} matches)")
        seconds, answer = timed(server.check, url, one_kb)
        line("1 KB check, again", f"{seconds * 1000:6.0f} ms")
        first, answer = timed(server.check, url, text)
        line(f"seed check, first time ({len(text)} chars)", f"{first * 1000:6.0f} ms  ({len(answer['matches'])} matches)")
        warm = [timed(server.check, url, text)[0] for _ in range(args.repeat)]
        median = statistics.median(warm)
        line("seed check, warm", f"{median * 1000:6.0f} ms median, {min(warm) * 1000:.0f} ms min ({args.repeat} runs)")
        first_es, _ = timed(server.check, url, text, motherTongue="es")
        warm_es = statistics.median(timed(server.check, url, text, motherTongue="es")[0] for _ in range(args.repeat))
        line("seed check with motherTongue=es, first / warm", f"{first_es * 1000:6.0f} ms / {warm_es * 1000:.0f} ms median")
        if pid is not None:
            now, peak = rss_mb(pid)
            line("RSS after the checks (peak)", f"{now:6.0f} MB ({peak:.0f} MB)")

        script = Path(sys.executable).parent / "mtreview"
        cmd = [str(script)] if script.is_file() else [sys.executable, "-m", "mtreview"]
        base = cmd + ["check", args.file, "--format", "json", "--fail-on", "never"]
        runs = {}
        for label, extra in (("--no-grammar", ["--no-grammar"]), ("--lt-url", ["--lt-url", url])):
            subprocess.run(base + extra, capture_output=True, check=False)  # warm-up
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                subprocess.run(base + extra, capture_output=True, check=False)
                times.append(time.perf_counter() - t0)
            runs[label] = statistics.median(times)
            line(f"mtreview check seed {label} (whole process)", f"{runs[label] * 1000:6.0f} ms median")
        print(f"target warm seed check < {TARGET_S:.0f} s: {verdict(median < TARGET_S)} ({median * 1000:.0f} ms)")
    finally:
        if pid is not None:
            server.stop()


if __name__ == "__main__":
    main()
