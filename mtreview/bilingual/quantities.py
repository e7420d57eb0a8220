"""Numbers, dates and times in a sentence of English or of a source language (es, fr, pt, it,
de), read into values that compare across languages: ``quantities`` and ``moments``.

Offsets are Python string indices into the text given. Symbols and names come from CLDR
through Babel (decimal and group symbols, scale words such as "millones" or "Mrd.", percent
and currency names, month, weekday and day-period names), read once per language and kept
in mtreview's cache; spelled-out numbers are read by text2num. The small tables written here
are what CLDR does not hold: the words that link a number to what it counts ("millones *de*
euros"), the ordinal endings, the prepositions that make "15.30" a time.

Conventions (the bilingual checks compare the values of a source sentence with those of its
translation, and a false mismatch is an error-level false alarm, so doubtful readings are
left out or carry their other reading in ``alt``):

* Source languages write "," as the decimal mark and ".", a space or a (narrow) no-break
  space between thousands (CLDR's group symbols, plus the forms the press types: "." in
  French, a plain space for a no-break one). "8.500" is 8500 and "3,5" is 3.5. "1,500"
  (one comma, three digits) is 1.5 with ``alt`` 1500 (American-style Spanish writes it for
  1500). "1.5" or "1.25" (not three digits after the period) is a decimal written the
  English way, as careless MT does.
* English is the reverse. A continental form in English is flagged ``foreign_form`` with
  its English spelling in ``english``: "3,5" (3.5), "1.234,5", "8 500", "3,5 %" ("3.5%"),
  "5 €" ("€5"). "8.500" (one period, three digits) is read as 8500 and flagged, with
  ``alt`` 8.5, unless the text writes other decimals the English way ("2.5"), the number
  starts "0.", a percent follows, or a scale word follows and the last digit is not 0
  ("$1.125 million" is English; "1.500 million" is not): then it is 8.5 with ``alt`` 8500.
* Scale words multiply: "1,2 millones" and "1.2 million" are 1200000. The long scale is
  kept where the language has it: es "billón", fr "billion", de "Billion", pt-PT "bilião"
  are 10^12; es "mil millones", fr "milliard", de "Milliarde", it "miliardo", pt-BR
  "bilhão" and pt-PT "mil milhões" are 10^9 (CLDR's compact number forms, pt and pt_PT).
  A scale word said once for a range counts for both ends: in "von 25 auf 55 Mrd." the 25
  is 25 billion (``alt`` 25). Halves count: "half a million", "tres millones y medio".
* Kinds: "number", "percent" (unit "%"), "money" (unit: ISO code), "ordinal" ("1st",
  "1.º", "1er", German "3." before a word), "year" (four plain digits 1000–2099 with no
  unit: a hint, since a Spanish "2000 personas" reads the same; the "51" of "1950-51" is
  1951, ``alt`` 51). Signs are not read: in "4-5" and "2008-2009" the hyphen is a range,
  and each side is a quantity.
* Digits after a letter are part of a name ("A380", "GSG9", "F-16", "COVID-19"; but
  "under-21s" counts) and are left out; letters after digits are a unit ("5km", "1990s",
  "4G", "63enne") and the number counts.
* Spelled numbers (``spelled=True``) are text2num's, with what reads as an article or a
  pronoun left out: value 1 ("one", "un", "una", "ein") counts only next to another spelled
  number ("one or two", "uno o dos") or before a percent word; ordinals ("first", "segundo",
  which is also "according to") count only for a century ("twenty-first century", as
  "siglo XXI" and "XXIe siècle" do in Roman numerals); a bare scale word counts only with
  an article ("a million") or as a singular hundred or thousand outside English ("mil",
  "hundert"), never as "millions of" or "several hundred"; a capitalised number word under
  100 inside a sentence is a name or a noun ("Otto", German "die Elf"); fr "neuf" (new) and
  it "sei" (you are) count only before a unit ("neuf pour cent").
* Numbers inside a date or a time are moments, not quantities, except the year, which is
  both: "24 de enero de 2009" is one Moment and the quantity 2009.
* Moments: a day with a month name (with weekday and year if present, day ranges as one
  moment per day), a month with a year, a month alone (English only after "in", "since"…,
  as English months double as names and verbs; French "mars" only with a day or a year), a
  weekday alone, numeric dates with a four-digit year (day first, except English
  "1/24/2009" whose second number is over 12), and times: "15:00", "15h00", "15 h" (after
  "à", "a las"…), "15.00 Uhr", "3 p.m.", "a las 3 de la tarde", "alle 15.30". A time with
  no minutes has minute 0. Hours are as written (24-hour clock) unless the text says
  a.m./p.m. or a part of the day; English "at 3" alone is not a time.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any, NamedTuple

from mtreview.diskcache import cached_plan, compile_pattern

#: The languages read here.
LANGUAGES = ("en", "es", "fr", "pt", "it", "de")


class Quantity(NamedTuple):
    """A number in a text, as a value.

    ``kind`` is "number", "percent", "money", "ordinal" or "year"; ``unit`` is "%" for a
    percentage, the ISO code for money ("EUR", "USD", "GBP"…), else "". ``spelled``: written
    in words. ``foreign_form`` (English only): written the continental way, ``english``
    being the English way to write the matched text. ``alt``: the other reading of an
    ambiguous form ("1,500" in Spanish is 1.5, or 1500), None when there is none."""

    start: int
    end: int
    value: Decimal
    kind: str
    unit: str = ""
    spelled: bool = False
    foreign_form: bool = False
    english: str = ""
    alt: Decimal | None = None


class Moment(NamedTuple):
    """A date, a weekday or a time in a text; a field is None where the text does not say.

    ``weekday`` counts from Monday = 0 (as ``datetime.date.weekday``); ``hour`` is 0–23 and
    ``minute`` 0 when a time gives only the hour."""

    start: int
    end: int
    month: int | None = None
    day: int | None = None
    year: int | None = None
    weekday: int | None = None
    hour: int | None = None
    minute: int | None = None


def quantities(text: str, lang: str) -> list[Quantity]:
    """The numbers in ``text`` (written in ``lang``, one of LANGUAGES), in order."""
    return list(_scan(text, lang)[0])


def moments(text: str, lang: str) -> list[Moment]:
    """The dates, weekdays and times in ``text`` (written in ``lang``), in order."""
    return list(_scan(text, lang)[1])


# -- CLDR data, through Babel ------------------------------------------------------------------
# The locales whose data each language's text may follow: pt is Brazil's, pt_PT Portugal's.
_LOCALES = {
    "en": ("en", "en_GB"),
    "es": ("es",),
    "fr": ("fr", "fr_CH", "fr_CA"),
    "pt": ("pt", "pt_PT"),
    "it": ("it", "it_CH"),
    "de": ("de", "de_AT", "de_CH"),
}
# Currencies read as money; a currency name's head noun ("dollar" of "US dollar") counts too.
_CURRENCIES = ("EUR", "USD", "GBP", "JPY", "CHF", "CNY", "BRL", "RUB", "INR")
_SPACES = " \u00a0\u202f"


def _babel_stamp() -> tuple:
    """Babel's installed version, as the size and time of its package file (found without
    importing it): the cached tables are remade when Babel changes."""
    spec = importlib.util.find_spec("babel")
    if spec is None or spec.origin is None:
        return ()
    st = os.stat(spec.origin)
    return (st.st_size, st.st_mtime_ns)


def _cldr(lang: str) -> dict[str, Any]:
    """What CLDR says of ``lang``'s numbers, currencies and calendar, as plain data."""
    return cached_plan(("mtreview.bilingual.quantities", 1, lang, _babel_stamp()), lambda: _read_cldr(lang))


def _unquote(pattern: str) -> str:
    """A CLDR pattern's literal text: quotes removed ("Mio'.'" → "Mio."; "''" is a quote)."""
    return pattern.replace("''", "\0").replace("'", "").replace("\0", "'")


def _head_noun(name: str, lang: str) -> str:
    """The noun of a currency name: last in English and German ("US dollar", "US-Dollar"),
    first in the Romance languages ("dólar estadounidense")."""
    words = re.split(r"[\s-]+", name.strip())
    return words[-1] if lang in ("en", "de") else words[0]


def _read_cldr(lang: str) -> dict[str, Any]:
    from babel import Locale
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_currency_name, get_currency_symbol
    from babel.units import format_unit

    locales = [Locale.parse(name) for name in _LOCALES[lang]]
    decimal = locales[0].number_symbols["latn"]["decimal"]
    groups = sorted({loc.number_symbols["latn"]["group"] for loc in locales} - {decimal})
    percent_words = set()
    for loc in locales:
        for length in ("long", "short"):
            percent_words.add(format_unit(3, "percent", length=length, locale=loc).replace("3", "").strip(_SPACES))

    # Scale words from the compact number formats ("0 millones", "00 Mrd."): 10**exponent.
    scales: dict[str, list] = {}
    for loc in locales:
        for length in ("long", "short"):
            for forms in loc.compact_decimal_formats.get(length, {}).values():
                for magnitude, pattern in forms.items():
                    raw = _unquote(pattern.pattern)
                    zeros = raw.count("0")
                    word = raw.replace("0", "").strip(_SPACES)
                    if zeros and word:
                        scales[word] = [len(magnitude) - zeros, length == "short"]

    currency: dict[str, list] = {}  # form → [code, "symbol" | "code" | "word"]
    for code in _CURRENCIES:
        currency.setdefault(code, [code, "code"])
        for loc in [*locales, Locale.parse("en")]:
            currency.setdefault(get_currency_symbol(code, loc), [code, "symbol"])
        for loc in locales:
            for count in (1, 2):
                name = get_currency_name(code, count, loc).lower()
                currency.setdefault(name, [code, "word"])
                currency.setdefault(_head_noun(name, lang), [code, "word"])

    months: dict[str, list] = {}  # name → [month, abbreviated]
    weekdays: dict[str, list] = {}
    for loc in locales:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, loc).items():
                    months.setdefault(name.rstrip("."), [number, width != "wide"])
                for number, name in get_day_names(width, context, loc).items():
                    weekdays.setdefault(name.rstrip("."), [number, width != "wide"])

    # Parts of the day after an hour ("de la tarde", "p.m."): am/pm only as written in
    # full (the abbreviated "AM" of most locales is no local usage), the rest either way.
    periods: dict[str, str] = {}
    period_nouns = set()  # "Nachmittag": German writes "Freitagnachmittag"
    for loc in locales:
        by_width = loc.day_periods.get("format", {})
        for width in ("wide", "abbreviated"):
            for key, name in by_width.get(width, {}).items():
                part = _day_part(key)
                if part and (width == "wide" or key not in ("am", "pm")):
                    periods.setdefault(name, part)
        for name in loc.day_periods.get("stand-alone", {}).get("wide", {}).values():
            period_nouns.add(name.lower())
    return {
        "decimal": decimal,
        "groups": groups,
        "percent": sorted(percent_words),
        "scales": scales,
        "currency": currency,
        "months": months,
        "weekdays": weekdays,
        "periods": periods,
        "period_nouns": sorted(period_nouns),
    }


def _day_part(key: str) -> str:
    """CLDR's day-period key as the way it moves an hour: "am", "pm", "night" or ""."""
    if key == "am" or key.startswith("morning"):
        return "am"
    if key == "pm" or key.startswith(("afternoon", "evening")):
        return "pm"
    return "night" if key.startswith("night") else ""


# -- what CLDR does not hold ----------------------------------------------------------------------
# The word between a scale word and a currency: "millones de euros", "millions d'euros".
_CURRENCY_LINK = {"es": r"de\s+", "pt": r"de\s+", "fr": r"de\s+|d['’]", "it": r"di\s+", "en": "", "de": ""}
# Ordinal endings after digits; German "3." is an ordinal only before a word.
_ORDINAL_END = {
    "en": r"st|nd|rd|th",
    "es": r"\.?[ºª°]|\.?er",
    "pt": r"\.?[ºª°]",
    "it": r"[ºª°]|m[oa]",
    "fr": r"ères?|ère|ers?|res?|i?èmes?|e|nde?|ᵉʳ|ᵉ|ʳᵉ",
    "de": r"\.(?=[ \u00a0]+[^\W\d_])",
}
# The endings a day number takes before a month ("1er janvier", "1.º de mayo", "24. Januar").
_DAY_END = {"en": r"st|nd|rd|th", "es": r"\.?[ºª°]", "pt": r"\.?[ºª°]", "it": r"[ºª°]", "fr": r"er|ᵉʳ", "de": r"\."}
_DAY_MONTH_LINK = {"es": r"de", "pt": r"de", "en": r"of", "fr": "", "it": "", "de": ""}
_MONTH_YEAR_LINK = {"es": r"de|del", "pt": r"de", "en": r"of", "fr": "", "it": "", "de": ""}
# Words joining the two ends of a range or two items of a list of numbers.
_JOINERS = {
    "en": r"to|and|or|through",
    "es": r"a|al|y|e|o|u",
    "pt": r"a|e|ou",
    "fr": r"à|au|et|ou",
    "it": r"a|al|e|ed|o",
    "de": r"bis|und|oder|auf",
}
# What makes a bare hour or "15.30" a time ("a las 15.30", "à 15 h", "alle 15.30").
_TIME_PREPOSITIONS = {
    "en": r"at|by|until|from|before|after|around",
    "es": r"a\s+las|a\s+la|hacia\s+las|desde\s+las|hasta\s+las|sobre\s+las|de\s+las",
    "pt": r"às|as|à|a\s+partir\s+das|até\s+às|por\s+volta\s+das|das",
    "fr": r"à|vers|dès|jusqu['’]à|après|avant",
    "it": r"alle|all['’]|dalle|verso\s+le|entro\s+le|ore",
    "de": r"um|gegen|ab|bis|vor|nach",
}
# "per cento" beside CLDR's "percento"
_EXTRA_PERCENT_WORDS = {"it": ("per cento",)}
# Words for "o'clock" after an hour.
_HOUR_WORDS = {"de": r"Uhr", "es": r"h|hs|horas", "pt": r"h|hs|horas", "fr": r"h|heures", "it": r"", "en": r""}
# Halves: "tres millones y medio", "three and a half million", "half a million", "eine halbe Million".
_AND = {"en": r"and", "es": r"y", "fr": r"et", "it": r"e", "pt": r"e", "de": r"und"}
_HALF = {"en": r"half", "es": r"medio|media", "fr": r"demie?", "it": r"mezz[oa]", "pt": r"mei[oa]", "de": r"halben?|halbe"}
_ARTICLES = {"en": r"a|an", "es": r"un|una", "fr": r"un|une", "it": r"un|uno|una", "pt": r"um|uma", "de": r"eine[nmr]?|ein"}
# Centuries: "siglo XV", "século XV", "XVe siècle", "XV secolo" (the 15th), and the spelled
# ordinals that count before or after these words ("twenty-first century", "siglo veintiuno").
_CENTURY = {
    "en": ("century", "centuries"),
    "es": ("siglo", "siglos"),
    "pt": ("século", "séculos"),
    "fr": ("siècle", "siècles"),
    "it": ("secolo", "secoli"),
    "de": ("jahrhundert", "jahrhunderts", "jahrhunderte"),
}
_ROMAN = r"(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
# A bare English month name is a month only after one of these ("in May", not "May we").
_ENGLISH_MONTH_CONTEXT = frozenset(
    "in since until till by from to of last next early late mid this through during before after between".split()
)
# Month names that are also common words, read only with a day or a year.
_MONTH_HOMOGRAPHS = {"fr": frozenset({"mars"})}
# Number words that are also common words ("un appartement neuf", "tu sei").
_NUMBER_HOMOGRAPHS = {
    "en": frozenset({"o", "oh"}),  # "eight o'clock"
    "es": frozenset({"tercer"}),  # an ordinal ("el tercer puesto") that text2num reads as 3
    "fr": frozenset({"neuf"}),
    "it": frozenset({"sei"}),
}


# -- per-language tables, built once ----------------------------------------------------------------
_SP = "[ \u00a0\u202f]"
# A number starts with a digit that follows no word character, number mark or "X-" ("F-16"):
# checked behind the first digit, so that the scan can jump from digit to digit.
_FIRST_DIGIT = r"\d(?<![\w.,°º]\d)(?<![A-Z]-\d)"
_NUMBER_CORE = (
    rf"(?P<num>{_FIRST_DIGIT}\d{{0,2}}(?P<sep>[.,'’\u00a0\u202f ])\d{{3}}(?:(?P=sep)\d{{3}})*(?:[.,]\d+)?(?![.,]?\d)"
    rf"|{_FIRST_DIGIT}\d*(?:[.,]\d+)?(?![.,]?\d))"
)
_YEAR = r"(?:1\d{3}|20\d{2})(?!\d)"
_DAY = r"(?<![\d.,])(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_SPACE_RE = compile_pattern(r"[ \u00a0\u202f]+")
_DIGIT_RE = compile_pattern(r"\d")
_NEXT_WORD_RE = compile_pattern(r"[ \u00a0\u202f]+([^\W\d_]+)")
_PERIOD_MARKS_RE = compile_pattern(r"[\s.]")
_LETTERS_RE = compile_pattern(r"[^\W\d_]+")
_TOKEN_RE = compile_pattern(r"[^\W\d_]+|\d+|[^\w\s]")
_ENGLISH_DECIMAL_RE = compile_pattern(r"(?<![\d.,])\d+\.(?!\d{3}(?!\d))\d+")
_GROUP_SPLIT_RE = compile_pattern(r"[.,'’\u00a0\u202f ]")
_PLURAL_END = {"de": ("e", "en"), "it": ("i",)}


def _alternation(names, case_insensitive, dotted=()) -> str:
    """Names as one regex alternation, longest first; spaces match any space, and a final
    period is optional after the names in ``dotted`` (abbreviations: "Jan", "janv").
    ``case_insensitive``: True, False, or the set of the names matched in any case."""
    parts = []
    for name in sorted(set(names), key=lambda n: (-len(n), n)):
        part = _spaced(name, "+") + (r"\.?" if name in dotted else "")
        folded = case_insensitive is not True and case_insensitive and name in case_insensitive
        parts.append(f"(?i:{part})" if folded else part)
    if not parts:
        return "(?!)"
    joined = "|".join(parts)
    return f"(?i:{joined})" if case_insensitive is True else f"(?:{joined})"


def _spaced(name: str, quantifier: str) -> str:
    """``name`` as a regex in which any space is any space, ``quantifier`` times."""
    return (_SP + quantifier).join(re.escape(part) for part in _SPACE_RE.split(name))


def _spaced_key(name: str) -> str:
    """An abbreviation as the tables file it: case kept, single plain spaces, no final period."""
    return " ".join(name.split()).rstrip(".")


def _key(name: str) -> str:
    """A name as the tables file it: lower case, single plain spaces, no final period."""
    return " ".join(name.lower().split()).rstrip(".")


def _period_key(name: str) -> str:
    """A day period as the tables file it: lower case, without periods or spaces ("pm")."""
    return _PERIOD_MARKS_RE.sub("", name.lower())


def _period_pattern(name: str, lang: str) -> str:
    """A day period as a regex: spaces optional, and English "am" also as "a.m."."""
    letters = name.replace(".", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if lang == "en" and len(letters) == 2:  # "pm", "p.m.", "p. m."; the "." of "pm." ends a sentence
        return rf"{letters[0]}\.{_SP}?{letters[1]}\.|{letters[0]}{_SP}?{letters[1]}"
    return _spaced(name, "?")


class _Tables:
    """One language's patterns and look-up tables."""

    def __init__(self, lang: str):
        data = _cldr(lang)
        self.lang = lang
        self.english = lang == "en"
        # The decimal mark and the thousands marks (CLDR's, and for the source languages the
        # ones their press types too: ".", a plain space for a no-break one, an apostrophe).
        self.decimal: str = data["decimal"]
        self.groups = set(data["groups"])
        if not self.english:
            self.groups |= {".", " ", "\u00a0", "\u202f", "'", "’"} - {self.decimal}
        # Scale words: the long ones ("millones", "Milliarden") in any case; abbreviations
        # ("Mio.", pt "bi" 10^9 but pt-PT "Bi" 10^12) as CLDR writes them, and those of three
        # letters or more in lower case too (the Italian press writes "mld."); one-letter
        # ones ("$5m", "€2M") only glued to a number with a currency sign.
        self.scales: dict[str, int] = {}
        scale_words, abbreviations, glued = [], [], []
        for word, (exponent, short) in data["scales"].items():
            bare = word.rstrip(".")
            if not short:
                scale_words.append(bare)
                self.scales[_key(bare)] = exponent
            elif len(bare) == 1:
                glued.append(bare)
                self.scales[bare] = exponent
            else:
                abbreviations.append(bare)
                self.scales[_spaced_key(bare)] = exponent
                if len(bare) >= 3:
                    abbreviations.append(bare.lower())
                    self.scales.setdefault(_spaced_key(bare.lower()), exponent)
        # one alternation, longest first: "mil millones" before "mil", whichever its case
        scale = _alternation(abbreviations + scale_words, set(scale_words), abbreviations)
        self.currency: dict[str, tuple[str, str]] = {}
        symbols: list[str] = []
        codes: list[str] = []
        words: list[str] = []
        for form, (code, kind) in data["currency"].items():
            (symbols if kind == "symbol" else codes if kind == "code" else words).append(form)
            self.currency[form if kind != "word" else _key(form)] = (code, kind)
        self.percent_words = [*data["percent"], *_EXTRA_PERCENT_WORDS.get(lang, ())]
        money_before = f"(?:{_alternation(symbols, False)}|{_alternation(codes, False)})"
        money_after = f"(?:{_alternation(symbols, False)}|{_alternation(codes, False)}|{_alternation(words, True)})"
        percent = _alternation(["%"] + [w for w in self.percent_words if w != "%"], True)
        link = _CURRENCY_LINK[lang]
        link_part = f"(?(scale)(?:{link})?)" if link else ""
        self.number_re = compile_pattern(
            rf"{_NUMBER_CORE}"
            rf"(?:(?P<ord>{_ORDINAL_END[lang]})(?![^\W\d_])"
            rf"|(?P<glued>{_alternation(glued, False)})(?![^\W\d_])"
            rf"|(?:{_SP}?(?P<scale>{scale})(?!\w))?"
            rf"(?:(?P<pctsp>{_SP}?)(?P<pct>{percent})(?!\w)"
            rf"|{_SP}?{link_part}(?P<cur>{money_after})(?!\w))?"
            rf"(?P<unit>[^\W\d_]{{1,4}}(?!\w))?(?![^\W\d_]))"
        )
        # a currency sign or code before a number ("€5", "US$ 5", "EUR 5"), looked for
        # behind its digits
        self.money_before_re = compile_pattern(rf"(?<![^\W\d_])(?:{money_before}){_SP}?$")
        self.unit_after = compile_pattern(
            rf"{_SP}?(?:(?P<pct>{percent})|(?:{link})?(?P<cur>{money_after}))(?!\w)"
        )
        self.article_re = compile_pattern(f"(?i:{_ARTICLES[lang]})")
        self.percent_end_re = compile_pattern(rf"(?<!\w){_alternation(self.percent_words, True)}$")
        self.article_scale_re = compile_pattern(
            rf"(?<!\w)(?:(?P<half>(?:(?i:{_ARTICLES[lang]}){_SP}+)?(?i:{_HALF[lang]})[\s-]+)(?:(?i:{_ARTICLES[lang]}){_SP}+)?"
            rf"|(?i:{_ARTICLES[lang]}){_SP}+)(?P<scale>{_alternation(scale_words, True)})(?!\w)"
        )
        self.one_percent_re = compile_pattern(rf"(?<!\w){percent}(?!\w)")
        self.half_before_re = compile_pattern(
            rf"(?<!\w)(?:(?i:{_ARTICLES[lang]}){_SP}+)?(?i:{_HALF[lang]})[\s-]+(?:(?i:{_ARTICLES[lang]}){_SP}+)?$"
        )
        self.and_half_re = compile_pattern(
            rf"{_SP}+(?i:{_AND[lang]}){_SP}+(?:(?i:{_ARTICLES[lang]}){_SP}+)?(?i:{_HALF[lang]})"
            rf"(?:{_SP}+(?P<scale>{_alternation(scale_words, True)}))?(?!\w)"
        )
        self.century_words = set(_CENTURY.get(lang, ()))
        century = _alternation(self.century_words, True)
        self.century_re = compile_pattern(
            rf"(?<!\w)(?:{century}{_SP}+(?P<after>{_ROMAN})|(?P<before>{_ROMAN})(?:e|ᵉ|ème)?{_SP}+{century})(?!\w)"
        )
        self.joiner_re = compile_pattern(rf"\s*(?:[-–/,]|(?i:{_JOINERS[lang]})(?!\w))\s*$")
        self._moment_tables(data)
        self.known_words: set[str] = set()  # the words text2num has read (lower case)
        self.number_words: set[str] = set()  # those that are numbers other than "one"
        self.one_words: set[str] = set()  # and those that are "one" ("un", "una", "ein")
        self.scale_words = {_key(w) for w in scale_words}

    def _moment_tables(self, data: dict[str, Any]) -> None:
        lang = self.lang
        folded = lang != "en"  # English months and weekdays are capitalised
        self.months = {_key(name): month for name, (month, _) in data["months"].items()}
        # the words a text without digits needs for a moment: month and weekday names (and
        # German compounds such as "freitagnachmittag")
        self.moment_words = {_key(n).split()[0] for n in (*data["months"], *data["weekdays"])}
        if lang == "de":
            self.moment_words |= {_key(d) + p for d in data["weekdays"] for p in data["period_nouns"]}
        self.weekdays = {_key(name): day for name, (day, _) in data["weekdays"].items()}
        self.periods = {_period_key(name): part for name, part in data["periods"].items()}
        wide_months = [n for n, (_, abbreviated) in data["months"].items() if not abbreviated]
        wide_days = [n for n, (_, abbreviated) in data["weekdays"].items() if not abbreviated]
        months = _alternation(data["months"], folded, [n for n, (_, abbreviated) in data["months"].items() if abbreviated])
        days = _alternation(data["weekdays"], folded, [n for n, (_, abbreviated) in data["weekdays"].items() if abbreviated])
        periods = "|".join(_period_pattern(n, lang) for n in sorted(data["periods"], key=len, reverse=True))
        ampm = "|".join(_period_pattern(n, lang) for n, part in data["periods"].items() if part != "night" and len(
            n.replace(".", "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")) <= 2) or "(?!)"
        day_end = _DAY_END[lang]
        dm_link = f"(?:(?:{_DAY_MONTH_LINK[lang]}){_SP}+)?" if _DAY_MONTH_LINK[lang] else ""
        my_link = f"(?:(?i:{_MONTH_YEAR_LINK[lang]}){_SP}+)?" if _MONTH_YEAR_LINK[lang] else ""
        joiners = f"(?i:{_JOINERS[lang]})"
        weekday = rf"(?:(?P<{{p}}wd>{days}),?{_SP}+)?"
        day_range = (
            rf"(?P<{{p}}d1>{_DAY})(?:{day_end})?"
            rf"(?:(?:{_SP}*[-–]{_SP}*|{_SP}+{joiners}{_SP}+)(?P<{{p}}d2>{_DAY})(?:{day_end})?)?"
        )
        dmy = (weekday + day_range).format(p="a_") + (
            rf"{_SP}+{dm_link}(?P<a_m>{months})(?:,?{_SP}+{my_link}(?P<a_y>{_YEAR}))?"
        )
        mdy = (weekday.format(p="b_") + rf"(?P<b_m>{months}){_SP}+" + day_range.format(p="b_")
               + rf"(?:,?{_SP}+(?P<b_y>{_YEAR}))?")
        month_year = rf"(?P<c_m>{months}),?{_SP}+{my_link}(?P<c_y>{_YEAR})"
        numeric = (
            r"(?<![\d.,/])(?P<d_a>\d{1,2})(?P<d_s>[/.])(?P<d_b>\d{1,2})(?P=d_s)(?P<d_y>" + _YEAR + r")"
            r"|(?P<d_iy>" + _YEAR + r")-(?P<d_im>0[1-9]|1[0-2])-(?P<d_id>[0-2]\d|3[01])(?!\d)"
        )
        hour = r"(?:[01]?\d|2[0-4])"
        hour_word = f"(?:{_HOUR_WORDS[lang]})" if _HOUR_WORDS[lang] else "(?!)"
        colon = (
            rf"(?<![\d:.,])(?P<e_h>{hour}):(?P<e_mi>[0-5]\d)(?![\d:])"
            rf"(?:{_SP}?(?P<e_p>{ampm})(?!\w)|{_SP}?(?i:{hour_word})(?!\w))?"
        )
        oclock = r"|o['’]clock" if lang == "en" else ""
        ampm_time = (
            rf"(?<![\d.,:])(?P<f_h>1[0-2]|0?[1-9])(?:[:.](?P<f_mi>[0-5]\d))?{_SP}?(?:(?P<f_p>{ampm}){oclock})(?!\w)"
        )
        # a weekday alone; in German also the first part of a compound ("Freitagnachmittag")
        compound = f"(?:{'|'.join(map(re.escape, data['period_nouns']))})?" if lang == "de" else ""
        h_time = (
            rf"(?<![\d.,])(?P<g_h>{hour})(?P<g_sp>{_SP}?)[hH](?:{_SP}?(?P<g_mi>[0-5]\d))?(?!\w)"
            if lang != "en" else "(?!)"
        )
        uhr = rf"(?<![\d.,])(?P<h_h>{hour})(?:[.:](?P<h_mi>[0-5]\d))?{_SP}*Uhr(?!\w)" if lang == "de" else "(?!)"
        prep_time = (
            rf"(?i:{_TIME_PREPOSITIONS[lang]}){_SP}+(?P<i_h>{hour})"
            rf"(?:[.:](?P<i_mi>[0-5]\d)(?!\d)(?:{_SP}*(?i:{hour_word}))?"
            rf"|(?P<i_w>{_SP}*(?i:{hour_word}))(?:{_SP}*(?P<i_m2>[0-5]\d))?)?(?!\d)"
            rf"(?:{_SP}+(?P<i_p>(?i:{periods or '(?!)'})))?(?!\w)"
        )
        # "1530 hours", "0230 UTC"
        military = (
            rf"(?<![\d.,:])(?P<j_h>[01]\d|2[0-3])(?P<j_mi>[0-5]\d){_SP}?"
            rf"(?:{'hours|hrs|' if lang == 'en' else ''}GMT|UTC)(?!\w)"
        )
        self.moment_re = compile_pattern(
            rf"(?<!\w)(?:(?P<dmy>{dmy})|(?P<mdy>{mdy})|(?P<my>{month_year})|(?P<nd>{numeric})"
            rf"|(?P<tc>{colon})|(?P<ta>{ampm_time})|(?P<th>{h_time})|(?P<tu>{uhr})|(?P<tp>{prep_time})|(?P<tm>{military})"
            rf"|(?P<ma>{_alternation(wide_months, folded)})|(?P<wa>{_alternation(wide_days, folded)}){compound})(?!\w)"
        )
        # Where a moment can start (a digit, a month or weekday name, a preposition of time):
        # the full pattern is tried only there, as trying its dozen branches at every word
        # of every sentence is most of the time a scan would take.
        self.moment_start_re = compile_pattern(
            rf"(?<!\w)(?:\d|{months}|{days}|(?i:{_TIME_PREPOSITIONS[lang]}){_SP}+\d)"
        )
        self.month_context_re = compile_pattern(r"([^\W\d_]+)[\s-]*$")


@cache
def _tables(lang: str) -> _Tables:
    if lang not in LANGUAGES:
        raise ValueError(f"no number reading for language {lang!r}: one of {', '.join(LANGUAGES)}")
    return _Tables(lang)


# -- the scan --------------------------------------------------------------------------------------
@lru_cache(maxsize=256)
def _scan(text: str, lang: str) -> tuple[tuple[Quantity, ...], tuple[Moment, ...]]:
    """Both readings of ``text``, made once: callers ask for the quantities and the moments
    of the same sentence one after the other."""
    tables = _tables(lang)
    # Most sentences hold no number and no date: two C-speed tests say so before any scan.
    words = _LETTERS_RE.findall(text.lower())
    digits = _DIGIT_RE.search(text) is not None
    found_moments: list[Moment] = []
    masked: list[tuple[int, int]] = []
    years: set[tuple[int, int]] = set()
    if digits or not tables.moment_words.isdisjoint(words):
        found_moments, masked, years = _find_moments(text, tables)
    found = _find_digits(text, tables, masked, years) if digits else []
    if _has_number_word(text, words, tables):
        found.extend(_find_spelled(text, words, tables, [(q.start, q.end) for q in found] + masked))
    if not tables.century_words.isdisjoint(words):
        found.extend(_centuries(text, tables))
    found.sort()
    return tuple(_drop_lone_ones(text, found, tables)), tuple(found_moments)


def _of_a_century(text: str, start: int, end: int, tables: _Tables) -> bool:
    """Whether the ordinal at ``start:end`` numbers a century ("twenty-first century",
    "siglo veintiuno"): the one kind of spelled ordinal that is read."""
    after = _NEXT_WORD_RE.match(text, end)
    before = tables.month_context_re.search(text, max(0, start - 16), start)
    return (after is not None and after.group(1).lower() in tables.century_words) or (
        before is not None and before.group(1).lower() in tables.century_words)


def _centuries(text: str, tables: _Tables) -> list[Quantity]:
    """Centuries in Roman numerals, as the ordinals English writes in digits ("siglo XV",
    "XVe siècle": the 15th)."""
    out = []
    for m in tables.century_re.finditer(text):
        name = "after" if m["after"] else "before"
        out.append(Quantity(m.start(name), m.end(name), Decimal(_roman(m[name])), "ordinal"))
    return out


def _roman(numeral: str) -> int:
    values = [_ROMAN_VALUES[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


# -- digits ------------------------------------------------------------------------------------------
class _Reading(NamedTuple):
    integer: str  # the digits before the decimal mark
    fraction: str  # the digits after it ("" for none)
    alt: Decimal | None
    foreign: bool  # English only: written the continental way


def _as_decimal(integer: str, fraction: str) -> Decimal:
    return Decimal(f"{integer}.{fraction}" if fraction else integer)


def _read_number(num: str, grouped: bool, tables: _Tables, text: str, percent: bool, scale: bool) -> _Reading | None:
    """The value of a run of digits and marks (``_NUMBER_CORE``; ``grouped``: its first mark
    is followed by groups of three digits) as ``tables.lang`` writes numbers; None for a run
    that is no number ("1.234.5")."""
    parts = _GROUP_SPLIT_RE.split(num)
    marks = [c for c in num if not c.isdigit()]
    if not marks:
        return _Reading(num, "", None, False)
    decimal, groups, english = tables.decimal, tables.groups, tables.english
    if not grouped:  # "3,5", "1.25": a decimal, whichever the mark (careless MT writes "1.5" in Spanish)
        return _Reading(parts[0], parts[1], None, english and marks[0] != decimal)
    group = marks[0]
    if marks[-1] != group:  # "1.234,56", "1,234.56"
        return _Reading("".join(parts[:-1]), parts[-1], None, english and (marks[-1] != decimal or group not in groups))
    if len(parts[-1]) != 3:
        return None
    whole = "".join(parts)
    if group not in ".," or len(marks) > 1:  # "8 500", "1.234.567": thousands only
        return _Reading(whole, "", None, english and group not in groups)
    if group in groups:  # "8.500" in Spanish, "8,500" in English
        return _Reading(whole, "", None, False)
    # the decimal mark before three digits: "1,500" in Spanish, "8.500" in English
    as_decimal, as_whole = _as_decimal(parts[0], parts[1]), Decimal(whole)
    if not english or parts[0] == "0" or percent or (scale and not num.endswith("0")):
        return _Reading(parts[0], parts[1], as_whole, False)
    if _ENGLISH_DECIMAL_RE.search(text) is not None:  # the text writes decimals the English way
        return _Reading(parts[0], parts[1], as_whole, False)
    return _Reading(whole, "", as_decimal, True)


def _english_number(reading: _Reading) -> str:
    """A reading written the English way: "8,500", "1,234.5"."""
    integer = f"{int(reading.integer):,}"
    return f"{integer}.{reading.fraction}" if reading.fraction else integer


def _integral(value: Decimal) -> Decimal:
    """1200000.0 → 1200000: whole values without a fraction part, for plain display."""
    return value.to_integral_value() if value == value.to_integral_value() else value


def _find_digits(text: str, tables: _Tables, masked: list[tuple[int, int]], years: set[tuple[int, int]]) -> list[Quantity]:
    """The numbers in digits of ``text`` outside the ``masked`` spans of its moments, except
    the ``years`` of its dates."""
    out: list[Quantity] = []
    exponents: list[int] = []  # of each quantity's scale word (0: none)
    for m in tables.number_re.finditer(text):
        start, end = m.span()
        num_start, num_end = m.span("num")
        if (num_start, num_end) in years:  # the year of a date: only its digits
            out.append(Quantity(num_start, num_end, Decimal(m["num"]), "year"))
            exponents.append(0)
            continue
        if masked and _overlaps(start, end, masked):
            continue
        found = _digit_quantity(text, m, tables)
        if found is None:
            continue
        quantity, exponent = found
        if out:
            previous = out[-1]
            between = text[previous.end:quantity.start]
            if previous.kind == "year" and between in ("-", "–", "/") and len(m["num"]) == 2 == len(text[start:end]):
                quantity = _year_end(previous, quantity)
            elif exponent and not exponents[-1] and previous.kind == "number" and tables.joiner_re.match(between):
                # "von 25 auf 55 Mrd.", "2 to 3 million": the scale word is said once for both
                scaled = _integral(previous.value * Decimal(10) ** exponent)
                out[-1] = previous._replace(value=scaled, alt=previous.value)
        out.append(quantity)
        exponents.append(exponent)
    return out


def _year_end(first: Quantity, end: Quantity) -> Quantity:
    """The end of "1950-51" as the year it stands for (1951; 51 the other reading)."""
    century = first.value - first.value % 100
    year = century + end.value if century + end.value > first.value else century + 100 + end.value
    return end._replace(value=year, kind="year", alt=end.value)


def _digit_quantity(text: str, m: re.Match, tables: _Tables) -> tuple[Quantity, int] | None:
    """The quantity a match of ``number_re`` reads, with the exponent of its scale word."""
    num, scale, cur, pct = m["num"], m["scale"], m["cur"], m["pct"]
    start, end = m.span()
    before = tables.money_before_re.search(text, max(0, start - 8), start)
    pre = before.group().strip(_SPACES) if before else None
    if before:
        start = before.start()
    exponent = 0
    if m["glued"] and pre:  # "$5m"; "5m" is five metres
        exponent = tables.scales[m["glued"]]
    elif scale:
        exponent = tables.scales.get(_spaced_key(scale), tables.scales.get(_key(scale), 0))
    reading = _read_number(num, m["sep"] is not None, tables, text, pct is not None, bool(scale))
    if reading is None:
        return None
    value = _integral(_as_decimal(reading.integer, reading.fraction) * (Decimal(10) ** exponent))
    alt = _integral(reading.alt * (Decimal(10) ** exponent)) if reading.alt is not None else None
    kind, unit = "number", ""
    if m["ord"]:
        kind = "ordinal"
        if tables.lang == "de" and len(num) > 3:  # "im Jahr 2009. Die…": the year ends a sentence
            kind, end = "number", m.end("num")
    elif pct:
        kind, unit = "percent", "%"
    elif pre or cur:
        kind, unit = "money", _currency_code(pre or cur, tables)
    if kind == "number" and not exponent and num.isdigit() and len(num) == 4 and 1000 <= int(num) <= 2099:
        kind = "year"
    foreign = reading.foreign
    symbol_after = bool(cur) and tables.currency.get(cur, ("", ""))[1] == "symbol"
    if tables.english and (symbol_after or (pct == "%" and m["pctsp"])):
        foreign = True
    english = ""
    if foreign:
        english = _english_form(text, m, reading, start, end, symbol_after)
    return Quantity(start, end, value, kind, unit, False, foreign, english, alt), exponent


def _currency_code(form: str, tables: _Tables) -> str:
    form = form.strip(_SPACES)
    found = tables.currency.get(form) or tables.currency.get(_key(form))
    return found[0] if found else ""


def _english_form(text: str, m: re.Match, reading: _Reading, start: int, end: int, symbol_after: bool) -> str:
    """The matched text written the English way: the number, "%" without a space, a
    currency sign before the number."""
    number = _english_number(reading)
    if symbol_after:
        middle = text[m.end("num"):m.start("cur")].rstrip(_SPACES)
        return m["cur"] + number + middle
    before = text[start:m.start("num")]
    after = text[m.end("num"):end]
    if m["pct"] == "%":
        after = after.replace(m["pctsp"] + "%", "%", 1) if m["pctsp"] else after
    return before + number + after


# -- spelled numbers -------------------------------------------------------------------------------
class _Token:
    """A word or mark of the text as text2num reads it (its token protocol)."""

    __slots__ = ("end", "start", "word")

    def __init__(self, word: str, start: int, end: int):
        self.word = word
        self.start, self.end = start, end

    def text(self) -> str:
        return self.word

    def nt_separated(self, _previous) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


_STOP = _Token(".", -1, -1)  # between two runs of number words
_CONTEXT = 14  # characters of context kept on each side of a number word: two short words


def _has_number_word(text: str, words: list[str], tables: _Tables) -> bool:
    """Whether ``text``, whose lower-case words are ``words``, holds a spelled number other
    than a lone "one": text2num reads each new word of the language once, and only texts
    with one are handed to it whole."""
    if not tables.known_words.issuperset(words):
        new = set(words) - tables.known_words
        from text_to_num import text2num  # type: ignore[import-untyped]  # no type information

        if len(tables.known_words) > 50_000:  # a bound on the memory of a long-running process
            tables.known_words.clear()
            tables.number_words.clear()
            tables.one_words.clear()
        for word in new:
            with contextlib.suppress(ValueError):  # no number word
                (tables.number_words if text2num(word, tables.lang) != 1 else tables.one_words).add(word)
        tables.known_words |= new
    if not tables.number_words.isdisjoint(words) or not tables.scale_words.isdisjoint(words):
        return True
    if not tables.century_words.isdisjoint(words):  # "fifteenth century": text2num reads no ordinal alone
        return True
    # "one percent", "um por cento": a one is a number before a percent word
    return not tables.one_words.isdisjoint(words) and tables.one_percent_re.search(text) is not None


def _find_spelled(text: str, words: list[str], tables: _Tables, taken: list[tuple[int, int]]) -> list[Quantity]:
    """The spelled numbers of ``text`` (whose lower-case words are ``words``) outside the
    spans ``taken``."""
    from text_to_num import find_numbers

    out = []
    tokens = _number_tokens(text, words, tables)
    for occurrence in find_numbers(tokens, tables.lang, 0.0):
        first_index = occurrence.start
        first, last = tokens[first_index], tokens[occurrence.end - 1]
        start, end = first.start, last.end
        if first.word.isdigit() or last.word.isdigit() or _overlaps(start, end, taken):
            continue
        if occurrence.is_ordinal and not _of_a_century(text, start, end, tables):
            continue
        value = Decimal(repr(occurrence.value))
        single = occurrence.end - occurrence.start == 1
        after = tables.unit_after.match(text, end)
        if single and first.word.lower() in _NUMBER_HOMOGRAPHS.get(tables.lang, ()) and not after:
            continue
        if single and tables.percent_end_re.search(text, max(0, end - 24), end):
            continue  # the "cent" of "pour cent"
        if value < 100 and first.word[0].isupper() and _inside_sentence(text, start):
            continue  # "Otto", German "die Elf": a name or a noun
        if single and value >= 100 and value == Decimal(10) ** (len(str(int(value))) - 1):
            bare = _bare_scale(text, tokens, first_index, value, tables)
            if bare is None:
                continue
            start, value = bare
        value, end = _and_a_half(text, end, value, tables)
        kind, unit = ("ordinal" if occurrence.is_ordinal else "number"), ""
        after = tables.unit_after.match(text, end)
        if after:
            kind, unit = ("percent", "%") if after["pct"] else ("money", _currency_code(after["cur"], tables))
            end = after.end()
        out.append(Quantity(start, end, _integral(value), kind, unit, spelled=True))
        taken.append((start, end))
    # "mezzo milione", "a million": a scale word that text2num reads only after a number
    for m in tables.article_scale_re.finditer(text):
        if not _overlaps(m.start(), m.end(), taken):
            value = Decimal(10) ** tables.scales[_key(m["scale"])] / (2 if m["half"] else 1)
            out.append(Quantity(m.start(), m.end(), _integral(value), "number", spelled=True))
            taken.append(m.span())
    return out


def _number_tokens(text: str, words: list[str], tables: _Tables) -> list[_Token]:
    """The tokens of ``text`` around its number words (a few words of context on each
    side: the "et" of "vingt et un", the "first" of "twenty-first"), a full stop between
    two stretches. text2num reads these few tokens much faster than the whole sentence,
    and reads them the same."""
    # text2num reads some words only after a number (it "milioni", "mila"): CLDR's scale words
    found = tables.number_words.union(tables.scale_words, tables.century_words).intersection(words)
    if not found:  # "one percent": the one itself (elsewhere in the context of the other numbers)
        found = tables.one_words.intersection(words)
    low = text.lower()
    if len(low) != len(text):  # a character whose lower case is longer: offsets would move
        return [_Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]
    stretches: list[list[int]] = []
    for word in found:
        at = low.find(word)
        while at != -1:
            end = at + len(word)
            if not (at and low[at - 1].isalpha()) and not (end < len(low) and low[end].isalpha()):
                stretches.append([max(0, at - _CONTEXT), min(len(text), end + _CONTEXT)])
            at = low.find(word, end)
    stretches.sort()
    merged: list[list[int]] = []
    for stretch in stretches:
        if merged and stretch[0] <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], stretch[1])
        else:
            merged.append(stretch)
    tokens: list[_Token] = []
    for lo, hi in merged:
        part = [_Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text, lo, hi)]
        # a word cut by the stretch's edge is no token
        if part and lo > 0 and text[lo - 1].isalnum() and part[0].start == lo:
            part.pop(0)
        if part and hi < len(text) and text[hi].isalnum() and part[-1].end == hi:
            part.pop()
        if tokens:
            tokens.append(_STOP)
        tokens.extend(part)
    return tokens


def _inside_sentence(text: str, start: int) -> bool:
    """Whether ``start`` follows a word or a comma rather than a sentence's start."""
    before = text[max(0, start - 8):start].rstrip()
    return bool(before) and before[-1] not in ".!?:;\"'“‘«([—–-"


def _bare_scale(text: str, tokens: list[_Token], index: int, value: Decimal, tables: _Tables) -> tuple[int, Decimal] | None:
    """Where a lone scale word's number starts, and its value: at its article ("a million",
    "eine Million") or its half ("half a million", "medio millón": half the value); at the
    word itself for a singular hundred or thousand outside English ("mil", "hundert"); None
    for a vague one ("millions of", "cientos de", "several hundred") or a lone million."""
    start = tokens[index].start
    half = tables.half_before_re.search(text, max(0, start - 32), start)
    if half is not None:
        return half.start(), value / 2
    if index > 0:
        article = tokens[index - 1].word.lower()
        if tables.article_re.fullmatch(article):
            return tokens[index - 1].start, value
    word = tokens[index].word.lower()
    if value > 1000 or tables.english or word.endswith(("s",) + _PLURAL_END.get(tables.lang, ())):
        return None
    return start, value


def _and_a_half(text: str, end: int, value: Decimal, tables: _Tables) -> tuple[Decimal, int]:
    """A spelled number with the half that follows it: "tres millones y medio" (3.5 million),
    "three and a half million", "dos y medio"; the value and end as they were without one."""
    m = tables.and_half_re.match(text, end)
    if m is None:
        return value, end
    if m["scale"]:
        return (value + Decimal("0.5")) * Decimal(10) ** tables.scales.get(_key(m["scale"]), 0), m.end()
    unit = next((u for u in (Decimal(10) ** 9, Decimal(10) ** 6, Decimal(1000)) if value >= u and value % u == 0), Decimal(1))
    return value + unit / 2, m.end()


def _drop_lone_ones(text: str, found: list[Quantity], tables: _Tables) -> list[Quantity]:
    """Spelled ones only beside another spelled number ("one or two", "uno a dos"):
    elsewhere "one", "un", "ein" are articles or pronouns."""
    out = []
    for i, q in enumerate(found):
        if q.spelled and q.value == 1 and q.kind == "number":
            before = found[i - 1] if i else None
            after = found[i + 1] if i + 1 < len(found) else None
            beside = (before is not None and before.spelled and tables.joiner_re.match(text[before.end:q.start])) or (
                after is not None and after.spelled and tables.joiner_re.match(text[q.end:after.start]))
            if not beside:
                continue
        out.append(q)
    return out


# -- moments ------------------------------------------------------------------------------------------
def _find_moments(text: str, tables: _Tables) -> tuple[list[Moment], list[tuple[int, int]], set[tuple[int, int]]]:
    """The moments of ``text``, the spans whose numbers they take, and the spans of their
    years (which stay quantities too)."""
    found: list[Moment] = []
    masked: list[tuple[int, int]] = []
    years: set[tuple[int, int]] = set()
    match, search = tables.moment_re.match, tables.moment_start_re.search
    lead = search(text)
    while lead is not None:
        m = match(text, lead.start())
        if m is None:
            lead = search(text, lead.start() + 1)
            continue
        read = _read_moment(text, m, tables)
        # a match that is no moment after all ("um 3 Prozent") leaves its digits to the others
        lead = search(text, m.end() if read else lead.start() + 1)
        found.extend(read)
        if read and not (m["ma"] or m["wa"]):
            masked.append(m.span())
            years.update(m.span(name) for name in ("a_y", "b_y", "c_y", "d_y", "d_iy") if m[name])
    return found, masked, years


def _read_moment(text: str, m: re.Match, tables: _Tables) -> list[Moment]:
    start, end = m.span()
    if m["dmy"] or m["mdy"]:
        p = "a_" if m["dmy"] else "b_"
        month = tables.months.get(_key(m[p + "m"]))
        year = int(m[p + "y"]) if m[p + "y"] else None
        weekday = tables.weekdays.get(_key(m[p + "wd"])) if m[p + "wd"] else None
        d1, d2 = int(m[p + "d1"]), m[p + "d2"]
        if d2 is None:
            return [Moment(start, end, month, d1, year, weekday)]
        # a range of days: one moment per day ("24-26 de enero", "January 24-26")
        return [Moment(start, m.end(p + "d1"), month, d1, year, weekday), Moment(m.start(p + "d2"), end, month, int(d2), year)]
    if m["my"]:
        return [Moment(start, end, tables.months.get(_key(m["c_m"])), None, int(m["c_y"]))]
    if m["nd"]:
        return _numeric_date(m, tables)
    if m["ma"]:
        return _lone_month(text, m, tables)
    if m["wa"]:
        return [Moment(start, m.end("wa"), weekday=tables.weekdays.get(_key(m["wa"])))]
    return _time(m, tables)


def _numeric_date(m: re.Match, tables: _Tables) -> list[Moment]:
    start, end = m.span()
    if m["d_iy"]:
        return [Moment(start, end, int(m["d_im"]), int(m["d_id"]), int(m["d_iy"]))]
    a, b, year = int(m["d_a"]), int(m["d_b"]), int(m["d_y"])
    day, month = (b, a) if tables.english and m["d_s"] == "/" and b > 12 else (a, b)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return []
    return [Moment(start, end, month, day, year)]


def _lone_month(text: str, m: re.Match, tables: _Tables) -> list[Moment]:
    name = _key(m["ma"])
    if name in _MONTH_HOMOGRAPHS.get(tables.lang, ()):
        return []
    if tables.english:
        before = tables.month_context_re.search(text, max(0, m.start() - 24), m.start())
        if before is None or before.group(1).lower() not in _ENGLISH_MONTH_CONTEXT:
            return []
    return [Moment(m.start(), m.end(), month=tables.months.get(name))]


def _time(m: re.Match, tables: _Tables) -> list[Moment]:
    for prefix in ("e_", "f_", "g_", "h_", "i_", "j_"):
        hour_text = m.groupdict().get(prefix + "h")
        if hour_text is not None:
            break
    else:
        return []
    hour = int(hour_text)
    minute_text = m[prefix + "mi"] or (m["i_m2"] if prefix == "i_" else None)
    period = m.groupdict().get(prefix + "p")
    if prefix == "g_" and m["g_sp"] and minute_text is None:
        return []  # "3 h" alone is as likely three hours
    if prefix == "i_" and minute_text is None and period is None and m["i_w"] is None:
        return []  # "um 3": a bare number after a preposition
    if period:
        part = tables.periods.get(_period_key(period), "")
        if hour > 12:
            pass  # a 24-hour hour with a part of the day: as written
        elif part == "am":
            hour = 0 if hour == 12 else hour
        elif part == "pm" or (part == "night" and hour >= 6):
            hour = hour if hour == 12 else hour + 12
    hour %= 24  # "24:00"
    start = m.start(prefix + "h")
    return [Moment(start, m.end(), hour=hour, minute=int(minute_text) if minute_text else 0)]
