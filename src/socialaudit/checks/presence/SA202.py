"""SA202 oversharing: more posts a day than followers want to see."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import ibis
import ibis.expr.types as ir

from ... import norms
from ...model import Platform, Verdict
from ...vocabulary import DAY, TIMELINE, day_iso, engagement, iso, measured, needs, share
from ..base import AuditContext, Check, Finding, Option, worst


def _ceiling_options() -> tuple[Option, ...]:
    out = []
    for platform in (
        Platform.X,
        Platform.MASTODON,
        Platform.BLUESKY,
        Platform.FACEBOOK,
        Platform.INSTAGRAM,
        Platform.LINKEDIN,
        Platform.OTHER,
    ):
        n = norms.DAILY_POST_CEILING[platform]
        out.append(Option(f"{platform}_per_day", n.value, n.source, type=int, minimum=1))
    return tuple(out)


class Oversharing(Check):
    """More posts a day than a network's ceiling, bursts of posts, engagement falling with frequency."""

    code = "SA202"
    name = "oversharing"
    area = "presence"
    severity = "medium"
    requires = ("brand_posts", "timeline")
    seeds = ("000",)
    options = (
        *_ceiling_options(),
        Option(
            "burst_posts",
            norms.BURST_POSTS,
            "Five posts in a row fill a follower's screen: past that the feed is the brand's "
            "alone (rulebook default).",
            type=int,
            minimum=2,
        ),
        Option(
            "burst_minutes",
            norms.BURST_MINUTES,
            "Within half an hour, posts reach the same people on the same scroll (rulebook "
            "default).",
            type=int,
            minimum=1,
        ),
        Option(
            "fail_share_days",
            0.1,
            "Over the ceiling on more than one active day in ten is a habit, not an exception.",
            minimum=0,
            maximum=1,
        ),
        Option(
            "warn_correlation",
            -0.3,
            "A correlation of -0.3 or lower between posts per day and engagement per post is "
            "the usual threshold for a weak but real negative relation.",
            minimum=-1,
            maximum=0,
        ),
        Option(
            "window_days",
            90,
            "A quarter before the audit date is about the brand's current habit; bursts from "
            "years ago say nothing about what followers see now. 0 takes the whole history.",
            type=int,
            minimum=0,
            threshold=True,
        ),
        Option(
            "min_days_for_trend",
            14,
            "Fewer days than two weeks with engagement figures give a correlation that means "
            "nothing.",
            type=int,
            minimum=3,
        ),
    )
    doc = """
## What it detects

Posting more than followers want to see: days on which an account published more posts than its
network's daily ceiling, bursts of `burst_posts` posts within `burst_minutes` minutes, and (when
the export has engagement figures) engagement per post that falls on the days the brand posts
more. Counted are the posts that land in followers' feeds: original posts and reposts, per UTC
day, in the `window_days` before each account's audit date; replies and comments are
conversation and do not count, nor do direct messages.

The ceilings are set per network in `socialaudit.norms`, each with its source, well above the
published recommended ranges: the check is for clear excess.

## Why it matters

Followers who see the brand's name every few minutes start skimming past it, mute it or leave,
and the one post that mattered is lost among the rest.
On several networks the engagement each post earns drops as frequency rises, so extra posts can
cost reach instead of adding it.

## Example

A Facebook page posted 6 times on 2024-03-04 (ceiling 3) and 5 times within 20 minutes on
2024-03-05: the check warns, lists both, and reports `max_posts_per_day = 6`.
"""
    advice = (
        "Post fewer, better updates: keep each network under its daily ceiling, spread posts "
        "over the day with a scheduler instead of publishing them in a batch, and watch whether "
        "engagement per post recovers."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        everything = ctx.brand_messages(TIMELINE)
        if not ctx.scalar(everything.count()):
            return self.unknown("no post or repost of the brand is imported", needs("brand_posts"))
        t, scope = ctx.window(everything, opts["window_days"])
        if not ctx.scalar(t.count()):
            return self.too_few_in_window(
                ctx, everything, 0, 1, scope, "post or repost", "posts or reposts"
            )
        days = self.daily(ctx, t)
        bursts = self.bursts(ctx, t, opts)
        per_account: dict[str, dict[str, Any]] = {}
        over_days: list[dict[str, Any]] = []
        verdicts: list[str] = []
        accounts = sorted({r["acct"] for r in days})
        for acct in accounts:
            mine = [r for r in days if r["acct"] == acct]
            n_bursts = sum(1 for b in bursts if b["account"] == acct)
            verdict, per_account[acct], over = self.judge_account(acct, mine, n_bursts, opts)
            verdicts.append(verdict)
            over_days += over
        over_days.sort(key=lambda d: (-d["posts"], d["start"]))
        figures, corrs = self.summary(per_account, bursts)
        parts = []
        if figures["days_over_ceiling"]:
            parts.append(f"{figures['days_over_ceiling']} account-days over the daily ceiling")
        if bursts:
            parts.append(
                f"{len(bursts)} bursts of {opts['burst_posts']}+ posts within "
                f"{opts['burst_minutes']} min"
            )
        if corrs and min(corrs) <= opts["warn_correlation"]:
            parts.append(f"engagement per post falls as posting rises (r = {min(corrs):.2f})")
        message = "; ".join(parts) if parts else "posting stays under every network's daily ceiling"
        notes = [f"judged on {scope} (posts and reposts)"]
        if not corrs:
            notes.append(
                "engagement per post against frequency not judged: fewer than "
                f"{opts['min_days_for_trend']} days with engagement figures on any account"
            )
        return self.finding(
            Verdict(worst(verdicts)),
            message=message,
            figures=figures,
            thresholds={
                **{
                    f"{p}_per_day": ceiling(p, opts)
                    for p in sorted({a.split(":")[0] for a in accounts})
                },
                "burst_posts": opts["burst_posts"],
                "burst_minutes": opts["burst_minutes"],
                "fail_share_days": opts["fail_share_days"],
                "warn_correlation": opts["warn_correlation"],
                "window_days": opts["window_days"],
            },
            per_account=per_account,
            evidence=over_days + [burst_item(b) for b in bursts],
            notes=notes,
        )

    def daily(self, ctx: AuditContext, t: ir.Table) -> list[dict[str, Any]]:
        """Posts per account and UTC day, with the engagement of those that have figures."""
        d = t.mutate(day=t.ts // DAY, metered=measured(t), eng=engagement(t))
        return ctx.rows(
            d.group_by(["platform", "acct", "day"]).aggregate(
                posts=d.count(),
                engagement=d.eng.sum(where=d.metered),
                with_metrics=d.metered.cast("int64").sum(),
            )
        )

    def bursts(self, ctx: AuditContext, t: ir.Table, opts: dict[str, Any]) -> list[dict[str, Any]]:
        """Runs of `burst_posts` posts within `burst_minutes`: the post `burst_posts - 1` places
        later is within the window; overlapping windows are one burst."""
        k = int(opts["burst_posts"]) - 1
        w = ibis.window(group_by=[t.acct], order_by=[t.created_at, t.id])
        seq = t.mutate(later=t.ts.lead(k).over(w), later_id=t.id.lead(k).over(w))
        found = seq.filter((seq.later - seq.ts) <= int(opts["burst_minutes"]) * 60)
        rows = ctx.rows(
            found.select("acct", "id", "created_at", "later", "later_id", "text", "url").order_by(
                ["acct", "created_at"]
            ),
        )
        events: list[dict[str, Any]] = []
        last_end: dict[str, int] = {}
        for r in rows:
            start = int(r["created_at"].timestamp())
            if start <= last_end.get(r["acct"], -1):
                last_end[r["acct"]] = max(last_end[r["acct"]], r["later"])
                events[-1]["end_ts"] = last_end[r["acct"]]
                events[-1]["last_message_id"] = r["later_id"]
                continue
            last_end[r["acct"]] = r["later"]
            events.append(
                {
                    "account": r["acct"],
                    "message_id": r["id"],
                    "created_at": iso(r["created_at"]),
                    "text": r["text"],
                    "url": r["url"],
                    "start_ts": start,
                    "end_ts": r["later"],
                    "last_message_id": r["later_id"],
                }
            )
        return events

    def judge_account(
        self, acct: str, days: list[dict[str, Any]], bursts: int, opts: dict[str, Any]
    ) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
        """(verdict, figures, days over the ceiling) of one account from its posts per day."""
        cap = ceiling(days[0]["platform"], opts)
        over = [r for r in days if r["posts"] > cap]
        metered = [
            (r["posts"], r["engagement"] / r["with_metrics"]) for r in days if r["with_metrics"]
        ]
        corr = correlation(metered) if len(metered) >= opts["min_days_for_trend"] else None
        share_over = share(len(over), len(days))
        verdict = "pass"
        if over or bursts or (corr is not None and corr <= opts["warn_correlation"]):
            verdict = "warn"
        if share_over is not None and share_over > opts["fail_share_days"]:
            verdict = "fail"
        figures = {
            "ceiling_per_day": cap,
            "active_days": len(days),
            "posts": sum(r["posts"] for r in days),
            "max_posts_per_day": max(r["posts"] for r in days),
            "days_over_ceiling": len(over),
            "share_days_over_ceiling": share_over,
            "bursts": bursts,
            "engagement_frequency_correlation": None if corr is None else round(corr, 3),
        }
        items = [
            {
                "account": acct,
                "start": day_iso(r["day"]),
                "end": day_iso(r["day"] + 1),
                "days": 1,
                "posts": r["posts"],
                "ceiling": cap,
            }
            for r in over
        ]
        return verdict, figures, items

    def summary(
        self, per_account: dict[str, dict[str, Any]], bursts: list[dict[str, Any]]
    ) -> tuple[dict[str, Any], list[float]]:
        """The overall figures, and each account's engagement/frequency correlation."""
        active = sum(p["active_days"] for p in per_account.values())
        days_over = sum(p["days_over_ceiling"] for p in per_account.values())
        corrs = [
            p["engagement_frequency_correlation"]
            for p in per_account.values()
            if p["engagement_frequency_correlation"] is not None
        ]
        figures = {
            "max_posts_per_day": max(p["max_posts_per_day"] for p in per_account.values()),
            "days_over_ceiling": days_over,
            "active_days": active,
            "share_days_over_ceiling": share(days_over, active),
            "bursts": len(bursts),
            "engagement_frequency_correlation": min(corrs) if corrs else None,
        }
        return figures, corrs


def ceiling(platform: str, opts: dict[str, Any]) -> int:
    """The daily post ceiling of a platform (the `<platform>_per_day` option)."""
    return int(opts.get(f"{platform}_per_day", opts["other_per_day"]))


def burst_item(b: dict[str, Any]) -> dict[str, Any]:
    """A burst as evidence: its first post, and when the run of posts ended."""
    return {
        "account": b["account"],
        "message_id": b["message_id"],
        "created_at": b["created_at"],
        "text": b["text"],
        "url": b["url"],
        "burst": True,
        "start": b["created_at"],
        "end": iso(datetime.fromtimestamp(b["end_ts"], UTC)),
        "minutes": round((b["end_ts"] - b["start_ts"]) / 60, 1),
        "last_message_id": b["last_message_id"],
    }


def correlation(pairs: list[tuple[float, float]]) -> float | None:
    """Pearson correlation; None when either side does not vary."""
    n = len(pairs)
    if n < 3:
        return None
    mx = sum(p[0] for p in pairs) / n
    my = sum(p[1] for p in pairs) / n
    sxx = sum((p[0] - mx) ** 2 for p in pairs)
    syy = sum((p[1] - my) ** 2 for p in pairs)
    if not sxx or not syy:
        return None
    sxy = sum((p[0] - mx) * (p[1] - my) for p in pairs)
    return sxy / math.sqrt(sxx * syy)
