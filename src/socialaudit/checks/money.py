"""Measurement and money (SA501–SA506): is anything measured, what does social media cost, what
does it return, and are the goals within the brand's own reach.

The money figures come from `roi.compute_roi` (computed once per audit and shared); the goal
forecasts from `forecast.py`. docs/roi.md describes both methods.
"""

from __future__ import annotations

from typing import Any

from ibis import _

from ..errors import SocialauditError
from ..forecast import (
    FORECASTABLE,
    LEDGER_METRICS,
    LEVEL_METRICS,
    MEAN_METRICS,
    TooShort,
    forecast_metric,
)
from ..model import PLATFORM_NAMES, Verdict
from ..roi import RoiReport, compute_roi
from ..vocabulary import PUBLIC_ACTIVITY, needs
from .base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option

[NEEDS_COSTS, NEEDS_CONVERSIONS, NEEDS_GOALS, NEEDS_METRICS, NEEDS_AUDIENCE, NEEDS_POSTS] = needs(
    "costs", "conversions", "goals", "metrics", "audience", "brand_posts"
)
NEEDS_BUDGET = (
    "[brand] marketing_budget in socialaudit.toml: the whole marketing budget for a year, in the "
    "workspace currency"
)


def roi_report(ctx: AuditContext) -> RoiReport | SocialauditError:
    """The all-time ROI report, computed once per audit; the error when the ledgers disagree
    with the workspace currency (each money check then says so in its own terms)."""

    def compute() -> RoiReport | SocialauditError:
        try:
            return compute_roi(ctx.workspace, ctx.config)
        except SocialauditError as exc:
            return exc

    return ctx.shared("money.roi", compute)


def _pct(x: float) -> str:
    # One decimal, so that 9.7 % is not shown as "10 %" beside a warning about "under 10 %".
    return f"{x:.1%}".replace(".0%", "%")


class IgnoringMetrics(Check):
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
campaigns work, and experiments teach nothing (seed 002).

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
        thresholds = {"min_measured_share": opts["min_measured_share"]}
        unmeasured = [p for p, f in per_platform.items() if f["measured_share"] == 0]
        evidence = [{"platform": p, **per_platform[p]} for p in unmeasured][:EVIDENCE_LIMIT]
        if conversions:
            verdict = Verdict.PASS
            message = f"Conversions are tracked ({conversions} rows)" + (
                f"; {_pct(share)} of the brand's messages carry reach or clicks."
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
                f"Only {_pct(share)} of the brand's messages carry reach or clicks, and no "
                "conversions are tracked."
            )
        else:
            verdict = Verdict.PASS
            message = f"{_pct(share)} of the brand's messages carry reach or clicks."
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds=thresholds,
            per_platform=per_platform,
            evidence=evidence,
            evidence_total=len(unmeasured),
        )


class VanityMetrics(Check):
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
buys likes; the counts go up and sales do not, and decisions get made on the wrong numbers
(seed 003, #4).

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
        evidence = [
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
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=[f"vanity metrics: {', '.join(sorted(vanity))}"],
        )


class RoiUnknown(Check):
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
and networks that lose money keep being fed (seeds 002 and 003, #1).

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
        thresholds = {"warn_below_roi": opts["warn_below_roi"]}
        campaigns = [{"campaign": ln.key, **ln.to_dict()} for ln in report.campaigns]
        common = {
            "figures": figures,
            "thresholds": thresholds,
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


class PretendingItsFree(Check):
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
        ),
    )
    doc = """
## What it detects

A brand that publishes but records no costs at all, or costs without the staff time that
produced the posts: no `staff` rows (or staff rows worth 0), or months in which the brand
published but no staff cost was recorded. With neither costs nor brand messages the verdict is
`unknown`.

## Why it matters

Opening an account is free; running it is not. The hours people spend writing, answering and
reporting are real money, usually more than ads and tools together, and a budget that leaves
them out makes social media look cheaper than it is and its ROI better than it is (seed 002).

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
            return self.finding(
                Verdict.FAIL,
                message=(
                    f"No costs are recorded for {published} brand messages: social media is "
                    "treated as free."
                ),
                needs=[NEEDS_COSTS],
                figures={"cost_rows": 0, "brand_messages": published},
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
        thresholds = {"max_months_without_staff": opts["max_months_without_staff"]}
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
                f"Costs of {total:,.2f} recorded, {_pct(staff / total) if total else '0%'} of "
                f"them staff time ({hours:g} hours)."
            )
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds=thresholds,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
        )


class Underinvesting(Check):
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
larger share of the results than of the budget, it is underfunded (seed 003, #1).

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
        thresholds = {
            "warn_under_share": opts["warn_under_share"],
            "budget_months": opts["budget_months"],
        }
        notes = []
        if revenue_share is not None and unmapped:
            notes.append(
                f"social media brings {_pct(revenue_share)} of the tracked revenue for "
                f"{_pct(share)} of the marketing budget"
            )
        if share < opts["warn_under_share"]:
            verdict = Verdict.WARN
            message = (
                f"Social media gets {_pct(share)} of the marketing budget "
                f"({spend:,.2f} over {months} months)."
            )
        else:
            verdict = Verdict.PASS
            message = f"Social media gets {_pct(share)} of the marketing budget."
        return self.finding(
            verdict, message=message, figures=figures, thresholds=thresholds, notes=notes
        )


class ExpectingTheWorld(Check):
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
        ),
        Option(
            "min_points",
            6,
            "The fewest observations to forecast from: six dated follower counts, or six "
            "months of a monthly metric. Fewer make the trend a guess and the interval "
            "meaningless, so the goal is reported `unknown` instead.",
            int,
            minimum=3,
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
channel "does not work" and is dropped just as it starts to pay (seed 002). Goals should stretch
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
        thresholds = {"interval": opts["interval"], "min_points": opts["min_points"]}
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
                thresholds=thresholds,
                evidence=evidence[:EVIDENCE_LIMIT],
                evidence_total=len(evidence),
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
            thresholds=thresholds,
            evidence=ordered[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
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


def get_checks() -> list[type[Check]]:
    return [
        IgnoringMetrics,
        VanityMetrics,
        RoiUnknown,
        PretendingItsFree,
        Underinvesting,
        ExpectingTheWorld,
    ]
