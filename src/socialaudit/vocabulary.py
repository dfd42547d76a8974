"""The words the checks, charts, inbox and roi share, each defined once.

* **Time**: `iso` writes every instant as ISO 8601 in UTC with a `Z` (dates as plain dates);
  `day_iso` turns a UTC day number into a date. All time arithmetic is on epoch seconds, so that
  days are UTC days whatever the engine's session time zone is.
* **The audit date**: `audit_dates(ws, as_of)`, per brand account: the end of the `as_of` day
  when it is set, else the date of the account's own exports (the date an export records, else
  its newest message): an export is a snapshot, and an audit of an old export judges the period
  it covers, not the months since it was downloaded, nor the date of another account's export.
  `audit_end` is the latest of them.
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
* **Writing figures**: `figure(name, value)` (from `units`), the one formatter of every message,
  evidence line and report: durations, percentages (shares and ROI), yes/no, lists joined;
  `count(n, noun)` and `percent(x)` for messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import ibis

from .capabilities import needs
from .config import Config
from .model import Kind
from .units import count, duration, figure, percent
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
    "AuditDates",
    "account_key",
    "audit_dates",
    "audit_end",
    "brand_accounts",
    "brand_messages",
    "count",
    "data_end",
    "day_iso",
    "duration",
    "end_of_day",
    "engagement",
    "figure",
    "iso",
    "measured",
    "needs",
    "percent",
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


def iso(value: Any, whole_seconds: bool = False) -> str | None:
    """An instant as ISO 8601 in UTC ending in `Z`; a date as YYYY-MM-DD; epoch seconds too.
    `whole_seconds` for sentences: "since 2011-05-26T19:30:07Z", not ".318000Z"."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        if whole_seconds:
            value = value.replace(microsecond=0)
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
    """The audit's reference time: the end of the `as_of` day, else the latest account's audit
    date (`audit_dates`), else the end of the data."""
    if as_of is not None:
        return end_of_day(as_of)
    return audit_dates(ws, None).latest or data_end(ws)


# Which imports brought each brand account's rows: its own messages and its accounts row. The
# key is `account_key`'s, lower-cased. Fixed text: nothing a user wrote goes into it.
_ACCOUNT_SOURCES = f"""
    select platform, lower(coalesce(account, author, '{UNNAMED}')) as acct, source
    from messages where coalesce(from_brand, false)
    union select platform, lower(handle), source from accounts
"""
# Each import's date: the export's own (an X archive's generationDate); for an account synced
# from its platform's API, the time of the sync (what the API showed was the state then: a
# request nobody answered has waited until that moment, not until the newest message); else
# the newest message of the export.
_IMPORT_DATES = """
    select i.source,
           coalesce(i.as_of, case when i.format like '%-api' then i.imported_at end, m.newest)
               as end_at,
           (i.as_of is not null or i.format like '%-api') as recorded,
           (i.as_of is null and i.format like '%-api') as synced
    from imports i left join (
        select source, max(created_at) as newest from messages group by source
    ) m on m.source = i.source
"""


@dataclass(frozen=True)
class AuditDates:
    """The date each brand account is judged as of (its *audit date*).

    The user's `as_of` (config `[checks] as_of`, CLI `--as-of`) for every account when given;
    else, per account, the date of the exports its rows came from: the export's own date where
    it records one (an X archive's manifest generationDate, a Bluesky repository's export time),
    else the newest message of that export; for an account synced from its platform's API, the
    time of its last sync. An account with several exports takes the latest.
    So exports downloaded on different days are each judged on their own period, and an archive
    downloaded a month after its last post shows that month of silence.
    """

    by_account: dict[str, datetime] = field(default_factory=dict)  # lower 'platform:handle'
    recorded: frozenset[str] = frozenset()  # accounts dated by their export's own date
    synced: frozenset[str] = frozenset()  # of those, accounts dated by their last sync
    setting: datetime | None = None  # the end of the as_of day, when given

    @property
    def latest(self) -> datetime | None:
        if self.setting is not None:
            return self.setting
        return max(self.by_account.values(), default=None)

    def of(self, acct: str) -> datetime | None:
        """The audit date of one account ('platform:handle', any case)."""
        if self.setting is not None:
            return self.setting
        return self.by_account.get(acct.lower(), self.latest)

    def why(self, acct: str) -> str:
        """Where an account's audit date comes from, in words."""
        if self.setting is not None:
            return "the as_of setting"
        if acct.lower() in self.synced:
            return "its last sync"
        if acct.lower() in self.recorded:
            return "the date its export was made"
        return "the newest message of its export"

    def one(self) -> datetime | None:
        """The audit date when every account has the same one, else None."""
        if self.setting is not None:
            return self.setting
        values = set(self.by_account.values())
        return values.pop() if len(values) == 1 else None

    def describe(self) -> str:
        """'2024-11-09T12:00:00Z (the as_of setting)' or each account's date, for notes."""
        single = self.one()
        if single is not None:
            key = next(iter(self.by_account), "")
            return f"{iso(single)} ({self.why(key)})"
        return "; ".join(
            f"{k} {iso(v)} ({self.why(k)})" for k, v in sorted(self.by_account.items())
        )

    def with_end(self, t: ir.Table, key: ir.StringValue) -> ir.Table:
        """`t` with `audit_ts`: the epoch second of the audit date of the account `key` names."""
        latest = self.latest
        fallback = int(latest.timestamp()) if latest is not None else 0
        if self.setting is not None or not self.by_account:
            return t.mutate(audit_ts=ibis.literal(fallback, "int64"))
        # In account order: the query's rows come in any order, and a memtable of the same
        # rows in the same order is the same query, kept compiled (engine.compiled).
        ordered = sorted(self.by_account.items())
        dates = ibis.memtable(
            {
                "_acct": [k for k, _ in ordered],
                "_end": [int(v.timestamp()) for _, v in ordered],
            },
            schema={"_acct": "string", "_end": "int64"},
        )
        t = t.mutate(_key=key.lower())
        joined = t.left_join(dates, t._key == dates._acct)
        return joined.mutate(audit_ts=joined._end.fill_null(fallback)).drop("_key", "_acct", "_end")


def audit_dates(ws: Workspace, as_of: date | None) -> AuditDates:
    """The audit date of every brand account (see `AuditDates`)."""
    if as_of is not None:
        return AuditDates(setting=end_of_day(as_of))
    rows = ws.sql(
        f"select a.platform || ':' || a.acct as acct, max(d.end_at) as end_at, "
        f"bool_or(d.recorded and d.end_at is not null) as recorded, "
        # dated by a sync when the latest date is a sync's
        f"arg_max(d.synced, d.end_at) as synced "
        f"from ({_ACCOUNT_SOURCES}) a join ({_IMPORT_DATES}) d on d.source = a.source "
        "where d.end_at is not null group by all"
    ).to_pylist()
    return AuditDates(
        by_account={r["acct"]: _utc(r["end_at"]) for r in rows},
        recorded=frozenset(r["acct"] for r in rows if r["recorded"]),
        synced=frozenset(r["acct"] for r in rows if r["synced"]),
    )


def _utc(value: datetime) -> datetime:
    """An audit date in UTC to the second: an export's date to the millisecond (an X archive's
    generationDate) would print as 18:44:55.824000Z in every finding."""
    value = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return value.replace(microsecond=0)


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
    t = t.mutate(acct=account_key(t), ts=ws.epoch_seconds(t.created_at))
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
