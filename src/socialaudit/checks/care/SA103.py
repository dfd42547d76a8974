"""SA103 unthanked-praise: praise the brand neither answered nor liked."""

from __future__ import annotations

from typing import Any

from ... import conversation
from ...model import Verdict
from ..base import AuditContext, Check, Finding, Option
from .pairs import evidence_rows, handle_names, judged_by_text, with_account_names


class UnthankedPraise(Check):
    """Praise the brand neither answered nor liked."""

    code = "SA103"
    name = "unthanked-praise"
    area = "care"
    severity = "medium"
    requires = ("inbound_text",)
    seeds = ("001", "003")
    options = (
        Option(
            "warn_share",
            0.20,
            "Missing the odd compliment happens; one in five is a pattern.",
            float,
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.50,
            "Ignoring most praise wastes the cheapest goodwill a brand gets.",
            float,
            minimum=0,
            maximum=1,
        ),
    )
    doc = """
## What it detects

Inbound messages that praise the brand or its products and got neither a reply from the
addressed account (below them in the thread) nor a like/favourite from it.

## Why it matters

A customer who says something nice in public is doing the brand's marketing for free. A short
thank-you costs seconds, makes that customer feel heard and shows everyone else that the
brand is listening.

## Example

`Loved the new flavour @acme, best coffee in town!` with no reply and no like from @acme.

Better: like it at least, and reply with a personal thank-you when you can.
"""
    advice = "Thank the listed customers (a like at least, a short personal reply at best), and make thanking praise part of the daily inbox routine."

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        judged = judged_by_text(ctx, self)
        if isinstance(judged, Finding):
            return judged
        pairs, text_notes = judged
        praise = conversation.with_brand_likes(ctx.workspace, pairs.filter(pairs.is_praise))
        praise = praise.mutate(acknowledged=praise.answered | praise.liked_by_brand)
        agg = (
            praise.group_by(["platform", "brand"])
            .aggregate(
                praise=praise.count(),
                unacknowledged=(~praise.acknowledged).sum().cast("int64"),
                thanked_by_reply=praise.answered.sum().cast("int64"),
                thanked_by_like=(praise.liked_by_brand & ~praise.answered).sum().cast("int64"),
            )
            .execute()
        )
        names = handle_names(ctx)
        per_account = {}
        totals = {"praise": 0, "unacknowledged": 0, "thanked_by_reply": 0, "thanked_by_like": 0}
        for r in agg.to_dict("records"):
            key = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
            counted = {k: int(r[k]) for k in totals}
            row: dict[str, float] = dict(counted)
            row["unacknowledged_share"] = (
                round(row["unacknowledged"] / row["praise"], 4) if row["praise"] else 0.0
            )
            per_account[key] = row
            for k in totals:
                totals[k] += counted[k]
        share = totals["unacknowledged"] / totals["praise"] if totals["praise"] else 0.0
        figures = {**totals, "unacknowledged_share": round(share, 4)}
        notes = list(text_notes)
        if ctx.count("acknowledgements") == 0:
            notes.append(
                "The workspace holds no brand likes, so only replies count as thanks; import the "
                "account's likes (X like.js, Mastodon likes.json, Bluesky repo) to count likes too."
            )
        if totals["praise"] == 0:
            return self.finding(
                Verdict.PASS,
                message="No praise found among the inbound messages, so none went unthanked.",
                figures=figures,
                notes=notes,
            )
        verdict = (
            Verdict.FAIL
            if share > opts["fail_share"]
            else Verdict.WARN
            if share > opts["warn_share"]
            else Verdict.PASS
        )
        unthanked = with_account_names(ctx, praise.filter(~praise.acknowledged))
        return self.finding(
            verdict,
            message=f"{totals['unacknowledged']} of {totals['praise']} messages of praise ({share:.0%}) got no reply and no like.",
            figures=figures,
            per_account=per_account,
            evidence=evidence_rows(unthanked, [unthanked.created_at, unthanked.id]),
            evidence_total=totals["unacknowledged"],
            notes=notes,
        )
