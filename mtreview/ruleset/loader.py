"""Load YAML rule packs (rules, word classes, fragments, telltales) with file:line in every error."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from mtreview.diskcache import cached_object
from mtreview.errors import MtreviewError
from mtreview.model import SOURCE_LANGUAGES
from mtreview.rule import Rule, rule_from_dict

YAML_KINDS = ("phrases", "tokens", "regex")
PACK_KEYS = {"pack", "description", "rules", "classes", "telltales", "tables", "house-style", "fragments"}
#: The built-in fragments: custom packs may use them even when the built-in packs are not loaded.
FRAGMENTS_FILE = "fragments.yaml"
FRAGMENT_NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
#: The keys of a rule where ``(?&name)`` stands for the fragment ``name``.
FRAGMENT_FIELDS = ("regex", "unless_before", "unless_after")


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
    from mtreview.matching.backtracking import backtracking_risk  # only when packs are parsed

    risk = backtracking_risk(entry["regex"])
    if risk is not None:
        raise MtreviewError(f"{path}: telltale for {lang!r}: regex {_quoted(entry['regex'])}: {risk.describe()}")
    weight = entry.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise MtreviewError(f"{path}: telltale for {lang!r}: weight must be a number, not {weight!r}")
    return entry["regex"], float(weight)


def pack_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise MtreviewError(f"{directory}: rule folder not found; pass a folder of *.yaml rule packs")
    return sorted(p for p in directory.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def load_rules(directories: list[Path]) -> Packs:
    """Read every pack in the folders; rule ids, class names and fragment names must be unique
    across them. ``(?&name)`` in a rule's patterns is replaced by the fragment ``name``."""
    from mtreview.ruleset.yamlfile import read_yaml  # yaml is imported only when a pack is parsed

    packs = Packs()
    origins: dict[str, str] = {}
    read = [(path, *read_yaml(path)) for directory in directories for path in pack_files(directory)]
    # The fragments of all the packs first, as any rule may use any pack's fragments. Packs
    # read without the built-in ones (custom packs alone) may use the built-in fragments, as
    # they may use the built-in word classes: those their own packs do not define.
    fragments = _Fragments()
    for path, data, _ in read:
        if data is not None:
            fragments.define(_top_level(data, path).get("fragments"), path)
    builtin = _builtin_fragments_file()
    if builtin is not None and builtin.resolve() not in {path.resolve() for path, _, _ in read}:
        data = read_yaml(builtin)[0]
        if data is not None:
            fragments.define(_top_level(data, builtin).get("fragments"), builtin, fallback=True)
    fragments.check_all()
    for path, data, lines in read:
        if data is None:
            continue
        assert isinstance(data, dict)  # _top_level checked it above
        pack = data.get("pack", path.stem)
        if not isinstance(pack, str):
            raise MtreviewError(f"{path}: 'pack' must be a name")
        if "rules" in data:
            packs.packs.setdefault(pack, str(data.get("description", "")).strip())
        house_style = data.get("house-style", False)
        if not isinstance(house_style, bool):
            raise MtreviewError(f"{path}: 'house-style' must be true or false")
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
            if lang not in SOURCE_LANGUAGES:
                raise MtreviewError(f"{path}: telltales for unknown language {lang!r} (one of: {', '.join(SOURCE_LANGUAGES)})")
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
        for written in rules:
            line = lines.get(id(written), 0)
            where = f"{path}:{line}"
            raw = fragments.expand_rule(written, where)
            rule = rule_from_dict(raw, pack, where, kinds=YAML_KINDS, house_style=house_style)
            _refuse_backtracking(rule, raw, written, where)
            if rule.id in origins:
                raise MtreviewError(f"{where}: duplicate rule id {rule.id!r} (first defined at {origins[rule.id]})")
            origins[rule.id] = where
            packs.rules.append(rule)
    return packs


def load_rules_cached(directories: list[Path]) -> Packs:
    """``load_rules(directories)``, from the cache when no pack file (path, size, time) nor
    mtreview's code changed; the built-in fragments file counts as a pack file of every list
    of folders, since packs read without it may use its fragments."""
    try:
        folders = tuple(str(Path(d).resolve()) for d in directories)
        key: tuple = tuple((folder, tuple(_stat_key(p) for p in pack_files(Path(folder)))) for folder in folders)
        builtin = _builtin_fragments_file()
        key += (_stat_key(builtin) if builtin is not None else None,)
    except Exception:
        return load_rules(directories)  # load_rules reports missing folders and the like
    name = f"packs-{zlib.crc32(repr(folders).encode('utf-8', 'surrogatepass')):08x}"
    return cached_object(name, key, lambda: load_rules(directories))


def _refuse_backtracking(rule: Rule, raw: dict, written: dict, where: str) -> None:
    """Stop at a pattern of the rule that can backtrack catastrophically (a nested quantifier
    such as ``(a+)+``: minutes on one line, ``mtreview/matching/backtracking.py``), quoting
    it as the pack writes it."""
    from mtreview.matching.backtracking import backtracking_risk  # only when packs are parsed

    for key in FRAGMENT_FIELDS:
        pattern = raw.get(key)
        if not isinstance(pattern, str) or (key == "regex" and rule.kind != "regex"):
            continue
        flags = re.IGNORECASE if key != "regex" or not rule.case_sensitive else 0
        risk = backtracking_risk(pattern, flags)
        if risk is not None:
            raise MtreviewError(f"{where}: rule {rule.id!r}: {key} {_quoted(written.get(key, pattern))}: {risk.describe()}")


def _quoted(pattern: str, limit: int = 80) -> str:
    """A pattern in double quotes, shortened to ``limit`` characters."""
    text = pattern if len(pattern) <= limit else pattern[: limit - 1] + "…"
    return '"' + text.replace("\n", "\\n") + '"'


def _stat_key(path: Path) -> tuple:
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino)


def _top_level(data, path: Path) -> dict:
    """A pack's parsed text, once it is known to be a mapping of known top-level keys."""
    if not isinstance(data, dict):
        raise MtreviewError(f"{path}:1: a rule pack must be a mapping with 'rules:' (and optionally 'pack:', 'classes:')")
    unknown = set(data) - PACK_KEYS
    if unknown:
        key = sorted(unknown, key=str)[0]
        raise MtreviewError(f"{path}: unknown top-level key {key!r} (use {', '.join(sorted(PACK_KEYS))})")
    return data


# -- fragments: named regex pieces, written (?&name) in a rule's patterns --------------------
def _builtin_fragments_file() -> Path | None:
    try:
        path = builtin_rules_dir() / FRAGMENTS_FILE
    except MtreviewError:
        return None
    return path if path.is_file() else None


class _Fragments:
    """The fragments of the packs read together. A fragment is a regex, or a list of
    alternatives; ``(?&name)`` in a pattern becomes ``(?:regex)`` or ``(?:alt1|alt2|…)``."""

    def __init__(self) -> None:
        self.defined: dict[str, tuple[str | list[str], Path]] = {}  # name -> (value, pack file)
        self.resolved: dict[str, str] = {}  # name -> its regex, its own references expanded

    def define(self, block, path: Path, fallback: bool = False) -> None:
        """Add a pack's ``fragments:`` block; ``fallback``: only the names not yet defined."""
        if block is None:
            return
        if not isinstance(block, dict):
            raise MtreviewError(
                f"{_fragment_where(path)}: 'fragments' must be a mapping of fragment names to regexes "
                "(a string, or a list of alternatives)"
            )
        for name, value in block.items():
            if not isinstance(name, str) or not FRAGMENT_NAME_RE.match(name):
                raise MtreviewError(
                    f"{_fragment_where(path, name)}: fragment name {name!r} must be lower-case words joined "
                    "by hyphens, like 'sentence-start'"
                )
            if name in self.defined and not fallback:
                raise MtreviewError(
                    f"{_fragment_where(path, name)}: fragment {name!r} is defined twice (first in "
                    f"{self.defined[name][1]}); fragment names are shared by all packs, rename one"
                )
            if isinstance(value, list) and value:
                bad = [v for v in value if not isinstance(v, str) or not v]
            else:
                bad = [] if isinstance(value, str) and value else [value]
            if bad:
                raise MtreviewError(
                    f"{_fragment_where(path, name)}: fragment {name!r} must be a regex string or a non-empty list "
                    f"of regex strings (alternatives); {bad[0]!r} is not one (quote regexes YAML reads otherwise)"
                )
            self.defined.setdefault(name, (value, path))

    def check_all(self) -> None:
        """Resolve every fragment, so a bad one is reported where it is defined, used or not."""
        for name in self.defined:
            self._resolve(name, ())

    def expand_rule(self, raw, where: str):
        """The rule mapping with its fragment references replaced (the same mapping when none)."""
        if not isinstance(raw, dict):
            return raw  # rule_from_dict says what is wrong
        keys = [k for k in FRAGMENT_FIELDS if isinstance(raw.get(k), str) and "(?&" in raw[k]]
        if not keys:
            return raw
        rid = raw.get("id")

        def label() -> str:
            return f"{where}: rule {rid!r}" if rid else f"{where}: rule"

        return {**raw, **{k: self._expand(raw[k], label, ()) for k in keys}}

    def _expand(self, pattern: str, label, using: tuple[str, ...]) -> str:
        """``pattern`` with its references replaced; ``label()`` starts an error message."""
        out, pos = [], 0
        for start, end, name in _references(pattern, label):
            if name not in self.defined:
                known = ", ".join(sorted(self.defined)) or "none"
                raise MtreviewError(f"{label()}: unknown fragment (?&{name}) (known: {known})")
            if name in using:
                cycle = " -> ".join(using[using.index(name) :] + (name,))
                raise MtreviewError(
                    f"{label()}: fragments use each other in a cycle ({cycle}); a fragment cannot use itself, "
                    "directly or through others"
                )
            out += [pattern[pos:start], "(?:", self._resolve(name, using), ")"]
            pos = end
        return "".join(out) + pattern[pos:] if out else pattern

    def _resolve(self, name: str, using: tuple[str, ...]) -> str:
        if name not in self.resolved:
            value, path = self.defined[name]

            def label(path=path, name=name) -> str:
                return f"{_fragment_where(path, name)}: fragment {name!r}"

            pieces = []
            for item in value if isinstance(value, list) else [value]:
                piece = self._expand(item, label, using + (name,))
                # alone, and as it is used (inside a group: no global flags)
                for text in (piece, f"(?:{piece})"):
                    try:
                        re.compile(text)
                    except re.error as exc:
                        raise MtreviewError(f"{label()}: invalid regex {item!r}: {exc}; fix the fragment") from None
                pieces.append(piece)
            self.resolved[name] = "|".join(pieces)
        return self.resolved[name]


def _references(pattern: str, label) -> list[tuple[int, int, str]]:
    """(start, end, name) of each ``(?&name)`` in a regex, outside escapes, sets and comments."""
    found = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            i += 2
        elif char == "[":  # a set: "]" right after "[" or "[^" is literal
            i += 2 if pattern.startswith("[^", i) else 1
            i += 1 if pattern.startswith("]", i) else 0
            while i < n and pattern[i] != "]":
                i += 2 if pattern[i] == "\\" else 1
            i += 1
        elif pattern.startswith("(?#", i):  # a comment, up to the first ")"
            close = pattern.find(")", i)
            i = n if close < 0 else close + 1
        elif pattern.startswith("(?&", i):
            close = pattern.find(")", i)
            if close < 0:
                raise MtreviewError(f"{label()}: unclosed fragment reference {pattern[i:i + 30]!r}; write (?&name)")
            found.append((i, close + 1, pattern[i + 3 : close]))
            i = close + 1
        else:
            i += 1
    return found


def _fragment_where(path: Path, name=None) -> str:
    """``path:line`` of the pack's ``fragments:`` key, or of the fragment ``name`` in it (the
    parsed YAML keeps no line for a string); only the path when the line is not found."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return str(path)
    key = None if name is None else re.compile(r"[ \t]+(?:{0}|\"{0}\"|'{0}')[ \t]*:".format(re.escape(str(name))))
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if re.match(r"fragments[ \t]*:", line):
            if key is None:
                return f"{path}:{number}"
            inside = True
        elif inside and line[:1] not in ("", " ", "\t", "#"):
            inside = False  # the next top-level key
        elif inside and key is not None and key.match(line):  # inside is set only when key is given
            return f"{path}:{number}"
    return str(path)
