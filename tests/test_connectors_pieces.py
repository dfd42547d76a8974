"""The pieces under the connectors, through their library interface: the resumable walk of a
newest-first listing, the retry and rate-limit waits, where credentials go, the config entry
`connect` writes, and the escaping of alerts."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from socialaudit import credentials
from socialaudit.alerts import slack_escape
from socialaudit.config import load_config
from socialaudit.connectors.base import (
    ConnectorError,
    Listing,
    RateLimited,
    Retry,
    Transient,
    call,
    newest_first,
)
from socialaudit.connectors.config import record_connection

T0 = datetime(2026, 11, 30, 12, tzinfo=UTC)


def listing(times: list[int], size: int):
    """A newest-first listing of items named by their minute offsets, in pages of `size`."""
    items = sorted(times, reverse=True)
    calls: list[str | None] = []

    def fetch(page: str | None) -> Listing:
        calls.append(page)
        start = int(page or 0)
        chunk = items[start : start + size]
        more = str(start + size) if start + size < len(items) else None
        return Listing(chunk, more)

    return fetch, calls


def when(m: int) -> datetime:
    return T0 + timedelta(minutes=m)


def rows(items):
    return {"messages": [{"id": str(i)} for i in items]}


def walk(fetch, cursor, since=None, refresh=timedelta(0)):
    return list(newest_first(fetch, when, rows, cursor, since, refresh))


def test_a_walk_interrupted_resumes_where_it_stopped_and_misses_nothing():
    fetch, _ = listing(list(range(10)), 3)
    pages = walk(fetch, None)
    assert [len(p.rows["messages"]) for p in pages] == [3, 3, 3, 1]
    assert "walk" in pages[0].cursor and pages[-1].cursor == {"newest": pages[-1].cursor["newest"]}

    # killed after the second page: resume from its cursor
    fetch2, calls = listing(list(range(10)), 3)
    resumed = walk(fetch2, pages[1].cursor)
    assert calls[0] == "6"
    seen = [m["id"] for p in pages[:2] + resumed for m in p.rows["messages"]]
    assert sorted(seen, key=int) == [str(i) for i in range(10)]
    assert resumed[-1].cursor == pages[-1].cursor


def test_a_second_walk_stops_at_what_it_saw_and_reads_only_what_is_new():
    fetch, _ = listing(list(range(5)), 2)
    done = walk(fetch, None)[-1].cursor
    fetch2, calls = listing([*range(5), 7, 8], 2)
    again = walk(fetch2, done)
    new = [m["id"] for p in again for m in p.rows["messages"]]
    assert new == ["8", "7", "4"]  # the newest known item is read again, nothing older
    assert len(calls) == 2


def test_refresh_reads_back_and_since_reads_back_to_a_day():
    fetch, _ = listing(list(range(0, 100, 10)), 20)
    done = walk(fetch, None)[-1].cursor
    fetch2, _ = listing(list(range(0, 100, 10)), 20)
    refreshed = walk(fetch2, done, refresh=timedelta(minutes=25))
    assert [m["id"] for p in refreshed for m in p.rows["messages"]] == ["90", "80", "70"]
    fetch3, _ = listing(list(range(0, 100, 10)), 20)
    back = walk(fetch3, done, since=when(45))
    assert [m["id"] for p in back for m in p.rows["messages"]] == ["90", "80", "70", "60", "50"]


def test_call_retries_transient_failures_and_waits_for_the_rate_limit_reset():
    slept: list[float] = []
    retry = Retry(sleep=slept.append)
    answers = [Transient("503"), RateLimited(datetime.now(UTC) + timedelta(seconds=30)), "ok"]

    def fn():
        a = answers.pop(0)
        if isinstance(a, Exception):
            raise a
        return a

    assert call(fn, "x posts", retry) == "ok"
    assert 1.0 <= slept[0] <= 1.25 and 29 <= slept[1] <= 32


def test_call_gives_up_with_one_line():
    retry = Retry(sleep=lambda s: None)
    with pytest.raises(ConnectorError, match="gave up after 5 tries"):
        call(lambda: (_ for _ in ()).throw(Transient("network error")), "bluesky feed", retry)
    far = RateLimited(datetime.now(UTC) + timedelta(hours=2))
    with pytest.raises(ConnectorError, match="rate limit is used up until"):
        call(lambda: (_ for _ in ()).throw(far), "x mentions", retry)


def test_the_credentials_file_is_private_and_never_inside_the_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("SOCIALAUDIT_KEYRING", "off")
    monkeypatch.setenv("SOCIALAUDIT_CREDENTIALS_FILE", str(tmp_path / "home" / "creds.json"))
    key = credentials.credential_key("bluesky", "https://bsky.social/", "Acme.bsky.social")
    stored = credentials.store(key, "s3cret-app-pw", tmp_path / "ws")
    assert stored.where == credentials.FILE
    path = tmp_path / "home" / "creds.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert credentials.load(key, credentials.FILE) == "s3cret-app-pw"
    path.chmod(0o644)
    with pytest.raises(credentials.CredentialError, match="chmod 600"):
        credentials.load(key, credentials.FILE)
    monkeypatch.setenv("SOCIALAUDIT_CREDENTIALS_FILE", str(tmp_path / "ws" / "creds.json"))
    with pytest.raises(credentials.CredentialError, match="inside the workspace"):
        credentials.store(key, "s3cret-app-pw", tmp_path / "ws")


def test_a_real_keyring_backend_is_used_when_there_is_one(tmp_path, monkeypatch):
    import keyring
    from keyring.backend import KeyringBackend

    class MemoryKeyring(KeyringBackend):
        priority = 5

        def __init__(self) -> None:
            super().__init__()
            self.store: dict = {}

        def set_password(self, service, username, password):
            self.store[(service, username)] = password

        def get_password(self, service, username):
            return self.store.get((service, username))

        def delete_password(self, service, username):
            self.store.pop((service, username), None)

    monkeypatch.delenv("SOCIALAUDIT_KEYRING", raising=False)
    monkeypatch.setenv("SOCIALAUDIT_CREDENTIALS_FILE", str(tmp_path / "creds.json"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        stored = credentials.store(
            "mastodon:https://m.example:acme@m.example", "tok", tmp_path / "ws"
        )
        assert stored.where == credentials.KEYRING and "MemoryKeyring" in stored.description
        assert credentials.load("mastodon:https://m.example:acme@m.example", "keyring") == "tok"
        assert not (tmp_path / "creds.json").exists()
    finally:
        keyring.set_keyring(previous)


def test_connect_records_the_account_and_keeps_the_users_comments(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "socialaudit.toml").write_text('# my notes\n[brand]\nname = "Acme"  # the shop\n')
    record_connection(root, "bluesky", "https://bsky.social", "acme.test", "did:plc:1", "file")
    record_connection(root, "bluesky", "https://bsky.social", "acme.test", "did:plc:1", "keyring")
    record_connection(root, "x", "https://api.x.com", "Acme", "42", "file")
    text = (root / "socialaudit.toml").read_text()
    assert "# my notes" in text and "# the shop" in text
    config = load_config(root / "socialaudit.toml")
    assert [(c.platform, c.handle, c.credential) for c in config.connect] == [
        ("bluesky", "acme.test", "keyring"),
        ("x", "Acme", "file"),
    ]


def test_alert_text_is_inert_in_slack():
    hostile = "<!channel> refund me <https://evil.example|click> & <@U123>"
    assert "<" not in slack_escape(hostile) and ">" not in slack_escape(hostile)
    assert json.dumps(slack_escape(hostile)).count("&amp;") == 1
