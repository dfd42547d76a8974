"""Damaged exports: every importer either imports them or fails with one clear line (exit 2),
and a failed import leaves the workspace exactly as it was.

Hypothesis damages small but complete exports of each format: a JSON value replaced by one of
the wrong type, a file cut short, re-encoded (UTF-16, Latin-1), emptied or removed, bytes of a
binary file flipped. The workspace first holds a good import of the same path, so that a
failed re-import that deleted the earlier rows would show.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from openpyxl.utils.exceptions import IllegalCharacterError

from exports import RepoBuilder, fingerprint, rows, zip_folder
from socialaudit.sources.container import Container, safe_member_name
from socialaudit.sources.x_archive import snowflake_time

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_STRINGS = [
    "",
    "\ud800",
    "2024-13-45T99:99:99Z",
    "Fri Mar 06 13:02:05 +0000 2026",
    "9" * 30,
    "../../etc/passwd",
    "RT @x: hi",
    "<p>unclosed",
    "http://[::1/x",
    "NaN",
    "-1",
    "null",
]
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(ODD_STRINGS),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


# -- small, complete exports -------------------------------------------------------------------


def tweet(tid: int, text: str, **extra) -> dict:
    when = snowflake_time(str(tid)).strftime("%a %b %d %H:%M:%S +0000 %Y")
    return {
        "tweet": {
            "id_str": str(tid),
            "id": str(tid),
            "created_at": when,
            "full_text": text,
            "favorite_count": "3",
            "retweet_count": "1",
            "lang": "en",
            "entities": {"hashtags": [], "urls": [], "user_mentions": []},
            "edit_info": {"initial": {"editTweetIds": [str(tid)]}},
            **extra,
        }
    }


def x_files() -> dict[str, object]:
    files = {
        "data/tweets.js": (
            "YTD.tweets.part0",
            [
                tweet(1750000000000000000, "Hello &amp; welcome ☕ #launch"),
                tweet(1750000100000000000, "RT @bob: café"),
            ],
        ),
        "data/tweets-part1.js": (
            "YTD.tweets.part1",
            [
                tweet(
                    1750000200000000000,
                    "@bob sorry, fixed",
                    in_reply_to_status_id_str="1749999990000000000",
                    in_reply_to_user_id_str="2000",
                    in_reply_to_screen_name="Bob",
                )
            ],
        ),
        "data/like.js": (
            "YTD.like.part0",
            [{"like": {"tweetId": "1749999990000000000", "fullText": "x"}}],
        ),
        "data/follower.js": ("YTD.follower.part0", [{"follower": {"accountId": "2000"}}]),
    }
    manifest = {
        "userInfo": {"accountId": "1000", "userName": "acme", "displayName": "Acme"},
        "archiveInfo": {"generationDate": "2024-01-31T00:00:00.000Z"},
        "dataTypes": {
            "tweets": {
                "files": [
                    {"fileName": "data/tweets.js", "globalName": "YTD.tweets.part0", "count": "2"},
                    {
                        "fileName": "data/tweets-part1.js",
                        "globalName": "YTD.tweets.part1",
                        "count": "1",
                    },
                ]
            },
            "like": {
                "files": [
                    {"fileName": "data/like.js", "globalName": "YTD.like.part0", "count": "1"}
                ]
            },
            "follower": {"files": [{"fileName": "data/follower.js", "count": "1"}]},
        },
    }
    files["data/manifest.js"] = ("__THAR_CONFIG", manifest)
    return files


def x_bytes(name: str, value: object) -> bytes:
    global_name, data = value
    return (
        "window." + global_name + " = " + json.dumps(data, indent=1, ensure_ascii=False)
    ).encode("utf-8", "backslashreplace")


def mastodon_files() -> dict[str, object]:
    pub = "https://www.w3.org/ns/activitystreams#Public"
    note = {
        "id": "https://ex.social/users/acme/statuses/1",
        "type": "Note",
        "published": "2024-01-01T10:00:00Z",
        "to": [pub],
        "cc": [],
        "content": '<p>Hello <a href="https://acme.example">acme.example</a> ☕</p>',
        "inReplyTo": None,
        "url": "https://ex.social/@acme/1",
        "conversation": "tag:x",
        "contentMap": {"en": "x"},
        "tag": [{"type": "Mention", "name": "@bob", "href": "https://ex.social/users/bob"}],
    }
    outbox = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "OrderedCollection",
        "totalItems": 2,
        "orderedItems": [
            {
                "id": note["id"] + "/activity",
                "type": "Create",
                "actor": "https://ex.social/users/acme",
                "published": note["published"],
                "to": [pub],
                "cc": [],
                "object": note,
            },
            {
                "id": "https://ex.social/users/acme/statuses/2/activity",
                "type": "Announce",
                "actor": "https://ex.social/users/acme",
                "published": "2024-01-02T10:00:00Z",
                "to": [pub],
                "cc": [],
                "object": "https://other.social/users/bob/statuses/9",
            },
        ],
    }
    actor = {
        "id": "https://ex.social/users/acme",
        "type": "Person",
        "preferredUsername": "acme",
        "name": "Acme",
        "followers": "https://ex.social/users/acme/followers",
        "published": "2023-01-01T00:00:00Z",
    }
    likes = {
        "type": "OrderedCollection",
        "orderedItems": ["https://other.social/users/bob/statuses/9"],
    }
    return {"outbox.json": outbox, "actor.json": actor, "likes.json": likes}


def meta_files() -> dict[str, object]:
    mangled = "Caf\u00c3\u00a9 \u00e2\u0098\u0095"  # "Café ☕" as Meta writes it
    return {
        "your_activity_across_facebook/posts/your_posts_1.json": [
            {
                "timestamp": 1700000000,
                "data": [{"post": mangled}],
                "title": "Acme updated their status.",
                "attachments": [{"data": [{"external_context": {"url": "https://acme.example"}}]}],
            }
        ],
        "your_activity_across_facebook/comments_and_reactions/comments.json": {
            "comments_v2": [
                {
                    "timestamp": 1700000100,
                    "data": [
                        {
                            "comment": {
                                "timestamp": 1700000100,
                                "comment": "Thanks!",
                                "author": "Acme",
                            }
                        }
                    ],
                    "title": "Acme commented.",
                }
            ]
        },
        "your_instagram_activity/content/posts_1.json": [
            {"media": [{"uri": "media/1.jpg", "creation_timestamp": 1700000200, "title": mangled}]}
        ],
        "your_instagram_activity/comments/post_comments_1.json": [
            {
                "string_map_data": {
                    "Comment": {"value": "@bob yes"},
                    "Media Owner": {"value": "bob"},
                    "Time": {"timestamp": 1700000300},
                }
            }
        ],
        "your_instagram_activity/likes/liked_posts.json": {
            "likes_media_likes": [
                {
                    "title": "bob",
                    "string_list_data": [
                        {
                            "href": "https://www.instagram.com/p/x/",
                            "value": "👍",
                            "timestamp": 1700000400,
                        }
                    ],
                }
            ]
        },
    }


def bluesky_records() -> dict[str, dict]:
    return {
        "app.bsky.feed.post/3kaaaaaaaaa22": {
            "$type": "app.bsky.feed.post",
            "text": "Café ☕",
            "createdAt": "2024-03-01T09:00:00Z",
        },
        "app.bsky.feed.post/3kaaaaaaaab22": {
            "$type": "app.bsky.feed.post",
            "text": "@bob.bsky.social yes",
            "createdAt": "2024-03-01T09:05:00Z",
            "reply": {
                "root": {"uri": "at://did:plc:bob/app.bsky.feed.post/3jzzzzzzzzz22", "cid": "c"},
                "parent": {"uri": "at://did:plc:bob/app.bsky.feed.post/3jzzzzzzzzz22", "cid": "c"},
            },
            "facets": [
                {
                    "index": {"byteStart": 0, "byteEnd": 16},
                    "features": [
                        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:bob"}
                    ],
                }
            ],
        },
        "app.bsky.feed.like/3kaaaaaaaac22": {
            "$type": "app.bsky.feed.like",
            "createdAt": "2024-03-02T10:00:00Z",
            "subject": {"uri": "at://did:plc:bob/app.bsky.feed.post/3jzzzzzzzzz22", "cid": "c"},
        },
        "app.bsky.graph.follow/3kaaaaaaaad22": {
            "$type": "app.bsky.graph.follow",
            "subject": "did:plc:bob",
            "createdAt": "2024-03-02T11:00:00Z",
        },
    }


LINKEDIN_HEADER = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views",
    "Off-site views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]


def linkedin_rows() -> list[list[object]]:
    return [
        [
            "Café opening ☕",
            "https://www.linkedin.com/feed/update/urn:li:activity:1",
            "Organic",
            "",
            "Jane",
            "01/31/2024",
            "",
            "",
            "All",
            100,
            0,
            0,
            5,
            0.05,
            7,
            1,
            0,
            0,
            0.1,
            "Text",
        ],
        [
            "Offer",
            "https://www.linkedin.com/feed/update/urn:li:activity:2",
            "Sponsored",
            "Spring",
            "Jane",
            "02/14/2024",
            "",
            "",
            "All",
            "1,000",
            0,
            0,
            12,
            0.012,
            3,
            0,
            1,
            2,
            0.02,
            "Image",
        ],
    ]


def linkedin_bytes(data_rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.title = "Metrics"
    book.active.append(["Daily metrics."])
    book.active.append(["Date", "Impressions (organic)", "Clicks (organic)"])
    sheet = book.create_sheet("All posts")
    sheet.append(["All posts and their metrics."])
    sheet.append(LINKEDIN_HEADER)
    for r in data_rows:
        sheet.append(r)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# openpyxl stamps the save time into the file: the good bytes are made once, so that every
# example damages the same bytes (hypothesis replays draws against them).
GOOD_XLSX = linkedin_bytes(linkedin_rows())


# -- damage ------------------------------------------------------------------------------------


def json_paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from json_paths(v, (*prefix, i))


def replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


def damage_bytes(data: bytes, draw) -> bytes:
    how = draw(st.sampled_from(["truncate", "utf16", "latin1", "empty", "flip"]))
    if how == "truncate":
        return data[: draw(st.integers(0, max(0, len(data) - 1)))]
    if how == "utf16":
        return data.decode("utf-8", errors="replace").encode("utf-16")
    if how == "latin1":
        return data.decode("utf-8", errors="replace").encode("latin-1", errors="replace")
    if how == "empty":
        return b""
    at = draw(st.integers(0, max(0, len(data) - 1)))
    return data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]


def damage_json_files(files: dict[str, object], draw) -> dict[str, object]:
    """Replace one value anywhere in one file by another JSON value (often of the wrong type)."""
    name = draw(st.sampled_from(sorted(files)))
    value = files[name]
    inner = value[1] if isinstance(value, tuple) else value
    path = draw(st.sampled_from(list(json_paths(inner))))
    new = replaced(inner, path, draw(JSON_VALUES))
    return {**files, name: (value[0], new) if isinstance(value, tuple) else new}


def write_tree(root: Path, members: dict[str, bytes], as_zip: bool) -> Path:
    if root.exists():
        for f in sorted(root.rglob("*"), reverse=True):
            f.unlink() if f.is_file() else f.rmdir()
    root.mkdir(parents=True, exist_ok=True)
    for name, data in members.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    if not as_zip:
        return root
    target = root.with_suffix(".zip")
    if target.exists():
        target.unlink()
    return zip_folder(root, target)


def attempt(cli, ws: Path, path: Path, *extra: str) -> int:
    """Import; on failure, one line, exit 2, and the workspace as it was."""
    before = fingerprint(ws)
    code, _, err = cli("import", str(path), "--workspace", str(ws), *extra)
    assert "Traceback" not in err
    if currently_in_test_context():  # --hypothesis-show-statistics: both outcomes occur
        event(f"exit {code}")
    if code != 0:
        lines = err.strip().splitlines()
        assert code == 2, err
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert fingerprint(ws) == before
    return code


def _encode_all(files, encode) -> dict[str, bytes]:
    return {name: encode(name, value) for name, value in files.items()}


def _json_bytes(name, value) -> bytes:
    return json.dumps(value, indent=1, ensure_ascii=False).encode("utf-8", "backslashreplace")


# -- the properties ----------------------------------------------------------------------------


def _folder_format(cli, tmp_path, data, files, encode, fmt, as_zip):
    ws = tmp_path / "ws"
    root = tmp_path / "export"
    if not ws.exists():  # the first example: a good import that a failed one must not undo
        good = write_tree(root, _encode_all(files, encode), as_zip)
        assert attempt(cli, ws, good, "--format", fmt) == 0
    kind = data.draw(st.sampled_from(["value", "bytes", "remove"]))
    if kind == "value":
        members = _encode_all(damage_json_files(files, data.draw), encode)
    else:
        members = _encode_all(files, encode)
        name = data.draw(st.sampled_from(sorted(members)))
        if kind == "remove":
            del members[name]
        else:
            members[name] = damage_bytes(members[name], data.draw)
    attempt(cli, ws, write_tree(root, members, as_zip), "--format", fmt)


@SETTINGS
@given(data=st.data(), as_zip=st.booleans())
def test_damaged_x_archive(cli, tmp_path, data, as_zip):
    _folder_format(cli, tmp_path, data, x_files(), x_bytes, "x-archive", as_zip)


@SETTINGS
@given(data=st.data(), as_zip=st.booleans())
def test_damaged_mastodon_archive(cli, tmp_path, data, as_zip):
    _folder_format(cli, tmp_path, data, mastodon_files(), _json_bytes, "mastodon", as_zip)


@SETTINGS
@given(data=st.data(), as_zip=st.booleans())
def test_damaged_meta_export(cli, tmp_path, data, as_zip):
    _folder_format(cli, tmp_path, data, meta_files(), _json_bytes, "meta", as_zip)


@SETTINGS
@given(data=st.data())
def test_damaged_bluesky_repository(cli, tmp_path, data):
    ws, path = tmp_path / "ws", tmp_path / "acme.example.20240301000000.car"
    if not ws.exists():
        path.write_bytes(RepoBuilder("did:plc:acme").car(bluesky_records()))
        assert attempt(cli, ws, path, "--format", "bluesky") == 0
    if data.draw(st.booleans()):
        records = bluesky_records()
        key = data.draw(st.sampled_from(sorted(records)))
        field = data.draw(st.sampled_from(sorted(records[key])))
        records[key] = {**records[key], field: data.draw(JSON_VALUES)}
        try:
            raw = RepoBuilder("did:plc:acme").car(records)
        except (ValueError, TypeError, OverflowError):
            return  # DAG-CBOR cannot hold that value (a float NaN, a huge int): no such file exists
    else:
        raw = damage_bytes(RepoBuilder("did:plc:acme").car(bluesky_records()), data.draw)
    path.write_bytes(raw)
    attempt(cli, ws, path, "--format", "bluesky")


@SETTINGS
@given(data=st.data())
def test_damaged_linkedin_workbook(cli, tmp_path, data):
    ws, path = tmp_path / "ws", tmp_path / "acme_content_1700000000000.xlsx"
    if not ws.exists():
        path.write_bytes(GOOD_XLSX)
        assert attempt(cli, ws, path, "--format", "linkedin") == 0
    if data.draw(st.booleans()):
        cells = linkedin_rows()
        r = data.draw(st.integers(0, len(cells) - 1))
        c = data.draw(st.integers(0, len(LINKEDIN_HEADER) - 1))
        value = data.draw(
            st.none()
            | st.integers(-(2**40), 2**40)
            | st.floats(allow_nan=False, allow_infinity=False)
            | st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=12).filter(
                lambda s: not s.startswith("=")
            )
            | st.sampled_from(ODD_STRINGS[2:])
        )
        cells[r][c] = value
        try:
            raw = linkedin_bytes(cells)
        except (ValueError, TypeError, IllegalCharacterError):
            return  # openpyxl refuses the value: no such file exists
    else:
        raw = damage_bytes(GOOD_XLSX, data.draw)
    path.write_bytes(raw)
    attempt(cli, ws, path, "--format", "linkedin")


# -- the cases that must fail, and zip slip ------------------------------------------------


def test_a_zip_with_a_missing_tweets_part_imports_nothing(cli, tmp_path):
    ws = tmp_path / "ws"
    members = _encode_all(x_files(), x_bytes)
    assert attempt(cli, ws, write_tree(tmp_path / "a", members, as_zip=True)) == 0
    good = rows(ws, "select count(*) n from messages")[0]["n"]
    del members["data/tweets-part1.js"]
    code = attempt(cli, ws, write_tree(tmp_path / "a", members, as_zip=True))
    assert code == 2
    assert rows(ws, "select count(*) n from messages")[0]["n"] == good


@pytest.mark.parametrize(
    "name", ["../evil.js", "/etc/evil.js", "data/../../evil.js", "C:/evil.js", "a\\..\\..\\evil.js"]
)
def test_zip_members_that_would_escape_are_never_read(tmp_path, name):
    assert safe_member_name(name) is None
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(name, "window.YTD.tweets.part0 = []")
        z.writestr("data/ok.js", "ok")
    with Container(path) as c:
        assert c.names() == ["data/ok.js"] and c.unsafe == [name]
        assert not c.exists(name)
    assert not (tmp_path.parent / "evil.js").exists()


def test_safe_member_names_are_normalised():
    assert safe_member_name("./data//tweets.js") == "data/tweets.js"
    assert safe_member_name("data\\tweets.js") == "data/tweets.js"
