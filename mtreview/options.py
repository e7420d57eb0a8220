"""What a run can be told, from one table: every option with its config key, its parser, its
valid values, its default and what it does. An ``Options`` is built from the defaults, then a
config file's values, then the command line's (``Options.build``); the config validator
(``mtreview/config.py``), the starter config (``mtreview init``), the command line's help
and checks (``mtreview/cli.py``) and the run itself read the same entries.

Config files give TOML values, parsed here (``parse_config``); the command line gives values
already typed by its parser, checked here against the same choices (``from_command_line``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from mtreview.errors import MtreviewError
from mtreview.model import HOUSES, LEVELS, MQM_WEIGHTS, SOURCE_LANGUAGES

#: ``--source-lang``: a source language, or ``auto`` (guessed from each run's telltales).
SOURCE_LANG_CHOICES = SOURCE_LANGUAGES + ("auto",)
#: ``--fail-on``: the severity from which findings fail a run, or ``never``.
FAIL_ON = LEVELS + ("never",)
#: The English variants LanguageTool checks in.
LT_LANGUAGES = ("en-US", "en-GB")
#: How mtreview's severities weigh as MQM severities by default (``--mqm-map`` changes it).
DEFAULT_MQM_MAP = {"error": "major", "warning": "minor", "info": "neutral"}
DEFAULT_MQM_PASS = 95.0
#: The Markdown front-matter keys whose values are prose, unless a config says otherwise.
FRONT_MATTER_PROSE = ("title", "description")


class Bad(Exception):
    """A value's problem, said in a few words; the caller adds where the value came from."""


def did_you_mean(value: str, candidates: Iterable[str]) -> str:
    """`` (did you mean X?)`` when one of ``candidates`` is close to ``value``, else "": the
    one place every "unknown …" message (values, options, keys, rule ids, commands) finds
    its suggestion."""
    import difflib

    close = difflib.get_close_matches(value, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def unknown_choice(value: str, choices: Sequence[str], noun: str = "") -> str:
    """What to say of ``value``, none of ``choices``: "unknown level (did you mean
    warning?); use one of error, warning, info, never"."""
    return f"unknown {noun or 'value'}{did_you_mean(value, choices)}; use one of {', '.join(choices)}"


class Targets(NamedTuple):
    """The readability target: a document reading grade range (Flesch–Kincaid) and the
    longest sentence news style wants."""

    min_grade: float = 8.0
    max_grade: float = 12.0
    max_sentence_words: int = 40

    def describe(self) -> str:
        return f"grade {self.min_grade:g}–{self.max_grade:g}, sentences ≤ {self.max_sentence_words} words"


class LanguageTool(NamedTuple):
    """How LanguageTool is asked (``[languagetool]`` in a config, ``--lt-*`` flags)."""

    url: str | None = None  # None: MTREVIEW_LANGUAGETOOL_URL, else the managed server
    language: str = "en-US"
    enable: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    disable_categories: tuple[str, ...] = ()
    picky: bool = False


# The records here are NamedTuples: immutable, typed, and cheap to define (a frozen dataclass
# costs about a millisecond of every start-up).
class Options(NamedTuple):
    """Everything one review run is told (see ``OPTIONS`` for what each means)."""

    source_lang: str = "auto"
    rule_dirs: tuple[Path, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = MappingProxyType({})  # rule id, pack or glob -> level
    fail_on: str = "warning"
    min_severity: str = "info"  # findings below this level are not reported (info: all are)
    house: str = "ap"
    readability: Targets = Targets()
    include: tuple[str, ...] | None = None  # None: every file
    exclude: tuple[str, ...] = ()
    vocabulary: Path | None = None
    source: str | None = None  # the source of each translation: a file, or a pattern (mtreview.inputs.source_of)
    glossary: Path | None = None  # required and forbidden translations of source terms
    scores: bool = True  # readability and MQM for every file (and reference metrics when given)
    front_matter_prose: tuple[str, ...] = FRONT_MATTER_PROSE
    languagetool: LanguageTool = LanguageTool()
    grammar: str = "auto"  # on: a LanguageTool server is required; auto: used when one is there; off
    references: tuple[Path, ...] = ()
    ci: bool = False  # bootstrap confidence intervals for the reference metrics
    mqm_map: Mapping[str, str] = MappingProxyType(DEFAULT_MQM_MAP)
    mqm_pass: float = DEFAULT_MQM_PASS
    fail_under: float | None = None
    report_unused_suppressions: bool = False
    changed_only: bool = False
    diff_base: str | None = None
    baseline: Path | None = None  # report only findings not in this baseline file (mtreview.baseline)
    write_baseline: Path | None = None  # write the findings' baseline there instead (the baseline is not applied)
    config_label: str = ""  # "<file>: " when a config file set these, for its errors
    config_values: Mapping[str, Any] = MappingProxyType({})  # the config file's own values (its errors name it)

    @classmethod
    def build(cls, config: Mapping[str, Any] | None = None, cli: Mapping[str, Any] | None = None,
              label: str = "") -> Options:
        """The defaults, then ``config`` (values by field name, as ``parse_config`` gives
        them), then ``cli`` (values by field name, as ``from_command_line`` gives them; None
        or absent: not given). Lists that add up (``ignore``, ``rule_dirs``) add the command
        line's to the config's; the LanguageTool settings combine key by key."""
        values: dict[str, Any] = dict(config or {})
        for name, value in (cli or {}).items():
            if value is None:
                continue
            spec = OPTIONS[name]
            if spec.adds:
                values[name] = tuple(values.get(name, ())) + tuple(value)
            elif name == "languagetool":
                values[name] = values.get(name, LanguageTool())._replace(**value)
            else:
                values[name] = value
        if values.get("fail_under") is not None or values.get("references"):
            values["scores"] = True  # the MQM score, the reference metrics: the scorer must run
        return cls(**values, config_label=label, config_values=MappingProxyType(dict(config or {})))


# -- parsers: a config file's TOML value (and its folder, for paths) -> the option's value ------
def _choice(choices: tuple[str, ...], noun: str = "") -> Callable:
    def parse(value, base: Path) -> str:
        if not isinstance(value, str):
            raise Bad("must be a string")
        if value not in choices:
            raise Bad(unknown_choice(value, choices, noun))
        return value
    return parse


def _string(value, base: Path) -> str:
    if not isinstance(value, str):
        raise Bad("must be a string")
    return value


def _strings(value, base: Path) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise Bad("must be a list of strings")
    return tuple(v.strip() for v in value)


def _boolean(value, base: Path) -> bool:
    if not isinstance(value, bool):
        raise Bad("must be true or false")
    return value


def http_url_problem(url: str) -> str | None:
    """What makes ``url`` no LanguageTool server address (an http or https URL with a host),
    or None."""
    import urllib.parse

    if any(c.isspace() or not c.isprintable() for c in url):
        return "spaces or control characters in it; write e.g. http://127.0.0.1:8081"
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (a bad port raises)
    except ValueError:
        return "not a URL (a bad port?); write e.g. http://127.0.0.1:8081"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http(s) URL; write e.g. http://127.0.0.1:8081"
    return None


def _url(value, base: Path) -> str:
    problem = http_url_problem(_string(value, base))
    if problem:
        raise Bad(problem)
    return value


def _grammar(value, base: Path) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if value not in ("on", "off", "auto"):
        raise Bad('use "on" (a LanguageTool server is required), "off" or "auto" (used when one is there)')
    return value


def _folders(value, base: Path) -> tuple[Path, ...]:
    out = tuple(base / v for v in _strings(value, base))
    missing = [p for p in out if not p.is_dir()]
    if missing:
        raise Bad(f"{missing[0]} is not a folder")
    return out


def _pattern(value, base: Path) -> str:
    pattern = _string(value, base)
    if "{" not in pattern:
        raise Bad('write a pattern naming each translation\'s source, e.g. "../es/{stem}{suffix}"')
    return pattern


def _file(value, base: Path) -> Path:
    path = base / _string(value, base)
    if not path.is_file():
        raise Bad(f"{path} is not a file")
    return path


def _path(value, base: Path) -> Path:
    """A file that may not be there yet (read when the run needs it)."""
    text = _string(value, base)
    if not text.strip():
        raise Bad("must name a file")
    return base / text


def _target(value, base: Path) -> Targets:
    pair: tuple[float, float] | None
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
    if pair is None or not all(math.isfinite(g) for g in pair) or pair[0] > pair[1]:
        raise Bad('write MIN-MAX grades (numbers, MIN ≤ MAX), e.g. "8-12"')
    return Targets(min_grade=pair[0], max_grade=pair[1])


def _severity(value, base: Path) -> dict[str, str]:
    if not isinstance(value, dict):
        raise Bad('must be a table, e.g. severity = { "calque.so-called" = "warning" }')
    for rule, level in value.items():
        if level not in LEVELS:
            raise Bad(f"{rule!r} = {level!r}: {unknown_choice(str(level), LEVELS, 'level')}")
    return dict(value)


def parse_mqm_map(spec: str | None) -> dict[str, str]:
    """``"error=critical,warning=minor"`` over the default mapping."""
    mapping = dict(DEFAULT_MQM_MAP)
    for item in filter(None, (part.strip() for part in (spec or "").split(","))):
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key not in DEFAULT_MQM_MAP or value not in MQM_WEIGHTS:
            raise MtreviewError(
                f"--mqm-map {item!r}: write severity=mqm-severity, with severity one of "
                f"{', '.join(DEFAULT_MQM_MAP)} and mqm-severity one of {', '.join(MQM_WEIGHTS)}"
            )
        mapping[key] = value
    return mapping


#: The keys of ``[languagetool]`` -> (parser, ``LanguageTool`` field).
LANGUAGETOOL_KEYS: dict[str, tuple[Callable, str]] = {
    "url": (_url, "url"),
    "language": (_choice(LT_LANGUAGES, "variant"), "language"),
    "enable": (_strings, "enable"),
    "disable": (_strings, "disable"),
    "disable-categories": (_strings, "disable_categories"),
    "picky": (_boolean, "picky"),
}


def _languagetool(value, base: Path) -> LanguageTool:
    if not isinstance(value, dict):
        raise Bad("must be a table: [tool.mtreview.languagetool] or languagetool = { ... }")
    out = {}
    for key, item in value.items():
        if key not in LANGUAGETOOL_KEYS:
            raise Bad(f"unknown key {key!r}{did_you_mean(key, LANGUAGETOOL_KEYS)}; known: {', '.join(LANGUAGETOOL_KEYS)}")
        parse, name = LANGUAGETOOL_KEYS[key]
        try:
            out[name] = parse(item, base)
        except Bad as exc:
            raise Bad(f"{key}: {exc}") from None
    return LanguageTool(**out)


# -- the table ----------------------------------------------------------------------------------
class Option(NamedTuple):
    """One option: ``name`` is its ``Options`` field; ``key`` its config key (None: command
    line only); ``parse`` reads a config value; ``choices`` are its valid values (``noun``
    names them in errors: "unknown language"); ``adds``: the command line's values add to
    the config's instead of replacing them; ``help`` and ``example`` describe it (starter
    config, command-line help)."""

    name: str
    key: str | None
    help: str
    parse: Callable | None = None
    example: str = ""
    choices: tuple[str, ...] | None = None
    noun: str = ""
    adds: bool = False


def _one_of(choices: tuple[str, ...]) -> str:
    return ", ".join(choices[:-1]) + " or " + choices[-1]


OPTIONS: dict[str, Option] = {o.name: o for o in (
    Option("source_lang", "source-lang",
           f"Source language of the copy: {', '.join(SOURCE_LANGUAGES)}, or auto (guessed from telltales).",
           _choice(SOURCE_LANG_CHOICES, "language"), '"auto"', SOURCE_LANG_CHOICES, "language"),
    Option("select", "select", "Only these rule ids, packs or globs.", _strings, '["garble", "calque-es", "embed"]'),
    Option("ignore", "ignore", "Never these rule ids, packs or globs.", _strings, '["house.scare-quotes"]', adds=True),
    Option("severity", "severity", "Severity per rule id, pack or glob (lt.* for LanguageTool's).", _severity,
           '{ "calque.so-called" = "warning", "readability" = "info" }'),
    Option("fail_on", "fail-on", f"Exit 1 when findings at or above this level exist: {_one_of(FAIL_ON)}.",
           _choice(FAIL_ON, "level"), '"warning"', FAIL_ON, "level"),
    Option("min_severity", "min-severity", f"Report only findings at or above this level: {_one_of(LEVELS)} (default: "
           "info: all); counts, scores and the exit code follow.", _choice(LEVELS, "level"), '"warning"',
           LEVELS, "level"),
    Option("house", "house", f"House style: {_one_of(HOUSES)} (ap: U.S. news, the default; uk: British news).",
           _choice(HOUSES, "house style"), '"ap"', HOUSES, "house style"),
    Option("readability", "readability-target", "Document reading grade target, MIN-MAX (Flesch–Kincaid; default 8-12).",
           _target, '"8-12"'),
    Option("include", "include", "Only files matching these globs (relative to the config file's folder).", _strings,
           '["content/**/*.md"]'),
    Option("exclude", "exclude", "Never files matching these globs.", _strings, '["content/archive/**", "*.draft.md"]'),
    Option("rule_dirs", "rules", "Folders of extra rule packs.", _folders, '["style/mtreview-rules"]', adds=True),
    Option("vocabulary", "vocabulary", "Accepted names and terms, one per line: never spelling mistakes.", _file,
           '"style/vocabulary.txt"'),
    Option("source", "source", "Where each translation's source is: a pattern relative to the translation's folder, "
           "with {name}, {stem}, {base}, {suffix} (on the command line also a file).", _pattern,
           '"../es/{stem}{suffix}"'),
    Option("glossary", "glossary", "Glossary of source terms and their required (or forbidden) English: a CSV or "
           "TBX file.", _file, '"style/glossary.csv"'),
    Option("scores", "scores", "Readability and MQM scores (default on).", _boolean, "true"),
    Option("front_matter_prose", "front-matter-prose", "Markdown front-matter keys checked as prose.", _strings,
           "[" + ", ".join(f'"{k}"' for k in FRONT_MATTER_PROSE) + "]"),
    Option("languagetool", "languagetool", f"LanguageTool: {', '.join(LANGUAGETOOL_KEYS)}.", _languagetool,
           '{ language = "en-US", picky = false }'),
    Option("grammar", "grammar", "LanguageTool grammar and spelling (default: when a server is there; required with "
           '--grammar or "on": a missing or failing server is an error, exit 2).', _grammar, '"auto"  # or "on", "off"',
           choices=("on", "off", "auto")),
    Option("references", None, "A human reference translation (repeatable): BLEU, chrF++, TER."),
    Option("ci", None, "Bootstrap 95% confidence intervals for the reference metrics."),
    Option("mqm_map", None, "Severity → MQM severity, e.g. error=critical,warning=minor."),
    Option("mqm_pass", None, "MQM quality score a file needs to pass (0–100)."),
    Option("fail_under", None, "Exit 1 when a file's MQM quality score is below this."),
    Option("report_unused_suppressions", None, "Report each suppression directive that silenced nothing."),
    Option("changed_only", None, "Report only findings on lines of the staged changes (git; for pre-commit hooks)."),
    Option("diff_base", None, "Report only findings on lines changed since this git revision (e.g. origin/main)."),
    Option("baseline", "baseline", "Report only findings not in this baseline file (written by --write-baseline).",
           _path, '".mtreview-baseline.json"'),
    Option("write_baseline", None, "Write the findings' fingerprints to this baseline file (and apply none)."),
)}
#: Config key -> option.
KEYS: dict[str, Option] = {o.key: o for o in OPTIONS.values() if o.key is not None}
assert set(OPTIONS) == set(Options._fields) - {"config_label", "config_values"}  # one list, not two


def parse_config(table: Mapping[str, Any], path: Path, table_name: str = "the config") -> dict[str, Any]:
    """A config file's table as option values by field name; paths in it are relative to the
    file's folder. An unknown key or a bad value is a one-line error naming the file."""
    values = {}
    for key, value in table.items():
        option = KEYS.get(key)
        if option is None or option.parse is None:
            hint = did_you_mean(key, KEYS)
            raise MtreviewError(f"{path}: unknown key {key!r} in {table_name}{hint}; known keys: {', '.join(KEYS)}")
        try:
            values[option.name] = option.parse(value, path.parent)
        except Bad as exc:
            raise MtreviewError(f"{path}: {key} = {value!r}: {exc}") from None
    return values


def from_command_line(**given: Any) -> dict[str, Any]:
    """The command line's values by field name (None: not given), checked against each
    option's choices; a bad value is a one-line error naming the flag."""
    for name, value in given.items():
        option = OPTIONS[name]
        if value is not None and option.choices and value not in option.choices:
            flag = "--" + name.replace("_", "-")
            raise MtreviewError(f"{flag} {value!r}: {unknown_choice(value, option.choices, option.noun)}")
    return given


def readability_target(spec: str) -> Targets:
    """``--readability-target MIN-MAX``."""
    try:
        return _target(spec, Path())
    except Bad as exc:
        raise MtreviewError(f"--readability-target {spec!r}: {exc}") from None


def quality_score(flag: str, value: float | None) -> float | None:
    """``--mqm-pass``, ``--fail-under``: an MQM quality score, 0–100 (not nan)."""
    if value is not None and not 0 <= value <= 100:  # nan compares false, so it fails too
        raise MtreviewError(f"{flag} {value:g}: out of range; an MQM quality score is 0–100 (e.g. {flag} 95)")
    return value


def languagetool_url(value: str | None) -> str | None:
    """``--lt-url``."""
    problem = http_url_problem(value) if value is not None else None
    if problem:
        raise MtreviewError(f"--lt-url {value!r}: {problem}")
    return value


def languagetool_language(value: str | None) -> str | None:
    """``--lt-language``."""
    if value is not None and value not in LT_LANGUAGES:
        raise MtreviewError(f"--lt-language {value!r}: {unknown_choice(value, LT_LANGUAGES, 'variant')}")
    return value
