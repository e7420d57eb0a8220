"""``mtreview fix`` on one article with ``--decisions`` (the edits an editor chose on the review
page, applied as they are: no rule runs for them) or ``--docx`` (the article as a Word file:
the edits as tracked changes, the findings left open as comments)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from mtreview import inputs
from mtreview.decisions import Decisions, finding_id, load_decisions
from mtreview.errors import MtreviewError
from mtreview.fileio import refuse_interrupted, write_atomic
from mtreview.fixes import apply_edits, conflicts, fix_text, select_edits
from mtreview.fixing import unified_diff
from mtreview.model import Edit, Finding
from mtreview.review import Reviewer, configured
from mtreview.worddiff import word_edits


def fix_article(path: Path | None, decisions_file: Path | None, docx: Path | None, write: bool, unsafe: bool,
                config: Path | None, selection: dict, out: Callable[[str], object], say: Callable[[str], object]) -> bool:
    """Fix one article (``path``, else the one the decisions name): its diff to ``out``, what
    happened to ``say``; the Word file to ``docx``; the fixed text back to ``path`` with ``write``.
    Whether the article's text changes (or would, without ``write``)."""
    decisions = load_decisions(decisions_file) if decisions_file is not None else None
    if path is None:
        if decisions is None:
            raise MtreviewError("--docx: name the article to export: mtreview fix PATH --docx OUT.docx")
        path = decisions.article()
    if path.is_dir():
        raise MtreviewError(f"{path}: a folder; --decisions and --docx take one article")
    if docx is not None and os.path.realpath(docx) == os.path.realpath(path):  # a symlink loop: the writer says so
        raise MtreviewError(f"--docx {docx}: that is the article itself; write the Word file elsewhere")
    if write:  # an article an interrupted write may have left incomplete is not fixed further
        refuse_interrupted(path)
    doc = inputs.read_document(path)
    said: set[str] = set()

    def note(line: str) -> None:
        if line not in said:
            said.add(line)
            say(line)

    governing = configured([path], config, selection) if decisions is None or docx is not None else []
    reviewer = governing[0][0] if governing else None
    if decisions is not None:
        decisions.check(doc.text, path)
        chosen = decisions.edits()
        kept = select_edits(chosen)
        fixed, applied, skipped = apply_edits(doc.text, chosen), len(kept), len(chosen) - len(kept)
    else:
        fixed, applied = _fix(doc, reviewer, unsafe, note)
        kept, skipped = word_edits(doc.text, fixed), 0
    if fixed != doc.text:
        out(unified_diff(doc.text, fixed, str(path)))
    if docx is not None:
        _export(docx, path, doc, kept, reviewer, decisions, note)
    if fixed == doc.text:
        say("Nothing to fix.")
    else:
        if write:
            write_atomic(path, fixed, original=path)
        say(f"{path}: {applied} edit(s){' written' if write else ''}")
    if skipped:
        say(f"{path}: {skipped} chosen edit(s) not applied: each overlaps one applied there "
            "(the review page marks them 'not applied')")
    return fixed != doc.text


def _fix(doc, reviewer: Reviewer | None, unsafe: bool, note: Callable[[str], None]) -> tuple[str, int]:
    """The text as ``mtreview fix`` leaves it, and how many edits that took."""
    if reviewer is None:  # the config's include/exclude leaves it out: fix would not touch it
        return doc.text, 0
    _, langs, notes = reviewer.languages([doc])
    for line in notes:
        note(line)
    result = fix_text(doc.text, partial(reviewer.check_text, lang=langs[0], path=doc.path), unsafe=unsafe)
    if not result.stable:
        note(f"{doc.path}: fixes did not settle after {result.passes} passes; review the diff")
    return result.text, result.applied


def _export(docx: Path, path: Path, doc, kept: list[Edit], reviewer: Reviewer | None, decisions: Decisions | None,
            note: Callable[[str], None]) -> None:
    """Write the Word file: ``kept`` as tracked changes, the open findings as comments."""
    from mtreview.report.docx import build_docx, comment_text
    from mtreview.report.json_format import finding_dict

    findings: list[Finding] = []
    if reviewer is not None:
        report = reviewer.review([path])
        for line in report.notes:
            note(line)
        findings = report.files[0].findings
    decided = decisions.decided if decisions is not None else frozenset()
    comments = [(f.start, f.end, comment_text(finding_dict(f))) for f in open_findings(findings, kept, decided)]
    data = build_docx(doc.text, [(p.start, p.end, p.heading) for p in doc.paragraphs], kept, comments, _now(),
                      title=path.name)
    write_atomic(docx, data)
    note(f"{docx}: Word file of {path}: {len(kept)} tracked change(s), {len(comments)} comment(s)")


def open_findings(findings: list[Finding], edits: list[Edit], decided: frozenset[str] = frozenset()) -> list[Finding]:
    """The findings still open: no decision on them and no edit made on their span."""
    return [f for f in findings if finding_id(f) not in decided
            and not any(conflicts(Edit(f.start, f.end, ""), e) for e in edits)]


def _now() -> str:
    """The time of the Word file's changes: now (UTC, to the second), or SOURCE_DATE_EPOCH's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
