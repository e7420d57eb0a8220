"""The glossary (termbase): reading CSV and TBX glossaries (and refusing bad ones in one line
naming the file and line), finding terms in their inflected forms at exact offsets, and the
three checks, glossary.required, glossary.forbidden and glossary.inconsistent, through the
command line, within a document and across the files of one run."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from mtreview.bilingual.glossary import Source, load, read_csv, read_tbx
from mtreview.bilingual.terms import TermMatcher, forms, pattern
from mtreview.errors import MtreviewError

DATA = Path(__file__).resolve().parent / "data" / "glossary"
QUIET = ("--no-grammar", "--no-scores", "--fail-on", "never", "--format", "json")


def findings(result, rule_prefix="glossary."):
    assert "Traceback" not in result.output, result.output
    out = []
    for f in result.json()["files"]:
        out += [dict(x, path=f["path"]) for x in f["findings"] if x["rule"].startswith(rule_prefix)]
    return out


# -- reading glossaries ----------------------------------------------------------------------
def test_csv_columns_alternatives_languages_notes_and_comments():
    entries = load(DATA / "newsdesk.csv").entries
    first = entries[0]
    assert first.sources == (Source("alto el fuego", "es"),)
    assert first.targets == ("ceasefire", "cease-fire")  # | separates alternatives, the preferred first
    assert first.forbidden == ("truce",)
    assert first.note == "Both spellings are allowed, but one per story"  # a quoted field keeps its comma
    assert first.line == 3  # the comment line counts
    kiev = next(e for e in entries if e.targets == ("Kyiv",))
    assert kiev.sources == (Source("Kiev", None),)  # no lang: any source language
    ukraine = entries[-1]
    assert ukraine.sources == () and ukraine.forbidden == ("the Ukraine",) and ukraine.note == 'not "the Ukraine"'
    assert ukraine.line == 12  # after the blank row


def test_csv_semicolons_bom_crlf_and_a_column_per_language():
    entries = load(DATA / "desk-semicolon.csv").entries
    assert entries[0].sources == (Source("alto el fuego", "es"), Source("cessez-le-feu", "fr"))
    assert entries[0].targets == ("ceasefire", "cease-fire") and entries[0].forbidden == ("truce",)
    assert entries[1].note == "weapons; not projectile"


def test_csv_tabs_in_utf16_as_spreadsheets_save_unicode_text(tmp_path):
    path = tmp_path / "glossary.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Spanish\tEnglish\tDo not use\r\nmisil\tmissile\tprojectile\r\n".encode("utf-16-le"))
    (entry,) = load(path).entries
    assert entry.sources == (Source("misil", "es"),) and entry.targets == ("missile",) and entry.forbidden == ("projectile",)


def test_tbx_v2_statuses_groups_and_entities():
    entries = load(DATA / "newsdesk.tbx").entries
    ceasefire, missile, kiev, pg = entries  # the entry without English is left out
    assert ceasefire.sources == (Source("alto el fuego", "es"), Source("cessez-le-feu", "fr"))
    assert ceasefire.targets == ("ceasefire", "cease-fire")  # the preferred term first
    assert ceasefire.forbidden == ("truce",)  # deprecatedTerm-admn-sts
    assert ceasefire.note == "A halt to fighting agreed by both sides." and ceasefire.line == 10
    assert missile.sources == (Source("misil", "es"),) and missile.targets == ("missile",)  # ntig/termGrp
    assert kiev.targets == ("Kyiv",) and kiev.forbidden == ("Kiev",)  # supersededTerm-admn-sts
    assert pg.targets == ("Procter & Gamble",)


def test_tbx_v3():
    ceasefire, missile = load(DATA / "newsdesk-v3.tbx").entries
    assert ceasefire.sources == (Source("alto el fuego", "es"),)
    assert ceasefire.targets == ("ceasefire",) and ceasefire.forbidden == ("truce",)
    assert missile.note == "A guided weapon."


@pytest.mark.parametrize("status", [
    '<basic:administrativeStatus>deprecatedTerm-admn-sts</basic:administrativeStatus>',  # TBX v3 DCT style
    '<termNote type="forbidden">true</termNote>',  # Phrase (Memsource)
    '<termNote type="normativeAuthorization">deprecatedTerm</termNote>',  # older exports
    '<termNote type="usageStatus">notRecommended</termNote>',
])
def test_tbx_forbidden_statuses_as_tools_write_them(status):
    text = f"""<tbx xmlns="urn:iso:std:iso:30042:ed-2" xmlns:basic="http://www.tbxinfo.net/ns/basic"><text><body>
<conceptEntry><langSec xml:lang="es"><termSec><term>tregua</term></termSec></langSec>
<langSec xml:lang="en"><termSec><term>truce</term></termSec><termSec><term>armistice</term>{status}</termSec></langSec>
</conceptEntry></body></text></tbx>"""
    (entry,) = read_tbx(text, "g.tbx")
    assert entry.targets == ("truce",) and entry.forbidden == ("armistice",)


@pytest.mark.parametrize("name, message", [
    ("bad-row.csv", "bad-row.csv:3: 4 fields, but the header names 3 columns"),
    ("bad-quote.csv", "bad-quote.csv:2: malformed CSV"),
    ("broken.tbx", "broken.tbx:7: not well-formed XML (mismatched tag)"),
    ("entities.tbx", "entities.tbx:2: a DOCTYPE with declarations"),
])
def test_a_bad_glossary_is_a_one_line_error_naming_file_and_line(cli, tmp_path, name, message):
    (tmp_path / "t.txt").write_text("Shelling hit Kiev overnight.\n", encoding="utf-8")
    result = cli("check", tmp_path / "t.txt", "--glossary", DATA / name, *QUIET)
    assert result.code == 2
    assert message in result.err and "Traceback" not in result.output
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("text, message", [
    ("", "1: empty glossary"),
    ("alto el fuego,ceasefire\nmisil,missile\n", "1: the first row must name the columns"),
    ("source,target,note\nalto el fuego,,ceasefire?\n", "2: “alto el fuego” has no English"),
    ("source,target\n,ceasefire\n", "2: “ceasefire” translates nothing"),
    ("source,target,lang\nmisil,missile,Klingon\n", "2: lang 'Klingon'"),
    ("source,target\n", "1: no terms under the header"),
    ("source,target\n…,missile\n", "2: '…' is not a term"),
])
def test_csv_mistakes(text, message):
    with pytest.raises(MtreviewError, match="^" + re.escape(f"g.csv:{message}")):
        read_csv(text, "g.csv")


@pytest.mark.parametrize("text, message", [
    ("<glossary/>", "1: not TBX (the root element is <glossary>"),
    ("<martif><text><body/></text></martif>", "1: no <termEntry> or <conceptEntry>"),
    (('<martif><text><body><termEntry><langSet xml:lang="es"><tig><term>misil</term></tig></langSet></termEntry>'
     "</body></text></martif>"), "1: no entry with English terms"),
    ("<martif><text><body><termEntry>\n<langSet><tig><term>misil</term></tig></langSet></termEntry></body></text></martif>",
     "2: a <langSet> without xml:lang"),
    ("<martif>\n<text>&nbsp;</text></martif>", "2: not well-formed XML (undefined entity)"),
])
def test_tbx_mistakes(text, message):
    with pytest.raises(MtreviewError, match="^" + re.escape(f"g.tbx:{message}")):
        read_tbx(text, "g.tbx")


def test_a_missing_glossary_is_an_error(cli, tmp_path):
    (tmp_path / "t.txt").write_text("Text.\n", encoding="utf-8")
    result = cli("check", tmp_path / "t.txt", "--glossary", tmp_path / "nope.csv", *QUIET)
    assert result.code == 2 and "nope.csv: no such file" in result.err and "Traceback" not in result.output


def test_a_glossary_is_read_once_per_file_version(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("source,target\nmisil,missile\n", encoding="utf-8")
    assert load(path) is load(path)


# -- finding terms ---------------------------------------------------------------------------
def _find(terms: list[tuple[str, str]], text: str) -> list[str]:
    matcher = TermMatcher([pattern(t, lang) for t, lang in terms])
    return [text[f.start : f.end] for f in matcher.find(text)]


@pytest.mark.parametrize("term, lang, text, expected", [
    ("misil", "es", "Los misiles y el misil; los antimisiles no.", ["misiles", "misil"]),
    ("acción", "es", "Las acciones cayeron; una acción subió.", ["acciones", "acción"]),  # the plural moves the accent
    ("examen", "es", "Los exámenes de junio.", ["exámenes"]),
    ("Fuerzas Armadas", "es", "las fuerzas armadas y la fuerza armada", ["fuerzas armadas", "fuerza armada"]),
    ("fuerza aérea", "es", "las fuerzas aéreas", ["fuerzas aéreas"]),  # an adjective agrees with its noun
    ("Papa", "es", "El papá no es el Papa.", ["Papa"]),  # accents as written
    ("partido", "es", "La partida del partido.", ["partido"]),  # a noun does not change gender
    ("alto el fuego", "es", "Los altos el fuego; el fuego.", ["altos el fuego"]),  # the longest term at a word
    ("union européenne", "fr", "l'Union européenne et l’Union européenne", ["Union européenne", "Union européenne"]),
    ("ação", "pt", "as ações do governo", ["ações"]),
    ("ceasefire", "en", "Ceasefires and a CEASEFIRE; ceasefire's terms.", ["Ceasefires", "CEASEFIRE", "ceasefire"]),
    ("cease-fire", "en", "a cease-fire, a cease fire, a cease\nfire, not a cease\n\nfire", ["cease-fire", "cease fire", "cease\nfire"]),
    ("policy", "en", "two policies", ["policies"]),
    ("EU", "en", "The EU and the eu, Eu.", ["EU"]),  # an acronym in capitals only
    ("U.S.", "en", "The U.S. said so.", ["U.S."]),
])
def test_terms_are_found_in_their_forms_and_whole_words(term, lang, text, expected):
    assert _find([(term, lang)], text) == expected


def test_offsets_are_exact_in_text_with_accents_and_line_breaks():
    text = "Él dijo:\r\n«El alto el fuego, los misiles»"
    matcher = TermMatcher([pattern("alto el fuego", "es"), pattern("misil", "es")])
    found = matcher.find(text)
    assert [(text[f.start : f.end], f.term) for f in found] == [("alto el fuego", 0), ("misiles", 1)]
    assert found[1].tag == "pl"


def test_english_inflects_the_last_word_only():
    assert "news agencies" not in {"news agency"} and forms("news", "en", last=False) == {"news": ""}
    assert _find([("news agency", "en")], "two news agencies, a new agency") == ["news agencies"]


# -- the checks through the command line ----------------------------------------------------
@pytest.fixture
def pair(tmp_path):
    """Write a translation and its source: ``pair(target, source) -> (target_path, source_path)``."""

    def _pair(target: str, source: str, name: str = "story"):
        t, s = tmp_path / f"{name}.en.txt", tmp_path / f"{name}.es.txt"
        t.write_text(target, encoding="utf-8")
        s.write_text(source, encoding="utf-8")
        return t, s

    return _pair


SOURCE = ("Los ministros acordaron un alto el fuego en Gaza el viernes. El misil cayó cerca de la frontera. "
          "Las Fuerzas Armadas desplegaron tropas en la zona.\n")


def test_required_forbidden_through_the_cli(cli, pair):
    target = ("The ministers agreed a truce in Gaza on Friday. The projectile fell near the border. "
              "The armed forces deployed troops in the area.\n")
    t, s = pair(target, SOURCE)
    result = cli("check", t, "--source", s, "--glossary", DATA / "newsdesk.csv", *QUIET)
    assert result.code == 0, result.output
    got = {f["rule"]: f for f in findings(result)}
    assert set(got) == {"glossary.forbidden", "glossary.required"}
    forbidden = got["glossary.forbidden"]
    assert forbidden["text"] == "truce" and forbidden["start"] == target.index("truce")
    assert forbidden["suggestions"] == ["ceasefire"] and forbidden["fix"] == "unsafe"
    assert forbidden["severity"] == "error" and forbidden["category"] == "terminology/wrong-term"
    assert forbidden["message"] == "The glossary forbids “truce”: write “ceasefire” (Both spellings are allowed, but one per story)"
    marks = forbidden["aligned_source"]["marks"]
    assert [SOURCE[a:b] for a, b in marks] == ["alto el fuego"]  # the source term, marked in the source
    required = got["glossary.required"]
    assert required["text"] == "The projectile fell near the border."  # the sentence: the wrong word is unknown
    assert required["message"] == "The glossary translates “misil” as “missile”, which this sentence does not use"
    assert [SOURCE[a:b] for a, b in required["aligned_source"]["marks"]] == ["misil"]
    assert required["suggestions"] == [] and required["severity"] == "warning"


def test_the_glossarys_translations_in_any_form_pass(cli, pair):
    target = ("The ministers agreed a cease-fire in Gaza on Friday. The missile fell near the border. "
              "The Armed Forces deployed troops in the area.\n")
    t, s = pair(target, SOURCE)
    result = cli("check", t, "--source", s, "--glossary", DATA / "newsdesk.tbx", *QUIET)
    assert findings(result) == []


def test_forbidden_works_without_a_source_and_keeps_case_and_number(cli, tmp_path):
    path = tmp_path / "t.txt"
    text = "Truces rarely hold in the Ukraine. Kiev said so.\n"
    path.write_text(text, encoding="utf-8")
    glossary = tmp_path / "g.csv"
    glossary.write_text("source,target,forbidden\nalto el fuego,ceasefire,truce\n,Ukraine,the Ukraine\n"
                        "Kiev,Kyiv,Kiev\n", encoding="utf-8")
    result = cli("check", path, "--glossary", glossary, *QUIET)
    got = [(f["text"], f["suggestions"]) for f in findings(result)]
    assert got == [("Truces", ["Ceasefires"]), ("the Ukraine", ["Ukraine"]), ("Kiev", ["Kyiv"])]


def test_a_term_one_entry_forbids_and_another_allows_needs_the_source(cli, pair):
    # "truce" is forbidden for "alto el fuego" but is the translation of "tregua"
    t, s = pair("Both sides agreed a truce on Friday.\n", "Ambas partes acordaron una tregua el viernes.\n")
    assert findings(cli("check", t, "--source", s, "--glossary", DATA / "newsdesk.csv", *QUIET)) == []
    assert findings(cli("check", t, "--glossary", DATA / "newsdesk.csv", *QUIET)) == []  # no source: no way to tell


def test_source_terms_of_another_language_do_not_apply(cli, pair):
    # the glossary's "cessez-le-feu" is French: a Spanish source that quotes it is not held to it
    t, s = pair("The ministers met in Paris on Friday to discuss the fighting.\n",
                "Los ministros se reunieron en París el viernes para hablar del «cessez-le-feu» y los combates.\n")
    result = cli("check", t, "--source", s, "--source-lang", "es", "--glossary", DATA / "newsdesk.csv", *QUIET)
    assert findings(result) == []


def test_inconsistent_within_a_document(cli, pair):
    target = ("The ceasefire held overnight. Both sides said they respect the ceasefire. "
              "Talks on extending the cease-fire begin on Monday.\n")
    source = ("El alto el fuego se mantuvo durante la noche. Ambas partes dijeron que respetan el alto el fuego. "
              "Las conversaciones para prolongar el alto el fuego comienzan el lunes.\n")
    t, s = pair(target, source)
    (f,) = findings(cli("check", t, "--source", s, "--glossary", DATA / "newsdesk.csv", *QUIET))
    assert f["rule"] == "glossary.inconsistent" and f["text"] == "cease-fire"
    assert f["start"] == target.index("cease-fire") and f["suggestions"] == ["ceasefire"]
    assert f["message"] == "“alto el fuego” is translated “ceasefire” elsewhere in this document (2×); use one translation"
    assert f["category"] == "terminology/inconsistent"
    assert [source[a:b] for a, b in f["aligned_source"]["marks"]] == ["alto el fuego"]


def test_inconsistent_across_the_files_of_a_folder(cli, tmp_path):
    en, es = tmp_path / "en", tmp_path / "es"
    en.mkdir()
    es.mkdir()
    (en / "a.txt").write_text("The ceasefire held overnight in Gaza. Both sides said they would respect the ceasefire.\n",
                              encoding="utf-8")
    (es / "a.txt").write_text("El alto el fuego se mantuvo durante la noche en Gaza. Ambas partes dijeron que "
                              "respetarían el alto el fuego.\n", encoding="utf-8")
    (en / "b.txt").write_text("The cease-fire was broken on Tuesday.\n", encoding="utf-8")
    (es / "b.txt").write_text("El alto el fuego se rompió el martes.\n", encoding="utf-8")
    result = cli("check", en, "--source", "../es/{name}", "--glossary", DATA / "newsdesk.tbx", *QUIET)
    (f,) = findings(result)
    assert f["path"].endswith("b.txt") and f["rule"] == "glossary.inconsistent" and f["text"] == "cease-fire"
    assert "in the other files of this review (2×)" in f["message"] and f["suggestions"] == ["ceasefire"]
    # the same file on its own is consistent
    assert findings(cli("check", en / "b.txt", "--source", es / "b.txt", "--glossary", DATA / "newsdesk.tbx", *QUIET)) == []


def test_a_tie_goes_to_the_glossarys_preferred_translation(cli, pair):
    t, s = pair("The cease-fire held. Later the ceasefire broke.\n",
                "El alto el fuego se mantuvo. Más tarde el alto el fuego se rompió.\n")
    (f,) = findings(cli("check", t, "--source", s, "--glossary", DATA / "newsdesk.csv", *QUIET))
    assert f["text"] == "cease-fire" and f["suggestions"] == ["ceasefire"]


def test_the_config_key_and_the_fix_loop(cli, tmp_path):
    (tmp_path / "glossary.csv").write_text("source,target,forbidden\nKiev,Kyiv,Kiev\n", encoding="utf-8")
    (tmp_path / ".mtreview.toml").write_text('glossary = "glossary.csv"\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Shelling hit Kiev overnight.\n", encoding="utf-8")
    assert [f["text"] for f in findings(cli("check", story, *QUIET))] == ["Kiev"]
    result = cli("fix", story, "--unsafe", "--write", "--select", "glossary")
    assert result.code == 0, result.output
    assert story.read_text(encoding="utf-8") == "Shelling hit Kyiv overnight.\n"


def test_without_a_glossary_the_rules_find_nothing(cli, pair):
    t, s = pair("Both sides agreed a truce.\n", "Ambas partes acordaron un alto el fuego.\n")
    assert findings(cli("check", t, "--source", s, *QUIET)) == []


def test_rules_show_names_the_example_glossary(cli):
    result = cli("rules", "show", "glossary.forbidden")
    assert result.code == 0 and "The examples use this glossary" in result.out
