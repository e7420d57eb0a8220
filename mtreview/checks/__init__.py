"""Python checks for what rule data cannot express. This module is the one place they are
registered: a new check module is added to ``_MODULES`` and nowhere else."""

from __future__ import annotations

import importlib

from mtreview.checks.base import Check, declared

_MODULES = ("fragments", "embeds", "repeated", "consistency", "readability", "suppressions")


def all_checks() -> list[Check]:
    for name in _MODULES:
        importlib.import_module(f"mtreview.checks.{name}")
    return declared()
