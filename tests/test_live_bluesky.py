"""The Bluesky connector against a real local Bluesky network (PLC, PDS, AppView from
@atproto/dev-env, started by scripts/test-servers): not a stand-in.

A brand and three customers: questions, complaints and praise as mentions (with mention facets)
and as replies to the brand's post; the brand answers some and likes some. Everything goes
through the `socialaudit` command as a user runs it.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import pytest
from tests.live import (
    EXE,
    OUTPUTS,
    BlueskyScenario,
    care,
    cli_env,
    inbox_items,
    one_clear_line,
    run,
    servers,
    wait_until,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory):
    urls = servers()
    scenario = BlueskyScenario(urls["BLUESKY_PDS"])
    counts = scenario.plant()
    password = scenario.app_password()
    home = tmp_path_factory.mktemp("home")
    env = cli_env(home, BSKY_APP_PASSWORD=password)
    ws = tmp_path_factory.mktemp("bluesky") / "ws"
    run(
        env,
        "connect",
        "bluesky",
        "--service",
        scenario.pds,
        "--handle",
        scenario.brand.handle,
        "--app-password-env",
        "BSKY_APP_PASSWORD",
        "-w",
        str(ws),
    )
    # Every unanswered request counts as overdue at once (they were all written seconds ago).
    with (ws / "socialaudit.toml").open("a", encoding="utf-8") as f:
        f.write("\n[checks.SA101]\nreply_window_hours = 0\n")
        # a planted handful of answers, below SA102's default minimum sample (10) on purpose
        f.write("\n[checks.SA102]\nmin_answered = 1\n")
    return {
        "scenario": scenario,
        "counts": counts,
        "env": env,
        "ws": ws,
        "password": password,
        "home": home,
    }


def snapshot(ws: Path) -> dict[str, list]:
    """Every row of the tables a sync writes, in a stable order."""
    import duckdb

    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    try:
        out = {}
        for t in (
            "messages",
            "acknowledgements",
            "follows",
            "accounts",
            "audience",
            "sync_state",
            "imports",
        ):
            rows = con.execute(f"select * from {t}").to_arrow_table().to_pylist()
            out[t] = sorted(repr(sorted(r.items())) for r in rows)
        return out
    finally:
        con.close()


def test_sync_then_audit_answers_care_with_the_planted_counts(net, tmp_path):
    env, ws, c = net["env"], net["ws"], net["counts"]
    done = run(env, "sync", "-w", str(ws))
    assert f"synced bluesky:{net['scenario'].brand.handle}" in done.stderr
    f = care(env, ws, tmp_path / "audit.json")
    for code in ("SA101", "SA102", "SA103"):
        assert f[code]["verdict"] != "unknown", f[code]
    assert f["SA101"]["figures"]["requests"] == c["requests"]
    assert f["SA101"]["figures"]["unanswered_requests"] == c["unanswered"]
    # SA102 covers every inbound message addressed to the brand: 7, of which 3 got a reply
    # (two requests and one praise)
    assert f["SA102"]["figures"]["inbound"] == 7
    assert f["SA102"]["figures"]["answered"] == c["answered"] + 1
    assert f["SA103"]["figures"]["praise"] == c["praise"]
    assert f["SA103"]["figures"]["unacknowledged"] == c["unthanked"]
    assert f["SA103"]["figures"]["thanked_by_like"] == 1
    assert f["SA103"]["figures"]["thanked_by_reply"] == 1
    # the mentions were read from their facets, the reply tree from the threads
    p = net["scenario"].planted
    import duckdb

    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    row = con.execute(
        "select mentions, from_brand, kind from messages where id = ?", [p["q_open"].uri]
    ).fetchone()
    parent = con.execute(
        "select in_reply_to from messages where id = ?", [p["c_open"].uri]
    ).fetchone()
    con.close()
    assert row == ([net["scenario"].brand.handle], False, "mention")
    assert parent == (net["scenario"].brand_post.uri,)


def test_second_sync_writes_nothing(net):
    env, ws = net["env"], net["ws"]
    before = snapshot(ws)
    done = run(env, "sync", "-w", str(ws))
    assert "nothing new" in done.stderr
    assert snapshot(ws) == before


def test_inbox_reply_posts_a_real_reply_that_the_next_sync_sees(net):
    env, ws, s = net["env"], net["ws"], net["scenario"]
    target = s.planted["q_open"].uri
    items = inbox_items(env, ws)
    assert target in {i["message_id"] for i in items}

    dry = run(
        env,
        "inbox",
        "reply",
        target,
        "--text",
        "Yes, we ship to Canada in 5 to 7 days.",
        "--dry-run",
        "-w",
        str(ws),
    )
    assert "dry run" in dry.stderr
    sent = run(
        env,
        "inbox",
        "reply",
        target,
        "--text",
        "Yes, we ship to Canada in 5 to 7 days.",
        "-w",
        str(ws),
    )
    reply_uri = sent.stderr.strip().rsplit(" ", 1)[-1]
    assert reply_uri.startswith(f"at://{s.brand.did}/app.bsky.feed.post/")

    # it is on the platform: the customer's thread holds the brand's reply
    def in_thread() -> bool:
        t = s.account("carol").client.app.bsky.feed.get_post_thread({"uri": target})
        return any(r.post.uri == reply_uri for r in (t.thread.replies or []))

    wait_until(in_thread, what="the reply in the customer's thread")
    items = inbox_items(env, ws)
    assert target not in {i["message_id"] for i in items}

    run(env, "sync", "-w", str(ws))
    import duckdb

    con = duckdb.connect(str(ws / "socialaudit.duckdb"), read_only=True)
    row = con.execute(
        "select source, in_reply_to, from_brand, raw is not null from messages where id = ?",
        [reply_uri],
    ).fetchone()
    state = con.execute(
        "select action, action_id from inbox_state where message_id = ?", [target]
    ).fetchone()
    con.close()
    assert row == (f"sync:bluesky:{s.brand.handle}", target, True, True)
    assert state == ("reply", reply_uri)
    items = inbox_items(env, ws)
    assert target not in {i["message_id"] for i in items}


def test_inbox_like_thanks_praise_on_the_platform(net):
    env, ws, s = net["env"], net["ws"], net["scenario"]
    target = s.planted["praise_open"].uri
    run(env, "inbox", "like", target, "-w", str(ws))

    def liked() -> bool:
        likes = s.brand.client.app.bsky.feed.get_likes({"uri": target})
        return any(like.actor.did == s.brand.did for like in likes.likes)

    wait_until(liked, what="the brand's like on the praise")
    run(env, "sync", "-w", str(ws))
    items = inbox_items(env, ws)
    assert target not in {i["message_id"] for i in items}


def test_lint_errors_stop_a_reply_unless_forced(net):
    env, ws, s = net["env"], net["ws"], net["scenario"]
    target = s.planted["c_open"].uri
    bad = "x" * 400  # longer than Bluesky's 300 characters: the linter's error
    done = run(env, "inbox", "reply", target, "--text", bad, "-w", str(ws), check=2)
    assert "not sent" in done.stderr and "Traceback" not in done.stderr


def test_sync_killed_midway_then_resumed_equals_an_uninterrupted_one(net, tmp_path):
    env, s = dict(net["env"], SOCIALAUDIT_SYNC_PAGE_SIZE="2"), net["scenario"]
    a, b = tmp_path / "a", tmp_path / "b"
    for ws in (a, b):
        run(
            env,
            "connect",
            "bluesky",
            "--service",
            s.pds,
            "--handle",
            s.brand.handle,
            "--app-password-env",
            "BSKY_APP_PASSWORD",
            "-w",
            str(ws),
        )
    proc = subprocess.Popen(
        [EXE, "sync", "-v", "-w", str(a)],
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    pages = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        OUTPUTS.append(line)
        if line.startswith("  page written:") and "nothing new" not in line:
            pages += 1
            if pages == 3:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "the sync ended before it could be killed"
    half = snapshot(a)
    run(env, "sync", "-w", str(a))
    run(env, "sync", "-w", str(b))
    full_a, full_b = snapshot(a), snapshot(b)
    assert len(half["messages"]) < len(full_a["messages"])
    for table in ("messages", "acknowledgements", "follows", "accounts"):
        assert full_a[table] == full_b[table], table
    assert [r.split("datetime")[0] for r in full_a["sync_state"]] == [
        r.split("datetime")[0] for r in full_b["sync_state"]
    ]


def test_revoked_app_password_is_one_clear_line_and_exit_2(net):
    env, ws, s = net["env"], net["ws"], net["scenario"]
    s.revoke()
    done = run(env, "sync", "-w", str(ws), check=2)
    assert "refused the handle and app password" in one_clear_line(done)


def test_the_secret_is_nowhere_in_the_workspace_or_the_outputs(net):
    secret = net["password"].encode()
    ws = net["ws"]
    for path in ws.rglob("*"):
        if path.is_file():
            assert secret not in path.read_bytes(), path
    assert all(net["password"] not in text for text in OUTPUTS)
    creds = net["home"] / "credentials.json"
    assert secret in creds.read_bytes()  # it is kept, outside the workspace, for the user only
    assert oct(creds.stat().st_mode & 0o777) == "0o600"
    status = run(net["env"], "status", "-w", str(ws))
    assert "credentials.json" in status.stdout
