"""One review run: load the rules, pick those that apply, check each file, collect a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mtreview import inputs
from mtreview.document import Document
from mtreview.engine import Engine
from mtreview.errors import MtreviewError
from mtreview.langdetect import guess
from mtreview.model import Finding
from mtreview.report import FileResult, Report
from mtreview.rule import HOUSES, LANGUAGES
from mtreview.ruleset import RuleSet

SOURCE_LANGS = LANGUAGES + ("auto",)


@dataclass
class Options:
    source_lang: str = "auto"
    rule_dirs: list[Path] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    house: str = "ap"


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
        docs = [inputs.read_document(p) for p in files]
        lang, note = self.language(docs)
        engine = self.engine(lang)
        results = [FileResult(d.path, d, engine.check(d)) for d in docs]
        return Report(results, [note] if note else [], source_lang=lang, rules={r.id: r for r in engine.rules})
