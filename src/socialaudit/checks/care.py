"""Conversation and care: the customer talks to the brand (SA101–SA103).

All three read the same relation, `conversation.addressed_pairs`: one row per inbound message
and brand account it is addressed to, with its first response. It is computed once per audit.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import ibis
import ibis.expr.types as ir

from .. import conversation
from ..model import Verdict
from ..units import duration
from ..vocabulary import iso, needs
from .base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option


def pairs_with_labels(ctx: AuditContext) -> ir.Table:
    """Addressed pairs joined with their text labels, as they stood at the audit date when
    `[checks] as_of` sets one (computed once per audit)."""

    def compute() -> ir.Table:
        pairs = conversation.labelled_pairs(ctx.workspace, ctx.brand_accounts)
        if ctx.config.checks.as_of is not None and ctx.as_of is not None:
            pairs = conversation.pairs_as_of(pairs, ctx.as_of)
        return pairs

    return ctx.shared("care.pairs", compute)


def judged_by_text(
    ctx: AuditContext, check: Check
) -> tuple[ir.Table | None, Finding | None, list[str]]:
    """The addressed pairs whose text is known, for checks that judge what a message says.

    An account archive knows the messages the brand answered only by their time (derived from
    the reply's parent id): they can be timed (SA102) but not read. When no inbound text is
    known at all, the check is `unknown`, never a silent pass; otherwise a note says how many
    inbound messages could not be read.
    """
    pairs = pairs_with_labels(ctx)
    total = pairs.count().execute()
    if total == 0:
        return (
            None,
            check.unknown(
                "No inbound messages addressed to the brand in the workspace.", needs("inbound")
            ),
            [],
        )
    readable = pairs.filter(~pairs.time_only.fill_null(False) & pairs.text.notnull())
    unread = total - readable.count().execute()
    if unread == total:
        return (
            None,
            check.unknown(
                f"The {total} inbound messages are known only by their time (from the brand's replies "
                "in an account archive): their text is needed to tell questions, complaints and "
                "praise apart.",
                needs("inbound_text"),
            ),
            [],
        )
    notes = (
        [f"{unread} of {total} inbound messages have no text in the export and were not judged."]
        if unread
        else []
    )
    return readable, None, notes


def handle_names(ctx: AuditContext) -> dict[tuple[str, str], str]:
    """(platform, lower-case handle) -> "platform:Handle" as the accounts table spells it."""
    return {(p, h.lower()): f"{p}:{h}" for p, h in ctx.brand_accounts}


def evidence_rows(
    table: ir.Table, order: list[Any], limit: int = EVIDENCE_LIMIT
) -> list[dict[str, Any]]:
    # Arrow, not pandas: nulls stay None (pandas would turn a null string column into NaN).
    rows = table.order_by(order).limit(limit).to_pyarrow().to_pylist()
    out = []
    for r in rows:
        item = {
            "message_id": r["id"],
            "platform": r["platform"],
            "account": r.get("account_name"),
            "created_at": iso(r["created_at"]),
            "author": r.get("author"),
            "text": r.get("text"),
            "url": r.get("url"),
        }
        for extra in ("intent", "author_followers", "waited_seconds", "first_response_seconds"):
            if r.get(extra) is not None:
                item[extra] = r[extra]
        if r.get("time_only"):  # an X archive: the customer's tweet is known only by its id
            item["note"] = (
                "the request's text is not in this export; its time comes from the reply's parent id"
            )
        out.append(item)
    return out


def _plain(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    return value


def _num(value: Any) -> float | int | None:
    if value is None:
        return None
    value = _plain(value)
    if isinstance(value, float) and value != value:  # NaN from an empty group
        return None
    return value


def _with_account_names(ctx: AuditContext, table: ir.Table) -> ir.Table:
    names = handle_names(ctx)
    mapping = ibis.memtable(
        {
            "platform": [p for p, _ in names],
            "brand": [b for _, b in names],
            "account_name": list(names.values()),
        }
    )
    return table.left_join(mapping, ["platform", "brand"]).select(table, mapping.account_name)


class UnansweredRequests(Check):
    code = "SA101"
    name = "unanswered-requests"
    area = "care"
    severity = "high"
    requires = ("inbound_text",)
    seeds = ("001", "003")
    options = (
        Option(
            "reply_window_hours",
            24,
            "A request younger than this is still pending, not ignored; a day is the longest "
            "wait customers accept on social media (see the response benchmarks in research).",
            float,
            minimum=0,
        ),
        Option(
            "max_unanswered_share",
            0.05,
            "Fail only when more than this share of requests is ignored: a handful of lost "
            "messages is a warning, a habit of ignoring people is a failure.",
            float,
            minimum=0,
            maximum=1,
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
others (seeds 001 and 003).

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

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Any:
        pairs, unknown, text_notes = judged_by_text(ctx, self)
        if unknown is not None:
            return unknown
        total_inbound = pairs.count().execute()
        end = ctx.as_of
        window = timedelta(hours=opts["reply_window_hours"])
        requests = pairs.filter(pairs.is_question | pairs.is_complaint)
        requests = requests.mutate(
            waited_seconds=(
                ibis.literal(end).epoch_seconds() - requests.created_at.epoch_seconds()
            ).cast("float64"),
        )
        unanswered = ~requests.answered
        is_overdue = unanswered & (requests.waited_seconds >= window.total_seconds())
        overdue = requests.filter(is_overdue)
        # One pass per account; the overall figures are the sums (each pair counts once).
        per = (
            requests.group_by(["platform", "brand"])
            .aggregate(
                requests=requests.count(),
                unanswered_requests=is_overdue.cast("int64").sum(),
                pending_requests=(unanswered & ~is_overdue).cast("int64").sum(),
            )
            .to_pyarrow()
            .to_pylist()
        )
        n_requests = sum(r["requests"] for r in per)
        n_overdue = sum(r["unanswered_requests"] for r in per)
        n_pending = sum(r["pending_requests"] for r in per)
        share = n_overdue / n_requests if n_requests else 0.0
        names = handle_names(ctx)
        per_account = {}
        for r in per:
            req, un = int(r["requests"]), int(r["unanswered_requests"])
            per_account[names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")] = {
                "requests": req,
                "unanswered_requests": un,
                "pending_requests": int(r["pending_requests"]),
                "unanswered_share": round(un / req, 4) if req else 0.0,
            }
        overdue_named = _with_account_names(ctx, overdue)
        visible = overdue_named.mutate(
            visibility=overdue_named.author_followers.fill_null(0)
            + overdue_named.likes.fill_null(0)
            + overdue_named.reposts.fill_null(0)
        )
        half = EVIDENCE_LIMIT // 2
        oldest = evidence_rows(overdue_named, [overdue_named.created_at, overdue_named.id], half)
        seen = {e["message_id"] for e in oldest}
        most_visible = [
            e
            for e in evidence_rows(
                visible, [ibis.desc(visible.visibility), visible.created_at], EVIDENCE_LIMIT
            )
            if e["message_id"] not in seen
        ][: EVIDENCE_LIMIT - len(oldest)]
        for e in oldest:
            e["why"] = "oldest"
        for e in most_visible:
            e["why"] = "most visible"
        figures_out = {
            "inbound": int(total_inbound),
            "requests": int(n_requests),
            "unanswered_requests": int(n_overdue),
            "pending_requests": int(n_pending),
            "unanswered_share": round(share, 4),
        }
        thresholds = {
            "reply_window_hours": opts["reply_window_hours"],
            "max_unanswered_share": opts["max_unanswered_share"],
        }
        if n_requests == 0:
            verdict = Verdict.PASS
            message = f"No questions or complaints among {total_inbound} inbound messages."
        elif n_overdue and share > opts["max_unanswered_share"]:
            verdict = Verdict.FAIL
            message = (
                f"{n_overdue} of {n_requests} questions and complaints ({share:.0%}) got no answer "
                f"within {opts['reply_window_hours']:g} h."
            )
        elif n_overdue:
            verdict = Verdict.WARN
            message = (
                f"{n_overdue} of {n_requests} questions and complaints got no answer ({share:.1%})."
            )
        else:
            verdict = Verdict.PASS
            message = f"All {n_requests} questions and complaints older than the reply window were answered."
        notes = list(text_notes)
        if n_pending:
            notes.append(
                f"{n_pending} requests are younger than the reply window and still pending."
            )
        return self.finding(
            verdict,
            message=message,
            figures=figures_out,
            thresholds=thresholds,
            per_account=per_account,
            evidence=oldest + most_visible,
            evidence_total=int(n_overdue),
            notes=notes,
        )


class SlowFirstResponse(Check):
    code = "SA102"
    name = "slow-first-response"
    area = "care"
    severity = "high"
    requires = ("inbound",)
    seeds = ("001", "003")
    options = (
        Option(
            "warn_median_hours",
            1,
            "Most customers who write to a brand expect an answer within the hour.",
            float,
            minimum=0,
        ),
        Option(
            "fail_median_hours",
            4,
            "A typical wait of half a working day means most people gave up.",
            float,
            minimum=0,
        ),
        Option(
            "fail_p90_hours",
            24,
            "One customer in ten waiting more than a day is a backlog, not bad luck.",
            float,
            minimum=0,
        ),
    )
    doc = """
## What it detects

The time from an inbound message to the addressed account's first reply below it in the
thread: median and 90th percentile, overall, per platform and per account. Figures cover every
inbound message addressed to the account (before any intent filtering), so they can be checked
against an independent computation; unanswered messages count in `unanswered`, not in the times.

## Why it matters

An answer that comes the next day answers nobody: the customer has bought elsewhere or told
their friends. Speed is what customers judge first (seeds 001 and 003).

## Example

A customer asks at 09:00, the brand answers at 15:30: a 6.5 h first response. If that is the
median, half of the brand's customers wait longer than that.

Better: staff the inbox during the hours customers write, and acknowledge first, solve second.
"""
    advice = (
        "Cut the first-response time: watch the inbox in the hours customers write, answer with "
        "an acknowledgement first and the solution after, and look at the slowest accounts first."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Any:
        pairs = pairs_with_labels(ctx)
        overall = conversation.response_figures(pairs).execute().to_dict("records")[0]
        if int(overall["inbound"]) == 0:
            return self.unknown(
                "No inbound messages addressed to the brand in the workspace.", needs("inbound")
            )
        figures = {k: _num(overall[k]) for k in conversation.FIGURE_NAMES}
        figures = {
            k: (int(v) if k in ("inbound", "answered", "unanswered") else v)
            for k, v in figures.items()
        }
        names = handle_names(ctx)
        per_account: dict[str, dict[str, Any]] = {}
        per = conversation.response_figures(pairs, ["platform", "brand"]).execute()
        for r in per.to_dict("records"):
            key = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
            per_account[key] = {
                "inbound": int(r["inbound"]),
                "answered": int(r["answered"]),
                "unanswered": int(r["unanswered"]),
                "median_first_response_seconds": _num(r["median_first_response_seconds"]),
                "p90_first_response_seconds": _num(r["p90_first_response_seconds"]),
            }
        median, p90 = (
            figures["median_first_response_seconds"],
            figures["p90_first_response_seconds"],
        )
        thresholds = {
            "warn_median_seconds": opts["warn_median_hours"] * 3600,
            "fail_median_seconds": opts["fail_median_hours"] * 3600,
            "fail_p90_seconds": opts["fail_p90_hours"] * 3600,
        }
        if median is None:
            return self.finding(
                Verdict.FAIL,
                message=f"None of {figures['inbound']} inbound messages got a reply from the brand.",
                figures=figures,
                thresholds=thresholds,
                per_account=per_account,
            )
        if (
            median > thresholds["fail_median_seconds"]
            or (p90 or 0) > thresholds["fail_p90_seconds"]
        ):
            verdict = Verdict.FAIL
        elif median > thresholds["warn_median_seconds"]:
            verdict = Verdict.WARN
        else:
            verdict = Verdict.PASS
        message = (
            f"Median first response {duration(median)}, 90th percentile {duration(p90)}, "
            f"over {figures['answered']} answered of {figures['inbound']} inbound messages."
        )
        slow = _with_account_names(ctx, pairs.filter(pairs.answered))
        evidence = evidence_rows(slow, [ibis.desc(slow.first_response_seconds), slow.id])
        notes = []
        time_only = pairs.filter(pairs.time_only.fill_null(False)).count().execute()
        if time_only:
            notes.append(
                f"{time_only} requests are known only from the brand's replies (an account archive): "
                "their text is not available, and requests the brand never answered are invisible."
            )
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds=thresholds,
            per_account=per_account,
            evidence=evidence,
            evidence_total=int(figures["answered"]),
            notes=notes,
        )


class UnthankedPraise(Check):
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
brand is listening (seeds 001 and 003).

## Example

`Loved the new flavour @acme, best coffee in town!` with no reply and no like from @acme.

Better: like it at least, and reply with a personal thank-you when you can.
"""
    advice = "Thank the listed customers (a like at least, a short personal reply at best), and make thanking praise part of the daily inbox routine."

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Any:
        pairs, unknown, text_notes = judged_by_text(ctx, self)
        if unknown is not None:
            return unknown
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
            row = {k: int(r[k]) for k in totals}
            row["unacknowledged_share"] = (
                round(row["unacknowledged"] / row["praise"], 4) if row["praise"] else 0.0
            )
            per_account[key] = row
            for k in totals:
                totals[k] += row[k]
        share = totals["unacknowledged"] / totals["praise"] if totals["praise"] else 0.0
        figures = {**totals, "unacknowledged_share": round(share, 4)}
        thresholds = {"warn_share": opts["warn_share"], "fail_share": opts["fail_share"]}
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
                thresholds=thresholds,
                notes=notes,
            )
        verdict = (
            Verdict.FAIL
            if share > opts["fail_share"]
            else Verdict.WARN
            if share > opts["warn_share"]
            else Verdict.PASS
        )
        unthanked = _with_account_names(ctx, praise.filter(~praise.acknowledged))
        return self.finding(
            verdict,
            message=f"{totals['unacknowledged']} of {totals['praise']} messages of praise ({share:.0%}) got no reply and no like.",
            figures=figures,
            thresholds=thresholds,
            per_account=per_account,
            evidence=evidence_rows(unthanked, [unthanked.created_at, unthanked.id]),
            evidence_total=totals["unacknowledged"],
            notes=notes,
        )


def get_checks() -> list[type[Check]]:
    return [UnansweredRequests, SlowFirstResponse, UnthankedPraise]
