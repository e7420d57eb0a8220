"""The review page's screenshots in docs/screenshots/ (the README shows them): the seed article
at 1440×900 and at 390×844 — the first view, a selected card, after "Accept all safe", the
overview of a report of several articles, and the first printed page (A4 at 96 dpi).

    python tools/screenshots.py [--out docs/screenshots]

Needs what the browser tests need (`make test` installs it: Playwright and Debian's chromium).
Reports are written with --no-grammar, so the pictures do not depend on a LanguageTool server.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import launch_chromium

SEED = ROOT / "samples" / "mt-news-ukraine-es-en.txt"
FARMERS = ROOT / "samples" / "mt-news-farmers-fr-en.txt"
SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
A4 = {"width": 794, "height": 1123}


def report(paths: list[Path], out: Path) -> Path:
    # paths as a user in the repository gives them (the page shows them)
    names = [str(p.relative_to(ROOT)) for p in paths]
    subprocess.run([sys.executable, "-m", "mtreview", "check", *names, "--no-grammar", "--format", "html", "--output", str(out)],
                   cwd=ROOT, check=False, capture_output=True)
    if not out.exists():
        raise SystemExit(f"screenshots: mtreview check wrote no {out}")
    return out


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, launch_chromium() as browser:
        seed = report([SEED], Path(tmp) / "seed.html").as_uri()
        several = report([SEED, FARMERS], Path(tmp) / "several.html").as_uri()
        for screen, size in SCREENS.items():
            context = browser.new_context(viewport=size, has_touch=screen == "phone", is_mobile=screen == "phone")
            page = context.new_page()

            def shot(name: str, page=page, screen=screen) -> None:
                page.wait_for_timeout(100)  # a transition (the phone's sheet) finishes
                path = args.out / f"{name}-{screen}.png"
                page.screenshot(path=str(path))
                print(path.relative_to(ROOT))

            ready(page, seed)
            shot("initial")
            for _ in range(4):  # the fourth finding: the stray period, an error
                page.keyboard.press("j")
            shot("selected")
            page.keyboard.press("Escape")
            page.evaluate("window.scrollTo(0, 0)")
            page.click("#accept-safe")
            shot("accepted-safe")
            ready(page, several)
            shot("overview")
            context.close()
        page = browser.new_page(viewport=A4)
        ready(page, seed)
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        path = args.out / "print-page1.png"
        page.screenshot(path=str(path), clip={"x": 0, "y": 0, **A4})
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
