"""The browser-test recipe end to end: a file:// page under a strict CSP (its one inline script
allowed by hash) builds a Blob and downloads it on a click, without any network request."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

PAYLOAD = "mtreview smoke: naïve café ✓\n"

SCRIPT = """
document.body.dataset.ready = "yes";
document.getElementById("save").addEventListener("click", () => {
  const blob = new Blob([document.getElementById("payload").textContent], {type: "text/plain"});
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = "smoke.txt";
  document.body.append(link);
  link.click();
  link.remove();
});
"""


def csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


def test_file_page_under_strict_csp_downloads_a_blob_offline(page, tmp_path):
    html = f"""<!doctype html>
<html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '{csp_hash(SCRIPT)}'">
<title>smoke</title></head>
<body><button id="save">Save</button><pre id="payload">{PAYLOAD}</pre>
<script>{SCRIPT}</script>
<script>document.body.dataset.unhashed = "ran";</script>
</body></html>"""
    path = tmp_path / "smoke.html"
    path.write_text(html, encoding="utf-8")
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))

    page.goto(path.as_uri())
    # the CSP is enforced: the hashed script ran, the other inline script did not
    assert page.evaluate("document.body.dataset.ready") == "yes"
    assert page.evaluate("document.body.dataset.unhashed") is None

    with page.expect_download() as info:
        page.click("#save")
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "smoke.txt"
    assert Path(download.path()).read_text(encoding="utf-8") == PAYLOAD

    assert urls and urls[0].startswith("file:")
    assert all(url.startswith(("file:", "data:", "blob:")) for url in urls), urls
