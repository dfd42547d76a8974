"""Presence and cadence (SA2xx): is the brand there, how often does it post, does it keep going,
and is it spread over more networks than it can keep alive.

Days are UTC days. The audit date (`as_of`) defaults to the newest message in the workspace:
an export is a snapshot, and an audit of a snapshot judges the period the snapshot covers. Each
finding also says how long ago that was from today, so an old export is never mistaken for a
live account.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import ibis

from .. import norms
from ..model import Platform, Verdict
from ..vocabulary import (
    CONTENT,
    DAY,
    PUBLIC_ACTIVITY,
    TIMELINE,
    account_key,
    day_iso,
    iso,
    needs,
    share,
)
from ._brand import worst
from .base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option


def known_accounts(ctx: AuditContext) -> dict[str, str]:
    """Every brand account the workspace knows, as {'platform:handle': where it comes from}.

    'export': the accounts table (an export of the account itself, so its posts are in it);
    'messages': named as the account of imported messages; 'config': only listed in
    `[brand] accounts`, with no data imported for it.
    """
    found: dict[str, str] = {}
    acc = ctx.table("accounts")
    for r in ctx.rows(acc.select(key=acc.platform.concat(":", acc.handle)).distinct()):
        found[r["key"]] = "export"
    m = ctx.table("messages")
    named = m.filter(m.account.notnull() | m.from_brand.fill_null(False))
    for r in ctx.rows(named.select(key=account_key(named)).distinct()):
        found.setdefault(r["key"], "messages")
    configured = ctx.brand_accounts
    lowered = {k.lower() for k in found}
    for platform, handle in configured:
        key = f"{platform}:{handle}"
        if key.lower() not in lowered:
            found[key] = "config"
    return found


def _now() -> datetime:
    return datetime.now(UTC)


class NoPresence(Check):
    code = "SA201"
    name = "no-presence"
    area = "presence"
    severity = "high"
    requires = ("brand_posts",)
    seeds = ("000",)
    options = (
        Option(
            "warn_days",
            14,
            "Two weeks without a word is when followers start to notice silence; a warning "
            "leaves time to act before the account looks abandoned.",
            type=int,
            minimum=1,
        ),
        Option(
            "fail_days",
            30,
            "A month without any public message makes an account look abandoned to anyone who "
            "finds it (rulebook default).",
            type=int,
            minimum=1,
        ),
    )
    doc = """
## What it detects

A brand with no account on any network, or with an account that has gone quiet: no public
message of any kind (post, reply, comment or repost) for `warn_days` or `fail_days` before the
audit date. Direct messages do not count, because nobody visiting the profile sees them.

Accounts come from the imported exports (the accounts table), from the account named on
imported messages, and from `[brand] accounts` in the config. An account listed in the config
whose data was never imported is `unknown`, not dormant: the audit cannot see what it never got.

## Why it matters

Customers look a business up on social networks and expect to find it there, answering and up
to date. No account at all looks out of touch; an account whose last post is months old looks
worse, because it says the business stopped caring where customers still look.

## Example

The X account's last post is 45 days before the newest message in the workspace: the check
fails with `days_since_last_activity = 45` and lists the account with the date of its last
post, also saying how many days ago that is from today.
"""
    advice = (
        "Post on every account you keep at least every couple of weeks, even briefly; close or "
        "hand over the accounts you cannot keep alive, and say where customers can reach you."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        accounts = known_accounts(ctx)
        ref = ctx.as_of
        if not accounts:
            if not ctx.count("imports") and not ctx.count("messages"):
                return self.unknown(
                    "nothing has been imported and the config lists no brand account, so the "
                    "audit cannot tell whether the brand is on any network",
                    needs("brand_posts"),
                )
            return self.finding(
                Verdict.FAIL,
                message="the imported data holds no account of the brand on any network",
                figures={"accounts": 0},
                advice=(
                    "Open an account on the one or two networks where your customers are, or list "
                    "the accounts you already have in [brand] accounts of socialaudit.toml and "
                    "import their exports."
                ),
            )
        act = ctx.brand_messages(PUBLIC_ACTIVITY)
        if ref is not None:
            act = act.filter(act.ts <= int(ref.timestamp()))
        last = act.group_by("acct").aggregate(
            last_activity=act.created_at.max(),
            last_post=act.created_at.max(where=act.kind == "post"),
            messages=act.count(),
        )
        by_acct = {r["acct"]: r for r in ctx.rows(last)}
        now = _now()
        per_account: dict[str, dict[str, Any]] = {}
        verdicts: list[str] = []
        evidence: list[dict[str, Any]] = []
        notes: list[str] = []
        for key in sorted(accounts):
            r = by_acct.get(key)
            if r is None:
                if accounts[key] == "export":
                    # The account's own export holds no public message: it never posted.
                    verdicts.append("fail")
                    per_account[key] = {"messages": 0, "days_since_last_activity": None}
                    evidence.append(
                        {
                            "account": key,
                            "last_activity_at": None,
                            "start": None,
                            "end": iso(ref),
                            "days": None,
                        }
                    )
                else:
                    notes.append(
                        f"{key}: none of the brand's own messages are imported for this account; "
                        "import its export to judge it"
                    )
                    per_account[key] = {"messages": None, "days_since_last_activity": None}
                continue
            assert ref is not None  # there are messages, so there is a newest one
            days = (ref - r["last_activity"]).total_seconds() / DAY
            days_now = (now - r["last_activity"]).total_seconds() / DAY
            post_days = (
                None if r["last_post"] is None else (ref - r["last_post"]).total_seconds() / DAY
            )
            verdict = (
                "fail"
                if days > opts["fail_days"]
                else "warn"
                if days > opts["warn_days"]
                else "pass"
            )
            verdicts.append(verdict)
            per_account[key] = {
                "messages": r["messages"],
                "days_since_last_activity": round(days, 2),
                "days_since_last_post": None if post_days is None else round(post_days, 2),
                "days_since_last_activity_today": round(days_now, 2),
            }
            if verdict != "pass":
                evidence.append(
                    {
                        "account": key,
                        "last_activity_at": iso(r["last_activity"]),
                        "last_post_at": iso(r["last_post"]),
                        "start": iso(r["last_activity"]),
                        "end": iso(ref),
                        "days": round(days, 2),
                    }
                )
        if not verdicts:
            return self.unknown(
                "no public message of the brand is imported for any of its accounts "
                f"({', '.join(sorted(accounts))})",
                needs("brand_posts"),
            )
        verdict = worst(verdicts)
        ages = [
            p["days_since_last_activity"]
            for p in per_account.values()
            if p["days_since_last_activity"] is not None
        ]
        freshest = min(ages) if ages else None
        stalest = max(ages) if ages else None
        quiet = [
            k
            for k, p in per_account.items()
            if p.get("messages") == 0
            or (
                p["days_since_last_activity"] is not None
                and p["days_since_last_activity"] > opts["warn_days"]
            )
        ]
        figures = {
            "accounts": len(accounts),
            "accounts_judged": len(verdicts),
            "quiet_accounts": len(quiet),
            "days_since_last_activity_max": stalest,
            "days_since_last_activity_min": freshest,
            "days_since_as_of_today": None
            if ref is None
            else round((now - ref).total_seconds() / DAY, 2),
        }
        message = (
            f"{len(quiet)} of {len(verdicts)} accounts quiet for over {opts['warn_days']} days "
            f"before {iso(ref)}: {', '.join(quiet)}"
            if quiet
            else f"every account posted within {opts['warn_days']} days before {iso(ref)}"
        )
        notes.append(
            f"judged as of {iso(ref)}"
            + (
                " (the newest message in the workspace)"
                if ctx.config.checks.as_of is None
                else " (the as_of setting)"
            )
            + f"; that is {figures['days_since_as_of_today']} days before today"
        )
        return self.finding(
            Verdict(verdict),
            message=message,
            figures=figures,
            thresholds={"warn_days": opts["warn_days"], "fail_days": opts["fail_days"]},
            per_account=per_account,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=notes,
        )


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
    code = "SA202"
    name = "oversharing"
    area = "presence"
    severity = "medium"
    requires = ("brand_posts",)
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
day; replies and comments are conversation and do not count, nor do direct messages.

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
        t = ctx.brand_messages(TIMELINE)
        if not ctx.scalar(t.count()):
            return self.unknown("no post or repost of the brand is imported", needs("brand_posts"))

        def ceiling(platform: str) -> int:
            return int(opts.get(f"{platform}_per_day", opts["other_per_day"]))

        # Posts per account and UTC day.
        d = t.mutate(
            day=t.ts // DAY,
            metered=t.likes.notnull() | t.reposts.notnull() | t.replies.notnull(),
            eng=t.likes.fill_null(0)
            + t.reposts.fill_null(0)
            + t.replies.fill_null(0)
            + t.quotes.fill_null(0),
        )
        daily = d.group_by(["platform", "acct", "day"]).aggregate(
            posts=d.count(),
            engagement=d.eng.sum(where=d.metered),
            with_metrics=d.metered.cast("int64").sum(),
        )
        day_rows = ctx.rows(daily)

        # Bursts: the post `burst_posts - 1` places later is within `burst_minutes`.
        k = int(opts["burst_posts"]) - 1
        w = ibis.window(group_by=[t.acct], order_by=[t.created_at, t.id])
        seq = t.mutate(later=t.ts.lead(k).over(w), later_id=t.id.lead(k).over(w))
        bursts = seq.filter((seq.later - seq.ts) <= int(opts["burst_minutes"]) * 60)
        burst_rows = ctx.rows(
            bursts.select("acct", "id", "created_at", "later", "later_id", "text", "url").order_by(
                ["acct", "created_at"]
            ),
        )
        # Overlapping windows describe one burst: keep the first window of each run.
        burst_events: list[dict[str, Any]] = []
        last_end: dict[str, int] = {}
        for r in burst_rows:
            start = int(r["created_at"].timestamp())
            if start <= last_end.get(r["acct"], -1):
                last_end[r["acct"]] = max(last_end[r["acct"]], r["later"])
                burst_events[-1]["end_ts"] = last_end[r["acct"]]
                burst_events[-1]["last_message_id"] = r["later_id"]
                continue
            last_end[r["acct"]] = r["later"]
            burst_events.append(
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

        per_account: dict[str, dict[str, Any]] = {}
        over_days: list[dict[str, Any]] = []
        verdicts: list[str] = []
        accounts = sorted({r["acct"] for r in day_rows})
        for acct in accounts:
            mine = [r for r in day_rows if r["acct"] == acct]
            platform = mine[0]["platform"]
            cap = ceiling(platform)
            over = [r for r in mine if r["posts"] > cap]
            n_bursts = sum(1 for b in burst_events if b["account"] == acct)
            corr = (
                _correlation(
                    [
                        (r["posts"], r["engagement"] / r["with_metrics"])
                        for r in mine
                        if r["with_metrics"]
                    ]
                )
                if sum(1 for r in mine if r["with_metrics"]) >= opts["min_days_for_trend"]
                else None
            )
            share_over = share(len(over), len(mine))
            v = "pass"
            if over or n_bursts or (corr is not None and corr <= opts["warn_correlation"]):
                v = "warn"
            if share_over is not None and share_over > opts["fail_share_days"]:
                v = "fail"
            verdicts.append(v)
            per_account[acct] = {
                "ceiling_per_day": cap,
                "active_days": len(mine),
                "posts": sum(r["posts"] for r in mine),
                "max_posts_per_day": max(r["posts"] for r in mine),
                "days_over_ceiling": len(over),
                "share_days_over_ceiling": share_over,
                "bursts": n_bursts,
                "engagement_frequency_correlation": None if corr is None else round(corr, 3),
            }
            for r in over:
                over_days.append(
                    {
                        "account": acct,
                        "start": day_iso(r["day"]),
                        "end": day_iso(r["day"] + 1),
                        "days": 1,
                        "posts": r["posts"],
                        "ceiling": cap,
                    }
                )
        over_days.sort(key=lambda d: (-d["posts"], d["start"]))
        evidence = over_days + [
            {
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
            for b in burst_events
        ]
        verdict = worst(verdicts)
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
            "bursts": len(burst_events),
            "engagement_frequency_correlation": min(corrs) if corrs else None,
        }
        parts = []
        if days_over:
            parts.append(f"{days_over} account-days over the daily ceiling")
        if burst_events:
            parts.append(
                f"{len(burst_events)} bursts of {opts['burst_posts']}+ posts within "
                f"{opts['burst_minutes']} min"
            )
        if corrs and min(corrs) <= opts["warn_correlation"]:
            parts.append(f"engagement per post falls as posting rises (r = {min(corrs):.2f})")
        message = "; ".join(parts) if parts else "posting stays under every network's daily ceiling"
        notes = []
        if not corrs:
            notes.append(
                "engagement per post against frequency not judged: fewer than "
                f"{opts['min_days_for_trend']} days with engagement figures on any account"
            )
        return self.finding(
            Verdict(verdict),
            message=message,
            figures=figures,
            thresholds={
                **{f"{p}_per_day": ceiling(p) for p in sorted({a.split(":")[0] for a in accounts})},
                "burst_posts": opts["burst_posts"],
                "burst_minutes": opts["burst_minutes"],
                "fail_share_days": opts["fail_share_days"],
                "warn_correlation": opts["warn_correlation"],
            },
            per_account=per_account,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=notes,
        )


def _correlation(pairs: list[tuple[float, float]]) -> float | None:
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


class FallingOffTheWagon(Check):
    code = "SA203"
    name = "falling-off-the-wagon"
    area = "presence"
    severity = "high"
    requires = ("brand_posts",)
    seeds = ("002", "003")
    options = (
        Option(
            "window_days",
            90,
            "A quarter is long enough to show a habit and short enough to be about now "
            "(rulebook default).",
            type=int,
            minimum=14,
        ),
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
        n_posts = ctx.scalar(t.count())
        if not n_posts or ref is None:
            return self.unknown("no original post of the brand is imported", needs("brand_posts"))
        window = int(opts["window_days"])
        end = int(ref.timestamp())
        start = end - window * DAY
        before = start - window * DAY
        w = ibis.window(group_by=[t.acct], order_by=[t.ts, t.id])
        seq = t.mutate(prev=t.ts.lag().over(w))
        seq = seq.filter(seq.ts <= end, seq.ts > start, seq.prev.notnull())
        gaps = seq.mutate(gap=seq.ts - seq.prev)
        gap_rows = ctx.rows(
            gaps.filter(gaps.gap > opts["warn_gap_days"] * DAY).select("acct", "prev", "ts", "gap"),
        )
        upto = t.filter(t.ts <= end)
        summary = ctx.rows(
            upto.group_by("acct").aggregate(
                in_window=(upto.ts > start).cast("int64").sum(),
                in_previous=((upto.ts > before) & (upto.ts <= start)).cast("int64").sum(),
                last=upto.ts.max(),
                first=upto.ts.min(),
            ),
        )
        longest = {
            r["acct"]: r["g"] for r in ctx.rows(gaps.group_by("acct").aggregate(g=gaps.gap.max()))
        }
        if not summary:
            return self.unknown(
                f"no original post of the brand up to {iso(ref)} (the as_of setting)",
                needs("brand_posts"),
            )
        recent = t.filter(t.ts > start, t.ts <= end)
        recent = recent.mutate(week=(end - recent.ts) // (7 * DAY))
        weekly = ctx.rows(recent.group_by(["acct", "week"]).aggregate(n=recent.count()))
        weeks = math.ceil(window / 7)

        per_account: dict[str, dict[str, Any]] = {}
        evidence: list[dict[str, Any]] = []
        verdicts: list[str] = []
        for r in sorted(summary, key=lambda r: r["acct"]):
            acct = r["acct"]
            trailing = end - r["last"]
            gap_max = max(longest.get(acct) or 0, trailing)
            counts = [0] * weeks
            for wr in weekly:
                if wr["acct"] == acct and 0 <= wr["week"] < weeks:
                    counts[int(wr["week"])] += wr["n"]
            mean = sum(counts) / weeks
            cv = math.sqrt(sum((c - mean) ** 2 for c in counts) / weeks) / mean if mean else None
            ratio = (
                r["in_window"] / r["in_previous"]
                if r["in_previous"] >= opts["min_posts_for_trend"] and r["first"] <= before
                else None
            )
            gap_days = gap_max / DAY
            v = "pass"
            if gap_days > opts["warn_gap_days"] or (cv is not None and cv > opts["warn_weekly_cv"]):
                v = "warn"
            if gap_days > opts["fail_gap_days"] or (
                ratio is not None and ratio <= opts["fail_trend_ratio"]
            ):
                v = "fail"
            verdicts.append(v)
            per_account[acct] = {
                "posts_in_window": int(r["in_window"]),
                "posts_in_previous_window": int(r["in_previous"]),
                "trend_ratio": None if ratio is None else round(ratio, 3),
                "max_gap_days": round(gap_days, 2),
                "trailing_gap_days": round(trailing / DAY, 2),
                "weekly_cv": None if cv is None else round(cv, 3),
                "posts_per_week": round(mean, 3),
            }
            for g in gap_rows:
                if g["acct"] == acct:
                    evidence.append(
                        {
                            "account": acct,
                            "start": iso(datetime.fromtimestamp(g["prev"], UTC)),
                            "end": iso(datetime.fromtimestamp(g["ts"], UTC)),
                            "days": round(g["gap"] / DAY, 2),
                        }
                    )
            if trailing > opts["warn_gap_days"] * DAY:
                evidence.append(
                    {
                        "account": acct,
                        "start": iso(datetime.fromtimestamp(r["last"], UTC)),
                        "end": iso(ref),
                        "days": round(trailing / DAY, 2),
                        "ongoing": True,
                    }
                )
        evidence.sort(key=lambda e: -e["days"])
        verdict = worst(verdicts)
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
            Verdict(verdict),
            message=message,
            figures=figures,
            thresholds={
                "warn_gap_days": opts["warn_gap_days"],
                "fail_gap_days": opts["fail_gap_days"],
                "fail_trend_ratio": opts["fail_trend_ratio"],
                "warn_weekly_cv": opts["warn_weekly_cv"],
                "window_days": window,
            },
            per_account=per_account,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=[f"window: the {window} days up to {iso(ref)}"],
        )


class SpreadTooThin(Check):
    code = "SA204"
    name = "spread-too-thin"
    area = "presence"
    severity = "low"
    requires = ("brand_posts",)
    seeds = ("002", "004")
    options = (
        Option(
            "low_share",
            0.1,
            "An account with under a tenth of the brand's activity gets too little attention to "
            "build anything (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "warn_share_accounts",
            0.5,
            "When more than half the accounts are starved, the brand is on more networks than it "
            "can serve (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "window_days",
            90,
            "Activity over the last quarter says where effort goes now.",
            type=int,
            minimum=7,
        ),
    )
    doc = """
## What it detects

A brand present on many networks but active on few: each account's share of the brand's public
activity (posts, replies, comments and reposts) over the last `window_days`, and the share of
accounts that get less than `low_share` of it. Where the exports carry engagement figures, it
ranks the accounts by engagement per post, to say which networks repay the effort.

Only accounts with imported data are judged; an account listed only in the config is noted.

## Why it matters

Every network takes time to learn and to keep up. A brand that opens an account everywhere
ends up with a handful of neglected profiles, each of which looks abandoned, instead of one or
two that work. Focus wins: master the networks that suit the business, then add more.

## Example

Of four accounts, three got 4 %, 3 % and 2 % of the brand's activity in the last 90 days: three
of four accounts (75 %) are under 10 %, so the check warns, and names the account with the most
engagement per post as the one to focus on.
"""
    advice = (
        "Pick the one to three networks where your customers are and where your posts earn the "
        "most engagement; put your time there, and close or pause the rest with a note saying "
        "where to find you."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        accounts = known_accounts(ctx)
        judged = sorted(k for k, src in accounts.items() if src != "config")
        ref = ctx.as_of
        if not judged or ref is None:
            return self.unknown("no account of the brand with imported data", needs("brand_posts"))
        end = int(ref.timestamp())
        start = end - int(opts["window_days"]) * DAY
        t = ctx.brand_messages(PUBLIC_ACTIVITY)
        t = t.filter(t.ts > start, t.ts <= end)
        t = t.mutate(
            metered=(t.likes.notnull() | t.reposts.notnull() | t.replies.notnull())
            & (t.kind == "post"),
            eng=t.likes.fill_null(0)
            + t.reposts.fill_null(0)
            + t.replies.fill_null(0)
            + t.quotes.fill_null(0),
        )
        agg = ctx.rows(
            t.group_by("acct").aggregate(
                activity=t.count(),
                posts_with_metrics=t.metered.cast("int64").sum(),
                engagement=t.eng.sum(where=t.metered),
            ),
        )
        by = {r["acct"]: r for r in agg}
        total = sum(r["activity"] for r in agg)
        if not total:
            return self.unknown(
                f"no public activity of the brand in the {opts['window_days']} days before "
                f"{iso(ref)}; SA201 judges dormant accounts",
                needs("brand_posts"),
            )
        per_account: dict[str, dict[str, Any]] = {}
        low: list[str] = []
        for acct in judged:
            r = by.get(acct, {"activity": 0, "posts_with_metrics": 0, "engagement": None})
            s = share(r["activity"], total)
            epp = (
                round(r["engagement"] / r["posts_with_metrics"], 3)
                if r["posts_with_metrics"] and r["engagement"] is not None
                else None
            )
            per_account[acct] = {
                "activity": int(r["activity"]),
                "activity_share": s,
                "engagement_per_post": epp,
            }
            if s is not None and s < opts["low_share"]:
                low.append(acct)
        low_share_accounts = share(len(low), len(judged))
        verdict = Verdict.PASS
        if (
            len(judged) > 1
            and low_share_accounts is not None
            and low_share_accounts > opts["warn_share_accounts"]
        ):
            verdict = Verdict.WARN
        ranked = sorted(
            (a for a in per_account if per_account[a]["engagement_per_post"] is not None),
            key=lambda a: -per_account[a]["engagement_per_post"],
        )
        figures = {
            "accounts": len(judged),
            "low_activity_accounts": len(low),
            "share_low_activity_accounts": low_share_accounts,
            "networks": len({a.split(":", 1)[0] for a in judged}),
            "activity": total,
        }
        message = (
            f"{len(low)} of {len(judged)} accounts get under {opts['low_share']:.0%} "
            "of the brand's activity"
            if len(judged) > 1
            else f"one account ({judged[0]}): the effort is not spread"
        )
        if len(ranked) > 1:
            message += f"; most engagement per post: {', '.join(ranked[:3])}"
        notes = [f"window: the {opts['window_days']} days up to {iso(ref)}"]
        config_only = sorted(k for k, src in accounts.items() if src == "config")
        if config_only:
            notes.append(
                "listed in the config but not imported, so not judged: " + ", ".join(config_only)
            )
        if not ranked:
            notes.append("no engagement figures in the exports: networks are not ranked")
        evidence = [
            {"account": a, **per_account[a]}
            for a in sorted(low, key=lambda a: per_account[a]["activity"])
        ]
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds={
                "low_share": opts["low_share"],
                "warn_share_accounts": opts["warn_share_accounts"],
            },
            per_account=per_account,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=notes,
        )


def get_checks() -> list[type[Check]]:
    return [NoPresence, Oversharing, FallingOffTheWagon, SpreadTooThin]
