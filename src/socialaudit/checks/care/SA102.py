"""SA102 slow-first-response: how long customers wait for the brand's first answer."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from ... import conversation
from ...model import Verdict
from ...vocabulary import DAY, count, duration, needs
from ..base import AuditContext, Check, Finding, Option, worst
from .pairs import evidence_rows, handle_names, judged_pairs, number, with_account_names


class SlowFirstResponse(Check):
    """How long customers wait for the addressed account's first answer."""

    code = "SA102"
    name = "slow-first-response"
    area = "care"
    severity = "high"
    requires = ("inbound", "brand_posts|acknowledgements")
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
        Option(
            "min_answered",
            10,
            "Below ten answered messages one reply moves the median and a single slow one sets "
            "the 90th percentile: too few to judge an account's habit (the verdict is unknown, "
            "the figures are still shown).",
            type=int,
            minimum=1,
        ),
        Option(
            "stale_after_days",
            30,
            "An answer a month or more after the message is not a late reply to a waiting "
            "customer but a reply to an old message found again (a quoted tweet, a revived "
            "thread; TWCS links 2017 replies to tweets years older): counted in the figures, "
            "never listed as a slowest response.",
            type=int,
            minimum=1,
        ),
    )
    doc = """
## What it detects

The time from an inbound message to the addressed account's first reply below it in the
thread: median and 90th percentile, overall, per platform and per account. Figures cover every
inbound message addressed to the account (before any intent filtering), so they can be checked
against an independent computation; unanswered messages count in `unanswered`, not in the times.

Each account is judged on its own figures and the worst account sets the verdict, naming the
failing ones: a fast account does not excuse a slow one. Below `min_answered` answered messages
an account is `unknown` (its figures still shown): one reply would move its median. An account
archive holds only the customer messages the brand answered, so there the share answered is
true by construction and the finding says so instead of presenting it as a success. Answers
more than `stale_after_days` after the message (a years-old tweet quoted again) count in the
figures but are never listed among the slowest responses.

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
        judged = judged_pairs(ctx, self)
        if isinstance(judged, Finding):
            return judged
        pairs, notes = judged
        overall = conversation.response_figures(pairs).execute().to_dict("records")[0]
        figures = self.figures(overall)
        # An account archive holds the customers' messages only as the parents of the brand's
        # replies: every one of them was answered by construction.
        known_by_reply = int(pairs.filter(pairs.time_only.fill_null(False)).count().execute())
        by_construction = known_by_reply == figures["inbound"]
        thresholds = {
            "min_answered": opts["min_answered"],
            "warn_median_seconds": opts["warn_median_hours"] * 3600,
            "fail_median_seconds": opts["fail_median_hours"] * 3600,
            "fail_p90_seconds": opts["fail_p90_hours"] * 3600,
        }
        names = handle_names(ctx)
        per_account: dict[str, dict[str, Any]] = {}
        verdicts: dict[str, str] = {}
        per = conversation.response_figures(pairs, ["platform", "brand"]).execute()
        for r in per.to_dict("records"):
            key = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
            per_account[key] = self.figures(r)
            verdicts[key] = self.judge(per_account[key], thresholds)
            per_account[key]["verdict"] = verdicts[key]
        if by_construction:
            figures["unanswered"] = None
            for p in per_account.values():
                p["unanswered"] = None
            notes.append(
                f"the {figures['inbound']} customer messages are known only from the brand's "
                "replies to them (an account archive): every one was answered by construction, "
                "and how many the brand never answered cannot be known"
            )
        elif known_by_reply:
            notes.append(
                f"{count(known_by_reply, 'request')} {'is' if known_by_reply == 1 else 'are'} "
                "known only from the brand's replies (an account "
                "archive): their text is not available, and requests the brand never answered "
                "are invisible."
            )
        rated = {k: v for k, v in verdicts.items() if v != "unknown"}
        late = self.late_answers(pairs, opts)
        if late:
            notes.append(
                f"{count(late, 'answer')} came more than {opts['stale_after_days']} days after "
                "the message "
                "(an old message found again: a quoted tweet, a revived thread): counted in the "
                "figures, not listed as slow responses"
            )
        figures["answers_after_stale_days"] = late
        if not rated:
            return self.too_few(figures, thresholds, per_account, notes, opts, by_construction)
        verdict = Verdict(worst(list(rated.values())))
        failing = sorted(k for k, v in rated.items() if v == "fail")
        warning = sorted(k for k, v in rated.items() if v == "warn")
        message = self.message(figures, by_construction)
        if len(per_account) > 1:
            message += f"; judged per account: {len(failing)} of {len(rated)} fail" + (
                f", {len(warning)} warn" if warning else ""
            )
            if failing:
                message += " (" + ", ".join(failing[:5]) + (", …" if len(failing) > 5 else "") + ")"
        message += "."
        small = len(verdicts) - len(rated)
        if small:
            notes.append(
                f"{count(small, 'account')} {'has' if small == 1 else 'have'} fewer than {opts['min_answered']} answered messages: "
                "too few to judge on their own (verdict unknown in per_account)"
            )
        if len(per_account) > 1:
            notes.append(
                "the verdict is the worst of the accounts' own verdicts: an account that keeps "
                "its customers waiting is not excused by the others' speed"
            )
        stale = opts["stale_after_days"] * DAY
        slow = with_account_names(
            ctx, pairs.filter(pairs.answered & (pairs.first_response_seconds <= stale))
        )
        evidence = evidence_rows(slow, [ibis.desc(slow.first_response_seconds), slow.id])
        return self.finding(
            verdict,
            message=message,
            figures=figures,
            thresholds=thresholds,
            per_account=per_account,
            evidence=evidence,
            evidence_total=int(figures["answered"] or 0) - late,
            notes=notes,
        )

    @staticmethod
    def figures(r: dict[str, Any]) -> dict[str, Any]:
        """inbound, answered, unanswered and the median and p90 first response of one group."""
        out = {k: number(r[k]) for k in conversation.FIGURE_NAMES}
        for k in ("inbound", "answered", "unanswered"):
            out[k] = int(out[k] or 0)
        return out

    @staticmethod
    def judge(f: dict[str, Any], thresholds: dict[str, Any]) -> str:
        """One account's (or the whole workspace's) verdict from its own figures: unknown with
        fewer answered messages than the minimum sample."""
        median, p90 = f["median_first_response_seconds"], f["p90_first_response_seconds"]
        if f["answered"] < thresholds["min_answered"] or median is None:
            return "unknown"
        if (
            median > thresholds["fail_median_seconds"]
            or (p90 or 0) > thresholds["fail_p90_seconds"]
        ):
            return "fail"
        if median > thresholds["warn_median_seconds"]:
            return "warn"
        return "pass"

    @staticmethod
    def message(figures: dict[str, Any], by_construction: bool) -> str:
        timing = (
            f"Median first response {duration(figures['median_first_response_seconds'])}, "
            f"90th percentile {duration(figures['p90_first_response_seconds'])}"
        )
        if by_construction:
            return (
                f"{timing}, over the brand's {count(figures['answered'], 'reply', 'replies')} "
                "to customers (the export holds only the messages it answered, so the share "
                "answered is not a figure: every one was)"
            )
        return (
            f"{timing}, over {figures['answered']:,} answered of "
            f"{count(figures['inbound'], 'inbound message')}"
        )

    def too_few(
        self,
        figures: dict[str, Any],
        thresholds: dict[str, Any],
        per_account: dict[str, dict[str, Any]],
        notes: list[str],
        opts: dict[str, Any],
        by_construction: bool,
    ) -> Finding:
        """`unknown` below the minimum sample, with the figures still shown."""
        answered = figures["answered"]
        if answered:
            message = (
                f"Too few answered messages to judge ({answered}; at least "
                f"{opts['min_answered']} per account are needed). "
                f"{self.message(figures, by_construction)}."
            )
        else:
            message = (
                f"None of {figures['inbound']} inbound messages got a reply from the addressed "
                "account, so there is no response time to judge (SA101 judges unanswered "
                "requests)."
            )
        return self.finding(
            Verdict.UNKNOWN,
            message=message,
            figures=figures,
            thresholds=thresholds,
            per_account=per_account,
            notes=notes,
            needs=[
                f"at least {opts['min_answered']} answered customer messages per account: a "
                "longer period of the same exports, or the customers' side of the conversations "
                f"({needs('inbound')[0]})"
            ],
        )

    @staticmethod
    def late_answers(pairs: ir.Table, opts: dict[str, Any]) -> int:
        stale = opts["stale_after_days"] * DAY
        return int(pairs.filter(pairs.first_response_seconds > stale).count().execute())
