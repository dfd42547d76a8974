"""Bluesky through its API (the `atproto` client): a PDS for the account's own records, and the
AppView behind it (reached through the PDS) for feeds, threads and notifications.

What it pulls, per endpoint:

* `posts`: the account's author feed (posts, replies, reposts) with their like, repost, reply
  and quote counts; the last week is read again each time so recent counts stay current;
* `notifications`: mentions, replies and quotes (as inbound messages, each with the thread it
  belongs to, so answered/unanswered is decided on the reply tree) and new followers;
* `likes`, `follows`: the account's own like and follow records (acknowledgements, following).

The profile gives the account row and a dated audience row (followers, following).
Credentials: the handle and an app password (Settings → Privacy and security → App passwords).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from atproto import Client, models
from atproto_client import exceptions as atx

from ..model import Kind, Platform
from ..sources.bluesky import _facets, _web_url, tid_time
from ..sources.rows import Where, raw_json
from .base import (
    ConnectorBase,
    ConnectorError,
    Listing,
    Page,
    Profile,
    RateLimited,
    Retry,
    Transient,
    acknowledgement_row,
    newest_first,
)

PAGE_SIZE = 50
REFRESH = timedelta(days=7)  # re-read this much of the author feed: counts of recent posts move
THREAD_DEPTH = 10
THREAD_PARENTS = 40
INBOUND_REASONS = ("mention", "reply", "quote")

GAPS = [
    "direct messages (Bluesky's chat service is not reachable with an app password's scope)",
    "impressions and clicks (Bluesky's API does not give them)",
    "the followers of the account before it was connected (only new followers, from "
    "notifications; the profile's count is recorded each day)",
]


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _sub(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """The object under `key`, or {} when it is absent or not an object (records are untrusted)."""
    value = parent.get(key)
    return value if isinstance(value, dict) else {}


def _dump(model: Any) -> dict[str, Any]:
    if isinstance(model, dict):
        return model
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


class BlueskyConnector(ConnectorBase):
    platform = Platform.BLUESKY.value
    endpoints = ("posts", "notifications", "likes", "follows")
    gaps = GAPS
    default_page_size = PAGE_SIZE
    lower_handle = True

    def __init__(
        self,
        service: str,
        handle: str,
        secret: str,
        retry: Retry | None = None,
        page_size: int | None = None,
    ) -> None:
        super().__init__(service, handle, retry, page_size)
        self._secret = secret
        self._client: Client | None = None
        self._did: str | None = None

    # -- requests ----------------------------------------------------------------------------

    def _translate(self, fn: Callable[[], Any], what: str) -> Any:
        try:
            return fn()
        except atx.RateLimitExceededError as exc:
            raise RateLimited(exc.reset_at, "429") from exc
        except atx.UnauthorizedError as exc:
            raise self._refused() from exc
        except atx.NetworkError as exc:  # transport errors and 502 (the AppView behind the PDS)
            raise Transient(
                f"cannot reach {self.service} ({_short(exc) or 'network error'})"
            ) from exc
        except atx.BadRequestError as exc:
            detail = _short(exc)
            if any(k in detail for k in ("ExpiredToken", "InvalidToken", "AuthenticationRequired")):
                raise self._refused() from exc
            raise ConnectorError(
                f"bluesky {what}: the server refused the request ({detail})"
            ) from exc
        except atx.RequestException as exc:
            status = exc.response.status_code if exc.response is not None else None
            if status is not None and status >= 500:
                raise Transient(f"server error {status}") from exc
            raise ConnectorError(f"bluesky {what}: unexpected answer ({_short(exc)})") from exc

    def _refused(self) -> ConnectorError:
        return ConnectorError(
            f"bluesky {self.handle} at {self.service}: the server refused the handle and app "
            "password (wrong, revoked, or no such account); make a new app password and run "
            f"`socialaudit connect bluesky --service {self.service} --handle {self.handle} "
            "--app-password-env VAR` again"
        )

    @property
    def client(self) -> Client:
        if self._client is None:
            client = Client(base_url=f"{self.service}/xrpc")
            # A fresh session each time: a revoked app password is noticed at once.
            # The session names the account; the profile comes from the AppView, asked later.
            self._call(
                lambda: client.login(self.handle, self._secret, fetch_bsky_profile=False), "login"
            )
            session = self._call(lambda: client.com.atproto.server.get_session(), "session")
            # The posting helpers (reply, like) need `me`; the session's did and handle suffice.
            client.me = models.AppBskyActorDefs.ProfileViewDetailed(
                did=session.did, handle=session.handle
            )
            self._client, self._did = client, session.did
        return self._client

    @property
    def did(self) -> str:
        _ = self.client
        assert self._did is not None
        return self._did

    # -- the interface -----------------------------------------------------------------------

    def profile(self) -> Profile:
        p = self._call(
            lambda: self.client.app.bsky.actor.get_profile({"actor": self.did}), "profile"
        )
        return Profile(
            handle=p.handle,
            account_id=p.did,
            display_name=p.display_name,
            url=f"https://bsky.app/profile/{p.handle}",
            followers=p.followers_count,
            following=p.follows_count,
            created_at=_parse_time(p.created_at),
        )

    def pull(
        self, endpoint: str, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]:
        if endpoint == "posts":
            return newest_first(
                self._author_feed, self._feed_time, self._feed_rows, cursor, since, REFRESH
            )
        if endpoint == "notifications":
            return newest_first(
                self._notifications,
                lambda n: _parse_time(n.indexed_at) or datetime.now(UTC),
                self._notification_rows,
                cursor,
                since,
            )
        if endpoint in ("likes", "follows"):
            collection = "app.bsky.feed.like" if endpoint == "likes" else "app.bsky.graph.follow"
            rows = self._like_rows if endpoint == "likes" else self._follow_rows
            return newest_first(
                lambda page: self._records(collection, page),
                self._record_time,
                rows,
                cursor,
                since,
            )
        raise ValueError(f"unknown endpoint {endpoint!r}")

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        uri = target["id"]
        found = self._call(lambda: self.client.app.bsky.feed.get_posts({"uris": [uri]}), "post")
        if not found.posts:
            raise ConnectorError(f"bluesky: the post {uri} is gone (deleted?); nothing was sent")
        parent = found.posts[0]
        parent_ref = models.ComAtprotoRepoStrongRef.Main(uri=parent.uri, cid=parent.cid)
        record = _dump(parent.record)
        root = record.get("reply", {}).get("root")
        root_ref = (
            models.ComAtprotoRepoStrongRef.Main(uri=root["uri"], cid=root["cid"])
            if isinstance(root, dict)
            else parent_ref
        )
        ref = models.AppBskyFeedPost.ReplyRef(parent=parent_ref, root=root_ref)
        created = self._call(lambda: self.client.send_post(text, reply_to=ref), "reply")
        return {
            "platform": self.platform,
            "id": created.uri,
            "account": self.handle,
            "author": self.handle,
            "from_brand": True,
            "created_at": datetime.now(UTC),
            "text": text,
            "kind": Kind.REPLY.value,
            "in_reply_to": parent.uri,
            "conversation_id": root_ref.uri,
            "url": _web_url(created.uri),
            "links": [],
            "hashtags": [],
            "mentions": [],
            "visibility": "public",
            "time_only": False,
        }

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        uri = target["id"]
        found = self._call(lambda: self.client.app.bsky.feed.get_posts({"uris": [uri]}), "post")
        if not found.posts:
            raise ConnectorError(f"bluesky: the post {uri} is gone (deleted?); nothing was liked")
        post = found.posts[0]
        created = self._call(lambda: self.client.like(post.uri, post.cid), "like")
        return acknowledgement_row(
            self.platform,
            self.handle,
            post.uri,
            created_at=datetime.now(UTC),
            action_id=created.uri,
        )

    # -- listings ----------------------------------------------------------------------------

    def _author_feed(self, page: str | None) -> Listing:
        params: dict[str, Any] = {
            "actor": self.did,
            "filter": "posts_with_replies",
            "limit": self.page_size,
        }
        if page:
            params["cursor"] = page
        r = self._call(lambda: self.client.app.bsky.feed.get_author_feed(params), "author feed")
        return Listing(list(r.feed), r.cursor)

    @staticmethod
    def _feed_time(item: Any) -> datetime:
        reason = getattr(item, "reason", None)
        when = getattr(reason, "indexed_at", None) or item.post.indexed_at
        return _parse_time(when) or datetime.now(UTC)

    def _notifications(self, page: str | None) -> Listing:
        params: dict[str, Any] = {"limit": self.page_size}
        if page:
            params["cursor"] = page
        r = self._call(
            lambda: self.client.app.bsky.notification.list_notifications(params), "notifications"
        )
        return Listing(list(r.notifications), r.cursor)

    def _records(self, collection: str, page: str | None) -> Listing:
        params: dict[str, Any] = {
            "repo": self.did,
            "collection": collection,
            "limit": self.page_size,
        }
        if page:
            params["cursor"] = page
        r = self._call(lambda: self.client.com.atproto.repo.list_records(params), collection)
        return Listing(list(r.records), r.cursor)

    @staticmethod
    def _record_time(rec: Any) -> datetime:
        # A record key is a TID: the time it was written, which is how listRecords sorts.
        return (
            tid_time(rec.uri.rsplit("/", 1)[-1])
            or _parse_time(_dump(rec.value).get("createdAt"))
            or datetime.now(UTC)
        )

    # -- rows --------------------------------------------------------------------------------

    def _feed_rows(self, items: list[Any]) -> dict[str, list[dict[str, Any]]]:
        messages = []
        for item in items:
            reason = getattr(item, "reason", None)
            if reason is not None and getattr(reason, "py_type", "").endswith("reasonRepost"):
                messages.append(self._repost_row(item, reason))
            elif reason is None or item.post.author.did == self.did:
                messages.append(self._post_row(item.post))
        return {"messages": messages}

    def _repost_row(self, item: Any, reason: Any) -> dict[str, Any]:
        subject = item.post.uri
        return {
            "platform": self.platform,
            # A repost's own record is not in the feed item; the subject and the time name it.
            "id": f"{subject}#repost-by-{self.did}",
            "account": self.handle,
            "author": self.handle,
            "from_brand": True,
            "created_at": _parse_time(reason.indexed_at),
            "text": None,
            "kind": Kind.REPOST.value,
            "url": _web_url(subject),
            "links": [],
            "hashtags": [],
            "mentions": [],
            "visibility": "public",
            "time_only": False,
        }

    def _post_row(self, post: Any) -> dict[str, Any]:
        record = _dump(post.record)
        text = record.get("text") if isinstance(record.get("text"), str) else None
        reply = _sub(record, "reply")
        parent = _sub(reply, "parent").get("uri")
        root = _sub(reply, "root").get("uri")
        links, mentions, tags = _facets(record, text, Where(f"bluesky {post.uri}"))
        embed = _sub(record, "embed")
        external = _sub(embed, "external")
        if isinstance(external.get("uri"), str):
            links.append(external["uri"])
        quoted = _sub(embed, "record")
        own = post.author.did == self.did
        if own:
            kind = Kind.REPLY if parent else Kind.POST
        else:
            kind = Kind.REPLY if parent else Kind.MENTION
        langs = record.get("langs")
        return {
            "platform": self.platform,
            "id": post.uri,
            "account": self.handle,
            "author": post.author.handle.lower(),
            "from_brand": own,
            "created_at": _parse_time(record.get("createdAt")) or _parse_time(post.indexed_at),
            "text": text,
            "kind": kind.value,
            "in_reply_to": parent,
            "conversation_id": root or post.uri,
            "url": _web_url(post.uri),
            "links": list(dict.fromkeys(links)),
            "hashtags": list(dict.fromkeys(tags)),
            "mentions": list(dict.fromkeys(mentions)),
            "visibility": "public",
            "lang": langs[0]
            if isinstance(langs, list) and langs and isinstance(langs[0], str)
            else None,
            "likes": post.like_count,
            "reposts": post.repost_count,
            "replies": post.reply_count,
            "quotes": post.quote_count,
            "time_only": False,
            "raw": raw_json({**record, "quoted": quoted.get("uri")} if quoted else record),
        }

    def _notification_rows(self, items: list[Any]) -> dict[str, list[dict[str, Any]]]:
        messages: dict[str, dict[str, Any]] = {}
        follows = []
        for n in items:
            if n.reason in INBOUND_REASONS:
                for post in self._thread(n.uri):
                    messages[post.uri] = self._post_row(post)
            elif n.reason == "follow":
                follows.append(
                    {
                        "platform": self.platform,
                        "account": self.handle,
                        "direction": "follower",
                        "other": n.author.did,
                        "created_at": _parse_time(n.indexed_at),
                    }
                )
        return {"messages": list(messages.values()), "follows": follows}

    def _thread(self, uri: str) -> list[Any]:
        """Every post of the thread around `uri`: its parents up to the root, and the replies."""
        params = {"uri": uri, "depth": THREAD_DEPTH, "parent_height": THREAD_PARENTS}
        try:
            r = self._call(lambda: self.client.app.bsky.feed.get_post_thread(params), "thread")
        except ConnectorError as exc:
            if "NotFound" in str(exc):  # deleted since the notification: nothing to keep
                return []
            raise
        out: list[Any] = []
        seen: set[str] = set()
        stack = [r.thread]
        node = getattr(r.thread, "parent", None)
        while node is not None:  # the parents, up to the root
            stack.append(node)
            node = getattr(node, "parent", None)
        while stack:
            node = stack.pop()
            post = getattr(node, "post", None)
            if post is None or post.uri in seen:  # a blocked or deleted post in the tree
                continue
            seen.add(post.uri)
            out.append(post)
            stack.extend(getattr(node, "replies", None) or [])
        return out

    def _like_rows(self, records: list[Any]) -> dict[str, list[dict[str, Any]]]:
        rows = []
        for rec in records:
            value = _dump(rec.value)
            subject = _sub(value, "subject")
            if not isinstance(subject.get("uri"), str):
                continue
            rows.append(
                acknowledgement_row(
                    self.platform,
                    self.handle,
                    subject["uri"],
                    created_at=_parse_time(value.get("createdAt")),
                )
            )
        return {"acknowledgements": rows}

    def _follow_rows(self, records: list[Any]) -> dict[str, list[dict[str, Any]]]:
        rows = []
        for rec in records:
            value = _dump(rec.value)
            if isinstance(value.get("subject"), str):
                rows.append(
                    {
                        "platform": self.platform,
                        "account": self.handle,
                        "direction": "following",
                        "other": value["subject"],
                        "created_at": _parse_time(value.get("createdAt")),
                    }
                )
        return {"follows": rows}


def _short(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]
