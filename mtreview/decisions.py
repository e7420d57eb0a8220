"""The decisions file the HTML review exports for one article: reading and checking it, and
the edits it makes.

Schema ``mtreview-decisions/2`` (``/1`` is the same without ``edits``)::

    {"schema": "mtreview-decisions/2", "path": "samples/x.txt", "hash": "<text_hash of the text>",
     "decisions": {"<rule>@<start>-<end>": {"status": "accepted" | "rejected", "replacement": "text" | null}},
     "edits": [{"id": "edit-1", "start": 120, "end": 134, "replacement": "text the editor typed"}]}

Offsets count code points (Python string indices) into the article's text as mtreview reads
it (``Document.text``: the whole file, BOM removed). A decision's span is the one in its
finding's id. The edits: every accepted decision with a replacement, and every edit of the
editor's own, applied by the rules of ``mtreview/fixes.py``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from mtreview import inputfile
from mtreview.errors import MtreviewError
from mtreview.model import Edit

SCHEMAS = ("mtreview-decisions/1", "mtreview-decisions/2")
STATUSES = ("accepted", "rejected")
_SPAN_RE = re.compile(r"(\d+)-(\d+)")
_HASH_RE = re.compile(r"[0-9a-f]{64}")
_AGAIN = "export the decisions again from the review page"


def text_hash(text: str) -> str:
    """The SHA-256 of a text (UTF-8, lone surrogates passed through), in hex: what a
    decisions file and the review page know an article's text by."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def finding_id(finding) -> str:
    """The id a finding has on the review page and in a decisions file: "rule@start-end"."""
    return f"{finding.rule}@{finding.start}-{finding.end}"


class Entry(NamedTuple):
    """A decision on a finding, or an edit of the editor's own (``status`` "edit")."""

    label: str  # for messages: "decision 'rule@1-2'", "edit 'edit-1'"
    start: int
    end: int
    status: str  # accepted | rejected | edit
    replacement: str | None


@dataclass(frozen=True)
class Decisions:
    file: Path  # the decisions file
    path: str  # the article, as the page named it
    hash: str
    entries: tuple[Entry, ...]
    decided: frozenset[str]  # the ids of the findings with a decision

    def edits(self) -> list[Edit]:
        """What the editor chose: each accepted replacement and each own edit (once each)."""
        return list(dict.fromkeys(Edit(e.start, e.end, e.replacement) for e in self.entries
                                  if e.status != "rejected" and e.replacement is not None))

    def article(self) -> Path:
        """The article the decisions name: its path from the current folder, else from the
        decisions file's folder."""
        named = Path(self.path)
        places = [named] if named.is_absolute() else list(dict.fromkeys([named, self.file.parent / named]))
        for place in places:
            if place.is_file():
                return place
        where = " nor ".join(str(p) for p in places)
        raise MtreviewError(f"{self.file}: the article it is for, {self.path}, is not at {where}; "
                            f"name it: mtreview fix --decisions {self.file} PATH")

    def check(self, text: str, article: Path) -> None:
        """That the decisions were made on this very text, and every span lies in it."""
        if text_hash(text) != self.hash:
            raise MtreviewError(f"{article} has changed since these decisions were made (hash differs): review it again")
        for entry in self.entries:
            if entry.end > len(text):
                raise MtreviewError(f"{self.file}: {entry.label}: span {entry.start}-{entry.end} is outside the text "
                                    f"of {article} ({len(text)} characters); {_AGAIN}")


def load_decisions(path: Path) -> Decisions:
    """The decisions file at ``path``, checked (a one-line error names the bad entry)."""
    raw = inputfile.read_bytes(path, kind=inputfile.DECISIONS)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise MtreviewError(f"{path}: not UTF-8 text; {_AGAIN}") from None
    except json.JSONDecodeError as exc:
        raise MtreviewError(f"{path}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}); {_AGAIN}") from None
    return _Reader(path).decisions(data)


class _Reader:
    """Checks a decisions file's data, naming the file in every error."""

    def __init__(self, file: Path):
        self.file = file

    def fail(self, what: str) -> MtreviewError:
        return MtreviewError(f"{self.file}: {what}; {_AGAIN}")

    def decisions(self, data: Any) -> Decisions:
        if not isinstance(data, dict) or "schema" not in data:
            raise self.fail('not an mtreview decisions file (a JSON object with "schema")')
        schema = data["schema"]
        if schema not in SCHEMAS:
            raise self.fail(f"schema {schema!r} is not one mtreview reads ({', '.join(SCHEMAS)})")
        path, digest = data.get("path"), data.get("hash")
        if not isinstance(path, str) or not path:
            raise self.fail('"path" is missing or not a file name')
        if not isinstance(digest, str) or not _HASH_RE.fullmatch(digest):
            raise self.fail('"hash" is missing or not a SHA-256 in hex')
        decisions = data.get("decisions")
        if not isinstance(decisions, dict):
            raise self.fail('"decisions" is missing or not an object (finding id -> decision)')
        entries = [self.decision(key, value) for key, value in decisions.items()]
        edits = data.get("edits", [])
        if schema == SCHEMAS[0] and "edits" in data:
            raise self.fail(f'"edits" is not part of {schema} (it is of {SCHEMAS[1]})')
        if not isinstance(edits, list):
            raise self.fail('"edits" is not a list')
        entries += [self.edit(i, value) for i, value in enumerate(edits)]
        return Decisions(self.file, path, digest, tuple(entries), frozenset(decisions))

    def decision(self, key: str, value: Any) -> Entry:
        label = f"decision {key!r}"
        rule, at, span = key.rpartition("@")
        m = _SPAN_RE.fullmatch(span)
        if not rule or not at or not m or int(m.group(1)) > int(m.group(2)):
            raise self.fail(f"{label}: not a finding id (rule@start-end)")
        if not isinstance(value, dict):
            raise self.fail(f"{label}: not an object with a status and a replacement")
        status, replacement = value.get("status"), value.get("replacement")
        if status not in STATUSES:
            raise self.fail(f"{label}: status {status!r} is not one of {', '.join(STATUSES)}")
        if replacement is not None:
            self.text(label, replacement)
        return Entry(label, int(m.group(1)), int(m.group(2)), status, replacement)

    def edit(self, index: int, value: Any) -> Entry:
        if not isinstance(value, dict):
            raise self.fail(f"edits[{index}]: not an object with a start, an end and a replacement")
        ident = value.get("id")
        if ident is not None and not isinstance(ident, str):
            raise self.fail(f"edits[{index}]: its id is not a string")
        label = f"edit {ident!r}" if ident else f"edits[{index}]"
        start, end = _offset(value.get("start")), _offset(value.get("end"))
        if start is None or end is None or start > end:
            raise self.fail(f"{label}: start {value.get('start')!r} and end {value.get('end')!r} are not offsets "
                            "with start <= end")
        return Entry(label, start, end, "edit", self.text(label, value.get("replacement")))

    def text(self, label: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{label}: its replacement is not a string")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise self.fail(f"{label}: its replacement holds a lone surrogate (not text)") from None
        return value


def _offset(value: Any) -> int | None:
    """A JSON number that is an offset (a whole number, not negative; not true or false)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
