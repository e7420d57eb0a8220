"""Rule scaling: check time with 10x the phrase rules against the built-in set.

    python bench/rule_scaling.py [--repeat N] [--min-mb MB] [--factor F]

The baseline is every built-in rule (all source languages); if the packs hold fewer than
100 phrase and token rules, synthetic phrase rules are added to reach 100. The second set
adds synthetic phrase rules until there are ``--factor`` (10) times as many phrase and
token rules as in the baseline. A synthetic rule has one phrase of 2-4 words drawn from the
corpus vocabulary (fixed seed), and valid examples, like a rule in a pack. Both sets check
the same >=10 MB corpus; times are the best of ``--repeat`` runs of the check (compiling
the rules is start-up, printed apart). Target: the 10x check time at most 1.25x the
baseline's. Exits 0 whatever the result.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import time

os.environ.setdefault("MTREVIEW_NO_CACHE", "1")  # don't fill the user's cache with test tries

import _corpus
from _corpus import MB, verdict

TARGET_RATIO = 1.25
MIN_BASELINE = 100


def synthetic_rules(count: int, text: str, seed: int = 20240611) -> list:
    from mtreview.rule import rule_from_dict

    vocabulary = sorted({w for w in re.findall(r"[a-z]{2,}", text[: 2 * MB].lower())})
    rng = random.Random(seed)
    phrases: set[str] = set()
    rules = []
    while len(rules) < count:
        phrase = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(2, 4)))
        if phrase in phrases:
            continue
        phrases.add(phrase)
        n = len(rules)
        rules.append(rule_from_dict(
            {
                "id": f"synthetic.phrase-{n:05d}",
                "category": "style/awkward",
                "severity": "info",
                "message": "Synthetic phrase “{0}”",
                "why": "A benchmark rule.",
                "phrases": [phrase],
                "examples": {"bad": [f"It said [{phrase}] today."], "good": ["Nothing to see."]},
            },
            "synthetic",
            f"bench/rule_scaling.py:{n}",
        ))
    return rules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="check runs per rule set (best counts)")
    parser.add_argument("--min-mb", type=float, default=10.0, help="corpus size (MB)")
    parser.add_argument("--factor", type=int, default=10, help="how many times the phrase rules")
    args = parser.parse_args()

    from mtreview.checker import Checker
    from mtreview.document import Document
    from mtreview.ruleset import RuleSet

    path, text, size = _corpus.read_corpus(int(args.min_mb * MB))
    ruleset = RuleSet.load()
    builtin = [r for r in ruleset.select((), (), None) if r.source == "rules"]  # the rule engine's rules
    builtin_phrase = sum(1 for r in builtin if r.kind in ("phrases", "tokens"))
    baseline_phrase = max(builtin_phrase, MIN_BASELINE)
    extra = synthetic_rules(args.factor * baseline_phrase - builtin_phrase, text)
    sets = {
        "baseline": builtin + extra[: baseline_phrase - builtin_phrase],
        f"{args.factor}x": builtin + extra,
    }
    print(f"corpus: {path.relative_to(_corpus.ROOT)} ({size / MB:.2f} MB)")
    print(f"built-in: {len(builtin)} rules, {builtin_phrase} phrase/token rules "
          f"(baseline {baseline_phrase}, {baseline_phrase - builtin_phrase} synthetic)")

    engines = {}
    for name, rules in sets.items():
        t0 = time.perf_counter()
        engines[name] = Checker(ruleset, rules)
        compile_s = time.perf_counter() - t0
        phrase_rules = sum(1 for r in rules if r.kind in ("phrases", "tokens"))
        print(f"{name:>9}: {len(rules)} rules ({phrase_rules} phrase/token), compile {compile_s:.2f} s")

    # The sets take turns, so that a slower or faster spell of the machine hits both.
    times = {name: [] for name in sets}
    findings = {}
    for _ in range(args.repeat):
        for name, engine in engines.items():
            t0 = time.perf_counter()
            findings[name] = len(engine.check(Document(text, "corpus")))
            times[name].append(time.perf_counter() - t0)
    best = {name: min(ts) for name, ts in times.items()}
    for name in sets:
        print(f"{name:>9}: check {best[name]:.3f} s (best of {args.repeat}; all: "
              f"{', '.join(f'{t:.2f}' for t in times[name])}), {findings[name]} findings, "
              f"{size / best[name] / MB:.2f} MB/s")
    times = best

    ratio = times[f"{args.factor}x"] / times["baseline"]
    print(f"ratio {args.factor}x/baseline check time: {ratio:.3f}")
    print(f"target <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)} ({ratio:.3f})")


if __name__ == "__main__":
    main()
