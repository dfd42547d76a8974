"""What social media costs and returns: ROI per platform and per campaign (docs/roi.md).

The method, exactly:

* the cost of a ledger row is its `amount` plus `hours × hourly_rate` (a row gives one or the
  other, never an amount and a rate);
* a row with a platform costs that platform. A shared row (no platform) is split across platforms
  in proportion to the brand's public messages (`vocabulary.brand_messages`: posts, replies,
  comments and reposts, of the `[brand] accounts` when the config names them) on each platform
  in the row's calendar month. When the brand wrote nothing that month, the row is split equally across the
  platforms that have their own costs or mapped conversions in the period (else across the
  platforms the brand ever wrote on); the report's `split` says which basis each month used.
  A shared cost with no platform at all to go to stays in the total only, and a note says so;
* revenue is the sum of `revenue` of the conversions whose UTM source maps to the platform;
  conversions from unmapped sources count for no platform and are listed apart;
* ROI = (revenue − cost) / cost, and null when the cost is 0;
* per campaign: the cost of the rows with that campaign (shared or not) against the revenue of
  mapped conversions with that campaign; rows without one are the "(no campaign)" line;
* the period (`since`, `until`, both inclusive) filters ledger rows by their date.

The ledgers hold one currency (see `sources/ledger.py`). If `[brand] currency` is set (or
changed) after an import, `ledger_currency` raises an InputError naming the first row in another
currency: ROI is never a sum of two currencies.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis
import pyarrow as pa
from ibis import _

from .config import Config, load_config
from .errors import InputError
from .model import COST_CATEGORIES as CATEGORIES
from .vocabulary import PUBLIC_ACTIVITY, brand_accounts, brand_messages
from .workspace import Workspace

NO_CAMPAIGN = "(no campaign)"


@dataclass
class RoiLine:
    """Cost, parts, revenue and ROI of one platform, one campaign, or the total."""

    key: str
    cost: float = 0.0
    parts: dict[str, float] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0.0))
    shared_cost: float = 0.0  # the part of `cost` that is this line's share of shared rows
    hours: float = 0.0  # staff hours behind the cost (shared hours by the same share)
    revenue: float = 0.0
    conversions: float = 0.0

    @property
    def roi(self) -> float | None:
        return None if self.cost == 0 else (self.revenue - self.cost) / self.cost

    def to_dict(self) -> dict[str, Any]:
        roi = self.roi
        return {
            "cost": _money(self.cost),
            **{part_key(c): _money(v) for c, v in self.parts.items()},
            "shared_cost": _money(self.shared_cost),
            "hours": round(self.hours, 2),
            "revenue": _money(self.revenue),
            "conversions": round(self.conversions, 2),
            "roi": None if roi is None else round(roi, 4),
        }


@dataclass
class RoiReport:
    currency: str | None
    since: date | None
    until: date | None
    platforms: list[RoiLine]
    campaigns: list[RoiLine]
    total: RoiLine
    unmapped: list[dict[str, Any]]  # {source, conversions, revenue} of unmapped UTM sources
    split: list[dict[str, Any]]  # per month: shared amount, basis, shares by platform
    notes: list[str]
    cost_rows: int
    conversion_rows: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "cost_rows": self.cost_rows,
            "conversion_rows": self.conversion_rows,
            "total": self.total.to_dict(),
            "platforms": {line.key: line.to_dict() for line in self.platforms},
            "campaigns": {line.key: line.to_dict() for line in self.campaigns},
            "unmapped": self.unmapped,
            "split": self.split,
            "notes": self.notes,
        }


def part_key(category: str) -> str:
    """The JSON name of a category's part: staff_cost, ad_cost, tools_cost, ..."""
    return "ad_cost" if category == "ads" else f"{category}_cost"


def _money(value: float) -> float:
    return round(value, 2)


def ledger_currency(ws: Workspace, config: Config) -> str | None:
    """The one currency of the ledgers; an InputError names the first row in another one."""
    stored = ws.currencies()
    configured = config.brand.currency
    if configured is not None:
        for code, source, row in stored:
            if code != configured:
                raise InputError(
                    source,
                    f"expected {configured} ([brand] currency in socialaudit.toml), got {code!r}; "
                    "re-import this ledger with amounts in "
                    f"{configured}, or set [brand] currency back",
                    line=row,
                    field="currency",
                )
        return configured
    codes = sorted({code for code, _, _ in stored})
    if len(codes) > 1:
        first = {code: (source, row) for code, source, row in reversed(stored)}
        source, row = first[codes[1]]
        raise InputError(
            source,
            f"the ledgers mix {' and '.join(codes)}; set [brand] currency in socialaudit.toml "
            "and re-import them in that currency",
            line=row,
            field="currency",
        )
    return codes[0] if codes else None


def _period(t: ibis.Table, since: date | None, until: date | None) -> ibis.Table:
    if since is not None:
        t = t.filter(t.date >= since)
    if until is not None:
        t = t.filter(t.date <= until)
    return t


def compute_roi(
    ws: Workspace,
    config: Config | None = None,
    *,
    since: date | None = None,
    until: date | None = None,
) -> RoiReport:
    """ROI per platform and per campaign over [since, until] (docs/roi.md has the method)."""
    config = config or load_config(ws.config_path)
    currency = ledger_currency(ws, config)
    costs = _period(ws.table("costs"), since, until)
    costs = costs.mutate(
        cost=costs.amount.fill_null(0.0) + (costs.hours * costs.hourly_rate).fill_null(0.0),
        hours=costs.hours.fill_null(0.0),
        month=costs.date.truncate("M"),
    )
    conv = _period(ws.table("conversions"), since, until)
    conv = conv.mutate(revenue=conv.revenue.fill_null(0.0))
    notes: list[str] = []

    own = ws.arrow(
        costs.filter(costs.platform.notnull())
        .group_by(["platform", "category"])
        .aggregate(cost=_.cost.sum(), hours=_.hours.sum())
    ).to_pylist()
    mapped = ws.arrow(
        conv.filter(conv.platform.notnull())
        .group_by("platform")
        .aggregate(revenue=_.revenue.sum(), conversions=_.conversions.sum())
    ).to_pylist()
    unmapped = ws.arrow(
        conv.filter(conv.platform.isnull())
        .group_by(conv.source_name.name("source"))
        .aggregate(conversions=_.conversions.sum(), revenue=_.revenue.sum(), rows=_.count())
        .order_by(ibis.desc("revenue"))
    ).to_pylist()
    brand = brand_messages(ws, config, PUBLIC_ACTIVITY, brand_accounts(ws, config))
    allocated, split = _split_shared(ws, brand, costs, own, mapped, notes)

    lines: dict[str, RoiLine] = {}

    def line(key: str) -> RoiLine:
        return lines.setdefault(key, RoiLine(key))

    for r in own:
        ln = line(r["platform"])
        ln.cost += r["cost"]
        ln.parts[r["category"]] += r["cost"]
        ln.hours += r["hours"]
    for r in allocated:
        ln = line(r["platform"])
        ln.cost += r["cost"]
        ln.shared_cost += r["cost"]
        ln.parts[r["category"]] += r["cost"]
        ln.hours += r["hours"]
    for r in mapped:
        ln = line(r["platform"])
        ln.revenue += r["revenue"]
        ln.conversions += r["conversions"]
    platforms = [lines[k] for k in sorted(lines)]

    campaigns = _campaigns(ws, costs, conv)
    total = RoiLine("total")
    for r in ws.arrow(
        costs.group_by("category").aggregate(cost=_.cost.sum(), hours=_.hours.sum())
    ).to_pylist():
        total.cost += r["cost"]
        total.parts[r["category"]] += r["cost"]
        total.hours += r["hours"]
    total.shared_cost = sum(m["amount"] for m in split)
    for r in mapped:
        total.revenue += r["revenue"]
        total.conversions += r["conversions"]

    cost_rows = _count(ws, costs)
    conversion_rows = _count(ws, conv)
    if cost_rows == 0:
        notes.append("no costs recorded in this period: import a costs CSV (docs/roi.md)")
    if conversion_rows == 0:
        notes.append(
            "no conversions recorded in this period: import a conversions CSV from web analytics"
        )
    for u in unmapped:
        notes.append(
            f"UTM source {u['source']!r} maps to no platform: {u['conversions']:g} conversions, "
            f"{u['revenue']:.2f} revenue counted for no platform"
        )
    return RoiReport(
        currency=currency,
        since=since,
        until=until,
        platforms=platforms,
        campaigns=campaigns,
        total=total,
        unmapped=[
            {
                "source": u["source"],
                "conversions": u["conversions"],
                "revenue": _money(u["revenue"]),
                "rows": u["rows"],
            }
            for u in unmapped
        ],
        split=split,
        notes=notes,
        cost_rows=cost_rows,
        conversion_rows=conversion_rows,
    )


def _count(ws: Workspace, t: ibis.Table) -> int:
    return int(ws.arrow(t.aggregate(n=_.count()))["n"][0].as_py())


def _split_shared(
    ws: Workspace,
    published: ibis.Table,
    costs: ibis.Table,
    own: list[dict[str, Any]],
    mapped: list[dict[str, Any]],
    notes: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Shared rows, split by the brand's message share per month (or equally, see module doc).

    Returns the allocated rows {platform, category, cost, hours} and, per month, what was split
    and on which basis.
    """
    shared = costs.filter(costs.platform.isnull())
    brand = (
        published.mutate(month=published.created_at.date().truncate("M"))
        .group_by(["month", "platform"])
        .aggregate(n=_.count())
    )
    brand = brand.mutate(share=brand.n / brand.n.sum().over(group_by="month"))
    by_share = ws.arrow(
        shared.join(brand, "month")
        .group_by([brand.platform, shared.category])
        .aggregate(cost=(_.cost * _.share).sum(), hours=(_.hours * _.share).sum())
    ).to_pylist()

    months = ws.arrow(
        shared.group_by("month").aggregate(amount=_.cost.sum()).order_by("month")
    ).to_pylist()
    if not months:
        return by_share, []
    month_shares: dict[date, dict[str, float]] = defaultdict(dict)
    for r in ws.arrow(brand.filter(brand.month.isin([m["month"] for m in months]))).to_pylist():
        month_shares[r["month"]][r["platform"]] = r["share"]

    # The fallback basis for months in which the brand wrote nothing.
    fallback = sorted({r["platform"] for r in own} | {r["platform"] for r in mapped})
    basis = "equal across platforms with costs or conversions"
    if not fallback:
        fallback = sorted(ws.arrow(published.select("platform").distinct())["platform"].to_pylist())
        basis = "equal across platforms the brand writes on"
    empty_months = [m["month"] for m in months if m["month"] not in month_shares]
    by_equal: list[dict[str, Any]] = []
    if empty_months and fallback:
        weights = ibis.memtable(
            pa.table({"platform": fallback, "w": [1.0 / len(fallback)] * len(fallback)})
        )
        rest = shared.filter(shared.month.isin(empty_months))
        by_equal = ws.arrow(
            rest.cross_join(weights)
            .group_by([weights.platform, rest.category])
            .aggregate(cost=(_.cost * _.w).sum(), hours=(_.hours * _.w).sum())
        ).to_pylist()

    split = []
    for m in months:
        month = m["month"]
        entry: dict[str, Any]
        if month in month_shares:
            entry = {"basis": "brand messages", "shares": month_shares[month]}
        elif fallback:
            entry = {"basis": basis, "shares": dict.fromkeys(fallback, 1.0 / len(fallback))}
            notes.append(
                f"{month:%Y-%m}: the brand wrote no messages, so {m['amount']:.2f} of shared costs "
                f"was split equally across {', '.join(fallback)}"
            )
        else:
            entry = {"basis": "unallocated", "shares": {}}
            notes.append(
                f"{month:%Y-%m}: {m['amount']:.2f} of shared costs has no platform to go to "
                "(no brand messages, no platform costs or conversions): counted in the total only"
            )
        split.append(
            {
                "month": f"{month:%Y-%m}",
                "amount": _money(m["amount"]),
                "basis": entry["basis"],
                "shares": {p: round(s, 4) for p, s in sorted(entry["shares"].items())},
            }
        )
    return by_share + by_equal, split


def _campaigns(ws: Workspace, costs: ibis.Table, conv: ibis.Table) -> list[RoiLine]:
    lines: dict[str, RoiLine] = {}
    for r in ws.arrow(
        costs.group_by(
            [costs.campaign.fill_null(NO_CAMPAIGN).name("campaign"), "category"]
        ).aggregate(
            cost=_.cost.sum(),
            hours=_.hours.sum(),
            shared=_.platform.isnull().ifelse(_.cost, 0.0).sum(),
        )
    ).to_pylist():
        ln = lines.setdefault(r["campaign"], RoiLine(r["campaign"]))
        ln.cost += r["cost"]
        ln.shared_cost += r["shared"]
        ln.parts[r["category"]] += r["cost"]
        ln.hours += r["hours"]
    for r in ws.arrow(
        conv.filter(conv.platform.notnull())
        .group_by(conv.campaign.fill_null(NO_CAMPAIGN).name("campaign"))
        .aggregate(revenue=_.revenue.sum(), conversions=_.conversions.sum())
    ).to_pylist():
        ln = lines.setdefault(r["campaign"], RoiLine(r["campaign"]))
        ln.revenue += r["revenue"]
        ln.conversions += r["conversions"]
    # Named campaigns by name, the catch-all line last.
    return sorted(lines.values(), key=lambda ln: (ln.key == NO_CAMPAIGN, ln.key))
