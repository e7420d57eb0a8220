"""One review run: load the rules, pick those that apply, check each file, collect a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Callable

from mtreview import inputs, loaders
from mtreview.document import Document
from mtreview.engine import Engine
from mtreview.grammar.client import GrammarChecker, GrammarSettings, GrammarUnavailable, configured_url, merge
from mtreview.errors import MtreviewError
from mtreview.langdetect import guess
from mtreview.model import Finding, FixSafety, Severity
from mtreview.report import FileResult, Report
from mtreview.rule import HOUSES, LANGUAGES
from mtreview.ruleset import RuleSet
from mtreview.scoring.mqm import DEFAULT_MAP, DEFAULT_PASS
from mtreview.scoring.readability import Targets

SOURCE_LANGS = LANGUAGES + ("auto",)


@dataclass
class Options:
    source_lang: str = "auto"
    rule_dirs: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    house: str = "ap"
    scores: bool = True  # readability and MQM for every file (and reference metrics when given)
    references: list[Path] = field(default_factory=list)
    ci: bool = False  # bootstrap confidence intervals for the reference metrics
    readability: Targets = field(default_factory=Targets)
    mqm_map: dict = field(default_factory=lambda: dict(DEFAULT_MAP))
    mqm_pass: float = DEFAULT_PASS
    grammar: str = "auto"  # on: a LanguageTool server is required; auto: used when one is there; off
    grammar_settings: GrammarSettings = field(default_factory=GrammarSettings)
    fail_on: str = "warning"  # exit 1 from this severity up (never: always 0)
    severity: dict[str, str] = field(default_factory=dict)  # rule id, pack or glob -> severity (config)
    front_matter_prose: list[str] = field(default_factory=lambda: ["title", "description"])
    report_unused_suppressions: bool = False  # a suppression directive that silenced nothing is a finding
    config_label: str = ""  # "<file>: " when a config file set these, for its errors
    changed_only: bool = False  # report only findings on lines of the staged changes (git)
    diff_base: str | None = None  # report only findings on lines changed since this revision (git)


class Reviewer:
    """Holds the loaded rules and compiled engine so many files (and fix passes) reuse them."""

    def __init__(self, options: Options):
        if options.source_lang not in SOURCE_LANGS:
            raise MtreviewError(
                f"--source-lang {options.source_lang!r}: unknown language; use one of {', '.join(SOURCE_LANGS)}"
            )
        if options.house not in HOUSES:
            raise MtreviewError(f"--house {options.house!r}: unknown house style; use one of {', '.join(HOUSES)}")
        self.options = options
        self.ruleset = RuleSet.load(options.rule_dirs)
        # validate selections before reading any file
        self.ruleset.select(options.select, options.ignore, None)
        self._severity = self._severity_overrides(options.severity)
        self._selected: set[str] | None = None  # rule ids --select/--ignore keep (any language)
        self._engines: dict[str | None, Engine] = {}
        self._grammar: GrammarChecker | None = None
        self._grammar_note: str | None = None
        self._suppressor = None  # mtreview.suppress.Suppressor, made for the first file with directives

    def _severity_overrides(self, table: dict[str, str]) -> list[tuple[Callable[[str], bool], Severity]]:
        """``severity`` of the config as (does this rule id match, new severity), in the
        table's order (the last match wins): our rules by id, pack, prefix or glob, checked
        against the rules there are; ``lt.*`` patterns against LanguageTool's ids."""
        out = []
        for pattern, level in table.items():
            if pattern.startswith("lt."):
                out.append((lambda rid, p=pattern: fnmatchcase(rid, p), Severity(level)))
            else:
                ids = self.ruleset.resolve([pattern], f"{self.options.config_label}severity")
                out.append((ids.__contains__, Severity(level)))
        return out

    def _apply_severity(self, findings: list[Finding]) -> None:
        for f in findings:
            for matches, level in self._severity:
                if matches(f.rule):
                    f.severity = level

    def engine(self, lang: str | None) -> Engine:
        if lang not in self._engines:
            rules = self.ruleset.select(self.options.select, self.options.ignore, lang or "any", self.options.house)
            if not self.options.scores:  # --no-scores: the readability scorer is off, its findings too
                rules = [r for r in rules if r.source != "readability"]
            self._engines[lang] = Engine(self.ruleset, rules, house=self.options.house)
        return self._engines[lang]

    def language(self, docs: list[Document]) -> tuple[str | None, str | None]:
        """The source language and, when guessed, a note saying so."""
        if self.options.source_lang != "auto":
            return self.options.source_lang, None
        g = guess([d.scan_text for d in docs], self.ruleset.telltales)
        return g.language, g.describe()

    def check_text(self, text: str, lang: str | None, path: str = "<text>") -> list[Finding]:
        """Findings in ``text``, read as the format ``path`` names (plain text by default)."""
        doc = loaders.load(text, path, self.load_options())
        return self.settle(doc, self.engine(lang).check(doc))

    def load_options(self) -> loaders.LoadOptions:
        return loaders.LoadOptions(front_matter_prose=tuple(self.options.front_matter_prose))

    def settle(self, doc: Document, findings: list[Finding], report_unused: bool = False) -> list[Finding]:
        """Every check's findings kept to the document's prose (mtreview/loaders/markup.py)
        and to what its suppression directives leave (mtreview/suppress.py)."""
        if getattr(doc, "blocks", None) is not None:
            from mtreview.loaders.markup import confine

            findings = confine(doc, findings)
        if getattr(doc, "directives", None):
            if self._suppressor is None:
                from mtreview.suppress import Suppressor

                self._suppressor = Suppressor(self.ruleset)
            findings = self._suppressor.apply(doc, findings, report_unused)
            if self._selected is None:
                self._selected = {r.id for r in self.ruleset.select(self.options.select, self.options.ignore, None)}
            # the findings about directives are rules like others: --select/--ignore apply
            findings = [f for f in findings if f.source != "suppressions" or f.rule in self._selected]
        return findings

    def exit_code(self, report: Report) -> int:
        """1 when a finding is at or above ``fail_on``, else 0."""
        if self.options.fail_on == "never":
            return 0
        threshold = Severity(self.options.fail_on).rank
        return int(any(f.severity.rank >= threshold for r in report.files for f in r.findings))

    def review(self, paths: list[Path]) -> Report:
        files = inputs.collect(paths)
        if self.options.references and len(files) != 1:
            raise MtreviewError(f"--reference: compare one translation at a time ({len(files)} files given); check them one by one")
        references = [(str(p), inputs.read_document(p, "--reference").text) for p in self.options.references]
        docs = [inputs.read_document(p, options=self.load_options()) for p in files]
        lang, note = self.language(docs)
        engine = self.engine(lang)
        notes = [note] if note else []
        changes, hidden = self.changes(), 0
        changed_lines = [changes.lines(doc.path) if changes is not None else None for doc in docs]
        # an unchanged file can have nothing to report: neither our checks nor LanguageTool read it
        wanted = {i: k for k, i in enumerate(i for i, c in enumerate(changed_lines) if c is None or c)}
        grammar = self.grammar(lang)
        pending = grammar.check_all([docs[i] for i in wanted]) if grammar is not None and wanted else None
        results = []
        for i, doc in enumerate(docs):
            changed = changed_lines[i]
            findings = engine.check(doc) if i in wanted else []
            if pending is not None and i in wanted:
                try:
                    findings = merge(findings, pending.result(wanted[i]))
                except GrammarUnavailable as exc:
                    # the rest of the review goes on without it; no second wait on a dead server
                    notes.append(f"grammar: stopped at {doc.path}: {exc}; the files from there on have no grammar findings")
                    pending.cancel()
                    pending = None
            findings = self.settle(doc, findings, self.options.report_unused_suppressions)
            if changed is not None:
                kept = _on_changed_lines(doc, findings, changed)
                hidden += len(findings) - len(kept)
                findings = kept
            self._apply_severity(findings)
            scores = self.scores(doc, findings, references, changed) if self.options.scores else {}
            results.append(FileResult(doc.path, doc, findings, scores))
        if pending is not None:
            pending.cancel()
        if changes is not None:
            notes.append(f"{changes.label}: only findings on changed lines are reported "
                         f"({hidden} elsewhere not shown)")
        if self._grammar_note:
            notes.append(self._grammar_note)
        return Report(results, notes, source_lang=lang, rules={r.id: r for r in engine.rules})

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
        settings = self.options.grammar_settings
        if settings.mother_tongue is None and lang:
            settings.mother_tongue = lang
        url = configured_url(settings)
        if url is None:
            message = ("no LanguageTool server: start one with `mtreview languagetool start` "
                       "or set MTREVIEW_LANGUAGETOOL_URL")
            if self.options.grammar == "on":
                raise MtreviewError(f"--grammar: {message}")
            self._grammar_note = f"grammar: skipped ({message}; --no-grammar silences this)"
            return None
        if self._grammar is None or self._grammar.url != url:
            self._grammar = GrammarChecker(settings, url)
        return self._grammar

    def scores(self, doc: Document, findings: list[Finding], references: list[tuple[str, str]], changed=None) -> dict:
        """Readability, reference metrics (whose omissions and additions join ``findings``;
        with ``changed`` lines, those on them) and the MQM score of everything found."""
        from mtreview.scoring.mqm import mqm_score
        from mtreview.scoring.readability import document_scores

        scores = {"readability": document_scores(doc, self.options.readability)}
        if references:
            from mtreview.scoring.reference import reference_findings, score_reference

            try:
                ref = score_reference(doc.text, references, ci=self.options.ci)
            except ValueError as exc:
                raise MtreviewError(f"{doc.path}: {exc}") from None
            m = ref["metrics"]
            ref["label"] = "Reference"
            ref["value"] = (f"BLEU {m['bleu']['score']:.1f} · chrF++ {m['chrf++']['score']:.1f} · "
                            f"TER {m['ter']['score']:.1f} ({ref['alignment']['method']})")
            scores["reference"] = ref
            added = [_reference_finding(doc, f) for f in reference_findings(scores["reference"])]
            if changed is not None:
                added = _on_changed_lines(doc, added, changed)
            self._apply_severity(added)
            findings.extend(added)
            findings.sort(key=Finding.sort_key)
        scores["mqm"] = mqm_score(findings, doc.word_count(), self.options.mqm_map, self.options.mqm_pass)
        return scores


def _on_changed_lines(doc: Document, findings: list[Finding], changed) -> list[Finding]:
    """The findings whose lines (first to last character) touch a changed line: the one place
    --changed-only and --diff-base choose what is reported."""
    return [f for f in findings
            if changed.touches(doc.line_col(f.start)[0], doc.line_col(max(f.end - 1, f.start))[0])]


def _reference_finding(doc: Document, raw: dict) -> Finding:
    line, column = doc.line_col(raw["start"])
    return Finding(
        rule=raw["rule"], start=raw["start"], end=raw["end"], message=raw["message"],
        severity=Severity(raw.get("severity", "warning")), category=raw["category"], fix=FixSafety.NONE,
        source="reference", line=line, column=column, text=doc.text[raw["start"] : raw["end"]],
    )


def configured(paths: list[Path], config_path: Path | None, flags: dict) -> list[tuple[Reviewer, list[Path]]]:
    """One Reviewer per config file that governs some of the files (see mtreview/config.py),
    with the files it governs; files its include/exclude leave out are not checked."""
    from mtreview import config

    try:
        files = inputs.collect(paths)
    except MtreviewError:
        # a bad --select/--ignore is the first thing to say (it would fail on any file)
        if flags.get("select") or flags.get("ignore"):
            RuleSet.load(flags.get("rules") or []).select(flags.get("select") or [], flags.get("ignore") or [], None)
        raise
    return [(Reviewer(cfg.options(flags)), group) for cfg, group in config.for_files(files, config_path) if group]


def review_all(paths: list[Path], config_path: Path | None, flags: dict, adjust=None) -> tuple[Report, int]:
    """Check the files, each under its config; the combined report and the exit code (1 when
    a file has findings at or above its config's ``fail_on``). ``adjust(options)`` lets the
    caller set what only the command line says (references, MQM)."""
    reports, code = [], 0
    for reviewer, files in configured(paths, config_path, flags):
        if adjust is not None:
            adjust(reviewer.options)
        report = reviewer.review(files)
        reports.append(report)
        code = max(code, reviewer.exit_code(report))
    if len(reports) == 1:
        return reports[0], code
    merged = Report([r for rep in reports for r in rep.files])
    for rep in reports:
        merged.notes.extend(n for n in rep.notes if n not in merged.notes)
        merged.rules.update(rep.rules)
    langs = {rep.source_lang for rep in reports}
    merged.source_lang = langs.pop() if len(langs) == 1 else None
    return merged, code
