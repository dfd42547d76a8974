"""The Mastodon importer against a real archive (../shared/data/export_mastodon_outbox), with
counts computed here from outbox.json, and against small archives written in tmp_path."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import UTC, datetime

import pytest

from conftest import shared_path
from exports import rows, same_tables, snapshot, zip_folder
from socialaudit.sources.mastodon import html_to_text

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def expected_visibility(note: dict) -> str:
    # Written here from the addressing rules, independently of the importer.
    if PUBLIC in note["to"]:
        return "public"
    if PUBLIC in note["cc"]:
        return "unlisted"
    if "https://indieweb.social/users/dealingwith/followers" in note["to"] + note["cc"]:
        return "followers"
    return "direct"


@pytest.mark.realdata
def test_counts_match_outbox_json(cli, tmp_path):
    folder = shared_path("export_mastodon_outbox", "dealingwith")
    outbox = json.loads((folder / "outbox.json").read_text(encoding="utf-8"))
    notes = [
        a["object"]
        for a in outbox["orderedItems"]
        if a["type"] == "Create" and a["object"]["type"] == "Note"
    ]
    boosts = [a for a in outbox["orderedItems"] if a["type"] == "Announce"]
    likes = json.loads((folder / "likes.json").read_text(encoding="utf-8"))["orderedItems"]

    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    got = {
        (r["kind"], r["visibility"]): r["n"]
        for r in rows(ws, "select kind, visibility, count(*) n from messages group by all")
    }
    assert sum(n for (k, _), n in got.items() if k != "repost") == len(notes)
    assert got[("repost", "public")] == len(boosts)
    vis = Counter(expected_visibility(n) for n in notes)
    assert sum(n for (k, v), n in got.items() if v == "direct") == vis["direct"] == 35
    assert sum(n for (k, v), n in got.items() if v == "followers") == vis["followers"]
    replies = sum(1 for n in notes if n["inReplyTo"] and expected_visibility(n) != "direct")
    assert sum(n for (k, _), n in got.items() if k == "reply") == replies
    assert rows(ws, "select count(*) n from acknowledgements where kind = 'favourite'")[0][
        "n"
    ] == len(set(likes))
    assert rows(ws, "select handle, display_name, created_at from accounts") == [
        {
            "handle": "dealingwith@indieweb.social",
            "display_name": "dealingwith",
            "created_at": datetime(2022, 11, 7, tzinfo=UTC),
        }
    ]


@pytest.mark.realdata
def test_spot_checks_on_known_rows(cli, tmp_path):
    ws = tmp_path / "ws"
    assert (
        cli(
            "import",
            str(shared_path("export_mastodon_outbox", "dealingwith")),
            "--workspace",
            str(ws),
        )[0]
        == 0
    )
    base = "https://indieweb.social/users/dealingwith/statuses/"
    first = rows(ws, "select * from messages where id = ?", [base + "109305976208011760"])[0]
    assert first["created_at"] == datetime(2022, 11, 8, 3, 7, 14, tzinfo=UTC)
    assert first["text"] == (
        "As Twitter crashes and burns, it’s a good time to pull these two articles out of my deep "
        "backlog of potential blog posts.\n\nhttps://daniel.industries/2022/11/07/less-twitter-more-indieweb/"
    )
    assert first["links"] == ["https://daniel.industries/2022/11/07/less-twitter-more-indieweb/"]
    assert first["kind"] == "post" and first["visibility"] == "public" and first["lang"] == "en"
    assert first["url"] == "https://indieweb.social/@dealingwith/109305976208011760"
    dm = rows(ws, "select * from messages where id = ?", [base + "109361289517644172"])[0]
    assert dm["kind"] == "direct" and dm["visibility"] == "direct"
    assert dm["text"].startswith("@obsolete29 I noticed you are a SharePoint dev")
    assert dm["mentions"] == ["obsolete29@indieweb.social"]
    # A reply keeps the URI of what it answers; a boost links to what it shares.
    reply = rows(
        ws,
        "select in_reply_to from messages "
        "where kind = 'reply' and in_reply_to like 'https://%' limit 1",
    )
    assert reply
    boost = rows(ws, "select * from messages where id = ?", [base + "109449999597967268/activity"])[
        0
    ]
    assert boost["kind"] == "repost" and boost["text"] is None
    assert boost["url"] == "https://mastodon.social/users/s0mmer/statuses/109440048909776763"


@pytest.mark.realdata
def test_reimport_and_zip_give_the_same_rows(cli, tmp_path):
    folder = shared_path("export_mastodon_outbox", "dealingwith")
    ws = tmp_path / "ws"
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    first = snapshot(ws)
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    same_tables(first, snapshot(ws))
    ws2 = tmp_path / "ws2"
    archive = zip_folder(folder, tmp_path / "archive-20240723.zip")
    code, _, err = cli("import", str(archive), "--workspace", str(ws2))
    assert code == 0, err
    same_tables(first, snapshot(ws2))


def write_archive(folder, items, likes=None):
    folder.mkdir(parents=True)
    actor = {
        "id": "https://example.social/users/acme",
        "type": "Person",
        "preferredUsername": "acme",
        "name": "Acme",
        "followers": "https://example.social/users/acme/followers",
        "url": "https://example.social/@acme",
        "published": "2023-01-01T00:00:00Z",
        "attachment": [
            {
                "type": "PropertyValue",
                "name": "Web",
                "value": '<a href="https://acme.example/">acme.example</a>',
            }
        ],
    }
    (folder / "actor.json").write_text(json.dumps(actor), encoding="utf-8")
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": 99,
        "orderedItems": items,
    }
    (folder / "outbox.json").write_text(json.dumps(outbox), encoding="utf-8")
    if likes is not None:
        (folder / "likes.json").write_text(
            json.dumps({"type": "OrderedCollection", "orderedItems": likes}), encoding="utf-8"
        )
    return folder


def note(n, to, cc, content, reply=None, **extra):
    uri = f"https://example.social/users/acme/statuses/{n}"
    obj = {
        "id": uri,
        "type": "Note",
        "published": f"2024-01-0{n}T10:00:00Z",
        "to": to,
        "cc": cc,
        "content": content,
        "inReplyTo": reply,
        "url": f"https://example.social/@acme/{n}",
        "conversation": f"tag:example.social,2024:objectId={n}",
        "tag": [],
        **extra,
    }
    return {
        "id": uri + "/activity",
        "type": "Create",
        "actor": "https://example.social/users/acme",
        "published": obj["published"],
        "to": to,
        "cc": cc,
        "object": obj,
    }


def test_visibility_html_and_engagement_totals(cli, tmp_path):
    followers = "https://example.social/users/acme/followers"
    items = [
        note(
            1,
            [PUBLIC],
            [followers],
            "<p>Hello &amp; welcome</p><p>line<br>break</p>",
            likes={"totalItems": 7},
            shares={"totalItems": 2},
        ),
        note(2, [followers], [PUBLIC], "<p>quiet</p>"),
        note(3, [followers], [], "<p>friends only</p>"),
        note(4, ["https://other.example/users/bob"], [], "<p>psst</p>"),
        note(5, [PUBLIC], [], "<p>thanks</p>", reply="https://other.example/users/bob/statuses/1"),
        {
            "id": "x/activity",
            "type": "Delete",
            "actor": "https://example.social/users/acme",
            "object": "x",
        },
    ]
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import", str(write_archive(tmp_path / "a", items, likes=[])), "--workspace", str(ws)
    )
    assert code == 0, err
    got = rows(
        ws, "select text, kind, visibility, likes, reposts from messages order by created_at"
    )
    assert [(r["kind"], r["visibility"]) for r in got] == [
        ("post", "public"),
        ("post", "unlisted"),
        ("post", "followers"),
        ("direct", "direct"),
        ("reply", "public"),
    ]
    assert got[0]["text"] == "Hello & welcome\n\nline\nbreak"
    assert (got[0]["likes"], got[0]["reposts"], got[1]["likes"]) == (7, 2, None)
    assert "skipped 1 other activities" in err
    assert rows(ws, "select own_domains from accounts")[0]["own_domains"] == ["acme.example"]


def test_html_to_text_keeps_hidden_url_parts():
    text, links = html_to_text(
        '<p><a href="https://example.com/a/very/long/path" rel="nofollow">'
        '<span class="invisible">https://</span><span class="ellipsis">example.com/a/very</span>'
        '<span class="invisible">/long/path</span></a> '
        '<a href="https://x.social/tags/coffee" class="mention hashtag" rel="tag">'
        "#<span>coffee</span></a></p>"
    )
    assert text == "https://example.com/a/very/long/path #coffee"
    assert links == ["https://example.com/a/very/long/path"]


def test_archive_without_likes_records_the_gap(cli, tmp_path):
    ws = tmp_path / "ws"
    folder = write_archive(tmp_path / "a", [note(1, [PUBLIC], [], "<p>hi</p>")])
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    assert "favourites (no likes.json)" in rows(ws, "select gaps from imports")[0]["gaps"]


@pytest.mark.realdata
def test_a_single_outbox_file_is_enough(cli, tmp_path):
    src = shared_path("export_mastodon_outbox", "dealingwith", "outbox.json")
    shutil.copy(src, tmp_path / "outbox.json")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(tmp_path / "outbox.json"), "--workspace", str(ws))
    assert code == 0, err
    assert rows(ws, "select count(*) n from messages")[0]["n"] == 1586
    assert rows(ws, "select distinct account from messages") == [
        {"account": "dealingwith@indieweb.social"}
    ]
