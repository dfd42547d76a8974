"""The health score: one number from 0 to 100 for the whole audit and one per area.

Each check that reached a verdict counts with its severity's weight (`SEVERITY_WEIGHTS`): a pass
earns all of it, a warning half, a failure nothing. Checks answering `unknown` (data missing) or
`error` (a crash) earn nothing and weigh nothing: they are left out of the denominator, because
missing data is not a mistake the brand made, and they are counted and shown instead ("the
score covers 14 of 25 checks"), so a high score on little evidence does not pass for a high
score on a full audit. docs/score.md states the rule with a worked example.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .checks.base import AREAS, SEVERITY_WEIGHTS, Finding

# The share of a check's weight that each verdict earns.
CREDIT: dict[str, float] = {"pass": 1.0, "warn": 0.5, "fail": 0.0}
EXCLUDED_VERDICTS = ("unknown", "error")


def weight(severity: str) -> float:
    # A plugin check with an unheard-of severity weighs like a medium one rather than crashing.
    return SEVERITY_WEIGHTS.get(severity, SEVERITY_WEIGHTS["medium"])


def weighted_score(verdicts: Iterable[tuple[str, str]]) -> tuple[float | None, int]:
    """The score of (severity, verdict) pairs and how many of them it counts: the one rule,
    for Finding objects and for the findings of stored audit documents alike."""
    counted = [(sev, verdict) for sev, verdict in verdicts if verdict in CREDIT]
    total = sum(weight(sev) for sev, _ in counted)
    if not total:
        return None, 0
    earned = sum(weight(sev) * CREDIT[verdict] for sev, verdict in counted)
    return round(100.0 * earned / total, 1), len(counted)


def _score(findings: list[Finding]) -> tuple[float | None, int]:
    return weighted_score((f.severity, str(f.verdict)) for f in findings)


def _excluded(findings: list[Finding]) -> dict[str, list[str]]:
    return {v: sorted(f.code for f in findings if str(f.verdict) == v) for v in EXCLUDED_VERDICTS}


def compute_score(findings: Iterable[Finding]) -> dict[str, Any]:
    """The score document placed in the audit's JSON under `score` (docs/score.md).

    `overall` and each area's `score` are None when no check there reached a verdict.
    """
    findings = list(findings)
    overall, counted = _score(findings)
    areas: dict[str, float | None] = {}
    area_detail: dict[str, dict[str, Any]] = {}
    # Known areas in the rulebook's order, then any area a plugin adds.
    order = [a for a in AREAS if any(f.area == a for f in findings)]
    order += sorted({f.area for f in findings} - set(order))
    for area in order:
        mine = [f for f in findings if f.area == area]
        score, n = _score(mine)
        areas[area] = score
        area_detail[area] = {
            "score": score,
            "counted": n,
            "checks": len(mine),
            "verdicts": {
                v: sum(1 for f in mine if str(f.verdict) == v)
                for v in (*CREDIT, *EXCLUDED_VERDICTS)
            },
            "excluded": _excluded(mine),
        }
    return {
        "overall": overall,
        "counted": counted,
        "checks": len(findings),
        "excluded": _excluded(findings),
        "areas": areas,
        "area_detail": area_detail,
        "weights": dict(SEVERITY_WEIGHTS),
        "credit": dict(CREDIT),
    }
