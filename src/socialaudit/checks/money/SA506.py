"""SA506 expecting-the-world: goals beyond the trend."""

from __future__ import annotations

from typing import Any

from ...forecast import (
    FORECASTABLE,
    LEDGER_METRICS,
    LEVEL_METRICS,
    MEAN_METRICS,
    TooShort,
    forecast_metric,
)
from ...model import PLATFORM_NAMES, Verdict
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_AUDIENCE, NEEDS_CONVERSIONS, NEEDS_GOALS, NEEDS_METRICS


class ExpectingTheWorld(Check):
    """Goals above what the account's own trend can reach by their date."""

    code = "SA506"
    name = "expecting-the-world"
    area = "money"
    severity = "medium"
    requires = ("goals",)
    seeds = ("002",)
    options = (
        Option(
            "interval",
            0.95,
            "The prediction interval's coverage. A goal is flagged only above the interval's "
            "upper bound, so a wide (95 %) interval flags only goals the trend is very unlikely "
            "to reach, not ambitious ones.",
            float,
            minimum=0.5,
            maximum=0.999,
            threshold=True,
        ),
        Option(
            "min_points",
            6,
            "The fewest observations to forecast from: six dated follower counts, or six "
            "months of a monthly metric. Fewer make the trend a guess and the interval "
            "meaningless, so the goal is reported `unknown` instead.",
            int,
            minimum=3,
            threshold=True,
        ),
    )
    doc = """
## What it detects

Goals (`[[goals]]` in socialaudit.toml) that the account's own trend cannot reach by their date.
Each goal's metric is forecast from its history in the workspace with a prediction interval
(followers: a random walk with drift through the dated counts; monthly metrics such as
conversions, revenue, engagement, impressions, clicks and sentiment: a linear trend; both with
statsmodels, see docs/roi.md). A goal above the interval's upper bound is flagged.

## Why it matters

Social media builds slowly; a goal set far beyond the current trend ends in a verdict that the
channel "does not work" and is dropped just as it starts to pay. Goals should stretch
the trend, not ignore it.

## Example

Followers grew by about 30 a week to 2,400; a goal of 20,000 by year end lies far above the
forecast's upper bound (about 3,300): a warning. A goal of 3,000 passes.

Better: set goals from the trend (and what you will change to bend it), then check them
monthly.
"""
    advice = (
        "Re-set the flagged goals from the forecast (or write down what will change to bend the "
        "trend, and by how much), and import more history where a goal could not be forecast."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        goals = ctx.config.goals
        if not goals:
            return self.unknown("No goals are configured.", [NEEDS_GOALS])
        evidence: list[dict[str, Any]] = []
        needs: set[str] = set()
        for g in goals:
            item: dict[str, Any] = {
                "metric": g.metric,
                "target": g.target,
                "by": g.by.isoformat(),
                "platform": g.platform,
            }
            evidence.append(item)
            metric = g.metric.strip().lower()
            platform = PLATFORM_NAMES.get(g.platform.strip().lower()) if g.platform else None
            if g.platform and platform is None:
                item["status"] = "unknown platform"
                continue
            if metric not in FORECASTABLE:
                item["status"] = (
                    "not forecastable from workspace data "
                    f"(forecastable: {', '.join(FORECASTABLE)})"
                )
                continue
            try:
                f = forecast_metric(
                    ctx.workspace,
                    metric,
                    platform,
                    g.by,
                    level=opts["interval"],
                    min_points=opts["min_points"],
                )
            except TooShort as exc:
                item["status"] = f"history too short: {exc}"
                needs.add(_needs_for(metric))
                continue
            except ValueError:
                item["status"] = "the goal's date lies within the history: judge it on the data"
                continue
            item.update(f.to_dict())
            item["reachable"] = g.target <= f.upper
            item["status"] = "forecast"
        forecast = [e for e in evidence if e["status"] == "forecast"]
        flagged = [e for e in forecast if not e["reachable"]]
        figures = {"goals": len(goals), "forecast": len(forecast), "out_of_reach": len(flagged)}
        notes = [
            f"{e['metric']} by {e['by']}: {e['status']}"
            for e in evidence
            if e["status"] != "forecast"
        ]
        if not forecast:
            return self.finding(
                Verdict.UNKNOWN,
                message="No goal could be forecast from the workspace's history.",
                figures=figures,
                thresholds=self.thresholds(),
                evidence=evidence,
                needs=sorted(needs) or [NEEDS_AUDIENCE, NEEDS_CONVERSIONS, NEEDS_METRICS],
                notes=notes,
            )
        ordered = flagged + [e for e in evidence if e not in flagged]
        if flagged:
            names = "; ".join(
                f"{e['metric']} {e['target']:g} by {e['by']} (forecast {e['forecast']:,.0f}, "
                f"at most {e['upper']:,.0f})"
                for e in flagged
            )
            lie = "goal lies" if len(flagged) == 1 else "goals lie"
            verdict, message = Verdict.WARN, f"{len(flagged)} {lie} beyond the trend: {names}."
        else:
            verdict = Verdict.PASS
            message = f"All {len(forecast)} forecast goals are within reach of the trend."
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            evidence=ordered,
            needs=sorted(needs),
            notes=notes,
        )


def _needs_for(metric: str) -> str:
    if metric in LEVEL_METRICS:
        return NEEDS_AUDIENCE
    if metric in LEDGER_METRICS:
        return NEEDS_CONVERSIONS
    if metric in MEAN_METRICS:
        return "inbound messages with text (sentiment is read from what others write)"
    return NEEDS_METRICS
