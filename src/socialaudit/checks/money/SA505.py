"""SA505 underinvesting: a channel given scraps."""

from __future__ import annotations

from typing import Any

from ...errors import SocialauditError
from ...model import Verdict
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_BUDGET, NEEDS_COSTS, percent, roi_report


class Underinvesting(Check):
    """Social media's share of the marketing budget, against its share of the results."""

    code = "SA505"
    name = "underinvesting"
    area = "money"
    severity = "medium"
    requires = ("costs",)
    seeds = ("003",)
    options = (
        Option(
            "warn_under_share",
            0.10,
            "Warn when social media gets less than a tenth of the marketing budget: a token "
            "spend tests nothing, since too little content and too few replies cannot show "
            "what the channel could do.",
            float,
            minimum=0,
            maximum=1,
        ),
        Option(
            "budget_months",
            12,
            "How many months `[brand] marketing_budget` covers: a yearly budget by default; the "
            "ledger's spend is scaled to the same length (average per month of the ledger's "
            "span).",
            int,
            minimum=1,
            threshold=True,
        ),
    )
    doc = """
## What it detects

Social media's share of the marketing budget: the costs ledger's spend, per month of the span
it covers, scaled to the budget's period, against `[brand] marketing_budget`. Beside it, where
the conversions report also holds non-social sources, social media's share of the tracked
revenue, so spend can be compared with results.

## Why it matters

A channel given scraps is set up to fail: a handful of posts and slow replies cannot show what
it could do, and the "wait and see" verdict then confirms itself. When social media brings a
larger share of the results than of the budget, it is underfunded.

## Example

A yearly marketing budget of 120,000 and a ledger of 6 months totalling 3,000 (6,000 a year):
5 % of the budget, a warning.

Better: fund social media in proportion to what it returns, and at least enough for steady
publishing and same-day replies.
"""
    advice = (
        "Compare social media's share of the budget with its share of results; if it returns "
        "more than it gets, move budget to it, enough for steady publishing and daily replies."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        budget = ctx.config.brand.marketing_budget
        if not budget:
            return self.unknown("No marketing budget is configured.", [NEEDS_BUDGET])
        report = roi_report(ctx)
        if isinstance(report, SocialauditError):
            return self.unknown(f"The ledgers cannot be summed: {report.one_line()}", [NEEDS_COSTS])
        if report.cost_rows == 0:
            return self.unknown("No costs are recorded.", [NEEDS_COSTS])
        c = ctx.table("costs")
        first, last = (
            ctx.workspace.arrow(c.aggregate(first=c.date.min(), last=c.date.max()))
            .to_pylist()[0]
            .values()
        )
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        spend = report.total.cost
        share = spend / months * opts["budget_months"] / budget
        mapped = report.total.revenue
        unmapped = sum(u["revenue"] for u in report.unmapped)
        revenue_share = mapped / (mapped + unmapped) if (mapped + unmapped) else None
        figures = {
            "social_cost": round(spend, 2),
            "ledger_months": months,
            "marketing_budget": budget,
            "budget_share": round(share, 4),
            "revenue_share": None if revenue_share is None else round(revenue_share, 4),
        }
        notes = []
        if revenue_share is not None and unmapped:
            notes.append(
                f"social media brings {percent(revenue_share)} of the tracked revenue for "
                f"{percent(share)} of the marketing budget"
            )
        scaled = spend / months * opts["budget_months"]
        period = "a year" if opts["budget_months"] == 12 else f"{opts['budget_months']} months"
        how = (
            f"{spend:,.2f} over the ledger's {months} months"
            + (
                f", {scaled:,.2f} for {period} at that rate"
                if months != opts["budget_months"]
                else ""
            )
            + f", against a marketing budget of {budget:,.2f} for {period}"
        )
        figures["social_cost_scaled"] = round(scaled, 2)
        if months != opts["budget_months"]:
            notes.append(
                f"the ledger covers {months} months and the budget {period}: the spend is "
                f"scaled to {period} (average per month × {opts['budget_months']}) before it is "
                "compared"
            )
        if share < opts["warn_under_share"]:
            verdict = Verdict.WARN
            message = f"Social media gets {percent(share)} of the marketing budget ({how})."
        else:
            verdict = Verdict.PASS
            message = f"Social media gets {percent(share)} of the marketing budget ({how})."
        return self.finding(verdict, message=message, figures=figures, notes=notes)
