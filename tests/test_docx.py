"""The Word export: mtreview/report/docx.py (the .docx with tracked changes and comments),
`mtreview fix --docx`, the word-level difference it shows fixes as (mtreview/worddiff.py),
LibreOffice opening the file, and templates/docx.js writing the same XML in Chromium."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from helpers import REPO, SEED
from mtreview.document import Document
from mtreview.fixes import apply_edits, select_edits
from mtreview.model import Edit
from mtreview.report.docx import STATIC_PARTS, build_docx, comment_text, document_parts
from mtreview.worddiff import word_edits

DATE = "2026-12-03T22:00:00Z"
EPOCH = {"SOURCE_DATE_EPOCH": "1796335200"}  # 2026-12-03T22:00:00Z
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_JS = REPO / "mtreview" / "report" / "templates" / "docx.js"

# A text with what is hard: an edit across a paragraph break, astral characters (offsets in
# code points), a replacement with a paragraph break and one with a line break, a line break
# and a tab inside a paragraph, XML's special characters, control characters XML cannot
# hold, CRLF, two edits at one start (select_edits keeps one), an edit and a comment
# between paragraphs, empty and multi-line comments.
TRICKY_TEXT = ("Kyiv 🇺🇦 talks\r\n\r\nThe 😀 envoy said <yes> & \"no\"\x01\ufffe with the in order to.\nSecond line\there."
               "\r\n\r\nA third one 𝒳 ends.\r\n\r\n\r\nLast 🙂 para.")


def _tricky() -> dict:
    text = TRICKY_TEXT
    paragraphs = [(p.start, p.end, p.heading) for p in Document(text).paragraphs]
    garble = text.index("with the in order to")
    envoy = text.index("😀")
    across = text.index("here.")
    last = text.index("🙂")
    edits = [
        (garble, garble + 20, "in order to"),
        (envoy, envoy + 1, "🙃"),  # one astral character, replaced
        (envoy + 2, envoy + 7, "envoy\n\nA new paragraph,"),  # an inserted paragraph mark
        (across, text.index("Last") + 4, "here; the last"),  # across two paragraph marks
        (last + 1, last + 1, " <and>\nmore"),  # an insertion with a line break
        (0, 4, "K\U0001d4b3"),
        (0, 4, "K\uff21"),  # same span: U+FF21 wins (the lower code point), not U+1D4B3 (a lower UTF-16 unit)
        (paragraphs[0][1] + 1, paragraphs[0][1] + 2, "X"),  # between paragraphs: left out
    ]
    comments = [
        (0, 4, "On Kyiv\nline two\twith a tab & <b>"),
        (envoy, envoy, "a point"),
        (paragraphs[0][1] + 1, paragraphs[0][1] + 2, "between paragraphs"),
        (text.index("Second"), text.index("third"), "across paragraphs"),
        (len(text), len(text), ""),
    ]
    return {"text": text, "paragraphs": paragraphs, "edits": edits, "comments": comments}


# -- reading the Word file back ------------------------------------------------------------
def _parts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def _run_text(run, tags) -> str:
    out = []
    for el in run:
        if el.tag in tags:
            out.append(el.text or "")
        elif el.tag == W + "tab":
            out.append("\t")
        elif el.tag == W + "br":
            out.append("\n")
    return "".join(out)


def _views(document_xml: str) -> tuple[list[str], list[str]]:
    """The paragraphs with every change accepted, and with every change rejected (a deleted
    paragraph mark joins its paragraph to the next when accepted, an inserted one when rejected)."""
    accept, reject = [], []
    a_text = r_text = ""
    for p in ElementTree.fromstring(document_xml).iter(W + "p"):
        for child in p:
            if child.tag == W + "r":
                a_text += _run_text(child, {W + "t"})
                r_text += _run_text(child, {W + "t"})
            elif child.tag == W + "ins":
                a_text += "".join(_run_text(r, {W + "t"}) for r in child)
            elif child.tag == W + "del":
                r_text += "".join(_run_text(r, {W + "delText"}) for r in child)
        props = p.find(f"{W}pPr/{W}rPr")
        mark = None if props is None else "del" if props.find(W + "del") is not None else "ins"
        if mark != "del":
            accept.append(a_text)
            a_text = ""
        if mark != "ins":
            reject.append(r_text)
            r_text = ""
    return accept, reject


def _paragraphs(text: str) -> list[str]:
    """The paragraphs of a text as mtreview reads them, line breaks as "\\n"."""
    return [re.sub(r"\r\n|\r", "\n", text[p.start : p.end]) for p in Document(text).paragraphs]


def _revisions(document_xml: str) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(document_xml)
    return [el for el in root.iter() if el.tag in (W + "ins", W + "del")]


def _overlaps(f: dict, e: Edit) -> bool:
    return f["start"] == e.start or (f["start"] < e.end and e.start < f["end"])


@pytest.fixture
def article(tmp_path):
    path = tmp_path / SEED.name
    shutil.copyfile(SEED, path)
    return path


def _findings(cli, path) -> list[dict]:
    result = cli("check", path, "--format", "json")
    assert result.code in (0, 1), result.output
    return result.json()["files"][0]["findings"]


# -- the file itself -----------------------------------------------------------------------
def test_fix_docx_on_the_seed(cli, article, tmp_path):
    import docx

    original = article.read_bytes()
    out = tmp_path / "seed.docx"
    result = cli("fix", article, "--unsafe", "--docx", out, env=EPOCH)
    assert result.code == 0, result.output
    assert article.read_bytes() == original  # --docx without --write leaves the article alone
    assert result.out.startswith(f"--- a/{str(article).lstrip('/')}\n")  # the diff, as fix prints it
    fixed_copy = tmp_path / "fixed.txt"
    shutil.copyfile(SEED, fixed_copy)
    assert cli("fix", fixed_copy, "--unsafe", "--write").code == 0
    text, fixed = SEED.read_text(encoding="utf-8"), fixed_copy.read_text(encoding="utf-8")

    data = out.read_bytes()
    word = docx.Document(io.BytesIO(data))  # python-docx opens it
    assert {p.style.name for p in word.paragraphs} <= {"Normal", "Heading 1"}
    assert len(word.paragraphs) >= len(Document(text).paragraphs)
    assert word.core_properties.title == SEED.name and word.core_properties.author == "mtreview"

    parts = _parts(data)
    assert list(parts) == list(STATIC_PARTS)
    assert "<w:trackRevisions/>" in parts["word/settings.xml"]
    revisions = _revisions(parts["word/document.xml"])
    assert {el.tag for el in revisions} == {W + "ins", W + "del"}
    assert {el.get(W + "author") for el in revisions} == {"mtreview"}
    assert {el.get(W + "date") for el in revisions} == {DATE}
    ids = [el.get(W + "id") for el in revisions]
    assert len(ids) == len(set(ids))

    accept, reject = _views(parts["word/document.xml"])
    assert reject == _paragraphs(text)
    assert accept == _paragraphs(fixed)

    edits = word_edits(text, fixed)
    open_findings = [f for f in _findings(cli, SEED) if not any(_overlaps(f, e) for e in edits)]
    comments = ElementTree.fromstring(parts["word/comments.xml"]).findall(W + "comment")
    assert len(comments) == len(open_findings) > 0
    assert {c.get(W + "author") for c in comments} == {"mtreview"} and {c.get(W + "initials") for c in comments} == {"MT"}
    first = ["\n".join(_run_text(r, {W + "t"}) for p in comments[0] for r in p)]
    assert first == [comment_text(open_findings[0])]
    assert f"{out}: Word file of {article}: {len(edits)} tracked change(s), {len(comments)} comment(s)" in result.err


def _seed_decisions(findings: list[dict], text: str) -> tuple[dict, list[Edit]]:
    """Decisions on the seed: some accepted, one rejected, one edit of the editor's own that
    overlaps an accepted one; and the edits they make."""
    chosen = {"garble.det-in-order-to", "name.es.transliterated", "house.kyiv", "calque.this-weekday"}
    decisions, edits = {}, []
    for f in findings:
        if f["rule"] in chosen and f["suggestions"]:
            decisions[f"{f['rule']}@{f['start']}-{f['end']}"] = {"status": "accepted", "replacement": f["suggestions"][0]}
            edits.append(Edit(f["start"], f["end"], f["suggestions"][0]))
    rejected = next(f for f in findings if f["rule"] == "calque.in-the-face-of")
    decisions[f"{rejected['rule']}@{rejected['start']}-{rejected['end']}"] = {"status": "rejected", "replacement": None}
    start = text.index("Meanwhile,")
    garble = next(e for e in edits if e.replacement == "in order to")
    own = [{"id": "edit-1", "start": start, "end": start + 10, "replacement": "At the same time,"},
           {"id": "edit-2", "start": garble.start + 5, "end": garble.start + 8, "replacement": "a"}]  # loses to the garble fix
    edits += [Edit(e["start"], e["end"], e["replacement"]) for e in own]
    data = {"schema": "mtreview-decisions/2", "path": SEED.name, "hash": hashlib.sha256(text.encode()).hexdigest(),
            "decisions": decisions, "edits": own}
    return data, edits


def test_fix_docx_with_decisions(cli, article, tmp_path):
    text = article.read_text(encoding="utf-8")
    findings = _findings(cli, article)
    data, edits = _seed_decisions(findings, text)
    decisions = tmp_path / "seed.decisions.json"
    decisions.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "seed.docx"
    result = cli("fix", "--decisions", decisions, "--docx", out, env=EPOCH)
    assert result.code == 0, result.output
    assert article.read_text(encoding="utf-8") == text
    assert "1 chosen edit(s) not applied" in result.err

    parts = _parts(out.read_bytes())
    kept = select_edits(edits)
    assert len(kept) == len(edits) - 1
    accept, reject = _views(parts["word/document.xml"])
    assert reject == _paragraphs(text)
    assert accept == _paragraphs(apply_edits(text, edits))
    deleted = [el for el in _revisions(parts["word/document.xml"]) if el.tag == W + "del"]
    assert len(deleted) == sum(1 for e in kept if e.end > e.start)  # each edit one deletion (none crosses a paragraph)

    decided = set(data["decisions"])
    open_findings = [f for f in findings if f"{f['rule']}@{f['start']}-{f['end']}" not in decided
                     and not any(_overlaps(f, e) for e in kept)]
    comments = ElementTree.fromstring(parts["word/comments.xml"]).findall(W + "comment")
    assert len(comments) == len(open_findings)
    assert all("calque.in-the-face-of" not in ElementTree.tostring(c, encoding="unicode") for c in comments)

    written = cli("fix", "--decisions", decisions, "--docx", out, "--write", env=EPOCH)
    assert written.code == 0, written.output
    assert article.read_text(encoding="utf-8") == apply_edits(text, edits)


def test_the_same_input_gives_the_same_bytes(cli, article, tmp_path):
    t = _tricky()
    first = build_docx(t["text"], t["paragraphs"], t["edits"], t["comments"], DATE, title="a.txt")
    assert build_docx(t["text"], t["paragraphs"], t["edits"], t["comments"], DATE, title="a.txt") == first
    assert build_docx(t["text"], t["paragraphs"], t["edits"], t["comments"], "2026-12-04T08:00:00Z", title="a.txt") != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    assert cli("fix", article, "--docx", a, env=EPOCH).code == 0
    assert cli("fix", article, "--docx", b, env=EPOCH).code == 0
    assert a.read_bytes() == b.read_bytes()


def test_edits_across_paragraphs_and_astral_characters():
    t = _tricky()
    text = t["text"]
    parts = document_parts(text, t["paragraphs"], t["edits"], t["comments"], DATE)
    xml = parts["word/document.xml"]
    ElementTree.fromstring(xml)  # well-formed
    accept, reject = _views(xml)
    assert reject == _paragraphs(text.replace("\x01\ufffe", ""))  # characters XML cannot hold are left out
    in_document = [Edit(*e) for e in t["edits"][:-1]]  # the last one is between paragraphs
    assert accept == _paragraphs(apply_edits(text, in_document).replace("\x01\ufffe", ""))
    # offsets are code points: one astral character deleted, exactly
    assert '<w:delText xml:space="preserve">😀</w:delText>' in xml and "🙃" in xml
    assert '<w:delText xml:space="preserve">Kyiv</w:delText>' in xml and "K\uff21" in xml and "K\U0001d4b3" not in xml
    # the paragraph marks: two deleted by the edit across paragraphs, one inserted
    marks = re.findall(r"<w:rPr><w:(ins|del) [^>]*/></w:rPr></w:pPr>", xml)
    assert sorted(marks) == ["del", "del", "ins"]
    # XML: escaped, control characters left out, tabs and line breaks as elements
    assert "said &lt;yes&gt; &amp; &quot;no&quot; </w:t>" in xml and "\x01" not in xml and "\ufffe" not in xml
    assert "<w:tab/>" in xml and "<w:br/>" in xml and "\r" not in xml
    assert ">X<" not in xml  # the edit between paragraphs is left out
    comments = ElementTree.fromstring(parts["word/comments.xml"]).findall(W + "comment")
    assert len(comments) == 5
    assert [len(c.findall(W + "p")) for c in comments] == [2, 1, 1, 1, 1]
    assert xml.count("<w:commentRangeStart ") == xml.count("<w:commentRangeEnd ") == xml.count("<w:commentReference ") == 5


def test_edits_outside_every_paragraph_are_left_out():
    text = "<p>One two.</p>\n<p>Three four.</p>"
    paragraphs = [(3, 11, False), (19, 30, False)]
    edits = [(0, 3, "<div>"), (12, 16, ""), (3, 6, "1")]
    accept, reject = _views(document_parts(text, paragraphs, edits, [], DATE)["word/document.xml"])
    assert reject == ["One two.", "Three four."]
    assert accept == ["1 two.", "Three four."]


def test_bad_spans_are_refused():
    with pytest.raises(ValueError, match="outside the text"):
        build_docx("abc", [(0, 3, False)], [(2, 9, "x")], [], DATE)


def test_comment_text():
    assert comment_text({"message": "M", "suggestions": ["on Wednesday", "x"], "rule": "calque.this-weekday"}) == (
        "M\nSuggested: on Wednesday\ncalque.this-weekday")
    assert comment_text({"message": "M", "suggestions": [""], "rule": "r"}) == "M\nSuggested: (delete)\nr"
    assert comment_text({"message": "M", "suggestions": [], "rule": "r"}) == "M\nr"


def test_word_edits_turn_one_text_into_the_other():
    before = SEED.read_text(encoding="utf-8")
    rng = random.Random(3)
    words = re.findall(r"\w+|\W+", before)
    for _ in range(30):
        after_words = list(words)
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(len(after_words))
            after_words[i] = rng.choice(["", "X", " the ", "\n\n", "😀", after_words[i].upper()])
        after = "".join(after_words)
        edits = word_edits(before, after)
        assert apply_edits(before, edits) == after
        assert all(a.end < b.start for a, b in zip(edits, edits[1:]))  # in order, none touching the next
    assert word_edits("a b c", "a b c") == []
    assert word_edits("with the in order to talk", "in order to talk") == [Edit(0, 9, "")]


def test_docx_errors(cli, article, tmp_path):
    for args in [(article, article, "--docx", tmp_path / "o.docx"), (article, "--docx", article), (tmp_path, "--docx", tmp_path / "o.docx")]:
        result = cli("fix", *args)
        assert result.code == 2 and result.err.startswith("mtreview: error: ") and len(result.err.splitlines()) == 1, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [SEED.name]


# -- LibreOffice ---------------------------------------------------------------------------
def _soffice() -> str:
    """$MTREVIEW_SOFFICE, else soffice on PATH; a missing LibreOffice fails the test, never skips it."""
    wanted = os.environ.get("MTREVIEW_SOFFICE") or "soffice"
    found = shutil.which(wanted) or (shutil.which("libreoffice") if wanted == "soffice" else None)
    if not found:
        pytest.fail(f"No LibreOffice ({wanted!r} is not on PATH): run `make office` (it installs Debian's "
                    "libreoffice-writer-nogui), or `apt-get install -y libreoffice-writer-nogui` as root", pytrace=False)
    return found


def _convert(docx_path: Path, fmt: str, tmp_path: Path) -> Path:
    """LibreOffice's conversion of the file, headless, with a profile of this test's own."""
    home, out = tmp_path / "home", tmp_path / "converted"
    home.mkdir(exist_ok=True)
    env = dict(os.environ, HOME=str(home))
    proc = subprocess.run(
        [_soffice(), "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", fmt, "--outdir", str(out), str(docx_path)],
        capture_output=True, env=env, timeout=300, text=True,
    )
    converted = out / (docx_path.stem + "." + fmt)
    assert proc.returncode == 0 and converted.is_file(), f"soffice failed ({proc.returncode}): {proc.stdout}\n{proc.stderr}"
    assert converted.stat().st_size > 0
    return converted


def test_libreoffice_reads_the_changes_and_comments(cli, article, tmp_path):
    t = _tricky()
    path = tmp_path / "tricky.docx"
    path.write_bytes(build_docx(t["text"], t["paragraphs"], t["edits"], t["comments"], DATE, title="tricky.txt"))
    with zipfile.ZipFile(_convert(path, "odt", tmp_path)) as odt:
        content = odt.read("content.xml").decode("utf-8")
    assert "<text:tracked-changes" in content
    assert "<text:deletion>" in content and "<text:insertion>" in content
    assert content.count("<office:annotation ") + content.count("<office:annotation>") == len(t["comments"])
    assert "<dc:creator>mtreview</dc:creator>" in content
    seed = tmp_path / "seed.docx"
    assert cli("fix", article, "--docx", seed).code == 0
    assert _convert(seed, "pdf", tmp_path).read_bytes().startswith(b"%PDF")


# -- docx.js: the same file from the browser -------------------------------------------------
@pytest.fixture
def csp_free_page(browser):
    """A page whose context ignores Content-Security-Policy, so that a test can add docx.js to a
    review page (whose policy allows its own script only)."""
    context = browser.new_context(bypass_csp=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def _js_input(text: str, paragraphs, edits, comments) -> dict:
    return {"text": text, "paragraphs": [list(p) for p in paragraphs],
            "edits": [{"start": e[0], "end": e[1], "replacement": e[2]} for e in edits],
            "comments": [{"start": c[0], "end": c[1], "text": c[2]} for c in comments],
            "date": DATE, "author": "mtreview", "title": "tricky & <odd>.txt"}


def _js_build(page, data: dict) -> bytes:
    return bytes(page.evaluate("([input, parts]) => Array.from(window.mtreviewDocx.build(input, parts))",
                               [data, STATIC_PARTS]))


def _same_parts(js: bytes, data: dict):
    python = document_parts(data["text"], data["paragraphs"], [(e["start"], e["end"], e["replacement"]) for e in data["edits"]],
                            [(c["start"], c["end"], c["text"]) for c in data["comments"]], data["date"], data["author"],
                            data["title"])
    with zipfile.ZipFile(io.BytesIO(js)) as archive:
        assert archive.testzip() is None  # Python's zipfile reads the browser's zip, CRCs and all
        assert archive.namelist() == list(python)
        got = {name: archive.read(name).decode("utf-8") for name in archive.namelist()}
    for name in ("word/document.xml", "word/comments.xml", "docProps/core.xml"):
        assert got[name] == python[name], name
    assert got == python


def test_docx_js_writes_what_python_writes(csp_free_page, cli, article, tmp_path):
    page = csp_free_page
    report = tmp_path / "seed.html"
    assert cli("check", article, "--format", "html", "--output", report).code == 1
    page.goto(report.as_uri())
    assert page.evaluate("typeof window.mtreviewEdits.selectEdits") == "function"
    page.add_script_tag(content=DOCX_JS.read_text(encoding="utf-8"))
    # the page's own selectEdits is the one used
    page.evaluate("""() => {
        const own = window.mtreviewEdits.selectEdits;
        window.selectCalls = 0;
        window.mtreviewEdits.selectEdits = (edits) => { window.selectCalls++; return own(edits); };
    }""")

    # the seed, with an editor's decisions and the findings left open as comments
    text = article.read_text(encoding="utf-8")
    findings = _findings(cli, article)
    data, edits = _seed_decisions(findings, text)
    kept = select_edits(edits)
    open_findings = [f for f in findings if f"{f['rule']}@{f['start']}-{f['end']}" not in data["decisions"]
                     and not any(_overlaps(f, e) for e in kept)]
    js_comments = page.evaluate("(fs) => fs.map(window.mtreviewDocx.commentText)", open_findings)
    assert js_comments == [comment_text(f) for f in open_findings]
    paragraphs = [(p.start, p.end, p.heading) for p in Document(text).paragraphs]
    seed = _js_input(text, paragraphs, [(e.start, e.end, e.replacement) for e in edits],
                     [(f["start"], f["end"], c) for f, c in zip(open_findings, js_comments)])
    _same_parts(_js_build(page, seed), seed)
    assert page.evaluate("window.selectCalls") == 1

    # the hard cases
    t = _tricky()
    tricky = _js_input(t["text"], t["paragraphs"], t["edits"], t["comments"])
    _same_parts(_js_build(page, tricky), tricky)
    # docx.js's own copy of selectEdits, on a page without the review's
    page.evaluate("delete window.mtreviewEdits")
    _same_parts(_js_build(page, tricky), tricky)
    _same_parts(_js_build(page, seed), seed)
    empty = _js_input("", [], [], [(0, 0, "a comment on nothing")])
    _same_parts(_js_build(page, empty), empty)
