"""What the care checks share: the care pairs of conversation.py (labelled, with each account's
audit date and the inbox's state), computed once per audit, which accounts can be judged, and
the evidence items made from them.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from ... import conversation
from ...config import Config
from ...units import count as fmt_count
from ...vocabulary import iso, needs
from ..base import EVIDENCE_LIMIT, AuditContext, Check, Finding

DEFAULT_REPLY_WINDOW_HOURS = 24.0


def reply_window_hours(config: Config) -> float:
    """SA101's reply window as the workspace configures it (`[checks.SA101]
    reply_window_hours`): the audit and the inbox call a request overdue after the same time."""
    from .. import load_registry

    options = load_registry().validate_options(config.checks.option_tables())
    hours = options.get("SA101", {}).get("reply_window_hours", DEFAULT_REPLY_WINDOW_HOURS)
    return float(hours) if isinstance(hours, int | float) else DEFAULT_REPLY_WINDOW_HOURS


def pairs_with_labels(ctx: AuditContext) -> ir.Table:
    """The care pairs (`conversation.care_pairs`: labels, likes, inbox state, each account's
    audit date), computed once per audit; the inbox reads the same relation.

    Materialised: five checks query it a dozen times, and each query would otherwise compile
    and run its joins (labels, likes, inbox, audit dates) again."""

    def compute() -> ir.Table:
        pairs = conversation.care_pairs(
            ctx.workspace, ctx.brand_accounts, ctx.dates, reply_window_hours(ctx.config)
        )
        return ctx.workspace.create_temp("_care_pairs", pairs)

    return ctx.shared("care.pairs", compute)


def judged_pairs(ctx: AuditContext, check: Check) -> tuple[ir.Table, list[str]] | Finding:
    """The care pairs of the accounts whose own messages are imported, and notes on the others.

    A customer message addressed to an account none of whose messages is in the workspace (a
    file of the customers' side only, such as a TWCS slice of one brand's inbound tweets) cannot
    be called unanswered: its answer may simply not be in the file. Those accounts are left
    out and named; when no account is left, the check is `unknown`, naming what to import.
    """
    pairs = pairs_with_labels(ctx)
    per = ctx.rows(
        pairs.group_by(["platform", "brand"]).aggregate(
            n=pairs.count(), speaking=pairs.speaking.any()
        )
    )
    if not per:
        return check.unknown(
            "No inbound messages addressed to the brand in the workspace.", needs("inbound")
        )
    names = handle_names(ctx)
    silent = {
        names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}"): int(r["n"])
        for r in per
        if not r["speaking"]
    }
    if not silent:
        return pairs, []
    described = ", ".join(f"{a} ({fmt_count(n, 'message')})" for a, n in sorted(silent.items()))
    if len(silent) == len(per):
        return check.unknown(
            f"The workspace holds customers' messages addressed to {described}, but none of "
            "the account's own messages or likes, so whether they were answered cannot be told.",
            [silent_remedy(sorted(silent))],
        )
    return pairs.filter(pairs.speaking), [
        f"not judged, as none of their own messages is imported: {described}"
    ]


def silent_remedy(accounts: list[str]) -> str:
    """What to add when the workspace holds what customers wrote to an account but nothing the
    account wrote: its own side, never another copy of the customers' file just imported."""
    return (
        f"the messages of {', '.join(accounts)} itself, its replies included: connect the "
        "account and sync it (socialaudit connect, then socialaudit sync: docs/connectors.md), "
        "or import an export of the account (an X archive holds its replies); the file "
        "imported holds only what customers wrote to it"
    )


def judged_by_text(ctx: AuditContext, check: Check) -> tuple[ir.Table, list[str]] | Finding:
    """The addressed pairs whose text is known, for checks that judge what a message says.

    An account archive knows the messages the brand answered only by their time (derived from
    the reply's parent id): they can be timed (SA102) but not read. When no inbound text is
    known at all, the check is `unknown` (the finding is returned), never a silent pass;
    otherwise the readable pairs are, with a note saying how many inbound messages could not be
    read.
    """
    judged = judged_pairs(ctx, check)
    if isinstance(judged, Finding):
        return judged
    pairs, notes = judged
    total = pairs.count().execute()
    readable = pairs.filter(~pairs.time_only.fill_null(False) & pairs.text.notnull())
    unread = total - readable.count().execute()
    if unread == total:
        return check.unknown(
            f"The {total} inbound messages are known only by their time (from the brand's replies "
            "in an account archive): their text is needed to tell questions, complaints and "
            "praise apart.",
            needs("inbound_text"),
        )
    if unread:
        notes.append(
            f"{unread} of {total} inbound messages have no text in the export and were not judged."
        )
    return readable, notes


def inbox_counts_note(handled: int, ignored: int, what: str) -> list[str]:
    """The note on what a person marked in the inbox, counted apart from the figures."""
    parts = []
    if handled:
        parts.append(
            f"{handled} marked handled in the inbox (answered elsewhere: counted apart, not as unanswered)"
        )
    if ignored:
        parts.append(
            f"{ignored} marked ignored in the inbox (needing nothing: left out of the {what})"
        )
    return ["; ".join(parts)] if parts else []


def handle_names(ctx: AuditContext) -> dict[tuple[str, str], str]:
    """(platform, lower-case handle) -> "platform:Handle" as the accounts table spells it."""
    return {(p, h.lower()): f"{p}:{h}" for p, h in ctx.brand_accounts}


def evidence_rows(
    table: ir.Table, order: list[Any], limit: int = EVIDENCE_LIMIT
) -> list[dict[str, Any]]:
    # The pair's key last: one message addressed to two accounts ties on its id, and a tie
    # must not be broken by whichever thread finishes first.
    named = {o if isinstance(o, str) else o.get_name() for o in order}
    order = [
        *order,
        *(c for c in ("platform", "id", "brand") if c in table.columns and c not in named),
    ]
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
        for extra in ("intent", "author_followers", "first_response_seconds"):
            if r.get(extra) is not None:
                item[extra] = r[extra]
        # How long it has waited by the audit date: for what is still unanswered only (an
        # answered message stopped waiting at its answer: "waited 11 years" would mislead).
        if r.get("waited_seconds") is not None and r.get("first_response_seconds") is None:
            item["waited_seconds"] = r["waited_seconds"]
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


def number(value: Any) -> float | int | None:
    if value is None:
        return None
    value = _plain(value)
    if isinstance(value, float) and value != value:  # NaN from an empty group
        return None
    return value


def with_account_names(ctx: AuditContext, table: ir.Table) -> ir.Table:
    names = handle_names(ctx)
    mapping = ibis.memtable(
        {
            "platform": [p for p, _ in names],
            "brand": [b for _, b in names],
            "account_name": list(names.values()),
        }
    )
    return table.left_join(mapping, ["platform", "brand"]).select(table, mapping.account_name)
