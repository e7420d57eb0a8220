"""Rules as people read them: ``mtreview rules list`` (a table or JSON) and ``mtreview rules
show`` (what a rule finds, why, its examples and fix safety, as ruff's rule docs do)."""

from __future__ import annotations

from mtreview.jsontext import dumps_indented
from mtreview.rule import Rule


def _source_line(example: dict) -> str:
    """The source an example translates, on a line of its own under it."""
    if "source" not in example:
        return ""
    lang = f" ({example['lang']})" if "lang" in example else ""
    return f"\n    source{lang}: {example['source']}"


_FIX = {"safe": "safe: `mtreview fix` applies it", "unsafe": "unsafe: applied only with `mtreview fix --unsafe`",
        "none": "none: an editor decides"}


def listing(rules: list[Rule], fmt: str) -> str:
    """The rules as JSON (``fmt`` "json") or as a table with a count."""
    if fmt == "json":
        return dumps_indented([r.to_dict() for r in rules]).decode("utf-8")
    rows = [(r.id, r.severity.value, r.category, r.fix.value, ",".join(sorted(r.languages)), r.message) for r in rules]
    header = ("ID", "SEVERITY", "CATEGORY", "FIX", "LANG", "MESSAGE")
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(header[:5])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row[:5], widths, strict=True)) + "  " + row[5] for row in [header, *rows]]
    lines.append(f"{len(rows)} rules in {len({r.pack for r in rules})} packs")
    return "\n".join(lines) + "\n"


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
