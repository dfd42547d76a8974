"""SA104 talking-at-customers: a brand that broadcasts and never converses."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from ...model import ContentType, Verdict
from ...vocabulary import OWN_WORDS, needs, share, with_labels
from ..base import YEAR_WINDOW, AuditContext, Check, Finding, Option
from ..evidence import message_evidence


class TalkingAtCustomers(Check):
    """A brand that broadcasts: few of its messages answer or ask anyone."""

    code = "SA104"
    name = "talking-at-customers"
    area = "care"
    severity = "medium"
    requires = ("brand_posts",)
    seeds = ("000", "001", "004")
    references = ("Sprout Social Index 2015: brands post about four times as often as they reply",)
    options = (
        Option(
            "warn_share",
            0.3,
            "Under three messages in ten that answer someone or ask them something, the account "
            "is mostly a loudspeaker (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.1,
            "Under one in ten, the brand does not converse at all (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "min_messages",
            10,
            "Below ten messages one reply more or less moves the share by ten points: too few to "
            "judge a habit.",
            type=int,
            minimum=1,
        ),
        YEAR_WINDOW,
    )
    doc = """
## What it detects

A brand that only broadcasts. Of everything the brand wrote in public in the last
`window_days` (posts, replies and comments), the share that is conversational: replies and
comments to *other people* (a reply to the brand's own post, as in a thread, is not a
conversation), and posts that start one by asking the audience something (content type
`engagement`: questions to followers, polls, "tell us"). Reposts and direct messages are left out:
a repost is not the brand speaking, and a direct message is not seen by the audience.

The figures include posts per reply to others, the ratio the Sprout Social Index reports for
brands (about 4 posts per reply in 2015).

## Why it matters

Social networks are two-way. A brand that pushes announcements at people and never joins the
conversation gets little back and fades among everything else competing for attention; customers
want to be talked with, as equals, not talked at.

## Example

Of 120 messages in the last year, 9 are replies to customers and 3 ask followers a question:
12 of 120 (10 %) is under 30 %, so the check warns, and lists the newest one-way posts.
"""
    advice = (
        "Turn broadcasts into conversations: reply to people who mention or comment, ask your "
        "followers questions and act on the answers, and aim for at least a third of your "
        "messages to be replies or questions."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        t, scope = ctx.window(ctx.brand_messages(OWN_WORDS), opts["window_days"], "messages")
        total = int(ctx.scalar(t.count()))
        if total < opts["min_messages"]:
            return self.unknown(
                f"{total} public messages the brand wrote itself in scope ({scope}); at least "
                f"{opts['min_messages']} are needed",
                needs("brand_posts"),
            )
        t = self.classified(ctx, t)
        [r] = ctx.rows(
            t.aggregate(
                n=t.count(),
                to_others=t.to_others.sum(),
                starters=t.starter.sum(),
                self_thread=t.self_thread.sum(),
                posts=t.is_post.sum(),
                conv=t.conv.sum(),
            ),
        )
        conv = int(r["conv"])
        ratio = conv / total
        verdict = Verdict.PASS
        if ratio < opts["fail_share"]:
            verdict = Verdict.FAIL
        elif ratio < opts["warn_share"]:
            verdict = Verdict.WARN
        per_account = {
            a["acct"]: {
                "messages": int(a["n"]),
                "conversational": int(a["conv"]),
                "conversational_share": share(int(a["conv"]), int(a["n"])),
            }
            for a in ctx.rows(t.group_by("acct").aggregate(n=t.count(), conv=t.conv.sum()))
        }
        broadcasts = t.filter((t.conv == 0) & (t.self_thread == 0))
        evidence, n = message_evidence(ctx, broadcasts) if verdict != Verdict.PASS else ([], 0)
        replies = int(r["to_others"])
        return self.finding(
            verdict,
            message=(
                f"{conv} of {total} messages ({ratio:.0%}) are replies to others or questions to "
                f"the audience"
            ),
            figures={
                "messages": total,
                "conversational": conv,
                "conversational_share": round(ratio, 4),
                "replies_to_others": replies,
                "conversation_starters": int(r["starters"]),
                "self_thread_replies": int(r["self_thread"]),
                "posts_per_reply": None if not replies else round(int(r["posts"]) / replies, 2),
            },
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=[f"judged on {scope}; reposts and direct messages are not counted"],
        )

    def classified(self, ctx: AuditContext, t: ir.Table) -> ir.Table:
        """Each message marked (0/1) as a reply to others, a reply in the brand's own thread, a
        post that starts a conversation (content type `engagement`), and conversational."""
        m = ctx.table("messages")
        parents = m.select(p_platform=m.platform, p_id=m.id, p_brand=m.from_brand.fill_null(False))
        t = with_labels(ctx.workspace, t)
        t = t.left_join(parents, [t.platform == parents.p_platform, t.in_reply_to == parents.p_id])
        is_reply = t.kind.isin(["reply", "comment"]) & t.in_reply_to.notnull()
        self_thread = is_reply & t.p_brand.fill_null(False)
        to_others = is_reply & ~t.p_brand.fill_null(False)
        starter = ~is_reply & (t.content_type == ContentType.ENGAGEMENT).fill_null(False)
        return t.mutate(
            to_others=to_others.cast("int64"),
            starter=starter.cast("int64"),
            self_thread=self_thread.cast("int64"),
            is_post=(t.kind == "post").cast("int64"),
            conv=(to_others | starter).cast("int64"),
        )
