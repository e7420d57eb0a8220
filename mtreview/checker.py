"""A selection of rules checked over a document into settled findings: the engine's hits
through the lifecycle. What a review, the rules' examples and the fix loop run per document.

The house-style step is built here: with a house style chosen, the safe edits of the
selected house-style rules (a pack that says ``house-style: true``) are made in every other
rule's suggestions (``mtreview.settle.Restyle``), by a checker of those rules alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mtreview.document import Document
from mtreview.engine import Engine
from mtreview.fixes import apply_edits, fixable
from mtreview.model import Draft, Finding, FixSafety, Severity
from mtreview.rule import Rule
from mtreview.ruleset.registry import RuleSet
from mtreview.settle import ChangedLines, Settled, Settler


class Checker:
    """``rules`` (as selected, with their severities) over documents. ``house``: a house
    style was chosen, so suggestions come in it (None: as the rules write them, as in the
    rules' own examples). See ``Settler`` for ``lt_severity`` and ``report_unused``."""

    def __init__(self, ruleset: RuleSet, rules: list[Rule], *, house: str | None = None,
                 lt_severity: Sequence[tuple[str, Severity]] = (), report_unused: bool = False):
        self.ruleset = ruleset
        self.rules = rules
        self.engine = Engine(ruleset, rules)
        restyle = HouseStyle(ruleset, rules) if house else None
        self.settler = Settler(rules, ruleset, restyle=restyle, lt_severity=lt_severity,
                               report_unused=report_unused)

    def check(self, doc: Document) -> list[Finding]:
        """The findings of the rules in ``doc``."""
        return self.settle(doc).findings

    def settle(self, doc: Document, *, grammar: Iterable[Draft] = (), added: Iterable[Draft] = (),
               changed: ChangedLines | None = None) -> Settled:
        """The findings in ``doc`` of the rules, LanguageTool's (``grammar``) and other
        sources' (``added``), on ``changed`` lines only when given."""
        rendered = [f for part in self.engine.map(doc, self.settler.render) for f in part]
        return self.settler.settle(doc, rendered, grammar=grammar, added=added, changed=changed)


class HouseStyle:
    """The house-style step: a suggestion with the safe edits of the house-style rules made,
    so accepting it once gives the final text (“Volodymyr Zelensky” becomes “Volodymyr
    Zelenskyy” under AP style). The checker of those rules is built when first needed."""

    def __init__(self, ruleset: RuleSet, rules: list[Rule]):
        self._ruleset = ruleset
        self._rules = [r for r in rules if r.house_style and r.fix is FixSafety.SAFE]
        self._checker: Checker | None = None
        self._settled: dict[str, str] = {}

    def __call__(self, suggestion: str) -> str:
        settled = self._settled.get(suggestion)
        if settled is None:
            settled = suggestion
            if self._rules:
                if self._checker is None:
                    self._checker = Checker(self._ruleset, self._rules)
                edits = fixable(self._checker.check(Document(suggestion)))
                settled = apply_edits(suggestion, edits) if edits else suggestion
            self._settled[suggestion] = settled
        return settled
