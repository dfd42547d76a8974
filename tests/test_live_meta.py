"""The Facebook Page and Instagram connectors against a stand-in: no Graph API server exists
outside Meta. A local HTTP server serves bodies shaped after the Graph API reference (Page,
Page posts, post comments with filter=stream, IG user, IG media, IG comments with nested
replies, the error object), and every node it serves is checked against the field types of
Meta's official SDK (`facebook_business.adobjects`: Page, PagePost, Comment, IGUser, IGMedia,
IGComment, InsightsResult), so that what the connector reads is what the API defines. The SDK
describes field names and types, not every value: the check catches wrong names and types.

What this exercises is our side: the token in the Authorization header (never in a URL),
paging by the `after` cursor, the wait on a rate-limit error until the usage header's
estimated_time_to_regain_access, the retry on a transient error, the mapping to canonical
rows, a reply and a like sent as the Graph API expects them, a refused token, and a sync
killed half-way that the next one completes.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import duckdb
import pytest
from tests.live import care, cli_env, inbox_items, one_clear_line, run
from tests.standins import Reply, Request, StandIn

fb = pytest.importorskip("facebook_business.adobjects", reason="the dev extra is not installed")
from facebook_business.adobjects.comment import Comment  # noqa: E402
from facebook_business.adobjects.igcomment import IGComment  # noqa: E402
from facebook_business.adobjects.igmedia import IGMedia  # noqa: E402
from facebook_business.adobjects.iguser import IGUser  # noqa: E402
from facebook_business.adobjects.insightsresult import InsightsResult  # noqa: E402
from facebook_business.adobjects.page import Page  # noqa: E402
from facebook_business.adobjects.pagepost import PagePost  # noqa: E402

VERSION = "/v25.0"
TOKEN = "EAAG-page-token-for-tests"
PAGE_ID = "104000000000001"
IG_ID = "17841400000000001"

# Edges a node carries under field expansion, and the node type of their items.
EDGES: dict[type, dict[str, type | None]] = {
    PagePost: {"comments": Comment, "reactions": None, "insights": InsightsResult},
    IGMedia: {"insights": InsightsResult, "comments": IGComment},
    IGComment: {"replies": IGComment},
    Comment: {"comments": Comment},
}
SCALARS = {
    "string": str,
    "int": int,
    "unsigned int": int,
    "bool": bool,
    "datetime": str,
    "float": (int, float),
}


def check_node(node: dict[str, Any], cls: type) -> None:
    """Every field of `node` is one the SDK's model of `cls` defines, with its type."""
    types = cls._field_types  # type: ignore[attr-defined]
    for name, value in node.items():
        if name in EDGES.get(cls, {}):
            item_cls = EDGES[cls][name]
            assert isinstance(value, dict), (cls.__name__, name)
            if item_cls is not None:
                for item in value.get("data", []):
                    check_node(item, item_cls)
            continue
        assert name in types, f"{cls.__name__} has no field {name!r}"
        kind = types[name]
        if kind in SCALARS:
            assert isinstance(value, SCALARS[kind]), (cls.__name__, name, value)
            if kind == "datetime":
                assert datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        elif kind.startswith("list"):
            assert isinstance(value, list), (cls.__name__, name)
        else:  # an object: Object, Comment (a parent), IGCommentFromUser ...
            assert isinstance(value, dict), (cls.__name__, name)


def gtime(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S+0000")


def graph_error(code: int, message: str, *, transient: bool = False) -> dict:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "is_transient": transient,
            "fbtrace_id": "AbCdEf123",
        }
    }


class GraphStandIn:
    """A stateful stand-in for the parts of the Graph API the connectors use."""

    def __init__(self) -> None:
        now = datetime.now(UTC).replace(microsecond=0)
        self.now = now
        self.page = {
            "id": PAGE_ID,
            "name": "Acme Coffee",
            "username": "acmecoffee",
            "link": "https://www.facebook.com/acmecoffee",
            "followers_count": 5120,
            "fan_count": 4980,
        }
        self.posts = [
            self.post(
                "104000000000001_901", "Our autumn blend is out today", now - timedelta(days=2)
            ),
            self.post("104000000000001_902", "Roasting day", now - timedelta(days=3)),
            self.post("104000000000001_903", "A year of coffee", now - timedelta(days=200)),
        ]
        alice, bob, carol = (
            {"id": "5001", "name": "Alice Doe"},
            {"id": "5002", "name": "Bob Roe"},
            {"id": "5003", "name": "Carol Poe"},
        )
        brand = {"id": PAGE_ID, "name": "Acme Coffee"}
        p1, p2, p3 = (p["id"] for p in self.posts)
        self.comments: dict[str, list[dict]] = {
            p1: [
                self.comment(
                    f"{p1[16:]}_7003",
                    carol,
                    "Love the autumn blend, thank you!",
                    now - timedelta(hours=30),
                    likes=True,
                ),
                self.comment(
                    f"{p1[16:]}_7002",
                    bob,
                    "My order arrived broken, this is terrible service",
                    now - timedelta(hours=40),
                ),
                self.comment(
                    f"{p1[16:]}_7011",
                    brand,
                    "Yes, we ship to Canada: 5 to 7 days.",
                    now - timedelta(hours=44),
                    parent=f"{p1[16:]}_7001",
                ),
                self.comment(
                    f"{p1[16:]}_7001", alice, "Do you ship to Canada?", now - timedelta(hours=45)
                ),
            ],
            p2: [
                self.comment(
                    f"{p2[16:]}_7101",
                    alice,
                    "Is the shop open on Sunday?",
                    now - timedelta(hours=60),
                ),
            ],
            p3: [
                self.comment(
                    f"{p3[16:]}_7201", bob, "Where is my refund?", now - timedelta(days=199)
                ),
            ],
        }
        self.ig_user = {
            "id": IG_ID,
            "username": "acme.coffee",
            "name": "Acme Coffee",
            "followers_count": 2300,
            "follows_count": 120,
            "media_count": 2,
        }
        self.media = [
            {
                "id": "17900000000000011",
                "caption": "Autumn blend #coffee",
                "timestamp": gtime(now - timedelta(days=1)),
                "permalink": "https://www.instagram.com/p/Cabc/",
                "media_type": "IMAGE",
                "media_product_type": "FEED",
                "like_count": 40,
                "comments_count": 3,
                "insights": {"data": [self.insight("views", 900), self.insight("reach", 700)]},
            }
        ]
        self.ig_comments: dict[str, list[dict]] = {
            "17900000000000011": [
                self.ig_comment("17850000000000002", "eve.k", "my order never arrived, this is awful", now - timedelta(hours=20)),
                self.ig_comment(
                    "17850000000000001", "dana.m", "do you ship to Spain?", now - timedelta(hours=22),
                    replies=[self.ig_comment("17850000000000009", "acme.coffee", "@dana.m yes, in 4 days", now - timedelta(hours=21), parent="17850000000000001")],
                ),
            ]
        }  # fmt: skip
        self.faults: list[tuple[str, Reply]] = []  # (path suffix, reply) served once each
        self.server = StandIn(self.route)

    # -- nodes ----------------------------------------------------------------------------

    def insight(self, name: str, value: int) -> dict:
        return {
            "name": name,
            "period": "lifetime",
            "values": [{"value": value}],
            "title": name,
            "id": f"x/insights/{name}/lifetime",
        }

    def post(self, pid: str, text: str, when: datetime) -> dict:
        return {
            "id": pid,
            "message": text,
            "created_time": gtime(when),
            "permalink_url": f"https://www.facebook.com/acmecoffee/posts/{pid.split('_')[1]}",
            "from": {"id": PAGE_ID, "name": "Acme Coffee"},
            "shares": {"count": 3},
            "reactions": {"data": [], "summary": {"total_count": 25}},
            "comments": {"data": [], "summary": {"total_count": 4}},
            "insights": {"data": [self.insight("post_media_view", 1200)]},
        }

    def comment(
        self,
        cid: str,
        author: dict,
        text: str,
        when: datetime,
        parent: str | None = None,
        likes: bool = False,
    ) -> dict:
        c = {
            "id": cid,
            "message": text,
            "created_time": gtime(when),
            "from": author,
            "like_count": 0,
            "comment_count": 0,
            "permalink_url": f"https://www.facebook.com/acmecoffee/posts/1?comment_id={cid}",
            "user_likes": likes,
        }
        if parent:
            c["parent"] = {"id": parent}
        return c

    def ig_comment(
        self, cid: str, user: str, text: str, when: datetime, replies=(), parent: str | None = None
    ) -> dict:
        c: dict[str, Any] = {
            "id": cid,
            "text": text,
            "timestamp": gtime(when),
            "username": user,
            "from": {"id": f"ig-{user}", "username": user},
            "like_count": 0,
        }
        if parent:
            c["parent_id"] = parent
        if replies:
            c["replies"] = {"data": list(replies)}
        return c

    # -- serving --------------------------------------------------------------------------

    def listing(self, items: list[dict], req: Request, cls: type) -> Reply:
        size = int(req.query.get("limit", ["25"])[0])
        start = int(req.query.get("after", ["0"])[0] or 0)
        chunk = items[start : start + size]
        for item in chunk:
            check_node(item, cls)
        body: dict = {
            "data": chunk,
            "paging": {"cursors": {"before": str(start), "after": str(start + len(chunk))}},
        }
        if start + size < len(items):
            # Meta's next links carry the token when it came as a parameter: the connector
            # must use the cursor, never the link
            body["paging"]["next"] = (
                f"{self.server.url}{req.path}?after={start + size}&access_token=LEAK"
            )
        return Reply(200, body)  # fmt: skip

    def route(self, req: Request) -> Reply | None:
        if req.headers.get("authorization") != f"Bearer {TOKEN}":
            return Reply(
                400, graph_error(190, "Invalid OAuth access token - Cannot parse access token")
            )
        assert "access_token" not in req.query, "the token must never travel in a URL"
        for i, (suffix, reply) in enumerate(self.faults):
            if req.path.endswith(suffix):
                del self.faults[i]
                return reply
        path = req.path.removeprefix(VERSION).strip("/")
        parts = path.split("/")
        if req.method == "GET" and parts in ([PAGE_ID], ["acmecoffee"]):
            check_node(self.page, Page)
            return Reply(200, self.page)
        if req.method == "GET" and parts == [PAGE_ID, "posts"]:
            return self.listing(self.posts, req, PagePost)
        if req.method == "GET" and parts == [IG_ID]:
            check_node(self.ig_user, IGUser)
            return Reply(200, self.ig_user)
        if req.method == "GET" and parts == [IG_ID, "media"]:
            return self.listing(self.media, req, IGMedia)
        if req.method == "GET" and len(parts) == 2 and parts[1] == "comments":
            if parts[0] in self.comments:
                assert req.query.get("filter") == ["stream"]
                items = self.comments[parts[0]]
                if "since" in req.query:
                    low = int(req.query["since"][0])
                    items = [
                        c
                        for c in items
                        if datetime.strptime(c["created_time"], "%Y-%m-%dT%H:%M:%S%z").timestamp()
                        >= low
                    ]
                return self.listing(items, req, Comment)
            if parts[0] in self.ig_comments:
                return self.listing(self.ig_comments[parts[0]], req, IGComment)
        if req.method == "POST" and len(parts) == 2:
            form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
            target, edge = parts
            if edge == "comments":
                return self.fb_reply(target, form["message"])
            if edge == "likes":
                for items in self.comments.values():
                    for c in items:
                        if c["id"] == target:
                            c["user_likes"] = True
                return Reply(200, {"success": True})
            if edge == "replies":
                return self.ig_reply(target, form["message"])
        return None  # fmt: skip

    def fb_reply(self, target: str, text: str) -> Reply:
        for items in self.comments.values():
            if any(c["id"] == target for c in items):
                new = self.comment(
                    f"{target.split('_')[0]}_{8000 + len(items)}",
                    {"id": PAGE_ID, "name": "Acme Coffee"},
                    text,
                    datetime.now(UTC),
                    parent=target,
                )
                items.insert(0, new)
                return Reply(200, {"id": new["id"]})
        return Reply(400, graph_error(100, "Unsupported post request. Object does not exist"))

    def ig_reply(self, target: str, text: str) -> Reply:
        for items in self.ig_comments.values():
            for c in items:
                if c["id"] == target:
                    new = self.ig_comment(
                        f"178500000000001{len(items)}{len(c.get('replies', {}).get('data', []))}",
                        "acme.coffee",
                        text,
                        datetime.now(UTC),
                        parent=target,
                    )
                    c.setdefault("replies", {"data": []})["data"].insert(0, new)
                    return Reply(200, {"id": new["id"]})
        return Reply(400, graph_error(100, "Unsupported post request. Object does not exist"))


@pytest.fixture
def graph(tmp_path: Path):
    stand_in = GraphStandIn()
    with stand_in.server:
        env = cli_env(tmp_path / "home", META_TOKEN=TOKEN, SOCIALAUDIT_SYNC_PAGE_SIZE="2")
        yield stand_in, env, tmp_path / "ws"


def connect(stand_in: GraphStandIn, env: dict, ws: Path, platform: str = "facebook") -> None:
    who = ["--page", "acmecoffee"] if platform == "facebook" else ["--account", IG_ID]
    run(env, "connect", platform, *who, "--token-env", "META_TOKEN", "--service", stand_in.server.url, "-w", str(ws))  # fmt: skip
    with (ws / "socialaudit.toml").open("a") as f:
        f.write("\n[checks.SA101]\nreply_window_hours = 0\n")


def table(ws: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def inbox_ids(env: dict, ws: Path) -> set[str]:
    return {i["message_id"] for i in inbox_items(env, ws)}


def test_facebook_page_sync_pages_waits_retries_and_audits(graph) -> None:
    stand_in, env, ws = graph
    connect(stand_in, env, ws)
    config = (ws / "socialaudit.toml").read_text()
    assert 'account_id = "104000000000001"' in config and TOKEN not in config
    stand_in.faults = [
        # a Page-level rate limit, access back "in 0 minutes" per the usage header
        ("/posts", Reply(400, graph_error(32, "Page request limit reached"), {"X-Business-Use-Case-Usage": json.dumps({PAGE_ID: [{"type": "pages", "call_count": 100, "total_cputime": 10, "total_time": 10, "estimated_time_to_regain_access": 0}]})})),
        ("/comments", Reply(500, graph_error(2, "Service temporarily unavailable", transient=True))),
    ]  # fmt: skip
    done = run(env, "sync", "-w", str(ws))
    assert "rate limited on facebook" in done.stderr and "server error 500" in done.stderr
    assert TOKEN not in done.stderr + done.stdout
    reqs = stand_in.server.requests
    assert any(r.query.get("after") == ["2"] for r in reqs if r.path.endswith("/posts"))
    posts = table(ws, "select id, likes, reposts, replies, impressions from messages where kind = 'post' order by id")  # fmt: skip
    assert posts[0] == ("104000000000001_901", 25, 3, 4, 1200) and len(posts) == 3
    # comments are read on the posts of the last 90 days only: the old post's is not
    comments = {r[0] for r in table(ws, "select id from messages where kind in ('comment', 'reply')")}  # fmt: skip
    assert "903_7201" not in comments and {"901_7001", "901_7002", "901_7003", "901_7011", "902_7101"} == comments  # fmt: skip
    assert table(ws, "select in_reply_to, from_brand from messages where id = '901_7011'") == [("901_7001", True)]  # fmt: skip

    f = care(env, ws)
    assert f["SA101"]["verdict"] != "unknown"
    # asked: shipping (answered), Sunday (unanswered); complained: broken order (unanswered)
    assert f["SA101"]["figures"]["requests"] == 3
    assert f["SA101"]["figures"]["unanswered_requests"] == 2
    assert f["SA103"]["figures"]["praise"] == 1 and f["SA103"]["figures"]["thanked_by_like"] == 1
    assert "nothing new" in run(env, "sync", "-w", str(ws)).stderr
    # the token is nowhere in the workspace (database, config, anything written there)
    for path in ws.rglob("*"):
        if path.is_file():
            assert TOKEN.encode() not in path.read_bytes(), path


def test_facebook_reply_and_like_are_sent_as_the_graph_api_expects(graph) -> None:
    stand_in, env, ws = graph
    for items in stand_in.comments.values():
        for c in items:
            c["user_likes"] = False  # nothing thanked yet
    connect(stand_in, env, ws)
    run(env, "sync", "-w", str(ws))
    complaint, praise = "901_7002", "901_7003"
    assert {complaint, praise} <= inbox_ids(env, ws)
    run(env, "inbox", "reply", complaint, "--text", "So sorry, Bob: a new one ships today.", "-w", str(ws))  # fmt: skip
    run(env, "inbox", "like", praise, "-w", str(ws))
    posts = [r for r in stand_in.server.requests if r.method == "POST"]
    assert [r.path for r in posts] == [f"{VERSION}/{complaint}/comments", f"{VERSION}/{praise}/likes"]  # fmt: skip
    assert parse_qs(posts[0].body.decode()) == {"message": ["So sorry, Bob: a new one ships today."]}  # fmt: skip
    run(env, "sync", "-w", str(ws))
    left = inbox_ids(env, ws)
    assert complaint not in left and praise not in left
    # the reply the sync read back is the brand's, below the complaint
    assert table(ws, f"select from_brand from messages where in_reply_to = '{complaint}'") == [(True,)]  # fmt: skip


def test_a_sync_killed_half_way_is_completed_by_the_next(graph, tmp_path: Path) -> None:
    stand_in, env, ws = graph
    env = {**env, "SOCIALAUDIT_SYNC_PAGE_SIZE": "1"}
    connect(stand_in, env, ws)
    # the second post's comments fail for good (not a transient error): the sync stops there
    stand_in.faults = [("902/comments", Reply(400, graph_error(100, "Unsupported get request")))]
    done = run(env, "sync", "-w", str(ws), check=None)
    assert done.returncode != 0 and "Unsupported get request" in done.stderr
    first = table(ws, "select id from messages where kind in ('comment', 'reply') order by id")
    assert ("901_7001",) in first and ("902_7101",) not in first
    run(env, "sync", "-w", str(ws))
    # an uninterrupted sync of the same account, for comparison
    other = tmp_path / "ws2"
    connect(stand_in, env, other)
    run(env, "sync", "-w", str(other))
    sql = "select id, in_reply_to, text from messages order by id"
    assert table(ws, sql) == table(other, sql)


def test_instagram_sync_reply_and_no_like(graph) -> None:
    stand_in, env, ws = graph
    connect(stand_in, env, ws, "instagram")
    run(env, "sync", "-w", str(ws))
    assert table(ws, "select handle, followers, following from accounts") == [("acme.coffee", 2300, 120)]  # fmt: skip
    assert table(ws, "select impressions, likes, replies from messages where kind = 'post'") == [(900, 40, 3)]  # fmt: skip
    assert table(ws, "select from_brand, in_reply_to from messages where id = '17850000000000009'") == [(True, "17850000000000001")]  # fmt: skip
    f = care(env, ws)
    assert (
        f["SA101"]["figures"]["requests"] == 2 and f["SA101"]["figures"]["unanswered_requests"] == 1
    )
    complaint = "17850000000000002"
    run(env, "inbox", "reply", complaint, "--text", "So sorry, Eve: we are on it.", "-w", str(ws))
    sent = [r for r in stand_in.server.requests if r.method == "POST"]
    assert [r.path for r in sent] == [f"{VERSION}/{complaint}/replies"]
    run(env, "sync", "-w", str(ws))
    assert complaint not in inbox_ids(env, ws)
    done = run(env, "inbox", "like", "17850000000000001", "-w", str(ws), check=2)
    assert "cannot like a comment" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_a_refused_token_is_one_line_and_exit_2(graph) -> None:
    stand_in, env, ws = graph
    env = {**env, "META_TOKEN": "EAAG-wrong"}
    done = run(env, "connect", "facebook", "--page", PAGE_ID, "--token-env", "META_TOKEN", "--service", stand_in.server.url, "-w", str(ws), check=2)  # fmt: skip
    line = one_clear_line(done)
    assert "access token was refused" in line and "EAAG" not in line


def test_the_stand_in_bodies_fit_the_sdk_models() -> None:
    """The check itself can fail: a misnamed field or a wrong type is caught."""
    stand_in = GraphStandIn()
    check_node(stand_in.page, Page)
    check_node(stand_in.posts[0], PagePost)
    with pytest.raises(AssertionError):
        check_node({**stand_in.posts[0], "messsage": "typo"}, PagePost)
    with pytest.raises(AssertionError):
        check_node({**stand_in.ig_user, "followers_count": "2300"}, IGUser)
