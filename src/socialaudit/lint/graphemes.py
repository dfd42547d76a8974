"""How long a post is, the way each platform counts it.

Platforms do not count the same thing: X weighs code points (most Latin, Greek, Cyrillic and
punctuation count 1, CJK and everything else 2, an emoji sequence 2) and counts every link as 23;
Mastodon counts code points, a link as 23 and a mention as its local part; Bluesky counts
user-perceived characters (grapheme clusters), with links shortened the way its app shortens
them; the others count characters.

Grapheme clusters are found by a small routine that covers what posts contain (combining marks,
emoji with skin tones, ZWJ sequences, flags, tags, CR LF, Hangul jamo) rather than the whole of
UAX #29, so that no dependency is needed for one count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

_URL = re.compile(r"https?://[^\s<>\"']+")
# Mastodon counts `@user@example.social` as `@user`.
_REMOTE_MENTION = re.compile(r"(?<![\w@])(@[A-Za-z0-9_]+)@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")

ZWJ = "\u200d"
X_LINK_LENGTH = 23
MASTODON_LINK_LENGTH = 23

# Characters per post, by platform (what the platform itself refuses above).
LIMITS: dict[str, int] = {
    "x": 280,
    "mastodon": 500,
    "bluesky": 300,
    "linkedin": 3000,
    "instagram": 2200,
    "facebook": 63206,
}


def _extends(ch: str) -> bool:
    """Whether `ch` attaches to the character before it (Extend, SpacingMark, ZWJ, modifiers)."""
    cp = ord(ch)
    if unicodedata.category(ch) in ("Mn", "Me", "Mc"):
        return True
    return (
        cp == 0x200D
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors (emoji vs text presentation)
        or 0x1F3FB <= cp <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= cp <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1160 <= cp <= 0x11FF  # Hangul medial vowels and final consonants
    )


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def grapheme_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of each user-perceived character of `text`."""
    i, n = 0, len(text)
    while i < n:
        start = i
        ch = text[i]
        i += 1
        if ch == "\r" and i < n and text[i] == "\n":
            yield start, i + 1
            i += 1
            continue
        if ch in "\r\n":
            yield start, i
            continue
        if _regional(ch) and i < n and _regional(text[i]):
            i += 1  # a flag is a pair of regional indicators
        while i < n:
            nxt = text[i]
            if _extends(nxt):
                i += 1
                if nxt == ZWJ and i < n:
                    i += 1  # ZWJ glues the next pictograph (family, profession emoji)
            else:
                break
        yield start, i


def grapheme_count(text: str) -> int:
    return sum(1 for _ in grapheme_spans(text))


def _is_emoji(cluster: str) -> bool:
    cp = ord(cluster[0])
    return (
        0x1F000 <= cp <= 0x1FAFF
        or 0x2600 <= cp <= 0x27BF
        or 0x2B00 <= cp <= 0x2BFF
        or 0x2300 <= cp <= 0x23FF
        or "\ufe0f" in cluster
    )


def _x_weight(cp: int) -> int:
    # twitter-text v3: these ranges weigh 1, every other code point 2.
    light = cp <= 4351 or 8192 <= cp <= 8205 or 8208 <= cp <= 8223 or 8242 <= cp <= 8247
    return 1 if light else 2


_LEADING_HANDLES = re.compile(r"^(?:@\w{1,15}\s+)+")


def x_length(text: str) -> int:
    """X's weighted length: links 23, emoji sequences 2, CJK 2 per code point, else 1.

    The handles a draft starts with are left out: on X they are the reply's addressees, which
    X fills in and does not count.
    """
    text = _LEADING_HANDLES.sub("", unicodedata.normalize("NFC", text))
    total, pos = 0, 0
    for m in _URL.finditer(text):
        total += _x_plain_length(text[pos : m.start()]) + X_LINK_LENGTH
        pos = m.end()
    return total + _x_plain_length(text[pos:])


def _x_plain_length(text: str) -> int:
    total = 0
    for s, e in grapheme_spans(text):
        cluster = text[s:e]
        total += 2 if _is_emoji(cluster) else sum(_x_weight(ord(c)) for c in cluster)
    return total


def mastodon_length(text: str) -> int:
    """Mastodon's count: code points, links as 23, remote mentions as their local part."""
    text = _REMOTE_MENTION.sub(r"\1", text)
    total, pos = 0, 0
    for m in _URL.finditer(text):
        total += len(text[pos : m.start()]) + MASTODON_LINK_LENGTH
        pos = m.end()
    return total + len(text[pos:])


def _bluesky_short_url(url: str) -> str:
    # The Bluesky app writes links into the post shortened: no scheme, and a path over 15
    # characters cut to 13 plus "...".
    rest = url.split("://", 1)[-1]
    host, sep, path = rest.partition("/")
    path = sep + path
    if len(path) > 15:
        path = path[:13] + "..."
    return host + path


def bluesky_length(text: str) -> int:
    """Bluesky's count: grapheme clusters, with links shortened as its app shortens them."""
    return grapheme_count(_URL.sub(lambda m: _bluesky_short_url(m.group(0)), text))


def post_length(text: str, platform: str) -> int:
    """The length of `text` as `platform` counts it against its limit."""
    if platform == "x":
        return x_length(text)
    if platform == "mastodon":
        return mastodon_length(text)
    if platform == "bluesky":
        return bluesky_length(text)
    return len(text)
