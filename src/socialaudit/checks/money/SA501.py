"""SA501 ignoring-metrics: nothing measures what social media achieves."""

from __future__ import annotations

from typing import Any

from ibis import _

from ...model import Verdict
from ...vocabulary import PUBLIC_ACTIVITY
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_CONVERSIONS, NEEDS_METRICS, NEEDS_POSTS, percent


class IgnoringMetrics(Check):
    """Nothing to measure results by: no reach, clicks or conversions."""

    code = "SA501"
    name = "ignoring-metrics"
    area = "money"
    severity = "medium"
    # Either shows social media at work: posts to measure, or conversions that measure them.
    requires = ("brand_posts|conversions",)
    seeds = ("002",)
    options = (
        Option(
            "min_measured_share",
            0.5,
            "Without conversion tracking, at least half of the brand's messages should carry "
            "reach (impressions) or clicks: below that, most of what is published goes "
            "unmeasured and no comparison between posts holds.",
            float,
            minimum=0,
            maximum=1,
            threshold=True,
        ),
    )
    doc = """
## What it detects

A workspace with nothing to measure results by: none of the brand's messages carries reach
(impressions) or clicks, and no conversions from web analytics were imported. Likes and reposts
alone do not count here (see SA502).

## Why it matters

Social media is a business effort like any other, and effort that is never measured cannot be
steered: without reach, clicks or conversions nobody can tell which posts, networks or
campaigns work, and experiments teach nothing.

## Example

An X archive (likes and reposts, no impressions) and nothing else: fails. The same archive plus
a conversions CSV from web analytics with UTM-tagged links: passes.

Better: export the platforms' analytics (impressions, clicks) with the posts, tag every link
with UTM parameters, and import the conversions report.
"""
    advice = (
        "Import the platforms' analytics exports (impressions, clicks per post) and a conversions "
        "report from web analytics, and tag every link you post with utm_source, utm_medium and "
        "utm_campaign so that visits and sales can be traced to a network and a campaign."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        m = ctx.brand_messages(PUBLIC_ACTIVITY)
        per = ctx.workspace.arrow(
            m.group_by("platform")
            .aggregate(
                messages=_.count(),
                with_reach=_.impressions.notnull().cast("int64").sum(),
                with_clicks=_.clicks.notnull().cast("int64").sum(),
                measured=(_.impressions.notnull() | _.clicks.notnull()).cast("int64").sum(),
            )
            .order_by("platform")
        ).to_pylist()
        conversions = ctx.count("conversions")
        messages = sum(r["messages"] for r in per)
        measured = sum(r["measured"] for r in per)
        if messages == 0 and conversions == 0:
            return self.unknown(
                "No brand messages and no conversions in the workspace: nothing to judge.",
                [NEEDS_POSTS, NEEDS_METRICS, NEEDS_CONVERSIONS],
            )
        share = measured / messages if messages else 0.0
        figures = {
            "brand_messages": messages,
            "with_reach": sum(r["with_reach"] for r in per),
            "with_clicks": sum(r["with_clicks"] for r in per),
            "measured_share": round(share, 4),
            "conversion_rows": conversions,
        }
        per_platform = {
            r["platform"]: {
                "messages": r["messages"],
                "with_reach": r["with_reach"],
                "with_clicks": r["with_clicks"],
                "measured_share": round(r["measured"] / r["messages"], 4),
            }
            for r in per
        }
        unmeasured = [p for p, f in per_platform.items() if f["measured_share"] == 0]
        evidence = [{"platform": p, **per_platform[p]} for p in unmeasured]
        if conversions:
            verdict = Verdict.PASS
            message = f"Conversions are tracked ({conversions} rows)" + (
                f"; {percent(share)} of the brand's messages carry reach or clicks."
                if messages
                else "."
            )
        elif measured == 0:
            verdict = Verdict.FAIL
            message = (
                f"None of the brand's {messages} messages carries reach or clicks, and no "
                "conversions are tracked: nothing measures what social media achieves."
            )
        elif share < opts["min_measured_share"]:
            verdict = Verdict.WARN
            message = (
                f"Only {percent(share)} of the brand's messages carry reach or clicks, and no "
                "conversions are tracked."
            )
        else:
            verdict = Verdict.PASS
            message = f"{percent(share)} of the brand's messages carry reach or clicks."
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            per_platform=per_platform,
            evidence=evidence,
        )
