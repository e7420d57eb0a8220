"""Parity checks of a translation against its source: a negation one side has and the other
lacks, a quotation or a parenthesis one side has and the other lacks or leaves open.

Both compare the sentences of each link of the alignment (``Document.source``,
``mtreview/bilingual/pairing.py``), as the checks of ``mtreview/checks/bilingual.py`` do.

Negations are read with one table per language (``NEGATIONS``): what negates (``negations``),
what has a negative meaning without being a plain negation (``weak``: "fail", "sans",
"senza", litotes, tag questions) and what looks like a negation and is none (``ignore``:
"sin embargo", "non seulement", "más que nunca"). A sentence is flagged only when one side
has a negation and the other has neither a negation nor a weak one: translators render "no"
as "failed to" or "unable", and that is no error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.document import Document
from mtreview.matching.api import Hit
from mtreview.rule import Rule
from mtreview.textpatterns import excerpt


def _lang(doc: Document) -> str | None:
    return doc.source.lang if doc.source is not None else None


# -- negation -------------------------------------------------------------------------------------
# Each entry is a phrase, matched case-insensitively on whole words: "*" ends a word that may
# go on ("fail*"), "…" stands for up to six words of the same clause ("ne … pas"), "#" for a
# number. A hyphen joins words into one ("non-proliferation", "no-fly" are no negations).
# The first entry that matches a place wins, in the order ignore, weak, negations, and
# longer entries before shorter ones.
NEGATIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "negations": (
            "not", "*n't", "cannot", "never", "no", "none", "nobody", "no one", "nothing", "nowhere",
            "neither", "nor",
        ),
        "weak": (
            # "not" that does not deny (the source has its own words for these)
            "not only", "not just", "not merely", "not least", "not surprisingly", "not very", "not much",
            "not really", "or not", "whether or not", "if not", "no doubt", "no matter", "no more than",
            "no less", "no *er than", "nothing but", "none other", '"no"', "“no”", "the no",
            # negative meaning
            "without", "fail*", "refus*", "deny", "denies", "denied", "denial*", "lack*", "absen*", "reject*",
            "impossib*", "hardly", "barely", "scarcely", "rather than", "instead of", "except*", "avoid*",
            "prevent*", "free of", "otherwise", "ban", "bans", "banned", "banning", "prohibit*",
            "non-*", "un*", "insufficient*", "inadequate*", "incapable", "inability", "invalid", "ineffective",
            "illegal*", "irrelevant", "improbabl*", "inconceivabl*", "incomplete", "inaccessible", "disagree*",
            "disapprov*", "dislike*", "dissatisf*", "regardless", "useless", "pointless", "powerless",
            "homeless", "hopeless", "harmless", "rare", "rarely", "seldom", "deficien*", "nothing else",
            "nothing more",
        ),
        "ignore": (
            "no. #", "no.#", "no #",
            # un- words that do not negate
            "un", "uni", "unit*", "union*", "univers*", "under*", "uniq*", "unif*", "unesco", "unload*",
            "unveil*", "unfold*", "until",
        ),
    },
    "es": {
        "negations": (
            "no", "nunca", "jamás", "tampoco", "nadie", "nada", "ningún", "ninguno", "ninguna", "ningunos",
            "ningunas", "ni",
        ),
        "weak": (
            # "only", which English often says with a negation ("nothing but", "no more than")
            "solo", "sólo", "solamente", "únicamente",
            "no solo", "no sólo", "no solamente", "no únicamente", "ni siquiera", "o no", "si no", "¿no?",
            "a no ser", "nada más", "casi nada", "antes que nada", "no poco*", "no muy", "no mucho",
            "no hace mucho", "más … que nunca", "menos … que nunca", "mejor … que nunca", "peor … que nunca",
            "mayor … que nunca", "más … que nadie", "mejor … que nadie", "más … jamás",
            "sin", "apenas", "insuficiente*", "imposible*", "incapa*", "evit*", "impedi*", "impid*", "falta*",
            "carec*", "niega*", "negó", "negar*", "rechaz*", "salvo", "excepto", "en lugar de", "en vez de",
            "lejos de", "dej* de", "poco", "poca", "pocos", "pocas", "demasiado*", "prohib*", "vetad*",
        ),
        "ignore": ("sin embargo", "no obstante"),
    },
    "fr": {
        "negations": (
            "ne … pas", "n' … pas", "ne … plus", "n' … plus", "ne … jamais", "n' … jamais", "ne … rien",
            "n' … rien", "ne … personne", "n' … personne", "ne … aucun*", "n' … aucun*", "ne … guère",
            "n' … guère", "ne … point", "n' … point", "ne … nul*", "n' … nul*", "ne … ni", "n' … ni",
            "personne ne", "personne n'", "rien ne", "rien n'", "aucun* ne", "aucun* n'", "nul* ne",
            "nul* n'", "jamais ne", "jamais n'", "non",
        ),
        "weak": (
            # "only", which English often says with a negation ("nothing but", "no more than")
            "seulement", "uniquement",
            "non seulement", "pas seulement", "pas uniquement", "ne … pas seulement", "n' … pas seulement",
            "ne … pas uniquement", "n' … pas uniquement", "non plus", "ou non", "ou pas", "non pas",
            "non négligeable*", "pas négligeable*", "non sans", "pas sans", "pourquoi pas", "pas très",
            "ne … pas très", "n' … pas très", "pas beaucoup", "pas", "jamais", "rien", "aucun*",
            "sans", "à peine", "guère", "insuffisa*", "impossib*", "incapab*", "évit*", "empêch*", "manqu* de",
            "refus*", "nie", "nient", "nié*", "rejet*", "sauf", "excepté", "au lieu de", "plutôt que",
            "loin de", "cess* de", "peu", "trop", "interdi*", "prohib*", "moitié moins",
        ),
        "ignore": (),
    },
    "de": {
        "negations": (
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "keineswegs", "keinesfalls",
            "nie", "niemals", "nichts", "niemand*", "nirgends", "nirgendwo", "weder",
        ),
        "weak": (
            # "only", which English often says with a negation ("nothing but", "no more than")
            "nur", "lediglich", "bloß",
            "nicht nur", "nicht bloß", "nicht allein", "oder nicht", "nicht wahr", "nicht zuletzt",
            "nicht unerheblich*", "nicht unbedeutend*", "nicht selten", "nicht wenig*", "nicht ohne",
            "nicht sehr", "nicht besonders", "nicht viel",
            "ohne", "kaum", "un*", "vermeid*", "verhinder*", "verweiger*", "abgelehnt", "ablehn*", "lehnt* ab",
            "fehl*", "mangel*", "unmöglich*", "außer", "statt", "anstatt", "weit entfernt", "wenig", "wenige*",
            "zu", "verbot*", "verbiet*", "untersag*", "halb so",
        ),
        "ignore": (
            # un- words that do not negate
            "und", "uns", "unser*", "unter*", "union*", "univers*", "ungefähr", "ungarn", "unfall*", "unfäll*",
            "uno*", "unit", "unten", "unmittelbar*", "unbedingt",
        ),
    },
    "it": {
        "negations": (
            "non", "no", "mai", "nessun", "nessuno", "nessuna", "niente", "nulla", "né", "mica", "neanche",
            "nemmeno", "neppure",
        ),
        "weak": (
            # "only", which English often says with a negation ("nothing but", "no more than")
            "solo", "soltanto", "solamente", "unicamente",
            "non solo", "non soltanto", "non solamente", "o no", "o meno", "se non", "non poco", "non pochi",
            "non poche", "non molto", "più … mai", "meno … mai", "migliore … mai", "peggiore … mai", "primo … mai",
            "prima … mai", "come mai", "quanto mai", "se mai",
            "senza", "appena", "insufficien*", "impossibil*", "incapac*", "evit*", "impedi*", "manca*",
            "rifiut*", "nega*", "negò", "negar*", "respin*", "tranne", "eccetto", "salvo", "invece di",
            "anziché", "lontano da", "smett*", "poco", "pochi", "poche", "troppo", "troppi", "troppa", "troppe",
            "vieta*", "proib*",
        ),
        "ignore": ("non appena",),
    },
    "pt": {
        "negations": (
            "não", "nunca", "jamais", "nem", "nenhum", "nenhuma", "nenhuns", "nenhumas", "nada", "ninguém",
        ),
        "weak": (
            # "only", which English often says with a negation ("nothing but", "no more than")
            "só", "somente", "unicamente",
            "não só", "não somente", "não apenas", "ou não", "não é?", "não?", "nada menos", "antes de mais nada",
            "quase nada", "não muito", "mais … que nunca", "mais … que jamais",
            "sem", "insuficiente*", "impossív*", "incapa*", "evit*", "impedi*", "falta*", "carec*", "nega*",
            "negou", "negar*", "rejeit*", "recus*", "exceto", "salvo", "em vez de", "ao invés de", "longe de",
            "deix* de", "pouco", "pouca", "poucos", "poucas", "demasiado*", "proib*",
        ),
        "ignore": ("não obstante",),
    },
}

_GAP = r"(?:[^\w,;:.!?()«»\"“”„]{0,3}\w+){0,6}?[^\w,;:.!?()«»\"“”„]{1,3}"


def _entry_pattern(entry: str) -> str:
    parts: list[str | None] = []
    for piece in entry.split(" "):
        if piece == "…":
            parts.append(None)
            continue
        body = re.escape(piece).replace(r"\*", r"[\w-]*").replace("\\#", r"\d+").replace("#", r"\d+")
        if piece[0].isalnum():
            body = r"(?<![\w'-])" + body
        if piece[-1].isalnum() or piece[-1] == "*":
            body += r"(?![\w-])"
        parts.append(body)
    out = ""
    for i, part in enumerate(parts):
        if part is None:
            continue
        if i and parts[i - 1] is None:
            out += _GAP
        elif i:
            out += r"\s+" if not out.endswith("'") else ""
        out += part
    return out


@cache
def _reader(lang: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """One pattern for the whole table of ``lang``, an alternative (a group) per entry, longer
    entries first; and the kind of each group."""
    table = NEGATIONS[lang]
    entries = sorted(((e, kind) for kind in ("ignore", "weak", "negations") for e in table[kind]),
                     key=lambda item: (-len(item[0].split()), -len(item[0])))
    # the entries that start a word share one look-behind, tried once per place (five times
    # faster than one per entry); the others ("*n't") follow
    words = [(e, kind) for e, kind in entries if e[0].isalnum()]
    others = [(e, kind) for e, kind in entries if not e[0].isalnum()]
    lead = r"(?<![\w'-])"
    alternatives = "|".join(f"({_entry_pattern(e)[len(lead):]})" for e, _ in words)
    pattern = f"{lead}(?:{alternatives})" + "".join(f"|({_entry_pattern(e)})" for e, _ in others)
    return compile_pattern(pattern, re.IGNORECASE), tuple(kind for _, kind in words + others)


@dataclass(frozen=True)
class Negations:
    """Where a text negates (``strong``) and where it has a negative meaning (``weak``)."""

    strong: tuple[tuple[int, int], ...]
    weak: tuple[tuple[int, int], ...]


def negations(text: str, lang: str) -> Negations:
    """The negations of ``text`` in ``lang`` (one of ``NEGATIONS``)."""
    pattern, kinds = _reader(lang)
    found: dict[str, list[tuple[int, int]]] = {"ignore": [], "weak": [], "negations": []}
    for m in pattern.finditer(text.replace("’", "'")):
        assert m.lastindex is not None
        found[kinds[m.lastindex - 1]].append(m.span())
    return Negations(tuple(found["negations"]), tuple(found["weak"]))


def _shown(text: str, spans) -> str:
    return ", ".join(f"“{text[s:e]}”" for s, e in spans)


@check(
    scope="document",
    id="bilingual.negation",
    category="accuracy/mistranslation",
    severity="warning",
    message="{problem}",
    why="""A lost or added negation turns a sentence into its opposite and still reads as fluent
        English: machine translation drops a “no” it could not place, or reads a double
        negative as a plain one. Each language's negations are read with its own table
        (French “ne … pas”, Spanish “no … nada” are one negation; “sin embargo”, “non
        seulement”, “más que nunca” are none), and a sentence is flagged only when one side
        negates and the other has nothing negative at all (“failed to”, “unable”, “without”
        translate a negation well).""",
    instead="Translate the negation: “The government did not accept the offer.”",
    examples={
        "bad": [
            {"text": "[The government accepted the offer of the unions.]",
             "source": "El Gobierno no aceptó la oferta de los sindicatos."},
            {"text": "The minister said the plan would [not] work.", "source": "El ministro dijo que el plan funcionaría."},
            {"text": "[The prefect has authorised the march.]", "source": "Le préfet n'a pas autorisé la marche.",
             "lang": "fr"},
            {"text": "[The company has paid dividends this year.]",
             "source": "Das Unternehmen hat in diesem Jahr keine Dividende gezahlt.", "lang": "de"},
            {"text": "[The mayor has ever answered the letter.]", "source": "Il sindaco non ha mai risposto alla lettera.",
             "lang": "it"},
            {"text": "[Someone saw the thieves leave the building.]",
             "source": "Ninguém viu os ladrões saírem do prédio.", "lang": "pt"},
        ],
        "good": [
            {"text": "The government did not accept the offer of the unions.",
             "source": "El Gobierno no aceptó la oferta de los sindicatos."},
            {"text": "The government rejected the offer of the unions.",
             "source": "El Gobierno no aceptó la oferta de los sindicatos."},
            {"text": "The talks failed to produce an agreement.", "source": "Las conversaciones no lograron un acuerdo."},
            {"text": "Complex folds are not allowed.", "source": "Las dobleces complejas están prohibidas."},
            {"text": "Prices are rising more than ever.", "source": "Los precios suben más que nunca."},
            {"text": "The storm hit not only the coast but also the mountains.",
             "source": "La tormenta golpeó no solo la costa sino también las montañas."},
            {"text": "However, the company kept its forecast.", "source": "Sin embargo, la empresa mantuvo su previsión."},
            {"text": "It is a big step, isn't it?", "source": "Es un gran paso, ¿no?"},
            {"text": "The company won No. 1 position in the ranking.",
             "source": "La empresa obtuvo el primer puesto de la clasificación."},
            {"text": "Nobody expected the result.", "source": "Nadie esperaba el resultado.", "lang": "es"},
            {"text": "The prefect has not authorised the march.", "source": "Le préfet n'a pas autorisé la marche.",
             "lang": "fr"},
            {"text": "The police arrived before the crowd scattered.",
             "source": "La police est arrivée avant que la foule ne se disperse.", "lang": "fr"},
            {"text": "The reform concerns not only pensions but also taxes.",
             "source": "La réforme concerne non seulement les retraites mais aussi les impôts.", "lang": "fr"},
            {"text": "He has only two days left.", "source": "Il ne lui reste que deux jours.", "lang": "fr"},
            {"text": "The company has paid no dividends this year.",
             "source": "Das Unternehmen hat in diesem Jahr keine Dividende gezahlt.", "lang": "de"},
            {"text": "The storm hit not only the coast.", "source": "Der Sturm traf nicht nur die Küste.", "lang": "de"},
            {"text": "Not least, the costs rose sharply.", "source": "Nicht zuletzt stiegen die Kosten stark.",
             "lang": "de"},
            {"text": "The mayor has never answered the letter.", "source": "Il sindaco non ha mai risposto alla lettera.",
             "lang": "it"},
            {"text": "It is the highest figure ever recorded.", "source": "È la cifra più alta mai registrata.",
             "lang": "it"},
            {"text": "As soon as the train arrived, the police left.",
             "source": "Non appena è arrivato il treno, la polizia è partita.", "lang": "it"},
            {"text": "No one saw the thieves leave the building.",
             "source": "Ninguém viu os ladrões saírem do prédio.", "lang": "pt"},
            {"text": "The country is more divided than ever.", "source": "O país está mais dividido do que nunca.",
             "lang": "pt"},
            {"text": "The deal is good for both sides, right?", "source": "O acordo é bom para os dois lados, não é?",
             "lang": "pt"},
            {"text": "Families with children are a rare sight in the hostels.",
             "source": "Famílias com crianças não são comuns nos albergues.", "lang": "pt"},
            {"text": "The insurer has nothing left to do but the paperwork.",
             "source": "Dem Versicherer bleibt nur noch der Papierkram.", "lang": "de"},
        ],
    },
)
def negation(doc: Document, rule: Rule) -> Iterator[Hit]:
    lang = _lang(doc)
    if lang not in NEGATIONS or lang == "en":
        return
    for link, target, original in doc.sentence_pairs():
        theirs, ours = negations(original, lang), negations(target, "en")
        s0, t0 = link.source.start, link.target.start
        if theirs.strong and not ours.strong and not ours.weak:
            problem = f"The source negates ({_shown(original, theirs.strong)}); this sentence does not"
            yield Hit(rule, link.target.start, link.target.end, {"problem": problem}, message=problem,
                      source_marks=tuple((s0 + s, s0 + e) for s, e in theirs.strong))
        elif ours.strong and not theirs.strong and not theirs.weak:
            problem = f"{_shown(target, ours.strong)}: the source (“{excerpt(original)}”) has no negation here"
            for s, e in ours.strong:
                yield Hit(rule, t0 + s, t0 + e, {"problem": problem}, message=problem,
                          source_marks=((link.source.start, link.source.end),))


# -- quotations and brackets ----------------------------------------------------------------------
# Quotation marks of every language (straight ones too); ‘ ’ are left out: ’ is an apostrophe
_QUOTE_RE = compile_pattern(r"[«»“”„\"‹›]")
_BRACKET_RE = compile_pattern(r"\([^()]*\)|\[[^\[\]]*\]")


def _quoted(text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` between two quotation marks, in pairs from the left."""
    marks = [m.start() for m in _QUOTE_RE.finditer(text)]
    return [(marks[i], marks[i + 1] + 1) for i in range(0, len(marks) - 1, 2)]


def _bracketed(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _BRACKET_RE.finditer(text)]


@check(
    scope="document",
    id="bilingual.quotes",
    category="accuracy/mistranslation",
    severity="info",
    message="{problem}",
    why="""Quotation marks say who said what: a quotation the translation loses turns a
        speaker's words into the paper's, and one it adds puts words in a mouth. Brackets
        hold what the source keeps aside (a party, an age, an agency). A sentence is
        flagged when the source quotes or brackets something and it has no quotation marks
        or brackets at all, or the other way round. Translators drop the quotation marks
        of a title or a nickname for good reasons, hence the level.""",
    instead="Keep the quotation: “The plan is ‘a mistake’, he said.”",
    examples={
        "bad": [
            {"text": "[The minister called the plan a historic mistake.]",
             "source": "El ministro calificó el plan de «un error histórico»."},
            {"text": "[The mayor, a Socialist, resigned.]",
             "source": "El alcalde (PSOE) dimitió."},
            {"text": "The minister called the plan [\"a mistake\"].",
             "source": "El ministro calificó el plan de error."},
        ],
        "good": [
            {"text": "The minister called the plan \"a historic mistake\".",
             "source": "El ministro calificó el plan de «un error histórico»."},
            {"text": "The mayor (PSOE) resigned.", "source": "El alcalde (PSOE) dimitió."},
            {"text": "The minister called the plan a mistake.", "source": "El ministro calificó el plan de error."},
            {"text": "The prefect called the plan “a mistake”.", "source": "Le préfet a qualifié le plan d'« erreur ».",
             "lang": "fr"},
        ],
    },
)
def quotes(doc: Document, rule: Rule) -> Iterator[Hit]:
    for link, target, original in doc.sentence_pairs():
        s0, t0 = link.source.start, link.target.start
        for find, what in ((_quoted, "quotation"), (_bracketed, "brackets")):
            theirs, ours = find(original), find(target)
            if theirs and not ours:
                shown = ", ".join(excerpt(original[s:e]) for s, e in theirs)
                problem = f"The source has {'a ' if what == 'quotation' else ''}{what} here ({shown}); this sentence has none"
                yield Hit(rule, link.target.start, link.target.end, {"problem": problem}, message=problem,
                          source_marks=tuple((s0 + s, s0 + e) for s, e in theirs))
            elif ours and not theirs:
                problem = f"{excerpt(target[ours[0][0]:ours[0][1]])}: the source has no {what} here"
                yield Hit(rule, t0 + ours[0][0], t0 + ours[0][1], {"problem": problem}, message=problem,
                          source_marks=((link.source.start, link.source.end),))
