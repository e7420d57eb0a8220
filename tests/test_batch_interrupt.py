"""A `mtreview batch` run killed (SIGKILL) at any point resumes to outputs identical to those of
a run never interrupted, and never leaves a half-written output file.

Twelve cases: eight kill the run where it kills itself (``MTREVIEW_BATCH_TEST_KILL``: as its Nth
file is about to be renamed into place, or just before the rejects file, the manifest or the
clean-up), some of them again while it resumes, one while it redoes an edited archive; two
kill a run of two worker processes (and its workers) after a delay drawn from a fixed seed,
wherever it is by then; the last kills it at ten points drawn from a fixed seed among all of
them, resuming after each. No case depends on timing to pass: whatever point a run dies at,
every file in findings/ and articles/ must parse and the resumed run must give the same
tables, row by row, and the same rejects."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtreview.batch.outputs import KILL_VARIABLE, read_rows

SENTENCES = [
    "The minister said on Monday that the talks would resume in Geneva next week.",
    "The company will invest with the in order to expand its factories in the north.",
    "Officials confirmed that 8.500 soldiers had been placed on alert.",
    "The the committee approved the budget after a long debate.",
    "Analysts expect the central bank to keep rates unchanged until the summer.",
    "He realized an interview to the newspaper in which he defended the reform.",
    "Residents were evacuated as the river rose above its banks overnight.",
    "The opposition called the decision a so-called reform that helps nobody.",
]
SHARD = "4"


def _archive(path: Path, edited: int | None = None) -> None:
    rng = random.Random(5)
    lines = []
    for n in range(30):
        paragraphs = [" ".join(rng.sample(SENTENCES, 3)) for _ in range(rng.randint(2, 4))]
        text = "\n\n".join(paragraphs) + "\n"
        if n == edited:
            text = text.replace("The ", "The the ", 1)
        lines.append(json.dumps({"id": f"a{n:02d}", "text": text, "desk": ["world", "business"][n % 2]}))
        if n == 12:
            lines.append('{"id": "broken", "text": ')  # a reject, in every run
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(cwd: Path, out: str, *extra: str, kill: str | None = None, workers: str = "1") -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != KILL_VARIABLE}
    if kill is not None:
        env[KILL_VARIABLE] = kill
    argv = [sys.executable, "-m", "mtreview", "batch", "archive.jsonl", "-o", out, "--meta", "desk", "--no-grammar",
            "-q", "--shard-size", SHARD, "--workers", workers, *extra]
    return subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str]:
    _, err = proc.communicate(timeout=180)
    return proc.returncode, err.decode("utf-8", "replace")


def _tables(out: Path) -> dict[str, list]:
    """A run's tables, rejects and shards, row by row; the input (an absolute path, which
    differs from one test's folder to the next) by its name, shards by their rows (their keys
    cover the input's path)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    tables = {name: [row for s in manifest["shards"] for row in read_rows(out / s[name])] for name in ("findings", "articles")}
    for row in tables["articles"]:
        row["input"] = Path(row["input"]).name
    tables["rejects"] = [{**r, "input": Path(r["input"]).name} for r in
                         map(json.loads, (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines())]
    tables["shards"] = [(s["index"], s["articles_rows"], s["findings_rows"], s["words"]) for s in manifest["shards"]]
    return tables


def _whole(out: Path) -> None:
    """Every output file in findings/ and articles/ parses (none is half-written); what a kill
    leaves besides is a temporary file (``.NAME.batch-PID-XXXX.tmp``), which the next run removes."""
    for name in ("findings", "articles"):
        for path in (out / name).iterdir():
            if path.name.startswith("."):
                assert path.name.endswith(".tmp") and ".batch-" in path.name, path
            else:
                read_rows(path)


def _tidy(out: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {s[t] for s in manifest["shards"] for t in ("findings", "articles")}
    assert {p.relative_to(out).as_posix() for t in ("findings", "articles") for p in (out / t).iterdir()} == listed
    assert not [p for p in out.rglob("*") if ".tmp" in p.name or ".batch-" in p.name]


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict, dict]:
    """The tables of runs never interrupted: of the archive, and of it with one article edited."""
    folder = tmp_path_factory.mktemp("reference")
    _archive(folder / "archive.jsonl")
    assert _finish(_run(folder, "out"))[0] == 0
    plain = _tables(folder / "out")
    _archive(folder / "archive.jsonl", edited=9)
    assert _finish(_run(folder, "edited"))[0] == 0
    return folder, plain, _tables(folder / "edited")


CASES = {
    "first write": ["write:1"],
    "between a shard's findings and articles": ["write:2"],
    "mid-run, then again while resuming": ["write:7", "write:3"],
    "late in the run": ["write:13"],
    "before the rejects file": ["rejects"],
    "before the manifest": ["manifest"],
    "before the clean-up": ["cleanup"],
    "three times in a row": ["write:4", "write:4", "write:2"],
}


@pytest.mark.parametrize("points", list(CASES.values()), ids=list(CASES))
def test_killed_at_a_point_it_resumes_to_the_same_outputs(tmp_path, reference, points):
    _archive(tmp_path / "archive.jsonl")
    for point in points:
        code, err = _finish(_run(tmp_path, "out", kill=point))
        assert code == -signal.SIGKILL, (point, code, err)
        if (tmp_path / "out" / "findings").is_dir():
            _whole(tmp_path / "out")
    code, err = _finish(_run(tmp_path, "out"))
    assert code == 0, err
    assert _tables(tmp_path / "out") == reference[1]
    _tidy(tmp_path / "out")


def test_killed_while_redoing_an_edited_archive(tmp_path, reference):
    _archive(tmp_path / "archive.jsonl")
    assert _finish(_run(tmp_path, "out"))[0] == 0
    _archive(tmp_path / "archive.jsonl", edited=9)
    assert _finish(_run(tmp_path, "out", kill="write:1"))[0] == -signal.SIGKILL
    _whole(tmp_path / "out")
    assert _tables(tmp_path / "out") == reference[1]  # the last completed run's manifest and files, untouched
    code, err = _finish(_run(tmp_path, "out"))
    assert code == 0, err
    assert _tables(tmp_path / "out") == reference[2]
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["totals"]["reviewed"] == 1  # the edited article; its shard's others copied
    _tidy(tmp_path / "out")


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_after_a_random_delay_with_two_workers(tmp_path, reference, seed):
    _archive(tmp_path / "archive.jsonl")
    delays = random.Random(seed)
    for _ in range(2):
        proc = _run(tmp_path, "out", workers="2")
        time.sleep(delays.uniform(0.5, 4.0))
        with contextlib.suppress(ProcessLookupError):  # it had ended: fine, the resume then has nothing to do
            os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
        _finish(proc)
        if (tmp_path / "out" / "findings").is_dir():
            _whole(tmp_path / "out")
    code, err = _finish(_run(tmp_path, "out", workers="2"))
    assert code == 0, err
    assert _tables(tmp_path / "out") == reference[1]
    _tidy(tmp_path / "out")


def test_killed_at_ten_random_points_each_resume_gives_the_same_outputs(tmp_path, reference):
    """The issue's acceptance: ten kills at points drawn from a fixed seed among every point a
    run can die at (each of the 16 shard files about to be renamed into place, the rejects
    file, the manifest, the clean-up); after each, the resume completes to the uninterrupted
    run's tables."""
    points = [f"write:{n}" for n in range(1, 17)] + ["rejects", "manifest", "cleanup"]
    drawn = random.Random(17).sample(points, 10)
    _archive(tmp_path / "archive.jsonl")
    for n, point in enumerate(drawn):
        out = f"out{n}"
        code, err = _finish(_run(tmp_path, out, kill=point))
        assert code == -signal.SIGKILL, (point, code, err)
        if (tmp_path / out / "findings").is_dir():
            _whole(tmp_path / out)
        code, err = _finish(_run(tmp_path, out))
        assert code == 0, (point, err)
        assert _tables(tmp_path / out) == reference[1], point
        _tidy(tmp_path / out)
