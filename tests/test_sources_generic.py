"""The generic CSV/JSONL layout: documented columns, --brand, and one clear line on bad rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialaudit.workspace import Workspace

CSV = """id,platform,author,created_at,text,in_reply_to,likes,hashtags
10,mastodon,ann,2024-05-01T10:00:00Z,"@acme is the shop open today?",,,
11,mastodon,acme,2024-05-01T11:00:00+01:00,"@ann yes, until 6 pm #open",10,3,open
12,mastodon,bob,2024-05-02 09:30:00,"a plain remark, with a comma",,0,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rows(ws_dir: Path, sql: str) -> list[dict]:
    with Workspace.open(ws_dir, create=False) as ws:
        return ws.sql(sql).to_pylist()


def test_csv_with_brand_flag(cli, tmp_path):
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import", str(write(tmp_path, "m.csv", CSV)), "--brand", "@acme", "--workspace", str(ws)
    )
    assert code == 0, err
    got = rows(
        ws,
        "select id, from_brand, account, kind, likes, hashtags, mentions, "
        "strftime(created_at, '%H:%M') as hm from messages order by id",
    )
    assert [r["from_brand"] for r in got] == [False, True, False]
    assert got[1]["account"] == "acme" and got[1]["kind"] == "reply" and got[1]["likes"] == 3
    assert got[1]["hm"] == "10:00"  # +01:00 converted to UTC
    assert got[2]["hm"] == "09:30"  # a naive time is UTC
    assert got[0]["mentions"] == ["acme"] and got[1]["hashtags"] == ["open"]
    assert got[0]["likes"] is None  # a missing metric is null, not 0
    assert rows(ws, "select platform, handle from accounts") == [
        {"platform": "mastodon", "handle": "acme"}
    ]


@pytest.mark.parametrize(
    ("text", "line", "field", "expected"),
    [
        (CSV.replace("2024-05-02 09:30:00", "02/05/2024"), 4, "created_at", "ISO 8601"),
        (CSV.replace(",,0,\n", ",,lots,\n"), 4, "likes", "a whole number"),
        (CSV.replace("mastodon,bob", "myspace,bob"), 4, "platform", "expected one of"),
        (CSV.replace("\n11,", "\n10,"), 3, "id", "once per platform"),
        (CSV.replace("id,platform", "id,platfrom"), None, "platfrom", "unknown column"),
    ],
)
def test_bad_rows_name_file_line_field(cli, tmp_path, text, line, field, expected):
    ws = tmp_path / "ws"
    cli("import", str(write(tmp_path, "good.csv", CSV)), "--brand", "acme", "--workspace", str(ws))
    before = rows(ws, "select count(*) as n from messages")
    code, _, err = cli(
        "import", str(write(tmp_path, "bad.csv", text)), "--brand", "acme", "--workspace", str(ws)
    )
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert "bad.csv" + (f":{line}" if line else "") in err
    assert field in err and expected in err
    assert rows(ws, "select count(*) as n from messages") == before


def test_missing_brand_information_is_explained(cli, tmp_path):
    code, _, err = cli(
        "import", str(write(tmp_path, "m.csv", CSV)), "--workspace", str(tmp_path / "ws")
    )
    assert code == 2 and "from_brand" in err and "--brand" in err


def test_jsonl_with_other_tables_and_bad_json(cli, tmp_path):
    ws = tmp_path / "ws"
    text = (
        '{"table": "accounts", "platform": "x", "handle": "acme", "followers": 10}\n'
        '{"id": "1", "platform": "x", "author": "ann", "from_brand": false, "created_at": "2024-01-01T00:00:00Z", "text": "hi @acme"}\n'
        '{"table": "acknowledgements", "platform": "x", "account": "acme", "message_id": "1"}\n'
    )
    code, _, err = cli("import", str(write(tmp_path, "a.jsonl", text)), "--workspace", str(ws))
    assert code == 0, err
    assert rows(ws, "select kind from acknowledgements") == [{"kind": "like"}]
    assert rows(ws, "select followers from accounts") == [{"followers": 10}]
    code, _, err = cli(
        "import", str(write(tmp_path, "b.jsonl", text + "{not json\n")), "--workspace", str(ws)
    )
    assert code == 2 and "b.jsonl:4" in err
    code, _, err = cli(
        "import",
        str(
            write(
                tmp_path,
                "c.jsonl",
                '{"id": 1, "platform": "x", "author": "a", "from_brand": "maybe", "created_at": "2024-01-01T00:00:00Z"}\n',
            )
        ),
        "--workspace",
        str(ws),
    )
    assert code == 2 and "c.jsonl:1" in err and "from_brand" in err
