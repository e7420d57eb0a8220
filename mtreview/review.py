"""One review run: the rules chosen for the run's options, each file checked (the rules,
LanguageTool, the scores), its findings settled, and the whole collected in a Report.

    files ─▶ Documents ─▶ rules (engine) ─┐
                        ─▶ LanguageTool ───┼─▶ settle ─▶ findings ─▶ scores ─▶ Report
                        ─▶ scores' drafts ─┘
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mtreview import inputfile, inputs, loaders, scoring
from mtreview.baseline import Baseline
from mtreview.checker import Checker
from mtreview.config import for_files, left_out
from mtreview.document import Document, Run
from mtreview.errors import MtreviewError
from mtreview.grammar.client import GrammarChecker, GrammarSettings, GrammarUnavailable, configured_url
from mtreview.langdetect import guess, guess_each
from mtreview.model import Finding, Severity
from mtreview.options import Options
from mtreview.progress import Progress
from mtreview.result import FileResult, Report
from mtreview.rule import Rule
from mtreview.ruleset import RuleSet
from mtreview.settle import ChangedLines

GRAMMAR_REQUIRED = 'grammar required (--grammar, or grammar = "on" in the config)'


class Reviewer:
    """Holds the loaded rules and their checkers, so many files (and fix passes) reuse them."""

    def __init__(self, options: Options):
        self.options = options
        self.ruleset = RuleSet.load(list(options.rule_dirs))
        # validate selections before reading any file: the config file's first, named by file and key
        for key in ("select", "ignore"):
            self.ruleset.resolve(list(options.config_values.get(key, ())), f"{options.config_label}{key}")
        self.ruleset.select(options.select, options.ignore, None)
        self._severity, self._lt_severity = self.ruleset.severity_overrides(options.severity, options.config_label)
        self._vocabulary = read_vocabulary(options.vocabulary) if options.vocabulary else frozenset()
        # the findings a baseline holds are not reported (not when a new baseline is being written)
        self.baseline = Baseline.read(options.baseline) if options.baseline and not options.write_baseline else None
        self.glossary = read_glossary(options.glossary) if options.glossary else None
        self._checkers: dict[str | None, Checker] = {}
        self._grammar: GrammarChecker | None = None
        self._grammar_note: str | None = None

    def checker(self, lang: str | None) -> Checker:
        """The checker of the rules the options choose for source language ``lang``."""
        if lang not in self._checkers:
            o = self.options
            rules = self.ruleset.select(o.select, o.ignore, lang or "any", o.house, self._severity)
            if not o.scores:  # --no-scores: the readability scorer is off, its findings too
                rules = [r for r in rules if r.source != "readability"]
            self._checkers[lang] = Checker(self.ruleset, rules, house=o.house, lt_severity=self._lt_severity,
                                           report_unused=o.report_unused_suppressions)
        return self._checkers[lang]

    def languages(self, docs: list[Document]) -> tuple[str | None, list[str | None], list[str]]:
        """The source language of the run and of each of ``docs``, and notes. With
        ``--source-lang auto`` each file is guessed from its own telltales, a file with too
        few to tell taking the run's guess (all the files' telltales together); a note says
        what was guessed, and another how the files differ when they do."""
        if self.options.source_lang != "auto":
            return self.options.source_lang, [self.options.source_lang] * len(docs), []
        telltales = self.ruleset.telltales
        if len(docs) == 1:
            g = guess([docs[0].scan_text], telltales)
            return g.language, [g.language], [g.describe()]
        run, each = guess_each([d.scan_text for d in docs], telltales)
        langs = [g.language if g.language is not None else run.language for g in each]
        notes = [run.describe()]
        if any(lang != run.language for lang in langs):
            counts = Counter(lang or "none" for lang in langs)
            shown = ", ".join(f"{lang} {n}" for lang, n in counts.most_common())
            notes.append(f"source language: guessed per file ({shown} files); a file without telltales "
                         f"takes the run's ({run.language or 'none'})")
        return run.language, langs, notes

    def load_options(self) -> loaders.LoadOptions:
        return loaders.LoadOptions(front_matter_prose=tuple(self.options.front_matter_prose),
                                   source_lang=self.options.source_lang)

    def read(self, files: list[Path]) -> tuple[list[Document], list[str]]:
        """The files as Documents, each paired with its source when the options name one
        (``--source``, the config's ``source``); and notes on sources not found."""
        spec, options = self.options.source, self.load_options()
        docs, missing = [], []
        for path in files:
            source = inputs.source_of(path, spec, len(files)) if spec else None
            if spec and source is None:
                missing.append(str(path))
            docs.append(inputs.read_pair(path, source, options) if source else inputs.read_document(path, options=options))
        self.in_run(docs)
        notes = []
        if missing:
            shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
            notes.append(f"source: none at {spec!r} for {len(missing)} of {len(files)} files ({shown}); "
                         "checked without one")
        return docs, notes

    def check_text(self, text: str, lang: str | None, path: str = "<text>", source: Document | None = None,
                   changed: ChangedLines | None = None) -> list[Finding]:
        """Findings in ``text``, read as the format ``path`` names (plain text by default),
        against ``source`` when given, on ``changed`` lines only when given: the rules alone
        (what the fix loop re-checks)."""
        doc = loaders.load(text, path, self.load_options())
        if source is not None and doc.source is None:
            from mtreview.bilingual.pairing import pair

            doc.source = pair(doc, source, source.path, lang)
        self.in_run([doc])
        return self.checker(lang).settle(doc, changed=changed).findings

    def in_run(self, docs: list[Document]) -> None:
        """``docs`` as the documents checked together (``Document.run``), with the run's
        glossary: what a document-wide check may weigh a document against."""
        run = Run(docs, self.glossary)
        for doc in docs:
            doc.run = run

    def file_language(self, doc: Document, run_lang: str | None) -> str | None:
        """The source language of one file: its source's, when it has one that says."""
        if doc.source is not None and doc.source.lang is not None:
            return doc.source.lang
        return run_lang

    def exit_code(self, report: Report) -> int:
        """1 when a finding is at or above ``fail_on``, else 0."""
        if self.options.fail_on == "never":
            return 0
        threshold = Severity(self.options.fail_on).rank
        return int(any(f.severity.rank >= threshold for r in report.files for f in r.findings))

    def review(self, paths: list[Path], progress: Progress | None = None) -> Report:
        files = inputs.collect(paths)
        if self.options.references and len(files) != 1:
            raise MtreviewError(f"--reference: compare one translation at a time ({len(files)} files given); "
                                "check them one by one")
        references = [(str(p), inputs.read_document(p, "--reference").text) for p in self.options.references]
        docs, notes = self.read(files)
        return self.review_documents(docs, notes, references, progress)

    def review_documents(self, docs: list[Document], notes: list[str] | None = None,
                         references: list[tuple[str, str]] | None = None, progress: Progress | None = None) -> Report:
        """The review of ``docs``, read and put in one run (``read``, ``in_run``): their
        languages, the rules, LanguageTool and the scores of each. ``review`` calls it for the
        files it reads; ``mtreview batch`` for each article of an archive (one document a run),
        so an article is reviewed the same way by both."""
        notes = list(notes or [])
        references = references or []
        monolingual = [d for d in docs if d.source is None or d.source.lang is None]
        if monolingual:
            lang, guessed, guess_notes = self.languages(monolingual)
        else:
            lang, guessed, guess_notes = self.options.source_lang, [], []
        if lang == "auto":
            lang = None
        own = {id(doc): g for doc, g in zip(monolingual, guessed, strict=True)}
        langs = [self.file_language(doc, own.get(id(doc), lang)) for doc in docs]
        notes += guess_notes
        changes, hidden = self.changes(), 0
        floor, below = Severity(self.options.min_severity).rank, 0
        in_baseline = 0
        changed_lines = [changes.lines(doc.path) if changes is not None else None for doc in docs]
        # an unchanged file can have nothing to report: neither our checks nor LanguageTool read it
        wanted = {i: k for k, i in enumerate(i for i, c in enumerate(changed_lines) if c is None or c)}
        grammar = self.grammar(lang)
        pending = grammar.check_all([docs[i] for i in wanted]) if grammar is not None and wanted else None
        answered = pending  # for the notes on its answers, also after a failure
        results = []
        rules: dict[str, Rule] = {}
        progress = progress if progress is not None else Progress(False)
        progress.begin(len(docs), sum(len(d.text) for d in docs))
        for i, doc in enumerate(docs):
            checker = self.checker(langs[i])
            rules.update((r.id, self.ruleset.rules[r.id].for_language(langs[i])) for r in checker.rules)
            measures = scoring.measure(scoring.Subject(doc, self.options, references))
            added = [d for m in measures.values() for d in m.drafts]
            if i in wanted:
                theirs = []
                if pending is not None:
                    try:
                        theirs = pending.result(wanted[i])
                    except GrammarUnavailable as exc:
                        pending.cancel()
                        if self.options.grammar == "on":  # asked for: CI can require that grammar ran
                            raise MtreviewError(f"{GRAMMAR_REQUIRED}: {exc}") from None
                        # the rest of the review goes on without it; no second wait on a dead server
                        notes.append(f"grammar: stopped at {doc.path}: {exc}; the files from there on have no grammar findings")
                        pending = None
                settled = checker.settle(doc, grammar=theirs, added=added, changed=changed_lines[i])
            else:  # nothing changed: nothing of it is reported
                settled = checker.settler.settle(doc, [], added=added, changed=changed_lines[i])
            findings, hidden = settled.findings, hidden + settled.hidden
            if floor > 1:  # --min-severity: the findings below it are not reported, by any format
                shown = [f for f in findings if f.severity.rank >= floor]
                below, findings = below + len(findings) - len(shown), shown
            if self.baseline is not None:
                findings, known = self.baseline.split(doc.path, doc, findings)
                in_baseline += known
            scores = {name: m.figures(findings) for name, m in measures.items()}
            results.append(FileResult(doc.path, doc, findings, scores, langs[i], fail_on=self.options.fail_on))
            progress.advance(len(doc.text))
        if pending is not None:
            pending.cancel()
        if changes is not None:
            notes.append(f"{changes.label}: only findings on changed lines are reported "
                         f"({hidden} elsewhere not shown)")
        if self.baseline is not None:
            notes.append(f"baseline {self.baseline.path}: {in_baseline} finding{'' if in_baseline == 1 else 's'} "
                         "in it not shown")
        if below:
            notes.append(f"min-severity {self.options.min_severity}: {below} finding(s) below it not shown")
        if self._grammar_note:
            notes.append(self._grammar_note)
        if answered is not None:
            notes += answered.notes()  # malformed matches skipped
        return Report(results, notes, source_lang=langs[0] if len(set(langs)) == 1 else None, rules=rules)

    def changes(self):
        """With --changed-only or --diff-base, the changed lines of each file (from git)."""
        if self.options.changed_only and self.options.diff_base is not None:
            raise MtreviewError("--changed-only and --diff-base: use one (staged changes, or changes since a revision)")
        if not self.options.changed_only and self.options.diff_base is None:
            return None
        from mtreview.changes import GitChanges

        return GitChanges(self.options.diff_base)

    def grammar(self, lang: str | None) -> GrammarChecker | None:
        """The run's LanguageTool client, or None (with a note saying why) when grammar is off
        or, in ``auto`` mode, no server is configured or running."""
        if self.options.grammar == "off":
            return None
        lt = self.options.languagetool
        settings = GrammarSettings(
            url=lt.url, language=lt.language, mother_tongue=lang, enabled_rules=list(lt.enable),
            disabled_rules=list(lt.disable), disabled_categories=list(lt.disable_categories), picky=lt.picky,
            vocabulary=self._vocabulary,
        )
        url = configured_url(settings)
        if url is None:
            message = ("no LanguageTool server: start one with `mtreview languagetool start` "
                       "or set MTREVIEW_LANGUAGETOOL_URL")
            if self.options.grammar == "on":
                raise MtreviewError(f"{GRAMMAR_REQUIRED}: {message}")
            self._grammar_note = f"grammar: skipped ({message}; --no-grammar silences this)"
            return None
        if self._grammar is None or self._grammar.url != url:
            self._grammar = GrammarChecker(settings, url)
        return self._grammar


def read_glossary(path: Path):
    """The glossary in the file ``path`` (``mtreview.bilingual.glossary``; read once per
    file, however many reviews name it)."""
    from mtreview.bilingual.glossary import load

    return load(path)


def read_vocabulary(path: Path) -> frozenset[str]:
    """Accepted words and names, one per line; ``#`` starts a comment line."""
    text = inputs.read_text(path, "--vocabulary", inputfile.WORD_LIST)
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#"))


def configured(paths: list[Path], config_path: Path | None, cli: dict | None = None) -> list[tuple[Reviewer, list[Path]]]:
    """One Reviewer per config file that governs some of the files (see mtreview/config.py),
    with the files it governs; files its include/exclude leave out are not checked. ``cli``:
    the command line's option values (``mtreview.options.from_command_line``)."""
    cli = cli or {}
    try:
        files = inputs.collect(paths)
    except MtreviewError:
        # a bad --select/--ignore is the first thing to say (it would fail on any file)
        if cli.get("select") or cli.get("ignore"):
            RuleSet.load(list(cli.get("rule_dirs") or ())).select(cli.get("select") or (), cli.get("ignore") or (), None)
        raise
    groups = for_files(files, config_path)
    if files and not any(group for _, group in groups) and not (cli.get("changed_only") or cli.get("diff_base")):
        # a config that checks nothing must not pass silently (with --changed-only, as in the hook, it may)
        raise MtreviewError(f"nothing to check: the config's include/exclude leave out every file: "
                            f"{left_out(files, [cfg for cfg, _ in groups])}; name files it includes, "
                            "change include/exclude, or pass --config with another file")
    return [(Reviewer(cfg.options(cli)), group) for cfg, group in groups if group]


def _noting(report: Report, skipped: list[Path]) -> Report:
    """``report`` with a note on the files named on the command line that their config's
    include/exclude left out (none: as it is)."""
    if skipped:
        shown = ", ".join(map(str, skipped[:3])) + (f" and {len(skipped) - 3} more" if len(skipped) > 3 else "")
        report.notes.append(f"not checked: {shown} (named, but left out by the config's include/exclude)")
    return report


def review_all(paths: list[Path], config_path: Path | None, cli: dict | None = None,
               progress: Progress | None = None) -> tuple[Report, int]:
    """Check the files, each under its config; the combined report and the exit code (1 when
    a file has findings at or above its config's ``fail_on``, or scores below its
    ``fail_under``). ``progress``: told of each file checked (``mtreview.progress``)."""
    reports, code = [], 0
    groups = configured(paths, config_path, cli)
    checked = {file for _, files in groups for file in files}
    skipped = [p for p in dict.fromkeys(paths) if p not in checked and p.is_file()]
    for reviewer, files in groups:
        report = reviewer.review(files, progress)
        reports.append(report)
        code = max(code, reviewer.exit_code(report))
        fail_under = reviewer.options.fail_under
        if fail_under is not None and any(r.scores["mqm"]["score"] < fail_under for r in report.files):
            code = 1
    if len(reports) == 1:
        return _noting(reports[0], skipped), code
    merged = _noting(Report([r for rep in reports for r in rep.files]), skipped)
    for rep in reports:
        merged.notes.extend(n for n in rep.notes if n not in merged.notes)
        merged.rules.update(rep.rules)
    langs = {rep.source_lang for rep in reports}
    merged.source_lang = langs.pop() if len(langs) == 1 else None
    return merged, code
