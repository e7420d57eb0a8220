"""Project configuration: ``.mtreview.toml`` or ``[tool.mtreview]`` in ``pyproject.toml``,
found upward from each checked file (``--config`` names one for every file), validated
against one table of keys, and laid over the defaults; command-line flags go on top.

Each key is written once, in ``KEYS``: its parser (which checks the value and says what is
wrong with it) and the ``Settings`` field it fills. Paths in a config file are relative to
the folder the file is in.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from mtreview.errors import MtreviewError

CONFIG_NAMES = (".mtreview.toml", "pyproject.toml")  # in one folder, the first wins
FAIL_ON = ("error", "warning", "info", "never")
LEVELS = ("error", "warning", "info")


@dataclass
class Settings:
    """What a config file may set; None: not set (the default, or the flag, applies)."""

    source_lang: str | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    severity: dict[str, str] = field(default_factory=dict)  # rule id, pack or glob -> level
    fail_on: str | None = None
    house: str | None = None
    readability_target: tuple[float, float] | None = None
    include: list[str] | None = None  # globs, relative to the config's folder
    exclude: list[str] = field(default_factory=list)
    rules: list[Path] = field(default_factory=list)  # folders of custom rule packs
    vocabulary: Path | None = None
    scores: bool | None = None
    front_matter_prose: list[str] | None = None  # Markdown front-matter keys checked as prose
    languagetool: dict[str, Any] = field(default_factory=dict)


@dataclass
class Config:
    path: Path | None  # None: no config file, the defaults
    settings: Settings

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()

    def describe(self) -> str:
        return str(self.path) if self.path else "defaults"

    def wants(self, file: Path) -> bool:
        """Whether ``include``/``exclude`` keep this file (globs against its path relative
        to the config's folder, and against its name)."""
        s = self.settings
        try:
            rel = file.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = file.as_posix()

        def hit(patterns: list[str]) -> bool:
            return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*")
                       or fnmatch.fnmatch(file.name, p) for p in patterns)

        if s.include is not None and not hit(s.include):
            return False
        return not hit(s.exclude)


    def options(self, flags: dict[str, Any]):
        """The run's Options: defaults, then this config, then the flags given on the
        command line (``flags``: None or absent = not given; ``ignore`` and ``rules`` add to
        the config's; ``lt``: LanguageTool flags by config key)."""
        from mtreview.grammar.client import GrammarSettings
        from mtreview.review import Options
        from mtreview.scoring.readability import Targets

        s = self.settings

        def pick(flag: str, value):
            given = flags.get(flag)
            return value if given is None else given

        options = Options()
        options.config_label = f"{self.path}: " if self.path else ""
        options.source_lang = pick("source_lang", s.source_lang) or options.source_lang
        options.rule_dirs = [*s.rules, *(flags.get("rules") or [])]
        options.select = pick("select", s.select) or []
        options.ignore = [*(s.ignore or []), *(flags.get("ignore") or [])]
        options.house = pick("house", s.house) or options.house
        options.fail_on = pick("fail_on", s.fail_on) or options.fail_on
        options.severity = dict(s.severity)
        if flags.get("readability") is not None:
            options.readability = flags["readability"]
        elif s.readability_target is not None:
            options.readability = Targets(min_grade=s.readability_target[0], max_grade=s.readability_target[1])
        scores = pick("scores", s.scores)
        options.scores = True if scores is None else scores
        if s.front_matter_prose is not None:
            options.front_matter_prose = list(s.front_matter_prose)
        lt = {**s.languagetool, **{k: v for k, v in (flags.get("lt") or {}).items() if v is not None}}
        vocabulary = pick("vocabulary", s.vocabulary)
        options.grammar = {None: "auto", True: "on", False: "off"}[flags.get("grammar")]
        options.grammar_settings = GrammarSettings(
            url=lt.get("url"), language=lt.get("language", "en-US"), enabled_rules=list(lt.get("enable", [])),
            disabled_rules=list(lt.get("disable", [])), disabled_categories=list(lt.get("disable-categories", [])),
            picky=bool(lt.get("picky", False)), vocabulary=read_vocabulary(vocabulary) if vocabulary else frozenset(),
        )
        return options


def read_vocabulary(path: Path) -> frozenset[str]:
    """Accepted words and names, one per line; ``#`` starts a comment line."""
    from mtreview import inputs

    text = inputs.read_document(path, "vocabulary").text
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#"))


# -- the keys ------------------------------------------------------------------------------------
class _Bad(Exception):
    """A value's problem, said in a few words; the loader adds the file and the key."""


def _string(choices: tuple[str, ...] | None = None) -> Callable:
    def parse(value, base: Path):
        if not isinstance(value, str):
            raise _Bad("must be a string")
        if choices and value not in choices:
            raise _Bad(f"use one of {', '.join(choices)}")
        return value
    return parse


def _strings(value, base: Path) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _Bad("must be a list of strings")
    return [v.strip() for v in value]


def _boolean(value, base: Path) -> bool:
    if not isinstance(value, bool):
        raise _Bad("must be true or false")
    return value


def _folders(value, base: Path) -> list[Path]:
    out = [(base / v) for v in _strings(value, base)]
    missing = [p for p in out if not p.is_dir()]
    if missing:
        raise _Bad(f"{missing[0]} is not a folder")
    return out


def _file(value, base: Path) -> Path:
    path = base / _string()(value, base)
    if not path.is_file():
        raise _Bad(f"{path} is not a file")
    return path


def _target(value, base: Path) -> tuple[float, float]:
    if isinstance(value, str):
        low, sep, high = value.partition("-")
        try:
            pair = (float(low), float(high)) if sep else None
        except ValueError:
            pair = None
    elif isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value):
        pair = (float(value[0]), float(value[1]))
    else:
        pair = None
    if pair is None or pair[0] > pair[1]:
        raise _Bad('write MIN-MAX grades, e.g. "8-12"')
    return pair


def _severity(value, base: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _Bad('must be a table, e.g. severity = { "calque.es.so-called" = "warning" }')
    for rule, level in value.items():
        if level not in LEVELS:
            raise _Bad(f"{rule!r} = {level!r}: use one of {', '.join(LEVELS)}")
    return dict(value)


_LT_KEYS = {
    "url": _string(),
    "language": _string(("en-US", "en-GB")),
    "enable": _strings,
    "disable": _strings,
    "disable-categories": _strings,
    "picky": _boolean,
}


def _languagetool(value, base: Path) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Bad("must be a table: [tool.mtreview.languagetool] or languagetool = { ... }")
    out = {}
    for key, item in value.items():
        if key not in _LT_KEYS:
            raise _Bad(f"unknown key {key!r}; known: {', '.join(_LT_KEYS)}")
        try:
            out[key] = _LT_KEYS[key](item, base)
        except _Bad as exc:
            raise _Bad(f"{key}: {exc}") from None
    return out


def _languages(value, base: Path) -> str:
    from mtreview.rule import LANGUAGES

    return _string(LANGUAGES + ("auto",))(value, base)


def _houses(value, base: Path) -> str:
    from mtreview.rule import HOUSES

    return _string(HOUSES)(value, base)


# key in the file -> (parser, Settings field, what it is, example for the starter config)
KEYS: dict[str, tuple[Callable, str, str, str]] = {
    "source-lang": (_languages, "source_lang", "source language of the copy: es, fr, pt, it, de, or auto", '"auto"'),
    "select": (_strings, "select", "only these rule ids, packs or globs", '["garble", "calque-es", "embed"]'),
    "ignore": (_strings, "ignore", "never these rule ids, packs or globs", '["house.scare-quotes"]'),
    "severity": (_severity, "severity", "severity per rule id, pack or glob (lt.* for LanguageTool's)",
                 '{ "calque.es.so-called" = "warning", "readability" = "info" }'),
    "fail-on": (_string(FAIL_ON), "fail_on", "exit 1 from this level up: error, warning, info, never", '"warning"'),
    "house": (_houses, "house", "house style: ap (U.S.) or uk", '"ap"'),
    "readability-target": (_target, "readability_target", "Flesch–Kincaid grade target, MIN-MAX", '"8-12"'),
    "include": (_strings, "include", "only files matching these globs (relative to this file's folder)",
                '["content/**/*.md"]'),
    "exclude": (_strings, "exclude", "never files matching these globs", '["content/archive/**", "*.draft.md"]'),
    "rules": (_folders, "rules", "folders of custom rule packs", '["style/mtreview-rules"]'),
    "vocabulary": (_file, "vocabulary", "accepted names and terms, one per line (never misspellings)",
                   '"style/vocabulary.txt"'),
    "scores": (_boolean, "scores", "readability and MQM scores in every check", "true"),
    "front-matter-prose": (_strings, "front_matter_prose", "Markdown front-matter keys checked as prose",
                           '["title", "description"]'),
    "languagetool": (_languagetool, "languagetool", "LanguageTool: url, language, enable, disable, "
                     "disable-categories, picky", '{ language = "en-US", picky = false }'),
}
assert {f.name for f in fields(Settings)} == {spec[1] for spec in KEYS.values()}  # one list, not two


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
    settings = Settings()
    for key, value in table.items():
        if key not in KEYS:
            raise MtreviewError(f"{path}: unknown key {key!r} in {where}; known keys: {', '.join(KEYS)}")
        parser, name, _, _ = KEYS[key]
        try:
            setattr(settings, name, parser(value, path.parent))
        except _Bad as exc:
            raise MtreviewError(f"{path}: {key} = {value!r}: {exc}") from None
    return Config(path, settings)


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
            cache[path] = read(path) if path else Config(None, Settings())
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
    for key, (_, _, what, example) in KEYS.items():
        if key == "languagetool":
            continue
        lines += [f"# {what}", f"# {key} = {example}", ""]
    lines += [
        "# LanguageTool (grammar and spelling): url, language, enable, disable, disable-categories, picky",
        "# [languagetool]",
        '# url = "http://127.0.0.1:8081"',
        '# language = "en-US"',
        '# disable = ["EN_QUOTES"]',
        "# picky = false",
        "",
    ]
    return "\n".join(lines)
