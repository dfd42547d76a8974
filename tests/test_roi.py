"""ROI per platform and per campaign, through `socialaudit import` and `socialaudit roi`, against
figures computed by hand (below), and SA503/SA504 in the audit's JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import shared_path

# The brand wrote 3 messages on x and 1 on facebook in January (a customer's message does not
# count), and nothing in February.
MESSAGES = """id,platform,author,created_at,text,from_brand
1,x,acme,2024-01-03T10:00:00Z,New menu,true
2,x,acme,2024-01-10T10:00:00Z,Open late,true
3,x,acme,2024-01-17T10:00:00Z,Thanks!,true
4,facebook,acme,2024-01-20T10:00:00Z,New menu,true
5,x,ann,2024-01-21T10:00:00Z,@acme love it,false
6,x,bob,2024-02-02T10:00:00Z,@acme open today?,false
"""
COSTS = """date,platform,category,amount,currency,hours,hourly_rate,note,campaign
2024-01-05,x,ads,100,EUR,,,promoted post,spring
2024-01-31,,staff,,EUR,10,40,community manager,
2024-02-01,facebook,ads,200,EUR,,,,
2024-02-15,,tools,60,EUR,,,scheduler,
"""
CONVERSIONS = """date,source,medium,campaign,conversions,revenue,currency
2024-01-06,t.co,social,spring,3,300,EUR
2024-01-07,newsletter,email,spring,2,150,EUR
2024-02-03,m.facebook.com,social,,1,80,EUR
"""
# By hand:
# January's shared staff cost, 10 h × 40 = 400, splits 3:1 by brand messages: x 300, facebook 100.
# February's shared tools, 60: no brand message that month, so equally across the platforms with
# costs or conversions (x, facebook): 30 each.
# x:        100 ads + 300 staff + 30 tools = 430; revenue 300 (t.co); ROI (300 - 430) / 430
# facebook: 200 ads + 100 staff + 30 tools = 330; revenue 80 (m.facebook.com); ROI (80 - 330) / 330
# total:    760; revenue 380 (the newsletter's 150 maps to no platform); ROI -0.5
# campaign spring: cost 100, revenue 300 (the newsletter's row is not social): ROI 2.0
X_ROI = (300 - 430) / 430
FB_ROI = (80 - 330) / 330


@pytest.fixture
def ws(tmp_path: Path, cli) -> Path:
    root = tmp_path / "ws"
    for name, text in (("m.csv", MESSAGES), ("costs.csv", COSTS), ("conv.csv", CONVERSIONS)):
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        code, _, err = cli("import", str(p), "--workspace", str(root))
        assert code == 0, err
    return root


def roi_json(cli, ws: Path, *args: str) -> dict:
    code, out, err = cli("roi", "--format", "json", "--workspace", str(ws), *args)
    assert code == 0, err
    return json.loads(out)


def test_roi_per_platform_by_hand(cli, ws: Path) -> None:
    doc = roi_json(cli, ws)
    assert doc["currency"] == "EUR"
    x, fb = doc["platforms"]["x"], doc["platforms"]["facebook"]
    assert x["cost"] == pytest.approx(430)
    assert (x["staff_cost"], x["ad_cost"], x["tools_cost"]) == pytest.approx((300, 100, 30))
    assert x["shared_cost"] == pytest.approx(330)
    assert x["hours"] == pytest.approx(7.5)
    assert x["revenue"] == pytest.approx(300)
    assert x["roi"] == pytest.approx(X_ROI, abs=1e-4)
    assert fb["cost"] == pytest.approx(330)
    assert (fb["staff_cost"], fb["ad_cost"], fb["tools_cost"]) == pytest.approx((100, 200, 30))
    assert fb["revenue"] == pytest.approx(80)
    assert fb["roi"] == pytest.approx(FB_ROI, abs=1e-4)
    total = doc["total"]
    assert (total["cost"], total["revenue"], total["roi"]) == pytest.approx((760, 380, -0.5))
    assert total["cost"] == pytest.approx(x["cost"] + fb["cost"])  # nothing lost in the split


def test_shared_split_says_its_basis(cli, ws: Path) -> None:
    doc = roi_json(cli, ws)
    jan, feb = doc["split"]
    assert jan == {
        "month": "2024-01",
        "amount": 400.0,
        "basis": "brand messages",
        "shares": {"facebook": 0.25, "x": 0.75},
    }
    assert feb["basis"] == "equal across platforms with costs or conversions"
    assert feb["shares"] == {"facebook": 0.5, "x": 0.5}
    assert any(n.startswith("2024-02: the brand wrote no messages") for n in doc["notes"])


def test_unmapped_source_is_reported(cli, ws: Path) -> None:
    doc = roi_json(cli, ws)
    assert doc["unmapped"] == [
        {"source": "newsletter", "conversions": 2.0, "revenue": 150.0, "rows": 1}
    ]
    assert any("'newsletter' maps to no platform" in n for n in doc["notes"])


def test_roi_per_campaign(cli, ws: Path) -> None:
    campaigns = roi_json(cli, ws)["campaigns"]
    assert list(campaigns) == ["spring", "(no campaign)"]
    spring, rest = campaigns["spring"], campaigns["(no campaign)"]
    assert (spring["cost"], spring["revenue"], spring["roi"]) == pytest.approx((100, 300, 2.0))
    assert (rest["cost"], rest["revenue"]) == pytest.approx((660, 80))
    assert rest["shared_cost"] == pytest.approx(460)


def test_period(cli, ws: Path) -> None:
    feb = roi_json(cli, ws, "--since", "2024-02-01")
    # Only facebook has costs or conversions in February: the shared 60 all goes there.
    assert list(feb["platforms"]) == ["facebook"]
    assert feb["platforms"]["facebook"]["cost"] == pytest.approx(260)
    assert feb["platforms"]["facebook"]["roi"] == pytest.approx((80 - 260) / 260, abs=1e-4)
    jan = roi_json(cli, ws, "--until", "2024-01-31")
    assert jan["platforms"]["x"]["cost"] == pytest.approx(400)
    assert jan["platforms"]["facebook"]["cost"] == pytest.approx(100)
    assert jan["platforms"]["facebook"]["roi"] == pytest.approx(-1.0)  # costs, no revenue


def test_roi_text_table(cli, ws: Path) -> None:
    code, out, err = cli("roi", "--workspace", str(ws))
    assert code == 0, err
    assert "in EUR" in out
    x_row = next(line for line in out.splitlines() if line.strip("│┃ ").startswith("x "))
    assert "430.00" in x_row and "300.00" in x_row and "-30.2%" in x_row
    assert "Per campaign" in out and "spring" in out and "+200.0%" in out
    assert "2024-01: 400.00 by brand messages: facebook 25%, x 75%" in out


def test_bad_period_is_a_usage_error(cli, ws: Path) -> None:
    code, _, err = cli("roi", "--since", "2024-02-30", "--workspace", str(ws))
    assert code == 2 and "--since '2024-02-30': expected a date" in err
    code, _, err = cli(
        "roi", "--since", "2024-03-01", "--until", "2024-01-01", "--workspace", str(ws)
    )
    assert code == 2 and "--since is after --until" in err


def test_currency_set_after_import_stops_roi(cli, ws: Path) -> None:
    config = ws / "socialaudit.toml"
    text = config.read_text(encoding="utf-8")
    assert "\n[brand]\n" in text  # the default config has the section, its keys commented out
    config.write_text(
        text.replace("\n[brand]\n", '\n[brand]\ncurrency = "USD"\n', 1), encoding="utf-8"
    )
    code, out, err = cli("roi", "--workspace", str(ws))
    assert code == 2 and out == ""
    assert "field 'currency': expected USD ([brand] currency in socialaudit.toml), got 'EUR'" in err
    # The audit does not crash: SA503 fails and says why.
    code, out, err = cli("audit", "--format", "json", "--select", "SA503", "--workspace", str(ws))
    [finding] = json.loads(out)["findings"]
    assert finding["verdict"] == "fail" and "expected USD" in finding["message"]


def test_audit_json_carries_per_platform(cli, ws: Path) -> None:
    code, out, err = cli("audit", "--format", "json", "--select", "SA5", "--workspace", str(ws))
    assert code == 0, err  # a warning and unknowns, no failure
    findings = {f["code"]: f for f in json.loads(out)["findings"]}
    sa503 = findings["SA503"]
    assert sa503["verdict"] == "warn"  # both platforms lose money
    x = sa503["per_platform"]["x"]
    assert {k: x[k] for k in ("cost", "revenue", "staff_cost", "ad_cost")} == pytest.approx(
        {"cost": 430, "revenue": 300, "staff_cost": 300, "ad_cost": 100}
    )
    assert x["roi"] == pytest.approx(X_ROI, abs=1e-4)
    assert sa503["figures"]["roi"] == pytest.approx(-0.5)
    assert findings["SA504"]["verdict"] == "pass"  # staff time recorded in the month posted


def test_empty_ledgers(cli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    p = tmp_path / "m.csv"
    p.write_text(MESSAGES, encoding="utf-8")
    assert cli("import", str(p), "--workspace", str(root))[0] == 0
    doc = roi_json(cli, root)
    assert doc["total"]["cost"] == 0 and doc["platforms"] == {} and doc["currency"] is None
    assert any("no costs recorded" in n for n in doc["notes"])
    code, out, _ = cli(
        "audit",
        "--format",
        "json",
        "--select",
        "SA503",
        "--select",
        "SA504",
        "--workspace",
        str(root),
    )
    findings = {f["code"]: f for f in json.loads(out)["findings"]}
    assert findings["SA503"]["verdict"] == "unknown"
    assert any("costs ledger" in n for n in findings["SA503"]["needs"])
    # No ledger imported at all: SA504 cannot tell "no costs" from "costs not imported" (issue
    # 12: nothing imported is unknown and says what to import; an imported, empty ledger fails)
    assert findings["SA504"]["verdict"] == "unknown"
    assert findings["SA504"]["needs"]
    assert code == 0


@pytest.mark.realdata
def test_split_by_real_brand_messages(cli, tmp_path: Path) -> None:
    """44 brand tweets of the Kaggle TWCS sample (October 2017, x) and 11 facebook posts the same
    month: a shared cost of 1,000 in October splits 800 / 200."""
    root = tmp_path / "ws"
    twcs = shared_path("twcs", "twcs_kaggle_sample93.csv")
    fb = tmp_path / "fb.csv"
    fb.write_text(
        "id,platform,author,created_at,text,from_brand\n"
        + "".join(
            f"fb{i},facebook,acme,2017-10-{i + 1:02d}T12:00:00Z,post {i},true\n" for i in range(11)
        ),
        encoding="utf-8",
    )
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "date,platform,category,amount,currency,hours,hourly_rate\n2017-10-31,,agency,1000,USD,,\n",
        encoding="utf-8",
    )
    for p in (twcs, fb, costs):
        code, _, err = cli("import", str(p), "--workspace", str(root))
        assert code == 0, err
    doc = roi_json(cli, root)
    assert doc["split"][0]["shares"] == {"facebook": 0.2, "x": 0.8}
    assert doc["platforms"]["x"]["agency_cost"] == pytest.approx(800)
    assert doc["platforms"]["facebook"]["agency_cost"] == pytest.approx(200)


def test_text_table_shows_hostile_names_as_text(cli, tmp_path: Path) -> None:
    """Campaign names and UTM sources come from other people's files: rich markup in them is
    shown as written (a '[/]' campaign used to crash `roi` with a traceback), and terminal
    escapes are replaced."""
    root = tmp_path / "ws"
    costs = tmp_path / "costs.csv"
    costs.write_text(
        "date,platform,category,amount,currency,hours,hourly_rate,note,campaign\n"
        "2024-01-05,x,ads,100,EUR,,,,[/]\n"
        "2024-01-06,x,ads,50,EUR,,,,[bold red]spring\x1b[2J\n",
        encoding="utf-8",
    )
    conv = tmp_path / "conversions.csv"
    conv.write_text(
        "date,source,medium,campaign,conversions,revenue,currency\n"
        "2024-01-06,[blink]evil\x1b]0;pwned\x07,social,,1,10,EUR\n",
        encoding="utf-8",
    )
    for p in (costs, conv):
        code, _, err = cli("import", str(p), "--workspace", str(root))
        assert code == 0, err
    code, out, err = cli("roi", "--workspace", str(root))
    assert code == 0, err
    assert "[/]" in out and "[bold red]spring" in out and "[blink]evil" in out
    assert "\x1b" not in out and "\x07" not in out
