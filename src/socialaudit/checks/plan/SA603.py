"""SA603 side-project: what customers say goes no further."""

from __future__ import annotations

from .self_assessment import SelfAssessed


class SideProject(SelfAssessed):
    """Social media kept apart from the rest of the company."""

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
