"""``mtreview fix``: each file's suggested edits applied until the text is stable
(``mtreview/fixes.py``), on the changed lines only with ``--changed-only``/``--diff-base``,
shown as a unified diff, and written back atomically on request."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from functools import partial
from pathlib import Path

from mtreview import inputs
from mtreview.changes import ChangedLines, carry, hunks_between
from mtreview.fileio import refuse_interrupted, write_atomic
from mtreview.fixes import fix_text
from mtreview.model import Finding
from mtreview.review import Reviewer


def fix_files(reviewer: Reviewer, files: list[Path], write: bool, unsafe: bool, out: Callable[[str], object],
              say: Callable[[str], object]) -> int:
    """Fix the files one reviewer governs: the diff of each goes to ``out``, what happened
    to ``say`` (one line each); how many files changed."""
    if write:  # a file an interrupted write may have left incomplete is not fixed further
        for path in files:
            refuse_interrupted(path)
    changes = reviewer.changes()  # --changed-only, --diff-base: fixes on the changed lines only
    changed_lines = [changes.lines(p) for p in files] if changes is not None else [None] * len(files)
    docs = [inputs.read_document(p) for p in files]
    _, langs, notes = reviewer.languages(docs)
    for note in notes:
        say(note)
    changed = 0
    for path, doc, lang, lines in zip(files, docs, langs, changed_lines, strict=True):
        check: Callable[..., list[Finding]] = partial(reviewer.check_text, lang=lang, path=doc.path)
        if lines is not None:
            if not lines:
                continue
            check = on_lines(check, doc.text, lines)
        result = fix_text(doc.text, check, unsafe=unsafe)
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


def on_lines(check: Callable[..., list[Finding]], original: str, lines: ChangedLines) -> Callable[[str], list[Finding]]:
    """``check`` keeping to ``lines`` of ``original`` (changed lines, from git) in each text the
    fix loop makes of it: the lines are followed through the edits made so far."""

    def check_changed(text: str) -> list[Finding]:
        return check(text, changed=lines if text == original else carry(lines, hunks_between(original, text)))

    return check_changed


def unified_diff(before: str, after: str, path: str) -> str:
    """``diff -u`` of two texts of ``path`` (headers ``a/NAME``, ``b/NAME``: see ``diff_name``);
    a last line without a line break gets the marker diff(1) and patch(1) use."""
    name = diff_name(path)
    diff = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                fromfile=f"a/{name}", tofile=f"b/{name}")
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in diff)


def diff_name(path: str) -> str:
    """The file's name in a diff header: relative to the current folder when it is under it,
    else without its leading slash, as git writes an absolute path (``a/home/…``, never
    ``a//home/…``); ``patch -p1`` applies it from the current folder, or from ``/``."""
    name = Path(path)
    if not name.is_absolute():
        return name.as_posix()
    try:
        return name.relative_to(Path.cwd()).as_posix()
    except (ValueError, OSError):
        return name.as_posix().lstrip("/")
