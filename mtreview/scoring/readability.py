"""Readability: the standard formulas for a document, its paragraphs and its sentences,
against a target (news: grade 8–12, sentences of at most 40 words).

The formulas are textstat's, and so are the counts they rest on (its words, sentences,
syllables, easy words and language constants), but gathered once per stretch of text
(``Reader.counts``): textstat itself re-tokenises the text for every formula and counts
syllables word by word through several layers of calls, which made readability three
quarters of a default run. Here each word's syllables are looked up once per run (through
textstat's own ``count_syllables``, which ``syllables.textstat()`` makes run offline) and
every formula is worked out from the counts, with textstat's expressions in textstat's
order, so the figures are textstat's to the last bit (``tests/test_readability_counts.py``
compares them on real paragraphs). The targets are the options of the
``readability.sentence`` and ``readability.paragraph`` checks
(``mtreview/checks/readability.py``), which turn what is beyond them into findings: one
mechanism for long sentences, hard sentences and hard paragraphs.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from typing import Any, NamedTuple

from mtreview.options import Targets
from mtreview.scoring import Measure, Subject
from mtreview.scoring.syllables import textstat

# What "grade" means below: the Flesch–Kincaid grade level, the US school grade a reader
# needs; the consensus grade (textstat's text_standard) is reported for the document.
METRICS = (
    ("flesch_reading_ease", "Flesch Reading Ease"),
    ("flesch_kincaid_grade", "Flesch–Kincaid grade"),
    ("gunning_fog", "Gunning fog"),
    ("smog", "SMOG"),
    ("coleman_liau", "Coleman–Liau"),
    ("dale_chall", "Dale–Chall"),
)
LANG = "en_US"  # textstat's language for English
MEMO = 8192  # texts whose counts a reader remembers
_PUNCTUATION_RE = re.compile(r"[^\w\s']")  # textstat's remove_punctuation, apostrophes kept
_NON_SPACE_RE = re.compile(r"\S+")  # str.split()'s pieces: both use str.isspace()
_SENTENCE_RE = re.compile(r"\b[^.!?]+[.!?]*")  # textstat's count_sentences
_NOT_WORD_RE = re.compile(r"\W")
_WORD_CHAR_RE = re.compile(r"\w")
_SPACE_RE = re.compile(r"\s")
_STRETCH = 1 << 20  # characters counted at a time (``_count``)


def _space_after(text: str, at: int) -> int:
    """The offset of the first white space at or after ``at`` (the end when there is none)."""
    m = _SPACE_RE.search(text, at)
    return m.start() if m is not None else len(text)


class Counts(NamedTuple):
    """What textstat's formulas count in a text."""

    words: int  # count_words: punctuation removed, split at white space
    sentences: int  # count_sentences: stretches ending in . ! ?, those of two words or fewer aside
    syllables: int
    polysyllables: int  # words of three syllables or more (SMOG)
    difficult: int  # not easy words of ``syllable_threshold`` syllables or more (Gunning fog)
    hard: int  # not easy words (Dale–Chall)
    letters: int  # word characters (Coleman–Liau)
    chars: int  # characters but white space (ARI)
    pieces: int  # white-space separated pieces (ARI's words)


class Reader:
    """Counts of texts, textstat's way, each word's syllables and ease looked up once."""

    def __init__(self, lang: str = LANG):
        textstat()  # imported offline, its syllable lookup given the CMU dictionary
        from textstat.backend.counts._count_syllables import count_syllables
        from textstat.backend.utils._get_lang_cfg import get_lang_cfg
        from textstat.backend.utils._get_lang_easy_words import get_lang_easy_words
        from textstat.backend.utils.constants import RE_NONCONTRACTION_APOSTROPHE

        self.lang = lang
        self._apostrophe_re = re.compile(RE_NONCONTRACTION_APOSTROPHE)
        self._count_syllables = count_syllables
        self._easy = get_lang_easy_words(lang)
        self.threshold = int(get_lang_cfg(lang, "syllable_threshold"))
        self.fre = tuple(get_lang_cfg(lang, key) for key in ("fre_base", "fre_sentence_length", "fre_syll_per_word"))
        self._seen: dict[str, tuple[int, bool]] = {}
        self._memo: dict[str, Counts] = {}

    def words(self, text: str) -> list[str]:
        """textstat's list_words: non-contraction apostrophes and punctuation removed."""
        return _PUNCTUATION_RE.sub("", self._apostrophe_re.sub("", text)).split()

    def word(self, word: str) -> tuple[int, bool]:
        """A word's syllables (textstat's count, CMU dictionary then pyphen) and whether it is
        on textstat's list of easy words."""
        found = self._seen.get(word)
        if found is None:
            lower = word.lower()
            found = self._seen[word] = (self._count_syllables(lower, self.lang), lower in self._easy)
        return found

    def sentences(self, text: str) -> int:
        if not text:
            return 0
        # one match at a time: the document's prose is one text, its sentences are not all kept
        found = short = 0
        for m in _SENTENCE_RE.finditer(text):
            found += 1
            short += self._short(m.group())
        return max(1, found - short)

    def _short(self, sentence: str) -> bool:
        """Whether a sentence has two words or fewer (textstat leaves those out): three
        pieces with a word character in them are three words; otherwise count them."""
        pieces = sentence.split(None, 3)
        if len(pieces) < 3:
            return True
        if all(_WORD_CHAR_RE.search(piece) for piece in pieces[:3]):
            return False
        return len(self.words(sentence)) <= 2

    def counts(self, text: str) -> Counts:
        """The counts of ``text`` (remembered for the last few thousand texts: the checks ask
        for the sentences and paragraphs the scores have counted)."""
        found = self._memo.get(text)
        if found is None:
            if len(self._memo) >= MEMO:
                self._memo.clear()
            found = self._memo[text] = self._count(text)
        return found

    def combined(self, parts: list[Counts], text: str) -> Counts:
        """The counts of ``text`` from those of its sentences (``parts``, which hold all of
        it but white space): every count adds up but the sentences, which textstat counts
        its own way on the whole text."""
        sums = [sum(column) for column in zip(*parts, strict=True)] if parts else [0] * len(Counts._fields)
        sums[1] = self.sentences(text)
        return Counts(*sums)

    def _count(self, text: str) -> Counts:
        # A long text (one paragraph of a whole book) is counted a stretch at a time, cut at
        # white space: every count but the sentences adds up, and no list of all its words
        # is held (50 MB of prose: millions of words, gigabytes).
        words = syllables = poly = difficult = hard = letters = chars = pieces = 0
        seen, threshold = self._seen, self.threshold
        start = 0
        while start < len(text):
            end = len(text) if len(text) - start <= _STRETCH else _space_after(text, start + _STRETCH)
            stretch = text[start:end] if start or end < len(text) else text
            start = end
            found_words = self.words(stretch)
            words += len(found_words)
            for w in found_words:
                found = seen.get(w)
                n, easy = found if found is not None else self.word(w)
                syllables += n
                poly += n >= 3
                if not easy:
                    hard += 1
                    difficult += n >= threshold
            letters += len(_NOT_WORD_RE.sub("", stretch))
            chars += len(_SPACE_RE.sub("", stretch))
            pieces += len(stretch.split())
        return Counts(words, self.sentences(text), syllables, poly, difficult, hard, letters, chars, pieces)

    # -- the formulas: textstat's expressions, in its order --------------------------------------
    def flesch_reading_ease(self, c: Counts) -> float:
        wps, spw = _per(c.words, c.sentences), _per(c.syllables, c.words)
        if wps == 0 or spw == 0:
            return 0.0
        base, sentence_length, syllables_per_word = self.fre
        return base - sentence_length * wps - syllables_per_word * spw

    @staticmethod
    def flesch_kincaid_grade(c: Counts) -> float:
        wps, spw = _per(c.words, c.sentences), _per(c.syllables, c.words)
        if wps == 0 or spw == 0:
            return 0.0
        return (0.39 * wps) + (11.8 * spw) - 15.59

    @staticmethod
    def gunning_fog(c: Counts) -> float:
        if not c.words:
            return 0.0
        return 0.4 * (_per(c.words, c.sentences) + 100 * c.difficult / c.words)

    @staticmethod
    def smog(c: Counts) -> float:
        if not c.sentences:
            return 0.0
        return (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291

    @staticmethod
    def coleman_liau(c: Counts) -> float:
        letters, sentences = _per(c.letters, c.words) * 100, _per(c.sentences, c.words) * 100
        if letters == 0 or sentences == 0:
            return 0.0
        return (0.058 * letters) - (0.296 * sentences) - 15.8

    @staticmethod
    def automated_readability_index(c: Counts) -> float:
        a, b = _per(c.chars, c.pieces), _per(c.words, c.sentences)
        if a == 0 or b == 0:
            return 0.0
        return 4.71 * a + 0.5 * b - 21.43

    @staticmethod
    def dale_chall(c: Counts) -> float:
        if not c.words:
            return 0.0
        share = 100 * c.hard / c.words
        score = (0.1579 * share) + (0.0496 * _per(c.words, c.sentences))
        return score + 3.6365 if share > 5 else score

    def linsear_write(self, text: str) -> float:
        """textstat's linsear_write_formula as text_standard asks for it (its first 100
        words at most)."""
        pieces = text.split(None, 100)  # more than 100 pieces: the last is the rest
        if len(pieces) > 100:
            # the pieces one at a time (a document's whole prose is not split up front)
            words: list[str] = []
            pieces = []
            for piece in _NON_SPACE_RE.finditer(text):
                if len(words) >= 100:
                    break
                pieces.append(piece.group())
                word = _PUNCTUATION_RE.sub("", self._apostrophe_re.sub("", pieces[-1]))
                if word:
                    words.append(word)
        else:
            words = self.words(text)
        easy = difficult = 0
        for word in words:
            n = self.word(word)[0]
            if n >= 3:
                difficult += 1
            elif n > 0:
                easy += 1
        try:
            number = float((easy * 1 + difficult * 3) / self.sentences(" ".join(pieces)))
        except ZeroDivisionError:
            return 0.0
        if number <= 20:
            number -= 2
        return number / 2

    def consensus(self, text: str, c: Counts) -> float:
        """textstat's text_standard (its float output): the grade most formulas agree on,
        kept between 1 and 18."""
        score = self.flesch_kincaid_grade(c)
        grades = [math.floor(score), math.ceil(score), round(score)]
        ease = self.flesch_reading_ease(c)
        grades += next((g for low, g in _EASE_GRADES if low <= ease < low + 10), [13]) if ease < 100 else [13]
        for score in (self.smog(c), self.coleman_liau(c), self.automated_readability_index(c), self.dale_chall(c),
                      self.linsear_write(text),
                      self.gunning_fog(c)):
            grades += [math.floor(score), math.ceil(score), round(score)]
        return float(max(1, min(float(Counter(grades).most_common(1)[0][0]), 18)))


# text_standard's grades for a Flesch Reading Ease from 90 down to 30 (13 below and at 100+)
_EASE_GRADES = ((90, [5]), (80, [6]), (70, [7]), (60, [8, 9]), (50, [10]), (40, [11]), (30, [12]))


def _per(a: int, b: int) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        return 0.0


@functools.cache
def reader() -> Reader:
    """The run's reader (its word table grows as texts are read)."""
    return Reader()


def grade(text: str) -> float:
    """Flesch–Kincaid grade of a stretch of text."""
    r = reader()
    return float(r.flesch_kincaid_grade(r.counts(text)))


def document_scores(doc, targets: Targets) -> dict:
    """Every formula for the whole prose of the document, its counts, and how it sits
    against the target."""
    r = reader()
    text = doc.scan_text  # the prose: markup (link targets, front matter) blanked, offsets kept
    prose = "\n\n".join(text[p.start : p.end] for p in doc.paragraphs)
    words = doc.word_count()
    sentences = len(doc.sentences)
    out: dict[str, Any] = {"label": "Readability", "target": targets.describe()}
    if not words:
        out.update(value="no text", words=0, sentences=0)
        return out
    # each sentence counted once; a paragraph's counts and the document's are theirs added up
    sentence_counts = [r.counts(text[s.start : s.end]) for s in doc.sentences]
    in_paragraph: list[list[Counts]] = [[] for _ in doc.paragraphs]
    for sentence, counts in zip(doc.sentences, sentence_counts, strict=True):
        in_paragraph[sentence.paragraph].append(counts)
    c = r.combined(sentence_counts, prose)
    figures = {"flesch_reading_ease": r.flesch_reading_ease(c), "flesch_kincaid_grade": r.flesch_kincaid_grade(c),
               "gunning_fog": r.gunning_fog(c), "smog": r.smog(c), "coleman_liau": r.coleman_liau(c),
               "dale_chall": r.dale_chall(c)}
    for key, _ in METRICS:
        out[key] = round(float(figures[key]), 2)
    out["consensus_grade"] = round(r.consensus(prose, c), 1)
    out.update(words=words, sentences=sentences, avg_sentence_words=round(words / max(1, sentences), 1))
    # Paragraphs and sentences get the two Flesch formulas, which are defined for short
    # texts; fog, SMOG, Coleman–Liau and Dale–Chall are calibrated on 100 words or 30
    # sentences and say little about one sentence.

    def stretch(start: int, end: int, counts: Counts) -> dict:
        return {"start": start, "end": end, "words": doc.word_count(start, end),
                "flesch_kincaid_grade": round(float(r.flesch_kincaid_grade(counts)), 1),
                "flesch_reading_ease": round(float(r.flesch_reading_ease(counts)), 1)}

    out["paragraphs"] = [stretch(p.start, p.end, r.combined(in_paragraph[i], text[p.start : p.end]))
                         for i, p in enumerate(doc.paragraphs) if not p.heading]
    out["sentence_grades"] = [stretch(s.start, s.end, c) for s, c in zip(doc.sentences, sentence_counts, strict=True)]
    fk = out["flesch_kincaid_grade"]
    verdict = "above target" if fk > targets.max_grade else "below target" if fk < targets.min_grade else "on target"
    out["verdict"] = verdict
    out["value"] = f"grade {fk:.1f} ({verdict}: {targets.min_grade:g}–{targets.max_grade:g})"
    return out


def measure(subject: Subject) -> Measure:
    """The document's readability against the run's target."""
    return Measure(lambda findings: document_scores(subject.doc, subject.options.readability))
