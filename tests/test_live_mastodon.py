"""The Mastodon connector against two stand-ins (no real Mastodon server installs here):

* mastodon-mock, a stateful reimplementation of Mastodon's REST API over real HTTP, started by
  scripts/test-servers: the brand and its customers post, the brand answers and favourites, and
  `connect`, `sync`, `audit`, `inbox reply` run as a user runs them; its fault injection gives
  the 5xx and 429 answers the sync must ride out;
* responses a real Mastodon server gave, recorded by Mastodon.py's own test suite
  (tests/fixtures/mastodon_recorded/PROVENANCE.md), served from a local HTTP server: the
  mapping of real bodies, the Link-header pagination and the bearer token on every request.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
import requests
from tests.live import care, cli_env, inbox_items, one_clear_line, run, servers
from tests.standins import Reply, Request, StandIn

pytestmark = pytest.mark.slow
FIXTURES = Path(__file__).parent / "fixtures" / "mastodon_recorded"


class Mock:
    """Accounts on mastodon-mock, made through its control endpoint; each with its own client."""

    def __init__(self, base: str) -> None:
        from mastodon import Mastodon

        self.base = base
        self.tag = uuid.uuid4().hex[:5]
        self.users: dict[str, tuple[str, Mastodon]] = {}

    def user(self, name: str):
        from mastodon import Mastodon

        if name not in self.users:
            r = requests.post(
                f"{self.base}/api/v1/_mock/dev_user",
                json={"username": f"{name}{self.tag}"},
                timeout=10,
            )
            r.raise_for_status()
            token = r.json()["access_token"]
            self.users[name] = (token, Mastodon(access_token=token, api_base_url=self.base))
        return self.users[name][1]

    def token(self, name: str) -> str:
        self.user(name)
        return self.users[name][0]

    def handle(self, name: str) -> str:
        return f"{name}{self.tag}@127.0.0.1"

    def fault(self, rule: dict) -> None:
        requests.post(f"{self.base}/api/v1/_mock/faults", json=rule, timeout=10).raise_for_status()


def connect(service: str, env: dict[str, str], ws: Path, check: int = 0):
    """`socialaudit connect mastodon` with the token in MASTO_TOKEN."""
    return run(env, "connect", "mastodon", "--service", service, "--access-token-env", "MASTO_TOKEN", "-w", str(ws), check=check)  # fmt: skip


@pytest.fixture(scope="module")
def mock():
    return Mock(servers()["MASTODON"])


def test_sync_and_audit_a_brand_on_mastodon_mock(mock, tmp_path):
    brand = mock.user("brand")
    at = f"@brand{mock.tag}"
    post = brand.status_post("Our autumn blend is out today")
    q_answered = mock.user("alice").status_post(f"{at} how do I reset my password?")
    q_open = mock.user("carol").status_post(f"{at} do you ship to Canada?")
    c_open = mock.user("bob").status_post(
        f"{at} my order arrived broken, this is terrible service", in_reply_to_id=post.id
    )
    praise = mock.user("carol").status_post(f"{at} amazing service, thanks!")
    direct = mock.user("bob").status_post(
        f"{at} can I change my delivery address?", visibility="direct"
    )
    brand.status_post(
        f"@alice{mock.tag} Settings, then Account, then Reset.", in_reply_to_id=q_answered.id
    )
    brand.status_favourite(praise.id)

    env = cli_env(tmp_path / "home", MASTO_TOKEN=mock.token("brand"))
    ws = tmp_path / "ws"
    done = connect(mock.base, env, ws)
    assert f"connected mastodon:{mock.handle('brand')}" in done.stderr
    with (ws / "socialaudit.toml").open("a") as f:
        f.write("\n[checks.SA101]\nreply_window_hours = 0\n")
    run(env, "sync", "-w", str(ws))
    f = care(env, ws, tmp_path / "audit.json")
    assert f["SA101"]["figures"]["requests"] == 4
    assert f["SA101"]["figures"]["unanswered_requests"] == 3
    assert f["SA103"]["figures"]["praise"] == 1 and f["SA103"]["figures"]["unacknowledged"] == 0

    import duckdb

    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    kind = con.execute(
        "select kind, visibility from messages where id = ?", [direct.uri]
    ).fetchone()
    con.close()
    assert kind == ("direct", "direct")  # a direct message, read through its mention

    second = run(env, "sync", "-w", str(ws))
    assert "nothing new" in second.stderr

    # answer from the inbox: the status is on the server, below the request, and the next
    # sync reads it back
    target = q_open.uri
    sent = run(env, "inbox", "reply", target, "--text", "Yes, in 5 to 7 days.", "-w", str(ws))
    assert "replied to" in sent.stderr
    ctx = mock.user("carol").status_context(q_open.id)
    assert [s.account.acct for s in ctx.descendants] == [f"brand{mock.tag}"]
    run(env, "sync", "-w", str(ws))
    items = inbox_items(env, ws)
    assert target not in {i["message_id"] for i in items}
    assert c_open.uri in {i["message_id"] for i in items}


def test_sync_rides_out_server_errors_and_rate_limits(mock, tmp_path):
    mock.user("brand").status_post("Fresh beans on Friday")
    env = cli_env(tmp_path / "home", MASTO_TOKEN=mock.token("brand"))
    ws = tmp_path / "ws"
    connect(mock.base, env, ws)
    statuses = "/api/v1/accounts/*/statuses"
    mock.fault(
        {"match": {"path": statuses}, "effect": {"type": "status", "status": 503}, "count": 2}
    )
    # the reset lies a few seconds after the sync starts: it must wait for it, then go on
    reset = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() + 8))
    mock.fault(
        {
            "match": {"path": "/api/v1/notifications"},
            "effect": {
                "type": "ratelimit",
                "headers": {"X-RateLimit-Reset": reset},
            },
            "count": 1,
        }
    )
    started = time.monotonic()
    done = run(env, "sync", "-w", str(ws))
    assert "server error (503)" in done.stderr and "retrying" in done.stderr
    assert "rate limited on mastodon notifications" in done.stderr
    assert time.monotonic() - started >= 4.0  # it waited for the reset instead of failing
    assert "synced mastodon:" in done.stderr


def test_a_refused_token_is_one_line_and_exit_2(mock, tmp_path):
    env = cli_env(tmp_path / "home", MASTO_TOKEN="not-a-token")
    done = connect(mock.base, env, tmp_path / "ws", check=2)
    assert "access token was refused" in one_clear_line(done)
    assert "not-a-token" not in done.stderr


# -- responses a real Mastodon server gave -------------------------------------------------------


def recorded_server() -> StandIn:
    recorded = json.loads((FIXTURES / "responses.json").read_text())
    by_path: dict[str, list[dict]] = {}
    for r in recorded:
        by_path.setdefault(r["path"].split("?")[0], []).append(r)

    def route(req: Request) -> Reply | None:
        if req.headers.get("authorization") != "Bearer recorded-token":
            return Reply(401, {"error": "The access token is invalid"})
        options = by_path.get(req.path)
        if options is None:
            if req.path.endswith("/context"):
                options = by_path["/api/v1/statuses/117440830896259821/context"]
            elif req.method == "GET":
                return Reply(200, [])
            else:
                return None
        max_id = req.query.get("max_id", [None])[0]
        for r in options:
            if (f"max_id={max_id}" in r["path"]) if max_id else "max_id" not in r["path"]:
                headers = {k: v for k, v in r["headers"].items() if k != "content-type"}
                return Reply(r["status"], r["body"], headers)
        return Reply(200, [])  # past the recorded pages: the end of the listing

    return StandIn(route)


def test_recorded_mastodon_responses_map_to_canonical_rows(tmp_path):
    import duckdb

    with recorded_server() as server:
        env = cli_env(
            tmp_path / "home", MASTO_TOKEN="recorded-token", SOCIALAUDIT_SYNC_PAGE_SIZE="5"
        )
        ws = tmp_path / "ws"
        connect(server.url, env, ws)
        run(env, "sync", "-w", str(ws))
        paths = [(r.path, r.query.get("max_id", [None])[0]) for r in server.requests]
        assert all(
            r.headers.get("authorization") == "Bearer recorded-token" for r in server.requests
        )
    # the Link header's next page was followed
    statuses = [m for p, m in paths if p.endswith("/statuses")]
    assert statuses[:2] == [None, "117440824995689268"]
    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    rows = (
        con.execute("select id, author, from_brand, text, kind, mentions from messages order by id")
        .to_arrow_table()
        .to_pylist()
    )
    con.close()
    own = [r for r in rows if r["from_brand"]]
    inbound = [r for r in rows if not r["from_brand"]]
    assert len(own) == 10 and all(r["author"] == "mastodonpy_test@127.0.0.1" for r in own)
    assert all(r["id"].startswith("http://localhost:3000/ap/users/") for r in rows)
    assert inbound == [
        {
            "id": inbound[0]["id"],
            "author": "admin@127.0.0.1",
            "from_brand": False,
            "text": "@mastodonpy_test hello!",
            "kind": "mention",
            "mentions": ["mastodonpy_test@127.0.0.1"],
        }
    ]
