"""XLIFF 1.2 and 2.x (``.xlf``, ``.xliff``), as CAT tools export them: each segment's
``<target>`` is prose, paired with its ``<source>`` (``mtreview/loaders/bilingual.py``).

XLIFF 1.x (1.0–1.2): a ``<trans-unit>`` is a segment; ``<seg-source>``, ``<alt-trans>``
(earlier matches) and notes are not read. XLIFF 2.x: each ``<segment>`` of a ``<unit>`` is
one; ``<ignorable>``, ``<originalData>`` and notes are not. Inline tags end a region (the
text ``<g>``, ``<mrk>`` and ``<pc>`` wrap is prose; the native code inside 1.2's ``<bpt>``,
``<ept>``, ``<ph>`` and ``<it>`` is not), and so do entity and character references. A unit
marked ``translate="no"`` is left out. The source language is 1.2's ``source-language``
(of the first ``<file>``) or 2.x's ``srcLang``; a target language that is given must be
English. ``<!-- mtreview-disable … -->`` comments are directives, as in HTML.
"""

from __future__ import annotations

from mtreview.document import Document
from mtreview.errors import MtreviewError
from mtreview.loaders.bilingual import Event, document, is_english, language_code, line_at, not_empty, read_xml, segments, unit

NAMESPACES = tuple(f"urn:oasis:names:tc:xliff:document:{v}" for v in ("1.0", "1.1", "1.2", "2.0", "2.1", "2.2"))
CODES_1 = frozenset({"bpt", "ept", "ph", "it"})  # native code (and the <sub> flows inside it)


def load(text: str, path: str, options) -> Document:
    not_empty(text, path, "an XLIFF file with <trans-unit> or <unit> elements")
    events = read_xml(text, path, NAMESPACES)
    root = next(e for e in events if e.kind == "start")
    if root.name != "xliff":
        raise MtreviewError(f"{path}:{line_at(text, root.start)}: not XLIFF (the root element is <{root.name}>, "
                            "not <xliff>); name an XLIFF file")
    if root.attrs.get("version", "").startswith("2"):
        # 2.x: the languages on the root; inline codes are empty elements, or wrap text
        declared = _languages(text, path, root, "srcLang", "trgLang")
        unit_name, codes = "segment", frozenset[str]()
    else:
        # 1.x: on each <file> (every one's target language is checked; the first names the source's)
        langs = [_languages(text, path, e, "source-language", "target-language")
                 for e in events if e.kind == "start" and e.name == "file"]
        declared = langs[0] if langs else None
        unit_name, codes = "trans-unit", CODES_1
    units = [unit(text, path, s, s.side("source"), s.side("target"))
             for s in segments(events, unit_name, _side, codes) if not s.excluded()]
    directives = [e.directive for e in events if e.directive is not None]
    return document(text, path, units, declared, options, directives)


def _side(open_elements: list[Event]) -> str | None:
    """``source`` or ``target`` for a unit's own (not, in 1.2, an ``<alt-trans>``'s)."""
    if len(open_elements) == 2 and open_elements[1].name in ("source", "target"):
        return open_elements[1].name
    return None


def _languages(text: str, path: str, element: Event, source: str, target: str) -> str | None:
    """The source language ``element`` declares, as one of mtreview's; its target language,
    when it names one, must be English."""
    where = f"{path}:{line_at(text, element.start)}"
    source_lang, target_lang = element.attrs.get(source), element.attrs.get(target)
    if target_lang and not is_english(target_lang):
        raise MtreviewError(f'{where}: {target}="{target_lang}": mtreview reviews translations into English; '
                            "export the English translation")
    if source_lang and is_english(source_lang):
        raise MtreviewError(f'{where}: {source}="{source_lang}": the source is English; mtreview reviews '
                            "translations into English; export the English translation")
    return language_code(source_lang)
