"""The Facebook/Instagram importer against real "Download your information" files
(../shared/data/export_facebook_dyi, export_instagram_dyi), with counts computed here from the
JSON, and against small files written in tmp_path."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from conftest import shared_path
from exports import rows, same_tables, snapshot, zip_folder
from socialaudit.sources.meta import fix_text

FB = ("export_facebook_dyi", "waultar_fixtures", "test", "objectbox", "data", "Facebook")
PARSER = ("export_facebook_dyi", "waultar_fixtures", "test", "parser", "data")
IG = ("export_instagram_dyi", "yummyhopper")


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.realdata
def test_facebook_counts_and_repaired_text(cli, tmp_path):
    folder = shared_path(*FB)
    posts = load(folder / "posts" / "your_posts_1.json")
    comments = [
        c
        for c in load(folder / "comments_and_reactions" / "comments_and_reactions.json")[
            "comments_v2"
        ]
        if any("comment" in d for d in c.get("data", []))
    ]
    reactions = load(folder / "comments_and_reactions" / "posts_and_comments.json")["reactions_v2"]
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    got = {
        r["kind"]: r["n"] for r in rows(ws, "select kind, count(*) n from messages group by kind")
    }
    assert got == {"post": len(posts), "comment": len(comments)}
    assert rows(ws, "select count(*) n from acknowledgements")[0]["n"] == len(reactions)
    # Meta's double-encoded "nÃ¦sten" is stored as "næsten".
    post = rows(
        ws, "select * from messages where created_at = ?", [datetime.fromtimestamp(1305050046, UTC)]
    )[0]
    assert post["text"] == "Han satte sig ved siden af mig, kan næsten ikke blive bedre :O)"
    assert (
        post["platform"] == "facebook" and post["from_brand"] and post["id"].startswith("fb-post-")
    )
    photo = rows(
        ws,
        "select text from messages where created_at = ?",
        [datetime(2012, 12, 6, 14, 45, 14, tzinfo=UTC)],
    )
    assert photo == [{"text": "Sne sne!"}]
    assert not rows(ws, "select id from messages where text like '%Ã%'")
    assert rows(ws, "select handle from accounts") == [
        {"handle": "Gustav Johansen"}
    ]  # the comments' author
    gaps = rows(ws, "select gaps from imports")[0]["gaps"]
    assert "from other people" in gaps and "post ids and links" in gaps


@pytest.mark.realdata
def test_instagram_counts_and_emoji(cli, tmp_path):
    folder = shared_path(*IG)
    posts = load(folder / "content" / "posts_1.json")
    comments = load(folder / "comments" / "post_comments_1.json")
    liked = load(folder / "likes" / "liked_posts.json")["likes_media_likes"]
    liked_comments = load(folder / "likes" / "liked_comments.json")["likes_comment_likes"]
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(folder), "--workspace", str(ws), "--brand", "yummyhopper")
    assert code == 0, err
    got = {
        r["kind"]: r["n"] for r in rows(ws, "select kind, count(*) n from messages group by kind")
    }
    assert got == {"post": len(posts), "comment": len(comments)}
    post_likes = {s["href"] for x in liked for s in x["string_list_data"]}
    n = rows(
        ws, "select count(*) n from acknowledgements where message_id not like '%#comment-by-%'"
    )[0]["n"]
    assert n == len(post_likes)
    assert rows(
        ws, "select count(*) n from acknowledgements where message_id like '%#comment-by-%'"
    )[0]["n"] == len(liked_comments)
    comment = rows(ws, "select * from messages where text like '%chedda%'")[0]
    assert comment["text"] == "@dannydonosok what did i tell u about that chedda 🙄"
    assert comment["created_at"] == datetime.fromtimestamp(1688409001, UTC)
    assert comment["mentions"] == ["dannydonosok"] and comment["account"] == "yummyhopper"
    assert "media_owner" in comment["raw"] and "max_orenstein" in comment["raw"]
    assert rows(ws, "select text from messages where text = 'Great sem'")
    assert "skipped 5 stories.json" in err


@pytest.mark.realdata
def test_reimport_and_zip_give_the_same_rows(cli, tmp_path):
    folder = shared_path(*IG)
    ws = tmp_path / "ws"
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    first = snapshot(ws)
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    assert cli("import", str(folder), "--workspace", str(ws))[0] == 0
    same_tables(first, snapshot(ws))
    ws2 = tmp_path / "ws2"
    archive = zip_folder(
        folder, tmp_path / "instagram-yummyhopper-2024-07-08-AbCd.zip", wrapper="export"
    )
    code, _, err = cli("import", str(archive), "--workspace", str(ws2))
    assert code == 0, err
    second = snapshot(ws2)
    # The zip's name says whose export it is; the folder does not, so only the account differs.
    assert rows(ws2, "select distinct account from messages") == [{"account": "yummyhopper"}]
    for name in ("messages", "acknowledgements"):
        a = first[name].drop_columns(["account", "author"] if name == "messages" else ["account"])
        b = second[name].drop_columns(["account", "author"] if name == "messages" else ["account"])
        assert a.equals(b), name


@pytest.mark.realdata
def test_the_same_posts_in_two_files_get_the_same_ids(cli, tmp_path):
    ws = tmp_path / "ws"
    assert cli("import", str(shared_path(*FB)), "--workspace", str(ws))[0] == 0
    code, _, err = cli(
        "import",
        str(shared_path(*PARSER, "your_posts_1.json")),
        "--workspace",
        str(ws),
        "--format",
        "meta",
    )
    assert code == 0, err
    assert rows(ws, "select count(*) n from messages where kind = 'post'")[0]["n"] == 14


@pytest.mark.realdata
def test_single_instagram_file_with_format(cli, tmp_path):
    path = shared_path(*PARSER, "instagram_media.json")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws), "--format", "meta")
    assert code == 0, err
    n = rows(ws, "select count(*) n, min(platform) p from messages")[0]
    assert n == {"n": sum("media" in x for x in load(path)), "p": "instagram"}
    assert "skipped 1 ig_igtv_media records: not posts" in err
    assert (
        rows(ws, "select count(*) n from messages where text like '%f…%'")[0]["n"] == 1
    )  # "f\u00e2\u0080\u00a6"


def test_fix_text_repairs_only_mangled_strings():
    assert fix_text({"L\u00c3\u00b8ye": ["\u00e2\u0080\u0093", "café", "日本", 3]}) == {
        "Løye": ["–", "café", "日本", 3]
    }


def test_localized_instagram_comments_and_follows(cli, tmp_path):
    root = tmp_path / "instagram-acme.coffee-2024-07-08-x"
    (root / "your_instagram_activity" / "comments").mkdir(parents=True)
    (root / "connections" / "followers_and_following").mkdir(parents=True)
    comments = [
        {
            "string_map_data": {
                "Comentário": {"value": "Obrigado @ana.silva!"},
                "Proprietário da mídia": {"value": "ana.silva"},
                "Hora": {"timestamp": 1700000000},
            }
        }
    ]
    (root / "your_instagram_activity" / "comments" / "post_comments_1.json").write_text(
        json.dumps(comments), encoding="utf-8"
    )
    followers = [
        {
            "title": "",
            "media_list_data": [],
            "string_list_data": [
                {"href": "https://www.instagram.com/bob", "value": "bob", "timestamp": 1690000000}
            ],
        }
    ]
    (root / "connections" / "followers_and_following" / "followers_1.json").write_text(
        json.dumps(followers), encoding="utf-8"
    )
    following = {
        "relationships_following": [
            {
                "title": "carol",
                "string_list_data": [
                    {"href": "https://www.instagram.com/_u/carol", "timestamp": 1695000000}
                ],
            }
        ]
    }
    (root / "connections" / "followers_and_following" / "following.json").write_text(
        json.dumps(following), encoding="utf-8"
    )
    archive = zip_folder(root, tmp_path / (root.name + ".zip"))
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(archive), "--workspace", str(ws))
    assert code == 0, err
    comment = rows(ws, "select text, mentions, account, created_at from messages")[0]
    assert comment == {
        "text": "Obrigado @ana.silva!",
        "mentions": ["ana.silva"],
        "account": "acme.coffee",
        "created_at": datetime.fromtimestamp(1700000000, UTC),
    }
    follows = rows(ws, "select direction, other, created_at from follows order by direction")
    assert [(f["direction"], f["other"]) for f in follows] == [
        ("follower", "bob"),
        ("following", "carol"),
    ]
    assert all(f["created_at"] is not None for f in follows)
