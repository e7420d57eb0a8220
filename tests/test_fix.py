"""Fixes: edit semantics (order, conflicts, bounds), the fix loop, and `mtreview fix`."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess

import pytest

from helpers import SEED, check_text
from mtreview import fileio
from mtreview.errors import MtreviewError
from mtreview.fixes import MAX_PASSES, apply_edits, conflicts, edit_order, fix_text, fixable, select_edits
from mtreview.model import Edit, Finding, FixSafety, Severity

GARBLE = "They met with the in order to talk."
GARBLE_FIXED = "They met in order to talk."
STRAY = "Troops massed in the east and south. including Ukraine."
STRAY_FIXED = "Troops massed in the east and south, including Ukraine."
FIX_RULES = ["--select", "garble.det-in-order-to,fragment.stray-period,repeat.word"]


# -- edit semantics ------------------------------------------------------------------------------
def test_select_orders_by_start():
    a, b, c = Edit(6, 8, "B"), Edit(0, 2, "A"), Edit(3, 4, "C")
    assert select_edits([a, b, c]) == [b, c, a]


def test_same_start_longer_span_first():
    short, long = Edit(0, 2, "s"), Edit(0, 5, "L")
    assert select_edits([short, long]) == [long]
    assert apply_edits("abcdefg", [short, long]) == "Lfg"


def test_same_span_tie_broken_by_replacement():
    assert select_edits([Edit(0, 1, "z"), Edit(0, 1, "a")]) == [Edit(0, 1, "a")]
    assert edit_order(Edit(0, 1, "a")) < edit_order(Edit(0, 1, "z"))


@pytest.mark.parametrize(
    "a, b, conflict",
    [
        (Edit(0, 3, "x"), Edit(2, 4, "y"), True),  # share character 2
        (Edit(0, 3, "x"), Edit(1, 2, "y"), True),  # nested
        (Edit(0, 2, "x"), Edit(2, 4, "y"), False),  # adjacent: no shared character
        (Edit(2, 2, "x"), Edit(2, 4, "y"), True),  # same start (insertion at a replacement's start)
        (Edit(2, 2, "x"), Edit(2, 2, "y"), True),  # two insertions at one place
        (Edit(0, 3, "x"), Edit(1, 1, "y"), True),  # insertion inside a replaced span
        (Edit(0, 3, "x"), Edit(3, 3, "y"), False),  # insertion right after it
        (Edit(5, 6, "x"), Edit(0, 1, "y"), False),
    ],
)
def test_conflicts(a, b, conflict):
    assert conflicts(a, b) is conflict
    assert conflicts(b, a) is conflict
    assert len(select_edits([a, b])) == (1 if conflict else 2)


def test_overlapping_edits_never_both_applied():
    text = "with the in order to talk"
    outer = Edit(0, 20, "in order to")  # "with the in order to"
    inner = Edit(9, 20, "to")  # "in order to"
    assert select_edits([inner, outer]) == [outer]
    assert apply_edits(text, [inner, outer]) == "in order to talk"
    chain = [Edit(0, 4, "A"), Edit(3, 6, "B"), Edit(5, 8, "C")]
    assert select_edits(chain) == [chain[0], chain[2]]
    assert apply_edits("0123456789", chain) == "A4C89"


def test_adjacent_edits_both_applied():
    assert apply_edits("abcd", [Edit(2, 4, "Y"), Edit(0, 2, "X")]) == "XY"
    assert apply_edits("abc", [Edit(0, 3, "x"), Edit(3, 3, "!")]) == "x!"


def test_apply_edits_keeps_everything_else():
    assert apply_edits("héllo wörld", []) == "héllo wörld"
    assert apply_edits("a\r\nb", [Edit(3, 4, "c")]) == "a\r\nc"
    assert apply_edits("abc", [Edit(1, 2, "")]) == "ac"


@pytest.mark.parametrize(
    "edit",
    [Edit(2, 10, "x"), Edit(-1, 1, "x"), Edit(3, 2, "x"), Edit(4, 4, "x")],
    ids=["past-end", "negative", "reversed", "insert-past-end"],
)
def test_bounds_error(edit):
    with pytest.raises(MtreviewError, match="outside the text"):
        apply_edits("abc", [edit])


def test_bounds_error_even_for_an_edit_a_conflict_would_drop():
    with pytest.raises(MtreviewError, match="outside the text"):
        apply_edits("abc", [Edit(0, 3, "x"), Edit(1, 9, "y")])


# -- findings to edits -----------------------------------------------------------------------------
def _finding(start, end, fix, suggestions=("x",), rule="t.rule"):
    return Finding(rule, start, end, "m", Severity.WARNING, "style/house", fix, tuple(suggestions))


def test_fixable_by_safety():
    safe, unsafe, none = _finding(0, 1, FixSafety.SAFE), _finding(2, 3, FixSafety.UNSAFE), _finding(4, 5, FixSafety.NONE)
    assert fixable([safe, unsafe, none]) == [Edit(0, 1, "x")]
    assert fixable([safe, unsafe, none], unsafe=True) == [Edit(0, 1, "x"), Edit(2, 3, "x")]
    assert fixable([_finding(0, 1, FixSafety.SAFE, suggestions=())]) == []


def test_first_suggestion_is_the_edit():
    assert _finding(1, 2, FixSafety.SAFE, ("a", "b")).edit == Edit(1, 2, "a")
    assert _finding(1, 2, FixSafety.NONE, ("a",)).edit is None


# -- the fix loop ----------------------------------------------------------------------------------
def _collapse_check(text):
    """A check that shortens the first "aa" to "a": each pass makes new work."""
    i = text.find("aa")
    return [] if i < 0 else [_finding(i, i + 2, FixSafety.SAFE, ("a",))]


def test_fix_loop_rechecks_until_stable():
    result = fix_text("xaaaax", _collapse_check)
    assert result.text == "xax"
    assert result.applied == 3 and result.passes == 3 and result.stable


def test_fix_loop_nothing_to_do():
    result = fix_text("clean", _collapse_check)
    assert (result.text, result.applied, result.passes, result.stable) == ("clean", 0, 0, True)


def test_fix_loop_is_bounded():
    def never_done(text):
        return [_finding(0, 0, FixSafety.SAFE, ("x",))]

    result = fix_text("", never_done)
    assert result.passes == MAX_PASSES and not result.stable
    assert result.text == "x" * MAX_PASSES


def test_fix_loop_ignores_unsafe_unless_asked():
    def check(text):
        return [_finding(0, 1, FixSafety.UNSAFE, ("Z",))] if text.startswith("a") else []

    assert fix_text("abc", check).text == "abc"
    assert fix_text("abc", check, unsafe=True).text == "Zbc"


def test_fix_loop_with_real_rules_needs_two_passes():
    def check(text):
        return check_text(text, select=["repeat.word"])

    result = fix_text("We saw the the the cat.", check)
    assert result.text == "We saw the cat." and result.passes == 2 and result.stable


def test_fix_loop_overlapping_rules_settle():
    # Two rules fix overlapping text; each pass applies only one of them, the loop finishes.
    extra = {
        "id": "custom.in-order-to",
        "category": "style/house",
        "severity": "info",
        "phrase": "in order to",
        "suggest": "to",
        "fix": "safe",
        "message": "m",
        "why": "w",
        "examples": {"bad": [{"text": "[in order to] go", "fixed": "to go"}], "good": ["to go"]},
    }
    from helpers import builtin_ruleset, engine_for

    garble = builtin_ruleset().rules["garble.det-in-order-to"]
    raw = {
        "id": "custom.garble", "category": garble.category, "severity": "error", "tokens": list(garble.spec),
        "suggest": list(garble.suggest), "fix": "safe", "message": "m", "why": "w",
        "examples": {"bad": [{"text": "[with the in order to] go", "fixed": "in order to go"}], "good": ["x"]},
    }
    engine = engine_for([raw, extra])
    from mtreview.document import Document

    text = "They met with the in order to talk."
    first = engine.check(Document(text))
    assert {f.rule for f in first} == {"custom.garble", "custom.in-order-to"}
    assert len(select_edits(fixable(first))) == 1
    result = fix_text(text, lambda t: engine.check(Document(t)))
    assert result.text == "They met to talk." and result.stable and result.passes == 2


# -- mtreview fix -------------------------------------------------------------------------------
def _snapshot(folder):
    return sorted(p.name for p in folder.iterdir())


def test_fix_prints_diff_and_does_not_write(cli, write, tmp_path):
    path = write("a.txt", f"Title\n\n{GARBLE}\n")
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    result = cli("fix", path, *FIX_RULES)
    assert result.code == 0, result.output
    name = str(path).lstrip("/")  # absolute, outside the current folder: a/tmp/… (never a//tmp/…), as git writes it
    assert result.out.startswith(f"--- a/{name}\n+++ b/{name}\n@@ ")
    assert f"-{GARBLE}\n" in result.out and f"+{GARBLE_FIXED}\n" in result.out
    assert " Title\n" in result.out  # context lines
    assert "1 edit(s)" in result.err and "written" not in result.err
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert _snapshot(tmp_path) == ["a.txt"]


def test_fix_diff_applies_with_patch(cli, tmp_path, write):
    if not shutil.which("patch"):
        pytest.skip("patch(1) not installed")
    original = f"{GARBLE}\nSecond line with the the word.\nLast line, no newline: the in order to go."
    write("a.txt", original)
    result = cli("fix", "a.txt", *FIX_RULES, cwd=tmp_path)
    assert "\\ No newline at end of file" in result.out
    subprocess.run(["patch", "-p1", "-s"], input=result.out.encode(), cwd=tmp_path, check=True)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == (
        f"{GARBLE_FIXED}\nSecond line with the word.\nLast line, no newline: in order to go."
    )


def test_fix_write(cli, write, tmp_path):
    path = write("a.txt", f"{GARBLE}\n{STRAY}\n")
    os.chmod(path, 0o640)
    result = cli("fix", "--write", path, *FIX_RULES)
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == f"{GARBLE_FIXED}\n{STRAY}\n"  # the unsafe fix is not applied
    assert "written" in result.err
    assert _snapshot(tmp_path) == ["a.txt"]  # no temporary files left
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_fix_unsafe_adds_unsafe_fixes(cli, write):
    path = write("a.txt", f"{GARBLE}\n{STRAY}\n")
    result = cli("fix", "--write", "--unsafe", path, *FIX_RULES)
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == f"{GARBLE_FIXED}\n{STRAY_FIXED}\n"


def test_fix_is_idempotent(cli, write, tmp_path):
    path = write("seed.txt", SEED.read_bytes())
    first = cli("fix", "--write", "--unsafe", path)
    assert first.code == 0 and "written" in first.err
    fixed = path.read_bytes()
    assert fixed != SEED.read_bytes()
    # a stray period before a preposition is left to the editor (“south of Ukraine”, not “south from”)
    assert b"with the in order to" not in fixed and b"south. from" in fixed
    mtime = path.stat().st_mtime_ns
    second = cli("fix", "--write", "--unsafe", path)
    assert second.code == 0
    assert second.out == "" and "Nothing to fix." in second.err
    assert path.read_bytes() == fixed and path.stat().st_mtime_ns == mtime
    assert _snapshot(tmp_path) == ["seed.txt"]


def test_fix_keeps_bom_and_crlf(cli, write):
    path = write("a.txt", b"\xef\xbb\xbf" + f"Intro.\r\n{GARBLE}\r\n".encode())
    assert cli("fix", "--write", path, *FIX_RULES).code == 0
    assert path.read_bytes() == b"\xef\xbb\xbf" + f"Intro.\r\n{GARBLE_FIXED}\r\n".encode()


def test_fix_rechecks_until_stable_through_cli(cli, write):
    path = write("a.txt", "We saw the the the cat.\n")
    assert cli("fix", "--write", path, "--select", "repeat.word").code == 0
    assert path.read_text(encoding="utf-8") == "We saw the cat.\n"


def test_fix_nothing_to_fix(cli, write):
    path = write("a.txt", "All good.\n")
    result = cli("fix", "--write", path)
    assert result.code == 0 and result.out == "" and "Nothing to fix." in result.err


def test_fix_folder(cli, write, tmp_path):
    a = write("docs/a.txt", f"{GARBLE}\n")
    b = write("docs/b.md", "Fine.\n")
    result = cli("fix", "--write", tmp_path / "docs", *FIX_RULES)
    assert result.code == 0
    assert a.read_text(encoding="utf-8") == f"{GARBLE_FIXED}\n" and b.read_text(encoding="utf-8") == "Fine.\n"


# -- atomic writes -------------------------------------------------------------------------------
def test_write_atomic_failure_leaves_original_and_no_temp_files(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_text("original", encoding="utf-8")

    def broken_fsync(fd):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(fileio.os, "fsync", broken_fsync)
    with pytest.raises(MtreviewError, match="cannot write"):
        fileio.write_atomic(path, "new text", original=path)
    assert path.read_text(encoding="utf-8") == "original"
    assert _snapshot(tmp_path) == ["a.txt"]


def test_write_atomic_new_file_and_bom(tmp_path):
    src = tmp_path / "src.txt"
    src.write_bytes(b"\xef\xbb\xbfold")
    fileio.write_atomic(src, "new", original=src)
    assert src.read_bytes() == b"\xef\xbb\xbfnew"
    out = tmp_path / "sub" / "report.json"
    fileio.write_atomic(out, "{}")
    assert out.read_bytes() == b"{}"
    assert _snapshot(tmp_path) == ["src.txt", "sub"]


@pytest.mark.parametrize("house, name", [("ap", "Volodymyr Zelenskyy"), ("uk", "Volodymyr Zelensky")])
def test_suggestions_come_in_the_house_style(house, name):
    from mtreview.options import Options
    from mtreview.review import Reviewer

    reviewer = Reviewer(Options(source_lang="es", house=house))
    text = SEED.read_text(encoding="utf-8")
    findings = reviewer.check_text(text, "es")
    names = [f for f in findings if f.rule == "name.es.transliterated" and f.text == "Volodímir Zelenski"]
    assert names and names[0].suggestions == (name,)
    assert names[0].message.endswith(f"English news writes “{name}”")  # the message names what the fix writes
    # so accepting the seed's safe edits once gives what the fix loop settles on
    once = apply_edits(text, select_edits(fixable(findings)))
    result = fix_text(text, lambda t: reviewer.check_text(t, "es"))
    assert (result.text, result.passes) == (once, 1)
