"""The same word twice in a row ("the the")."""

from __future__ import annotations

import re

from mtreview.checks.base import check
from mtreview.matchers import Hit

_REPEAT_RE = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \t]+|[ \t]*\r?\n[ \t]*)(\1)(?![\w'’-])", re.IGNORECASE)
# Legitimate doubles in English.
_ALLOWED = frozenset({"had", "that", "bye", "so", "ha", "no", "yadda", "knock", "tut", "chop", "pooh"})


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
        ],
    },
)
def repeated_word(doc, rule):
    text = doc.scan_text
    for m in _REPEAT_RE.finditer(text):
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
