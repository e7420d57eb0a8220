"""Bilingual files as translation tools export them (XLIFF 1.2 and 2.0, TMX, two-column TSV
and CSV): the target segments are the prose, at the file's own offsets, paired with the source
segments; markup and the source are never flagged; bad input is a one-line error naming the
file and line; `mtreview fix` rewrites target text only."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import checked_findings
from mtreview.loaders import SUFFIXES, LoadOptions, load

DATA = Path(__file__).resolve().parent / "data" / "bilingual"
GARBLE = "garble.det-in-order-to"
WEEKDAY = "calque.this-weekday"
OMISSION = "bilingual.omission"
SELECT = ("--select", f"garble,calque,{OMISSION}")


def where(text: str, context: str, needle: str) -> int:
    """The offset of ``needle`` inside ``context``, which occurs once in ``text``."""
    assert text.count(context) == 1, context
    return text.index(context) + context.index(needle)


# file, source language, (rule, context, needle) expected, the untranslated source, extra flags
FIXTURES = [
    ("talks.es-en.xlf", "es", [
        (WEEKDAY, '<g id="1">this Monday</g>', "this Monday"),
        (GARBLE, "</g> with the in order to coordinate the response", "with the in order to"),
    ], "Se prevé una segunda ronda de conversaciones el mes próximo en Viena.", ()),
    ("summit.fr-en.xliff", "fr", [
        (WEEKDAY, 'dataRefEnd="d2">this Monday', "this Monday"),
        (GARBLE, "They talked with the in order to", "with the in order to"),
    ], "Un deuxième sommet est prévu le mois prochain à Bruxelles.", ()),
    ("memory.es-en.tmx", "es", [
        (WEEKDAY, "</bpt>this Monday<ept", "this Monday"),
        (GARBLE, "They met with the in order to agree", "with the in order to"),
    ], "El portavoz no quiso hacer más comentarios sobre la reunión.", ()),
    ("talks.es-en.tsv", "es", [
        (WEEKDAY, "The ministers met this Monday", "this Monday"),
        (GARBLE, "They met with the in order to", "with the in order to"),
    ], "El portavoz no quiso hacer más comentarios sobre la reunión.", ()),
    # the header names columns, not languages: the language is the run's
    ("talks.es-en.csv", "es", [
        (GARBLE, "He met them with the in order to", "with the in order to"),
    ], "El portavoz no quiso hacer más comentarios sobre la reunión.", ("-s", "es")),
]


@pytest.mark.parametrize(("name", "lang", "expected", "untranslated", "flags"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_target_segments_are_checked_at_the_files_offsets(cli, name, lang, expected, untranslated, flags):
    path = DATA / name
    text = path.read_bytes().decode("utf-8")
    found = checked_findings(cli, path, *SELECT, *flags)  # text at its offsets, line and column: the file's
    # only the targets' garble and calque: not the copies in sources, attributes, notes, codes,
    # earlier matches (<alt-trans>) or a unit marked translate="no"
    got = sorted((f["rule"], f["start"]) for f in found if f["rule"] != OMISSION)
    assert got == sorted((rule, where(text, context, needle)) for rule, context, needle in expected)
    for f in found:
        aligned = f["aligned_source"]
        assert aligned["path"] == str(path)
        assert aligned["text"] == text[aligned["start"] : aligned["end"]]
    garble = next(f for f in found if f["rule"] == GARBLE)
    source = garble["aligned_source"]["text"]
    assert "con el fin de" in source or "afin de" in source, source  # the unit's own source
    (omission,) = (f for f in found if f["rule"] == OMISSION)
    assert omission["aligned_source"]["text"] == untranslated
    result = cli("check", path, "--format", "json", "--no-grammar", "--fail-on", "never", *flags)
    (file,) = result.json()["files"]
    assert (file["source_path"], file["source_lang"]) == (str(path), lang)


def test_garble_line_and_column_are_the_files(cli):
    path = DATA / "talks.es-en.xlf"
    (garble,) = [f for f in checked_findings(cli, path, *SELECT) if f["rule"] == GARBLE]
    assert (garble["line"], garble["column"]) == (14, 89)


def test_crlf_and_non_ascii_keep_offsets(cli, write):
    text = (DATA / "talks.es-en.xlf").read_text(encoding="utf-8").replace("\n", "\r\n")
    text = text.replace("NATO ministers meet in Brussels", "NATO’s ministers — «all» — meet in Brussels")
    path = write("crlf.xlf", text)
    found = checked_findings(cli, path, *SELECT)
    assert [f["text"] for f in found if f["rule"] == GARBLE] == ["with the in order to"]


# -- what is prose ------------------------------------------------------------------------
# p: target text (prose), s: source text, n: neither. Non-ASCII in markup shifts byte offsets.
XLIFF_1 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="n1" source-language="es-ES" target-language="en-US" datatype="plaintext">
<header><note>ñ n2</note></header>
<body>
<group id="n3">
<trans-unit id="n4" resname="n5">
<source>s1 <g id="n6">s2</g> s3&amp;s4</source>
<seg-source><mrk mtype="seg" mid="1">n7</mrk></seg-source>
<target state="translated">p1 <g id="n8">p2 <x id="n9"/>p3</g> p4&amp;p5&#233;p6 <bpt id="n10">&lt;b n11&gt;</bpt>p7<ept id="n12">&lt;/b&gt;</ept> <![CDATA[p8 p9]]> <ph id="n13">{n14}</ph> <mrk mtype="term">p10</mrk></target>
<alt-trans match-quality="80"><source>n15</source><target>n16</target></alt-trans>
<note>n17</note>
</trans-unit>
<!-- n18 -->
<trans-unit id="n19" translate="no"><source>n20</source><target>n21</target></trans-unit>
<trans-unit id="n22"><source>s5 é</source><target>p11 <g id="n23">é p12</g></target></trans-unit>
</group>
</body>
</file>
</xliff>
"""
XLIFF_2 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="es" trgLang="en">
<file id="n1"><notes><note>ñ n2</note></notes>
<unit id="n3" name="n4">
<originalData><data id="n5">&lt;b&gt;n6</data></originalData>
<segment id="n7"><source>s1 <pc id="n8">s2</pc></source><target>p1 <pc id="n9" dataRefStart="n5">p2</pc> p3<ph id="n10"/>p4&lt;p5 <sc id="n11"/>p6<ec startRef="n11"/> <mrk id="n12" translate="no">p7</mrk><cp hex="0001"/>p8</target></segment>
<ignorable><source> </source><target> </target></ignorable>
<segment id="n13"><source>s3</source><target>p9</target></segment>
</unit>
<unit id="n14" translate="no"><segment><source>n15</source><target>n16</target></segment></unit>
</file>
</xliff>
"""
TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
<header creationtool="n1" srclang="es-ES" adminlang="en" segtype="sentence" o-tmf="n2" datatype="plaintext"><note>ñ n3</note></header>
<body>
<tu tuid="n4"><prop type="n5">n6</prop><note>n7</note>
<tuv xml:lang="es-ES"><prop type="x">n8</prop><seg>s1 <hi>s2</hi></seg></tuv>
<tuv xml:lang="en-US"><note>n9</note><seg>p1 <bpt i="1">&lt;b n10&gt;</bpt>p2<ept i="1">&lt;/b&gt;</ept> <hi type="n11">p3</hi> <ph>n12<sub>n13</sub></ph>p4 <ut>n14</ut>p5&amp;p6</seg></tuv>
<tuv xml:lang="fr-FR"><seg>n15</seg></tuv>
</tu>
<tu><tuv xml:lang="en-US"><seg>p7</seg></tuv><tuv xml:lang="es-ES"><seg>s3</seg></tuv></tu>
</body>
</tmx>
"""
TSV = "es\ten\ns1 ñ\tp1 p2\n\ns2 s3\tp3 p4\n"
CSV = 'source,target\ns1 ñ,p1 p2\n"s2, ""s3""\ns4","p3, ""p4""\np5"\n\ns5,p6\n'


@pytest.mark.parametrize(("name", "text", "units"), [
    ("a.xlf", XLIFF_1, 2), ("a.xliff", XLIFF_2, 2), ("a.tmx", TMX, 2), ("a.tsv", TSV, 2), ("a.csv", CSV, 3),
])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_target_segments_are_the_prose_and_sources_the_source(name, text, units, newline):
    text = text.replace("\n", newline)
    doc = load(text, name, LoadOptions(source_lang="es"))
    source = doc.source.doc
    for scan, mark in ((doc.scan_text, "p"), (source.scan_text, "s")):
        assert len(scan) == len(text)
        for m in re.finditer(rf"\b{mark}\d+", text):
            assert scan[m.start() : m.end()] == m.group(), (m.group(), scan)
        assert not re.search(r"n\d+|[<>&\"]", scan), scan
        assert not re.search("ps"[mark == "p"] + r"\d+", scan), scan
    # each unit is a paragraph of its own (and the header row is no unit)
    assert len(doc.paragraphs) == len(source.paragraphs) == units
    assert not [link for link in doc.source.links if link.target.start == link.target.end
                or link.source.start == link.source.end]
    assert doc.source.lang == "es"


def test_a_sentence_never_runs_from_one_segment_into_the_next(cli, write):
    path = write("split.tsv", "Se reunieron con el fin\tThey met with the\nde hablar.\tin order to talk.\n")
    assert checked_findings(cli, path, *SELECT, "-s", "es") == []


def test_a_language_header_names_the_source_language():
    doc = load("fr-FR,en-GB\nIls ont parlé.,They talked.\n", "a.csv", LoadOptions())
    assert doc.source.lang == "fr"
    assert len(doc.paragraphs) == 1


def test_a_first_row_of_prose_is_no_header():
    doc = load("No\tNo\nSí\tYes\n", "a.tsv", LoadOptions(source_lang="es"))
    assert [doc.text[p.start : p.end] for p in doc.paragraphs] == ["No", "Yes"]


# -- suppressions ---------------------------------------------------------------------------
def test_xml_comments_are_suppression_directives(cli, write):
    text = (DATA / "memory.es-en.tmx").read_text(encoding="utf-8")
    text = text.replace('<tu tuid="2">', '<!-- mtreview-disable garble -->\n    <tu tuid="2">')
    text = text.replace('<tu tuid="3">', '<!-- mtreview-enable garble -->\n    <tu tuid="3">')
    path = write("quiet.tmx", text)
    rules = [f["rule"] for f in checked_findings(cli, path, *SELECT)]
    assert GARBLE not in rules and WEEKDAY in rules


def test_a_directive_on_the_line_before_a_target_covers_it(cli, write):
    text = (DATA / "talks.es-en.xlf").read_text(encoding="utf-8")
    text = text.replace('<target xml:lang="en-US" state="translated">The ministers met',
                        '<!-- mtreview-disable-next-line garble -->\n<target xml:lang="en-US" state="translated">The ministers met')
    path = write("quiet.xlf", text)
    rules = [f["rule"] for f in checked_findings(cli, path, *SELECT)]
    assert GARBLE not in rules and WEEKDAY in rules


# -- fixes ----------------------------------------------------------------------------------
TAG_RE = re.compile(r"<[^>]*>")
TARGET_RE = re.compile(r"(<target\b[^>]*>).*?(</target>)", re.DOTALL)


@pytest.mark.parametrize("name", ["talks.es-en.xlf", "summit.fr-en.xliff"])
def test_fix_rewrites_target_text_only(cli, tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(DATA / name, path)
    before = path.read_text(encoding="utf-8")
    result = cli("fix", path, "--write", "--unsafe", "-s", "es")
    assert result.code == 0, result.output
    after = path.read_text(encoding="utf-8")
    assert after != before
    ET.fromstring(after.encode("utf-8"))  # still well-formed
    assert TAG_RE.findall(after) == TAG_RE.findall(before)  # every tag byte for byte
    assert TARGET_RE.sub(r"\1\2", after) == TARGET_RE.sub(r"\1\2", before)  # nothing outside a target changed
    # the target's garble and calque, not the copies elsewhere (an <alt-trans> target, notes, attributes)
    assert after.count("with the in order to") == before.count("with the in order to") - 1
    assert after.count(">on Monday</") == 1
    again = cli("check", path, *SELECT, "--no-grammar", "-s", "es", "--format", "json", "--fail-on", "never")
    assert GARBLE not in {f["rule"] for f in again.json()["files"][0]["findings"]}


# -- folders ----------------------------------------------------------------------------------
def test_a_folder_takes_xliff_and_tmx_but_not_data_files(cli, tmp_path):
    folder = tmp_path / "job"
    folder.mkdir()
    for name in ("talks.es-en.xlf", "summit.fr-en.xliff", "memory.es-en.tmx", "talks.es-en.tsv", "talks.es-en.csv"):
        shutil.copyfile(DATA / name, folder / name)
    result = cli("check", folder, "--no-grammar", "--no-scores", "--format", "json", "--fail-on", "never")
    assert result.code == 0, result.output
    assert sorted(Path(f["path"]).name for f in result.json()["files"]) == [
        "memory.es-en.tmx", "summit.fr-en.xliff", "talks.es-en.xlf"]
    assert {".xlf", ".xliff", ".tmx"} <= set(SUFFIXES) and not {".tsv", ".csv"} & set(SUFFIXES)


# -- bad input --------------------------------------------------------------------------------------
UNIT = '<trans-unit id="1"><source>Hola.</source><target>Hello.</target></trans-unit>'


def xliff(body: str, target: str = "en-US") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
            f'<file original="a.txt" source-language="es-ES" target-language="{target}" datatype="plaintext">\n'
            f"<body>\n{body}\n</body>\n</file>\n</xliff>\n")


ERRORS = [
    ("broken.xlf", xliff(UNIT + "\n" + UNIT.replace("</target>", "</source>")), 6,
     r"not well-formed XML \(mismatched tag\); fix the file or export it again"),
    ("nosource.xlf", xliff(UNIT + '\n<trans-unit id="2">\n<target>They met.</target>\n</trans-unit>'), 6,
     r"a <trans-unit> with a target but no source; add its source or delete it"),
    ("french.xlf", xliff(UNIT, target="fr-FR"), 3, r'target-language="fr-FR": mtreview reviews translations into English'),
    ("english-source.xlf", xliff(UNIT, target="en-US").replace('source-language="es-ES" target-language="en-US"',
                                                               'source-language="en"'), 3, r'source-language="en": the source is English'),
    ("german.xliff", ('<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="es"\n trgLang="de">'
                      "<file id='f'><unit id='u'><segment><source>Hola.</source><target>Hallo.</target></segment>"
                      "</unit></file></xliff>"), 1, r'trgLang="de": mtreview reviews translations into English'),
    ("french.tmx", ('<tmx version="1.4"><header srclang="es" segtype="sentence" adminlang="en" o-tmf="x" datatype="plaintext"'
                    ' creationtool="x" creationtoolversion="1"/><body>\n\n<tu><tuv xml:lang="es"><seg>Hola.</seg></tuv>'
                    '<tuv xml:lang="fr"><seg>Salut.</seg></tuv></tu></body></tmx>'), 3, r'a translation into "fr", not English'),
    ("english-source.tmx", ('<tmx version="1.4"><header srclang="en-US"/><body>\n<tu><tuv xml:lang="en-US"><seg>Hi.</seg>'
                            '</tuv><tuv xml:lang="es"><seg>Hola.</seg></tuv></tu></body></tmx>'), 2,
     r'srclang="en-US": the source is English'),
    ("nosource.tmx", ('<tmx version="1.4"><header srclang="es"/><body>\n<tu><tuv xml:lang="en"><seg>Hi.</seg></tuv></tu>'
                      "</body></tmx>"), 2, r"a <tu> with a target but no source"),
    # entities that expand to gigabytes ("billion laughs") are never declared
    ("bomb.xlf", ('<?xml version="1.0"?>\n<!DOCTYPE xliff [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;">\n]>\n'
                  "<xliff>&b;</xliff>"), 2, r"a DOCTYPE with declarations \(entities are not read\)"),
    ("empty.xlf", "  \n", 1, r"empty file"),
    ("nounits.xlf", xliff(""), 1, r"no segment with text"),
    ("notxliff.xlf", '<?xml version="1.0"?>\n<html><body>Hi</body></html>', 2, r"not XLIFF \(the root element is <html>"),
    ("fields.tsv", "es\ten\n" + "Hola.\tHello.\n" * 5 + "Hola.\tHello.\tHi.\n", 7, r"3 fields, expected 2 \(source, target\)$"),
    ("one.tsv", "Hola.\tHello.\nHola sin tabulador\n", 2, r"1 field, expected 2 \(source, target\)"),
    ("fields.csv", "Hola.,Hello.\nHola, amigo.,\"Hello, friend.\"\n", 2, r"3 fields, expected 2 \(source, target\) \(quote a field"),
    ("open.csv", 'Hola.,Hello.\n"Hola.,Hello.\n', 2, r"a quoted field is not closed"),
    ("after.csv", 'Hola.,"Hello" there\n', 1, r"text after a closing quote"),
    ("nosource.csv", "Hola.,Hello.\n,Goodbye.\n", 2, r"a target but no source; fill in the source or delete the row"),
    ("empty.csv", "", 1, r"empty file"),
    ("header.tsv", "source\ttarget\n", 1, r"no segment with text"),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_input_is_a_one_line_error_naming_file_and_line(cli, write, name, text, line, message):
    path = write(name, text)
    result = cli("check", path, "--no-grammar")
    assert result.code == 2, result.output
    assert result.out == ""
    assert result.err.count("\n") == 1, result.err
    err = result.err.strip().removeprefix("mtreview: error: ")
    assert err.startswith(f"{path}:{line}: ") and re.search(message, err), err


def test_an_external_dtd_is_not_read(cli, write):
    text = (DATA / "memory.es-en.tmx").read_text(encoding="utf-8").replace(
        '"tmx14.dtd"', '"http://127.0.0.1:9/tmx14.dtd"')
    path = write("remote.tmx", text)
    assert any(f["rule"] == GARBLE for f in checked_findings(cli, path, *SELECT))
