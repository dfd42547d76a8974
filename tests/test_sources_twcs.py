"""The TWCS importer, through the CLI as a user runs it, and against independent counts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from tests.conftest import shared_path

from socialaudit.workspace import Workspace


def independent_rows(path: Path) -> list[dict[str, str]]:
    # Only \n ends a record (a bare \r is text), as the dataset's PROVENANCE says.
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\x00")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for r in rows:
        r["text"] = r["text"].replace("\x00", "\r")
    return rows


def table_counts(ws_dir: Path) -> dict[str, int]:
    with Workspace.open(ws_dir, create=False) as ws:
        return {t: ws.count(t) for t in ("messages", "accounts", "acknowledgements", "imports")}


@pytest.mark.parametrize("name", ["twcs_head5000_multibrand.csv", "twcs_kaggle_sample93.csv"])
def test_import_counts_match_the_file(cli, tmp_path, name):
    path = shared_path("twcs", name)
    rows = independent_rows(path)
    code, _out, err = cli("import", str(path), "--workspace", str(tmp_path / "ws"))
    assert code == 0, err
    assert "as twcs" in err
    with Workspace.open(tmp_path / "ws", create=False) as ws:
        assert ws.count("messages") == len(rows)
        brands = {r["author_id"] for r in rows if r["inbound"] == "False"}
        got = {r["handle"] for r in ws.sql("select handle from accounts").to_pylist()}
        assert got == brands
        inbound = ws.sql("select count(*) as n from messages where not from_brand").to_pylist()[0][
            "n"
        ]
        assert inbound == sum(r["inbound"] == "True" for r in rows)


def test_fields_of_known_rows(cli, tmp_path):
    path = shared_path("twcs", "twcs_head5000_multibrand.csv")
    cli("import", str(path), "--workspace", str(tmp_path / "ws"))
    with Workspace.open(tmp_path / "ws", create=False) as ws:
        r = ws.sql(
            "select id, author, from_brand, strftime(created_at, '%Y-%m-%d %H:%M:%S') as t, text, in_reply_to, "
            "kind, mentions from messages where id in ('3399', '3400') order by id"
        ).to_pylist()
    assert r[0]["author"] == "116510" and r[0]["from_brand"] is False
    assert r[0]["t"] == "2017-10-31 18:13:06"
    # the bare carriage returns inside the text survive the import
    assert r[0]["text"].startswith("@AskPayPal \r\rI just love")
    assert r[0]["mentions"] == ["askpaypal"] and r[0]["kind"] == "mention"
    assert r[1]["author"] == "AskPlayStation" and r[1]["from_brand"] is True
    assert r[1]["in_reply_to"] == "3402" and r[1]["kind"] == "reply"


def test_reimport_changes_nothing(cli, tmp_path):
    path = shared_path("twcs", "twcs_head5000_multibrand.csv")
    ws = tmp_path / "ws"
    cli("import", str(path), "--workspace", str(ws))
    first = table_counts(ws)
    code1, audit1, _ = cli("audit", "--format", "json", "--select", "SA1", "--workspace", str(ws))
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 0, err
    assert table_counts(ws) == first
    code2, audit2, _ = cli("audit", "--format", "json", "--select", "SA1", "--workspace", str(ws))
    import json

    f1 = {f["code"]: f["figures"] for f in json.loads(audit1)["findings"]}
    f2 = {f["code"]: f["figures"] for f in json.loads(audit2)["findings"]}
    assert f1 == f2 and code1 == code2


def corrupt_copy(src: Path, dst: Path, record: int, field: str, value: str) -> int:
    """Copy a TWCS file with one field of one data record replaced; return that record's line."""
    rows = independent_rows(src)
    rows[record][field] = value
    with dst.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    text = dst.read_text(encoding="utf-8")
    # the line where that record starts: count newlines before it with the csv module's own view
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    start = 2
    for i, _ in enumerate(reader):
        if i == record:
            return start
        start = reader.line_num + 1
    raise AssertionError("record not found")


def test_broken_row_is_one_clear_line_and_writes_nothing(cli, tmp_path):
    src = shared_path("twcs", "twcs_head5000_multibrand.csv")
    ws = tmp_path / "ws"
    sample = shared_path("twcs", "twcs_kaggle_sample93.csv")
    cli("import", str(sample), "--workspace", str(ws))
    before = table_counts(ws)
    bad = tmp_path / "broken.csv"
    line = corrupt_copy(src, bad, 3000, "created_at", "yesterday at noon")
    code, _out, err = cli("import", str(bad), "--workspace", str(ws))
    assert code == 2
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert len(lines) == 1, err
    assert f"broken.csv:{line}" in lines[0]
    assert "created_at" in lines[0] and "yesterday at noon" in lines[0]
    assert "Traceback" not in err
    assert table_counts(ws) == before


def test_broken_inbound_flag(cli, tmp_path):
    src = shared_path("twcs", "twcs_kaggle_sample93.csv")
    bad = tmp_path / "broken.csv"
    line = corrupt_copy(src, bad, 10, "inbound", "maybe")
    code, _, err = cli("import", str(bad), "--workspace", str(tmp_path / "ws"))
    assert code == 2
    assert f"broken.csv:{line}" in err and "inbound" in err and "True or False" in err


def test_duplicate_tweet_id_is_rejected(cli, tmp_path):
    src = shared_path("twcs", "twcs_kaggle_sample93.csv")
    bad = tmp_path / "dup.csv"
    rows = independent_rows(src)
    line = corrupt_copy(src, bad, 20, "tweet_id", rows[5]["tweet_id"])
    code, _, err = cli("import", str(bad), "--workspace", str(tmp_path / "ws"))
    assert code == 2 and f"dup.csv:{line}" in err and "tweet_id" in err


def test_truncated_file_and_empty_file(cli, tmp_path):
    src = shared_path("twcs", "twcs_kaggle_sample93.csv")
    cut = tmp_path / "cut.csv"
    data = src.read_bytes()
    cut.write_bytes(data[: len(data) // 2] + b'"unterminated')
    code, _, err = cli("import", str(cut), "--format", "twcs", "--workspace", str(tmp_path / "ws"))
    assert code == 2 and "cut.csv" in err and "Traceback" not in err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    code, _, err = cli(
        "import", str(empty), "--format", "twcs", "--workspace", str(tmp_path / "ws")
    )
    assert code == 2 and "empty.csv" in err


def _words_after(sign: str, not_before: str, longest: int, text: str | None) -> list[str]:
    # The reference: Python's re with ASCII word characters (RE2's \w), found left to right.
    pattern = rf"(?:^|[^\w{re.escape(not_before)}]){re.escape(sign)}(\w{{1,{longest}}})"
    return [w.lower() for w in re.findall(pattern, text or "", flags=re.ASCII)]


TRICKY_TEXTS = [
    "@abc@def x@y (@z é@w",
    "#a#b ##c &#d",
    "",
    "@",
    "@@a and @@",
    "\n@x\r@y\n#z",
    "@" + "a" * 40 + "@b #" + "c" * 120,
    "#@a @#b",
    "é#ñ #_x İ@Kelvin \u212a@k",
    "@a.@b,@c;#D!#E",
    "mail me: someone@example.com #Tag123 @Brand_Help",
]


def test_mentions_and_hashtags_follow_the_regular_expressions(cli, tmp_path):
    """Mentions and hashtags are found without a regular expression per text (vectorised
    Arrow): they must be what the documented expressions find, on tricky texts and on every
    row of a real file."""
    path = tmp_path / "tricky.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "tweet_id",
                "author_id",
                "inbound",
                "created_at",
                "text",
                "response_tweet_id",
                "in_response_to_tweet_id",
            ]
        )
        for i, text in enumerate(TRICKY_TEXTS, 1):
            w.writerow([i, f"c{i}", "True", "Tue Oct 31 22:10:47 +0000 2017", text, "", ""])
    real = shared_path("twcs", "twcs_head5000_multibrand.csv")
    for source, ws_dir in ((path, tmp_path / "ws1"), (real, tmp_path / "ws2")):
        code, _out, err = cli("import", str(source), "--workspace", str(ws_dir))
        assert code == 0, err
        with Workspace.open(ws_dir, create=False) as ws:
            got = ws.sql("select text, mentions, hashtags from messages").to_pylist()
        assert len(got) > 0
        for row in got:
            assert row["mentions"] == _words_after("@", "@", 30, row["text"]), row["text"]
            assert row["hashtags"] == _words_after("#", "&", 100, row["text"]), row["text"]
