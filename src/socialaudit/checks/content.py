"""Content (SA3xx): what the brand chooses to publish.

The content-mix checks (SA301 sales pitches, SA302 personal posts, SA303 expertise, SA305 like
bait, SA306 links to the website) look at the brand's *original posts* only: reposts are
somebody else's words, replies and comments are conversation (the care checks judge those), and
direct messages are private. What a post is about comes from text understanding
(`labels.content_type`, written by the labelling stage). SA304 looks at everything the brand wrote in
public, replies included, because a rude reply does as much harm as a rude post.

Shares are computed over the last `window_days` before the audit date (`as_of`, by default the
newest message in the workspace), so the verdict is about the brand's current habits.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import ibis

from .. import urls
from ..model import ContentType, Verdict
from ..vocabulary import CONTENT, DAY, OWN_WORDS, iso, needs, share
from ._brand import labelled, message_evidence
from .base import EVIDENCE_LIMIT, AuditContext, Check, Finding, Option

WINDOW = Option(
    "window_days",
    365,
    "A year of posts spans the seasonal campaigns and quiet months alike, and is still about "
    "the brand's current habits; 0 takes the whole history.",
    type=int,
    minimum=0,
)
MIN_POSTS = Option(
    "min_posts",
    10,
    "Below ten posts a single post moves the share by ten points or more: too few to judge a "
    "habit.",
    type=int,
    minimum=1,
)


def _in_window(ctx: AuditContext, t: ibis.Table, opts: dict[str, Any]) -> tuple[ibis.Table, str]:
    ref = ctx.as_of
    if ref is None:
        return t, "all posts"
    end = int(ref.timestamp())
    t = t.filter(t.ts <= end)
    if opts.get("window_days"):
        t = t.filter(t.ts > end - int(opts["window_days"]) * DAY)
        return t, f"posts in the {opts['window_days']} days up to {iso(ref)}"
    return t, f"all posts up to {iso(ref)}"


def _per_account(
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


class _ContentShare(Check):
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

    def thresholds(self, opts: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in opts.items() if k.startswith(("warn_", "fail_"))}

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        posts, scope = _in_window(ctx, ctx.brand_messages(CONTENT), opts)
        total = int(ctx.scalar(posts.count()))
        if not total or (total < opts["min_posts"] and not self.any_counts):
            return self.unknown(
                f"{total} original posts of the brand in scope ({scope}); at least "
                f"{opts['min_posts']} are needed to judge the mix",
                needs("brand_posts"),
            )
        t = labelled(ctx, posts)
        types = self.matched_types(opts)
        hit = t.content_type.isin(list(types))
        matched_t = t.filter(hit)
        matched = int(ctx.scalar(matched_t.count()))
        ratio = matched / total
        verdict = self.judge(matched, total, ratio, opts)
        evidence, n = message_evidence(ctx, matched_t)
        unlabelled = int(ctx.scalar(t.filter(t.content_type.isnull()).count()))
        mix = {
            r["content_type"] or "unlabelled": int(r["n"])
            for r in ctx.rows(t.group_by("content_type").aggregate(n=t.count()))
        }
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
            thresholds=self.thresholds(opts),
            per_account=_per_account(ctx, t, hit),
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


class SalesPitchOverload(_ContentShare):
    code = "SA301"
    name = "sales-pitch-overload"
    area = "content"
    severity = "high"
    seeds = ("001", "003", "004")
    types = (ContentType.PROMOTION, ContentType.ANNOUNCEMENT)
    label = "sales pitches"
    options = (
        Option(
            "warn_share",
            0.3,
            "When nearly a third of the feed asks for money, followers start to read the brand as "
            "an advert (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.5,
            "Half the posts selling means the account is a catalogue, not a conversation "
            "(rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "count_announcements",
            True,
            "Product announcements push the product as surely as offers do (rulebook: 'product "
            "announcements'); set false when announcements are mostly news for customers.",
            type=bool,
        ),
        WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

The share of the brand's original posts that sell: offers, discounts, ads and calls to buy
(content type `promotion`) and product announcements (`announcement`, unless
`count_announcements` is false), among the posts of the last `window_days`. Reposts, replies and
direct messages are left out: they are not what the brand chose to publish.

## Why it matters

People follow a brand for something else than more adverts. A feed of offers and launches
is seen by many and read by few: deals have their place, but they cannot replace a reason to
come back, and a steady stream of them teaches followers to scroll past.

## Example

Of 40 posts in the last year, 18 are offers and 5 announce a product: 23 of 40 (58 %) is over
50 %, so the check fails and lists the newest of those posts.
"""
    advice = (
        "Cut the share of selling posts below a third: for every offer, publish posts that help, "
        "entertain or ask your customers something, and keep announcements for real news."
    )

    def matched_types(self, opts: dict[str, Any]) -> tuple[str, ...]:
        return self.types if opts["count_announcements"] else (ContentType.PROMOTION,)

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if ratio > opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if ratio > opts["warn_share"] else Verdict.PASS


class PersonalPosts(_ContentShare):
    code = "SA302"
    name = "personal-posts"
    area = "content"
    severity = "medium"
    seeds = ("000",)
    types = (ContentType.PERSONAL,)
    label = "personal posts"
    any_counts = True
    options = (
        Option(
            "fail_share",
            0.05,
            "One personal post in twenty is a pattern: someone uses the brand account as their "
            "own (rulebook default; any personal post already warns).",
            minimum=0,
            maximum=1,
        ),
        WINDOW,
        Option(
            "min_posts",
            10,
            "The share only fails from ten posts up (one personal post among three is not a "
            "habit yet); any personal post warns however few posts there are.",
            type=int,
            minimum=1,
        ),
    )
    doc = """
## What it detects

Personal, off-brand posts on a brand account: private life, moods, family, weekend plans
(content type `personal`), among the brand's original posts of the last `window_days`. One such
post warns; a share over `fail_share` fails, from `min_posts` posts up. Reposts, replies and
direct messages are left out.

## Why it matters

A brand account speaks for the business. Posts about someone's private life add nothing to the
brand, confuse followers about who is talking, and are a step away from the post that embarrasses
the company. Whoever runs the account needs a separate one for themselves.

## Example

Among 60 posts, "so tired after the kids' party lol" and one more are personal: 2 of 60 (3 %)
warns, with both posts as evidence.
"""
    advice = (
        "Keep personal posts on personal accounts: delete or archive the ones on the brand "
        "account, and make sure whoever posts for the brand uses a separate login or profile."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if total >= opts["min_posts"] and ratio > opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if matched else Verdict.PASS


class NoExpertiseShared(_ContentShare):
    code = "SA303"
    name = "no-expertise-shared"
    area = "content"
    severity = "medium"
    seeds = ("004",)
    types = (ContentType.EXPERTISE,)
    label = "expertise posts"
    options = (
        Option(
            "warn_share",
            0.2,
            "Under one post in five that teaches something, the feed gives people little reason "
            "to follow beyond the products (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        Option(
            "fail_share",
            0.05,
            "Under one in twenty, the brand shares next to none of what it knows (rulebook "
            "default).",
            minimum=0,
            maximum=1,
        ),
        WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

The share of the brand's original posts that teach, advise or share insight: how-tos, tips,
guides, explanations (content type `expertise`), among the posts of the last `window_days`. Too
small a share warns or fails. Reposts, replies and direct messages are left out; answers to
customers' questions count under the care checks.

## Why it matters

A business knows things its customers would like to know. Sharing that know-how, even when it
sells nothing today, helps people solve problems and makes the brand the one they think of first;
it is where most companies fall short, and it is what sets a brand apart from its adverts.

## Example

Of 50 posts, 2 are tips or how-tos: 4 % is under 5 %, so the check fails.
"""
    advice = (
        "Publish what you know: at least one post in five should teach something (a tip, a "
        "how-to, an answer to a question customers often ask), even when it sells nothing today."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        if ratio < opts["fail_share"]:
            return Verdict.FAIL
        return Verdict.WARN if ratio < opts["warn_share"] else Verdict.PASS


class LikeBait(_ContentShare):
    code = "SA305"
    name = "like-bait"
    area = "content"
    severity = "low"
    seeds = ("003",)
    types = (ContentType.LIKE_BAIT,)
    label = "like bait posts"
    options = (
        Option(
            "warn_share",
            0.1,
            "An occasional contest is fine; more than one post in ten asking for likes, follows "
            "and shares to win something is chasing numbers (rulebook default).",
            minimum=0,
            maximum=1,
        ),
        WINDOW,
        MIN_POSTS,
    )
    doc = """
## What it detects

Contests and giveaways that ask people to like, follow, share or tag friends to win (content type
`like_bait`), as a share of the brand's original posts of the last `window_days`. Reposts,
replies and direct messages are left out.

## Why it matters

Contests run for likes inflate the counts that are easiest to measure and hardest to turn into
sales: the new followers came for the prize, not the brand. Decisions then follow the wrong
number; sentiment, shares that carry the brand's message, and sales say more.

## Example

Of 30 posts, 5 say "like and retweet to win": 17 % is over 10 %, so the check warns.
"""
    advice = (
        "Run fewer like-for-a-prize contests; when you do run one, tie it to something that "
        "matters to the business (a sign-up, a purchase, a review) and measure that, not likes."
    )

    def judge(self, matched: int, total: int, ratio: float, opts: dict[str, Any]) -> Verdict:
        return Verdict.WARN if ratio > opts["warn_share"] else Verdict.PASS


class PublishFirstThinkLater(Check):
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
            "A message deleted or edited within a day of publishing went out before it was ready.",
            minimum=0,
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
        WINDOW,
    )
    doc = """
## What it detects

Messages that should not have gone out as they were: those the draft linter (`socialaudit lint`)
would have stopped for offensive language, shouting in capitals, runs of punctuation or
misspellings, and messages deleted or edited within `correction_hours` of publishing (where the
export records deletions and edits). It reads everything the brand wrote in public in the last
`window_days`: posts, replies and comments, not reposts or direct messages.

## Why it matters

Anything a brand puts out can be screenshotted and quoted back at it for years. Social networks
reward speed, which tempts people to hit send before reading, and a rude, sloppy or wrong message
costs far more than the minute a second reading takes. Each of these is a message a second look
would have caught.

## Example

Of 200 messages, 3 were flagged by the linter (one shouting, two misspelled) and 2 were edited
within an hour: 5 of 200 (2.5 %) is over 2 %, so the check fails and lists them with the rules
that fired.
"""
    advice = (
        "Read every post before it goes out: run drafts through `socialaudit lint`, have a second "
        "person approve replies to complaints, and fix the cause when a post needs correcting."
    )

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        t, scope = _in_window(ctx, ctx.brand_messages(OWN_WORDS), opts)
        total = int(ctx.scalar(t.count()))
        if not total:
            return self.unknown(
                f"no message the brand wrote itself in scope ({scope})", needs("brand_posts")
            )
        limit = int(opts["lint_limit"])
        newest = t.order_by([t.created_at.desc(), t.id]).limit(limit)
        judged = min(total, limit)
        window_s = float(opts["correction_hours"]) * 3600
        fixed_at = ibis.coalesce(newest.deleted_at, newest.edited_at)
        corrected = newest.mutate(
            corrected=fixed_at.notnull()
            & ((fixed_at.epoch_seconds() - newest.created_at.epoch_seconds()) <= window_s)
        )
        data = ctx.rows(
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
            ),
        )
        from ..lint import flagged_posts

        by_platform: dict[str, list[int]] = {}
        for i, r in enumerate(data):
            by_platform.setdefault(r["platform"], []).append(i)
        codes: list[list[str]] = [[] for _ in data]
        for platform, idx in by_platform.items():
            # the workspace's [lint] settings: the brand's own terms are not misspellings
            result = flagged_posts([data[i]["text"] or "" for i in idx], platform, ctx.config)
            for i, found in zip(idx, result, strict=True):
                codes[i] = list(found)
        rule_counts: Counter[str] = Counter()
        flagged: list[dict[str, Any]] = []
        per_account: dict[str, dict[str, Any]] = {}
        for r, found in zip(data, codes, strict=True):
            why = list(found)
            if r["corrected"]:
                why.append(
                    "deleted soon after" if r["deleted_at"] is not None else "edited soon after"
                )
            acc = per_account.setdefault(r["acct"], {"messages": 0, "flagged": 0})
            acc["messages"] += 1
            rule_counts.update(why)
            if why:
                acc["flagged"] += 1
                flagged.append(
                    {
                        "message_id": r["id"],
                        "platform": r["platform"],
                        "account": r["acct"],
                        "created_at": iso(r["created_at"]),
                        "text": r["text"],
                        "url": r["url"],
                        "kind": r["kind"],
                        "why": why,
                    }
                )
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
        }
        figures.update({f"rule_{k.replace(' ', '_')}": v for k, v in sorted(rule_counts.items())})
        notes = [f"judged on {scope}: posts, replies and comments, not reposts or direct messages"]
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
            thresholds={
                "fail_share": opts["fail_share"],
                "correction_hours": opts["correction_hours"],
            },
            per_account=per_account,
            evidence=flagged[:EVIDENCE_LIMIT],
            evidence_total=n,
            notes=notes,
        )


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
    code = "SA306"
    name = "not-tied-to-the-website"
    area = "content"
    severity = "medium"
    requires = ("brand_posts",)
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
        WINDOW,
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
        if not domains:
            return self.unknown(
                "the brand's web domains are not known: list them in [brand] domains of "
                "socialaudit.toml (the exports give none)",
                ['[brand] domains = ["your-site.example"] in socialaudit.toml'],
            )
        posts, scope = _in_window(ctx, ctx.brand_messages(CONTENT), opts)
        total = int(ctx.scalar(posts.count()))
        if total < opts["min_posts"]:
            return self.unknown(
                f"{total} original posts of the brand in scope ({scope}); at least "
                f"{opts['min_posts']} are needed",
                needs("brand_posts"),
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
        per_account = _per_account(ctx, t, t.own_links > 0)
        verdict = Verdict.PASS
        if ratio < opts["warn_share"] or (opts["warn_untracked"] and untracked):
            verdict = Verdict.WARN
        if opts["fail_when_none"] and linking == 0:
            verdict = Verdict.FAIL
        evidence, n = message_evidence(ctx, untracked_t)
        parts = [f"{linking} of {total} original posts ({ratio:.0%}) link to {', '.join(domains)}"]
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
            thresholds={"warn_share": opts["warn_share"]},
            per_account=per_account,
            evidence=evidence,
            evidence_total=n,
            notes=[f"judged on {scope}; own domains: {', '.join(domains)}"],
        )


def get_checks() -> list[type[Check]]:
    return [
        SalesPitchOverload,
        PersonalPosts,
        NoExpertiseShared,
        PublishFirstThinkLater,
        LikeBait,
        NotTiedToTheWebsite,
    ]
