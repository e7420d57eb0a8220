"""Sentences and paragraphs beyond the readability target: too long, or too hard to read.

These are the readability scorer's findings (source "readability"): the target is their
options, and the same target is shown beside the document's scores
(``mtreview/scoring/readability.py``). They cost more than the rule engine's checks (a
readability formula per sentence), so they are measured apart from it.
"""

from __future__ import annotations

from mtreview.checks.base import check
from mtreview.matching.api import Hit
from mtreview.scoring.readability import grade

_LONG = " ".join(["word"] * 41) + "."
_HARD = ("Notwithstanding considerable institutional opposition, the administration's comprehensive "
         "reorganization initiative fundamentally transformed intergovernmental coordination mechanisms "
         "throughout participating jurisdictions.")


@check(
    source="readability",
    id="readability.sentence",
    category="style/awkward",
    severity="info",
    message="{problem}",
    why="""Spanish and French news prose runs long sentences joined by commas and relative
        clauses, and translated literally they read hard in English. News style aims at
        sentences of 20–30 words and a document reading grade of 8–12 (Flesch–Kincaid).
        One sentence may be harder than the document's target; flagged are sentences over
        40 words, and those of 15 words or more past grade 20 (about one in sixteen
        sentences of professional news translation, and a third of the sample MT article).""",
    instead="Split at a conjunction or a relative clause; prefer short, common words.",
    options={"max_words": 40, "max_grade": 20, "min_words_for_grade": 15},
    examples={
        "bad": [
            {"text": "[" + _LONG + "]"},
            {"text": "[" + _HARD + "]"},
        ],
        "good": [
            " ".join(["word"] * 40) + ".",
            "Short sentences read well.",
            "The talks resume on Monday in Paris, officials said, after a week of meetings with allies.",
        ],
    },
)
def hard_sentence(doc, rule):
    max_words = int(rule.options.get("max_words", 40))
    max_grade = float(rule.options.get("max_grade", 20))
    min_words = int(rule.options.get("min_words_for_grade", 15))
    text = doc.scan_text  # prose only: markup blanked, offsets kept
    for sentence in doc.sentences:
        if text.count(" ", sentence.start, sentence.end) + 1 < min_words:
            continue  # fewer words than spaces + 1: neither long nor graded
        words = doc.word_count(sentence.start, sentence.end)
        if words > max_words:
            problem = f"Long sentence: {words} words (target: at most {max_words})"
        elif words >= min_words and (g := grade(text[sentence.start : sentence.end])) > max_grade:
            problem = f"Hard sentence: reading grade {g:.1f} (target: at most {max_grade:g})"
        else:
            continue
        yield Hit(rule, sentence.start, sentence.end, {"problem": problem}, message=problem)


@check(
    source="readability",
    id="readability.paragraph",
    category="style/awkward",
    severity="info",
    message="{problem}",
    why="""A paragraph whose reading grade is far past the document target (8–12) asks too
        much of a news reader even when no single sentence is extreme: long words and long
        sentences add up. Flagged: paragraphs of two sentences or more past grade 16. Split
        it, or shorten its sentences.""",
    instead="Two paragraphs; shorter sentences; plainer words.",
    options={"max_grade": 16, "min_words": 40, "min_sentences": 2},
    examples={
        "bad": [{"text": "[" + " ".join([_HARD] * 3) + "]"}],
        "good": [("The talks resume on Monday. Officials met in Paris. They spoke for an hour. "
                  "Then they left for the airport. Reporters waited outside. Nobody said much.")],
    },
)
def hard_paragraph(doc, rule):
    max_grade = float(rule.options.get("max_grade", 16))
    min_words = int(rule.options.get("min_words", 40))
    min_sentences = int(rule.options.get("min_sentences", 2))
    text = doc.scan_text  # prose only: markup blanked, offsets kept
    sentences_in = [0] * len(doc.paragraphs)
    for sentence in doc.sentences:
        sentences_in[sentence.paragraph] += 1
    for index, para in enumerate(doc.paragraphs):
        if para.heading or sentences_in[index] < min_sentences or text.count(" ", para.start, para.end) + 1 < min_words:
            continue
        if doc.word_count(para.start, para.end) < min_words:
            continue
        g = grade(text[para.start : para.end])
        if g > max_grade:
            problem = f"Hard paragraph: reading grade {g:.1f} (target: at most {max_grade:g})"
            yield Hit(rule, para.start, para.end, {"problem": problem}, message=problem)
