"""Segmenting a translation and its reference(s), and aligning their segments.

Pure Python, no dependency beyond mtreview itself.

**Segments** keep their character offsets: ``Segment(start, end, text)`` with
``text == original[start:end]``, so anything found on a segment points at exact characters
of the file it came from.

- ``split_lines``: every line, blank ones included (line i = segment i, the way sacrebleu
  reads a file); a final line break does not start another line. ``\\n``, ``\\r\\n`` and
  ``\\r`` end a line.
- ``split_paragraphs``: stretches between blank lines (``Document.paragraphs``), trimmed.
- ``split_sentences``: ``Document.sentences`` (a sentence ends at ``. ! ? …``, closing
  quotes/brackets included, before white space and a capital, digit or opening quote; not
  after a listed abbreviation or a single letter), and a line break is a boundary too,
  unless the paragraph is hard-wrapped prose: when most of a paragraph's line breaks fall
  mid-sentence (the next line starts in lower case, or the line ends in ``, ; - – — ( /``)
  its line breaks are spaces. So a headline line without a final period is a segment of
  its own, and a sentence broken over two lines of a one-sentence-per-line file is two
  segments (which the aligner joins again, as a 1-2 or 2-1 bead).
- ``choose_method`` / ``segment``: lines when every text has the same number of lines;
  else paragraphs when every text has at least two, their counts are close (within 10 %,
  at least 1) and no paragraph holds hard line breaks (several lines that are not
  hard-wrapped prose: one segment per line, headlines); else sentences. One method for all
  the texts, so a hypothesis has one segmentation whatever the number of references.
- ``align_texts``: segments and aligns in one go. With "paragraphs" it aligns the
  paragraphs, then the sentences inside each paragraph bead: the segments it returns are
  sentences, which never align across a paragraph boundary (sacrebleu's TER takes seconds
  per paragraph-long segment; sentence beads also say where a text is missing).

**Alignment** (``align``) is Gale–Church style dynamic programming over monotonic "beads":
1-1, 1-0 (a hypothesis segment with nothing in the reference: an addition), 0-1 (a
reference segment with nothing in the hypothesis: an omission), 1-2, 2-1 and 2-2. A bead's
cost adds

- dissimilarity, ``1 − Dice`` of the two sides' character 3-gram sets (lower-cased text,
  runs of white space as one space, padded with a space at each end). The sets are bit sets
  held in Python ints (a 3-gram's bit is its first-seen number modulo a power of two sized
  to the segments, so the alignment is the same in every process), and ``Dice`` is
  ``2·popcount(a & b) / (popcount(a) + popcount(b))``. On the WMT es-en newssyscomb2009
  set a translation and its reference score 0.33–0.88 (5th–95th percentile), unrelated
  sentences 0.02–0.28;
- a length term: the log ratio of the two sides' lengths (characters + 20) is taken as
  normal with σ = 0.15 (σ of MT against reference on that set: 0.12); the cost is
  ``0.05 · min(z²/2, 10)``, z the ratio in σ. Gale and Church model the difference of the
  lengths instead, whose spread grows with the square root of the length; between a
  translation and its reference the spread grows with the length itself;
- for 1-0 and 0-1 a fixed 0.6 (so a 1-1 bead, however dissimilar, costs less than a 1-0
  and a 0-1); for a merge, the dissimilarity counts once per segment pair it stands for
  (×1.5 for 1-2 and 2-1, ×2 for 2-2, or merging would be cheaper than matching), plus 0.05
  (1-2, 2-1) or 0.6 (2-2), plus ``0.6 · (1 − c)``, c the least share of any part's 3-grams
  found on the other side. A part that is not a piece of the same text (an omitted
  sentence next to a translated one) finds few of its 3-grams there and makes the merge
  cost more than the 0-1 bead.

After the DP, a 1-0 or 0-1 bead is joined to the bead before or after it when that raises
the neighbour's Dice by more than 0.02: a sentence that the other side runs into a longer
one with two others (a 1-3 bead, beyond the DP's moves) is then no omission. So beads may
have three or more segments on a side.

The weights were set on the es-en eval set with lines deleted, split in two and joined
at random (and, sentence by sentence, with whole lines deleted on either side): 0.99 of
the beads right; of the 1-0 and 0-1 beads, ~0.9 right and ~0.9 of the true ones found.

**Band.** The DP does not fill the whole (n+1)×(m+1) table: row i (i hypothesis segments
consumed) is restricted to ``w`` cells either side of the diagonal scaled by length, the
reference index where the share of reference characters consumed equals the share of
hypothesis characters consumed (so the band follows a reference that splits its text into
more, or fewer, segments). ``w`` starts at 12 (or the value passed); when the best path
touches the edge of the band, where the true path may lie outside it, the band is doubled
and the DP run again, up to the full table, or up to ``MAX_CELLS`` cells (about 2 million:
a few seconds and ~100 MB): past that the band stops growing and the best path inside it is
taken, so two long unrelated texts cannot fill a table of n×m cells. For 3,000×3,000
segments of one-sentence lines that is ~75,000 cells instead of 9 million: about 1 s, half
of it building the 3-gram sets (bench/reference.py prints the figure).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

from mtreview.document import Document
from mtreview.textpatterns import LINE_BREAK_RE

__all__ = [
    "Alignment",
    "Bead",
    "Segment",
    "align",
    "align_texts",
    "bead_counts",
    "choose_method",
    "line_count",
    "segment",
    "split_lines",
    "split_paragraphs",
    "split_sentences",
]


@dataclass(frozen=True, slots=True)
class Segment:
    """``text == original[start:end]``."""

    start: int
    end: int
    text: str


class Bead(NamedTuple):
    """Hypothesis segments ``hyp`` aligned with reference segments ``ref`` (index ranges)."""

    hyp: range
    ref: range
    cost: float = 0.0

    @property
    def kind(self) -> str:
        return f"{len(self.hyp)}-{len(self.ref)}"


# -- segmenting --------------------------------------------------------------------------------
_PARAGRAPH_CLOSE = 0.10
_SOFT_LINE_END = frozenset(",;-–—(/")


def split_lines(text: str) -> list[Segment]:
    """Every line (blank ones too), without its line break; a final break ends the last line."""
    out: list[Segment] = []
    pos = 0
    for m in LINE_BREAK_RE.finditer(text):
        out.append(Segment(pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append(Segment(pos, len(text), text[pos:]))
    return out


def line_count(text: str) -> int:
    """``len(split_lines(text))``, without building the segments."""
    if "\r" in text:
        return len(split_lines(text))
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def split_paragraphs(text: str, doc: Document | None = None) -> list[Segment]:
    """Stretches between blank lines, trimmed of white space; blank ones are dropped."""
    doc = doc or Document(text)
    return [Segment(p.start, p.end, text[p.start : p.end]) for p in doc.paragraphs]


def split_sentences(text: str, doc: Document | None = None) -> list[Segment]:
    """Sentences (``Document.sentences``), also cut at the line breaks of paragraphs that are
    not hard-wrapped prose (see the module docstring)."""
    doc = doc or Document(text)
    hard = [_has_hard_breaks(text, p.start, p.end) for p in doc.paragraphs]
    out: list[Segment] = []
    for s in doc.sentences:
        if not hard[s.paragraph] or not LINE_BREAK_RE.search(text, s.start, s.end):
            out.append(Segment(s.start, s.end, text[s.start : s.end]))
            continue
        pos = s.start
        for m in LINE_BREAK_RE.finditer(text, s.start, s.end):
            _add_trimmed(out, text, pos, m.start())
            pos = m.end()
        _add_trimmed(out, text, pos, s.end)
    return out


def _add_trimmed(out: list[Segment], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Segment(start, end, text[start:end]))


def _has_hard_breaks(text: str, start: int, end: int) -> bool:
    """Whether the paragraph ``text[start:end]`` has line breaks that end a segment: it has
    some, and at most half of them look like the wrapping of running prose."""
    lines = [line.strip() for line in LINE_BREAK_RE.split(text[start:end])]
    lines = [line for line in lines if line]
    if len(lines) < 2:
        return False
    soft = sum(
        1 for before, after in pairwise(lines) if after[0].islower() or before[-1] in _SOFT_LINE_END
    )
    return soft * 2 <= len(lines) - 1


def choose_method(hyp_text: str, ref_texts: Sequence[str]) -> str:
    """``"lines"``, ``"paragraphs"`` or ``"sentences"`` for these texts (module docstring)."""
    return _choose(hyp_text, ref_texts)[0]


def _choose(hyp_text: str, ref_texts: Sequence[str]) -> tuple[str, list[Document]]:
    texts = [hyp_text, *ref_texts]
    if len({line_count(t) for t in texts}) == 1:
        return "lines", []
    documents = [Document(t) for t in texts]
    counts = [len(d.paragraphs) for d in documents]
    if min(counts) >= 2 and all(
        abs(c - counts[0]) <= max(1, _PARAGRAPH_CLOSE * max(c, counts[0])) for c in counts[1:]
    ):
        if not any(
            _has_hard_breaks(d.text, p.start, p.end) for d in documents for p in d.paragraphs
        ):
            return "paragraphs", documents
    return "sentences", documents


@dataclass(slots=True)
class Alignment:
    """What ``align_texts`` found: the method, the segments of the translation and of each
    reference, each reference's beads over them, and (method "paragraphs") each
    reference's paragraph beads."""

    method: str
    hyp: list[Segment]
    refs: list[list[Segment]]
    beads: list[list[Bead]]
    paragraphs: list[dict] | None = None  # per reference: {"hyp", "ref", "beads"}


def align_texts(hyp_text: str, ref_texts: str | Sequence[str], band: int | None = None) -> Alignment:
    """Segment a translation and its reference(s) (``segment``) and align each reference to
    the translation: line i to line i ("lines"); sentences ("sentences"); or paragraphs
    first, then the sentences of each paragraph bead among themselves ("paragraphs": the
    segments are sentences that never align across a paragraph boundary; scoring long
    paragraphs as units would make TER crawl, and sentence beads say where a text is
    missing)."""
    if isinstance(ref_texts, str):
        ref_texts = [ref_texts]
    method, documents = _choose(hyp_text, ref_texts)
    if method == "lines":
        hyp = split_lines(hyp_text)
        refs = [split_lines(t) for t in ref_texts]
        beads = [[Bead(range(i, i + 1), range(i, i + 1)) for i in range(len(hyp))] for _ in refs]
        return Alignment(method, hyp, refs, beads)
    if method == "sentences":
        parts = [split_sentences(d.text, d) for d in documents]
        hyp_texts = [s.text for s in parts[0]]
        beads = [align(hyp_texts, [s.text for s in segs], band) for segs in parts[1:]]
        return Alignment(method, parts[0], parts[1:], beads)
    paragraphs = [split_paragraphs(d.text, d) for d in documents]
    grouped = [_sentences_by_paragraph(d) for d in documents]
    hyp_sents, hyp_groups = grouped[0]
    hyp_texts = [s.text for s in hyp_sents]
    beads, summary = [], []
    for paras, (sents, groups) in zip(paragraphs[1:], grouped[1:], strict=True):
        outer = align([p.text for p in paragraphs[0]], [p.text for p in paras], band)
        summary.append({"hyp": len(paragraphs[0]), "ref": len(paras), "beads": bead_counts(outer)})
        ref_texts_ = [s.text for s in sents]
        inner: list[Bead] = []
        for b in outer:
            hs = [i for p in b.hyp for i in hyp_groups[p]]
            rs = [j for p in b.ref for j in groups[p]]
            if not hs or not rs:  # a paragraph with nothing on the other side
                hpos, rpos = _next(hyp_groups, b.hyp.start), _next(groups, b.ref.start)
                inner += [Bead(range(i, i + 1), range(rpos, rpos), SKIP_COST) for i in hs]
                inner += [Bead(range(hpos, hpos), range(j, j + 1), SKIP_COST) for j in rs]
                continue
            for x in align([hyp_texts[i] for i in hs], [ref_texts_[j] for j in rs], band):
                inner.append(Bead(
                    range(x.hyp.start + hs[0], x.hyp.stop + hs[0]),
                    range(x.ref.start + rs[0], x.ref.stop + rs[0]), x.cost,
                ))
        beads.append(inner)
    return Alignment(method, hyp_sents, [g[0] for g in grouped[1:]], beads, summary)


def _next(groups: list[list[int]], paragraph: int) -> int:
    """The first segment index of paragraph ``paragraph`` or later (the count if none)."""
    for p in range(paragraph, len(groups)):
        if groups[p]:
            return groups[p][0]
    return sum(len(g) for g in groups)


def _sentences_by_paragraph(doc: Document) -> tuple[list[Segment], list[list[int]]]:
    """The sentences of a document without hard line breaks, and for each paragraph the
    indices of its sentences."""
    text = doc.text
    sents: list[Segment] = []
    groups: list[list[int]] = [[] for _ in doc.paragraphs]
    for s in doc.sentences:
        groups[s.paragraph].append(len(sents))
        sents.append(Segment(s.start, s.end, text[s.start : s.end]))
    return sents, groups


def segment(hyp_text: str, ref_texts: str | Sequence[str]) -> tuple[str, list[Segment], list[list[Segment]]]:
    """Split a hypothesis and its reference(s) the same way: ``(method, hyp_segments,
    [ref_segments, ...])`` (see ``choose_method``)."""
    if isinstance(ref_texts, str):
        ref_texts = [ref_texts]
    method, documents = _choose(hyp_text, ref_texts)
    if method == "lines":
        return method, split_lines(hyp_text), [split_lines(t) for t in ref_texts]
    split = split_paragraphs if method == "paragraphs" else split_sentences
    parts = [split(d.text, d) for d in documents]
    return method, parts[0], parts[1:]


# -- aligning ----------------------------------------------------------------------------------
class Weights(NamedTuple):
    """The costs of the DP (module docstring). ``ratio``: the expected length of a hypothesis
    segment over its reference's (1 for two texts in one language); ``skip`` the cost of a
    1-0 or 0-1 bead; ``merge`` of a 1-2, 2-1 and 2-2 bead; ``part`` the weight of the least
    share of a merged part's 3-grams found on the other side; ``length``, ``sigma``,
    ``smooth`` and ``cap`` shape the length term; ``absorb`` is the rise of a neighbour's
    3-gram Dice that joins a 1-0 or 0-1 bead to it."""

    skip: float = 0.6
    merge: tuple[float, float, float] = (0.05, 0.05, 0.6)
    part: float = 0.6
    length: float = 0.05
    sigma: float = 0.15
    smooth: int = 20
    cap: float = 10.0
    ratio: float = 1.0
    absorb: float = 0.02


#: A translation against its reference (same language): what ``align`` uses by default.
SAME_LANGUAGE = Weights()
SKIP_COST = SAME_LANGUAGE.skip
START_BAND = 12
#: The band stops doubling when the next band would pass this many cells.
MAX_CELLS = 2_000_000

_SPACE_RE = re.compile(r"\s+")


class _Side:
    """Per-segment features of one side: lengths and 3-gram bit sets, of single segments
    and of each segment joined with the next."""

    __slots__ = ("bits", "bits2", "counts", "counts2", "cum", "lengths", "lengths2", "n")

    def __init__(self, texts: list[str], vocab: dict[str, int], width: int):
        mask = width - 1
        self.n = len(texts)
        self.lengths = [len(t) for t in texts]
        bits = []
        for t in texts:
            padded = f" {t} "
            ids = set()
            for k in range(len(padded) - 2):
                gram = padded[k : k + 3]
                g = vocab.get(gram)
                if g is None:
                    g = vocab[gram] = len(vocab)
                ids.add(g & mask)
            value = 0
            for g in ids:
                value |= 1 << g
            bits.append(value if t else 0)
        self.bits = bits
        self.counts = [b.bit_count() for b in bits]
        self.lengths2 = [a + b + 1 for a, b in pairwise(self.lengths)]
        self.bits2 = [a | b for a, b in pairwise(bits)]
        self.counts2 = [b.bit_count() for b in self.bits2]
        cum = [0]
        for n in self.lengths:
            cum.append(cum[-1] + n + 1)
        self.cum = cum


def _normalise(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip().lower()


def _bit_width(texts: Sequence[str]) -> int:
    """A power of two about 8× the 3-grams of a long segment (256 to 32,768 bits)."""
    longest = sorted(len(t) for t in texts)[int(0.9 * (len(texts) - 1))] if texts else 0
    return 1 << max(8, min(15, math.ceil(math.log2(max(1, 8 * longest)))))


def _length_cost_of(weights: Weights):
    """The length term of a bead of ``a`` hypothesis and ``b`` reference characters."""
    smooth, sigma, ratio = weights.smooth, weights.sigma, weights.ratio
    scale, cap = weights.length, weights.cap

    def length_cost(a: int, b: int) -> float:
        z = math.log((a + smooth) / ((b + smooth) * ratio)) / sigma
        return scale * min(0.5 * z * z, cap)

    return length_cost


def align(hyp: Sequence[str], ref: Sequence[str], band: int | None = None,
          weights: Weights = SAME_LANGUAGE) -> list[Bead]:
    """A monotonic alignment of hypothesis and reference segments (texts), as beads covering
    every segment of both sides in order (1-1, 1-0, 0-1, 1-2, 2-1, 2-2; more after a gap is
    joined to its neighbour). The DP is banded around the length-scaled diagonal (module
    docstring); ``band`` sets the starting half-width (a band as wide as the longer side
    is the full table). ``weights``: the DP's costs (a translation against its source
    needs others than against a reference)."""
    n, m = len(hyp), len(ref)
    if n == 0 or m == 0:
        return [Bead(range(i, i + 1), range(0), weights.skip) for i in range(n)] + [
            Bead(range(n, n), range(j, j + 1), weights.skip) for j in range(m)
        ]
    hyp_n = [_normalise(t) for t in hyp]
    ref_n = [_normalise(t) for t in ref]
    vocab: dict[str, int] = {}
    width = _bit_width(hyp_n + ref_n)
    h = _Side(hyp_n, vocab, width)
    r = _Side(ref_n, vocab, width)
    w = max(2, band if band is not None else START_BAND)
    while True:
        full = w >= max(n, m)
        lo, hi = _band(h, r, w)
        beads, touched = _dp(h, r, lo, hi, weights)
        if full or not touched or (4 * w + 1) * (n + 1) > MAX_CELLS:
            return _absorb(beads, h, r, weights.absorb)
        w *= 2


def bead_counts(beads: Sequence[Bead]) -> dict[str, int]:
    """How many beads of each kind ("1-1", "0-1", ...), in a fixed order, zeros left out."""
    counts: dict[str, int] = {}
    for b in beads:
        counts[b.kind] = counts.get(b.kind, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (_KIND_ORDER.get(kv[0], 99), kv[0])))


_KIND_ORDER = {"1-1": 0, "1-0": 1, "0-1": 2, "1-2": 3, "2-1": 4, "2-2": 5}


def _absorb(beads: list[Bead], h: _Side, r: _Side, gain: float) -> list[Bead]:
    """Join a 1-0 or 0-1 bead to the neighbouring bead (before or after it, not itself a
    1-0 or 0-1) when that raises the neighbour's 3-gram Dice: the segment is a piece of the
    same text (a sentence that the other side runs into its neighbours, beyond what a 1-2
    bead covers), not a gap. Beads of three or more segments on a side come from here."""

    def union(bits: list[int], indices: range) -> int:
        value = 0
        for i in indices:
            value |= bits[i]
        return value

    def dice(a: int, b: int) -> float:
        total = a.bit_count() + b.bit_count()
        return 2.0 * (a & b).bit_count() / total if total else 0.0

    out = list(beads)
    k = 0
    while k < len(out):
        bead = out[k]
        if len(bead.hyp) and len(bead.ref):
            k += 1
            continue
        best_gain, best_n = gain, None
        for n in (k - 1, k + 1):
            if not 0 <= n < len(out) or not (len(out[n].hyp) and len(out[n].ref)):
                continue
            hb, rb = union(h.bits, out[n].hyp), union(r.bits, out[n].ref)
            before = dice(hb, rb)
            if len(bead.hyp):
                after = dice(hb | union(h.bits, bead.hyp), rb)
            else:
                after = dice(hb, rb | union(r.bits, bead.ref))
            if after - before > best_gain:
                best_gain, best_n = after - before, n
        if best_n is None:
            k += 1
            continue
        other = out[best_n]
        first, second = (other, bead) if best_n < k else (bead, other)
        merged = Bead(
            range(first.hyp.start, second.hyp.stop), range(first.ref.start, second.ref.stop),
            bead.cost + other.cost,
        )
        lo = min(k, best_n)
        out[lo : lo + 2] = [merged]
        k = lo  # the merged bead is not a gap; look at what follows
    return out


def _band(h: _Side, r: _Side, w: int) -> tuple[list[int], list[int]]:
    """Per row i, the first and last reference index (inclusive) in the band."""
    n, m = h.n, r.n
    h_total, r_total = h.cum[-1], r.cum[-1]
    lo: list[int] = []
    hi: list[int] = []
    prev_hi = 0
    for i in range(n + 1):
        if i == n:
            c = m
        else:
            target = h.cum[i] * r_total / h_total
            c = min(m, bisect_left(r.cum, target))
        low = max(0, min(c - w, prev_hi))
        high = min(m, max(c + w, low))
        if i == n:
            high = m
        lo.append(low)
        hi.append(high)
        prev_hi = high
    return lo, hi


def _dp(h: _Side, r: _Side, lo: list[int], hi: list[int], weights: Weights) -> tuple[list[Bead], bool]:
    inf = math.inf
    n, m = h.n, r.n
    hb, hc, hl = h.bits, h.counts, h.lengths
    rb, rc, rl = r.bits, r.counts, r.lengths
    hb2, hc2, hl2 = h.bits2, h.counts2, h.lengths2
    rb2, rc2, rl2 = r.bits2, r.counts2, r.lengths2
    length_cost = _length_cost_of(weights)
    skip = weights.skip
    m12, m21, m22 = weights.merge
    part_w = weights.part

    def dissim(a: int, ca: int, b: int, cb: int) -> float:
        total = ca + cb
        return 1.0 - 2.0 * (a & b).bit_count() / total if total else 0.0

    def share(a: int, ca: int, b: int) -> float:
        return (a & b).bit_count() / ca if ca else 1.0

    costs: list[list[float]] = []
    moves: list[bytearray] = []
    # move codes: 1 = 1-1, 2 = 1-0, 3 = 0-1, 4 = 1-2, 5 = 2-1, 6 = 2-2
    for i in range(n + 1):
        l0, h0 = lo[i], hi[i]
        row = [inf] * (h0 - l0 + 1)
        move = bytearray(h0 - l0 + 1)
        if i >= 1:
            p1, pl1, ph1 = costs[i - 1], lo[i - 1], hi[i - 1]
            a = i - 1
            ab, ac, al = hb[a], hc[a], hl[a]
        if i >= 2:
            p2, pl2, ph2 = costs[i - 2], lo[i - 2], hi[i - 2]
            a2 = i - 2
            ab2, ac2, al2 = hb2[a2], hc2[a2], hl2[a2]
            ab_first, ac_first = hb[a2], hc[a2]
        for j in range(l0, h0 + 1):
            best = 0.0 if i == 0 and j == 0 else inf
            code = 0
            if j > l0:
                c = row[j - 1 - l0] + skip
                if c < best:
                    best, code = c, 3
            if i >= 1:
                if pl1 <= j <= ph1:
                    c = p1[j - pl1] + skip
                    if c < best:
                        best, code = c, 2
                k = j - 1
                if pl1 <= k <= ph1:
                    prev = p1[k - pl1]
                    if prev < best:
                        c = prev + dissim(ab, ac, rb[k], rc[k]) + length_cost(al, rl[k])
                        if c < best:
                            best, code = c, 1
                k = j - 2
                if pl1 <= k <= ph1:
                    prev = p1[k - pl1] + m12
                    if prev < best:
                        c = prev + 1.5 * dissim(ab, ac, rb2[k], rc2[k]) + length_cost(al, rl2[k])
                        if c < best:
                            part = min(share(rb[k], rc[k], ab), share(rb[k + 1], rc[k + 1], ab))
                            c += part_w * (1.0 - part)
                            if c < best:
                                best, code = c, 4
            if i >= 2:
                k = j - 1
                if pl2 <= k <= ph2:
                    prev = p2[k - pl2] + m21
                    if prev < best:
                        c = prev + 1.5 * dissim(ab2, ac2, rb[k], rc[k]) + length_cost(al2, rl[k])
                        if c < best:
                            part = min(share(ab_first, ac_first, rb[k]), share(ab, ac, rb[k]))
                            c += part_w * (1.0 - part)
                            if c < best:
                                best, code = c, 5
                k = j - 2
                if pl2 <= k <= ph2:
                    prev = p2[k - pl2] + m22
                    if prev < best:
                        c = prev + 2.0 * dissim(ab2, ac2, rb2[k], rc2[k]) + length_cost(al2, rl2[k])
                        if c < best:
                            part = min(
                                share(ab_first, ac_first, rb2[k]), share(ab, ac, rb2[k]),
                                share(rb[k], rc[k], ab2), share(rb[k + 1], rc[k + 1], ab2),
                            )
                            c += part_w * (1.0 - part)
                            if c < best:
                                best, code = c, 6
            row[j - l0] = best
            move[j - l0] = code
        costs.append(row)
        moves.append(move)

    steps = {1: (1, 1), 2: (1, 0), 3: (0, 1), 4: (1, 2), 5: (2, 1), 6: (2, 2)}
    beads: list[Bead] = []
    touched = False
    i, j = n, m
    while i > 0 or j > 0:
        l0, h0 = lo[i], hi[i]
        if (j == l0 and l0 > 0) or (j == h0 and h0 < m):
            touched = True
        di, dj = steps[moves[i][j - l0]]
        here = costs[i][j - l0]
        i2, j2 = i - di, j - dj
        beads.append(Bead(range(i2, i), range(j2, j), here - costs[i2][j2 - lo[i2]]))
        i, j = i2, j2
    beads.reverse()
    return beads, touched
