"""What the presence, content, audience, plan and listening checks share: which of the brand's
messages each of them looks at, the audit date, and how evidence and figures are written.

Which messages count is a decision every check states in its doc; the three selections are:

* **own words** (`OWN_WORDS`): posts, replies and comments the brand wrote itself, in public;
* **timeline** (`TIMELINE`): what lands in followers' feeds: original posts and reposts;
* **content** (`CONTENT`): original posts only, the brand's own published content. Reposts are
  someone else's words, replies and comments are conversation (measured by the care checks),
  and direct messages are private: none of them says what the brand chooses to publish.

Public means not a direct message: kind `direct`, or Mastodon's visibility `direct` (a post
addressed only to the people it mentions).

All time arithmetic is on epoch seconds, so that days are UTC days whatever the engine's session
time zone is.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import ibis

from ..conversation import data_end
from ..model import Kind
from .base import CAPABILITIES, EVIDENCE_LIMIT, Option

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from .base import AuditContext

OWN_WORDS = (Kind.POST, Kind.REPLY, Kind.COMMENT)
TIMELINE = (Kind.POST, Kind.REPOST)
CONTENT = (Kind.POST,)
PUBLIC_ACTIVITY = (Kind.POST, Kind.REPLY, Kind.COMMENT, Kind.REPOST)

DAY = 86_400


# -- selections --------------------------------------------------------------------------------


UNNAMED = "(unnamed)"


def account_key(t: ir.Table) -> ir.StringValue:
    """'platform:handle' of the brand account a message belongs to: the author when the account
    is unset, '(unnamed)' when the export names neither (some Meta exports)."""
    return t.platform.concat(":", ibis.coalesce(t.account, t.author, ibis.literal(UNNAMED)))


def brand_messages(ctx: AuditContext, kinds: tuple[str, ...]) -> ir.Table:
    """The brand's public messages of the given kinds, with `acct` ('platform:handle') and `ts`
    (epoch seconds) added."""
    m = ctx.table("messages")
    t = m.filter(
        m.from_brand.fill_null(False),
        m.kind.isin([str(k) for k in kinds]),
        m.visibility.isnull() | (m.visibility != "direct"),
    )
    return t.mutate(acct=account_key(t), ts=t.created_at.epoch_seconds().cast("int64"))


def labelled(ctx: AuditContext, t: ir.Table) -> ir.Table:
    """`t` with the labels the labelling stage wrote joined (null where a message has none)."""
    lab = ctx.table("labels").select(
        "platform",
        "message_id",
        "content_type",
        "intent",
        "is_question",
        "is_complaint",
        "is_praise",
        "sentiment",
    )
    return t.left_join(lab, [t.platform == lab.platform, t.id == lab.message_id]).drop(
        "platform_right", "message_id"
    )


def rows(ctx: AuditContext, expr: ir.Table) -> list[dict[str, Any]]:
    """Run a small expression (per account, per day, capped evidence) into Python rows."""
    return ctx.workspace.arrow(expr).to_pylist()


def scalar(ctx: AuditContext, expr: ir.Scalar) -> Any:
    return ctx.workspace.arrow(expr.name("v").as_table())["v"][0].as_py()


# -- the audit date ----------------------------------------------------------------------------


class DateOption(Option):
    """An option holding an ISO date (TOML dates are accepted too); empty means 'not set'."""

    def validate(self, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str):
            raise ValueError(f"expected a date such as 2024-06-30, got {value!r}")
        if value.strip():
            try:
                date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"expected a date such as 2024-06-30, got {value!r}") from None
        return value.strip()


AS_OF = DateOption(
    "as_of",
    "",
    "The day the audit judges from (end of that day, UTC). Empty: the newest message in the "
    "workspace, because an export is a snapshot and an audit of an old export should judge "
    "the period it covers, not the months since it was downloaded.",
    type=str,
)


def as_of(ctx: AuditContext, opts: dict[str, Any]) -> datetime | None:
    """The audit's reference time: the `as_of` option (end of that UTC day), else the newest
    message time in the workspace; None when the workspace holds no message at all."""
    value = opts.get("as_of") or ""
    if value:
        return datetime.combine(date.fromisoformat(value), datetime.max.time(), UTC).replace(
            microsecond=0
        )
    return ctx.shared("newest_message_at", lambda: data_end(ctx.workspace))


# -- figures and evidence ----------------------------------------------------------------------


def iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def day_iso(day_index: int) -> str:
    """A UTC day number (epoch seconds // 86400) as an ISO date."""
    return (date(1970, 1, 1) + timedelta(days=int(day_index))).isoformat()


def share(part: int | float, whole: int | float) -> float | None:
    return None if not whole else round(part / whole, 4)


def message_evidence(
    ctx: AuditContext, t: ir.Table, order: list[Any] | None = None, limit: int = EVIDENCE_LIMIT
) -> tuple[list[dict[str, Any]], int]:
    """The first `limit` messages of `t` (newest first unless `order` says otherwise) as
    evidence items, and how many there are in all."""
    total = int(scalar(ctx, t.count()))
    if not total:
        return [], 0
    order = order if order is not None else [t.created_at.desc(), t.id]
    picked = t.order_by(order).limit(limit)
    extra = [c for c in ("content_type", "kind") if c in t.columns]
    items = []
    for r in rows(
        ctx, picked.select("id", "platform", "acct", "created_at", "text", "url", *extra)
    ):
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
        items.append(item)
    return items, total


def worst(verdicts: list[str]) -> str:
    """The worst of several verdict names (fail > warn > pass); unknown only when all are."""
    for v in ("fail", "warn", "pass"):
        if v in verdicts:
            return v
    return "unknown"


def need(*capabilities: str) -> list[str]:
    """What to import, in words, for the capabilities a check lacks (see CAPABILITIES)."""
    return [CAPABILITIES.get(c, c) for c in capabilities]
