"""``mtreview languagetool install|start|stop|status``: a local LanguageTool server.

Cheap to import (the main CLI imports it at start-up): the work is in
``mtreview.grammar.server``, imported inside each command. ``python -m
mtreview.grammar.commands ...`` runs the same commands without the main CLI.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from mtreview.errors import MtreviewError

languagetool_app = typer.Typer(
    help="A local LanguageTool server for grammar and spelling: install (Maven), start, stop, status.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _mb(size: int) -> str:
    return f"{size / 1e6:.0f} MB"


@languagetool_app.command("install")
def install(
    version: Annotated[
        Optional[str], typer.Option("--version", help="LanguageTool version (default: the newest 6.x that resolves, 6.8 first).")
    ] = None,
) -> None:
    """Resolve LanguageTool's server and language modules with Maven (into ~/.m2) and record the class path."""
    from mtreview.grammar import server

    info = server.install(version)
    how = "already installed" if info.reused else f"resolved by Maven in {info.seconds:.1f} s"
    typer.echo(f"LanguageTool {info.version}: {how} ({len(info.classpath)} jars, {_mb(info.size_bytes)}) in {info.folder}")


@languagetool_app.command("start")
def start(
    port: Annotated[Optional[int], typer.Option("--port", help="Port on 127.0.0.1 (default: a free one).")] = None,
    heap: Annotated[str, typer.Option("--heap", help="Java heap limit (-Xmx), e.g. 512m or 1g.")] = "1g",
    warm: Annotated[
        bool, typer.Option("--warm/--no-warm", help="Also wait for a first English check (it loads the rules: ~10 s).")
    ] = True,
) -> None:
    """Start the installed server in the background on 127.0.0.1 and wait until it is healthy."""
    from mtreview.grammar import server

    info = server.start(port=port, heap=heap, warm=warm)
    if info.reused:
        typer.echo(f"LanguageTool {info.version} is already running at {info.url} (pid {info.pid}"
                   f"{'' if info.healthy else ', NOT answering its healthcheck'})")
        if port is not None and port != info.port:
            typer.echo(f"--port {port} ignored: stop it first with `mtreview languagetool stop`", err=True)
        return
    warmup = f", first check {info.warmup_seconds:.1f} s" if info.warmup_seconds is not None else ""
    typer.echo(f"LanguageTool {info.version} running at {info.url} (pid {info.pid}, healthy after "
               f"{info.startup_seconds:.1f} s{warmup}, heap ≤ {heap})")
    typer.echo(f"log: {info.log}; `mtreview check` uses it; stop it with `mtreview languagetool stop`")


@languagetool_app.command("stop")
def stop() -> None:
    """Stop the server that `start` started."""
    from mtreview.grammar import server

    state = server.status()
    if server.stop():
        typer.echo(f"LanguageTool stopped{f' (was {state.url}, pid {state.pid})' if state else ''}")
    else:
        typer.echo("No LanguageTool server was running.")


@languagetool_app.command("status")
def status(
    url: Annotated[bool, typer.Option("--url", help="Print only the URL mtreview would use.")] = False,
) -> None:
    """Whether the server is running and healthy: exit 0 if so, 1 if not."""
    import os

    from mtreview.grammar import server

    override = os.environ.get(server.URL_VARIABLE)
    if override:
        ok = server.healthy(override)
        typer.echo(override if url else f"{server.URL_VARIABLE}={override}: "
                   f"{'healthy' if ok else 'NOT answering /v2/healthcheck'} (it overrides the managed server)")
        raise typer.Exit(0 if ok else 1)
    info = server.status()
    if info is None:
        if not url:
            typer.echo("LanguageTool is not running: `mtreview languagetool start`")
        raise typer.Exit(1)
    if url:
        typer.echo(info.url)
    else:
        import time

        up = max(0.0, time.time() - info.started)
        typer.echo(f"LanguageTool {info.version} running at {info.url} (pid {info.pid}, up {up / 60:.0f} min, "
                   f"{'healthy' if info.healthy else 'NOT answering /v2/healthcheck'})")
    raise typer.Exit(0 if info.healthy else 1)


def main() -> None:
    """``python -m mtreview.grammar.commands``: errors as in ``mtreview.cli.main``."""
    try:
        languagetool_app(prog_name="mtreview languagetool")
    except MtreviewError as exc:
        sys.stderr.write(f"mtreview: error: {exc}\n")
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
