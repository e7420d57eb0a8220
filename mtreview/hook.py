"""``mtreview hook install|uninstall``: a plain git pre-commit hook (no pre-commit framework)
that checks the staged Markdown, text and HTML files and blocks the commit on findings on the
lines it changes.

The hook is a small POSIX sh script written to ``$(git rev-parse --git-path hooks)/pre-commit``
(``core.hooksPath`` is honoured). It runs the mtreview of the Python that installed it, by
absolute path, so it works whatever PATH a commit runs with. A hook mtreview did not write is
left alone unless ``--force``; ``uninstall`` removes only mtreview's own.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from mtreview.errors import MtreviewError
from mtreview.fileio import write_atomic
from mtreview.loaders import SUFFIXES

hook_app = typer.Typer(
    help="A git pre-commit hook that checks the staged lines: install, uninstall.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

#: The line that marks a hook as mtreview's own (``uninstall`` and ``install`` look for it).
MARKER = "# mtreview-hook: written by `mtreview hook install`"
#: Staged files the hook checks (git pathspecs, any case, any folder): those a loader reads.
PATTERNS = tuple(f"*{suffix}" for suffix in SUFFIXES)
#: What the hook runs, in both kinds of hook (this plain git hook and the pre-commit
#: framework's, in .pre-commit-hooks.yaml and `mtreview init --pre-commit`; a test holds
#: them equal): the findings on the changed lines, no scores (a hook should be quick), said as a
#: hook says it (``--hook``: what blocks first, then what to do; ``hook_listing``, ``blocked_message``).
HOOK_ARGS = ("check", "--changed-only", "--no-scores", "--hook")
HOOK_ENTRY = " ".join(("mtreview", *HOOK_ARGS))

SCRIPT = """#!/bin/sh
{marker} (mtreview {version}); `mtreview hook uninstall` removes it.
# Checks the staged Markdown, text and HTML files and reports the findings on the lines this
# commit changes (mtreview check --changed-only); a finding at the fail-on level blocks the
# commit, and mtreview says what to do. Skip it once with `git commit --no-verify`.
set -- {patterns}
if [ -z "$(git diff --cached --name-only --diff-filter=ACM -- "$@")" ]; then
  exit 0
fi
if [ ! -x {program} ]; then
  echo "mtreview hook: "{program}" is gone; run \\`mtreview hook install\\` again (or commit with --no-verify)" >&2
  exit 1
fi
git diff --cached --name-only --diff-filter=ACM -z -- "$@" |
  xargs -0 {command} {args} --
if [ "$?" -ne 0 ]; then
  exit 1  # mtreview has said why, and what to do
fi
"""


def mtreview_command() -> list[str]:
    """How the hook runs mtreview: this Python's console script by absolute path, else a
    ``mtreview`` on PATH, else ``python -m mtreview`` with this Python."""
    beside = Path(sys.executable).parent / ("mtreview.exe" if os.name == "nt" else "mtreview")
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which("mtreview")
    if found and "shims" not in Path(found).parts:  # a pyenv shim may name another Python's
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "mtreview"]


def script(command: list[str] | None = None) -> str:
    from mtreview import __version__

    command = command or mtreview_command()
    return SCRIPT.format(
        marker=MARKER,
        version=__version__,
        patterns=" ".join(shlex.quote(f":(icase){p}") for p in PATTERNS),
        program=shlex.quote(command[0]),
        command=" ".join(shlex.quote(c) for c in command),
        args=" ".join(HOOK_ARGS),
    )


def hook_path(cwd: Path | None = None) -> Path:
    """``<hooks folder>/pre-commit`` of the repository around ``cwd``."""
    cwd = Path.cwd() if cwd is None else cwd
    try:
        proc = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=cwd, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise MtreviewError("hook: git is not installed (or not on PATH); install git first") from None
    if proc.returncode != 0:
        raise MtreviewError(f"{cwd}: not in a git repository; run `mtreview hook install` inside one")
    return (cwd / proc.stdout.strip()).resolve() / "pre-commit"


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def install(force: bool = False, cwd: Path | None = None) -> tuple[Path, str]:
    """Write the hook; returns its path and what happened (installed, updated, replaced)."""
    path = hook_path(cwd)
    what = "installed"
    if path.exists() or path.is_symlink():
        if is_ours(path):
            what = "updated"
        elif not force:
            raise MtreviewError(
                f"{path}: a pre-commit hook mtreview did not write is already there; "
                "`mtreview hook install --force` replaces it (or call `mtreview check --changed-only` from it)"
            )
        else:
            what = "replaced"
            path.unlink()  # a link to someone's script: the link goes, the script stays
    path.parent.mkdir(parents=True, exist_ok=True)
    # Atomic, and through a symbolic link to a hook of ours (a hook kept in the repository and
    # linked from .git/hooks stays linked, and its file is what gets the new text).
    write_atomic(path, script())
    mode = path.stat().st_mode
    if mode & 0o111 != 0o111:
        path.chmod(mode | 0o755)
    return path, what


def uninstall(cwd: Path | None = None) -> tuple[Path, bool]:
    """Remove mtreview's hook; returns its path and whether there was one."""
    path = hook_path(cwd)
    if not (path.exists() or path.is_symlink()):
        return path, False
    if not is_ours(path):
        raise MtreviewError(f"{path}: this pre-commit hook was not written by mtreview; left as it is (remove it by hand)")
    path.unlink()
    return path, True


@hook_app.command("install")
def install_command(
    force: Annotated[bool, typer.Option("--force", help="Replace a pre-commit hook that mtreview did not write.")] = False,
) -> None:
    """Write .git/hooks/pre-commit: `mtreview check --changed-only --no-scores` on the staged
    files mtreview reads (*.txt, *.md, *.markdown, *.html, *.htm); a finding blocks the commit."""
    path, what = install(force)
    typer.echo(f"{what} {path}")


@hook_app.command("uninstall")
def uninstall_command() -> None:
    """Remove the pre-commit hook `mtreview hook install` wrote (and no other)."""
    path, removed = uninstall()
    typer.echo(f"removed {path}" if removed else f"no pre-commit hook at {path}; nothing to remove")


# -- what the hook says (``mtreview check --hook``) ----------------------------------------------
def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 or noun == 'info' else 's'}"


def _severities(findings) -> str:
    """ "1 error, 2 warnings" (the levels present, most severe first)."""
    from mtreview.model import LEVELS

    return ", ".join(_count(n, level) for level in LEVELS
                     if (n := sum(1 for f in findings if f.severity.value == level)))


def hook_listing(report, color: bool = False) -> str:
    """The findings as a hook lists them: those that block the commit (at or above each file's
    fail-on level) first, then the other warnings and errors; info findings are counted, not
    listed (unless they block). Then the notes and a summary line."""
    from mtreview.report.text import finding_lines, summary_line, terminal_safe

    blocking = [(r.path, f) for r in report.files for f in r.blocking()]
    chosen = {id(f) for _, f in blocking}
    others = [(r.path, f) for r in report.files for f in r.findings
              if id(f) not in chosen and f.severity.value != "info"]
    unlisted = sum(1 for r in report.files for f in r.findings if id(f) not in chosen and f.severity.value == "info")
    lines: list[str] = []
    for path, f in blocking:
        lines.extend(finding_lines(path, f, color))
    if others:
        lines.append(f"not blocking (below the fail-on level): {_severities([f for _, f in others])}")
        for path, f in others:
            lines.extend(finding_lines(path, f, color))
    lines.extend(terminal_safe(note) for note in report.notes)
    summary = summary_line(report)
    if unlisted:
        summary += f"; {unlisted} info not listed"
    lines.append(summary)
    return "\n".join(lines) + "\n"


def _command(*words) -> str:
    return " ".join(shlex.quote(str(w)) for w in words)


def _flags(given: dict) -> list[str]:
    """The command line's rule-selection flags again (``{"--select": ["a,b"], "--house": "uk"}``),
    so the commands suggested choose the same rules."""
    out: list[str] = []
    for flag, value in given.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                out += [flag, str(item)]
    return out


def blocked_message(report, given: dict) -> str:
    """What a blocked commit is told after the listing: how many findings block it and of what
    severity, how many of them have safe fixes and the command that applies them, the command
    that writes the review page and where, and last ``git commit --no-verify``. ``given``: the
    rule-selection flags the check ran with (the commands repeat them)."""
    from mtreview.report import default_path
    from mtreview.report.text import terminal_safe
    from mtreview.result import Report

    flags = _flags(given)
    files = [r for r in report.files if r.blocking()]
    blocking = [f for r in files for f in r.blocking()]
    level = report.fail_on()
    at = f"the fail-on level, {level}" if level else "each file's fail-on level"
    if blocking:
        counted = f"{_count(len(blocking), 'finding')} at or above {at} ({_severities(blocking)})"
        lines = [f"mtreview: commit blocked: {counted}"]
    else:
        lines = ["mtreview: commit blocked (see above: a score below --fail-under)"]
    fixable = [r for r in files if any(f.fix.value == "safe" and f.suggestions for f in r.blocking())]
    safe = sum(1 for r in fixable for f in r.blocking() if f.fix.value == "safe" and f.suggestions)
    if safe:
        lines.append(f"  {safe} of them {'has a safe fix' if safe == 1 else 'have safe fixes'}: "
                     f"{_command('mtreview', 'fix', '--write', *flags, *(r.path for r in fixable))}"
                     "  (every safe fix in those files; without --write it shows the diff)")
    elif blocking:
        lines.append("  none of them has a safe fix: edit the text (the suggestions above help)")
    if files:
        page = _command("mtreview", "check", *(r.path for r in files), "--format", "html", *flags)
        try:
            where = f"  (writes {default_path(Report(files), '.html')}; open it in a browser)"
        except MtreviewError:
            where = ""
        lines.append(f"  review page: {page}{where}")
    lines.append("  last resort, to commit without the check: git commit --no-verify")
    return terminal_safe("\n".join(lines), breaks=True)
