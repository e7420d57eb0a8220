"""Headless Chromium for the browser tests: Playwright for Python driving Debian's chromium.

``make test`` installs the browser (apt-get) and Playwright (``.[test]``); ``playwright install``
is never used, as it downloads a browser and CI has no internet besides the package registries.
The fixtures ``browser`` and ``page`` in conftest.py are built on ``launch_chromium``; the
functions after it drive a review page (its data, opening it with requests and script errors
recorded, the toolbar's panels, downloads).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# --disable-background-networking & co.: else Chromium keeps trying to reach the closed network
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FIX = "run `make test` (it installs Debian's chromium), or `apt-get install -y chromium` as root"


class ChromiumNotFound(RuntimeError):
    pass


def find_chromium() -> str:
    """$MTREVIEW_CHROMIUM if set, else /usr/bin/chromium, else ``chromium`` on PATH."""
    wanted = os.environ.get("MTREVIEW_CHROMIUM")
    if wanted:
        found = shutil.which(wanted)
        if not found:
            raise ChromiumNotFound(
                f"MTREVIEW_CHROMIUM={wanted!r} is not an executable Chromium: point it at one, "
                f"or unset it and {FIX}."
            )
        return found
    if os.path.isfile(DEFAULT_CHROMIUM) and os.access(DEFAULT_CHROMIUM, os.X_OK):
        return DEFAULT_CHROMIUM
    found = shutil.which("chromium")
    if found:
        return found
    raise ChromiumNotFound(
        f"No Chromium for the browser tests: neither {DEFAULT_CHROMIUM} nor `chromium` on PATH "
        f"(and MTREVIEW_CHROMIUM is not set). To fix, {FIX}."
    )


@contextmanager
def launch_chromium(**options) -> Iterator[Browser]:
    """``with launch_chromium() as browser:`` a headless Chromium, closed on leaving.
    ``options`` go to ``playwright.chromium.launch`` (e.g. ``slow_mo=100``)."""
    executable = find_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        raise ImportError(
            "Playwright for Python is missing: run `make test` or `pip install -e '.[test]'` "
            "(never `playwright install`: the tests use the system Chromium)"
        ) from error
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, **options)
        try:
            yield browser
        finally:
            browser.close()


# -- a review page ---------------------------------------------------------------------------
def _data(html: str) -> dict:
    raw = re.search(r'<script type="application/json" id="mtreview-data">(.*?)</script>', html, re.S).group(1)
    return json.loads(raw)


def _open(page, report: Path):
    requests = []
    errors = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_selector("body[data-ready=true]")
    return requests, errors


def _reveal(page, selector: str) -> None:
    """Open the toolbar panel (filters, export menu) that holds ``selector``, if it is closed."""
    for panel, toggle in (("#filter-panel", "#filter-toggle"), ("#export-menu", "#export-toggle")):
        if page.locator(f"{panel} {selector}").count() and not page.is_visible(panel):
            page.click(toggle)


def _download(page, selector: str, binary: bool = False):
    _reveal(page, selector)
    with page.expect_download() as info:
        page.click(selector)
    path = Path(info.value.path())
    return path.read_bytes() if binary else path.read_text(encoding="utf-8")


def _filter(page, selector: str, value: str) -> None:
    _reveal(page, selector)
    page.select_option(selector, value)
