"""Conversions from web analytics with UTM tags: what social traffic brought in (docs/roi.md).

    date,source,medium,campaign,conversions,revenue,currency

`source` is the UTM source (or the referrer's host) as exported; it is mapped to a platform with
`platform_of` below. A source that maps to no platform (a newsletter, a search engine) is kept,
with a null platform, and reported at import and by `socialaudit roi`: its revenue counts for no
platform's ROI. Google Analytics' placeholders "(not set)" and "(none)" mean no campaign.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .. import model
from ..errors import InputError
from ..model import Platform
from ..workspace import ImportBatch, Workspace
from . import ledger
from .base import ImportOptions

REQUIRED = ("date", "source", "medium", "campaign", "conversions", "revenue", "currency")
OPTIONAL: tuple[str, ...] = ()

# UTM source (lower case, without "www.") -> platform. Beyond the short names people type in UTM
# tags, the hosts that analytics tools report as referrers for the same networks.
SOURCE_PLATFORMS: dict[str, str] = {
    **dict.fromkeys(("twitter", "x", "t.co", "twitter.com", "x.com"), Platform.X.value),
    **dict.fromkeys(
        ("facebook", "fb", "m.facebook.com", "l.facebook.com", "lm.facebook.com", "facebook.com"),
        Platform.FACEBOOK.value,
    ),
    **dict.fromkeys(
        ("instagram", "ig", "l.instagram.com", "instagram.com"), Platform.INSTAGRAM.value
    ),
    **dict.fromkeys(("linkedin", "lnkd.in", "linkedin.com"), Platform.LINKEDIN.value),
    "mastodon": Platform.MASTODON.value,
    **dict.fromkeys(("bsky", "bluesky", "bsky.app"), Platform.BLUESKY.value),
}
_NO_CAMPAIGN = {"(not set)", "(none)", "(not provided)"}


def platform_of(source: str) -> str | None:
    """The platform a UTM source stands for, or None when it is not a known social network.

    Mastodon has no single host: a source whose first host label is "mastodon"
    (mastodon.social, mastodon.online) counts as Mastodon.
    """
    s = source.strip().lower().removeprefix("www.")
    if s in SOURCE_PLATFORMS:
        return SOURCE_PLATFORMS[s]
    if s.split(".", 1)[0] == "mastodon":
        return Platform.MASTODON.value
    return None


class ConversionsSource:
    name = "conversions"
    description = (
        "conversions CSV from web analytics with UTM "
        "(date, source, medium, campaign, conversions, revenue, currency)"
    )

    def detect(self, path: Path) -> bool:
        return ledger.header_matches(ledger.header_of(path), REQUIRED, OPTIONAL)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        currency = ledger.FileCurrency(path)
        out = [
            _row(path, line, cells, currency)
            for line, cells in ledger.rows(path, REQUIRED, OPTIONAL)
        ]
        unmapped: dict[str, int] = {}
        for r in out:
            if r["platform"] is None:
                unmapped[r["source_name"]] = unmapped.get(r["source_name"], 0) + 1
        skipped = [
            {
                "what": f"conversion rows from source {name!r}",
                "count": count,
                "reason": "not a known social network: kept, but counted in no platform's ROI",
            }
            for name, count in sorted(unmapped.items())
        ]
        return ImportBatch(
            source=str(path.resolve()),
            format=self.name,
            tables={"conversions": model.to_table(model.CONVERSIONS, out)},
            skipped=skipped,
        )

    def check_against(self, ws: Workspace, batch: ImportBatch) -> None:
        """Before writing: the rows must be in the workspace's one currency."""
        ledger.check_currency(ws, batch, "conversions")


def _row(
    path: Path, line: int, cells: dict[str, str], currency: ledger.FileCurrency
) -> dict[str, Any]:
    source = cells["source"]
    if not source:
        raise InputError(
            path, "expected the UTM source (e.g. facebook), got nothing", line=line, field="source"
        )
    campaign = cells["campaign"]
    return {
        "row": line,
        "date": ledger.parse_date(cells["date"], path, line, "date"),
        "source_name": source,
        "medium": cells["medium"] or None,
        "campaign": None if not campaign or campaign.lower() in _NO_CAMPAIGN else campaign,
        "platform": platform_of(source),
        "conversions": ledger.parse_number(
            cells["conversions"], path, line, "conversions", required=True
        ),
        "revenue": ledger.parse_number(cells["revenue"], path, line, "revenue"),
        "currency": currency.see(cells["currency"], line),
    }


SOURCE = ConversionsSource()
