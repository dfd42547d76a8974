"""The portfolio's pieces and pages (issue 17): reply links redrawn within a brand, the HTML
report in a real browser (1280 and 390 px, agency logo embedded, hostile names inert, offline),
the score trend, the weekly digest (text, HTML, an e-mail for sendmail), goals against peers'
observed growth, the dashboard's brands pages, and one-line errors.
"""

from __future__ import annotations

import email
import email.policy
import re
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests.conftest import shared_path
from tests.test_watch import receivers  # noqa: F401  (a real SMTP server and a webhook receiver)

HOSTILE = '<img src=x onerror="alert(1)"> Delta & "Co"'
TWCS_HEADER = (
    "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id\n"
)


def png(width: int = 24, height: int = 12) -> bytes:
    """A real PNG file (a flat colour), written by hand: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x1f\x5f\xa8" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def twcs_time(day: int, minute: int) -> str:
    return f"Tue Oct {day:02d} 10:{minute:02d}:00 +0000 2017"


# -- reply links redrawn within a brand ------------------------------------------------------


def test_a_reply_below_another_brands_reply_still_answers(tmp_path: Path, cli) -> None:
    """A customer writes to two brands; brand A answers, the customer answers A, brand B answers
    that. Each customer message is one brand's, in the whole workspace and alone."""
    csv = tmp_path / "two.csv"
    csv.write_text(
        TWCS_HEADER
        + f"1,c1,True,{twcs_time(3, 0)},@brandA @brandB my order is late,2,\n"
        + f"2,brandA,False,{twcs_time(3, 10)},@c1 sorry! which order?,3,1\n"
        + f"3,c1,True,{twcs_time(3, 20)},@brandA @brandB number 42,4,2\n"
        + f"4,brandB,False,{twcs_time(3, 30)},@c1 on its way,,3\n",
        encoding="utf-8",
    )
    whole, brands = tmp_path / "whole", tmp_path / "brands"
    assert cli("import", str(csv), "-w", str(whole))[0] == 0
    code, out, _ = cli("audit", "-w", str(whole), "--select", "SA102", "--format", "json")
    import json

    per = json.loads(out)["findings"][0]["per_account"]
    code, _, err = cli("split", str(csv), "--into", str(brands))
    assert code == 0, err
    # One brand per customer message (README, "Conversations, defined exactly"): c1's first
    # message is brandA's (the brand it mentions that answered it first) and the second replies
    # to brandA, so both are brandA's; brandA answered the first, and brandB's answer to the
    # second is not brandA's answer. brandB has no customer message of its own.
    assert set(per) == {"x:brandA"}
    assert per["x:brandA"]["inbound"] == 2 and per["x:brandA"]["answered"] == 1
    code, out, _ = cli(
        "audit", "-w", str(brands / "branda"), "--select", "SA102", "--format", "json"
    )
    figures = json.loads(out)["findings"][0]["figures"]
    own = {k: v for k, v in per["x:brandA"].items() if k != "verdict"}
    assert {k: figures[k] for k in own} == own  # alone, brandA's figures are the same


# -- a small real portfolio, audited twice ---------------------------------------------------


@pytest.fixture(scope="module")
def small_portfolio(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Three TWCS brands, an agency with a logo, a hostile brand name, two full audits with a
    change between them (a threshold the agency set for one brand)."""
    from socialaudit.portfolio.brands import load_portfolio
    from socialaudit.portfolio.run import audit_portfolio
    from socialaudit.portfolio.split import split_by_account

    root = tmp_path_factory.mktemp("agency")
    every = split_by_account(shared_path("twcs", "twcs_head5000_multibrand.csv"), root / "all")
    folder = root / "portfolio"
    folder.mkdir()
    for name in ("amazonhelp", "delta", "sainsburys"):
        (every.into / name).rename(folder / name)
    (folder / "logo.png").write_bytes(png())
    (folder / "portfolio.toml").write_text(
        '[agency]\nname = "Northwind <Digital>"\nlogo = "logo.png"\n', encoding="utf-8"
    )
    delta = folder / "delta" / "socialaudit.toml"
    delta.write_text(
        delta.read_text(encoding="utf-8").replace('name = "Delta"', f"name = {HOSTILE!r}"),
        encoding="utf-8",
    )
    portfolio = load_portfolio(folder)
    first = audit_portfolio(portfolio)
    sains = folder / "sainsburys" / "socialaudit.toml"
    sains.write_text(
        sains.read_text(encoding="utf-8")
        + "\n[checks.SA102]\nwarn_median_hours = 100\nfail_median_hours = 200\nfail_p90_hours = 400\n",
        encoding="utf-8",
    )
    second = audit_portfolio(portfolio)
    return {"folder": folder, "first": first, "second": second}


@pytest.mark.realdata
@pytest.mark.slow
def test_second_audit_shows_the_change_and_the_trend(small_portfolio: dict) -> None:
    doc = small_portfolio["second"].to_dict()
    sains = next(b for b in doc["brands"] if b["name"] == "sainsburys")
    assert "SA102" in sains["change"]["fixed"]
    assert sains["change"]["delta"] > 0
    assert len(sains["trend"]) == 2 and sains["trend"][1]["score"] > sains["trend"][0]["score"]
    first = small_portfolio["first"].to_dict()
    assert all(b["change"] is None for b in first["brands"])  # first audits: nothing before


def _pages(out: Path) -> list[Path]:
    return [out / "index.html", *sorted((out / "brands").glob("*.html"))]


@pytest.mark.realdata
@pytest.mark.slow
def test_portfolio_report_pages_offline_and_inert(
    small_portfolio: dict, cli, tmp_path: Path
) -> None:
    out = tmp_path / "report"
    code, _, err = cli("portfolio", "report", str(small_portfolio["folder"]), "-o", str(out))
    assert code == 0, err
    pages = _pages(out)
    assert len(pages) == 4
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower()
        assert HOSTILE not in html  # the hostile name never appears unescaped
        # nothing is loaded from anywhere: no http(s) src, no CSS url(), no @import
        assert not re.search(r"""src=["']?https?:""", html)
        assert "url(" not in html and "@import" not in html
        assert "img-src data:" in html  # the CSP allows embedded images only
        assert re.search(
            r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+" alt="Northwind &lt;Digital&gt; logo">',
            html,
        )
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; Delta &amp; &#34;Co&#34;" in index
    assert index.index("sainsburys") > 0
    brand = (out / "brands" / "sainsburys.html").read_text(encoding="utf-8")
    assert "Where sainsburys stands" in brand and "Health score over time" in brand
    assert 'class="trendline"' in brand and brand.count('class="trenddot"') == 2


@pytest.mark.realdata
@pytest.mark.slow
def test_portfolio_pages_in_chromium_at_1280_and_390(
    small_portfolio: dict, cli, tmp_path: Path
) -> None:
    from tests.test_first_hour import chromium_or_skip

    chromium_or_skip()
    from scripts.headless_chromium import Chromium
    from scripts.screenshots import overflow

    out = tmp_path / "report"
    assert cli("portfolio", "report", str(small_portfolio["folder"]), "-o", str(out))[0] == 0
    with Chromium() as browser:
        for page_path in (out / "index.html", out / "brands" / "sainsburys.html"):
            for width in (1280, 390):
                page = browser.open(page_path.as_uri(), width=width)
                found = overflow(page, width)
                assert found["offenders"] == [], (page_path.name, width, found)
                assert found["scrollWidth"] <= width
                shown = page.evaluate(
                    "({logo: document.querySelector('.brandmark img').naturalWidth,"
                    " scripts: document.scripts.length,"
                    " brands: document.querySelectorAll('table.brands tbody tr').length,"
                    " text: document.body.innerText})"
                )
                assert shown["logo"] == 24  # the embedded PNG decoded: 24 px wide
                assert shown["scripts"] == 0
                if page_path.name == "index.html":
                    assert shown["brands"] == 3
                    assert HOSTILE in shown["text"]  # shown as text, never run
                else:
                    assert "PR" in shown["text"] and "public reference" in shown["text"]
                page.screenshot(
                    tmp_path / f"{page_path.stem}-{width}.png", full_page=True, max_height=1600
                )
                assert (tmp_path / f"{page_path.stem}-{width}.png").stat().st_size > 10_000


# -- the digest --------------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_weekly_digest_text_html_and_email(small_portfolio: dict, cli) -> None:
    folder = str(small_portfolio["folder"])
    code, out, err = cli("portfolio", "digest", folder)
    assert code == 0, err
    assert "1 fixed" in out.splitlines()[0]
    assert re.search(r"sainsburys: score \d+ → \d+", out)
    assert "fixed: SA102 slow-first-response (fail → pass)" in out
    code, html, _ = cli("portfolio", "digest", folder, "--format", "html")
    assert code == 0 and "<script" not in html and HOSTILE not in html
    assert "Delta &amp; &#34;Co&#34;" in html
    code, raw, err = cli(
        "portfolio",
        "digest",
        folder,
        "--format",
        "email",
        "--email-to",
        "client@example.com",
        "--email-from",
        "agency@example.com",
    )
    assert code == 0, err
    msg = email.message_from_string(raw, policy=email.policy.default)
    assert msg["To"] == "client@example.com" and msg["From"] == "agency@example.com"
    subject = " ".join(msg["Subject"].split())  # a long header is folded onto two lines
    assert subject == "Northwind <Digital>: social media week, 3 brands: 0 new problems, 1 fixed"
    assert msg.get_content_type() == "multipart/alternative"
    kinds = [part.get_content_type() for part in msg.walk()]
    assert "text/plain" in kinds and "text/html" in kinds
    # a header cannot be smuggled in through an address
    code, _, err = cli(
        "portfolio",
        "digest",
        folder,
        "--format",
        "email",
        "--email-to",
        "a@example.com\nBcc: x@evil.example",
        "--email-from",
        "agency@example.com",
    )
    assert code == 2 and "expected an e-mail address" in err
    code, _, err = cli("portfolio", "digest", folder, "--format", "email")
    assert code == 2 and "--email-to" in err


@pytest.mark.realdata
@pytest.mark.slow
def test_digest_sent_by_email_and_to_a_webhook_with_watchs_senders(
    small_portfolio: dict,
    receivers,  # noqa: F811  (the fixture imported from tests/test_watch.py)
    cli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The digest goes out through the same SMTP and webhook senders as `watch`'s alerts: to a
    real SMTP server (aiosmtpd) and a local webhook receiver (tests/test_watch.py's)."""
    web, posted, smtp, box = receivers
    monkeypatch.setenv("DIGEST_HOOK", f"{web.url}/services/T000/B000/XXXX")
    code, out, err = cli(
        "portfolio", "digest", str(small_portfolio["folder"]),
        "--email-to", "client@example.com", "--email-from", "agency@example.com",
        "--smtp", f"127.0.0.1:{smtp.port}", "--webhook-env", "DIGEST_HOOK",
    )  # fmt: skip
    assert code == 0, err
    assert out == ""  # sent, not printed
    assert "sent the digest to client@example.com" in err and "T000" not in err
    ((sender, rcpt, raw),) = box.messages
    assert sender == "agency@example.com" and rcpt == ["client@example.com"]
    msg = email.message_from_string(raw, policy=email.policy.default)
    assert " ".join(msg["Subject"].split()).endswith("0 new problems, 1 fixed")
    assert {p.get_content_type() for p in msg.walk()} >= {"text/plain", "text/html"}
    (hook,) = posted
    assert "fixed: SA102 slow-first-response" in hook["text"]
    # Slack markup in a brand's name is made inert by the sender (watch's slack_escape)
    assert "&lt;img src=x" in hook["text"] and "<img" not in hook["text"]
    code, _, err = cli(
        "portfolio", "digest", str(small_portfolio["folder"]),
        "--email-to", "client@example.com", "--smtp", "127.0.0.1:9",
    )  # fmt: skip
    assert code == 2 and "e-mail via 127.0.0.1:9" in err


def test_digest_subject_is_one_line_whatever_the_agency_name() -> None:
    from datetime import UTC, datetime

    from socialaudit.portfolio.digest import Digest, render_email

    raw = render_email(
        Digest("Evil\r\nBcc: victim@example.com", 7, datetime.now(UTC), []),
        ["a@example.com"],
        "b@example.com",
    )
    msg = email.message_from_string(raw, policy=email.policy.default)
    assert msg["Bcc"] is None
    assert " ".join(msg["Subject"].split()).startswith("Evil Bcc: victim@example.com: social")


# -- goals against peers -------------------------------------------------------------------


def _audience(path: Path, account: str, start: int, weekly_growth: float, weeks: int = 20) -> None:
    lines = ["date,platform,account,followers,following"]
    day = date(2024, 1, 1)
    followers = float(start)
    for _ in range(weeks):
        lines.append(f"{day.isoformat()},x,{account},{round(followers)},100")
        day += timedelta(days=7)
        followers *= 1 + weekly_growth
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_goal_judged_against_peers_observed_growth(tmp_path: Path, cli) -> None:
    """Three brands grow 1 %, 2 % and 3 % a week; a fourth wants to double in two months. Its
    own trend says too little about that; the peers say nobody grows that fast."""
    folder = tmp_path / "agency"
    rates = {"alpha": 0.01, "beta": 0.02, "gamma": 0.03, "delta": 0.01}
    for name, rate in rates.items():
        csv = tmp_path / f"{name}.csv"
        _audience(csv, name, 1000, rate)
        assert cli("import", str(csv), "-w", str(folder / name))[0] == 0
    last = date(2024, 1, 1) + timedelta(days=7 * 19)
    by = last + timedelta(days=60)
    config = folder / "delta" / "socialaudit.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f'\n[[goals]]\nmetric = "followers"\ntarget = {2 * round(1000 * 1.01**19)}\nby = {by.isoformat()}\n',
        encoding="utf-8",
    )
    code, out, err = cli(
        "portfolio", "audit", str(folder), "--select", "SA506", "--format", "json", "--no-save"
    )
    assert code in (0, 1), err
    import json

    doc = json.loads(out)
    (goal,) = next(b for b in doc["brands"] if b["name"] == "delta")["goals"]
    # independent computation: compound growth per 30 days
    current = round(1000 * 1.01**19)
    required = (2 * current / current) ** (30 / 60) - 1
    assert goal["current"] == current and goal["required"] == pytest.approx(required, abs=1e-6)
    peers = sorted(
        (round(1000 * (1 + r) ** 19) / 1000) ** (30 / (7 * 19)) - 1
        for n, r in rates.items()
        if n != "delta"
    )
    p = goal["peers"]
    assert p["peers"] == 3 and p["peer_median"] == pytest.approx(peers[1], abs=1e-4)
    assert p["realistic"] is False and p["peers_as_fast"] == 0
    # a modest goal is within what peers achieved
    from socialaudit.portfolio.benchmarks import goal_against_peers

    assert goal_against_peers(0.05, peers)["realistic"] is True
    code, out, _ = cli("portfolio", "audit", str(folder), "--select", "SA506", "--no-save")
    assert "faster than peers grow (0 of 3 peer histories grew that fast" in " ".join(out.split())
    # two worker processes give the same portfolio
    code, out, err = cli(
        "portfolio",
        "audit",
        str(folder),
        "--select",
        "SA506",
        "--format",
        "json",
        "--no-save",
        "--jobs",
        "2",
    )
    assert code in (0, 1), err

    def comparable(d: dict) -> list:
        return [
            {k: v for k, v in b.items() if k not in ("generated_at", "trend")} for b in d["brands"]
        ]

    assert comparable(json.loads(out)) == comparable(doc)


# -- the dashboard ---------------------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_dashboard_lists_the_brands_of_a_portfolio(small_portfolio: dict) -> None:
    from fastapi.testclient import TestClient

    from socialaudit.web.portfolio import create_portfolio_app

    client = TestClient(
        create_portfolio_app(small_portfolio["folder"]), base_url="http://127.0.0.1"
    )
    page = client.get("/", follow_redirects=True)
    assert page.status_code == 200
    for name in ("AmazonHelp", "sainsburys", "Delta &amp; &#34;Co&#34;"):
        assert name in page.text
    assert HOSTILE not in page.text and "<script" not in page.text
    assert '<a href="/brands" class="here">Brands</a>' in page.text  # the nav
    assert "/inbox" not in page.text  # a folder portfolio has no single inbox
    brand = client.get("/brands/sainsburys.html")
    assert brand.status_code == 200 and "Where sainsburys stands" in brand.text
    assert 'href="/brands"' in brand.text
    assert client.get("/brands/nobody").status_code == 404
    assert client.get("/", headers={"Host": "evil.example"}).status_code in (400, 403, 421)


def test_dashboard_of_a_multibrand_workspace_links_its_brands(tmp_path: Path, cli) -> None:
    from fastapi.testclient import TestClient

    from socialaudit.web import create_app

    csv = tmp_path / "two.csv"
    csv.write_text(
        TWCS_HEADER
        + f"1,c1,True,{twcs_time(3, 0)},@brandA hello,2,\n"
        + f"2,brandA,False,{twcs_time(3, 10)},@c1 hi,,1\n"
        + f"3,c2,True,{twcs_time(4, 0)},@brandB hello,4,\n"
        + f"4,brandB,False,{twcs_time(4, 30)},@c2 hi,,3\n",
        encoding="utf-8",
    )
    ws = tmp_path / "ws"
    assert cli("import", str(csv), "-w", str(ws))[0] == 0
    config = ws / "socialaudit.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[brands.a]\naccounts = ["brandA"]\n\n[brands.b]\naccounts = ["x:brandB"]\n',
        encoding="utf-8",
    )
    assert cli("portfolio", "audit", str(ws), "--select", "SA102")[0] in (0, 1)
    client = TestClient(create_app(ws), base_url="http://127.0.0.1")
    home = client.get("/")
    assert home.status_code == 200 and '<a href="/brands"' in home.text
    brands = client.get("/brands")
    assert brands.status_code == 200 and "brands/a.html" in brands.text
    page = client.get("/brands/b")
    assert page.status_code == 200 and "30 min" in page.text


# -- one-line errors -------------------------------------------------------------------------


def test_errors_are_one_line(tmp_path: Path, cli) -> None:
    code, _, err = cli("portfolio", "audit", str(tmp_path / "nothing"))
    assert code == 2 and "no such folder" in err and "Traceback" not in err
    (tmp_path / "empty").mkdir()
    code, _, err = cli("portfolio", "audit", str(tmp_path / "empty"))
    assert code == 2 and "no brand here" in err
    code, _, err = cli("split", str(tmp_path / "x.csv"), "--by", "day")
    assert code == 2 and "--by 'day': expected account" in err
    ws = tmp_path / "ws"
    csv = tmp_path / "one.csv"
    csv.write_text(TWCS_HEADER + f"1,brandA,False,{twcs_time(3, 0)},hello,,\n", encoding="utf-8")
    assert cli("import", str(csv), "-w", str(ws))[0] == 0
    code, _, err = cli("portfolio", "audit", str(ws), "--format", "html")
    assert code == 2 and "give -o DIR" in err
    for logo, expected in (
        ("https://example.com/logo.png", "must be a local image file"),
        ("one.csv", "expected a PNG, JPEG, GIF, WebP or SVG image"),
        ("missing.png", "No such file"),
    ):
        (ws / "portfolio.toml").write_text(f'[agency]\nlogo = "{logo}"\n', encoding="utf-8")
        if logo == "one.csv":
            (ws / "one.csv").write_text("not an image", encoding="utf-8")
        code, _, err = cli("portfolio", "audit", str(ws))
        assert code == 2 and expected in err, err
        assert len(err.strip().splitlines()) == 1
    (ws / "portfolio.toml").write_text("[agency]\ncolour = 'red'\n", encoding="utf-8")
    code, _, err = cli("portfolio", "audit", str(ws))
    assert code == 2 and "[agency.colour] unknown key" in err
    config = ws / "socialaudit.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + "\n[brands.a]\naccounts = []\n", encoding="utf-8"
    )
    code, _, err = cli("audit", "-w", str(ws))
    assert code == 2 and "[brands.a.accounts]" in err


def test_logo_svg_is_embedded_and_never_fetched(tmp_path: Path) -> None:
    from socialaudit.portfolio.brands import logo_data_uri

    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        encoding="utf-8",
    )
    assert logo_data_uri(svg, tmp_path / "portfolio.toml").startswith("data:image/svg+xml;base64,")
    (tmp_path / "big.png").write_bytes(png() + b"\0" * 600_000)
    from socialaudit.errors import ConfigError

    with pytest.raises(ConfigError, match="at most 512 KB"):
        logo_data_uri(tmp_path / "big.png", tmp_path / "portfolio.toml")
