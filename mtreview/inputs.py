"""Finding input files and reading them into Documents, with one-line errors for bad input."""

from __future__ import annotations

import codecs
from pathlib import Path

from mtreview.document import Document
from mtreview.errors import MtreviewError
from mtreview.loaders import SUFFIXES, LoadOptions, load


def collect(paths: list[Path]) -> list[Path]:
    """Files named directly, plus the files under folders that a loader reads (*.txt, *.md,
    *.markdown, *.html, *.htm; hidden ones skipped)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.suffix.lower() in SUFFIXES and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                kinds = ", ".join(SUFFIXES)
                raise MtreviewError(f"{path}: no {kinds} files in this folder; name a file or another folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        elif path.exists():
            raise MtreviewError(f"{path}: not a regular file; name a text file or a folder")
        else:
            raise MtreviewError(f"{path}: no such file or folder; check the path")
    return list(dict.fromkeys(files))


def decode(data: bytes, name: str) -> str:
    """UTF-8 (BOM removed, line endings kept); binary or invalid input is a clear error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise MtreviewError(f"{name}: UTF-16 text (byte-order mark at offset 0); re-save the file as UTF-8")
    nul = data.find(b"\0", 0, 8192)
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


def read_document(path: Path, role: str = "", options: LoadOptions | None = None) -> Document:
    """The file as a Document, read by the loader of its format (``mtreview.loaders``);
    ``role`` ("--reference") prefixes error messages."""
    label = f"{role} {path}" if role else str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MtreviewError(f"{label}: cannot read: {exc.strerror or exc}") from None
    return load(decode(data, label), str(path), options)
