"""Shared helpers for the benchmark scripts: build the news corpus and print verdicts.

The corpus is the seed article and the es-en eval texts (reference and the two MT outputs),
repeated until it is at least ``MIN_BYTES``. It is written to bench/corpus/ (git-ignored)
when a script runs, and rebuilt whenever the inputs change.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CORPUS_DIR = BENCH / "corpus"
SHARED = Path(os.environ.get("MTREVIEW_BENCH_SHARED", "/work/shared"))
SOURCES = [
    SHARED / "seeds" / "mt-news-ukraine-es-en.txt",
    SHARED / "eval" / "es-en" / "newssyscomb2009.ref.txt",
    SHARED / "eval" / "es-en" / "newssyscomb2009.opus-2019-12-04.mt.txt",
    SHARED / "eval" / "es-en" / "newssyscomb2009.opus-2021-02-19.mt.txt",
]
MIN_BYTES = 10 * 1024 * 1024
MB = 1024 * 1024

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def source_texts() -> list[str]:
    missing = [str(p) for p in SOURCES if not p.is_file()]
    if missing:
        sys.exit(f"bench: corpus source missing: {', '.join(missing)}")
    return [p.read_text(encoding="utf-8").strip("\n") + "\n" for p in SOURCES]


def build_corpus(min_bytes: int = MIN_BYTES) -> Path:
    """Write bench/corpus/news-<size>.txt (sources joined by blank lines, repeated)."""
    texts = source_texts()
    unit = "\n".join(texts) + "\n"
    digest = hashlib.sha1(unit.encode("utf-8")).hexdigest()[:10]
    path = CORPUS_DIR / f"news-{min_bytes // MB}mb-{digest}.txt"
    if path.is_file() and path.stat().st_size >= min_bytes:
        return path
    unit_bytes = len(unit.encode("utf-8"))
    copies = -(-min_bytes // unit_bytes)
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(unit * copies, encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_corpus(min_bytes: int = MIN_BYTES) -> tuple[Path, str, int]:
    path = build_corpus(min_bytes)
    data = path.read_bytes()
    return path, data.decode("utf-8"), len(data)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


