"""Hits on real MT versus false alarms on professional English, per rule and in total.

Runs mtreview's engine over the eval files in ../shared/eval/<lang>-en/ (WMT newssyscomb2009
for es, fr, de, it; FLORES-200 for pt): the professional reference (clean English: every
error/warning there is a false alarm unless judged otherwise) and each MT system's output,
with ``--source-lang <lang>``. Prints error+warning findings per 1,000 words for each file,
the MT/reference ratio, every rule that fires on the reference (with its hits, so each can
be looked at), and the false-alarm rate: those hits minus the ones judged in
tools/ref-judgements.yaml to be real defects of the reference itself (an entry names its
``file``, default the newssyscomb2009 reference, which es, fr, de and it share). Ends with
a table of every language.

    python tools/quality.py [--lang es|fr|de|it|pt|all] [--show-all] [--quiet]
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

EVAL = ROOT.parent / "shared" / "eval"
LANGS = ("es", "fr", "de", "it", "pt")
SERIOUS = (Severity.ERROR, Severity.WARNING)
JUDGEMENTS = Path(__file__).resolve().parent / "ref-judgements.yaml"
# A random 30 of each language's error+warning findings on its MT output, each judged a real
# defect or not: ``python tools/quality.py --sample LANG`` draws them (fixed seed) and lists
# the ones not judged yet, with their source line.
MT_JUDGEMENTS = Path(__file__).resolve().parent / "mt-judgements.yaml"
SAMPLE_SIZE = 30
DEFAULT_REF = "newssyscomb2009.ref.txt"


def judgements() -> dict[tuple, str]:
    """The hits judged real defects of the reference (``real`` left out or true); those
    recorded with ``real: false`` are read false alarms and still count as such."""
    return {(j.get("file", DEFAULT_REF), j["line"], j["rule"], j["text"]): j["why"]
            for j in yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8")) if j.get("real", True)}


def recorded_false_alarms() -> set[tuple]:
    return {(j.get("file", DEFAULT_REF), j["line"], j["rule"], j["text"])
            for j in yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8")) if not j.get("real", True)}


def mt_judgements() -> dict[tuple, dict]:
    if not MT_JUDGEMENTS.is_file():
        return {}
    entries = yaml.safe_load(MT_JUDGEMENTS.read_text(encoding="utf-8")) or []
    return {(j["file"], j["line"], j["rule"], j["text"]): j for j in entries}


def mt_sample(lang: str) -> list[tuple]:
    """(file, line, rule, text, message, MT line, source line) of a random 30 error+warning
    findings on the language's MT outputs (seed 30: the same draw while the findings stay)."""
    import random

    folder = EVAL / f"{lang}-en"
    source = next(folder.glob("*.src.txt")).read_text(encoding="utf-8").split("\n")  # Document lines: \n only
    checker = Reviewer(Options(source_lang=lang)).checker(lang)
    found = []
    for path in sorted(folder.glob("*.mt.txt")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for f in checker.check(Document(text, path.name)):
            if f.severity in SERIOUS:
                src = source[f.line - 1] if f.line <= len(source) else ""
                found.append((path.name, f.line, f.rule, f.text, f.message, lines[f.line - 1], src))
    random.Random(SAMPLE_SIZE).shuffle(found)
    return found[:SAMPLE_SIZE]


def measure(lang: str, judged: dict, show_all: bool, quiet: bool) -> tuple[float, float, set]:
    """Print one language's figures; (false alarms per 1k on the reference, lowest MT/ref
    ratio, judgements seen)."""
    folder = EVAL / f"{lang}-en"
    ref = next(folder.glob("*.ref.txt"))
    files = [ref] + sorted(folder.glob("*.mt.txt"))
    reviewer = Reviewer(Options(source_lang=lang))
    checker = reviewer.checker(lang)
    rows, ref_hits, ref_doc = [], [], None
    for path in files:
        doc = Document(path.read_text(encoding="utf-8"), path.name)
        findings = checker.check(doc)
        words = doc.word_count()
        serious = [f for f in findings if f.severity in SERIOUS]
        rows.append((path.name, words, len(serious), len(findings), 1000 * len(serious) / words,
                     Counter(f.rule for f in serious)))
        if path == ref:
            ref_doc = doc
            ref_hits = [f for f in findings if show_all or f.severity in SERIOUS]
    seen, false_alarms = set(), 0
    lines = ref_doc.text.splitlines()
    out = []
    for f in ref_hits:
        key = (ref.name, f.line, f.rule, f.text)
        if f.severity in SERIOUS:
            seen.add(key)
            false_alarms += key not in judged
        recorded = " (recorded)" if key in recorded_false_alarms() else " (not yet recorded)"
        verdict = (f"   [real defect: {judged[key]}]" if key in judged
                   else "   [FALSE ALARM" + recorded + "]" if f.severity in SERIOUS else "")
        lo = max(0, f.column - 50)
        context = lines[f.line - 1][lo : f.column + len(f.text) + 40]
        out.append(f"  line {f.line}: {f.severity.value} {f.rule}: …{context}…{verdict}")
    ref_words, ref_rate = rows[0][1], rows[0][4]
    fa_rate = 1000 * false_alarms / ref_words
    ratios = [rate / ref_rate if ref_rate else float("inf") for *_, rate, _ in rows[1:]]
    if not quiet:
        print(f"== {lang}-en: {len(checker.rules)} rules active for --source-lang {lang}")
        print(f"{'file':58} {'words':>7} {'err+warn':>9} {'all':>6} {'err+warn /1k':>13}")
        for name, words, serious, total, rate, _ in rows:
            print(f"{name:58} {words:7d} {serious:9d} {total:6d} {rate:13.2f}")
        print("Rules firing (error+warning) per file:")
        for rule in sorted({r for *_, c in rows for r in c}):
            print(f"  {rule:45} " + " ".join(f"{c.get(rule, 0):5d}" for *_, c in rows))
        print("Every hit on the reference (look at each one):")
        print("\n".join(out) if out else "  none")
        print(f"False alarms on the reference: {false_alarms}, {fa_rate:.2f} per 1,000 words "
              f"(raw error+warning rate {ref_rate:.2f})\n")
    return fa_rate, min(ratios), seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="all", choices=LANGS + ("all",))
    parser.add_argument("--source-lang", dest="lang", help=argparse.SUPPRESS)  # the old name
    parser.add_argument("--show-all", action="store_true", help="also list info-level hits on the reference")
    parser.add_argument("--quiet", action="store_true", help="only the table")
    parser.add_argument("--sample", choices=LANGS, help="list the random 30 MT findings of a language and their judgements")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"evaluation data not found at {EVAL}", file=sys.stderr)
        return 2
    judged = judgements()
    verdicts = mt_judgements()
    if args.sample:
        for file, line, rule, text, message, mt, src in mt_sample(args.sample):
            j = verdicts.get((file, line, rule, text))
            mark = "unjudged" if j is None else ("REAL" if j["real"] else "FALSE") + f": {j['why']}"
            print(f"- file: {file}\n  line: {line}\n  rule: {rule}\n  text: {text!r}\n  # {message}\n  # MT:  {mt}\n"
                  f"  # SRC: {src}\n  # {mark}")
        return 0
    langs = LANGS if args.lang == "all" else (args.lang,)
    table, seen = [], set()
    for lang in langs:
        fa, ratio, found = measure(lang, judged, args.show_all, args.quiet)
        table.append((lang, fa, ratio))
        seen |= found
    print(f"{'lang':5} {'false alarms /1k (ref)':>23} {'MT/ref ratio (lowest MT)':>25} {'MT sample judged real':>22}")
    for lang, fa, ratio in table:
        sample = mt_sample(lang)
        verdict = [verdicts[k[:4]]["real"] for k in sample if k[:4] in verdicts]
        unjudged = len(sample) - len(verdict)
        real = f"{sum(verdict)}/{len(sample)}" + (f" ({unjudged} unjudged)" if unjudged else "")
        print(f"{lang:5} {fa:23.2f} {ratio:25.1f} {real:>22}")
    if args.lang == "all":
        for key in sorted(set(judged) - seen, key=str):
            print(f"  stale judgement (no such hit now): {key[0]} line {key[1]} {key[2]} “{key[3]}”")
    return 0


if __name__ == "__main__":
    sys.exit(main())
