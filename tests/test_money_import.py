"""The costs, conversions and audience importers, through `socialaudit import`: detection by
header, hand-checked rows, one clear line per bad cell (exit 2, nothing written), and the one
currency per workspace."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialaudit.sources import detect
from socialaudit.sources.conversions import platform_of
from socialaudit.workspace import Workspace

COSTS = """date,platform,category,amount,currency,hours,hourly_rate,note
2024-01-05,x,ads,100,EUR,,,promoted post
2024-01-10,,staff,,,10,40,community manager
2024-01-15,,Tools,50.5,eur,,,scheduler
2024-02-01,Twitter,agency,200,EUR,3,,hours kept for information
"""
CONVERSIONS = """date,source,medium,campaign,conversions,revenue,currency
2024-01-06,t.co,social,spring,3,300,EUR
2024-01-07,newsletter,email,spring,2,150,EUR
20240203,m.facebook.com,social,(not set),1,80,EUR
"""
AUDIENCE = """date,platform,account,followers,following
2024-01-01,x,@Acme,1000,120
2024-01-08,x,@Acme,1100,
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def rows(ws_dir: Path, query: str) -> list[dict]:
    with Workspace.open(ws_dir) as ws:
        return ws.sql(query).to_pylist()


def test_costs_import(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(write(tmp_path, "costs.csv", COSTS)), "--workspace", str(ws))
    assert code == 0, err
    assert "as costs: 4 costs" in err
    got = rows(
        ws,
        "select row, platform, category, amount, hours, hourly_rate, currency, note "
        "from costs order by row",
    )
    assert [r["row"] for r in got] == [2, 3, 4, 5]  # the file's line numbers
    assert [r["platform"] for r in got] == ["x", None, None, "x"]  # empty = shared; twitter = x
    assert [r["category"] for r in got] == ["ads", "staff", "tools", "agency"]
    assert got[1]["amount"] is None and got[1]["hours"] == 10 and got[1]["hourly_rate"] == 40
    assert got[2]["amount"] == 50.5
    # An empty currency cell takes the file's currency; codes are upper-cased.
    assert {r["currency"] for r in got} == {"EUR"}


def test_reimport_replaces(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    path = write(tmp_path, "costs.csv", COSTS)
    assert cli("import", str(path), "--workspace", str(ws))[0] == 0
    assert cli("import", str(path), "--workspace", str(ws))[0] == 0
    assert rows(ws, "select count(*) as n from costs")[0]["n"] == 4


def test_conversions_import_maps_sources(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import", str(write(tmp_path, "conv.csv", CONVERSIONS)), "--workspace", str(ws)
    )
    assert code == 0, err
    assert "skipped 1 conversion rows from source 'newsletter'" in err
    got = rows(
        ws,
        "select source_name, platform, campaign, conversions, revenue, "
        "strftime(date, '%Y-%m-%d') as day from conversions order by row",
    )
    assert [r["platform"] for r in got] == ["x", None, "facebook"]
    assert [r["campaign"] for r in got] == ["spring", "spring", None]  # (not set) = no campaign
    assert got[2]["day"] == "2024-02-03"  # YYYYMMDD as Google Analytics writes it
    assert [r["revenue"] for r in got] == [300, 150, 80]


def test_import_messages_show_markup_in_names_as_text(tmp_path: Path, cli) -> None:
    """What the import says quotes the file's own values: a UTM source '[/]' is shown as written,
    not read as rich markup (it crashed the import's summary with a traceback)."""
    ws = tmp_path / "ws"
    data = "date,source,medium,campaign,conversions,revenue,currency\n2024-01-06,[/],social,,1,10,EUR\n"
    code, _, err = cli(
        "import", str(write(tmp_path, "[red]conv.csv", data)), "--workspace", str(ws)
    )
    assert code == 0, err
    assert "[red]conv.csv as conversions" in err
    assert "skipped 1 conversion rows from source '[/]'" in err


@pytest.mark.parametrize(
    ("source", "platform"),
    [
        ("twitter", "x"),
        ("X", "x"),
        ("t.co", "x"),
        ("facebook", "facebook"),
        ("fb", "facebook"),
        ("m.facebook.com", "facebook"),
        ("l.facebook.com", "facebook"),
        ("www.facebook.com", "facebook"),
        ("instagram", "instagram"),
        ("IG", "instagram"),
        ("linkedin", "linkedin"),
        ("lnkd.in", "linkedin"),
        ("mastodon", "mastodon"),
        ("mastodon.social", "mastodon"),
        ("bsky", "bluesky"),
        ("bluesky", "bluesky"),
        ("newsletter", None),
        ("google", None),
        ("fbclid", None),
        ("", None),
    ],
)
def test_source_mapping(source: str, platform: str | None) -> None:
    assert platform_of(source) == platform


def test_audience_import(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(write(tmp_path, "aud.csv", AUDIENCE)), "--workspace", str(ws))
    assert code == 0, err
    got = rows(ws, "select account, followers, following from audience order by date")
    assert got == [
        {"account": "acme", "followers": 1000, "following": 120},
        {"account": "acme", "followers": 1100, "following": None},
    ]


BAD = [
    (
        "costs.csv",
        COSTS.replace("x,ads,100", "x,coffee,100"),
        2,
        "category",
        "expected one of staff, ads, tools, agency, content, other, got 'coffee'",
    ),
    (
        "costs.csv",
        COSTS.replace("2024-01-10,,staff,,,10,40", "2024-01-10,,staff,,,10,"),
        3,
        "hourly_rate",
        "expected an amount, or hours and an hourly_rate",
    ),
    (
        "costs.csv",
        COSTS.replace("2024-01-05,x,ads,100,EUR,,", "2024-01-05,x,ads,100,EUR,2,30"),
        2,
        "hourly_rate",
        "not both",
    ),
    (
        "costs.csv",
        COSTS.replace("2024-01-05,x,ads,100,EUR,,", "2024-01-05,x,ads,,EUR,,"),
        2,
        "amount",
        "got neither",
    ),
    ("costs.csv", COSTS.replace(",50.5,", ',"1,050.5",'), 4, "amount", "no thousands separator"),
    ("costs.csv", COSTS.replace(",50.5,", ",-50,"), 4, "amount", "zero or more"),
    ("costs.csv", COSTS.replace("2024-02-01", "01/02/2024"), 5, "date", "a date like 2024-01-31"),
    (
        "costs.csv",
        COSTS.replace("Twitter", "myspace"),
        5,
        "platform",
        "expected one of x, mastodon",
    ),
    (
        "costs.csv",
        COSTS.replace("2024-01-15,,Tools,50.5,eur", "2024-01-15,,Tools,50.5,USD"),
        4,
        "currency",
        "expected EUR like line 2",
    ),
    (
        "costs.csv",
        COSTS.replace("scheduler", "scheduler,extra"),
        4,
        None,
        "expected 8 fields, found 9",
    ),
    (
        "conv.csv",
        CONVERSIONS.replace("t.co,social,spring,3", "t.co,social,spring,three"),
        2,
        "conversions",
        "expected a number",
    ),
    ("conv.csv", CONVERSIONS.replace("newsletter", ""), 3, "source", "expected the UTM source"),
    ("aud.csv", AUDIENCE.replace("1100", "1100.5"), 3, "followers", "whole number"),
    ("aud.csv", AUDIENCE.replace("2024-01-08", "2024-01-01"), 3, "date", "line 2 already gives"),
]


@pytest.mark.parametrize(("name", "text", "line", "field", "expected"), BAD)
def test_bad_rows_name_file_line_field(
    tmp_path: Path, cli, name: str, text: str, line: int, field: str | None, expected: str
) -> None:
    ws = tmp_path / "ws"
    path = write(tmp_path, name, text)
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 2
    where = f"{path}:{line}" + (f" field '{field}'" if field else "")
    assert where in err, err
    assert expected in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    table = {"costs.csv": "costs", "conv.csv": "conversions", "aud.csv": "audience"}[name]
    assert rows(ws, f"select count(*) as n from {table}")[0]["n"] == 0  # nothing written


def test_the_issue_example_message(tmp_path: Path, cli) -> None:
    text = COSTS + "2024-02-02,x,coffee,4,EUR,,,\n"
    path = write(tmp_path, "costs.csv", text)
    code, _, err = cli("import", str(path), "--workspace", str(tmp_path / "ws"))
    assert code == 2
    assert (
        f"{path}:6 field 'category': expected one of staff, ads, tools, agency, content, other, "
        "got 'coffee'"
    ) in err


def test_detection_is_exact(tmp_path: Path) -> None:
    assert detect(write(tmp_path, "a.csv", COSTS)).name == "costs"
    assert detect(write(tmp_path, "b.csv", CONVERSIONS)).name == "conversions"
    assert detect(write(tmp_path, "c.csv", AUDIENCE)).name == "audience"
    # Columns in another order and with spaces, and the optional campaign column: still costs.
    reordered = "Category, Amount ,date,platform,currency,hours,hourly_rate,campaign\n"
    assert detect(write(tmp_path, "d.csv", reordered)).name == "costs"
    # A generic messages CSV is not a ledger, even with a date and a platform column.
    messages = (
        "id,platform,author,created_at,text,date\n1,x,ann,2024-01-01T00:00:00Z,hi,2024-01-01\n"
    )
    assert detect(write(tmp_path, "e.csv", messages)).name == "generic"


def test_unknown_column_is_named_with_format(tmp_path: Path, cli) -> None:
    text = COSTS.replace("hourly_rate,note", "hourly_rate,note,vat").replace("\n2", ",\n2")
    path = write(tmp_path, "costs.csv", text)
    code, _, err = cli("import", str(path), "--workspace", str(tmp_path / "ws"))
    assert code == 2 and "cannot tell which format" in err  # not mistaken for anything
    code, _, err = cli(
        "import", str(path), "--format", "costs", "--workspace", str(tmp_path / "ws")
    )
    assert code == 2 and f"{path}:1" in err and "unknown column 'vat'" in err


def test_missing_column_with_format(tmp_path: Path, cli) -> None:
    path = write(tmp_path, "costs.csv", "date,platform,category,amount\n2024-01-01,x,ads,5\n")
    code, _, err = cli(
        "import", str(path), "--format", "costs", "--workspace", str(tmp_path / "ws")
    )
    assert code == 2 and "missing currency, hours, hourly_rate" in err


# -- one currency per workspace ------------------------------------------------------------------


def test_configured_currency_rejects_another(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "socialaudit.toml").write_text('[brand]\ncurrency = "USD"\n', encoding="utf-8")
    path = write(tmp_path, "costs.csv", COSTS)
    code, _, err = cli("import", str(path), "--workspace", str(ws))
    assert code == 2
    assert ":2 field 'currency': expected USD (the workspace currency, [brand] currency" in err
    assert rows(ws, "select count(*) as n from costs")[0]["n"] == 0


def test_first_ledger_fixes_the_currency(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    assert cli("import", str(write(tmp_path, "costs.csv", COSTS)), "--workspace", str(ws))[0] == 0
    usd = write(tmp_path, "conv.csv", CONVERSIONS.replace("EUR", "USD"))
    code, _, err = cli("import", str(usd), "--workspace", str(ws))
    assert code == 2
    assert (
        "conv.csv:2 field 'currency': expected EUR (the workspace currency, fixed by the first"
        in err
    )
    assert rows(ws, "select count(*) as n from conversions")[0]["n"] == 0
    # The same ledger re-imported in another currency is not held to its own old rows.
    code, _, err = cli(
        "import",
        str(write(tmp_path, "costs.csv", COSTS.replace("EUR", "GBP").replace("eur", "gbp"))),
        "--workspace",
        str(ws),
    )
    assert code == 0, err
    assert rows(ws, "select distinct currency from costs") == [{"currency": "GBP"}]


def test_empty_currency_takes_the_workspace_currency(tmp_path: Path, cli) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "socialaudit.toml").write_text('[brand]\ncurrency = "eur"\n', encoding="utf-8")
    text = "date,platform,category,amount,currency,hours,hourly_rate\n2024-01-01,,staff,,,2,50\n"
    assert cli("import", str(write(tmp_path, "c.csv", text)), "--workspace", str(ws))[0] == 0
    assert rows(ws, "select currency from costs") == [{"currency": "EUR"}]
