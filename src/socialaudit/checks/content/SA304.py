"""SA304 publish-first-think-later: messages that should not have gone out as they were."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections import Counter
from typing import Any

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from ...model import EARLIER_TEXT, Verdict
from ...vocabulary import OWN_WORDS, share
from ..base import YEAR_WINDOW, AuditContext, Check, Finding, Option
from ..evidence import message_item


class PublishFirstThinkLater(Check):
    """Messages a second reading would have stopped: offensive, shouting, misspelt, corrected soon after."""

    code = "SA304"
    name = "publish-first-think-later"
    area = "content"
    severity = "high"
    requires = ("brand_posts",)
    seeds = ("002",)
    options = (
        Option(
            "fail_share",
            0.02,
            "One message in fifty that should not have gone out is a process problem, not bad "
            "luck (rulebook default; any such message already warns).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "correction_hours",
            24,
            "A message deleted or corrected within a day of publishing went out before it was "
            "ready.",
            minimum=0,
            threshold=True,
        ),
        Option(
            "count_unseen_edits",
            False,
            "An edit counts only where the export keeps the text first published and the edit "
            "changed its words: an edit that adds a link, a hashtag or a picture, or changes "
            "nothing in the words, fixed no mistake. A Mastodon outbox keeps only the last "
            "version; true counts its quick edits too, unread (they are always in the figures).",
            type=bool,
        ),
        Option(
            "lint_limit",
            5000,
            "The draft linter reads each message; the newest 5,000 describe current habits and "
            "keep the audit to seconds.",
            type=int,
            minimum=1,
        ),
        Option(
            "min_posts",
            20,
            "The share only fails from twenty messages up: below that one slip would be over 5 %.",
            type=int,
            minimum=1,
        ),
        YEAR_WINDOW,
    )
    doc = """
## What it detects

Messages that should not have gone out as they were: those the draft linter (`socialaudit lint`)
would have stopped for offensive language, shouting in capitals, runs of punctuation or
misspellings, and messages deleted or corrected within `correction_hours` of publishing (where
the export records deletions and edits). An edit is a correction when the words first published
were changed or removed ("FindItFinder" made "FindItFaster", "74-79" made "74-78"), or a word was
put in between them; an edit that only adds a link, a hashtag, an emoji, a picture or words at the
start or end, or leaves the words as they were, is not. Where the export does not keep the text
first published (a Mastodon outbox keeps the last version only), what an edit changed cannot be
read: such edits are counted in the figures (`edited_soon_unseen`), not flagged, unless
`count_unseen_edits` is on. It reads everything the brand wrote in public in the last
`window_days`: posts, replies and comments, not reposts or direct messages.

## Why it matters

Anything a brand puts out can be screenshotted and quoted back at it for years. Social networks
reward speed, which tempts people to hit send before reading, and a rude, sloppy or wrong message
costs far more than the minute a second reading takes. Each of these is a message a second look
would have caught.

## Example

Of 200 messages, 3 were flagged by the linter (one shouting, two misspelled) and 2 were edited
within an hour, one "teh" made "the" and one "Tuesday" made "Thursday" (a third edit that only
added a hashtag is no correction): 5 of 200 (2.5 %) is over 2 %, so the check fails and lists them with the rules
that fired.
"""
    advice = (
        "Read every post before it goes out: run drafts through `socialaudit lint`, have a second "
        "person approve replies to complaints, and fix the cause when a post needs correcting."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        everything = ctx.brand_messages(OWN_WORDS)
        t, scope = ctx.window(everything, opts["window_days"])
        total = int(ctx.scalar(t.count()))
        if not total:
            return self.too_few_in_window(ctx, everything, 0, 1, scope, "message")
        limit = int(opts["lint_limit"])
        data = self.newest(ctx, t, limit, opts)
        judged = min(total, limit)
        rule_counts: Counter[str] = Counter()
        flagged: list[dict[str, Any]] = []
        per_account: dict[str, dict[str, Any]] = {}
        for r, why in zip(data, self.reasons(ctx, data), strict=True):
            acc = per_account.setdefault(r["acct"], {"messages": 0, "flagged": 0})
            acc["messages"] += 1
            rule_counts.update(why)
            if why:
                acc["flagged"] += 1
                flagged.append({**message_item(r, ("kind",)), "why": why})
        for acc in per_account.values():
            acc["share"] = share(acc["flagged"], acc["messages"])
        n = len(flagged)
        ratio = n / judged
        verdict = Verdict.PASS
        if n:
            verdict = Verdict.WARN
            if judged >= opts["min_posts"] and ratio > opts["fail_share"]:
                verdict = Verdict.FAIL
        figures: dict[str, Any] = {
            "messages": judged,
            "flagged": n,
            "flagged_share": round(ratio, 4),
            "corrected_soon": sum(1 for r in data if r["corrected"]),
            "edited_soon_not_corrections": sum(1 for r in data if r["edit"] == "no correction"),
            "edited_soon_unseen": sum(1 for r in data if r["edit"] == "unseen"),
        }
        # The draft rules' share apart from the corrections: the rulebook counts both, but a
        # platform that records every edit (Mastodon) can make corrections most of the flags.
        linted = sum(1 for e in flagged if any(w.startswith("SL") for w in e["why"]))
        figures["linter_flagged"] = linted
        figures["linter_flagged_share"] = round(linted / judged, 4)
        figures.update({f"rule_{k.replace(' ', '_')}": v for k, v in sorted(rule_counts.items())})
        notes = [f"judged on {scope}: posts, replies and comments, not reposts or direct messages"]
        unseen = figures["edited_soon_unseen"]
        if unseen and not opts["count_unseen_edits"]:
            notes.append(
                f"{unseen} messages were edited within {opts['correction_hours']:g} h, but the "
                "export does not keep the text first published, so whether they corrected a "
                "mistake cannot be read: not counted (count_unseen_edits)"
            )
        if total > limit:
            notes.append(f"only the newest {limit} of {total} messages were read (lint_limit)")
        top = ", ".join(f"{k} x{v}" for k, v in rule_counts.most_common(4))
        return self.finding(
            verdict,
            message=(
                f"{n} of {judged} messages ({ratio:.1%}) should not have gone out as they were"
                + (f": {top}" if top else "")
            ),
            figures=figures,
            per_account=per_account,
            evidence=flagged,
            notes=notes,
        )

    def newest(
        self, ctx: AuditContext, t: ir.Table, limit: int, opts: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """The newest `limit` messages, each marked `corrected` when it was deleted or corrected
        within `correction_hours` of publishing. `edit` says what an edit within that time was:
        "correction", "no correction" (the words first published stand) or "unseen" (the export
        does not keep them)."""
        newest = t.order_by([t.created_at.desc(), t.id]).limit(limit)
        window_s = float(opts["correction_hours"]) * 3600
        fixed_at = ibis.coalesce(newest.deleted_at, newest.edited_at)
        soon = fixed_at.notnull() & (
            (fixed_at.epoch_seconds() - newest.created_at.epoch_seconds()) <= window_s
        )
        # The raw record only of the messages edited soon after (the text first published is
        # in it): the other raw records stay in the workspace.
        corrected = newest.mutate(
            corrected=soon,
            raw=ibis.ifelse(
                soon & newest.deleted_at.isnull(), newest.raw, ibis.null().cast("string")
            ),
        )
        rows = ctx.rows(
            corrected.select(
                "id",
                "platform",
                "acct",
                "created_at",
                "text",
                "url",
                "kind",
                "corrected",
                "deleted_at",
                "edited_at",
                "raw",
            ),
        )
        out = []
        for r in rows:
            raw = r.pop("raw")
            r["edit"] = None
            if r["corrected"] and r["deleted_at"] is None:
                r["edit"] = edit_kind(_earlier_text(raw), r["text"] or "")
                if r["edit"] == "no correction" or (
                    r["edit"] == "unseen" and not opts["count_unseen_edits"]
                ):
                    r["corrected"] = False
            out.append(r)
        return out

    def reasons(self, ctx: AuditContext, data: list[dict[str, Any]]) -> list[list[str]]:
        """Why each message should not have gone out: the draft linter's rules that fire on it
        (with the workspace's [lint] settings, so the brand's own terms are not misspellings),
        and a deletion or edit soon after."""
        by_platform: dict[str, list[int]] = {}
        for i, r in enumerate(data):
            by_platform.setdefault(r["platform"], []).append(i)
        out: list[list[str]] = [[] for _ in data]
        for platform, idx in by_platform.items():
            result = linted(ctx, platform, [data[i]["text"] or "" for i in idx])
            for i, found in zip(idx, result, strict=True):
                out[i] = list(found)
        for r, why in zip(data, out, strict=True):
            if r["corrected"]:
                why.append(
                    "deleted soon after" if r["deleted_at"] is not None else "edited soon after"
                )
        return out


def _earlier_text(raw: str | None) -> str | None:
    """The text an edited message was first published with, where its importer kept it."""
    if not raw or EARLIER_TEXT not in raw:
        return None
    try:
        record = json.loads(raw)
    except ValueError:
        return None
    text = record.get(EARLIER_TEXT) if isinstance(record, dict) else None
    return text if isinstance(text, str) else None


# What an edit is read on: the words, without links, mentions and hashtags (whose adding is no
# correction) or emoji and punctuation ("👉"); numbers count ("74-79" made "74-78").
_NOT_WORDS = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+")
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(_NOT_WORDS.sub(" ", text).lower())


def edit_kind(before: str | None, after: str) -> str:
    """ "correction" when an edit changed or removed words first published, or put a word in
    between them (a missing word); "no correction" when the words first published all stand, in
    order, and any words were added only before or after them; "unseen" when the text first
    published is not known."""
    if before is None:
        return "unseen"
    old, new = _words(before), _words(after)
    for op, i1, _, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("replace", "delete") or (op == "insert" and 0 < i1 < len(old)):
            return "correction"
    return "no correction"


# The linter's verdicts kept in the workspace: a verdict depends on the text, the platform and
# the lint settings only (each rule judges one draft at a time), so a re-audit lints only the
# texts it has not judged under these settings (after a sync: the new posts), and loads none of
# the linter's models when there are none.
LINTED = "sa304_linted"


def linted(ctx: AuditContext, platform: str, texts: list[str]) -> list[list[str]]:
    """`lint.flagged_posts(texts, platform, config)`, through the workspace's store."""
    ws = ctx.workspace
    if not ws.keeps_derived:
        return _lint(ctx, platform, texts)
    settings = _settings_tag(ctx, platform)
    keys = [hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest() for t in texts]
    known: dict[str, list[str]] = {}
    if ws.has_table(LINTED):
        stored = ws.table(LINTED)
        wanted = ibis.memtable({"text_sha1": sorted(set(keys))}, schema={"text_sha1": "string"})
        hits = stored.filter(stored.settings == settings, stored.platform == platform)
        hits = hits.semi_join(wanted, "text_sha1").select("text_sha1", "codes")
        known = {r["text_sha1"]: json.loads(r["codes"]) for r in ctx.rows(hits)}
    todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in known}
    if todo:
        found = _lint(ctx, platform, list(todo.values()))
        fresh = dict(zip(todo, found, strict=True))
        known.update(fresh)
        rows = pa.table(
            {
                "platform": [platform] * len(fresh),
                "settings": [settings] * len(fresh),
                "text_sha1": list(fresh),
                "codes": [json.dumps(list(c)) for c in fresh.values()],
            },
            schema=pa.schema(
                [(c, pa.string()) for c in ("platform", "settings", "text_sha1", "codes")]
            ),
        )
        # A temporary table first: a kept relation is SQL run in a transaction, which reads
        # tables, not Python objects.
        ws.keep(LINTED, ws.create_temp("_sa304_new", rows), append=ws.has_table(LINTED))
    return [list(known[k]) for k in keys]


def _lint(ctx: AuditContext, platform: str, texts: list[str]) -> list[list[str]]:
    from ...lint import flagged_posts  # the linter and its models load only when texts need them

    return flagged_posts(texts, platform, ctx.config)


def _settings_tag(ctx: AuditContext, platform: str) -> str:
    """What a verdict depends on besides the text: the lint settings the workspace's config
    gives for this platform, the rules SA304 counts and the version of socialaudit (its rules
    and models)."""
    from ... import __version__
    from ...lint.engine import settings_from_config
    from ...lint.rules import SA304_CODES

    settings = settings_from_config(ctx.config, platform=platform)
    return hashlib.sha1(repr((__version__, SA304_CODES, settings)).encode()).hexdigest()
