"""X (API v2) through the official SDK, `xdk` (its models are generated from X's OpenAPI spec).

What it pulls, per endpoint:

* `posts`: the account's posts and replies (`GET /2/users/:id/tweets`) with their public
  metrics; the last two days are read again each time (reads are billed: kept short);
* `mentions`: the posts that mention it (`GET /2/users/:id/mentions`), the inbound messages;
* `likes`: the posts it liked (`GET /2/users/:id/liked_tweets`): acknowledgements, undated.

The profile (`GET /2/users/by/username/:username`) gives the follower and following counts.
Not pulled: replies that do not mention the account (conversation search is a Pro-tier
endpoint; a reply to the brand's post mentions it, so the common case is covered), direct
messages, impressions of other people's posts. A bearer token reads; replying and liking need
an OAuth 2.0 user access token with tweet.write and like.write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
import xdk

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
    newest_first,
    seconds_until,
)

PAGE_SIZE = 100  # the API's maximum per page
REFRESH = timedelta(days=2)
POST_FIELDS = [
    "created_at",
    "author_id",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "entities",
    "public_metrics",
    "lang",
]
EXPANSIONS = ["author_id"]
USER_FIELDS = ["username", "public_metrics", "created_at"]

GAPS = [
    "replies that do not mention the account (X's conversation search needs the Pro tier)",
    "direct messages",
    "when the account liked a post (the API lists likes without their time)",
]


class XConnector(ConnectorBase):
    platform = Platform.X.value
    endpoints = ("posts", "mentions", "likes")
    gaps = GAPS
    default_page_size = PAGE_SIZE

    def __init__(
        self,
        service: str,
        handle: str,
        secret: str,
        retry: Retry | None = None,
        page_size: int | None = None,
    ) -> None:
        super().__init__(service, handle, retry, page_size)
        # access_token: sent as the bearer for reads, and usable for writes when it is a user
        # token (an app-only bearer token is refused on writes, which reply/like then say).
        self.client = xdk.Client(base_url=self.service, access_token=secret)
        self._user: dict[str, Any] | None = None

    # -- requests ----------------------------------------------------------------------------

    def _translate(self, fn: Callable[[], Any], what: str) -> Any:
        try:
            return fn()
        except requests.HTTPError as exc:
            resp = exc.response
            status = resp.status_code if resp is not None else 0
            if status == 429:
                reset = resp.headers.get("x-rate-limit-reset") if resp is not None else None
                raise RateLimited(seconds_until(reset), "429") from exc
            if status == 401:
                raise ConnectorError(
                    f"x @{self.handle} at {self.service}: the token was refused (revoked, "
                    "expired or wrong); make a new one and run `socialaudit connect x --handle "
                    f"{self.handle} --token-env VAR` again"
                ) from exc
            if status == 403:
                raise ConnectorError(
                    f"x {what}: forbidden for this token (an app-only bearer token cannot post "
                    "or like, and some endpoints need a higher API tier)"
                ) from exc
            if status >= 500:
                raise Transient(f"server error {status}") from exc
            raise ConnectorError(f"x {what}: the API answered {status}") from exc
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise Transient(f"cannot reach {self.service}") from exc

    def _first_page(self, method: Callable[..., Iterator[Any]], **kwargs: Any) -> dict[str, Any]:
        """One page of one of xdk's paginating calls, as the API's JSON (we keep the cursor)."""
        page = next(iter(method(**kwargs)), None)
        return {} if page is None else page.model_dump(by_alias=True, exclude_none=True)

    @property
    def user(self) -> dict[str, Any]:
        if self._user is None:
            got = self._call(
                lambda: self.client.users.get_by_username(self.handle, user_fields=USER_FIELDS),
                "user",
            ).model_dump(by_alias=True, exclude_none=True)
            if not got.get("data"):
                raise ConnectorError(f"x: no account @{self.handle}")
            self._user = got["data"]
        return self._user

    # -- the interface -----------------------------------------------------------------------

    def profile(self) -> Profile:
        u = self.user
        metrics = u.get("public_metrics") or {}
        return Profile(
            handle=u["username"],
            account_id=u["id"],
            display_name=u.get("name"),
            url=f"https://x.com/{u['username']}",
            followers=metrics.get("followers_count"),
            following=metrics.get("following_count"),
            created_at=_time(u.get("created_at")),
        )

    def pull(
        self, endpoint: str, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]:
        methods = {
            "posts": (self.client.users.get_posts, REFRESH),
            "mentions": (self.client.users.get_mentions, timedelta(0)),
            "likes": (self.client.users.get_liked_posts, timedelta(0)),
        }
        if endpoint not in methods:
            raise ValueError(f"unknown endpoint {endpoint!r}")
        method, refresh = methods[endpoint]
        rows = self._like_rows if endpoint == "likes" else self._post_rows
        return newest_first(
            self._pager(method, endpoint),
            lambda item: _time(item[0].get("created_at")) or datetime.now(UTC),
            rows,
            cursor,
            since,
            refresh,
        )

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        body = xdk.schemas.CreatePostsRequest(
            text=text, reply=xdk.schemas.CreatePostsReply(in_reply_to_tweet_id=target["id"])
        )
        made = self._call(lambda: self.client.posts.create(body=body), "reply")
        data = made.model_dump(by_alias=True, exclude_none=True).get("data") or {}
        return {
            "platform": self.platform,
            "id": data["id"],
            "account": self.handle,
            "author": self.handle,
            "from_brand": True,
            "created_at": datetime.now(UTC),
            "text": data.get("text", text),
            "kind": Kind.REPLY.value,
            "in_reply_to": target["id"],
            "conversation_id": target.get("conversation_id"),
            "url": f"https://x.com/{self.handle}/status/{data['id']}",
            "links": links_in(text),
            "hashtags": hashtags_in(text),
            "mentions": mentions_in(text),
            "visibility": "public",
            "time_only": False,
        }

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        body = xdk.schemas.LikePostRequest(tweet_id=target["id"])
        self._call(lambda: self.client.users.like_post(self.user["id"], body=body), "like")
        return acknowledgement_row(
            self.platform,
            self.handle,
            target["id"],
            action_id=f"like:{self.user['id']}:{target['id']}",
        )

    # -- listings and rows -------------------------------------------------------------------

    def _pager(self, method: Callable[..., Any], what: str) -> Callable[[str | None], Listing]:
        def fetch(page: str | None) -> Listing:
            kwargs: dict[str, Any] = {
                "id": self.user["id"],
                "max_results": self.page_size,
                "post_fields": POST_FIELDS,
                "expansions": EXPANSIONS,
                "user_fields": USER_FIELDS,
            }
            if page:
                kwargs["pagination_token"] = page
            body = self._call(lambda: self._first_page(method, **kwargs), what)
            users = {u["id"]: u for u in (body.get("includes") or {}).get("users", [])}
            items = [(p, users.get(p.get("author_id"))) for p in body.get("data") or []]
            return Listing(items, (body.get("meta") or {}).get("next_token"))

        return fetch

    def _post_rows(self, items: list[tuple[dict, dict | None]]) -> dict[str, list[dict]]:
        return {"messages": [self._post_row(p, author) for p, author in items]}

    def _post_row(self, p: dict[str, Any], author: dict[str, Any] | None) -> dict[str, Any]:
        own = p.get("author_id") == self.user["id"]
        username = self.handle if own else (author or {}).get("username") or p.get("author_id")
        refs = p.get("referenced_tweets") or p.get("referenced_posts") or []
        parent = next((r.get("id") for r in refs if r.get("type") == "replied_to"), None)
        reposted = any(r.get("type") == "retweeted" for r in refs)
        entities = p.get("entities") or {}
        metrics = p.get("public_metrics") or {}
        if reposted:
            kind = Kind.REPOST
        elif own:
            kind = Kind.REPLY if parent else Kind.POST
        else:
            kind = Kind.REPLY if parent else Kind.MENTION
        text = p.get("text")
        return {
            "platform": self.platform,
            "id": p["id"],
            "account": self.handle,
            "author": username,
            "author_followers": ((author or {}).get("public_metrics") or {}).get("followers_count"),
            "from_brand": own,
            "created_at": _time(p.get("created_at")),
            "text": text,
            "kind": kind.value,
            "in_reply_to": parent,
            "conversation_id": p.get("conversation_id"),
            "url": f"https://x.com/{username}/status/{p['id']}",
            "links": [u["expanded_url"] for u in entities.get("urls", []) if u.get("expanded_url")]
            or links_in(text),
            "hashtags": [h["tag"].lower() for h in entities.get("hashtags", []) if h.get("tag")]
            or hashtags_in(text),
            "mentions": [
                m["username"].lower() for m in entities.get("mentions", []) if m.get("username")
            ]
            or mentions_in(text),
            "visibility": "public",
            "lang": p.get("lang"),
            "likes": metrics.get("like_count"),
            "reposts": metrics.get("repost_count", metrics.get("retweet_count")),
            "replies": metrics.get("reply_count"),
            "quotes": metrics.get("quote_count"),
            "impressions": metrics.get("impression_count"),
            "time_only": False,
            "raw": raw_json(p),
        }

    def _like_rows(self, items: list[tuple[dict, dict | None]]) -> dict[str, list[dict]]:
        rows = [acknowledgement_row(self.platform, self.handle, p["id"]) for p, _ in items]
        return {"acknowledgements": rows}


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)
