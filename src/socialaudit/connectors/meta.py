"""Facebook Pages and Instagram professional accounts, through Meta's Graph API.

The Graph API is plain JSON over HTTPS with cursor paging, so a few lines over `requests` do
what is needed; Meta's own Python SDK (`facebook-business`) is built for the Marketing API and
would bring aiohttp and four other packages for nothing used here. The SDK's object models
(`facebook_business.adobjects`) still serve: the tests check every body their stand-in serves
against the field types of those models.

What each pulls, per endpoint:

* Facebook Page, `posts`: the Page's posts (`GET /{page-id}/posts`) with reactions, shares and
  comment totals and their views (`post_media_view`, the metric Meta puts in place of
  impressions since November 2025); the last week is read again so recent counts stay current.
* Facebook Page, `comments`: for each post of the last `COMMENT_WINDOW` days, its comments and
  replies (`GET /{post-id}/comments?filter=stream`) since the last sync, with whether the Page
  liked each (`user_likes`: likes acknowledge praise).
* Instagram, `posts`: the account's media (`GET /{ig-user-id}/media`) with like and comment
  counts and their views and reach (media insights).
* Instagram, `comments`: for each media of the last `COMMENT_WINDOW` days, its comments and their
  replies (`GET /{ig-media-id}/comments`, replies nested).

The profile gives follower and following counts. A comment is addressed to the post it is on,
a reply to the comment it answers, so the care checks decide answered/unanswered on the same
reply tree as for every platform. Replying: `POST /{comment-id}/comments` (Facebook) or
`POST /{ig-comment-id}/replies` (Instagram, which has only one level: an answer to a reply goes
under its top-level comment). Liking: `POST /{comment-id}/likes` (Facebook only: Instagram's API
cannot like a comment).

The access token travels in the Authorization header, never in a URL (paging links are not
followed as given, only their `after` cursor), so it cannot reach a log or an error message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from ..model import Kind, Platform
from ..sources.base import hashtags_in, links_in, mentions_in
from ..sources.rows import raw_json
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
    call,
    from_marker,
    marker,
    newest_first,
)

GRAPH_VERSION = "v25.0"
PAGE_SIZE = 100  # the Graph API's usual maximum per page
TIMEOUT_SECONDS = 30.0
REFRESH = timedelta(days=7)  # posts read again each sync, so their counts stay current
# Comments are read on posts this recent only: a Page's old posts rarely get new comments,
# and reading every post's comments each sync would spend the rate limit on nothing. A user
# who needs older threads syncs once with --since.
COMMENT_WINDOW = timedelta(days=90)
# The walk's start, less this, is where the next sync's comments begin: a comment written
# while a sync runs (or under a small clock difference with Meta) is read the next time.
CLOCK_MARGIN = timedelta(minutes=5)

# Graph error codes (developers.facebook.com/docs/graph-api/guides/error-handling).
TRANSIENT_CODES = {1, 2}  # "API Unknown", "API Service": retry
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80001, 80015)}  # app, user, page, BUC limits
TOKEN_CODES = {190, 102}  # invalid, expired or revoked token; session
PERMISSION_CODES = {10, *range(200, 300)}

FACEBOOK_GAPS = [
    "comments on posts older than 90 days (sync once with --since to read them)",
    "Messenger conversations (they need the pages_messaging permission and app review)",
    "posts by others on the Page and mentions of the Page elsewhere",
    "impressions: Meta replaced them with views (post_media_view), which fill that column",
]
INSTAGRAM_GAPS = [
    "comments on media older than 90 days (sync once with --since to read them)",
    "direct messages (the Instagram messaging API needs app review)",
    "media of others that tag or mention the account",
    "the account's likes of comments (the API cannot read or give them)",
]


@dataclass
class GraphError:
    """The error object the Graph API sends with a failed request."""

    status: int
    code: int | None
    subcode: int | None
    message: str
    transient: bool


class Graph:
    """The Graph API over `requests`: GET and POST with the token in the header, errors
    turned into the connector errors of `base.py`."""

    def __init__(self, service: str, token: str, retry: Retry, what: str) -> None:
        self.base = f"{service.rstrip('/')}/{GRAPH_VERSION}"
        self.service = service.rstrip("/")
        self.retry = retry
        self.what = what  # "facebook page 1234" in messages
        self._token = token
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, params: dict[str, Any] | None = None, what: str = "") -> Any:
        return self._call("GET", path, params or {}, what or path)

    def post(self, path: str, data: dict[str, Any], what: str) -> Any:
        return self._call("POST", path, data, what)

    def _call(self, method: str, path: str, params: dict[str, Any], what: str) -> Any:
        return call(
            lambda: self._request(method, path, params, what), f"{self.what} {what}", self.retry
        )

    def _request(self, method: str, path: str, params: dict[str, Any], what: str) -> Any:
        url = f"{self.base}/{path.lstrip('/')}"
        try:
            if method == "GET":
                resp = self.session.get(url, params=params, timeout=TIMEOUT_SECONDS)
            else:
                resp = self.session.post(url, data=params, timeout=TIMEOUT_SECONDS)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Transient(f"cannot reach {self.service}") from exc
        try:
            body = resp.json()
        except ValueError:
            body = None
        if resp.status_code < 400 and not (isinstance(body, dict) and "error" in body):
            if body is None:
                raise Transient(f"the API sent a body that is not JSON ({resp.status_code})")
            return body
        raise self._failure(resp, body, what)

    def _failure(self, resp: requests.Response, body: Any, what: str) -> Exception:
        err = _graph_error(resp.status_code, body, self._token)
        if err.code in RATE_LIMIT_CODES or resp.status_code == 429:
            return RateLimited(_regain_access(resp.headers), f"rate limit (code {err.code})")
        if err.transient or err.code in TRANSIENT_CODES or resp.status_code >= 500:
            return Transient(f"server error {resp.status_code}")
        if err.code in TOKEN_CODES or resp.status_code == 401:
            return ConnectorError(
                f"{self.what} at {self.service}: the access token was refused (expired, revoked "
                "or wrong); make a new one and run `socialaudit connect` again"
            )
        if err.code in PERMISSION_CODES:
            return ConnectorError(
                f"{self.what} {what}: the token lacks a permission this needs ({err.message})"
            )
        return ConnectorError(f"{self.what} {what}: the API answered {err.status}: {err.message}")


def _graph_error(status: int, body: Any, secret: str) -> GraphError:
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return GraphError(status, None, None, f"HTTP {status}", status >= 500)
    message = str(error.get("message") or f"HTTP {status}")
    if secret:
        message = message.replace(secret, "[token]")  # never repeat a secret in an error
    return GraphError(
        status,
        error.get("code") if isinstance(error.get("code"), int) else None,
        error.get("error_subcode") if isinstance(error.get("error_subcode"), int) else None,
        message[:200],
        bool(error.get("is_transient")),
    )


def _regain_access(headers: Any) -> datetime | None:
    """When the usage headers say access comes back (`estimated_time_to_regain_access`, in
    minutes, in X-Business-Use-Case-Usage); None when they do not say."""
    raw = headers.get("x-business-use-case-usage") or headers.get("x-page-usage")
    if not raw:
        return None
    try:
        usage = json.loads(raw)
    except ValueError:
        return None
    minutes = []
    for entries in usage.values() if isinstance(usage, dict) else []:
        for e in entries if isinstance(entries, list) else [entries]:
            if isinstance(e, dict) and isinstance(e.get("estimated_time_to_regain_access"), int):
                minutes.append(e["estimated_time_to_regain_access"])
    if not minutes:
        return None
    return datetime.now(UTC) + timedelta(minutes=max(minutes))


def graph_time(value: Any) -> datetime | None:
    """A Graph time ("2026-11-30T10:00:00+0000") as an aware datetime."""
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _after(body: dict[str, Any]) -> str | None:
    """The cursor of the next page, when there is one (the `next` link itself is not used)."""
    paging = body.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after")


def _insight(node: dict[str, Any], metric: str) -> int | None:
    for m in (node.get("insights") or {}).get("data") or []:
        if m.get("name") == metric:
            values = m.get("values") or []
            if values and isinstance(values[-1].get("value"), int):
                return int(values[-1]["value"])
    return None


def _total(node: dict[str, Any], edge: str) -> int | None:
    summary = (node.get(edge) or {}).get("summary") or {}
    value = summary.get("total_count")
    return int(value) if isinstance(value, int) else None


class _MetaConnector(ConnectorBase):
    """What the Facebook and Instagram connectors share: the Graph client, the profile, the
    newest-first walk over posts, and the walk over recent posts' comments."""

    endpoints = ("posts", "comments")
    default_page_size = PAGE_SIZE
    node_by_id = True  # make_connector passes the account's Graph id (the handle is a name)
    post_edge: str  # "posts" or "media"
    time_field: str  # "created_time" or "timestamp"
    link_field: str  # "permalink_url" or "permalink"

    def __init__(
        self,
        service: str,
        handle: str,
        secret: str,
        retry: Retry | None = None,
        page_size: int | None = None,
        node_id: str | None = None,
    ) -> None:
        super().__init__(service, handle, retry, page_size)
        self.node = node_id or self.given_handle  # at connect time the id is what the user gave
        self.graph = Graph(service, secret, self.retry, f"{self.platform} {self.given_handle}")
        self._profile: Profile | None = None

    # -- what differs per platform ----------------------------------------------------------

    def _read_profile(self) -> Profile:
        raise NotImplementedError

    def _post_fields(self) -> str:
        raise NotImplementedError

    def _post_row(self, node: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _comments_of(self, post: dict[str, Any], since: datetime | None) -> dict[str, list]:
        raise NotImplementedError

    # -- the interface ------------------------------------------------------------------------

    @property
    def handle(self) -> str:
        return self.profile().handle.lower()

    def profile(self) -> Profile:
        if self._profile is None:
            self._profile = self._read_profile()
            self.node = self._profile.account_id
        return self._profile

    def pull(
        self, endpoint: str, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]:
        self.profile()
        if endpoint == "posts":
            return newest_first(
                self._post_listing(self._post_fields()),
                lambda node: graph_time(node.get(self.time_field)) or datetime.now(UTC),
                lambda nodes: {"messages": [self._post_row(n) for n in nodes]},
                cursor,
                since,
                REFRESH,
            )
        if endpoint == "comments":
            return self._comment_walk(cursor, since)
        raise ValueError(f"unknown endpoint {endpoint!r}")

    # -- listings ------------------------------------------------------------------------------

    def _post_listing(self, fields: str) -> Callable[[str | None], Listing]:
        def fetch(after: str | None) -> Listing:
            params: dict[str, Any] = {"fields": fields, "limit": self.page_size}
            if after:
                params["after"] = after
            body = self.graph.get(f"{self.node}/{self.post_edge}", params, self.post_edge)
            return Listing(list(body.get("data") or []), _after(body))

        return fetch

    def _comment_walk(
        self, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]:
        """Each recent post's new comments, one page per post.

        The cursor is `{"newest": M}` after a complete walk, M being when that walk began (less
        a margin), so the next walk reads what was written since. While a walk is under way it
        also holds `walk`: the posts page it is on, how many of that page's posts are done, and
        the walk's own start and lower bound, so a sync killed half-way resumes there."""
        cursor = dict(cursor or {})
        walk = cursor.get("walk") if since is None else None
        if walk:
            after, done, started, low = (
                walk.get("after"),
                int(walk.get("done", 0)),
                walk["started"],
                walk.get("low"),
            )
        else:
            now = datetime.now(UTC)
            after, done, started = None, 0, marker(now - CLOCK_MARGIN)
            low = marker(since) if since is not None else cursor.get("newest")
        low_time = _from_marker(low)
        oldest_post = since if since is not None else from_marker(started) - COMMENT_WINDOW
        fetch = self._post_listing(f"id,{self.time_field},{self.link_field}")
        while True:
            listing = fetch(after)
            posts = listing.items
            finished = listing.next is None or not posts
            for i, post in enumerate(posts):
                if i < done:
                    continue
                when = graph_time(post.get(self.time_field))
                if when is not None and when < oldest_post:
                    finished = True  # newest first: every later post is older still
                    break
                rows = self._comments_of(post, low_time)
                last = i == len(posts) - 1 and listing.next is None
                state = (
                    {"newest": started}
                    if last
                    else {
                        "newest": cursor.get("newest"),
                        "walk": {"after": after, "done": i + 1, "started": started, "low": low},
                    }
                )
                yield Page(rows=rows, cursor=state, items=sum(len(v) for v in rows.values()))
                if last:
                    return
            if finished:
                yield Page(rows={}, cursor={"newest": started}, items=0)
                return
            after, done = listing.next, 0

    def _pages(self, path: str, params: dict[str, Any], what: str) -> Iterator[dict[str, Any]]:
        """Every item of a listing, page after page (for the comments of one post)."""
        after = None
        while True:
            page_params = dict(params, limit=self.page_size)
            if after:
                page_params["after"] = after
            body = self.graph.get(path, page_params, what)
            yield from body.get("data") or []
            after = _after(body)
            if after is None:
                return

    # -- rows ------------------------------------------------------------------------------

    def _reply_row(self, target: dict[str, Any], reply_id: str, text: str) -> dict[str, Any]:
        """The brand's reply just posted below `target`, as the next sync will read it."""
        return self._message(
            id=reply_id,
            author=self.handle,
            from_brand=True,
            created_at=datetime.now(UTC),
            text=text,
            kind=Kind.REPLY.value,
            in_reply_to=target["id"],
            conversation_id=target.get("conversation_id"),
            url=target.get("url"),
        )

    def _message(self, **fields: Any) -> dict[str, Any]:
        text = fields.get("text")
        row = {
            "platform": self.platform,
            "account": self.handle,
            "links": links_in(text),
            "hashtags": hashtags_in(text),
            "mentions": mentions_in(text),
            "visibility": "public",
            "time_only": False,
        }
        row.update(fields)
        return row


class FacebookPageConnector(_MetaConnector):
    platform = Platform.FACEBOOK.value
    gaps = FACEBOOK_GAPS
    post_edge = "posts"
    time_field = "created_time"
    link_field = "permalink_url"

    def _read_profile(self) -> Profile:
        body = self.graph.get(
            self.node, {"fields": "id,name,username,link,followers_count,fan_count"}, "profile"
        )
        if not body.get("id"):
            raise ConnectorError(f"facebook: no Page {self.given_handle}")
        return Profile(
            handle=body.get("username") or body["id"],
            account_id=str(body["id"]),
            display_name=body.get("name"),
            url=body.get("link"),
            followers=body.get("followers_count", body.get("fan_count")),
        )

    def _post_fields(self) -> str:
        return (
            "id,message,created_time,updated_time,permalink_url,from,shares,"
            "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),"
            "insights.metric(post_media_view)"
        )

    def _post_row(self, node: dict[str, Any]) -> dict[str, Any]:
        created = graph_time(node.get("created_time"))
        updated = graph_time(node.get("updated_time"))
        return self._message(
            id=node["id"],
            author=self.handle,
            from_brand=True,
            created_at=created,
            text=node.get("message"),
            kind=Kind.POST.value,
            in_reply_to=None,
            conversation_id=node["id"],
            url=node.get("permalink_url"),
            likes=_total(node, "reactions"),
            reposts=(node.get("shares") or {}).get("count"),
            replies=_total(node, "comments"),
            impressions=_insight(node, "post_media_view"),
            edited_at=updated if updated and created and updated > created else None,
            raw=raw_json(node),
        )

    def _comments_of(self, post: dict[str, Any], since: datetime | None) -> dict[str, list]:
        params: dict[str, Any] = {
            "filter": "stream",  # replies too, each naming its parent
            "order": "reverse_chronological",
            "fields": "id,message,created_time,from,parent{id},like_count,comment_count,"
            "permalink_url,user_likes",
        }
        if since is not None:
            params["since"] = int(since.timestamp())
        messages, likes = [], []
        for c in self._pages(f"{post['id']}/comments", params, "comments"):
            when = graph_time(c.get("created_time"))
            if since is not None and when is not None and when < since:
                continue
            author = c.get("from") or {}
            own = str(author.get("id", "")) == self.node
            parent = (c.get("parent") or {}).get("id") or post["id"]
            messages.append(
                self._message(
                    id=c["id"],
                    author=self.handle if own else author.get("name") or author.get("id"),
                    from_brand=own,
                    created_at=when,
                    text=c.get("message"),
                    kind=(Kind.REPLY if own else Kind.COMMENT).value,
                    in_reply_to=parent,
                    conversation_id=post["id"],
                    url=c.get("permalink_url") or post.get("permalink_url"),
                    likes=c.get("like_count"),
                    replies=c.get("comment_count"),
                    raw=raw_json(c),
                )
            )
            if c.get("user_likes") and not own:
                likes.append(acknowledgement_row(self.platform, self.handle, c["id"]))
        return {"messages": messages, "acknowledgements": likes}

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        self.profile()
        made = self.graph.post(f"{target['id']}/comments", {"message": text}, "reply")
        return self._reply_row(target, str(made["id"]), text)

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        self.profile()
        self.graph.post(f"{target['id']}/likes", {}, "like")
        return acknowledgement_row(
            self.platform, self.handle, target["id"], action_id=f"like:{self.node}:{target['id']}"
        )


class InstagramConnector(_MetaConnector):
    platform = Platform.INSTAGRAM.value
    gaps = INSTAGRAM_GAPS
    post_edge = "media"
    time_field = "timestamp"
    link_field = "permalink"

    def _read_profile(self) -> Profile:
        body = self.graph.get(
            self.node,
            {"fields": "id,username,name,followers_count,follows_count,media_count"},
            "profile",
        )
        if not body.get("id") or not body.get("username"):
            raise ConnectorError(f"instagram: no professional account {self.given_handle}")
        return Profile(
            handle=body["username"],
            account_id=str(body["id"]),
            display_name=body.get("name"),
            url=f"https://www.instagram.com/{body['username']}/",
            followers=body.get("followers_count"),
            following=body.get("follows_count"),
        )

    def _post_fields(self) -> str:
        return (
            "id,caption,timestamp,permalink,media_type,media_product_type,like_count,"
            "comments_count,insights.metric(views,reach)"
        )

    def _post_row(self, node: dict[str, Any]) -> dict[str, Any]:
        return self._message(
            id=node["id"],
            author=self.handle,
            from_brand=True,
            created_at=graph_time(node.get("timestamp")),
            text=node.get("caption"),
            kind=Kind.POST.value,
            in_reply_to=None,
            conversation_id=node["id"],
            url=node.get("permalink"),
            likes=node.get("like_count"),
            replies=node.get("comments_count"),
            impressions=_insight(node, "views"),
            raw=raw_json(node),
        )

    def _comments_of(self, post: dict[str, Any], since: datetime | None) -> dict[str, list]:
        fields = (
            "id,text,timestamp,username,from,like_count,"
            "replies{id,text,timestamp,username,from,parent_id,like_count}"
        )
        messages = []
        for c in self._pages(f"{post['id']}/comments", {"fields": fields}, "comments"):
            messages.append(self._comment_row(c, post, post["id"]))
            for r in (c.get("replies") or {}).get("data") or []:
                messages.append(self._comment_row(r, post, c["id"]))
        if since is not None:
            messages = [m for m in messages if m["created_at"] is None or m["created_at"] >= since]
        return {"messages": messages}

    def _comment_row(self, c: dict[str, Any], post: dict[str, Any], parent: str) -> dict[str, Any]:
        username = c.get("username") or (c.get("from") or {}).get("username")
        own = (username or "").lower() == self.handle
        return self._message(
            id=c["id"],
            author=self.handle if own else username,
            from_brand=own,
            created_at=graph_time(c.get("timestamp")),
            text=c.get("text"),
            kind=(Kind.REPLY if own else Kind.COMMENT).value,
            in_reply_to=parent,
            conversation_id=post["id"],
            url=post.get("permalink"),
            likes=c.get("like_count"),
            raw=raw_json(c),
        )

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        self.profile()
        # Instagram threads have one level: an answer to a reply goes under its top-level
        # comment, naming the person answered so they are notified.
        top = _instagram_top_comment(target)
        if top != target["id"] and target.get("author") and not text.startswith("@"):
            text = f"@{target['author']} {text}"
        made = self.graph.post(f"{top}/replies", {"message": text}, "reply")
        return self._reply_row(target, str(made["id"]), text)

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        raise ConnectorError(
            "instagram: the API cannot like a comment; thank them with a reply instead "
            "(`socialaudit inbox reply ID --text ...`)"
        )


def _instagram_top_comment(target: dict[str, Any]) -> str:
    """The top-level comment a reply belongs to (a comment's own id when it is top-level)."""
    try:
        raw = json.loads(target.get("raw") or "{}")
    except ValueError:
        raw = {}
    parent = raw.get("parent_id") if isinstance(raw, dict) else None
    if parent:
        return str(parent)
    in_reply_to = target.get("in_reply_to")
    conversation = target.get("conversation_id")
    if in_reply_to and conversation and in_reply_to != conversation:
        return str(in_reply_to)
    return str(target["id"])


def _from_marker(m: str | None) -> datetime | None:
    return from_marker(m) if m else None
