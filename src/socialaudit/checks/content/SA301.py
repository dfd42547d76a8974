"""SA301 sales-pitch-overload: a feed of offers and launches."""

from __future__ import annotations

from typing import Any

from ...model import ContentType, Verdict
from ..base import YEAR_WINDOW, Option
from .mix import MIN_POSTS, ContentShare


class SalesPitchOverload(ContentShare):
    """Too large a share of the brand's posts sells: offers, ads, product announcements."""

    code = "SA301"
    name = "sales-pitch-overload"
    area = "content"
    severity = "high"
    seeds = ("001", "003", "004")
    types = (ContentType.PROMOTION, ContentType.ANNOUNCEMENT)
    label = "sales pitches"
    options = (
        Option(
            "warn_share",
            0.3,
            "When nearly a third of the feed asks for money, followers start to read the brand as "
            "an advert (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.5,
            "Half the posts selling means the account is a catalogue, not a conversation "
            "(rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "count_announcements",
            True,
            "Product announcements push the product as surely as offers do (rulebook: 'product "
            "announcements'); set false when announcements are mostly news for customers.",
            type=bool,
        ),
        YEAR_WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

The share of the brand's original posts that sell: offers, discounts, ads and calls to buy
(content type `promotion`) and product announcements (`announcement`, unless
`count_announcements` is false), among the posts of the last `window_days`. Reposts, replies and
direct messages are left out: they are not what the brand chose to publish.

## Why it matters

People follow a brand for something else than more adverts. A feed of offers and launches
is seen by many and read by few: deals have their place, but they cannot replace a reason to
come back, and a steady stream of them teaches followers to scroll past.

## Example

Of 40 posts in the last year, 18 are offers and 5 announce a product: 23 of 40 (58 %) is over
50 %, so the check fails and lists the newest of those posts.
"""
    advice = (
        "Cut the share of selling posts below a third: for every offer, publish posts that help, "
        "entertain or ask your customers something, and keep announcements for real news."
    )

    def matched_types(self, opts: dict[str, Any]) -> tuple[str, ...]:
        return self.types if opts["count_announcements"] else (ContentType.PROMOTION,)

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if ratio > opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if ratio > opts["warn_share"] else Verdict.PASS
