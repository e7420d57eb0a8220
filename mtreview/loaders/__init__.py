"""Reading a file's text into a Document by format: one loader module per format, chosen by
the file's suffix in ``LOADERS``, the one list of the suffixes mtreview reads (folders,
the pre-commit hook and the help read it too). A new input format is one module here (with
``load(text, path, options) -> Document``) and its suffixes below. A loader keeps the text as
it is and says which stretches of it are prose (``Document.regions``); the rest is blanked
for the checks, so every offset is an offset into the file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from mtreview.options import FRONT_MATTER_PROSE

if TYPE_CHECKING:  # the command line reads the table below at start-up: nothing heavy here
    from mtreview.document import Document

#: suffix -> (loader module ``mtreview.loaders.<name>``, imported when first needed; media type)
LOADERS = {
    ".txt": ("text", "text/plain"),
    ".md": ("markdown", "text/markdown"),
    ".markdown": ("markdown", "text/markdown"),
    ".html": ("html", "text/html"),
    ".htm": ("html", "text/html"),
}
SUFFIXES = tuple(LOADERS)
DEFAULT = LOADERS[".txt"]  # a file named on the command line with another suffix is plain text


def media_type(path: str) -> str:
    """The media type of the file ``path``, as it is read."""
    return LOADERS.get(Path(path).suffix.lower(), DEFAULT)[1]


class LoadOptions:
    """What loaders are told: the Markdown front-matter keys whose values are prose."""

    __slots__ = ("front_matter_prose",)

    def __init__(self, front_matter_prose=FRONT_MATTER_PROSE):
        self.front_matter_prose = tuple(front_matter_prose)


def load(text: str, path: str, options: LoadOptions | None = None) -> Document:
    """``text`` (the decoded file) as the Document its format makes of it."""
    name = LOADERS.get(Path(path).suffix.lower(), DEFAULT)[0]
    return importlib.import_module(f"mtreview.loaders.{name}").load(text, path, options or LoadOptions())
