"""SA204 spread-too-thin: many networks, few of them alive."""

from __future__ import annotations

from typing import Any

from ...model import Verdict
from ...vocabulary import PUBLIC_ACTIVITY, engagement, measured, needs, share
from ..base import AuditContext, Check, Finding, Option
from .accounts import known_accounts


class SpreadTooThin(Check):
    """Accounts on many networks, most of them getting a sliver of the brand's activity."""

    code = "SA204"
    name = "spread-too-thin"
    area = "presence"
    severity = "low"
    requires = ("brand_posts", "timeline")
    seeds = ("002", "004")
    options = (
        Option(
            "low_share",
            0.1,
            "An account with under a tenth of the brand's activity gets too little attention to "
            "build anything (rulebook default).",
            minimum=0,
            maximum=1,
            threshold=True,
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
        with_data = sorted(k for k, src in accounts.items() if src != "config")
        # A dataset slice's share of the brand's activity is the sampling's, not the brand's.
        sampled = [
            k
            for k in with_data
            if ctx.account_has(k, "brand_posts") and not ctx.account_has(k, "timeline")
        ]
        judged = [k for k in with_data if k not in sampled]
        ref = ctx.as_of
        if not judged or ref is None:
            return self.unknown("no account of the brand with imported data", needs("brand_posts"))
        # The window's public activity ends at the audit date (window_days of 0 is not allowed).
        t, _ = ctx.window(ctx.brand_messages(PUBLIC_ACTIVITY), opts["window_days"])
        if sampled:
            t = t.filter(~t.acct.lower().isin([k.lower() for k in sampled]))
        t = t.mutate(metered=measured(t) & (t.kind == "post"), eng=engagement(t))
        by = {
            r["acct"]: r
            for r in ctx.rows(
                t.group_by("acct").aggregate(
                    activity=t.count(),
                    posts_with_metrics=t.metered.cast("int64").sum(),
                    engagement=t.eng.sum(where=t.metered),
                ),
            )
        }
        total = sum(r["activity"] for r in by.values())
        if not total:
            return self.unknown(
                f"no public activity of the brand in the {opts['window_days']} days before "
                f"{ctx.dates.describe()}; SA201 judges dormant accounts",
                needs("brand_posts"),
            )
        per_account = {acct: self.account_figures(by.get(acct), total) for acct in judged}
        low = [
            a
            for a, p in per_account.items()
            if p["activity_share"] is not None and p["activity_share"] < opts["low_share"]
        ]
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
        message = (
            f"{len(low)} of {len(judged)} accounts get under {opts['low_share']:.0%} "
            "of the brand's activity"
            if len(judged) > 1
            else f"one account ({judged[0]}): the effort is not spread"
        )
        if len(ranked) > 1:
            message += f"; most engagement per post: {', '.join(ranked[:3])}"
        notes = [f"window: the {opts['window_days']} days up to {ctx.dates.describe()}"]
        if sampled:
            notes.append(
                "not judged, as only a dataset slice (TWCS-style) of their messages is imported: "
                + ", ".join(sampled)
            )
        config_only = sorted(k for k, src in accounts.items() if src == "config")
        if config_only:
            notes.append(
                "listed in the config but not imported, so not judged: " + ", ".join(config_only)
            )
        if not ranked:
            notes.append("no engagement figures in the exports: networks are not ranked")
        return self.finding(
            verdict,
            message=message,
            figures={
                "accounts": len(judged),
                "low_activity_accounts": len(low),
                "share_low_activity_accounts": low_share_accounts,
                "networks": len({a.split(":", 1)[0] for a in judged}),
                "activity": total,
            },
            per_account=per_account,
            evidence=[
                {"account": a, **per_account[a]}
                for a in sorted(low, key=lambda a: per_account[a]["activity"])
            ],
            notes=notes,
        )

    def account_figures(self, r: dict[str, Any] | None, total: int) -> dict[str, Any]:
        """An account's activity, its share of the brand's, and engagement per measured post."""
        r = r or {"activity": 0, "posts_with_metrics": 0, "engagement": None}
        epp = (
            round(r["engagement"] / r["posts_with_metrics"], 3)
            if r["posts_with_metrics"] and r["engagement"] is not None
            else None
        )
        return {
            "activity": int(r["activity"]),
            "activity_share": share(r["activity"], total),
            "engagement_per_post": epp,
        }
