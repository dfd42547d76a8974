"""What the content checks share: the window of posts they judge, per-account shares, and the
check on the share of posts of some content types (SA301, SA302, SA303, SA305).
"""

from __future__ import annotations

from typing import Any

import ibis

from ...model import UNKNOWN_LABEL, Verdict
from ...vocabulary import CONTENT, count, percent, share, with_labels
from ..base import AuditContext, Check, Finding, Option
from ..evidence import message_evidence

# From this share of posts in languages no lexicon reads, the mix is not judged.
UNREADABLE_SHARE = 0.5

MIN_POSTS = Option(
    "min_posts",
    10,
    "Below ten posts a single post moves the share by ten points or more: too few to judge a "
    "habit.",
    type=int,
    minimum=1,
)


def per_account_share(
    ctx: AuditContext, t: ibis.Table, hit: ibis.BooleanValue
) -> dict[str, dict[str, Any]]:
    t = t.mutate(hit=hit.fill_null(False).cast("int64"))
    out = {}
    for r in ctx.rows(t.group_by("acct").aggregate(posts=t.count(), matched=t.hit.sum())):
        out[r["acct"]] = {
            "posts": int(r["posts"]),
            "matched": int(r["matched"] or 0),
            "share": share(r["matched"] or 0, r["posts"]),
        }
    return out


def window_mix(
    ctx: AuditContext, days: int
) -> tuple[ibis.Table, ibis.Table, str, dict[tuple[str, str | None], int]]:
    """The brand's original posts (all of them, and those in the `days` window with their
    labels), the window in words, and the posts in it counted by account and content type:
    one query per audit for the four checks on the mix (SA301, SA302, SA303, SA305), which
    read their totals, shares and per-account figures from it."""

    def compute() -> tuple[ibis.Table, ibis.Table, str, dict[tuple[str, str | None], int]]:
        everything = ctx.brand_messages(CONTENT)
        posts, scope = ctx.window(everything, days)
        t = with_labels(ctx.workspace, posts)
        counted = ctx.rows(t.group_by(["acct", "content_type"]).aggregate(n=t.count()))
        by_type = {(r["acct"], r["content_type"]): int(r["n"]) for r in counted}
        return everything, t, scope, by_type

    return ctx.shared(f"content.mix:{int(days)}", compute)


class ContentShare(Check):
    """A check on the share of original posts whose content type is among `types`."""

    types: tuple[str, ...] = ()
    label: str = ""  # what the matched posts are, in words ("promotions")
    # True when a single matched post matters however few posts there are (judge() then gets
    # to decide with fewer than min_posts; a share-based fail should need min_posts).
    any_counts: bool = False
    requires = ("brand_posts",)

    def matched_types(self, opts: dict[str, Any]) -> tuple[str, ...]:
        return self.types

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        raise NotImplementedError

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        everything, t, scope, by_type = window_mix(ctx, opts["window_days"])
        total = sum(by_type.values())
        if not total or (total < opts["min_posts"] and not self.any_counts):
            minimum = opts["min_posts"] if not self.any_counts else 1
            return self.too_few_in_window(ctx, everything, total, minimum, scope, "original post")
        # Posts in a language no lexicon reads have no content type: they are left out of the
        # share, and when most posts are such the check says so instead of judging the rest.
        unreadable = sum(n for (_, ct), n in by_type.items() if ct == UNKNOWN_LABEL)
        if unreadable and unreadable / total >= UNREADABLE_SHARE:
            return self.unknown(
                f"{unreadable} of {total} original posts in scope ({scope}) are in languages "
                "the content labels cannot read yet; the mix of the rest would not be the brand's",
                ["posts in English or Spanish (the languages of the content lexicons)"],
            )
        t = t.filter(t.content_type.isnull() | (t.content_type != UNKNOWN_LABEL))
        total -= unreadable
        types = self.matched_types(opts)
        hit = t.content_type.isin(list(types))
        counts: dict[str | None, int] = {}
        per_account: dict[str, dict[str, Any]] = {}
        for (acct, ct), n in sorted(
            by_type.items(), key=lambda kv: (kv[0][0] or "", kv[0][1] or "")
        ):
            if ct == UNKNOWN_LABEL:
                continue
            counts[ct] = counts.get(ct, 0) + n
            acc = per_account.setdefault(acct, {"posts": 0, "matched": 0})
            acc["posts"] += n
            acc["matched"] += n if ct in types else 0
        for acc in per_account.values():
            acc["share"] = share(acc["matched"], acc["posts"])
        mix = {k or "unlabelled": v for k, v in counts.items()}
        matched = sum(v for k, v in counts.items() if k in types)
        ratio = matched / total
        verdict = self.judge(matched, total, ratio, opts)
        evidence, n = message_evidence(ctx, t.filter(hit), total=matched)
        unlabelled = counts.get(None, 0)
        notes = [f"judged on {scope}; reposts, replies and direct messages are not counted"]
        if unlabelled:
            have = "has" if unlabelled == 1 else "have"
            notes.append(f"{count(unlabelled, 'post')} {have} no content label")
        if unreadable:
            notes.append(
                f"{count(unreadable, 'post')} in languages the content labels cannot read "
                f"{'is' if unreadable == 1 else 'are'} left out"
            )
        figures: dict[str, Any] = {
            "posts": total,
            self.count_name: matched,
            self.share_name: round(ratio, 4),
        }
        figures.update({f"mix_{k}": v for k, v in sorted(mix.items())})
        return self.finding(
            verdict,
            message=f"{matched} of {total} original posts ({percent(ratio)}) are {self.label}",
            figures=figures,
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=notes,
        )

    @property
    def count_name(self) -> str:
        return self.label.replace(" ", "_")

    @property
    def share_name(self) -> str:
        return f"{self.count_name}_share"
