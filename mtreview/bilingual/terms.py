"""Finding glossary terms in text: whole words, in any case, in the inflected forms a term
takes in its language, at exact offsets.

A term is read into its words (runs of letters and digits) and what stands between them. Each
word stands for the forms it takes in the term's language (``forms``): the plural and the
singular, in the Romance languages the other gender of an adjective after its noun
(“fuerzas armadas”, “derechos humanos”) and the accent a plural moves (“acción”,
“acciones”; “examen”, “exámenes”), in English the verb forms of the last word; short words
and function words (“de”, “el”, “of”) as they are. Accents are as written: “Papa” is not
“papá”. A word in capitals (“EU”, “OTAN”) is an acronym and matches in capitals only. Between
two words, a space stands for any white space within a paragraph or a hyphen (“cease fire”,
“cease-fire”), an apostrophe for either apostrophe (“l'armée”, “l’armée”); other punctuation
as written (“U.S.”).

A text is read into its words once; each word is looked up among the forms that can start a
term, and the longest term starting there that the next words complete is the match
(leftmost-longest, not overlapping): “alto el fuego” hides the “fuego” in it. The cost is
one dictionary look-up a word, whatever the size of the glossary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mtreview.diskcache import compile_pattern
from mtreview.document import lower_same_length

_WORD_RE = compile_pattern(r"[^\W_]+")
_HYPHENS = frozenset("-\u2010\u2011")
_APOSTROPHES = frozenset("'’")
_SPACE, _APOSTROPHE = " ", "'"

# Function words: never inflected (nor are words of fewer than three letters).
_FUNCTION_WORDS = {
    "en": "the and for with from into over",
    "es": "del las los una unos unas por para con sin que sus",
    "fr": "des les aux par pour avec sans une sur dans",
    "pt": "dos das nos nas aos por para com sem uma",
    "it": "del della dei degli delle dello gli alla alle per con una",
    "de": "der die das den dem des und oder von vom mit für auf ein eine einer eines einem einen zum zur",
}
_STOP = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_ACUTE = str.maketrans("aeiou", "áéíóú")
_PLAIN = str.maketrans("áéíóú", "aeiou")
_VOWELS = frozenset("aeiouáéíóúàèìòùâêôãõ")

#: Inflection tags: what a form is of the word as written (the suggestion for a forbidden
#: term is put in the same form: “truces” → “ceasefires”).
PLURAL, SINGULAR, OTHER = "pl", "sg", "x"


class Pattern(NamedTuple):
    """A term as it is matched: each word's forms (lower case; as written for an acronym)
    with their inflection tags, whether each word is an acronym, what stands between the
    words (``" "``: space or hyphen; ``"'"``: an apostrophe; else that punctuation), and
    the punctuation the term ends with (kept in the match when the text has it)."""

    words: tuple[dict[str, str], ...]
    exact: tuple[bool, ...]
    gaps: tuple[str, ...]
    tail: str


class Found(NamedTuple):
    """A term at ``start:end`` of a text: its index in the matcher's list, and the
    inflection tag of its last word (``""``: as written)."""

    start: int
    end: int
    term: int
    tag: str


def pattern(term: str, lang: str | None) -> Pattern | None:
    """``term`` as the words and gaps it is matched by, in language ``lang`` (``en``, a
    source language, or None: plural endings only); None when it has no word."""
    matches = list(_WORD_RE.finditer(term))
    if not matches:
        return None
    words, exact, gaps = [], [], []
    for i, m in enumerate(matches):
        word = m.group()
        if i:
            gaps.append(_gap_kind(term[matches[i - 1].end() : m.start()]))
        acronym = len(word) > 1 and word.isupper()
        exact.append(acronym)
        if acronym:
            words.append({word: "", word + "s": PLURAL} if lang == "en" else {word: ""})
        else:
            words.append(forms(word.lower(), lang, first=i == 0, last=i == len(matches) - 1))
    tail = term[matches[-1].end() :].strip()
    return Pattern(tuple(words), tuple(exact), tuple(gaps), tail if tail in (".", ".)") else "")


def _gap_kind(gap: str) -> str:
    if not gap.strip() or gap.strip() in _HYPHENS:
        return _SPACE
    if gap.strip() in _APOSTROPHES:
        return _APOSTROPHE
    return "".join(gap.split())


def _gap_fits(gap: str, kind: str) -> bool:
    if kind == _SPACE:
        if gap in _HYPHENS:
            return True
        # white space within a paragraph: at most one line break
        return gap.isspace() and len(gap) < 40 and gap.count("\n") <= 1 and gap.count("\r") <= 1
    if kind == _APOSTROPHE:
        return gap in _APOSTROPHES
    return len(gap) <= len(kind) + 4 and "".join(gap.split()) == kind


# -- forms -------------------------------------------------------------------------------------
def forms(word: str, lang: str | None, first: bool = True, last: bool = True) -> dict[str, str]:
    """The forms of the lower-case ``word`` of a term in ``lang``, each with its inflection
    tag (the word as written: ``""``). ``first``/``last``: it is the term's first/last word
    (English inflects the last word only; a Romance adjective follows its noun, so a word
    after the first also takes the other gender)."""
    out = {word: ""}
    if len(word) < 3 or word in _STOP.get(lang or "", ()) or any(c.isdigit() for c in word):
        return out
    if lang == "en":
        if last:
            _english(word, out)
    elif lang == "es":
        _spanish(word, out, gender=not first)
    elif lang == "pt":
        _portuguese(word, out, gender=not first)
    elif lang == "fr":
        _french(word, out, gender=not first)
    elif lang == "it":
        _italian(word, out, gender=not first)
    elif lang == "de":
        _german(word, out)
    else:
        _add(out, PLURAL, word + "s", word + "es")
        if word.endswith("s"):
            _add(out, SINGULAR, word[:-1])
    return out


def _add(out: dict[str, str], tag: str, *words: str) -> None:
    for w in words:
        if len(w) > 1:
            out.setdefault(w, tag)


def english_plural(word: str) -> str:
    """The regular plural of an English word (“ceasefire” → “ceasefires”, “policy” →
    “policies”, “press” → “presses”)."""
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word[-1] == "y" and word[-2] not in _VOWELS:
        return word[:-1] + "ies"
    return word + "s"


def _english(w: str, out: dict[str, str]) -> None:
    _add(out, PLURAL, english_plural(w))
    if w.endswith("man"):
        _add(out, PLURAL, w[:-3] + "men")
    if w.endswith("f"):
        _add(out, PLURAL, w[:-1] + "ves")
    elif w.endswith("fe"):
        _add(out, PLURAL, w[:-2] + "ves")
    elif w.endswith("is"):
        _add(out, PLURAL, w[:-2] + "es")  # crisis, crises
    elif w.endswith("um"):
        _add(out, PLURAL, w[:-2] + "a")  # memorandum, memoranda
    if w.endswith("ies"):
        _add(out, SINGULAR, w[:-3] + "y")
    elif w.endswith(("ches", "shes", "sses", "xes", "zes")):
        _add(out, SINGULAR, w[:-2])
    elif w.endswith("men"):
        _add(out, SINGULAR, w[:-3] + "man")
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        _add(out, SINGULAR, w[:-1])
    # the verb forms of a term's last word ("to deploy": deployed, deploying)
    if w.endswith("e"):
        _add(out, OTHER, w + "d", w[:-1] + "ing")
    elif w[-1] == "y" and w[-2] not in _VOWELS:
        _add(out, OTHER, w[:-1] + "ied", w + "ing")
    else:
        _add(out, OTHER, w + "ed", w + "ing")
        if w[-1] not in _VOWELS and w[-1] not in "wxy" and w[-2] in _VOWELS and w[-3] not in _VOWELS:
            _add(out, OTHER, w + w[-1] + "ed", w + w[-1] + "ing")  # ban, banned


def _gender(w: str, out: dict[str, str], pairs: Sequence[tuple[str, str]]) -> None:
    """The other gender (and number) of an adjective: ``pairs`` of endings that swap."""
    for a, b in pairs:
        if w.endswith(a):
            _add(out, OTHER, w[: -len(a)] + b)
        elif w.endswith(b):
            _add(out, OTHER, w[: -len(b)] + a)


def _spanish(w: str, out: dict[str, str], gender: bool) -> None:
    end = w[-1]
    if end in "aeiou":
        _add(out, PLURAL, w + "s")
    elif end in "áéíóú":
        _add(out, PLURAL, w + "s", w + "es")
    elif end == "z":
        _add(out, PLURAL, w[:-1] + "ces")
    elif end == "s" and w[-2] in "áéíóú":
        _add(out, PLURAL, w + "es", w[:-2] + w[-2].translate(_PLAIN) + "ses")  # inglés, ingleses
    elif end not in "sx":
        if w[-2] in "áéíóú":
            _add(out, PLURAL, w[:-2] + w[-2].translate(_PLAIN) + end + "es")  # acción, acciones
        elif w.endswith("en") and w.translate(_PLAIN) == w and _has_vowel(w[:-2]):
            _add(out, PLURAL, _accent_last_vowel(w[:-2]) + "enes")  # examen, exámenes
        else:
            _add(out, PLURAL, w + "es")
    # a term written in the plural
    if w.endswith("ces"):
        _add(out, SINGULAR, w[:-3] + "z")
    elif w.endswith("iones"):
        _add(out, SINGULAR, w[:-5] + "ión")
    elif w.endswith("es") and len(w) > 4:
        stem = w[:-2]
        _add(out, SINGULAR, stem, w[:-1])
        if stem[-1] in "ns" and stem[-2] in "aeiou":
            _add(out, SINGULAR, stem[:-2] + stem[-2].translate(_ACUTE) + stem[-1])  # alemanes, alemán
        if stem.endswith("en"):
            _add(out, SINGULAR, stem.translate(_PLAIN))  # exámenes, examen
    elif w.endswith("s") and w[-2] in "aeioué":
        _add(out, SINGULAR, w[:-1])
    if gender:
        _gender(w, out, (("o", "a"), ("os", "as")))
        if w.endswith(("o", "a")):
            _add(out, OTHER, w[:-1] + ("as" if w.endswith("o") else "os"))


def _has_vowel(stem: str) -> bool:
    return any(c in "aeiou" for c in stem)


def _accent_last_vowel(stem: str) -> str:
    for i in range(len(stem) - 1, -1, -1):
        if stem[i] in "aeiou":
            return stem[:i] + stem[i].translate(_ACUTE) + stem[i + 1 :]
    return stem


def _portuguese(w: str, out: dict[str, str], gender: bool) -> None:
    if w.endswith("ão"):
        _add(out, PLURAL, w[:-2] + "ões", w[:-2] + "ães", w[:-2] + "ãos")
    elif w[-1] in _VOWELS:
        _add(out, PLURAL, w + "s")
    elif w.endswith("m"):
        _add(out, PLURAL, w[:-1] + "ns")
    elif w.endswith(("al", "el", "ol", "ul")):
        _add(out, PLURAL, w[:-2] + {"a": "ais", "e": "éis", "o": "óis", "u": "uis"}[w[-2]], w[:-1] + "is")
    elif w.endswith("il"):
        _add(out, PLURAL, w[:-1] + "s", w[:-2] + "eis")
    elif w[-1] in "rzs":
        _add(out, PLURAL, w + "es")
    for plural, singular in (("ões", "ão"), ("ães", "ão"), ("ãos", "ão"), ("ns", "m"), ("ais", "al"), ("éis", "el"),
                             ("óis", "ol"), ("res", "r"), ("zes", "z"), ("ses", "s")):
        if w.endswith(plural):
            _add(out, SINGULAR, w[: -len(plural)] + singular)
            break
    else:
        if w.endswith("s") and w[-2] in _VOWELS:
            _add(out, SINGULAR, w[:-1])
    if gender:
        _gender(w, out, (("o", "a"), ("os", "as")))


def _french(w: str, out: dict[str, str], gender: bool) -> None:
    if w.endswith(("eau", "au", "eu")):
        _add(out, PLURAL, w + "x", w + "s")
    elif w.endswith("al"):
        _add(out, PLURAL, w[:-2] + "aux", w + "s")
    elif w.endswith("ail"):
        _add(out, PLURAL, w[:-3] + "aux", w + "s")
    elif w[-1] not in "sxz":
        _add(out, PLURAL, w + "s")
    if w.endswith("aux"):
        _add(out, SINGULAR, w[:-3] + "al", w[:-3] + "ail")
    elif w.endswith(("s", "x")) and len(w) > 3:
        _add(out, SINGULAR, w[:-1])
    if gender:
        for masculine, feminine in (("éen", "éenne"), ("ien", "ienne"), ("el", "elle"), ("if", "ive"), ("eux", "euse"),
                                    ("er", "ère"), ("et", "ette"), ("on", "onne")):
            if w.endswith(feminine):
                _add(out, OTHER, w[: -len(feminine)] + masculine, w[: -len(feminine)] + masculine + "s")
                break
            if w.endswith(masculine):
                _add(out, OTHER, w[: -len(masculine)] + feminine, w[: -len(masculine)] + feminine + "s")
                break
        else:
            if w.endswith("e"):
                _add(out, OTHER, w[:-1])
            else:
                _add(out, OTHER, w + "e", w + "es")


def _italian(w: str, out: dict[str, str], gender: bool) -> None:
    for singular, plurals in (("co", ("chi", "ci")), ("go", ("ghi", "gi")), ("ca", ("che",)), ("ga", ("ghe",)),
                              ("cia", ("ce", "cie")), ("gia", ("ge", "gie")), ("io", ("i",)), ("o", ("i",)),
                              ("a", ("e", "i")), ("e", ("i",))):
        if w.endswith(singular):
            _add(out, PLURAL, *(w[: -len(singular)] + p for p in plurals))
            break
    for plural, singulars in (("chi", ("co",)), ("ghi", ("go",)), ("che", ("ca",)), ("ghe", ("ga",)),
                              ("i", ("o", "e", "io", "a")), ("e", ("a",))):
        if w.endswith(plural):
            _add(out, SINGULAR, *(w[: -len(plural)] + s for s in singulars))
            break
    if gender:
        _gender(w, out, (("o", "a"), ("i", "e")))


def _german(w: str, out: dict[str, str]) -> None:
    _add(out, PLURAL, *(w + e for e in ("e", "en", "n", "er", "s", "es", "em", "ern")))
    if w.endswith("in"):
        _add(out, PLURAL, w + "nen")  # Ministerin, Ministerinnen
    for ending in ("innen", "en", "er", "es", "e", "n", "s"):
        if w.endswith(ending) and len(w) - len(ending) >= 3:
            _add(out, SINGULAR, w[: -len(ending)] + ("in" if ending == "innen" else ""))
            break


# -- matching ----------------------------------------------------------------------------------
class TermMatcher:
    """Finds the terms of ``patterns`` (None: a term that never matches) in texts."""

    def __init__(self, patterns: Sequence[Pattern | None]):
        self.patterns = list(patterns)
        index: dict[str, list[tuple[int, int]]] = {}
        for i, p in enumerate(self.patterns):
            if p is not None:
                for form in p.words[0]:
                    index.setdefault(form.lower(), []).append((-len(p.words), i))
        # the longest term first: the first one the text completes is the match
        self._index = {form: [i for _, i in sorted(ids)] for form, ids in index.items()}

    def find(self, text: str, start: int = 0, end: int | None = None, lowered: str | None = None) -> list[Found]:
        """The terms in ``text[start:end]``, in order, not overlapping (at each word, the
        longest term that starts there). ``lowered``: ``text`` in lower case, same length
        (``Document.scan_lowered``), when the caller has it."""
        end = len(text) if end is None else end
        if lowered is None:
            lowered = lower_same_length(text)
        spans = [m.span() for m in _WORD_RE.finditer(text, start, end)]
        index, patterns = self._index, self.patterns
        out: list[Found] = []
        i, n = 0, len(spans)
        while i < n:
            s, e = spans[i]
            found = None
            for term in index.get(lowered[s:e], ()):
                p = patterns[term]
                assert p is not None
                tag = _complete(p, text, lowered, spans, i)
                if tag is not None:
                    k = len(p.words)
                    stop = spans[i + k - 1][1]
                    if p.tail and text.startswith(p.tail, stop) and stop + len(p.tail) <= end:
                        stop += len(p.tail)
                    found = Found(s, stop, term, tag)
                    break
            if found is None:
                i += 1
            else:
                out.append(found)
                i += len(patterns[found.term].words)  # type: ignore[union-attr]
        return out


def _complete(p: Pattern, text: str, lowered: str, spans: list[tuple[int, int]], i: int) -> str | None:
    """The inflection tag of the last word when the words from ``spans[i]`` on are the
    term ``p``; None when they are not."""
    if i + len(p.words) > len(spans):
        return None
    tag: str | None = ""
    for j, forms_ in enumerate(p.words):
        ws, we = spans[i + j]
        tag = forms_.get(text[ws:we] if p.exact[j] else lowered[ws:we])
        if tag is None or (j and not _gap_fits(text[spans[i + j - 1][1] : ws], p.gaps[j - 1])):
            return None
    return tag
