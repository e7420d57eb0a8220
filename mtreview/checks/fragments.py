"""A period followed by a lower-case word: the sentence was split by a stray period."""

from __future__ import annotations

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.matching.api import Hit

# A period between a word and white space + a lower-case word (not a link: pic.twitter.com).
# The letter before the period is checked after it, so the scan jumps from period to period.
_STRAY_PERIOD_RE = compile_pattern(r"\.(?<=[^\W\d_]\.)([ \t]+)([a-z][\w'’-]*)(?![\w./@:])")
_WORD_BEFORE_RE = compile_pattern(r"[\w.'’-]*$")
_WORD_BEFORE_WINDOW = 64
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt gov sen rep rev st sr jr inc ltd co corp no nos vs
    etc approx est dept univ jan feb mar apr jun jul aug sep sept oct nov dec cf al fig vol
    ca op ed eds pp ch sec art para min max av ave blvd mt ft natl assn assoc intl govt admin acad
    inst soc fed bros cos comm dist div mgmt mfg natl""".split()
)
# A preposition after the stray period is often the wrong one (“south. from Ukraine” means
# “south of Ukraine”): the editor rewrites it, so no edit is offered.
_PREPOSITIONS = frozenset(
    """of from in on at to for with by into onto toward towards about against between among under
    over after before during since until through across""".split()
)
# Units written with a period after a number ("114 Nm. at 4900 rpm", "5 km. away").
_UNITS = frozenset("km m cm mm nm kg g mg lb lbs oz mi yd in hr hrs sec secs min mins mph kph rpm hp kw kwh".split())
_NUMBER_BEFORE_RE = compile_pattern(r"\d[\d.,]*\s*$")
# Fragments that continue a list or clause are joined with a comma; others with a space.
_COMMA_OPENERS = frozenset(
    "including especially notably particularly namely such which who whose whom while whereas "
    "although though as".split()
)


_NUMBER_STRETCH_RE = compile_pattern(r"[\d.,\s]")


def _number_before(text: str, start: int, end: int) -> bool:
    """``_NUMBER_BEFORE_RE.search(text, start, end)``, looked for near ``end`` first."""
    window = max(start, end - _WORD_BEFORE_WINDOW)
    if _NUMBER_BEFORE_RE.search(text, window, end):
        return True
    # A match can only begin before the window if the stretch of digits, separators and
    # white space it ends with reaches back past the window's start.
    if window > start and _NUMBER_STRETCH_RE.match(text, window - 1):
        return _NUMBER_BEFORE_RE.search(text, start, end) is not None
    return False


def _word_before(text: str, start: int, end: int) -> str:
    """``_WORD_BEFORE_RE.search(text, start, end).group()``: the run of word characters,
    periods, apostrophes and hyphens that ends at ``end``, looked for near ``end`` first."""
    window = max(start, end - _WORD_BEFORE_WINDOW)
    # the pattern matches, at ``end`` if nowhere before it: ``m`` is never None
    m = _WORD_BEFORE_RE.search(text, window, end)
    if m is not None and m.start() == window and window > start:
        m = _WORD_BEFORE_RE.search(text, start, end)  # the run may go on before the window
    return m.group() if m is not None else ""


def _is_abbreviation(word: str) -> bool:
    bare = word.rstrip(".")
    return (
        "." in bare  # U.S, e.g, a.m
        or len(bare) == 1  # initials: J. smith is rare, J. is common
        or bare.lower() in _ABBREVIATIONS
    )


@check(
    id="fragment.stray-period",
    category="fluency/punctuation",
    severity="error",
    fix="unsafe",
    message="Stray period: “{word}” continues the sentence but follows a full stop",
    why="""Machine translation sometimes closes a sentence early and leaves the rest
        (“…east and south. from Ukraine.”) as a fragment starting in lower case.
        English copy never starts a sentence in lower case, so the period is wrong:
        join the fragment to its sentence, usually with a comma or a preposition.""",
    instead="Join the fragment: “…guarantees, including…”, “…south of Ukraine.”",
    examples={
        "bad": [
            {"text": "Troops massed in the northeast, east and south[. from] Ukraine.",
             "fixed": "Troops massed in the northeast, east and south. from Ukraine."},  # no edit: the editor decides
            {"text": "Moscow demands guarantees[. including], but not limited to, a halt.",
             "fixed": "Moscow demands guarantees, including, but not limited to, a halt."},
            {"text": "The army sent tanks[. and] the navy sent ships.",
             "fixed": "The army sent tanks and the navy sent ships."},
        ],
        "good": [
            "Troops massed in the U.S. and its allies sent aid.",
            "Bring documents, e.g. passports and visas.",
            "The meeting ends at 5 p.m. tomorrow.",
            "The talks, etc. were delayed.",
            "It was over. Then the rain came.",
            "See pic.twitter.com/abc for details.",
            "Reinforce the flank. pic.twitter.com/2XvTTvdLJl",
            "A torque of 114 Nm. at 4900 rpm and a range of 5 km. in town.",
            "She chairs the Natl. Assn. of Broadcasters.",
        ],
    },
)
def stray_period(doc, rule):
    text = doc.scan_text
    for para in doc.paragraphs:
        if para.heading:
            continue
        for m in _STRAY_PERIOD_RE.finditer(text, para.start, para.end):
            before = _word_before(text, para.start, m.start() + 1)
            if _is_abbreviation(before):
                continue
            unit = before.rstrip(".")
            if unit.lower() in _UNITS and _number_before(text, para.start, m.start() - len(unit)):
                continue
            word = m.group(2)
            if word.lower() in _PREPOSITIONS:
                yield Hit(rule, m.start(), m.end(), {"word": word}, suggestions=(),
                          message=f"Stray period: “{word}” continues the sentence but follows a full stop; "
                                  "join the fragment and check the preposition (the source may mean another one)")
                continue
            joiner = ", " if word.lower() in _COMMA_OPENERS else " "
            yield Hit(rule, m.start(), m.end(), {"word": word}, suggestions=(joiner + word,))
