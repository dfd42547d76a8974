"""Plan and organisation (SA6xx): what no export shows, asked as a self-assessment.

The answers live in `[self_assessment]` of socialaudit.toml, keyed by code or name, `true` when
the good practice is in place:

```toml
[self_assessment]
SA601 = true          # or: no-plan = true
wrong-people = false
```

A missing answer is `unknown`, never `pass`: the audit does not assume what it was not told.
Where the data can say something too (SA601: the share of posts published by a scheduler), the
figure is reported beside the answer.
"""

from __future__ import annotations

from typing import Any

from ..model import Verdict
from ..vocabulary import OWN_WORDS, needs, share
from .base import AuditContext, Check, Finding


class _SelfAssessed(Check):
    requires = ("self_assessment",)
    question: str = ""
    yes: str = ""  # the message when the answer is yes
    no: str = ""  # the message when the answer is no

    def answer(self, ctx: AuditContext) -> tuple[bool | None, str | None]:
        """The answer and the key it was given under (code or name, any case)."""
        wanted = {self.code.lower(), self.name.lower()}
        for key, value in ctx.config.self_assessment.items():
            if key.strip().lower() in wanted:
                return value, key
        return None, None

    def figures(self, ctx: AuditContext) -> tuple[dict[str, Any], list[str]]:
        return {}, []

    def missing(self, ctx: AuditContext, lacking: list[str]) -> Finding:
        # No answer at all is still worth a finding that asks the question, with what the data
        # can say beside it.
        return self.run(ctx, self.opts)

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        value, key = self.answer(ctx)
        figures, notes = self.figures(ctx)
        if value is None:
            finding = self.unknown(
                f"not answered: {self.question} Answer it in [self_assessment] of socialaudit.toml "
                f"({self.code} = true or false)",
                needs("self_assessment"),
            )
            finding.figures = figures
            finding.notes = notes
            return finding
        figures = {"answer": value, **figures}
        return self.finding(
            Verdict.PASS if value else Verdict.FAIL,
            message=self.yes if value else self.no,
            figures=figures,
            notes=[f"self-assessment: {key} = {str(value).lower()}", *notes],
        )


class NoPlan(_SelfAssessed):
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


class WrongPeople(_SelfAssessed):
    code = "SA602"
    name = "wrong-people"
    area = "plan"
    severity = "medium"
    seeds = ("003",)
    question = (
        "Is social media run by people with marketing training, rather than left to interns or "
        "to technical or design staff alone?"
    )
    yes = "social media is run by people with marketing training (self-assessment)"
    no = "social media is left to people without marketing training (self-assessment)"
    doc = """
## What it detects

Social media handed to the wrong people. The audit asks (key `SA602` or `wrong-people`): is it run
by people with marketing training, not left to interns, or to technical or design staff alone?
`true` passes, `false` fails, no answer is `unknown`. No export can show who holds the account.

## Why it matters

Knowing how to open an account is not knowing how to market. Young staff who live on social
networks, and engineers or designers who build good pages, often know little of customers,
branding and turning attention into sales; social media is marketing, and needs people trained
in it.

## Example

`[self_assessment] wrong-people = false`: the check fails and says so beside the measured checks.
"""
    advice = (
        "Give social media to someone trained in marketing, with the time to do it; interns and "
        "technical staff can help, but under a marketer's plan and review."
    )


class SideProject(_SelfAssessed):
    code = "SA603"
    name = "side-project"
    area = "plan"
    severity = "medium"
    seeds = ("004",)
    question = (
        "Does what customers say on social media reach product, service and the rest of the "
        "company, and change what they do?"
    )
    yes = "what customers say on social media reaches the rest of the company (self-assessment)"
    no = (
        "social media is a side project: what customers say there goes no further (self-assessment)"
    )
    doc = """
## What it detects

Social media kept apart from the rest of the company. The audit asks (key `SA603` or
`side-project`): does what customers say there reach product, service and the rest of the
business, and change what they do? `true` passes, `false` fails, no answer is `unknown`.

## Why it matters

A friendly social media team in front of a company that does not listen fools nobody for long.
Customers say on social networks what they want and what goes wrong; when that stays with the
social media team, the business loses its cheapest source of customer insight and the friendliness
rings hollow.

## Example

`[self_assessment] SA603 = true`: the check passes. SA105 (not-listening) lists the recurring
themes in what customers say, to be taken to the people who can act on them.
"""
    advice = (
        "Report what customers say on social media to product and service every month (the top "
        "complaints and requests, see SA105), and tell customers what changed because of it."
    )


def get_checks() -> list[type[Check]]:
    return [NoPlan, WrongPeople, SideProject]
