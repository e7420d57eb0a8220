"""The HTML review: one self-contained page per run where a copy editor reads the article with
its findings marked, accepts or rejects each suggested edit, and takes the corrected text away.

The page is ``templates/review.html.j2`` with ``review.css`` and ``review.js`` inlined; the
report's data goes in as JSON in a ``<script type="application/json">`` element, encoded so
that no document text can end that element. A Content-Security-Policy meta tag lets the page
load nothing at all and run only its own script and style (their SHA-256 hashes). The edit
semantics in ``review.js`` mirror ``mtreview/fixes.py`` (tested equal in a browser).

A translation reviewed against its source (``Document.source``) adds the source to the page:
its path and language in the header, the aligned source sentence on each card, a side-by-side
view of the aligned sentences and the missing sentences in place. The code for that is in
``review.js`` between ``// <source>`` and ``// </source>`` lines and in ``review-source.css``,
and goes into a page only when one of its files has a source: a page without one is exactly
what it was before bilingual review.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from bisect import bisect_right
from functools import lru_cache
from pathlib import Path

from mtreview import __version__
from mtreview.decisions import finding_id, text_hash
from mtreview.model import Severity
from mtreview.report import article_key
from mtreview.report.docx import STATIC_PARTS
from mtreview.report.json_format import finding_dict

TEMPLATES = Path(__file__).resolve().parent / "templates"

# What may not appear raw inside a <script> element (or JSON read by one): "<" ends it,
# the line separators break older parsers; "&" and ">" are escaped for good measure.
# (str.replace per character: ten times faster than str.translate on a long report.)
_SCRIPT_UNSAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def script_json(data) -> str:
    """JSON that can sit inside a ``<script>`` element whatever strings it holds."""
    out = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _SCRIPT_UNSAFE:
        out = out.replace(char, escape)
    return out


# The lines of review.js only a page with a source runs (hooks and functions), cut out of others
_SOURCE_ONLY_RE = re.compile(r"^[ \t]*// <source>\n.*?^[ \t]*// </source>\n", re.S | re.M)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=2)
def _assets(paired: bool) -> tuple:
    """The template, style and script of a page; ``paired``: one with a source."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    style = (TEMPLATES / "review.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "review.js").read_text(encoding="utf-8")
    if paired:
        style += (TEMPLATES / "review-source.css").read_text(encoding="utf-8")
    else:
        script = _SOURCE_ONLY_RE.sub("", script)
    script += (TEMPLATES / "docx.js").read_text(encoding="utf-8")  # "Download .docx" (mtreview/report/docx.py)
    return env.get_template("review.html.j2"), style, script


def _finding(n: int, f, rules: dict) -> dict:
    """The JSON contract's fields, plus what the page needs: an id that stays the same for
    the same text, the number shown in the article, and the rule's why and instead."""
    rule = rules.get(f.rule)
    return dict(
        finding_dict(f),
        id=finding_id(f),
        n=n,
        why=" ".join(rule.why.split()) if rule is not None else "",
        instead=rule.instead if rule is not None else "",
    )


def _language_name(lang: str | None) -> str:
    """"Spanish (es)"; the code alone when CLDR does not know it; "" for none."""
    if not lang:
        return ""
    from babel import Locale

    name = Locale("en").languages.get(lang)
    return f"{name} ({lang})" if name else lang


def aligned_rows(doc) -> list[list]:
    """The side-by-side view's rows, one per link of ``doc.source``, in order: ``[target start,
    target end, source start, source end, heading, new paragraph]``. A row's target runs on
    over the space after its sentences up to the next row's, within its paragraph, so that
    every finding in a paragraph falls in a row; an omission's target and an addition's source
    are empty. ``new paragraph``: the row starts a paragraph on either side."""
    pairing = doc.source
    links = pairing.links
    paragraphs = doc.paragraphs
    starts = [p.start for p in paragraphs]
    source_starts = [p.start for p in pairing.doc.paragraphs]
    rows: list[list] = []
    para = s_para = -1
    for i, link in enumerate(links):
        t, s = link.target, link.source
        new = False
        end, heading = t.end, False
        if t.end > t.start and paragraphs:
            k = max(0, bisect_right(starts, t.start) - 1)
            new, para = k != para, k
            last = paragraphs[max(0, bisect_right(starts, t.end - 1) - 1)]
            following = next((n.target.start for n in links[i + 1 :] if n.target.start >= t.end), len(doc.text))
            end = max(t.end, min(following, last.end))
            heading = paragraphs[k].heading
        if s.end > s.start:
            k = bisect_right(source_starts, s.start) - 1
            new, s_para = new or k != s_para, k
        rows.append([t.start, end, s.start, s.end, heading, new])
    return rows


def _source(doc) -> dict:
    pairing = doc.source
    return {
        "path": pairing.path,
        "lang": pairing.lang or "",
        "lang_name": _language_name(pairing.lang),
        "text": pairing.doc.text,
        "rows": aligned_rows(doc),
    }


_FRONT_MATTER_KEY_RE = re.compile(r"[ \t]*([\w-]+)[ \t]*[:=]")


def front_matter_labels(doc) -> dict[int, str]:
    """The paragraphs that are front-matter values (a Markdown file's title, description…):
    start offset -> key, so the page labels them instead of showing them as body text."""
    from mtreview.loaders import frontmatter

    end = frontmatter.split(doc.text) if doc.path.lower().endswith((".md", ".markdown")) else 0
    labels = {}
    for p in doc.paragraphs:
        if p.start >= end:
            break
        line = doc.text.rfind("\n", 0, p.start) + 1
        m = _FRONT_MATTER_KEY_RE.match(doc.text, line, p.start)
        if m:
            labels[p.start] = m.group(1)
    return labels


def _file(result, rules: dict) -> dict:
    doc = result.doc
    findings = [_finding(n, f, rules) for n, f in enumerate(result.findings, 1)]
    by_severity = {s.value: 0 for s in Severity}
    by_category: dict[str, int] = {}
    for f in result.findings:
        by_severity[f.severity.value] += 1
        by_category[f.category] = by_category.get(f.category, 0) + 1
    out = {
        "path": result.path,
        "name": Path(result.path).name,
        "hash": text_hash(doc.text),
        "lang": result.lang or "",
        "lang_name": _language_name(result.lang),
        "words": doc.word_count(),
        "text": doc.text,
        "paragraphs": [[p.start, p.end, p.heading] for p in doc.paragraphs],
        "labels": front_matter_labels(doc),
        "findings": findings,
        "by_severity": by_severity,
        "by_category": dict(sorted(by_category.items())),
        "scores": list(result.scores.values()),
    }
    if doc.source is not None:
        out["source"] = _source(doc)
    return out


def page_note(note: str) -> str:
    """A run's note as an editor reads it on the page: the grammar notice without the set-up
    instructions meant for the command line."""
    if note.startswith("grammar: skipped ("):  # not "grammar: skipped 3 malformed matches …"
        return "Grammar and spelling were not checked: no LanguageTool server was running."
    return note


def render(report, color: bool = False) -> str:
    files = [_file(r, report.rules) for r in report.files]
    paired = any("source" in f for f in files)
    template, style, script = _assets(paired)
    data = {
        "schema": "mtreview-review/1",
        "version": __version__,
        "source_lang": report.source_lang,
        "notes": [page_note(n) for n in report.notes],
        "files": files,
        "docx_parts": STATIC_PARTS,
    }
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; style-src {_csp_hash(style)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    title = data["files"][0]["name"] if len(data["files"]) == 1 else f"{len(data['files'])} files"
    from markupsafe import Markup

    return template.render(
        title=title, csp=csp, version=__version__, article=article_key(report), files=data["files"], notes=data["notes"],
        paired=paired, style=Markup(style), script=Markup(script), data=Markup(script_json(data)),
    )
