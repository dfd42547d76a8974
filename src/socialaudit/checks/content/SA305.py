"""SA305 like-bait: contests run to collect likes."""

from __future__ import annotations

from typing import Any

from ...model import ContentType, Verdict
from ..base import YEAR_WINDOW, Option
from .mix import MIN_POSTS, ContentShare


class LikeBait(ContentShare):
    """Contests and giveaways run for likes, follows and shares."""

    code = "SA305"
    name = "like-bait"
    area = "content"
    severity = "low"
    seeds = ("003",)
    types = (ContentType.LIKE_BAIT,)
    label = "like bait posts"
    options = (
        Option(
            "warn_share",
            0.1,
            "An occasional contest is fine; more than one post in ten asking for likes, follows "
            "and shares to win something is chasing numbers (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        YEAR_WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

Contests and giveaways that ask people to like, follow, share or tag friends to win (content type
`like_bait`), as a share of the brand's original posts of the last `window_days`. Reposts,
replies and direct messages are left out.

## Why it matters

Contests run for likes inflate the counts that are easiest to measure and hardest to turn into
sales: the new followers came for the prize, not the brand. Decisions then follow the wrong
number; sentiment, shares that carry the brand's message, and sales say more.

## Example

Of 30 posts, 5 say "like and retweet to win": 17 % is over 10 %, so the check warns.
"""
    advice = (
        "Run fewer like-for-a-prize contests; when you do run one, tie it to something that "
        "matters to the business (a sign-up, a purchase, a review) and measure that, not likes."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        return Verdict.WARN if ratio > opts["warn_share"] else Verdict.PASS
