"""The same word twice in a row ("the the")."""

from __future__ import annotations

import re

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.matching.api import Hit, finditer_at, matches_at, scan_all

_REPEAT_RE = compile_pattern(r"(?<![\w'’-])([^\W\d_]+)([ \t]+|[ \t]*\r?\n[ \t]*)(\1)(?![\w'’-])", re.IGNORECASE)
# ``_REPEAT_RE`` is tried at every position of the text. These find the same matches
# faster: each consumes the character before the word (an ASCII one that is not a word
# character, hyphen or apostrophe; or a non-ASCII one that is none of these), reads ASCII
# letters with a cheap class, and never backtracks into the word or the space (which could
# not help a match). They scan ``" " + text``, so the character before offset 0 is a space,
# and their match starts are the offsets of the words in the text; each is then matched
# with ``_REPEAT_RE`` itself. Case-insensitivity changes none of the classes used.
_REST = r"([ \t]++|[ \t]*+\r?\n[ \t]*+)(?i:\1)(?![\w'’-])"
_ASCII_BEFORE_RE = compile_pattern(
    r"[\x00-\x26\x28-\x2c\x2e-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]"
    r"((?:[a-zA-Z]|[^\x00-\x7f](?<=[^\W\d_]))[a-zA-Z]*+[^\W\d_]*+)" + _REST
)
_OTHER_BEFORE_RE = compile_pattern(r"[^\x00-\x7f](?<![\w'’-])([^\W\d_]++)" + _REST)
# Legitimate doubles in English.
# "you you", "her her", "is is" join two clauses ("to show you you can", "gave her her due",
# "what it is is a loan").
_ALLOWED = frozenset({"had", "that", "bye", "so", "ha", "no", "yadda", "knock", "tut", "chop", "pooh", "you", "her", "is"})


@check(
    id="repeat.word",
    category="fluency/grammar",
    severity="warning",
    fix="safe",
    message="Repeated word: “{1}”",
    why="""A word written twice in a row is almost always a slip of the translation or of an
        edit. A few English doubles are correct (“had had”, “that that”) and are not flagged.""",
    suggest="{1}",
    instead="Keep one: “the meeting”.",
    examples={
        "bad": [
            {"text": "The ministers met in [the the] capital.", "fixed": "The ministers met in the capital."},
            {"text": "[Russia russia] denies it.", "fixed": "Russia denies it."},
        ],
        "good": [
            "He had had enough of it.",
            "She said that that plan failed.",
            "“I had a very, very good meeting.”",
            "Boutros Boutros-Ghali spoke.",
            "The data is there to show you you can trust it.",
            "They gave her her medal on Friday.",
        ],
    },
)
def repeated_word(doc, rule):
    text = doc.scan_text
    padded = doc.padded_scan
    starts = [m.start() for m in scan_all(_ASCII_BEFORE_RE, padded)]
    if not text.isascii():
        # In ``padded`` the separator before offset s of the text is at s.
        other = matches_at(_OTHER_BEFORE_RE, padded, doc.after_non_ascii_separators)
        starts = sorted(starts + [m.start() for m in other])
    for m in finditer_at(_REPEAT_RE, text, starts):
        word = m.group(1)
        if word.lower() in _ALLOWED:
            continue
        if word[0].isupper() and m.group(3)[0].isupper() and word != word.upper():
            # "Walla Walla", "Sirhan Sirhan": doubled names are names
            if m.start() > 0 and not _sentence_start(text, m.start()):
                continue
        yield Hit(rule, m.start(), m.end(), {"0": m.group(0), "1": word})


def _sentence_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    return i < 0 or text[i] in ".!?\n\r"
