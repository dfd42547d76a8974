"""SA203 falling-off-the-wagon: posting that stops and starts."""

from __future__ import annotations

import math
from typing import Any

import ibis
import ibis.expr.types as ir

from ...model import Verdict
from ...vocabulary import CONTENT, DAY, iso, needs
from ..base import AuditContext, Check, Finding, Option, worst


class FallingOffTheWagon(Check):
    """Gaps between posts, a posting rate that halves, an irregular weekly rhythm."""

    code = "SA203"
    name = "falling-off-the-wagon"
    area = "presence"
    severity = "high"
    requires = ("brand_posts",)
    seeds = ("002", "003")
    options = (
        Option(
            "warn_gap_days",
            7,
            "A week without a post breaks a weekly rhythm, the least a brand can keep up "
            "(rulebook default).",
            minimum=1,
        ),
        Option(
            "fail_gap_days",
            21,
            "Three weeks of silence is long enough for followers to forget the account "
            "(rulebook default).",
            minimum=1,
        ),
        Option(
            "fail_trend_ratio",
            0.5,
            "Posting half as much as the period before is giving up, not a slow week (rulebook: "
            "a trend that halves).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "min_posts_for_trend",
            4,
            "Below four posts in the earlier period a halving is noise (one post against two).",
            type=int,
            minimum=1,
        ),
        Option(
            "warn_weekly_cv",
            1.0,
            "When the spread of posts per week exceeds their mean, busy weeks alternate with "
            "empty ones: the cadence is irregular.",
            minimum=0,
        ),
        Option(
            "window_days",
            90,
            "A quarter is long enough to show a habit and short enough to be about now "
            "(rulebook default).",
            type=int,
            minimum=14,
            threshold=True,
        ),
    )
    doc = """
## What it detects

Posting that stops and starts: gaps between consecutive original posts (and the gap from the
last post to the audit date) over `warn_gap_days` or `fail_gap_days` within the last
`window_days`; a posting rate that fell to `fail_trend_ratio` or less of the window before; and
an irregular weekly rhythm (the coefficient of variation of posts per week over the window).

Counted are original posts: reposts are not the brand's content, and replies are conversation
(the care checks measure them). A gap that began before the window counts when it ends inside it.
The audit date is `as_of`, by default the newest message in the workspace.

## Why it matters

Starting is easy; keeping going is the work. Followers notice when a brand drops out, and
social media cannot be switched on for a campaign and off again like an advert: an audience
built by steady posting drifts away in the silences.

## Example

An account posted weekly until 2024-02-01, then nothing until 2024-03-10: the 38-day gap is over
21 days, so the check fails and lists the gap as `{"start": "2024-02-01…", "end": "2024-03-10…",
"days": 38.0}`.
"""
    advice = (
        "Keep a content calendar with at least one post a week per network, prepare posts ahead "
        "for busy and holiday weeks, and schedule them so silence never happens by accident."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        t = ctx.brand_messages(CONTENT)
        ref = ctx.as_of
        if not ctx.scalar(t.count()) or ref is None:
            return self.unknown("no original post of the brand is imported", needs("brand_posts"))
        window = int(opts["window_days"])
        end = int(ref.timestamp())
        start = end - window * DAY
        before = start - window * DAY
        gaps = self.gaps(t, start, end)
        upto = t.filter(t.ts <= end)
        summary = ctx.rows(
            upto.group_by("acct").aggregate(
                in_window=(upto.ts > start).cast("int64").sum(),
                in_previous=((upto.ts > before) & (upto.ts <= start)).cast("int64").sum(),
                last=upto.ts.max(),
                first=upto.ts.min(),
            ),
        )
        if not summary:
            return self.unknown(
                f"no original post of the brand up to {iso(ref)} (the as_of setting)",
                needs("brand_posts"),
            )
        long_gaps = ctx.rows(
            gaps.filter(gaps.gap > opts["warn_gap_days"] * DAY).select("acct", "prev", "ts", "gap"),
        )
        longest = {
            r["acct"]: r["g"] for r in ctx.rows(gaps.group_by("acct").aggregate(g=gaps.gap.max()))
        }
        weekly = self.weekly(ctx, t, start, end, window)
        per_account: dict[str, dict[str, Any]] = {}
        evidence: list[dict[str, Any]] = []
        verdicts: list[str] = []
        for r in sorted(summary, key=lambda r: r["acct"]):
            acct = r["acct"]
            verdict, per_account[acct] = self.judge_account(
                r, longest.get(acct) or 0, weekly.get(acct, []), end, before, opts
            )
            verdicts.append(verdict)
            evidence += [gap_item(acct, g["prev"], g["ts"]) for g in long_gaps if g["acct"] == acct]
            if end - r["last"] > opts["warn_gap_days"] * DAY:
                # the silence from the last post to the audit date, which is not over yet
                evidence.append(
                    {**gap_item(acct, r["last"], end), "end": iso(ref), "ongoing": True}
                )
        evidence.sort(key=lambda e: -e["days"])
        ratios = [p["trend_ratio"] for p in per_account.values() if p["trend_ratio"] is not None]
        cvs = [p["weekly_cv"] for p in per_account.values() if p["weekly_cv"] is not None]
        figures = {
            "max_gap_days": max(p["max_gap_days"] for p in per_account.values()),
            "gaps_over_warn": len(evidence),
            "posts_in_window": sum(p["posts_in_window"] for p in per_account.values()),
            "posts_in_previous_window": sum(
                p["posts_in_previous_window"] for p in per_account.values()
            ),
            "trend_ratio_min": min(ratios) if ratios else None,
            "weekly_cv_max": max(cvs) if cvs else None,
        }
        worst_acct = max(per_account, key=lambda a: per_account[a]["max_gap_days"])
        message = (
            f"longest silence {figures['max_gap_days']:.1f} days ({worst_acct}) in the "
            f"{window} days before {iso(ref)}"
        )
        if ratios and min(ratios) <= opts["fail_trend_ratio"]:
            message += f"; posting fell to {min(ratios):.0%} of the period before"
        return self.finding(
            Verdict(worst(verdicts)),
            message=message,
            figures=figures,
            per_account=per_account,
            evidence=evidence,
            notes=[f"window: the {window} days up to {iso(ref)}"],
        )

    def gaps(self, t: ir.Table, start: int, end: int) -> ir.Table:
        """The silence before each post in the window (seconds since the account's previous
        post); a gap that began before the window counts when it ends inside it."""
        w = ibis.window(group_by=[t.acct], order_by=[t.ts, t.id])
        seq = t.mutate(prev=t.ts.lag().over(w))
        seq = seq.filter(seq.ts <= end, seq.ts > start, seq.prev.notnull())
        return seq.mutate(gap=seq.ts - seq.prev)

    def weekly(
        self, ctx: AuditContext, t: ir.Table, start: int, end: int, window: int
    ) -> dict[str, list[int]]:
        """Posts per week of the window (week 0 ends at the audit date), per account."""
        recent = t.filter(t.ts > start, t.ts <= end)
        recent = recent.mutate(week=(end - recent.ts) // (7 * DAY))
        weeks = math.ceil(window / 7)
        out: dict[str, list[int]] = {}
        for r in ctx.rows(recent.group_by(["acct", "week"]).aggregate(n=recent.count())):
            counts = out.setdefault(r["acct"], [0] * weeks)
            if 0 <= r["week"] < weeks:
                counts[int(r["week"])] += r["n"]
        return out

    def judge_account(
        self,
        r: dict[str, Any],
        longest_gap: int,
        counts: list[int],
        end: int,
        before: int,
        opts: dict[str, Any],
    ) -> tuple[str, dict[str, Any]]:
        """(verdict, figures) of one account: its longest silence (the trailing one included),
        its trend against the window before, and how regular its weeks are."""
        weeks = math.ceil(int(opts["window_days"]) / 7)
        counts = counts or [0] * weeks
        trailing = end - r["last"]
        gap_days = max(longest_gap, trailing) / DAY
        mean = sum(counts) / weeks
        cv = math.sqrt(sum((c - mean) ** 2 for c in counts) / weeks) / mean if mean else None
        ratio = (
            r["in_window"] / r["in_previous"]
            if r["in_previous"] >= opts["min_posts_for_trend"] and r["first"] <= before
            else None
        )
        verdict = "pass"
        if gap_days > opts["warn_gap_days"] or (cv is not None and cv > opts["warn_weekly_cv"]):
            verdict = "warn"
        if gap_days > opts["fail_gap_days"] or (
            ratio is not None and ratio <= opts["fail_trend_ratio"]
        ):
            verdict = "fail"
        return verdict, {
            "posts_in_window": int(r["in_window"]),
            "posts_in_previous_window": int(r["in_previous"]),
            "trend_ratio": None if ratio is None else round(ratio, 3),
            "max_gap_days": round(gap_days, 2),
            "trailing_gap_days": round(trailing / DAY, 2),
            "weekly_cv": None if cv is None else round(cv, 3),
            "posts_per_week": round(mean, 3),
        }


def gap_item(acct: str, start: int, end: int) -> dict[str, Any]:
    """A silence as evidence: from one post (epoch seconds) to the next, or to the audit date."""
    return {
        "account": acct,
        "start": iso(start),
        "end": iso(end),
        "days": round((end - start) / DAY, 2),
    }
