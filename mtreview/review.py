"""One review run: load the rules, pick those that apply, check each file, collect a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtreview import inputs
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
        self._engines: dict[str | None, Engine] = {}
        self._grammar: GrammarChecker | None = None
        self._grammar_note: str | None = None

    def engine(self, lang: str | None) -> Engine:
        if lang not in self._engines:
            rules = self.ruleset.select(self.options.select, self.options.ignore, lang or "any", self.options.house)
            self._engines[lang] = Engine(self.ruleset, rules, house=self.options.house)
        return self._engines[lang]

    def language(self, docs: list[Document]) -> tuple[str | None, str | None]:
        """The source language and, when guessed, a note saying so."""
        if self.options.source_lang != "auto":
            return self.options.source_lang, None
        g = guess([d.text for d in docs], self.ruleset.telltales)
        return g.language, g.describe()

    def check_text(self, text: str, lang: str | None, path: str = "<text>") -> list[Finding]:
        return self.engine(lang).check(Document(text, path))

    def review(self, paths: list[Path]) -> Report:
        files = inputs.collect(paths)
        if self.options.references and len(files) != 1:
            raise MtreviewError(f"--reference: compare one translation at a time ({len(files)} files given); check them one by one")
        references = [(str(p), inputs.read_document(p, "--reference").text) for p in self.options.references]
        docs = [inputs.read_document(p) for p in files]
        lang, note = self.language(docs)
        engine = self.engine(lang)
        notes = [note] if note else []
        grammar = self.grammar(lang)
        pending = grammar.check_all(docs) if grammar is not None else None
        results = []
        for i, doc in enumerate(docs):
            findings = engine.check(doc)
            if pending is not None:
                try:
                    findings = merge(findings, pending.result(i))
                except GrammarUnavailable as exc:
                    # the rest of the review goes on without it; no second wait on a dead server
                    notes.append(f"grammar: stopped at {doc.path}: {exc}; the files from there on have no grammar findings")
                    pending.cancel()
                    pending = None
            scores = self.scores(doc, findings, references) if self.options.scores else {}
            results.append(FileResult(doc.path, doc, findings, scores))
        if pending is not None:
            pending.cancel()
        if self._grammar_note:
            notes.append(self._grammar_note)
        return Report(results, notes, source_lang=lang, rules={r.id: r for r in engine.rules})

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

    def scores(self, doc: Document, findings: list[Finding], references: list[tuple[str, str]]) -> dict:
        """Readability, reference metrics (whose omissions and additions join ``findings``)
        and the MQM score of everything found."""
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
            findings.extend(_reference_finding(doc, f) for f in reference_findings(scores["reference"]))
            findings.sort(key=Finding.sort_key)
        scores["mqm"] = mqm_score(findings, doc.word_count(), self.options.mqm_map, self.options.mqm_pass)
        return scores


def _reference_finding(doc: Document, raw: dict) -> Finding:
    line, column = doc.line_col(raw["start"])
    return Finding(
        rule=raw["rule"], start=raw["start"], end=raw["end"], message=raw["message"],
        severity=Severity(raw.get("severity", "warning")), category=raw["category"], fix=FixSafety.NONE,
        source="reference", line=line, column=column, text=doc.text[raw["start"] : raw["end"]],
    )
