"""The git hooks end to end, as a desk would use them: the real pre-commit framework (from
PyPI) installing this repository's hook (.pre-commit-hooks.yaml) into its own virtualenv,
and `mtreview hook install` with a plain `git commit`, on a Hugo-style Markdown article.

The pre-commit environment is built once per test session (PRE_COMMIT_HOME in a session
temporary folder; pip installs mtreview and its dependencies from PyPI, ~30 s). Its source is
this repository at HEAD when the working tree is clean (CI's fresh clone), else a snapshot of
the working tree committed in a temporary repository, so what is tested is what is here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO

FINDING = re.compile(r"^(?P<path>\S+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<rule>[a-z0-9.-]+) ", re.M)
HOOK_ARGS = ["--source-lang", "es", "--no-grammar"]  # deterministic: no guessing, no LanguageTool

FRONT = """---
title: "NATO puts forces on standby as Russia masses troops"
date: 2022-01-24T18:00:00+01:00
draft: false
tags: ["ukraine", "nato"]
---
"""
STANDBY = "NATO put forces on standby and sent more ships and fighter jets to eastern Europe."
ASSURED = "Paris assured that it would keep talking to Moscow."
MONDAY = ("The allies met this Monday in Brussels, according to "
          "[a statement](https://example.com/2022/01/24/allies-met-this-monday-in-brussels/).")
TWEET = ('<blockquote class="twitter-tweet"><p lang="en" dir="ltr">We will take all necessary measures to protect '
         'and defend all Allies. <a href="https://t.co/4f7yXbQ2">pic.twitter.com/4f7yXbQ2</a></p>&mdash; NATO (@NATO) '
         '<a href="https://twitter.com/NATO/status/1485600000000000000">January 24, 2022</a></blockquote>')
CODE = "```text\nwith the in order to\n```"
CLOSING = "The foreign ministers will meet again next week."


def article(*paragraphs: str) -> str:
    return FRONT + "\n" + "\n\n".join(paragraphs) + "\n"


ARTICLE = article(STANDBY, ASSURED, MONDAY, TWEET, CODE, CLOSING)


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of ``needle`` in ``text``."""
    offset = text.index(needle)
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def findings(output: str) -> set[tuple[str, int, int, str]]:
    return {(m["path"], int(m["line"]), int(m["col"]), m["rule"]) for m in FINDING.finditer(output)}


def run(cmd: list[str], cwd: Path, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def git(repo: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = run(["git", *args], repo, env, timeout=900)
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "Desk Editor")
    git(path, "config", "user.email", "desk@example.com")
    git(path, "config", "commit.gpgsign", "false")
    return path


# -- the pre-commit framework ------------------------------------------------------------------
@pytest.fixture(scope="session")
def hook_source(tmp_path_factory) -> tuple[str, str]:
    """(repo, rev) for a .pre-commit-config.yaml naming this repository's hook."""
    status = run(["git", "status", "--porcelain", "--untracked-files=normal"], REPO)
    assert status.returncode == 0, status.stderr
    if not status.stdout.strip():
        return str(REPO), run(["git", "rev-parse", "HEAD"], REPO).stdout.strip()
    snapshot = tmp_path_factory.mktemp("mtreview-snapshot")
    listed = run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], REPO).stdout
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # not deleted in the working tree
            (snapshot / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, snapshot / name)
    repo = snapshot
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=snapshot", "-c", "user.email=snapshot@example.com", "-c", "commit.gpgsign=false",
        "commit", "-q", "--no-verify", "-m", "working tree of mtreview under test")
    return str(repo), run(["git", "rev-parse", "HEAD"], repo).stdout.strip()


@pytest.fixture(scope="session")
def pre_commit_env(tmp_path_factory) -> dict:
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["NO_COLOR"] = "1"
    env.pop("FORCE_COLOR", None)
    env.pop("MTREVIEW_LANGUAGETOOL_URL", None)
    return env


@pytest.fixture
def desk(tmp_path, hook_source, pre_commit_env) -> Path:
    """A repository with the mtreview hook in its .pre-commit-config.yaml, `pre-commit install`ed."""
    repo = make_repo(tmp_path / "desk")
    source, rev = hook_source
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {source}\n    rev: {rev}\n    hooks:\n      - id: mtreview\n"
        f"        args: [{', '.join(HOOK_ARGS)}]\n",
        encoding="utf-8",
    )
    proc = run([sys.executable, "-m", "pre_commit", "install"], repo, pre_commit_env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return repo


def commit(repo: Path, env: dict, message: str = "edit") -> subprocess.CompletedProcess:
    git(repo, "add", "-A", env=env)
    return git(repo, "commit", "-m", message, env=env, check=False)


def test_pre_commit_blocks_calques_then_passes_on_other_lines(desk, pre_commit_env):
    env = pre_commit_env
    (desk / "article.md").write_text(ARTICLE, encoding="utf-8")
    blocked = commit(desk, env, "NATO story")  # the first commit builds the hook's environment
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "- hook id: mtreview" in out and "Failed" in out
    found = findings(out)
    assert ("article.md", *position(ARTICLE, "assured that"), "calque.assured-that") in found, out
    assert ("article.md", *position(ARTICLE, "this Monday"), "calque.this-weekday") in found, out
    assert git(desk, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0  # nothing committed

    # the desk commits it as it is; then an editor touches only other lines of the file
    git(desk, "commit", "-q", "--no-verify", "-m", "NATO story", env=env)
    edited = ARTICLE.replace(STANDBY, STANDBY.replace("more ships", "more warships")).replace(
        CLOSING, CLOSING + "\n\nThe alliance has 30 members.")
    (desk / "article.md").write_text(edited, encoding="utf-8")
    passed = commit(desk, env, "copy edit")
    out = passed.stdout + passed.stderr
    assert passed.returncode == 0, out
    assert re.search(r"^mtreview \(machine-translation review\)\.+Passed$", out, re.M), out

    # a new calque on a new line is blocked, and only it is reported
    again = edited.replace(CLOSING, CLOSING + " Berlin assured that it agreed.")
    (desk / "article.md").write_text(again, encoding="utf-8")
    blocked = commit(desk, env, "more")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    line, _ = position(again, CLOSING)
    assert findings(out) == {("article.md", line, len(CLOSING) + 9, "calque.assured-that")}, out


def test_pre_commit_reports_only_prose_of_the_markdown(desk, pre_commit_env):
    """Front matter, the fenced code block (“with the in order to”), the link's URL
    (“this-monday”) and a proper tweet embed are not prose: exactly the two calques."""
    (desk / "article.md").write_text(ARTICLE, encoding="utf-8")
    blocked = commit(desk, pre_commit_env)
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert findings(out) == {
        ("article.md", *position(ARTICLE, "assured that"), "calque.assured-that"),
        ("article.md", *position(ARTICLE, "this Monday"), "calque.this-weekday"),
    }, out


def test_pre_commit_suppression_comment_passes(desk, pre_commit_env):
    env = pre_commit_env
    (desk / "article.md").write_text(article(STANDBY, CLOSING), encoding="utf-8")
    git(desk, "add", "-A")
    git(desk, "commit", "-q", "--no-verify", "-m", "base", env=env)
    (desk / "article.md").write_text(article(STANDBY, ASSURED, CLOSING), encoding="utf-8")
    assert commit(desk, env, "unsuppressed").returncode != 0
    suppressed = article(STANDBY, "<!-- mtreview-disable-next-line calque.assured-that -->\n" + ASSURED, CLOSING)
    (desk / "article.md").write_text(suppressed, encoding="utf-8")
    passed = commit(desk, env, "suppressed")
    assert passed.returncode == 0, passed.stdout + passed.stderr


# -- `mtreview hook install` and a plain `git commit` -------------------------------------------
def mtreview(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run([sys.executable, "-m", "mtreview", *args], repo, env)


@pytest.fixture
def plain_env() -> dict:
    env = dict(os.environ, NO_COLOR="1")
    env.pop("FORCE_COLOR", None)
    env.pop("MTREVIEW_LANGUAGETOOL_URL", None)
    return env


def test_hook_install_with_plain_git_commit(tmp_path, plain_env):
    env = plain_env
    repo = make_repo(tmp_path / "desk")
    # the hook runs with the project's settings (mtreview/config.py); here, the source language
    (repo / ".mtreview.toml").write_text('source-lang = "es"\n', encoding="utf-8")
    installed = mtreview(repo, "hook", "install", env=env)
    assert installed.returncode == 0, installed.stderr
    hook = repo / ".git" / "hooks" / "pre-commit"
    assert installed.stdout == f"installed {hook}\n"
    assert os.access(hook, os.X_OK)
    script = hook.read_text(encoding="utf-8")
    assert script.startswith("#!/bin/sh\n") and "check --changed-only --no-scores" in script
    from mtreview.hook import mtreview_command

    command = mtreview_command()
    assert Path(command[0]).is_absolute() and command[0] in script  # this Python's mtreview, by absolute path

    text = ASSURED + "\n\nThe ministers met this Monday.\n"
    (repo / "notes").mkdir()
    (repo / "notes" / "my story.md").write_text(text, encoding="utf-8")
    (repo / "tool.py").write_text("print('with the in order to')\n", encoding="utf-8")
    blocked = commit(repo, env, "story")
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    found = {(p, line, col, rule) for p, line, col, rule in findings(out.replace("notes/my story.md", "notes/my_story.md"))}
    assert found == {
        ("notes/my_story.md", *position(text, "assured that"), "calque.assured-that"),
        ("notes/my_story.md", *position(text, "this Monday"), "calque.this-weekday"),
    }, out
    assert "commit blocked" in out

    git(repo, "commit", "-q", "--no-verify", "-m", "story", env=env)
    (repo / "notes" / "my story.md").write_text(text + "\nThey spoke for an hour.\n", encoding="utf-8")
    passed = commit(repo, env, "more")
    assert passed.returncode == 0, passed.stdout + passed.stderr

    (repo / "tool.py").write_text("print('nothing to check')\n", encoding="utf-8")
    assert commit(repo, env, "code only").returncode == 0

    removed = mtreview(repo, "hook", "uninstall", env=env)
    assert removed.returncode == 0 and removed.stdout == f"removed {hook}\n"
    assert not hook.exists()


def test_hook_install_guards_other_hooks(cli, tmp_path):
    repo = make_repo(tmp_path / "desk")
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexec make lint\n", encoding="utf-8")
    refused = cli("hook", "install", cwd=repo)
    assert refused.code == 2 and len(refused.err.splitlines()) == 1
    assert refused.err.startswith(f"mtreview: error: {hook}: a pre-commit hook mtreview did not write is already there;")
    assert "--force" in refused.err
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\nexec make lint\n"
    not_ours = cli("hook", "uninstall", cwd=repo)
    assert not_ours.code == 2 and "was not written by mtreview" in not_ours.err and hook.exists()

    forced = cli("hook", "install", "--force", cwd=repo)
    assert forced.code == 0 and forced.out == f"replaced {hook}\n"
    again = cli("hook", "install", cwd=repo / ".git" / "..")
    assert again.code == 0 and again.out == f"updated {hook}\n"
    assert cli("hook", "uninstall", cwd=repo).out == f"removed {hook}\n"
    nothing = cli("hook", "uninstall", cwd=repo)
    assert nothing.code == 0 and "nothing to remove" in nothing.out


def test_hook_install_writes_through_a_linked_hook_and_replaces_only_the_link_of_another(cli, tmp_path):
    """A hook kept in the repository and linked from .git/hooks: updating mtreview's writes the
    linked file (the link stays a link, executable); --force over someone else's linked script
    replaces the link and leaves their script as it was."""
    from mtreview.hook import MARKER, script

    repo = make_repo(tmp_path / "desk")
    hook = repo / ".git" / "hooks" / "pre-commit"
    (repo / "tools").mkdir()
    kept = repo / "tools" / "pre-commit"
    kept.write_text(f"#!/bin/sh\n# {MARKER} (an older version)\nexit 0\n", encoding="utf-8")
    kept.chmod(0o750)
    hook.symlink_to(Path("../../tools/pre-commit"))
    updated = cli("hook", "install", cwd=repo)
    assert updated.code == 0 and updated.out == f"updated {hook}\n"
    assert hook.is_symlink() and kept.read_text(encoding="utf-8") == script()
    assert kept.stat().st_mode & 0o777 == 0o755 | 0o750

    theirs = repo / "tools" / "lint-hook"
    theirs.write_text("#!/bin/sh\nexec make lint\n", encoding="utf-8")
    hook.unlink()
    hook.symlink_to(theirs)
    forced = cli("hook", "install", "--force", cwd=repo)
    assert forced.code == 0 and forced.out == f"replaced {hook}\n"
    assert not hook.is_symlink() and hook.read_text(encoding="utf-8") == script() and hook.stat().st_mode & 0o111
    assert theirs.read_text(encoding="utf-8") == "#!/bin/sh\nexec make lint\n"


def test_hook_install_honours_core_hooks_path(cli, tmp_path):
    repo = make_repo(tmp_path / "desk")
    git(repo, "config", "core.hooksPath", "githooks")
    (repo / "sub").mkdir()
    result = cli("hook", "install", cwd=repo / "sub")
    assert result.code == 0, result.output
    assert (repo / "githooks" / "pre-commit").is_file()
    assert not (repo / ".git" / "hooks" / "pre-commit").exists()


def test_hook_install_outside_a_repository(cli, tmp_path):
    result = cli("hook", "install", cwd=tmp_path)
    assert result.code == 2 and "not in a git repository" in result.err
