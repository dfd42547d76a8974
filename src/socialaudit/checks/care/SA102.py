"""SA102 slow-first-response: how long customers wait for the brand's first answer."""

from __future__ import annotations

from typing import Any

import ibis

from ... import conversation
from ...model import Verdict
from ...units import duration
from ...vocabulary import needs
from ..base import AuditContext, Check, Finding, Option
from .pairs import evidence_rows, handle_names, number, pairs_with_labels, with_account_names


class SlowFirstResponse(Check):
    """How long customers wait for the addressed account's first answer."""

    code = "SA102"
    name = "slow-first-response"
    area = "care"
    severity = "high"
    requires = ("inbound",)
    seeds = ("001", "003")
    options = (
        Option(
            "warn_median_hours",
            1,
            "Most customers who write to a brand expect an answer within the hour.",
            float,
            minimum=0,
        ),
        Option(
            "fail_median_hours",
            4,
            "A typical wait of half a working day means most people gave up.",
            float,
            minimum=0,
        ),
        Option(
            "fail_p90_hours",
            24,
            "One customer in ten waiting more than a day is a backlog, not bad luck.",
            float,
            minimum=0,
        ),
    )
    doc = """
## What it detects

The time from an inbound message to the addressed account's first reply below it in the
thread: median and 90th percentile, overall, per platform and per account. Figures cover every
inbound message addressed to the account (before any intent filtering), so they can be checked
against an independent computation; unanswered messages count in `unanswered`, not in the times.

## Why it matters

An answer that comes the next day answers nobody: the customer has bought elsewhere or told
their friends. Speed is what customers judge first.

## Example

A customer asks at 09:00, the brand answers at 15:30: a 6.5 h first response. If that is the
median, half of the brand's customers wait longer than that.

Better: staff the inbox during the hours customers write, and acknowledge first, solve second.
"""
    advice = (
        "Cut the first-response time: watch the inbox in the hours customers write, answer with "
        "an acknowledgement first and the solution after, and look at the slowest accounts first."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        pairs = pairs_with_labels(ctx)
        overall = conversation.response_figures(pairs).execute().to_dict("records")[0]
        if int(overall["inbound"]) == 0:
            return self.unknown(
                "No inbound messages addressed to the brand in the workspace.", needs("inbound")
            )
        figures = {k: number(overall[k]) for k in conversation.FIGURE_NAMES}
        figures = {
            k: (int(v or 0) if k in ("inbound", "answered", "unanswered") else v)
            for k, v in figures.items()
        }
        names = handle_names(ctx)
        per_account: dict[str, dict[str, Any]] = {}
        per = conversation.response_figures(pairs, ["platform", "brand"]).execute()
        for r in per.to_dict("records"):
            key = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
            per_account[key] = {
                "inbound": int(r["inbound"]),
                "answered": int(r["answered"]),
                "unanswered": int(r["unanswered"]),
                "median_first_response_seconds": number(r["median_first_response_seconds"]),
                "p90_first_response_seconds": number(r["p90_first_response_seconds"]),
            }
        median, p90 = (
            figures["median_first_response_seconds"],
            figures["p90_first_response_seconds"],
        )
        thresholds = {
            "warn_median_seconds": opts["warn_median_hours"] * 3600,
            "fail_median_seconds": opts["fail_median_hours"] * 3600,
            "fail_p90_seconds": opts["fail_p90_hours"] * 3600,
        }
        if median is None:
            return self.finding(
                Verdict.FAIL,
                message=f"None of {figures['inbound']} inbound messages got a reply from the brand.",
                figures=figures,
                thresholds=thresholds,
                per_account=per_account,
            )
        if (
            median > thresholds["fail_median_seconds"]
            or (p90 or 0) > thresholds["fail_p90_seconds"]
        ):
            verdict = Verdict.FAIL
        elif median > thresholds["warn_median_seconds"]:
            verdict = Verdict.WARN
        else:
            verdict = Verdict.PASS
        message = (
            f"Median first response {duration(median)}, 90th percentile {duration(p90)}, "
            f"over {figures['answered']} answered of {figures['inbound']} inbound messages."
        )
        slow = with_account_names(ctx, pairs.filter(pairs.answered))
        evidence = evidence_rows(slow, [ibis.desc(slow.first_response_seconds), slow.id])
        notes = []
        time_only = pairs.filter(pairs.time_only.fill_null(False)).count().execute()
        if time_only:
            notes.append(
                f"{time_only} requests are known only from the brand's replies (an account archive): "
                "their text is not available, and requests the brand never answered are invisible."
            )
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds=thresholds,
            per_account=per_account,
            evidence=evidence,
            evidence_total=int(figures["answered"] or 0),
            notes=notes,
        )
