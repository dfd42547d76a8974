"""What the content checks share: the window of posts they judge, per-account shares, and the
check on the share of posts of some content types (SA301, SA302, SA303, SA305).
"""

from __future__ import annotations

from typing import Any

import ibis

from ...model import Verdict
from ...vocabulary import CONTENT, needs, share, with_labels
from ..base import AuditContext, Check, Finding, Option
from ..evidence import message_evidence

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
        posts, scope = ctx.window(ctx.brand_messages(CONTENT), opts["window_days"])
        total = int(ctx.scalar(posts.count()))
        if not total or (total < opts["min_posts"] and not self.any_counts):
            return self.unknown(
                f"{total} original posts of the brand in scope ({scope}); at least "
                f"{opts['min_posts']} are needed to judge the mix",
                needs("brand_posts"),
            )
        t = with_labels(ctx.workspace, posts)
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
            notes.append(f"{unlabelled} posts have no content label")
        figures: dict[str, Any] = {
            "posts": total,
            self.count_name: matched,
            self.share_name: round(ratio, 4),
        }
        figures.update({f"mix_{k}": v for k, v in sorted(mix.items())})
        return self.finding(
            verdict,
            message=f"{matched} of {total} original posts ({ratio:.0%}) are {self.label}",
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
