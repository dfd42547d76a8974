"""The costs ledger: what social media costs, in money and in staff time (docs/roi.md).

    date,platform,category,amount,currency,hours,hourly_rate,note[,campaign]

* `category` is one of staff, ads, tools, agency, content, other;
* a row gives either an `amount`, or `hours` and an `hourly_rate` (its cost is hours × rate),
  never both an amount and a rate (the cost would count twice); `hours` beside an amount is kept
  as information (time spent) and costs nothing more;
* an empty `platform` means shared by every platform (a tool, a salary): `roi` splits it across
  platforms by the brand's messages in the same month;
* `currency` may be empty: the workspace currency applies (see `ledger.check_currency`);
* `campaign` (optional) is the UTM campaign the money was spent on, for ROI per campaign.

A ledger has no natural key, so a row is identified by (file, line): re-importing the file
replaces its rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import model
from ..errors import InputError
from ..workspace import ImportBatch, Workspace
from . import ledger
from .base import ImportOptions

REQUIRED = ("date", "platform", "category", "amount", "currency", "hours", "hourly_rate")
OPTIONAL = ("note", "campaign")
CATEGORIES = model.COST_CATEGORIES


class CostsSource:
    name = "costs"
    description = (
        "costs ledger CSV (date, platform, category, amount, currency, hours, hourly_rate, note)"
    )

    def detect(self, path: Path) -> bool:
        return ledger.header_matches(ledger.header_of(path), REQUIRED, OPTIONAL)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        currency = ledger.FileCurrency(path)
        out = [
            _row(path, line, cells, currency)
            for line, cells in ledger.rows(path, REQUIRED, OPTIONAL)
        ]
        platforms = {r["platform"] for r in out}
        return ImportBatch(
            source=str(path.resolve()),
            format=self.name,
            platform=platforms.pop() if len(platforms) == 1 else None,
            tables={"costs": model.to_table(model.COSTS, out)},
        )

    def check_against(self, ws: Workspace, batch: ImportBatch) -> None:
        """Before writing: the rows must be in the workspace's one currency."""
        ledger.check_currency(ws, batch, "costs")


def _row(
    path: Path, line: int, cells: dict[str, str], currency: ledger.FileCurrency
) -> dict[str, Any]:
    category = cells["category"].lower()
    if category not in CATEGORIES:
        raise InputError(
            path,
            f"expected one of {', '.join(CATEGORIES)}, got {cells['category']!r}",
            line=line,
            field="category",
        )
    amount = ledger.parse_number(cells["amount"], path, line, "amount")
    hours = ledger.parse_number(cells["hours"], path, line, "hours")
    rate = ledger.parse_number(cells["hourly_rate"], path, line, "hourly_rate")
    if amount is not None and rate is not None:
        raise InputError(
            path,
            "expected either an amount or hours × hourly_rate, not both "
            "(the cost would count twice)",
            line=line,
            field="hourly_rate",
        )
    if amount is None and (hours is None or rate is None):
        field = (
            "amount"
            if hours is None and rate is None
            else ("hours" if hours is None else "hourly_rate")
        )
        raise InputError(
            path,
            "expected an amount, or hours and an hourly_rate (staff time), got "
            + ("neither" if field == "amount" else "no " + field),
            line=line,
            field=field,
        )
    return {
        "row": line,
        "date": ledger.parse_date(cells["date"], path, line, "date"),
        "platform": ledger.parse_platform(cells["platform"], path, line),
        "category": category,
        "amount": amount,
        "currency": currency.see(cells["currency"], line),
        "hours": hours,
        "hourly_rate": rate,
        "note": cells.get("note") or None,
        "campaign": cells.get("campaign") or None,
    }


SOURCE = CostsSource()
