"""An accessibility scan of the HTML review with axe-core: no serious or critical violation of
WCAG 2.0/2.1 A and AA, or of axe's best practices, on the pages mtreview writes (an article, a
translation against its source, two files in one report), on a desktop and a phone screen, in
the states an editor goes through.

axe-core is pinned in package.json / package-lock.json and installed by ``make test`` (``npm ci``
into node_modules/). It is injected into the page, so the page is opened in a context with
``bypass_csp``: the page's Content-Security-Policy allows its own script only.

One test per page and screen: a review session on one page, scanned after each step (a fresh
page per step would cost a second a scan, mostly in loading the page and axe), every serious or
critical violation of every step in the failure message, with the steps it was seen in.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import REPO, run_subprocess

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SAMPLES = REPO / "samples"
UKRAINE = SAMPLES / "mt-news-ukraine-es-en.txt"
FARMERS = SAMPLES / "mt-news-farmers-fr-en.txt"

# name -> the arguments of `mtreview check` before --format html
PAGES = {
    "ukraine": [UKRAINE],
    "farmers": [FARMERS],
    # a translation reviewed against its source: the aligned source on the cards, side by side
    "paired": [UKRAINE, "--source", SAMPLES / "mt-news-ukraine-es-en.es.txt"],
    "two-files": [UKRAINE, FARMERS],  # two files in one report: their overview, then one of them
}
VIEWPORTS = {"1440x900": {"width": 1440, "height": 900}, "390x844": {"width": 390, "height": 844}}
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("critical", "serious")
# finite animations and transitions run to their end first: a scan mid-fade would measure
# contrast against colours that are on their way elsewhere
AXE_RUN = """async tags => {
  await Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished));
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def _click_or_press(page, selector: str, key: str):
    """Click the control, or press its keyboard shortcut where the layout hides it (phones)."""
    if page.is_visible(selector):
        page.click(selector)
    else:
        page.keyboard.press(key)


def _open_first_article(page):
    if page.is_visible("#overview"):  # a report of several files opens on their overview
        page.click("#overview a")
    page.wait_for_selector(".card", state="attached")


def _select_a_finding(page):
    page.keyboard.press("j")
    page.wait_for_selector(".card.current", state="attached")


def _accept_safe(page):
    page.click("#accept-safe")


def _open_help(page):
    page.keyboard.press("?")
    page.wait_for_selector("#help", state="visible")


def _close_help(page):
    if page.is_visible("#help"):
        page.keyboard.press("?")
        page.wait_for_selector("#help", state="hidden")


def _side_by_side(page):
    _close_help(page)
    _click_or_press(page, "#sbs-toggle", "s")
    page.wait_for_selector("#sbs-toggle[aria-pressed=true]", state="attached")


def _corrected_text(page):
    _close_help(page)
    if page.query_selector("#sbs-toggle[aria-pressed=true]"):
        _click_or_press(page, "#sbs-toggle", "s")  # back to the article as prose
    _click_or_press(page, "#tab-preview", "p")
    page.wait_for_selector("#preview", state="visible")


def _print(page):
    _click_or_press(page, "#tab-article", "p")
    page.wait_for_selector("#article", state="visible")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as printing would
    page.emulate_media(media="print")


# the steps of the session, in order: (name, what to do first, on which pages only)
STEPS: list[tuple[str, Callable | None, set[str] | None]] = [
    ("initial view", None, None),
    ("an article opened from the overview", _open_first_article, {"two-files"}),
    ("a finding selected (j)", _select_a_finding, None),
    ("safe fixes accepted", _accept_safe, None),
    ("keyboard help open (?)", _open_help, None),
    ("side by side with the source", _side_by_side, {"paired"}),
    ("Corrected text tab", _corrected_text, None),
    ("print media", _print, None),
]


@pytest.fixture(scope="module")
def review_page(tmp_path_factory) -> Callable[[str], Path]:
    """``review_page(name)``: the review page of PAGES[name] written by the CLI (once per module)."""
    folder = tmp_path_factory.mktemp("a11y")
    written: dict[str, Path] = {}

    def write(name: str) -> Path:
        if name not in written:
            path = folder / f"{name}.html"
            result = run_subprocess("check", *PAGES[name], "--format", "html", "--output", path, cwd=REPO)
            assert result.code in (0, 1) and path.is_file(), result.output  # 1: the page has findings
            written[name] = path
        return written[name]

    return write


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_violation(browser, review_page, name, viewport):
    if not AXE.is_file():  # a failure, never a skip: the scan is part of `make test`
        pytest.fail(f"axe-core is missing ({AXE.relative_to(REPO)}): run `make test` (it runs `npm ci`)", pytrace=False)
    context = browser.new_context(bypass_csp=True, viewport=VIEWPORTS[viewport])
    found: dict[tuple, list[str]] = {}  # (id, impact, help, count, targets) -> the steps it was seen in
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)  # a step whose control is gone fails in seconds, not 30
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(review_page(name).as_uri())
        page.wait_for_selector("body[data-ready=true]")
        page.add_script_tag(path=str(AXE))
        for step, action, only in STEPS:
            if only is not None and name not in only:
                continue
            if action:
                action(page)
            for v in page.evaluate(AXE_RUN, TAGS):
                if v["impact"] in BLOCKING:
                    key = (v["id"], v["impact"], v["help"], v["count"], tuple(v["targets"]))
                    found.setdefault(key, []).append(step)
        assert errors == [], errors
    finally:
        context.close()
    lines = [
        f"  {rule} [{impact}] {help_text} ({count} node(s): {', '.join(targets)}{', ...' if count > 3 else ''}) in: {'; '.join(steps)}"
        for (rule, impact, help_text, count, targets), steps in sorted(found.items(), key=lambda kv: BLOCKING.index(kv[0][1]))
    ]
    assert not lines, f"axe-core: serious/critical violations on the {name} page at {viewport}:\n" + "\n".join(lines)
