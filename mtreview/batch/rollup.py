"""The roll-up page of a ``mtreview batch`` output folder (``mtreview report DIR``, ``mtreview
batch ... --report out.html``): one self-contained HTML page (inline CSS and SVG, nothing
loaded, no script) with the run's headline figures, the articles to review first, rule and
category frequencies, the trend by date and a comparison per metadata value (desk, engine).

The folder is read as it is listed in its ``manifest.json``, shard by shard (the articles
tables; the findings tables only until every rule shown has its severity), and summed as it
streams (``mtreview.batch.aggregate``): memory stays flat in the number of articles. The
articles listed to review first get review pages of their own (``mtreview.batch.pages``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from mtreview import __version__
from mtreview.batch import aggregate, charts, outputs
from mtreview.batch.pages import PageLink, Reviewing, write_pages
from mtreview.batch.schema import SCHEMA, meta_column
from mtreview.errors import MtreviewError
from mtreview.fileio import write_atomic
from mtreview.inputs import written_by_mtreview

DEFAULT_PAGE = "report.html"  # in the output folder, unless -o says elsewhere
DEFAULT_PAGES = 50
TOP_RULES = 20  # rules in the chart (the table under it has them all... up to TABLE_RULES)
TABLE_RULES = 200
DATE_COLUMN = "date"
#: The articles columns the page reads (the readability and MQM detail columns are not shown).
READ = ("article_id", "input", "row", "key", "words", "findings", "errors", "warnings", "info", "by_category",
        "by_rule", "mqm_score", "passed")


# -- reading the folder -------------------------------------------------------------------------
def read_manifest(out_dir: Path) -> dict:
    """``out_dir/manifest.json``, checked to be a batch output's of this schema."""
    path = out_dir / outputs.MANIFEST
    if not out_dir.is_dir():
        raise MtreviewError(f"{out_dir}: no such folder; name the output folder of a `mtreview batch` run")
    try:
        manifest = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise MtreviewError(f"{path}: not found: {out_dir} is not the output of a finished `mtreview batch` run; "
                            "run (or finish) mtreview batch -o into it first") from None
    except (OSError, ValueError) as exc:
        raise MtreviewError(f"{path}: cannot be read ({exc}); run mtreview batch again to rewrite it") from None
    if not isinstance(manifest, dict) or manifest.get("schema") != SCHEMA:
        found = manifest.get("schema") if isinstance(manifest, dict) else None
        raise MtreviewError(f"{path}: schema {found!r}, not {SCHEMA!r}; write the output again with this mtreview's batch")
    if manifest.get("format") not in outputs.FORMATS or not isinstance(manifest.get("shards"), list):
        raise MtreviewError(f"{path}: no shards of a known format ({', '.join(outputs.FORMATS)}); "
                            "run mtreview batch again to rewrite it")
    return manifest


def _rows(out_dir: Path, manifest: dict, table: str, columns: list[str]) -> Iterator[list[dict]]:
    """The rows of ``table`` (articles, findings), a shard at a time (maps as dicts)."""
    for shard in manifest["shards"]:
        path = out_dir / shard[table]
        if not path.is_file():
            raise MtreviewError(f"{path}: listed in {out_dir / outputs.MANIFEST} but missing; run mtreview batch again "
                                "to complete the output")
        try:
            yield outputs.read_rows(path, columns)
        except (OSError, ValueError) as exc:  # pyarrow's and orjson's errors are of these
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            raise MtreviewError(f"{path}: cannot be read ({first}); run mtreview batch again to rewrite it") from None


def article_rows(out_dir: Path, manifest: dict) -> Iterator[dict]:
    """Every articles row of the output, shard by shard."""
    meta = list(manifest.get("columns", {}).get("meta") or [])
    for rows in _rows(out_dir, manifest, "articles", list(READ) + [meta_column(m) for m in meta]):
        yield from rows


def rule_kinds(out_dir: Path, manifest: dict, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """The severity and category of the rules ``wanted`` (those of their first finding), from
    the findings tables, read only until every one has been seen."""
    kinds: dict[str, tuple[str, str]] = {}
    if not wanted:
        return kinds
    for rows in _rows(out_dir, manifest, "findings", ["rule", "severity", "category"]):
        for row in rows:
            if row["rule"] in wanted:
                kinds.setdefault(row["rule"], (row["severity"], row["category"]))
        if len(kinds) == len(wanted):
            break
    return kinds


# -- what the page shows --------------------------------------------------------------------------
def href(target: Path, page: Path) -> str:
    """A link from the page at ``page`` to ``target``: relative, each part URL-quoted."""
    rel = os.path.relpath(os.path.abspath(target), os.path.dirname(os.path.abspath(page)))
    return "/".join(quote(part) for part in Path(rel).parts)


def _when(stamp: str | None) -> str:
    """An ISO time stamp as ``2026-12-04 03:44 UTC`` (as it is when it is not one)."""
    if not stamp:
        return "unknown"
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    zone = moment.strftime("%Z") or ("UTC" if moment.utcoffset() is None else moment.strftime("%z"))
    return moment.strftime("%Y-%m-%d %H:%M ") + zone


def _severity_chart(id: str, title: str, desc: str, axis: str, items: list[aggregate.Count], total_articles: int,
                    kind: Callable[[str], str]) -> charts.BarChart:
    return charts.bar_chart(id, title, desc, axis, [
        (c.name, c.findings, f"{c.findings:,} · {_percent(c.articles, total_articles)} of articles", kind(c.name))
        for c in items])


def _percent(part: int, whole: int) -> str:
    if not whole:
        return "0%"
    share = 100.0 * part / whole
    return f"{share:.0f}%" if share >= 10 or share == 0 else f"{share:.1f}%"


def _group_charts(n: int, groups: aggregate.Groups) -> list[charts.BarChart]:
    """The small multiples of one metadata column: a bar chart per measure, one bar per value."""
    name, values = groups.column, groups.values
    measures = (
        ("errors", "Errors per 1,000 words", "sev-error", lambda t: t.per_1000("error"), lambda v: f"{v:.2f}", None),
        ("warnings", "Warnings per 1,000 words", "sev-warning", lambda t: t.per_1000("warning"), lambda v: f"{v:.2f}", None),
        ("mqm", "Mean MQM score", "neutral", lambda t: t.mean_score or 0.0, lambda v: f"{v:.1f}", 100.0),
        ("pass", "Pass rate (%)", "good", lambda t: 100.0 * t.pass_rate, lambda v: f"{v:.0f}%", 100.0),
    )
    out = []
    for key, title, cls, measure, shown, top in measures:
        items = [(value, measure(tally), shown(measure(tally)), cls) for value, tally in values]
        desc = f"{title} by {name}: " + "; ".join(f"{label} {text}" for label, _, text, _ in items) + "."
        out.append(charts.bar_chart(f"g{n}-{key}", f"{title} by {name}", desc, title, items,
                                    width=280, value_room=52, top=top))
    return out


def _trend_chart(trend: aggregate.Trend) -> charts.LineChart | None:
    if not trend.periods:
        return None
    number = aggregate.PERIOD_NUMBER[trend.granularity]
    ticks = {"day": lambda d: d.isoformat(), "week": lambda d: d.isoformat(),
             "month": lambda d: d.strftime("%Y-%m")}[trend.granularity]
    series = [(severity, f"sev-{severity}", dash, [p.tally.per_1000(severity) for p in trend.periods])
              for severity, dash in zip(aggregate.SEVERITIES, ("", "6 4", "2 3"), strict=True)]
    first, last = trend.periods[0], trend.periods[-1]
    desc = (f"Findings per 1,000 words per {trend.granularity}, by severity, from {first.label} to {last.label} "
            f"({len(trend.periods)} {trend.granularity}s with articles). " + "; ".join(
                f"{s} from {values[0]:.2f} to {values[-1]:.2f}, highest {max(values):.2f}" for s, _, _, values in series) + ".")
    x_axis = {"day": "day", "week": "week (starting Monday)", "month": "month"}[trend.granularity]
    return charts.line_chart("trend", f"Findings per 1,000 words per {trend.granularity}", desc, x_axis,
                             "findings per 1,000 words", [number(p.start) for p in trend.periods],
                             [ticks(p.start) for p in trend.periods], series)


class Summary(NamedTuple):
    """What a written roll-up holds, for the line the command says."""

    path: Path
    articles: int
    pages: int  # review pages linked
    unreadable: int  # listed articles without one (their input gone or changed)


def _context(out_dir: Path, page: Path, pages: int, date_column: str | None,
             reviewing: Callable[[dict, Path], Reviewing]) -> tuple[dict, Summary]:
    manifest = read_manifest(out_dir)
    meta = list(manifest.get("columns", {}).get("meta") or [])
    date_name = date_column if date_column is not None else (DATE_COLUMN if DATE_COLUMN in meta else None)
    if date_column is not None and date_column not in meta:
        raise MtreviewError(f"--date-column {date_column}: not a metadata column of this run "
                            f"({', '.join(meta) or 'it has none'}); name one of them")
    rollup = aggregate.Rollup(meta, date_name, pages)
    for row in article_rows(out_dir, manifest):
        rollup.add(row)
    figures = rollup.figures()
    total = figures.total
    top_rules = figures.rules[:TOP_RULES]
    kinds = rule_kinds(out_dir, manifest, {c.name for c in figures.rules[:TABLE_RULES]})
    pages_written = write_pages(out_dir, manifest, figures.review_first, reviewing)
    links = pages_written.links
    rejects = manifest.get("rejects") or outputs.REJECTS
    context = {
        "title": f"Batch roll-up · {out_dir.resolve().name}",
        "folder": str(out_dir),
        "version": __version__,
        "manifest": manifest,
        "finished": _when(manifest.get("finished")),
        "seconds": manifest.get("seconds"),
        "ruleset": str(manifest.get("ruleset") or ""),
        "inputs": manifest.get("inputs") or [],
        "rejects": (manifest.get("totals") or {}).get("rejects", 0),
        "rejects_href": href(out_dir / rejects, page) if (out_dir / rejects).is_file() else None,
        "fail_on": manifest.get("fail_on"),
        "mqm_threshold": manifest.get("mqm_threshold"),
        "total": total,
        "severities": aggregate.SEVERITIES,
        "meta": meta,
        "meta_columns": {m: meta_column(m) for m in meta},
        "review_first": [(row, _link(links.get(row["article_id"]), page)) for row in figures.review_first],
        "pages": pages,
        "pages_note": pages_written.note,
        "rules": figures.rules[:TABLE_RULES],
        "rules_more": max(0, len(figures.rules) - TABLE_RULES),
        "kinds": kinds,
        "rules_chart": _severity_chart(
            "rules", f"The {len(top_rules)} most frequent rules", _counts_desc("Findings per rule", top_rules, total.articles),
            "findings", top_rules, total.articles, lambda name: "sev-" + kinds[name][0] if name in kinds else "neutral")
        if top_rules else None,
        "categories": figures.categories,
        "categories_chart": _severity_chart(
            "categories", "Findings by category", _counts_desc("Findings per category", figures.categories, total.articles),
            "findings", figures.categories, total.articles, lambda name: "neutral") if figures.categories else None,
        "trend": figures.trend,
        "trend_chart": _trend_chart(figures.trend) if figures.trend else None,
        "groups": [(g, _group_charts(n, g)) for n, g in enumerate(figures.groups, 1)],
        "skipped_columns": figures.skipped_columns,
        "max_groups": aggregate.MAX_GROUPS,
    }
    linked = sum(1 for _, link in context["review_first"] if link[0])
    return context, Summary(page, total.articles, linked, len(figures.review_first) - linked)


def _link(link: PageLink | None, page: Path) -> tuple[str | None, str]:
    if link is None:
        return None, ""
    return (href(link.path, page) if link.path is not None else None), link.note


def _counts_desc(what: str, items: list[aggregate.Count], articles: int) -> str:
    shown = "; ".join(f"{c.name} {c.findings:,} ({_percent(c.articles, articles)} of articles)" for c in items[:10])
    return f"{what}, most first: {shown}" + (f"; and {len(items) - 10} more." if len(items) > 10 else ".")


# -- the page ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _assets() -> tuple:
    """The template and its style: review.css's colours and type (its ``:root`` rule), then
    rollup.css."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from mtreview.report.html import TEMPLATES

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(FILTERS)
    review = (TEMPLATES / "review.css").read_text(encoding="utf-8")
    palette = review[review.index(":root {") : review.index("}", review.index(":root {")) + 1]
    style = palette + "\n" + (TEMPLATES / "rollup.css").read_text(encoding="utf-8")
    return env.get_template("rollup.html.j2"), style


FILTERS: dict[str, Callable] = {
    "count": lambda n: f"{n:,}",
    "rate": lambda x: f"{x:,.2f}",
    "score": lambda x: "–" if x is None else f"{x:.1f}",
    "percent": lambda x: f"{100.0 * x:.1f}%",
    "share": _percent,
    "words": lambda n: f"{n / 1e6:,.1f} million" if n >= 10_000_000 else f"{n:,}",
}


def render(out_dir: Path, pages: int = DEFAULT_PAGES, date_column: str | None = None, at: Path | None = None,
           reviewing: Callable[[dict, Path], Reviewing] = Reviewing) -> tuple[str, Summary]:
    """The roll-up page of the output folder ``out_dir`` (and the review pages of the
    ``pages`` articles it lists first, written into ``out_dir/pages``); ``at``: where the page
    will be (its links are relative), by default ``out_dir/report.html``."""
    from markupsafe import Markup

    from mtreview.report.html import _csp_hash

    if pages < 0:
        raise MtreviewError(f"--pages {pages}: use 0 or more")
    page = at if at is not None else out_dir / DEFAULT_PAGE
    context, summary = _context(out_dir, page, pages, date_column, reviewing)
    template, style = _assets()
    csp = f"default-src 'none'; style-src {_csp_hash(style)}; img-src data:; base-uri 'none'; form-action 'none'"
    return template.render(csp=csp, style=Markup(style), **context), summary


def write(out_dir: Path, path: Path | None = None, pages: int = DEFAULT_PAGES, date_column: str | None = None,
          reviewing: Callable[[dict, Path], Reviewing] = Reviewing) -> Summary:
    """Write the roll-up page of ``out_dir`` to ``path`` (default ``out_dir/report.html``),
    atomically; what it holds."""
    target = path if path is not None else out_dir / DEFAULT_PAGE
    if path is None and target.exists() and not written_by_mtreview(target):
        raise MtreviewError(f"{target}: exists and mtreview did not write it; move it away or name the page with -o")
    html, summary = render(out_dir, pages, date_column, target, reviewing)
    write_atomic(target, html)
    return summary


def written_line(summary: Summary) -> str:
    """What ``mtreview report`` says on stderr: the page's address and what it holds."""
    line = f"Roll-up page: {summary.path.resolve().as_uri()} — {summary.articles:,} articles"
    if summary.pages or summary.unreadable:
        line += f", {summary.pages} review page{'' if summary.pages == 1 else 's'}"
    if summary.unreadable:
        line += f" ({summary.unreadable} article{'' if summary.unreadable == 1 else 's'} could not be read again)"
    return line

