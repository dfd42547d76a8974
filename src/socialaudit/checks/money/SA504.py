"""SA504 pretending-its-free: costs that leave out the people."""

from __future__ import annotations

from typing import Any

from ibis import _

from ...model import Verdict
from ...vocabulary import PUBLIC_ACTIVITY, count
from ..base import AuditContext, Check, Finding, Option
from .figures import NEEDS_COSTS, NEEDS_POSTS, percent


class PretendingItsFree(Check):
    """Publishing with no costs recorded, or costs without the staff time behind the posts."""

    code = "SA504"
    name = "pretending-its-free"
    area = "money"
    severity = "high"
    # An empty cost ledger is itself the mistake this check names: it fails, and is `unknown`
    # only when neither a cost nor a brand message shows that social media is used at all.
    requires = ("brand_posts|costs",)
    seeds = ("002",)
    options = (
        Option(
            "max_months_without_staff",
            0,
            "Months in which the brand published but recorded no staff cost (within the "
            "ledger's span) that are tolerated: someone wrote those posts, and their hours are "
            "usually social media's largest cost.",
            int,
            minimum=0,
            threshold=True,
        ),
    )
    doc = """
## What it detects

A brand that publishes but records no costs at all, or costs without the staff time that
produced the posts: no `staff` rows (or staff rows worth 0), or months in which the brand
published but no staff cost was recorded. A costs ledger that is imported but records nothing
fails (*imported and absent*); with no ledger imported at all the verdict is `unknown` and names
the ledger to import (*nothing imported*: the audit cannot tell a brand that keeps no costs
from one that keeps them elsewhere), as it is with neither costs nor brand messages.

## Why it matters

Opening an account is free; running it is not. The hours people spend writing, answering and
reporting are real money, usually more than ads and tools together, and a budget that leaves
them out makes social media look cheaper than it is and its ROI better than it is.

## Example

A ledger with only ad spend and a scheduling tool, while the brand posted every week: a
warning. The same ledger with a `staff` row per month (`hours`, `hourly_rate`): passes.

Better: log the hours spent on social media each month, at a loaded hourly rate.
"""
    advice = (
        "Record every cost of social media in the costs ledger, and above all the staff time: "
        "one `staff` row per month with the hours spent and a loaded hourly rate (salary plus "
        "overheads)."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        costs = ctx.table("costs")
        costs = costs.mutate(
            cost=costs.amount.fill_null(0.0) + (costs.hours * costs.hourly_rate).fill_null(0.0),
            month=costs.date.truncate("M"),
        )
        rows = ctx.workspace.arrow(
            costs.group_by("month").aggregate(
                cost=_.cost.sum(),
                staff=(_.category == "staff").ifelse(_.cost, 0.0).sum(),
                hours=(_.category == "staff").ifelse(_.hours.fill_null(0.0), 0.0).sum(),
            )
        ).to_pylist()
        if not rows:
            published = ctx.scalar(ctx.brand_messages(PUBLIC_ACTIVITY).count())
            if not published:
                return self.unknown(
                    "No costs and no brand messages: nothing shows social media at work yet.",
                    [NEEDS_COSTS, NEEDS_POSTS],
                )
            ledgers = (
                ctx.workspace.sql("select count(*) from imports where format = 'costs'")
                .column(0)[0]
                .as_py()
            )
            if not ledgers:
                return self.finding(
                    Verdict.UNKNOWN,
                    message=(
                        f"No costs ledger is imported, so whether the costs behind the brand's "
                        f"{count(published, 'message')} are recorded cannot be told; a brand that keeps "
                        "none is treating social media as free."
                    ),
                    needs=[NEEDS_COSTS],
                    figures={"cost_rows": 0, "brand_messages": published, "ledgers": 0},
                )
            return self.finding(
                Verdict.FAIL,
                message=(
                    f"The costs ledger imported records no costs for {count(published, 'brand message')}"
                    ": social media is treated as free."
                ),
                needs=[NEEDS_COSTS],
                figures={"cost_rows": 0, "brand_messages": published, "ledgers": int(ledgers)},
            )
        total = sum(r["cost"] for r in rows)
        staff = sum(r["staff"] for r in rows)
        hours = sum(r["hours"] for r in rows)
        first, last = min(r["month"] for r in rows), max(r["month"] for r in rows)
        m = ctx.brand_messages(PUBLIC_ACTIVITY)
        posted = ctx.workspace.arrow(
            m.mutate(month=m.created_at.date().truncate("M"))
            .filter(_.month >= first, _.month <= last)
            .group_by("month")
            .aggregate(messages=_.count())
            .order_by("month")
        ).to_pylist()
        staffed = {r["month"] for r in rows if r["staff"] > 0}
        gaps = [r for r in posted if r["month"] not in staffed]
        figures = {
            "cost": round(total, 2),
            "staff_cost": round(staff, 2),
            "staff_share": round(staff / total, 4) if total else None,
            "staff_hours": round(hours, 2),
            "months_with_posts": len(posted),
            "months_without_staff": len(gaps),
        }
        evidence = [
            {"month": f"{g['month']:%Y-%m}", "brand_messages": g["messages"], "staff_cost": 0.0}
            for g in gaps
        ]
        if staff == 0:
            verdict = Verdict.WARN
            message = (
                f"Costs of {total:,.2f} are recorded but no staff time: the hours spent on "
                "social media are left out."
            )
        elif len(gaps) > opts["max_months_without_staff"]:
            verdict = Verdict.WARN
            message = (
                f"In {len(gaps)} of {len(posted)} months the brand published but recorded no "
                "staff cost."
            )
        else:
            verdict = Verdict.PASS
            message = (
                f"Costs of {total:,.2f} recorded, {percent(staff / total) if total else '0%'} of "
                f"them staff time ({hours:g} hours)."
            )
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            evidence=evidence,
        )
