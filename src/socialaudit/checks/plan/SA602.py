"""SA602 wrong-people: social media handed to the wrong people."""

from __future__ import annotations

from .self_assessment import SelfAssessed


class WrongPeople(SelfAssessed):
    """Social media left to people without marketing training."""

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
