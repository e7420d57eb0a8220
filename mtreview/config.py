"""Project configuration files: ``.mtreview.toml`` or ``[tool.mtreview]`` in ``pyproject.toml``,
found upward from each checked file (``--config`` names one for every file), read into option
values with the keys and parsers of ``mtreview/options.py`` (the one table of options).
Paths in a config file are relative to the folder the file is in.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtreview.errors import MtreviewError
from mtreview.options import KEYS, LANGUAGETOOL_KEYS, Options, parse_config

CONFIG_NAMES = (".mtreview.toml", "pyproject.toml")  # in one folder, the first wins


@dataclass
class Config:
    path: Path | None  # None: no config file, the defaults
    values: dict[str, Any] = field(default_factory=dict)  # option values by field name

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def describe(self) -> str:
        return str(self.path) if self.path else "defaults"

    def options(self, cli: dict[str, Any] | None = None) -> Options:
        """The run's options: the defaults, this file's values, then the command line's."""
        return Options.build(self.values, cli, f"{self.path}: " if self.path else "")

    def wants(self, file: Path) -> bool:
        """Whether ``include``/``exclude`` keep this file (globs against its path relative
        to the config's folder, and against its name)."""
        try:
            rel = file.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = file.as_posix()

        def hit(patterns) -> bool:
            return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*")
                       or fnmatch.fnmatch(file.name, p) for p in patterns)

        include = self.values.get("include")
        if include is not None and not hit(include):
            return False
        return not hit(self.values.get("exclude", ()))


# -- finding and reading ---------------------------------------------------------------------------
def read(path: Path) -> Config:
    """The config in ``path`` (a .mtreview.toml, or a pyproject.toml's [tool.mtreview])."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MtreviewError(f"{path}: cannot read the config: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MtreviewError(f"{path}: not valid TOML ({exc}); fix the file or pass another with --config") from None
    where = "[tool.mtreview]" if path.name == "pyproject.toml" else "the config"
    table = data.get("tool", {}).get("mtreview", {}) if path.name == "pyproject.toml" else data
    if not isinstance(table, dict):
        raise MtreviewError(f"{path}: {where} must be a table")
    return Config(path, parse_config(table, path, where))


def find(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder): a ``.mtreview.toml``, or a
    ``pyproject.toml`` that has a [tool.mtreview] table."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_tool_table(candidate):
                continue
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "[tool.mtreview" not in text and "tool.mtreview" not in text:
        return False  # cheap: most pyproject.toml files never mention us
    try:
        return isinstance(tomllib.loads(text).get("tool", {}).get("mtreview"), dict)
    except tomllib.TOMLDecodeError as exc:
        raise MtreviewError(f"{path}: not valid TOML ({exc}); fix the file or pass another with --config") from None


def for_files(files: list[Path], explicit: Path | None = None) -> list[tuple[Config, list[Path]]]:
    """The files grouped by the config that governs each (in the order first met), the files
    its include/exclude leave out dropped. ``explicit`` (``--config``) governs all of them."""
    if explicit is not None:
        if not explicit.is_file():
            raise MtreviewError(f"--config {explicit}: no such file; name a .mtreview.toml or pyproject.toml")
        config = read(explicit)
        return [(config, [f for f in files if config.wants(f)])]
    cache: dict[Path | None, Config] = {}
    groups: dict[Path | None, list[Path]] = {}
    by_folder: dict[Path, Path | None] = {}
    for file in files:
        folder = file.resolve().parent
        if folder not in by_folder:
            by_folder[folder] = find(folder)
        path = by_folder[folder]
        if path not in cache:
            cache[path] = read(path) if path else Config(None)
        if cache[path].wants(file):
            groups.setdefault(path, []).append(file)
    return [(cache[p], fs) for p, fs in groups.items()]


# -- the starter config ------------------------------------------------------------------------------
def starter() -> str:
    """A commented .mtreview.toml: every key, with what it does and an example."""
    lines = [
        "# mtreview configuration (README: Configuration).",
        "# Found upward from each checked file; `mtreview check --config FILE` names another.",
        "# Flags on the command line win over these. Uncomment what you need.",
        "",
    ]
    for key, option in KEYS.items():
        if key == "languagetool":
            continue
        lines += [f"# {option.help}", f"# {key} = {option.example}", ""]
    lines += [
        f"# LanguageTool (grammar and spelling): {', '.join(LANGUAGETOOL_KEYS)}",
        "# [languagetool]",
        '# url = "http://127.0.0.1:8081"',
        '# language = "en-US"',
        '# disable = ["EN_QUOTES"]',
        "# picky = false",
        "",
    ]
    return "\n".join(lines)
