"""Dated audience counts: how many followers (and followed accounts) the brand had on each day.

    date,platform,account,followers,following

`account` and `following` may be empty (a single account per platform; a network that does not
show whom the page follows). The counts are the history SA506 forecasts follower goals from, and
SA401 reads the following/followers ratio from. A row is identified by (date, platform,
account): a newer file with the same days replaces their counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import model
from ..errors import InputError
from ..workspace import ImportBatch
from . import ledger
from .base import ImportOptions

REQUIRED = ("date", "platform", "followers")
OPTIONAL = ("account", "following")


class AudienceSource:
    name = "audience"
    description = "dated follower counts CSV (date, platform, account, followers, following)"

    def detect(self, path: Path) -> bool:
        return ledger.header_matches(ledger.header_of(path), REQUIRED, OPTIONAL)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        out: list[dict[str, Any]] = []
        seen: dict[tuple, int] = {}
        for line, cells in ledger.rows(path, REQUIRED, OPTIONAL):
            row = _row(path, line, cells)
            key = (row["date"], row["platform"], row["account"])
            if key in seen:
                raise InputError(
                    path,
                    f"expected one count per date, platform and account, but line {seen[key]} "
                    "already gives this one",
                    line=line,
                    field="date",
                )
            seen[key] = line
            out.append(row)
        platforms = {r["platform"] for r in out}
        accounts = {r["account"] for r in out}
        return ImportBatch(
            source=str(path.resolve()),
            format=self.name,
            platform=platforms.pop() if len(platforms) == 1 else None,
            account=accounts.pop() if len(accounts) == 1 else None,
            tables={"audience": model.to_table(model.AUDIENCE, out)},
        )


def _row(path: Path, line: int, cells: dict[str, str]) -> dict[str, Any]:
    platform = ledger.parse_platform(cells["platform"], path, line)
    if platform is None:
        raise InputError(
            path, "expected a platform (x, facebook, ...), got nothing", line=line, field="platform"
        )
    account = cells.get("account", "").removeprefix("@").lower() or None
    return {
        "date": ledger.parse_date(cells["date"], path, line, "date"),
        "platform": platform,
        "account": account,
        "followers": ledger.parse_count(cells["followers"], path, line, "followers", required=True),
        "following": ledger.parse_count(cells.get("following", ""), path, line, "following"),
    }


SOURCE = AudienceSource()
