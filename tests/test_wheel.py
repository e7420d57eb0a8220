"""Packaging: the built-in rule packs ship inside the wheel, and mtreview finds them both in
a wheel (mtreview/_rules) and in a source checkout (rules/ at the repository root)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import REPO
from mtreview.ruleset import builtin_rules_dir

needs_hatchling = pytest.mark.skipif(importlib.util.find_spec("hatchling") is None, reason="hatchling not installed")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("mtreview-*.whl")
    return built


@needs_hatchling
def test_wheel_contains_builtin_packs(wheel):
    packs = sorted(p.name for p in (REPO / "rules").glob("*.yaml"))
    assert packs, "no built-in packs in rules/"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for name in packs:
            member = f"mtreview/_rules/{name}"
            assert member in names, f"{member} missing from {wheel.name}"
            assert zf.read(member) == (REPO / "rules" / name).read_bytes()
        assert "mtreview/__init__.py" in names and "mtreview/checks/__init__.py" in names
        for template in ("review.html.j2", "review.css", "review.js", "docx.js"):
            assert f"mtreview/report/templates/{template}" in names
        assert not any(n.startswith(("tests/", "rules/", "mtreview/_rules/_rules")) for n in names)


@needs_hatchling
def test_unpacked_wheel_finds_its_own_packs(wheel, tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    env = dict(os.environ, PYTHONPATH=str(site), NO_COLOR="1")
    code = (
        "import mtreview, mtreview.ruleset as r; "
        "print(mtreview.__file__); print(r.builtin_rules_dir()); print(len(r.RuleSet.load().rules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stderr
    init, rules_dir, count = proc.stdout.split("\n")[:3]
    assert Path(init).resolve() == (site / "mtreview" / "__init__.py").resolve()
    assert Path(rules_dir).resolve() == (site / "mtreview" / "_rules").resolve()
    from helpers import builtin_ruleset

    assert int(count) == len(builtin_ruleset().rules)
    # and the unpacked copy runs the rules' own tests from an unrelated folder
    proc = subprocess.run([sys.executable, "-m", "mtreview", "rules", "test"], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # and renders the HTML review from its own templates
    article = tmp_path / "a.txt"
    article.write_text("They met with the in order to talk.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "mtreview", "check", "--format", "html", str(article)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 1 and (tmp_path / "reports" / "a.txt.html").is_file(), proc.stderr


def test_source_checkout_uses_repository_rules():
    # Running from the repository (editable install or PYTHONPATH) needs no build step.
    import mtreview

    package = Path(mtreview.__file__).resolve().parent
    if (package / "_rules").is_dir():
        pytest.skip("mtreview is imported from an installed wheel")
    assert builtin_rules_dir() == (REPO / "rules").resolve()


def test_builtin_rules_dir_covers_both_layouts(tmp_path):
    # Copy the package into both layouts and ask each copy where its packs are.
    import shutil

    def layout(root: Path, rules_at: Path) -> str:
        shutil.copytree(REPO / "mtreview", root / "mtreview", ignore=shutil.ignore_patterns("__pycache__", "_rules"))
        shutil.copytree(REPO / "rules", rules_at)
        code = "import mtreview.ruleset as r; print(r.builtin_rules_dir())"
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              env=dict(os.environ, PYTHONPATH=str(root)), cwd=tmp_path, timeout=60)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()

    wheel_root = tmp_path / "wheel"
    assert Path(layout(wheel_root, wheel_root / "mtreview" / "_rules")) == (wheel_root / "mtreview" / "_rules").resolve()
    checkout = tmp_path / "checkout"
    assert Path(layout(checkout, checkout / "rules")) == (checkout / "rules").resolve()
