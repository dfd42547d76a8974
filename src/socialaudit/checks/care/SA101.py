"""SA101 unanswered-requests: questions and complaints the brand never answered."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from ...model import Verdict
from ...vocabulary import count, percent
from ..base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option
from .pairs import (
    evidence_rows,
    handle_names,
    inbox_counts_note,
    judged_by_text,
    with_account_names,
)


class UnansweredRequests(Check):
    """Questions and complaints addressed to the brand that it never answered."""

    code = "SA101"
    name = "unanswered-requests"
    area = "care"
    severity = "high"
    requires = ("inbound_text", "brand_posts|acknowledgements")
    seeds = ("001", "003")
    references = (
        "Sprout Social Index, Edition VI (Q2 2016): response times brands give and customers expect",
    )
    options = (
        Option(
            "reply_window_hours",
            24,
            "A request younger than this is still pending, not ignored; a day is the longest "
            "wait customers accept on social media (the Sprout Social Index found the average "
            "brand answering in about 10 h while customers expected 4 h).",
            float,
            minimum=0,
            threshold=True,
        ),
        Option(
            "max_unanswered_share",
            0.05,
            "Fail only when more than this share of requests is ignored: a handful of lost "
            "messages is a warning, a habit of ignoring people is a failure.",
            float,
            minimum=0,
            maximum=1,
            threshold=True,
        ),
    )
    doc = """
## What it detects

Questions and complaints addressed to the brand (they mention it, reply to it, or sit in a
thread the brand took part in) that the addressed account never answered below them in the
thread, once the reply window has passed.

Each message is addressed to exactly one brand account, so a thread that tags many brands
counts once: the brand account it replies to (its nearest brand ancestor in the reply tree);
else, of the brand accounts it mentions, the one that answered it; else the first one it
mentions. A complaint about a competitor that tags the brand in passing stays the
competitor's. Requests a person marked handled in the inbox (answered by DM or phone) are
counted apart (`handled_elsewhere`), not as unanswered; those marked ignored (spam) likewise.
An account with no message of its own in the workspace (a file of the customers' side only)
is `unknown`: its answers are simply not in the file.

## Why it matters

A customer who asks in public and hears nothing tells everyone reading that the brand does not
listen; an ignored complaint becomes a lost customer, and the silence is visible to all the
others.

## Example

`@acme my order #123 never arrived, can someone help?` with no reply from @acme in that
thread after a day: one unanswered request.

Better: answer every question and complaint, even with "we're looking into it", and move the
details to a private channel when needed.
"""
    advice = (
        "Answer the listed requests, oldest and most visible first; then make sure someone "
        "watches mentions and replies every working day, so no request waits more than a day."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        judged = judged_by_text(ctx, self)
        if isinstance(judged, Finding):
            return judged
        pairs, notes = judged
        total_inbound = int(pairs.count().execute())
        per_account = self.per_account(ctx, pairs)
        totals = {
            k: sum(a[k] for a in per_account.values())
            for k in (
                "requests",
                "unanswered_requests",
                "pending_requests",
                "handled_elsewhere",
                "ignored_in_inbox",
            )
        }
        n_requests, n_overdue = totals["requests"], totals["unanswered_requests"]
        share = n_overdue / n_requests if n_requests else 0.0
        verdict, message = self.judge(total_inbound, totals, share, opts)
        if totals["pending_requests"]:
            notes.append(
                f"{count(totals['pending_requests'], 'more request')} "
                f"{'is' if totals['pending_requests'] == 1 else 'are'} younger than the reply "
                f"window ({opts['reply_window_hours']:g} h) and still pending: the inbox lists "
                "them as within the reply window."
            )
        notes += inbox_counts_note(
            totals["handled_elsewhere"], totals["ignored_in_inbox"], "requests"
        )
        if ctx.dates.one() is None:
            notes.append(
                f"waiting times measured to each account's audit date: {ctx.dates.describe()}"
            )
        open_requests = pairs.filter(pairs.overdue & ~pairs.handled & ~pairs.ignored)
        return self.finding(
            verdict,
            message=message,
            figures={
                "inbound": total_inbound,
                **totals,
                "unanswered_share": round(share, 4),
            },
            per_account=per_account,
            evidence=self.evidence(ctx, open_requests),
            evidence_total=n_overdue,
            notes=notes,
        )

    def per_account(self, ctx: AuditContext, pairs: ir.Table) -> dict[str, dict[str, Any]]:
        """Requests, unanswered, pending, handled elsewhere and ignored per brand account, in
        one grouped pass; the overall figures are their sums (each message counts once).
        Requests a person marked ignored in the inbox are not requests; those marked handled
        were answered elsewhere, so they are counted apart, not as unanswered."""
        req = pairs.filter(pairs.request)
        counted = ~(req.ignored & ~req.answered)
        open_ = ~req.handled & ~req.ignored
        per = ctx.rows(
            req.group_by(["platform", "brand"]).aggregate(
                requests=counted.cast("int64").sum(),
                unanswered_requests=(req.overdue & open_).cast("int64").sum(),
                pending_requests=(req.pending & open_).cast("int64").sum(),
                handled_elsewhere=(~req.answered & req.handled).cast("int64").sum(),
                ignored_in_inbox=(~req.answered & req.ignored).cast("int64").sum(),
            )
        )
        names = handle_names(ctx)
        out = {}
        for r in sorted(per, key=lambda r: (r["platform"], r["brand"])):
            row: dict[str, Any] = {k: int(r[k] or 0) for k in r if k not in ("platform", "brand")}
            req_n, un = row["requests"], row["unanswered_requests"]
            row["unanswered_share"] = round(un / req_n, 4) if req_n else 0.0
            out[names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")] = row
        return out

    def judge(
        self, inbound: int, totals: dict[str, int], share: float, opts: dict[str, Any]
    ) -> tuple[Verdict, str]:
        requests, overdue = totals["requests"], totals["unanswered_requests"]
        window = f"{opts['reply_window_hours']:g} h"
        if requests == 0:
            return Verdict.PASS, f"No questions or complaints among {inbound} inbound messages."
        if overdue and share > opts["max_unanswered_share"]:
            return Verdict.FAIL, (
                f"{overdue} of {requests} questions and complaints ({percent(share)}) got no "
                f"answer within {window}."
            )
        if overdue:
            return Verdict.WARN, (
                f"{overdue} of {requests} questions and complaints ({percent(share)}) got no "
                f"answer within {window}."
            )
        return Verdict.PASS, (
            f"All {requests} questions and complaints older than the reply window were answered."
        )

    def evidence(self, ctx: AuditContext, overdue: ir.Table) -> list[dict[str, Any]]:
        """The oldest unanswered requests (half the evidence), then the most visible ones
        (author's followers plus the message's likes and reposts)."""
        named = with_account_names(ctx, overdue)
        visible = named.mutate(
            visibility=named.author_followers.fill_null(0)
            + named.likes.fill_null(0)
            + named.reposts.fill_null(0)
        )
        oldest = evidence_rows(named, [named.created_at, named.id], EVIDENCE_LIMIT // 2)
        seen = {e["message_id"] for e in oldest}
        most_visible = [
            e
            for e in evidence_rows(
                visible, [ibis.desc(visible.visibility), visible.created_at], EVIDENCE_LIMIT
            )
            if e["message_id"] not in seen
        ][: EVIDENCE_LIMIT - len(oldest)]
        return [{**e, "why": "oldest"} for e in oldest] + [
            {**e, "why": "most visible"} for e in most_visible
        ]
