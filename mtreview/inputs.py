"""Finding input files and reading them into Documents, with one-line errors for bad input."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from mtreview import inputfile
from mtreview.document import Document
from mtreview.errors import MtreviewError
from mtreview.loaders import SUFFIXES, LoadOptions, load


def collect(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the files under folders that a loader reads (*.txt, *.md,
    *.markdown, *.html, *.htm; hidden ones skipped). Review pages mtreview wrote are not
    articles: skipped (named only such pages: an error)."""
    files: list[Path] = []
    pages: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not written_by_mtreview(p)
            )
            if not found:
                kinds = ", ".join(SUFFIXES)
                raise MtreviewError(f"{path}: no {kinds} files in this folder; name a file or another folder")
            files.extend(found)
        elif path.is_file():
            (pages if written_by_mtreview(path) else files).append(path)
        else:
            raise MtreviewError(f"{path}: {_not_an_article(path)}")
    if pages and not files:
        raise MtreviewError(f"{pages[0]}: a review page mtreview wrote, not an article; check the article it reviews")
    return list(dict.fromkeys(files))


def _not_an_article(path: Path) -> str:
    """Why ``path``, neither a folder nor a regular file, cannot be checked: a special file
    (which is never opened), a symbolic link loop, a dangling link, nothing there."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return inputfile.why_missing(path, exc, "file or folder")
    return f"not a regular file ({inputfile.file_kind(st.st_mode)}); name a text file or a folder"


#: What the head of a page mtreview wrote says (``mtreview/report/templates/review.html.j2``).
GENERATOR_TAG = b'<meta name="generator" content="mtreview '


def written_by_mtreview(path: Path) -> bool:
    """Whether ``path`` is a review page mtreview wrote (an .html or .htm file whose first 2 KB
    hold its generator tag)."""
    if path.suffix.lower() not in (".html", ".htm"):
        return False
    try:
        with open(path, "rb") as fh:
            return GENERATOR_TAG in fh.read(2048)
    except OSError:
        return False


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM removed, line endings kept); binary or invalid input is a clear error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise MtreviewError(f"{name}: UTF-16 text (byte-order mark at offset 0); re-save the file as UTF-8")
    nul = data.find(b"\0")  # anywhere: one C-speed scan, even of a large file
    if nul >= 0:
        raise MtreviewError(f"{name}: binary file (NUL byte at offset {nul}); mtreview reads UTF-8 text")
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = bom + exc.start
        line = data.count(b"\n", 0, offset) + 1
        raise MtreviewError(
            f"{name}: invalid UTF-8 at byte offset {offset} (line {line}, byte 0x{data[offset]:02x}); "
            "re-save the file as UTF-8"
        ) from None


def read_text(path: Path, role: str = "", kind: inputfile.Kind = inputfile.DOCUMENT) -> str:
    """The UTF-8 text of the file ``path`` names, read within ``kind``'s size limit
    (``mtreview.inputfile``: special files, links, limits), decoded by ``decode``; ``role``
    ("--reference") starts every message."""
    return decode(inputfile.read_bytes(path, role, kind), inputfile.label(path, role))


def read_document(path: Path, role: str = "", options: LoadOptions | None = None) -> Document:
    """The file as a Document, read by the loader of its format (``mtreview.loaders``);
    ``role`` ("--reference") prefixes error messages."""
    return load(read_text(path, role), str(path), options)


def read_pair(path: Path, source: Path, options: LoadOptions) -> Document:
    """The translation ``path`` as a Document paired with its source ``source`` (any
    format each; sentences aligned, ``Document.source``)."""
    return paired(read_document(path, options=options), read_document(source, "--source", options), str(source), options)


def paired(doc: Document, source_doc: Document, source_path: str, options: LoadOptions) -> Document:
    """``doc`` with ``source_doc`` (read from ``source_path``) as its source, sentences
    aligned (``Document.source``): how a translation read from a file (``read_pair``) or from
    an archive's row (``mtreview batch``) gets its source."""
    from mtreview.bilingual.pairing import language, pair

    doc.source = pair(doc, source_doc, source_path, language(options.source_lang, None, source_doc))
    return doc


#: What a source pattern may name: the target's file name, its name without the last suffix,
#: its name up to the first dot, and its last suffix (``article.en.md``: ``article.en.md``,
#: ``article.en``, ``article``, ``.md``).
SOURCE_FIELDS = ("name", "stem", "base", "suffix")


def source_of(path: Path, spec: str, files: int) -> Path | None:
    """Where the source of the translation ``path`` is, by ``spec``: a pattern
    (``"../es/{stem}.es{suffix}"``, relative to the translation's folder) or, when only one
    file is checked, a file. None when the pattern names no file."""
    if "{" not in spec:
        if files != 1:
            raise MtreviewError(f"--source {spec}: one source for {files} files; give a pattern such as "
                                "'../es/{stem}{suffix}' (README: Bilingual review)")
        source = Path(spec)
        if not source.exists() and not source.is_symlink():
            raise MtreviewError(f"--source {spec}: no such file; name the source of {path}")
        inputfile.regular(source, "--source")  # a link loop, a dangling link, a special file: said as such
        return source
    fields = {"name": path.name, "stem": path.stem, "base": path.name.split(".", 1)[0], "suffix": path.suffix}
    try:
        name = spec.format(**fields)
    except (KeyError, IndexError, ValueError) as exc:
        raise MtreviewError(f"source pattern {spec!r}: {exc!s} is not one of "
                            f"{{{'}, {'.join(SOURCE_FIELDS)}}}; write e.g. '../es/{{stem}}{{suffix}}'") from None
    source = path.parent / name
    return source if source.is_file() else None
