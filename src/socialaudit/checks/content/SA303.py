"""SA303 no-expertise-shared: a feed that never teaches anything."""

from __future__ import annotations

from typing import Any

from ...model import ContentType, Verdict
from ..base import YEAR_WINDOW, Option
from .mix import MIN_POSTS, ContentShare


class NoExpertiseShared(ContentShare):
    """Too few posts that teach, advise or share what the business knows."""

    code = "SA303"
    name = "no-expertise-shared"
    area = "content"
    severity = "medium"
    seeds = ("004",)
    types = (ContentType.EXPERTISE,)
    label = "expertise posts"
    options = (
        Option(
            "warn_share",
            0.2,
            "Under one post in five that teaches something, the feed gives people little reason "
            "to follow beyond the products (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.05,
            "Under one in twenty, the brand shares next to none of what it knows (rulebook "
            "default).",
            minimum=0,
            maximum=1,
        ),
        YEAR_WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

The share of the brand's original posts that teach, advise or share insight: how-tos, tips,
guides, explanations (content type `expertise`), among the posts of the last `window_days`. Too
small a share warns or fails. Reposts, replies and direct messages are left out; answers to
customers' questions count under the care checks.

## Why it matters

A business knows things its customers would like to know. Sharing that know-how, even when it
sells nothing today, helps people solve problems and makes the brand the one they think of first;
it is where most companies fall short, and it is what sets a brand apart from its adverts.

## Example

Of 50 posts, 2 are tips or how-tos: 4 % is under 5 %, so the check fails.
"""
    advice = (
        "Publish what you know: at least one post in five should teach something (a tip, a "
        "how-to, an answer to a question customers often ask), even when it sells nothing today."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if ratio < opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if ratio < opts["warn_share"] else Verdict.PASS
