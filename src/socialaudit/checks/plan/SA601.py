"""SA601 no-plan: social media without a written plan."""

from __future__ import annotations

from typing import Any

from ...vocabulary import OWN_WORDS, share
from ..base import AuditContext
from .self_assessment import SelfAssessed


class NoPlan(SelfAssessed):
    """Social media run without a written plan."""

    code = "SA601"
    name = "no-plan"
    area = "plan"
    severity = "medium"
    seeds = ("003",)
    question = (
        "Is there a written social media plan with goals, audiences, networks and a content "
        "calendar?"
    )
    yes = "a written social media plan exists (self-assessment)"
    no = "there is no written social media plan (self-assessment)"
    doc = """
## What it detects

Social media run without a plan. The audit asks (in `[self_assessment]` of socialaudit.toml,
key `SA601` or `no-plan`): is there a written plan with goals, audiences, networks and a content
calendar? `true` passes, `false` fails, no answer is `unknown`. Beside the answer it measures the
share of the brand's messages that a scheduler published, where the exports record it (messages
published ahead of time are a sign of a calendar being kept).

## Why it matters

Without a plan, activity follows whoever has time that day: networks get opened and forgotten,
posts go out without a purpose, and nobody can tell whether it works because nobody said what it
was for. A plan, part of the business's wider strategy, fixes the goals, the audiences and the
channels before anyone posts.

## Example

`[self_assessment] SA601 = false`, and 0 % of 400 posts were scheduled: the check fails and
reports `scheduled_share = 0.0` beside the answer.
"""
    advice = (
        "Write a one-page plan: goals you can measure, the audiences you serve, the one to three "
        "networks where they are, and a content calendar; review it every quarter."
    )

    def figures(self, ctx: AuditContext) -> tuple[dict[str, Any], list[str]]:
        t = ctx.brand_messages(OWN_WORDS)
        t = t.mutate(
            known=t.scheduled.notnull().cast("int64"),
            yes=t.scheduled.fill_null(False).cast("int64"),
        )
        [r] = ctx.rows(t.aggregate(n=t.count(), known=t.known.sum(), yes=t.yes.sum()))
        known = int(r["known"] or 0)
        if not known:
            return {"scheduled_share": None}, [
                "the exports do not say which posts were scheduled, so the calendar is not measured"
            ]
        return {
            "scheduled_share": share(int(r["yes"] or 0), known),
            "messages_with_schedule_info": known,
        }, []
