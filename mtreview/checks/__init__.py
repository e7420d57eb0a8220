"""Python checks for what rule data cannot express. ``MODULES`` is the one list of them: a new
check module is added there and nowhere else; its checks are the ``Check`` objects it
defines (``@check``, ``mtreview/checks/base.py``), in the order it defines them."""

from __future__ import annotations

import importlib

from mtreview.checks.base import Check

MODULES = (
    "fragments", "spacing", "embeds", "repeated", "consistency", "readability", "suppressions", "bilingual", "parity",
    "glossary",
)


def all_checks() -> list[Check]:
    found: dict[str, Check] = {}
    for name in MODULES:
        module = importlib.import_module(f"mtreview.checks.{name}")
        for value in vars(module).values():
            if isinstance(value, Check):
                found.setdefault(value.rule.id, value)
    return list(found.values())
