"""Headless Chromium for the browser tests: Playwright for Python driving Debian's chromium.

``make test`` installs the browser (apt-get) and Playwright (``.[test]``); ``playwright install``
is never used, as it downloads a browser and CI has no internet besides the package registries.
The fixtures ``browser`` and ``page`` in conftest.py are built on ``launch_chromium``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
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
