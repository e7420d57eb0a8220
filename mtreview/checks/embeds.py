"""Leftovers of social-media embeds pasted into body copy: links, attributions, hashtags,
mentions and emoji. Proper embeds (regions a loader marks as embeds) are not body copy."""

from __future__ import annotations

import re

from mtreview.checks.base import check
from mtreview.diskcache import compile_pattern
from mtreview.matching.api import Hit, finditer_at
from mtreview.textpatterns import MONTHS

_PIC_LINK_RE = compile_pattern(r"(?<![\w/.])(?:https?://)?(?:pic\.twitter\.com|t\.co)/\w+")
_ATTRIBUTION_RE = compile_pattern(
    r"[—–]\s*[^\n—–()@]{1,80}?\s*\(@\w{1,15}\)\s+(?:" + MONTHS + r")\s+\d{1,2},\s+\d{4}"
)
# The look-behinds come after the # and @ (checking the character before them), so the
# regex engine jumps from one # or @ to the next instead of trying every position.
_HASHTAG_RE = compile_pattern(r"#(?<![\w&#/]#)[^\W\d_]\w{1,138}")
_MENTION_RE = compile_pattern(r"@(?<![\w.@/(]@)\w{1,15}(?![\w@)])")
# A handle the copy tells readers to use (“message @CityDesk”, “follow us at @AP”) is the
# story's own call to action, not a pasted post.
_CALL_TO_ACTION_RE = compile_pattern(
    r"\b(?:message|messaging|dm|follow|following|tag|contact|tweet|text|write\s+to|reach|find|email)"
    r"(?:\s+(?:us|them|me|him|her))?(?:\s+(?:at|on|via))?\s+$",
    re.IGNORECASE,
)
# Every link match has one of these within 8 characters ("https://") of its start.
_PIC_LINK_LITERALS = ("pic.twitter.com/", "t.co/")
_PIC_LINK_REACH = len("https://")
# Pictographs, the symbols that default to emoji presentation, and any symbol made emoji
# by the variation selector U+FE0F; skin tones and ZWJ sequences ride along.
_EMOJI_DEFAULT = (
    "\U0001F000-\U0001FAFF\u231A\u231B\u23E9-\u23EC\u23F0\u23F3\u25FD\u25FE\u2614\u2615"
    "\u2648-\u2653\u267F\u2693\u26A1\u26AA\u26AB\u26BD\u26BE\u26C4\u26C5\u26CE\u26D4\u26EA"
    "\u26F2\u26F3\u26F5\u26FA\u26FD\u2705\u270A\u270B\u2728\u274C\u274E\u2753-\u2755\u2757"
    "\u2795-\u2797\u27B0\u27BF\u2B1B\u2B1C\u2B50\u2B55"
)
# One emoji is one grapheme cluster: a flag (two regional indicators), a subdivision flag
# (black flag, tag characters, cancel tag), a keycap (digit, # or *, U+FE0F, U+20E3), or a
# pictograph with its variation selector and skin tone.
_EMOJI_ONE = (
    "(?:[\U0001F1E6-\U0001F1FF]{2}|\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F|[0-9#*]\uFE0F?\u20E3"
    f"|(?:[{_EMOJI_DEFAULT}]\uFE0F?|[\u00A9\u00AE\u203C-\u3299]\uFE0F)[\U0001F3FB-\U0001F3FF]?)"
)
_EMOJI_RE = compile_pattern(f"( ?)({_EMOJI_ONE}(?:\u200D{_EMOJI_ONE})*)")
# The first character of every emoji match (after the optional space); all are above
# U+00A8, so the scan skips ASCII and Latin-1 text at full speed.
_EMOJI_FIRST_RE = compile_pattern(f"[^\x00-\xa8](?<=[{_EMOJI_DEFAULT}\u00A9\u00AE\u203C-\u3299\u20E3])")


def _pic_link_starts(text: str) -> list[int]:
    """Every offset where a link match can start."""
    starts: set[int] = set()
    for literal in _PIC_LINK_LITERALS:
        i = text.find(literal)
        while i >= 0:
            starts.update(range(max(0, i - _PIC_LINK_REACH), i + 1))
            i = text.find(literal, i + 1)
    return sorted(starts)


def _emoji_starts(text: str) -> list[int]:
    """Every offset where an emoji match (with or without its space) can start."""
    if text.isascii():
        return []
    starts: list[int] = []
    for m in _non_ascii_chunks_finditer(_EMOJI_FIRST_RE, text):
        i = m.start()
        if text[i] == "\u20E3":  # a keycap starts at its ASCII digit, # or *
            j = i - 1 - (i > 0 and text[i - 1] == "\uFE0F")
            if j < 0 or text[j] not in "0123456789#*":
                continue
            i = j
        if i and text[i - 1] == " " and (not starts or starts[-1] < i - 1):
            starts.append(i - 1)
        if not starts or starts[-1] < i:
            starts.append(i)
    return starts


_CHUNK = 4096


def _non_ascii_chunks_finditer(pattern, text: str):
    """``pattern.finditer(text)`` for a one-character pattern of non-ASCII characters,
    skipping the stretches of text that are all ASCII (a slice knows that at once)."""
    for start in range(0, len(text), _CHUNK):
        if not text[start : start + _CHUNK].isascii():
            yield from pattern.finditer(text, start, start + _CHUNK)


def _dash_starts(text: str) -> list[int]:
    """Every offset where an attribution match can start: its dashes."""
    starts = []
    for dash in "—–":
        i = text.find(dash)
        while i >= 0:
            starts.append(i)
            i = text.find(dash, i + 1)
    return sorted(starts)


def _finditer(pattern, doc, rule):
    for m in pattern.finditer(doc.scan_text):
        yield Hit(rule, m.start(), m.end(), {"0": m.group()})


@check(
    id="embed.pic-link",
    category="design/markup",
    severity="error",
    message="Leftover tweet embed: “{0}” is the image link of an embedded post",
    why="""When a story with an embedded tweet is copied or translated as text, the embed
        collapses into its raw text: the tweet, a pic.twitter.com or t.co link and the
        author line. Readers see debris; restore the embed or quote the post properly.""",
    instead="Restore the embed, or quote the post: Biden wrote on Twitter that “…”.",
    examples={
        "bad": ["Reinforce the eastern flank. [pic.twitter.com/2XvTTvdLJl]",
                "Read it here [https://t.co/AbC123]"],
        "good": ["The picture was posted on Twitter.", "See https://example.com/pic.twitter.com/x here."],
    },
)
def pic_link(doc, rule):
    text = doc.scan_text
    for m in finditer_at(_PIC_LINK_RE, text, _pic_link_starts(text)):
        yield Hit(rule, m.start(), m.end(), {"0": m.group()})


@check(
    id="embed.tweet-attribution",
    category="design/markup",
    severity="error",
    message="Leftover tweet embed: “{0}” is the author line of an embedded post",
    why="""The line “— Name (@handle) Month D, YYYY” is what an embedded tweet leaves behind
        when it is flattened to text. The paragraph before it is the tweet itself, unquoted.""",
    instead="Restore the embed, or attribute the quote in a sentence: NATO wrote on Twitter…",
    examples={
        "bad": ["Join us tomorrow. [— NATO (@NATO) January 24, 2022]",
                "We discussed our efforts. [— President Biden (@POTUS) January 24, 2022]"],
        "good": ["NATO said on Twitter on January 24, 2022, that it would meet.",
                 "The minister — a former diplomat — spoke on January 24, 2022."],
    },
)
def tweet_attribution(doc, rule):
    text = doc.scan_text
    for m in finditer_at(_ATTRIBUTION_RE, text, _dash_starts(text)):
        yield Hit(rule, m.start(), m.end(), {"0": m.group()})


@check(
    id="embed.hashtag",
    category="design/markup",
    severity="warning",
    message="Hashtag in body copy: “{0}”",
    why="""Hashtags belong to social posts. In an article's prose they are almost always a
        flattened embed or a pasted post; news style names the campaign in words.""",
    instead="Name the campaign or drop the tag: “a conversation organized by BORN”.",
    examples={
        "bad": ["A conversation organized by [#BORN] and others."],
        "good": ["He finished No. 1 and scored #1 hits.", "Code in C# is fast.",
                 "See https://example.com/page#section for more."],
    },
)
def hashtag(doc, rule):
    return _finditer(_HASHTAG_RE, doc, rule)


@check(
    id="embed.mention",
    category="design/markup",
    severity="warning",
    message="Social-media handle in body copy: “{0}”",
    why="""An @handle in prose is a pasted post. Name the person or organisation; give the
        handle only where the story is about the account.""",
    instead="“the Munich Security Conference”, not “@MunSecConf”.",
    examples={
        "bad": ["Organized by BORN and [@MunSecConf] tomorrow."],
        "good": ["Write to press@example.com for details.", "The author line (@POTUS) is a separate rule.",
                 "“If you see flooding, message @CityDesk with a photo,” the editor said.",
                 "Follow us at @NewsDesk for updates."],
    },
)
def mention(doc, rule):
    text = doc.scan_text
    for m in _MENTION_RE.finditer(text):
        if _CALL_TO_ACTION_RE.search(text, max(0, m.start() - 40), m.start()):
            continue
        yield Hit(rule, m.start(), m.end(), {"0": m.group()})


@check(
    id="embed.emoji",
    category="design/markup",
    severity="warning",
    message="Emoji in body copy: “{0}”",
    why="""Emoji come from pasted social posts; news copy does not use them.""",
    instead="Drop the emoji.",
    fix="safe",
    suggest="",
    examples={
        "bad": [{"text": "Join us tomorrow[ ⤵️] for a talk.", "fixed": "Join us tomorrow for a talk."},
                {"text": "Great news[ 🎉]", "fixed": "Great news"},
                {"text": "Great[🎉] news", "fixed": "Great news"},
                {"text": "Paris[ 🇫🇷] won.", "fixed": "Paris won."},
                {"text": "Edinburgh[ 🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F] voted.",
                 "fixed": "Edinburgh voted."},
                {"text": "Step[ 1️⃣] done.", "fixed": "Step done."},
                {"text": "Done[ 👍🏽] today.", "fixed": "Done today."}],
        "good": ["Temperatures fell 5°C overnight.", "The arrow → shows the trend.", "It cost €5 ★ rated.",
                 "Room 1 and gate #2 are open."],
    },
)
def emoji(doc, rule):
    text = doc.scan_text
    for m in finditer_at(_EMOJI_RE, text, _emoji_starts(text)):
        # Take one space before the emoji with it when a space or the end follows, so
        # removing it leaves clean spacing.
        end = m.end()
        trailing_ok = end == len(text) or text[end].isspace()
        start = m.start() if m.group(1) and trailing_ok else m.start(2)
        yield Hit(rule, start, end, {"0": m.group(2)})
