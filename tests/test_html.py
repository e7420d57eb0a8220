"""The HTML review: the page itself (Python side) and what a copy editor does in it, driven in
a real headless Chromium (tests/browser.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
import shutil
import time
from html import unescape
from pathlib import Path

import pytest

from helpers import REPO, SEED
from mtreview.fixes import apply_edits
from mtreview.model import Edit
from mtreview.report.html import script_json

REPORTS = REPO / "reports"


def _data(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="mtreview-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


@pytest.fixture
def seed_report(cli, tmp_path):
    """The seed article copied to tmp_path and its HTML report: (article path, report path)."""
    article = tmp_path / SEED.name
    shutil.copyfile(SEED, article)
    report = tmp_path / "seed.html"
    result = cli("check", article, "--format", "html", "--output", report)
    assert result.code == 1 and str(report) in result.err, result.output
    return article, report


def _open(page, report: Path):
    requests = []
    errors = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    return requests, errors


def _download(page, selector: str) -> str:
    with page.expect_download() as info:
        page.click(selector)
    return Path(info.value.path()).read_text(encoding="utf-8")


# -- the page, without a browser ---------------------------------------------------------------
def test_default_output_goes_to_reports_folder(cli, write, tmp_path):
    path = write("story.txt", "Talks resume with the in order to settle it.\n")
    result = cli("check", path, "--format", "html", cwd=tmp_path)
    out = tmp_path / "reports" / "story.html"
    assert out.is_file() and "reports/story.html" in result.err
    assert out.stat().st_mode & 0o044  # readable by others, like any new file (not mkstemp's 0600)
    assert path.read_text(encoding="utf-8") == "Talks resume with the in order to settle it.\n"


def test_page_is_self_contained_with_a_strict_csp(seed_report):
    html = seed_report[1].read_text(encoding="utf-8")
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert csp.startswith("default-src 'none';") and "unsafe-inline" not in csp
    style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    script = html[html.rindex("<script>") + len("<script>") : html.rindex("</script>")]
    for source in (style, script):
        digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", html), "no external reference of any kind"
    data = _data(html)
    assert data["files"][0]["text"] == SEED.read_text(encoding="utf-8")
    assert len(data["files"][0]["findings"]) > 40


def test_script_json_cannot_close_its_element():
    nasty = "</script><script>alert(1)</script> & \u2028 <!-- -->"
    encoded = script_json({"t": nasty})
    assert "<" not in encoded and ">" not in encoded and "\u2028" not in encoded
    assert json.loads(encoded) == {"t": nasty}


# -- in the browser ---------------------------------------------------------------------------
def test_accept_all_safe_downloads_what_fix_writes(page, cli, seed_report, tmp_path):
    article, report = seed_report
    requests, errors = _open(page, report)
    page.click("#accept-safe")
    downloaded = _download(page, "#download")
    copy = tmp_path / "copy.txt"
    shutil.copyfile(article, copy)
    assert cli("fix", copy, "--write").code == 0
    assert downloaded == copy.read_text(encoding="utf-8")
    assert downloaded != article.read_text(encoding="utf-8")
    assert page.inner_text("#preview") == downloaded.rstrip("\n") or page.eval_on_selector(
        "#preview", "e => e.textContent") == downloaded
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests
    assert errors == []


def test_reject_one_accept_one_unsafe_reload_keeps_decisions(page, seed_report):
    article, report = seed_report
    data = _data(report.read_text(encoding="utf-8"))["files"][0]
    findings = data["findings"]
    safe = [f for f in findings if f["fix"] == "safe" and f["suggestions"]]
    unsafe = next(f for f in findings if f["fix"] == "unsafe" and f["suggestions"])
    rejected = safe[0]
    _open(page, report)
    page.click("#accept-safe")
    page.click(f'.card[data-id="{rejected["id"]}"] button.reject')
    page.click(f'.card[data-id="{unsafe["id"]}"] button.accept')
    text = article.read_text(encoding="utf-8")
    expected = apply_edits(text, [Edit(f["start"], f["end"], f["suggestions"][0]) for f in safe[1:] + [unsafe]])
    preview = page.eval_on_selector("#preview", "e => e.textContent")
    assert preview == expected
    assert page.get_attribute(f'.card[data-id="{rejected["id"]}"]', "class").split().count("rejected") == 1
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.eval_on_selector("#preview", "e => e.textContent") == expected
    assert "rejected" in page.get_attribute(f'.card[data-id="{rejected["id"]}"]', "class")
    # undo survives nothing across reloads, but works within a session
    page.click(f'.card[data-id="{unsafe["id"]}"] button.reopen')
    page.click("#undo")
    assert page.eval_on_selector("#preview", "e => e.textContent") == expected


def test_edited_suggestion_is_what_gets_applied(page, seed_report):
    article, report = seed_report
    finding = _data(report.read_text(encoding="utf-8"))["files"][0]["findings"][0]
    _open(page, report)
    card = f'.card[data-id="{finding["id"]}"]'
    page.fill(f"{card} .edit", "HIGH")
    page.click(f"{card} button.accept")
    text = article.read_text(encoding="utf-8")
    assert page.eval_on_selector("#preview", "e => e.textContent") == apply_edits(
        text, [Edit(finding["start"], finding["end"], "HIGH")])


def test_filter_by_category_shows_only_that_category(page, seed_report):
    _, report = seed_report
    findings = _data(report.read_text(encoding="utf-8"))["files"][0]["findings"]
    _open(page, report)
    page.select_option("#f-category", "style/house")
    shown = page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.id)")
    assert shown == [f["id"] for f in findings if f["category"] == "style/house"] and shown
    page.uncheck("#f-info")
    page.select_option("#f-category", "")
    shown = page.eval_on_selector_all(".card", "cards => cards.map(c => c.dataset.id)")
    assert shown == [f["id"] for f in findings if f["severity"] != "info"]
    marks_hidden = page.eval_on_selector_all("mark.f.hidden-by-filter", "ms => ms.length")
    assert marks_hidden > 0


def test_keyboard_only_review(page, seed_report):
    _, report = seed_report
    findings = _data(report.read_text(encoding="utf-8"))["files"][0]["findings"]
    _open(page, report)
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = findings[1]["id"]
    assert page.eval_on_selector(".card.current", "c => c.dataset.id") == second
    assert page.evaluate("document.activeElement.dataset.id") == second  # focus follows
    page.keyboard.press("a")
    assert "accepted" in page.get_attribute(f'.card[data-id="{second}"]', "class")
    page.keyboard.press("u")
    assert "accepted" not in page.get_attribute(f'.card[data-id="{second}"]', "class")
    page.keyboard.press("?")
    assert page.is_visible("#help")
    # Tab reaches the controls in order and the focus ring is visible
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_export_and_import_hand_decisions_to_another_editor(browser, seed_report, tmp_path):
    _, report = seed_report
    first = browser.new_context(accept_downloads=True)
    page = first.new_page()
    _open(page, report)
    page.click("#accept-safe")
    exported = _download(page, "#export")
    preview = page.eval_on_selector("#preview", "e => e.textContent")
    first.close()
    decisions = tmp_path / "decisions.json"
    decisions.write_text(exported, encoding="utf-8")
    second = browser.new_context()  # another editor: empty storage
    page = second.new_page()
    _open(page, report)
    assert page.eval_on_selector("#preview", "e => e.textContent") != preview
    page.set_input_files("#import", str(decisions))
    page.wait_for_selector("#status:has-text('Imported')")
    assert page.eval_on_selector("#preview", "e => e.textContent") == preview
    second.close()


def test_edit_semantics_match_fixes_py(page, seed_report):
    """Random edit sets (overlaps, same starts, empty spans, astral characters) give the same
    text in the page's applyEdits as in mtreview.fixes.apply_edits."""
    _, report = seed_report
    _open(page, report)
    rng = random.Random(7)
    text = "Zoë met 🇺🇦 Kyiv's mayor; the the 8.500 troops. " * 3
    cases = []
    for _ in range(200):
        edits = []
        for _ in range(rng.randint(0, 8)):
            start = rng.randint(0, len(text))
            end = min(len(text), start + rng.choice([0, 0, 1, 2, 5, 12]))
            edits.append({"start": start, "end": end, "replacement": rng.choice(["", "a", "b", "é", "🙂", "U.S.", "on"])})
        cases.append(edits)
    got = page.evaluate("([t, cases]) => cases.map(c => window.mtreviewEdits.applyEdits(t, c))", [text, cases])
    want = [apply_edits(text, [Edit(e["start"], e["end"], e["replacement"]) for e in c]) for c in cases]
    assert got == want


def test_hostile_text_and_file_name_run_no_script(page, cli, tmp_path):
    hostile = (
        '<script>window.__xss = 1</script> "><img src=x onerror="window.__xss=2"> </script>\n\n'
        "The deal was signed with the in order to <b>close</b> it. &amp; {{ 7*7 }}\n"
    )
    name = 'a"><img src=x onerror=alert(1)>.txt'
    path = tmp_path / name
    path.write_text(hostile, encoding="utf-8")
    report = tmp_path / "x.html"
    assert cli("check", path, "--format", "html", "--output", report, "--fail-on", "never").code == 0
    requests, errors = _open(page, report)
    assert page.evaluate("window.__xss") is None
    assert errors == []
    assert page.eval_on_selector_all("#article img, #article script, #article b", "e => e.length") == 0
    article_text = page.inner_text("#article")
    assert "<script>window.__xss = 1</script>" in article_text and "{{ 7*7 }}" in article_text
    assert page.inner_text("#file-title").endswith(name)
    assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests


def test_two_thousand_findings_stay_responsive(page, cli, tmp_path, capsys):
    paragraph = "Officials met with the in order to discuss it this Monday, and Paris assured that it would help.\n\n"
    path = tmp_path / "long.txt"
    path.write_text(paragraph * 700, encoding="utf-8")
    report = tmp_path / "long.html"
    cli("check", path, "--format", "json", "--source-lang", "es")  # compiles and caches this rule selection
    t0 = time.perf_counter()
    result = cli("check", path, "--format", "html", "--output", report, "--source-lang", "es")
    check_seconds = time.perf_counter() - t0
    count = len(_data(report.read_text(encoding="utf-8"))["files"][0]["findings"])
    assert result.code == 1 and count >= 2000
    t0 = time.perf_counter()
    _open(page, report)
    tti = time.perf_counter() - t0
    t0 = time.perf_counter()
    page.click("#accept-safe")
    page.wait_for_selector("#status:has-text('Accepted')")
    accept_seconds = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n[html] {count} findings: check --format html {check_seconds:.2f} s, "
              f"time to interactive {tti:.2f} s, accept all safe {accept_seconds:.2f} s")


def test_screenshot_of_the_seed_review(page, seed_report):
    _, report = seed_report
    _open(page, report)
    REPORTS.mkdir(exist_ok=True)
    page.screenshot(path=str(REPORTS / "seed-review.png"))
    page.click("#accept-safe")
    page.keyboard.press("j")
    page.screenshot(path=str(REPORTS / "seed-review-accepted.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(REPORTS / "seed-review-print.png"), full_page=True)
    assert (REPORTS / "seed-review.png").stat().st_size > 10_000


def test_several_files_switch(page, cli, tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "a.txt").write_text("They met with the in order to talk.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Paris assured that it would help this Monday.\n", encoding="utf-8")
    report = tmp_path / "desk.html"
    cli("check", folder, "--format", "html", "--output", report, "--source-lang", "es")
    _open(page, report)
    assert page.is_visible("#file-switch")
    first = page.inner_text("#file-title")
    page.select_option("#file-switch", "1")
    assert page.inner_text("#file-title") != first and page.inner_text("#file-title").endswith("b.txt")
    assert "assured" in page.inner_text("#article")


_CONTRAST_JS = """
() => {
  function rgb(s) { const m = s.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; }
  function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); }
  function bg(e) { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; }
  const out = [];
  const seen = new Set();
  document.querySelectorAll('body *').forEach(e => {
    if (!e.offsetParent && e.tagName !== 'BODY') return;
    const own = Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) return;
    const cs = getComputedStyle(e);
    const fg = rgb(cs.color), back = bg(e);
    const a = lum(fg), b = lum(back);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const key = e.tagName + '.' + e.className + ' ' + cs.color + ' on ' + JSON.stringify(back);
    if (!seen.has(key)) { seen.add(key); out.push([key, Math.round(ratio * 100) / 100]); }
  });
  return out;
}
"""


def test_text_contrast_meets_wcag_aa(page, seed_report):
    _, report = seed_report
    _open(page, report)
    page.click("#accept-safe")
    page.click(".card button.reject")
    pairs = page.evaluate(_CONTRAST_JS)
    assert len(pairs) > 20
    low = [(what, ratio) for what, ratio in pairs if ratio < 4.5]
    assert low == [], low


def test_tab_order_reaches_every_control_with_a_visible_focus(page, seed_report):
    _, report = seed_report
    _open(page, report)
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; const cs = getComputedStyle(e);
            return [e.id || e.className || e.tagName, cs.outlineStyle, cs.outlineWidth]; }""")
        seen.append(info[0])
        assert info[1] != "none" and info[2] != "0px", info
    assert seen[0] == "skip"
    for control in ("f-error", "f-category", "accept-safe", "download", "help-toggle", "tab-article"):
        assert control in seen, (control, seen)
    assert any(str(name).startswith("card") for name in seen)
    assert any(name == "accept" for name in seen)


def test_score_panel_shows_weak_segments_beside_the_reference(page, cli, write, tmp_path):
    hyp = write("story.txt", "Officials met in Paris on Monday.\n\nThey talked about the crisis this Wednesday.\n")
    ref = write("ref.txt", "Officials met in Paris on Monday.\n\nThey discussed the crisis on Wednesday.\n")
    report = tmp_path / "story.html"
    cli("check", hyp, "-r", ref, "--format", "html", "--output", report, "--fail-on", "never")
    _open(page, report)
    summaries = page.eval_on_selector_all("#scores details.score summary", "s => s.map(e => e.textContent)")
    assert [s.split(":")[0] for s in summaries] == ["Readability", "Reference", "MQM quality"]
    page.click("#scores details.score:nth-child(2) summary")
    assert "nrefs:1|case:mixed|eff:no|tok:13a" in page.inner_text("#scores")
    struck = page.eval_on_selector_all(".segment .seg-hyp del", "e => e.map(x => x.textContent)")
    inserted = page.eval_on_selector_all(".segment .seg-ref ins", "e => e.map(x => x.textContent)")
    assert "talked" in struck and "discussed" in inserted
