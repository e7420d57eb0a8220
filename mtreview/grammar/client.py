"""Grammar and spelling from a LanguageTool server (language-tool-python, ``remote_server``):
its matches as drafts with the same contract as ours (the lifecycle, ``mtreview/settle.py``,
merges them with ours and places them).

One ``GrammarChecker`` per run talks to one server, reused for every file. Every request is
bounded by a timeout; a server that is missing, dead, slow or answers nonsense makes
``check`` raise ``GrammarUnavailable`` with a one-line reason, and the caller goes on
without grammar (the review of everything else completes). Nothing is downloaded: the
server is one the user configured (``MTREVIEW_LANGUAGETOOL_URL``) or started
(``mtreview languagetool start``).
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mtreview.document import Document
from mtreview.grammar.state import server_url
from mtreview.model import Draft, FixSafety, Severity

if TYPE_CHECKING:
    from language_tool_python import LanguageTool

TIMEOUT_VARIABLE = "MTREVIEW_LANGUAGETOOL_TIMEOUT"
TIMEOUT = 20.0  # seconds per request: a warm server checks an article in well under one
CONCURRENCY_VARIABLE = "MTREVIEW_LANGUAGETOOL_CONCURRENCY"
CONCURRENCY = 4  # requests at a time: 1.3–1.4× the KB/s of one at a time on a 2-thread server (bench/grammar.py)


def _default_timeout() -> float:
    value = os.environ.get(TIMEOUT_VARIABLE, "")
    try:
        return float(value) if value else TIMEOUT
    except ValueError:
        return TIMEOUT


def _default_concurrency() -> int:
    value = os.environ.get(CONCURRENCY_VARIABLE, "")
    try:
        return max(1, int(value)) if value else CONCURRENCY
    except ValueError:
        return CONCURRENCY

# LanguageTool's issue types and categories → MQM category and severity.
_ISSUE_TYPES = {
    "misspelling": ("fluency/spelling", Severity.WARNING),
    "grammar": ("fluency/grammar", Severity.WARNING),
    "typographical": ("fluency/punctuation", Severity.INFO),
    "whitespace": ("fluency/punctuation", Severity.INFO),
    "duplication": ("fluency/grammar", Severity.WARNING),
    "inconsistency": ("fluency/inconsistency", Severity.INFO),
    "style": ("style/awkward", Severity.INFO),
    "register": ("fluency/register", Severity.INFO),
    "locale-violation": ("locale/number-format", Severity.INFO),
    "terminology": ("terminology/wrong-term", Severity.INFO),
    "mistranslation": ("accuracy/mistranslation", Severity.WARNING),
    "untranslated": ("accuracy/untranslated", Severity.WARNING),
}
_CATEGORIES = {
    "FALSE_FRIENDS": ("accuracy/mistranslation", Severity.WARNING),
    "TYPOS": ("fluency/spelling", Severity.WARNING),
    "PUNCTUATION": ("fluency/punctuation", Severity.INFO),
    "TYPOGRAPHY": ("fluency/punctuation", Severity.INFO),
    "CASING": ("fluency/grammar", Severity.INFO),
    "REDUNDANCY": ("style/awkward", Severity.INFO),
    "STYLE": ("style/awkward", Severity.INFO),
    "COLLOQUIALISMS": ("fluency/register", Severity.INFO),
}
# LanguageTool rules whose first replacement is right whenever the rule fires.
# LanguageTool rules off unless enabled by name: EN_DATE_WEEKDAY_CURRENTYEAR checks "Monday,
# January 24" against the current year, wrong for every article not written this year.
DEFAULT_DISABLED = ("EN_DATE_WEEKDAY_CURRENTYEAR",)
SAFE_RULES = frozenset({"EN_A_VS_AN", "WHITESPACE_RULE", "COMMA_PARENTHESIS_WHITESPACE", "DOUBLE_PUNCTUATION"})
_WORD_RE = re.compile(r"\b[^\W\d_][\w'’-]*")


class GrammarUnavailable(Exception):
    """LanguageTool could not be used; the message says why and what to do, in one line."""


@dataclass
class GrammarSettings:
    url: str | None = None  # None: MTREVIEW_LANGUAGETOOL_URL, else the managed server
    language: str = "en-US"
    mother_tongue: str | None = None  # from --source-lang (false friends)
    enabled_rules: list[str] = field(default_factory=list)
    disabled_rules: list[str] = field(default_factory=list)
    enabled_categories: list[str] = field(default_factory=list)
    disabled_categories: list[str] = field(default_factory=list)
    picky: bool = False
    vocabulary: frozenset[str] = frozenset()  # accepted words: never misspellings
    timeout: float = field(default_factory=_default_timeout)  # seconds; MTREVIEW_LANGUAGETOOL_TIMEOUT
    concurrency: int = field(default_factory=_default_concurrency)  # MTREVIEW_LANGUAGETOOL_CONCURRENCY


def configured_url(settings: GrammarSettings) -> str | None:
    """The server to use: the settings', ``MTREVIEW_LANGUAGETOOL_URL``, or the one started
    with ``mtreview languagetool start`` (if it is still running)."""
    if settings.url:
        return settings.url
    try:
        return server_url()  # MTREVIEW_LANGUAGETOOL_URL, else the managed server
    except Exception:  # a broken state file is no server
        return None


class Pending:
    """The grammar checks of a run's documents, sent ``concurrency`` at a time in the
    background while the caller runs the other checks; ``result(i)`` waits for document i."""

    def __init__(self, checker: GrammarChecker, docs: list[Document]):
        from concurrent.futures import ThreadPoolExecutor

        self._pool = ThreadPoolExecutor(max(1, min(checker.settings.concurrency, len(docs))),
                                        thread_name_prefix="languagetool")
        self._futures = [self._pool.submit(checker.check, doc) for doc in docs]

    def result(self, i: int) -> list[Draft]:
        return self._futures[i].result()

    def cancel(self) -> None:
        """Drop what has not been sent; requests in flight end within their timeout."""
        self._pool.shutdown(wait=False, cancel_futures=True)


class GrammarChecker:
    def __init__(self, settings: GrammarSettings, url: str):
        self.settings = settings
        self.url = url
        self._tool: LanguageTool | None = None
        self._failed: GrammarUnavailable | None = None  # once the server fails, no more requests
        self._lock = threading.Lock()  # one connection set-up for the concurrent requests

    def check_all(self, docs: list[Document]) -> Pending:
        return Pending(self, docs)

    def _connect(self) -> LanguageTool:
        with self._lock:
            return self._tool or self._set_up()

    def _set_up(self) -> LanguageTool:
        try:
            import language_tool_python
        except ImportError:
            raise GrammarUnavailable("language-tool-python is not installed: pip install language-tool-python") from None
        timeout = self.settings.timeout

        class BoundedTool(language_tool_python.LanguageTool):
            # the library waits up to 300 s per request otherwise; it types the timeout as
            # Literal[300], but requests takes any number of seconds
            _TIMEOUT = timeout  # type: ignore[assignment, unused-ignore]

            def _query_server(self, url, params=None, num_tries=1, method="get"):
                # one try: the library's second would double the wait on a dead or slow server
                return super()._query_server(url, params, num_tries=1, method=method)

        try:
            tool = BoundedTool(self.settings.language, mother_tongue=self.settings.mother_tongue, remote_server=self.url)
        except Exception as exc:  # requests' errors, bad JSON, an unknown language: all mean "not usable"
            raise GrammarUnavailable(f"LanguageTool at {self.url} did not answer ({_reason(exc)})") from None
        s = self.settings
        tool.enabled_rules.update(s.enabled_rules)
        tool.disabled_rules.update(r for r in DEFAULT_DISABLED if r not in s.enabled_rules)
        tool.disabled_rules.update(s.disabled_rules)
        tool.enabled_categories.update(s.enabled_categories)
        tool.disabled_categories.update(s.disabled_categories)
        tool.picky = s.picky
        self._tool = tool
        return tool

    def check(self, doc: Document) -> list[Draft]:
        if self._failed is not None:
            raise self._failed
        try:
            return self._check(doc)
        except GrammarUnavailable as exc:
            self._failed = exc
            raise

    def _check(self, doc: Document) -> list[Draft]:
        tool = self._connect()
        from language_tool_python.exceptions import LanguageToolError

        text = doc.scan_text  # prose only: markup blanked, same offsets
        if not text.strip():
            return []
        try:
            matches = tool.check(text)
        except (LanguageToolError, OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise GrammarUnavailable(f"LanguageTool at {self.url} failed on {doc.path} ({_reason(exc)})") from None
        names = _capitalised_names(doc)
        out = []
        for m in matches:
            draft = self._draft(doc, m, names)
            if draft is not None:
                out.append(draft)
        return out

    def _draft(self, doc: Document, m, names: set[str]) -> Draft | None:
        start = int(m.offset)
        end = start + int(m.error_length)
        if not (0 <= start < end <= len(doc.text)):
            return None
        matched = doc.text[start:end]
        category, severity = _CATEGORIES.get(m.category) or _ISSUE_TYPES.get(m.rule_issue_type) or (
            "fluency/grammar", Severity.INFO)
        message = " ".join(str(m.message).split())
        if category == "fluency/spelling":
            if matched in self.settings.vocabulary or matched.lower() in self.settings.vocabulary:
                return None
            if matched in names:
                # a name the document writes capitalised is most likely right: say so quietly
                severity = Severity.INFO
                message += " (a capitalised name used in this document: check the spelling once)"
        suggestions = tuple(dict.fromkeys(r for r in m.replacements[:5] if r != matched))
        fix = FixSafety.SAFE if m.rule_id in SAFE_RULES and suggestions else FixSafety.UNSAFE if suggestions else FixSafety.NONE
        return Draft(
            rule=f"lt.{m.rule_id}", start=start, end=end, message=message, severity=severity, category=category,
            fix=fix, suggestions=suggestions, source="grammar",
            extra={"languagetool": {"rule": m.rule_id, "category": m.category, "issue_type": m.rule_issue_type}},
        )


def _capitalised_names(doc: Document) -> set[str]:
    """Words the document writes capitalised somewhere other than at a sentence start."""
    text = doc.text
    starts = {s.start for s in doc.sentences}
    names = set()
    for m in _WORD_RE.finditer(text):
        word = m.group()
        if word[0].isupper() and m.start() not in starts and not (m.start() >= 2 and text[m.start() - 2] in ".!?"):
            names.add(word)
    return names


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "Connection refused" in text or "Max retries exceeded" in text:
        return "connection refused: is the server running? `mtreview languagetool start`"
    if any(s in text for s in ("Connection aborted", "reset by peer", "RemoteDisconnected", "Broken pipe")):
        return "connection lost: the server stopped or crashed during the request; `mtreview languagetool status`"
    if "timed out" in text.lower() or "Read timed out" in text:
        return "no answer within the timeout"
    return text[:200]
