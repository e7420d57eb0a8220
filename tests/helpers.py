"""The one shared helper of the test suite: run the CLI (in-process or as a real
subprocess), check text with a chosen set of rules, and write throw-away rule packs."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "samples" / "mt-news-ukraine-es-en.txt"


def eval_folder() -> Path | None:
    """The shared eval set (``$MTREVIEW_SHARED/eval``, else ``../shared/eval`` beside the
    repository), or None when it is not here."""
    candidates = [Path(os.environ["MTREVIEW_SHARED"]) / "eval"] if os.environ.get("MTREVIEW_SHARED") else []
    candidates.append(REPO.parent / "shared" / "eval")
    return next((c for c in candidates if (c / "es-en" / "newssyscomb2009.ref.txt").is_file()), None)


def eval_dir() -> Path:
    """``eval_folder()``; the test is skipped, saying how to point at it, when it is not here."""
    import pytest

    folder = eval_folder()
    if folder is None:
        pytest.skip("the shared eval set (../shared/eval) is not here; set MTREVIEW_SHARED to the shared/ folder")
    return folder


# -- running the CLI -----------------------------------------------------------------------
@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float = 0.0  # a subprocess's wall time (run_subprocess)
    max_rss_mb: float = 0.0  # and its peak resident memory

    @property
    def output(self) -> str:
        return self.out + self.err

    def json(self):
        import json

        return json.loads(self.out)


@contextlib.contextmanager
def environment(env: dict[str, str | None] | None):
    saved = dict(os.environ)
    try:
        for key, value in (env or {}).items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _cwd(path):
    if path is None:
        yield
        return
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _clean_env(env):
    """Colour variables off unless a test sets them, so output does not depend on the caller."""
    base = {"NO_COLOR": None, "FORCE_COLOR": None}
    base.update(env or {})
    return base


def run(*args, env: dict[str, str | None] | None = None, cwd=None) -> Result:
    """Run ``mtreview ARGS`` in-process through ``mtreview.cli.main`` (the real entry point).

    An exception escaping ``main`` is reported the way Python would report it: a traceback
    on stderr and exit code 1, so tests can assert that none happens."""
    from mtreview.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = ["mtreview", *map(str, args)]
    saved = sys.stdout, sys.stderr, sys.argv
    code = 0
    with environment(_clean_env(env)), _cwd(cwd):
        sys.stdout, sys.stderr, sys.argv = out, err, argv
        try:
            main()
        except SystemExit as exc:
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                err.write(str(exc.code) + "\n")
                code = 1
        except BaseException:
            err.write(traceback.format_exc())
            code = 1
        finally:
            sys.stdout, sys.stderr, sys.argv = saved
    return Result(code, out.getvalue(), err.getvalue())


# Every subprocess run of this session, for the hostile-input suite's checks and table
# (tests/conftest.py): (test id, arguments, Result).
RUNS: list[tuple[str, list[str], Result]] = []


def run_subprocess(*args, env: dict[str, str | None] | None = None, cwd=None, timeout: float = 60,
                   stdin=None, stdout=subprocess.PIPE) -> Result:
    """Run ``python -m mtreview ARGS`` as a real process: its exit code, output, wall time and
    peak memory (from wait4). A process still running at ``timeout`` is killed and the test
    fails (a hang). ``stdin``/``stdout``: file objects or descriptors to use instead of pipes
    (stdout=None: closed)."""
    import tempfile
    import time

    full_env = dict(os.environ)
    for key, value in _clean_env(env).items():
        if value is None:
            full_env.pop(key, None)
        else:
            full_env[key] = value
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    argv = [sys.executable, "-m", "mtreview", *map(str, args)]
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                stdout=out_file if stdout is subprocess.PIPE else stdout, stderr=err_file,
                                env=full_env, cwd=cwd)
        status, rusage = _wait(proc, timeout, argv)
        seconds = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        code = os.waitstatus_to_exitcode(status)
        result = Result(code, out_file.read().decode("utf-8", "replace"), err_file.read().decode("utf-8", "replace"),
                        seconds, rusage.ru_maxrss / 1024)
    RUNS.append((os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0], [str(a) for a in args], result))
    return result


def _wait(proc: subprocess.Popen, timeout: float, argv: list[str]):
    """wait4 with a deadline: (status, rusage); kills the process and fails past the deadline."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        pid, status, rusage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
            return status, rusage
        if time.monotonic() > deadline:
            proc.kill()
            os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise AssertionError(f"hang: {' '.join(argv[2:])} still running after {timeout:.0f} s (killed)")
        time.sleep(0.01)


# -- checking text with chosen rules -------------------------------------------------------
@cache
def builtin_ruleset():
    from mtreview.ruleset import RuleSet

    return RuleSet.load()


def engine_for(rules=None, *, select=(), ignore=(), lang: str | None = None, rule_dirs=()):
    """A Checker (the engine and the finding lifecycle) over the built-in rules (plus packs in
    ``rule_dirs``), or over ``rules``: rule mappings as written in a YAML pack, compiled with
    the built-in word classes. ``.check(doc)`` gives the findings."""
    from mtreview.checker import Checker
    from mtreview.rule import rule_from_dict
    from mtreview.ruleset import RuleSet

    if rules is not None:
        base = builtin_ruleset()
        compiled = [rule_from_dict(dict(r), "test", f"<test rule {i}>") for i, r in enumerate(rules)]
        ruleset = RuleSet(compiled, {}, dict(base.classes), {}, {})
    else:
        ruleset = RuleSet.load(list(rule_dirs)) if rule_dirs else builtin_ruleset()
    chosen = ruleset.select(list(select), list(ignore), lang)
    return Checker(ruleset, chosen)


def check_text(text: str, rules=None, *, select=(), ignore=(), lang: str | None = None, rule_dirs=()):
    """Findings for ``text`` with the chosen rules (see ``engine_for``)."""
    from mtreview.document import Document

    return engine_for(rules, select=select, ignore=ignore, lang=lang, rule_dirs=rule_dirs).check(Document(text))


def spans(findings, rule: str | None = None) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.text) for f in findings if rule is None or f.rule == rule]


# -- throw-away rule packs -----------------------------------------------------------------
def make_rule(rule_id: str, **fields) -> dict:
    """A valid rule mapping (a phrase rule) with ``fields`` overriding or adding keys."""
    rule = {
        "id": rule_id,
        "category": "style/house",
        "severity": "warning",
        "phrase": "zzyzx",
        "message": "Found “{0}”",
        "why": "A test rule.",
        "examples": {"bad": ["A [zzyzx] here."], "good": ["Nothing here."]},
    }
    rule.update(fields)
    if any(k in fields for k in ("phrases", "tokens", "regex")):
        rule.pop("phrase")
    return rule


def write_pack(folder: Path, rules: list[dict] | None = None, name: str = "custom", **top) -> Path:
    """Write a YAML rule pack ``folder/NAME.yaml``; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = dict(top)
    if rules is not None:
        data.setdefault("pack", name)
        data["rules"] = rules
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def line_col(text: str, offset: int) -> tuple[int, int]:
    """Reference 1-based line and column, computed independently of mtreview."""
    lines = re.split(r"\r\n|\r|\n", text[:offset])
    return len(lines), len(lines[-1]) + 1


QUIET = ("--no-grammar", "--no-scores", "--fail-on", "never", "--format", "json")


def checked_findings(cli, path, *args, scores: bool = False) -> list[dict]:
    """The findings of ``mtreview check PATH`` in JSON (with ``scores``: readability's too),
    each checked against the file: its text at its offsets, its line and column."""
    result = cli("check", path, *(q for q in QUIET if not (scores and q == "--no-scores")), *args)
    assert result.code == 0, result.output
    (file,) = result.json()["files"]
    text = Path(path).read_bytes().decode("utf-8")
    for f in file["findings"]:
        assert f["text"] == text[f["start"] : f["end"]], f
        assert (f["line"], f["column"]) == line_col(text, f["start"]), f
    return file["findings"]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """line:column of the nth occurrence of ``needle``."""
    import re

    starts = [m.start() for m in re.finditer(re.escape(needle), text)]
    return line_col(text, starts[nth])
