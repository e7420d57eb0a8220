"""How the command line speaks to a person, on top of typer and click: help that reads well
(``PATH...``, ``FORMAT``, ``[DIR]`` for the values; each command's whole first sentence in a
list of commands; ``-h`` as well as ``--help``) and a usage error in one line, with a
suggestion when a name is close to a known one::

    mtreview check: no such option --formt (did you mean --format?); see mtreview check --help

``Group`` is the class of every command group (``typer.Typer(cls=Group)``); ``Command``
that of the commands with arguments (``@app.command(cls=Command)``); ``run`` runs a command
line and says click's errors so.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

try:  # typer 0.2x carries its own copy of click, whose errors its commands raise
    from typer._click import exceptions as click_errors
except ImportError:  # older typer: click's
    from click import exceptions as click_errors  # type: ignore[no-redef]

from mtreview.options import did_you_mean

#: ``typer.Typer(context_settings=...)`` of the top group: its commands and groups inherit it.
CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}

# A sentence ends at . ! or ? before a space or the end, not in "e.g." or "i.e.".
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)[.!?](?=\s|$)")


def first_sentence(text: str) -> str:
    """The first sentence of a help text, on one line."""
    text = " ".join(text.split())
    end = _SENTENCE_END.search(text)
    return text[: end.end()] if end else text


def _readable(command: Any) -> None:
    """A command as a list of commands and its own help show it: its whole first sentence
    (click cuts it at 45 characters), and a metavar for every option that takes a value
    and has none of its own (its name in capitals, never typer's ``<str>``)."""
    if command.help and not command.short_help:
        command.short_help = first_sentence(command.help)
    for param in command.params:
        if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag and not param.count:
            param.metavar = (param.name or "value").upper().replace("_", "-")


def _usage_name(param: TyperArgument) -> str:
    """An argument in a usage line as click writes it: ``PATH...``, ``[DIR]`` (typer writes
    ``{paths}...``)."""
    name = param.metavar or (param.name or "arg").upper()
    if param.nargs != 1 and not name.endswith("..."):
        name += "..."
    return name if param.required else f"[{name}]"


class Command(TyperCommand):
    """A command whose usage line names its arguments as ``_usage_name`` does."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_usage_name(p) for p in self.get_params(ctx) if isinstance(p, TyperArgument)]


class Group(TyperGroup):
    """A command group whose commands read well (``_readable``) and whose unknown command
    names the nearest known one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _readable(self)
        for command in self.commands.values():
            _readable(command)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name.startswith("-") or self.get_command(ctx, name) is not None:
            return super().resolve_command(ctx, args)
        raise click_errors.UsageError(f"no such command {name!r}{did_you_mean(name, self.list_commands(ctx))}", ctx)


def one_line(error: click_errors.UsageError, where: str = "mtreview") -> str:
    """A usage error as one line: the command (``where`` when the error does not say), what
    is wrong (and the nearest known option, for an unknown one), and where its help is."""
    ctx = error.ctx
    where = ctx.command_path if ctx is not None else where
    if isinstance(error, click_errors.NoSuchOption) and ctx is not None:
        known = [o for p in ctx.command.get_params(ctx) if isinstance(p, TyperOption) for o in (*p.opts, *p.secondary_opts)]
        message = f"no such option {error.option_name}{did_you_mean(error.option_name, known)}"
    else:
        message = error.format_message().strip().removesuffix(".")
        if message[:1].isupper() and message[1:2].islower():
            message = message[0].lower() + message[1:]
    return f"{where}: {' '.join(message.split())}; see {where} --help"


def _command_path(command: Any, args: list[str]) -> str:
    """``mtreview`` and the names of the commands in ``args`` (``mtreview rules show``)."""
    path = ["mtreview"]
    for arg in args:
        if not isinstance(command, TyperGroup):
            break
        if arg.startswith("-"):
            continue
        command = command.commands.get(arg)
        if command is None:
            break
        path.append(arg)
    return " ".join(path)


def _to_stderr(line: str, _code: int) -> None:
    sys.stderr.write(line + "\n")


def run(command: Any, args: list[str], say: Callable[[str, int], None] = _to_stderr) -> int:
    """Run the command line ``args`` and give the exit code. A click error is said: a usage
    error in one line (``one_line``) given to ``say`` with its exit code (by default written
    to stderr); ``mtreview`` or a group alone, its help."""
    try:
        code = command.main(args, prog_name="mtreview", standalone_mode=False)
    except click_errors.ClickException as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # click ≥ 8.2: the help, as asked
            error.show()
        elif isinstance(error, click_errors.UsageError):
            say(one_line(error, _command_path(command, args)), error.exit_code)
        else:
            sys.stderr.write(f"mtreview: error: {error.format_message()}\n")
        return error.exit_code
    except typer.Abort:
        return 1
    return code if isinstance(code, int) else 0
