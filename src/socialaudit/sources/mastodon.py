"""Mastodon account archive (Settings → Import and export → Request your archive): a zip or
its unpacked folder with `outbox.json`, `actor.json` and `likes.json`.

`outbox.json` is an ActivityStreams OrderedCollection of the account's own activities:

* `Create` of a `Note` (or a `Question`, a poll) → a post, a reply (`inReplyTo` set) or a direct
  message. Visibility is not a field: it follows from the addressing. Public when the Public
  collection is in `to`, unlisted when it is only in `cc`, followers-only when the followers
  collection is addressed, direct otherwise (only the mentioned people). Direct messages are in
  the outbox too, and are kept as kind `direct` so that public-post checks leave them out.
* `Announce` (a boost) → kind `repost`; its `object` is only the boosted post's URI.

`content` is HTML; it becomes plain text here (paragraphs and line breaks kept, the hidden parts
of shortened links joined back). `totalItems` need not equal the number of items (it is the
server's status count), so it is not checked. `actor.json` is the account; `likes.json` the
posts it favourited, undated. Nothing from other accounts is in the archive.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, mentions_in, read_head
from .container import Container, several_exports
from .rows import (
    Where,
    as_list,
    build_tables,
    expect_dict,
    expect_list,
    get_int,
    get_str,
    host_of,
    iso_time,
    raw_json,
)

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
_PUBLIC_ALIASES = {PUBLIC, "as:Public", "Public"}

GAPS = [
    "inbound messages (mentions and replies from other accounts): a Mastodon archive holds only "
    "the account's own posts",
    "follower and following lists and counts (actor.json links to them, the archive does not "
    "hold them)",
    "dates of favourites (likes.json does not date them)",
]


class _Text(HTMLParser):
    """HTML content → plain text and the links it points to (mention and tag links excluded)."""

    BLOCK = frozenset({"p", "div", "blockquote", "li", "pre", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCK and self.parts and not "".join(self.parts[-2:]).endswith("\n\n"):
            self.parts.append("\n\n")
        elif tag == "a":
            a = dict(attrs)
            cls = (a.get("class") or "").split()
            href = a.get("href")
            rel = (a.get("rel") or "").split()
            if href and "mention" not in cls and "hashtag" not in cls and "tag" not in rel:
                self.links.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str | None) -> tuple[str | None, list[str]]:
    if content is None:
        return None, []
    parser = _Text()
    parser.feed(content)
    parser.close()
    return "".join(parser.parts).strip(), parser.links


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def visibility(to: list[str], cc: list[str], followers_url: str | None) -> str:
    if _PUBLIC_ALIASES & set(to):
        return "public"
    if _PUBLIC_ALIASES & set(cc):
        return "unlisted"
    addressed = to + cc
    if (followers_url and followers_url in addressed) or any(
        u.endswith("/followers") for u in addressed
    ):
        return "followers"
    return "direct"


def _handle(actor_url: str, username: str | None) -> str:
    """user@host, the handle as Mastodon shows it (without the leading @)."""
    try:
        parts = urlsplit(actor_url)
        host = parts.hostname or ""
    except ValueError:  # a malformed URL: keep what can be read from it
        parts, host = urlsplit(""), ""
    name = username or actor_url.rstrip("/").rsplit("/", 1)[-1]
    return f"{name}@{host}" if host else name


class _Layout:
    def __init__(self, c: Container) -> None:
        self.c = c
        prefixes = c.locate_all("outbox.json")
        if not prefixes:
            raise InputError(c.path, "not a Mastodon archive: no outbox.json")
        if len(prefixes) > 1:
            raise several_exports(c, "Mastodon archives", prefixes)
        self.prefix = prefixes[0]

    def has(self, name: str) -> bool:
        return self.c.exists(self.prefix + name)

    def json(self, name: str) -> tuple[Where, Any]:
        member = self.prefix + name
        return Where(self.c.where(member)), self.c.read_json(member)


class MastodonSource:
    name = "mastodon"
    description = "Mastodon account archive: the zip, or its folder with outbox.json and actor.json"

    def detect(self, path: Path) -> bool:
        try:
            with Container(path) as c:
                if c.kind == "file":
                    return path.name == "outbox.json" and b"OrderedCollection" in read_head(path)
                prefixes = c.locate_all("outbox.json")
                head = c.read_head(prefixes[0] + "outbox.json") if prefixes else b""
                return b"OrderedCollection" in head and b"activitystreams" in head
        except InputError:
            return False

    def is_root(self, path: Path) -> bool:
        """True when `path` is the top of one archive (not a folder that holds archives)."""
        return path.is_dir() and (path / "outbox.json").is_file() and self.detect(path)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        with Container(path) as c:
            layout = _Layout(c)
            actor: dict = {}
            if layout.has("actor.json"):
                w, value = layout.json("actor.json")
                actor = expect_dict(value, w, "the ActivityPub actor")
            w, outbox = layout.json("outbox.json")
            outbox = expect_dict(outbox, w, "an ActivityStreams OrderedCollection")
            items = expect_list(outbox.get("orderedItems"), w, "the outbox's items", "orderedItems")

            actor_url = get_str(actor, "id", w) if actor else None
            if actor_url is None:
                actor_url = _first_actor(items, w)
            handle = _handle(actor_url, get_str(actor, "preferredUsername", w) if actor else None)
            followers_url = get_str(actor, "followers", w) if actor else None

            gaps = list(GAPS)
            skipped: list[dict[str, Any]] = []
            messages, other = _messages(items, w, handle, followers_url, skipped)
            if not any(m.get("likes") is not None for m in messages):
                gaps.append("engagement counts (archives before Mastodon 4.3 carry none)")
            rows: dict[str, list[dict]] = {
                "messages": messages,
                "accounts": [],
                "acknowledgements": [],
            }
            if actor:
                rows["accounts"].append(
                    _account(actor, handle, Where(c.where(layout.prefix + "actor.json")))
                )
            else:
                gaps.append("account details (no actor.json)")
            if layout.has("likes.json"):
                wl, likes = layout.json("likes.json")
                likes = expect_dict(likes, wl, "an OrderedCollection of liked posts")
                for i, uri in enumerate(
                    expect_list(
                        likes.get("orderedItems", []), wl, "liked post URIs", "orderedItems"
                    )
                ):
                    if not isinstance(uri, str):
                        raise wl.at(f"item {i + 1}").error(
                            f"expected a post URI, got {uri!r}", "orderedItems"
                        )
                    rows["acknowledgements"].append(
                        {
                            "platform": Platform.MASTODON.value,
                            "account": handle,
                            "message_id": uri,
                            "kind": "favourite",
                            "created_at": None,
                        }
                    )
            else:
                gaps.append("the account's favourites (no likes.json)")
            if other:
                skipped.append(
                    {
                        "what": "other activities",
                        "count": other,
                        "reason": "only Create and Announce are messages",
                    }
                )
            return ImportBatch(
                source=str(path.resolve()),
                format=self.name,
                tables=build_tables(rows, path),
                platform=Platform.MASTODON.value,
                account=handle,
                skipped=skipped + c.refused(),
                gaps=gaps,
            )


def _first_actor(items: list, w: Where) -> str:
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("actor"), str):
            return item["actor"]
    raise w.error(
        "cannot tell whose archive this is: no actor.json and no activity names its actor"
    )


def _messages(
    items: list, w: Where, handle: str, followers_url: str | None, skipped: list[dict[str, Any]]
) -> tuple[list[dict], int]:
    out: list[dict] = []
    other = 0
    for i, item in enumerate(items):
        wi = w.at(f"orderedItems[{i}]")
        item = expect_dict(item, wi, "an activity")
        kind = item.get("type")
        if kind == "Create":
            note = expect_dict(item.get("object"), wi, "the created object", "object")
            if note.get("type") not in ("Note", "Question", "Article", "Page"):
                other += 1
                continue
            out.append(_note(note, item, wi, handle, followers_url))
        elif kind == "Announce":
            obj = item.get("object")
            target = (
                obj
                if isinstance(obj, str)
                else get_str(expect_dict(obj, wi, "the boosted post", "object"), "id", wi)
            )
            out.append(
                {
                    "platform": Platform.MASTODON.value,
                    "id": get_str(item, "id", wi, required=True),
                    "account": handle,
                    "author": handle,
                    "from_brand": True,
                    "created_at": iso_time(item.get("published"), wi, "published"),
                    "text": None,
                    "kind": Kind.REPOST.value,
                    "url": target,  # the boost has no page of its own: link to what it shares
                    "links": [],
                    "hashtags": [],
                    "mentions": [],
                    "visibility": visibility(
                        _as_list(item.get("to")), _as_list(item.get("cc")), followers_url
                    ),
                    "time_only": False,
                    "raw": raw_json(item),
                }
            )
        else:
            other += 1
    return out, other


def _note(note: dict, activity: dict, w: Where, handle: str, followers_url: str | None) -> dict:
    nid = get_str(note, "id", w, required=True)
    w = w.at(f"{w.record} ({nid})")
    content = note.get("content")
    lang = None
    content_map = note.get("contentMap")
    if isinstance(content_map, dict) and content_map:
        lang = next(iter(content_map))
        if content is None:
            content = content_map[lang]
    if content is not None and not isinstance(content, str):
        raise w.error(f"expected HTML text, got {type(content).__name__}", "content")
    text, links = html_to_text(content)
    mentions, hashtags = [], []
    for tag in as_list(note.get("tag")):
        if not isinstance(tag, dict) or not isinstance(tag.get("name"), str):
            continue
        if tag.get("type") == "Mention":
            name = tag["name"].lstrip("@").lower()
            if "@" not in name and isinstance(tag.get("href"), str):
                # a local account is named without its server: add it, as handles elsewhere have it
                host = host_of(tag["href"])
                name = f"{name}@{host}" if host else name
            mentions.append(name)
        elif tag.get("type") == "Hashtag":
            hashtags.append(tag["name"].lstrip("#").lower())
    vis = visibility(_as_list(note.get("to")), _as_list(note.get("cc")), followers_url)
    parent = get_str(note, "inReplyTo", w)
    if vis == "direct":
        kind = Kind.DIRECT
    elif parent:
        kind = Kind.REPLY
    else:
        kind = Kind.POST
    published = note.get("published", activity.get("published"))
    return {
        "platform": Platform.MASTODON.value,
        "id": nid,
        "account": handle,
        "author": handle,
        "from_brand": True,
        "created_at": iso_time(published, w, "published"),
        "text": text,
        "kind": kind.value,
        "in_reply_to": parent,
        "conversation_id": get_str(note, "conversation", w),
        "url": get_str(note, "url", w) if isinstance(note.get("url"), str) else nid,
        "links": links or links_in(text),
        "hashtags": hashtags or hashtags_in(text),
        "mentions": mentions or mentions_in(text),
        "visibility": vis,
        "lang": lang,
        # Mastodon 4.3+ writes likes/shares collections with their totals; older archives none.
        "likes": _total(note.get("likes"), w, "likes"),
        "reposts": _total(note.get("shares"), w, "shares"),
        "edited_at": iso_time(note["updated"], w, "updated") if note.get("updated") else None,
        "time_only": False,
        "raw": raw_json(note),
    }


def _total(collection: Any, w: Where, field: str) -> int | None:
    if isinstance(collection, dict) and "totalItems" in collection:
        return get_int(collection, "totalItems", w.at(f"{w.record} {field}"))
    return None


def _account(actor: dict, handle: str, w: Where) -> dict:
    domains = []
    for att in as_list(actor.get("attachment")):
        if isinstance(att, dict) and isinstance(att.get("value"), str):
            _, links = html_to_text(att["value"])
            domains += [host_of(u) or "" for u in links]
    return {
        "platform": Platform.MASTODON.value,
        "handle": handle,
        "account_id": get_str(actor, "id", w),
        "display_name": get_str(actor, "name", w),
        "url": get_str(actor, "url", w) if isinstance(actor.get("url"), str) else None,
        "followers": None,
        "following": None,
        "created_at": iso_time(actor["published"], w, "published")
        if actor.get("published")
        else None,
        "own_domains": [d for d in domains if d],
    }


SOURCE = MastodonSource()
