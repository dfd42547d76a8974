"""The Bluesky importer against a real repository export (../shared/data/export_bluesky_car),
with counts computed here from the decoded blocks, and against small repositories built here
(a CAR is a varint-prefixed DAG-CBOR header, then varint-prefixed CID + block pairs)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import libipld
import pytest

from conftest import shared_path
from exports import RepoBuilder, rows, same_tables, snapshot
from socialaudit.sources.bluesky import tid_time

CAR_NAME = "bnewbold.robocracy.org.20250310005405.car"
DID = "did:plc:nhxcyu4ewwhl5pqil4dotqjo"


@pytest.mark.realdata
def test_counts_match_the_decoded_blocks(cli, tmp_path):
    car = shared_path("export_bluesky_car", CAR_NAME)
    _, blocks = libipld.decode_car(car.read_bytes())
    types = [b.get("$type") for b in blocks.values() if isinstance(b, dict)]
    posts = [
        b for b in blocks.values() if isinstance(b, dict) and b.get("$type") == "app.bsky.feed.post"
    ]
    others = {
        p["reply"]["parent"]["uri"]
        for p in posts
        if "reply" in p and DID not in p["reply"]["parent"]["uri"]
    }
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(car), "--workspace", str(ws))
    assert code == 0, err
    got = {
        r["kind"]: r["n"] for r in rows(ws, "select kind, count(*) n from messages group by kind")
    }
    assert got["post"] + got["reply"] == len(posts) == 23
    assert got["repost"] == types.count("app.bsky.feed.repost")
    assert got["mention"] == len(others)  # placeholders for the posts answered
    assert rows(ws, "select count(*) n from acknowledgements")[0]["n"] == types.count(
        "app.bsky.feed.like"
    )
    assert rows(ws, "select count(*) n from follows where created_at is not null")[0][
        "n"
    ] == types.count("app.bsky.graph.follow")
    assert "skipped 5 com.atproto.lexicon.schema records" in err


@pytest.mark.realdata
def test_spot_checks_on_known_rows(cli, tmp_path):
    ws = tmp_path / "ws"
    assert (
        cli("import", str(shared_path("export_bluesky_car", CAR_NAME)), "--workspace", str(ws))[0]
        == 0
    )
    uri = f"at://{DID}/app.bsky.feed.post/3lj2ex7vyjc2h"
    reply = rows(ws, "select * from messages where id = ?", [uri])[0]
    parent_uri = "at://did:plc:box3ql3jyrlb7ptzh2tnn2aw/app.bsky.feed.post/3lizyzajiks23"
    assert reply["created_at"] == datetime(2025, 2, 26, 2, 57, 3, 419000, tzinfo=UTC)
    assert reply["text"] == "github.com/bluesky-soci..."
    assert reply["kind"] == "reply" and reply["in_reply_to"] == parent_uri
    assert reply["links"] == [
        "https://github.com/bluesky-social/indigo/blob/main/atproto/identity/base_directory.go#L44"
    ]
    assert reply["url"] == f"https://bsky.app/profile/{DID}/post/3lj2ex7vyjc2h"
    parent = rows(ws, "select * from messages where id = ?", [parent_uri])[0]
    assert parent["time_only"] and parent["text"] is None and not parent["from_brand"]
    assert reply["created_at"] - timedelta(hours=4) < parent["created_at"] < reply["created_at"]
    mention = rows(ws, "select mentions from messages where text = '@bnewbold.net blah'")[0]
    assert mention["mentions"] == ["bnewbold.net"]
    assert rows(ws, "select handle, account_id, display_name from accounts") == [
        {"handle": "bnewbold.robocracy.org", "account_id": DID, "display_name": "now roaming free"}
    ]


def test_tid_time():
    assert tid_time("3lizyzajiks23") == datetime(2025, 2, 25, 23, 23, 26, 271000, tzinfo=UTC)
    assert tid_time("self") is None and tid_time("zzzzzzzzzzzzz") is None


@pytest.mark.realdata
def test_reimport_changes_nothing(cli, tmp_path):
    car = shared_path("export_bluesky_car", CAR_NAME)
    ws = tmp_path / "ws"
    assert cli("import", str(car), "--workspace", str(ws))[0] == 0
    first = snapshot(ws)
    assert cli("import", str(car), "--workspace", str(ws))[0] == 0
    assert cli("import", str(car), "--workspace", str(ws))[0] == 0
    same_tables(first, snapshot(ws))


def small_repo() -> dict[str, dict]:
    did = "did:plc:acme"
    root = f"at://{did}/app.bsky.feed.post/3kaaaaaaaaa22"
    return {
        "app.bsky.feed.post/3kaaaaaaaaa22": {
            "$type": "app.bsky.feed.post",
            "text": "Our new café opens 🎉 #coffee",
            "createdAt": "2024-03-01T09:00:00Z",
            "langs": ["en"],
            "facets": [
                {
                    "index": {"byteStart": 26, "byteEnd": 33},
                    "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "coffee"}],
                }
            ],
        },
        "app.bsky.feed.post/3kaaaaaaaab22": {
            "$type": "app.bsky.feed.post",
            "text": "Open 8 to 6.",
            "createdAt": "2024-03-01T09:05:00Z",
            "reply": {"root": {"uri": root, "cid": "x"}, "parent": {"uri": root, "cid": "x"}},
        },
        "app.bsky.feed.like/3kaaaaaaaac22": {
            "$type": "app.bsky.feed.like",
            "createdAt": "2024-03-02T10:00:00+01:00",
            "subject": {"uri": "at://did:plc:bob/app.bsky.feed.post/3kbbbbbbbbb22", "cid": "y"},
        },
        "app.bsky.graph.follow/3kaaaaaaaad22": {
            "$type": "app.bsky.graph.follow",
            "subject": "did:plc:bob",
            "createdAt": "2024-03-02T11:00:00.5Z",
        },
        "com.example.thing/1": {"$type": "com.example.thing"},
    }


def test_a_self_reply_resolves_to_the_posts_uri(cli, tmp_path):
    path = tmp_path / "repo.car"
    path.write_bytes(RepoBuilder("did:plc:acme").car(small_repo()))
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 0, err
    msgs = {r["id"].rsplit("/", 1)[-1]: r for r in rows(ws, "select * from messages")}
    assert set(msgs) == {"3kaaaaaaaaa22", "3kaaaaaaaab22"}  # no placeholder: the parent is its own
    assert msgs["3kaaaaaaaab22"]["in_reply_to"] == msgs["3kaaaaaaaaa22"]["id"]
    assert msgs["3kaaaaaaaab22"]["conversation_id"] == msgs["3kaaaaaaaaa22"]["id"]
    assert msgs["3kaaaaaaaaa22"]["hashtags"] == ["coffee"]
    assert msgs["3kaaaaaaaaa22"]["account"] == "did:plc:acme"  # no handle in the file name
    like = rows(ws, "select created_at from acknowledgements")[0]
    assert like["created_at"] == datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    assert "skipped 1 com.example.thing records" in err
