"""--changed-only and --diff-base: which lines changed (mtreview/changes.py), on real temporary
git repositories, and what `mtreview check` then reports (only findings on changed lines;
counts, summary and exit code follow)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from mtreview.changes import ChangedLines, Hunk, carry, new_side, parse_hunks

ONLY = ["--select", "garble.det-in-order-to,calque.this-weekday", "--source-lang", "es",
        "--no-grammar", "--no-scores"]
GARBLE = "They met with the in order to talk."


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Test Editor")
    git(path, "config", "user.email", "editor@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


def commit(repo: Path, message: str = "edit") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "-m", message)


def lines_of(text: str) -> str:
    return "".join(line + "\n" for line in text)


def reported(result) -> list[tuple[str, int, int]]:
    return [(f["rule"], f["line"], f["column"]) for file in result.json()["files"] for f in file["findings"]]


@pytest.fixture
def repo(tmp_path):
    return make_repo(tmp_path / "desk")


# -- hunk headers and carrying lines over ------------------------------------------------------
def test_parse_hunks():
    diff = (
        "diff --git a/a.md b/a.md\n--- a/a.md\n+++ b/a.md\n"
        "@@ -3 +3 @@ intro\n-old\n+new\n"
        "@@ -0,0 +1,2 @@\n+a\n+b\n"
        "@@ -5,2 +4,0 @@\n-x\n-y\n"
        "+@@ -9,9 +9,9 @@ a line of the file that looks like a header\n"
    )
    hunks = parse_hunks(diff)
    assert hunks == [Hunk(3, 1, 3, 1), Hunk(0, 0, 1, 2), Hunk(5, 2, 4, 0)]
    changed = new_side(hunks)
    assert changed.lines == {1, 2, 3} and changed.joins == {4}


def test_touches():
    changed = ChangedLines(lines={5}, joins={8})
    assert changed.touches(5, 5) and changed.touches(3, 6)
    assert not changed.touches(4, 4) and not changed.touches(6, 8)
    assert changed.touches(8, 9)  # spans the place where lines were removed
    assert not changed.touches(9, 12)
    assert ChangedLines(everything=True).touches(1, 1)
    assert not ChangedLines()


def test_carry_through_unstaged_edits():
    staged = ChangedLines(lines={2, 10, 20})
    # working tree: two lines inserted after line 1, line 10 rewritten as three, line 15 removed
    unstaged = [Hunk(1, 0, 2, 2), Hunk(10, 1, 13, 3), Hunk(15, 1, 19, 0)]
    moved = carry(staged, unstaged)
    assert moved.lines == {4, 13, 14, 15, 23}
    assert carry(ChangedLines(lines={15}), unstaged).joins == {19}


# -- --changed-only: the staged lines ------------------------------------------------------------
def test_changed_only_reports_staged_lines_only(cli, repo):
    article = repo / "story.md"
    article.write_text(lines_of([GARBLE, "", "Paris met this Monday.", "", GARBLE]), encoding="utf-8")
    commit(repo)
    article.write_text(lines_of([GARBLE, "", "Paris met this Monday.", "", GARBLE, "", "Kyiv replied this Tuesday."]),
                       encoding="utf-8")
    git(repo, "add", "story.md")
    result = cli("check", article, "--changed-only", "--format", "json", *ONLY)
    assert result.code == 1, result.output
    assert reported(result) == [("calque.this-weekday", 7, 14)]
    summary = result.json()["summary"]
    assert summary["findings"] == 1 and summary["by_rule"] == {"calque.this-weekday": 1}
    assert any(n.startswith("--changed-only: ") and "3 elsewhere" in n for n in summary["notes"])

    text = cli("check", article, "--changed-only", *ONLY)
    assert text.out.splitlines()[-1] == "1 finding in 1 file (0 errors, 1 warning, 0 info)"
    assert f"{article}:7:14: warning calque.this-weekday" in text.out
    # without the flag, everything
    assert len(reported(cli("check", article, "--format", "json", *ONLY))) == 4


def test_changed_only_old_findings_elsewhere_pass(cli, repo):
    article = repo / "story.md"
    article.write_text(lines_of([GARBLE, "", "A clean line.", "", "Paris met this Monday."]), encoding="utf-8")
    commit(repo)
    article.write_text(lines_of([GARBLE, "", "A clean line, edited.", "", "Paris met this Monday."]), encoding="utf-8")
    git(repo, "add", "story.md")
    result = cli("check", article, "--changed-only", *ONLY)
    assert result.code == 0, result.output
    assert result.out.splitlines()[-1] == "No findings in 1 file."


def test_changed_only_unstaged_edits_are_not_checked(cli, repo):
    article = repo / "story.md"
    article.write_text(lines_of(["One.", "", "Two."]), encoding="utf-8")
    commit(repo)
    article.write_text(lines_of(["One.", "", "Two.", "", GARBLE]), encoding="utf-8")  # not staged
    result = cli("check", article, "--changed-only", *ONLY)
    assert result.code == 0 and "No findings" in result.out


def test_changed_only_follows_staged_lines_past_unstaged_edits(cli, repo):
    article = repo / "story.md"
    article.write_text(lines_of(["One.", "", "Two.", "", GARBLE]), encoding="utf-8")
    commit(repo)
    article.write_text(lines_of(["One.", "", "Paris met this Monday.", "", GARBLE]), encoding="utf-8")
    git(repo, "add", "story.md")
    # then, unstaged: two paragraphs on top (a plain git hook runs with them in the file)
    article.write_text(lines_of(["New top.", "", "One.", "", "Paris met this Monday.", "", GARBLE]), encoding="utf-8")
    result = cli("check", article, "--changed-only", "--format", "json", *ONLY)
    assert reported(result) == [("calque.this-weekday", 5, 11)]


def test_staged_new_file_is_all_changed(cli, repo):
    (repo / "old.md").write_text("Old.\n", encoding="utf-8")
    commit(repo)
    article = repo / "new.md"
    article.write_text(lines_of([GARBLE, "", "Paris met this Monday."]), encoding="utf-8")
    git(repo, "add", "new.md")
    result = cli("check", article, "--changed-only", "--format", "json", *ONLY)
    assert reported(result) == [("garble.det-in-order-to", 1, 10), ("calque.this-weekday", 3, 11)]


def test_first_commit_of_a_repository(cli, repo):
    article = repo / "new.md"
    article.write_text(GARBLE + "\n", encoding="utf-8")
    git(repo, "add", "new.md")  # no HEAD yet
    result = cli("check", article, "--changed-only", "--format", "json", *ONLY)
    assert reported(result) == [("garble.det-in-order-to", 1, 10)]


def test_untracked_file(cli, repo):
    (repo / "old.md").write_text("Old.\n", encoding="utf-8")
    commit(repo)
    article = repo / "draft.md"
    article.write_text(GARBLE + "\n", encoding="utf-8")
    # not staged: not part of the commit
    assert cli("check", article, "--changed-only", *ONLY).code == 0
    # against a revision it is all new
    result = cli("check", article, "--diff-base", "HEAD", "--format", "json", *ONLY)
    assert result.code == 1 and reported(result) == [("garble.det-in-order-to", 1, 10)]


def test_removed_lines_join_a_finding(cli, repo):
    article = repo / "story.md"
    article.write_text("They met with the\nsmall\nin order to talk.\n", encoding="utf-8")
    commit(repo)
    article.write_text("They met with the\nin order to talk.\n", encoding="utf-8")
    git(repo, "add", "story.md")
    # the garble now spans lines 1–2, where a line was removed
    result = cli("check", article, "--changed-only", "--format", "json", *ONLY)
    assert reported(result) == [("garble.det-in-order-to", 1, 10)]


# -- --diff-base REV: changes since a revision, to the working tree ------------------------------
def test_diff_base(cli, repo):
    article = repo / "story.md"
    base = [GARBLE, "", "One.", "", "Two.", "", "Three."]
    article.write_text(lines_of(base), encoding="utf-8")
    commit(repo, "v1")
    base[2] = "Paris met this Monday."
    article.write_text(lines_of(base), encoding="utf-8")
    commit(repo, "v2")
    base[6] = "Kyiv answered this Friday."
    article.write_text(lines_of(base), encoding="utf-8")  # working tree, not staged
    since_v1 = cli("check", article, "--diff-base", "HEAD~1", "--format", "json", *ONLY)
    assert reported(since_v1) == [("calque.this-weekday", 3, 11), ("calque.this-weekday", 7, 15)]
    since_head = cli("check", article, "--diff-base", "HEAD", "--format", "json", *ONLY)
    assert reported(since_head) == [("calque.this-weekday", 7, 15)]
    git(repo, "branch", "base", "HEAD~1")
    assert reported(cli("check", article, "--diff-base", "base", "--format", "json", *ONLY)) == reported(since_v1)


def test_diff_base_clean_since_rev(cli, repo):
    article = repo / "story.md"
    article.write_text(lines_of([GARBLE]), encoding="utf-8")
    commit(repo)
    result = cli("check", article, "--diff-base", "HEAD", *ONLY)
    assert result.code == 0 and "No findings in 1 file." in result.out


def test_several_repositories_and_odd_names(cli, tmp_path):
    one = make_repo(tmp_path / "one")
    two = make_repo(tmp_path / "two")
    a = one / "sub dir" / "crónica 1.md"
    b = two / ":colon.md"
    for path in (a, b):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(lines_of(["Intro.", "", "Old text."]), encoding="utf-8")
    commit(one)
    commit(two)
    a.write_text(lines_of(["Intro.", "", GARBLE]), encoding="utf-8")
    b.write_text(lines_of([GARBLE, "", "Old text."]), encoding="utf-8")
    git(one, "add", "-A")
    git(two, "add", "-A")
    result = cli("check", a, b, "--changed-only", "--format", "json", *ONLY)
    files = {Path(f["path"]).name: [(x["rule"], x["line"]) for x in f["findings"]] for f in result.json()["files"]}
    assert files == {"crónica 1.md": [("garble.det-in-order-to", 3)], ":colon.md": [("garble.det-in-order-to", 1)]}


# -- errors: one line, exit 2 ----------------------------------------------------------------------
def test_bad_revision(cli, repo):
    article = repo / "story.md"
    article.write_text("Text.\n", encoding="utf-8")
    commit(repo)
    result = cli("check", article, "--diff-base", "no-such-branch", *ONLY)
    assert result.code == 2
    assert result.err.startswith("mtreview: error: --diff-base 'no-such-branch': no such commit in ")
    assert len(result.err.splitlines()) == 1
    # an option-looking revision is a revision, not an option for git
    assert cli("check", article, "--diff-base=--output=x", *ONLY).code == 2
    assert not (repo / "x").exists()


def test_not_in_git(cli, tmp_path):
    article = tmp_path / "loose.md"
    article.write_text(GARBLE + "\n", encoding="utf-8")
    for flags in (["--changed-only"], ["--diff-base", "HEAD"]):
        result = cli("check", article, *flags, *ONLY)
        assert result.code == 2, result.output
        assert result.err == f"mtreview: error: {article}: not in a git repository; {' '.join(flags)} compares with git (check it without {' '.join(flags)})\n"


def test_both_modes_at_once(cli, repo):
    article = repo / "story.md"
    article.write_text("Text.\n", encoding="utf-8")
    result = cli("check", article, "--changed-only", "--diff-base", "HEAD", *ONLY)
    assert result.code == 2 and "--changed-only and --diff-base: use one" in result.err
