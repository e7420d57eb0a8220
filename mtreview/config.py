"""Project configuration files: ``.mtreview.toml`` or ``[tool.mtreview]`` in ``pyproject.toml``,
found upward from each checked file (``--config`` names one for every file), read into option
values with the keys and parsers of ``mtreview/options.py`` (the one table of options).
Paths in a config file are relative to the folder the file is in.
"""

from __future__ import annotations

import fnmatch
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtreview import inputfile, inputs
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
    data = _parse(path, inputs.read_text(path, kind=inputfile.CONFIG))  # a BOM is dropped, a special file refused
    _check_tool(path, data)
    where, table = _settings(path, data)
    if not isinstance(table, dict):
        raise MtreviewError(f"{path}: {where} is {_a(table)}, not a table; write the settings as keys under it")
    return Config(path, parse_config(table, path, where))


def _settings(path: Path, data: dict[str, Any]) -> tuple[str, Any]:
    """Where a config file's settings are, and they: a pyproject.toml's [tool.mtreview]; any
    other file's top level, or its [tool.mtreview] when that is all it holds (a table pasted
    from a pyproject.toml)."""
    tool = data.get("tool", {})
    if path.name == "pyproject.toml":
        return "[tool.mtreview]", tool.get("mtreview", {}) if isinstance(tool, dict) else tool
    if "tool" not in data:
        return "the config", data
    if isinstance(tool, dict) and set(tool) == {"mtreview"} and set(data) == {"tool"}:
        return "[tool.mtreview]", tool["mtreview"]
    raise MtreviewError(f"{path}: unknown key 'tool': in {path.name} the settings go at the top level (drop the "
                        "[tool.mtreview] line and write [languagetool] for [tool.mtreview.languagetool]), or all of "
                        "them under [tool.mtreview] as in pyproject.toml")


def find(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` (a folder): a ``.mtreview.toml``, or a
    ``pyproject.toml`` that has a [tool.mtreview] table."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                if name == CONFIG_NAMES[0] and os.path.lexists(candidate):
                    inputfile.regular(candidate)  # a special file, a link loop, a dangling link: said, not skipped
                continue
            if name == "pyproject.toml" and not _has_tool_table(candidate):
                continue
            return candidate
    return None


def _has_tool_table(path: Path) -> bool:
    """Whether a pyproject.toml has settings for mtreview; one that names them in a way that
    is not a table ("tool.mtreview = 'x'") is a one-line error naming the file and key."""
    try:
        text = inputs.read_text(path, kind=inputfile.CONFIG)
    except MtreviewError:
        return False  # not readable as a config: not ours to judge
    if "mtreview" not in text:
        return False  # cheap: most pyproject.toml files never mention us
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        if "tool.mtreview" not in text:
            return False  # broken, but not in a table of ours: not ours to judge
        data = _parse(path, text)  # raises, naming the file
    _check_tool(path, data)
    return "mtreview" in data.get("tool", {})


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MtreviewError(f"{path}: not valid TOML ({exc}); fix the file or pass another with --config") from None


def _check_tool(path: Path, data: dict[str, Any]) -> None:
    """In a pyproject.toml, ``tool`` and ``tool.mtreview`` must be tables (``tool = "x"``
    is a one-line error naming the key, not a crash)."""
    if path.name != "pyproject.toml" or "tool" not in data:
        return
    tool = data["tool"]
    if not isinstance(tool, dict):
        raise MtreviewError(f"{path}: key 'tool' is {_a(tool)}, not a table; mtreview's settings go under [tool.mtreview]")
    if "mtreview" in tool and not isinstance(tool["mtreview"], dict):
        raise MtreviewError(f"{path}: key 'tool.mtreview' is {_a(tool['mtreview'])}, not a table; write [tool.mtreview] "
                            "on a line of its own and the settings under it")


def _a(value: Any) -> str:
    """What a TOML value is, for a message: "a string", "an array"."""
    name = {str: "string", int: "integer", float: "float", bool: "boolean", list: "array"}.get(type(value), "value")
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def for_files(files: list[Path], explicit: Path | None = None) -> list[tuple[Config, list[Path]]]:
    """The files grouped by the config that governs each (in the order first met), the files
    its include/exclude leave out dropped (a config may be left with none). ``explicit``
    (``--config``) governs all of them."""
    if explicit is not None:
        if not os.path.lexists(explicit):
            raise MtreviewError(f"--config {explicit}: no such file; name a .mtreview.toml or pyproject.toml")
        inputfile.regular(explicit, "--config")
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
        groups.setdefault(path, [])
        if cache[path].wants(file):
            groups[path].append(file)
    return [(cache[p], fs) for p, fs in groups.items()]


def left_out(files: list[Path], configs: list[Config]) -> str:
    """What to say of ``files`` that the include/exclude of ``configs`` left out: the files
    (three at most), each config with its include (or exclude)."""
    shown = ", ".join(map(str, files[:3])) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    rules = "; ".join(f"{c.describe()}: include = {list(c.values['include'])}" if "include" in c.values
                      else f"{c.describe()}: exclude = {list(c.values.get('exclude', ()))}" for c in configs if c.path)
    return f"{shown} ({rules})"


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
