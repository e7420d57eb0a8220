"""The article as a Word file (.docx): its paragraphs, each edit as a tracked change (deleted
text, then the inserted text, by ``author`` at ``date``) and each open finding as a comment.

The review page builds the same file in the browser (``templates/docx.js``): the parts that
do not depend on the article are defined once, here, in ``STATIC_PARTS``, and handed to the
page as data; ``docx.js`` writes ``word/document.xml``, ``word/comments.xml`` and
``docProps/core.xml`` byte for byte as ``document_parts`` does (tested in Chromium). Change
one, change the other.

What goes in:

- ``paragraphs``: ``(start, end, heading)`` spans of ``text`` (``Document.paragraphs``), one
  Word paragraph each (style Heading1 or Normal). Text outside them is not in the document.
- ``edits``: ``(start, end, replacement)``; the ones ``select_edits`` keeps are shown (the
  semantics of ``apply_edits``). An edit that covers the whole break between two paragraphs
  deletes the first one's paragraph mark (accepting it joins them); a paragraph break (a
  blank line) in a replacement is an inserted paragraph mark, a single line break an
  inserted line break. What an edit deletes outside the paragraphs is not shown, its
  insertion goes where its span ends (at the end of the paragraph before, when that is
  between paragraphs); an edit that touches no paragraph and no paragraph break is left out.
- ``comments``: ``(start, end, text)``, anchored on that span (a start between paragraphs
  moves to the next one, an end to the one before; an empty span, or one between two
  paragraphs, is a point); each line of ``text`` is a paragraph of the comment.

Offsets are Python string indices (code points). Characters XML 1.0 does not allow are left
out; tabs and line breaks in a paragraph are ``w:tab`` and ``w:br``. The same input gives
the same bytes: fixed zip timestamps and order, nothing random, the date passed in.
"""

from __future__ import annotations

import io
import re
import zipfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence

from mtreview.fixes import select_edits
from mtreview.model import Edit

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: Every part of the file, in the order they are zipped. ``{body}``, ``{comments}``,
#: ``{title}``, ``{author}`` and ``{date}`` are filled in (``fill``); the rest is as it is.
STATIC_PARTS: dict[str, str] = {
    "[Content_Types].xml": _HEAD + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        '<Override PartName="/word/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        '<Override PartName="/word/settings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
        '<Override PartName="/word/comments.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": _HEAD + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        "</Relationships>"
    ),
    "docProps/core.xml": _HEAD + (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
        '<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created>'
        '<dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>'
        "</cp:coreProperties>"
    ),
    "word/document.xml": _HEAD + (
        f'<w:document xmlns:w="{_W}" xmlns:r="{_R}"><w:body>{{body}}'
        '<w:sectPr><w:pgSz w:w="12240" w:h="15840"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" w:footer="720" w:gutter="0"/>'
        "</w:sectPr></w:body></w:document>"
    ),
    "word/styles.xml": _HEAD + (
        f'<w:styles xmlns:w="{_W}">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" '
        'w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>'
        '<w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/>'
        '<w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
        '<w:style w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
        '<w:basedOn w:val="Normal"/><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>'
        "</w:styles>"
    ),
    "word/settings.xml": _HEAD + (
        f'<w:settings xmlns:w="{_W}"><w:trackRevisions/><w:defaultTabStop w:val="720"/>'
        '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat></w:settings>"
    ),
    "word/comments.xml": _HEAD + f'<w:comments xmlns:w="{_W}">{{comments}}</w:comments>',
    "word/_rels/document.xml.rels": _HEAD + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
        'Target="styles.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" '
        'Target="settings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" '
        'Target="comments.xml"/>'
        "</Relationships>"
    ),
}

_FIELD_RE = re.compile(r"\{(body|comments|title|author|date)\}")
# what XML 1.0 does not allow (control characters but tab and line breaks, surrogates, U+FFFE/F)
_NOT_XML_RE = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_RUN_PIECE_RE = re.compile(r"\r\n|\r|\n|\t|[^\r\n\t]+")
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
# a paragraph break: mtreview.document's (a line break, then a line of white space or none)
_PARAGRAPH_BREAK_RE = re.compile(r"(?:\r\n|\r(?!\n)|\n)(?:[ \t\f\v]*(?:\r\n|\r(?!\n)|\n))+")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# The order of what happens at one point of a paragraph: the insertion of an edit ending
# there, the end of a comment, a comment on an empty span, the start of a comment.
_INSERT, _COMMENT_END, _COMMENT_POINT, _COMMENT_START = range(4)


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with each ``{field}`` replaced, in one pass (a value is never read again)."""
    return _FIELD_RE.sub(lambda m: values[m.group(1)], template)


def escape(text: str) -> str:
    """Text for XML content or a quoted attribute, without the characters XML cannot hold."""
    text = _NOT_XML_RE.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def comment_text(finding: dict) -> str:
    """A finding (as the JSON contract has it) as a comment: its message; "Suggested: ..."
    when it has a suggestion ("(delete)" for an empty one); its rule. Mirrored by docx.js's
    ``commentText``."""
    lines = [finding["message"]]
    if finding.get("suggestions"):
        lines.append("Suggested: " + (finding["suggestions"][0] or "(delete)"))
    lines.append(finding["rule"])
    return "\n".join(lines)


def _run_content(text: str, tag: str) -> str:
    """The inside of a run holding ``text``: text in ``tag`` elements, tabs, line breaks."""
    out = []
    for m in _RUN_PIECE_RE.finditer(_NOT_XML_RE.sub("", text)):
        piece = m.group()
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r\n", "\r", "\n"):
            out.append("<w:br/>")
        else:
            out.append(f'<{tag} xml:space="preserve">{escape(piece)}</{tag}>')
    return "".join(out)


def _comment_body(text: str) -> str:
    """A comment's paragraphs: one per line of ``text``."""
    out = []
    for line in _LINE_BREAK_RE.split(text):
        content = _run_content(line, "w:t")
        out.append(f"<w:p><w:r>{content}</w:r></w:p>" if content else "<w:p></w:p>")
    return "".join(out)


class _Writer:
    """Serialises paragraphs' items; numbers revisions in the order they are written."""

    def __init__(self, author: str, date: str, first_id: int):
        self.attributes = f'w:author="{escape(author)}" w:date="{escape(date)}"'
        self.next_id = first_id

    def revision(self, tag: str, inner: str = "") -> str:
        rid, self.next_id = self.next_id, self.next_id + 1
        if not inner:
            return f'<w:{tag} w:id="{rid}" {self.attributes}/>'
        return f'<w:{tag} w:id="{rid}" {self.attributes}>{inner}</w:{tag}>'

    def paragraph(self, heading: bool, mark: str, items: list[tuple[str, object]]) -> str:
        style = "Heading1" if heading else "Normal"
        props = f'<w:pStyle w:val="{style}"/>'
        if mark != "normal":
            props += f"<w:rPr>{self.revision(mark)}</w:rPr>"
        out = [f"<w:p><w:pPr>{props}</w:pPr>"]
        for kind, value in items:
            if kind == "run":
                content = _run_content(str(value), "w:t")
                if content:
                    out.append(f"<w:r>{content}</w:r>")
            elif kind in ("del", "ins"):
                content = _run_content(str(value), "w:delText" if kind == "del" else "w:t")
                if content:
                    out.append(self.revision(kind, f"<w:r>{content}</w:r>"))
            elif kind == "start":
                out.append(f'<w:commentRangeStart w:id="{value}"/>')
            else:  # "end"
                out.append(f'<w:commentRangeEnd w:id="{value}"/><w:r><w:commentReference w:id="{value}"/></w:r>')
        out.append("</w:p>")
        return "".join(out)


def _as_edit(edit: Edit | Sequence) -> Edit:
    return edit if isinstance(edit, Edit) else Edit(int(edit[0]), int(edit[1]), str(edit[2]))


def _covers_break(s: int, e: int, end: int, next_start: int) -> bool:
    """Whether the span s..e takes in the whole break between a paragraph ending at ``end``
    and the next, starting at ``next_start`` (for two that touch: runs across that point)."""
    return s <= end and e >= next_start and (end < next_start or s < end < e)


def _layout(text: str, paragraphs: list[tuple[int, int, bool]], edits: list[Edit],
            comments: list[tuple[int, int, str]]) -> tuple[list[list[tuple]], list[bool]]:
    """Per paragraph, what happens at which offset (events) and which stretches are deleted;
    and which paragraph marks are deleted."""
    n = len(paragraphs)
    starts = [p[0] for p in paragraphs]
    ends = [p[1] for p in paragraphs]
    events: list[list[tuple]] = [[] for _ in paragraphs]  # (offset, order, sequence, kind, value)
    deleted: list[list[tuple[int, int]]] = [[] for _ in paragraphs]
    mark_deleted = [False] * n
    seq = 0
    for edit in select_edits(edits):
        s, e = edit.start, edit.end
        touched = False
        for k in range(max(0, bisect_right(starts, s) - 1), bisect_right(starts, e)):
            ps, pe = starts[k], ends[k]
            if max(s, ps) < min(e, pe):
                deleted[k].append((max(s, ps), min(e, pe)))
                touched = True
            elif s == e and ps <= s <= pe:
                touched = True
            if k + 1 < n and _covers_break(s, e, pe, starts[k + 1]):
                mark_deleted[k] = touched = True
        if touched:
            k = bisect_right(starts, e) - 1
            events[k].append((min(e, ends[k]), _INSERT, seq, "ins", edit.replacement))
            seq += 1
    for cid, (s, e, _) in enumerate(comments):
        ks = bisect_left(ends, s)
        start = (ks, max(s, starts[ks])) if ks < n else (n - 1, ends[-1])
        ke = bisect_right(starts, e) - 1
        end = (ke, min(e, ends[ke])) if ke >= 0 else (0, starts[0])
        if end <= start:
            events[start[0]].append((start[1], _COMMENT_POINT, seq, "point", cid))
        else:
            events[start[0]].append((start[1], _COMMENT_START, seq, "start", cid))
            events[end[0]].append((end[1], _COMMENT_END, seq, "end", cid))
        seq += 1
    out = []
    for k in range(n):
        dels = sorted(deleted[k])
        evs = sorted(events[k])
        bounds = sorted({starts[k], ends[k]} | {x for d in dels for x in d} | {ev[0] for ev in evs})
        items: list[tuple] = []
        i = 0
        for j, x in enumerate(bounds):
            while i < len(evs) and evs[i][0] == x:
                _, _, _, kind, value = evs[i]
                if kind == "ins":
                    for p, piece in enumerate(_PARAGRAPH_BREAK_RE.split(value)):
                        if p:
                            items.append(("mark", None))
                        items.append(("ins", piece))
                elif kind == "point":
                    items += [("start", value), ("end", value)]
                else:
                    items.append((kind, value))
                i += 1
            if j + 1 < len(bounds):
                y = bounds[j + 1]
                gone = any(a <= x and y <= b for a, b in dels)
                items.append(("del" if gone else "run", text[x:y]))
        out.append(items)
    return out, mark_deleted


def document_parts(text: str, paragraphs: Iterable[Sequence], edits: Iterable[Edit | Sequence],
                   comments: Iterable[Sequence], date: str, author: str = "mtreview", title: str = "") -> dict[str, str]:
    """Every part of the Word file as text, in zip order (see the module's docstring)."""
    paras = [(int(p[0]), int(p[1]), bool(p[2])) for p in paragraphs] or [(0, 0, False)]
    edit_list = [_as_edit(e) for e in edits]
    notes = [(int(c[0]), int(c[1]), str(c[2])) for c in comments]
    for s, e, _ in [*paras, *((x.start, x.end, "") for x in edit_list), *notes]:
        if not 0 <= s <= e <= len(text):
            raise ValueError(f"span {s}..{e} is outside the text (length {len(text)})")
    layout, mark_deleted = _layout(text, paras, edit_list, notes)
    writer = _Writer(author, date, len(notes))
    body = []
    for (_, _, heading), items, gone in zip(paras, layout, mark_deleted, strict=True):
        part: list[tuple] = []
        for item in items:
            if item[0] == "mark":
                body.append(writer.paragraph(heading, "ins", part))
                part = []
            else:
                part.append(item)
        body.append(writer.paragraph(heading, "del" if gone else "normal", part))
    attributes = f'w:author="{escape(author)}" w:date="{escape(date)}" w:initials="MT"'
    comment_xml = "".join(f'<w:comment w:id="{cid}" {attributes}>{_comment_body(note)}</w:comment>'
                          for cid, (_, _, note) in enumerate(notes))
    values = {"body": "".join(body), "comments": comment_xml, "title": escape(title), "author": escape(author),
              "date": escape(date)}
    return {name: fill(template, values) for name, template in STATIC_PARTS.items()}


def build_docx(text: str, paragraphs: Iterable[Sequence], edits: Iterable[Edit | Sequence], comments: Iterable[Sequence],
               date: str, author: str = "mtreview", title: str = "") -> bytes:
    """The Word file (see the module's docstring); ``date``: ISO 8601, "2026-12-03T22:00:00Z";
    ``title``: the document's title (the article's file name)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, xml in document_parts(text, paragraphs, edits, comments, date, author, title).items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 3  # Unix, whatever system writes it (the default depends on it)
            info.external_attr = 0o644 << 16
            archive.writestr(info, xml.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
