"""SA104 talking-at-customers: a brand that broadcasts and never converses."""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir

from ...model import ContentType, Verdict
from ...vocabulary import OWN_WORDS, count, percent, share, with_labels
from ..base import YEAR_WINDOW, AuditContext, Check, Finding, Option
from ..evidence import message_evidence

# A post that opens with a handle (".@ann" included) is written to that person, in public.
OPENS_WITH_HANDLE = r"^\s*\.?@\w"


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
comments to *other people*, posts addressed to someone (they open with an @handle, as X users
write to a person in public), and posts that start a conversation by asking the audience
something (content type `engagement`: questions to followers, polls, "tell us"). The brand's
replies to its own messages (thread continuations: one message written in parts) are left out
of both sides, as are reposts and direct messages: a repost is not the brand speaking, and a
direct message is not seen by the audience. On a dataset slice (TWCS: conversations sampled
for their replies) the share is judged on the conversations the slice holds, which is what the
care benchmarks compare across brands.

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
        everything = ctx.brand_messages(OWN_WORDS)
        t, scope = ctx.window(everything, opts["window_days"], "messages")
        t = self.classified(ctx, t)
        own_message = t.self_thread == 0
        # One query: the figures per account, summed here for the whole brand.
        per = ctx.rows(
            t.group_by("acct").aggregate(
                n=t.count(),
                to_others=t.to_others.sum(),
                starters=t.starter.sum(),
                addressed=t.addressed.sum(),
                self_thread=t.self_thread.sum(),
                posts=t.is_post.sum(),
                conv=t.conv.sum(),
                own_n=own_message.cast("int64").sum(),
                own_conv=t.conv.sum(where=own_message),
            ),
        )
        r = {
            k: sum(int(a[k] or 0) for a in per)
            for k in ("n", "to_others", "starters", "addressed", "self_thread", "posts", "conv")
        }
        self_thread = int(r["self_thread"] or 0)
        total = int(r["n"] or 0) - self_thread
        if total < opts["min_messages"]:
            rest = self.classified(ctx, everything)
            return self.too_few_in_window(
                ctx,
                rest.filter(rest.self_thread == 0),
                total,
                opts["min_messages"],
                scope,
                "message (thread continuations left out)",
                "messages (thread continuations left out)",
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
                "messages": int(a["own_n"]),
                "conversational": int(a["own_conv"] or 0),
                "conversational_share": share(int(a["own_conv"] or 0), int(a["own_n"])),
            }
            for a in per
            if a["own_n"]
        }
        own = t.filter(own_message)
        broadcasts = own.filter(own.conv == 0)
        evidence, n = message_evidence(ctx, broadcasts) if verdict != Verdict.PASS else ([], 0)
        replies = int(r["to_others"])
        return self.finding(
            verdict,
            message=(
                f"{conv} of {total} messages ({percent(ratio)}) are replies to others, posts "
                "addressed to someone or questions to the audience"
            ),
            figures={
                "messages": total,
                "conversational": conv,
                "conversational_share": round(ratio, 4),
                "replies_to_others": replies,
                "posts_addressed_to_someone": int(r["addressed"]),
                "conversation_starters": int(r["starters"]),
                "self_thread_replies": self_thread,
                "posts_per_reply": None if not replies else round(int(r["posts"]) / replies, 2),
            },
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=[
                f"judged on {scope}; reposts and direct messages are not counted, nor are the "
                f"brand's {count(self_thread, 'reply', 'replies')} to itself (thread "
                "continuations: one message written in parts is neither a broadcast nor a "
                "conversation)"
            ],
        )

    def classified(self, ctx: AuditContext, t: ir.Table) -> ir.Table:
        """Each message marked (0/1) as a reply to others, a reply in the brand's own thread, a
        post addressed to someone (it opens with an @handle, as on X), a post that starts a
        conversation (content type `engagement`), and conversational."""
        m = ctx.table("messages")
        parents = m.select(p_platform=m.platform, p_id=m.id, p_brand=m.from_brand.fill_null(False))
        t = with_labels(ctx.workspace, t)
        t = t.left_join(parents, [t.platform == parents.p_platform, t.in_reply_to == parents.p_id])
        is_reply = t.kind.isin(["reply", "comment"]) & t.in_reply_to.notnull()
        self_thread = is_reply & t.p_brand.fill_null(False)
        to_others = is_reply & ~t.p_brand.fill_null(False)
        addressed = (
            ~is_reply & (t.kind == "post") & t.text.re_search(OPENS_WITH_HANDLE).fill_null(False)
        )
        starter = (
            ~is_reply & ~addressed & (t.content_type == ContentType.ENGAGEMENT).fill_null(False)
        )
        return t.mutate(
            to_others=to_others.cast("int64"),
            starter=starter.cast("int64"),
            addressed=addressed.cast("int64"),
            self_thread=self_thread.cast("int64"),
            is_post=(t.kind == "post").cast("int64"),
            conv=(to_others | addressed | starter).cast("int64"),
        )
