"""Checks of a translation against its source (``Document.source``: the source and the
alignment of their sentences, ``mtreview/bilingual/pairing.py``). Without a source they find
nothing. What they find reads as fluent English: only the source shows it.

Sentences are compared link by link (the source sentences a target sentence translates).
A check's hit carries the source spans it rests on (``source_marks``), which the review page
marks in the source sentence shown beside the finding.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from mtreview.bilingual.pairing import expected_ratio
from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.document import Document, Link
from mtreview.matching.api import Hit
from mtreview.rule import Rule
from mtreview.textpatterns import excerpt


def _links(doc: Document) -> Iterator[Link]:
    if doc.source is not None:
        yield from doc.source.links


def _words(text: str) -> int:
    return len(text.split())


@check(
    scope="document",
    id="bilingual.omission",
    category="accuracy/omission",
    severity="warning",
    message="Not translated: the source has “{source}” here",
    why="""A sentence of the source has no translation: machine translation drops sentences
        (a short one next to a long one, a caption, the last sentence of a paragraph) and the
        English still reads well. Found by aligning the two texts sentence by sentence.""",
    instead="Translate the missing sentence where it belongs.",
    options={"min_words": 3},
    examples={
        "bad": [
            {"text": "The talks lasted until late. []A second round is planned for next month.",
             "source": "Las conversaciones duraron hasta tarde. Terminaron sin una declaración conjunta. "
                       "Se prevé una segunda ronda el mes próximo."},
            {"text": "[]Since the European Union and India are trading partners, trade topped the agenda of the "
                     "summit.",
             "source": "La Unión Europea duplica su comercio con la India\n\nComo la Unión Europea y la India son "
                       "socios comerciales, el comercio encabezó la agenda de la cumbre."},
        ],
        "good": [
            {"text": "The talks lasted until late. They ended without a joint statement.",
             "source": "Las conversaciones duraron hasta tarde. Terminaron sin una declaración conjunta."},
            {"text": "The talks lasted until late and ended without a joint statement.",
             "source": "Las conversaciones duraron hasta tarde. Terminaron sin una declaración conjunta."},
        ],
    },
)
def omission(doc: Document, rule: Rule) -> Iterator[Hit]:
    min_words = int(rule.options.get("min_words", 3))
    source = doc.source
    for link in _links(doc):
        if link.target.start == link.target.end and link.source.end > link.source.start:
            assert source is not None
            text = source.doc.text[link.source.start : link.source.end]
            if _words(text) >= min_words:
                yield Hit(rule, link.target.start, link.target.start, {"source": excerpt(text)},
                          source_marks=((link.source.start, link.source.end),))


@check(
    scope="document",
    id="bilingual.addition",
    category="accuracy/addition",
    severity="info",
    message="Not in the source: this sentence translates nothing there",
    why="""A sentence of the translation matches nothing in the source: machine translation
        sometimes repeats or invents a sentence, and an editor may have added one (a credit
        line, a correction). Check it belongs.""",
    instead="Delete the sentence, or keep it if the desk added it on purpose.",
    options={"min_words": 4},
    examples={
        "bad": [
            {"text": "The talks lasted until late. [The ministers will meet again in the spring of next "
                     "year.] A second round is planned for next month.",
             "source": "Las conversaciones duraron hasta tarde. Se prevé una segunda ronda el mes próximo."},
        ],
        "good": [
            {"text": "The talks lasted until late. A second round is planned for next month.",
             "source": "Las conversaciones duraron hasta tarde. Se prevé una segunda ronda el mes próximo."},
        ],
    },
)
def addition(doc: Document, rule: Rule) -> Iterator[Hit]:
    min_words = int(rule.options.get("min_words", 4))
    for link in _links(doc):
        if link.source.start == link.source.end and link.target.end > link.target.start:
            if _words(doc.text[link.target.start : link.target.end]) >= min_words:
                yield Hit(rule, link.target.start, link.target.end)


@check(
    scope="document",
    id="bilingual.shortened",
    category="accuracy/omission",
    severity="warning",
    message="Much shorter than its source (“{source}”): part of it may be missing",
    why="""A translation is shorter or longer than its source by a ratio that holds across a
        document; a sentence far shorter than that ratio predicts has usually lost a clause or
        a whole sentence that machine translation ran into its neighbour. The ratio is learned
        from the document itself.""",
    instead="Compare with the source and translate what is missing.",
    options={"max_sigma": 3.0, "min_words": 12},
    examples={
        "bad": [
            {"text": "The talks lasted until late. [The ministers met.] A second round is planned for next "
                     "month.",
             "source": "Las conversaciones duraron hasta tarde. Los ministros se reunieron el martes en "
                       "Bruselas con el fin de acordar una posición común sobre las sanciones y la ayuda "
                       "militar. Se prevé una segunda ronda el mes próximo."},
        ],
        "good": [
            {"text": "The talks lasted until late. The ministers met on Tuesday in Brussels to agree on a "
                     "common position on sanctions and military aid. A second round is planned for next "
                     "month.",
             "source": "Las conversaciones duraron hasta tarde. Los ministros se reunieron el martes en "
                       "Bruselas con el fin de acordar una posición común sobre las sanciones y la ayuda "
                       "militar. Se prevé una segunda ronda el mes próximo."},
        ],
    },
)
def shortened(doc: Document, rule: Rule) -> Iterator[Hit]:
    max_sigma = float(rule.options.get("max_sigma", 3.0))
    min_words = int(rule.options.get("min_words", 12))
    source = doc.source
    for link in _links(doc):
        t, s = link.target, link.source
        if t.end == t.start or s.end == s.start:
            continue
        assert source is not None
        source_text = source.doc.text[s.start : s.end]
        if _words(source_text) < min_words:
            continue
        if expected_ratio(t.end - t.start, s.end - s.start, source.ratio) < -max_sigma:
            yield Hit(rule, t.start, t.end, {"source": excerpt(source_text)}, source_marks=((s.start, s.end),))


# -- numbers and dates ----------------------------------------------------------------------------
def _lang(doc: Document) -> str:
    return doc.source.lang if doc.source is not None and doc.source.lang else "es"


class _NumberDiff(NamedTuple):
    link: Link
    target: str
    source: str
    missing: list  # the source's quantities the sentence lacks (figures only)
    added: list  # the sentence's quantities the source lacks (figures only)


def _number_diffs(doc: Document) -> Iterator[_NumberDiff]:
    """For each pair of sentences, the numbers one has and the other lacks (a number in
    words meets the same number in figures; a continental form in the English, "8.500",
    meets the source's 8,500; a decade, "años 50", meets "1950s"; the day of a source date
    meets a date of the English or a number). A source number the English need not repeat
    is not missing: a day, year or hour the English has in a date, an ordinal the English
    spells ("60.ª edición", "sixtieth"), a metric measure the English gives in other units
    (km and miles)."""
    from mtreview.bilingual.quantities import Quantity, moments, quantities

    lang = _lang(doc)
    for link, target, original in doc.sentence_pairs():
        if not any(c.isdigit() for c in original + target):
            continue
        ours = quantities(target, "en")
        their_days = [Quantity(m.start, m.end, Decimal(m.day), "day") for m in moments(original, lang) if m.day is not None]
        our_days = {m.day for m in moments(target, "en")}
        used: set[int] = set()
        missing = []
        for q in quantities(original, lang) + their_days:
            k = next((k for k, t in enumerate(ours) if k not in used and _same(q, t)), None)
            if k is not None:
                used.add(k)
            elif q.kind == "day":
                if q.value not in our_days:
                    missing.append(q)
            elif not q.spelled and not _said_otherwise(q, original, target, moments):
                missing.append(q)
        added = [t for k, t in enumerate(ours) if k not in used and not t.spelled]
        if missing or added:
            yield _NumberDiff(link, target, original, missing, added)


def _values(q) -> set:
    return {q.value} if q.alt is None else {q.value, q.alt}


def _same(source, target) -> bool:
    if _values(source) & _values(target):
        return True
    v = source.value  # "los años 50", "les années 50", "die 50er Jahre": the 1950s
    return v in _DECADES and target.kind in ("year", "number") and target.value in (1900 + v, 2000 + v)


_DECADES = frozenset(range(10, 100, 10))
# a measure after a source number, and the English units it may become
_METRIC = (r"\s?(?:km/h|kph|km|kms|kilómetros?|kilometers?|kilometres?|meters?|metres?|liters?|kilograms?|"
           r"kilomètres?|chilometri|quilômetros?|quilómetros?|kilometern?|"
           r"kg|kilos?|kilogram\w*|m|metros?|mètres?|metri|metern?|cm|°\s?C|ºC|grados|degrés?|gradi|graus|"
           r"l|litros?|litres?|litri|litern?|hectáreas?|hectares?|ettari|hektar)\b")
_METRIC_RE = compile_pattern(_METRIC, re.IGNORECASE)
_MEASURE_RE = compile_pattern(r"\d" + _METRIC, re.IGNORECASE)
_IMPERIAL_RE = compile_pattern(r"\b(?:miles?|mph|pounds?|lbs?|ounces?|oz|feet|foot|ft|inch(?:es)?|yards?|gallons?|"
                               r"acres?|Fahrenheit)\b|°\s?F\b|\(F\)")
_ORDINAL_UNITS = ("", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_ORDINAL_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
                  "seventeenth", "eighteenth", "nineteenth")
_TENS = ("", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet")


def _english_ordinal(n: int) -> str:
    """"sixtieth" for 60, "twenty-first" for 21 (1–99)."""
    if n < 10:
        return _ORDINAL_UNITS[n]
    if n < 20:
        return _ORDINAL_TEENS[n - 10]
    tens, units = divmod(n, 10)
    return _TENS[tens] + ("ieth" if not units else "y-" + _ORDINAL_UNITS[units])


def _said_otherwise(q, original: str, target: str, moments) -> bool:
    """Whether the English has the source's number ``q`` in another form than a number."""
    if q.kind == "ordinal" and 0 < q.value < 100 and q.value == int(q.value):
        if re.search(rf"\b{_english_ordinal(int(q.value))}\b", target, re.IGNORECASE):
            return True
    if any(q.value in (m.day, m.year, m.hour, m.minute) for m in moments(target, "en")):
        return True
    # converted: the English has other units, and fewer metric measures than the source
    return (bool(_METRIC_RE.match(original, q.end)) and _IMPERIAL_RE.search(target) is not None
            and len(_MEASURE_RE.findall(target)) < len(_MEASURE_RE.findall(original)))


def _shown(diff: _NumberDiff) -> tuple[str, tuple[tuple[int, int], ...]]:
    s0 = diff.link.source.start
    return (", ".join(f"“{diff.source[q.start : q.end]}”" for q in diff.missing),
            tuple((s0 + q.start, s0 + q.end) for q in diff.missing))


@check(
    scope="document",
    id="bilingual.number",
    category="accuracy/mistranslation",
    severity="error",
    message="“{0}” is not the source's number: the source has {source}",
    why="""A number that differs from the source's reads as fluent English: only the source
        shows that 8.500 became 5,800. Numbers are read in each language's own form (8.500
        and 3,5 % in Spanish are 8,500 and 3.5% in English; "1,2 millones" is 1.2 million),
        and a number in words on one side meets the same number in figures on the other.""",
    instead="The source's number, in English form: “8,500 soldiers”.",
    examples={
        "bad": [
            {"text": "The Pentagon put [5,800] soldiers on alert.",
             "source": "El Pentágono puso en alerta a 8.500 soldados."},
        ],
        "good": [
            {"text": "The Pentagon put 8,500 soldiers on alert.", "source": "El Pentágono puso en alerta a 8.500 soldados."},
            {"text": "Unemployment rose to 14.5% in two years.", "source": "El paro subió al 14,5 % en dos años."},
            {"text": "The plan costs 1.2 million euros.", "source": "El plan cuesta 1,2 millones de euros."},
        ],
    },
)
def number(doc: Document, rule: Rule) -> Iterator[Hit]:
    for diff in _number_diffs(doc):
        if diff.missing and diff.added:
            shown, marks = _shown(diff)
            for t in sorted(_stand_ins(diff), key=lambda t: t.start):
                start = diff.link.target.start + t.start
                yield Hit(rule, start, start + (t.end - t.start), {"source": shown}, source_marks=marks)


def _stand_ins(diff: _NumberDiff) -> list:
    """The English numbers that stand where the source's missing ones were: for each
    missing number, the added one most like it (of its kind, then nearest in magnitude);
    an added number left over is the translator's own (a conversion, a figure spelled out
    in the source)."""
    left, chosen = list(diff.added), []
    for q in diff.missing:
        if not left:
            break
        best = min(left, key=lambda t: (_kind_of(t) != _kind_of(q), abs(_magnitude(t.value) - _magnitude(q.value))))
        left.remove(best)
        chosen.append(best)
    return chosen


def _kind_of(q) -> str:
    return "number" if q.kind in ("day", "year") else q.kind


def _magnitude(value: Decimal) -> float:
    return math.log10(abs(float(value)) + 1)


@check(
    scope="document",
    id="bilingual.number-missing",
    category="accuracy/omission",
    severity="info",
    message="The source's {source} is not in this sentence",
    why="""A number of the source that the translation leaves out is a fact lost: a
        percentage, a sum, a count of victims. It is not flagged when the sentence has the
        number in words.""",
    instead="Put the number in: “rose to 14.5%”.",
    examples={
        "bad": [
            {"text": "[Unemployment rose to a record.]", "source": "El paro subió al 14,5 %."},
        ],
        "good": [
            {"text": "Unemployment rose to 14.5%.", "source": "El paro subió al 14,5 %."},
            {"text": "Two people died.", "source": "Murieron 2 personas."},
        ],
    },
)
def number_missing(doc: Document, rule: Rule) -> Iterator[Hit]:
    for diff in _number_diffs(doc):
        if diff.missing and not diff.added:
            shown, marks = _shown(diff)
            yield Hit(rule, diff.link.target.start, diff.link.target.end, {"source": shown}, source_marks=marks)


@check(
    scope="document",
    id="bilingual.date",
    category="accuracy/mistranslation",
    severity="error",
    message="{problem}",
    why="""Dates and times change meaning with one digit and still read well: “24 de enero”
        must stay January 24, “el lunes” Monday, “15h00” 3 p.m. Dates, weekdays and times are
        read in each language's own form (month and weekday names from the CLDR data).""",
    instead="The source's date or time: “on Monday, January 24, at 3 p.m.”.",
    examples={
        "bad": [
            {"text": "The ministers met on [January 27] in Paris.",
             "source": "Los ministros se reunieron el 24 de enero en París."},
            {"text": "The ministers met on [Tuesday] in Paris.", "source": "Los ministros se reunieron el lunes en París."},
        ],
        "good": [
            {"text": "The ministers met on January 24 in Paris.",
             "source": "Los ministros se reunieron el 24 de enero en París."},
            {"text": "The talks start at 3 p.m. on Monday.", "source": "Las conversaciones empiezan el lunes a las 15h00."},
        ],
    },
)
def date(doc: Document, rule: Rule) -> Iterator[Hit]:
    from mtreview.bilingual.quantities import moments

    lang = _lang(doc)
    for link, target, original in doc.sentence_pairs():
        theirs, ours = moments(original, lang), moments(target, "en")
        if not theirs or not ours:
            continue
        for attr, show in (("day", _day_text), ("weekday", _weekday_text), ("time", _time_text)):
            want = [m for m in theirs if _key(m, attr) is not None]
            have = [m for m in ours if _key(m, attr) is not None]
            if not want or not have:
                continue
            wanted = {_key(m, attr) for m in want}
            for m in have:
                if _key(m, attr) not in wanted and not _compatible(_key(m, attr), wanted, attr):
                    problem = f"“{target[m.start : m.end]}” is not the source's {show(want, original)}"
                    s0 = link.source.start
                    yield Hit(rule, link.target.start + m.start, link.target.start + m.end, {"problem": problem},
                              message=problem, source_marks=tuple((s0 + w.start, s0 + w.end) for w in want))


def _key(m, attr: str):
    if attr == "day":
        return (m.month, m.day) if m.month is not None and m.day is not None else None
    if attr == "weekday":
        return m.weekday
    return (m.hour, m.minute or 0) if m.hour is not None else None


def _compatible(key, wanted: set, attr: str) -> bool:
    """A 12-hour reading of a time meets its 24-hour source (3 and 15)."""
    return attr == "time" and any(h % 12 == key[0] % 12 and mi == key[1] for h, mi in wanted)


def _day_text(want, original: str) -> str:
    return "date " + ", ".join(f"“{original[m.start : m.end]}”" for m in want)


def _weekday_text(want, original: str) -> str:
    return "day " + ", ".join(f"“{original[m.start : m.end]}”" for m in want)


def _time_text(want, original: str) -> str:
    return "time " + ", ".join(f"“{original[m.start : m.end]}”" for m in want)


# -- untranslated text ----------------------------------------------------------------------------
_LETTERS_RE = compile_pattern(r"[^\W\d_]{2,}")


@check(
    scope="document",
    id="bilingual.untranslated",
    category="accuracy/untranslated",
    severity="error",
    message="Not translated: this sentence is {what}",
    why="""A sentence left in the source language (copied through, or returned untranslated by
        the MT system) is invisible to English-only checks that look for English mistakes.
        Found when the sentence is the source sentence itself, or when a language identifier
        (fastText's, shipped in the package) reads it as the source language. A sentence the
        source itself quotes in English (a tweet, a statement) is not flagged.""",
    instead="Translate the sentence.",
    examples={
        "bad": [
            {"text": "The talks lasted until late. [El Gobierno no va a ceder en ninguna de sus exigencias.]",
             "source": "Las conversaciones duraron hasta tarde. El Gobierno no va a ceder en ninguna de sus exigencias."},
        ],
        "good": [
            {"text": "The talks lasted until late. The government will not give in on any of its demands.",
             "source": "Las conversaciones duraron hasta tarde. El Gobierno no va a ceder en ninguna de sus exigencias."},
            {"text": "Real Madrid 2, Barcelona 1.", "source": "Real Madrid 2, Barcelona 1."},
            {"text": "The minister wrote on Twitter. We stand with our allies today, and we will not waver.",
             "source": "El ministro escribió en Twitter. We stand with our allies today, and we will not waver."},
        ],
    },
)
def untranslated(doc: Document, rule: Rule) -> Iterator[Hit]:
    from babel import Locale

    from mtreview.bilingual.langid import language_of

    lang = _lang(doc)
    for link, target, original in doc.sentence_pairs():
        words = _LETTERS_RE.findall(target)
        if len(words) < 4 or not any(w[0].islower() for w in words):
            continue
        if _plain(target) == _plain(original):
            if language_of(original, ("en", lang))[0] == "en":
                continue  # English in the source too: a quoted tweet, a statement
            what = "the source sentence as it is"
        elif _english(words):
            continue
        elif language_of(target, ("en", lang))[0] == lang:
            what = f"in {Locale('en').languages.get(lang, lang)}"
        else:
            continue
        yield Hit(rule, link.target.start, link.target.end, {"what": what},
                  source_marks=((link.source.start, link.source.end),))


def _english(words: list[str]) -> bool:
    """Whether a sentence's lower-case words are nearly all common English words: English,
    without asking the language model (``ENGLISH_SHARE``)."""
    from mtreview.bilingual.lexicon import common

    lower = [w for w in words if w[0].islower()]
    return len(lower) >= 4 and sum(common(w, "en") for w in lower) >= ENGLISH_SHARE * len(lower)


#: The share of common English words (pyspellchecker's English list) from which a sentence
#: is taken as English: a sentence in one of the source languages has 0–50 % ("no", "a", "de").
ENGLISH_SHARE = 0.8


def _plain(text: str) -> str:
    return " ".join(text.split()).casefold()


@check(
    scope="document",
    id="bilingual.untranslated-words",
    category="accuracy/untranslated",
    severity="warning",
    message="Untranslated words: “{0}” is still in the source language",
    why="""MT sometimes leaves a clause of the source in the middle of an English sentence
        (a phrase it could not translate, a quotation). Runs of three words or more that
        read as the source language and not as English, outside quotation marks and names.""",
    instead="Translate the words.",
    examples={
        "bad": [
            {"text": "The minister said that [el gobierno no piensa negociar] on the issue.",
             "source": "El ministro dijo que el gobierno no piensa negociar sobre la cuestión."},
        ],
        "good": [
            {"text": "The minister said that the government will not give in on the issue.",
             "source": "El ministro dijo que el gobierno no va a ceder en la cuestión."},
            {"text": "The plan was a fait accompli, the minister said.",
             "source": "El plan era un hecho consumado, dijo el ministro."},
        ],
    },
)
def untranslated_words(doc: Document, rule: Rule) -> Iterator[Hit]:
    from mtreview.bilingual.langid import foreign_runs

    lang = _lang(doc)
    for link, target, _ in doc.sentence_pairs():
        for start, end in foreign_runs(target, lang):
            yield Hit(rule, link.target.start + start, link.target.start + end)


# -- names ----------------------------------------------------------------------------------------
@check(
    scope="document",
    id="bilingual.name",
    category="accuracy/mistranslation",
    severity="warning",
    message="{problem}",
    why="""A name the translation puts in place of the source's (a person, a place, an
        organisation, a handle or a link) reads as fluent English: only the source shows
        that Barroso became Solana. A name counts as the source's when it is the same
        (case and accents aside), a transliteration (same first four letters: Zelenski,
        Zelensky), a cognate, an acronym of the same letters (OTAN, NATO) or a listed one
        (EE.UU., US), or the English name of a country, language, month or day (CLDR) or of
        a common institution. A source name counts as one the English should keep when the
        English keeps it elsewhere in the document or it is no common word of the source
        language (a translated name, "Gobierno", "Verde", is; in German, where every noun is
        capitalised, no word of the German list nor a compound of them); an English name
        counts as put in its place when it is no common English word ("Green", "Minister"
        are translations) and no name of the source sentences around it, when it stands
        beside the same name as the source's did ("Morgan Grant" for "Morgan Stanley"), or
        when it is the only one left and stands alone where the source's did ("the county
        of Brown" for "el condado de Essex"; not a people, "Dutch" for "Holanda"). A name the
        source gives twice and the English once is missing at its second place. Sentences
        in title case have no names.""",
    instead="The source's name: “José Manuel Barroso”.",
    examples={
        "bad": [
            {"text": "The plan was presented by Commission President [Solana] in Brussels.",
             "source": "El plan fue presentado por el presidente de la Comisión, Barroso, en Bruselas."},
            {"text": "Last week the bank Morgan [Grant] took the new status.",
             "source": "La semana pasada el banco Morgan Stanley adoptó el nuevo estatuto."},
            {"text": "Follow the updates at [@NATOpress].",
             "source": "Siga las novedades en @NATO."},
            {"text": "In Spain, Honda sold 8,000 cars, 6% of [Singh's] sales.",
             "source": "En España, Honda vendió 8.000 coches, el 6 % de las ventas de Honda."},
            {"text": "She died in the hospital of the county of [Brown].",
             "source": "Murió en el hospital del condado de Essex."},
        ],
        "good": [
            {"text": "The plan was presented by Commission President Barroso in Brussels.",
             "source": "El plan fue presentado por el presidente de la Comisión, Barroso, en Bruselas."},
            {"text": "The talks with Turkey and Germany will resume in the White House.",
             "source": "Las conversaciones con Turquía y Alemania se reanudarán en la Casa Blanca."},
            {"text": "President Volodymyr Zelensky thanked NATO and the U.S.",
             "source": "El presidente Volodímir Zelenski agradeció a la OTAN y a EE.UU."},
            {"text": "The talks ended as the Dutch government wished.",
             "source": "Las conversaciones terminaron como deseaba el Gobierno de Holanda."},
        ],
    },
)
def name(doc: Document, rule: Rule) -> Iterator[Hit]:
    from mtreview.bilingual import names as N

    source = doc.source
    if source is None:
        return
    lang = _lang(doc)
    source_words = N.tokens(source.doc.scan_text)
    starts = [w.start for w in source_words]
    spans = [link.source for link in source.links if link.source.end > link.source.start]
    kept = {w.key for w in N.tokens(doc.scan_text)}  # what the English keeps anywhere
    for link, target, original in doc.sentence_pairs():
        t_words, s_words = N.tokens(target), N.tokens(original)
        ours = N.names(target, t_words)
        if not ours or N.headline(t_words):
            continue
        added = [n for n in ours if not N.has(n, original, s_words, lang, False)]
        if not added:
            continue
        missing = N.missing(N.names(original, s_words), target, t_words, lang)
        t0, s0 = link.target.start, link.source.start
        # the source's names near this sentence: one the English names where the source says
        # "he" or "the minister" is no name put in another's place
        at = bisect_left(spans, link.source.start, key=lambda s: s.start)
        lo, hi = spans[max(0, at - NEARBY)].start, spans[min(len(spans) - 1, at + NEARBY)].end
        nearby = N.Index(source_words[bisect_left(starts, lo) : bisect_left(starts, hi)], lang)
        for n, m in _replaced(added, missing, target, t_words, original, s_words, lang, nearby, kept):
            problem = f"“{n.text}” is not in the source, which has “{m.text}” here"
            yield Hit(rule, t0 + n.start, t0 + n.end, {"problem": problem}, message=problem,
                      source_marks=((s0 + m.start, s0 + m.end),))


#: How many source sentences either side of a sentence may name whom the English names.
NEARBY = 2


def _replaced(added: list, missing: list, target: str, t_words: list, original: str, s_words: list, lang: str,
              source_index, kept: set) -> Iterator[tuple]:
    """The English names among ``added`` (not in the source sentence) that took the place of
    a source name among ``missing`` (not in the English sentence), each with that name. Only
    names nowhere in the source, and source names the English should have kept (it keeps
    them elsewhere, or they are no common word of the source language) count, and English
    names that are no common English word (no translation: "Old" for "Viejo"), but where
    an English name stands beside the same name as a source one does ("Morgan Grant" for
    "Morgan Stanley"): then a name that is no common word takes the place of any source
    name, a common word that of a source name that counts. The others take, in order, a
    missing name of their kind. A common word left over takes the place of a source name
    left over when each is the only one and they stand alone at the same place of their
    sentences ("the county of Brown" for "el condado del Essex", ``names.in_place``)."""
    from mtreview.bilingual import names as N

    left = [m for m in missing if m.kind in ("url", "email", "handle") or N.fold(m.text) in kept
            or (m.kind == "name" and not N.leans_source(m.text, lang))]
    added = [n for n in added if n.kind != "name" or not source_index.has(N.fold(n.text))]
    rest: list = []
    words: list = []
    for n in added:
        word = n.kind == "name" and N.leans_english(n.text)
        m = next((m for m in (left if word else missing) if m.kind == n.kind == "name"
                  and N.anchored(n, m, target, t_words, original, s_words)), None)
        if m is None:
            (words if word else rest).append(n)
            continue
        missing.remove(m)
        if m in left:
            left.remove(m)
        yield n, m
    pairs = list(_matched_kinds(rest, left))
    yield from pairs
    left = [m for m in left if m.kind == "name" and all(m is not p[1] for p in pairs)
            and not N.leans_source(m.text, lang)]
    words = [n for n in words if len(N.fold(n.text)) >= 4]  # not "As" for "Como"
    if len(words) == 1 and len(left) == 1 and N.in_place(words[0], left[0], target, t_words, original, s_words):
        yield words[0], left[0]


def _matched_kinds(added: list, missing: list) -> Iterator[tuple]:
    """Each added name with a missing name of its kind (a person for a person, an acronym
    for an acronym), in order."""
    left = list(missing)
    for n in added:
        m = next((m for m in left if m.kind == n.kind), None)
        if m is not None:
            left.remove(m)
            yield n, m
