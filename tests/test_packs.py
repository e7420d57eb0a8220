"""The built-in packs as a copy editor meets them: the seed's calques and style defects are
caught, correct English is left alone, and language and house selection work."""

from __future__ import annotations

import pytest

from helpers import SEED, builtin_ruleset, check_text, make_rule, run, write_pack
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
    ("calque.assured-that", "assured that"),  # twice, counted below
    ("calque.this-weekday", "this Wednesday"),
    ("calque.this-weekday", "this Monday"),
    ("calque.did-not-hesitate-to-say", "did not hesitate to say"),
    ("calque.es.precisely", "Precisely, a"),
    ("calque.so-called", "so-called "),  # twice, counted below
    ("calque.atlantic-alliance", "the Atlantic Alliance"),
    ("calque.after-having", "after having consulted"),
    ("house.ap.quote-punctuation", "”,"),
    ("house.ap.quote-punctuation", "”."),
    ("consistency.spelling", "Elysee"),
    ("house.kyiv", "Kiev"),
    ("house.donbas", "Donbass"),
    ("calque.credit-line", "With Reuters, EFE and AFP"),
    ("calque.but-comma", "But, "),
    ("calque.parenthetical-insertion", "(There is a)"),
    ("calque.appositive-title", "the US president, Joe Biden,"),
    ("calque.appositive-title", "the French president, Emmanuel Macron"),
    ("house.scare-quotes", "“high”"),
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
    assert sum(1 for f in seed_findings if f.rule == "calque.so-called") == 2
    assert sum(1 for f in seed_findings if f.rule == "calque.appositive-title") >= 4


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
    french = "The talks took place in the framework of the summit. Vladimir Poutine spoke. M. Attal spoke too."
    es_on_es = {f.rule for f in check_text(spanish, lang="es")}
    es_on_fr = {f.rule for f in check_text(spanish, lang="fr")}
    assert {"calque.assured-that", "name.es.transliterated"} <= es_on_es
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


# -- rules that span source languages speak the article's language ---------------------------
OTHER_LANGUAGE_WORDS = {
    "es": ("Spanish", "Castilian"), "fr": ("French",), "de": ("German",), "it": ("Italian",), "pt": ("Portuguese", "Brazilian"),
}


def test_the_french_sample_is_guessed_french_and_no_finding_names_another_language(cli):
    result = cli("check", "samples/mt-news-farmers-fr-en.txt", "--no-grammar", "--format", "json")
    data = result.json()
    assert result.code == 1, result.output
    findings = data["files"][0]["findings"]
    assert data["summary"].get("source_lang", "fr") == "fr" or "fr" in result.output
    rules = {f["rule"] for f in findings}
    assert len(findings) >= 6 and any(r.startswith("calque.") for r in rules), rules
    for f in findings:
        for lang, words in OTHER_LANGUAGE_WORDS.items():
            if lang == "fr":
                continue
            assert f".{lang}." not in f["rule"], f
            assert not any(w in f["message"] for w in words), f


def test_the_language_of_the_run_is_the_one_a_shared_rule_cites():
    text = "They met this Friday. The minister did not hesitate to say it."
    by_lang = {lang: {f.rule: f.message for f in check_text(text, lang=lang)} for lang in ("es", "fr", "it", "pt")}
    assert by_lang["fr"]["calque.this-weekday"] != by_lang["es"]["calque.this-weekday"]
    assert "French" in by_lang["fr"]["calque.this-weekday"] and "Spanish" in by_lang["es"]["calque.this-weekday"]
    assert "n'a pas hésité" in by_lang["fr"]["calque.did-not-hesitate-to-say"]
    neutral = {f.rule: f.message for f in check_text(text, lang=None)}
    assert not any(w in m for m in neutral.values() for words in OTHER_LANGUAGE_WORDS.values() for w in words), neutral


def test_a_renamed_rule_answers_to_its_old_id_in_select_suppressions_config_and_rules_show(cli, write):
    ruleset = builtin_ruleset()
    assert ruleset.get("calque.es.this-weekday").id == "calque.this-weekday"
    assert "calque.this-weekday" in ruleset.resolve(["calque.es.this-weekday"], "--select")
    text = "They met this Friday."
    assert {f.rule for f in check_text(text, select=["calque.es.this-weekday"], lang="es")} == {"calque.this-weekday"}
    quiet = ("--no-grammar", "--no-scores", "--source-lang", "es", "--format", "json")
    hushed = write("hushed.txt", "[mtreview-disable-next-line calque.es.this-weekday]\n" + text + "\n")
    assert cli("check", str(hushed), *quiet).json()["files"][0]["findings"] == []
    shown = cli("rules", "show", "calque.es.this-weekday")
    assert shown.code == 0 and "calque.es.this-weekday is now calque.this-weekday" in shown.out, shown.output
    path = write("story.txt", text + "\n")
    config = write(".mtreview.toml", 'source-lang = "es"\nseverity = { "calque.es.this-weekday" = "error" }\n')
    found = cli("check", str(path), "--config", str(config), "--no-grammar", "--no-scores", "--format", "json").json()
    found = found["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in found] == [("calque.this-weekday", "error")]


def test_an_alias_may_not_name_another_rule(write):
    from mtreview.errors import MtreviewError
    from mtreview.ruleset import RuleSet

    folder = write_pack(write("packs/.keep", "").parent, [make_rule("x.one"), make_rule("x.two", aliases=["x.one"])])
    with pytest.raises(MtreviewError, match="alias 'x.one' of 'x.two' is already"):
        RuleSet.load([folder], builtin=False)


def test_appositive_titles_are_for_ap_copy_only():
    text = "The Kenyan president, William Ruto, said the talks would resume."
    reviewer = Reviewer(Options(source_lang="es", house="ap"))
    assert {f.rule for f in reviewer.checker("es").check(Document(text))} >= {"calque.appositive-title"}
    uk = Reviewer(Options(source_lang="es", house="uk"))
    assert "calque.appositive-title" not in {f.rule for f in uk.checker("es").check(Document(text))}
