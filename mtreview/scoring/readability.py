"""Readability: the standard formulas (through textstat) for a document, its paragraphs and
its sentences, against a target (news: grade 8–12, sentences of at most 40 words).

The numbers are textstat's; ``syllables.textstat()`` makes it run offline. The targets are
the options of the ``readability.sentence`` and ``readability.paragraph`` checks
(``mtreview/checks/readability.py``), which turn what is beyond them into findings: one
mechanism for long sentences, hard sentences and hard paragraphs.
"""

from __future__ import annotations

from typing import Any

from mtreview.options import Targets
from mtreview.scoring import Measure, Subject
from mtreview.scoring.syllables import textstat

# What "grade" means below: the Flesch–Kincaid grade level, the US school grade a reader
# needs; the consensus grade (textstat's text_standard) is reported for the document.
METRICS = (
    ("flesch_reading_ease", "Flesch Reading Ease", "flesch_reading_ease"),
    ("flesch_kincaid_grade", "Flesch–Kincaid grade", "flesch_kincaid_grade"),
    ("gunning_fog", "Gunning fog", "gunning_fog"),
    ("smog", "SMOG", "smog_index"),
    ("coleman_liau", "Coleman–Liau", "coleman_liau_index"),
    ("dale_chall", "Dale–Chall", "dale_chall_readability_score"),
)


def grade(text: str) -> float:
    """Flesch–Kincaid grade of a stretch of text."""
    return float(textstat().flesch_kincaid_grade(text))


def document_scores(doc, targets: Targets) -> dict:
    """Every formula for the whole prose of the document, its counts, and how it sits
    against the target."""
    ts = textstat()
    text = doc.scan_text  # the prose: markup (link targets, front matter) blanked, offsets kept
    prose = "\n\n".join(text[p.start : p.end] for p in doc.paragraphs)
    words = doc.word_count()
    sentences = len(doc.sentences)
    out: dict[str, Any] = {"label": "Readability", "target": targets.describe()}
    if not words:
        out.update(value="no text", words=0, sentences=0)
        return out
    for key, _, function in METRICS:
        out[key] = round(float(getattr(ts, function)(prose)), 2)
    out["consensus_grade"] = round(float(ts.text_standard(prose, float_output=True)), 1)
    out.update(words=words, sentences=sentences, avg_sentence_words=round(words / max(1, sentences), 1))
    # Paragraphs and sentences get the two Flesch formulas, which are defined for short
    # texts; fog, SMOG, Coleman–Liau and Dale–Chall are calibrated on 100 words or 30
    # sentences and say little about one sentence.

    def figures(start: int, end: int) -> dict:
        stretch = text[start:end]
        return {"start": start, "end": end, "words": doc.word_count(start, end),
                "flesch_kincaid_grade": round(grade(stretch), 1),
                "flesch_reading_ease": round(float(ts.flesch_reading_ease(stretch)), 1)}

    out["paragraphs"] = [figures(p.start, p.end) for p in doc.paragraphs if not p.heading]
    out["sentence_grades"] = [figures(s.start, s.end) for s in doc.sentences]
    fk = out["flesch_kincaid_grade"]
    verdict = "above target" if fk > targets.max_grade else "below target" if fk < targets.min_grade else "on target"
    out["verdict"] = verdict
    out["value"] = f"grade {fk:.1f} ({verdict}: {targets.min_grade:g}–{targets.max_grade:g})"
    return out


def measure(subject: Subject) -> Measure:
    """The document's readability against the run's target."""
    return Measure(lambda findings: document_scores(subject.doc, subject.options.readability))
