"""SA103 unthanked-praise: praise the brand neither answered nor liked."""

from __future__ import annotations

from typing import Any

from ...model import Verdict
from ...vocabulary import count, percent
from ..base import AuditContext, Check, Finding, Option
from .pairs import (
    evidence_rows,
    handle_names,
    inbox_counts_note,
    judged_by_text,
    with_account_names,
)


class UnthankedPraise(Check):
    """Praise the brand neither answered nor liked."""

    code = "SA103"
    name = "unthanked-praise"
    area = "care"
    severity = "medium"
    requires = ("inbound_text", "brand_posts|acknowledgements")
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

A thanks below the brand's own reply ("thanks, that worked!", praise with no new question or
complaint) acknowledges the answer: it is not praise still owed a reply, and is counted apart
(`thanks_after_answer`), as the inbox leaves it out. Each message is addressed to exactly one
brand account (see SA101).

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
        pairs, notes = judged
        praise = pairs.filter(pairs.praise)
        after = praise.thanks_after_answer
        counted = praise.filter(
            ~after & ~(praise.ignored & ~praise.answered & ~praise.liked_by_brand)
        )
        acknowledged = counted.answered | counted.liked_by_brand
        agg = ctx.rows(
            counted.group_by(["platform", "brand"]).aggregate(
                praise=counted.count(),
                unacknowledged=(~acknowledged & ~counted.handled).cast("int64").sum(),
                thanked_by_reply=counted.answered.cast("int64").sum(),
                thanked_by_like=(counted.liked_by_brand & ~counted.answered).cast("int64").sum(),
                handled_elsewhere=(~acknowledged & counted.handled).cast("int64").sum(),
            )
        )
        [extra] = ctx.rows(
            praise.aggregate(
                thanks_after_answer=after.cast("int64").sum(),
                ignored_in_inbox=(
                    ~after & praise.ignored & ~praise.answered & ~praise.liked_by_brand
                )
                .cast("int64")
                .sum(),
            )
        )
        names = handle_names(ctx)
        per_account = {}
        keys = (
            "praise",
            "unacknowledged",
            "thanked_by_reply",
            "thanked_by_like",
            "handled_elsewhere",
        )
        totals = dict.fromkeys(keys, 0)
        for r in sorted(agg, key=lambda r: (r["platform"], r["brand"])):
            key = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
            row: dict[str, float] = {k: int(r[k] or 0) for k in keys}
            row["unacknowledged_share"] = (
                round(row["unacknowledged"] / row["praise"], 4) if row["praise"] else 0.0
            )
            per_account[key] = row
            for k in keys:
                totals[k] += int(row[k])
        share = totals["unacknowledged"] / totals["praise"] if totals["praise"] else 0.0
        thanks_after = int(extra["thanks_after_answer"] or 0)
        ignored = int(extra["ignored_in_inbox"] or 0)
        figures = {
            **totals,
            "unacknowledged_share": round(share, 4),
            "thanks_after_answer": thanks_after,
            "ignored_in_inbox": ignored,
        }
        if thanks_after:
            notes.append(
                f"{count(thanks_after, 'message')} {'thanks' if thanks_after == 1 else 'thank'} "
                'the brand below its own reply in the thread ("thanks, that worked"): they '
                "acknowledge an answer and are not praise still owed a reply, so they are "
                "counted apart"
            )
        notes.append(
            "praise that also asks or complains is a request: SA101 judges it, the inbox lists "
            "it to answer"
        )
        notes += inbox_counts_note(totals["handled_elsewhere"], ignored, "praise")
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
        unthanked = counted.filter(~acknowledged & ~counted.handled)
        unthanked = with_account_names(ctx, unthanked)
        return self.finding(
            verdict,
            message=(
                f"{totals['unacknowledged']} of {totals['praise']} messages of praise "
                f"({percent(share)}) got no reply and no like."
            ),
            figures=figures,
            per_account=per_account,
            evidence=evidence_rows(unthanked, [unthanked.created_at, unthanked.id]),
            evidence_total=totals["unacknowledged"],
            notes=notes,
        )
