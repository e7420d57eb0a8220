"""Sentences too long for news copy."""

from __future__ import annotations

from mtreview.checks.base import check
from mtreview.matchers import Hit


@check(
    id="style.overlong-sentence",
    category="style/awkward",
    severity="info",
    message="Long sentence: {words} words (target: at most {max_words})",
    why="""Spanish and French news prose runs long sentences joined by commas and relative
        clauses; translated literally they exceed what English readers follow in one go.
        News style aims at 20–30 words; past the limit, split the sentence.""",
    instead="Split at a conjunction or a relative clause into two sentences.",
    options={"max_words": 40},
    examples={
        "bad": [
            {"text": "[" + " ".join(["word"] * 41) + ".]"},
        ],
        "good": [
            " ".join(["word"] * 40) + ".",
            "Short sentences read well.",
        ],
    },
)
def overlong_sentence(doc, rule):
    limit = int(rule.options.get("max_words", 40))
    text = doc.text
    for sentence in doc.sentences:
        # Cheap bound first: a sentence has at most (spaces + 1) words. Counting spaces is
        # cheaper still, and exact when no other white space is there (every white-space
        # character but the space is unprintable).
        if text.count(" ", sentence.start, sentence.end) < limit:
            chunk = text[sentence.start : sentence.end]
            if chunk.isprintable() or len(chunk.split(None, limit)) <= limit:
                continue
        elif len(text[sentence.start : sentence.end].split(None, limit)) <= limit:
            continue
        words = doc.word_count(sentence.start, sentence.end)
        if words > limit:
            yield Hit(rule, sentence.start, sentence.end, {"words": str(words), "max_words": str(limit)})
