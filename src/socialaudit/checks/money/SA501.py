"""SA501 ignoring-metrics: nothing measures what social media achieves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ibis import _

from ...model import Verdict
from ...vocabulary import PUBLIC_ACTIVITY, count
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_CONVERSIONS, NEEDS_METRICS, NEEDS_POSTS, percent

NEEDS_REACH = (
    "reach or clicks per post: the platforms' analytics exports (LinkedIn's content export, or a "
    "generic CSV/JSONL with impressions and clicks columns: docs/generic-format.md)"
)


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

It tells two cases apart. *Imported and absent* (fail): an import that could hold
measurements is there (a conversions report, or an export whose format carries impressions or
clicks, such as LinkedIn's content export) and holds none for the brand. *Nothing imported*
(unknown, naming what to import): the exports imported cannot carry them at all (an X archive
has likes and reposts only), so the audit cannot tell a brand that measures nothing from one
whose analytics are simply elsewhere.

## Why it matters

Social media is a business effort like any other, and effort that is never measured cannot be
steered: without reach, clicks or conversions nobody can tell which posts, networks or
campaigns work, and experiments teach nothing.

## Example

An X archive (likes and reposts, no impressions) and nothing else: unknown, asking for the
analytics. A LinkedIn content export whose impressions and clicks are all empty: fails. The X
archive plus a conversions CSV from web analytics with UTM-tagged links: passes.

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
            able = self.measuring_imports(ctx)
            if not able:
                formats = self.formats(ctx)
                return self.finding(
                    Verdict.UNKNOWN,
                    message=(
                        f"Nothing imported measures reach, clicks or conversions: the brand's "
                        f"{count(messages, 'message')} come from exports that carry none "
                        f"({', '.join(formats) or 'no format'}), and no conversions report is "
                        "imported. Whether the brand measures its results cannot be told until "
                        "its analytics are imported; if it has none, that is the mistake."
                    ),
                    figures=figures,
                    per_platform=per_platform,
                    needs=[NEEDS_REACH, NEEDS_CONVERSIONS],
                )
            verdict = Verdict.FAIL
            message = (
                f"None of the brand's {count(messages, 'message')} carries reach or clicks although "
                f"{', '.join(able)} could hold them, and no conversions are tracked: nothing "
                "measures what social media achieves."
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

    def imports(self, ctx: AuditContext) -> list[dict[str, Any]]:
        return ctx.workspace.sql(
            "select source, format, metrics from imports order by source"
        ).to_pylist()

    def measuring_imports(self, ctx: AuditContext) -> list[str]:
        """The imports that could hold measurements (a conversions report, even an empty one;
        an export whose format carries impressions or clicks), in words."""
        out = []
        for r in self.imports(ctx):
            carried = json.loads(r["metrics"]) if r["metrics"] else []
            if r["format"] == "conversions" or {"impressions", "clicks"} & set(carried):
                out.append(f"the {r['format']} import {Path(r['source']).name}")
        return out

    def formats(self, ctx: AuditContext) -> list[str]:
        """The formats of the message imports, with the metrics each carries."""
        seen: dict[str, list[str]] = {}
        for r in self.imports(ctx):
            if r["format"] in ("costs", "conversions", "audience"):
                continue
            seen.setdefault(r["format"], json.loads(r["metrics"]) if r["metrics"] else [])
        return [f"{fmt}: {', '.join(m) if m else 'no metrics'}" for fmt, m in sorted(seen.items())]
