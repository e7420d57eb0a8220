"""``mtreview fix``: each file's suggested edits applied until the text is stable
(``mtreview/fixes.py``), shown as a unified diff, and written back atomically on request."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from mtreview import inputs
from mtreview.fileio import write_atomic
from mtreview.fixes import fix_text
from mtreview.review import Reviewer


def fix_files(reviewer: Reviewer, files: list[Path], write: bool, unsafe: bool, out: Callable[[str], object],
              say: Callable[[str], object]) -> int:
    """Fix the files one reviewer governs: the diff of each goes to ``out``, what happened
    to ``say`` (one line each); how many files changed."""
    docs = [inputs.read_document(p) for p in files]
    _, langs, notes = reviewer.languages(docs)
    for note in notes:
        say(note)
    changed = 0
    for path, doc, lang in zip(files, docs, langs, strict=True):
        result = fix_text(doc.text, partial(reviewer.check_text, lang=lang, path=doc.path), unsafe=unsafe)
        if result.text == doc.text:
            continue
        changed += 1
        out(unified_diff(doc.text, result.text, str(path)))
        if not result.stable:
            say(f"{path}: fixes did not settle after {result.passes} passes; review the diff")
        if write:
            write_atomic(path, result.text, original=path)
        say(f"{path}: {result.applied} edit(s){' written' if write else ''}")
    return changed


def unified_diff(before: str, after: str, path: str) -> str:
    """``diff -u`` of two texts of ``path``; a last line without a line break gets the marker
    diff(1) and patch(1) use."""
    diff = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in diff)
