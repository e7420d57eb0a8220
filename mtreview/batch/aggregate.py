"""The figures of a roll-up page, summed over a batch's article rows as they stream past
(``Rollup.add`` one row at a time, ``Rollup.figures`` at the end): memory stays flat in the
number of articles. What is kept: running totals, one tally per rule, category, day and
metadata value (a metadata column with more than ``MAX_GROUPS`` values stops being tallied),
and the ``keep`` articles to review first (of those with findings, or failed).

A row is a dict with the columns of ``schema.ARTICLES`` (``by_rule`` and ``by_category`` as
dicts) and the run's ``meta_<name>`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from math import inf

from mtreview.batch.schema import meta_column

#: A metadata column is compared value by value (per desk, per engine) when it has this many
#: distinct values at most (and at least ``MIN_GROUPS``).
MAX_GROUPS = 50
MIN_GROUPS = 2
SEVERITIES = ("error", "warning", "info")
#: The row columns of each severity's count.
SEVERITY_COLUMNS = {"error": "errors", "warning": "warnings", "info": "info"}
NO_VALUE = "(none)"  # how a metadata value that is null is shown


@dataclass
class Tally:
    """Articles, words and findings of a set of articles (the whole run, a desk, a day)."""

    articles: int = 0
    words: int = 0
    findings: int = 0
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))
    passed: int = 0
    scored: int = 0  # articles with an MQM score
    score_sum: float = 0.0
    rules: dict[str, int] = field(default_factory=dict)  # findings per rule (groups only)

    def add(self, row: dict, rules: bool = False) -> None:
        self.articles += 1
        self.words += row["words"] or 0
        self.findings += row["findings"] or 0
        by_severity = self.by_severity
        for severity, column in SEVERITY_COLUMNS.items():
            by_severity[severity] += row[column] or 0
        self.passed += bool(row["passed"])
        score = row["mqm_score"]
        if score is not None:
            self.scored += 1
            self.score_sum += score
        if rules and row["by_rule"]:
            mine = self.rules
            for rule, n in row["by_rule"].items():  # not Counter.update: several times slower on small dicts
                mine[rule] = mine.get(rule, 0) + n

    def top_rules(self, n: int) -> list[tuple[str, int]]:
        """The ``n`` rules with the most findings (groups only), the id settling ties."""
        return sorted(self.rules.items(), key=lambda item: (-item[1], item[0]))[:n]

    def per_1000(self, severity: str | None = None) -> float:
        """Findings (of ``severity``; None: all) per 1,000 words."""
        count = self.findings if severity is None else self.by_severity[severity]
        return 1000.0 * count / self.words if self.words else 0.0

    @property
    def pass_rate(self) -> float:
        return self.passed / self.articles if self.articles else 0.0

    @property
    def mean_score(self) -> float | None:
        return self.score_sum / self.scored if self.scored else None


@dataclass(frozen=True)
class Count:
    """A rule's or category's findings and the articles that have at least one."""

    name: str
    findings: int
    articles: int


@dataclass(frozen=True)
class Period:
    """A day, week or month of the trend: its first day, its label and its tally."""

    start: date
    label: str
    tally: Tally


@dataclass(frozen=True)
class Trend:
    column: str
    granularity: str  # "day", "week" or "month"
    periods: list[Period]  # in order, only those with articles
    undated: int  # articles whose date could not be read


@dataclass(frozen=True)
class Groups:
    """One metadata column compared value by value."""

    column: str
    values: list[tuple[str, Tally]]  # most articles first


@dataclass(frozen=True)
class Figures:
    total: Tally
    rules: list[Count]  # most findings first
    categories: list[Count]
    review_first: list[dict]  # the rows, lowest score first
    groups: list[Groups]
    skipped_columns: dict[str, int]  # metadata column -> distinct values, for those not compared
    trend: Trend | None


def review_order(row: dict) -> tuple:
    """Which article to review first: the lowest MQM score (articles without one after those
    with), then the most errors, warnings and findings; the id settles ties."""
    score = row["mqm_score"]
    return (score is None, score if score is not None else inf, -(row["errors"] or 0), -(row["warnings"] or 0),
            -(row["findings"] or 0), row["article_id"])


# Granularity of the trend by the span of the dates: the first whose limit (days) the span fits in.
GRANULARITIES: tuple[tuple[str, float], ...] = (("day", 92), ("week", 3 * 366), ("month", inf))
_PERIOD_START = {
    "day": lambda d: d,
    "week": lambda d: d - timedelta(days=d.weekday()),  # weeks start on Monday (ISO)
    "month": lambda d: d.replace(day=1),
}
#: A period's number: consecutive periods differ by one (where the trend's lines break).
PERIOD_NUMBER = {
    "day": lambda d: d.toordinal(),
    "week": lambda d: (d.toordinal() - 1) // 7,  # weeks from Monday: ordinal 1 (0001-01-01) is a Monday
    "month": lambda d: d.year * 12 + d.month - 1,
}
_PERIOD_LABEL = {
    "day": lambda d: d.isoformat(),
    "week": lambda d: f"week of {d.isoformat()}",
    "month": lambda d: d.strftime("%Y-%m"),
}


def granularity(first: date, last: date, days: list[date] | None = None) -> str:
    """Day for a span up to three months, week up to three years, else month; coarser while
    fewer than half the periods of the span have articles (on ``days``): a trend of a few
    scattered days reads better by week than as dots."""
    span = (last - first).days + 1
    names = [name for name, _ in GRANULARITIES]
    grain = next(name for name, limit in GRANULARITIES if span <= limit)
    while days is not None and grain != names[-1]:
        number = PERIOD_NUMBER[grain]
        if 2 * len({number(d) for d in days}) >= number(last) - number(first) + 1:
            break
        grain = names[names.index(grain) + 1]
    return grain


def read_date(value: str | None) -> date | None:
    """The day an ISO date or date-time (``2024-03-05``, ``2024-03-05T10:00:00Z``) names; None
    for anything else."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


class Rollup:
    """The running sums; ``meta``: the run's metadata field names, ``date_column``: the one
    read as a date (None: no trend), ``keep``: how many articles to review first to keep."""

    def __init__(self, meta: list[str], date_column: str | None, keep: int):
        self.total = Tally()
        self.keep = keep
        self._top: list[tuple[tuple, dict]] = []
        self._rules: dict[str, list[int]] = {}  # rule -> [findings, articles]
        self._categories: dict[str, list[int]] = {}
        self.date_column = date_column if date_column in meta else None
        self._days: dict[date, Tally] = {}
        self._undated = 0
        # metadata column -> value -> its tally
        self._grouped: dict[str, dict[str, Tally]] = {name: {} for name in meta if name != self.date_column}
        self._too_many: dict[str, int] = {}  # grouped no more: name -> distinct values seen (a floor)

    def add(self, row: dict) -> None:
        self.total.add(row)
        for counts, column in ((self._rules, "by_rule"), (self._categories, "by_category")):
            for name, n in (row[column] or {}).items():
                if n:
                    pair = counts.get(name)
                    if pair is None:
                        pair = counts[name] = [0, 0]
                    pair[0] += n
                    pair[1] += 1
        if self.keep and (row["findings"] or not row["passed"]):  # nothing to review in an article without findings
            self._top.append((review_order(row), row))
            if len(self._top) >= 2 * self.keep + 64:  # pruned now and then: sorting each time would cost more
                self._prune()
        if self.date_column is not None:
            day = read_date(row[meta_column(self.date_column)])
            if day is None:
                self._undated += 1
            else:
                tally = self._days.get(day)
                if tally is None:
                    tally = self._days[day] = Tally()
                tally.add(row)
        for name in list(self._grouped):
            values = self._grouped[name]
            value = row[meta_column(name)]
            tally = values.get(NO_VALUE if value is None else value)
            if tally is None:
                if len(values) >= MAX_GROUPS:
                    self._too_many[name] = len(values) + 1
                    del self._grouped[name]  # its tallies go: memory stays flat whatever the column holds
                    continue
                tally = values[NO_VALUE if value is None else value] = Tally()
            tally.add(row, rules=True)

    def _prune(self) -> None:
        self._top.sort(key=lambda pair: pair[0])
        del self._top[self.keep :]

    def figures(self) -> Figures:
        self._prune()
        groups, skipped = [], dict(self._too_many)
        for name, values in self._grouped.items():
            if len(values) < MIN_GROUPS:
                skipped[name] = len(values)
                continue
            ordered = sorted(values.items(), key=lambda item: (-item[1].articles, item[0]))
            groups.append(Groups(name, ordered))
        return Figures(
            total=self.total,
            rules=_counts(self._rules),
            categories=_counts(self._categories),
            review_first=[row for _, row in self._top],
            groups=groups,
            skipped_columns=skipped,
            trend=self._trend(),
        )

    def _trend(self) -> Trend | None:
        if self.date_column is None:
            return None
        if not self._days:
            return Trend(self.date_column, "day", [], self._undated)
        days = sorted(self._days)
        grain = granularity(days[0], days[-1], days)
        periods: dict[date, Tally] = {}
        for day in days:
            into = periods.setdefault(_PERIOD_START[grain](day), Tally())
            tally = self._days[day]
            into.articles += tally.articles
            into.words += tally.words
            into.findings += tally.findings
            for severity in SEVERITIES:
                into.by_severity[severity] += tally.by_severity[severity]
        shown = [Period(start, _PERIOD_LABEL[grain](start), tally) for start, tally in sorted(periods.items())]
        return Trend(self.date_column, grain, shown, self._undated)


def _counts(counts: dict[str, list[int]]) -> list[Count]:
    return [Count(name, f, a) for name, (f, a) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))]
