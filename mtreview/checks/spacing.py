"""White space that machine translation's tokeniser (or French typography) leaves before punctuation."""

from __future__ import annotations

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.matching.api import Hit

# Spaces between a word (or a closing quote, bracket, percent sign) and , . ; : ! ? that end
# a clause; not an ellipsis (" ..."), a ratio ("3 : 1") or a lone capital ("Plan B :").
_SPACE_BEFORE_RE = compile_pattern(r"(?<=[\w”’)%])[ \u00a0\u202f]+([,.;:!?])(?=[\s”’\")]|$)")
_NOT_AFTER_RE = compile_pattern(r"(?:\.\.\.|…|\b[A-Z]|\d)$")


@check(
    id="residue.space-before-punctuation",
    category="fluency/punctuation",
    severity="warning",
    fix="safe",
    message="A space before “{p}” (MT tokenisation or French typography); English sets no space before punctuation",
    why="""Machine translation output often keeps the space its tokeniser put before a comma or
        a full stop (“the talks , which”), and French typography puts a space before ; : ! and
        ? (“Pourquoi ?”). English sets every punctuation mark against the word before it.
        Only real white space counts: markup removed from HTML or Markdown (“</span>.”) is
        not a space.""",
    instead="“The talks, which began on Monday, ended.”",
    suggest="{p}",
    examples={
        "bad": [
            {"text": "The talks[ ,] which began on Monday, ended.", "fixed": "The talks, which began on Monday, ended."},
            {"text": "Why did they leave[ ?] Nobody knows.", "fixed": "Why did they leave? Nobody knows."},
            {"text": "He said three things[ :] no, no and no.", "fixed": "He said three things: no, no and no."},
        ],
        "good": [
            "The talks, which began on Monday, ended.",
            "Wait ... what happened?",
            "The ratio was 3 : 1 in the final.",
            "Plan B : the backup.",
        ],
    },
)
def space_before_punctuation(doc, rule):
    scan, text = doc.scan_text, doc.text
    for para in doc.paragraphs:
        for m in _SPACE_BEFORE_RE.finditer(scan, para.start, para.end):
            start = m.start()
            if not text[start : m.start(1)].isspace():
                continue  # blanked markup, not white space
            if _NOT_AFTER_RE.search(scan, max(para.start, start - 4), start):
                continue
            yield Hit(rule, start, m.end(), {"0": m.group(), "p": m.group(1)})
