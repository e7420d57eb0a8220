"""The review desk: what a copy editor does to finish an article in the page — a calm layout
(folded header, compact cards that fold once decided, passage notes in the margin), editing
the text itself, decisions that survive a reload, phones, paper, and several articles."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest

from browser import _data, _download, _filter, _open, _reveal
from helpers import REPO, SEED
from mtreview.fixes import apply_edits
from mtreview.model import Edit

SAMPLES = sorted(p for p in (REPO / "samples").iterdir() if p.suffix in (".txt", ".md") and ".es." not in p.name)


@pytest.fixture
def seed(cli, tmp_path):
    """(article copy, report, the report's file data) for the seed."""
    article = tmp_path / SEED.name
    shutil.copyfile(SEED, article)
    report = tmp_path / "seed.html"
    assert cli("check", article, "--no-grammar", "--format", "html", "--output", report).code == 1
    return article, report, _data(report.read_text(encoding="utf-8"))["files"][0]


def _preview(page) -> str:
    return page.eval_on_selector("#preview", "e => e.textContent")


# -- layout ------------------------------------------------------------------------------------
def test_header_is_one_line_and_the_article_starts_high(page, seed):
    _, report, _ = seed
    _open(page, report)
    assert not page.is_visible("#scores") and not page.is_visible(".note")  # folded under Details
    article_top = page.eval_on_selector("#article", "e => e.getBoundingClientRect().top")
    assert article_top < 200, article_top
    page.click("#details summary")
    assert page.is_visible("#scores") and "LanguageTool" not in page.inner_text(".details-body").replace(
        "no LanguageTool server was running", "")  # no set-up instructions for an editor


def test_a_passage_note_is_a_margin_marker_that_clicking_a_word_never_selects(page, seed):
    _, report, data = seed
    long = next(f for f in data["findings"] if f["severity"] == "info" and f["end"] - f["start"] > 80)
    _open(page, report)
    assert page.eval_on_selector_all("mark.f", "ms => ms.filter(m => m.dataset.ids.split(' ').length && "
                                     f"m.dataset.ids.split(' ').includes({json.dumps(long['id'])})).length") == 0
    # a click on plain text inside the passage selects nothing
    page.click("#article p:nth-of-type(2)", position={"x": 30, "y": 12})
    assert page.locator(".card.current").count() == 0
    marker = page.locator(f'.margin-marker[data-ids="{long["id"]}"]')
    marker.click()
    assert page.eval_on_selector(".card.current", "c => c.dataset.id") == long["id"]
    assert page.locator(".long-current").count() >= 1  # the passage is shown while selected
    # its card offers no empty replacement box
    assert not page.is_visible(f'.card[data-id="{long["id"]}"] .edit')


def test_decided_cards_fold_and_accept_all_of_a_rule(page, seed):
    _, report, data = seed
    by_rule: dict[str, list] = {}
    for f in data["findings"]:
        if f["suggestions"]:
            by_rule.setdefault(f["rule"], []).append(f)
    rule, group = max(by_rule.items(), key=lambda kv: len(kv[1]))
    assert len(group) >= 3
    _open(page, report)
    first = f'.card[data-id="{group[0]["id"]}"]'
    page.click(f"{first} button.accept-rule")
    assert f"Accepted {len(group)} edits of {rule}" in page.inner_text("#status")
    for f in group:
        cls = page.get_attribute(f'.card[data-id="{f["id"]}"]', "class")
        assert "accepted" in cls and "folded" in cls
    height = page.eval_on_selector(f'.card[data-id="{group[1]["id"]}"]', "c => c.getBoundingClientRect().height")
    assert height < 60, height
    assert page.locator(f'.card[data-id="{group[1]["id"]}"] button.reject').count() == 0
    # selecting a folded card unfolds it
    page.click(f'.card[data-id="{group[1]["id"]}"] .msg')
    assert "folded" not in page.get_attribute(f'.card[data-id="{group[1]["id"]}"]', "class")
    assert page.locator(f'.card[data-id="{group[1]["id"]}"] button.reopen').count() == 1


def test_overlapping_marks_number_once_at_the_end_of_the_run(page, cli, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("The statement came before the call with the US president, Joe Biden, and others.\n", encoding="utf-8")
    report = tmp_path / "a.html"
    cli("check", article, "--source-lang", "es", "--no-grammar", "--format", "html", "--output", report)
    findings = _data(report.read_text(encoding="utf-8"))["files"][0]["findings"]
    assert any(g is not f and g["start"] <= f["start"] and f["end"] <= g["end"] for f in findings for g in findings)
    _open(page, report)
    # a number never sits between two marks of one finding, and each finding's number shows once
    splits = page.evaluate("""() => {
      const out = [];
      document.querySelectorAll('#article sup.ref').forEach(s => {
        const before = s.previousElementSibling, after = s.nextElementSibling;
        if (before && after && before.matches('mark.f, ins') && after.matches('mark.f')) {
          const ids = new Set((before.closest('mark.f') || before.previousElementSibling || before).dataset.ids.split(' '));
          if (after.dataset.ids.split(' ').some(i => ids.has(i))) out.push(s.textContent);
        }
      });
      return out;
    }""")
    assert splits == []
    numbers = ",".join(page.eval_on_selector_all("#article sup.ref", "ss => ss.map(s => s.textContent)")).split(",")
    assert sorted(map(int, numbers)) == sorted(f["n"] for f in findings)


def test_filter_counts_follow_the_other_filters_and_show_the_result(page, seed):
    _, report, data = seed
    _open(page, report)
    _reveal(page, "#f-category")
    page.uncheck("#f-info")
    options = page.eval_on_selector_all("#f-category option", "os => os.map(o => o.textContent)")
    expected: dict[str, int] = {}
    for f in data["findings"]:
        expected.setdefault(f["category"], 0)
        if f["severity"] != "info":
            expected[f["category"]] += 1
    assert options[1:] == [f"{k} ({v})" for k, v in sorted(expected.items())]
    shown = sum(1 for f in data["findings"] if f["severity"] != "info")
    assert page.inner_text("#filter-result") == f"Showing {shown} of {len(data['findings'])} findings."
    assert f"({shown} of {len(data['findings'])})" in page.inner_text("#filter-toggle")


def test_undo_history_survives_a_reload(page, seed):
    article, report, data = seed
    original = article.read_text(encoding="utf-8")
    _open(page, report)
    page.click("#accept-safe")
    after_safe = _preview(page)
    first_open = next(f for f in data["findings"] if f["fix"] != "safe" and f["suggestions"])
    page.click(f'.card[data-id="{first_open["id"]}"] button.accept')
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert not page.is_disabled("#undo")
    page.click("#undo")
    assert _preview(page) == after_safe
    page.click("#undo")
    assert _preview(page) == original and page.is_disabled("#undo")


# -- editing the text itself -------------------------------------------------------------------
def _edit_paragraph(page, index: int, change) -> None:
    para = page.locator("#article > p, #article > h2").nth(index)
    para.hover()
    para.locator("button.para-edit").click()
    area = page.locator(".para-editor textarea")
    area.fill(change(area.input_value()))
    page.keyboard.press("Control+Enter")


def test_free_edit_is_tracked_undoable_and_round_trips_through_fix_decisions(page, cli, seed, tmp_path):
    article, report, data = seed
    original = article.read_text(encoding="utf-8")
    _open(page, report)
    # an accepted suggestion in the first paragraph, then an edit of the same paragraph that
    # rewrites the accepted words and changes others
    first = data["findings"][0]
    page.click(f'.card[data-id="{first["id"]}"] button.accept')
    assert first["text"] == "“high”" and first["suggestions"][0] == "high"
    _edit_paragraph(page, 0, lambda t: t.replace("In order to calm", "To calm").replace("high alert", "maximum alert"))
    expected = original.replace("In order to calm", "To calm", 1).replace("“high” alert", "maximum alert", 1)
    assert _preview(page) == expected
    card = page.locator(f'.card[data-id="{first["id"]}"]')
    card.locator(".msg").click()
    assert "accepted, in your edit" in card.inner_text()
    # the changes view lists it
    page.click("#tab-changes")
    assert "Your edit" in page.inner_text("#changes")
    page.click("#tab-article")
    # exported decisions applied by the CLI give the page's text
    exported = _download(page, "#export")
    decisions = tmp_path / "d.json"
    decisions.write_text(exported, encoding="utf-8")
    assert json.loads(exported)["edits"], exported
    result = cli("fix", "--decisions", decisions, article, "--write")
    assert result.code == 0, result.output
    assert article.read_text(encoding="utf-8") == _preview(page)
    # undo takes the edit back, and the accepted suggestion with it returns
    page.click("#undo")
    assert _preview(page) == apply_edits(original, [Edit(first["start"], first["end"], first["suggestions"][0])])


def test_fix_decisions_refuses_a_changed_file(page, cli, seed, tmp_path):
    article, report, _ = seed
    _open(page, report)
    page.click("#accept-safe")
    decisions = tmp_path / "d.json"
    decisions.write_text(_download(page, "#export"), encoding="utf-8")
    article.write_text(article.read_text(encoding="utf-8") + "One more line.\n", encoding="utf-8")
    before = article.read_bytes()
    result = cli("fix", "--decisions", decisions, article, "--write")
    assert result.code == 2 and "changed" in result.err and len(result.err.strip().splitlines()) == 1, result.output
    assert article.read_bytes() == before


# -- phones ------------------------------------------------------------------------------------
def test_phone_article_fills_the_screen_and_a_tapped_mark_opens_its_card_in_a_sheet(browser, seed):
    _, report, data = seed
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        _, errors = _open(page, report)
        top = page.eval_on_selector("#article", "e => e.getBoundingClientRect().top")
        assert top < 260, top
        assert not page.is_visible(".card")  # the sheet is closed
        target = next(f for f in data["findings"] if f["severity"] == "error" and f["end"] > f["start"])
        page.locator(f'mark.f[data-ids~="{target["id"]}"]').first.tap()
        sheet = page.eval_on_selector("#findings-pane", "e => e.getBoundingClientRect().toJSON()")
        assert sheet["bottom"] <= 844 + 1 and sheet["top"] > 844 * 0.4, sheet
        visible = page.eval_on_selector_all(".card", "cs => cs.filter(c => c.offsetParent).map(c => c.dataset.id)")
        assert visible == [target["id"]]
        mark_top = page.eval_on_selector(f'mark.f[data-ids~="{target["id"]}"]', "m => m.getBoundingClientRect().top")
        assert 0 <= mark_top < sheet["top"], (mark_top, sheet)  # the mark stays in view above the sheet
        assert "Finding" in page.inner_text("#sheet-position")
        page.click("#sheet-next")
        assert page.eval_on_selector_all(".card", "cs => cs.filter(c => c.offsetParent).length") == 1
        page.click("#sheet-close")
        assert not page.is_visible(".card")
        # the filters are a sheet with the number of findings they leave
        page.click("#filter-toggle")
        page.uncheck("#f-info")
        panel = page.eval_on_selector("#filter-panel", "e => e.getBoundingClientRect().toJSON()")
        assert panel["bottom"] <= 845 and page.is_visible("#filter-result")
        shown = sum(1 for f in data["findings"] if f["severity"] != "info")
        assert f"Showing {shown} of" in page.inner_text("#filter-result")
        assert errors == []
    finally:
        context.close()


# -- paper -------------------------------------------------------------------------------------
def _pdf_pages(page) -> int:
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_print_fits_two_a4_pages_per_500_words(page, cli, tmp_path, sample):
    article = tmp_path / sample.name
    shutil.copyfile(sample, article)
    report = tmp_path / "r.html"
    cli("check", article, "--no-grammar", "--format", "html", "--output", report)
    words = _data(report.read_text(encoding="utf-8"))["files"][0]["words"]
    _open(page, report)
    pages = _pdf_pages(page)
    assert pages <= 2 * math.ceil(words / 500), (words, pages)


def test_print_shows_open_findings_with_why_and_the_decisions_but_no_tool_notices(page, seed):
    _, report, data = seed
    _open(page, report)
    page.click("#accept-safe")
    page.emulate_media(media="print")
    assert not page.is_visible(".note") and not page.is_visible(".toolbar") and not page.is_visible(".foot")
    assert page.is_visible("#print-decisions")
    decided = page.inner_text("#print-decisions")
    safe = [f for f in data["findings"] if f["fix"] == "safe" and f["suggestions"]]
    assert all(f"#{f['n']} accepted" in decided for f in safe)
    open_cards = page.eval_on_selector_all(".card", "cs => cs.filter(c => c.offsetParent).map(c => c.dataset.id)")
    assert open_cards == [f["id"] for f in data["findings"] if f not in safe]
    whys = page.eval_on_selector_all(".card .print-why", "ps => ps.filter(p => p.offsetParent).length")
    assert whys == len(open_cards)


# -- several articles --------------------------------------------------------------------------
def test_several_articles_open_on_an_overview_linking_to_each(page, cli, tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    for sample in SAMPLES[:3]:
        shutil.copyfile(sample, folder / sample.name)
    report = tmp_path / "desk.html"
    cli("check", folder, "--no-grammar", "--format", "html", "--output", report)
    files = _data(report.read_text(encoding="utf-8"))["files"]
    _, errors = _open(page, report)
    assert page.is_visible("#overview") and not page.is_visible("#review")
    rows = page.eval_on_selector_all("#overview tbody tr", "rs => rs.map(r => Array.from(r.cells).map(c => c.innerText))")
    assert [r[0] for r in rows] == [f["path"] for f in files]
    for row, f in zip(rows, files):
        assert row[2] == str(f["words"]) and row[4] == str(f["by_severity"]["error"]) and row[7] == str(len(f["findings"]))
    page.click('#overview a[href="#article-1"]')
    assert page.is_visible("#review") and page.inner_text("#file-title") == files[1]["path"]
    page.click("#to-overview")
    assert page.is_visible("#overview")
    assert errors == []


# -- the text as the page shows it --------------------------------------------------------------
def test_front_matter_is_labelled_and_a_credit_line_is_not_a_heading(page, cli, tmp_path):
    article = tmp_path / "story.md"
    article.write_text('---\ntitle: "Farmers block roads"\ndescription: "Anger grows."\n---\n\n'
                       "Farmers blocked roads on Monday.\n\nWith AFP and Reuters\n", encoding="utf-8")
    report = tmp_path / "story.html"
    cli("check", article, "--no-grammar", "--format", "html", "--output", report, "--fail-on", "never")
    _open(page, report)
    labels = page.eval_on_selector_all("#article .front-matter", "ps => ps.map(p => [p.dataset.label, p.textContent])")
    assert labels == [["title", "Farmers block roads"], ["description", "Anger grows."]]
    assert "With AFP and Reuters" not in page.eval_on_selector_all("#article h2", "hs => hs.map(h => h.textContent)")
    assert page.locator("#article p", has_text="With AFP and Reuters").count() == 1


def test_docx_download_has_tracked_changes_and_comments(page, seed, tmp_path):
    import io
    import zipfile

    _, report, data = seed
    _open(page, report)
    page.click("#accept-safe")
    raw = _download(page, "#download-docx", binary=True)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert z.testzip() is None
        document = z.read("word/document.xml").decode("utf-8")
        comments = z.read("word/comments.xml").decode("utf-8")
    safe = [f for f in data["findings"] if f["fix"] == "safe" and f["suggestions"]]
    assert document.count("<w:ins ") >= len([f for f in safe if f["suggestions"][0]])
    assert 'w:author="mtreview"' in document
    assert comments.count("<w:comment ") == len(data["findings"]) - len(safe)


def test_a_chosen_category_stays_chosen_when_other_filters_leave_it_none(page, seed):
    _, report, data = seed
    category = data["findings"][0]["category"]
    _open(page, report)
    _filter(page, "#f-category", category)
    for box in ("#f-error", "#f-warning", "#f-info"):
        page.uncheck(box)
    assert page.eval_on_selector("#f-category", "s => s.value") == category
    assert f"{category} (0)" in page.eval_on_selector_all("#f-category option", "os => os.map(o => o.textContent)")
    assert "No finding matches these filters" in page.inner_text("#findings li.empty")


def test_every_sample_reviews_without_a_script_error(page, cli, tmp_path):
    for sample in SAMPLES:
        report = tmp_path / (sample.stem + ".html")
        cli("check", sample, "--no-grammar", "--format", "html", "--output", report)
        _, errors = _open(page, report)
        page.keyboard.press("j")
        page.keyboard.press("t")
        page.keyboard.press("Escape")
        assert errors == [], (sample.name, errors)
        assert Path(report).stat().st_size > 0
