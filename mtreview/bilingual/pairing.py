"""A translation paired with its source: which source sentences each target sentence
translates.

The target and the source are Documents (any input format; for a bilingual file, two
Documents over the same file text, one reading the target segments, one the source
segments). Their paragraphs are aligned first (given, for a bilingual file: segment i with
segment i), then the sentences inside each pair of paragraphs, with the aligner of
``mtreview/scoring/align.py`` weighted for two languages: its 3-gram similarity is taken on
texts with accents, case and number formats made alike (names, numbers, cognates and
punctuation are what a sentence shares with its translation), and its length term expects
the document's own ratio of target to source length. The result is a sequence of ``Link``s
covering both texts in order: a link with an empty source side is a target sentence that
translates nothing (an addition), one with an empty target side a source sentence that
nothing translates (an omission), placed where the target would have it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

from mtreview.bilingual.names import english_words, fold, leans_source
from mtreview.diskcache import compile_pattern
from mtreview.document import Document, Link, Pairing, Span
from mtreview.scoring.align import Bead, Weights, align

#: The aligner's weights for a translation against its source, set on the WMT
#: newssyscomb2009 es/fr/de → en pairs (source with the professional reference and with MT,
#: in articles of 4-line paragraphs, with and without 10 of 190 target lines deleted):
#: the log ratio of a sentence's length to its source's, once the document's own ratio is
#: taken out, has σ ≈ 0.17; a true pair's 3-gram Dice (0.24 median) is far lower than
#: between two English texts, so a gap must cost more (``skip``) and a gap next to a bead
#: is joined to it only when that is clearly better (``absorb``).
CROSS_LANGUAGE = Weights(skip=1.0, sigma=0.2, length=0.1, part=0.6, merge=(0.1, 0.1, 0.6), absorb=0.05)

#: English characters per source character, and how many characters of a document it
#: weighs as: the median over the WMT newssyscomb2009 es/fr/de/it → en sets is 0.90–0.95.
PRIOR_RATIO = 0.92
PRIOR_CHARS = 2000
_THOUSANDS_FOREIGN_RE = compile_pattern(r"(?<=\d)[.\u00a0\u202f ](?=\d{3}(?!\d))")
_DECIMAL_FOREIGN_RE = compile_pattern(r"(?<=\d),(?=\d)")
_THOUSANDS_ENGLISH_RE = compile_pattern(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES_RE = compile_pattern(r"\s+")


def language(option: str, declared: str | None, source: Document) -> str | None:
    """The source language of one pair: the run's ``--source-lang`` unless it is ``auto``,
    then what a bilingual file declares, then what the source text is written in
    (``mtreview.bilingual.langid``; None when it is none of the languages mtreview knows)."""
    if option != "auto":
        return option
    if declared is not None:
        return declared
    from mtreview.bilingual.langid import source_language

    return source_language(source.scan_text)[0]


def pair(target: Document, source: Document, path: str, lang: str | None,
         paragraphs: Sequence[tuple[int | None, int | None]] | None = None) -> Pairing:
    """``source`` as the source of ``target``: their sentences aligned. ``paragraphs``:
    given paragraph pairs (target paragraph index, source paragraph index; None on one side
    for a segment with nothing on that side), in order, as a bilingual file gives its
    segments; otherwise the paragraphs are aligned too."""
    t_paras, s_paras = target.paragraphs, source.paragraphs
    t_sents = _by_paragraph(target)
    s_sents = _by_paragraph(source, lang)
    t_chars = sum(p.end - p.start for p in t_paras)
    s_chars = sum(p.end - p.start for p in s_paras)
    # the document's own ratio, drawn towards what translations into English usually give
    # while the document is short (a few sentences say little, and an omission skews them)
    ratio = (t_chars + PRIOR_RATIO * PRIOR_CHARS) / (s_chars + PRIOR_CHARS)
    weights = CROSS_LANGUAGE._replace(ratio=ratio)
    if paragraphs is None:
        beads = align([_features(target.text[p.start : p.end], "en") for p in t_paras],
                      [_features(source.text[p.start : p.end], lang) for p in s_paras], weights=weights)
        pairs = [(list(b.hyp), list(b.ref)) for b in beads]
    else:
        pairs = [([t] if t is not None else [], [s] if s is not None else []) for t, s in paragraphs]
    links: list[Link] = []
    for t_group, s_group in pairs:
        t_spans = [s for p in t_group for s in t_sents[p]]
        s_spans = [s for p in s_group for s in s_sents[p]]
        paragraph_of = [p for p in s_group for _ in s_sents[p]]
        links += _sentence_links(target, source, t_spans, s_spans, lang, weights, links, paragraph_of)
    return Pairing(source, path, lang, links, ratio)


def _sentence_links(target: Document, source: Document, t_spans: list[Span], s_spans: list[Span],
                    lang: str | None, weights: Weights, before: list[Link], s_paras: list[int]) -> list[Link]:
    """The links of one pair of paragraphs (or groups of them); a paragraph with nothing on
    the other side is all additions (or omissions), placed after the links ``before``.
    ``s_paras``: the source paragraph of each source sentence."""
    if not t_spans or not s_spans:
        t_at = before[-1].target.end if before else 0
        s_at = s_spans[0].start if s_spans else (before[-1].source.end if before else 0)
        return ([Link(s, Span(s_at, s_at)) for s in t_spans]
                + [Link(Span(t_at, t_at), s) for s in s_spans])
    t_texts = [target.text[s.start : s.end] for s in t_spans]
    s_texts = [source.text[s.start : s.end] for s in s_spans]
    t_feats = [_features(t, "en") for t in t_texts]
    s_feats = [_features(s, lang) for s in s_texts]
    t_anchors = [_anchors(t, f) for t, f in zip(t_texts, t_feats, strict=True)]
    s_anchors = [_anchors(s, f, lang) for s, f in zip(s_texts, s_feats, strict=True)]
    out: list[Link] = []
    t_lengths, s_lengths = [len(t) for t in t_feats], [len(t) for t in s_feats]
    beads = _resplit(align(t_feats, s_feats, weights=weights), t_lengths, s_lengths, weights.ratio)
    beads = _split_paragraphs(beads, s_paras, t_lengths, s_lengths, weights.ratio)
    beads = _move_gaps(beads, t_anchors, s_anchors, t_lengths, s_lengths, weights.ratio)
    for b in _split_unanchored(beads, t_anchors, s_anchors):
        out.append(Link(_cover(t_spans, b.hyp, _gap_at(t_spans, b)), _cover(s_spans, b.ref, None)))
    return out


_ANCHOR_RE = compile_pattern(r"\d+(?:[.:]\d+)*|(?<=[\w,;:)] )[A-Z][A-Za-z]{2,}")


def _anchors(original: str, features: str, lang: str | None = "en") -> set[str]:
    """What a sentence shares with its translation whatever the language: its numbers (in
    the aligner's one form) and its capitalised words but the first (their first four
    letters, so that transliterations meet: Zelenski, Zelensky; a source word English
    translates, "Alemania", "Guerra", by its English words': "germ", "war") — but in
    German, where every noun is capitalised, only those that are no German word
    ("Fossett", "Stanley", not "Grenze")."""
    found = {m.group() for m in _ANCHOR_RE.finditer(features)} if any(c.isdigit() for c in features) else set()
    if lang == "de":
        found = {a for a in found if a[0].isdigit()}
    table = english_words(lang) if lang and lang != "en" else {}
    for m in _ANCHOR_RE.finditer(original):
        word = m.group()
        if word[0].isupper() and (lang != "de" or not leans_source(word, lang)):
            english = table.get(fold(word))
            found |= {e[:4] for e in english} if english else {word[:4].lower()}
    return found


def _split_unanchored(beads: list[Bead], t_anchors: list[set[str]], s_anchors: list[set[str]]) -> list[Bead]:
    """A source sentence at either end of a bead with several, most of whose numbers and
    names (two at least, and three in five) the bead's target sentences lack, while the
    bead's other source sentences share some with them, is a sentence the translation
    dropped and the aligner ran into its neighbour: it becomes an omission of its own."""
    out: list[Bead] = []
    for b in beads:
        if len(b.ref) < 2 or not len(b.hyp):
            out.append(b)
            continue
        target = set().union(*(t_anchors[i] for i in b.hyp))
        kept = list(b.ref)
        before: list[int] = []
        after: list[int] = []
        for edge, into in ((0, before), (-1, after)):
            if len(kept) < 2:
                break
            j = kept[edge]
            own = s_anchors[j]
            rest = set().union(*(s_anchors[k] for k in kept if k != j))
            missing = len(own - target)
            if missing >= 2 and missing >= 0.6 * len(own) and rest & target:
                into.append(kept.pop(edge))
        at = b.hyp.start
        out += [Bead(range(at, at), range(j, j + 1), b.cost) for j in before]
        out.append(Bead(b.hyp, range(kept[0], kept[-1] + 1), b.cost))
        out += [Bead(range(b.hyp.stop, b.hyp.stop), range(j, j + 1), b.cost) for j in after]
    return out


def _fits(got: int, want: float) -> bool:
    """Whether ``got`` characters of translation fit ``want`` (the source's length times the
    document's ratio), within ``RESPLIT_SPREAD`` either way."""
    return want > 0 and 1 / RESPLIT_SPREAD <= got / want <= RESPLIT_SPREAD


def _misfit(got: int, want: float) -> float:
    """How far (a log ratio) ``got`` characters of translation are from ``want``."""
    return abs(math.log(max(got, 1) / max(want, 1.0)))


def _move_gaps(beads: list[Bead], t_anchors: list[set[str]], s_anchors: list[set[str]], t_lengths: list[int],
               s_lengths: list[int], ratio: float) -> list[Bead]:
    """A source sentence left out next to a bead of one source sentence changes places with
    it when the bead's translation shares more numbers and names with the left-out sentence
    than with its own, and fits its length: the aligner, going by length, gave the
    translation to the wrong neighbour and called the other one dropped."""
    out = list(beads)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if not len(a.hyp) and len(a.ref) == 1 and len(b.hyp) and len(b.ref) == 1:
            gap, bead = a, b
        elif not len(b.hyp) and len(b.ref) == 1 and len(a.hyp) and len(a.ref) == 1:
            gap, bead = b, a
        else:
            continue
        target = set().union(*(t_anchors[k] for k in bead.hyp))
        ours, theirs = len(target & s_anchors[bead.ref.start]), len(target & s_anchors[gap.ref.start])
        if theirs > ours and _fits(sum(t_lengths[k] for k in bead.hyp), ratio * s_lengths[gap.ref.start]):
            at = bead.hyp.start if gap is b else bead.hyp.stop
            moved = [Bead(range(at, at), bead.ref, gap.cost), Bead(bead.hyp, gap.ref, bead.cost)]
            out[i : i + 2] = moved if gap is b else moved[::-1]
    return out


def _split_paragraphs(beads: list[Bead], s_paras: list[int], t_lengths: list[int], s_lengths: list[int],
                      ratio: float) -> list[Bead]:
    """A bead whose source sentences lie in two paragraphs or more (a headline and the
    sentence after it) is split at the paragraph breaks: one sentence of English does not
    translate two paragraphs. Its target sentences go with the paragraph whose length they
    fit best; the sentences of the others are omissions (the headline a translation left
    out, that the paragraphs' alignment joined to the next paragraph)."""
    out: list[Bead] = []
    for b in beads:
        if len(b.ref) < 2 or not len(b.hyp) or s_paras[b.ref.start] == s_paras[b.ref.stop - 1]:
            out.append(b)
            continue
        runs: list[range] = []
        for j in b.ref:
            if runs and s_paras[j] == s_paras[runs[-1].start]:
                runs[-1] = range(runs[-1].start, j + 1)
            else:
                runs.append(range(j, j + 1))
        got = sum(t_lengths[i] for i in b.hyp)
        best = min(runs, key=lambda r: _misfit(got, ratio * sum(s_lengths[j] for j in r)))
        for r in runs:
            if r is best:
                out.append(Bead(b.hyp, r, b.cost))
            else:
                at = b.hyp.start if r.start < best.start else b.hyp.stop
                out += [Bead(range(at, at), range(j, j + 1), b.cost) for j in r]
    return out


#: How far (a factor either way) a sentence's length may stray from its source's times the
#: document's ratio for ``_resplit`` to pair them.
RESPLIT_SPREAD = 1.8


def _resplit(beads: list[Bead], t_lengths: list[int], s_lengths: list[int], ratio: float) -> list[Bead]:
    """A source sentence left out (a 0-1 bead) beside a bead that gives one source sentence
    several target sentences is most often the aligner's slip, not an omission: the
    translation of a sentence shorter or longer than usual pushed the path aside. When the
    target sentence nearest the gap fits the left-out sentence's length, and the rest fit
    their own source sentence's, the two become two beads. Beside any other bead, the
    left-out sentence joins it when the bead's translation fits the two source sentences'
    length better than its own one's (a translation that merged them); a sentence truly
    dropped is split out again when its numbers and names are missing
    (``_split_unanchored``)."""
    out = list(beads)

    def fits(t: range, s: range) -> bool:
        return _fits(sum(t_lengths[i] for i in t), ratio * sum(s_lengths[i] for i in s))

    def misfit(t: range, s: range) -> float:
        return _misfit(sum(t_lengths[i] for i in t), ratio * sum(s_lengths[i] for i in s))

    i = 0
    while i + 1 < len(out):
        a, b = out[i], out[i + 1]
        if not len(a.hyp) and len(a.ref) == 1:
            gap, merged = a, b
        elif not len(b.hyp) and len(b.ref) == 1:
            gap, merged = b, a
        else:
            i += 1
            continue
        if len(merged.hyp) and len(merged.ref) and not (len(merged.hyp) >= 2 and len(merged.ref) == 1):
            # a translation that joined two source sentences into one: the gap's sentence
            # belongs to its neighbour when that fits the neighbour's length better
            refs = range(min(gap.ref.start, merged.ref.start), max(gap.ref.stop, merged.ref.stop))
            if fits(merged.hyp, refs) and misfit(merged.hyp, refs) < misfit(merged.hyp, merged.ref):
                out[i : i + 2] = [Bead(merged.hyp, refs, merged.cost)]
                continue
            i += 1
            continue
        if len(merged.hyp) < 2 or len(merged.ref) != 1:
            i += 1
            continue
        if gap is a:  # the gap's sentence takes the merged bead's first target sentence
            first, rest = range(merged.hyp.start, merged.hyp.start + 1), range(merged.hyp.start + 1, merged.hyp.stop)
            pair = [Bead(first, gap.ref, gap.cost), Bead(rest, merged.ref, merged.cost)]
        else:  # its last
            rest, last = range(merged.hyp.start, merged.hyp.stop - 1), range(merged.hyp.stop - 1, merged.hyp.stop)
            pair = [Bead(rest, merged.ref, merged.cost), Bead(last, gap.ref, gap.cost)]
        if all(fits(p.hyp, p.ref) for p in pair):
            out[i : i + 2] = pair
        i += 1
    return out


def _gap_at(t_spans: list[Span], bead: Bead) -> int:
    """Where an omission goes in the target: at the start of the next target sentence of
    the paragraph, or at the end of its last one."""
    if bead.hyp.start < len(t_spans):
        return t_spans[bead.hyp.start].start
    return t_spans[-1].end


def _cover(spans: list[Span], indices: range, empty_at: int | None) -> Span:
    if len(indices):
        return Span(spans[indices.start].start, spans[indices.stop - 1].end)
    at = empty_at if empty_at is not None else (spans[indices.start].start if indices.start < len(spans) else spans[-1].end)
    return Span(at, at)


def _by_paragraph(doc: Document, lang: str | None = None) -> list[list[Span]]:
    """The sentence spans of each paragraph; in a source language, a sentence that ends in
    one of its abbreviations (or, in German, in an ordinal: "am 19. Oktober") runs on."""
    out: list[list[Span]] = [[] for _ in doc.paragraphs]
    ends_open = _OPEN_END.get(lang or "")
    text = doc.text
    for s in doc.sentences:
        spans = out[s.paragraph]
        if spans and ends_open is not None and ends_open.search(text, max(spans[-1].start, spans[-1].end - 16), spans[-1].end):
            spans[-1] = Span(spans[-1].start, s.end)
        else:
            spans.append(Span(s.start, s.end))
    return out


# Abbreviations that end in a period inside a sentence, by source language (English ones are
# the Document's own); a sentence ending in one of them runs on into the next.
_ABBREVIATIONS = {
    "es": "Sr Sra Srta Dña Dª Dr Dra Lic Ing Gral Cnel EE.UU Mr Mrs etc aprox pág núm tel Avda",
    "fr": "M MM Mme Mlle Dr Pr St Ste av bd etc env cf p. n°",
    "pt": "Sr Sra Dr Dra Prof Eng Gal EUA etc aprox pág nº Av",
    "it": "Sig Sigg Dott Prof On Ing Avv Gen Sen etc ecc pag n° S.p.A",
    "de": "Dr Prof Hr Fr Nr Mrd Mio Tsd bzw ca usw evtl z.B d.h u.a v.a Abs Art Bd Str",
}
_OPEN_END = {
    lang: compile_pattern(
        r"(?:(?<![\w.])(?:" + "|".join(re.escape(w.rstrip(".")) for w in words.split()) + r")"
        + (r"|(?<![\w.,:])\d{1,2}" if lang == "de" else "") + r")\.[\"'”’»)]*\s*$"
    )
    for lang, words in _ABBREVIATIONS.items()
}


def _features(text: str, lang: str | None) -> str:
    """``text`` as the aligner should compare it across languages: no accents, lower case,
    numbers in one form (no thousands separators; a decimal point)."""
    if lang == "en":
        text = _THOUSANDS_ENGLISH_RE.sub("", text)
    else:
        text = _DECIMAL_FOREIGN_RE.sub(".", _THOUSANDS_FOREIGN_RE.sub("", text))
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _SPACES_RE.sub(" ", text).strip().lower()


def expected_ratio(a: int, b: int, ratio: float) -> float:
    """How far, in σ of the cross-language length model, ``a`` target characters are from
    what ``b`` source characters should give."""
    smooth = CROSS_LANGUAGE.smooth
    return math.log((a + smooth) / ((b + smooth) * ratio)) / CROSS_LANGUAGE.sigma
