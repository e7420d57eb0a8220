"""Reference scoring: ``score_reference`` beside sacrebleu's own command line, same files.

    python bench/reference.py [--copies N] [--repeat N] [--system NAME]

The corpus is the es-en eval set (502 segments) repeated ``--copies`` (6) times: 3,012
line-aligned segments, hypothesis ``newssyscomb2009.<system>.mt.txt`` (opus-2021-02-19),
reference ``newssyscomb2009.ref.txt``, written to bench/corpus/ (git-ignored).

- mtreview: read both files and ``score_reference(hyp, [(name, ref)])``, in this process:
  BLEU, chrF2, chrF++, TER, sentence chrF2 and sentence BLEU of every segment.
- sacrebleu: ``python -m sacrebleu REF -i HYP -m bleu chrf ter --chrf-word-order 2`` as a
  subprocess (BLEU, chrF++ and TER; its time includes starting Python and importing
  sacrebleu, printed apart as the floor ``python -c "import sacrebleu"``).

The two take turns, ``--repeat`` (3) rounds; each one's best time counts. Target: mtreview
at most 1.5× sacrebleu's time. The scores of both are printed, and must agree. An
alignment figure (no target) follows: the same 3,012 segments split into sentences, with
30 reference lines deleted, segmented and aligned. Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from _corpus import CORPUS_DIR, ROOT, SHARED, verdict

TARGET_RATIO = 1.5
EVAL = SHARED / "eval" / "es-en"


def build(system: str, copies: int) -> tuple[Path, Path]:
    """bench/corpus/reference-<system>-<copies>x-<hash>.{hyp,ref}.txt"""
    sources = [EVAL / f"newssyscomb2009.{system}.mt.txt", EVAL / "newssyscomb2009.ref.txt"]
    missing = [str(p) for p in sources if not p.is_file()]
    if missing:
        sys.exit(f"bench: eval file missing: {', '.join(missing)} (MTREVIEW_BENCH_SHARED points at shared/)")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    texts = [t if t.endswith("\n") else t + "\n" for t in texts]
    digest = hashlib.sha1("\0".join(texts).encode("utf-8")).hexdigest()[:10]
    paths = []
    for kind, text in zip(("hyp", "ref"), texts):
        path = CORPUS_DIR / f"reference-{system}-{copies}x-{digest}.{kind}.txt"
        if not path.is_file():
            CORPUS_DIR.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(text * copies, encoding="utf-8")
            os.replace(tmp, path)
        paths.append(path)
    return paths[0], paths[1]


def run_mtreview(hyp_path: Path, ref_path: Path) -> tuple[float, dict]:
    from mtreview.scoring.reference import score_reference

    t0 = time.perf_counter()
    hyp = hyp_path.read_text(encoding="utf-8")
    ref = ref_path.read_text(encoding="utf-8")
    result = score_reference(hyp, [(ref_path.name, ref)])
    return time.perf_counter() - t0, result


def run_sacrebleu(hyp_path: Path, ref_path: Path) -> tuple[float, list[dict]]:
    cmd = [sys.executable, "-m", "sacrebleu", str(ref_path), "-i", str(hyp_path),
           "-m", "bleu", "chrf", "ter", "--chrf-word-order", "2"]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench: sacrebleu failed ({proc.returncode}): {proc.stderr.strip()[-500:]}")
    return elapsed, json.loads(proc.stdout)


def floor() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sacrebleu"], check=False)
    return time.perf_counter() - t0


def alignment_figure(hyp_path: Path, ref_path: Path) -> None:
    from mtreview.scoring.align import align, bead_counts, split_sentences

    hyp = hyp_path.read_text(encoding="utf-8")
    lines = ref_path.read_text(encoding="utf-8").splitlines()
    rng = random.Random(1)
    dropped = set(rng.sample(range(len(lines)), 30))
    ref = "\n".join(line for i, line in enumerate(lines) if i not in dropped) + "\n"
    t0 = time.perf_counter()
    hyp_segs, ref_segs = split_sentences(hyp), split_sentences(ref)
    t1 = time.perf_counter()
    beads = align([s.text for s in hyp_segs], [s.text for s in ref_segs])
    t2 = time.perf_counter()
    print(f"alignment, {len(hyp_segs):,} × {len(ref_segs):,} sentences (30 reference lines deleted): "
          f"split {t1 - t0:.2f} s, align {t2 - t1:.2f} s; beads {bead_counts(beads)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--system", default="opus-2021-02-19")
    args = parser.parse_args()

    hyp_path, ref_path = build(args.system, args.copies)
    segments = sum(1 for _ in hyp_path.open(encoding="utf-8"))
    print(f"corpus: {segments:,} segments ({args.copies} × the es-en eval set), {hyp_path.name} / {ref_path.name}")
    import sacrebleu

    ours, theirs, floors = [], [], []
    result: dict = {}
    cli: list[dict] = []
    for _ in range(max(1, args.repeat)):
        elapsed, result = run_mtreview(hyp_path, ref_path)
        ours.append(elapsed)
        elapsed, cli = run_sacrebleu(hyp_path, ref_path)
        theirs.append(elapsed)
        floors.append(floor())

    metrics = result["metrics"]
    print(f"sacrebleu {sacrebleu.__version__}, Python {sys.version.split()[0]}")
    print("scores (mtreview | sacrebleu CLI):")
    agree = True
    for key, entry in zip(("bleu", "chrf++", "ter"), cli):
        mine = round(metrics[key]["score"], 1)
        agree &= mine == entry["score"]
        print(f"  {entry['name']:<8} {mine:6.1f} | {entry['score']:6.1f}   {metrics[key]['signature']}")
    print(f"  {'chrF2':<8} {metrics['chrf2']['score']:6.1f} |   (not asked of the CLI)")
    seg = result["segments"]
    print(f"  segments: {seg['count']:,} scored, mean sentence chrF2 {seg['mean_chrf']}, "
          f"mean sentence BLEU {seg['mean_bleu']}; worst chrF2 {seg['worst'][0]['chrf'] if seg['worst'] else '-'}")
    print(f"  the scores agree: {'yes' if agree else 'NO'}")
    best_ours, best_theirs = min(ours), min(theirs)
    print(f"mtreview score_reference (in process, all metrics + segment scores)  best {best_ours:6.2f} s   "
          f"runs {', '.join(f'{t:.2f}' for t in ours)}")
    print(f"python -m sacrebleu ... -m bleu chrf ter --chrf-word-order 2      best {best_theirs:6.2f} s   "
          f"runs {', '.join(f'{t:.2f}' for t in theirs)}")
    print(f"  of which start-up: python -c 'import sacrebleu'                  best {min(floors):6.2f} s")
    ratio = best_ours / best_theirs
    print(f"ratio mtreview/sacrebleu: {ratio:.2f}")
    print(f"target ratio <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO and agree)} ({ratio:.2f})")
    alignment_figure(hyp_path, ref_path)


if __name__ == "__main__":
    main()
