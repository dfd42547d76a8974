"""The HTML report of the demo brand (self-contained, offline, every finding, charts drawn) and the
chart series behind it, recomputed independently from the workspace."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from socialaudit.charts import chart_data, content_mix, first_response
from socialaudit.config import Config, load_config, parse_config
from socialaudit.report.html import safe_url
from socialaudit.sources import import_path
from socialaudit.sources.base import ImportOptions
from socialaudit.workspace import Workspace


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(a["id"])

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, str, dict]:
    """The demo workspace, its HTML report and its JSON report (both through the CLI)."""
    import io
    import sys

    from rich.console import Console

    from socialaudit import cli as cli_module

    root = tmp_path_factory.mktemp("demo") / "ws"

    def run(*args: str) -> tuple[int, str]:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(sys, "argv", ["socialaudit", *args])
            mp.setattr(sys, "stdout", out)
            mp.setattr(sys, "stderr", err)
            mp.setattr(cli_module, "err_console", Console(file=err, width=200))
            cli_module.state.workspace = None
            try:
                cli_module.main()
            except SystemExit as exc:
                assert exc.code in (0, 1, None), err.getvalue()
        return 0, out.getvalue()

    run("demo", "--workspace", str(root))
    html_path = root / "report.html"
    run(
        "audit",
        "--workspace",
        str(root),
        "--format",
        "html",
        "--output",
        str(html_path),
        "--no-save",
    )
    _, out = run("audit", "--workspace", str(root), "--format", "json", "--no-save")
    return root, html_path.read_text(encoding="utf-8"), json.loads(out)


def test_the_page_is_self_contained_and_loads_nothing(demo):
    _, page, _ = demo
    parser = Page()
    parser.feed(page)
    tags = parser.tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    assert not [a for _, a in tags if "src" in a]
    assert "@import" not in page and "url(" not in page  # no CSS that fetches
    external = [a for t, a in tags if t == "a" and not (a.get("href") or "").startswith("#")]
    assert external, "the demo's evidence links to the platform"
    for a in external:
        assert a["href"].startswith("https://") and a.get("rel") == "noopener noreferrer"
    csp = next(
        a for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in csp["content"] and "script-src" not in csp["content"]


def test_score_areas_and_every_finding_are_on_the_page(demo):
    _, page, doc = demo
    parser = Page()
    parser.feed(page)
    assert f">{doc['score']['overall']:.0f}<span>/100" in page
    assert f"covers <strong>{doc['score']['counted']} of {doc['score']['checks']}</strong>" in page
    for f in doc["findings"]:
        assert f["code"] in parser.ids  # each finding has its card
    for area in doc["score"]["areas"]:
        assert f"area-{area}" in parser.ids
    # figures with their thresholds, collapsible evidence, advice, and what to import when unknown
    sa101 = next(f for f in doc["findings"] if f["code"] == "SA101")
    card = page[page.index('id="SA101"') : page.index("</article>", page.index('id="SA101"'))]
    assert "unanswered share" in card and "max unanswered share" in card
    assert f"Evidence: {len(sa101['evidence'])} of {sa101['evidence_total']}" in card
    assert "What to do" in card
    unknown = [f for f in doc["findings"] if f["verdict"] == "unknown"]
    assert all(f["needs"] for f in unknown)
    assert page.count("To answer this, import:") == sum(1 for f in doc["findings"] if f["needs"])


def test_the_four_charts_are_drawn(demo):
    _, page, doc = demo
    assert page.count("<svg") == 4
    for title in ("Posting cadence", "First response time", "Content mix", "Sentiment over time"):
        assert title in page
    assert set(doc["charts"]) >= {"cadence", "first_response", "content_mix", "sentiment", "notes"}
    assert doc["charts"]["notes"] == {}


def test_a_chart_without_data_says_what_it_needs(tmp_path):
    from socialaudit.audit import AuditResult
    from socialaudit.report.html import render_html

    result = AuditResult(findings=[], created_at=datetime(2024, 1, 1, tzinfo=UTC), workspace="w")
    result.extra["charts"] = {
        "cadence": None,
        "first_response": None,
        "content_mix": None,
        "sentiment": None,
        "notes": {
            "cadence": "no data: needs the brand's own posts",
            "first_response": "no data: x",
            "content_mix": "no data: y",
            "sentiment": "no data: z",
        },
    }
    page = render_html(result)
    assert "<svg" not in page and "no data: needs the brand&#39;s own posts" in page


def test_only_http_urls_become_links():
    assert safe_url("https://x.com/a/status/1") == "https://x.com/a/status/1"
    assert safe_url("HTTP://example.com") == "HTTP://example.com"
    for bad in (
        "javascript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "//evil.example",
        "https://a b",
        None,
        3,
    ):
        assert safe_url(bad) is None


# -- chart series, recomputed ------------------------------------------------------------------

T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


def _ws(tmp_path: Path, rows: list[dict]) -> Workspace:
    path = tmp_path / "data.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    ws = Workspace.open(tmp_path / "ws")
    import_path(ws, path, "generic", ImportOptions(brand=["acme"]))
    return ws


def _msg(mid: str, author: str, when: datetime, text: str = "hello", **kw) -> dict:
    return {
        "id": mid,
        "platform": "x",
        "author": author,
        "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "text": text,
        **kw,
    }


def test_cadence_counts_posts_per_day_and_marks_gaps(tmp_path):
    days = [0, 0, 1, 2, 15, 16]  # a 13-day silence between day 2 and day 15
    rows = [_msg(f"p{i}", "acme", T0 + timedelta(days=d, minutes=i)) for i, d in enumerate(days)]
    rows.append(
        _msg("c1", "someone", T0 + timedelta(days=31), "@acme hi")
    )  # the data ends on day 31
    with _ws(tmp_path, rows) as ws:
        c = chart_data(ws, Config())["cadence"]
    assert c["granularity"] == "day" and c["posts"] == 6
    assert len(c["series"]) == 17 and c["series"][0] == {"period": "2024-01-01", "posts": 2}
    assert sum(s["posts"] for s in c["series"]) == 6 and c["series"][5]["posts"] == 0
    assert [(g["start"][:10], g["end"][:10], g["ongoing"]) for g in c["gaps"]] == [
        ("2024-01-03", "2024-01-16", False),
        ("2024-01-17", "2024-02-01", True),
    ]
    assert c["gaps"][0]["days"] == pytest.approx(13.0, abs=0.01)


def test_cadence_gap_line_follows_sa203s_option_and_long_spans_are_weekly(tmp_path):
    rows = [_msg(f"p{d}", "acme", T0 + timedelta(days=d)) for d in (0, 5, 200)]
    with _ws(tmp_path, rows) as ws:
        cfg = parse_config({"checks": {"SA203": {"warn_gap_days": 3}}})
        c = chart_data(ws, cfg)["cadence"]
    assert c["granularity"] == "week" and c["gap_days"] == 3
    assert [g["days"] for g in c["gaps"]] == [5.0, 195.0]
    assert c["series"][0]["period"] == "2024-01-01"  # a Monday
    assert {datetime.fromisoformat(s["period"]).weekday() for s in c["series"]} == {0}
    assert sum(s["posts"] for s in c["series"]) == 3


def test_first_response_buckets_match_the_answers(tmp_path):
    delays = [0.5, 2, 5, 10, 30, 3]  # hours: one per bucket, and a second in 1-4 h
    rows = []
    for i, h in enumerate(delays):
        asked = T0 + timedelta(days=i)
        rows.append(_msg(f"q{i}", f"c{i}", asked, "@acme do you ship to Canada?"))
        rows.append(
            _msg(f"a{i}", "acme", asked + timedelta(hours=h), f"@c{i} yes", in_reply_to=f"q{i}")
        )
    rows.append(_msg("q9", "c9", T0, "@acme hello?"))  # never answered
    with _ws(tmp_path, rows) as ws:
        r = first_response(ws, Config())
    assert [b["count"] for b in r["buckets"]] == [1, 2, 1, 1, 1]
    assert r["answered"] == 6 and r["unanswered"] == 1


def test_demo_chart_series_agree_with_the_checks_and_the_tables(demo):
    root, _, doc = demo
    findings = {f["code"]: f for f in doc["findings"]}
    fr = doc["charts"]["first_response"]
    assert (
        sum(b["count"] for b in fr["buckets"])
        == fr["answered"]
        == findings["SA102"]["figures"]["answered"]
    )
    assert fr["unanswered"] == findings["SA102"]["figures"]["unanswered"]
    with Workspace.open(root) as ws:
        posts = ws.sql(
            "select count(*) n from messages where from_brand and kind = 'post'"
        ).to_pylist()[0]["n"]
        types = Counter(
            r["content_type"]
            for r in ws.sql(
                "select l.content_type from messages m join labels l on l.platform = m.platform "
                "and l.message_id = m.id where m.from_brand and m.kind = 'post'"
            ).to_pylist()
        )
        inbound = ws.sql(
            "select count(*) n from messages m join labels l on l.platform = m.platform "
            "and l.message_id = m.id where not m.from_brand"
        ).to_pylist()[0]["n"]
        config = load_config(ws.config_path)
        mix = content_mix(ws, config)
        assert chart_data(ws, config)["cadence"]["posts"] == posts
    assert doc["charts"]["cadence"]["posts"] == posts
    assert {t["content_type"]: t["count"] for t in mix["types"]} == dict(types)
    assert sum(t["share"] for t in mix["types"]) == pytest.approx(1.0, abs=0.001)
    assert doc["charts"]["sentiment"]["messages"] == inbound


def test_sentiment_shows_the_last_year_and_counts_older_messages(tmp_path):
    from socialaudit.charts import SENTIMENT_WEEKS, sentiment
    from socialaudit.labelling import label_workspace

    rows = [_msg("old", "c0", T0 - timedelta(days=2000), "@acme terrible service")]
    rows += [
        _msg(f"m{i}", f"c{i}", T0 + timedelta(days=i * 3), "@acme thanks, love it!")
        for i in range(10)
    ]
    with _ws(tmp_path, rows) as ws:
        label_workspace(ws)
        s = sentiment(ws)
    assert s["earlier_messages"] == 1 and s["messages"] == 10
    assert len(s["series"]) <= SENTIMENT_WEEKS
    assert sum(w["negative"] + w["neutral"] + w["positive"] for w in s["series"]) == 10


def test_a_chart_that_fails_is_a_note_and_the_others_still_draw(tmp_path):
    rows = [_msg(f"p{d}", "acme", T0 + timedelta(days=d)) for d in range(3)]
    with _ws(tmp_path, rows) as ws:
        ws.sql("drop table labels")  # damage the store: the two label charts cannot be computed
        charts = chart_data(ws, Config())
    assert charts["cadence"]["posts"] == 3
    assert charts["content_mix"] is None and charts["sentiment"] is None
    assert charts["notes"]["sentiment"].startswith("could not be drawn:")


def test_requests_known_only_from_replies_are_flagged_and_have_no_tone(tmp_path):
    from socialaudit.charts import sentiment
    from socialaudit.labelling import label_workspace

    rows = [
        # an account archive: the customer's tweet is known only by the id the reply points to
        _msg("q1", "cust", T0, None, time_only=True),
        _msg("a1", "acme", T0 + timedelta(hours=2), "@cust sorry about that", in_reply_to="q1"),
        _msg("q2", "other", T0, "@acme my order is late, terrible service"),
    ]
    with _ws(tmp_path, rows) as ws:
        label_workspace(ws)
        fr = first_response(ws, Config())
        s = sentiment(ws)
    assert fr["answered"] == 1 and fr["time_only"] == 1 and fr["unanswered"] == 1
    assert s["messages"] == 1  # only the message with words


def test_an_unknown_finding_says_what_to_import_and_is_left_out_of_the_score():
    from socialaudit.audit import AuditResult
    from socialaudit.checks.base import Finding
    from socialaudit.model import Verdict
    from socialaudit.report.html import render_html
    from socialaudit.score import compute_score

    findings = [
        Finding(
            "SA503",
            "roi-unknown",
            "money",
            Verdict.UNKNOWN,
            "high",
            "No costs are recorded.",
            needs=["a costs ledger CSV (date, platform, category, amount)"],
        ),
        Finding("SA101", "unanswered-requests", "care", Verdict.PASS, "high", "All answered."),
    ]
    result = AuditResult(
        findings=findings, created_at=datetime(2024, 1, 1, tzinfo=UTC), workspace="w"
    )
    result.extra["score"] = compute_score(findings)
    page = render_html(result)
    assert "To answer this, import:" in page and "a costs ledger CSV (date, platform" in page
    assert "covers <strong>1 of 2</strong>" in page and "(SA503)" in page
    assert ">100<span>/100" in page
