"""What a connector (one platform's API) is, and what every connector shares.

A connector reads a live account through the platform's maintained client and turns what it
reads into the canonical rows an import writes (`model.py`), so every check, the inbox and the
dashboard work on synced data unchanged. It never writes to the workspace itself: `sync.py`
writes each page it yields in one transaction together with the cursor that page ends at.

The interface is small:

* `profile()` checks the credentials and returns who they belong to (`connect` calls it once);
* `pull(endpoint, cursor, since)` yields `Page`s of rows since the stored cursor, newest first;
* `reply(target, text)` and `like(target)` act on the platform for the inbox.

Errors: a connector turns its client's exceptions into `RateLimited` (wait for the reset the
server names), `Transient` (retry with backoff: network errors, 5xx) or `ConnectorError` (one
line for the user: bad or revoked credentials, an unknown account). `call()` does the waiting.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Protocol, TypeVar

from ..errors import SocialauditError

T = TypeVar("T")

ATTEMPTS = 5  # tries of one request on network errors and 5xx
BACKOFF_SECONDS = 1.0  # the first wait; doubled on each retry, with jitter
MAX_RATE_LIMIT_WAIT = 15 * 60.0  # wait this long at most for a rate limit to reset
DEFAULT_RATE_LIMIT_WAIT = 60.0  # when a 429 names no reset time


class ConnectorError(SocialauditError):
    """What a user must fix: credentials refused or revoked, an account that does not exist."""


class Transient(Exception):
    """A failure worth retrying the same way: the network, or the server's 5xx."""


class RateLimited(Exception):
    """HTTP 429: `reset_at` is when the server says the window resets (None when it does not)."""

    def __init__(self, reset_at: datetime | None, detail: str = "") -> None:
        super().__init__(detail or "rate limited")
        self.reset_at = reset_at


@dataclass
class Profile:
    """Who the credentials belong to, and the account row and audience figures that go with it."""

    handle: str
    account_id: str
    display_name: str | None = None
    url: str | None = None
    followers: int | None = None
    following: int | None = None
    created_at: datetime | None = None


@dataclass
class Page:
    """Canonical rows from one page of an endpoint, and the cursor to store once they are written."""

    rows: dict[str, list[dict[str, Any]]]
    cursor: dict[str, Any]
    items: int = 0  # items the platform returned on this page (for the progress bar)


def acknowledgement_row(
    platform: str,
    account: str,
    message_id: str,
    kind: str = "like",
    created_at: datetime | None = None,
    action_id: str | None = None,
) -> dict[str, Any]:
    """One `acknowledgements` row: the brand's account liked (favourited) the message
    `message_id`, at `created_at` when the platform says. `action_id`, the platform's id of the
    like, goes only on the row `like()` returns: the inbox records it; it is not a column."""
    row: dict[str, Any] = {
        "platform": platform,
        "account": account,
        "message_id": message_id,
        "kind": kind,
        "created_at": created_at,
    }
    if action_id is not None:
        row["action_id"] = action_id
    return row


class Connector(Protocol):
    platform: str
    endpoints: tuple[str, ...]  # in the order sync pulls them
    gaps: list[str]  # what this connector cannot pull (recorded like an import's gaps)

    def profile(self) -> Profile: ...

    def pull(
        self, endpoint: str, cursor: dict[str, Any] | None, since: datetime | None
    ) -> Iterator[Page]: ...

    def reply(self, target: dict[str, Any], text: str) -> dict[str, Any]:
        """Post `text` as a reply to the message row `target`; returns the reply's message row."""
        ...

    def like(self, target: dict[str, Any]) -> dict[str, Any]:
        """Like (favourite) the message row `target`; returns the acknowledgement row, with the
        platform's id of the like under `action_id` (not a column: the inbox records it)."""
        ...


class ConnectorBase:
    """What every connector is constructed with: the service it calls (no trailing slash), the
    handle it was given, how its requests wait (`Retry`) and how many items it asks per page.

    `handle` is the given one, as the platform writes handles (`lower_handle`); a connector that
    learns the account's handle from the platform (Mastodon's user@host, a Graph account's
    name) overrides it. `_call` runs one request through `call` for a connector whose
    `_translate` turns its client's exceptions into the errors above.
    """

    platform: ClassVar[str]
    endpoints: ClassVar[tuple[str, ...]]
    gaps: ClassVar[list[str]]
    default_page_size: ClassVar[int]  # the platform's maximum per page
    lower_handle: ClassVar[bool] = False  # handles on this platform ignore case

    def __init__(
        self, service: str, handle: str, retry: Retry | None = None, page_size: int | None = None
    ) -> None:
        self.service = service.rstrip("/")
        given = handle.lstrip("@")
        self.given_handle = given.lower() if self.lower_handle else given
        self.retry = retry or Retry()
        self.page_size = self.default_page_size if page_size is None else page_size

    @property
    def handle(self) -> str:
        return self.given_handle

    def _call(self, fn: Callable[[], T], what: str) -> T:
        return call(lambda: self._translate(fn, what), f"{self.platform} {what}", self.retry)

    def _translate(self, fn: Callable[[], T], what: str) -> T:
        raise NotImplementedError


@dataclass
class Retry:
    """How `call` waits; tests shorten the waits, never the logic."""

    sleep: Callable[[float], None] = time.sleep
    attempts: int = ATTEMPTS
    backoff: float = BACKOFF_SECONDS
    max_rate_limit_wait: float = MAX_RATE_LIMIT_WAIT
    on_wait: Callable[[str, float], None] | None = None  # (why, seconds): shown to the user
    waits: list[tuple[str, float]] = field(default_factory=list)


def call(fn: Callable[[], T], what: str, retry: Retry) -> T:
    """Run one request: retry transient failures with backoff, wait out rate limits."""
    failures = 0
    rate_waits = 0
    while True:
        try:
            return fn()
        except RateLimited as exc:
            rate_waits += 1
            now = datetime.now(UTC)
            wait = (
                (exc.reset_at - now).total_seconds() + 1.0
                if exc.reset_at is not None
                else DEFAULT_RATE_LIMIT_WAIT
            )
            wait = max(wait, 1.0)
            if wait > retry.max_rate_limit_wait or rate_waits > retry.attempts:
                until = (now + timedelta(seconds=wait)).strftime("%Y-%m-%d %H:%M UTC")
                raise ConnectorError(
                    f"{what}: the platform's rate limit is used up until {until}; "
                    "run the sync again after that (what was synced so far is kept)"
                ) from exc
            _wait(retry, f"rate limited on {what}", wait)
        except Transient as exc:
            failures += 1
            if failures >= retry.attempts:
                raise ConnectorError(f"{what}: {exc} (gave up after {failures} tries)") from exc
            wait = retry.backoff * 2 ** (failures - 1) * (1 + random.random() / 4)
            _wait(retry, f"{what} failed ({exc}); retrying", wait)


def _wait(retry: Retry, why: str, seconds: float) -> None:
    retry.waits.append((why, seconds))
    if retry.on_wait is not None:
        retry.on_wait(why, seconds)
    retry.sleep(seconds)


def seconds_until(value: str | None) -> datetime | None:
    """A reset header as a time: Unix seconds (X, Bluesky) or an ISO time (Mastodon)."""
    if not value:
        return None
    value = value.strip()
    try:
        return datetime.fromtimestamp(float(value), tz=UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


# -- newest-first listings, resumable ------------------------------------------------------------


def marker(t: datetime) -> str:
    """A position in a listing as text that sorts like time (cursors store these)."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_marker(m: str) -> datetime:
    return datetime.strptime(m, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass
class Listing:
    """One page of a newest-first listing: its items and the cursor of the next, older page."""

    items: list[Any]
    next: str | None


def newest_first(
    fetch: Callable[[str | None], Listing],
    when: Callable[[Any], datetime],
    to_rows: Callable[[list[Any]], dict[str, list[dict[str, Any]]]],
    cursor: dict[str, Any] | None,
    since: datetime | None,
    refresh: timedelta = timedelta(0),
) -> Iterator[Page]:
    """Walk a newest-first listing down to what the last complete walk already saw.

    The stored cursor is `{"newest": M}` after a complete walk (M: the newest item's time) or,
    while a walk is under way, `{"newest": M, "walk": {"next", "top", "stop"}}`: a sync killed
    half-way resumes at the page it had reached, with the same stopping point, and only a walk
    that reached its end moves `newest` forward, so nothing between is ever skipped.

    Items at exactly the stopping time are read again (two items can share a time) and end the
    walk; writing them again changes nothing. `refresh` re-reads that much before the stopping point, so the
    counts of recent posts (likes, replies) are brought up to date. `since` walks back to that
    time instead, whatever was seen before.
    """
    cursor = dict(cursor or {})
    newest = cursor.get("newest")
    walk = cursor.get("walk") if since is None else None
    if walk:
        page, top, stop = walk.get("next"), walk.get("top"), walk.get("stop")
    else:
        page, top = None, None
        if since is not None:
            stop = marker(since)
        elif newest is not None:
            stop = marker(from_marker(newest) - refresh)
        else:
            stop = None
    while True:
        listing = fetch(page)
        fresh: list[Any] = []
        done = listing.next is None or not listing.items
        for item in listing.items:
            m = marker(when(item))
            if top is None or m > top:
                top = m
            if stop is not None and m <= stop:
                # Known ground: what follows is older (a pinned post may come first, so keep
                # looking through this page). Items at exactly `stop` are read again.
                done = True
                if m < stop:
                    continue
            fresh.append(item)
        if done:
            best = max([m for m in (top, newest) if m is not None], default=None)
            state: dict[str, Any] = {"newest": best} if best is not None else {}
        else:
            state = {"newest": newest, "walk": {"next": listing.next, "top": top, "stop": stop}}
        yield Page(rows=to_rows(fresh), cursor=state, items=len(listing.items))
        if done:
            return
        page = listing.next
