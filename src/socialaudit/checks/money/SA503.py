"""SA503 roi-unknown: what each network returns for what it costs."""

from __future__ import annotations

from typing import Any

from ...errors import SocialauditError
from ...model import Verdict
from ..base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option
from .figures import NEEDS_CONVERSIONS, NEEDS_COSTS, roi_report


class RoiUnknown(Check):
    """Return on investment per network and campaign, and failing when it cannot be computed."""

    code = "SA503"
    name = "roi-unknown"
    area = "money"
    severity = "high"
    # Costs alone are enough to judge: money spent with no conversions tracked fails.
    requires = ("costs",)
    seeds = ("002", "003")
    options = (
        Option(
            "warn_below_roi",
            0.0,
            "Warn when a platform returns less than this ROI; 0 is break-even, below it the "
            "platform costs more than the revenue it brings.",
            float,
            minimum=-1,
        ),
    )
    doc = """
## What it detects

The return on investment of each network and campaign: the revenue of conversions traced to it
(UTM source) against everything it costs, staff hours at their rate included, with shared
costs split by where the brand publishes (docs/roi.md has the method). Fails when ROI cannot be
computed although money is spent: costs are recorded but no conversions are tracked, no
conversion can be traced to a network, or the ledgers are in another currency than the
workspace's. Warns when a platform's ROI is below the threshold.

## Why it matters

Believing social media's return cannot be measured is a choice, not a fact: with tagged links
and a cost ledger the return of each network is a division. Without it, budgets follow opinions,
and networks that lose money keep being fed.

## Example

X cost 1,000 (ads 400, 15 staff hours at 40) and brought 1,300 of tracked revenue: ROI +30 %.
Facebook cost 800 and brought 200: ROI −75 %, a warning.

Better: tag every link with UTM parameters, import the conversions report monthly with the cost
ledger, and move effort from the networks that lose money to those that return it.
"""
    advice = (
        "Keep a costs ledger (staff hours included) and import conversions from web analytics "
        "with UTM-tagged links every month; then shift time and budget away from the networks "
        "and campaigns whose ROI stays negative."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        report = roi_report(ctx)
        if isinstance(report, SocialauditError):
            return self.finding(
                Verdict.FAIL,
                message=f"ROI cannot be computed: {report.one_line()}",
                needs=[NEEDS_COSTS, NEEDS_CONVERSIONS],
            )
        if report.cost_rows == 0:
            needs = [NEEDS_COSTS] + ([NEEDS_CONVERSIONS] if report.conversion_rows == 0 else [])
            return self.unknown(
                "No costs are recorded, so ROI has no denominator (SA504 reports the missing "
                "ledger).",
                needs,
            )
        total = report.total
        t = total.to_dict()
        figures: dict[str, Any] = {
            **{k: t[k] for k in ("cost", "revenue", "roi", "staff_cost", "ad_cost")},
            "conversion_rows": report.conversion_rows,
            "unmapped_revenue": round(sum(u["revenue"] for u in report.unmapped), 2),
        }
        per_platform = {ln.key: ln.to_dict() for ln in report.platforms}
        campaigns = [{"campaign": ln.key, **ln.to_dict()} for ln in report.campaigns]
        common: dict[str, Any] = {
            "figures": figures,
            "per_platform": per_platform,
            "notes": list(report.notes),
        }
        amount = f"{total.cost:,.2f}" + (f" {report.currency}" if report.currency else "")
        if report.conversion_rows == 0:
            return self.finding(
                Verdict.FAIL,
                message=(
                    f"Social media cost {amount} but no conversions are tracked: its return "
                    "cannot be computed."
                ),
                needs=[NEEDS_CONVERSIONS],
                **common,
            )
        mapped_rows = sum(1 for ln in report.platforms if ln.revenue or ln.conversions)
        if mapped_rows == 0:
            sources = ", ".join(repr(u["source"]) for u in report.unmapped[:5])
            return self.finding(
                Verdict.FAIL,
                message=(
                    "No conversion can be traced to a social network (UTM sources: "
                    f"{sources}): the return of social media cannot be computed."
                ),
                **common,
            )
        if total.cost == 0:
            return self.finding(
                Verdict.FAIL,
                message="The recorded costs add up to 0, so ROI cannot be computed.",
                **common,
            )
        losing = [
            ln for ln in report.platforms if ln.roi is not None and ln.roi < opts["warn_below_roi"]
        ]
        evidence = [
            {"platform": ln.key, **ln.to_dict()} for ln in sorted(losing, key=lambda x: x.roi or 0)
        ]
        evidence += [c for c in campaigns if c["roi"] is not None][: EVIDENCE_LIMIT - len(evidence)]
        roi = total.roi or 0.0
        summary = (
            f"ROI {roi:+.0%} overall ({total.revenue:,.2f} revenue for {total.cost:,.2f} cost)"
        )
        if losing:
            names = ", ".join(f"{ln.key} {ln.roi:+.0%}" for ln in losing)
            return self.finding(
                Verdict.WARN,
                message=f"{summary}; below {opts['warn_below_roi']:+.0%} on {names}.",
                evidence=evidence,
                evidence_total=len(losing) + len(campaigns),
                **common,
            )
        return self.finding(
            Verdict.PASS,
            message=f"{summary}; every platform with costs at or above break-even.",
            evidence=evidence,
            evidence_total=len(campaigns),
            **common,
        )
