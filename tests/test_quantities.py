"""Numbers, dates and times read as comparable values (mtreview/bilingual/quantities.py):
each language's number forms, English written the continental way, scale words, percentages,
money, spelled numbers and what is left out of them, dates, weekdays and times, and offsets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mtreview.bilingual.quantities import LANGUAGES, Moment, Quantity, moments, quantities


def found(text: str, lang: str) -> list[tuple[str, Decimal]]:
    """(matched text, value) of each quantity, checking every offset on the way."""
    out = []
    for q in quantities(text, lang):
        assert 0 <= q.start < q.end <= len(text)
        out.append((text[q.start:q.end], q.value))
    return out


def only(text: str, lang: str) -> Quantity:
    (q,) = quantities(text, lang)
    return q


def when(text: str, lang: str) -> list[tuple[str, tuple]]:
    """(matched text, (month, day, year, weekday, hour, minute)) of each moment."""
    return [(text[m.start:m.end], tuple(m)[2:]) for m in moments(text, lang)]


def values(text: str, lang: str) -> list[Decimal]:
    return [q.value for q in quantities(text, lang)]


# -- the source languages' number forms --------------------------------------------------------------
@pytest.mark.parametrize("lang", ["es", "fr", "pt", "it", "de"])
@pytest.mark.parametrize(("written", "value"), [
    ("8.500", "8500"),
    ("8 500", "8500"),
    ("8\u00a0500", "8500"),
    ("8\u202f500", "8500"),
    ("1.234.567", "1234567"),
    ("3,5", "3.5"),
    ("1.234,56", "1234.56"),
    ("12 345,6", "12345.6"),
    ("1.5", "1.5"),  # careless MT: the English decimal point
    ("0,25", "0.25"),
])
def test_source_languages_write_a_decimal_comma_and_group_thousands(lang, written, value):
    q = only(f"Son {written} unidades.", lang)
    assert q.value == Decimal(value)
    assert not q.foreign_form and q.english == ""


@pytest.mark.parametrize("lang", ["es", "fr", "pt", "it", "de"])
def test_a_comma_before_three_digits_is_a_decimal_that_might_be_thousands(lang):
    q = only("Costó 1,500 al final.", lang)
    assert (q.value, q.alt) == (Decimal("1.5"), Decimal("1500"))


def test_swiss_apostrophes_group_thousands():
    assert values("Es kostet 1'250 Franken.", "de") == [Decimal("1250")]


def test_identifiers_and_versions_are_no_quantities():
    assert found("El Airbus A380, el F-16 y la IP 192.168.1.1.", "es") == []
    assert found("COVID-19 and the G-20 met.", "en") == []


def test_a_number_glued_to_a_unit_is_read():
    assert found("Reached 160km/h and 5kg, the 1990s.", "en") == [("160km", 160), ("5kg", 5), ("1990s", 1990)]


# -- English, and continental forms in English ------------------------------------------------------------
def test_english_numbers():
    assert found("It sold 8,500 cars for 1,234.56 each, 2.5 times more.", "en") == [
        ("8,500", Decimal("8500")), ("1,234.56", Decimal("1234.56")), ("2.5", Decimal("2.5"))]
    assert not any(q.foreign_form for q in quantities("It sold 8,500 cars for 1,234.56 each.", "en"))


@pytest.mark.parametrize(("text", "matched", "value", "english"), [
    ("Unemployment rose by 3,5 in May.", "3,5", "3.5", "3.5"),
    ("Some 8.500 people came.", "8.500", "8500", "8,500"),
    ("A total of 1.234.567 votes.", "1.234.567", "1234567", "1,234,567"),
    ("It cost 1.234,56 dollars.", "1.234,56 dollars", "1234.56", "1,234.56 dollars"),
    ("Some 8 500 people came.", "8 500", "8500", "8,500"),
    ("Some 8\u202f500 people came.", "8\u202f500", "8500", "8,500"),
    ("Prices rose 3,5 % last year.", "3,5 %", "3.5", "3.5%"),
    ("Prices rose 35 % last year.", "35 %", "35", "35%"),
    ("The ticket costs 5 € now.", "5 €", "5", "€5"),
    ("It is worth 1,2 million euros.", "1,2 million euros", "1200000", "1.2 million euros"),
])
def test_continental_forms_in_english_are_flagged_with_their_english_form(text, matched, value, english):
    q = only(text, "en")
    assert text[q.start:q.end] == matched
    assert q.value == Decimal(value)
    assert q.foreign_form
    assert q.english == english


def test_a_period_before_three_digits_in_english_is_a_thousands_residue_with_the_decimal_as_other_reading():
    q = only("Some 8.500 people came.", "en")
    assert (q.value, q.alt) == (Decimal("8500"), Decimal("8.5"))


@pytest.mark.parametrize("text", [
    "Growth was 2.5 percent and 8.500 units were sold.",  # the text writes English decimals
    "The yield was 0.125 points.",
    "The rate is 3.125% now.",
    "The deal is worth $1.125 billion.",  # a scale word, and not a round thousand
])
def test_a_period_before_three_digits_stays_a_decimal_where_english_context_says_so(text):
    q = next(q for q in quantities(text, "en") if "." in text[q.start:q.end] and q.alt is not None)
    assert not q.foreign_form
    assert q.value < q.alt


def test_a_round_thousand_before_a_scale_word_in_english_is_residue():
    q = only("A package of 1.500 million euros.", "en")
    assert q.foreign_form and q.value == Decimal("1500000000") and q.english == "1,500 million euros"


def test_the_source_languages_never_flag_foreign_forms():
    assert not any(q.foreign_form for q in quantities("Son 8.500 y 3,5 % y 5 €.", "es"))


# -- scale words -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "value"), [
    ("es", "Perdió 1,2 millones ayer.", "1200000"),
    ("es", "Son 8,5 mil millones.", "8500000000"),
    ("es", "Unos 30 mil asistentes.", "30000"),
    ("es", "Una deuda de 2 billones.", "2000000000000"),  # the long scale
    ("fr", "Il a perdu 1,2 millions hier.", "1200000"),
    ("fr", "Il a perdu 3 milliards hier.", "3000000000"),
    ("fr", "Une dette de 2 billions.", "2000000000000"),
    ("it", "Ha perso 1,2 milioni ieri.", "1200000"),
    ("it", "Ha perso 3 miliardi ieri.", "3000000000"),
    ("it", "Ha perso 700 mld. ieri.", "700000000000"),
    ("pt", "Perdeu 1,2 milhões ontem.", "1200000"),
    ("pt", "Perdeu 2,3 bilhões ontem.", "2300000000"),  # Brazil
    ("pt", "Perdeu 2,3 mil milhões ontem.", "2300000000"),  # Portugal
    ("pt", "Uma dívida de 2 biliões.", "2000000000000"),  # Portugal's long scale
    ("de", "Er verlor 1,2 Millionen gestern.", "1200000"),
    ("de", "Er verlor 3 Milliarden gestern.", "3000000000"),
    ("de", "Er verlor 1,2 Mio. gestern.", "1200000"),
    ("de", "Er verlor 55 Mrd. gestern.", "55000000000"),
    ("en", "It lost 1.2 million yesterday.", "1200000"),
    ("en", "It lost 1.2 billion yesterday.", "1200000000"),
    ("en", "It lost 2 trillion yesterday.", "2000000000000"),
    ("en", "It lost £2bn yesterday.", "2000000000"),
    ("en", "It lost $5m yesterday.", "5000000"),
])
def test_scale_words_multiply(lang, text, value):
    assert values(text, lang) == [Decimal(value)]


def test_a_one_letter_scale_needs_a_currency_sign():
    assert found("He ran 5m and paid $5m.", "en") == [("5m", 5), ("$5m", 5000000)]


def test_a_scale_word_said_once_counts_for_both_ends_of_a_range():
    first, second = quantities("von 25 auf 55 Mrd. gestiegen", "de")
    assert (first.value, first.alt, second.value) == (Decimal("25000000000"), Decimal("25"), Decimal("55000000000"))
    assert values("between 2 and 3 million people", "en") == [Decimal("2000000"), Decimal("3000000")]


# -- percentages and money ------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text"), [
    ("es", "Subió un 3,5 % el año pasado."),
    ("es", "Subió un 3,5% el año pasado."),
    ("es", "Subió un 3,5 por ciento el año pasado."),
    ("fr", "Il a augmenté de 3,5 pour cent."),
    ("it", "È salito del 3,5 per cento."),
    ("it", "È salito del 3,5 percento."),
    ("pt", "Subiu 3,5 por cento."),
    ("de", "Er stieg um 3,5 Prozent."),
    ("en", "It rose 3.5 per cent."),
    ("en", "It rose 3.5 percent."),
    ("en", "It rose 3.5%."),
])
def test_percentages(lang, text):
    q = only(text, lang)
    assert (q.value, q.kind, q.unit) == (Decimal("3.5"), "percent", "%")
    assert text[q.start:q.end].startswith("3")


@pytest.mark.parametrize(("lang", "text", "matched", "value", "unit"), [
    ("en", "It cost €25 today.", "€25", "25", "EUR"),
    ("en", "It cost $25 today.", "$25", "25", "USD"),
    ("en", "It cost £25 today.", "£25", "25", "GBP"),
    ("en", "It cost US$25 today.", "US$25", "25", "USD"),
    ("en", "It cost EUR 25 today.", "EUR 25", "25", "EUR"),
    ("en", "It cost 25 euros today.", "25 euros", "25", "EUR"),
    ("en", "It cost 25 dollars today.", "25 dollars", "25", "USD"),
    ("en", "It cost $4.5 million today.", "$4.5 million", "4500000", "USD"),
    ("es", "Costó 25 euros hoy.", "25 euros", "25", "EUR"),
    ("es", "Costó 31,25 dólares hoy.", "31,25 dólares", "31.25", "USD"),
    ("es", "Costó 3,5 millones de euros hoy.", "3,5 millones de euros", "3500000", "EUR"),
    ("es", "Costó 25 € hoy.", "25 €", "25", "EUR"),
    ("fr", "Il a coûté 1,2 million d'euros.", "1,2 million d'euros", "1200000", "EUR"),
    ("fr", "Il a coûté 25 dollars.", "25 dollars", "25", "USD"),
    ("it", "È costato 3 milioni di euro.", "3 milioni di euro", "3000000", "EUR"),
    ("it", "È costato 3 sterline.", "3 sterline", "3", "GBP"),
    ("pt", "Custou 2,3 bilhões de reais.", "2,3 bilhões de reais", "2300000000", "BRL"),
    ("pt", "Custou R$ 50 ontem.", "R$ 50", "50", "BRL"),
    ("de", "Es kostete 1,2 Mrd. Euro.", "1,2 Mrd. Euro", "1200000000", "EUR"),
    ("de", "Es kostete 25 US-Dollar.", "25 US-Dollar", "25", "USD"),
    ("de", "Es kostete 25 Pfund.", "25 Pfund", "25", "GBP"),
])
def test_money(lang, text, matched, value, unit):
    q = only(text, lang)
    assert (text[q.start:q.end], q.value, q.kind, q.unit) == (matched, Decimal(value), "money", unit)


def test_a_currency_word_after_a_plain_number_needs_no_linking_word():
    # "de" links a scale word to its currency only: "3 de Real" is no money
    assert [(q.kind, q.value) for q in quantities("Ganaron 3 de los partidos.", "es")] == [("number", 3)]


# -- ordinals, years, ranges ----------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "matched"), [
    ("en", "She came 1st in the race.", "1st"),
    ("en", "The 23rd attempt.", "23rd"),
    ("es", "Quedó en el 1.º puesto.", "1.º"),
    ("es", "Fue la 2ª vez.", "2ª"),
    ("pt", "Ficou em 3º lugar.", "3º"),
    ("it", "Arrivò 2° in gara.", "2°"),
    ("fr", "Il est arrivé 1er dans la course.", "1er"),
    ("fr", "Le 2e tour.", "2e"),
    ("de", "Er belegte den 3. Platz.", "3."),
])
def test_ordinals(lang, text, matched):
    q = only(text, lang)
    assert (text[q.start:q.end], q.kind) == (matched, "ordinal")


@pytest.mark.parametrize(("lang", "text", "matched"), [
    ("es", "En el siglo XV llegaron.", "XV"),
    ("pt", "No século XV chegaram.", "XV"),
    ("fr", "Au XVe siècle ils arrivèrent.", "XV"),
    ("it", "Nel XV secolo arrivarono.", "XV"),
    ("de", "Im 15. Jahrhundert kamen sie.", "15."),
    ("en", "In the 15th century they came.", "15th"),
    ("en", "In the fifteenth century they came.", "fifteenth"),
])
def test_centuries_in_roman_numerals_and_spelled_ordinals_before_century(lang, text, matched):
    q = only(text, lang)
    assert (text[q.start:q.end], q.value) == (matched, 15)


def test_a_german_year_at_the_end_of_a_sentence_is_no_ordinal():
    q = quantities("Das war im Jahr 2009. Danach kam mehr.", "de")[0]
    assert (q.kind, q.value, q.end - q.start) == ("year", 2009, 4)


def test_years_and_ranges():
    assert [(t, q.kind) for q in quantities("In 2009 and 1999 some 2000 people…", "en") for t in [""]] == [
        ("", "year"), ("", "year"), ("", "year")]
    assert values("The 4-5 hours and the 2008-2009 season.", "en") == [4, 5, 2008, 2009]
    assert values("Entre 4 y 5 horas.", "es") == [4, 5]


def test_an_abbreviated_second_year_of_a_range_is_that_year():
    first, second = quantities("He spent 1950-51 abroad.", "en")
    assert (first.value, second.value, second.alt, second.kind) == (1950, 1951, 51, "year")


# -- spelled numbers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "matched", "value"), [
    ("en", "They sold eight cars.", "eight", "8"),
    ("en", "They sold twenty-one cars.", "twenty-one", "21"),
    ("en", "They sold a hundred and twenty cars.", "hundred and twenty", "120"),
    ("en", "They sold a million cars.", "a million", "1000000"),
    ("en", "They sold half a million cars.", "half a million", "500000"),
    ("en", "They sold three and a half million cars.", "three and a half million", "3500000"),
    ("es", "Vendieron ocho coches.", "ocho", "8"),
    ("es", "Vendieron dos millones de coches.", "dos millones", "2000000"),
    ("es", "Vendieron un millón de coches.", "un millón", "1000000"),
    ("es", "Vendieron medio millón de coches.", "medio millón", "500000"),
    ("es", "Vendieron tres millones y medio de coches.", "tres millones y medio", "3500000"),
    ("es", "Vendieron cinco mil millones.", "cinco mil millones", "5000000000"),
    ("es", "Vendieron mil coches.", "mil", "1000"),
    ("fr", "Ils ont vendu vingt et un voitures.", "vingt et un", "21"),
    ("fr", "Ils ont vendu deux milliards.", "deux milliards", "2000000000"),
    ("it", "Hanno venduto ventitré auto.", "ventitré", "23"),
    ("it", "Hanno venduto nove miliardi.", "nove miliardi", "9000000000"),
    ("pt", "Venderam cento e vinte carros.", "cento e vinte", "120"),
    ("de", "Sie verkauften einundzwanzig Autos.", "einundzwanzig", "21"),
    ("de", "Sie verkauften eine Million Autos.", "eine Million", "1000000"),
    ("de", "Sie verkauften eine halbe Million Autos.", "eine halbe Million", "500000"),
    ("it", "Hanno venduto un milione di auto.", "un milione", "1000000"),
    ("it", "Hanno venduto mezzo milione di auto.", "mezzo milione", "500000"),
    ("fr", "Ils ont vendu un demi-million de voitures.", "un demi-million", "500000"),
])
def test_spelled_numbers(lang, text, matched, value):
    q = only(text, lang)
    assert (text[q.start:q.end], q.value, q.spelled) == (matched, Decimal(value), True)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "One of the two is here."),
    ("en", "No one came."),
    ("en", "A car was parked there."),
    ("es", "Uno de ellos tiene un coche y una casa."),
    ("fr", "Il a une maison et un chien."),
    ("it", "Uno dei ragazzi ha una casa e un cane."),
    ("pt", "Um deles tem um carro e uma casa."),
    ("de", "Einer von ihnen hat ein Haus und eine Katze."),
])
def test_articles_and_pronouns_that_look_like_one_are_no_quantities(lang, text):
    assert [q.value for q in quantities(text, lang) if q.value == 1] == []


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "It takes one or two days."),
    ("es", "Tarda uno o dos días."),
    ("de", "Es dauert ein oder zwei Tage."),
])
def test_one_beside_another_spelled_number_is_a_number(lang, text):
    assert values(text, lang) == [1, 2]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Millions of people and several hundred cars."),
    ("es", "Millones de personas y cientos de coches."),
    ("de", "Millionen Menschen und Tausende Autos."),
    ("it", "Milioni di persone."),
    ("en", "The first time and the second half."),
    ("es", "El primer ministro llegó en segundo lugar al tercer día."),
    ("it", "Secondo lui, tu sei stanco."),
    ("fr", "Un appartement neuf."),
    ("it", "Lo disse Otto Rehhagel."),
    ("de", "Die Elf gewann, und er gab Acht."),
])
def test_vague_ordinal_and_homograph_number_words_are_left_out(lang, text):
    assert [q for q in quantities(text, lang) if q.spelled] == []


def test_a_homograph_before_a_unit_is_a_number():
    q = only("Il a gagné neuf pour cent.", "fr")
    assert (q.value, q.kind, q.spelled) == (9, "percent", True)


def test_one_before_a_percent_word_is_a_number():
    assert [(q.value, q.kind) for q in quantities("Only one percent work there.", "en")] == [(1, "percent")]
    assert [(q.value, q.kind) for q in quantities("Só um por cento trabalha.", "pt")] == [(1, "percent")]


def test_spelled_percent_and_money():
    assert [(q.value, q.kind, q.unit) for q in quantities("Subió cinco por ciento y costó dos millones de euros.", "es")] == [
        (5, "percent", "%"), (2000000, "money", "EUR")]


def test_digits_and_spelled_numbers_together():
    assert found("Son 3 coches y ocho motos.", "es") == [("3", 3), ("ocho", 8)]


# -- dates, weekdays, times -------------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text", "matched", "fields"), [
    ("es", "Llegó el lunes 24 de enero de 2011.", "lunes 24 de enero de 2011", (1, 24, 2011, 0, None, None)),
    ("es", "Llegó el 1.º de mayo.", "1.º de mayo", (5, 1, None, None, None, None)),
    ("fr", "Il est arrivé lundi 24 janvier 2011.", "lundi 24 janvier 2011", (1, 24, 2011, 0, None, None)),
    ("fr", "Il est arrivé le 1er mars.", "1er mars", (3, 1, None, None, None, None)),
    ("it", "È arrivato lunedì 24 gennaio.", "lunedì 24 gennaio", (1, 24, None, 0, None, None)),
    ("pt", "Chegou na segunda-feira, 24 de janeiro de 2011.", "segunda-feira, 24 de janeiro de 2011",
     (1, 24, 2011, 0, None, None)),
    ("de", "Er kam am Montag, 24. Januar 2011.", "Montag, 24. Januar 2011", (1, 24, 2011, 0, None, None)),
    ("en", "He came on Monday, January 24, 2011.", "Monday, January 24, 2011", (1, 24, 2011, 0, None, None)),
    ("en", "He came on 24 January.", "24 January", (1, 24, None, None, None, None)),
    ("en", "He came on Jan. 24.", "Jan. 24", (1, 24, None, None, None, None)),
    ("en", "He came on the 3rd of September 2007.", "3rd of September 2007", (9, 3, 2007, None, None, None)),
    ("en", "He came in May of 1969.", "May of 1969", (5, None, 1969, None, None, None)),
    ("es", "Llegó en enero de 2009.", "enero de 2009", (1, None, 2009, None, None, None)),
    ("de", "Er kam am 24.01.2011.", "24.01.2011", (1, 24, 2011, None, None, None)),
    ("en", "He came on 1/24/2011.", "1/24/2011", (1, 24, 2011, None, None, None)),
    ("en", "He came on 2011-01-24.", "2011-01-24", (1, 24, 2011, None, None, None)),
])
def test_dates(lang, text, matched, fields):
    assert when(text, lang) == [(matched, fields)]


def test_a_range_of_days_is_one_moment_a_day():
    assert when("Del 24 al 26 de enero.", "es") == [("24", (1, 24, None, None, None, None)),
                                                    ("26 de enero", (1, 26, None, None, None, None))]
    assert when("From January 24-26.", "en") == [("January 24", (1, 24, None, None, None, None)),
                                                 ("26", (1, 26, None, None, None, None))]


@pytest.mark.parametrize(("lang", "text", "matched", "weekday"), [
    ("es", "Llegó el lunes.", "lunes", 0),
    ("fr", "Il est arrivé mardi.", "mardi", 1),
    ("it", "È arrivato mercoledì.", "mercoledì", 2),
    ("pt", "Chegou na quinta-feira.", "quinta-feira", 3),
    ("de", "Er kam am Freitagnachmittag.", "Freitag", 4),
    ("en", "He came this Saturday.", "Saturday", 5),
    ("en", "He came on Sunday.", "Sunday", 6),
])
def test_weekdays_alone(lang, text, matched, weekday):
    assert when(text, lang) == [(matched, (None, None, None, weekday, None, None))]


def test_months_alone():
    assert when("Llegó en mayo.", "es") == [("mayo", (5, None, None, None, None, None))]
    assert when("He came in May.", "en") == [("May", (5, None, None, None, None, None))]
    # English month names are also names and verbs; French "mars" is also the planet
    assert when("May we come? April Jones will march.", "en") == []
    assert when("La planète Mars.", "fr") == []


@pytest.mark.parametrize(("lang", "text", "matched", "hour", "minute"), [
    ("fr", "Il est arrivé à 15h00.", "15h00", 15, 0),
    ("fr", "Il est arrivé à 15h.", "15h", 15, 0),
    ("fr", "Il est arrivé à 15 h.", "15 h", 15, 0),
    ("fr", "Il est arrivé vers 15 heures 30.", "15 heures 30", 15, 30),
    ("es", "Llegó a las 15:00.", "15:00", 15, 0),
    ("es", "Llegó a las 15.30.", "15.30", 15, 30),
    ("es", "Llegó a las 3 de la tarde.", "3 de la tarde", 15, 0),
    ("pt", "Chegou às 15h30.", "15h30", 15, 30),
    ("it", "È arrivato alle 15.30.", "15.30", 15, 30),
    ("de", "Er kam um 15.00 Uhr.", "15.00 Uhr", 15, 0),
    ("de", "Er kam um 15 Uhr.", "15 Uhr", 15, 0),
    ("en", "He came at 3 p.m.", "3 p.m.", 15, 0),
    ("en", "He came at 3pm.", "3pm", 15, 0),
    ("en", "He came at 11:30 a.m.", "11:30 a.m.", 11, 30),
    ("en", "He came at 12 am.", "12 am", 0, 0),
    ("en", "He came at 8.30pm.", "8.30pm", 20, 30),
    ("en", "He came around 1530 hours.", "1530 hours", 15, 30),
])
def test_times(lang, text, matched, hour, minute):
    assert when(text, lang) == [(matched, (None, None, None, None, hour, minute))]


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Es stieg um 3 Prozent."),  # "um" before a bare number
    ("fr", "Il a roulé 3 h sans arrêt."),  # three hours
    ("en", "He came at 3."),  # which 3?
])
def test_bare_hours_are_no_times(lang, text):
    assert when(text, lang) == []


def test_numbers_of_dates_and_times_are_no_quantities_but_years_are():
    assert found("El lunes 24 de enero de 2011 a las 15:30 llegaron 40.", "es") == [("2011", 2011), ("40", 40)]
    assert [q.kind for q in quantities("On January 24, 2011 at 3 p.m.", "en")] == ["year"]


# -- the interface ---------------------------------------------------------------------------------------
def test_every_language_reads_and_offsets_index_the_text_given():
    text = "\u00a0 «Prix» : 1\u202f234,5 — 24 "
    for lang in LANGUAGES:
        for q in quantities(text, lang):
            assert text[q.start:q.end].strip() == text[q.start:q.end]
        assert all(isinstance(m, Moment) for m in moments(text, lang))


def test_offsets_with_characters_whose_lower_case_is_longer():
    text = "İstanbul: dos millones y 3,5 %."
    assert found(text, "es") == [("dos millones", 2000000), ("3,5 %", Decimal("3.5"))]


def test_an_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="nl"):
        quantities("8.500", "nl")


def test_results_are_fresh_lists():
    first = quantities("Son 8 coches.", "es")
    first.clear()
    assert quantities("Son 8 coches.", "es") != []


def test_tokens_follow_text2nums_token_protocol():
    # text2num calls these three from its Rust side: a missing one panics there
    from mtreview.bilingual.quantities import _Token

    token = _Token("ocho", 0, 4)
    assert (token.text(), token.nt_separated(token), token.not_a_number_part()) == ("ocho", False, False)
