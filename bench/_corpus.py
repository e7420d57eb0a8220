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


def build_articles(min_files: int = 1000, lines: int = 24) -> Path:
    """Write bench/corpus/articles-<digest>/ : article-sized files (``lines`` lines of the
    eval set's English, references and MT of every pair, in paragraphs of four lines), cut
    at up to four offsets so that there are at least ``min_files``."""
    files = sorted(p for p in (SHARED / "eval").glob("*-en/*.txt") if ".src." not in p.name)
    if not files:
        sys.exit(f"bench: no eval texts under {SHARED / 'eval'}")
    texts = [[ln for ln in p.read_text(encoding="utf-8").split("\n") if ln.strip()] for p in files]
    digest = hashlib.sha1("\n".join("\n".join(t) for t in texts).encode("utf-8")).hexdigest()[:10]
    folder = CORPUS_DIR / f"articles-{min_files}-{digest}"
    if folder.is_dir() and len(list(folder.glob("*.txt"))) >= min_files:
        return folder
    articles = []
    for offset in range(0, lines, lines // 4):
        for t in texts:
            for i in range(offset, len(t) - lines + 1, lines):
                chunk = t[i : i + lines]
                articles.append("\n\n".join(" ".join(chunk[k : k + 4]) for k in range(0, lines, 4)) + "\n")
        if len(articles) >= min_files:
            break
    tmp = folder.with_name(folder.name + ".tmp")
    tmp.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(articles):
        (tmp / f"{n:05d}.txt").write_text(text, encoding="utf-8")
    os.replace(tmp, folder)
    return folder


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


