"""Matching: phrases, token sequences over word classes, regex rules, and the
unless_before/unless_after guards, through the engine as a real run uses them."""

from __future__ import annotations

import pytest

from helpers import check_text, make_rule, spans
from mtreview.errors import MtreviewError
from mtreview.rule import match_case, render


def found(text, *rules, rule=None):
    return [(f.rule, f.text) for f in check_text(text, list(rules)) if rule is None or f.rule == rule]


def texts(text, *rules):
    return [f.text for f in check_text(text, list(rules))]


# -- phrases ------------------------------------------------------------------------------------
ORDER = make_rule("t.order", phrase="order")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("In order.", ["order"]),
        ("order", ["order"]),
        ("(order)", ["order"]),
        ("“order”, he said", ["order"]),
        ("border orders reorder disorderly order_x x_order", []),
        ("order-made", ["order"]),  # a hyphen is not a word character
        ("Order ORDER", ["Order", "ORDER"]),  # case-insensitive by default
    ],
)
def test_phrase_word_boundaries(text, expected):
    assert texts(text, ORDER) == expected


def test_multiword_phrase_does_not_match_inside_words():
    rule = make_rule("t.in-order-to", phrase="in order to")
    assert texts("within order to, in order today, in order to go", rule) == ["in order to"]


@pytest.mark.parametrize("phrase", ["don't know", "don’t know"])
@pytest.mark.parametrize("text", ["I don't know.", "I don’t know.", "I DON’T KNOW."])
def test_curly_and_straight_apostrophes(phrase, text):
    (hit,) = texts(text, make_rule("t.dont", phrase=phrase))
    assert hit == text[2:-1]


@pytest.mark.parametrize("gap", ["  ", "\n", "\r\n", " \t\n ", "\u00a0"])
def test_whitespace_and_newlines_inside_phrases(gap):
    text = f"We met in{gap}order to talk."
    (f,) = check_text(text, [make_rule("t.iot", phrase="in order  to")])
    assert f.text == f"in{gap}order to" == text[f.start : f.end]
    assert f.start == 7


def test_phrase_does_not_cross_a_missing_space():
    assert texts("inorder to", make_rule("t.iot", phrase="in order to")) == []


@pytest.mark.parametrize(
    "text, suggestion",
    [
        ("we met in order to talk", "to"),
        ("We met. In order to talk", "To"),
        ("IN ORDER TO TALK", "TO"),
        ("In Order To talk", "To"),
    ],
)
def test_case_preserved_in_suggestions(text, suggestion):
    rule = make_rule("t.iot", phrase="in order to", suggest="to", fix="safe",
                     examples={"bad": [{"text": "[in order to] go", "fixed": "to go"}], "good": ["x"]})
    (f,) = check_text(text, [rule])
    assert f.suggestions == (suggestion,)


@pytest.mark.parametrize(
    "replacement, original, expected",
    [
        ("on Monday", "this Monday", "on Monday"),
        ("on Monday", "This Monday", "On Monday"),
        ("on monday", "THIS MONDAY", "ON MONDAY"),
        ("NATO", "the nato", "NATO"),
        ("“quoted”", "Word", "“Quoted”"),
        ("", "Anything", ""),
        ("iPhone", "Iphone", "IPhone"),
        ("x", "A", "X"),  # one capital letter is Title, not UPPER
    ],
)
def test_match_case(replacement, original, expected):
    assert match_case(replacement, original) == expected


def test_case_sensitive_phrase():
    rule = make_rule("t.us", phrase="US", case="sensitive")
    assert texts("The US and us and Us.", rule) == ["US"]


def test_several_phrases_and_rules_sharing_a_phrase():
    a = make_rule("t.a", phrases=["big deal", "big"])
    b = make_rule("t.b", phrase="big deal")
    assert found("It is a big deal.", a, b) == [("t.a", "big deal"), ("t.b", "big deal")]
    # the same rule reports one finding for one stretch: "big" inside "big deal" is dropped
    assert found("A big one and a big deal.", a) == [("t.a", "big"), ("t.a", "big deal")]


def test_phrase_with_punctuation():
    rule = make_rule("t.us", phrases=["U.S.", "e.g."], case="sensitive")
    assert texts("The U.S. army, e.g. tanks; the US.", rule) == ["U.S.", "e.g."]


def test_overlapping_phrases_of_different_rules_all_found():
    a = make_rule("t.a", phrase="the in order")
    b = make_rule("t.b", phrase="in order to")
    assert found("with the in order to talk", a, b) == [("t.a", "the in order"), ("t.b", "in order to")]


# -- token sequences ----------------------------------------------------------------------------
THIS_WEEKDAY = make_rule(
    "t.this-weekday", tokens=["this", "<weekday>"], suggest="on {2}", message="“{1} {2}”", fix="safe",
    examples={"bad": [{"text": "[this Monday]", "fixed": "on Monday"}], "good": ["x"]},
)


def test_tokens_over_word_classes_with_captures():
    (f,) = check_text("They meet this Wednesday in Paris.", [THIS_WEEKDAY])
    assert f.text == "this Wednesday" and f.suggestions == ("on Wednesday",)
    assert f.message == "“this Wednesday”"
    (g,) = check_text("This Friday, they meet.", [THIS_WEEKDAY])
    assert g.suggestions == ("On Friday",)
    assert check_text("this week and this Mondayish", [THIS_WEEKDAY]) == []


DET_IOT = make_rule(
    "t.det-iot", tokens=["<preposition>?", "<determiner>", "in order to"], suggest="{3}",
    message="[{1}|{2}|{3}]", fix="safe",
    examples={"bad": [{"text": "[with the in order to]", "fixed": "in order to"}], "good": ["x"]},
)


@pytest.mark.parametrize(
    "text, matched, message",
    [
        ("They met with the in order to talk.", "with the in order to", "[with|the|in order to]"),
        ("They called the in order to ask.", "the in order to", "[|the|in order to]"),
        ("FOR THIS IN ORDER TO", "FOR THIS IN ORDER TO", "[FOR|THIS|IN ORDER TO]"),
        ("with the\nin  order to go", "with the\nin  order to", "[with|the|in order to]"),
    ],
)
def test_tokens_optional_item_and_numbered_captures(text, matched, message):
    (f,) = check_text(text, [DET_IOT])
    assert f.text == matched and f.message == message
    assert f.suggestions[0].lower() == "in order to"


def test_tokens_without_the_required_item_do_not_match():
    assert check_text("They met with in order to talk. In order to go.", [DET_IOT]) == []


def test_tokens_alternatives_and_multiword_class_entries():
    rule = make_rule("t.title-said", tokens=["the", "<title>", "said|says"], message="{2}/{3}")
    fs = check_text("Then the prime minister said no, and the mayor says yes; the prime said.", [rule])
    assert [(f.text, f.message) for f in fs] == [("the prime minister said", "prime minister/said"),
                                                ("the mayor says", "mayor/says")]


def test_tokens_unknown_word_class_names_the_rule():
    with pytest.raises(MtreviewError, match=r"t\.bad-class.*<nonesuch>"):
        check_text("x", [make_rule("t.bad-class", tokens=["<nonesuch>", "word"])])


def test_case_sensitive_tokens():
    rule = make_rule("t.articles", tokens=["the|The", "a|an"], case="sensitive", message="{1}+{2}")
    assert texts("The a team, the an apple, THE A, the A-team.", rule) == ["The a", "the an"]


# -- regex rules ------------------------------------------------------------------------------
def test_regex_rules_matching_at_the_same_position_are_all_found():
    a = make_rule("t.a", regex=r"foo")
    b = make_rule("t.b", regex=r"foo\w*")
    c = make_rule("t.c", regex=r"fo")
    assert sorted(found("a foobar b", a, b, c)) == [("t.a", "foo"), ("t.b", "foobar"), ("t.c", "fo")]


def test_regex_rules_matching_at_overlapping_positions_are_all_found():
    a = make_rule("t.a", regex=r"abc")
    b = make_rule("t.b", regex=r"bcd")
    c = make_rule("t.c", regex=r"cd\b")
    assert found("xabcd", a, b, c) == [("t.a", "abc"), ("t.b", "bcd"), ("t.c", "cd")]


def test_regex_rules_with_captures_lookbehind_and_case_flags():
    percent = make_rule("t.percent", regex=r"(?<=\s)(\d+) per ?cent\b", suggest="{1}%", fix="unsafe",
                        examples={"bad": [{"text": "it rose [5 per cent]", "fixed": "it rose 5%"}], "good": ["x"]})
    shout = make_rule("t.shout", regex=r"\b[A-Z]{5,}\b")
    quiet = make_rule("t.quiet", regex=r"\bkyiv\b", case="insensitive", suggest="Kyiv")
    fs = check_text("It rose 5 per cent and 7 percent in KYIV, SHOUTING in kyiv.", [percent, shout, quiet])
    assert [(f.rule, f.text, f.suggestions) for f in fs] == [
        ("t.percent", "5 per cent", ("5%",)),
        ("t.percent", "7 percent", ("7%",)),
        ("t.quiet", "KYIV", ("Kyiv",)),
        ("t.shout", "SHOUTING", ()),
        ("t.quiet", "kyiv", ("Kyiv",)),
    ]


def test_regex_rules_with_backreferences_run_alongside_others():
    double = make_rule("t.double", regex=r"\b(\w+) \1\b")
    other = make_rule("t.other", regex=r"\bthe\b")
    assert found("see the the end", double, other) == [("t.other", "the"), ("t.double", "the the"), ("t.other", "the")]


def test_regex_rules_with_the_same_group_name():
    # Rules are written independently; two may well both name a group "word".
    a = make_rule("t.a", regex=r"(?P<word>foo)bar", message="a {word}")
    b = make_rule("t.b", regex=r"(?P<word>baz)qux", message="b {word}")
    fs = check_text("foobar and bazqux", [a, b])
    assert [(f.rule, f.message) for f in fs] == [("t.a", "a foo"), ("t.b", "b baz")]


def test_regex_rules_with_inline_global_flags():
    a = make_rule("t.a", regex=r"(?i)nato\b")
    b = make_rule("t.b", regex=r"Nato")
    assert sorted(found("Nato and NATO", a, b)) == [("t.a", "NATO"), ("t.a", "Nato"), ("t.b", "Nato")]


def test_regex_matches_in_repeated_positions_reported_once_per_stretch():
    rule = make_rule("t.dots", regex=r"\.{2,}")
    assert texts("Wait.... what..", rule) == ["....", ".."]


# -- unless_before / unless_after -----------------------------------------------------------------
def test_unless_before():
    rule = make_rule("t.alert", phrase="alert", unless_before=r"\bhigh\s+|“high”\s+")
    assert texts("an alert, a high alert, on “high” alert, highalert", rule) == ["alert"]


def test_unless_after():
    rule = make_rule("t.order", phrase="order", unless_after=r"\s+to\b")
    assert texts("in order to go; in order now; in order toward", rule) == ["order", "order"]


def test_unless_guards_ignore_case_whatever_the_rule_case():
    insensitive = make_rule("t.a", phrase="alert", unless_before=r"high ", unless_after=r" level")
    sensitive = make_rule("t.b", phrase="alert", case="sensitive", unless_before=r"high ", unless_after=r" level")
    assert found("HIGH alert, an alert LEVEL, an alert.", insensitive, sensitive) == [("t.a", "alert"), ("t.b", "alert")]


def test_unless_before_alternatives_are_anchored_together():
    # "a|b" must mean "(a|b) right before the match", not "a anywhere, or b right before"
    rule = make_rule("t.alert", phrase="alert", unless_before=r"high |red ")
    assert texts("high ground and an alert", rule) == ["alert"]


# -- templates ------------------------------------------------------------------------------------
def test_render_templates():
    assert render("on {2} ({0})", {"0": "this Monday", "2": "Monday"}) == "on Monday (this Monday)"
    assert render("{{literal}} {missing}", {}) == "{literal} "
    assert render("{word}", {"word": "x"}) == "x"


def test_render_filters():
    caps = {"1": "prime minister", "2": "of the state"}
    assert render("{1|cap}", caps) == "Prime minister"
    assert render("{1|upper}/{1|lower}", {"1": "Kyiv"}) == "KYIV/kyiv"
    assert render("{2|title}", caps) == "Of the State"


def test_unknown_template_filter_is_rejected():
    from mtreview.rule import rule_from_dict

    with pytest.raises(MtreviewError, match="t.filter.*unknown template filter 'shout'"):
        rule_from_dict(make_rule("t.filter", suggest="{0|shout}"), "t", "here:1")


def test_a_regex_whose_matches_begin_with_white_space_is_found():
    # its literal prefixes (" ,", " .") begin with a space: the scan must keep it
    rule = make_rule("x.space", regex=r"(?<=\w)[ \t]+(?P<p>[,.])", examples={"bad": ["a[ ,]"], "good": ["a,"]})
    text = "The talks , which began .\nThen  , again."
    assert spans(check_text(text, [rule])) == [(9, 11, " ,"), (23, 25, " ."), (30, 33, "  ,")]
