"""Finding fingerprints and baselines (``check --write-baseline FILE``, ``check --baseline FILE``).

A fingerprint names a finding without its offsets, so it survives edits elsewhere in the
file: a hash of the rule id, the matched text, a little context (up to ``CONTEXT_WORDS``
words either side, within the paragraph, white space collapsed) and which occurrence of
that same rule, text and context in the file it is. JSON (``fingerprint``) and SARIF
(``partialFingerprints``) carry it; it holds no path (a file is matched by its path beside).

A baseline file lists, per checked file (its path relative to the baseline's folder), the
fingerprints of the findings there were when it was written, with a count each. Checked
against a baseline, a file's findings are reported only beyond those counts: the archive's
old findings stay quiet, a new one is reported.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mtreview.errors import MtreviewError

if TYPE_CHECKING:
    from mtreview.document import Document
    from mtreview.model import Finding
    from mtreview.result import Report

SCHEMA = "mtreview-baseline/1"
#: Words of context taken on each side of a finding, within its paragraph.
CONTEXT_WORDS = 4
#: What is read before or after a finding to find those words (a long word is cut there).
_CONTEXT_CHARS = 200
#: A baseline larger than this is not one mtreview wrote.
MAX_BYTES = 64 * 1024 * 1024
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n|\r[ \t\f\v]*\r")
#: Bumped whenever what goes into a fingerprint changes (SARIF names it too).
_VERSION = "mtreview-fingerprint/2"


def _words(s: str) -> str:
    return " ".join(s.split())


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    """Up to CONTEXT_WORDS words before and after ``[start, end)``, within the paragraph."""
    before = text[max(0, start - _CONTEXT_CHARS) : start]
    breaks = list(_PARAGRAPH_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    words = before.split()
    if start > _CONTEXT_CHARS and not breaks and words and not before[:1].isspace():
        words = words[1:]  # cut off mid-word by the window
    after = text[end : end + _CONTEXT_CHARS]
    found = _PARAGRAPH_BREAK.search(after)
    if found:
        after = after[: found.start()]
    tail = after.split()
    if end + _CONTEXT_CHARS < len(text) and not found and tail and not after[-1:].isspace():
        tail = tail[:-1]
    return " ".join(words[-CONTEXT_WORDS:]), " ".join(tail[:CONTEXT_WORDS])


def fingerprints(doc: Document, findings: Sequence[Finding]) -> list[str]:
    """One fingerprint per finding of ``doc``, in order (32 hex digits)."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        before, after = _context(doc.text, f.start, f.end)
        key = (f.rule, _words(f.text), before, after)
        seen[key] += 1
        raw = "\0".join((_VERSION, *key, str(seen[key])))
        out.append(hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32])
    return out


def _key(path: str, folder: Path) -> str:
    """A checked file as a baseline names it: its path from the baseline's folder, with
    forward slashes."""
    return Path(os.path.relpath(Path(path).resolve(), folder)).as_posix()


def _folder(baseline: Path) -> Path:
    return baseline.absolute().parent.resolve()


# -- writing -------------------------------------------------------------------------------------
def render(report: Report, baseline: Path) -> bytes:
    """The baseline of ``report``'s findings as ``baseline`` holds it: sorted, the same
    findings always giving the same bytes."""
    folder = _folder(baseline)
    files: dict[str, dict[tuple[str, str], int]] = {}
    for result in report.files:
        entries = files.setdefault(_key(result.path, folder), {})
        for f, fp in zip(result.findings, fingerprints(result.doc, result.findings), strict=True):
            entries[(f.rule, fp)] = entries.get((f.rule, fp), 0) + 1
    data = {
        "schema": SCHEMA,
        "findings": sum(n for entries in files.values() for n in entries.values()),
        "files": {
            path: [{"rule": rule, "fingerprint": fp, "count": n} for (rule, fp), n in sorted(entries.items())]
            for path, entries in sorted(files.items())
            if entries
        },
    }
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8", "surrogatepass")


def write(report: Report, baseline: Path) -> str:
    """Write the baseline of ``report`` to ``baseline`` (atomically); what was written, in a line."""
    from mtreview.fileio import write_atomic

    write_atomic(baseline, render(report, baseline))
    count, files = sum(len(r.findings) for r in report.files), len(report.files)
    return (f"wrote baseline {baseline}: {count} finding{'' if count == 1 else 's'} in {files} "
            f"file{'' if files == 1 else 's'}")


# -- reading and applying ------------------------------------------------------------------------
class Baseline:
    """A baseline file as read: per file key, the count of each fingerprint."""

    def __init__(self, path: Path, files: dict[str, Counter]):
        self.path = path
        self.folder = _folder(path)
        self.files = files

    @classmethod
    def read(cls, path: Path) -> Baseline:
        """The baseline in ``path``; a missing, unreadable or damaged file is a one-line error."""
        data = _load(path)
        bad = f"{path}: not a baseline mtreview wrote"
        again = "; write it again with `mtreview check --write-baseline FILE PATHS`"
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            schema = data.get("schema") if isinstance(data, dict) else None
            raise MtreviewError(f"{bad} (schema {schema!r}, expected {SCHEMA!r}){again}")
        listed = data.get("files")
        if not isinstance(listed, dict):
            raise MtreviewError(f'{bad} ("files" is not an object){again}')
        files: dict[str, Counter] = {}
        for name, entries in listed.items():
            counts: Counter = Counter()
            if not isinstance(entries, list):
                raise MtreviewError(f'{bad} (the entry of "{name}" is not a list){again}')
            for i, entry in enumerate(entries):
                ok = (isinstance(entry, dict) and isinstance(entry.get("fingerprint"), str)
                      and type(entry.get("count")) is int and entry["count"] > 0)
                if not ok:
                    raise MtreviewError(f'{bad} ("{name}", entry {i + 1}: needs a "fingerprint" and a '
                                        f'positive "count"){again}')
                counts[entry["fingerprint"]] += entry["count"]
            files[name] = counts
        return cls(path, files)

    def split(self, path: str, doc: Document, findings: Sequence[Finding]) -> tuple[list[Finding], int]:
        """``findings`` of the file ``path`` that the baseline does not hold, and how many it held."""
        left = Counter(self.files.get(_key(path, self.folder), ()))
        if not left:
            return list(findings), 0
        kept = []
        for f, fp in zip(findings, fingerprints(doc, findings), strict=True):
            if left[fp] > 0:
                left[fp] -= 1
            else:
                kept.append(f)
        return kept, len(findings) - len(kept)


def _load(path: Path):
    """The JSON in ``path``: a regular file (``mtreview.inputfile``), at most MAX_BYTES, UTF-8."""
    from mtreview.inputfile import Kind, read_bytes

    hint = "write one with `mtreview check --write-baseline FILE PATHS`"
    if not os.path.lexists(path):
        raise MtreviewError(f"baseline {path}: no such file; {hint}")
    data = read_bytes(path, "baseline", Kind("a baseline", MAX_BYTES, "write it again, for fewer files at a time"))
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MtreviewError(f"baseline {path}: damaged (not JSON: {exc}); {hint}") from None
    except RecursionError:
        raise MtreviewError(f"baseline {path}: damaged (nested too deep); {hint}") from None
