"""The on-disk caches are shortcuts only: what comes out of them behaves exactly like the
work they skip, and a damaged or foreign cache is ignored."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from helpers import SEED
from mtreview import diskcache
from mtreview.ruleset.loader import builtin_rules_dir, load_rules, load_rules_cached

PATTERNS = [
    (r"(?<![\w.])(?P<word>[A-Z]\w+)(?:\s+(?P=word))?", 0),
    (r"\bthis (monday|tuesday)\b", re.IGNORECASE),
    (r"^\s*#+ (.*)$", re.MULTILINE),
    ("(?:" + "|".join(f"w{i:04d}ord" for i in range(120)) + r")\b", 0),  # a big pattern: a file of its own
]
TEXT = "Alpha Alpha beta. This Monday, THIS TUESDAY\n ## Head\n w0042ord w0119ord x"


def _same(a: re.Pattern, b: re.Pattern) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    assert [m.span() + m.groups() for m in a.finditer(TEXT)] == [m.span() + m.groups() for m in b.finditer(TEXT)]


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diskcache, "_STORE", diskcache._Store())
    return tmp_path


def test_patterns_rebuilt_from_the_cache_behave_like_re_compile(store):
    first = [diskcache.compile_pattern(p, f) for p, f in PATTERNS]
    diskcache._STORE.save()
    assert (store / diskcache._STORE_NAME).is_file()
    assert any(p.name.startswith("re-") for p in store.iterdir())
    diskcache._STORE = diskcache._Store()  # a new process: reads the store from disk
    again = [diskcache.compile_pattern(p, f) for p, f in PATTERNS]
    assert not diskcache._STORE.dirty, "every small pattern of the second round should have come from the store"
    for (pattern, flags), a, b in zip(PATTERNS, first, again):
        _same(re.compile(pattern, flags), a)
        _same(re.compile(pattern, flags), b)


def test_bad_pattern_raises_re_error_with_or_without_cache(store):
    for pattern in ("(unclosed", "(" * 200 + "x" + "y" * 300):
        with pytest.raises(re.error):
            diskcache.compile_pattern(pattern)


@pytest.mark.parametrize("junk", [b"", b"\x00garbage", b"\xe3\x01\x02\x03"])
def test_damaged_cache_files_are_ignored(store, junk):
    diskcache.compile_pattern(*PATTERNS[0])
    diskcache.compile_pattern(*PATTERNS[3])
    diskcache._STORE.save()
    for path in store.iterdir():
        path.write_bytes(junk)
    diskcache._STORE = diskcache._Store()
    for pattern, flags in PATTERNS:
        _same(re.compile(pattern, flags), diskcache.compile_pattern(pattern, flags))


def test_no_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MTREVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("MTREVIEW_NO_CACHE", "1")
    monkeypatch.setattr(diskcache, "_STORE", diskcache._Store())
    for pattern, flags in PATTERNS:
        _same(re.compile(pattern, flags), diskcache.compile_pattern(pattern, flags))
    diskcache._STORE.save()
    assert list(tmp_path.iterdir()) == []


def test_rule_packs_from_the_cache_equal_a_fresh_load(store):
    fresh = load_rules([builtin_rules_dir()])
    load_rules_cached([builtin_rules_dir()])  # fills the cache
    cached = load_rules_cached([builtin_rules_dir()])
    assert any(store.glob("packs-*.pickle"))
    assert cached.rules == fresh.rules  # compiled patterns compare by pattern text and flags
    assert (cached.classes, cached.telltales, cached.tables) == (fresh.classes, fresh.telltales, fresh.tables)


def test_a_second_process_uses_the_store_and_reports_the_same(tmp_path):
    env = {"MTREVIEW_CACHE_DIR": str(tmp_path / "cache"), "PATH": ""}
    cmd = [sys.executable, "-m", "mtreview", "check", "--format", "json", str(SEED)]
    runs = [subprocess.run(cmd, env=env, capture_output=True, text=True) for _ in range(2)]
    assert (tmp_path / "cache" / diskcache._STORE_NAME).is_file()
    assert runs[0].returncode == runs[1].returncode == 1, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
