"""Rule: the metadata every check carries (YAML rules and Python checks alike), its examples,
and the validation that turns a plain mapping into a Rule."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mtreview.diskcache import compile_pattern
from mtreview.errors import MtreviewError
from mtreview.model import CATEGORIES, HOUSES, SOURCE_LANGUAGES, FixSafety, Severity
from mtreview.textpatterns import crlf_line_ends

ID_RE = compile_pattern(r"^[a-z0-9]+(?:[.-][a-z0-9]+)+$")
MATCH_KINDS = ("phrases", "tokens", "regex", "check")

REQUIRED_KEYS = ("id", "category", "severity", "message", "why", "examples")
OPTIONAL_KEYS = (
    "pack", "phrase", "phrases", "tokens", "regex", "case", "suggest", "fix", "languages", "house",
    "unless_before", "unless_after", "options", "instead", "description", "check", "aliases", "by_language",
    "headings",
)
#: What a rule may say differently for one source language (``by_language``).
LOCAL_KEYS = ("message", "why", "instead")


@dataclass(frozen=True)
class Example:
    """An example: clean text, the spans the rule must report (none for a good example), the
    text after fixing; for a bilingual rule, the source the text translates and its
    language (default: the rule's first language, else Spanish)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    fixed: str | None = None
    source: str | None = None
    source_lang: str | None = None


@dataclass
class Rule:
    id: str
    pack: str
    category: str
    severity: Severity
    message: str
    why: str
    suggest: tuple[str, ...]
    fix: FixSafety
    languages: frozenset[str]
    kind: str  # phrases | tokens | regex | check
    spec: list[str] | str  # list of phrases or token items; a regex string, or a check name
    case_sensitive: bool = False
    unless_before: re.Pattern | None = None
    unless_after: re.Pattern | None = None
    options: dict = field(default_factory=dict)
    instead: str = ""
    bad: tuple[Example, ...] = ()
    good: tuple[str | Example, ...] = ()  # a text, or an Example with a source (and no spans)
    origin: str = ""  # "file:line" where the rule was defined
    houses: frozenset[str] = frozenset()  # empty: every house style
    replacements: dict[str, str] = field(default_factory=dict)  # phrase table: normalized phrase -> replacement
    source: str = "rules"  # what produces its findings: the rule engine, or a scorer ("readability")
    # A house-style rule (its pack says ``house-style: true``): its safe edits are also made in
    # every other rule's suggestions, so that an accepted suggestion is already in house style.
    house_style: bool = False
    skip_headings: bool = False  # ``headings: skip``: nothing is reported inside a heading
    aliases: tuple[str, ...] = ()  # earlier ids: configs, suppressions and --select still name it by them
    # source language -> its own message/why/instead: a rule that covers several languages
    # explains itself through the article's source language (``for_language``)
    by_language: dict[str, dict[str, str]] = field(default_factory=dict)

    def for_language(self, lang: str | None) -> Rule:
        """The rule as it speaks to an article translated from ``lang`` (None: unknown)."""
        local = self.by_language.get(lang) if lang else None
        if not local:
            return self
        return replace(self, message=local.get("message", self.message), why=local.get("why", self.why),
                       instead=local.get("instead", self.instead))

    def replacement_for(self, matched: str) -> str | None:
        """The table's replacement for a matched phrase (phrases given as a table)."""
        if not self.replacements:
            return None
        return self._table().get(phrase_key(matched, self.case_sensitive))

    def _table(self) -> dict[str, str]:
        table = self.__dict__.get("_normalized")
        if table is None:
            table = {phrase_key(k, self.case_sensitive): v for k, v in self.replacements.items()}
            self.__dict__["_normalized"] = table
        return table

    def applies_to(self, lang: str | None, house: str | None = None) -> bool:
        """For this source language and house style (None: any)."""
        lang_ok = lang is None or "any" in self.languages or lang in self.languages
        return lang_ok and (house is None or not self.houses or house in self.houses)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "pack": self.pack,
            "category": self.category,
            "severity": self.severity.value,
            "fix": self.fix.value,
            "languages": sorted(self.languages),
            "house": sorted(self.houses),
            "kind": self.kind,
            "source": self.source,
            "message": self.message,
            "why": self.why,
            "instead": self.instead,
            "suggest": list(self.suggest),
            "examples": {
                "bad": [_marked(e) for e in self.bad],
                "good": [g if isinstance(g, str) else _with_source({"text": g.text}, g) for g in self.good],
            },
            "origin": self.origin,
            "aliases": list(self.aliases),
            "by_language": {lang: dict(local) for lang, local in sorted(self.by_language.items())},
        }


def _marked(example: Example) -> dict:
    text = example.text
    out = []
    pos = 0
    for start, end in example.spans:
        out.append(text[pos:start] + "[" + text[start:end] + "]")
        pos = end
    out.append(text[pos:])
    result = {"text": "".join(out)}
    if example.fixed is not None:
        result["fixed"] = example.fixed
    return _with_source(result, example)


def _with_source(result: dict, example: Example) -> dict:
    if example.source is not None:
        result["source"] = example.source
    if example.source_lang is not None:
        result["lang"] = example.source_lang
    return result


def phrase_key(phrase: str, case_sensitive: bool) -> str:
    """How phrases compare: white space collapsed, ’ as ', lower case unless case-sensitive."""
    phrase = " ".join(phrase.split()).replace("’", "'")
    return phrase if case_sensitive else phrase.lower()


# -- templates ---------------------------------------------------------------------------
_TEMPLATE_RE = compile_pattern(r"\{\{|\}\}|\{(\w+)(?:\|(\w+))?\}")
_SMALL_WORDS = frozenset("of the and for in on at to a an".split())
#: Filters a template may apply to a capture: ``{1|cap}``.
FILTERS = {
    "upper": str.upper,
    "lower": str.lower,
    "cap": lambda s: s[:1].upper() + s[1:],
    "nospace": lambda s: "".join(s.split()),  # " - old" -> "-old"
    "title": lambda s: " ".join(
        w if (i and w in _SMALL_WORDS) or not w[:1].islower() else w[:1].upper() + w[1:]
        for i, w in enumerate(s.split(" "))
    ),
}


def render(template: str, captures: dict[str, str]) -> str:
    """Fill ``{0}``, ``{1}``… or ``{name}`` from captures, optionally through a filter
    (``{1|cap}``, ``|upper``, ``|lower``, ``|title``); ``{{``/``}}`` are literal braces."""

    def sub(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        value = captures.get(m.group(1), "")
        return FILTERS[m.group(2)](value) if m.group(2) else value

    return _TEMPLATE_RE.sub(sub, template)


def template_filters(template: str) -> set[str]:
    return {m.group(2) for m in _TEMPLATE_RE.finditer(template) if m.group(2)}


def match_case(replacement: str, original: str) -> str:
    """Carry the case of the matched text over to a suggestion (Title, UPPER, lower)."""
    if not replacement or not original:
        return replacement
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and replacement.islower():
        return replacement.upper()
    first = next((c for c in original if c.isalpha()), "")
    if first.isupper():
        for i, c in enumerate(replacement):
            if c.isalpha():
                return replacement[:i] + c.upper() + replacement[i + 1 :] if c.islower() else replacement
            if not c.isspace() and c not in "\"'“‘([":
                break
    return replacement


# -- validation --------------------------------------------------------------------------
def _source_of(raw: dict, where: str) -> tuple[str | None, str | None]:
    """An example's ``source`` text and its ``lang``, checked."""
    source, lang = raw.get("source"), raw.get("lang")
    if source is not None and not isinstance(source, str):
        raise MtreviewError(f"{where}: an example's 'source' must be the source text, a string")
    if lang is not None and lang not in SOURCE_LANGUAGES:
        raise MtreviewError(f"{where}: an example's 'lang' must be one of {', '.join(SOURCE_LANGUAGES)}")
    if lang is not None and source is None:
        raise MtreviewError(f"{where}: an example's 'lang' is the language of its 'source', which is missing")
    return source, lang


def parse_good_example(raw, where: str) -> str | Example:
    """A text the rule must not flag, or ``{text, source, lang}`` for a bilingual rule."""
    if isinstance(raw, str):
        return raw
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not isinstance(raw.get("source"), str):
        raise MtreviewError(f"{where}: a good example is a text, or a mapping with 'text' and 'source'")
    extra = set(raw) - {"text", "source", "lang"}
    if extra:
        raise MtreviewError(f"{where}: unknown key {sorted(extra)[0]!r} in a good example (use text, source, lang)")
    source, lang = _source_of(raw, where)
    return Example(raw["text"], (), None, source, lang)


def parse_example(raw, where: str) -> Example:
    """``text`` with [brackets] around each expected span, or ``text`` plus ``span``; a
    bilingual rule's example also gives the ``source`` the text translates (and its ``lang``)."""
    if isinstance(raw, str):
        raw = {"text": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        raise MtreviewError(f"{where}: a bad example needs 'text' (with the span in [brackets])")
    extra = set(raw) - {"text", "fixed", "span", "source", "lang"}
    if extra:
        raise MtreviewError(f"{where}: unknown key {sorted(extra)[0]!r} in a bad example "
                            "(use text, span, fixed, source, lang)")
    fixed = raw.get("fixed")
    if fixed is not None and not isinstance(fixed, str):
        raise MtreviewError(f"{where}: 'fixed' must be a string")
    source, lang = _source_of(raw, where)
    text = raw["text"]
    if "span" in raw:
        span = raw["span"]
        if not isinstance(span, str) or span not in text:
            raise MtreviewError(f"{where}: span {span!r} does not occur in the example text")
        start = text.index(span)
        return Example(text, ((start, start + len(span)),), fixed, source, lang)
    spans = []
    clean = []
    pos = 0
    offset = 0
    for m in re.finditer(r"\[([^\[\]]*)\]", text):
        clean.append(text[pos : m.start()])
        offset += m.start() - pos
        spans.append((offset, offset + len(m.group(1))))
        clean.append(m.group(1))
        offset += len(m.group(1))
        pos = m.end()
    clean.append(text[pos:])
    if not spans:
        raise MtreviewError(f"{where}: a bad example must mark the expected span with [brackets] or give 'span'")
    return Example("".join(clean), tuple(spans), fixed, source, lang)


def rule_from_dict(raw: dict, pack: str, where: str, kinds=MATCH_KINDS, house_style: bool = False) -> Rule:
    """Validate one rule mapping; errors name the place (file:line) and the rule id."""
    rid = raw.get("id") if isinstance(raw, dict) else None
    label = f"{where}: rule {rid!r}" if rid else f"{where}: rule"
    if not isinstance(raw, dict):
        raise MtreviewError(f"{where}: each rule must be a mapping of keys, got {type(raw).__name__}")
    unknown = set(raw) - set(REQUIRED_KEYS) - set(OPTIONAL_KEYS)
    if unknown:
        raise MtreviewError(f"{label}: unknown key {sorted(unknown)[0]!r} (see README, 'Writing rules')")
    for key in REQUIRED_KEYS:
        if key not in raw:
            raise MtreviewError(f"{label}: missing required key {key!r}")
    if not isinstance(rid, str) or not ID_RE.match(rid):
        raise MtreviewError(f"{label}: id must be dotted lower-case words like 'garble.det-in-order-to'")
    for key in ("message", "why"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise MtreviewError(f"{label}: {key!r} must be a non-empty string")
    category = raw["category"]
    if not isinstance(category, str) or category not in CATEGORIES:
        raise MtreviewError(f"{label}: unknown category {category!r} (one of: {', '.join(sorted(CATEGORIES))})")
    try:
        severity = Severity(raw["severity"])
    except ValueError:
        raise MtreviewError(f"{label}: severity must be error, warning or info, not {raw['severity']!r}") from None
    try:
        fix = FixSafety(raw.get("fix", "none"))
    except ValueError:
        raise MtreviewError(f"{label}: fix must be safe, unsafe or none, not {raw.get('fix')!r}") from None
    suggest = raw.get("suggest", ())
    if isinstance(suggest, str):
        suggest = (suggest,)
    if not isinstance(suggest, (list, tuple)) or not all(isinstance(s, str) for s in suggest):
        raise MtreviewError(f"{label}: 'suggest' must be a string or a list of strings")
    suggest = tuple(suggest)
    by_language = _by_language(raw.get("by_language", {}), raw.get("languages", ["any"]), label)
    messages = (raw["message"],) + tuple(local["message"] for local in by_language.values() if "message" in local)
    unknown_filters = {f for t in suggest + messages for f in template_filters(t)} - set(FILTERS)
    if unknown_filters:
        raise MtreviewError(
            f"{label}: unknown template filter {sorted(unknown_filters)[0]!r} (use {', '.join(FILTERS)})"
        )
    if fix is not FixSafety.NONE and not suggest and "check" not in raw and not isinstance(raw.get("phrases"), dict):
        raise MtreviewError(f"{label}: fix is {fix.value!r} but there is no 'suggest' template")
    languages = raw.get("languages", ["any"])
    if isinstance(languages, str):
        languages = [languages]
    if not isinstance(languages, list) or not languages or not all(isinstance(x, str) for x in languages):
        raise MtreviewError(f"{label}: 'languages' must be a language or a list of them (any, {', '.join(SOURCE_LANGUAGES)})")
    houses = raw.get("house", [])
    if isinstance(houses, str):
        houses = [houses]
    if not isinstance(houses, list) or any(h not in HOUSES for h in houses):
        raise MtreviewError(f"{label}: 'house' must be one or more of {', '.join(HOUSES)}")
    houses = frozenset(houses)
    bad_langs = [lang for lang in languages if lang not in SOURCE_LANGUAGES + ("any",)]
    if bad_langs:
        raise MtreviewError(f"{label}: unknown language {bad_langs[0]!r} (one of: any, {', '.join(SOURCE_LANGUAGES)})")
    kinds_given = [k for k in ("phrase", "phrases", "tokens", "regex", "check") if k in raw]
    if len(kinds_given) != 1:
        raise MtreviewError(f"{label}: give exactly one of phrase, phrases, tokens, regex (found {len(kinds_given)})")
    kind = "phrases" if kinds_given[0] == "phrase" else kinds_given[0]
    if kind not in kinds:
        raise MtreviewError(f"{label}: match kind {kind!r} is not allowed here")
    spec = raw[kinds_given[0]]
    replacements: dict[str, str] = {}
    if kind == "phrases":
        spec = [spec] if isinstance(spec, str) else spec
        if isinstance(spec, dict):
            # a table: each phrase with its own replacement (names, spellings)
            if not spec or not all(isinstance(k, str) and k.strip() and isinstance(v, str) for k, v in spec.items()):
                raise MtreviewError(f"{label}: a 'phrases' table maps phrases to replacement strings")
            replacements = dict(spec)
            spec = list(spec)
        if not isinstance(spec, list) or not spec or not all(isinstance(p, str) and p.strip() for p in spec):
            raise MtreviewError(f"{label}: 'phrases' must be a non-empty list of strings (or a table of replacements)")
    elif kind == "tokens":
        if not isinstance(spec, list) or not spec or not all(isinstance(t, str) and t.strip() for t in spec):
            raise MtreviewError(f"{label}: 'tokens' must be a non-empty list of strings")
    elif kind == "regex":
        if not isinstance(spec, str) or not spec:
            raise MtreviewError(f"{label}: 'regex' must be a non-empty string")
        spec = crlf_line_ends(spec)  # a line's end ``$`` (multiline) also before CRLF
        try:
            compiled = compile_pattern(spec)
        except re.error as exc:
            raise MtreviewError(f"{label}: invalid regex: {exc}") from None
        if compiled.match(""):
            raise MtreviewError(f"{label}: the regex matches empty text; it must match at least one character")
    case = raw.get("case", "insensitive" if kind in ("phrases", "tokens") else "sensitive")
    if case not in ("sensitive", "insensitive"):
        raise MtreviewError(f"{label}: case must be 'sensitive' or 'insensitive'")
    unless = {}
    for key in ("unless_before", "unless_after"):
        if key in raw:
            try:
                pattern = crlf_line_ends(raw[key]) if isinstance(raw[key], str) else raw[key]
                # context filters ignore case whatever the rule's own case mode
                unless[key] = compile_pattern(f"(?:{pattern})$" if key == "unless_before" else pattern, re.IGNORECASE)
            except (re.error, TypeError) as exc:
                raise MtreviewError(f"{label}: invalid {key} regex: {exc}") from None
    rule_pack = raw.get("pack", pack)
    if not isinstance(rule_pack, str) or not rule_pack:
        raise MtreviewError(f"{label}: 'pack' must be a name")
    options = raw.get("options", {})
    if not isinstance(options, dict):
        raise MtreviewError(f"{label}: 'options' must be a mapping")
    examples = raw["examples"]
    if not isinstance(examples, dict) or not examples.get("bad") or not examples.get("good"):
        raise MtreviewError(f"{label}: examples need at least one 'bad' and one 'good' text")
    if not isinstance(examples["bad"], list):
        raise MtreviewError(f"{label}: bad examples must be a list")
    unknown_ex = set(examples) - {"bad", "good"}
    if unknown_ex:
        raise MtreviewError(f"{label}: unknown key {sorted(unknown_ex)[0]!r} in examples (use bad, good)")
    bad = tuple(parse_example(e, label) for e in examples["bad"])
    good = examples["good"]
    if not isinstance(good, list):
        raise MtreviewError(f"{label}: good examples must be a list")
    good = [parse_good_example(g, label) for g in good]
    if fix is not FixSafety.NONE and any(e.fixed is None for e in bad):
        raise MtreviewError(f"{label}: the rule has a fix, so every bad example needs 'fixed'")
    return Rule(
        id=rid,
        pack=rule_pack,
        category=category,
        severity=severity,
        message=raw["message"].strip(),
        why=" ".join(raw["why"].split()),
        suggest=suggest,
        fix=fix,
        languages=frozenset(languages),
        houses=houses,
        replacements=replacements,
        kind=kind,
        spec=spec,
        case_sensitive=case == "sensitive",
        unless_before=unless.get("unless_before"),
        unless_after=unless.get("unless_after"),
        options=options,
        instead=str(raw.get("instead", "")),
        bad=bad,
        good=tuple(good),
        origin=where,
        house_style=house_style,
        skip_headings=_headings(raw.get("headings", "check"), label),
        aliases=_aliases(raw.get("aliases", []), rid, label),
        by_language=by_language,
    )


def _headings(raw, label: str) -> bool:
    """``headings: skip`` (a headline's own conventions differ: AP headlines write “US”) or
    ``check`` (the default)."""
    if raw not in ("skip", "check"):
        raise MtreviewError(f"{label}: 'headings' must be 'skip' or 'check'")
    return raw == "skip"


def _aliases(raw, rid: str, label: str) -> tuple[str, ...]:
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not all(isinstance(a, str) and ID_RE.match(a) and a != rid for a in raw):
        raise MtreviewError(f"{label}: 'aliases' must list earlier ids of the rule (dotted lower-case words)")
    return tuple(raw)


def _by_language(raw, languages, label: str) -> dict[str, dict[str, str]]:
    """``by_language``: for some of the rule's languages, its own message (a string) or a
    mapping of message, why and instead."""
    if not isinstance(raw, dict):
        raise MtreviewError(f"{label}: 'by_language' maps source languages to a message or to {', '.join(LOCAL_KEYS)}")
    languages = [languages] if isinstance(languages, str) else languages
    out = {}
    for lang, local in raw.items():
        if lang not in SOURCE_LANGUAGES or (isinstance(languages, list) and "any" not in languages and lang not in languages):
            raise MtreviewError(f"{label}: by_language {lang!r} is not one of the rule's languages")
        if isinstance(local, str):
            local = {"message": local}
        if (not isinstance(local, dict) or not local or set(local) - set(LOCAL_KEYS)
                or not all(isinstance(v, str) and v.strip() for v in local.values())):
            raise MtreviewError(f"{label}: by_language {lang!r} must be a message or a mapping of {', '.join(LOCAL_KEYS)}")
        out[lang] = {k: (" ".join(v.split()) if k == "why" else v.strip()) for k, v in local.items()}
    return out
