"""What data the workspace holds, as capabilities, and which checks that data can answer.

One function decides, for `socialaudit status` and for the audit alike: `account_capabilities`
counts what each (platform, account) has, `workspace_capabilities` what the workspace has as a
whole, and `answerable(requires, have)` sets a check's `requires` against them. The audit gives a
check whose capability is missing `unknown` (naming the import) without running it, so `status`
and `audit` can never disagree on what the data answers.

A requirement is a capability name, or alternatives joined by `|` ("brand_posts|conversions":
either will do).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa

from .config import Config
from .workspace import Workspace

YES, PARTIAL, NO = "yes", "partial", "no"

# What data a check needs, by capability, and what to import to have it.
CAPABILITIES: dict[str, str] = {
    "brand_posts": "the brand's own messages, its replies included: an export of its account "
    "(X archive, Mastodon archive, Bluesky CAR, Meta or LinkedIn export), a connected account "
    "(socialaudit connect, then socialaudit sync), a TWCS-style CSV that holds the brand's "
    "rows, or a CSV/JSONL with --brand",
    "timeline": "the brand's whole timeline: an export of its own account (X archive, Mastodon "
    "archive, Bluesky CAR, Meta or LinkedIn export, or a CSV/JSONL of everything it posted); a "
    "dataset slice such as a TWCS file holds only some of its conversations",
    "inbound": "messages from customers to the brand: connect the account and sync it "
    "(socialaudit connect, then socialaudit sync: docs/connectors.md), or import a TWCS-style "
    "CSV or a generic CSV/JSONL with the customers' rows (docs/generic-format.md); account "
    "archives do not contain them",
    "inbound_text": "the text of customers' messages to the brand (to tell questions, complaints "
    "and praise apart): connect the account and sync it (socialaudit connect, then socialaudit "
    "sync), or import a TWCS-style CSV or a generic CSV/JSONL with the customers' rows; an "
    "account archive knows the messages the brand answered only by their time",
    "metrics": "engagement or reach figures per post (likes, reposts, impressions, clicks)",
    "acknowledgements": "the brand's likes/favourites (X like.js, Mastodon likes.json, Bluesky likes)",
    "follows": "who the brand follows, ideally with dates (Bluesky repo, X following.js)",
    "follow_counts": "how many accounts the brand follows and how many follow it: follow lists "
    "(Bluesky repo, X following.js and follower.js), a profile with its counts, or an audience CSV",
    "audience": "dated follower counts (an audience CSV, LinkedIn follower export)",
    "costs": "a costs ledger CSV (date, platform, category, amount, hours, hourly_rate)",
    "conversions": "a conversions CSV from web analytics with UTM (date, source, medium, campaign, ...)",
    "goals": "[[goals]] in socialaudit.toml (metric, target, by)",
    "self_assessment": "answers in [self_assessment] of socialaudit.toml",
    "domains": '[brand] domains = ["your-site.example"] in socialaudit.toml (the exports list no '
    "web site on the brand's profiles)",
}
# Each capability as a noun, for "the workspace holds no ...".
CAPABILITY_NAMES: dict[str, str] = {
    "brand_posts": "messages the brand wrote itself",
    "timeline": "whole timeline of the brand's accounts",
    "inbound": "messages from customers to the brand",
    "inbound_text": "text of customers' messages to the brand",
    "metrics": "engagement or reach figures on the brand's posts",
    "acknowledgements": "likes given by the brand",
    "follows": "follow lists",
    "follow_counts": "following or follower counts",
    "audience": "dated follower counts",
    "costs": "costs ledger",
    "conversions": "conversions",
    "goals": "goals",
    "self_assessment": "self-assessment answers",
    "domains": "web domains of the brand",
}
# A capability that is a narrower form of another: when it is missing, what the workspace has
# of the wider one is worth saying (inbound known by time only, but no text to read).
NARROWER_OF: dict[str, tuple[str, ...]] = {"inbound_text": ("inbound",)}
# What a capability that is only partly there lacks, in words.
PARTIAL_NOTES = {
    "inbound": "only the times of the messages the brand answered, derived from its replies; "
    "their texts and the messages it never answered are not in the export",
}
# A capability missing although a wider one is there, and what that wider one holds instead.
INSTEAD_NOTES: dict[str, tuple[str, str]] = {
    "timeline": (
        "brand_posts",
        "the brand's messages from a dataset slice (TWCS-style): conversations sampled from a "
        "dataset, so gaps, bursts, dormancy and the share of replies would measure the "
        "sampling, not the brand",
    ),
}
PER_ACCOUNT = (
    "brand_posts",
    "timeline",
    "inbound",
    "inbound_text",
    "metrics",
    "acknowledgements",
    "follows",
    "follow_counts",
    "audience",
)
WORKSPACE_WIDE = ("costs", "conversions", "goals", "self_assessment", "domains")
# The capabilities that describe the brand's own side: another brand's account (in a file of
# several brands, when `[brand] accounts` names the brand's) gives none of them.
BRAND_SIDE = (
    "brand_posts",
    "timeline",
    "metrics",
    "acknowledgements",
    "follows",
    "follow_counts",
    "audience",
)


def needs(*capabilities: str) -> list[str]:
    """What to import, in words, for capabilities (or `a|b` alternatives) the workspace lacks."""
    out = []
    for requirement in capabilities:
        out.append(" or ".join(CAPABILITIES.get(c, c) for c in requirement.split("|")))
    return out


@dataclass
class AccountData:
    """What one (platform, account) holds: row counts behind its capabilities."""

    platform: str
    account: str | None
    messages: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    brand: int = 0
    # Of the brand's messages, those from an export of the account itself (not a dataset slice).
    brand_timeline: int = 0
    inbound: int = 0
    inbound_time_only: int = 0
    acknowledgements: int = 0
    follows: dict[str, int] = field(default_factory=dict)
    audience: int = 0
    profile_counts: bool = False
    metrics: bool = False
    first: Any = None  # the oldest and newest dated row (datetime or date)
    last: Any = None

    def levels(self) -> dict[str, str]:
        """Each per-account capability: yes, partial or no."""
        return {
            "brand_posts": YES if self.brand else NO,
            "timeline": YES if self.brand_timeline else NO,
            "inbound": YES if self.inbound else (PARTIAL if self.inbound_time_only else NO),
            "inbound_text": YES if self.inbound else NO,
            "metrics": YES if self.metrics else NO,
            "acknowledgements": YES if self.acknowledgements else NO,
            "follows": YES if self.follows else NO,
            "follow_counts": YES if (self.follows or self.audience or self.profile_counts) else NO,
            "audience": YES if self.audience else NO,
        }


def account_data(ws: Workspace) -> list[AccountData]:
    """Row counts per (platform, account) over the canonical tables, sorted."""
    accounts: dict[tuple[str, str | None], AccountData] = {}

    def acct(platform: str, account: str | None) -> AccountData:
        key = (platform, account)
        if key not in accounts:
            accounts[key] = AccountData(platform, account)
        return accounts[key]

    # Every query is fixed text: nothing a user wrote is formatted into SQL.
    for platform, account, kind, from_brand, time_only, sliced, n in tuples(
        ws.sql(
            "select m.platform, m.account, m.kind, coalesce(m.from_brand, false), "
            "coalesce(m.time_only, false), coalesce(i.extent = 'slice', false), count(*) "
            "from messages m left join imports i on i.source = m.source group by all"
        )
    ):
        a = acct(platform, account)
        a.messages += n
        a.by_kind[kind or "unknown"] = a.by_kind.get(kind or "unknown", 0) + n
        if from_brand:
            a.brand += n
            if not sliced:
                a.brand_timeline += n
        elif time_only:
            a.inbound_time_only += n
        else:
            a.inbound += n
    for platform, account, first, last in tuples(
        ws.sql(
            "select platform, account, min(created_at), max(created_at) from messages group by all"
        )
    ):
        a = acct(platform, account)
        a.first, a.last = first, last
    for platform, account, n in tuples(
        ws.sql("select platform, account, count(*) from acknowledgements group by all")
    ):
        acct(platform, account).acknowledgements = n
    for platform, account, direction, n in tuples(
        ws.sql("select platform, account, direction, count(*) from follows group by all")
    ):
        acct(platform, account).follows[direction or "unknown"] = n
    for platform, account, n, first, last in tuples(
        ws.sql(
            "select platform, account, count(*), min(date), max(date) from audience group by all"
        )
    ):
        a = acct(platform, account)
        a.audience = n
        if a.first is None:
            a.first, a.last = first, last
    for platform, account in tuples(
        ws.sql(
            "select distinct platform, account from messages where from_brand and ("
            "likes is not null or reposts is not null or replies is not null or "
            "quotes is not null or impressions is not null or clicks is not null)"
        )
    ):
        acct(platform, account).metrics = True
    for platform, handle, counted in tuples(
        ws.sql("select platform, handle, bool_or(following is not null) from accounts group by all")
    ):
        acct(platform, handle).profile_counts = bool(counted)
    return sorted(accounts.values(), key=lambda a: (a.platform, a.account or ""))


def workspace_capabilities(ws: Workspace, config: Config) -> tuple[dict[str, str], dict[str, int]]:
    """The workspace-wide capabilities (costs, conversions, goals, self-assessment) and counts."""
    counts = {name: ws.count(name) for name in ("costs", "conversions")}
    listed = (
        ws.sql("select count(*) from (select unnest(own_domains) as d from accounts) where d <> ''")
        .column(0)[0]
        .as_py()
    )
    have = {
        "costs": YES if counts["costs"] else NO,
        "conversions": YES if counts["conversions"] else NO,
        "goals": YES if config.goals else NO,
        "self_assessment": YES if config.self_assessment else NO,
        "domains": YES if (config.brand.domains or listed) else NO,
    }
    counts["goals"] = len(config.goals)
    counts["self_assessment"] = len(config.self_assessment)
    counts["domains"] = len(config.brand.domains) + int(listed or 0)
    return have, counts


def is_brands(a: AccountData, config: Config) -> bool:
    """Whether an account is the brand's: `[brand] accounts` names it (when it names any). An
    account of customers' messages only (no brand message) is never another brand's."""
    return not a.brand or config.brand.names(a.platform, a.account)


def account_levels(a: AccountData, config: Config) -> dict[str, str]:
    """An account's capabilities as the audit counts them: another brand's account (not in
    `[brand] accounts`) gives none of the brand's own side."""
    levels = a.levels()
    if not is_brands(a, config):
        levels.update(dict.fromkeys(BRAND_SIDE, NO))
    return levels


def combined(per_account: Iterable[dict[str, str]], workspace: dict[str, str]) -> dict[str, str]:
    """The audit's view: a per-account capability is there when any account has it (partly there
    when the best account has it partly), beside the workspace-wide ones."""
    rank = {NO: 0, PARTIAL: 1, YES: 2}
    best = dict.fromkeys(PER_ACCOUNT, NO)
    for caps in per_account:
        for name, value in caps.items():
            if rank[value] > rank[best.get(name, NO)]:
                best[name] = value
    return {**best, **workspace}


def capabilities(ws: Workspace, config: Config) -> dict[str, str]:
    """Every capability of the workspace as a whole (see `combined`)."""
    have, _ = workspace_capabilities(ws, config)
    return combined((account_levels(a, config) for a in account_data(ws)), have)


def answerable(requires: Iterable[str], have: dict[str, str]) -> tuple[str, list[str]]:
    """(yes / partial / no, the requirements not fully there) for a check's `requires`."""

    def level(requirement: str) -> str:
        values = [have.get(c, NO) for c in requirement.split("|")]
        return YES if YES in values else PARTIAL if PARTIAL in values else NO

    levels = {r: level(r) for r in requires}
    missing = [r for r, v in levels.items() if v != YES]
    if not missing:
        return YES, []
    if all(levels[r] == PARTIAL for r in missing):
        return PARTIAL, missing
    return NO, missing


def tuples(table: Any) -> list[tuple[Any, ...]]:
    """An Arrow table's rows as tuples."""
    cols = [_pylist(table.column(i)) for i in range(table.num_columns)]
    return list(zip(*cols, strict=True)) if cols else []


def _pylist(column: Any) -> list[Any]:
    """A column's values, as `to_pylist` gives them. A zone-aware timestamp column is turned
    into datetimes here: pyarrow imports pandas for it (0.3 s of `status`, which needs none)."""
    kind = column.type
    if not (pa.types.is_timestamp(kind) and kind.tz and kind.unit in ("s", "ms", "us")):
        return list(column.to_pylist())
    try:
        zone = ZoneInfo(kind.tz)
    except (ValueError, KeyError):  # an offset such as +01:00, not a zone name
        return list(column.to_pylist())
    return [
        None if v is None else v.replace(tzinfo=UTC).astimezone(zone)
        for v in column.cast(pa.timestamp(kind.unit)).to_pylist()
    ]
