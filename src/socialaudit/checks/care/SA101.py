"""SA101 unanswered-requests: questions and complaints the brand never answered."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from ...model import Verdict
from ..base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option
from .pairs import evidence_rows, handle_names, judged_by_text, with_account_names


class UnansweredRequests(Check):
    """Questions and complaints addressed to the brand that it never answered."""

    code = "SA101"
    name = "unanswered-requests"
    area = "care"
    severity = "high"
    requires = ("inbound_text",)
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
        pairs, text_notes = judged
        total_inbound = int(pairs.count().execute())
        requests, overdue, pending = self.requests(ctx, pairs, opts)
        per_account = self.per_account(ctx, requests, overdue, pending)
        n_requests = sum(a["requests"] for a in per_account.values())
        n_overdue = sum(a["unanswered_requests"] for a in per_account.values())
        n_pending = sum(a["pending_requests"] for a in per_account.values())
        share = n_overdue / n_requests if n_requests else 0.0
        verdict, message = self.judge(total_inbound, n_requests, n_overdue, share, opts)
        notes = list(text_notes)
        if n_pending:
            notes.append(
                f"{n_pending} requests are younger than the reply window and still pending."
            )
        return self.finding(
            verdict,
            message=message,
            figures={
                "inbound": total_inbound,
                "requests": n_requests,
                "unanswered_requests": n_overdue,
                "pending_requests": n_pending,
                "unanswered_share": round(share, 4),
            },
            per_account=per_account,
            evidence=self.evidence(ctx, requests.filter(overdue)),
            evidence_total=n_overdue,
            notes=notes,
        )

    def requests(
        self, ctx: AuditContext, pairs: ir.Table, opts: dict[str, Any]
    ) -> tuple[ir.Table, ir.BooleanValue, ir.BooleanValue]:
        """The questions and complaints with how long each has waited by the audit date, and
        which of them are overdue (unanswered past the reply window) or still pending."""
        requests = pairs.filter(pairs.is_question | pairs.is_complaint)
        requests = requests.mutate(
            waited_seconds=(
                ibis.literal(ctx.as_of).epoch_seconds() - requests.created_at.epoch_seconds()
            ).cast("float64"),
        )
        window = timedelta(hours=opts["reply_window_hours"]).total_seconds()
        unanswered = ~requests.answered
        overdue = unanswered & (requests.waited_seconds >= window)
        return requests, overdue, unanswered & ~overdue

    def per_account(
        self,
        ctx: AuditContext,
        requests: ir.Table,
        overdue: ir.BooleanValue,
        pending: ir.BooleanValue,
    ) -> dict[str, dict[str, Any]]:
        """Requests, unanswered and pending per brand account, in one grouped pass; the overall
        figures are their sums (each pair counts once)."""
        per = ctx.rows(
            requests.group_by(["platform", "brand"]).aggregate(
                requests=requests.count(),
                unanswered_requests=overdue.cast("int64").sum(),
                pending_requests=pending.cast("int64").sum(),
            )
        )
        names = handle_names(ctx)
        out = {}
        for r in per:
            req, un = int(r["requests"]), int(r["unanswered_requests"])
            out[names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")] = {
                "requests": req,
                "unanswered_requests": un,
                "pending_requests": int(r["pending_requests"]),
                "unanswered_share": round(un / req, 4) if req else 0.0,
            }
        return out

    def judge(
        self, inbound: int, requests: int, overdue: int, share: float, opts: dict[str, Any]
    ) -> tuple[Verdict, str]:
        if requests == 0:
            return Verdict.PASS, f"No questions or complaints among {inbound} inbound messages."
        if overdue and share > opts["max_unanswered_share"]:
            return Verdict.FAIL, (
                f"{overdue} of {requests} questions and complaints ({share:.0%}) got no answer "
                f"within {opts['reply_window_hours']:g} h."
            )
        if overdue:
            return Verdict.WARN, (
                f"{overdue} of {requests} questions and complaints got no answer ({share:.1%})."
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
