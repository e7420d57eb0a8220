"""LanguageTool's answer to ``/v2/check``, checked field by field: the matches a finding can be
made of, and how many were malformed.

The answer comes from a server mtreview does not control, so nothing in it is trusted: a match
is kept only when its offset and length are integers that place it inside the checked text
(LanguageTool counts in UTF-16 code units; they are turned into Python's code points here), its
rule id is an id, and its message and replacements are strings. Anything else skips that match
(the caller notes how many); an answer that is not JSON, or JSON without a list of matches, is
no answer at all (``BadAnswer``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

MAX_MESSAGE = 1000  # characters of a message kept
MAX_REPLACEMENT = 1000  # a longer replacement is not a correction of a span: the match is malformed
REPLACEMENTS = 5  # replacements looked at (and offered as suggestions)
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,120}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # terminal escapes, NULs: never in a message or a correction


class BadAnswer(Exception):
    """The answer is not LanguageTool's; the message says what it is instead, in one line."""


@dataclass(frozen=True)
class Match:
    """One valid match: ``offset`` and ``error_length`` in code points of the checked text."""

    offset: int
    error_length: int
    rule_id: str
    category: str
    rule_issue_type: str
    message: str
    replacements: tuple[str, ...]


class _Offsets:
    """UTF-16 offsets (LanguageTool's, from Java) → code point offsets (Python's)."""

    def __init__(self, text: str):
        # the UTF-16 position of each character outside the BMP (two code units each)
        self._pairs = [] if text.isascii() else [
            i + k for k, i in enumerate(i for i, c in enumerate(text) if ord(c) > 0xFFFF)]
        self._units = len(text) + len(self._pairs)

    def index(self, unit: int) -> int | None:
        """The code point at UTF-16 offset ``unit``; None outside the text or between the two
        halves of a character."""
        if not 0 <= unit <= self._units:
            return None
        before = bisect_left(self._pairs, unit)  # pairs that start before ``unit``
        if before and self._pairs[before - 1] + 1 == unit:
            return None
        return unit - before


def parse(body: bytes, text: str) -> tuple[list[Match], int]:
    """The valid matches of the answer ``body`` to checking ``text``, and the number skipped as
    malformed (also those beyond one per character of the text: more than a text can have)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise BadAnswer("an answer that is not UTF-8 text: not a LanguageTool server?") from None
    except (ValueError, RecursionError):
        start = " ".join(body[:40].decode("utf-8", "replace").split())
        raise BadAnswer(f"an answer that is not JSON ({''.join(c for c in start if c.isprintable())!r}…): "
                        "not a LanguageTool server?") from None
    if not isinstance(data, dict) or not isinstance(data.get("matches"), list):
        raise BadAnswer("JSON without a list of matches: not a LanguageTool answer")
    items = data["matches"]
    limit = max(100, len(text))
    offsets = _Offsets(text)
    kept = [m for m in (_match(item, offsets) for item in items[:limit]) if m is not None]
    return kept, len(items) - len(kept)


def _match(item, offsets: _Offsets) -> Match | None:
    """``item`` as a Match, or None when any field of it is malformed."""
    if not isinstance(item, dict):
        return None
    offset, length = item.get("offset"), item.get("length")
    # integers only: not bools, not floats (1e400 is a float: infinity)
    if type(offset) is not int or type(length) is not int or length <= 0:
        return None
    start, end = offsets.index(offset), offsets.index(offset + length)
    if start is None or end is None or start >= end:
        return None
    rule = item.get("rule")
    if not isinstance(rule, dict) or not isinstance(rule.get("id"), str) or not _ID.fullmatch(rule["id"]):
        return None
    category = rule.get("category", {})
    category_id = category.get("id", "") if isinstance(category, dict) else None
    issue_type = rule.get("issueType", "")
    message = item.get("message", "")
    if not isinstance(category_id, str) or (category_id and not _ID.fullmatch(category_id)) \
            or not isinstance(issue_type, str) or not isinstance(message, str):
        return None
    replacements = item.get("replacements", [])
    if not isinstance(replacements, list):
        return None
    values = []
    for r in replacements[:REPLACEMENTS]:
        value = r.get("value") if isinstance(r, dict) else None
        if not isinstance(value, str) or len(value) > MAX_REPLACEMENT or _CONTROL.search(value):
            return None
        values.append(value)
    message = " ".join(unicodedata.normalize("NFKC", message).split())
    message = _CONTROL.sub("", message)[:MAX_MESSAGE]
    return Match(offset=start, error_length=end - start, rule_id=rule["id"], category=category_id,
                 rule_issue_type=issue_type[:60], message=message, replacements=tuple(values))
