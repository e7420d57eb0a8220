"""Checks of a translation against the run's glossary (``--glossary``, the config's
``glossary``: a CSV or TBX file, read by ``mtreview/bilingual/glossary.py``): the English the
glossary requires for a source term, English it forbids, and one source term translated two
ways. Without a glossary they find nothing; ``glossary.required`` and ``glossary.inconsistent``
also need the source (``--source``), ``glossary.forbidden`` does not.

The glossary reaches a check through the document's ``run`` (``mtreview.document.Run``,
which the review sets on every document it reads), and so do the other documents of the
run: ``glossary.inconsistent`` counts each term's translations over all of them, once per
run. A rule's examples are checked with the glossary its ``example_glossary`` option holds
(CSV text; ``mtreview/examples.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple
from weakref import WeakKeyDictionary

from mtreview.checks.base import check
from mtreview.document import Document, Run
from mtreview.matching.api import Hit
from mtreview.rule import Rule, match_case

if TYPE_CHECKING:
    from mtreview.bilingual.glossary import Glossary
    from mtreview.bilingual.terms import Found

#: The glossary the rules' examples are checked with.
EXAMPLE_GLOSSARY = """source,target,forbidden,note
alto el fuego,ceasefire|cease-fire,truce,
tregua,truce,,
misil,missile,,
Kiev,Kyiv,Kiev,AP style since 2019
"""
_EXAMPLES_USE = ("The examples use this glossary: alto el fuego → ceasefire | cease-fire (not truce); "
                 "tregua → truce; misil → missile; Kiev → Kyiv (not Kiev).")


def _glossary(doc: Document) -> Glossary | None:
    from mtreview.bilingual.glossary import Glossary

    run = doc.run
    return run.glossary if run is not None and isinstance(run.glossary, Glossary) else None


def _quoted(texts) -> str:
    return " or ".join(f"“{t}”" for t in texts)


def _noted(glossary: Glossary, entries) -> str:
    notes = list(dict.fromkeys(glossary.entries[e].note for e in entries if glossary.entries[e].note))
    return f" ({'; '.join(notes)})" if notes else ""


def _inflected(term: str, tag: str) -> str:
    """``term`` in the form a matched term had: plural when it was (“truces” → “ceasefires”)."""
    from mtreview.bilingual.terms import PLURAL, english_plural

    if tag != PLURAL or not term[-1:].isalpha() or term.isupper():
        return term
    head, _, last = term.rpartition(" ")
    return (head + " " if head else "") + english_plural(last)


def _source_entries(glossary: Glossary, found: list[Found]) -> dict[int, list[tuple[int, int]]]:
    """The entries of the source terms ``found`` in a sentence, each with their spans."""
    out: dict[int, list[tuple[int, int]]] = {}
    for f in found:
        for e in glossary.entries_of(f):
            out.setdefault(e, []).append((f.start, f.end))
    return out


@check(
    scope="document",
    id="glossary.required",
    category="terminology/wrong-term",
    severity="warning",
    message="The glossary translates {terms}, which this sentence does not use",
    why="""A glossary (termbase) fixes how a source term is translated: the client's names for
        its products, the desk's word for a weapon or an institution. Where the aligned source
        sentence has a glossary term and this sentence has none of the English the glossary
        allows for it (in any case and number), the term was translated some other way. The
        finding is on the sentence; the source term is marked in the source. """ + _EXAMPLES_USE,
    instead="The glossary's English: “The missile fell near the border.”",
    options={"example_glossary": EXAMPLE_GLOSSARY},
    examples={
        "bad": [
            {"text": "Talks resumed on Monday. [The projectile fell near the border.]",
             "source": "Las conversaciones se reanudaron el lunes. El misil cayó cerca de la frontera."},
        ],
        "good": [
            {"text": "The missiles fell near the border.", "source": "Los misiles cayeron cerca de la frontera."},
            {"text": "Both sides agreed a cease-fire on Friday.",
             "source": "Ambas partes acordaron un alto el fuego el viernes."},
        ],
    },
)
def required(doc: Document, rule: Rule) -> Iterator[Hit]:
    glossary = _glossary(doc)
    if glossary is None or doc.source is None:
        return
    for pair in glossary.read(doc).pairs:
        present = {f.term for f in pair.english}
        missing: dict[int, list[int]] = {}  # source term -> its entries
        marks: list[tuple[int, int]] = []
        for f in pair.sources:
            entries = glossary.entries_of(f)
            allowed = {t for e in entries for t in glossary.target_ids[e]}
            if not allowed or allowed & present:
                continue
            if any(t in present for e in entries for t in glossary.forbidden_ids[e]):
                continue  # glossary.forbidden points at the wrong term itself
            missing.setdefault(f.term, list(entries))
            marks.append((f.start, f.end))
        if missing:
            terms = " and ".join(
                f"“{glossary.source_terms[term].text}” as "
                + _quoted(dict.fromkeys(t for e in entries for t in glossary.entries[e].targets))
                + _noted(glossary, entries)
                for term, entries in missing.items()
            )
            t = pair.link.target
            yield Hit(rule, t.start, t.end, {"terms": terms}, source_marks=tuple(marks))


@check(
    scope="document",
    id="glossary.forbidden",
    category="terminology/wrong-term",
    severity="error",
    fix="unsafe",
    message="The glossary forbids “{0}”{use}",
    why="""A glossary can forbid English terms: a deprecated name (Kiev for Kyiv), a rival's
        brand, a word the client does not want. A forbidden term is reported wherever it
        stands, with the glossary's preferred term as the suggestion (unsafe: an article or an
        agreement may need changing with it). A term that one entry forbids and another allows
        (“truce” for “alto el fuego”, but the translation of “tregua”) is reported only where
        the aligned source sentence has the entry that forbids it. """ + _EXAMPLES_USE,
    instead="The glossary's preferred term: “Shelling hit Kyiv overnight.”",
    options={"example_glossary": EXAMPLE_GLOSSARY},
    examples={
        "bad": [
            {"text": "Shelling hit [Kiev] overnight.", "fixed": "Shelling hit Kyiv overnight."},
            {"text": "Both sides agreed a [truce] on Friday.", "fixed": "Both sides agreed a ceasefire on Friday.",
             "source": "Ambas partes acordaron un alto el fuego el viernes."},
        ],
        "good": [
            "Shelling hit Kyiv overnight.",
            "Both sides agreed a truce on Friday.",
            {"text": "Both sides agreed a truce on Friday.", "source": "Ambas partes acordaron una tregua el viernes."},
        ],
    },
)
def forbidden(doc: Document, rule: Rule) -> Iterator[Hit]:
    glossary = _glossary(doc)
    if glossary is None:
        return
    reading = glossary.read(doc)
    # the entries of the source sentence aligned with each English term (by its start)
    context: dict[int, dict[int, list[tuple[int, int]]]] = {}
    for pair in reading.pairs:
        entries = _source_entries(glossary, pair.sources)
        context.update((f.start, entries) for f in pair.english)
    for f in reading.english:
        term = glossary.english_terms[f.term]
        if not term.forbidden_by:
            continue
        around = context.get(f.start, {})
        forbidding = [e for e in term.forbidden_by if e in around]
        if not forbidding:
            if term.allowed_by:
                continue  # another entry's translation: only its source says which it is
            forbidding = list(term.forbidden_by)
        preferred = next((p for p in map(glossary.preferred, forbidding) if p is not None), None)
        matched = doc.text[f.start : f.end]
        suggestion = match_case(_inflected(preferred, f.tag), matched) if preferred is not None else None
        use = (f": write “{suggestion}”" if suggestion is not None else "") + _noted(glossary, forbidding)
        yield Hit(rule, f.start, f.end, {"use": use}, suggestions=(suggestion,) if suggestion is not None else (),
                  source_marks=tuple(m for e in forbidding for m in around.get(e, ())))


class _Use(NamedTuple):
    """An English term of the glossary translating one of an entry's source terms."""

    doc: Document
    entry: int
    found: Found
    source: str  # the source term, as the glossary writes it
    marks: tuple[tuple[int, int], ...]


#: Per run: entry -> English term -> its uses in the run's documents.
_TALLIES: WeakKeyDictionary[Run, dict[int, dict[int, list[_Use]]]] = WeakKeyDictionary()


def _uses(glossary: Glossary, doc: Document) -> Iterator[_Use]:
    """The translations in ``doc`` of the source terms of entries that allow several."""
    for pair in glossary.read(doc).pairs:
        by_entry = _source_entries(glossary, pair.sources)
        names = {e: glossary.source_terms[f.term].text for f in pair.sources for e in glossary.entries_of(f)}
        for f in pair.english:
            for e, marks in by_entry.items():
                if len(glossary.target_ids[e]) > 1 and f.term in glossary.target_ids[e]:
                    yield _Use(doc, e, f, names[e], tuple(marks))


def _tally(glossary: Glossary, doc: Document) -> dict[int, dict[int, list[_Use]]]:
    """Each entry's translations over the documents of ``doc``'s run, counted once a run."""
    run = doc.run
    if run is None or doc not in run.documents:
        run = Run((doc,), glossary)
    tally = _TALLIES.get(run)
    if tally is None:
        counts: dict[int, dict[int, list[_Use]]] = {}
        for d in run.documents:
            for use in _uses(glossary, d):
                counts.setdefault(use.entry, {}).setdefault(use.found.term, []).append(use)
        tally = _TALLIES[run] = counts
    return tally


@check(
    scope="document",
    id="glossary.inconsistent",
    category="terminology/inconsistent",
    severity="warning",
    fix="unsafe",
    message="“{source}” is translated “{majority}” {where} ({count}×); use one translation",
    why="""When the glossary allows several translations of a term (“ceasefire” or “cease-fire”),
        a story, and the stories of one review, should still use one: readers take two words
        for two things. The translations of each source term are counted over the document
        and the other files checked with it; the one used most (the glossary's preferred one
        on a tie) is suggested where another stands. """ + _EXAMPLES_USE,
    instead="One translation throughout: “the ceasefire … the ceasefire”.",
    options={"example_glossary": EXAMPLE_GLOSSARY},
    examples={
        "bad": [
            {"text": "The ceasefire held overnight. Both sides said they respect the ceasefire. Talks on extending "
                     "the [cease-fire] begin on Monday.",
             "fixed": "The ceasefire held overnight. Both sides said they respect the ceasefire. Talks on extending "
                      "the ceasefire begin on Monday.",
             "source": "El alto el fuego se mantuvo durante la noche. Ambas partes dijeron que respetan el alto el "
                       "fuego. Las conversaciones para prolongar el alto el fuego comienzan el lunes."},
        ],
        "good": [
            {"text": "The ceasefire held overnight. Both sides said they respect the ceasefire.",
             "source": "El alto el fuego se mantuvo durante la noche. Ambas partes dijeron que respetan el alto el "
                       "fuego."},
        ],
    },
)
def inconsistent(doc: Document, rule: Rule) -> Iterator[Hit]:
    glossary = _glossary(doc)
    if glossary is None or doc.source is None:
        return
    counts = _tally(glossary, doc)
    for use in _uses(glossary, doc):
        used = counts[use.entry]
        if len(used) < 2:
            continue
        order = glossary.target_ids[use.entry]
        majority = max(used, key=lambda t: (len(used[t]), -order.index(t)))
        if use.found.term == majority:
            continue
        here = sum(u.doc is doc for u in used[majority])
        where = ("elsewhere in this document" if here == len(used[majority])
                 else "in the other files of this review" if not here
                 else "in this document and the other files of this review")
        matched = doc.text[use.found.start : use.found.end]
        suggestion = match_case(_inflected(glossary.english_terms[majority].text, use.found.tag), matched)
        yield Hit(rule, use.found.start, use.found.end,
                  {"source": use.source, "majority": glossary.english_terms[majority].text,
                   "where": where, "count": str(len(used[majority]))},
                  suggestions=(suggestion,), source_marks=use.marks)
