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


def guess(texts: list[str], telltales: dict[str, list[tuple[str, float]]]) -> Guess:
    best = Guess(None, 0.0, ())
    for lang, entries in sorted(telltales.items()):
        score = 0.0
        evidence: list[str] = []
        for pattern, weight in entries:
            compiled = compile_pattern(pattern)
            for text in texts:
                for m in compiled.finditer(text):
                    score += weight
                    if m.group() not in evidence:
                        evidence.append(m.group())
        if score > best.score:
            best = Guess(lang, score, tuple(evidence))
    return best if best.score >= MIN_SCORE else Guess(None, best.score, ())
