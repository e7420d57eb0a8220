"""How a Python check is declared: rule metadata (validated like a YAML rule) plus a finder.

``@check(...)`` turns a finder function into a ``Check``; a check module's checks are the
``Check`` objects it defines (``mtreview.checks.all_checks`` collects them). A finder only
finds: it yields ``Hit``s (``mtreview.matching.api``); wording, severity, suppression and
output are the core's business.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from mtreview.document import Document
from mtreview.matching.api import Hit
from mtreview.rule import Rule, rule_from_dict

Finder = Callable[[Document, Rule], Iterable[Hit]]

#: "paragraphs": what a check finds in a paragraph depends on that paragraph alone, so a long
#: document can be checked in parts; "document": it weighs the whole text (counts, majorities).
SCOPES = ("paragraphs", "document")


@dataclass(frozen=True)
class Check:
    rule: Rule
    find: Finder
    scope: str = "paragraphs"  # one of SCOPES


def check(scope: str = "paragraphs", source: str = "rules", **meta) -> Callable[[Finder], Check]:
    """Declare a Python check: ``meta`` has the same keys as a YAML rule (no match kind);
    ``scope`` says how much of the text its findings depend on (see ``SCOPES``); ``source``
    names what its findings come from, shown to editors ("rules", or a scorer such as
    "readability", whose checks cost more than the rule engine's and are measured apart)."""
    if scope not in SCOPES:
        raise ValueError(f"check scope must be one of {SCOPES}, not {scope!r}")

    def declare(func: Finder) -> Check:
        # What inspect.getsourcefile / getsourcelines give, without importing inspect (slow
        # to import) or reading the source: the code object knows its file and first line
        # (for a decorated function, the line of its first decorator).
        code = func.__code__
        where = code.co_filename if code.co_filename.endswith(".py") and os.path.exists(code.co_filename) else func.__module__
        line = code.co_firstlineno
        raw = dict(meta, check=func.__name__)
        rule = rule_from_dict(raw, raw["id"].split(".")[0], f"{where}:{line}", kinds=("check",))
        return Check(replace(rule, source=source), func, scope)

    return declare
