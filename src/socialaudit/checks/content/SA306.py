"""SA306 not-tied-to-the-website: posts that never lead to the brand's site, links without
campaign tracking.
"""

from __future__ import annotations

from typing import Any

from ... import urls
from ...model import Verdict
from ...vocabulary import CONTENT, percent
from ..base import YEAR_WINDOW, AuditContext, Check, Finding, Option
from ..evidence import message_evidence
from .mix import MIN_POSTS, per_account_share


def own_domains(ctx: AuditContext) -> list[str]:
    """The brand's web domains: the config's `[brand] domains` and those the exports give."""
    found = {urls.domain(d) for d in ctx.config.brand.domains}
    acc = ctx.table("accounts")
    listed = acc.filter(acc.own_domains.notnull()).select(d=acc.own_domains.unnest())
    for r in ctx.rows(listed.distinct()):
        if r["d"]:
            found.add(urls.domain(r["d"]))
    return sorted(found)


class NotTiedToTheWebsite(Check):
    """Posts that never lead to the brand's site, and own links without campaign tracking."""

    code = "SA306"
    name = "not-tied-to-the-website"
    area = "content"
    severity = "medium"
    requires = ("brand_posts", "domains")
    seeds = ("003", "004")
    options = (
        Option(
            "warn_share",
            0.2,
            "When fewer than one post in five leads to the site, social media and the website "
            "work apart (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "warn_untracked",
            True,
            "A link to the site without campaign tags sends visits web analytics cannot credit "
            "to social media (rulebook: any untracked own link warns).",
            type=bool,
        ),
        Option(
            "fail_when_none",
            True,
            "Not one post leading to the site means social media cannot show a single visit or "
            "sale it brought.",
            type=bool,
        ),
        Option(
            "tracking_parameter",
            "utm_source",
            "The query parameter that marks a tracked link; utm_source is what Google Analytics "
            "and most web analytics read first.",
            type=str,
        ),
        YEAR_WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

Posts that never lead to the brand's own web site, and links to the site without campaign
tracking: the share of original posts (last `window_days`) with at least one link to an own
domain, and the own links that lack a `tracking_parameter` (by default `utm_source`). Own domains
are `[brand] domains` in the config plus the web sites the exports list on the profiles;
subdomains count (`shop.acme.example` is `acme.example`). Shortened links (t.co, bit.ly) cannot
be followed offline and count as not leading to the site. Reposts, replies and direct messages
are left out.

## Why it matters

Social media pays when it brings people to where the business sells and tells about itself.
Posts that never point there are effort with no traceable return, and links without campaign
tags make the visits they do bring look like direct traffic, so nobody can say what social
media earned. It has to work with the site and its search presence, not beside them.

## Example

Of 40 posts, 4 link to acme.example (10 %), and 3 of those links have no utm_source: the check
warns on both counts and lists the untracked posts.
"""
    advice = (
        "Link a good share of posts to the matching page of your site, and tag every own link "
        "with UTM parameters (utm_source=<network>&utm_medium=social&utm_campaign=<campaign>)."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        domains = own_domains(ctx)
        if not domains:  # `requires` domains: only when a profile lists an empty one
            return self.missing(ctx, ["domains"])
        everything = ctx.brand_messages(CONTENT)
        posts, scope = ctx.window(everything, opts["window_days"])
        total = int(ctx.scalar(posts.count()))
        if total < opts["min_posts"]:
            return self.too_few_in_window(
                ctx, everything, total, opts["min_posts"], scope, "original post"
            )
        links = posts.select("platform", "id", link=posts.links.unnest())
        links = links.mutate(host=urls.host_of(links.link))
        param = str(opts["tracking_parameter"]).lower()
        links = links.mutate(
            own=urls.on_domain_expr(links.host, domains),
            tracked=urls.has_parameter(links.link, param),
        )
        per_post = links.group_by(["platform", "id"]).aggregate(
            own_links=links.own.cast("int64").sum(),
            untracked=(links.own & ~links.tracked).cast("int64").sum(),
        )
        t = posts.left_join(
            per_post, [posts.platform == per_post.platform, posts.id == per_post.id]
        )
        t = t.select(
            posts,
            own_links=per_post.own_links.fill_null(0),
            untracked=per_post.untracked.fill_null(0),
        )
        linking = int(ctx.scalar((t.own_links > 0).cast("int64").sum()))
        untracked_t = t.filter(t.untracked > 0)
        untracked = int(ctx.scalar(untracked_t.count()))
        ratio = linking / total
        per_account = per_account_share(ctx, t, t.own_links > 0)
        verdict = Verdict.PASS
        if ratio < opts["warn_share"] or (opts["warn_untracked"] and untracked):
            verdict = Verdict.WARN
        if opts["fail_when_none"] and linking == 0:
            verdict = Verdict.FAIL
        evidence, n = message_evidence(ctx, untracked_t)
        parts = [
            f"{linking} of {total} original posts ({percent(ratio)}) link to {', '.join(domains)}"
        ]
        if untracked:
            parts.append(f"{untracked} of them without {param}")
        return self.finding(
            verdict,
            message="; ".join(parts),
            figures={
                "posts": total,
                "posts_linking_to_site": linking,
                "share_linking_to_site": round(ratio, 4),
                "posts_with_untracked_own_links": untracked,
                "own_domains": len(domains),
            },
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=[f"judged on {scope}; own domains: {', '.join(domains)}"],
        )
