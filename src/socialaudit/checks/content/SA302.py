"""SA302 personal-posts: private life on the brand account."""

from __future__ import annotations

from typing import Any

from ...model import ContentType, Verdict
from ..base import YEAR_WINDOW, Option
from .mix import ContentShare


class PersonalPosts(ContentShare):
    """Personal, off-brand posts on a brand account."""

    code = "SA302"
    name = "personal-posts"
    area = "content"
    severity = "medium"
    seeds = ("000",)
    types = (ContentType.PERSONAL,)
    label = "personal posts"
    any_counts = True
    options = (
        Option(
            "fail_share",
            0.05,
            "One personal post in twenty is a pattern: someone uses the brand account as their "
            "own (rulebook default; any personal post already warns).",
            minimum=0,
            maximum=1,
        ),
        YEAR_WINDOW,
        Option(
            "min_posts",
            10,
            "The share only fails from ten posts up (one personal post among three is not a "
            "habit yet); any personal post warns however few posts there are.",
            type=int,
            minimum=1,
        ),
    )
    doc = """
## What it detects

Personal, off-brand posts on a brand account: private life, moods, family, weekend plans
(content type `personal`), among the brand's original posts of the last `window_days`. One such
post warns; a share over `fail_share` fails, from `min_posts` posts up. Reposts, replies and
direct messages are left out.

## Why it matters

A brand account speaks for the business. Posts about someone's private life add nothing to the
brand, confuse followers about who is talking, and are a step away from the post that embarrasses
the company. Whoever runs the account needs a separate one for themselves.

## Example

Among 60 posts, "so tired after the kids' party lol" and one more are personal: 2 of 60 (3 %)
warns, with both posts as evidence.
"""
    advice = (
        "Keep personal posts on personal accounts: delete or archive the ones on the brand "
        "account, and make sure whoever posts for the brand uses a separate login or profile."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if total >= opts["min_posts"] and ratio > opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if matched else Verdict.PASS
