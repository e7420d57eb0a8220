"""Which lines of which files changed, from git: ``check --changed-only`` (the staged changes)
and ``check --diff-base REV`` (REV against the working tree); ``fix`` takes the same flags and
follows the lines through its own passes (``hunks_between``, ``carry``).

Every git command runs in the file's own folder (``subprocess.run(["git", ...])``), so files
from several repositories (or submodules) each go to theirs. Line numbers are those of the
file in the working tree, 1-based, as mtreview reports them.

- ``--changed-only``: the lines ``git diff --cached`` adds or changes. When the working tree
  holds further, unstaged edits of the same file (a plain git hook does not stash them, as the
  pre-commit framework does), the staged lines are carried over to where they are now.
- ``--diff-base REV``: the lines ``git diff REV`` adds or changes; a file git does not track
  yet is new, so all of it.
- A deletion leaves no changed line; a finding that spans the place where lines were removed
  (the end of the line before and the start of the line after) counts as touching it.
- A file outside any git repository, git missing, or a REV that names no commit is an error.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from mtreview.errors import MtreviewError

_HUNK_RE = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


@dataclass(frozen=True)
class Hunk:
    """``@@ -old_start,old_count +new_start,new_count @@``; a count of 0 means the start is the
    line after which lines were inserted (old side) or removed (new side)."""

    old_start: int
    old_count: int
    new_start: int
    new_count: int


@dataclass
class ChangedLines:
    """Changed lines of one file: ``lines`` (1-based), ``joins`` (n: lines were removed
    between line n and n + 1) or ``everything`` (a new file)."""

    lines: set[int] = field(default_factory=set)
    joins: set[int] = field(default_factory=set)
    everything: bool = False

    def touches(self, first: int, last: int) -> bool:
        """Whether a span over lines ``first``..``last`` touches a change."""
        if self.everything:
            return True
        if self.lines and any(n in self.lines for n in range(first, last + 1)):
            return True
        return bool(self.joins) and any(n in self.joins for n in range(first, last))

    def __bool__(self) -> bool:
        return self.everything or bool(self.lines) or bool(self.joins)


def parse_hunks(diff: str) -> list[Hunk]:
    """The hunk headers of ``git diff -U0`` output, in order."""
    return [
        Hunk(int(a), int(b) if b else 1, int(c), int(d) if d else 1)
        for a, b, c, d in _HUNK_RE.findall(diff)
    ]


def new_side(hunks: list[Hunk]) -> ChangedLines:
    """The added and changed lines (new side) of a diff's hunks."""
    out = ChangedLines()
    for h in hunks:
        if h.new_count:
            out.lines.update(range(h.new_start, h.new_start + h.new_count))
        else:
            out.joins.add(h.new_start)
    return out


def hunks_between(before: str, after: str) -> list[Hunk]:
    """The hunks of a diff of two texts line by line (``diff -U0``'s, as ``parse_hunks``
    reads them from git): what ``carry`` follows the changed lines through."""
    from difflib import SequenceMatcher

    old, new = before.split("\n"), after.split("\n")
    return [Hunk(i1 + 1 if i2 > i1 else i1, i2 - i1, j1 + 1 if j2 > j1 else j1, j2 - j1)
            for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes() if tag != "equal"]


def carry(changed: ChangedLines, hunks: list[Hunk]) -> ChangedLines:
    """Move line numbers of the old side of ``hunks`` (a diff old → new) to the new side:
    a line the diff leaves alone shifts by what came before it; a line it replaced becomes
    the lines that replaced it."""
    if not hunks or changed.everything:
        return changed

    def where(line: int) -> tuple[int, int]:
        """First and last new line (last < first: gone, a join after ``last``)."""
        shift = 0
        for h in hunks:
            if h.old_count == 0:  # inserted after old line old_start
                if line <= h.old_start:
                    break
            elif line < h.old_start:
                break
            elif line < h.old_start + h.old_count:  # replaced (or removed) by this hunk
                if h.new_count == 0:
                    return h.new_start + 1, h.new_start
                return h.new_start, h.new_start + h.new_count - 1
            shift += h.new_count - h.old_count
        return line + shift, line + shift

    out = ChangedLines()
    for line in changed.lines:
        first, last = where(line)
        if last < first:
            out.joins.add(last)
        else:
            out.lines.update(range(first, last + 1))
    for join in changed.joins:
        out.joins.add(where(join)[1])
    return out


class GitChanges:
    """Changed lines per file for one run: ``GitChanges(None)`` the staged changes,
    ``GitChanges("origin/main")`` those since a revision. ``label`` names the mode for messages."""

    def __init__(self, base: str | None):
        self.base = base
        self.label = "--changed-only" if base is None else f"--diff-base {base}"
        self._checked_repos: set[str] = set()
        self._tops: dict[Path, Path] = {}  # folder -> its repository's top folder
        # A hook runs with the paths git set (GIT_INDEX_FILE for `git commit -a`…) possibly
        # relative to the top folder; our git runs from each file's folder.
        self._env = dict(os.environ)
        for name in ("GIT_INDEX_FILE", "GIT_DIR", "GIT_WORK_TREE"):
            if self._env.get(name) and not os.path.isabs(self._env[name]):
                self._env[name] = os.path.abspath(self._env[name])

    def _git(self, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                ["git", "--literal-pathspecs", "-c", "core.quotePath=false", *args],
                cwd=cwd, capture_output=True, text=True, encoding="utf-8", errors="replace", env=self._env, check=False,
            )
        except FileNotFoundError:
            raise MtreviewError(
                f"{self.label}: git is not installed (or not on PATH); install git or drop {self.label}") from None

    def _run(self, args: list[str], cwd: Path, path: Path) -> str:
        proc = self._git(args, cwd)
        if proc.returncode != 0:
            reason = (proc.stderr.strip().splitlines() or ["failed"])[-1].removeprefix("fatal: ")
            raise MtreviewError(f"{path}: {self.label}: git {args[0]} failed: {reason}")
        return proc.stdout

    def _repo(self, path: Path) -> Path:
        """The file's repository top folder (and, for --diff-base, a check that REV is a commit)."""
        cwd = path.parent
        if cwd in self._tops:
            return self._tops[cwd]
        proc = self._git(["rev-parse", "--show-toplevel"], cwd)
        if proc.returncode != 0:
            raise MtreviewError(
                f"{path}: not in a git repository; {self.label} compares with git (check it without {self.label})")
        top = proc.stdout.strip()
        if self.base is not None and top not in self._checked_repos:
            verify = self._git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{self.base}^{{commit}}"], cwd)
            if verify.returncode != 0:
                raise MtreviewError(
                    f"--diff-base {self.base!r}: no such commit in {top}; name a branch, tag or commit "
                    "(in CI, fetch it first: git fetch origin main)"
                )
            self._checked_repos.add(top)
        self._tops[cwd] = Path(top)
        return Path(top)

    def lines(self, path: Path | str) -> ChangedLines:
        """The changed lines of ``path`` in the working tree."""
        path = Path(path).absolute()
        self._repo(path)
        cwd, name = path.parent, path.name
        common = ["-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--ignore-submodules"]
        if self.base is not None:
            tracked = self._git(["ls-files", "--error-unmatch", "--", name], cwd).returncode == 0
            if not tracked:
                return ChangedLines(everything=True)  # new since any revision
            return new_side(parse_hunks(self._run(["diff", *common, self.base, "--", name], cwd, path)))
        staged = new_side(parse_hunks(self._run(["diff", "--cached", *common, "--", name], cwd, path)))
        if not staged:
            return staged
        # unstaged edits after the staged ones: index → working tree
        return carry(staged, parse_hunks(self._run(["diff", *common, "--", name], cwd, path)))
