"""Shared fixtures; the helpers themselves live in tests/helpers.py."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The suite (and the processes it starts) fills a cache of its own, not the user's; set
# before mtreview is imported, as its modules compile their patterns through that cache.
os.environ["MTREVIEW_CACHE_DIR"] = tempfile.mkdtemp(prefix="mtreview-test-cache-")

import helpers


@pytest.fixture
def cli():
    """Run ``mtreview ARGS`` in-process: ``cli("check", path) -> Result(code, out, err)``."""
    return helpers.run


@pytest.fixture
def cli_process():
    """Run ``python -m mtreview ARGS`` as a subprocess."""
    return helpers.run_subprocess


@pytest.fixture
def write(tmp_path):
    """Write a text (str, UTF-8) or bytes file under tmp_path: ``write("a.txt", text) -> Path``."""

    def _write(name: str, content, folder: Path | None = None) -> Path:
        path = (folder or tmp_path) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)
        return path

    return _write


@pytest.fixture(scope="session")
def seed_text() -> str:
    return helpers.SEED.read_bytes().decode("utf-8-sig")


# --- Browser tests: a real headless Chromium driven by Playwright (see tests/browser.py) ---

from browser import launch_chromium


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; a missing Chromium fails the test, never skips it."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh page in its own context (downloads accepted, 1280x900), closed after the test:
    ``page.goto(path.as_uri())``; ``with page.expect_download() as d: page.click(...)``, then
    ``Path(d.value.path()).read_bytes()``."""
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def pytest_collection_modifyitems(config, items):
    # Tests using the browser run last: while Playwright runs it keeps a thread alive, and
    # mtreview.parallel checks in one process when a process has threads, so test_parallel
    # would no longer exercise the forked path if the session's Chromium had started before.
    items.sort(key=lambda item: "browser" in getattr(item, "fixturenames", ()))


# -- a real LanguageTool server for the grammar tests ------------------------------------------
LANGUAGETOOL_TEST_URL = "MTREVIEW_TEST_LANGUAGETOOL_URL"


@pytest.fixture(scope="session")
def lt_url():
    """The URL of a running, healthy LanguageTool: the one MTREVIEW_TEST_LANGUAGETOOL_URL names
    (.ci/run starts it and sets it; not MTREVIEW_LANGUAGETOOL_URL, which would turn grammar on for
    every test) or MTREVIEW_LANGUAGETOOL_URL, else one this fixture installs (Maven) and starts,
    and stops at the end. Fails (never skips) when there is none."""
    from mtreview.errors import MtreviewError
    from mtreview.grammar import server

    name = next((v for v in (LANGUAGETOOL_TEST_URL, server.URL_VARIABLE) if os.environ.get(v)), None)
    if name:
        given = os.environ[name]
        if not server.healthy(given, timeout=10):
            pytest.fail(f"{name}={given} does not answer /v2/healthcheck: start it "
                        f"(`mtreview languagetool start`) or unset {name}", pytrace=False)
        yield given
        return
    # a server of the session's own, recorded in a cache folder of its own: recorded in the
    # suite's cache, every `mtreview check` of the other tests would find it and add grammar
    own = {"MTREVIEW_CACHE_DIR": tempfile.mkdtemp(prefix="mtreview-test-languagetool-")}
    with helpers.environment(own):
        try:
            server.install()
            info = server.start()
        except MtreviewError as exc:
            pytest.fail(f"LanguageTool could not be provisioned: {exc}", pytrace=False)
    try:
        yield info.url
    finally:
        with helpers.environment(own):
            server.stop()  # only the server this fixture started


# -- the hostile-input suite (tests/test_*_hostile.py) ----------------------------------------
# Every mtreview process a hostile case starts must end in under 10 s, peak under 1 GB of
# memory, and print no traceback; reports/hostile-cases.tsv lists each run (the table).
HOSTILE_SECONDS = 10
HOSTILE_RSS_MB = 1024


@pytest.fixture(autouse=True)
def _hostile_bounds(request):
    if not request.node.path.name.endswith("_hostile.py"):
        yield
        return
    before = len(helpers.RUNS)
    yield
    for _, args, result in helpers.RUNS[before:]:
        where = "mtreview " + " ".join(args)
        assert "Traceback" not in result.out + result.err, (where, result.err[-2000:])
        assert result.seconds < HOSTILE_SECONDS, (where, f"{result.seconds:.1f} s")
        assert result.max_rss_mb < HOSTILE_RSS_MB, (where, f"{result.max_rss_mb:.0f} MB")


def pytest_sessionfinish(session):
    runs = [(test, args, r) for test, args, r in helpers.RUNS if test.split("::")[0].endswith("_hostile.py")]
    if not runs:
        return
    out = Path(__file__).resolve().parent.parent / "reports" / "hostile-cases.tsv"
    out.parent.mkdir(exist_ok=True)
    lines = ["test\tcommand\texit\tseconds\tpeak_rss_mb\ttraceback"]
    for test, args, r in runs:
        command = " ".join(a if len(a) < 60 else a[:57] + "..." for a in args).replace("\t", " ").replace("\n", " ")
        lines.append(f"{test}\tmtreview {command}\t{r.code}\t{r.seconds:.2f}\t{r.max_rss_mb:.0f}\t"
                     f"{'yes' if 'Traceback' in r.out + r.err else 'no'}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
