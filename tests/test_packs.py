"""The built-in packs as a copy editor meets them: the seed's calques and style defects are
caught, correct English is left alone, and language and house selection work."""

from __future__ import annotations

import pytest

from helpers import SEED, builtin_ruleset, check_text, run
from mtreview.document import Document
from mtreview.options import Options
from mtreview.review import Reviewer

SEED_TEXT = SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_findings():
    reviewer = Reviewer(Options(source_lang="es"))
    return reviewer.checker("es").check(Document(SEED_TEXT, str(SEED)))


# What a copy editor marks on the seed (besides garbles, fragments and embed leftovers,
# covered by test_seed.py, which also checks that correct passages get no error or warning): (rule, text the finding covers). Every one must be caught.
EDITOR_MARKS = [
    ("name.es.transliterated", "Volodímir Zelenski"),
    ("calque.es.assured-that", "assured that"),  # twice, counted below
    ("calque.es.this-weekday", "this Wednesday"),
    ("calque.es.this-weekday", "this Monday"),
    ("calque.es.did-not-hesitate-to-say", "did not hesitate to say"),
    ("calque.es.precisely", "Precisely, a"),
    ("calque.es.so-called", "so-called "),  # twice, counted below
    ("calque.es.atlantic-alliance", "the Atlantic Alliance"),
    ("calque.es.after-having", "after having consulted"),
    ("house.ap.quote-punctuation", "”,"),
    ("house.ap.quote-punctuation", "”."),
    ("consistency.spelling", "Elysee"),
    ("house.kyiv", "Kiev"),
    ("house.donbas", "Donbass"),
    ("calque.es.credit-line", "With Reuters, EFE and AFP"),
    ("calque.es.but-comma", "But, "),
    ("calque.es.parenthetical-insertion", "(There is a)"),
    ("calque.es.appositive-title", "the US president, Joe Biden"),
    ("calque.es.appositive-title", "the French president, Emmanuel Macron"),
    ("house.scare-quotes", "“high”"),
    ("house.scare-quotes", "“hysteria”"),
]


@pytest.mark.parametrize("rule,text", EDITOR_MARKS, ids=[f"{r}:{t}" for r, t in EDITOR_MARKS])
def test_seed_defect_is_caught(seed_findings, rule, text):
    hits = [f for f in seed_findings if f.rule == rule and f.text == text]
    assert hits, f"{rule} did not report {text!r}"
    for f in hits:
        assert SEED_TEXT[f.start : f.end] == text


def test_seed_repeated_defects_each_caught(seed_findings):
    texts = [f.text for f in seed_findings]
    assert texts.count("assured that") == 2
    assert sum(1 for f in seed_findings if f.rule == "calque.es.so-called") == 2
    assert sum(1 for f in seed_findings if f.rule == "calque.es.appositive-title") >= 4


def test_clean_sample_has_no_findings():
    result = run("check", "samples/clean.txt", "--source-lang", "es", "--fail-on", "info")
    assert result.code == 0, result.output


def test_enough_rules_across_packs():
    ruleset = builtin_ruleset()
    assert len(ruleset.rules) >= 80
    packs = {r.pack for r in ruleset.rules.values()}
    assert {"calque-es", "calque-fr", "calque-pt", "calque-it", "calque-de", "residue", "names", "house"} <= packs


def test_every_language_specific_rule_is_selected_only_for_its_languages():
    ruleset = builtin_ruleset()
    for lang in ("es", "fr", "pt", "it", "de"):
        chosen = {r.id for r in ruleset.select(lang=lang)}
        for rule in ruleset.rules.values():
            expected = "any" in rule.languages or lang in rule.languages
            assert (rule.id in chosen) == expected, (lang, rule.id)


def test_source_lang_fr_does_not_fire_spanish_only_rules_and_vice_versa():
    only = {lang: {r.id for r in builtin_ruleset().rules.values() if r.languages == {lang}} for lang in ("es", "fr")}
    spanish = "Paris assured that the dialogue would go on. Volodímir Zelenski spoke."
    french = "The talks took place in the framework of the summit. Vladimir Poutine spoke."
    es_on_es = {f.rule for f in check_text(spanish, lang="es")}
    es_on_fr = {f.rule for f in check_text(spanish, lang="fr")}
    assert {"calque.es.assured-that", "name.es.transliterated"} <= es_on_es
    assert not es_on_fr & only["es"]
    fr_on_fr = {f.rule for f in check_text(french, lang="fr")}
    fr_on_es = {f.rule for f in check_text(french, lang="es")}
    assert "name.fr.transliterated" in fr_on_fr and any(r.startswith("calque.fr.") for r in fr_on_fr)
    assert "name.fr.transliterated" in only["fr"]
    assert not fr_on_es & only["fr"]


def test_house_styles_switch(write):
    path = write("a.txt", "The US and Volodymyr Zelensky agreed on a 5 per cent cut.\n")
    ap = run("check", str(path), "--format", "json", "--house", "ap").json()
    uk = run("check", str(path), "--format", "json", "--house", "uk").json()
    ap_rules = {f["rule"] for f in ap["files"][0]["findings"]}
    uk_rules = {f["rule"] for f in uk["files"][0]["findings"]}
    assert {"house.ap.us-periods", "house.ap.zelenskyy", "house.ap.percent"} <= ap_rules
    assert not {r for r in uk_rules if r.startswith("house.ap.")}
    assert not {r for r in ap_rules if r.startswith("house.uk.")}


def test_fix_settles_names_then_house_spelling(write):
    path = write("a.txt", "He called his counterpart, Volodímir Zelenski.\n")
    result = run("fix", str(path), "--source-lang", "es", "--write")
    assert result.code == 0, result.output
    assert path.read_text(encoding="utf-8") == "He called his counterpart, Volodymyr Zelenskyy.\n"


def test_phrase_table_replacement_follows_the_matched_entry():
    findings = check_text("Troops left Jersón for Moscú.", select=["name.es.transliterated"], lang="es")
    assert [(f.text, f.suggestions[0]) for f in findings] == [("Jersón", "Kherson"), ("Moscú", "Moscow")]
    assert "Kherson" in findings[0].message


def test_check_table_must_exist(tmp_path):
    from mtreview.errors import MtreviewError
    from mtreview.rule import rule_from_dict
    from mtreview.ruleset.registry import _bind_tables

    rule = rule_from_dict(
        {"id": "x.y", "category": "style/house", "severity": "info", "message": "m", "why": "w",
         "check": "f", "options": {"groups": "@missing"}, "examples": {"bad": ["[a]"], "good": ["b"]}},
        "x", "here:1", kinds=("check",),
    )
    with pytest.raises(MtreviewError, match="table 'missing'"):
        _bind_tables(rule, {})
    assert _bind_tables(rule, {"missing": [["a", "b"]]}).options["groups"] == [["a", "b"]]
