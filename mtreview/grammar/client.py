"""Grammar and spelling from a LanguageTool server: its matches as drafts with the same
contract as ours (the lifecycle, ``mtreview/settle.py``, merges them with ours and places them).

One ``GrammarChecker`` per run talks to one server, reused for every file; ``check_all`` sends
a run's documents ``concurrency`` at a time from daemon threads (``Pending``) while the caller
runs the other checks. Every request has a total deadline (``MTREVIEW_LANGUAGETOOL_TIMEOUT``
seconds, 20, plus one per 2,000 characters of text) and the run has one for all its requests
(``MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT``, 600 s); the socket work is in ``transport.py``, the
answer is checked field by field in ``matches.py`` (a malformed match is skipped and counted).
A server that is missing, dead, slow or answers nonsense makes ``check`` raise
``GrammarUnavailable`` with a one-line reason, and the caller goes on without grammar (or
stops, when grammar was asked for). Waiting is never longer than ``transport.POLL`` between
looks at Ctrl-C and the deadlines, and the threads never keep the process alive. Nothing is
downloaded: the server is one the user configured (``--lt-url``, ``MTREVIEW_LANGUAGETOOL_URL``)
or started (``mtreview languagetool start``).
"""

from __future__ import annotations

import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

from mtreview.document import Document
from mtreview.grammar import transport
from mtreview.grammar.matches import BadAnswer, Match, parse
from mtreview.grammar.state import server_url
from mtreview.model import Draft, FixSafety, Severity
from mtreview.options import http_url_problem

TIMEOUT_VARIABLE = "MTREVIEW_LANGUAGETOOL_TIMEOUT"
TIMEOUT = 20.0  # seconds per request (plus CHARS_PER_SECOND): a warm server checks an article in well under one
CHARS_PER_SECOND = 2000  # a request's deadline grows by a second per this many characters of text
RUN_TIMEOUT_VARIABLE = "MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT"
RUN_TIMEOUT = 600.0  # seconds for all of a run's requests
GRACE = 5.0  # seconds the caller waits past a deadline for a request thread to say it is over
CONCURRENCY_VARIABLE = "MTREVIEW_LANGUAGETOOL_CONCURRENCY"
CONCURRENCY = 4  # requests at a time: 1.3–1.4× the KB/s of one at a time on a 2-thread server (bench/grammar.py)


def _seconds(variable: str, default: float) -> float:
    """A positive number of seconds from the environment, else ``default``."""
    try:
        value = float(os.environ.get(variable, "") or default)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def _default_timeout() -> float:
    return _seconds(TIMEOUT_VARIABLE, TIMEOUT)


def _default_run_timeout() -> float:
    return _seconds(RUN_TIMEOUT_VARIABLE, RUN_TIMEOUT)


def _default_concurrency() -> int:
    value = os.environ.get(CONCURRENCY_VARIABLE, "")
    try:
        return max(1, min(32, int(value))) if value else CONCURRENCY
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
    run_timeout: float = field(default_factory=_default_run_timeout)  # seconds; MTREVIEW_LANGUAGETOOL_RUN_TIMEOUT
    concurrency: int = field(default_factory=_default_concurrency)  # MTREVIEW_LANGUAGETOOL_CONCURRENCY

    def request_seconds(self, chars: int) -> float:
        """The deadline of a request to check ``chars`` characters."""
        return self.timeout + chars / CHARS_PER_SECOND


def configured_url(settings: GrammarSettings) -> str | None:
    """The server to use: the settings', ``MTREVIEW_LANGUAGETOOL_URL``, or the one started
    with ``mtreview languagetool start`` (if it is still running)."""
    if settings.url:
        return settings.url
    try:
        return server_url()  # MTREVIEW_LANGUAGETOOL_URL, else the managed server
    except Exception:  # a broken state file is no server
        return None


class _Slot:
    """One document's check: its result or error once ``done`` is set; ``deadline``: when its
    request must be over (``time.monotonic()``), once it has started."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.done = threading.Event()
        self.deadline: float | None = None
        self.drafts: list[Draft] = []
        self.skipped = 0
        self.error: BaseException | None = None


class Pending:
    """The grammar checks of a run's documents, sent ``concurrency`` at a time by daemon threads
    while the caller runs the other checks; ``result(i)`` waits for document i. The threads stop
    within ``transport.POLL`` of ``cancel``, and never keep the process from exiting (Ctrl-C)."""

    def __init__(self, checker: GrammarChecker, docs: list[Document]):
        self._checker = checker
        self._slots = [_Slot(doc) for doc in docs]
        self._next = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.run_deadline = time.monotonic() + checker.settings.run_timeout
        self.skipped = 0  # malformed matches in the answers read so far
        self._skipped_files = 0
        for n in range(max(1, min(checker.settings.concurrency, len(docs)))):
            threading.Thread(target=self._work, name=f"languagetool-{n}", daemon=True).start()

    def _take(self) -> _Slot | None:
        with self._lock:
            if self._stop.is_set() or self._next >= len(self._slots):
                return None
            slot = self._slots[self._next]
            self._next += 1
            slot.deadline = min(time.monotonic() + self._checker.settings.request_seconds(len(slot.doc.scan_text)),
                                self.run_deadline)
            return slot

    def _work(self) -> None:
        while (slot := self._take()) is not None:
            try:
                slot.drafts, slot.skipped = self._checker.check_counted(slot.doc, run_deadline=self.run_deadline,
                                                                        stop=self._stop)
            except BaseException as exc:  # handed to the caller, as a Future would
                slot.error = exc
            slot.done.set()

    def result(self, i: int) -> list[Draft]:
        """Document i's drafts; ``GrammarUnavailable`` when its check failed, or its request
        thread did not end in time (then the others are stopped)."""
        slot = self._slots[i]
        while not slot.done.wait(transport.POLL):
            limit = slot.deadline if slot.deadline is not None else self.run_deadline
            if time.monotonic() > limit + GRACE:
                self.cancel()
                raise GrammarUnavailable(f"LanguageTool at {self._checker.url} did not answer for {slot.doc.path} "
                                         f"in time ({self._checker.settings.request_seconds(len(slot.doc.scan_text)):.0f} s "
                                         f"timeout, {TIMEOUT_VARIABLE}; {self._checker.settings.run_timeout:.0f} s for the "
                                         f"run, {RUN_TIMEOUT_VARIABLE})")
        if slot.error is not None:
            raise slot.error
        if slot.skipped:
            self.skipped += slot.skipped
            self._skipped_files += 1
        return slot.drafts

    def notes(self) -> list[str]:
        """What the run's answers lacked: malformed matches skipped."""
        if not self.skipped:
            return []
        files = f"{self._skipped_files} file{'s' if self._skipped_files != 1 else ''}"
        matches = f"{self.skipped} malformed match{'es' if self.skipped != 1 else ''}"
        return [f"grammar: skipped {matches} from the server ({self._checker.url}, in {files})"]

    def cancel(self) -> None:
        """Send nothing more; requests in flight stop within ``transport.POLL``."""
        self._stop.set()


class GrammarChecker:
    def __init__(self, settings: GrammarSettings, url: str):
        self.settings = settings
        self.url = url
        self._failed: GrammarUnavailable | None = None  # once the server fails, no more requests

    def check_all(self, docs: list[Document]) -> Pending:
        return Pending(self, docs)

    def check(self, doc: Document) -> list[Draft]:
        """The drafts of LanguageTool's valid matches in ``doc``."""
        return self.check_counted(doc)[0]

    def check_counted(self, doc: Document, run_deadline: float | None = None,
                      stop: threading.Event | None = None) -> tuple[list[Draft], int]:
        """The drafts of LanguageTool's valid matches in ``doc`` and the number of malformed
        ones skipped; the request ends by its deadline, ``run_deadline`` or ``stop``."""
        if self._failed is not None:
            raise self._failed
        try:
            return self._check(doc, run_deadline, stop)
        except GrammarUnavailable as exc:
            if stop is None or not stop.is_set():  # a request the run stopped says nothing of the server
                self._failed = exc
            raise

    def endpoint(self) -> str:
        """``<url>/v2/check``, for a URL given with or without ``/v2``."""
        problem = http_url_problem(self.url)
        if problem:
            raise GrammarUnavailable(f"LanguageTool at {transport.one_line(self.url, 100)!r} cannot be asked: {problem}")
        base = self.url.rstrip("/")
        return (base if base.endswith("/v2") else base + "/v2") + "/check"

    def params(self, text: str) -> dict[str, str]:
        """The form of a ``/v2/check`` request for ``text``."""
        s = self.settings
        params = {"language": s.language, "text": text}
        if s.mother_tongue:
            params["motherTongue"] = s.mother_tongue
        disabled = [r for r in DEFAULT_DISABLED if r not in s.enabled_rules] + list(s.disabled_rules)
        for name, values in (("enabledRules", s.enabled_rules), ("disabledRules", disabled),
                             ("enabledCategories", s.enabled_categories), ("disabledCategories", s.disabled_categories)):
            if values:
                params[name] = ",".join(dict.fromkeys(values))
        if s.picky:
            params["level"] = "picky"
        return params

    def _check(self, doc: Document, run_deadline: float | None, stop: threading.Event | None) -> tuple[list[Draft], int]:
        endpoint = self.endpoint()
        text = doc.scan_text  # prose only: markup blanked, same offsets
        if not text.strip():
            return [], 0
        seconds = self.settings.request_seconds(len(text))
        deadline = time.monotonic() + seconds
        budget = run_deadline is not None and run_deadline < deadline
        failed = f"LanguageTool at {self.url} failed on {doc.path}"
        try:
            status, body = transport.request(endpoint, urllib.parse.urlencode(self.params(text)).encode("utf-8"),
                                             deadline=run_deadline if budget and run_deadline is not None else deadline,
                                             stop=stop)
        except transport.Expired:
            why = (f"the run's {self.settings.run_timeout:g} s for LanguageTool are spent, {RUN_TIMEOUT_VARIABLE}" if budget
                   else f"no complete answer within the {seconds:.0f} s timeout, {TIMEOUT_VARIABLE}")
            raise GrammarUnavailable(f"{failed} ({why})") from None
        except transport.Stopped:
            raise GrammarUnavailable(f"{failed} (stopped)") from None
        except transport.TransportError as exc:
            raise GrammarUnavailable(f"{failed} ({exc})") from None
        if status != 200:
            said = transport.one_line(body[:400].decode("utf-8", "replace"), 120)
            raise GrammarUnavailable(f"{failed} (the server answered HTTP {status}{': ' + said if said else ''})")
        try:
            matches, skipped = parse(body, text)
        except BadAnswer as exc:
            raise GrammarUnavailable(f"{failed} ({exc})") from None
        names = _capitalised_names(doc)
        out: dict[tuple[str, int, int], Draft] = {}  # a match said twice is one finding
        for m in matches:
            draft = self._draft(doc, m, names)
            if draft is not None:
                out.setdefault((draft.rule, draft.start, draft.end), draft)
        return list(out.values()), skipped

    def _draft(self, doc: Document, m: Match, names: set[str]) -> Draft | None:
        start = m.offset
        end = start + m.error_length
        if not (0 <= start < end <= len(doc.text)):
            return None
        matched = doc.text[start:end]
        category, severity = _CATEGORIES.get(m.category) or _ISSUE_TYPES.get(m.rule_issue_type) or (
            "fluency/grammar", Severity.INFO)
        message = m.message
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
