"""The LinkedIn Page importer. No real LinkedIn export is in ../shared/data, so the files are
built here with openpyxl in LinkedIn's layout (a description row above each content sheet's
header; posts on the second sheet; new followers per day on the first sheet of the followers
export), with headers in English, Portuguese, and an unknown language (found by position)."""

from __future__ import annotations

import zipfile
from datetime import UTC, date, datetime

import openpyxl
import pytest

from exports import rows, same_tables, snapshot

POST_HEADERS = {
    "en": [
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
        "Views (excluding off-site video views)",
        "Off-site views",
        "Clicks",
        "Click through rate (CTR)",
        "Likes",
        "Comments",
        "Reposts",
        "Follows",
        "Engagement rate",
        "Content Type",
    ],
    "pt": [
        "Título da publicação",
        "Link da publicação",
        "Tipo de publicação",
        "Nome da campanha",
        "Publicado por",
        "Data de criação",
        "Data de início da campanha",
        "Data de término da campanha",
        "Público",
        "Impressões",
        "Visualizações (excluindo visualizações de vídeo fora do site)",
        "Visualizações fora do site",
        "Cliques",
        "Taxa de cliques (CTR)",
        "Reações",
        "Comentários",
        "Compartilhamentos",
        "Seguidores",
        "Taxa de engajamento",
        "Tipo de conteúdo",
    ],
    # Headers this importer has never seen: the columns are found by LinkedIn's order.
    "ja": [
        "投稿タイトル",
        "投稿リンク",
        "投稿タイプ",
        "キャンペーン名",
        "投稿者",
        "作成日",
        "開始日",
        "終了日",
        "オーディエンス",
        "インプレッション",
        "ビュー",
        "オフサイトビュー",
        "クリック",
        "CTR",
        "いいね",
        "コメント",
        "リポスト",
        "フォロー",
        "エンゲージメント率",
        "コンテンツタイプ",
    ],
}
METRIC_HEADER = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Clicks (sponsored)",
    "Clicks (total)",
]
POSTS = [
    [
        "We're hiring! Join the team https://acme.example/jobs #hiring",
        "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000001",
        "Organic",
        "",
        "Jane Doe",
        "01/31/2024",
        "",
        "",
        "All followers",
        1200,
        300,
        0,
        35,
        0.029,
        40,
        3,
        2,
        1,
        0.067,
        "Image",
    ],
    [
        "Spring offer: 20% off",
        "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000002",
        "Sponsored",
        "Spring",
        "Jane Doe",
        "02/14/2024",
        "02/14/2024",
        "02/28/2024",
        "Marketing managers",
        "5,400",
        0,
        0,
        120,
        0.022,
        15,
        0,
        1,
        4,
        0.025,
        "Text",
    ],
    [
        "Thanks @Acme partners",
        "https://www.linkedin.com/feed/update/urn:li:activity:7100000000000000003",
        "Organic",
        "",
        "John Roe",
        "03/02/2024",
        "",
        "",
        "All followers",
        800,
        0,
        0,
        10,
        0.0125,
        22,
        5,
        0,
        0,
        0.046,
        "Text",
    ],
]


def content_file(path, lang="en", posts=POSTS):
    book = openpyxl.Workbook()
    metrics = book.active
    metrics.title = "Metrics"
    metrics.append(
        [
            "Aggregated metrics of all posts from 1/1/2024 to 3/31/2024. "
            "Sponsored content is included."
        ]
    )
    metrics.append(METRIC_HEADER)
    metrics.append(["01/31/2024", 1200, 0, 1200, 900, 35, 0, 35])
    sheet = book.create_sheet("All posts")
    sheet.append(["All posts created between 1/1/2024 and 3/31/2024 and their metrics."])
    sheet.append(POST_HEADERS[lang])
    for p in posts:
        sheet.append(p)
    book.save(path)
    return path


def followers_file(
    path,
    header=(
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ),
):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "New followers"
    sheet.append(list(header))
    for day, total in (("03/01/2024", 5), ("03/02/2024", -1), ("03/03/2024", 12)):
        sheet.append([day, 0, total, 0, total])
    loc = book.create_sheet("Location")
    loc.append(["Location", "Total followers"])
    loc.append(["Lisbon", 120])
    book.save(path)
    return path


def test_posts_in_english(cli, tmp_path):
    path = content_file(tmp_path / "acme-corp_content_1711929600000.xlsx")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 0, err
    got = rows(ws, "select * from messages order by created_at")
    assert len(got) == len(POSTS)
    first = got[0]
    assert first["id"] == first["url"] == POSTS[0][1]
    assert first["created_at"] == datetime(2024, 1, 31, tzinfo=UTC)
    assert first["text"].startswith("We're hiring!") and first["links"] == [
        "https://acme.example/jobs"
    ]
    assert (
        first["impressions"],
        first["clicks"],
        first["likes"],
        first["replies"],
        first["reposts"],
    ) == (1200, 35, 40, 3, 2)
    assert got[1]["impressions"] == 5400 and got[1]["visibility"] is None  # "5,400"; sponsored
    assert {r["account"] for r in got} == {"acme-corp"} and all(
        r["kind"] == "post" and r["from_brand"] for r in got
    )
    assert "Jane Doe" in first["raw"]
    assert "skipped 1 sheet 'Metrics'" in err
    gaps = rows(ws, "select gaps from imports")[0]["gaps"]
    assert "time of day" in gaps and "comments and replies" in gaps


@pytest.mark.parametrize("lang", ["pt", "ja"])
def test_other_languages_give_the_same_rows(cli, tmp_path, lang):
    en = content_file(tmp_path / "acme-corp_content_1.xlsx")
    other = content_file(tmp_path / "acme-corp_content_2.xlsx", lang)
    ws_en, ws_other = tmp_path / "ws_en", tmp_path / "ws_other"
    assert cli("import", str(en), "--workspace", str(ws_en))[0] == 0
    code, _, err = cli("import", str(other), "--workspace", str(ws_other))
    assert code == 0, err
    a, b = snapshot(ws_en), snapshot(ws_other)
    # raw keeps the headers as written, in their language; every mapped column is the same
    assert a["messages"].drop_columns(["raw"]).equals(b["messages"].drop_columns(["raw"]))


def test_followers_become_dated_audience_rows(cli, tmp_path):
    path = followers_file(tmp_path / "acme-corp_followers_1711929600000.xlsx")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 0, err
    got = rows(ws, "select date, followers, account from audience order by date")
    assert got == [
        {"date": date(2024, 3, 1), "followers": 5, "account": "acme-corp"},
        {"date": date(2024, 3, 2), "followers": 4, "account": "acme-corp"},  # an unfollow: -1
        {"date": date(2024, 3, 3), "followers": 16, "account": "acme-corp"},
    ]
    assert "total follower count" in rows(ws, "select gaps from imports")[0]["gaps"]
    assert "skipped 1 sheet 'Location'" in err


def test_reimport_and_a_zip_of_both_exports(cli, tmp_path):
    content = content_file(tmp_path / "acme-corp_content_1711929600000.xlsx")
    followers = followers_file(tmp_path / "acme-corp_followers_1711929600000.xlsx")
    ws = tmp_path / "ws"
    assert cli("import", str(content), str(followers), "--workspace", str(ws))[0] == 0
    first = snapshot(ws)
    assert cli("import", str(content), str(followers), "--workspace", str(ws))[0] == 0
    same_tables(first, snapshot(ws))
    archive = tmp_path / "linkedin.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(content, "exports/" + content.name)
        z.write(followers, "exports/" + followers.name)
    ws2 = tmp_path / "ws2"
    code, _, err = cli("import", str(archive), "--workspace", str(ws2))
    assert code == 0, err
    same_tables(first, snapshot(ws2))


def test_day_first_dates_and_brand_override(cli, tmp_path):
    posts = [[*p[:5], "31/01/2024", *p[6:]] for p in POSTS[:1]] + [
        [*p[:5], "14/02/2024", *p[6:]] for p in POSTS[1:2]
    ]
    path = content_file(tmp_path / "export.xlsx", posts=posts)
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws), "--brand", "Acme Corp")
    assert code == 0, err
    got = rows(ws, "select created_at, account from messages order by created_at")
    assert [r["created_at"].date() for r in got] == [date(2024, 1, 31), date(2024, 2, 14)]
    assert {r["account"] for r in got} == {"Acme Corp"}


def test_a_workbook_without_posts_or_followers_is_one_clear_error(cli, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Page", "Total followers", "New followers"])
    book.active.append(["Acme", 100, 3])
    path = tmp_path / "acme-corp_content_1.xlsx"
    book.save(path)
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "no sheet of posts" in err


def test_a_bad_number_names_the_sheet_row_and_column(cli, tmp_path):
    posts = [[*POSTS[0][:9], "many", *POSTS[0][10:]]]
    path = content_file(tmp_path / "acme-corp_content_1.xlsx", posts=posts)
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 2
    assert ":3 [sheet 'All posts'] field 'Impressions': expected a number, got 'many'" in err
