"""Guess the source language of a translation from its telltales (data in the rule packs)."""

from __future__ import annotations

from dataclasses import dataclass

from mtreview.diskcache import compile_pattern

MIN_SCORE = 2.0


@dataclass(frozen=True)
class Guess:
    language: str | None
    score: float
    evidence: tuple[str, ...]

    def describe(self) -> str:
        if self.language is None:
            return "source language: not recognised (no telltale found); language-specific rules off — use --source-lang"
        shown = ", ".join(f"“{e}”" for e in self.evidence[:4])
        return f"source language: {self.language} (guessed from {shown})"


#: The guess reads the texts in windows that double from this size, and stops once the
#: evidence is decisive: a score of ``DECISIVE`` at least, ``MARGIN`` times the runner-up's.
#: A few pages of translated news carry enough telltales; a 1 MB archive is not read whole.
FIRST_WINDOW = 64 * 1024
DECISIVE = 10.0
MARGIN = 3.0


def guess(texts: list[str], telltales: dict[str, list[tuple[str, float]]]) -> Guess:
    """The language whose telltales the texts have most of (a score of ``MIN_SCORE`` at
    least), read window by window until the evidence is decisive or the texts end."""
    total = sum(len(t) for t in texts)
    window = FIRST_WINDOW
    while True:
        guesses = _scores(_first(texts, window), telltales)
        if window >= total:
            break
        ranked = sorted(guesses, key=lambda g: -g.score)
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if ranked and ranked[0].score >= DECISIVE and ranked[0].score >= MARGIN * runner_up:
            break
        window *= 2
    return _decide(guesses)


def _first(texts: list[str], size: int) -> list[str]:
    """The first ``size`` characters of the texts, cut at a line end where one is near."""
    out = []
    for text in texts:
        if size <= 0:
            break
        if len(text) > size:
            cut = text.rfind("\n", 0, size)
            text = text[: cut if cut > size // 2 else size]
        out.append(text)
        size -= len(text)
    return out


def _scores(texts: list[str], telltales: dict[str, list[tuple[str, float]]]) -> list[Guess]:
    return [_best_of(lang, [found]) for lang, found in _found(texts, telltales)]


Found = list[tuple[float, list[str]]]  # per telltale of a language: its weight, what it matched


def _found(texts: list[str], telltales: dict[str, list[tuple[str, float]]]) -> list[tuple[str, Found]]:
    """For each language: per telltale, its weight and what it matched in ``texts``."""
    out: list[tuple[str, Found]] = []
    for lang, entries in sorted(telltales.items()):
        out.append((lang, [(weight, [m.group() for text in texts for m in compile_pattern(pattern).finditer(text)])
                           for pattern, weight in entries]))
    return out


def _best_of(lang: str, founds: list[Found]) -> Guess:
    """The guess of ``lang`` from what its telltales matched in one or more reads
    (``founds``, in order): the weights added up, the evidence telltale by telltale."""
    score = 0.0
    evidence: list[str] = []
    for k in range(len(founds[0])):
        for found in founds:
            weight, matches = found[k]
            for match in matches:
                score += weight
                if match not in evidence:
                    evidence.append(match)
    return Guess(lang, score, tuple(evidence))


def guess_each(texts: list[str], telltales: dict[str, list[tuple[str, float]]]) -> tuple[Guess, list[Guess]]:
    """The guess for all ``texts`` together and for each one, from one read of each (all of
    it: a file of a folder is short); the run's is what ``guess`` gives reading them all."""
    reads = [_found([text], telltales) for text in texts]
    each = [_decide([_best_of(lang, [found]) for lang, found in read]) for read in reads]
    langs = [lang for lang, _ in reads[0]] if reads else []
    together = _decide([_best_of(lang, [read[k][1] for read in reads]) for k, lang in enumerate(langs)])
    return together, each


def _decide(guesses: list[Guess]) -> Guess:
    best = Guess(None, 0.0, ())
    for g in guesses:
        if g.score > best.score:
            best = g
    return best if best.score >= MIN_SCORE else Guess(None, best.score, ())
