"""Bilingual review on real data: what it catches in perturbed MT, and its false alarms.

    python bench/bilingual.py [--langs es,fr,de,it,pt] [--lines 40] [--trials 3] [--seed 7] [--show N] [--misses]

The eval sets in shared/eval/ pair each source line with a professional reference and with
real MT (line i of every file is the same segment). They are cut into articles of
``--lines`` lines (paragraphs of four lines), written to a temporary folder as a source
file and its translation, and checked as a user would (``Reviewer.review`` with
``--source``, no LanguageTool, no scores):

- **False alarms**: the source with its professional reference, and with the MT as it is:
  error- and warning-level findings of the bilingual rules (``bilingual.*``) per 1,000
  words of English. The reference is taken as correct; the MT is not perfect, so its
  figure is an upper bound.
- **Recall**: copies of the MT articles with one defect put in each, of each kind, at a
  line chosen at random (fixed seed) among the lines where the defect can be made:
  ``number`` (a number the source has too, changed), ``drop`` (a line deleted), ``name``
  (a name — a capitalised word inside a sentence that the source line has as it is —
  replaced by another name of the set),
  ``untranslated`` (a line replaced by its source line), ``negation`` (in half the articles a
  "not"/"n't"/"never" removed where the source line has a negation — not the "not" of "not
  only" or "whether or not" —, in the others a "not" put after an auxiliary, "is not", "has
  not been", "cannot", where neither line has one), ``--trials`` copies per article and kind.
  A defect counts as caught when a
  bilingual finding at warning level or above lies on its line (for ``drop``: an omission
  or a shortened sentence where the line was); the figure at any level is shown beside it.

A finding on a reference that is a real discrepancy between it and its source (a typo in a
number on one side) is no false alarm: those are judged one by one, with the reason, in
``bench/bilingual-judgements.yaml`` and counted apart; an entry that matches no finding any
more is named.

Targets: numbers ≥ 95 %, drop ≥ 95 %, untranslated ≥ 95 %, name ≥ 70 %, negation ≥ 60 %;
false alarms on source + reference ≤ 0.5 per 1,000 words in each language.
Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

import yaml

from _corpus import SHARED, verdict
from mtreview.model import Severity
from mtreview.options import Options
from mtreview.review import Reviewer

EVAL = SHARED / "eval"
SETS = {  # language -> (folder, source, reference, MT)
    "es": ("es-en", "newssyscomb2009.src.txt", "newssyscomb2009.ref.txt", "newssyscomb2009.opus-2021-02-19.mt.txt"),
    "fr": ("fr-en", "newssyscomb2009.src.txt", "newssyscomb2009.ref.txt",
           "newssyscomb2009.opusTCv20210807+bt_transformer-big_2022-03-09.mt.txt"),
    "de": ("de-en", "newssyscomb2009.src.txt", "newssyscomb2009.ref.txt", "newssyscomb2009.opus+bt-2021-04-30.mt.txt"),
    "it": ("it-en", "newssyscomb2009.src.txt", "newssyscomb2009.ref.txt", "newssyscomb2009.opus-2021-02-18.mt.txt"),
    "pt": ("pt-en", "flores200-dev.src.txt", "flores200-dev.ref.txt", "flores200-dev.opus-2021-02-23.mt.txt"),
}
#: Findings on a reference that are real discrepancies between it and its source (a typo in
#: a number, a figure the source gives otherwise), judged one by one with the reason.
JUDGEMENTS = Path(__file__).resolve().parent / "bilingual-judgements.yaml"
TARGETS = {"number": 0.95, "drop": 0.95, "untranslated": 0.95, "name": 0.70, "negation": 0.60}
MAX_FALSE_ALARMS = 0.5  # error + warning per 1,000 words, source + reference
# which findings catch each kind of defect
CATCHES = {
    "number": {"bilingual.number", "bilingual.number-missing", "bilingual.date"},
    "drop": {"bilingual.omission", "bilingual.shortened"},
    "name": {"bilingual.name"},
    "untranslated": {"bilingual.untranslated"},
    "negation": {"bilingual.negation"},
}
SERIOUS = (Severity.ERROR, Severity.WARNING)
_FINAL = tuple(".!?…\"”»)'’:;")
_NUMBER_RE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
_NAME_RE = re.compile(r"(?<![\w.])(?<!^)[A-Z][a-z]{3,}(?![\w])")
# negation: a "not", "n't" or "never" that denies (not "not only", "whether or not"), and
# what it leaves once removed; an auxiliary a "not" can follow (has/have/had only before a
# participle, as a main verb it takes none)
_NEGATION_EN = re.compile(r"\s(?:not|never)\b(?!\s+(?:only|just|merely|least|to mention)\b)(?<!\bor not)(?<!\bif not)"
                          r"|\b(?:can|won)'t\b|n't\b")
_AFFIRMATIVE = {"can't": "can", "won't": "will"}
_ANY_NEGATION_EN = re.compile(r"\b(?:not|never|no|none|nobody|nothing|neither|nor|without|cannot|hardly|barely|scarcely)\b"
                              r"|n't\b", re.IGNORECASE)
_AUXILIARY_EN = re.compile(r"\b(?:(?:is|are|was|were|will|would|could|should|must|may|might|can)(?= [a-z])"
                           r"|(?:has|have|had)(?= (?:been|\w+(?:ed|en))\b))")
_NEGATION_SOURCE = {
    "es": r"\b(?:no|nunca|jamás|tampoco|ni)\b", "fr": r"\b(?:ne|n'|pas|jamais)\b", "it": r"\b(?:non|mai)\b",
    "pt": r"\b(?:não|nunca|jamais)\b", "de": r"\b(?:nicht|nie|niemals|kein\w*)\b",
}
# a source line with none of these has no negation (wider than the above: "sin", "nada")
_ANY_NEGATION_SOURCE = {
    "es": r"\b(?:no|nunca|jamás|tampoco|ni|nada|nadie|ningun\w*|ningún|sin)\b",
    "fr": r"\b(?:ne|n'|pas|jamais|rien|personne|aucun\w*|sans|non)\b",
    "it": r"\b(?:non|mai|niente|nulla|nessun\w*|né|senza)\b",
    "pt": r"\b(?:não|nunca|jamais|nem|nada|ninguém|nenhum\w*|sem)\b",
    "de": r"\b(?:nicht|nie|niemals|kein\w*|nichts|niemand\w*|weder|ohne)\b",
}


def _is_copied(m: re.Match, line: str, source: str) -> bool:
    """Whether the capitalised word ``m`` of ``line`` is a name its source copies: inside a
    sentence (after a lower-case word or a comma) and in the source line as it is."""
    before = line[: m.start()].rstrip()
    return bool(before) and (before[-1].islower() or before[-1] == ",") and re.search(
        rf"(?<!\w){re.escape(m.group())}(?!\w)", source) is not None


def read_set(lang: str) -> tuple[list[str], list[str], list[str]]:
    folder, *names = SETS[lang]
    files = [(EVAL / folder / name).read_text(encoding="utf-8").split("\n") for name in names]
    n = min(len(f) for f in files)
    rows = [(s, r, m) for s, r, m in zip(*(f[:n] for f in files)) if s.strip() and r.strip() and m.strip()]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def article(lines: list[str], shape: list[str] | None = None) -> tuple[str, list[tuple[int, int]]]:
    """The lines as an article: paragraphs of four lines, and a line without final
    punctuation (a headline, in these sets) on a line of its own, as an article has them;
    and each line's span (a deleted line, "", has an empty span where it was). ``shape``:
    the lines whose punctuation decides the paragraphs (the source's, so both sides of a
    pair are cut alike)."""
    shape = shape or lines
    text, spans, count = "", [], 0
    for line, like in zip(lines, shape, strict=True):
        headline = not like.rstrip().endswith(_FINAL)
        if text and (count == 4 or headline):
            text, count = text.rstrip(" ") + "\n\n", 0
        start = len(text)
        text += line
        spans.append((start, len(text)))
        count += 1
        if headline:
            text, count = text.rstrip(" ") + "\n\n", 0
        elif line:
            text += " "
    return text.rstrip(" \n") + "\n", spans


def perturb(kind: str, src: list[str], mt: list[str], names: list[str], lang: str,
            rnd: random.Random) -> tuple[list[str], int] | None:
    """A copy of ``mt`` with one defect of ``kind``, and the index of its line; None when
    no line of the article allows it."""
    candidates = list(range(len(mt)))
    rnd.shuffle(candidates)
    for i in candidates:
        out = list(mt)
        line, source = mt[i], src[i]
        if kind == "drop" and len(line.split()) >= 5:
            out[i] = ""
        elif kind == "untranslated" and len(source.split()) >= 5:
            out[i] = source
        elif kind == "number":
            shared = [m for m in _NUMBER_RE.finditer(line) if re.sub(r"[.,]", "", m.group()) in re.sub(r"[.,]", "", source)]
            if not shared:
                continue
            m = rnd.choice(shared)
            digits = m.group()
            changed = str(int(re.sub(r"\D", "", digits)) + rnd.choice((1, 2, 3, 7, 10)))
            out[i] = line[: m.start()] + changed + line[m.end() :]
        elif kind == "name":
            shared = [m for m in _NAME_RE.finditer(line) if _is_copied(m, line, source)]
            others = [n for n in names if n not in line and n not in source]
            if not shared or not others:
                continue
            m = rnd.choice(shared)
            out[i] = line[: m.start()] + rnd.choice(others) + line[m.end() :]
        elif kind == "negation":
            changed = _negation_flipped(line, source, lang, candidates)
            if changed is None:
                continue
            out[i] = changed
        else:
            continue
        return out, i
    return None


def _negation_flipped(line: str, source: str, lang: str, order: list[int]) -> str | None:
    """``line`` with its negation flipped, or None when it cannot be: half the articles (by
    the shuffled ``order``) lose a "not"/"n't"/"never" where the source line negates, the
    others gain a "not" after an auxiliary where neither the source line nor the line
    negates. Which negation or auxiliary is drawn from ``order``, so that this kind takes no
    more from the shared random generator than the others do."""
    pick = random.Random(repr(order))
    if order[0] % 2 == 0:
        found = list(_NEGATION_EN.finditer(line)) if re.search(_NEGATION_SOURCE[lang], source, re.IGNORECASE) else []
        if not found:
            return None
        m = pick.choice(found)
        return line[: m.start()] + _AFFIRMATIVE.get(m.group(), "") + line[m.end() :]
    if re.search(_ANY_NEGATION_SOURCE[lang], source, re.IGNORECASE) or _ANY_NEGATION_EN.search(line):
        return None
    found = list(_AUXILIARY_EN.finditer(line))
    if not found:
        return None
    m = pick.choice(found)
    return line[: m.end()] + ("not" if m.group() == "can" else " not") + line[m.end() :]


def _line_of(offset: int, spans: list[tuple[int, int]]) -> int:
    """The index of the line (of ``spans``) that holds ``offset``, or the last before it."""
    return max(0, bisect_right([start for start, _ in spans], offset) - 1)


def check(folder: Path, name: str, src_lines: list[str], tgt_lines: list[str], lang: str):
    """The findings of the translation ``tgt_lines`` against ``src_lines``, each line's span."""
    src_text, _ = article(src_lines)
    tgt_text, spans = article(tgt_lines, src_lines)
    (folder / f"{name}.src.txt").write_text(src_text, encoding="utf-8")
    (folder / f"{name}.txt").write_text(tgt_text, encoding="utf-8")
    options = Options(source=str(folder / f"{name}.src.txt"), source_lang=lang, grammar="off", scores=False)
    report = Reviewer(options).review([folder / f"{name}.txt"])
    return report.files[0], spans, len(tgt_text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--langs", default="es,fr,de,it,pt")
    parser.add_argument("--lines", type=int, default=40, help="lines per article")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trials", type=int, default=3, help="defects of each kind per article (one per copy)")
    parser.add_argument("--show", type=int, default=3, help="false alarms to print per language")
    parser.add_argument("--misses", action="store_true", help="print every defect not caught")
    args = parser.parse_args()
    if not EVAL.is_dir():
        sys.exit(f"bench/bilingual: {EVAL} not found (set MTREVIEW_BENCH_SHARED)")
    total = {"caught": Counter(), "caught_any": Counter(), "made": Counter()}
    rows = []
    judged = {(j["lang"], j["line"], j["rule"], j["text"]): j["why"]
              for j in yaml.safe_load(JUDGEMENTS.read_text(encoding="utf-8"))}
    seen: set[tuple] = set()
    real: Counter = Counter()
    with tempfile.TemporaryDirectory(prefix="mtreview-bench-bilingual-") as tmp:
        folder = Path(tmp)
        for lang in args.langs.split(","):
            t0 = time.perf_counter()
            src, ref, mt = read_set(lang)
            # names: words the translation copies from the source as they are, capitalised
            # inside a sentence
            names = sorted({m.group() for s_line, t_line in zip(src, mt, strict=True)
                            for m in _NAME_RE.finditer(t_line) if _is_copied(m, t_line, s_line)})
            rnd = random.Random(args.seed)
            alarms = {"reference": [0, 0, Counter()], "MT": [0, 0, Counter()]}
            caught, caught_any, made = Counter(), Counter(), Counter()
            shown = 0
            for a in range(0, len(src) - args.lines + 1, args.lines):
                s, r, m = src[a : a + args.lines], ref[a : a + args.lines], mt[a : a + args.lines]
                for label, tgt in (("reference", r), ("MT", m)):
                    result, spans, words = check(folder, f"{lang}{a}{label}", s, tgt, lang)
                    serious = [f for f in result.findings if f.rule.startswith("bilingual.") and f.severity in SERIOUS]
                    if label == "reference":  # what the reference gets wrong against its source is no false alarm
                        keys = [(lang, a + _line_of(f.start, spans), f.rule, f.text) for f in serious]
                        seen |= {k for k in keys if k in judged}
                        real[lang] += sum(k in judged for k in keys)
                        serious, keys = [f for f, k in zip(serious, keys) if k not in judged], [k for k in keys if k not in judged]
                    alarms[label][0] += len(serious)
                    alarms[label][1] += words
                    alarms[label][2].update(f.rule for f in serious)
                    if label == "reference" and shown < args.show:
                        for f, k in list(zip(serious, keys))[: args.show - shown]:
                            shown += 1
                            print(f"  [{lang} false alarm] line {k[1]} {f.rule}: {f.message[:150]} | {f.text[:100]!r}")
                for kind in TARGETS:
                    for _ in range(args.trials):
                        made_ = perturb(kind, s, m, names, lang, rnd)
                        if made_ is None:
                            continue
                        lines, i = made_
                        result, spans, _ = check(folder, f"{lang}{a}{kind}", s, lines, lang)
                        # the line's span (a deleted line: an empty one where it was), give or
                        # take the white space between sentences
                        start, end = spans[i][0] - 2, spans[i][1] + 2
                        near = [f for f in result.findings if f.rule in CATCHES[kind]
                                and ((f.start < end and start < f.end) or start <= f.start <= end)]
                        made[kind] += 1
                        caught_any[kind] += bool(near)
                        caught[kind] += any(f.severity in SERIOUS for f in near)
                        if args.misses and not near:
                            print(f"  [{lang} missed {kind}] line {a + i}: {m[i][:90]!r} -> {lines[i][:90]!r}")
            for kind in TARGETS:
                for key, counter in (("caught", caught), ("caught_any", caught_any), ("made", made)):
                    total[key][kind] += counter[kind]
            rates = {label: 1000 * v[0] / max(1, v[1]) for label, v in alarms.items()}
            rows.append((lang, rates, caught, caught_any, made, alarms, time.perf_counter() - t0))
    print(f"{'lang':5} {'false alarms /1k words (ref · MT)':34} " + " ".join(f"{k:>14}" for k in TARGETS))
    for lang, rates, caught, caught_any, made, alarms, seconds in rows:
        cells = [f"{caught[k]}/{made[k]} ({caught_any[k]})" for k in TARGETS]
        print(f"{lang:5} {rates['reference']:6.2f} {verdict(rates['reference'] <= MAX_FALSE_ALARMS)} · "
              f"{rates['MT']:5.2f} {'':16} " + " ".join(f"{c:>14}" for c in cells) + f"   {seconds:.1f} s")
        if alarms["reference"][2]:
            print(f"      reference alarms by rule: {dict(alarms['reference'][2])}")
    print(f"judged real discrepancies of the references (bench/{JUDGEMENTS.name}, not counted above): "
          + ", ".join(f"{lang} {real[lang]}" for lang in args.langs.split(",")))
    for key in sorted(set(judged) - seen):
        if key[0] in args.langs.split(","):
            print(f"  stale judgement (no such finding now): {key}")
    print("recall at warning level or above (any level in brackets), all languages:")
    for kind, target in TARGETS.items():
        made, got, any_ = total["made"][kind], total["caught"][kind], total["caught_any"][kind]
        rate = got / made if made else 0.0
        print(f"  {kind:13} {got}/{made} = {rate:.1%} ({any_}/{made})   target ≥ {target:.0%}: {verdict(rate >= target)}")


if __name__ == "__main__":
    main()
