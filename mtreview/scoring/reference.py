"""Reference-based MT metrics: BLEU, chrF2, chrF++ and TER (sacrebleu), segment scores, and
the omissions and additions that the alignment with the reference(s) shows.

``score_reference(hyp_text, [(name, text), ...])`` returns a JSON-ready dict;
``reference_findings(result)`` turns its omissions and additions into finding dicts;
``measure`` is the score of a checked file (``mtreview/scoring/__init__.py``).

**Pairing.** When the translation and every reference have the same number of lines (blank
lines count, a final line break does not start a line), line i is paired with line i,
exactly as ``sacrebleu REF -i HYP`` pairs them ("lines"). Otherwise the texts are
segmented and each reference is aligned to the translation (``align.align_texts``):
"paragraphs" when the paragraph counts are close (paragraphs aligned, then the sentences
within each paragraph bead), else "sentences". One method for all the texts, so the
translation has one segmentation whatever the number of references. sacrebleu would
silently drop the lines beyond the shorter file; here every reference stream has exactly
one entry per scored unit:

- a *unit* is a run of translation segments that no reference splits: the cut between two
  translation segments is kept when every reference has a bead boundary there (with one
  reference: one unit per bead). A reference's segments in a unit are joined with a
  space, and so are the translation's (white space runs, line breaks included, become one
  space); a reference with nothing in a unit gives "" (with several references sacrebleu
  then goes by the others: BLEU takes the closest length, chrF the best match);
- reference segments aligned to nothing (0-1 beads) at one translation position form a
  unit whose translation side is "": an omission is scored as such (recall and brevity
  suffer), and listed with the position in the translation where it would go (the end of
  the segment before it; the start of the first one when it goes first). Translation
  segments aligned to nothing are additions (a run of them is one entry). With several
  references, an omission or an addition is listed only when every reference agrees (each
  has unmatched text at that position, or none has anything for that segment);
- in "lines" mode a blank translation line against non-blank reference lines is an
  omission (at the start of that line), and a non-blank line against blank ones an
  addition. The lines are aligned all the same (``align.align``, ~1 s for 3,000 lines):
  when the alignment is not line i to line i (one line missing and another added, the
  counts still equal), ``alignment["warnings"]`` says so, from which line.

**Metrics** are sacrebleu's with its default settings (13a tokenizer, mixed case, exp
smoothing; chrF with 6 character orders, β = 2, ``word_order=2`` for chrF++; TER
case-insensitive, unnormalised), each with its signature: corpus BLEU, chrF2, chrF++ and
TER; per unit, sentence chrF2 and sentence BLEU with effective order
(``BLEU(effective_order=True).sentence_score``). sacrebleu computes a corpus score from
per-segment statistics; these are extracted once per metric and reused: a sentence score
is the metric computed from one unit's statistics (what ``sentence_score`` does), and with
one reference chrF2 is chrF++ without its word orders (the first 18 statistics), so the
character n-grams are counted once. ``ci=True`` adds 95 % bootstrap intervals computed the
way sacrebleu's ``corpus_score(..., n_bootstrap=1000)`` does (resampling indices from
``numpy.random.default_rng(seed)``, 1,000 samples, the 2.5 and 97.5 percentiles as
sacrebleu takes them), with a fixed seed (12345, sacrebleu's default) whatever
``SACREBLEU_SEED`` says, so results are reproducible; the signature then carries
``bs:1000|seed:12345``.

**Long segments in pieces.** sacrebleu's TER takes time and memory quadratic in a segment's
length (one 100 KB line against itself: a minute and 5 GB; 5 MB: killed at 24 GB). A unit
longer than ``PIECE_MAX`` characters on any side is scored as pieces: each side is cut into
sentences (and a sentence longer than ``PIECE_MAX`` at the white space nearest each
``PIECE_MAX`` characters), the pieces are aligned (``align.align``, as whole texts are),
and a piece still longer than ``2 × PIECE_MAX`` after the alignment merged some is cut into
equal shares on every side. Each metric's statistics of the pieces are added up into the
unit's, so the unit keeps its place, its sentence scores and its omissions; only n-grams
and TER shifts across a cut are lost. Units of at most ``PIECE_MAX`` characters, all of them
in ordinary text, are scored exactly as sacrebleu scores them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import cast

from mtreview.errors import MtreviewError
from mtreview.model import Draft, FixSafety, Severity
from mtreview.scoring import Measure, Subject
from mtreview.scoring.align import Bead, Segment, align, align_texts, bead_counts

__all__ = ["measure", "reference_findings", "score_reference"]

N_BOOTSTRAP = 1000
SEED = 12345
_QUOTE_MAX = 80
# A reference with less than a quarter of the translation's (non-space) characters is
# taken as truncated or wrong, once the translation has this many.
_SHORT_REFERENCE_RATIO = 4
_SHORT_REFERENCE_MIN = 200
_CHAR_STATS = 3 * 6  # chrF statistics of the character orders: [hyp, ref, match] × 6
#: Longest unit (characters, on any side) scored whole; longer ones are scored in pieces.
PIECE_MAX = 2000
_BATCH_CHARS = 200_000  # characters of segments (all sides) handed to sacrebleu at a time
# a sentence ends at . ! ? … (closing quotes and brackets included) before white space
_SENTENCE_END_RE = re.compile(r"[.!?…][\"”’»)\]]*\s+")


class _Unit:
    """One scored entry: translation segments ``hyp`` (a range, possibly empty), and per
    reference its segments (index lists)."""

    __slots__ = ("hyp", "position", "refs")

    def __init__(self, hyp: range, refs: list[list[int]], position: int):
        self.hyp = hyp
        self.refs = refs
        self.position = position  # translation segment index the unit starts at


def score_reference(
    hyp_text: str,
    references: Sequence[tuple[str, str]],
    ci: bool = False,
    worst: int = 5,
    *,
    n_bootstrap: int = N_BOOTSTRAP,
    seed: int = SEED,
) -> dict:
    """Score a translation against one or more references ``(name, text)``; see the module
    docstring. Raises ``ValueError`` (one line: what, which file, what to do) when there is
    nothing to score against."""
    references = _check_inputs(hyp_text, references)
    names = [name for name, _ in references]
    ref_texts = [text for _, text in references]

    found = align_texts(hyp_text, ref_texts)
    method, hyp_segs, ref_segs = found.method, found.hyp, found.refs
    warnings = []
    if method == "lines":  # the lines as they are, as sacrebleu reads them
        units = [_Unit(range(i, i + 1), [[i] for _ in references], i) for i in range(len(hyp_segs))]
        hyps = [s.text for s in hyp_segs]
        refs = [[s.text for s in segs] for segs in ref_segs]
        for name, stream in zip(names, refs, strict=True):
            warning = _shifted_lines(hyps, stream, name)
            if warning:
                warnings.append(warning)
    else:
        units = _common_units(len(hyp_segs), found.beads)
        hyp_plain = [_plain(s.text) for s in hyp_segs]
        hyps = [" ".join(hyp_plain[i] for i in u.hyp) for u in units]
        refs = [
            [" ".join(_plain(segs[j].text) for j in u.refs[r]) for u in units]
            for r, segs in enumerate(ref_segs)
        ]
    alignment_refs = []
    for r, name in enumerate(names):
        entry = {"name": name, "segments": len(ref_segs[r]), "beads": bead_counts(found.beads[r])}
        if found.paragraphs:
            entry["paragraphs"] = {"segments": found.paragraphs[r]["ref"], "beads": found.paragraphs[r]["beads"]}
        alignment_refs.append(entry)

    metrics, sentence = _metrics(hyps, refs, ci, n_bootstrap, seed, names)
    omissions, additions = _gaps(method, hyp_text, hyp_segs, ref_segs, units, names, hyps, refs)

    scored = [
        k for k, u in enumerate(units)
        if hyps[k].strip() and any(stream[k].strip() for stream in refs)
    ]
    chrf_seg, bleu_seg = sentence
    worst_list = []
    for k in sorted(scored, key=lambda k: (chrf_seg[k], k))[: max(0, worst)]:
        u = units[k]
        start, end = _span(hyp_segs, u.hyp, _insertion_point(hyp_segs, u.position))
        worst_list.append({
            "index": k,
            "chrf": round(chrf_seg[k], 2),
            "bleu": round(bleu_seg[k], 2),
            "hyp": {"start": start, "end": end, "text": hyps[k]},
            "refs": [
                dict(zip(("start", "end"), _span(ref_segs[r], u.refs[r], None), strict=True), name=names[r], text=refs[r][k])
                for r in range(len(names))
            ],
        })

    return {
        "references": names,
        "alignment": {
            "method": method,
            "segments": len(hyp_segs),
            **({"paragraphs": found.paragraphs[0]["hyp"]} if found.paragraphs else {}),
            "units": len(units),
            "references": alignment_refs,
            **({"warnings": warnings} if warnings else {}),
        },
        "metrics": metrics,
        "segments": {
            "count": len(units),
            "scored": len(scored),
            "mean_chrf": round(sum(chrf_seg[k] for k in scored) / len(scored), 2) if scored else 0.0,
            "mean_bleu": round(sum(bleu_seg[k] for k in scored) / len(scored), 2) if scored else 0.0,
            "worst": worst_list,
        },
        "omissions": omissions,
        "additions": additions,
    }


def reference_findings(result: dict) -> list[dict]:
    """Findings for ``result["omissions"]`` and ``result["additions"]``: dicts with start,
    end (an omission is the empty span where the text would go), category, severity,
    message and rule, in text order."""
    out = []
    several = len(result.get("references", ())) > 1
    for gap in result.get("omissions", ()):
        names = ", ".join(r["name"] for r in gap["refs"])
        where = f"references {names}" if several else f"reference {names}"
        out.append({
            "start": gap["at"],
            "end": gap["at"],
            "category": "accuracy/omission",
            "severity": "warning",
            "rule": "reference.omission",
            "message": f"Missing from the translation (in the {where}): “{_shorten(gap['text'])}”",
        })
    for gap in result.get("additions", ()):
        what = "any reference" if several else "the reference"
        out.append({
            "start": gap["start"],
            "end": gap["end"],
            "category": "accuracy/addition",
            "severity": "warning",
            "rule": "reference.addition",
            "message": f"Not in {what}: “{_shorten(gap['text'])}”",
        })
    out.sort(key=lambda f: (f["start"], f["end"], f["rule"]))
    return out


def measure(subject: Subject) -> Measure | None:
    """The reference metrics of a checked file against the run's references (None when
    there are none); its omissions and additions are drafts (``reference.omission``,
    ``reference.addition``)."""
    if not subject.references:
        return None
    doc = subject.doc
    try:
        ref = score_reference(doc.text, subject.references, ci=subject.options.ci)
    except ValueError as exc:
        raise MtreviewError(f"{doc.path}: {exc}") from None
    m = ref["metrics"]
    ref["label"] = "Reference"
    ref["value"] = (f"BLEU {m['bleu']['score']:.1f} · chrF++ {m['chrf++']['score']:.1f} · "
                    f"TER {m['ter']['score']:.1f} ({ref['alignment']['method']})")
    drafts = tuple(
        Draft(rule=f["rule"], start=f["start"], end=f["end"], message=f["message"],
              severity=Severity(f.get("severity", "warning")), category=f["category"], fix=FixSafety.NONE,
              source="reference")
        for f in reference_findings(ref)
    )
    return Measure(lambda findings: ref, drafts)


# -- inputs ------------------------------------------------------------------------------------
def _check_inputs(hyp_text: str, references: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    if not isinstance(hyp_text, str):
        raise TypeError(f"the translation must be a str, not {type(hyp_text).__name__}")
    if isinstance(references, tuple) and len(references) == 2 and all(isinstance(x, str) for x in references):
        references = [cast("tuple[str, str]", references)]  # one (name, text) pair given bare
    refs = list(references or ())
    if not refs:
        raise ValueError("no reference given: pass at least one reference translation (name, text)")
    hyp_chars = _visible(hyp_text)
    out = []
    for item in refs:
        try:
            name, text = item
        except (TypeError, ValueError):
            raise TypeError("references must be (name, text) pairs") from None
        if not isinstance(text, str):
            raise TypeError(f"reference {name}: the text must be a str, not {type(text).__name__}")
        name = str(name)
        ref_chars = _visible(text)
        if ref_chars == 0:
            raise ValueError(
                f"reference {name} is empty (or only blank lines): give the reference translation of this text"
            )
        if hyp_chars >= _SHORT_REFERENCE_MIN and ref_chars * _SHORT_REFERENCE_RATIO < hyp_chars:
            raise ValueError(
                f"reference {name} has {ref_chars:,} characters against {hyp_chars:,} in the translation: "
                "it looks truncated or made for another text; give the complete reference"
            )
        out.append((name, text))
    return out


def _visible(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \t\r\n\f\v\u00a0")


def _plain(text: str) -> str:
    """A segment as scored after alignment: runs of white space (line breaks) as one space."""
    return " ".join(text.split())


# -- units -------------------------------------------------------------------------------------
def _common_units(n: int, all_beads: list[list[Bead]]) -> list[_Unit]:
    """One hypothesis segmentation for every reference (module docstring)."""
    # Cut positions 1..n-1 that every reference keeps.
    joined = bytearray(n + 1)  # joined[p]: some reference puts segments p-1 and p in one bead
    for beads in all_beads:
        for b in beads:
            for p in range(b.hyp.start + 1, b.hyp.stop):
                joined[p] = 1
    group_start = [0] * n  # the group each hypothesis segment belongs to, by its first segment
    start = 0
    for i in range(n):
        if i > 0 and not joined[i]:
            start = i
        group_start[i] = start
    groups: dict[int, _Unit] = {}
    empties: dict[int, _Unit] = {}
    nrefs = len(all_beads)
    order: list[tuple[int, int, _Unit]] = []  # (position, 0 empty / 1 group, unit)
    for i in range(n):
        if group_start[i] == i:
            stop = i + 1
            while stop < n and group_start[stop] == i:
                stop += 1
            unit = _Unit(range(i, stop), [[] for _ in range(nrefs)], i)
            groups[i] = unit
            order.append((i, 1, unit))
    for r, beads in enumerate(all_beads):
        for b in beads:
            if len(b.hyp):
                groups[group_start[b.hyp.start]].refs[r].extend(b.ref)
                continue
            p = b.hyp.start
            if 0 < p < n and joined[p]:  # inside a group that another reference merges
                groups[group_start[p]].refs[r].extend(b.ref)
                continue
            empty = empties.get(p)
            if empty is None:
                empty = empties[p] = _Unit(range(p, p), [[] for _ in range(nrefs)], p)
                order.append((p, 0, empty))
            empty.refs[r].extend(b.ref)
    order.sort(key=lambda x: (x[0], x[1]))
    return [unit for _, _, unit in order]


def _shifted_lines(hyps: list[str], refs: list[str], name: str) -> str | None:
    """A warning when line i of the translation is not always line i of the reference: the
    same number of lines, but one missing and another added (or split, or joined) further
    on. It counts the beads of the alignment that pair lines other than i with i (a
    translation line and a reference line both left alone at the same place are just a
    poor match, not a shift). The scores still pair line i with line i, as sacrebleu does."""
    off = [
        b for b in align(hyps, refs)
        if len(b.hyp) and len(b.ref) and (b.hyp.start != b.ref.start or b.hyp.stop != b.ref.stop)
    ]
    if not off:
        return None
    lines = sum(len(b.hyp) for b in off)
    return (
        f"{name}: line i of the translation is not always line i of the reference (aligned, "
        f"{lines:,} lines pair otherwise, from line {off[0].hyp.start + 1}); the scores pair them "
        "line by line, as sacrebleu does: check that no line is missing or split"
    )


def _insertion_point(hyp_segs: list[Segment], position: int) -> int:
    """Where text missing before translation segment ``position`` would go: the end of the
    segment before it (the start of the first one, or 0 in an empty text)."""
    if position > 0:
        return hyp_segs[position - 1].end
    return hyp_segs[0].start if hyp_segs else 0


def _span(segs: list[Segment], indices, empty: int | None) -> tuple[int | None, int | None]:
    indices = list(indices)
    if not indices:
        return empty, empty
    return segs[indices[0]].start, segs[indices[-1]].end


def _gaps(method, hyp_text, hyp_segs, ref_segs, units, names, hyps, refs) -> tuple[list, list]:
    omissions: list[dict] = []
    additions: list[dict] = []
    nrefs = len(names)
    for k, u in enumerate(units):
        hyp_blank = not hyps[k].strip()
        ref_blank = [not stream[k].strip() for stream in refs]
        if hyp_blank and not any(ref_blank):
            if method == "lines":
                at = hyp_segs[u.hyp.start].start if len(u.hyp) else _insertion_point(hyp_segs, u.position)
            else:
                at = _insertion_point(hyp_segs, u.position)
            after = list(_span(hyp_segs, [u.position - 1], None)) if u.position > 0 else None
            parts = []
            for r in range(nrefs):
                start, end = _span(ref_segs[r], u.refs[r], None)
                parts.append({"name": names[r], "start": start, "end": end, "text": refs[r][k]})
            omissions.append({
                "at": at,
                "after": after,
                "text": parts[0]["text"],
                "segments": len(u.refs[0]),
                "refs": parts,
            })
        elif not hyp_blank and all(ref_blank):
            for i in u.hyp:
                s = hyp_segs[i]
                if not s.text.strip():
                    continue
                last = additions[-1] if additions else None
                if last is not None and last["_next"] == i:  # a run of added segments: one entry
                    last.update(end=s.end, _next=i + 1, segments=last["segments"] + 1)
                else:
                    additions.append({"start": s.start, "end": s.end, "segments": 1, "_next": i + 1})
    for entry in additions:
        del entry["_next"]
        entry["text"] = _plain(hyp_text[entry["start"] : entry["end"]])
    return omissions, additions


# -- metrics -----------------------------------------------------------------------------------
def _metrics(hyps, refs, ci, n_bootstrap, seed, names) -> tuple[dict, tuple[list, list]]:
    try:
        from sacrebleu.metrics import BLEU, CHRF, TER
    except ImportError:  # pragma: no cover - a dependency
        raise ValueError("reference scoring needs sacrebleu: pip install 'sacrebleu>=2.2,<3'") from None
    piece_hyps, piece_refs, owner = _pieces(hyps, refs)

    def statistics(metric) -> list:
        """The metric's statistics of each unit: of its pieces, added up. sacrebleu keeps the
        n-gram counts of every reference segment it is given until it returns, hundreds of
        bytes per character, so it is given the segments a batch at a time (a segment's
        statistics do not depend on the others)."""
        stats = []
        for lo, hi in _batches(piece_hyps, piece_refs):
            stats += metric._extract_corpus_statistics(piece_hyps[lo:hi], [stream[lo:hi] for stream in piece_refs])
        return stats if owner is None else _fold(stats, owner, len(hyps))

    try:
        bleu = BLEU()
        bleu_stats = statistics(bleu)
        sentence_bleu = BLEU(effective_order=True)
        chrfpp = CHRF(word_order=2)
        chrfpp_stats = statistics(chrfpp)
        chrf2 = CHRF()
        if len(refs) == 1:
            chrf2.num_refs = chrfpp.num_refs
            chrf2_stats = [s[:_CHAR_STATS] for s in chrfpp_stats]
        else:  # the best reference of a segment may differ between chrF2 and chrF++
            chrf2_stats = statistics(chrf2)
        ter = TER()
        ter_stats = statistics(ter)
        chrf_seg = [chrf2._compute_f_score(s) for s in chrf2_stats]
        bleu_seg = [sentence_bleu._compute_score_from_stats(list(s)).score for s in bleu_stats]
        metrics = {
            "bleu": _entry(bleu, bleu_stats, ci, n_bootstrap, seed, 1),
            "chrf2": _entry(chrf2, chrf2_stats, ci, n_bootstrap, seed, 2),
            "chrf++": _entry(chrfpp, chrfpp_stats, ci, n_bootstrap, seed, 2),
            "ter": _entry(ter, ter_stats, ci, n_bootstrap, seed, 1),
        }
    except (ArithmeticError, AttributeError, IndexError, KeyError, RuntimeError, TypeError, ValueError) as exc:
        raise ValueError(
            f"sacrebleu could not score the translation against {', '.join(names)}: {exc}; "
            "check that the files are plain text translations of the same document"
        ) from exc
    return metrics, (chrf_seg, bleu_seg)


# -- long units in pieces ----------------------------------------------------------------------
def _pieces(hyps: list[str], refs: list[list[str]]) -> tuple[list[str], list[list[str]], list[int] | None]:
    """The texts to score: each unit whole when no side is longer than ``PIECE_MAX``, else
    its aligned pieces (module docstring); and the unit of each piece (None: one piece per
    unit, the units themselves)."""
    long = [k for k, hyp in enumerate(hyps) if len(hyp) > PIECE_MAX or any(len(s[k]) > PIECE_MAX for s in refs)]
    if not long:
        return hyps, refs, None
    out_hyps: list[str] = []
    out_refs: list[list[str]] = [[] for _ in refs]
    owner: list[int] = []
    cut = set(long)
    for k, hyp in enumerate(hyps):
        sides = [stream[k] for stream in refs]
        for piece_hyp, piece_refs in _split_unit(hyp, sides) if k in cut else [(hyp, sides)]:
            out_hyps.append(piece_hyp)
            owner.append(k)
            for stream, text in zip(out_refs, piece_refs, strict=True):
                stream.append(text)
    return out_hyps, out_refs, owner


def _split_unit(hyp: str, refs: list[str]) -> list[tuple[str, list[str]]]:
    """A long unit as pieces ``(translation, [reference, ...])``, none longer than
    ``2 × PIECE_MAX`` characters on any side, covering every character of every side once."""
    hyp_parts = _cut(hyp)
    ref_parts = [_cut(text) for text in refs]
    units = _common_units(len(hyp_parts), [align(hyp_parts, parts) for parts in ref_parts])
    pieces = []
    for u in units:
        piece_hyp = " ".join(hyp_parts[i] for i in u.hyp)
        piece_refs = [" ".join(ref_parts[r][j] for j in u.refs[r]) for r in range(len(refs))]
        pieces.extend(_shares(piece_hyp, piece_refs))
    return pieces or [("", ["" for _ in refs])]


def _cut(text: str) -> list[str]:
    """``text`` as sentences, those longer than ``PIECE_MAX`` cut at white space (or, in a
    run without any, every ``PIECE_MAX`` characters); white space runs as one space."""
    out = []
    pos = 0
    for m in [*_SENTENCE_END_RE.finditer(text), None]:
        end = m.end() if m is not None else len(text)
        sentence = text[pos:end].strip()
        pos = end
        while len(sentence) > PIECE_MAX:
            at = sentence.rfind(" ", PIECE_MAX // 2, PIECE_MAX + 1)
            at = at if at > 0 else PIECE_MAX
            out.append(" ".join(sentence[:at].split()))
            sentence = sentence[at:].strip()
        if sentence:
            out.append(" ".join(sentence.split()))
    return out


def _shares(hyp: str, refs: list[str]) -> list[tuple[str, list[str]]]:
    """``(hyp, refs)`` as it is when no side is longer than ``2 × PIECE_MAX``, else cut into
    the same number of equal shares on every side (at white space near each share's end)."""
    longest = max(len(hyp), *(len(r) for r in refs))
    if longest <= 2 * PIECE_MAX:
        return [(hyp, refs)]
    count = math.ceil(longest / PIECE_MAX)
    hyp_shares = _equal_shares(hyp, count)
    ref_shares = [_equal_shares(r, count) for r in refs]
    return [(hyp_shares[i], [shares[i] for shares in ref_shares]) for i in range(count)]


def _equal_shares(text: str, count: int) -> list[str]:
    """``text`` cut into ``count`` stretches of about equal length, at spaces where possible."""
    cuts = [0]
    for i in range(1, count):
        target = len(text) * i // count
        space = text.find(" ", target, target + PIECE_MAX // 4)
        cuts.append(max(cuts[-1], space if space >= 0 else target))
    cuts.append(len(text))
    return [text[a:b].strip() for a, b in pairwise(cuts)]


def _batches(hyps: list[str], refs: list[list[str]]) -> list[tuple[int, int]]:
    """``(start, stop)`` of consecutive segments holding about ``_BATCH_CHARS`` characters
    (all the segments in one batch when they hold fewer)."""
    out, lo, size = [], 0, 0
    for i, hyp in enumerate(hyps):
        size += len(hyp) + sum(len(stream[i]) for stream in refs)
        if size >= _BATCH_CHARS:
            out.append((lo, i + 1))
            lo, size = i + 1, 0
    if lo < len(hyps) or not out:
        out.append((lo, len(hyps)))
    return out


def _fold(stats: list, owner: list[int], units: int) -> list[list]:
    """Per-piece statistics added up per unit (every statistic of BLEU, chrF and TER is a
    count or a length)."""
    out: list[list | None] = [None] * units
    for row, k in zip(stats, owner, strict=True):
        current = out[k]
        out[k] = list(row) if current is None else [a + b for a, b in zip(current, row, strict=True)]
    assert all(row is not None for row in out)  # every unit has a piece
    return cast("list[list]", out)


def _entry(metric, stats, ci, n_bootstrap, seed, width) -> dict:
    score = metric._aggregate_and_compute(stats)
    entry: dict = {"score": float(score.score), "rounded": round(float(score.score), width)}
    if ci and n_bootstrap > 1:
        lower, upper, mean = _bootstrap(metric, stats, n_bootstrap, seed)
        metric.n_bootstrap, metric.seed = n_bootstrap, str(seed)
        entry["ci"] = [round(lower, width + 1), round(upper, width + 1)]
        entry["ci_exact"] = [lower, upper]
        entry["ci_mean"] = round(mean, width + 1)
    signature = metric.get_signature().format()
    entry["signature"] = signature
    entry["text"] = score.format(width=width, signature=signature)
    for field in ("sys_len", "ref_len"):
        if hasattr(score, field):
            entry["hyp_len" if field == "sys_len" else field] = int(getattr(score, field))
    if hasattr(score, "num_edits"):
        entry["num_edits"] = float(score.num_edits)
        entry["ref_length"] = float(score.ref_length)
    return entry


def _bootstrap(metric, stats, n: int, seed: int) -> tuple[float, float, float]:
    """sacrebleu's bootstrap (``significance._bootstrap_resample`` and ``Score.estimate_ci``)
    with this seed: the same resampled indices, the sums taken as sample × segment counts
    times the statistics (float64) rather than materialising every resample."""
    import numpy as np

    m = len(stats)
    rng = np.random.default_rng(seed)
    idxs = rng.choice(m, size=(n, m), replace=True)
    flat = (idxs + np.arange(n)[:, None] * m).ravel()
    counts = np.bincount(flat, minlength=n * m).reshape(n, m).astype(np.float64)
    sums = counts @ np.asarray(stats, dtype=np.float64)
    scores = sorted(float(metric._compute_score_from_stats(row).score) for row in sums.tolist())
    lower_idx = n // 40
    return scores[lower_idx], scores[n - lower_idx - 1], sum(scores) / n


def _shorten(text: str, limit: int = _QUOTE_MAX) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip(" ,;:") + "…"
