"""The X archive importer against two real archives (../shared/data/export_x_archive), with
counts computed here from the raw files, and against copies changed in tmp_path (parts split,
direct messages added, a listed part removed)."""

from __future__ import annotations

import html
import shutil
from datetime import UTC, datetime

import pytest

from conftest import shared_path
from exports import counts, read_ytd, rows, same_tables, snapshot, write_ytd, zip_folder
from socialaudit.sources.x_archive import snowflake_time

pytestmark = pytest.mark.realdata

OWN_IDS = {"alrocar": "52338276", "andreruffert": "112769581"}


def independent_counts(folder) -> dict[str, int]:
    """What the archive holds, counted from the files the manifest lists (plain json here)."""
    manifest = read_ytd(folder / "data" / "manifest.js")
    files = [f["fileName"] for f in manifest["dataTypes"]["tweets"]["files"]]
    tweets = [e["tweet"] for f in files for e in read_ytd(folder / f)]
    ids = {t["id_str"] for t in tweets}
    superseded = set()
    for t in tweets:
        chain = t["edit_info"].get("initial", {}).get("editTweetIds", [])
        present = sorted((i for i in chain if i in ids), key=int)
        superseded.update(present[:-1])
    kept = [t for t in tweets if t["id_str"] not in superseded]
    own = OWN_IDS[folder.name]
    parents = {
        t["in_reply_to_status_id_str"]
        for t in kept
        if t.get("in_reply_to_status_id_str")
        and t["in_reply_to_status_id_str"] not in ids
        and t.get("in_reply_to_user_id_str") != own
    }
    return {
        "listed": sum(int(f["count"]) for f in manifest["dataTypes"]["tweets"]["files"]),
        "tweets": len(tweets),
        "kept": len(kept),
        "reposts": sum(t["full_text"].startswith("RT @") for t in kept),
        "replies": sum(
            1
            for t in kept
            if not t["full_text"].startswith("RT @")
            and ("in_reply_to_status_id_str" in t or "in_reply_to_user_id_str" in t)
        ),
        "placeholders": len(parents),
    }


@pytest.mark.parametrize("name", ["alrocar", "andreruffert"])
def test_counts_match_the_raw_files(cli, tmp_path, name):
    folder = shared_path("export_x_archive", name)
    expected = independent_counts(folder)
    assert expected["tweets"] == expected["listed"]  # the manifest's own count, as a sanity check
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    got = {
        r["kind"]: r["n"]
        for r in rows(ws, "select kind, count(*) n from messages where from_brand group by kind")
    }
    assert sum(got.values()) == expected["kept"]
    assert got["repost"] == expected["reposts"]
    assert got["reply"] == expected["replies"]
    inbound = rows(
        ws,
        "select count(*) n, bool_and(time_only) t, bool_and(text is null) x "
        "from messages where not from_brand",
    )[0]
    assert inbound == {"n": expected["placeholders"], "t": True, "x": True}


def test_an_edited_tweet_keeps_the_text_first_published(cli, tmp_path):
    """Of an edit chain only the last version is a row; its `raw` record carries the first
    version's text (read here from tweets.js), so that what the edit changed can be read."""
    import json

    from socialaudit.model import EARLIER_TEXT

    folder = shared_path("export_x_archive", "alrocar")
    tweets = {e["tweet"]["id_str"]: e["tweet"] for e in read_ytd(folder / "data" / "tweets.js")}
    expected = {}
    for t in tweets.values():
        info = t["edit_info"]
        listed = info.get("initial", info.get("edit", {}).get("editControlInitial", {}))
        chain = sorted((i for i in listed.get("editTweetIds", []) if i in tweets), key=int)
        if len(chain) > 1 and t["id_str"] == chain[-1]:
            expected[t["id_str"]] = html.unescape(tweets[chain[0]]["full_text"])
    assert len(expected) > 3
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    got = {
        r["id"]: json.loads(r["raw"]).get(EARLIER_TEXT)
        for r in rows(ws, "select id, raw from messages where edited_at is not null")
    }
    assert got == expected
    assert got["1830581129021431838"].startswith("TIL: FindItFinder")


def test_spot_checks_on_known_rows(cli, tmp_path):
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import", str(shared_path("export_x_archive", "alrocar")), "--workspace", str(ws)
    )
    assert code == 0, err
    by_id = {
        r["id"]: r
        for r in rows(
            ws,
            "select * from messages where id in (?, ?, ?, ?, ?)",
            [
                "1855222380982907193",
                "1854591356741861770",
                "1854584712419065998",
                "1838277097510297609",
                "1712845356000485462",
            ],
        )
    }
    rt = by_id["1855222380982907193"]
    assert rt["kind"] == "repost" and rt["likes"] is None
    assert rt["created_at"] == datetime(2024, 11, 9, 12, 14, 18, tzinfo=UTC)
    assert rt["text"].startswith("RT @notasintel: #DANA")
    reply = by_id["1854591356741861770"]
    assert reply["kind"] == "reply" and reply["from_brand"]
    assert reply["in_reply_to"] == "1854584712419065998"
    assert reply["url"] == "https://x.com/alrocar/status/1854591356741861770"
    assert reply["mentions"] == ["skgsergio"] and reply["likes"] == 0
    # The customer's tweet is a placeholder dated from its id: 26 minutes before the reply.
    parent = by_id["1854584712419065998"]
    assert parent["author"] == "skgsergio" and parent["text"] is None and parent["time_only"]
    assert parent["kind"] == "mention" and not parent["from_brand"]
    assert parent["created_at"] == datetime(2024, 11, 7, 18, 0, 26, 615000, tzinfo=UTC)
    assert "=> https://t.co/" in by_id["1838277097510297609"]["text"]  # "=&gt;" unescaped
    # A long post: tweets.js has the cut text, note-tweet.js the whole of it.
    note = by_id["1712845356000485462"]["text"]
    assert note.startswith("Data engineers, say goodbye to manual tests!")
    assert note.endswith("Check it out 👇")


def test_snowflake_time_is_exact_to_the_second_on_the_brands_own_tweets():
    tweets = [
        e["tweet"]
        for e in read_ytd(shared_path("export_x_archive", "andreruffert", "data", "tweets.js"))
    ]
    checked = 0
    for t in tweets:
        when = snowflake_time(t["id_str"])
        if when is None:
            continue  # 2010 ids before snowflakes
        created = datetime.strptime(t["created_at"], "%a %b %d %H:%M:%S %z %Y")
        assert abs((when - created).total_seconds()) < 1, t["id_str"]
        checked += 1
    assert checked > 1900


def test_secondary_files_missing_are_gaps_not_errors(cli, tmp_path):
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import", str(shared_path("export_x_archive", "alrocar")), "--workspace", str(ws)
    )
    assert code == 0, err
    assert "like.js): listed in manifest.js with 6528 records" in err
    gaps = rows(ws, "select gaps from imports")[0]["gaps"]
    assert "inbound messages" in gaps and "like.js" in gaps
    # The manifest still counts followers: the audience row keeps that figure.
    assert rows(ws, "select followers, following, date::varchar d from audience") == [
        {"followers": 1333, "following": 80, "d": "2024-11-16"}
    ]


def test_likes_and_follows(cli, tmp_path):
    folder = shared_path("export_x_archive", "andreruffert")
    ws = tmp_path / "ws"
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    assert counts(ws)["acknowledgements"] == len(read_ytd(folder / "data" / "like.js"))
    follows = {
        r["direction"]: r["n"]
        for r in rows(ws, "select direction, count(*) n from follows group by all")
    }
    assert follows == {
        "follower": len(read_ytd(folder / "data" / "follower.js")),
        "following": len(read_ytd(folder / "data" / "following.js")),
    }
    account = rows(ws, "select handle, account_id, own_domains from accounts")[0]
    assert account == {
        "handle": "andreruffert",
        "account_id": "112769581",
        "own_domains": ["andreruffert.com"],
    }


def test_reimport_twice_changes_nothing_and_zip_equals_folder(cli, tmp_path):
    folder = shared_path("export_x_archive", "andreruffert")
    ws = tmp_path / "ws"
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    first = snapshot(ws)
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    same_tables(first, snapshot(ws))
    archive = zip_folder(
        folder, tmp_path / "twitter-2022-11-14-abc.zip", wrapper="twitter-2022-11-14-abc"
    )
    ws2 = tmp_path / "ws2"
    code, _, err = cli("import", str(archive), "--workspace", str(ws2))
    assert code == 0, err
    same_tables(first, snapshot(ws2))


def _copy(name, tmp_path):
    target = tmp_path / name
    shutil.copytree(shared_path("export_x_archive", name), target)
    target.chmod(0o755)
    for p in target.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    return target


def test_every_part_listed_in_the_manifest_is_read(cli, tmp_path):
    folder = _copy("andreruffert", tmp_path)
    data = folder / "data"
    tweets = read_ytd(data / "tweets.js")
    cut = len(tweets) // 3
    write_ytd(data / "tweets.js", "YTD.tweets.part0", tweets[:cut])
    write_ytd(data / "tweets-part1.js", "YTD.tweets.part1", tweets[cut : 2 * cut])
    write_ytd(data / "tweets-part2.js", "YTD.tweets.part2", tweets[2 * cut :])
    manifest = read_ytd(data / "manifest.js")
    manifest["dataTypes"]["tweets"]["files"] = [
        {"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": str(cut)},
        {"fileName": "data/tweets-part1.js", "globalName": "YTD.tweets.part1", "count": str(cut)},
        {
            "fileName": "data/tweets-part2.js",
            "globalName": "YTD.tweets.part2",
            "count": str(len(tweets) - 2 * cut),
        },
    ]
    (data / "manifest.js").write_text(
        "window.__THAR_CONFIG = " + __import__("json").dumps(manifest), encoding="utf-8"
    )
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    assert rows(ws, "select count(*) n from messages where from_brand")[0]["n"] == len(tweets)

    # The same archive with its last part gone: nothing is imported, one line says why.
    before = snapshot(ws, with_source=True)
    (data / "tweets-part2.js").unlink()
    code, _out, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 2
    assert (
        len(err.strip().splitlines()) == 1 and "tweets-part2.js" in err and "Traceback" not in err
    )
    same_tables(before, snapshot(ws, with_source=True), tables=tuple(before))


def test_direct_messages_in_both_directions(cli, tmp_path):
    folder = _copy("andreruffert", tmp_path)
    own = OWN_IDS["andreruffert"]
    write_ytd(
        folder / "data" / "direct-messages.js",
        "YTD.direct_messages.part0",
        [
            {
                "dmConversation": {
                    "conversationId": f"42-{own}",
                    "messages": [
                        {
                            "messageCreate": {
                                "id": "1590000000000000002",
                                "senderId": own,
                                "recipientId": "42",
                                "text": "Sorry about that &amp; thanks!",
                                "createdAt": "2022-11-08T10:05:00.000Z",
                                "urls": [],
                                "reactions": [],
                                "mediaUrls": [],
                                "editHistory": [],
                            }
                        },
                        {
                            "messageCreate": {
                                "id": "1590000000000000001",
                                "senderId": "42",
                                "recipientId": own,
                                "text": "My order never came",
                                "createdAt": "2022-11-08T09:00:00.000Z",
                                "urls": [],
                                "reactions": [],
                                "mediaUrls": [],
                                "editHistory": [],
                            }
                        },
                    ],
                }
            }
        ],
    )
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    dms = rows(
        ws,
        "select id, author, from_brand, text, conversation_id, created_at from messages "
        "where kind = 'direct' order by created_at",
    )
    assert [(d["author"], d["from_brand"]) for d in dms] == [("42", False), ("andreruffert", True)]
    assert dms[1]["text"] == "Sorry about that & thanks!"
    assert dms[0]["conversation_id"] == f"42-{own}"
    assert dms[0]["created_at"] == datetime(2022, 11, 8, 9, 0, tzinfo=UTC)
