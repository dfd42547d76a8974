"""SA502 vanity-metrics: goals on counts that sell nothing."""

from __future__ import annotations

from typing import Any

from ...model import Verdict
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_GOALS


class VanityMetrics(Check):
    """Goals set on likes, fans and followers alone."""

    code = "SA502"
    name = "vanity-metrics"
    area = "money"
    severity = "medium"
    requires = ("goals",)
    seeds = ("003",)
    options = (
        Option(
            "vanity_metrics",
            ["likes", "fans", "followers"],
            "Counts of likes, fans and followers grow with contests and giveaways that sell "
            "nothing; they say how big the audience is, not whether it buys or speaks well of "
            "the brand.",
            list,
        ),
    )
    doc = """
## What it detects

Goals in socialaudit.toml (`[[goals]]`) that are all vanity metrics: likes, fans or followers,
with no goal on what those numbers should lead to (conversions, revenue, reach through shares,
sentiment).

## Why it matters

What a team is measured on is what it optimises. A team chasing followers runs contests and
buys likes; the counts go up and sales do not, and decisions get made on the wrong numbers.

## Example

```toml
[[goals]]
metric = "followers"
target = 10000
by = 2025-12-31
```

as the only goal: fails. Add a goal on `conversions`, `revenue`, `reach` or `sentiment` and it
passes (a follower goal beside them is fine).
"""
    advice = (
        "Set at least one goal on what social media should change for the business: "
        "conversions or revenue from social traffic, reach through shares, or the sentiment of "
        "what people say; keep follower counts as a means, not the goal."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        goals = ctx.config.goals
        if not goals:
            return self.unknown("No goals are configured.", [NEEDS_GOALS])
        vanity = {v.strip().lower() for v in opts["vanity_metrics"]}
        evidence: list[dict[str, Any]] = [
            {
                "metric": g.metric,
                "target": g.target,
                "by": g.by.isoformat(),
                "platform": g.platform,
                "vanity": g.metric.strip().lower() in vanity,
            }
            for g in goals
        ]
        n_vanity = sum(e["vanity"] for e in evidence)
        figures = {"goals": len(goals), "vanity_goals": n_vanity}
        if n_vanity == len(goals):
            verdict, message = (
                Verdict.FAIL,
                (
                    f"All {len(goals)} goals are vanity metrics "
                    if len(goals) > 1
                    else "The only goal is a vanity metric "
                )
                + f"({', '.join(sorted({e['metric'] for e in evidence}))}).",
            )
        else:
            verdict = Verdict.PASS
            message = f"{len(goals) - n_vanity} of {len(goals)} goals go beyond vanity metrics."
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            evidence=evidence,
            notes=[f"vanity metrics: {', '.join(sorted(vanity))}"],
        )
