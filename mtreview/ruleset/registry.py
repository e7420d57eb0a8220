"""The RuleSet: every known rule (YAML packs and Python checks) and the choice of which run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import Path

from mtreview.errors import MtreviewError
from mtreview.model import Severity
from mtreview.options import did_you_mean
from mtreview.rule import Rule
from mtreview.ruleset.loader import builtin_rules_dir, load_rules_cached


class RuleSet:
    def __init__(self, rules, checks, classes, telltales, packs):
        self.rules: dict[str, Rule] = {}
        for rule in rules:
            if rule.id in self.rules:
                raise MtreviewError(
                    f"{rule.origin}: duplicate rule id {rule.id!r} (first defined at {self.rules[rule.id].origin})"
                )
            self.rules[rule.id] = rule
        self.aliases: dict[str, str] = {}  # an earlier id -> the rule's id now
        for rule in self.rules.values():
            for alias in rule.aliases:
                taken = self.rules.get(alias) or self.rules.get(self.aliases.get(alias, ""))
                if taken is not None:
                    raise MtreviewError(f"{rule.origin}: alias {alias!r} of {rule.id!r} is already the id or an alias "
                                        f"of {taken.id!r} ({taken.origin})")
                self.aliases[alias] = rule.id
        self.checks = checks  # rule id -> Check (the Python finder and its scope)
        self.classes = classes
        self.telltales = telltales
        self.packs = packs

    @classmethod
    def load(cls, extra_dirs: Sequence[Path] = (), builtin: bool = True) -> RuleSet:
        from mtreview.checks import all_checks

        dirs = ([builtin_rules_dir()] if builtin else []) + [Path(d) for d in extra_dirs]
        packs = load_rules_cached(dirs) if dirs else None
        rules = list(packs.rules) if packs else []
        checks = {}
        tables = packs.tables if packs else {}
        if builtin:
            for chk in all_checks():
                rules.append(_bind_tables(chk.rule, tables))
                checks[chk.rule.id] = chk
        classes = dict(packs.classes) if packs else {}
        if not builtin and extra_dirs:
            # custom packs may use the built-in word classes
            for name, words in load_rules_cached([builtin_rules_dir()]).classes.items():
                classes.setdefault(name, words)
        return cls(rules, checks, classes, packs.telltales if packs else {}, packs.packs if packs else {})

    def get(self, rule_id: str) -> Rule | None:
        """The rule of that id or earlier id (an alias), or None."""
        return self.rules.get(rule_id) or self.rules.get(self.aliases.get(rule_id, ""))

    # -- selection -----------------------------------------------------------------------
    @staticmethod
    def matches(pattern: str, rule) -> bool:
        """Whether ``pattern`` (an id, a pack, a dotted prefix or a glob) names ``rule``, by
        its id or by an earlier id (``aliases``)."""
        return pattern == getattr(rule, "pack", None) or any(
            pattern == rid or rid.startswith(pattern + ".") or fnmatchcase(rid, pattern)
            for rid in (rule.id, *getattr(rule, "aliases", ()))
        )

    def names(self) -> list[str]:
        """Every name a rule goes by: ids, earlier ids and pack names."""
        return [*self.rules, *self.aliases, *dict.fromkeys(r.pack for r in self.rules.values())]

    def resolve(self, patterns: list[str], option: str) -> set[str]:
        """Rule ids named by ids, packs, dotted prefixes or globs; an unknown name is an error."""
        chosen: set[str] = set()
        for pattern in patterns:
            hits = {rid for rid, rule in self.rules.items() if self.matches(pattern, rule)}
            if not hits:
                raise MtreviewError(f"{option}: unknown rule or pack {pattern!r}{did_you_mean(pattern, self.names())}; "
                                    "see `mtreview rules list`")
            chosen |= hits
        return chosen

    def select(self, select=(), ignore=(), lang: str | None = None, house: str | None = None,
               severity: Mapping[str, Severity] | None = None) -> list[Rule]:
        """Rules to run: the selected ones (all by default) minus the ignored, for the source
        language and house style (None: any), each speaking that language (``for_language``)
        and with its ``severity`` override (rule id -> severity, from ``severity_overrides``)
        if it has one."""
        ids = self.resolve(select, "--select") if select else set(self.rules)
        ids -= self.resolve(ignore, "--ignore") if ignore else set()
        chosen = [r.for_language(lang) for rid, r in self.rules.items() if rid in ids and r.applies_to(lang, house)]
        if severity:
            chosen = [replace(r, severity=severity[r.id]) if r.id in severity else r for r in chosen]
        return chosen

    def severity_overrides(self, table: Mapping[str, str], label: str = "") -> tuple[
            dict[str, Severity], tuple[tuple[str, Severity], ...]]:
        """The configuration's ``severity`` table (pattern -> level, in order: the last match
        wins) as the new severity of each of our rules it names, and the ``(pattern, level)``
        of those naming LanguageTool's ``lt.*`` ids. A pattern that names none of our rules is
        an error (``label`` says where it was written)."""
        ours: dict[str, Severity] = {}
        theirs = []
        for pattern, level in table.items():
            if pattern.startswith("lt."):
                theirs.append((pattern, Severity(level)))
            else:
                for rule_id in sorted(self.resolve([pattern], f"{label}severity")):
                    ours[rule_id] = Severity(level)
        return ours, tuple(theirs)


def _bind_tables(rule: Rule, tables: dict[str, list]) -> Rule:
    """A Python check's option written "@name" takes the data table of that name from the packs."""
    bound = {}
    for key, value in rule.options.items():
        if isinstance(value, str) and value.startswith("@"):
            if value[1:] not in tables:
                raise MtreviewError(f"{rule.origin}: rule {rule.id!r} needs the table {value[1:]!r}, which no rule pack defines")
            bound[key] = tables[value[1:]]
    return replace(rule, options={**rule.options, **bound}) if bound else rule
