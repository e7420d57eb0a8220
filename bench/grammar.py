"""Grammar pass through a warm LanguageTool server: the seed article, and 100 articles with
sequential against concurrent requests.

    python bench/grammar.py [--url URL] [--repeat N] [--articles N] [--lines N]

The server: ``--url``, else ``MTREVIEW_LANGUAGETOOL_URL``, else the one ``mtreview
languagetool start`` recorded; none running is an error (start-up is measured by
bench/grammar_server.py). Every figure goes through mtreview's own client
(``GrammarChecker.check``: mtreview's own request, LanguageTool's answer mapped to
findings), as ``mtreview check`` uses it.

- Seed, after the warm-up set below: its first check (a warm JVM, sentences new to the
  server's cache unless an earlier run sent them: restart the server for a clean figure),
  which is the target's figure (under 1 s), and the median of ``--repeat`` checks again
  (LanguageTool's cache answers).
- 100 articles: LanguageTool caches results per sentence and its JVM speeds up as it runs,
  so the lines of the three es-en eval files (newssyscomb2009: the reference and two MT
  outputs, ~1,500 lines) are dealt round-robin into four sets of ``--articles`` articles of
  ``--lines`` (3) lines, none sharing a sentence: the first set warms the server up
  unmeasured, then 1, 2 and 4 requests at a time each get a set of their own.
  ``mtreview check`` sends a run's requests ``MTREVIEW_LANGUAGETOOL_CONCURRENCY`` (4) at a
  time, while its own rules run: the managed server has 2 check threads (one per core), and
  a queue of 4 keeps both busy between requests.
Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from _corpus import ROOT, SHARED, verdict

TARGET_S = 1.0
EVAL = SHARED / "eval" / "es-en"
FILES = ["newssyscomb2009.ref.txt", "newssyscomb2009.opus-2019-12-04.mt.txt", "newssyscomb2009.opus-2021-02-19.mt.txt"]
WAYS = [1, 2, 4]  # requests at a time


def article_sets(count: int, lines: int, sets: int) -> list[list[str]]:
    """``sets`` lists of ``count`` articles of ``lines`` lines, no line in two of them."""
    seen, rows = set(), []
    for name in FILES:
        for row in (EVAL / name).read_text(encoding="utf-8").splitlines():
            if row.strip() and row not in seen:
                seen.add(row)
                rows.append(row)
    need = count * lines * sets
    if len(rows) < need:
        sys.exit(f"bench: {len(rows)} distinct lines in {EVAL}; {sets} sets of {count} articles of {lines} need {need}")
    dealt = [rows[i::sets] for i in range(sets)]
    return [["\n\n".join(d[i * lines:(i + 1) * lines]) + "\n" for i in range(count)] for d in dealt]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="LanguageTool server (default: the configured or managed one)")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--lines", type=int, default=3)
    args = parser.parse_args()

    from mtreview.document import Document
    from mtreview.grammar.client import GrammarChecker, GrammarSettings, configured_url

    settings = GrammarSettings(url=args.url, mother_tongue="es")
    url = configured_url(settings)
    if url is None:
        sys.exit("bench: no LanguageTool server: `mtreview languagetool start`, or --url")
    checker = GrammarChecker(settings, url)
    print(f"LanguageTool at {url}; mother tongue es")

    def run(docs: list, workers: int) -> tuple[float, int]:
        t0 = time.perf_counter()
        if workers == 1:
            counts = [len(checker.check(d)) for d in docs]
        else:
            with ThreadPoolExecutor(workers) as pool:
                counts = [len(n) for n in pool.map(checker.check, docs)]
        return time.perf_counter() - t0, sum(counts)

    warmup, *measured = article_sets(args.articles, args.lines, 1 + len(WAYS))
    seconds, _ = run([Document(t, "warm-up") for t in warmup], 2)
    print(f"warm-up: {len(warmup)} other articles, 2 at a time, {seconds:.2f} s (not counted)")
    seed = Document((ROOT / "samples" / "mt-news-ukraine-es-en.txt").read_bytes().decode("utf-8-sig"), "seed")
    t0 = time.perf_counter()
    found = checker.check(seed)
    first = time.perf_counter() - t0
    warm = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        checker.check(seed)
        warm.append(time.perf_counter() - t0)
    median = statistics.median(warm)
    print(f"seed ({len(seed.text)} chars, {seed.word_count()} words): first {first * 1000:.0f} ms, "
          f"again {median * 1000:.0f} ms median ({min(warm) * 1000:.0f}–{max(warm) * 1000:.0f} ms, "
          f"{args.repeat} runs), {len(found)} LanguageTool findings")

    results = {}
    for workers, texts in zip(WAYS, measured):
        docs = [Document(t, f"article {i}") for i, t in enumerate(texts)]
        size = sum(len(d.text.encode("utf-8")) for d in docs)
        words = sum(d.word_count() for d in docs)
        seconds, count = run(docs, workers)
        results[workers] = size / 1024 / seconds
        print(f"{len(docs)} articles, {workers} at a time ({size / 1024:.0f} KB, {words} words): {seconds:.2f} s, "
              f"{len(docs) / seconds:.1f} articles/s, {results[workers]:.1f} KB/s, {count} findings")
    best = max(results, key=results.get)
    print(f"concurrent/sequential KB/s: 2 at a time {results[2] / results[1]:.2f}×, 4 at a time "
          f"{results[4] / results[1]:.2f}×; fastest: {best} at a time")
    print(f"target warm seed grammar pass < {TARGET_S:.0f} s: {verdict(first < TARGET_S)} ({first * 1000:.0f} ms)")


if __name__ == "__main__":
    os.environ.setdefault("MTREVIEW_NO_CACHE", "1")
    main()
