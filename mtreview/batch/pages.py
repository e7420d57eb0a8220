"""The review pages the roll-up page links to, "generated on demand": when the roll-up is
written, each article it lists is read again from its input (the articles row names its
input and id), reviewed as ``mtreview batch`` reviewed it (``worker.Worker.report``: the code
of ``mtreview check``), and written as mtreview's usual HTML review page to
``DIR/pages/<name>.html``. An article that can no longer be read as it was (its input gone,
or changed: the record's key is not the row's) gets a note on the roll-up page instead of a
link. When the rules (or mtreview) changed since the run, the pages show today's review and
the roll-up says so.

A page already there made for the same key and today's rules is kept; ``pages/index.json``
records what each page was made for. Review pages of articles no longer listed are removed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from mtreview.errors import MtreviewError
from mtreview.fileio import write_atomic

PAGES = "pages"  # the folder of DIR they go to
INDEX = "index.json"  # page name -> what it was made for (the article's key and the rules)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class PageLink:
    """Where the roll-up links for one article: ``path`` (its review page) or ``note`` (why
    there is none)."""

    path: Path | None = None
    note: str = ""


@dataclass(frozen=True)
class Pages:
    """The review pages written: a link (or a note) per article id, and a note on them all
    (the rules changed since the run), or ""."""

    links: dict[str, PageLink]
    note: str = ""


def page_name(article_id: str) -> str:
    """A file name for the page of ``article_id`` that is safe anywhere and unique: the id's
    letters, digits, dots and dashes (at most 60) and a short hash of the whole id."""
    stem = _UNSAFE.sub("_", article_id).strip("._")[:60] or "article"
    return f"{stem}-{hashlib.sha256(article_id.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}.html"


def _read_index(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


class Reviewing:
    """What reads a run's articles again and reviews them as the run did: the run's settings
    from its manifest (``worker.settings_from_manifest``), its inputs read as it read them
    (``records``), its review (``worker.Worker.report``) and keys (``worker.record_key``)."""

    def __init__(self, manifest: dict, out_dir: Path):
        from mtreview.batch import keys, worker

        self.settings = worker.settings_from_manifest(manifest, out_dir)
        #: the rules (or mtreview) of today, which review the pages: the run's, or not
        self.ruleset = keys.ruleset_fingerprint(self.settings.build().rule_dirs)
        self.same_rules = self.ruleset == manifest.get("ruleset")
        self._worker: worker.Worker | None = None

    def records(self, path: Path, ids: set[str]) -> Iterator:
        """The records of the input ``path`` (those of ``ids`` among them, and maybe others);
        of a folder only the files ``ids`` name are read."""
        from mtreview.batch import records

        s = self.settings
        reading = records.Reading(s.columns, lambda reject: None, s.markup, s.source_spec)
        found = records.input_for(path)
        found.check(reading)
        if isinstance(found, records.Folder):  # not every file of the folder: those listed
            found.files = [f for f in found.files if f.relative_to(path).as_posix() in ids]
        return found.records(reading)

    def key(self, record) -> str:
        from mtreview.batch import worker

        return worker.record_key(record, self.settings)

    def page(self, record) -> str:
        """The review page of ``record``; ``MtreviewError`` when it cannot be read as its format."""
        from mtreview.batch import worker
        from mtreview.report import html

        if self._worker is None:
            self._worker = worker.Worker(self.settings)  # the rules loaded once, for all the pages
        try:
            return html.render(self._worker.report(record))
        except worker.Unreadable as exc:
            raise MtreviewError(str(exc)) from None


def _found(reviewing: Reviewing, input: str, rows: dict[str, dict]) -> dict[str, object]:
    """The records of ``rows`` (by article id) read from ``input``; stops once all are found."""
    found: dict[str, object] = {}
    for record in reviewing.records(Path(input), set(rows)):
        if record.id in rows:
            found[record.id] = record
            if len(found) == len(rows):
                break
    return found


CHANGED = ("no page: the article changed since the run (or the options it was reviewed with); "
           "run mtreview batch again")
OTHER_RULES = ("The rules (or mtreview) changed since this run: the review pages show today's review, which may "
               "differ from the figures here; run mtreview batch again to bring them in line.")


def write_pages(out_dir: Path, manifest: dict, rows: list[dict],
                reviewing: Callable[[dict, Path], Reviewing] = Reviewing) -> Pages:
    """Write the review pages of ``rows`` (articles rows) into ``out_dir/pages``; what to link
    for each article id."""
    folder = out_dir / PAGES
    links: dict[str, PageLink] = {}
    index = _read_index(folder)
    kept: dict[str, str] = {}
    tool: Reviewing | None = None
    by_input: dict[str, dict[str, dict]] = {}
    for row in rows:
        by_input.setdefault(row["input"], {})[row["article_id"]] = row
    for input, wanted in by_input.items():
        if not Path(input).exists():
            links.update((article, PageLink(note=f"no page: its input {input} is gone")) for article in wanted)
            continue
        try:
            if tool is None:
                tool = reviewing(manifest, out_dir)  # the run's rules loaded once, for every page
            found = _found(tool, input, wanted)
        except MtreviewError as exc:
            links.update((article, PageLink(note=f"no page: {exc}")) for article in wanted)
            continue
        for article, row in wanted.items():
            record = found.get(article)
            if record is None:
                links[article] = PageLink(note=f"no page: not in {input} any more")
                continue
            if tool.key(record) != row["key"]:
                links[article] = PageLink(note=CHANGED)
                continue
            name = page_name(article)
            path = folder / name
            made_for = hashlib.sha256(f"{row['key']} {tool.ruleset}".encode()).hexdigest()
            if index.get(name) != made_for or not path.is_file():
                try:
                    page = tool.page(record)
                except MtreviewError as exc:
                    links[article] = PageLink(note=f"no page: {exc}")
                    continue
                folder.mkdir(parents=True, exist_ok=True)
                write_atomic(path, page)
            kept[name] = made_for
            links[article] = PageLink(path=path)
    _tidy(folder, kept)
    return Pages(links, OTHER_RULES if tool is not None and not tool.same_rules and kept else "")


def _tidy(folder: Path, kept: dict[str, str]) -> None:
    """Record what each page was made for (the article's key and today's rules); remove the
    review pages of articles no longer listed (only pages mtreview wrote)."""
    from mtreview.inputs import written_by_mtreview

    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.html")):
        if path.name not in kept and written_by_mtreview(path):
            path.unlink()
    write_atomic(folder / INDEX, json.dumps(kept, indent=1, sort_keys=True) + "\n")
