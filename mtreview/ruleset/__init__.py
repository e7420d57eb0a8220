"""Rule packs: finding, loading and validating them, and choosing which rules run."""

from mtreview.ruleset.loader import builtin_rules_dir, load_rules
from mtreview.ruleset.registry import RuleSet

__all__ = ["RuleSet", "builtin_rules_dir", "load_rules"]
