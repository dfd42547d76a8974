"""SA401 over-following: following crowds to be followed back."""

from __future__ import annotations

from typing import Any

import ibis

from ... import norms
from ...model import Platform, Verdict
from ...vocabulary import DAY, day_iso, needs
from ..base import AuditContext, Check, Finding, Option, worst


class OverFollowing(Check):
    """Mass following, and a following/followers ratio that looks like follow-for-follow."""

    code = "SA401"
    name = "over-following"
    area = "audience"
    severity = "low"
    requires = ("follow_counts",)
    seeds = ("002",)
    options = (
        Option(
            "warn_follows_per_day",
            50,
            "Fifty new follows in a day is more than anyone reads; it is a follow-back campaign "
            "(rulebook default).",
            type=int,
            minimum=1,
        ),
        Option(
            "fail_follows_per_day",
            int(norms.DAILY_FOLLOW_LIMIT[Platform.X].value or 400),
            "X's own daily cap on follows (" + norms.DAILY_FOLLOW_LIMIT[Platform.X].source + "); "
            "a pace the platform itself blocks is automation on any network.",
            type=int,
            minimum=1,
        ),
        Option(
            "warn_ratio",
            2.0,
            "Following more than twice as many accounts as follow back is the mark of "
            "follow-for-follow (rulebook default).",
            minimum=0,
        ),
        Option(
            "min_following",
            500,
            "Below 500 followed accounts a high ratio is a small account finding its feet, not "
            "mass following (rulebook default).",
            type=int,
            minimum=0,
            threshold=True,
        ),
    )
    doc = """
## What it detects

Following many accounts in a short time, and a following/followers ratio that looks like
follow-for-follow. Per account: the most accounts followed on one UTC day (where the export dates
follows, e.g. a Bluesky repository), warning over `warn_follows_per_day` and failing over
`fail_follows_per_day`; and the ratio of followed accounts to followers, warning over
`warn_ratio` when more than `min_following` accounts are followed.

Counts come from the newest dated audience row, else the account's profile in the export, else
the follow lists themselves (an X archive's following.js and follower.js).

## Why it matters

Following crowds of accounts to be followed back is not being social: it builds an audience that
came for the follow, not for the brand, and it looks like spam to people and to the platforms,
which cap and penalise it. Audiences worth having grow through posts and conversations, not
follow-backs.

## Example

The Bluesky account followed 180 accounts on 2024-05-02 and follows 2,400 accounts with 900
followers (ratio 2.67): the check warns on both and lists the day.
"""
    advice = (
        "Stop mass following: follow accounts you will read and talk to, unfollow those you "
        "followed only to be followed back, and grow the audience through posts worth sharing."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        days, max_day = self.pace(ctx, opts)
        counts = self.counts(ctx)
        if not max_day and not counts:
            return self.unknown(
                "no follow data: neither dated follows nor following/follower counts are imported",
                needs("follow_counts"),
            )
        per_account: dict[str, dict[str, Any]] = {}
        verdicts: list[str] = []
        evidence: list[dict[str, Any]] = []
        for acct in sorted(set(max_day) | set(counts)):
            verdict, per_account[acct], item = self.judge_account(
                acct, max_day.get(acct), counts.get(acct), opts
            )
            verdicts.append(verdict)
            if item is not None:
                evidence.append(item)
        evidence += [
            {
                "account": r["acct"],
                "start": day_iso(r["day"]),
                "end": day_iso(r["day"] + 1),
                "days": 1,
                "follows": int(r["follows"]),
            }
            for r in days
        ]
        ratios = [p["ratio"] for p in per_account.values() if p.get("ratio") is not None]
        peaks = [
            p["max_follows_per_day"] for p in per_account.values() if "max_follows_per_day" in p
        ]
        notes = []
        if not peaks:
            notes.append("the exports do not date follows, so the pace of following is not judged")
        if not ratios:
            notes.append("no following/follower counts, so the ratio is not judged")
        parts = []
        if peaks:
            parts.append(f"at most {max(peaks)} follows in a day")
        if ratios:
            parts.append(f"following/followers ratio up to {max(ratios):.2f}")
        return self.finding(
            Verdict(worst(verdicts)),
            message="; ".join(parts),
            figures={
                "max_follows_per_day": max(peaks) if peaks else None,
                "days_over_warn": len(days),
                "max_ratio": max(ratios) if ratios else None,
            },
            per_account=per_account,
            evidence=evidence,
            notes=notes,
        )

    def pace(
        self, ctx: AuditContext, opts: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """The UTC days with more follows than `warn_follows_per_day` (most first), and each
        account's most follows in one day, from the dated follows."""
        f = ctx.table("follows")
        following = f.filter(f.direction == "following")
        following = following.mutate(acct=following.platform.concat(":", following.account))
        dated = following.filter(following.created_at.notnull())
        dated = dated.mutate(day=dated.created_at.epoch_seconds().cast("int64") // DAY)
        per_day = dated.group_by(["acct", "day"]).aggregate(follows=dated.count())
        days = ctx.rows(
            per_day.filter(per_day.follows > opts["warn_follows_per_day"]).order_by(
                [per_day.follows.desc(), "acct", "day"]
            ),
        )
        peak = per_day.group_by("acct").aggregate(m=per_day.follows.max())
        return days, {r["acct"]: int(r["m"]) for r in ctx.rows(peak)}

    def judge_account(
        self,
        acct: str,
        peak: int | None,
        counts: tuple[int | None, int | None, str] | None,
        opts: dict[str, Any],
    ) -> tuple[str, dict[str, Any], dict[str, Any] | None]:
        """(verdict, figures, evidence item) of one account: its peak day of following, and its
        following/followers ratio once it follows more than `min_following` accounts."""
        figures: dict[str, Any] = {}
        verdict = "pass"
        if peak is not None:
            figures["max_follows_per_day"] = peak
            if peak > opts["fail_follows_per_day"]:
                verdict = "fail"
            elif peak > opts["warn_follows_per_day"]:
                verdict = "warn"
        item = None
        if counts is not None:
            fol, ers, where = counts
            ratio = None if not ers or fol is None else round(fol / ers, 3)
            figures.update({"following": fol, "followers": ers, "ratio": ratio})
            if (
                fol is not None
                and fol > opts["min_following"]
                and ((ratio is not None and ratio > opts["warn_ratio"]) or (ers == 0))
            ):
                verdict = worst([verdict, "warn"])
                item = {
                    "account": acct,
                    "following": fol,
                    "followers": ers,
                    "ratio": ratio,
                    "counts_from": where,
                }
        return verdict, figures, item

    def counts(self, ctx: AuditContext) -> dict[str, tuple[int | None, int | None, str]]:
        """(following, followers, where from) per account: the newest audience row, else the
        accounts table, else the follow lists."""
        out: dict[str, tuple[int | None, int | None, str]] = {}
        a = ctx.table("audience")
        a = a.filter(a.account.notnull(), a.following.notnull())
        newest = ibis.window(group_by=[a.platform, a.account], order_by=[a.date.desc()])
        a = a.mutate(rn=ibis.row_number().over(newest))
        a = a.filter(a.rn == 0)
        for r in ctx.rows(
            a.select(acct=a.platform.concat(":", a.account), fol=a.following, ers=a.followers)
        ):
            out[r["acct"]] = (r["fol"], r["ers"], "audience")
        acc = ctx.table("accounts")
        acc = acc.filter(acc.following.notnull())
        for r in ctx.rows(
            acc.select(
                acct=acc.platform.concat(":", acc.handle), fol=acc.following, ers=acc.followers
            ),
        ):
            out.setdefault(r["acct"], (r["fol"], r["ers"], "profile"))
        f = ctx.table("follows")
        lists = f.group_by(acct=f.platform.concat(":", f.account)).aggregate(
            fol=(f.direction == "following").cast("int64").sum(),
            ers=(f.direction == "follower").cast("int64").sum(),
        )
        for r in ctx.rows(lists.filter(lists.ers > 0)):
            out.setdefault(r["acct"], (int(r["fol"]), int(r["ers"]), "follow lists"))
        return out
