"""Hostile inputs against the cache, custom rule packs and very long lines: a damaged cache
entry is dropped and rebuilt (never trusted, never a traceback), a rule pack with a regex
that can backtrack catastrophically is refused when it is loaded (one line, exit 2), and a
200 KB line is scored in bounded time and memory."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers import REPO, SEED
from mtreview import diskcache
from mtreview.matching.backtracking import backtracking_risk

BAD_INPUT = "a" * 40 + "!\n"  # what (a+)+$ takes minutes on


# -- the cache ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def filled_cache(tmp_path_factory):
    """A cache folder filled by one run on the seed, and the second run's JSON output (which
    read everything from that cache)."""
    folder = tmp_path_factory.mktemp("cache") / "mtreview"
    env = {"MTREVIEW_CACHE_DIR": str(folder)}
    cmd = [sys.executable, "-m", "mtreview", "check", "--no-grammar", "--format", "json", str(SEED)]
    full_env = {**os.environ, **env}
    first = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=120)
    second = subprocess.run(cmd, env=full_env, capture_output=True, text=True, timeout=120)
    assert first.returncode == second.returncode == 1, first.stderr
    assert first.stdout == second.stdout
    return folder, env, second.stdout


def _entries(folder: Path, prefix: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(prefix) and p.is_file())


KINDS = ["regex-store", "re-", "plan-", "packs-", "cmudict-"]


def _copy(filled_cache, tmp_path) -> Path:
    folder = tmp_path / "cache"
    shutil.copytree(filled_cache[0], folder)
    return folder


def _check_same(cli_process, folder: Path, env: dict, expected: str) -> None:
    result = cli_process("check", "--no-grammar", "--format", "json", SEED, env={**env, "MTREVIEW_CACHE_DIR": str(folder)})
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    assert json.loads(result.out) == json.loads(expected)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("where", ["tag", "length", "checksum", 0.5, -1])  # the header's fields, the middle, the last byte
def test_a_flipped_byte_in_a_cache_entry_is_dropped_and_rebuilt(filled_cache, tmp_path, cli_process, kind, where):
    folder = _copy(filled_cache, tmp_path)
    entries = _entries(folder, kind)
    assert entries, f"no {kind}* entry in the cache"
    # the largest entry of the kind: for re- and plan- the combined patterns a run uses
    path = max(entries, key=lambda p: p.stat().st_size)
    data = bytearray(path.read_bytes())
    header = {"tag": 0, "length": len(diskcache._MAGIC) + 1, "checksum": diskcache._HEADER_SIZE - 1}
    at = int(len(data) * where) if isinstance(where, float) else header.get(where, where)
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    _check_same(cli_process, folder, filled_cache[1], filled_cache[2])
    # rebuilt: the entry at that path is whole again
    assert diskcache.read_entry(path) is not None


@pytest.mark.parametrize("kind", ["regex-store", "packs-", "plan-"])
@pytest.mark.parametrize("damage", ["truncated", "empty", "folder", "old format"])
def test_a_truncated_empty_or_foreign_cache_entry_is_rebuilt(filled_cache, tmp_path, cli_process, kind, damage):
    folder = _copy(filled_cache, tmp_path)
    path = max(_entries(folder, kind), key=lambda p: p.stat().st_size)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "folder":
        path.unlink()
        path.mkdir()
    else:  # an entry without the header, as mtreview wrote them before
        path.write_bytes(data[diskcache._HEADER_SIZE :])
    _check_same(cli_process, folder, filled_cache[1], filled_cache[2])
    assert path.is_file() and diskcache.read_entry(path) is not None
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")], "a temporary file was left behind"


def test_a_folder_that_is_not_empty_where_an_entry_should_be_is_left_alone(filled_cache, tmp_path, cli_process):
    folder = _copy(filled_cache, tmp_path)
    path = folder / diskcache._STORE_NAME
    path.unlink()
    path.mkdir()
    (path / "keep.txt").write_text("someone's file")
    _check_same(cli_process, folder, filled_cache[1], filled_cache[2])
    assert (path / "keep.txt").read_text() == "someone's file"


def test_read_entry_verifies_the_checksum_and_removes_a_bad_entry(tmp_path):
    path = tmp_path / "plan-x.bin"
    diskcache.write_entry(path, b"payload" * 100, "plan-", 4)
    assert diskcache.read_entry(path) == b"payload" * 100
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x40
    path.write_bytes(bytes(data))
    assert diskcache.read_entry(path) is None
    assert not path.exists()
    assert diskcache.read_entry(tmp_path / "missing.bin") is None


def test_concurrent_writers_of_one_entry_leave_a_whole_entry(tmp_path):
    path = tmp_path / "packs-same.pickle"
    payloads = [bytes([i]) * (200_000 + i) for i in range(8)]
    seen: list[bytes | None] = []
    stop = threading.Event()

    def writer(payload: bytes) -> None:
        for _ in range(20):
            diskcache.write_entry(path, payload, "packs-", 4)

    def reader() -> None:
        while not stop.is_set():
            seen.append(diskcache.read_entry(path))

    readers = [threading.Thread(target=reader) for _ in range(2)]
    writers = [threading.Thread(target=writer, args=(p,)) for p in payloads]
    for t in readers + writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in readers:
        t.join()
    assert diskcache.read_entry(path) in payloads
    # a reader saw the old entry or a new one, never a part of one (a torn read would also be
    # deleted as damaged; None is only "not there yet")
    assert all(s is None or s in payloads for s in seen)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- custom rule packs with catastrophic regexes ------------------------------------------------
def _pack(write, regex: str, key: str = "regex", rule_id: str = "custom.slow") -> Path:
    body = {"regex": "aaa"} if key != "regex" else {}
    body[key] = regex
    lines = [
        "pack: custom",
        "rules:",
        f"  - id: {rule_id}",
        "    category: fluency/grammar",
        "    severity: warning",
        *(f"    {k}: {json.dumps(v)}" for k, v in body.items()),
        '    message: "slow"',
        '    why: "A pattern that a hostile line can make backtrack for ever."',
        "    examples:",
        '      bad: ["x [aaa] y"]',
        '      good: ["bbb"]',
    ]
    return write("rules/custom.yaml", "\n".join(lines) + "\n").parent


CATASTROPHIC = [
    (r"(a+)+$", "(a+)+", "a+"),
    (r"(a*)*b", "(a*)*", "a*"),
    (r"(a|aa)+$", "(a|aa)+", None),
    (r"x(.*)*y", "(.*)*", ".*"),
    (r"(?:\w+\s?)+$", r"(?:\w+\s?)+", None),
    (r"(x\w*)+$", r"(x\w*)+", None),
    (r"(\w+[-']\w+)+$", r"(\w+[-']\w+)+", None),
]


@pytest.mark.parametrize(("regex", "piece", "rewrite"), CATASTROPHIC)
def test_a_custom_rule_with_a_catastrophic_regex_is_refused_when_loaded(write, cli_process, regex, piece, rewrite):
    rules = _pack(write, regex)
    text = write("in.txt", BAD_INPUT)
    result = cli_process("check", "--no-grammar", "--rules", rules, text, timeout=60)
    assert result.code == 2, result.output
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    line = lines[0]
    assert str(rules / "custom.yaml") in line and "'custom.slow'" in line
    assert "catastrophic backtracking risk" in line and f"`{piece}`" in line
    assert f'"{regex[:20]}' in line  # the pattern as the pack writes it
    if rewrite:
        assert f"rewrite it as `{rewrite}`" in line


@pytest.mark.parametrize("key", ["unless_before", "unless_after"])
def test_a_catastrophic_context_filter_is_refused_too(write, cli_process, key):
    rules = _pack(write, r"(\s+\w*)*!", key=key)
    result = cli_process("rules", "test", rules, timeout=60)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1, result.output
    assert key in result.err and "catastrophic backtracking risk" in result.err


def test_a_catastrophic_telltale_is_refused(write, cli_process):
    rules = write("rules/tells.yaml", 'telltales:\n  es:\n    - regex: "(\\\\w+\\\\s*)+x"\n      weight: 1\n').parent
    result = cli_process("check", "--no-grammar", "--rules", rules, write("in.txt", BAD_INPUT), timeout=60)
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1, result.output
    assert "tells.yaml" in result.err and "telltale for 'es'" in result.err and "catastrophic" in result.err


def test_a_safe_custom_regex_still_loads_and_reports(write, cli_process):
    rules = _pack(write, r"\b(?:very\s+)+(?:big|large)\b", rule_id="custom.very")
    result = cli_process("check", "--no-grammar", "--rules", rules, write("in.txt", "It was very very big.\n"), timeout=60)
    assert result.code == 1, result.output
    assert "custom.very" in result.out


def test_every_built_in_pattern_passes_the_detector():
    from mtreview.ruleset.loader import builtin_rules_dir, load_rules

    packs = load_rules([builtin_rules_dir()])  # refuses a risky built-in pattern itself
    regexes = [r for r in packs.rules if r.kind == "regex"]
    assert len(regexes) > 100
    for rule in regexes:
        assert backtracking_risk(rule.spec, 0 if rule.case_sensitive else re.IGNORECASE) is None, rule.id


@pytest.mark.parametrize("pattern", [
    r"(a+)+", r"(a*)*", r"(.*)*", r"(a|aa)+", r"(a?a)+", r"(?:\w+,?)+", r"(?:\s*\w+)+", r"((ab)*)+", r"(a+){2,}",
    r"(?:\.\.\.|\.)+", r"(?i)(?:[a-z]|[A-Z][a-z])+", r"(?:x(?:\w+)?)+", r"(?=(a+)+b)", r"(?:(a+)b?)*c",
])
def test_the_detector_finds_ambiguous_repeats(pattern):
    risk = backtracking_risk(pattern)
    assert risk is not None, pattern
    assert risk.describe().startswith("catastrophic backtracking risk: ")


@pytest.mark.parametrize("pattern", [
    r"(\w+\s+)+$", r"(?:\s+\w+)+", r"(?:[A-Z][a-z]+ ?)+", r"(the|this)+", r"(\w|\d)+", r"(\s|\n)+", r"(a++)+",
    r"(?:, ?\w+)+", r"(?:\d{1,3},)*\d{1,3}", r"(?:[^,]+,)+", r"(?:\b\w+\b\s?)+", r"(?P<w>\w+)(?:[ ,]+(?P=w)\b){2,}",
    r"(?:a|b)*", r"(?>(\w+\s?))+", r"\w+\w+", "(unclosed", r"plain words",
])
def test_the_detector_lets_unambiguous_repeats_pass(pattern):
    assert backtracking_risk(pattern) is None, pattern


# -- very long lines -----------------------------------------------------------------------------
def _line(size: int, drop_every: int = 0) -> str:
    """About ``size`` characters of the seed's words on one line; ``drop_every``: every n-th
    word left out (a reference that differs)."""
    words = SEED.read_text(encoding="utf-8").split()
    out, n, i = [], 0, 0
    while n < size:
        word = words[i % len(words)]
        if not drop_every or i % drop_every:
            out.append(word)
            n += len(word) + 1
        i += 1
    return " ".join(out) + "\n"


def _alone(args: list[str], timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``mtreview ARGS`` from a fresh Python whose only child it is: the result and the
    child's peak resident memory in MB (``RUSAGE_CHILDREN`` of that Python)."""
    probe = (
        "import resource, subprocess, sys, json\n"
        "r = subprocess.run([sys.executable, '-m', 'mtreview', *sys.argv[1:]], capture_output=True, text=True)\n"
        "print(json.dumps([r.returncode, r.stdout, r.stderr, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO)
    code, out, err, rss_kb = json.loads(done.stdout)
    return subprocess.CompletedProcess(args, code, out, err), rss_kb / 1024


def test_score_of_a_200_kb_line_is_bounded_and_sensible(tmp_path):
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text(_line(200_000), encoding="utf-8")
    ref.write_text(_line(200_000, drop_every=13), encoding="utf-8")
    result, rss_mb = _alone(["score", str(hyp), "-r", str(ref), "--format", "json"])
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert rss_mb < 1024, f"{rss_mb:.0f} MB"
    metrics = json.loads(result.stdout)["metrics"]
    # one word in 13 missing from the reference: high scores, far from perfect and from zero
    assert 60 < metrics["bleu"]["score"] < 95
    assert 80 < metrics["chrf2"]["score"] < 99
    assert 3 < metrics["ter"]["score"] < 20


def test_score_of_a_200_kb_line_against_itself_is_perfect(tmp_path):
    hyp = tmp_path / "hyp.txt"
    hyp.write_text(_line(200_000), encoding="utf-8")
    result, rss_mb = _alone(["score", str(hyp), "-r", str(hyp), "--format", "json"])
    assert result.returncode == 0, result.stderr
    assert rss_mb < 1024, f"{rss_mb:.0f} MB"
    metrics = json.loads(result.stdout)["metrics"]
    assert metrics["bleu"]["score"] == pytest.approx(100) and metrics["ter"]["score"] == 0
    assert metrics["chrf2"]["score"] == pytest.approx(100)


def test_check_with_a_reference_on_a_long_line_finishes(write, cli_process):
    hyp = write("hyp.txt", _line(15_000))
    ref = write("ref.txt", _line(15_000, drop_every=11))
    result = cli_process("check", "--no-grammar", "--reference", ref, hyp, timeout=60)
    assert result.code == 1, result.output  # the seed's findings
    assert "BLEU" in result.out and "Traceback" not in result.err


def test_long_units_are_scored_in_bounded_pieces_that_cover_every_word():
    from mtreview.scoring.reference import PIECE_MAX, _pieces

    short_h, short_r = ["A short line.", ""], [["A short line too.", "Gone."]]
    assert _pieces(short_h, short_r) == (short_h, short_r, None)  # nothing long: scored as sacrebleu does
    long_hyp = _line(30_000).strip()
    long_ref = "x" * 9_000 + " " + _line(20_000, drop_every=7).strip()  # a run without a space, then words
    hyps, refs, owner = _pieces(["first", long_hyp], [["first", long_ref]])
    assert owner[0] == 0 and set(owner[1:]) == {1}
    assert all(len(h) <= 2 * PIECE_MAX for h in hyps) and all(len(r) <= 2 * PIECE_MAX for r in refs[0])
    assert " ".join(hyps[1:]).split() == long_hyp.split()
    assert "".join(" ".join(refs[0][1:]).split()) == "".join(long_ref.split())


def test_the_alignment_band_stops_growing_at_its_cell_budget(monkeypatch):
    from mtreview.scoring import align as align_module

    monkeypatch.setattr(align_module, "MAX_CELLS", 5_000)
    hyp = [f"sentence number {i} about the harbour" for i in range(400)]
    ref = [f"an unrelated line {i * 7} on rainfall" for i in range(900)]
    beads = align_module.align(hyp, ref)
    assert sum(len(b.hyp) for b in beads) == len(hyp) and sum(len(b.ref) for b in beads) == len(ref)
