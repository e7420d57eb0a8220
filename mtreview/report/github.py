"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per
finding, which the Actions runner turns into an annotation on that line of the pull request,
then the run's notes and a plain summary line.

    ::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE

Escaping as the runner's own toolkit does it: in the message, % → %25, CR → %0D, LF → %0A;
in properties also : → %3A and , → %2C. Other control characters (ESC, which the log would
read as colour or a link; BEL; C1 controls) are written out, ``\x1b``, in messages, paths
and notes. Paths are relative to the current folder (the checkout, in a workflow) with
forward slashes; columns count characters, end exclusive.
"""

from __future__ import annotations

from pathlib import Path

from mtreview.report.text import _quoted as _quoted_text
from mtreview.report.text import terminal_safe

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def _path(path: str) -> str:
    p = Path(path)
    try:
        return p.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return p.as_posix()


def _quoted(s: str) -> str:
    return _quoted_text(s) if s else "(delete)"


def command(path: str, doc, finding) -> str:
    end_line, end_col = doc.line_col(finding.end)
    props = {
        "file": path,
        "line": finding.line,
        "col": finding.column,
        "endLine": end_line,
        "endColumn": end_col,
        "title": finding.rule,
    }
    message = terminal_safe(finding.message, breaks=True)
    if finding.suggestions:
        kind = {"safe": "fix", "unsafe": "suggestion (unsafe fix)", "none": "suggestion"}[finding.fix.value]
        message += f"\n{kind}: {_quoted(finding.text)} → " + " | ".join(_quoted(s) for s in finding.suggestions)
    shown = ",".join(f"{k}={escape_property(terminal_safe(str(v)))}" for k, v in props.items())
    return f"::{COMMANDS[finding.severity.value]} {shown}::{escape_data(message)}"


def render(report, color: bool = False) -> str:
    lines: list[str] = []
    for result in report.files:
        path = _path(result.path)
        lines.extend(command(path, result.doc, f) for f in result.findings)
    lines.extend(terminal_safe(note) for note in report.notes)
    counts = report.counts()
    total = sum(counts.values())
    nfiles = len(report.files)
    noun = "file" if nfiles == 1 else "files"
    if total:
        parts = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 and k != 'info' else ''}" for k in ("error", "warning", "info"))
        lines.append(f"mtreview: {total} finding{'s' if total != 1 else ''} in {nfiles} {noun} ({parts})")
    else:
        lines.append(f"mtreview: no findings in {nfiles} {noun}")
    return "\n".join(lines) + "\n"
