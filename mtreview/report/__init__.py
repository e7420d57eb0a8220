"""Output formats. ``FORMATS`` is the one list of them: a new format is one module here with
``render(report, color=False) -> str | bytes`` (bytes: UTF-8, written as they are) and one
entry below. A format meant to be opened
rather than read in a terminal has a default file suffix there: its report goes to
``reports/<name><suffix>`` unless ``--output`` says otherwise."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from mtreview.errors import MtreviewError

if TYPE_CHECKING:  # the command line reads the table above at start-up: nothing heavy here
    from mtreview.result import Report

class Format(NamedTuple):
    module: str
    about: str = ""  # what it is, for the command line's help
    suffix: str | None = None  # written to reports/<name><suffix> by default, not to standard output


FORMATS: dict[str, Format] = {
    "text": Format("mtreview.report.text"),
    "json": Format("mtreview.report.json_format"),
    "html": Format("mtreview.report.html", "a review page; default reports/<name>.html", ".html"),
    "sarif": Format("mtreview.report.sarif", "code scanning"),
    "github": Format("mtreview.report.github", "Actions annotations"),
}


def describe() -> str:
    """The formats as the command line's help lists them."""
    shown = [f"{name} ({f.about})" if f.about else name for name, f in FORMATS.items()]
    return ", ".join(shown[:-1]) + " or " + shown[-1]


def format_module(fmt: str) -> ModuleType:
    if fmt not in FORMATS:
        raise MtreviewError(f"--format {fmt!r}: unknown format; use one of {', '.join(FORMATS)}")
    return importlib.import_module(FORMATS[fmt].module)


def use_color(stream) -> bool:
    """Colour on a terminal; ``NO_COLOR`` turns it off, ``FORCE_COLOR`` forces it."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def output_path(report: Report, fmt: str, output: Path | None) -> Path | None:
    """Where the report goes: ``output``, the format's default file, or None (standard output)."""
    suffix = FORMATS[fmt].suffix
    if output is None and suffix:
        stem = Path(report.files[0].path).stem if len(report.files) == 1 else "review"
        output = Path("reports") / (stem + suffix)
    if output is not None:
        target = output.resolve()
        if any(Path(r.path).resolve() == target for r in report.files):
            raise MtreviewError(f"--output {output}: that is one of the input files; write the report elsewhere")
    return output


def write(report: Report, fmt: str, output: Path | None, stdout) -> Path | None:
    """Render the report and write it to its file (atomically) or to ``stdout``; the file
    written, if any."""
    module = format_module(fmt)
    path = output_path(report, fmt, output)
    rendered = module.render(report, color=path is None and use_color(stdout))
    if path is None:
        if isinstance(rendered, bytes):
            if hasattr(stdout, "buffer"):
                stdout.flush()
                stdout.buffer.write(rendered)
                stdout.buffer.flush()
                return None
            rendered = rendered.decode("utf-8", "surrogatepass")
        stdout.write(rendered)
        return None
    from mtreview.fileio import write_atomic

    write_atomic(path, rendered)
    return path
