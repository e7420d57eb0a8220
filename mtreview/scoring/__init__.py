"""Scores: figures about each checked file, shown beside its findings (a block after them in
the text output, ``files[].scores`` in JSON, a panel in the HTML review).

``SCORES`` is the one list of them, in output order: a new score is one module here and one
entry there (with the ``Subject`` field it needs, if any: without it the score does not
apply, and its module is not even imported). A score module has ``measure(subject) ->
Measure | None``: it reads the document before its findings are settled and gives None when
it does not apply to the run, else a ``Measure``: the drafts it adds to the findings (the
reference's omissions and additions, settled with every other finding) and
``figures(findings)``, its block computed once the findings are settled (``label``, a
one-line ``value``, its figures). ``--no-scores`` (``Options.scores``) turns every score off.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from typing import NamedTuple

from mtreview.document import Document
from mtreview.model import Draft, Finding
from mtreview.options import Options

#: name (the key in ``files[].scores``) -> (module, the ``Subject`` field it needs or None)
SCORES: dict[str, tuple[str, str | None]] = {
    "readability": ("mtreview.scoring.readability", None),
    "reference": ("mtreview.scoring.reference", "references"),
    "mqm": ("mtreview.scoring.mqm", None),
}


class Subject(NamedTuple):
    """What a score reads: the document, the run's options and the reference translations
    (``(name, text)``)."""

    doc: Document
    options: Options
    references: Sequence[tuple[str, str]] = ()


class Measure(NamedTuple):
    figures: Callable[[list[Finding]], dict]
    drafts: tuple[Draft, ...] = ()


def measure(subject: Subject) -> dict[str, Measure]:
    """Every score that applies to ``subject``, by name, in output order."""
    if not subject.options.scores:
        return {}
    measures = {}
    for name, (module, needs) in SCORES.items():
        if needs is not None and not getattr(subject, needs):
            continue
        found = importlib.import_module(module).measure(subject)
        if found is not None:
            measures[name] = found
    return measures
