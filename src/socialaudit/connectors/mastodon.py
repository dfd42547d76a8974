"""Mastodon through its REST API (the maintained `Mastodon.py` client).

What it pulls, per endpoint:

* `posts`: the account's statuses of every visibility the token can read (boosts as reposts),
  with their favourite, boost and reply counts; for each status with replies, its context (the
  replies below it, so an unanswered reply without an @mention is still seen); the last week is
  read again each time so recent counts stay current;
* `notifications`: mentions (direct messages included: a direct message is a mention with
  visibility `direct`), each with its context (ancestors and descendants), and new followers;
* `favourites`: the statuses the account favourited (acknowledgements).

Ids: a message is named by its ActivityPub URI, as in a Mastodon archive, so an archive import
and a sync of the same account name the same message once. Handles are `user@host`.
Credentials: an access token (Preferences → Development → New application).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import mastodon as mp

from ..model import Kind, Platform
from ..sources.base import hashtags_in, links_in
from ..sources.mastodon import html_to_text
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

PAGE_SIZE = 40  # Mastodon's maximum for statuses and notifications
REFRESH = timedelta(days=7)
# Favourites are listed in the order they were given, which the API does not date; the
# status's own time stands in, so favourites of statuses older than this before the last
# sync's newest are not seen again.
FAVOURITES_REFRESH = timedelta(days=30)

GAPS = [
    "impressions and clicks (Mastodon does not count them)",
    "who favourited or boosted the account's statuses, beyond the counts",
    "followers before the account was connected (only new followers, from notifications; "
    "the profile's count is recorded each day)",
]


class MastodonConnector(ConnectorBase):
    platform = Platform.MASTODON.value
    endpoints = ("posts", "notifications", "favourites")
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
        self.host = (urlsplit(self.service).hostname or "").lower()
        # ratelimit_method="throw": the sync decides how long to wait (and says so).
        self.api = mp.Mastodon(
            access_token=secret,
            api_base_url=self.service,
            ratelimit_method="throw",
            request_timeout=60,
        )
        self._me: Any = None
        self._uris: dict[str, str] = {}  # local status id -> URI, to name reply parents

    # -- requests ----------------------------------------------------------------------------

    def _translate(self, fn: Callable[[], Any], what: str) -> Any:
        try:
            return fn()
        except mp.MastodonRatelimitError as exc:
            # Mastodon sends X-RateLimit-Reset with every 429; Mastodon.py keeps it only while
            # it lies ahead, so none left means the window has already reset.
            reset = getattr(self.api, "ratelimit_reset", None)
            when = seconds_until(str(reset)) if reset else datetime.now(UTC)
            raise RateLimited(when, "429") from exc
        except mp.MastodonUnauthorizedError as exc:
            raise ConnectorError(
                f"mastodon {self.handle_label} at {self.service}: the access token was refused "
                "(revoked, expired or wrong); make a new one and run `socialaudit connect "
                f"mastodon --service {self.service} --access-token-env VAR` again"
            ) from exc
        except mp.MastodonNotFoundError as exc:
            raise ConnectorError(f"mastodon {what}: not found on {self.service}") from exc
        except mp.MastodonNetworkError as exc:
            raise Transient(f"cannot reach {self.service}") from exc
        except mp.MastodonServerError as exc:
            raise Transient(f"server error ({_status(exc)})") from exc
        except mp.MastodonAPIError as exc:
            if _status(exc) == 429:
                raise RateLimited(None, "429") from exc
            raise ConnectorError(
                f"mastodon {what}: the server refused it ({_status(exc)})"
            ) from exc

    @property
    def handle_label(self) -> str:
        return self.given_handle or "(token's account)"

    @property
    def me(self) -> Any:
        if self._me is None:
            me = self._call(self.api.account_verify_credentials, "account")
            handle = self._handle(me.acct)
            if self.given_handle and self.given_handle not in (handle, me.acct.lower()):
                raise ConnectorError(
                    f"mastodon: the access token belongs to {handle}, not {self.given_handle}"
                )
            self._me = me
        return self._me

    @property
    def handle(self) -> str:
        return self._handle(self.me.acct)

    def _handle(self, acct: str) -> str:
        acct = acct.lstrip("@").lower()
        return acct if "@" in acct else f"{acct}@{self.host}"

    # -- the interface -----------------------------------------------------------------------

    def profile(self) -> Profile:
        me = self.me
        return Profile(
            handle=self.handle,
            account_id=str(me.id),
            display_name=me.display_name or None,
            url=me.url,
            followers=me.followers_count,
            following=me.following_count,
            created_at=_aware(me.created_at),
        )

    def pull(
        self, endpoint: str, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]:
        if endpoint == "posts":
            fetch = self._pager(
                lambda **kw: self.api.account_statuses(self.me.id, **kw), "statuses"
            )
            return newest_first(fetch, _created, self._status_rows, cursor, since, REFRESH)
        if endpoint == "notifications":
            fetch = self._pager(
                lambda **kw: self.api.notifications(types=["mention", "follow"], **kw),
                "notifications",
            )
            return newest_first(fetch, _created, self._notification_rows, cursor, since)
        if endpoint == "favourites":
            fetch = self._pager(self.api.favourites, "favourites")
            return newest_first(
                fetch, _created, self._favourite_rows, cursor, since, FAVOURITES_REFRESH
            )
        raise ValueError(f"unknown endpoint {endpoint!r}")

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        local = self._local_id(target)
        visibility = "direct" if target.get("visibility") == "direct" else None
        author = (target.get("author") or "").split("@")
        # Mastodon notifies the person answered through the mention at the start of the text.
        mention = f"@{target['author']} " if target.get("author") and len(author) == 2 else ""
        status = self._call(
            lambda: self.api.status_post(
                mention + text if not text.startswith("@") else text,
                in_reply_to_id=local,
                visibility=visibility,
            ),
            "reply",
        )
        self._uris[str(local)] = target["id"]
        return self._status_row(status)

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        local = self._local_id(target)
        self._call(lambda: self.api.status_favourite(local), "favourite")
        return acknowledgement_row(
            self.platform, self.handle, target["id"], "favourite", action_id=f"favourite:{local}"
        )

    def _local_id(self, target: dict[str, Any]) -> Any:
        """The instance's own id of a status known by its URI (search resolves it)."""
        uri = target["id"]
        for local, known in self._uris.items():
            if known == uri:
                return local
        try:  # a synced status keeps the instance's id in its raw record
            raw = json.loads(target.get("raw") or "{}")
        except ValueError:
            raw = {}
        if isinstance(raw, dict) and raw.get("uri") == uri and str(raw.get("id", "")).isdigit():
            return raw["id"]
        found = self._call(
            lambda: self.api.search_v2(uri, resolve=True, result_type="statuses"), "search"
        )
        statuses = getattr(found, "statuses", None) or []
        if not statuses:
            raise ConnectorError(
                f"mastodon: {uri} cannot be found on {self.service}; nothing was sent"
            )
        return statuses[0].id

    # -- listings ----------------------------------------------------------------------------

    def _pager(self, method: Callable[..., Any], what: str) -> Callable[[str | None], Listing]:
        def fetch(page: str | None) -> Listing:
            kwargs: dict[str, Any] = {"limit": self.page_size}
            if page:
                kwargs["max_id"] = page
            items = self._call(lambda: method(**kwargs), what)
            more = getattr(items, "_pagination_next", None)
            next_max = more.get("max_id") if isinstance(more, dict) else None
            return Listing(list(items), str(next_max) if next_max and items else None)

        return fetch

    # -- rows --------------------------------------------------------------------------------

    def _status_rows(self, statuses: list[Any]) -> dict[str, list[dict[str, Any]]]:
        messages: dict[str, dict[str, Any]] = {}
        for s in statuses:
            if s.reblog is not None:
                messages[s.uri] = self._boost_row(s)
                continue
            messages[s.uri] = self._status_row(s)
            if (s.replies_count or 0) > 0:
                for other in self._context(s):
                    messages.setdefault(other["id"], other)
        return {"messages": list(messages.values())}

    def _notification_rows(self, items: list[Any]) -> dict[str, list[dict[str, Any]]]:
        messages: dict[str, dict[str, Any]] = {}
        follows = []
        for n in items:
            if n.type == "mention" and n.status is not None:
                messages[n.status.uri] = self._status_row(n.status)
                for other in self._context(n.status):
                    messages.setdefault(other["id"], other)
            elif n.type == "follow" and n.account is not None:
                follows.append(
                    {
                        "platform": self.platform,
                        "account": self.handle,
                        "direction": "follower",
                        "other": self._handle(n.account.acct),
                        "created_at": _aware(n.created_at),
                    }
                )
        return {"messages": list(messages.values()), "follows": follows}

    def _favourite_rows(self, statuses: list[Any]) -> dict[str, list[dict[str, Any]]]:
        # created_at: none, the API does not say when it was favourited
        rows = [
            acknowledgement_row(self.platform, self.handle, s.uri, "favourite") for s in statuses
        ]
        return {"acknowledgements": rows}

    def _context(self, status: Any) -> list[dict[str, Any]]:
        ctx = self._call(lambda: self.api.status_context(status.id), "context")
        around = [*ctx.ancestors, *ctx.descendants]
        for s in around:
            self._uris[str(s.id)] = s.uri
        return [self._status_row(s) for s in around]

    def _parent_uri(self, s: Any) -> str | None:
        parent = s.in_reply_to_id
        if parent is None:
            return None
        key = str(parent)
        if key not in self._uris:
            try:
                self._uris[key] = self._call(lambda: self.api.status(parent), "status").uri
            except ConnectorError:  # deleted or not visible: the link leads nowhere
                self._uris[key] = f"{self.service}/statuses/{parent}"
        return self._uris[key]

    def _status_row(self, s: Any) -> dict[str, Any]:
        self._uris[str(s.id)] = s.uri
        text, links = html_to_text(s.content)
        author = self._handle(s.account.acct)
        own = author == self.handle
        parent = self._parent_uri(s)
        if s.visibility == "direct":
            kind = Kind.DIRECT
        elif own:
            kind = Kind.REPLY if parent else Kind.POST
        else:
            kind = Kind.REPLY if parent else Kind.MENTION
        tags = [t.name.lower() for t in (s.tags or [])]
        return {
            "platform": self.platform,
            "id": s.uri,
            "account": self.handle,
            "author": author,
            "author_followers": s.account.followers_count,
            "from_brand": own,
            "created_at": _created(s),
            "text": text,
            "kind": kind.value,
            "in_reply_to": parent,
            "conversation_id": None,
            "url": s.url or s.uri,
            "links": links or links_in(text),
            "hashtags": tags or hashtags_in(text),
            "mentions": [self._handle(m.acct) for m in (s.mentions or [])],
            "visibility": {"private": "followers"}.get(s.visibility, s.visibility),
            "lang": s.language,
            "likes": s.favourites_count,
            "reposts": s.reblogs_count,
            "replies": s.replies_count,
            "edited_at": _aware(getattr(s, "edited_at", None)),
            "time_only": False,
            "raw": raw_json({"id": str(s.id), "uri": s.uri, "content": s.content}),
        }

    def _boost_row(self, s: Any) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "id": s.uri,
            "account": self.handle,
            "author": self.handle,
            "from_brand": True,
            "created_at": _created(s),
            "text": None,
            "kind": Kind.REPOST.value,
            "url": s.reblog.url or s.reblog.uri,
            "links": [],
            "hashtags": [],
            "mentions": [],
            "visibility": s.visibility,
            "time_only": False,
        }


def _aware(t: Any) -> datetime | None:
    if not isinstance(t, datetime):
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _created(item: Any) -> datetime:
    return _aware(item.created_at) or datetime.now(UTC)


def _status(exc: Exception) -> Any:
    args: tuple[Any, ...] = getattr(exc, "args", ())
    return args[1] if len(args) > 1 else "?"
