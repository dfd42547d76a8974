"""Per-platform norms: the one place for the numbers that differ from network to network.

Checks (SA202 oversharing, SA401 over-following) and the draft linter (character limits, hashtag
counts) read these values; a user changes a check's threshold in `socialaudit.toml`, never here.
Each value carries where it comes from, so a report can say why a number is what it is:
figures from published studies name the study (publisher and year), platform limits the
platform's own documentation or format definition.

Two kinds of numbers live here and must not be confused:

* *limits* are hard rules of the platform (a post longer than the limit is refused);
* *ceilings* and *advice* are judgement: the point past which a brand is very likely doing too
  much. Ceilings sit well above the published recommended ranges on purpose: a check should fire
  on clear excess, not on a brand that posts one more time than a blog post suggests.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Platform


@dataclass(frozen=True)
class Norm:
    """One per-platform value and where it comes from."""

    value: float | int | None  # None: the platform has no such limit or no published figure
    source: str


# -- posting frequency (SA202) ------------------------------------------------------------------

# Posts per day (original posts and reposts, UTC days) above which a brand is oversharing.
DAILY_POST_CEILING: dict[str, Norm] = {
    Platform.X: Norm(
        15,
        "Hootsuite 2023 recommends 1-5 posts a day on X and Buffer x SumAll found engagement "
        "dips after the 3rd; 15 is three times the top of that range, a pace "
        "that floods followers' timelines.",
    ),
    Platform.MASTODON: Norm(
        10,
        "No published study; Mastodon timelines are chronological with no ranking to thin out a "
        "flood, so the ceiling sits below X's (rulebook default).",
    ),
    Platform.BLUESKY: Norm(
        10,
        "No published study; Bluesky's Following feed is chronological like Mastodon's, so the "
        "same ceiling applies (rulebook default).",
    ),
    Platform.FACEBOOK: Norm(
        3,
        "Hootsuite 2023: 1-2 posts a day; Buffer x SumAll: at most 2; HubSpot: pages under 10k "
        "followers got about 50 % fewer clicks per post when posting more than once a day.",
    ),
    Platform.INSTAGRAM: Norm(
        3,
        "Hootsuite 2023: 3-7 feed posts a week, at most 1 a day; Rival IQ 2019: about 5 posts a "
        "week; 3 a day is three times the recommended maximum.",
    ),
    Platform.LINKEDIN: Norm(
        2,
        "Buffer x SumAll: 1 post a day (20 posts a month reach about 60 % of the audience); "
        "2 a day doubles it.",
    ),
    Platform.OTHER: Norm(
        10,
        "No platform-specific figure: the ceiling of the chronological networks is used.",
    ),
}

# Posts per day a brand is usually advised to publish (low, high), for advice texts.
RECOMMENDED_POSTS_PER_DAY: dict[str, tuple[float, float, str]] = {
    Platform.X: (1, 5, "Hootsuite 2023"),
    Platform.FACEBOOK: (1, 2, "Hootsuite 2023; Buffer x SumAll"),
    Platform.INSTAGRAM: (3 / 7, 1, "Hootsuite 2023: 3-7 feed posts a week"),
    Platform.LINKEDIN: (1, 5, "Hootsuite 2023"),
}

# A burst: this many posts within this many minutes on one account (rulebook SA202 default).
BURST_POSTS = 5
BURST_MINUTES = 30

# -- following (SA401) -----------------------------------------------------------------------

# Follows per day the platform itself allows; past it the platform blocks following.
DAILY_FOLLOW_LIMIT: dict[str, Norm] = {
    Platform.X: Norm(
        400,
        "X rules: up to 400 follows a day (help.x.com 'About following on X').",
    ),
}

# Past this many followed accounts X caps following by the follower/following ratio.
FOLLOWING_CAP: dict[str, Norm] = {
    Platform.X: Norm(
        5000,
        "X rules: up to 5,000 followed accounts, beyond which the cap depends on the "
        "follower/following ratio (help.x.com 'About following on X').",
    ),
}

# -- text (the draft linter) ---------------------------------------------------------------------

# The most characters a post may have. Counting rules differ (X weighs CJK characters and
# URLs, Bluesky counts graphemes), so the linter treats these as the budget for plain text.
CHARACTER_LIMIT: dict[str, Norm] = {
    Platform.X: Norm(
        280,
        "X help 'Counting characters': 280 for accounts without a paid subscription (longer "
        "posts exist for subscribers as note tweets).",
    ),
    Platform.MASTODON: Norm(
        500,
        "Mastodon's default instance setting (configuration.statuses.max_characters in the "
        "Instance API, docs.joinmastodon.org); instances may raise it.",
    ),
    Platform.BLUESKY: Norm(
        300,
        "AT Protocol lexicon app.bsky.feed.post: text maxGraphemes 300.",
    ),
    Platform.FACEBOOK: Norm(63206, "Facebook's documented post length limit (63,206 characters)."),
    Platform.INSTAGRAM: Norm(2200, "Instagram help: captions up to 2,200 characters."),
    Platform.LINKEDIN: Norm(3000, "LinkedIn help: posts up to 3,000 characters."),
    Platform.OTHER: Norm(None, "Unknown platform: no limit is assumed."),
}

# Characters a feed shows before it folds the rest behind "more" (what most readers see).
VISIBLE_CHARACTERS: dict[str, Norm] = {
    Platform.INSTAGRAM: Norm(
        125, "Instagram folds captions after about 125 characters in the feed."
    ),
}

# Hashtags: the platform's hard limit per post, and the count above which a post reads as
# hashtag stuffing (advice).
HASHTAG_LIMIT: dict[str, Norm] = {
    Platform.INSTAGRAM: Norm(30, "Instagram help: at most 30 hashtags per post."),
}

HASHTAG_ADVICE: dict[str, Norm] = {
    Platform.X: Norm(2, "X's own best-practice advice: no more than 2 hashtags per post."),
    Platform.INSTAGRAM: Norm(5, "Instagram's creator guidance (2021): 3-5 relevant hashtags."),
    Platform.LINKEDIN: Norm(3, "LinkedIn's guidance: around 3 hashtags per post."),
    Platform.FACEBOOK: Norm(2, "No platform figure; hashtags do little on Facebook, so few."),
    Platform.MASTODON: Norm(
        5,
        "No platform limit; hashtags are Mastodon's main way to be found, so more are normal "
        "than on X, but long tag walls hurt readability (project default).",
    ),
    Platform.BLUESKY: Norm(3, "No platform figure; project default between X and Mastodon."),
    Platform.OTHER: Norm(3, "No platform figure; project default."),
}


def norm(table: dict[str, Norm], platform: str | None) -> Norm:
    """The platform's norm, falling back to OTHER, else to an 'unknown' norm."""
    key = (platform or Platform.OTHER).lower()
    if key in table:
        return table[key]
    if Platform.OTHER in table:
        return table[Platform.OTHER]
    return Norm(None, f"no norm for {key}")


def character_limit(platform: str | None) -> int | None:
    value = norm(CHARACTER_LIMIT, platform).value
    return None if value is None else int(value)


def hashtag_advice(platform: str | None) -> int | None:
    value = norm(HASHTAG_ADVICE, platform).value
    return None if value is None else int(value)


def daily_post_ceiling(platform: str | None) -> float | None:
    return norm(DAILY_POST_CEILING, platform).value
