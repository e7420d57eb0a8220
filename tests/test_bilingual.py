"""Bilingual review end to end: pairing a translation with its source (a file, or a pattern
over a folder; a missing source is a note, not a failure), the source language read per
file, the alignment the checks see (1-1, 1-2 for a stray-period fragment, 2-1, omissions,
additions), the JSON fields that tie a finding to its source, and the word tables the
name check leans on. The checks' own behaviour is in their examples (``mtreview rules
test``, run by tests/test_rule_examples.py); the perturbation benchmark is bench/bilingual.py."""

from __future__ import annotations

import pytest

from mtreview.bilingual import names as N
from mtreview.bilingual.lexicon import common
from mtreview.bilingual.pairing import pair
from mtreview.checks.parity import negations
from mtreview.document import Document

QUIET = ("--no-grammar", "--no-scores", "--fail-on", "never", "--format", "json")

SOURCE = ("El Gobierno aprobó ayer el plan de rescate de 8.500 millones de euros. "
          "La oposición votó en contra.\n\n"
          "El ministro de Economía defendió la medida en el Congreso. "
          "Dijo que la economía crecerá un 2,5 % este año.\n")
TARGET = ("The government approved yesterday the rescue plan of 8,500 million euros. "
          "The opposition voted against.\n\n"
          "The Economy minister defended the measure in Congress. "
          "He said that the economy will grow by 2.5% this year.\n")


def _links(target: str, source: str, lang: str = "es") -> list[tuple[str, str]]:
    t, s = Document(target, "t.txt"), Document(source, "s.txt")
    pairing = pair(t, s, "s.txt", lang)
    return [(target[k.target.start : k.target.end], source[k.source.start : k.source.end]) for k in pairing.links]


def _json(result):
    assert result.code == 0 and "Traceback" not in result.output, result.output
    return result.json()


# -- alignment -----------------------------------------------------------------------------------
def test_sentences_align_one_to_one_within_paragraphs():
    links = _links(TARGET, SOURCE)
    assert [t for t, _ in links] == [
        "The government approved yesterday the rescue plan of 8,500 million euros.",
        "The opposition voted against.",
        "The Economy minister defended the measure in Congress.",
        "He said that the economy will grow by 2.5% this year."]
    assert links[1][1] == "La oposición votó en contra."


def test_a_stray_period_fragment_aligns_with_its_sentence():
    target = ("The government approved the rescue plan yesterday in Congress after a long debate. "
              "from Brussels. The opposition voted against it.\n")
    source = ("El Gobierno aprobó ayer en el Congreso el plan de rescate de Bruselas tras un largo debate. "
              "La oposición votó en contra.\n")
    links = _links(target, source)
    assert len(links) == 2
    assert links[0][0].endswith("from Brussels.") and links[0][1].startswith("El Gobierno")


def test_a_dropped_sentence_is_an_omission_and_an_added_one_an_addition():
    dropped = TARGET.replace("The opposition voted against.", "").replace(".  ", ". ")
    links = _links(dropped, SOURCE)
    assert ("", "La oposición votó en contra.") in links
    added = TARGET.replace("The opposition voted against.",
                           "The opposition voted against. Markets in Asia closed higher on Friday after a week of losses.")
    links = _links(added, SOURCE)
    assert ("Markets in Asia closed higher on Friday after a week of losses.", "") in links


def test_a_dropped_headline_is_an_omission_not_part_of_the_next_sentence():
    source = ("La Unión Europea duplica su comercio con la India\n\n"
              "Como la Unión Europea y la India son socios comerciales, el comercio fue el tema principal de la cumbre.\n")
    target = "Since the European Union and India are trading partners, trade was the main topic of the summit.\n"
    links = _links(target, source)
    assert links[0] == ("", "La Unión Europea duplica su comercio con la India")
    assert links[1][0] == target.strip() and links[1][1].startswith("Como")


def test_a_left_out_sentence_changes_places_with_a_neighbour_that_shares_its_names():
    # by length alone the aligner gives the translation to the first sentence
    source = ("La situación en Afganistán fue condenada, así como todas las formas de terrorismo en la región. "
              "Se pidió concluir la ronda comercial de Doha cuanto antes, aunque ambos tienen parte en su fracaso.\n")
    target = "The completion of the Doha trade round has also been called for, although both share in its failure.\n"
    links = _links(target, source)
    assert ("", source.split(". ")[0] + ".") in links
    assert (target.strip(), source.split(". ")[1].strip()) in links


# -- the command line ----------------------------------------------------------------------------
def test_check_with_a_source_ties_findings_to_it(cli, write):
    s = write("story.es.txt", SOURCE.replace("8.500", "8.800"))
    t = write("story.en.txt", TARGET)
    data = _json(cli("check", t, "--source", s, *QUIET))
    (f,) = data["files"]
    assert f["source_path"] == str(s) and f["source_lang"] == "es"
    (number,) = [x for x in f["findings"] if x["rule"] == "bilingual.number"]
    assert TARGET[number["start"] : number["end"]] == "8,500 million euros"
    aligned = number["aligned_source"]
    assert aligned["path"] == str(s)
    assert s.read_text(encoding="utf-8")[aligned["start"] : aligned["end"]] == aligned["text"]
    assert aligned["text"].startswith("El Gobierno aprobó")


def test_a_monolingual_check_has_no_source_fields(cli, write):
    t = write("story.en.txt", TARGET)
    (f,) = _json(cli("check", t, *QUIET))["files"]
    # source_lang is every file's own (the language it was reviewed for); no source file: no path
    assert "source_path" not in f and f["source_lang"] is None
    assert all("aligned_source" not in x for x in f["findings"])


def test_a_pattern_pairs_each_file_and_a_missing_source_is_a_note(cli, write, tmp_path):
    write("en/one.en.txt", TARGET)
    write("en/two.en.txt", TARGET)
    write("es/one.txt", SOURCE)
    result = cli("check", tmp_path / "en", "--source", "../es/{base}{suffix}", *QUIET)
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in _json(result)["files"]}
    assert by_name["one.en.txt"]["source_path"].endswith("es/one.txt")
    assert "source_path" not in by_name["two.en.txt"]  # checked alone
    text = cli("check", tmp_path / "en", "--source", "../es/{base}{suffix}", "--no-grammar", "--fail-on", "never")
    (note,) = [n for n in text.output.splitlines() if "source: none at" in n]  # the text report's notes
    assert "two.en.txt" in note and "1 of 2 files" in note


def test_the_source_language_is_read_per_file(cli, write, tmp_path):
    write("en/madrid.txt", TARGET)
    write("en/paris.txt", "The government approved the plan yesterday. The opposition voted against it.\n")
    write("src/madrid.txt", SOURCE)
    write("src/paris.txt", "Le gouvernement a approuvé le plan hier. L'opposition a voté contre.\n")
    data = _json(cli("check", tmp_path / "en", "--source", "../src/{name}", *QUIET))
    langs = {f["path"].rsplit("/", 1)[-1]: f["source_lang"] for f in data["files"]}
    assert langs == {"madrid.txt": "es", "paris.txt": "fr"}


@pytest.mark.parametrize(("args", "expected"), [
    (("--source", "nowhere.es.txt"), "--source nowhere.es.txt: no such file"),
    (("--source", "{stem}.{nope}"), "'nope' is not one of {name}, {stem}, {base}, {suffix}"),
])
def test_a_bad_source_is_a_one_line_error(cli, write, args, expected):
    t = write("story.en.txt", TARGET)
    result = cli("check", t, *args, *QUIET)
    assert result.code == 2 and "Traceback" not in result.output
    assert expected in result.err and len(result.err.strip().splitlines()) == 1


def test_one_source_file_for_a_folder_is_refused(cli, write, tmp_path):
    write("en/a.txt", TARGET)
    write("en/b.txt", TARGET)
    s = write("s.txt", SOURCE)
    result = cli("check", tmp_path / "en", "--source", s, *QUIET)
    assert result.code == 2 and "one source for 2 files" in result.err


# -- the tables the name check leans on ----------------------------------------------------------
@pytest.mark.parametrize(("source", "english", "same"), [
    ("zelenski", "zelensky", True),  # a transliteration: the same first four letters
    ("otan", "nato", True),  # an acronym of the same letters
    ("eeuu", "us", True),  # a listed one
    ("alemania", "germany", True),  # CLDR's country names
    ("dunquerque", "dunkirk", True),  # spelt alike once sounds are folded
    ("barroso", "solana", False),
])
def test_same_name(source, english, same):
    assert N.same(source, english, "es") is same


@pytest.mark.parametrize(("source", "english", "lang"), [
    ("cingapura", "singapore", "pt"),  # a soft c
    ("estrabao", "strabo", "pt"),  # the e before s and a consonant
    ("tschechischen", "czech", "de"),  # an inflected CLDR language name
    ("cecoslovacchia", "czechoslovakia", "it"),  # other first letters, far more in common
    ("egeu", "aegean", "pt"),  # "ae" sounds as "e"
])
def test_same_name_across_spellings(source, english, lang):
    assert N.same(source, english, lang)


def test_the_words_of_a_name_of_several_words_map_to_no_function_word():
    assert "and" not in N.english_words("it").get("australi", ())  # Terre australi e antartiche francesi
    assert "e" not in N.english_words("it")
    assert N.same("unidos", "united", "es")


def test_other_first_letters_need_far_more_in_common():
    assert N.same("apulia", "puglia", "es")  # 0.83
    assert not N.same("ucrania", "kurdistan", "es")


def test_a_name_after_an_elided_article_is_a_name():
    text = "Le chef de l'Union pour l'avenir de l'Autriche est arrivé."
    assert [n.text for n in N.names(text)] == ["Union", "Autriche"]


def test_a_name_the_source_gives_more_often_is_missing_at_its_later_places():
    source = "En España, Honda vendió 8.000 coches, el 6 % de las ventas de Honda."
    target = "In Spain, Honda sold 8,000 cars, 6% of Singh's sales."
    missing = N.missing(N.names(source), target, N.tokens(target), "es")
    assert [(m.text, m.start) for m in missing] == [("Honda", source.rindex("Honda"))]
    both = "In Spain, Honda sold 8,000 cars, 6% of Honda's sales."
    assert N.missing(N.names(source), both, N.tokens(both), "es") == []


def test_a_hyphenated_word_has_its_parts():
    source = "Neu-Delhi liegt nur auf Rang neun."
    delhi = N.Name(0, 5, "Delhi", "name")
    assert N.has(delhi, source, N.tokens(source), "de", False)


def test_cognates_are_only_asked_of_capitalised_words():
    source = "El plan fue presentado en Bruselas."
    words = N.tokens(source)
    solana = N.Name(0, 6, "Solana", "name")
    assert not N.has(solana, source, words, "es", False)  # "plan" shares three letters with it


def test_common_words_and_names():
    assert common("Green", "en") and not common("Anderson", "en")
    assert common("Verde", "es") and not common("Barroso", "es")
    assert common("Etats", "fr")  # a capital's dropped accent
    assert common("asuntos", "es")  # a plural the list lacks, by its singular
    assert common("Anderson", "en", 100) and not common("Andersons", "en", 100)  # no plural rule in English
    assert not common("anything", "xx")  # a language without a list


def test_a_german_word_is_any_word_of_the_list_or_a_compound_of_them():
    assert N.leans_source("Grenze", "de") and N.leans_source("Geschichtsgesellschaften", "de")
    assert N.leans_source("Promille-Sarg", "de")
    assert not N.leans_source("Fossett", "de") and not N.leans_source("Handley", "de")


def test_a_common_word_in_a_names_place_stands_alone_at_the_same_place():
    source, target = "Murió en el hospital del condado de Essex.", "She died in the hospital of the county of Brown."
    s_words, t_words = N.tokens(source), N.tokens(target)
    essex, brown = N.names(source, s_words)[0], N.names(target, t_words)[0]
    assert N.in_place(brown, essex, target, t_words, source, s_words)
    early = "Brown said she died in the hospital of the county."
    e_words = N.tokens(early)
    assert not N.in_place(N.Name(0, 5, "Brown", "name"), essex, early, e_words, source, s_words)
    dutch = "She died in the hospital of the Dutch county."
    d_words = N.tokens(dutch)
    assert not N.in_place(N.names(dutch, d_words)[0], essex, dutch, d_words, source, s_words)  # a people


def test_title_case_sentences_have_no_names():
    assert N.headline(N.tokens("Senate Rejects Bailout Plan After Long Debate"))
    assert not N.headline(N.tokens("The plan was presented by Commission President Solana in Brussels."))
    assert not N.headline(N.tokens("Rafael Correa in Quito, this Monday."))  # names, not title case


# -- negation tables ------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "lang", "strong"), [
    ("Le préfet n'a pas autorisé la marche.", "fr", ["n'a pas"]),
    ("La réforme concerne non seulement les retraites.", "fr", []),
    ("Sin embargo, la empresa mantuvo su previsión.", "es", []),
    ("The government didn't accept it.", "en", ["didn't"]),
    ("Der Sturm traf nicht nur die Küste.", "de", []),
    ("Quest'ultima vale come fattore di rischio, le prime due no.", "it", ["no"]),
])
def test_negations_are_read_per_language(text, lang, strong):
    found = negations(text, lang)
    assert [text[s:e] for s, e in found.strong] == strong


@pytest.mark.parametrize(("text", "lang"), [
    ("Las dobleces complejas están prohibidas.", "es"),
    ("As dobras complexas são proibidas.", "pt"),
    ("Les plis complexes sont interdits.", "fr"),
    ("Komplexe Falten sind verboten.", "de"),
    ("Doch auf der Wiese ist alles halb so schlimm.", "de"),
    ("Une fois sur la place, tout est moitié moins pire.", "fr"),
])
def test_a_ban_or_a_lesser_degree_is_a_weak_negation(text, lang):
    """English says them with "not" ("not allowed", "not as bad"): no negation lost."""
    found = negations(text, lang)
    assert not found.strong and found.weak
