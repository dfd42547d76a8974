"""What the care checks share: the addressed pairs of conversation.py, labelled once per audit
(as they stood at the audit date), and the evidence items made from them.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from ... import conversation
from ...vocabulary import iso, needs
from ..base import EVIDENCE_LIMIT, AuditContext, Check, Finding


def pairs_with_labels(ctx: AuditContext) -> ir.Table:
    """Addressed pairs joined with their text labels, as they stood at the audit date when
    `[checks] as_of` sets one (computed once per audit)."""

    def compute() -> ir.Table:
        pairs = conversation.labelled_pairs(ctx.workspace, ctx.brand_accounts)
        if ctx.config.checks.as_of is not None and ctx.as_of is not None:
            pairs = conversation.pairs_as_of(pairs, ctx.as_of)
        return pairs

    return ctx.shared("care.pairs", compute)


def judged_by_text(ctx: AuditContext, check: Check) -> tuple[ir.Table, list[str]] | Finding:
    """The addressed pairs whose text is known, for checks that judge what a message says.

    An account archive knows the messages the brand answered only by their time (derived from
    the reply's parent id): they can be timed (SA102) but not read. When no inbound text is
    known at all, the check is `unknown` (the finding is returned), never a silent pass;
    otherwise the readable pairs are, with a note saying how many inbound messages could not be
    read.
    """
    pairs = pairs_with_labels(ctx)
    total = pairs.count().execute()
    if total == 0:
        return check.unknown(
            "No inbound messages addressed to the brand in the workspace.", needs("inbound")
        )
    readable = pairs.filter(~pairs.time_only.fill_null(False) & pairs.text.notnull())
    unread = total - readable.count().execute()
    if unread == total:
        return check.unknown(
            f"The {total} inbound messages are known only by their time (from the brand's replies "
            "in an account archive): their text is needed to tell questions, complaints and "
            "praise apart.",
            needs("inbound_text"),
        )
    notes = (
        [f"{unread} of {total} inbound messages have no text in the export and were not judged."]
        if unread
        else []
    )
    return readable, notes


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
