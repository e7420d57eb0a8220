"""Every rule carries its own tests (LanguageTool-style). One parametrized test runs the
examples of every rule, YAML rules and Python checks alike, with all rules compiled
together as in a real run."""

from __future__ import annotations

import pytest

from helpers import builtin_ruleset, make_rule, write_pack
from mtreview.examples import check_rule_examples, examples_checker, run_examples

RULES = list(builtin_ruleset().rules.values())


@pytest.fixture(scope="module")
def engine():
    # All rules of every language together: examples must hold in the presence of the others.
    return examples_checker(builtin_ruleset(), RULES)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule, engine):
    assert rule.bad and rule.good, f"{rule.origin}: {rule.id} needs bad and good examples"
    failures = check_rule_examples(engine, rule)
    assert not failures, "\n".join(str(f) for f in failures)


def test_parametrization_covers_yaml_rules_and_python_checks():
    kinds = {r.kind for r in RULES}
    assert "check" in kinds
    assert kinds & {"phrases", "tokens", "regex"}
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


# -- a broken example is caught and named ----------------------------------------------------
def _pack_with(tmp_path, rule):
    return write_pack(tmp_path / "packs", [make_rule("custom.ok"), rule])


@pytest.mark.parametrize(
    "examples, problem",
    [
        # the span is marked one word too wide
        ({"bad": ["A [zzyzx here]."], "good": ["Nothing here."]}, "bad example 1"),
        # a good text the rule flags
        ({"bad": ["A [zzyzx] here."], "good": ["Fine.", "Also zzyzx here."]}, "good example 2"),
        # a bad text the rule does not flag at all
        ({"bad": ["A [zzyzx] here.", "Nothing [to] see."], "good": ["Fine."]}, "bad example 2"),
    ],
    ids=["wrong-span", "good-text-flagged", "bad-text-missed"],
)
def test_rules_test_names_broken_example(cli, tmp_path, examples, problem):
    folder = _pack_with(tmp_path, make_rule("custom.broken", examples=examples))
    result = cli("rules", "test", folder)
    assert result.code == 1, result.output
    fails = [line for line in result.out.splitlines() if line.startswith("FAIL")]
    assert len(fails) == 1, result.out
    assert "custom.broken" in fails[0] and problem in fails[0]
    assert "custom.yaml:" in fails[0]  # names where the rule is defined
    assert "custom.ok" not in fails[0]
    assert "1 failed" in result.out
    assert "Traceback" not in result.output


def test_rules_test_names_wrong_fixed_text(cli, tmp_path):
    rule = make_rule(
        "custom.fixer",
        phrase="in order to",
        suggest="to",
        fix="safe",
        examples={"bad": [{"text": "We met [in order to] talk.", "fixed": "We met in order talk."}],
                  "good": ["We met to talk."]},
    )
    result = cli("rules", "test", write_pack(tmp_path, [rule]))
    assert result.code == 1
    assert "custom.fixer" in result.out and "fixed text is 'We met to talk.'" in result.out


def test_rules_test_passes_a_correct_pack_using_builtin_word_classes(cli, tmp_path):
    rule = make_rule(
        "custom.this-weekday",
        tokens=["this", "<weekday>"],
        suggest="on {2}",
        fix="safe",
        examples={"bad": [{"text": "They met [this Monday] in Paris.", "fixed": "They met on Monday in Paris."},
                          {"text": "[This Friday] it ends.", "fixed": "On Friday it ends."}],
                  "good": ["They met on Monday.", "This month they met."]},
    )
    result = cli("rules", "test", write_pack(tmp_path, [rule, make_rule("custom.ok")]))
    assert result.code == 0, result.output
    assert result.out.strip().endswith("0 failed")
    assert "2 rules" in result.out


def test_rules_test_builtins_exit_0(cli):
    result = cli("rules", "test")
    assert result.code == 0, result.output
    assert "FAIL" not in result.out
    assert f"{len(RULES)} rules" in result.out


def test_rules_test_builtins_as_a_process(cli_process):
    result = cli_process("rules", "test")
    assert result.code == 0, result.output
    assert result.out.strip().endswith("0 failed")


def test_rules_test_on_folder_without_rules_is_an_error(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("no packs here", encoding="utf-8")
    result = cli("rules", "test", tmp_path)
    assert result.code == 2
    assert str(tmp_path) in result.err and "Traceback" not in result.output


def test_run_examples_reports_each_failure_with_origin(tmp_path):
    from mtreview.ruleset import RuleSet

    folder = write_pack(tmp_path, [make_rule("custom.bad-span", examples={"bad": ["[A zzyzx] here."], "good": ["x"]})])
    ruleset = RuleSet.load([folder], builtin=False)
    failures = run_examples(ruleset, list(ruleset.rules.values()))
    assert [f.rule for f in failures] == ["custom.bad-span"]
    text = str(failures[0])
    assert text.startswith(f"{folder / 'custom.yaml'}:")
    assert "expected [A zzyzx], found [zzyzx]" in text
