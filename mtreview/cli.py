"""The command line (typer): argument parsing only; the work happens in the modules it calls."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from mtreview.errors import MtreviewError

app = typer.Typer(
    name="mtreview",
    help="Review machine-translated English copy: calques, garbles, MT artifacts, with suggested edits.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List, show and test rules.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")
from mtreview.grammar.commands import languagetool_app  # noqa: E402  (cheap: its work is imported per command)

app.add_typer(languagetool_app, name="languagetool")
from mtreview.hook import hook_app  # noqa: E402  (cheap, like languagetool_app)

app.add_typer(hook_app, name="hook")


FAIL_ON = ("error", "warning", "info", "never")


def _split(values: Optional[list[str]]) -> list[str]:
    """--select a,b --select c → [a, b, c]"""
    out: list[str] = []
    for value in values or []:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def _formats() -> list[str]:
    from mtreview.report import FORMATS

    return list(FORMATS)


def _check_format(fmt: str) -> str:
    if fmt not in _formats():
        raise MtreviewError(f"--format {fmt!r}: unknown format; use one of {', '.join(_formats())}")
    return fmt


def _use_color(stream) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders (folders: *.txt, *.md, *.markdown, *.html, *.htm).", show_default=False)]
SourceLangOpt = Annotated[
    Optional[str], typer.Option("--source-lang", "-s", help="Source language: es, fr, pt, it, de, or auto (guess from telltales).")
]
RulesOpt = Annotated[Optional[list[Path]], typer.Option("--rules", help="Extra folder of rule packs (repeatable).")]
SelectOpt = Annotated[
    Optional[list[str]], typer.Option("--select", help="Only these rule ids, packs or globs (comma-separated, repeatable).")
]
IgnoreOpt = Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rule ids, packs or globs.")]
HouseOpt = Annotated[Optional[str], typer.Option("--house", help="House style: ap (U.S. news, default) or uk (British news).")]
ConfigOpt = Annotated[
    Optional[Path], typer.Option("--config", help="Config file for every file (default: .mtreview.toml or pyproject.toml [tool.mtreview] found upward from each file).")
]


ReferenceOpt = Annotated[
    Optional[list[Path]], typer.Option("--reference", "-r", help="A human reference translation (repeatable): BLEU, chrF++, TER.")
]
CiOpt = Annotated[bool, typer.Option("--ci", help="Bootstrap 95% confidence intervals for the reference metrics.")]
MqmMapOpt = Annotated[
    Optional[str], typer.Option("--mqm-map", help="Severity → MQM severity, e.g. error=critical,warning=minor.")
]
MqmPassOpt = Annotated[float, typer.Option("--mqm-pass", help="MQM quality score a file needs to pass (0–100).")]


def _score_options(options, reference, ci, mqm_map, mqm_pass, scores: bool) -> None:
    from mtreview.scoring.mqm import parse_map

    options.scores = scores or bool(reference)
    options.references = list(reference or [])
    options.ci = ci
    options.mqm_map = parse_map(mqm_map)
    options.mqm_pass = mqm_pass


def _readability_target(spec: str):
    from mtreview.scoring.readability import Targets

    low, sep, high = spec.partition("-")
    try:
        target = Targets(min_grade=float(low), max_grade=float(high))
    except ValueError:
        target = None
    if not sep or target is None or target.min_grade > target.max_grade:
        raise MtreviewError(f"--readability-target {spec!r}: write MIN-MAX grades, e.g. 8-12")
    return target


def _flags(source_lang, rules, select, ignore, house) -> dict:
    """The rule-selection flags as given (None: not given; a config file or the default applies)."""
    return {"source_lang": source_lang, "rules": list(rules or []), "select": _split(select) or None,
            "ignore": _split(ignore), "house": house}


def _reviewer(source_lang, rules, select, ignore, house=None):
    """A Reviewer from flags alone (commands that read no config file)."""
    from mtreview.config import Config, Settings
    from mtreview.review import Reviewer

    return Reviewer(Config(None, Settings()).options(_flags(source_lang, rules, select, ignore, house)))


@app.command()
def check(
    paths: PathsArg,
    format: Annotated[
        str, typer.Option("--format", "-f", help="Output format: text, json, html (a review page; default reports/<name>.html), sarif (code scanning) or github (Actions annotations).")
    ] = "text",
    source_lang: SourceLangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    house: HouseOpt = None,
    config: ConfigOpt = None,
    fail_on: Annotated[
        Optional[str], typer.Option("--fail-on", help="Exit 1 when findings at or above this level exist: error, warning (default), info, never.")
    ] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    reference: ReferenceOpt = None,
    ci: CiOpt = False,
    readability_target: Annotated[
        Optional[str], typer.Option("--readability-target", help="Document reading grade target, MIN-MAX (Flesch–Kincaid; default 8-12).")
    ] = None,
    mqm_map: MqmMapOpt = None,
    mqm_pass: MqmPassOpt = 95.0,
    fail_under: Annotated[
        Optional[float], typer.Option("--fail-under", help="Exit 1 when a file's MQM quality score is below this.")
    ] = None,
    scores: Annotated[Optional[bool], typer.Option("--scores/--no-scores", help="Readability and MQM scores (default on).")] = None,
    grammar: Annotated[
        Optional[bool], typer.Option("--grammar/--no-grammar", help="LanguageTool grammar and spelling (default: when a server is there).")
    ] = None,
    lt_url: Annotated[Optional[str], typer.Option("--lt-url", help="LanguageTool server URL (else MTREVIEW_LANGUAGETOOL_URL, else `mtreview languagetool start`'s).")] = None,
    lt_language: Annotated[Optional[str], typer.Option("--lt-language", help="English variant for LanguageTool: en-US (default) or en-GB.")] = None,
    lt_enable: Annotated[Optional[list[str]], typer.Option("--lt-enable", help="LanguageTool rule ids to turn on (comma-separated, repeatable).")] = None,
    lt_disable: Annotated[Optional[list[str]], typer.Option("--lt-disable", help="LanguageTool rule ids to turn off.")] = None,
    lt_disable_category: Annotated[Optional[list[str]], typer.Option("--lt-disable-category", help="LanguageTool categories to turn off (e.g. STYLE).")] = None,
    lt_picky: Annotated[Optional[bool], typer.Option("--lt-picky/--no-lt-picky", help="LanguageTool's picky level (more style rules).")] = None,
    vocabulary: Annotated[Optional[Path], typer.Option("--vocabulary", help="Accepted words, one per line: never spelling mistakes.")] = None,
    report_unused_suppressions: Annotated[
        bool, typer.Option("--report-unused-suppressions", help="Report each suppression directive that silenced nothing.")
    ] = False,
    changed_only: Annotated[bool, typer.Option("--changed-only", help="Report only findings on lines of the staged changes (git; for pre-commit hooks).")] = False,
    diff_base: Annotated[Optional[str], typer.Option("--diff-base", help="Report only findings on lines changed since this git revision (e.g. origin/main).", metavar="REV")] = None,
) -> None:
    """Check files and report findings. Exit 0: clean at the --fail-on level; 1: findings; 2: bad input."""
    from mtreview.report import format_module

    fmt = _check_format(format)
    if fail_on is not None and fail_on not in FAIL_ON:
        raise MtreviewError(f"--fail-on {fail_on!r}: use one of {', '.join(FAIL_ON)}")
    if lt_language is not None and lt_language not in ("en-US", "en-GB"):
        raise MtreviewError(f"--lt-language {lt_language!r}: use en-US or en-GB")
    flags = _flags(source_lang, rules, select, ignore, house)
    flags.update(
        fail_on=fail_on, scores=True if (fail_under is not None or reference) else scores,
        readability=_readability_target(readability_target) if readability_target is not None else None,
        grammar=grammar, vocabulary=vocabulary,
        lt={"url": lt_url, "language": lt_language, "enable": _split(lt_enable) or None,
            "disable": _split(lt_disable) or None, "disable-categories": _split(lt_disable_category) or None,
            "picky": lt_picky},
    )

    def command_line_only(options) -> None:
        _score_options(options, reference, ci, mqm_map, mqm_pass, options.scores)
        options.report_unused_suppressions = report_unused_suppressions
        options.changed_only, options.diff_base = changed_only, diff_base

    from mtreview.review import review_all

    report, code = review_all(paths, config, flags, command_line_only)
    module = format_module(fmt)
    if output is None and getattr(module, "DEFAULT_SUFFIX", None):
        stem = Path(report.files[0].path).stem if len(report.files) == 1 else "review"
        output = Path("reports") / (stem + module.DEFAULT_SUFFIX)
    report.color = fmt == "text" and output is None and _use_color(sys.stdout)
    rendered = module.render(report)
    if output is not None:
        from mtreview.fileio import write_atomic

        target = output.resolve()
        if any(Path(r.path).resolve() == target for r in report.files):
            raise MtreviewError(f"--output {output}: that is one of the input files; write the report elsewhere")
        write_atomic(output, rendered)
        typer.echo(str(output), err=True)
    else:
        sys.stdout.write(rendered)
    if fail_under is not None and any(r.scores["mqm"]["score"] < fail_under for r in report.files):
        raise typer.Exit(1)
    if code:
        raise typer.Exit(code)


@app.command()
def fix(
    paths: PathsArg,
    write: Annotated[bool, typer.Option("--write", help="Write the fixed text back (atomically).")] = False,
    unsafe: Annotated[bool, typer.Option("--unsafe", help="Also apply fixes marked unsafe.")] = False,
    source_lang: SourceLangOpt = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    house: HouseOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Apply suggested edits (safe ones; --unsafe adds unsafe ones), re-checking until stable.
    Prints a unified diff; changes files only with --write."""
    from mtreview.review import configured

    changed = 0
    for reviewer, files in configured(paths, config, _flags(source_lang, rules, select, ignore, house)):
        changed += _fix_files(reviewer, files, write, unsafe)
    if not changed:
        typer.echo("Nothing to fix.", err=True)


def _fix_files(reviewer, files: list[Path], write: bool, unsafe: bool) -> int:
    """Fix the files one reviewer governs; how many changed."""
    import difflib

    from mtreview import inputs
    from mtreview.fileio import write_atomic
    from mtreview.fixes import fix_text

    docs = [inputs.read_document(p) for p in files]
    lang, note = reviewer.language(docs)
    if note:
        typer.echo(note, err=True)
    changed = 0
    for path, doc in zip(files, docs):
        result = fix_text(doc.text, lambda t: reviewer.check_text(t, lang, doc.path), unsafe=unsafe)
        if result.text == doc.text:
            continue
        changed += 1
        diff = difflib.unified_diff(
            doc.text.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
        # a last line without a line break gets the marker diff(1) and patch(1) use
        sys.stdout.writelines(
            line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in diff
        )
        if not result.stable:
            typer.echo(f"{path}: fixes did not settle after {result.passes} passes; review the diff", err=True)
        if write:
            write_atomic(path, result.text, original=path)
        typer.echo(f"{path}: {result.applied} edit(s){' written' if write else ''}", err=True)
    return changed


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Project root (default: here).", show_default=False)] = Path("."),
    pre_commit: Annotated[bool, typer.Option("--pre-commit", help="Also write .pre-commit-config.yaml with the mtreview hook.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files.")] = False,
) -> None:
    """Write a commented starter .mtreview.toml (and, with --pre-commit, the pre-commit entry)."""
    from mtreview.init import write_starter

    for path in write_starter(folder, pre_commit, force):
        typer.echo(f"wrote {path}")


@app.command()
def score(
    hypothesis: Annotated[Path, typer.Argument(help="The translation (one segment per line, or running text).", show_default=False)],
    reference: Annotated[
        Optional[list[Path]], typer.Option("--reference", "-r", help="A human reference translation (repeatable; required).")
    ] = None,
    ci: CiOpt = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    worst: Annotated[int, typer.Option("--worst", help="How many of the weakest segments to list.")] = 5,
) -> None:
    """Reference metrics only: corpus BLEU, chrF2, chrF++ and TER (sacrebleu, with signatures),
    segment scores, omissions and additions. Same-length files pair line by line; others are
    aligned (never truncated)."""
    import json

    from mtreview import inputs
    from mtreview.scoring.reference import score_reference

    if format not in ("text", "json"):
        raise MtreviewError(f"--format {format!r}: use text or json")
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
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    from mtreview.report.text import reference_lines

    sys.stdout.write("\n".join(reference_lines(result, full=True)) + "\n")


@rules_app.command("list")
def rules_list(
    format: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
    source_lang: Annotated[Optional[str], typer.Option("--source-lang", "-s", help="Only rules for this source language.")] = None,
    rules: RulesOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
) -> None:
    """List rules: id, severity, category, fix safety, languages, message."""
    import json

    from mtreview.rule import LANGUAGES
    from mtreview.ruleset import RuleSet

    if format not in ("text", "json"):
        raise MtreviewError(f"--format {format!r}: use text or json")
    if source_lang is not None and source_lang not in LANGUAGES + ("any",):
        raise MtreviewError(f"--source-lang {source_lang!r}: unknown language; use one of {', '.join(LANGUAGES)}, any")
    ruleset = RuleSet.load(list(rules or []))
    chosen = ruleset.select(_split(select), _split(ignore), source_lang)
    if format == "json":
        sys.stdout.write(json.dumps([r.to_dict() for r in chosen], ensure_ascii=False, indent=2) + "\n")
        return
    rows = [(r.id, r.severity.value, r.category, r.fix.value, ",".join(sorted(r.languages)), r.message) for r in chosen]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(("ID", "SEVERITY", "CATEGORY", "FIX", "LANG"))]
    header = ("ID", "SEVERITY", "CATEGORY", "FIX", "LANG", "MESSAGE")
    for row in [header] + rows:
        sys.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[5] + "\n")
    sys.stdout.write(f"{len(rows)} rules in {len({r.pack for r in chosen})} packs\n")


@rules_app.command("show")
def rules_show(
    rule_id: Annotated[str, typer.Argument(help="A rule id, e.g. garble.det-in-order-to")],
    rules: RulesOpt = None,
) -> None:
    """What a rule finds, why it matters, its examples and fix safety."""
    from mtreview.ruleset import RuleSet

    ruleset = RuleSet.load(list(rules or []))
    rule = ruleset.rules.get(rule_id)
    if rule is None:
        raise MtreviewError(f"rule {rule_id!r} not found; see `mtreview rules list`")
    d = rule.to_dict()
    out = [
        f"{rule.id}  ({rule.pack} pack, {rule.kind} rule, defined at {rule.origin})",
        "",
        f"What it finds: {rule.message}",
        f"Severity: {rule.severity.value}    Category: {rule.category}    "
        f"Source languages: {', '.join(sorted(rule.languages))}",
        "",
        "Why it matters:",
        f"  {rule.why}",
    ]
    if rule.instead:
        out += ["", "Use instead:", f"  {rule.instead}"]
    fix_text = {"safe": "safe: `mtreview fix` applies it", "unsafe": "unsafe: applied only with `mtreview fix --unsafe`",
                "none": "none: an editor decides"}[rule.fix.value]
    out += ["", f"Fix: {fix_text}"]
    if rule.suggest:
        out.append("Suggestion: " + " | ".join(f"“{s}”" for s in rule.suggest))
    out += ["", "Examples that are flagged ([span] → fixed):"]
    for e in d["examples"]["bad"]:
        out.append(f"  ✗ {e['text']}" + (f"\n    → {e['fixed']}" if "fixed" in e else ""))
    out += ["", "Examples that pass:"]
    out += [f"  ✓ {g}" for g in rule.good]
    sys.stdout.write("\n".join(out) + "\n")


@rules_app.command("test")
def rules_test(
    directory: Annotated[Optional[Path], typer.Argument(help="A folder of custom packs (default: the built-in rules).")] = None,
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
    commands = [c for c in app.registered_commands if (c.name or c.callback.__name__.replace("_", "-")) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    slim = typer.Typer(name=app.info.name, help=app.info.help, add_completion=False, no_args_is_help=True,
                       pretty_exceptions_enable=False, rich_markup_mode=None)
    slim.registered_commands, slim.registered_groups = commands, groups
    slim.callback()(lambda: None)  # a group, even with one command: `mtreview check ...`, not `mtreview ...`
    return slim


def main() -> None:
    try:
        _for(sys.argv[1:])(prog_name="mtreview")
    except MtreviewError as exc:
        sys.stderr.write(f"mtreview: error: {exc}\n")
        sys.exit(2)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
