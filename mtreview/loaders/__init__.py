"""Reading a file's text into a Document by format: one loader module per format, chosen by
the file's suffix in ``LOADERS``, the one list of the suffixes mtreview reads (folders,
the pre-commit hook and the help read it too). A new input format is one module here (with
``load(text, path, options) -> Document``) and its suffixes below. A loader keeps the text as
it is and says which stretches of it are prose (``Document.regions``); the rest is blanked
for the checks, so every offset is an offset into the file."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mtreview.options import FRONT_MATTER_PROSE

if TYPE_CHECKING:  # the command line reads the table below at start-up: nothing heavy here
    from mtreview.document import Document

class Loader(NamedTuple):
    module: str  # ``mtreview.loaders.<module>``, imported when first needed
    media_type: str
    in_folders: bool = True  # read when a folder is checked (else only when named)


#: suffix -> its loader
LOADERS = {
    ".txt": Loader("text", "text/plain"),
    ".md": Loader("markdown", "text/markdown"),
    ".markdown": Loader("markdown", "text/markdown"),
    ".html": Loader("html", "text/html"),
    ".htm": Loader("html", "text/html"),
    # bilingual files, as translation tools export them (mtreview/loaders/bilingual.py)
    ".xlf": Loader("xliff", "application/xliff+xml"),
    ".xliff": Loader("xliff", "application/xliff+xml"),
    ".tmx": Loader("tmx", "application/x-tmx+xml"),
    # a folder of data files is not a folder of translations: these only when named
    ".tsv": Loader("tabular", "text/tab-separated-values", in_folders=False),
    ".csv": Loader("tabular", "text/csv", in_folders=False),
}
#: The suffixes of the files a folder is searched for (and the pre-commit hook checks).
SUFFIXES = tuple(suffix for suffix, loader in LOADERS.items() if loader.in_folders)
DEFAULT = LOADERS[".txt"]  # a file named on the command line with another suffix is plain text


def media_type(path: str) -> str:
    """The media type of the file ``path``, as it is read."""
    return LOADERS.get(Path(path).suffix.lower(), DEFAULT).media_type


class LoadOptions:
    """What loaders are told: the Markdown front-matter keys whose values are prose, and the
    source language (``--source-lang``: a language, or ``auto``) for the sources they pair."""

    __slots__ = ("front_matter_prose", "source_lang")

    def __init__(self, front_matter_prose=FRONT_MATTER_PROSE, source_lang: str = "auto"):
        self.front_matter_prose = tuple(front_matter_prose)
        self.source_lang = source_lang


def load(text: str, path: str, options: LoadOptions | None = None) -> Document:
    """``text`` (the decoded file) as the Document its format makes of it."""
    name = LOADERS.get(Path(path).suffix.lower(), DEFAULT).module
    return importlib.import_module(f"mtreview.loaders.{name}").load(text, path, options or LoadOptions())
