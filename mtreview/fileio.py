"""Writing files atomically (temporary file in the same folder, then rename)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from mtreview.errors import MtreviewError


def write_atomic(path: Path, text: str | bytes, original: Path | None = None) -> None:
    """Write UTF-8 text (or bytes as they are); keep the original's BOM and permissions when
    rewriting a file."""
    path = Path(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if original is not None:
        try:
            if Path(original).read_bytes()[:3] == b"\xef\xbb\xbf":
                data = b"\xef\xbb\xbf" + data
        except OSError:
            pass
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if path.exists():
                os.chmod(tmp, path.stat().st_mode & 0o7777)
            else:  # what open() would have given a new file (mkstemp makes it private)
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise MtreviewError(f"{path}: cannot write: {exc.strerror or exc}") from None
