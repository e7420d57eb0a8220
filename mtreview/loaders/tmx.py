"""TMX 1.4 (and 1.1) translation memories (``.tmx``): each ``<tu>`` is a segment, its English
``<tuv>`` the prose, paired with the ``<tuv>`` in the source language
(``mtreview/loaders/bilingual.py``).

The source language is the ``<tu>``'s ``srclang``, else the header's; with ``*all*`` (any),
the ``<tuv>`` that is not English. Only a ``<tuv>``'s ``<seg>`` is read (not ``<prop>`` or
``<note>``). Inline tags end a region (the text ``<hi>`` wraps is prose; the native code in
``<bpt>``, ``<ept>``, ``<it>``, ``<ph>`` and ``<ut>`` is not), and so do entity and
character references. A ``<tu>`` with a source and no English ``<tuv>`` is untranslated (an
omission); one with a ``<tuv>`` in a third language only is an error: the translation must
be into English. ``<!-- mtreview-disable … -->`` comments are directives, as in HTML.
"""

from __future__ import annotations

from mtreview.document import Document
from mtreview.errors import MtreviewError
from mtreview.loaders.bilingual import (
    Event,
    Segment,
    Side,
    document,
    is_english,
    language_code,
    line_at,
    not_empty,
    read_xml,
    segments,
    unit,
)

CODES = frozenset({"bpt", "ept", "it", "ph", "ut"})  # native code (and the <sub> flows inside it)
ANY = "*all*"


def load(text: str, path: str, options) -> Document:
    not_empty(text, path, "a TMX file with <tu> elements")
    events = read_xml(text, path, ())
    root = next(e for e in events if e.kind == "start")
    if root.name != "tmx":
        raise MtreviewError(f"{path}:{line_at(text, root.start)}: not TMX (the root element is <{root.name}>, "
                            "not <tmx>); name a TMX file")
    header = next((e for e in events if e.kind == "start" and e.name == "header"), None)
    default = header.attrs.get("srclang", ANY) if header is not None else ANY
    units, declared = [], language_code(default)
    for segment in segments(events, "tu", _side, CODES):
        source, target = _sides(text, path, segment, segment.element.attrs.get("srclang", default))
        if declared is None and source is not None:
            declared = language_code(source.label)
        units.append(unit(text, path, segment, source, target))
    directives = [e.directive for e in events if e.directive is not None]
    return document(text, path, units, declared, options, directives)


def _side(open_elements: list[Event]) -> str | None:
    """The language of a ``<tuv>``'s ``<seg>`` (``xml:lang``, or TMX 1.1's ``lang``)."""
    if [e.name for e in open_elements] == ["tu", "tuv", "seg"]:
        tuv = open_elements[1].attrs
        return tuv.get("xml:lang") or tuv.get("lang") or ""
    return None


def _sides(text: str, path: str, segment: Segment, srclang: str) -> tuple[Side | None, Side | None]:
    """The source and the English ``<tuv>`` of a ``<tu>``."""
    where = f"{path}:{line_at(text, segment.element.start)}"
    if is_english(srclang):
        raise MtreviewError(f'{where}: srclang="{srclang}": the source is English; mtreview reviews translations '
                            "into English from another language")
    target = next((s for s in segment.sides if is_english(s.label)), None)
    if srclang == ANY:
        source = next((s for s in segment.sides if not is_english(s.label)), None)
    else:
        source = next((s for s in segment.sides if s.label.lower() == srclang.lower()), None)
        source = source or next((s for s in segment.sides if _primary(s.label) == _primary(srclang)), None)
    other = next((s for s in segment.sides if s is not source and s is not target), None)
    if target is None and other is not None:
        raise MtreviewError(f'{where}: a translation into "{other.label}", not English; mtreview reviews '
                            "translations into English: export a memory with the English translation")
    return source, target


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-")[0].lower()
