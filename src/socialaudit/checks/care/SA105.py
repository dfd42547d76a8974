"""SA105 not-listening: a brand that talks far more than it listens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ibis.expr.types as ir

from ...capabilities import YES
from ...model import Verdict
from ...vocabulary import OWN_WORDS, iso, needs
from ..base import AuditContext, Check, Finding, Option
from .pairs import pairs_with_labels
from .themes import recurring_themes


class NotListening(Check):
    """A brand that says far more than the customer messages it answers."""

    code = "SA105"
    name = "not-listening"
    area = "care"
    severity = "medium"
    requires = ("inbound", "brand_posts")
    seeds = ("003",)
    options = (
        Option(
            "warn_ratio",
            3.0,
            "Saying more than three things for every customer message answered is talking "
            "more than listening (rulebook default).",
            minimum=0,
        ),
        Option(
            "top_themes",
            10,
            "Ten recurring themes fit on one screen and cover what most customers raise.",
            type=int,
            minimum=1,
            maximum=50,
        ),
        Option(
            "warn_theme_answered_share",
            0.5,
            "When fewer than half the messages of a recurring theme were answered, customers "
            "keep raising it and the brand keeps not hearing it.",
            minimum=0,
            maximum=1,
        ),
        Option(
            "min_theme_messages",
            3,
            "A theme needs at least three separate messages to be recurring rather than one "
            "customer's story.",
            type=int,
            minimum=2,
            threshold=True,
        ),
    )
    doc = """
## What it detects

A brand that talks far more than it listens. Over the period the inbound messages cover (from
the oldest message addressed to the brand to the audit date), it compares what the brand said
(its public posts, replies and comments) with the inbound messages it answered, and warns when
the brand said more than `warn_ratio` times as much. It always lists the recurring themes of
customers' questions and complaints: the words and word pairs found in the most separate
messages (function words, @mentions, links and the brand's own handles left out), each with how
many messages raised it, how many were answered, and example message ids; a recurring theme
mostly left unanswered warns too.

Inbound messages, answers and their addressing are those of SA101 (conversation.py).

## Why it matters

What customers write to a brand is free market research: the same request or complaint coming
back week after week points at a product, a process or a promise to fix. A brand that mostly
broadcasts misses it; one that listens improves, and can show customers it heard them.

## Example

In March the brand published 240 messages and answered 40 of 300 inbound requests: 6 messages
per answer is over 3, so the check warns. The top themes are "refund" (45 messages, 8 answered),
"delivery late" (31, 2 answered) and "app crash" (12, 10 answered).
"""
    advice = (
        "Listen before you post: answer what customers raise, take the recurring complaints and "
        "requests to the people who can fix them, and tell customers what changed."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        pairs = pairs_with_labels(ctx)
        # One row per inbound message, answered when any addressed brand account answered it.
        inbound = pairs.group_by(["platform", "id"]).aggregate(
            answered=pairs.answered.any(),
            request=(pairs.is_question | pairs.is_complaint).any(),
            text=pairs.text.arbitrary(),
            created_at=pairs.created_at.min(),
            time_only=pairs.time_only.fill_null(False).any(),
        )
        [stats] = ctx.rows(
            inbound.aggregate(
                n=inbound.count(),
                answered=inbound.answered.cast("int64").sum(),
                requests=inbound.request.cast("int64").sum(),
                first=inbound.created_at.min(),
                time_only=inbound.time_only.cast("int64").sum(),
            ),
        )
        if not stats["n"]:
            return self.unknown(
                "no inbound message addressed to the brand in the workspace", needs("inbound")
            )
        out = self.outbound(ctx, stats["first"])
        outbound = int(ctx.scalar(out.count()))
        answered = int(stats["answered"] or 0)
        ratio = None if not answered else outbound / answered
        themes = recurring_themes(ctx, inbound.filter(inbound.request), opts)
        neglected = [
            th
            for th in themes
            if th["messages"] >= opts["min_theme_messages"]
            and th["answered"] / th["messages"] < opts["warn_theme_answered_share"]
        ]
        verdict = Verdict.PASS
        # A dataset slice holds only the sampled conversations: the brand's messages in it are
        # its replies, so talking more than listening cannot show there.
        sampled = ctx.capabilities.get("timeline") != YES
        if not sampled and (
            (ratio is None and outbound > 0) or (ratio is not None and ratio > opts["warn_ratio"])
        ):
            verdict = Verdict.WARN
        if neglected:
            verdict = Verdict.WARN
        return self.finding(
            verdict,
            message=self.message(stats, outbound, answered, ratio, themes, neglected),
            figures={
                "outbound": outbound,
                "inbound": int(stats["n"]),
                "inbound_answered": answered,
                "inbound_requests": int(stats["requests"] or 0),
                "outbound_per_answer": None if ratio is None else round(ratio, 3),
                "themes": len(themes),
                "neglected_themes": len(neglected),
            },
            per_account=self.per_account(ctx, pairs, out),
            evidence=[{**th, "kind": "theme"} for th in themes],
            notes=self.notes(stats, themes)
            + (
                [
                    "outbound per answer not judged: the brand's messages come from a dataset "
                    "slice (TWCS-style), which holds only the conversations sampled into it, so "
                    "they are mostly replies by construction; the recurring themes are judged"
                ]
                if sampled
                else []
            ),
        )

    def outbound(self, ctx: AuditContext, first: datetime) -> ir.Table:
        """What the brand said in public over the period the inbound messages cover."""
        out = ctx.brand_messages(OWN_WORDS)
        out = ctx.dates.with_end(out, out.acct)
        out = out.filter(out.ts >= int(first.timestamp()), out.ts <= out.audit_ts)
        return out.drop("audit_ts")

    def per_account(
        self, ctx: AuditContext, pairs: ir.Table, out: ir.Table
    ) -> dict[str, dict[str, Any]]:
        """Inbound, answered and outbound per brand account, and outbound per answer."""
        per_account: dict[str, dict[str, Any]] = {}
        acct_pairs = pairs.group_by(acct=pairs.platform.concat(":", pairs.brand)).aggregate(
            inbound=pairs.count(), answered=pairs.answered.cast("int64").sum()
        )
        for a in ctx.rows(acct_pairs):
            per_account[a["acct"]] = {
                "inbound": int(a["inbound"]),
                "answered": int(a["answered"] or 0),
            }
        for a in ctx.rows(out.group_by(acct=out.acct.lower()).aggregate(n=out.count())):
            per_account.setdefault(a["acct"], {"inbound": 0, "answered": 0})["outbound"] = int(
                a["n"]
            )
        # Conversations match handles in lower case; report them as the accounts spell them.
        spelled = {f"{p}:{h.lower()}": f"{p}:{h}" for p, h in ctx.brand_accounts}
        per_account = {spelled.get(k, k): v for k, v in per_account.items()}
        for p in per_account.values():
            p.setdefault("outbound", 0)
            p["outbound_per_answer"] = (
                None if not p["answered"] else round(p["outbound"] / p["answered"], 2)
            )
        return per_account

    def message(
        self,
        stats: dict[str, Any],
        outbound: int,
        answered: int,
        ratio: float | None,
        themes: list[dict[str, Any]],
        neglected: list[dict[str, Any]],
    ) -> str:
        parts = [
            f"the brand published {outbound:,} messages and answered {answered:,} of "
            f"{stats['n']:,} inbound messages since {iso(stats['first'], whole_seconds=True)}"
            + (f" ({ratio:.1f} per answer)" if ratio is not None else "")
        ]
        if themes:
            parts.append(
                "top themes: " + ", ".join(f"{th['theme']} ({th['messages']})" for th in themes[:5])
            )
        if neglected:
            parts.append(f"{len(neglected)} recurring themes mostly unanswered")
        return "; ".join(parts)

    def notes(self, stats: dict[str, Any], themes: list[dict[str, Any]]) -> list[str]:
        notes = [
            "themes: the words and word pairs found in the most separate inbound questions and "
            "complaints; a word is dropped when a chosen pair containing it covers half its "
            "messages"
        ]
        if stats["time_only"]:
            notes.append(
                f"{stats['time_only']} inbound messages are known only from the brand's replies to "
                "them (an account archive): inbound the brand never answered is invisible, and "
                "their text is unknown, so themes cannot come from them"
            )
        if not themes:
            notes.append(
                "no recurring theme: no inbound question or complaint shares a word with another"
            )
        return notes
