"""Conversation and care, the brand's side (SA104, SA105): does the brand talk *with* its
customers, and does it listen more than it talks?

SA101-SA103 (checks/care.py) judge what happens to each inbound message; these two judge the
brand's own balance. SA104 needs only the brand's messages; SA105 reads the same addressed-pairs
relation as SA101-SA103 (`conversation.addressed_pairs`, shared once per audit through
`care.pairs_with_labels`).
"""

from __future__ import annotations

from typing import Any

import ibis
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from ..model import ContentType, Verdict
from ..urls import LINK
from ..vocabulary import DAY, OWN_WORDS, iso, needs, share
from ._brand import labelled, message_evidence
from .base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option

WINDOW = Option(
    "window_days",
    365,
    "A year covers quiet and busy seasons and is still about the brand's current habits; 0 takes "
    "the whole history.",
    type=int,
    minimum=0,
)


class TalkingAtCustomers(Check):
    code = "SA104"
    name = "talking-at-customers"
    area = "care"
    severity = "medium"
    requires = ("brand_posts",)
    seeds = ("000", "001", "004")
    options = (
        Option(
            "warn_share",
            0.3,
            "Under three messages in ten that answer someone or ask them something, the account "
            "is mostly a loudspeaker (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.1,
            "Under one in ten, the brand does not converse at all (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "min_messages",
            10,
            "Below ten messages one reply more or less moves the share by ten points: too few to "
            "judge a habit.",
            type=int,
            minimum=1,
        ),
        WINDOW,
    )
    doc = """
## What it detects

A brand that only broadcasts. Of everything the brand wrote in public in the last
`window_days` (posts, replies and comments), the share that is conversational: replies and
comments to *other people* (a reply to the brand's own post, as in a thread, is not a
conversation), and posts that start one by asking the audience something (content type
`engagement`: questions to followers, polls, "tell us"). Reposts and direct messages are left out:
a repost is not the brand speaking, and a direct message is not seen by the audience.

The figures include posts per reply to others, the ratio the Sprout Social Index reports for
brands (about 4 posts per reply in 2015, see research/anchors.md b2).

## Why it matters

Social networks are two-way. A brand that pushes announcements at people and never joins the
conversation gets little back and fades among everything else competing for attention; customers
want to be talked with, as equals, not talked at.

## Example

Of 120 messages in the last year, 9 are replies to customers and 3 ask followers a question:
12 of 120 (10 %) is under 30 %, so the check warns, and lists the newest one-way posts.
"""
    advice = (
        "Turn broadcasts into conversations: reply to people who mention or comment, ask your "
        "followers questions and act on the answers, and aim for at least a third of your "
        "messages to be replies or questions."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        ref = ctx.as_of
        t = ctx.brand_messages(OWN_WORDS)
        scope = "all messages"
        if ref is not None:
            end = int(ref.timestamp())
            t = t.filter(t.ts <= end)
            scope = f"messages up to {iso(ref)}"
            if opts["window_days"]:
                t = t.filter(t.ts > end - int(opts["window_days"]) * DAY)
                scope = f"messages in the {opts['window_days']} days up to {iso(ref)}"
        total = int(ctx.scalar(t.count()))
        if total < opts["min_messages"]:
            return self.unknown(
                f"{total} public messages the brand wrote itself in scope ({scope}); at least "
                f"{opts['min_messages']} are needed",
                needs("brand_posts"),
            )
        m = ctx.table("messages")
        parents = m.select(p_platform=m.platform, p_id=m.id, p_brand=m.from_brand.fill_null(False))
        t = labelled(ctx, t)
        t = t.left_join(parents, [t.platform == parents.p_platform, t.in_reply_to == parents.p_id])
        is_reply = t.kind.isin(["reply", "comment"]) & t.in_reply_to.notnull()
        self_thread = is_reply & t.p_brand.fill_null(False)
        to_others = is_reply & ~t.p_brand.fill_null(False)
        starter = ~is_reply & (t.content_type == ContentType.ENGAGEMENT).fill_null(False)
        t = t.mutate(
            to_others=to_others.cast("int64"),
            starter=starter.cast("int64"),
            self_thread=self_thread.cast("int64"),
            is_post=(t.kind == "post").cast("int64"),
            conv=(to_others | starter).cast("int64"),
        )
        [r] = ctx.rows(
            t.aggregate(
                n=t.count(),
                to_others=t.to_others.sum(),
                starters=t.starter.sum(),
                self_thread=t.self_thread.sum(),
                posts=t.is_post.sum(),
                conv=t.conv.sum(),
            ),
        )
        conv = int(r["conv"])
        ratio = conv / total
        verdict = Verdict.PASS
        if ratio < opts["fail_share"]:
            verdict = Verdict.FAIL
        elif ratio < opts["warn_share"]:
            verdict = Verdict.WARN
        per_account = {
            a["acct"]: {
                "messages": int(a["n"]),
                "conversational": int(a["conv"]),
                "conversational_share": share(int(a["conv"]), int(a["n"])),
            }
            for a in ctx.rows(t.group_by("acct").aggregate(n=t.count(), conv=t.conv.sum()))
        }
        broadcasts = t.filter((t.conv == 0) & (t.self_thread == 0))
        evidence, n = message_evidence(ctx, broadcasts) if verdict != Verdict.PASS else ([], 0)
        replies = int(r["to_others"])
        return self.finding(
            verdict,
            message=(
                f"{conv} of {total} messages ({ratio:.0%}) are replies to others or questions to "
                f"the audience"
            ),
            figures={
                "messages": total,
                "conversational": conv,
                "conversational_share": round(ratio, 4),
                "replies_to_others": replies,
                "conversation_starters": int(r["starters"]),
                "self_thread_replies": int(r["self_thread"]),
                "posts_per_reply": None if not replies else round(int(r["posts"]) / replies, 2),
            },
            thresholds={"warn_share": opts["warn_share"], "fail_share": opts["fail_share"]},
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=[f"judged on {scope}; reposts and direct messages are not counted"],
        )


# Words that say nothing about what a customer wants: English function words (scikit-learn's
# list) plus the filler of social media messages. Kept here because only SA105 groups themes.
THEME_STOPWORDS = frozenset(ENGLISH_STOP_WORDS) | {
    "i'm",
    "im",
    "it's",
    "its",
    "don't",
    "dont",
    "can't",
    "cant",
    "won't",
    "didn't",
    "doesn't",
    "isn't",
    "i've",
    "i'd",
    "you're",
    "they're",
    "that's",
    "there's",
    "what's",
    "let",
    "just",
    "like",
    "got",
    "get",
    "getting",
    "really",
    "still",
    "now",
    "today",
    "yesterday",
    "day",
    "days",
    "time",
    "hi",
    "hey",
    "hello",
    "pls",
    "plz",
    "please",
    "thanks",
    "thank",
    "thx",
    "lol",
    "amp",
    "via",
    "dm",
    "u",
    "ur",
    "ok",
    "yes",
    "yeah",
    "know",
    "want",
    "going",
    "make",
    "way",
    "one",
    "guys",
    "help",
    "need",
    "tell",
    "said",
    "say",
    "did",
    "does",
    "doing",
}
TOKEN_SPLIT = r"[^a-z0-9']+"
CLEAN = r"(@[A-Za-z0-9_.@-]+|" + LINK + r"|#)"


class NotListening(Check):
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
            "min_theme_messages",
            3,
            "A theme needs at least three separate messages to be recurring rather than one "
            "customer's story.",
            type=int,
            minimum=2,
        ),
        Option(
            "warn_theme_answered_share",
            0.5,
            "When fewer than half the messages of a recurring theme were answered, customers "
            "keep raising it and the brand keeps not hearing it.",
            minimum=0,
            maximum=1,
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
        from .care import pairs_with_labels

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
        ref = ctx.as_of
        assert ref is not None  # there are messages, so there is an audit date
        start = int(stats["first"].timestamp())
        out = ctx.brand_messages(OWN_WORDS)
        out = out.filter(out.ts >= start, out.ts <= int(ref.timestamp()))
        outbound = int(ctx.scalar(out.count()))
        answered = int(stats["answered"] or 0)
        ratio = None if not answered else outbound / answered
        themes = self._themes(ctx, inbound.filter(inbound.request), opts)
        neglected = [
            th
            for th in themes
            if th["messages"] >= opts["min_theme_messages"]
            and th["answered"] / th["messages"] < opts["warn_theme_answered_share"]
        ]
        verdict = Verdict.PASS
        if (ratio is None and outbound > 0) or (ratio is not None and ratio > opts["warn_ratio"]):
            verdict = Verdict.WARN
        if neglected:
            verdict = Verdict.WARN
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
        parts = [
            f"the brand published {outbound} messages and answered {answered} of "
            f"{stats['n']} inbound messages since {iso(stats['first'])}"
            + (f" ({ratio:.1f} per answer)" if ratio is not None else "")
        ]
        if themes:
            parts.append(
                "top themes: " + ", ".join(f"{th['theme']} ({th['messages']})" for th in themes[:5])
            )
        if neglected:
            parts.append(f"{len(neglected)} recurring themes mostly unanswered")
        evidence = [{**th, "kind": "theme"} for th in themes]
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
        return self.finding(
            verdict,
            message="; ".join(parts),
            figures={
                "outbound": outbound,
                "inbound": int(stats["n"]),
                "inbound_answered": answered,
                "inbound_requests": int(stats["requests"] or 0),
                "outbound_per_answer": None if ratio is None else round(ratio, 3),
                "themes": len(themes),
                "neglected_themes": len(neglected),
            },
            thresholds={
                "warn_ratio": opts["warn_ratio"],
                "warn_theme_answered_share": opts["warn_theme_answered_share"],
                "min_theme_messages": opts["min_theme_messages"],
            },
            per_account=per_account,
            evidence=evidence[:EVIDENCE_LIMIT],
            evidence_total=len(evidence),
            notes=notes,
        )

    def _themes(
        self, ctx: AuditContext, requests: ibis.Table, opts: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The top recurring words and word pairs of inbound requests, each counted once per
        message, with answered counts and up to three example ids (unanswered first)."""
        stop = sorted(THEME_STOPWORDS | {h.lower() for _, h in ctx.brand_accounts})
        clean = requests.text.fill_null("").re_replace(CLEAN, " ").lower()
        toks = requests.select(
            "platform", "id", "answered", "created_at", toks=clean.re_split(TOKEN_SPLIT)
        )

        def keep(word: ibis.StringValue) -> ibis.BooleanValue:
            return (word.length() >= 3) & ~word.isin(stop) & ~word.re_search(r"^[0-9']+$")

        uni = toks.select("platform", "id", "answered", "created_at", term=toks.toks.unnest())
        uni = uni.filter(keep(uni.term))
        pairs = toks.select(
            "platform", "id", "answered", "created_at", p=toks.toks.zip(toks.toks[1:]).unnest()
        )
        pairs = pairs.filter(keep(pairs.p.f1), keep(pairs.p.f2))
        bi = pairs.select(
            "platform", "id", "answered", "created_at", term=pairs.p.f1.concat(" ", pairs.p.f2)
        )
        terms = ibis.union(uni, bi).distinct()
        counted = terms.group_by("term").aggregate(
            messages=terms.count(), answered=terms.answered.cast("int64").sum()
        )
        counted = counted.filter(counted.messages >= opts["min_theme_messages"])
        candidates = ctx.rows(
            counted.order_by([counted.messages.desc(), counted.term]).limit(
                int(opts["top_themes"]) * 5
            ),
        )
        chosen: list[dict[str, Any]] = []
        for c in sorted(
            candidates, key=lambda c: (-c["messages"], " " not in c["term"], c["term"])
        ):
            if " " not in c["term"] and any(
                c["term"] in ch["theme"].split(" ") and ch["messages"] * 2 >= c["messages"]
                for ch in chosen
            ):
                continue
            if " " in c["term"]:
                # A pair makes the single words it contains redundant when it covers half of them.
                chosen = [
                    ch
                    for ch in chosen
                    if not (
                        " " not in ch["theme"]
                        and ch["theme"] in c["term"].split(" ")
                        and c["messages"] * 2 >= ch["messages"]
                    )
                ]
            chosen.append(
                {
                    "theme": c["term"],
                    "messages": int(c["messages"]),
                    "answered": int(c["answered"] or 0),
                }
            )
            if len(chosen) >= opts["top_themes"]:
                break
        chosen.sort(key=lambda th: (-th["messages"], th["theme"]))
        if not chosen:
            return []
        names = [th["theme"] for th in chosen]
        picked = terms.filter(terms.term.isin(names))
        w = ibis.window(
            group_by=[picked.term], order_by=[picked.answered, picked.created_at.desc(), picked.id]
        )
        picked = picked.mutate(rn=ibis.row_number().over(w))
        examples: dict[str, list[str]] = {}
        for r in ctx.rows(picked.filter(picked.rn < 3).order_by(["term", "rn"])):
            examples.setdefault(r["term"], []).append(r["id"])
        for th in chosen:
            th["answered_share"] = share(th["answered"], th["messages"])
            th["example_ids"] = examples.get(th["theme"], [])
        return chosen


def get_checks() -> list[type[Check]]:
    return [TalkingAtCustomers, NotListening]
