"""The Document model: decoding, offsets and line:column, paragraphs, headings, sentences, words."""

from __future__ import annotations

import pytest

from helpers import check_text, line_col
from mtreview.document import Document, Span, is_heading
from mtreview.errors import MtreviewError
from mtreview.inputs import decode, read_document


def sentences(text: str) -> list[str]:
    doc = Document(text)
    return [text[s.start : s.end] for s in doc.sentences]


# -- decoding ------------------------------------------------------------------------------
def test_bom_removed_and_offsets_index_the_decoded_text(tmp_path, cli):
    body = "with the in order to talk.\nAnd with the in order to eat."
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    doc = read_document(path)
    assert doc.text == body and not doc.text.startswith("\ufeff")
    result = cli("check", "-f", "json", "--select", "garble.det-in-order-to", path)
    found = result.json()["files"][0]["findings"]
    assert [(f["start"], f["line"], f["column"]) for f in found] == [(0, 1, 1), (31, 2, 5)]
    for f in found:
        assert body[f["start"] : f["end"]] == f["text"] == "with the in order to"


def test_decode_keeps_line_endings_and_non_ascii():
    assert decode("a\r\nb\rc\nÉlysée".encode(), "x") == "a\r\nb\rc\nÉlysée"
    assert decode(b"\xef\xbb\xbf", "x") == ""


@pytest.mark.parametrize(
    "data, offset",
    [(b"ok\n\xff", 3), (b"\xef\xbb\xbfab\xc3", 5), (b"caf\xc3\xa9 \xe2\x80", 6)],
)
def test_decode_invalid_utf8_names_byte_offset(data, offset):
    with pytest.raises(MtreviewError, match=rf"invalid UTF-8 at byte offset {offset}\b"):
        decode(data, "f.txt")


def test_decode_binary():
    with pytest.raises(MtreviewError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00", "img.txt")


# -- line endings ----------------------------------------------------------------------------
@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_line_col_with_any_line_ending(nl):
    text = f"First line.{nl}Second one.{nl}{nl}Fourth here."
    doc = Document(text)
    for needle in ("First", "Second", "one", "Fourth", "here"):
        offset = text.index(needle)
        assert doc.line_col(offset) == line_col(text, offset), needle
    assert doc.line_col(text.index("Fourth")) == (4, 1)
    assert doc.line_col(text.index("one")) == (2, 8)


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_findings_offsets_into_original_string_with_any_line_ending(nl):
    text = f"Title here{nl}{nl}First paragraph.{nl}They met with the in order to talk.{nl}{nl}Then the the end."
    found = check_text(text, select=["garble.det-in-order-to", "repeat.word"])
    assert [(f.rule, f.text, f.line, f.column) for f in found] == [
        ("garble.det-in-order-to", "with the in order to", 4, 10),
        ("repeat.word", "the the", 6, 6),
    ]
    for f in found:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_phrase_across_line_break_keeps_original_characters(nl):
    text = f"They met with the in{nl}order to talk."
    (f,) = check_text(text, select=["garble.det-in-order-to"])
    assert f.text == f"with the in{nl}order to" == text[f.start : f.end]


# -- paragraphs and headings ---------------------------------------------------------------------
@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_paragraphs(nl):
    text = f"  Heading Here{nl}{nl}One sentence.{nl}Same paragraph.{nl} \t {nl}{nl}Last one.{nl}"
    doc = Document(text)
    paras = [(text[p.start : p.end], p.heading) for p in doc.paragraphs]
    assert paras == [
        ("Heading Here", True),
        (f"One sentence.{nl}Same paragraph.", False),
        ("Last one.", False),
    ]


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
def test_hard_wrapped_paragraph_same_findings_with_any_line_ending(nl):
    # A wrapped line must not become a paragraph (or a heading the checks skip).
    text = "Moscow demands guarantees. including\nmore things from the West today.\n".replace("\n", nl)
    found = check_text(text, select=["fragment.stray-period"])
    assert [(f.text, f.line, f.column) for f in found] == [(". including", 1, 26)]


@pytest.mark.parametrize(
    "text, heading",
    [
        ("The US puts its troops on “high” alert", True),
        ("For the Kremlin, it is a Western “hysteria”", True),
        ("2022 in review", True),
        ("“Quoted” title", True),
        ("With Reuters, EFE and AFP", False),  # a credit line
        ("By Jane Doe", False),  # a byline
        ("Byelection results", True),
        ("A full sentence ends with a period.", False),
        ("Is this a question?", False),
        ("He said: “we leave.”", False),
        ("lower-case start is not a heading", False),
        ("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen", False),
        ("Two\nlines", False),
        ("", False),
    ],
)
def test_heading_heuristics(text, heading):
    assert is_heading(text) is heading


def test_a_short_last_paragraph_is_not_a_heading():
    doc = Document("Troops move north\n\nThe army moved on Monday.\n\nMore on this story\n")
    assert [p.heading for p in doc.paragraphs] == [True, False, False]
    assert [p.heading for p in Document("Only a title\n").paragraphs] == [True]


def test_heading_is_one_sentence():
    doc = Document("Russia and the U.S. Talk Again\n\nThe talks began. They ended.")
    assert [(doc.text[s.start : s.end], s.paragraph) for s in doc.sentences] == [
        ("Russia and the U.S. Talk Again", 0),
        ("The talks began.", 1),
        ("They ended.", 1),
    ]


# -- sentences ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. Army arrived. Then it left.", ["The U.S. Army arrived.", "Then it left."]),
        ("Bring papers, e.g. Passports and visas. Then wait.", ["Bring papers, e.g. Passports and visas.", "Then wait."]),
        ("Mr. Smith met Mrs. Jones and Dr. Who. They talked.", ["Mr. Smith met Mrs. Jones and Dr. Who.", "They talked."]),
        ("It rained. The match was off! Was it? Yes.", ["It rained.", "The match was off!", "Was it?", "Yes."]),
        ("“We left.” Then she came.", ["“We left.”", "Then she came."]),
        ("It ended. 2022 was hard.", ["It ended.", "2022 was hard."]),
        ("It grew 5.5 percent. Sales rose.", ["It grew 5.5 percent.", "Sales rose."]),
        ("It ended in the south. from Ukraine.", ["It ended in the south. from Ukraine."]),
        ("He joined NATO. Then he left.", ["He joined NATO.", "Then he left."]),
        ("No final punctuation", ["No final punctuation"]),
        ("It sank to 23 dollars. `This link matters,' he said.", ["It sank to 23 dollars.", "`This link matters,' he said."]),
        ('It closed at 17:00 GMT. " This is an opportunity ", he said.',
         ["It closed at 17:00 GMT.", '" This is an opportunity ", he said.']),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


def test_sentences_across_line_breaks_and_paragraphs():
    text = "One here.\nTwo here.\n\nThree."
    doc = Document(text)
    assert [(text[s.start : s.end], s.paragraph) for s in doc.sentences] == [
        ("One here.", 0),
        ("Two here.", 0),
        ("Three.", 1),
    ]


# -- words -----------------------------------------------------------------------------------
def test_words():
    text = "The so-called “deal” isn’t done, don't you think? 8,500 troops."
    doc = Document(text)
    words = [text[w.start : w.end] for w in doc.words()]
    assert words == ["The", "so-called", "deal", "isn’t", "done", "don't", "you", "think", "8", "500", "troops"]
    assert doc.word_count() == len(words)
    start = text.index("deal")
    assert [text[w.start : w.end] for w in doc.words(start, text.index("you"))] == ["deal", "isn’t", "done", "don't"]
    assert doc.word_count(start, start + 4) == 1


def test_word_count_of_empty_text():
    doc = Document("")
    assert doc.word_count() == 0 and doc.paragraphs == [] and doc.sentences == []


# -- prose regions ---------------------------------------------------------------------------
def test_scan_text_blanks_outside_regions_keeping_offsets():
    text = "prose with the in order to\n<code>with the in order to</code>\nmore"
    code = text.index("<code>")
    end = text.index("\nmore")
    doc = Document(text, regions=[Span(0, code), Span(end, len(text))])
    assert len(doc.scan_text) == len(text)
    assert doc.scan_text[code:end].strip() == ""
    assert doc.in_prose(0, 5) and not doc.in_prose(code, code + 3)
    from helpers import engine_for
    from mtreview.checker import Checker

    found = engine_for(select=["garble.det-in-order-to"]).check(doc)
    assert [(f.start, f.text) for f in found] == [(text.index("with"), "with the in order to")]
    assert isinstance(engine_for(select=["garble"]), Checker)


def test_count_words_is_the_number_of_word_matches_on_any_characters():
    import random

    from mtreview.document import _SIMPLE_WORD_RE, count_words

    # Word characters and joiners, ASCII and not, non-word characters of every kind
    # (a combining mark, an emoji with its variation selector, a lone surrogate, spaces).
    alphabet = list("ab9_ -'’") + ["é", "ß", "²", "\u0301", "⤵", "\ufe0f", "“", "—", "\u00a0", "\ud800", "\n", "."]
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 24)))
        assert count_words(text) == len(_SIMPLE_WORD_RE.findall(text)), repr(text)
