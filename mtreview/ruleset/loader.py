"""Load YAML rule packs (rules, word classes, telltales) with file:line in every error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mtreview.errors import MtreviewError
from mtreview.rule import LANGUAGES, Rule, rule_from_dict

YAML_KINDS = ("phrases", "tokens", "regex")
PACK_KEYS = {"pack", "description", "rules", "classes", "telltales", "tables"}
@dataclass
class Packs:
    rules: list[Rule] = field(default_factory=list)
    classes: dict[str, frozenset[str]] = field(default_factory=dict)
    telltales: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    tables: dict[str, list] = field(default_factory=dict)  # data for Python checks (options "@name")
    packs: dict[str, str] = field(default_factory=dict)  # pack name -> description


def builtin_rules_dir() -> Path:
    """The built-in packs: inside the installed wheel, or at the repository root."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise MtreviewError("built-in rule packs not found; reinstall mtreview (pip install mtreview)")


def _telltale(entry, lang: str, path: Path) -> tuple[str, float]:
    if not isinstance(entry, dict) or not isinstance(entry.get("regex"), str):
        raise MtreviewError(f"{path}: telltale for {lang!r} needs 'regex' (and 'weight')")
    try:
        re.compile(entry["regex"])
    except re.error as exc:
        raise MtreviewError(f"{path}: telltale for {lang!r}: invalid regex {entry['regex']!r}: {exc}") from None
    weight = entry.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise MtreviewError(f"{path}: telltale for {lang!r}: weight must be a number, not {weight!r}")
    return entry["regex"], float(weight)


def pack_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise MtreviewError(f"{directory}: rule folder not found; pass a folder of *.yaml rule packs")
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(directories: list[Path]) -> Packs:
    """Read every pack in the folders; rule ids and class names must be unique across them."""
    from mtreview.ruleset.yamlfile import read_yaml  # yaml is imported only when a pack is parsed

    packs = Packs()
    origins: dict[str, str] = {}
    for directory in directories:
        for path in pack_files(directory):
            data, lines = read_yaml(path)
            if data is None:
                continue
            if not isinstance(data, dict):
                raise MtreviewError(f"{path}:1: a rule pack must be a mapping with 'rules:' (and optionally 'pack:', 'classes:')")
            unknown = set(data) - PACK_KEYS
            if unknown:
                key = sorted(unknown, key=str)[0]
                raise MtreviewError(f"{path}: unknown top-level key {key!r} (use {', '.join(sorted(PACK_KEYS))})")
            pack = data.get("pack", path.stem)
            if not isinstance(pack, str):
                raise MtreviewError(f"{path}: 'pack' must be a name")
            if "rules" in data:
                packs.packs.setdefault(pack, str(data.get("description", "")).strip())
            classes = data.get("classes") or {}
            if not isinstance(classes, dict):
                raise MtreviewError(f"{path}: 'classes' must be a mapping of class names to word lists")
            for name, words in classes.items():
                if name in packs.classes:
                    raise MtreviewError(f"{path}: word class {name!r} is defined twice")
                if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                    odd = next((w for w in words if not isinstance(w, str)), None) if isinstance(words, list) else words
                    raise MtreviewError(
                        f"{path}: word class {name!r} must be a list of words; {odd!r} is not a string "
                        "(quote words YAML reads otherwise: \"on\", \"off\", \"yes\", \"no\")"
                    )
                packs.classes[name] = frozenset(" ".join(w.lower().split()) for w in words)
            telltales = data.get("telltales") or {}
            if not isinstance(telltales, dict):
                raise MtreviewError(f"{path}: 'telltales' must be a mapping of languages to lists")
            for lang, entries in telltales.items():
                if lang not in LANGUAGES:
                    raise MtreviewError(f"{path}: telltales for unknown language {lang!r} (one of: {', '.join(LANGUAGES)})")
                if not isinstance(entries, list):
                    raise MtreviewError(f"{path}: telltales for {lang!r} must be a list")
                for entry in entries:
                    packs.telltales.setdefault(lang, []).append(_telltale(entry, lang, path))
            tables = data.get("tables") or {}
            if not isinstance(tables, dict) or not all(isinstance(v, list) for v in tables.values()):
                raise MtreviewError(f"{path}: 'tables' must map table names to lists")
            for name, rows in tables.items():
                # packs extend each other's tables
                packs.tables.setdefault(str(name), []).extend(rows)
            rules = data.get("rules") or []
            if not isinstance(rules, list):
                raise MtreviewError(f"{path}: 'rules' must be a list of rules")
            for raw in rules:
                line = lines.get(id(raw), 0)
                where = f"{path}:{line}"
                rule = rule_from_dict(raw, pack, where, kinds=YAML_KINDS)
                if rule.id in origins:
                    raise MtreviewError(f"{where}: duplicate rule id {rule.id!r} (first defined at {origins[rule.id]})")
                origins[rule.id] = where
                packs.rules.append(rule)
    return packs
