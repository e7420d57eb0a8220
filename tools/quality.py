"""Hits on real MT versus false alarms on professional English, per rule and in total.

Runs mtreview's engine over the WMT newssyscomb2009 es-en files in ../shared/eval/es-en/:
the professional reference (clean English: every error/warning there is a false alarm) and
two MT systems' outputs. Prints error+warning findings per 1,000 words for each file, the
MT/reference ratio, every rule that fires on the reference (with its hits, so each can be
looked at), and the false-alarm rate: those hits minus the ones judged in
tools/ref-judgements.yaml to be real defects of the reference itself.

    python tools/quality.py [--source-lang es] [--show-all]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml

from mtreview.document import Document
from mtreview.model import Severity
from mtreview.options import Options
from mtreview.review import Reviewer

EVAL = ROOT.parent / "shared" / "eval" / "es-en"
FILES = {
    "reference (professional)": "newssyscomb2009.ref.txt",
    "MT opus-2021-02-19": "newssyscomb2009.opus-2021-02-19.mt.txt",
    "MT opus-2019-12-04": "newssyscomb2009.opus-2019-12-04.mt.txt",
}
SERIOUS = (Severity.ERROR, Severity.WARNING)
JUDGEMENTS = Path(__file__).resolve().parent / "ref-judgements.yaml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source-lang", default="es")
    parser.add_argument("--show-all", action="store_true", help="also list info-level hits on the reference")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"evaluation data not found at {EVAL}", file=sys.stderr)
        return 2
    reviewer = Reviewer(Options(source_lang=args.source_lang))
    checker = reviewer.checker(args.source_lang)
    rows = []
    ref_hits = []
    for label, name in FILES.items():
        text = (EVAL / name).read_text(encoding="utf-8")
        doc = Document(text, name)
        findings = checker.check(doc)
        words = doc.word_count()
        serious = [f for f in findings if f.severity in SERIOUS]
        rows.append((label, words, len(serious), len(findings), 1000 * len(serious) / words, Counter(f.rule for f in serious)))
        if name.endswith("ref.txt"):
            ref_hits = [(f, doc) for f in findings if args.show_all or f.severity in SERIOUS]
    print(f"Rules: {len(checker.rules)} active for --source-lang {args.source_lang}\n")
    print(f"{'file':28} {'words':>7} {'err+warn':>9} {'all':>6} {'err+warn /1k words':>19}")
    for label, words, serious, total, rate, _ in rows:
        print(f"{label:28} {words:7d} {serious:9d} {total:6d} {rate:19.2f}")
    ref_rate = rows[0][4]
    for label, *_, rate, _ in rows[1:]:
        ratio = f"{rate / ref_rate:.1f}x" if ref_rate else "inf (no false alarms)"
        print(f"MT/reference ratio, {label}: {ratio}")
    print("\nRules firing (error+warning) per file:")
    names = sorted({r for *_, c in rows for r in c})
    for rule in names:
        print(f"  {rule:45} " + " ".join(f"{c.get(rule, 0):5d}" for *_, c in rows))
    print("\nEvery hit on the reference (look at each one):")
    judged = {(j["line"], j["rule"], j["text"]): j["why"] for j in yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))}
    seen = set()
    false_alarms = 0
    for f, doc in ref_hits:
        line_text = doc.text.splitlines()[f.line - 1]
        lo = max(0, f.column - 50)
        key = (f.line, f.rule, f.text)
        if f.severity in SERIOUS:
            seen.add(key)
            false_alarms += key not in judged
        verdict = f"   [real defect: {judged[key]}]" if key in judged else "   [FALSE ALARM]" if f.severity in SERIOUS else ""
        print(f"  line {f.line}: {f.severity.value} {f.rule}: …{line_text[lo:f.column + len(f.text) + 40]}…{verdict}")
    if not ref_hits:
        print("  none")
    words = rows[0][1]
    print(f"\nFalse alarms (error+warning hits on the reference not judged real defects): {false_alarms}, "
          f"{1000 * false_alarms / words:.2f} per 1,000 words (raw error+warning rate {ref_rate:.2f})")
    for key in sorted(set(judged) - seen):
        print(f"  stale judgement (no such hit now): line {key[0]} {key[1]} “{key[2]}”")
    return 0


if __name__ == "__main__":
    sys.exit(main())
