"""Rules as people read them: ``mtreview rules list`` (by pack: id, severity and message, a
line each, or JSON) and ``mtreview rules show`` (what a rule finds, why, its examples and
fix safety, as ruff's rule docs do)."""

from __future__ import annotations

import shutil

from mtreview.jsontext import dumps_indented
from mtreview.rule import Rule, render


def _source_line(example: dict) -> str:
    """The source an example translates, on a line of its own under it."""
    if "source" not in example:
        return ""
    lang = f" ({example['lang']})" if "lang" in example else ""
    return f"\n    source{lang}: {example['source']}"


_FIX = {"safe": "safe: `mtreview fix` applies it", "unsafe": "unsafe: applied only with `mtreview fix --unsafe`",
        "none": "none: an editor decides"}


class _Elided(dict):
    """Template captures that are all “…”: a message as the rule words it, whatever it matched."""

    def get(self, key, default=None):
        return "…"


def summary(rule: Rule) -> str:
    """The rule's message on one line, each placeholder (``{0}``, ``{dur}``) as “…”."""
    return " ".join(render(rule.message, _Elided()).split())


def listing(rules: list[Rule], fmt: str, width: int | None = None) -> str:
    """The rules as JSON (``fmt`` "json"), or grouped by pack, a line each (id, severity,
    ``summary``) cut to ``width`` (default: the terminal's, else 100), with a count."""
    if fmt == "json":
        return dumps_indented([r.to_dict() for r in rules]).decode("utf-8")
    width = width or shutil.get_terminal_size((100, 24)).columns
    id_width = max((len(r.id) for r in rules), default=0)
    lines: list[str] = []
    packs: dict[str, list[Rule]] = {}
    for r in rules:
        packs.setdefault(r.pack, []).append(r)
    for pack, members in packs.items():
        lines += [""] if lines else []
        lines.append(f"{pack} ({_count(len(members), 'rule')})")
        for r in members:
            line = f"  {r.id:<{id_width}}  {r.severity.value:<7}  {summary(r)}"
            lines.append(line if len(line) <= width else line[: max(width - 1, 0)].rstrip() + "…")
    lines.append(f"{_count(len(rules), 'rule')} in {_count(len(packs), 'pack')}")
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def explanation(rule: Rule) -> str:
    """What the rule finds, why it matters, what to write instead, its fix and examples."""
    d = rule.to_dict()
    out = [
        f"{rule.id}  ({rule.pack} pack, {rule.kind} rule, defined at {rule.origin})",
        "",
        f"What it finds: {rule.message}",
        (f"Severity: {rule.severity.value}    Category: {rule.category}    "
         f"Source languages: {', '.join(sorted(rule.languages))}"),
        "",
        "Why it matters:",
        f"  {rule.why}",
    ]
    if rule.instead:
        out += ["", "Use instead:", f"  {rule.instead}"]
    for lang, local in sorted(rule.by_language.items()):
        out += ["", f"Translated from {lang}:"] + [f"  {key}: {text}" for key, text in local.items()]
    if rule.aliases:
        out += ["", "Earlier ids (still accepted): " + ", ".join(rule.aliases)]
    out += ["", f"Fix: {_FIX[rule.fix.value]}"]
    if rule.suggest:
        out.append("Suggestion: " + " | ".join(f"“{s}”" for s in rule.suggest))
    out += ["", "Examples that are flagged ([span] → fixed):"]
    for e in d["examples"]["bad"]:
        out.append(f"  ✗ {e['text']}" + _source_line(e) + (f"\n    → {e['fixed']}" if "fixed" in e else ""))
    out += ["", "Examples that pass:"]
    out += [f"  ✓ {g}" if isinstance(g, str) else f"  ✓ {g['text']}" + _source_line(g) for g in d["examples"]["good"]]
    return "\n".join(out) + "\n"
