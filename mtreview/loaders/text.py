"""Plain text: all of it is prose, except suppression directives on lines of their own."""

from __future__ import annotations

from mtreview.document import Document, Span


def load(text: str, path: str, options=None) -> Document:
    if "[mtreview-" not in text:
        return Document(text, path)
    from mtreview.suppress import text_directives

    directives = text_directives(text)
    if not directives:
        return Document(text, path)
    regions, pos = [], 0
    for d in directives:
        regions.append(Span(pos, d.start))
        pos = d.end
    regions.append(Span(pos, len(text)))
    return Document(text, path, [r for r in regions if r.start < r.end], directives)
