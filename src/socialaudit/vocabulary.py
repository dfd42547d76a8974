"""The words the checks, charts, inbox and roi share, each defined once.

* **Time**: `iso` writes every instant as ISO 8601 in UTC with a `Z` (dates as plain dates);
  `day_iso` turns a UTC day number into a date. All time arithmetic is on epoch seconds, so that
  days are UTC days whatever the engine's session time zone is.
* **The audit date**: `audit_end(ws, as_of)`, the end of the `[checks] as_of` day when it is set,
  else the newest message in the workspace (`data_end`): an export is a snapshot, and an audit of
  an old export judges the period it covers, not the months since it was downloaded.
* **The brand's accounts**: `brand_accounts`, the config's `[brand] accounts` when given, else
  the accounts the imports found; when the config names them, only their messages are the
  brand's (`brand_messages`), on every check.
* **The brand's public messages**: `brand_messages(ws, accounts, kinds)`, the brand's own
  messages of some kinds that are not direct messages (kind `direct`, or Mastodon's visibility
  `direct`, a post addressed only to the people it mentions). The selections the checks use:
  `OWN_WORDS` (posts, replies and comments the brand wrote itself), `TIMELINE` (what lands in
  followers' feeds: posts and reposts), `CONTENT` (original posts only: what the brand chooses to
  publish), `PUBLIC_ACTIVITY` (any of those).
* **Labels**: `with_labels` joins what the labelling stage wrote to messages.
* **Small queries**: `rows` and `scalar` run an Ibis expression into Python values.
* **What to import**: `needs` (from `capabilities`), and **links**: `urls`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import ibis

from .capabilities import needs
from .config import Config
from .model import Kind
from .workspace import Workspace

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CONTENT",
    "DAY",
    "OWN_WORDS",
    "PUBLIC_ACTIVITY",
    "TIMELINE",
    "UNNAMED",
    "account_key",
    "audit_end",
    "brand_accounts",
    "brand_messages",
    "data_end",
    "day_iso",
    "end_of_day",
    "engagement",
    "iso",
    "measured",
    "needs",
    "rows",
    "scalar",
    "share",
    "with_labels",
]

DAY = 86_400
UNNAMED = "(unnamed)"

OWN_WORDS = (Kind.POST, Kind.REPLY, Kind.COMMENT)
TIMELINE = (Kind.POST, Kind.REPOST)
CONTENT = (Kind.POST,)
PUBLIC_ACTIVITY = (Kind.POST, Kind.REPLY, Kind.COMMENT, Kind.REPOST)

# -- time ---------------------------------------------------------------------------------------


def iso(value: Any) -> str | None:
    """An instant as ISO 8601 in UTC ending in `Z`; a date as YYYY-MM-DD; epoch seconds too."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return iso(datetime.fromtimestamp(int(value), UTC))
    return str(value)


def day_iso(day_index: int) -> str:
    """A UTC day number (epoch seconds // 86400) as an ISO date."""
    return (date(1970, 1, 1) + timedelta(days=int(day_index))).isoformat()


def end_of_day(day: date) -> datetime:
    """The last second of a UTC day."""
    return datetime.combine(day, datetime.max.time(), UTC).replace(microsecond=0)


def data_end(ws: Workspace) -> datetime | None:
    """The end of the data: the newest message in the workspace (None when it holds none)."""
    value = ws.sql("select max(created_at) as t from messages")["t"][0].as_py()
    return value


def audit_end(ws: Workspace, as_of: date | None) -> datetime | None:
    """The audit's reference time: the end of the `as_of` day, else the end of the data."""
    return end_of_day(as_of) if as_of is not None else data_end(ws)


# -- the brand ----------------------------------------------------------------------------------


def brand_accounts(ws: Workspace, config: Config) -> list[tuple[str, str]]:
    """(platform, handle) of the brand's accounts: the config's `[brand] accounts` when given
    ("platform:handle" or a bare handle for every platform), else the accounts table."""
    known = ws.sql(
        "select distinct platform, handle from accounts order by platform, handle"
    ).to_pylist()
    if not config.brand.accounts:
        return [(r["platform"], r["handle"]) for r in known]
    out: list[tuple[str, str]] = []
    platforms = sorted({r["platform"] for r in known}) or ["x"]
    for entry in config.brand.accounts:
        platform, _, handle = entry.rpartition(":")
        handle = handle.lstrip("@")
        for p in [platform] if platform else platforms:
            out.append((p, handle))
    return sorted(set(out))


def account_key(t: ir.Table) -> ir.StringValue:
    """'platform:handle' of the brand account a message belongs to: the author when the account
    is unset, '(unnamed)' when the export names neither (some Meta exports)."""
    return t.platform.concat(":", ibis.coalesce(t.account, t.author, ibis.literal(UNNAMED)))


def brand_messages(
    ws: Workspace, config: Config, kinds: tuple[str, ...], accounts: list[tuple[str, str]]
) -> ir.Table:
    """The brand's public messages of the given kinds, with `acct` ('platform:handle') and `ts`
    (epoch seconds) added. When `[brand] accounts` names the brand's accounts, only theirs."""
    m = ws.table("messages")
    t = m.filter(
        m.from_brand.fill_null(False),
        m.kind.isin([str(k) for k in kinds]),
        m.visibility.isnull() | (m.visibility != "direct"),
    )
    t = t.mutate(acct=account_key(t), ts=t.created_at.epoch_seconds().cast("int64"))
    if config.brand.accounts:
        keys = sorted({f"{p}:{h}".lower() for p, h in accounts})
        t = t.filter(t.acct.lower().isin(keys))
    return t


LABEL_COLUMNS = (
    "content_type",
    "intent",
    "is_question",
    "is_complaint",
    "is_praise",
    "sentiment",
)


def with_labels(ws: Workspace, t: ir.Table, columns: tuple[str, ...] = LABEL_COLUMNS) -> ir.Table:
    """`t` (messages) with the labels the labelling stage wrote joined: null where a message has
    none (the stage has not run since it was imported)."""
    lab = ws.table("labels").select("platform", "message_id", *columns)
    return t.left_join(lab, [t.platform == lab.platform, t.id == lab.message_id]).drop(
        "platform_right", "message_id"
    )


def engagement(t: ir.Table) -> ir.IntegerValue:
    """What people did with a message: likes, reposts, replies and quotes (missing ones as 0)."""
    return (
        t.likes.fill_null(0)
        + t.reposts.fill_null(0)
        + t.replies.fill_null(0)
        + t.quotes.fill_null(0)
    )


def measured(t: ir.Table) -> ir.BooleanValue:
    """The export gives the message's engagement (likes, reposts or replies are not null)."""
    return t.likes.notnull() | t.reposts.notnull() | t.replies.notnull()


# -- small queries ------------------------------------------------------------------------------


def rows(ws: Workspace, expr: ir.Table) -> list[dict[str, Any]]:
    """Run a small expression (per account, per day, capped evidence) into Python rows."""
    return ws.arrow(expr).to_pylist()


def scalar(ws: Workspace, expr: ir.Scalar) -> Any:
    """Run an expression that gives one value and return it."""
    return ws.arrow(expr.name("v").as_table())["v"][0].as_py()


def share(part: int | float, whole: int | float) -> float | None:
    return None if not whole else round(part / whole, 4)
