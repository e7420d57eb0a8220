"""An MQM-style quality score: each finding's severity weighed as an MQM severity, the
penalty points per 1,000 words, and quality = 100 × (1 − penalty / words).

Weights are MQM's (neutral 0, minor 1, major 5, critical 25). mtreview's severities map
onto them (error → major, warning → minor, info → neutral by default; ``--mqm-map``
changes it), so the score follows the same severity discipline as the findings.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from mtreview.model import MQM_WEIGHTS, Severity
from mtreview.options import DEFAULT_MQM_MAP, DEFAULT_MQM_PASS
from mtreview.scoring import Measure, Subject


def mqm_score(findings, words: int, mapping: Mapping[str, str] | None = None, threshold: float = DEFAULT_MQM_PASS) -> dict:
    mapping = mapping or DEFAULT_MQM_MAP
    counts = dict.fromkeys(MQM_WEIGHTS, 0)
    by_category: dict[str, int] = {}
    penalty = 0
    for f in findings:
        severity = f.severity.value if isinstance(f.severity, Severity) else str(f.severity)
        mqm = mapping[severity]
        counts[mqm] += 1
        points = MQM_WEIGHTS[mqm]
        penalty += points
        if points:
            by_category[f.category] = by_category.get(f.category, 0) + points
    score = 100.0 * (1 - penalty / words) if words else 100.0
    passed = score >= threshold
    return {
        "label": "MQM quality",
        "value": f"{_shown(score, passed, threshold)} ({'pass' if passed else 'fail'}: threshold {threshold:g})",
        "score": round(score, 2),
        "penalty": penalty,
        "per_1000_words": round(1000 * penalty / words, 2) if words else 0.0,
        "words": words,
        "threshold": threshold,
        "passed": passed,
        "by_severity": counts,
        "by_category": dict(sorted(by_category.items(), key=lambda kv: -kv[1])),
        "mapping": dict(mapping),
        "weights": dict(MQM_WEIGHTS),
    }


def _shown(score: float, passed: bool, threshold: float) -> str:
    """The score to one decimal, never rounded across the threshold (94.97 failing 95 is
    "94.9", not "95.0")."""
    shown = f"{score:.1f}"
    if not passed and float(shown) >= threshold:
        shown = f"{math.floor(score * 10) / 10:.1f}"
    return shown


def measure(subject: Subject) -> Measure:
    """The MQM quality of the settled findings."""
    options = subject.options
    return Measure(lambda findings: mqm_score(findings, subject.doc.word_count(), options.mqm_map, options.mqm_pass))
