"""Reading a file's text into a Document by format: one loader module per format, chosen by
the file's suffix in ``LOADERS`` (the one list of the suffixes mtreview reads). A loader keeps
the text as it is and says which stretches of it are prose (``Document.regions``); the rest
is blanked for the checks, so every offset is an offset into the file."""

from __future__ import annotations

import importlib
from pathlib import Path

from mtreview.document import Document

#: suffix -> loader module (``mtreview.loaders.<name>``, imported when first needed)
LOADERS = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
SUFFIXES = tuple(LOADERS)
DEFAULT = "text"  # a file named on the command line with another suffix is plain text


class LoadOptions:
    """What loaders are told: the Markdown front-matter keys whose values are prose."""

    __slots__ = ("front_matter_prose",)

    def __init__(self, front_matter_prose=("title", "description")):
        self.front_matter_prose = tuple(front_matter_prose)


def load(text: str, path: str, options: LoadOptions | None = None) -> Document:
    """``text`` (the decoded file) as the Document its format makes of it."""
    name = LOADERS.get(Path(path).suffix.lower(), DEFAULT)
    return importlib.import_module(f"mtreview.loaders.{name}").load(text, path, options or LoadOptions())
