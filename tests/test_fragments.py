"""Fragments: named regex pieces a pack defines once under ``fragments:`` and rules use as
``(?&name)`` in regex, unless_before and unless_after; the built-in ones (rules/fragments.yaml)
serve custom packs too."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpers import make_rule, write_pack
from mtreview.errors import MtreviewError
from mtreview.ruleset.loader import builtin_rules_dir, load_rules

PATTERN_KEYS = ("regex", "unless_before", "unless_after")

# A custom pack: its own fragments (a list, a string using it, another string) and the
# built-in sentence start.
OWN_FRAGMENTS = {
    "hedge-word": ["perhaps", "maybe", "possibl[ey]"],
    "hedge-opener": "(?i:(?&hedge-word)),",
    "abbreviation-end": "\\b(?:P\\.S|N\\.B)\\.\\s",
}
HEDGE_RULE = make_rule(
    "custom.hedge-opener",
    regex="(?&sentence-start)(?&hedge-opener)",
    unless_before="(?&abbreviation-end)",
    unless_after="\\s+(?&hedge-word)\\b",
    examples={
        "bad": ["It rained. [Maybe,] the vote was close."],
        "good": ["He said maybe, the vote was close.", "Maybe, perhaps not.", "P.S. Maybe, not."],
    },
)
# The same patterns written out by hand.
SENTENCE_START = '(?:(?<=^)|(?<=\\n)|(?<=[.!?]\\s)|(?<=[.!?][”"]\\s))'
WRITTEN_OUT = {
    "regex": SENTENCE_START + "(?:(?i:(?:perhaps|maybe|possibl[ey])),)",
    "unless_before": "(?:\\b(?:P\\.S|N\\.B)\\.\\s)",
    "unless_after": "\\s+(?:perhaps|maybe|possibl[ey])\\b",
}
TEXT = "Maybe, it rains. He said maybe, it rains. Perhaps, the vote. P.S. Possibly, not. Maybe, perhaps later.\n"


def _pack(tmp_path: Path, rules=(HEDGE_RULE,), name="custom", **top) -> Path:
    return write_pack(tmp_path / "packs", list(rules), name=name, **top)


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in t)


def _one_line_error(result, *needles) -> str:
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert result.err.startswith("mtreview: error: ") and result.err.count("\n") == 1, result.err
    for needle in needles:
        assert str(needle) in result.err, (needle, result.err)
    return result.err


def _patterns(rule) -> dict[str, str]:
    """The rule's patterns as compiled (unless_before is compiled as ``(?:pattern)$``)."""
    return {
        "regex": rule.spec,
        "unless_before": rule.unless_before.pattern.removeprefix("(?:").removesuffix(")$"),
        "unless_after": rule.unless_after.pattern,
    }


# -- using fragments ---------------------------------------------------------------------------
def test_custom_pack_alone_uses_builtin_and_own_fragments(tmp_path):
    (rule,) = load_rules([_pack(tmp_path, fragments=OWN_FRAGMENTS)]).rules
    assert _patterns(rule) == WRITTEN_OUT


def test_custom_pack_with_the_builtin_packs_uses_the_same_fragments(tmp_path):
    packs = load_rules([builtin_rules_dir(), _pack(tmp_path, fragments=OWN_FRAGMENTS)])
    (rule,) = [r for r in packs.rules if r.id == "custom.hedge-opener"]
    assert _patterns(rule) == WRITTEN_OUT


def test_check_finds_what_the_written_out_rule_finds(cli, write, tmp_path):
    written = _pack(tmp_path / "written", rules=[{**HEDGE_RULE, **WRITTEN_OUT}])
    with_fragments = _pack(tmp_path / "fragments", fragments=OWN_FRAGMENTS)
    path = write("a.txt", TEXT)
    found = []
    for packs in (written, with_fragments):
        result = cli("check", path, "--rules", packs, "--select", "custom", "--format", "json", "--fail-on", "never")
        assert result.code == 0, result.output
        found.append([(f["start"], f["end"], f["text"]) for f in result.json()["files"][0]["findings"]])
    # at sentence starts only; not after "P.S." (unless_before) nor before a second hedge (unless_after)
    assert found[0] == found[1] == [(0, 6, "Maybe,"), (42, 50, "Perhaps,")]


def test_rules_test_on_a_custom_pack_using_a_builtin_fragment(cli, tmp_path):
    result = cli("rules", "test", _pack(tmp_path, fragments=OWN_FRAGMENTS))
    assert result.code == 0, result.output
    assert "1 rules, 4 examples: 0 failed" in result.out


def test_references_only_where_a_group_can_start(tmp_path):
    # an escaped "(", or one in a set, is a character; the rest is a reference
    rule = make_rule("custom.literal", regex="\\(?&x\\)|[(?&]y(?&hedge-word)",
                     examples={"bad": ["[&x]"], "good": ["no"]})
    (loaded,) = load_rules([_pack(tmp_path, rules=[rule], fragments=OWN_FRAGMENTS)]).rules
    assert loaded.spec == "\\(?&x\\)|[(?&]y(?:perhaps|maybe|possibl[ey])"


def test_alone_a_custom_pack_may_redefine_a_builtin_fragment(tmp_path):
    # as with word classes: without the built-in packs, the built-in fragments fill in only
    # the names the custom packs leave undefined
    (rule,) = load_rules([_pack(tmp_path, fragments={**OWN_FRAGMENTS, "sentence-start": "(?<=^)"})]).rules
    assert rule.spec == "(?:(?<=^))(?:(?i:(?:perhaps|maybe|possibl[ey])),)"


def test_pack_cache_follows_the_builtin_fragments_file(tmp_path, monkeypatch):
    from mtreview import diskcache
    from mtreview.ruleset import loader

    builtin = tmp_path / "builtin"
    builtin.mkdir()
    monkeypatch.setattr(loader, "builtin_rules_dir", lambda: builtin)
    rule = make_rule("custom.x", regex="x(?&letter)", examples={"bad": ["[xa]"], "good": ["x"]})
    custom = _pack(tmp_path, rules=[rule])
    (builtin / "fragments.yaml").write_text('fragments:\n  letter: "a"\n', encoding="utf-8")
    assert loader.load_rules_cached([custom]).rules[0].spec == "x(?:a)"
    assert diskcache.cache_dir() is not None and any(diskcache.cache_dir().glob("packs-*")), "the cache is off"
    (builtin / "fragments.yaml").write_text('fragments:\n  letter: "bc"\n', encoding="utf-8")
    assert loader.load_rules_cached([custom]).rules[0].spec == "x(?:bc)"


# -- errors: one line, exit 2, naming the file ------------------------------------------------
@pytest.mark.parametrize(
    "fragments, line_of, needle",
    [
        (["a", "b"], "fragments:", "'fragments' must be a mapping of fragment names to regexes"),
        ({"Hedge_Word": "maybe"}, "Hedge_Word:", "fragment name 'Hedge_Word' must be lower-case words joined"),
        ({"hedge": 5}, "hedge:", "fragment 'hedge' must be a regex string or a non-empty list of regex strings"),
        ({"hedge": ""}, "hedge:", "fragment 'hedge' must be a regex string or a non-empty list of regex strings"),
        ({"hedge": []}, "hedge:", "fragment 'hedge' must be a regex string or a non-empty list of regex strings"),
        ({"hedge": ["maybe", True]}, "hedge:", "True is not one"),
        ({"hedge": {"maybe": "perhaps"}}, "hedge:", "fragment 'hedge' must be a regex string"),
        ({"hedge": "(maybe"}, "hedge:", "fragment 'hedge': invalid regex '(maybe'"),
        ({"hedge": ["maybe", "perhaps)"]}, "hedge:", "fragment 'hedge': invalid regex 'perhaps)'"),
        ({"hedge": "(?i)maybe"}, "hedge:", "global flags not at the start"),  # fine alone, not inside (?:…)
        ({"a-b": "x(?&b-a)", "b-a": "y(?&a-b)"}, "b-a:", "fragments use each other in a cycle (a-b -> b-a -> a-b)"),
        ({"hedge": "x(?&hedge)?"}, "hedge:", "cycle (hedge -> hedge)"),
        ({"hedge": "(?&no-such)"}, "hedge:", "fragment 'hedge': unknown fragment (?&no-such) (known: "),
        ({"hedge": "(?&no-such"}, "hedge:", "unclosed fragment reference"),
    ],
    ids=["not-a-mapping", "name", "number", "empty-string", "empty-list", "item", "mapping", "regex", "alternative",
         "global-flag", "cycle", "self", "unknown", "unclosed"],
)
def test_bad_fragments(cli, tmp_path, fragments, line_of, needle):
    packs = _pack(tmp_path, rules=[make_rule("custom.ok")], fragments=fragments)
    pack = packs / "custom.yaml"
    _one_line_error(cli("rules", "test", packs), f"{pack}:{_line_of(pack, line_of)}: ", needle)


def test_unknown_fragment_in_a_rule(cli, tmp_path):
    rule = make_rule("custom.typo", unless_after="\\s+(?&hedge-wrod)")
    packs = _pack(tmp_path, rules=[make_rule("custom.ok"), rule], fragments=OWN_FRAGMENTS)
    pack = packs / "custom.yaml"
    err = _one_line_error(
        cli("rules", "test", packs),
        f"mtreview: error: {pack}:{_line_of(pack, 'custom.typo')}: rule 'custom.typo': "
        "unknown fragment (?&hedge-wrod) (known: ",
    )
    known = err.rstrip("\n").split("(known: ")[1].removesuffix(")").split(", ")
    assert {"hedge-word", "sentence-start"} <= set(known) and known == sorted(known)


def test_a_fragment_defined_twice(cli, tmp_path):
    _pack(tmp_path, rules=[make_rule("custom.one")], name="one", fragments={"hedge": "maybe"})
    packs = _pack(tmp_path, rules=[make_rule("custom.two")], name="two", fragments={"hedge": "perhaps"})
    two = packs / "two.yaml"
    _one_line_error(cli("rules", "test", packs), f"{two}:{_line_of(two, 'hedge:')}: fragment 'hedge' is defined twice",
                    f"first in {packs / 'one.yaml'}")


def test_a_builtin_fragment_defined_again_with_the_builtin_packs(cli, write, tmp_path):
    packs = _pack(tmp_path, rules=[make_rule("custom.ok")], fragments={"sentence-start": "(?<=^)"})
    result = cli("check", write("a.txt", "Text.\n"), "--rules", packs)
    _one_line_error(result, f"{packs / 'custom.yaml'}:", "fragment 'sentence-start' is defined twice",
                    builtin_rules_dir() / "fragments.yaml")


def test_load_rules_raises_the_same_error(tmp_path):
    with pytest.raises(MtreviewError, match=r"custom\.yaml:\d+: fragment 'hedge': invalid regex"):
        load_rules([_pack(tmp_path, rules=[make_rule("custom.ok")], fragments={"hedge": "(maybe"})])


# -- the built-in packs ------------------------------------------------------------------------
def _builtin_packs() -> dict[str, dict]:
    # PyYAML's own parser, stricter than libyaml's (see "Quote list items" in the README)
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in builtin_rules_dir().glob("*.yaml")}


def test_fragments_live_in_one_builtin_file_which_has_no_rules():
    # custom packs read alone get the built-in fragments from that file only
    packs = _builtin_packs()
    assert set(packs["fragments.yaml"]) == {"fragments"}
    assert {name for name, data in packs.items() if "fragments" in data} == {"fragments.yaml"}


def test_no_builtin_rule_writes_out_the_sentence_start_again():
    uses = 0
    for name, data in _builtin_packs().items():
        for rule in data.get("rules", []):
            for key in PATTERN_KEYS:
                pattern = rule.get(key, "")
                uses += pattern.count("(?&sentence-start)")
                for piece in ('(?<=[.!?]\\s)', '(?<=[.!?][”"]\\s)'):
                    assert piece not in pattern, f"{name}: rule {rule['id']}: write (?&sentence-start) for {piece}"
    assert uses >= 8
