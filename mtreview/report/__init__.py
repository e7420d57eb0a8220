"""Output formats. ``FORMATS`` is the one list of them: a new format is one module here with
``render(report, color=False) -> str | bytes`` (bytes: UTF-8, written as they are) and one
entry below. A format meant to be opened
rather than read in a terminal has a default file suffix there: its report goes to
``reports/<file name><suffix>`` (``reports/review<suffix>`` for several files) unless
``--output`` says otherwise (``--output -``: standard output). A default name never takes
over a file mtreview did not write, nor the page of another article of the same name: that
one gets a short hash of its path (``reports/x.txt-1a2b3c4d.html``)."""

from __future__ import annotations

import hashlib
import importlib
import os
import re
import stat
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from mtreview.errors import MtreviewError

if TYPE_CHECKING:  # the command line reads the table above at start-up: nothing heavy here
    from mtreview.result import Report

class Format(NamedTuple):
    module: str
    about: str = ""  # what it is, for the command line's help
    suffix: str | None = None  # written to reports/<file name><suffix> by default, not to standard output


FORMATS: dict[str, Format] = {
    "text": Format("mtreview.report.text"),
    "json": Format("mtreview.report.json_format"),
    "html": Format("mtreview.report.html", "a review page; default reports/<file name>.html", ".html"),
    "sarif": Format("mtreview.report.sarif", "code scanning"),
    "github": Format("mtreview.report.github", "Actions annotations"),
}


def describe() -> str:
    """The formats as the command line's help lists them."""
    shown = [f"{name} ({f.about})" if f.about else name for name, f in FORMATS.items()]
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def format_module(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        from mtreview.options import unknown_choice

        raise MtreviewError(f"--format {fmt!r}: {unknown_choice(fmt, tuple(FORMATS), 'format')}")
    return importlib.import_module(FORMATS[fmt].module)


def use_color(stream) -> bool:
    """Colour on a terminal; ``NO_COLOR`` turns it off, ``FORCE_COLOR`` forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def output_path(report: Report, fmt: str, output: Path | None) -> Path | None:
    """Where the report goes: ``output``, the format's default file, or None (standard output:
    no ``output`` for a format without a default file, or ``-``)."""
    if output is not None and str(output) == "-":
        return None
    suffix = FORMATS[fmt].suffix
    if output is None and suffix:
        output = default_path(report, suffix)
    if output is not None:
        target = os.path.realpath(output)  # not Path.resolve(): a symlink loop is the writer's one-line error
        if any(os.path.realpath(r.path) == target for r in report.files):
            raise MtreviewError(f"--output {output}: that is one of the input files; write the report elsewhere")
    return output


#: The tag a review page mtreview wrote carries: a short hash of the article's resolved path
#: (of all the files' for several), to tell the pages of two articles of the same name apart.
_ARTICLE_META = re.compile(rb'<meta name="mtreview-article" content="([0-9a-f]*)">')


def article_key(report: Report) -> str:
    """Which article(s) a report is of: a short hash of the files' resolved paths."""
    joined = "\0".join(sorted(str(Path(r.path).resolve()) for r in report.files))
    return hashlib.sha256(joined.encode("utf-8", "surrogateescape")).hexdigest()[:10]


def default_path(report: Report, suffix: str) -> Path:
    """``reports/<file name><suffix>`` for one file, ``reports/review<suffix>`` for several. The
    page of another article of the same name already there is kept: this one's name gets a
    short hash of its path. A file there that mtreview did not write is refused."""
    if len(report.files) != 1:
        path = Path("reports") / f"review{suffix}"
        _page_there(path)
        return path
    key = article_key(report)
    name = Path(report.files[0].path).name
    path = Path("reports") / f"{name}{suffix}"
    if _page_there(path) not in (None, "", key):
        path = path.with_name(f"{name}-{key[:8]}{suffix}")
        _page_there(path)
    return path


def _page_there(path: Path) -> str | None:
    """The article key of the page mtreview wrote at ``path`` ("" for a page without one), None
    when no regular file is there (the writer refuses what is not one); a file mtreview did
    not write is refused."""
    from mtreview.inputs import written_by_mtreview

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
    except OSError:
        return None
    if not written_by_mtreview(path):
        raise MtreviewError(f"{path}: exists and mtreview did not write it; move it away or name the report with --output")
    with open(path, "rb") as fh:
        found = _ARTICLE_META.search(fh.read(4096))
    return found.group(1).decode("ascii") if found else ""


def write(report: Report, fmt: str, output: Path | None, stdout=None) -> Path | None:
    """Render the report and write it to its file (atomically) or to standard output; the file
    written, if any."""
    from mtreview.fileio import write_atomic, write_stdout

    module = format_module(fmt)
    path = output_path(report, fmt, output)
    rendered = module.render(report, color=path is None and use_color(stdout if stdout is not None else sys.stdout))
    if path is None:
        write_stdout(rendered)
        return None
    write_atomic(path, rendered)
    return path


def written_line(report: Report, fmt: str, path: Path) -> str:
    """What ``check`` says on stderr of the file it wrote: its ``file://`` address and the
    findings ("Review page: file:///…/reports/x.txt.html — 3 findings (1 error, 2 warnings)")."""
    counts = report.counts()
    total = sum(counts.values())
    order = ("error", "warning", "info")
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in order if counts.get(s)]
    what = f"{total} finding{'' if total == 1 else 's'}" + (f" ({', '.join(parts)})" if parts else "")
    if len(report.files) != 1:
        what += f" in {len(report.files)} files"
    label = "Review page" if fmt == "html" else "Report"
    return f"{label}: {Path(os.path.abspath(path)).as_uri()} — {what}"
