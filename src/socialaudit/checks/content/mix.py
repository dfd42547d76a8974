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
        everything = ctx.brand_messages(CONTENT)
        posts, scope = ctx.window(everything, opts["window_days"])
        total = int(ctx.scalar(posts.count()))
        if not total or (total < opts["min_posts"] and not self.any_counts):
            minimum = opts["min_posts"] if not self.any_counts else 1
            return self.too_few_in_window(ctx, everything, total, minimum, scope, "original post")
        t = with_labels(ctx.workspace, posts)
        # Posts in a language no lexicon reads have no content type: they are left out of the
        # share, and when most posts are such the check says so instead of judging the rest.
        unreadable = int(ctx.scalar(t.filter(t.content_type == UNKNOWN_LABEL).count()))
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
        # One query for the mix; the matched and unlabelled counts are read from it.
        counts = {
            r["content_type"]: int(r["n"])
            for r in ctx.rows(t.group_by("content_type").aggregate(n=t.count()))
        }
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
            per_account=per_account_share(ctx, t, hit),
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
