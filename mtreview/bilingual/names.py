"""Names in a sentence and its translation: which of one side's names the other side has.

A name is what a translation keeps, as it is or nearly: a capitalised word inside a
sentence ("Barroso", "Kyiv"), an acronym ("NATO", "EE.UU."), a URL, an e-mail address, an
@handle or a #hashtag. Two names are the same when they fold alike (case, accents), share
their first four letters (transliterations: Zelenski, Zelensky), are cognates (at least
0.75 of their letters in the same order: "Comisión", "Commission"), are acronyms of the
same letters (OTAN, NATO) or a listed pair (EE.UU., US), or one is the English name of the
other in CLDR's names of countries, languages, months and days (Babel: "Alemania",
"Germany") or in the short list of institutions below. URLs, addresses, handles and
hashtags must be the same text (case aside).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import NamedTuple

from mtreview.diskcache import compile_pattern

#: Acronyms whose English form has other letters (same letters in another order need no
#: entry: OTAN, NATO). Source form (dots and case aside) -> English forms.
ACRONYMS = {
    "eeuu": ("us", "usa"), "eua": ("us", "usa"), "usa": ("us",), "onu": ("un",), "oms": ("who",),
    "oit": ("ilo",), "ocde": ("oecd",), "ue": ("eu",), "uem": ("emu",), "opep": ("opec",), "oea": ("oas",),
    "otan": ("nato",), "ong": ("ngo",), "pib": ("gdp",), "ovni": ("ufo",), "adn": ("dna",), "sida": ("aids",),
    "fmi": ("imf",), "bce": ("ecb",), "omc": ("wto",), "ee": ("us",), "rdc": ("drc",), "rfa": ("frg",),
    "brd": ("frg",), "ddr": ("gdr",), "rda": ("gdr",), "urss": ("ussr",), "udssr": ("ussr",), "cee": ("eec",),
    "ewg": ("eec",), "ezb": ("ecb",), "iwf": ("imf",), "uno": ("un",), "vn": ("un",), "eu": ("eu",),
    "oiea": ("iaea",), "aiea": ("iaea",), "unesco": ("unesco",), "unicef": ("unicef",), "ia": ("ai",),
    "ki": ("ai",), "pil": ("gdp",), "bip": ("gdp",), "isi": ("isis",), "ei": ("is", "isis"),
}

#: Words of institutions and places that English translates, not copies, and that CLDR's
#: tables lack: a source word -> the English words it may become (news usage).
TRANSLATED = {
    "es": "casa:house blanca:white oriente:east medio:middle guerra:war fría:cold papa:pope santa:holy sede:see "
          "naciones:nations unidas:united reino:kingdom unido:united consejo:council seguridad:security "
          "gobierno:government congreso:congress senado:senate estado:state estados:states unidos:united "
          "ministerio:ministry exteriores:foreign defensa:defence,defense hacienda:treasury,finance "
          "presidente:president primer:prime ministro:minister rey:king reina:queen príncipe:prince "
          "tribunal:court supremo:supreme corte:court banco:bank central:central mundial:world "
          "cruz:cross roja:red europea:european occidente:west este:east oeste:west norte:north sur:south "
          "nueva:new york:york mar:sea negro:black mediterráneo:mediterranean sr:mr señor:mr sra:mrs,ms "
          "señora:mrs,ms san:saint,st santo:saint,st inglaterra:england escocia:scotland gales:wales "
          "pekín:beijing subsecretario:undersecretary",
    "fr": "maison:house blanche:white moyen-orient:middle,east orient:east moyen:middle guerre:war froide:cold "
          "pape:pope saint-siège:holy,see saint:holy siège:see nations:nations unies:united royaume-uni:united,kingdom "
          "royaume:kingdom uni:united conseil:council sécurité:security gouvernement:government sénat:senate "
          "état:state états-unis:united,states états:states unis:united ministère:ministry affaires:affairs "
          "étrangères:foreign défense:defence,defense président:president premier:prime ministre:minister "
          "roi:king reine:queen prince:prince cour:court suprême:supreme banque:bank centrale:central "
          "mondiale:world croix-rouge:red,cross croix:cross rouge:red européenne:european occident:west "
          "est:east ouest:west nord:north sud:south nouvelle:new mer:sea noire:black élysée:elysee "
          "m:mr mme:mrs,ms monsieur:mr madame:mrs,ms sainte:saint,st angleterre:england écosse:scotland "
          "galles:wales pékin:beijing sous-secrétaire:undersecretary",
    "it": "casa:house bianca:white medio:middle oriente:east guerra:war fredda:cold papa:pope santa:holy sede:see "
          "nazioni:nations unite:united regno:kingdom unito:united consiglio:council sicurezza:security "
          "governo:government senato:senate camera:chamber,house stato:state stati:states uniti:united "
          "ministero:ministry esteri:foreign difesa:defence,defense presidente:president primo:prime "
          "ministro:minister re:king regina:queen principe:prince corte:court suprema:supreme banca:bank "
          "centrale:central mondiale:world croce:cross rossa:red europea:european occidente:west est:east "
          "ovest:west nord:north sud:south nuova:new mare:sea nero:black sig:mr sigra:mrs,ms signor:mr "
          "signora:mrs,ms san:saint,st inghilterra:england scozia:scotland galles:wales pechino:beijing "
          "sottosegretario:undersecretary",
    "pt": "casa:house branca:white médio:middle oriente:east guerra:war fria:cold papa:pope santa:holy sé:see "
          "nações:nations unidas:united reino:kingdom unido:united conselho:council segurança:security "
          "governo:government senado:senate estado:state estados:states unidos:united ministério:ministry "
          "exteriores:foreign defesa:defence,defense presidente:president primeiro:prime ministro:minister "
          "rei:king rainha:queen príncipe:prince tribunal:court supremo:supreme banco:bank central:central "
          "mundial:world cruz:cross vermelha:red europeia:european ocidente:west leste:east oeste:west "
          "norte:north sul:south nova:new mar:sea negro:black sr:mr sra:mrs,ms senhor:mr senhora:mrs,ms "
          "são:saint,st,san,sao inglaterra:england escócia:scotland gales:wales pequim:beijing "
          "subsecretário:undersecretary",
    "de": "weißes:white weiße:white haus:house nahe:near,middle nahen:near,middle naher:near,middle osten:east "
          "kalte:cold kalten:cold krieg:war krieges:war papst:pope heilige:holy heiligen:holy stuhl:see "
          "vereinte:united vereinten:united nationen:nations königreich:kingdom vereinigte:united "
          "vereinigten:united staaten:states rat:council sicherheitsrat:security,council regierung:government "
          "bundesregierung:government,federal kongress:congress senat:senate staat:state ministerium:ministry "
          "auswärtige:foreign amt:office präsident:president premierminister:prime,minister minister:minister "
          "könig:king königin:queen prinz:prince gericht:court oberste:supreme bank:bank zentralbank:central,bank "
          "welt:world rote:red roten:red kreuz:cross europäische:european europäischen:european westen:west "
          "osten:east norden:north süden:south neue:new meer:sea schwarze:black schwarzen:black herr:mr "
          "frau:mrs,ms sankt:saint,st schottland:scotland peking:beijing",
}

_URL_RE = compile_pattern(r"\b(?:https?://|www\.)[^\s<>\"'”»)]+[^\s<>\"'”»).,;:!?]|\bpic\.twitter\.com/\w+")
_EMAIL_RE = compile_pattern(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_HANDLE_RE = compile_pattern(r"(?<![\w@])[@#][^\W\d_]\w{1,30}")
# a capitalised word (inner apostrophes and hyphens), or an acronym with dots ("EE.UU.", "U.S.")
_WORD_RE = compile_pattern(r"(?:[^\W\d_]\.){2,}(?:[^\W\d_]{1,2}\.)*|[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ELIDED_RE = compile_pattern(r"(?i)(?:l|d|qu|j|n|s|c|dell|all|nell|sull|dall|coll|dagli|degli|un)['’](?=[^\W\d_])")
_OPENING = frozenset("\"“«„‘'([¿¡-–—:")


class Name(NamedTuple):
    start: int
    end: int
    text: str
    kind: str  # "name", "acronym", "url", "email", "handle" (@ or #)


class Token(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # folded: lower case, no accents, no dots


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    text = text.lower().replace("’", "'").replace(".", "")
    if text.endswith("'s"):  # English possessive: "Germany's", "AKP's"
        text = text[:-2]
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def tokens(text: str) -> list[Token]:
    """Every word of ``text`` (names and not), folded."""
    out = []
    for m in _WORD_RE.finditer(text):
        elided = _ELIDED_RE.match(m.group())
        out.append(Token(m.start(), m.end(), m.group(), fold(m.group()[elided.end() :] if elided else m.group())))
    return out


def names(text: str, words: list[Token] | None = None) -> list[Name]:
    """The names of a sentence, in order: URLs, addresses, handles and hashtags first out,
    then acronyms and capitalised words that do not open the sentence (or a quotation, a
    parenthesis, a clause after a colon or a dash)."""
    out: list[Name] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in ((_URL_RE, "url"), (_EMAIL_RE, "email"), (_HANDLE_RE, "handle")):
        for m in pattern.finditer(text):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                out.append(Name(m.start(), m.end(), m.group(), kind))
                taken.append((m.start(), m.end()))
    for i, w in enumerate(words if words is not None else tokens(text)):
        if any(a <= w.start < b for a, b in taken):
            continue
        opens = w.start  # what comes before the word (an article it is elided into)
        elided = _ELIDED_RE.match(w.text)
        if elided:  # "l'UE", "d'Arabie", "dell'Onu": the name after the article
            w = Token(w.start + elided.end(), w.end, w.text[elided.end() :], fold(w.text[elided.end() :]))
        if not w.text or not w.text[0].isupper():
            continue
        letters = [c for c in w.text if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            out.append(Name(w.start, w.end, w.text, "acronym"))
            continue
        before = text[:opens].rstrip()
        if i == 0 or not before or before[-1] in _OPENING or before[-1] in ".!?…" or len(w.text) < 2:
            continue
        out.append(Name(w.start, w.end, w.text, "name"))
    return sorted(out)


def headline(words: list[Token]) -> bool:
    """Whether a sentence is in title case ("Senate Rejects Bailout Plan"), where a capital
    makes no name: three words of four letters or more capitalised at least, no more than
    one in five in lower case, and two of the capitalised ones common English words ("Rafael
    Correa in Quito, this Monday" is no headline)."""
    long = [w for w in words if len(w.text) >= 4]
    capitalised = [w for w in long if w.text[:1].isupper()]
    return (len(capitalised) >= 3 and 5 * (len(long) - len(capitalised)) <= len(long)
            and sum(leans_english(w.text) for w in capitalised[1:]) >= 2)


def flanks(name: Name, text: str, words: list[Token]) -> tuple[Token | None, Token | None]:
    """The capitalised words right before and after ``name`` in ``text`` (white space or a
    hyphen between): "Lo" and "had" in "Lo Piccolo had" give (Lo, None)."""
    before = next((w for w in reversed(words) if w.end <= name.start), None)
    after = next((w for w in words if w.start >= name.end), None)
    if before is not None and (text[before.end : name.start].strip(" -") or not before.text[:1].isupper()):
        before = None
    if after is not None and (text[name.end : after.start].strip(" -") or not after.text[:1].isupper()):
        after = None
    return before, after


def anchored(ours: Name, theirs: Name, target: str, t_words: list[Token], source: str,
             s_words: list[Token]) -> bool:
    """Whether an English name and a source name stand beside the same name on the same side
    ("Morgan Stanley" and "Morgan August", "Trinity College" and "Trinity Grant"): the one
    took the other's place, whatever words they are. The same name as it is: a neighbour
    translated ("Technischen Hilfswerk", "Technical Relief") says the pair was translated."""
    t_before, t_after = flanks(ours, target, t_words)
    s_before, s_after = flanks(theirs, source, s_words)
    return (t_before is not None and s_before is not None and s_before.key == t_before.key) or (
        t_after is not None and s_after is not None and s_after.key == t_after.key)


def in_place(ours: Name, theirs: Name, target: str, t_words: list[Token], source: str,
             s_words: list[Token]) -> bool:
    """Whether an English name and a source name stand alone (no capitalised word beside
    them) at about the same place of their sentences (a fifth of the sentence either way, in
    words): one word put in the other's place."""
    if any(flanks(ours, target, t_words)) or any(flanks(theirs, source, s_words)) or _demonym(fold(ours.text)):
        return False
    t_at = sum(w.end <= ours.start for w in t_words) / max(len(t_words), 1)
    s_at = sum(w.end <= theirs.start for w in s_words) / max(len(s_words), 1)
    return abs(t_at - s_at) <= IN_PLACE


def _demonym(key: str) -> bool:
    """Whether an English word may name a people or a language ("Dutch", "Hungarian",
    "Chinese"), which an English sentence puts for the name of a country ("Holanda")."""
    return key.endswith(("an", "ese", "ish", "ic", "i")) or key in _languages_in_english()


@functools.cache
def _languages_in_english() -> frozenset[str]:
    from babel import Locale

    return frozenset(fold(name) for name in Locale("en").languages.values() if " " not in name)


#: How far apart (a share of the sentence's words) two names may stand and be in one place.
IN_PLACE = 0.2


@functools.cache
def english_words(lang: str) -> dict[str, frozenset[str]]:
    """Source word (folded) -> the English words (folded) it may become: CLDR's country,
    language, month and weekday names, and TRANSLATED. Built once and cached on disk
    (``mtreview.diskcache``: 70 ms to build, 2 ms to read)."""
    import babel

    from mtreview.diskcache import cached_plan

    table = cached_plan(("english-words", lang, babel.__version__), lambda: _english_words(lang))
    return {k: frozenset(v) for k, v in table.items()}


def _english_words(lang: str) -> dict[str, list[str]]:
    from babel import Locale

    table: dict[str, set[str]] = {}

    def add(source: str, english: str) -> None:
        theirs, ours = [fold(w) for w in _words(source)], {fold(w) for w in _words(english)}
        if len(theirs) > 1:  # a name of several words: no word maps to "and", "of", "de" to anything
            theirs = [w for w in theirs if len(w) > 3]
            ours -= {"and", "of", "the"}
        for w in theirs:
            table.setdefault(w, set()).update(ours)

    try:
        theirs, ours = Locale.parse(lang), Locale("en")
    except (ValueError, LookupError):
        return {}
    for attribute in ("territories", "languages"):
        mine, english = getattr(theirs, attribute), getattr(ours, attribute)
        for code, name in mine.items():
            if code in english:
                add(name, english[code])
    for kind in ("months", "days"):
        for width in ("wide", "abbreviated"):
            mine, english = getattr(theirs, kind)["format"][width], getattr(ours, kind)["format"]["wide"]
            for k, name in mine.items():
                add(name, english[k])
    for pair in TRANSLATED.get(lang, "").split():
        source, _, english = pair.partition(":")
        for e in english.split(","):
            add(source, e)
    return {k: sorted(v) for k, v in table.items()}


def _words(text: str) -> Iterable[str]:
    return (m.group() for m in _WORD_RE.finditer(text))


@functools.lru_cache(maxsize=65536)
def same(source_key: str, target_key: str, lang: str | None, cognates: bool = True) -> bool:
    """Whether a source word and an English word (folded) are the same name; ``cognates``:
    allowing a cognate (a word spelt alike, ``COGNATE``), which is only asked of two
    capitalised words: "Illinois" and "italianos" have as many letters in common as
    "Comisión" and "Commission"."""
    if source_key == target_key:
        return True
    if len(source_key) >= 4 and len(target_key) >= 4 and source_key[:4] == target_key[:4]:
        return True
    if target_key in ACRONYMS.get(source_key, ()) or (
            len(source_key) >= 2 and sorted(source_key) == sorted(target_key) and source_key.isalpha()):
        return True
    if lang and any(target_key in english_words(lang).get(form, ()) for form in _uninflected(source_key)):
        return True
    if cognates and min(len(source_key), len(target_key)) >= 4:
        pairs = ((source_key, target_key), (_sound(source_key), _sound(target_key)))
        if pairs[1][0][:1] == pairs[1][1][:1]:
            least = COGNATE
        elif any(a[-3:] == b[-3:] for a, b in pairs):  # other first letters: alike at the end at least
            least = COGNATE_OTHER_START
        else:
            return False
        return any(SequenceMatcher(None, a, b, autojunk=False).ratio() >= least for a, b in pairs)
    return False


# spellings that sound alike across the languages: Dunquerque, Dunkirk; Éfeso, Ephesus
_SOUNDS = (("ae", "e"), ("ph", "f"), ("qu", "k"), ("th", "t"), ("ck", "k"), ("ce", "se"), ("ci", "si"), ("c", "k"), ("y", "i"),
           ("w", "v"), ("z", "s"), ("j", "i"), ("h", ""))
_DOUBLED_RE = compile_pattern(r"(\w)\1")
# the e Spanish and Portuguese put before s and a consonant: Estrabão, Strabo; Eslovenia
_PROSTHETIC_RE = compile_pattern(r"^e(?=s[^aeiou])")
# the endings an adjective or a noun takes (German, Romance) on a word the tables hold bare:
# "Tschechischen" is CLDR's "Tschechisch"
_ENDINGS = ("en", "es", "er", "em", "e", "n", "s", "a", "o")


@functools.lru_cache(maxsize=65536)
def _uninflected(key: str) -> tuple[str, ...]:
    return (key, *(key[: -len(e)] for e in _ENDINGS if key.endswith(e) and len(key) - len(e) >= 5))


@functools.cache
def _sound(key: str) -> str:
    key = _PROSTHETIC_RE.sub("", key)
    for spelling, sound in _SOUNDS:
        key = key.replace(spelling, sound)
    return _DOUBLED_RE.sub(r"\1", key).rstrip("aeiou")


#: Two capitalised words of four letters or more are cognates when SequenceMatcher's ratio
#: (twice the letters in common, in order, over both lengths) reaches this: Bósforo,
#: Bosphorus (0.62); Faraó, Pharaoh (0.67); Lybie, Libya (0.6); Comisión, Commission (0.78).
COGNATE = 0.6
#: Two that begin with other letters need far more in common, and the same last three
#: letters: Cecoslovacchia, Czechoslovakia (0.95 as they sound); Apulia, Puglia (0.83); a
#: source's typo, Ohantom, Phantom (0.86).
COGNATE_OTHER_START = 0.8


def has(name: Name, other: str, words: list[Token], lang: str | None, source_side: bool) -> bool:
    """Whether the other side (its text ``other`` and ``words``) has ``name``, which is the
    source's when ``source_side``."""
    if name.kind in ("url", "email", "handle"):
        needle = re.escape(name.text.rstrip("/"))
        return re.search(rf"(?<![\w@#/.]){needle}(?![\w@])", other, re.IGNORECASE) is not None
    key = fold(name.text)
    keys = _keys(tuple(words))
    if source_side:
        return any(same(key, k, lang, upper) for k, upper in keys)
    return any(same(k, key, lang, upper) for k, upper in keys)


def missing(theirs: list[Name], target: str, t_words: list[Token], lang: str | None) -> list[Name]:
    """The source names ``theirs`` (of one sentence) that the English sentence lacks: those
    it has nowhere, and a name the source gives more often than the English does (“Honda
    … Honda”, “Honda … Singh”) at its later places."""
    out = [m for m in theirs if not has(m, target, t_words, lang, True)]
    counts: dict[str, list[Name]] = {}
    for m in theirs:
        if m.kind == "name" and m not in out:
            counts.setdefault(fold(m.text), []).append(m)
    for key, places in counts.items():
        if len(places) > 1:
            ours = sum(same(key, k, lang, upper) for k, upper in _keys(tuple(t_words)) if upper)
            out += places[ours:]
    return sorted(out)


@functools.lru_cache(maxsize=256)
def _keys(words: tuple[Token, ...]) -> tuple[tuple[str, bool], ...]:
    """The keys of a sentence's words, each with whether it is capitalised; a hyphenated
    word is also its parts ("Neu-Delhi" has "Delhi")."""
    return tuple((k, w.text[:1].isupper()) for w in words
                 for k in ((w.key, *w.key.split("-")) if "-" in w.key else (w.key,)))


def leans_english(word: str) -> bool:
    """Whether ``word`` is a common English word ("Green", "Minister", "Alliance"): a
    translation, not a name put in place of the source's ("Anderson", "Woodruff")."""
    from mtreview.bilingual.lexicon import common

    return common(fold(word), "en", ENGLISH_COMMON)


#: The English list counts lower-case words: a word seen this often is one English writes
#: in lower case ("journal" 6,493, "tier" 1,234), which a title or a name capitalises;
#: names are rarely written so ("anderson" 260, "illinois" 192, "hathaway" 50).
ENGLISH_COMMON = 1000


def leans_source(word: str, lang: str) -> bool:
    """Whether ``word`` is a common word of ``lang`` ("Verde", "Gobierno", "Aberto"), which
    English translates; a name English keeps as it is ("Barroso", "Frankfurt") is not. In
    German, where every noun is capitalised and the list's counts are low, any word of the
    list is one, and so is a compound of its words ("Geschichtsgesellschaften")."""
    from mtreview.bilingual.lexicon import common

    if lang == "de":
        return _german_word(fold(word))
    return common(word, lang, SOURCE_COMMON)


#: The joints of a German compound ("Geschichts|gesellschaften", "Liebe|s|brief").
_LINKS = ("s", "es", "n", "en", "er", "e")


@functools.lru_cache(maxsize=65536)
def _german_word(key: str, depth: int = 0) -> bool:
    """Whether ``key`` is in the German list, or a compound of its words (two or three, the
    last of four letters at least, with a joint between)."""
    from mtreview.bilingual.lexicon import common

    if common(key, "de", 1):
        return True
    if "-" in key:  # "Promille-Sarg"
        return all(_german_word(part, depth) for part in key.split("-") if part)
    if depth >= 2 or len(key) < 8:
        return False
    for i in range(len(key) - 4, 3, -1):
        head, tail = key[:i], key[i:]
        if not common(tail, "de", 1):
            continue
        bare = [head[: -len(j)] for j in _LINKS if head.endswith(j) and len(head) - len(j) >= 3]
        heads = [head, *bare, *(h + "e" for h in bare)]  # "Geschichts": "Geschichte"
        if any(common(h, "de", 1) or _german_word(h, depth + 1) for h in heads):
            return True
    return False


#: A source word seen this often in its language's list is one of its words ("cataratas",
#: "estatal"); the source's names are rarely written in lower case ("barroso" 50).
SOURCE_COMMON = 200


class Index:
    """The names and words of a whole document, for "is it anywhere in the other text":
    exact keys, first four letters of capitalised ones, and (for a source) the English words
    they may become."""

    def __init__(self, words: list[Token], lang: str | None):
        self.keys = {w.key for w in words}
        self.prefixes = {w.key[:4] for w in words if len(w.key) >= 4 and w.text[:1].isupper()}
        self.english: set[str] = set()
        if lang:
            table = english_words(lang)
            for key in self.keys:
                self.english.update(table.get(key, ()))
                self.english.update(ACRONYMS.get(key, ()))

    def has(self, key: str) -> bool:
        return key in self.keys or key in self.english or (len(key) >= 4 and key[:4] in self.prefixes)
