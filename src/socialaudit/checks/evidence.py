"""Evidence items made from messages: what a finding shows as proof.

An item names the message (id, platform, the brand account it concerns, when, its text and
link) so that a person can open it; checks add the fields that explain why it is there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..vocabulary import iso
from .base import EVIDENCE_LIMIT

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from .base import AuditContext


def message_evidence(
    ctx: AuditContext,
    t: ir.Table,
    order: list[Any] | None = None,
    limit: int = EVIDENCE_LIMIT,
    total: int | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` messages of `t` (newest first unless `order` says otherwise) as
    evidence items, and how many there are in all (`total` when the caller counted them)."""
    total = int(ctx.scalar(t.count())) if total is None else total
    if not total:
        return [], 0
    order = order if order is not None else [t.created_at.desc(), t.id]
    picked = t.order_by(order).limit(limit)
    extra = [c for c in ("content_type", "kind") if c in t.columns]
    rows = ctx.rows(picked.select("id", "platform", "acct", "created_at", "text", "url", *extra))
    return [message_item(r, extra) for r in rows], total


def message_item(r: dict[str, Any], extra: tuple[str, ...] | list[str] = ()) -> dict[str, Any]:
    """One brand message (a row with id, platform, acct, created_at, text, url) as evidence,
    with the `extra` columns after."""
    item = {
        "message_id": r["id"],
        "platform": r["platform"],
        "account": r["acct"],
        "created_at": iso(r["created_at"]),
        "text": r["text"],
        "url": r["url"],
    }
    for c in extra:
        item[c] = r[c]
    return item
