"""The command line (typer): argument parsing only. Each command turns its arguments into the
options of ``mtreview/options.py`` and calls the module that does the work; help texts and
valid values come from the same tables (options, input formats, output formats)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mtreview.errors import MtreviewError
from mtreview.fileio import write_stdout
from mtreview.grammar.commands import languagetool_app
from mtreview.hook import hook_app
from mtreview.jsontext import dumps_indented
from mtreview.loaders import SUFFIXES
from mtreview.model import SOURCE_LANGUAGES
from mtreview.options import DEFAULT_MQM_PASS, LT_LANGUAGES, OPTIONS, unknown_choice
from mtreview.report import describe as describe_formats
from mtreview.usage import CONTEXT_SETTINGS, Command, Group

app = typer.Typer(
    name="mtreview",
    help="Review machine-translated English copy: calques, garbles, MT artifacts, with suggested edits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    cls=Group,
    context_settings=CONTEXT_SETTINGS,
)
rules_app = typer.Typer(help="List, show and test rules.", no_args_is_help=True, rich_markup_mode=None, cls=Group)
app.add_typer(rules_app, name="rules")
app.add_typer(languagetool_app, name="languagetool", cls=Group)
app.add_typer(hook_app, name="hook", cls=Group)


def _version(value: bool) -> None:
    if value:
        from mtreview import __version__

        typer.echo(f"mtreview {__version__}")
        raise typer.Exit()


@app.callback()
def _top(version: Annotated[bool, typer.Option(
        "--version", "-V", help="Print mtreview's version and exit.", is_eager=True, callback=_version)] = False) -> None:
    # the options of `mtreview` itself (the help is the app's)
    pass


def _split(values: Optional[list[str]]) -> list[str]:
    """--select a,b --select c → [a, b, c]"""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def _help(option: str, more: str = "") -> str:
    """The help of an option, from the option table (``mtreview/options.py``), with
    ``more`` said on the command line only (" (repeatable)") before its final period."""
    return OPTIONS[option].help.removesuffix(".") + more + "."


PathsArg = Annotated[list[Path], typer.Argument(
    help=f"Files or folders (folders: {', '.join('*' + s for s in SUFFIXES)}).", show_default=False, metavar="PATH...")]
SourceLangOpt = Annotated[Optional[str], typer.Option("--source-lang", "-s", help=_help("source_lang"), metavar="LANG")]
RulesOpt = Annotated[Optional[list[Path]], typer.Option("--rules", help=_help("rule_dirs", " (repeatable)"), metavar="DIR")]
SelectOpt = Annotated[Optional[list[str]], typer.Option(
    "--select", help=_help("select", " (comma-separated, repeatable)"), metavar="RULES")]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option(
    "--ignore", help=_help("ignore", " (comma-separated, repeatable)"), metavar="RULES")]
HouseOpt = Annotated[Optional[str], typer.Option("--house", help=_help("house"), metavar="STYLE")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help=(
    "Config file for every file (default: .mtreview.toml or pyproject.toml [tool.mtreview] found upward from each file)."))]
ReferenceOpt = Annotated[Optional[list[Path]], typer.Option("--reference", "-r", help=_help("references"), metavar="FILE")]
CiOpt = Annotated[bool, typer.Option("--ci", help=_help("ci"))]


def _selection(source_lang, rules, select, ignore, house) -> dict:
    """The rule-selection options as given (None: not given; a config file or the default applies)."""
    from mtreview.options import from_command_line

    return from_command_line(source_lang=source_lang, rule_dirs=tuple(rules or ()),
                             select=tuple(_split(select)) or None, ignore=tuple(_split(ignore)), house=house)


@app.command(cls=Command)
def check(
    paths: PathsArg,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {describe_formats()}.")] = "text",
    source_lang: SourceLangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    house: HouseOpt = None,
    config: ConfigOpt = None,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", help=_help("fail_on", " (default: warning)"), metavar="LEVEL")] = None,
    min_severity: Annotated[Optional[str], typer.Option(
        "--min-severity", help=_help("min_severity"), metavar="LEVEL")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the report to this file (-: standard output).", metavar="FILE")] = None,
    reference: ReferenceOpt = None,
    ci: CiOpt = False,
    readability_target: Annotated[Optional[str], typer.Option(
        "--readability-target", help=_help("readability"), metavar="MIN-MAX")] = None,
    mqm_map: Annotated[Optional[str], typer.Option("--mqm-map", help=_help("mqm_map"), metavar="MAP")] = None,
    mqm_pass: Annotated[float, typer.Option("--mqm-pass", help=_help("mqm_pass"), metavar="SCORE")] = DEFAULT_MQM_PASS,
    fail_under: Annotated[Optional[float], typer.Option("--fail-under", help=_help("fail_under"), metavar="SCORE")] = None,
    scores: Annotated[Optional[bool], typer.Option("--scores/--no-scores", help=_help("scores"))] = None,
    grammar: Annotated[Optional[bool], typer.Option("--grammar/--no-grammar", help=_help("grammar"))] = None,
    lt_url: Annotated[Optional[str], typer.Option(
        "--lt-url", metavar="URL",
        help="LanguageTool server URL (else MTREVIEW_LANGUAGETOOL_URL, else `mtreview languagetool start`'s).")] = None,
    lt_language: Annotated[Optional[str], typer.Option(
        "--lt-language", metavar="VARIANT",
        help=f"English variant for LanguageTool: {' or '.join(LT_LANGUAGES)} (default en-US).")] = None,
    lt_enable: Annotated[Optional[list[str]], typer.Option(
        "--lt-enable", metavar="IDS", help="LanguageTool rule ids to turn on (comma-separated, repeatable).")] = None,
    lt_disable: Annotated[Optional[list[str]], typer.Option(
        "--lt-disable", metavar="IDS", help="LanguageTool rule ids to turn off.")] = None,
    lt_disable_category: Annotated[Optional[list[str]], typer.Option(
        "--lt-disable-category", metavar="CATEGORIES", help="LanguageTool categories to turn off (e.g. STYLE).")] = None,
    lt_picky: Annotated[Optional[bool], typer.Option(
        "--lt-picky/--no-lt-picky", help="LanguageTool's picky level (more style rules).")] = None,
    vocabulary: Annotated[Optional[Path], typer.Option("--vocabulary", help=_help("vocabulary"), metavar="FILE")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help=_help("source"), metavar="FILE|PATTERN")] = None,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help=_help("glossary"), metavar="FILE")] = None,
    report_unused_suppressions: Annotated[bool, typer.Option(
        "--report-unused-suppressions", help=_help("report_unused_suppressions"))] = False,
    changed_only: Annotated[bool, typer.Option("--changed-only", help=_help("changed_only"))] = False,
    diff_base: Annotated[Optional[str], typer.Option("--diff-base", help=_help("diff_base"), metavar="REV")] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", metavar="FILE", help=_help("baseline", "; config key baseline"))] = None,
    write_baseline: Annotated[Optional[Path], typer.Option(
        "--write-baseline", metavar="FILE", help=_help("write_baseline"))] = None,
    hook: Annotated[bool, typer.Option("--hook", help=(
        "Pre-commit hook output: the findings that block first, info counted not listed, then what to do "
        "(safe fixes, the review page, --no-verify)."))] = False,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress line on stderr (shown on a terminal for runs over 2 s).")] = False,
) -> None:
    """Check files and report findings. Exit 0: clean at the --fail-on level; 1: findings; 2: bad input."""
    from mtreview import options
    from mtreview import report as reports
    from mtreview.progress import Progress
    from mtreview.review import review_all

    reports.format_module(format)
    lt = {"url": options.languagetool_url(lt_url), "language": options.languagetool_language(lt_language),
          "enable": tuple(_split(lt_enable)) or None,
          "disable": tuple(_split(lt_disable)) or None, "disable_categories": tuple(_split(lt_disable_category)) or None,
          "picky": lt_picky}
    given = _selection(source_lang, rules, select, ignore, house)
    given.update(options.from_command_line(
        fail_on=fail_on, scores=scores, vocabulary=vocabulary, source=source, glossary=glossary,
        readability=options.readability_target(readability_target) if readability_target is not None else None,
        grammar={None: None, True: "on", False: "off"}[grammar],
        languagetool={k: v for k, v in lt.items() if v is not None} or None,
        references=tuple(reference or ()), ci=ci, mqm_map=options.parse_mqm_map(mqm_map),
        mqm_pass=options.quality_score("--mqm-pass", mqm_pass), fail_under=options.quality_score("--fail-under", fail_under),
        report_unused_suppressions=report_unused_suppressions, changed_only=changed_only, diff_base=diff_base,
        min_severity=min_severity, baseline=baseline, write_baseline=write_baseline,
    ))
    progress = Progress.for_terminal(quiet)
    try:
        report, code = review_all(paths, config, given, progress)
    finally:
        progress.finish()
    if write_baseline is not None:  # the baseline instead of a report; the run passes
        from mtreview.baseline import write as write_baseline_file

        typer.echo(write_baseline_file(report, write_baseline), err=True)
        return
    if hook and format == "text" and output is None:
        from mtreview.hook import hook_listing

        write_stdout(hook_listing(report, reports.use_color(sys.stdout)))
    else:
        written = reports.write(report, format, output, sys.stdout)
        if written is not None:
            typer.echo(reports.written_line(report, format, written), err=True)
    if hook and code:
        from mtreview.hook import blocked_message

        flags = {"--source-lang": source_lang, "--rules": rules, "--select": select, "--ignore": ignore,
                 "--house": house, "--config": config}
        typer.echo(blocked_message(report, flags), err=True)
    if code:
        raise typer.Exit(code)


@app.command(cls=Command)
def fix(
    paths: Annotated[Optional[list[Path]], typer.Argument(metavar="PATH...",
        help=f"Files or folders (folders: {', '.join('*' + s for s in SUFFIXES)}); with --decisions or --docx one file "
             "(--decisions: default, the file the decisions name).", show_default=False)] = None,
    write: Annotated[bool, typer.Option("--write", help="Write the fixed text back (atomically).")] = False,
    unsafe: Annotated[bool, typer.Option("--unsafe", help="Also apply fixes marked unsafe.")] = False,
    check: Annotated[bool, typer.Option(
        "--check", help="Write nothing; exit 1 when fix would change something (the diff is printed), 0 when there is "
                        "nothing to fix (for CI).")] = False,
    decisions: Annotated[Optional[Path], typer.Option(
        "--decisions", metavar="FILE",
        help="Apply the decisions exported from the review page (accepted edits and the editor's own) instead of the "
             "rules' fixes; refused if the article has changed since.")] = None,
    docx: Annotated[Optional[Path], typer.Option(
        "--docx", metavar="OUT.docx",
        help="Also write the article as a Word file: the edits as tracked changes, the findings left open as "
             "comments (the article itself changes only with --write).")] = None,
    grammar: Annotated[Optional[bool], typer.Option(
        "--grammar/--no-grammar", help=_help("grammar", " (for the comments of --docx)"))] = None,
    source_lang: SourceLangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    house: HouseOpt = None,
    config: ConfigOpt = None,
    changed_only: Annotated[bool, typer.Option(
        "--changed-only", help="Only fixes on lines of the staged changes (git), as check --changed-only.")] = False,
    diff_base: Annotated[Optional[str], typer.Option(
        "--diff-base", metavar="REV", help="Only fixes on lines changed since this git revision (e.g. origin/main).")] = None,
) -> None:
    """Apply suggested edits (safe ones; --unsafe adds unsafe ones), re-checking until stable,
    or the decisions made on the review page (--decisions). Prints a unified diff; changes
    files only with --write (--check: exit 1 if it would); --docx also writes a Word file with
    the edits as tracked changes."""
    say = lambda line: typer.echo(line, err=True)  # noqa: E731
    if decisions is not None and unsafe:
        raise MtreviewError("--decisions with --unsafe: the decisions say which edits to apply; drop --unsafe")
    if check and (write or docx is not None):
        raise MtreviewError(f"--check with {'--write' if write else '--docx'}: --check writes nothing; drop one of them")
    if (changed_only or diff_base is not None) and (decisions is not None or docx is not None):
        raise MtreviewError(f"{'--changed-only' if changed_only else '--diff-base'} with "
                            f"{'--decisions' if decisions is not None else '--docx'}: the article is fixed whole; drop one")
    if decisions is not None or docx is not None:
        if len(paths or []) > 1:
            raise MtreviewError(f"{'--decisions' if decisions is not None else '--docx'}: one article at a time "
                                f"({len(paths or [])} paths given); name one file")
        from mtreview.fixarticle import fix_article
        from mtreview.options import from_command_line

        given = _selection(source_lang, rules, select, ignore, house)
        given.update(from_command_line(grammar={None: None, True: "on", False: "off"}[grammar]))
        if fix_article(paths[0] if paths else None, decisions, docx, write, unsafe, config, given, write_stdout, say) and check:
            raise typer.Exit(1)
        return
    if not paths:
        raise MtreviewError("fix: name the files or folders to fix (or --decisions FILE)")
    from mtreview.fixing import fix_files
    from mtreview.options import from_command_line
    from mtreview.review import configured

    given = _selection(source_lang, rules, select, ignore, house)
    given.update(from_command_line(changed_only=changed_only, diff_base=diff_base))
    changed = 0
    for reviewer, files in configured(paths, config, given):
        changed += fix_files(reviewer, files, write, unsafe, write_stdout, say)
    if not changed:
        say("Nothing to fix.")
    elif check:
        say(f"fix --check: {changed} file(s) would change; `mtreview fix --write` applies the diff above")
        raise typer.Exit(1)


@app.command(cls=Command)
def init(
    folder: Annotated[Path, typer.Argument(help="Project root (default: here).", show_default=False, metavar="DIR")] = Path("."),
    pre_commit: Annotated[bool, typer.Option(
        "--pre-commit", help="Also write .pre-commit-config.yaml with the mtreview hook.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Write a commented starter .mtreview.toml (and, with --pre-commit, the pre-commit entry)."""
    from mtreview.init import write_starter

    for path in write_starter(folder, pre_commit, force):
        typer.echo(f"wrote {path}")


def _text_or_json(format: str) -> None:
    if format not in ("text", "json"):
        raise MtreviewError(f"--format {format!r}: {unknown_choice(format, ('text', 'json'), 'format')}")


@app.command(cls=Command)
def score(
    hypothesis: Annotated[Path, typer.Argument(metavar="FILE",
        help="The translation (one segment per line, or running text).", show_default=False)],
    reference: Annotated[Optional[list[Path]], typer.Option(
        "--reference", "-r", help="A human reference translation (repeatable; required).", metavar="FILE")] = None,
    ci: CiOpt = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    worst: Annotated[int, typer.Option("--worst", help="How many of the weakest segments to list.", metavar="N")] = 5,
) -> None:
    """Reference metrics only: corpus BLEU, chrF2, chrF++ and TER (sacrebleu, with signatures),
    segment scores, omissions and additions. Same-length files pair line by line; others are
    aligned (never truncated)."""

    from mtreview import inputs
    from mtreview.report.text import reference_lines
    from mtreview.scoring.reference import score_reference

    _text_or_json(format)
    if not reference:
        raise MtreviewError("score needs at least one --reference FILE (a human translation of the same text)")
    if worst < 0:
        raise MtreviewError(f"--worst {worst}: use 0 or more")
    hyp = inputs.read_document(hypothesis)
    refs = [(str(p), inputs.read_document(p, "--reference").text) for p in reference]
    try:
        result = score_reference(hyp.text, refs, ci=ci, worst=worst)
    except ValueError as exc:
        raise MtreviewError(f"{hypothesis}: {exc}") from None
    if format == "json":
        write_stdout(dumps_indented(result).decode("utf-8"))
    else:
        write_stdout("\n".join(reference_lines(result, full=True)) + "\n")


@app.command(cls=Command)
def batch(
    paths: Annotated[list[Path], typer.Argument(
        help="Folders of articles (as check reads them), JSON Lines files (*.jsonl: one object per line) and Parquet "
             "files (*.parquet).", show_default=False, metavar="INPUT...")],
    output: Annotated[Path, typer.Option(
        "--output", "-o", metavar="DIR", show_default=False,
        help="The output folder: findings/ and articles/ tables, rejects.jsonl, manifest.json (created if missing; "
             "a run there again redoes only what changed).")],
    format: Annotated[str, typer.Option("--format", "-f", help="Output tables: parquet or jsonl.")] = "parquet",
    id_column: Annotated[str, typer.Option("--id", help="The id field or column of JSONL and Parquet rows.",
                                           metavar="COL")] = "id",
    text_column: Annotated[str, typer.Option("--text", help="The article text's field or column.", metavar="COL")] = "text",
    source_text: Annotated[Optional[str], typer.Option(
        "--source-text", metavar="COL", help="The field or column of each article's source text (bilingual review).")] = None,
    source_lang_column: Annotated[Optional[str], typer.Option(
        "--source-lang-column", metavar="COL",
        help="The field or column of each article's source language (null: --source-lang's).")] = None,
    meta: Annotated[Optional[list[str]], typer.Option(
        "--meta", metavar="COLS",
        help="Metadata fields or columns copied to both tables as meta_<name> (comma-separated, repeatable).")] = None,
    markup: Annotated[str, typer.Option(
        "--markup", metavar="FORMAT", help="How the texts of JSONL and Parquet rows are read: txt or md.")] = "txt",
    source: Annotated[Optional[str], typer.Option(
        "--source", metavar="PATTERN", help=_help("source", " (for folders)"))] = None,
    executor: Annotated[str, typer.Option(
        "--executor", metavar="NAME", help="Where shards are reviewed: local (this machine's processes) or ray.")] = "local",
    address: Annotated[Optional[str], typer.Option(
        "--address", metavar="ADDR", help="The Ray cluster to run on (--executor ray; default: a local Ray).")] = None,
    workers: Annotated[Optional[int], typer.Option(
        "--workers", metavar="N", help="Worker processes or actors (default: one per core).")] = None,
    shard_size: Annotated[int, typer.Option("--shard-size", metavar="N", help="Articles per shard.")] = 500,
    report: Annotated[Optional[Path], typer.Option(
        "--report", metavar="OUT.html", help="Also write the roll-up page (as `mtreview report DIR`).")] = None,
    fail_on_rejects: Annotated[bool, typer.Option(
        "--fail-on-rejects", help="Exit 1 when some rows were rejected (rejects.jsonl).")] = False,
    source_lang: SourceLangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    house: HouseOpt = None,
    config: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help=(
        "Config file of the run (default: .mtreview.toml or pyproject.toml [tool.mtreview] found upward from the "
        "current folder)."))] = None,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", help=_help("fail_on", " (the articles' blocking and passed columns; default: warning)"),
        metavar="LEVEL")] = None,
    min_severity: Annotated[Optional[str], typer.Option(
        "--min-severity", help=_help("min_severity"), metavar="LEVEL")] = None,
    readability_target: Annotated[Optional[str], typer.Option(
        "--readability-target", help=_help("readability"), metavar="MIN-MAX")] = None,
    mqm_map: Annotated[Optional[str], typer.Option("--mqm-map", help=_help("mqm_map"), metavar="MAP")] = None,
    mqm_pass: Annotated[float, typer.Option("--mqm-pass", help=_help("mqm_pass"), metavar="SCORE")] = DEFAULT_MQM_PASS,
    scores: Annotated[Optional[bool], typer.Option("--scores/--no-scores", help=_help("scores"))] = None,
    grammar: Annotated[Optional[bool], typer.Option("--grammar/--no-grammar", help=_help("grammar"))] = None,
    lt_url: Annotated[Optional[str], typer.Option(
        "--lt-url", metavar="URL",
        help="LanguageTool server URL (else MTREVIEW_LANGUAGETOOL_URL, else `mtreview languagetool start`'s).")] = None,
    vocabulary: Annotated[Optional[Path], typer.Option("--vocabulary", help=_help("vocabulary"), metavar="FILE")] = None,
    glossary: Annotated[Optional[Path], typer.Option("--glossary", help=_help("glossary"), metavar="FILE")] = None,
    quiet: Annotated[bool, typer.Option(
        "--quiet", "-q", help="No progress on stderr (articles/s, MB/s, time left).")] = False,
) -> None:
    """Review an archive (folders, JSON Lines, Parquet) in shards, each article as check reviews it,
    into findings and articles tables; a run again redoes only what changed. Exit 0: the run
    completed (findings do not fail it); 1: rows were rejected and --fail-on-rejects; 2: bad input."""
    from mtreview import options
    from mtreview.batch.pipeline import BatchSettings, run_command
    from mtreview.batch.records import Columns

    given = _selection(source_lang, rules, select, ignore, house)
    given.update(options.from_command_line(
        fail_on=fail_on, min_severity=min_severity, scores=scores, vocabulary=vocabulary, glossary=glossary, source=source,
        readability=options.readability_target(readability_target) if readability_target is not None else None,
        grammar={None: None, True: "on", False: "off"}[grammar],
        languagetool={"url": options.languagetool_url(lt_url)} if lt_url is not None else None,
        mqm_map=options.parse_mqm_map(mqm_map), mqm_pass=options.quality_score("--mqm-pass", mqm_pass),
    ))
    columns = Columns(id_column, text_column, source_text, source_lang_column, tuple(_split(meta)))
    settings = BatchSettings(list(paths), output, columns, format, markup, shard_size, config, given)
    code = run_command(settings, executor, address, workers, report, fail_on_rejects, quiet)
    if code:
        raise typer.Exit(code)


@app.command(cls=Command)
def report(
    folder: Annotated[Path, typer.Argument(
        help="The output folder of a `mtreview batch` run.", show_default=False, metavar="DIR")],
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the page to this file (default: DIR/report.html).", metavar="OUT.html")] = None,
    pages: Annotated[int, typer.Option(
        "--pages", metavar="N", help="How many articles to list to review first, each with its review page "
                                     "written to DIR/pages/ (0: none).")] = 50,
    date_column: Annotated[Optional[str], typer.Option(
        "--date-column", metavar="NAME", help="The metadata column the trend is by (default: date, if the run has it).")] = None,
) -> None:
    """Write the roll-up page of a batch output folder: headline figures, the articles to
    review first (with their review pages), rule and category frequencies, the trend by
    date, and a comparison per metadata value (desk, engine)."""
    from mtreview.batch import rollup

    typer.echo(rollup.written_line(rollup.write(folder, output, pages, date_column)), err=True)


@rules_app.command("list")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    source_lang: Annotated[Optional[str], typer.Option(
        "--source-lang", "-s", help="Only rules for this source language.", metavar="LANG")] = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """List rules by pack: id, severity and message, a line each (--format json: every field)."""
    from mtreview.report.rules import listing
    from mtreview.ruleset import RuleSet

    _text_or_json(format)
    if source_lang is not None and source_lang not in SOURCE_LANGUAGES + ("any",):
        choices = SOURCE_LANGUAGES + ("any",)
        raise MtreviewError(f"--source-lang {source_lang!r}: {unknown_choice(source_lang, choices, 'language')}")
    ruleset = RuleSet.load(list(rules or []))
    write_stdout(listing(ruleset.select(_split(select), _split(ignore), source_lang), format))


@rules_app.command("show", cls=Command)
def rules_show(
    rule_id: Annotated[str, typer.Argument(
        help="A rule id (e.g. garble.det-in-order-to), or a pack, prefix or glob: its rules are listed.", metavar="RULE")],
    rules: RulesOpt = None,
) -> None:
    """What a rule finds, why it matters, its examples and fix safety (a pack, prefix or glob:
    its rules, a line each)."""
    from mtreview.report.rules import explanation, listing
    from mtreview.ruleset import RuleSet

    ruleset = RuleSet.load(list(rules or []))
    rule = ruleset.get(rule_id)
    if rule is None:
        named = ruleset.resolve([rule_id], "rules show")  # none: an error naming the nearest
        if len(named) > 1:
            write_stdout(listing([r for rid, r in ruleset.rules.items() if rid in named], "text")
                         + "`mtreview rules show ID` explains one.\n")
            return
        rule = ruleset.rules[named.pop()]
    elif rule.id != rule_id:
        write_stdout(f"{rule_id} is now {rule.id} (the old id still works in configs, suppressions and --select)\n\n")
    write_stdout(explanation(rule))


@rules_app.command("test", cls=Command)
def rules_test(
    directory: Annotated[Optional[Path], typer.Argument(
        help="A folder of custom packs (default: the built-in rules).", metavar="DIR")] = None,
) -> None:
    """Run every rule's examples; name each failure; exit 1 if any fails."""
    from mtreview.examples import run_examples
    from mtreview.ruleset import RuleSet

    ruleset = RuleSet.load([directory], builtin=False) if directory else RuleSet.load()
    rules = list(ruleset.rules.values())
    if not rules:
        # a wrong folder must not pass silently in CI
        raise MtreviewError(f"{directory}: no rules found in its *.yaml packs; nothing to test")
    failures = run_examples(ruleset, rules)
    for failure in failures:
        typer.echo(f"FAIL {failure}")
    examples = sum(len(r.bad) + len(r.good) for r in rules)
    typer.echo(f"{len(rules)} rules, {examples} examples: {len(failures)} failed")
    if failures:
        raise typer.Exit(1)


def _for(argv: list[str]) -> typer.Typer:
    """The app with only the command or group ``argv`` names: typer builds every registered
    command's options on each run (~20 ms for the others, when `check` alone is wanted).
    Anything else (``--help``, an unknown name) gets the whole app."""
    name = argv[0] if argv else ""
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    slim = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False, no_args_is_help=True,
                       pretty_exceptions_enable=False, rich_markup_mode=None, cls=Group, context_settings=CONTEXT_SETTINGS)
    slim.registered_commands, slim.registered_groups = commands, groups
    slim.callback()(lambda: None)  # a group, even with one command: `mtreview check ...`, not `mtreview ...`
    return slim


def _command_name(command: typer.models.CommandInfo) -> str:
    """What a registered command is called: its own name, else its function's, dashed."""
    if command.name:
        return command.name
    assert command.callback is not None  # @app.command() registers the function it decorates
    return command.callback.__name__.replace("_", "-")


def _wants_json(argv: list[str]) -> bool:
    """Whether the command line asks for ``--format json`` (``-f json``, ``--format=json``,
    ``-fjson``; not after ``--``)."""
    for i, arg in enumerate(argv):
        if arg == "--":
            return False
        if arg in ("--format", "-f"):
            if argv[i + 1 : i + 2] == ["json"]:
                return True
        elif arg in ("--format=json", "-fjson", "-f=json"):
            return True
    return False


def fail(message: str, code: int = 2) -> None:
    """End the run on an error: one line on stderr (control characters written out) and, when
    ``--format json`` was asked for, the error as the JSON contract's document on stdout."""
    from mtreview.report.text import terminal_safe

    _say(f"mtreview: error: {terminal_safe(message)}", message, code)
    sys.exit(code)


def _say(line: str, message: str, code: int) -> None:
    """Say an error that ends the run: ``line`` on stderr and, when ``--format json`` was asked
    for, ``message`` as the JSON contract's error document on stdout."""
    sys.stderr.write(line + "\n")
    if "--hook" in sys.argv[1:]:  # a pre-commit hook: the commit does not happen, and here is why
        sys.stderr.write("mtreview: commit blocked: the check could not run; fix the above, "
                         "or as a last resort `git commit --no-verify` skips it\n")
    if _wants_json(sys.argv[1:]):
        from mtreview.report.json_format import error_document

        with contextlib.suppress(MtreviewError, BrokenPipeError):  # stderr has said it
            write_stdout(error_document(message, code))


def _say_usage(line: str, code: int) -> None:
    """Say a usage error (``mtreview check: no such option --formt …``) as ``_say`` does."""
    _say(line, line, code)


def main() -> None:
    from mtreview.usage import run

    try:
        code = run(typer.main.get_command(_for(sys.argv[1:])), sys.argv[1:], _say_usage)  # usage errors said there, in one line
    except MtreviewError as exc:
        fail(str(exc), exc.exit_code)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(code)
