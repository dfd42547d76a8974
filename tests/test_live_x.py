"""The X connector against a stand-in: no X server exists outside X. A local HTTP server serves
bodies shaped after the examples of the X API v2 reference (users/by/username, users/:id/tweets,
users/:id/mentions, users/:id/liked_tweets, POST /2/tweets), each validated here against the
official SDK's Pydantic models (`xdk.schemas`, generated from X's OpenAPI spec), so that what
the connector reads is what the spec allows. The SDK's models leave most fields optional: the
validation catches wrong types and names of the fields it knows, not every difference.

What this exercises is our side: xdk's requests and bearer header, pagination by next_token,
the wait on a 429 until x-rate-limit-reset, the retry on a 503, the mapping to canonical rows,
a reply and a like sent as X expects them, and a refused token.
"""

from __future__ import annotations

import json
import time

import pytest
import xdk.schemas as xs
from tests.live import care, cli_env, inbox_items, one_clear_line, run
from tests.standins import Reply, Request, StandIn

BRAND = {
    "id": "2244994945",
    "name": "Acme Coffee",
    "username": "AcmeCoffee",
    "created_at": "2013-12-14T04:35:55.000Z",
    "public_metrics": {
        "followers_count": 5120,
        "following_count": 230,
        "post_count": 3800,
        "listed_count": 40,
        "like_count": 210,
    },
}
ALICE = {
    "id": "1001",
    "name": "Alice",
    "username": "alice",
    "public_metrics": {
        "followers_count": 80,
        "following_count": 100,
        "post_count": 900,
        "listed_count": 1,
        "like_count": 5,
    },
}
BOB = {
    "id": "1002",
    "name": "Bob",
    "username": "bob_b",
    "public_metrics": {
        "followers_count": 12,
        "following_count": 40,
        "post_count": 50,
        "listed_count": 0,
        "like_count": 2,
    },
}


def metrics(likes: int = 0) -> dict:
    # the current spec names every public metric (repost_count, not the old retweet_count)
    return {
        "like_count": likes,
        "repost_count": 0,
        "reply_count": 0,
        "quote_count": 0,
        "bookmark_count": 0,
        "impression_count": 40,
    }


def post(
    pid: str, author: dict, text: str, when: str, parent: str | None = None, mentions=()
) -> dict:
    p = {
        "id": pid,
        "text": text,
        "author_id": author["id"],
        "created_at": when,
        "conversation_id": parent or pid,
        "edit_history_tweet_ids": [pid],
        "lang": "en",
        "public_metrics": metrics(),
        "entities": {
            "mentions": [
                {"start": 0, "end": len(m) + 1, "username": m, "id": BRAND["id"]} for m in mentions
            ]
        },
    }
    if parent:
        p["referenced_tweets"] = [{"type": "replied_to", "id": parent}]
        p["in_reply_to_user_id"] = "1001"
    return p


MENTIONS = [
    post(
        "1500000000000000003",
        ALICE,
        "@AcmeCoffee amazing service, thanks!",
        "2026-11-30T10:00:00.000Z",
        mentions=["AcmeCoffee"],
    ),
    post(
        "1500000000000000002",
        BOB,
        "@AcmeCoffee my order arrived broken, this is terrible service",
        "2026-11-30T09:00:00.000Z",
        mentions=["AcmeCoffee"],
    ),
    post(
        "1500000000000000001",
        ALICE,
        "@AcmeCoffee do you ship to Canada?",
        "2026-11-30T08:00:00.000Z",
        mentions=["AcmeCoffee"],
    ),
]


class XStandIn:
    def __init__(self, token: str = "x-user-token") -> None:
        self.token = token
        self.posts = [
            post(
                "1500000000000000011",
                BRAND,
                "@alice Yes, we ship to Canada: 5 to 7 days.",
                "2026-11-30T08:30:00.000Z",
                parent="1500000000000000001",
            ),
            post(
                "1500000000000000010",
                BRAND,
                "Our autumn blend is out today",
                "2026-11-29T12:00:00.000Z",
            ),
            post("1500000000000000009", BRAND, "Roasting day", "2026-11-28T12:00:00.000Z"),
        ]
        self.likes = [MENTIONS[0]]
        self.faults: list[tuple[str, int]] = []  # (path suffix, status) served once each
        self.server = StandIn(self.route)

    def page(self, items: list[dict], req: Request, model: type) -> Reply:
        size = int(req.query.get("max_results", ["100"])[0])
        start = int(req.query.get("pagination_token", ["0"])[0] or 0)
        chunk = items[start : start + size]
        body: dict = {
            "data": chunk,
            "includes": {"users": [BRAND, ALICE, BOB]},
            "meta": {"result_count": len(chunk)},
        }
        if chunk:
            body["meta"].update(newest_id=chunk[0]["id"], oldest_id=chunk[-1]["id"])
        if start + size < len(items):
            body["meta"]["next_token"] = str(start + size)
        model.model_validate(body)  # the stand-in serves nothing the official models reject
        return Reply(200, body, {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "899"})

    def route(self, req: Request) -> Reply | None:
        if req.headers.get("authorization") != f"Bearer {self.token}":
            return Reply(
                401,
                {
                    "title": "Unauthorized",
                    "type": "about:blank",
                    "status": 401,
                    "detail": "Unauthorized",
                },
            )
        for i, (suffix, status) in enumerate(self.faults):
            if req.path.endswith(suffix):
                del self.faults[i]
                if status == 429:
                    reset = str(int(time.time()) + 3)
                    return Reply(
                        429,
                        {
                            "title": "Too Many Requests",
                            "detail": "Too Many Requests",
                            "type": "about:blank",
                            "status": 429,
                        },
                        {
                            "x-rate-limit-limit": "900",
                            "x-rate-limit-remaining": "0",
                            "x-rate-limit-reset": reset,
                        },
                    )
                return Reply(
                    status,
                    {
                        "title": "Service Unavailable",
                        "detail": "Service Unavailable",
                        "type": "about:blank",
                        "status": status,
                    },
                )
        p = req.path
        if p == f"/2/users/by/username/{BRAND['username']}":
            body = {"data": BRAND}
            xs.GetUsersByUsernameResponse.model_validate(body)
            return Reply(200, body)
        if p == f"/2/users/{BRAND['id']}/tweets":
            return self.page(self.posts, req, xs.GetUsersPostsResponse)
        if p == f"/2/users/{BRAND['id']}/mentions":
            return self.page(MENTIONS, req, xs.GetUsersMentionsResponse)
        if p == f"/2/users/{BRAND['id']}/liked_tweets":
            return self.page(self.likes, req, xs.GetUsersLikedPostsResponse)
        if p == "/2/tweets" and req.method == "POST":
            sent = xs.CreatePostsRequest.model_validate(json.loads(req.body))
            new_id = str(1500000000000000100 + len(self.posts))
            parent = sent.reply.in_reply_to_tweet_id if sent.reply else None
            self.posts.insert(
                0,
                post(
                    new_id,
                    BRAND,
                    sent.text,
                    time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                    parent=parent,
                ),
            )
            body = {"data": {"id": new_id, "text": sent.text, "edit_history_tweet_ids": [new_id]}}
            xs.CreatePostsResponse.model_validate(body)
            return Reply(201, body)
        if p == f"/2/users/{BRAND['id']}/likes" and req.method == "POST":
            sent = xs.LikePostRequest.model_validate(json.loads(req.body))
            self.likes.insert(0, next(m for m in MENTIONS if m["id"] == sent.tweet_id))
            return Reply(200, {"data": {"liked": True}})
        return None


@pytest.fixture
def x(tmp_path):
    stand_in = XStandIn()
    with stand_in.server:
        env = cli_env(tmp_path / "home", X_TOKEN=stand_in.token, SOCIALAUDIT_SYNC_PAGE_SIZE="2")
        yield stand_in, env, tmp_path / "ws"


def connect(stand_in, env, ws, check: int = 0):
    return run(env, "connect", "x", "--service", stand_in.server.url, "--handle", "AcmeCoffee", "--token-env", "X_TOKEN", "-w", str(ws), check=check)  # fmt: skip


def test_sync_reads_pages_waits_on_429_retries_503_and_audits(x):
    stand_in, env, ws = x
    connect(stand_in, env, ws)
    with (ws / "socialaudit.toml").open("a") as f:
        f.write("\n[checks.SA101]\nreply_window_hours = 0\n")
    stand_in.faults = [("/mentions", 429), ("/tweets", 503)]
    started = time.monotonic()
    done = run(env, "sync", "-w", str(ws))
    assert "rate limited on x mentions" in done.stderr and "server error 503" in done.stderr
    assert time.monotonic() - started >= 1.5
    reqs = stand_in.server.requests
    assert all(r.headers["authorization"] == "Bearer x-user-token" for r in reqs)
    tokens = [
        r.query.get("pagination_token", [None])[0] for r in reqs if r.path.endswith("/tweets")
    ]
    assert "2" in tokens  # the second page, by next_token
    f = care(env, ws)
    assert f["SA101"]["figures"]["requests"] == 2
    assert f["SA101"]["figures"]["unanswered_requests"] == 1
    assert f["SA103"]["figures"]["praise"] == 1 and f["SA103"]["figures"]["thanked_by_like"] == 1
    assert "nothing new" in run(env, "sync", "-w", str(ws)).stderr


def test_a_synced_account_is_judged_as_of_its_last_sync(x):
    """A synced account's audit date is the time of its last sync, and the findings say so in
    those words (not "the date its export was made", which an X archive's date is)."""
    stand_in, env, ws = x
    connect(stand_in, env, ws)
    run(env, "sync", "-w", str(ws))
    from socialaudit.vocabulary import audit_dates
    from socialaudit.workspace import Workspace

    with Workspace.open(ws) as w:
        dates = audit_dates(w, None)
    assert dates.why("x:AcmeCoffee") == "its last sync"
    assert dates.describe().endswith("(its last sync)"), dates.describe()


def test_reply_is_sent_as_x_expects_and_the_next_sync_sees_it(x):
    stand_in, env, ws = x
    connect(stand_in, env, ws)
    run(env, "sync", "-w", str(ws))
    complaint = "1500000000000000002"
    run(
        env,
        "inbox",
        "reply",
        complaint,
        "--text",
        "So sorry, Bob: a new one ships today.",
        "-w",
        str(ws),
    )
    sent = [r for r in stand_in.server.requests if r.method == "POST" and r.path == "/2/tweets"]
    assert json.loads(sent[0].body) == {
        "text": "So sorry, Bob: a new one ships today.",
        "reply": {"in_reply_to_tweet_id": complaint},
    }
    run(env, "sync", "-w", str(ws))
    items = inbox_items(env, ws)
    assert complaint not in {i["message_id"] for i in items}


def test_a_refused_token_is_one_line_and_exit_2(x):
    stand_in, env, ws = x
    env = {**env, "X_TOKEN": "wrong"}
    line = one_clear_line(connect(stand_in, env, ws, check=2))
    assert "token was refused" in line and "wrong" not in line.split("refused")[1][:10]


def test_the_dashboard_replies_and_likes_through_the_same_actions(x, monkeypatch):
    import re

    from fastapi.testclient import TestClient

    from socialaudit.web import create_app

    stand_in, env, ws = x
    stand_in.likes = []  # the praise is not thanked yet: the page offers to like it
    connect(stand_in, env, ws)
    run(env, "sync", "-w", str(ws))
    for k in ("SOCIALAUDIT_KEYRING", "SOCIALAUDIT_CREDENTIALS_FILE"):
        monkeypatch.setenv(k, env[k])
    client = TestClient(create_app(ws), base_url="http://127.0.0.1:8765")
    page = client.get("/inbox").text
    assert 'action="/inbox/reply"' in page and 'action="/inbox/like"' in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    complaint, praise = "1500000000000000002", "1500000000000000003"

    # without the form token nothing reaches the platform
    refused = client.post(
        "/inbox/reply", data={"platform": "x", "message_id": complaint, "text": "hi"}
    )
    assert refused.status_code == 403
    assert not [r for r in stand_in.server.requests if r.method == "POST"]

    sent = client.post(
        "/inbox/reply",
        data={
            "csrf": csrf,
            "platform": "x",
            "message_id": complaint,
            "text": "So sorry: a new one ships today.",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    liked = client.post(
        "/inbox/like",
        data={"csrf": csrf, "platform": "x", "message_id": praise},
        follow_redirects=False,
    )
    assert liked.status_code == 303
    posts = [r for r in stand_in.server.requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/2/tweets", f"/2/users/{BRAND['id']}/likes"]
    items = inbox_items(env, ws)
    assert complaint not in {i["message_id"] for i in items}


def test_since_bounds_what_a_sync_reads(x):
    stand_in, env, ws = x
    connect(stand_in, env, ws)
    run(env, "sync", "--since", "2026-11-29", "-w", str(ws))
    import duckdb

    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    ids = {r[0] for r in con.execute("select id from messages where from_brand").fetchall()}
    con.close()
    # the post of 2026-11-28 is older than --since: not read
    assert ids == {"1500000000000000011", "1500000000000000010"}
    done = run(env, "sync", "--since", "not-a-date", "-w", str(ws), check=2)
    assert "expected a date like 2024-01-31" in done.stderr
