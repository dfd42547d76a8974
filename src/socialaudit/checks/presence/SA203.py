"""SA203 falling-off-the-wagon: posting that stops and starts."""

from __future__ import annotations

import math
from typing import Any

import ibis
import ibis.expr.types as ir

from ...model import Verdict
from ...vocabulary import CONTENT, DAY, iso, needs, percent
from ..base import AuditContext, Check, Finding, Option, worst


class FallingOffTheWagon(Check):
    """Gaps between posts, a posting rate that halves, an irregular weekly rhythm."""

    code = "SA203"
    name = "falling-off-the-wagon"
    area = "presence"
    severity = "high"
    requires = ("brand_posts", "timeline")
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
Each account's window ends at its own audit date: `as_of` when set, else the date of its own
export (see the README's "audit date").

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
        # Each account's window ends at its own audit date (`end`).
        t = ctx.dates.with_end(t, t.acct).rename(end="audit_ts")
        t = t.mutate(start=t.end - window * DAY, before=t.end - 2 * window * DAY)
        gaps = self.gaps(t)
        upto = t.filter(t.ts <= t.end)
        summary = ctx.rows(
            upto.group_by(["acct", "end", "before"]).aggregate(
                in_window=(upto.ts > upto.start).cast("int64").sum(),
                in_previous=((upto.ts > upto.before) & (upto.ts <= upto.start)).cast("int64").sum(),
                last=upto.ts.max(),
                first=upto.ts.min(),
            ),
        )
        sampled = sorted(r["acct"] for r in summary if not ctx.account_has(r["acct"], "timeline"))
        summary = [r for r in summary if r["acct"] not in sampled]
        if not summary:
            return self.unknown(
                f"no original post of the brand up to {ctx.dates.describe()} in an export of "
                "its whole timeline",
                needs("timeline" if sampled else "brand_posts"),
            )
        long_gaps = ctx.rows(
            gaps.filter(gaps.gap > opts["warn_gap_days"] * DAY).select("acct", "prev", "ts", "gap"),
        )
        longest = {
            r["acct"]: r["g"] for r in ctx.rows(gaps.group_by("acct").aggregate(g=gaps.gap.max()))
        }
        weekly = self.weekly(ctx, t, window)
        per_account: dict[str, dict[str, Any]] = {}
        evidence: list[dict[str, Any]] = []
        verdicts: list[str] = []
        for r in sorted(summary, key=lambda r: r["acct"]):
            acct, end = r["acct"], int(r["end"])
            verdict, per_account[acct] = self.judge_account(
                r, longest.get(acct) or 0, weekly.get(acct, []), end, int(r["before"]), opts
            )
            verdicts.append(verdict)
            evidence += [gap_item(acct, g["prev"], g["ts"]) for g in long_gaps if g["acct"] == acct]
            if end - r["last"] > opts["warn_gap_days"] * DAY:
                # the silence from the last post to the audit date, which is not over yet
                evidence.append({**gap_item(acct, r["last"], end), "ongoing": True})
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
        single = ctx.dates.one()
        upto_words = iso(single) if single else "each account's audit date"
        message = (
            f"longest silence {figures['max_gap_days']:.1f} days ({worst_acct}) in the "
            f"{window} days before {upto_words}"
        )
        if ratios and min(ratios) <= opts["fail_trend_ratio"]:
            falling = [a for a, p in per_account.items() if p["trend_ratio"] == min(ratios)]
            message += (
                f"; posting fell to {percent(min(ratios))} of the period before "
                f"({', '.join(falling)})"
            )
        notes = [f"window: the {window} days up to {ctx.dates.describe()}"]
        if sampled:
            notes.append(
                "not judged, as only a dataset slice (TWCS-style) of their posts is imported: "
                + ", ".join(sampled)
            )
        return self.finding(
            Verdict(worst(verdicts)),
            message=message,
            figures=figures,
            per_account=per_account,
            evidence=evidence,
            notes=notes,
        )

    def gaps(self, t: ir.Table) -> ir.Table:
        """The silence before each post in its account's window (seconds since the account's
        previous post); a gap that began before the window counts when it ends inside it."""
        w = ibis.window(group_by=[t.acct], order_by=[t.ts, t.id])
        seq = t.mutate(prev=t.ts.lag().over(w))
        seq = seq.filter(seq.ts <= seq.end, seq.ts > seq.start, seq.prev.notnull())
        return seq.mutate(gap=seq.ts - seq.prev)

    def weekly(self, ctx: AuditContext, t: ir.Table, window: int) -> dict[str, list[int]]:
        """Posts per week of the window (week 0 ends at the account's audit date)."""
        recent = t.filter(t.ts > t.start, t.ts <= t.end)
        recent = recent.mutate(week=(recent.end - recent.ts) // (7 * DAY))
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
