"""Audit history: each audit is stored, and the next report says what is new, fixed, worse and
better. End to end through the CLI on data that changes between audits, and the comparison rule
on hand-made audit documents."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from socialaudit.demo import PRAISE, QUESTIONS
from socialaudit.history import compare
from socialaudit.workspace import Workspace

START = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def brand_data(delay_hours: float, unanswered: int, unthanked: int) -> str:
    """Ten questions (the first `unanswered` never answered), ten messages of praise (the first
    `unthanked` neither answered nor liked), every answer `delay_hours` late, and a brand post a
    day for 30 days so that the data ends well after the reply window."""
    rows: list[dict] = []

    def add(mid: str, author: str, when: datetime, text: str, parent: str | None = None) -> None:
        rows.append(
            {
                "id": mid,
                "platform": "x",
                "author": author,
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "text": text,
                "in_reply_to": parent,
                "url": f"https://x.com/{author}/status/{mid}",
            }
        )

    for day in range(30):
        add(
            f"p{day}", "acme", START + timedelta(days=day), f"Fresh roast of the day, number {day}."
        )
    for i in range(10):
        when = START + timedelta(days=i, hours=2)
        add(f"q{i}", f"cust{i}", when, f"@acme {QUESTIONS[i % len(QUESTIONS)]}")
        if i >= unanswered:
            add(
                f"qa{i}",
                "acme",
                when + timedelta(hours=delay_hours),
                f"@cust{i} here is the answer",
                parent=f"q{i}",
            )
    for i in range(10):
        when = START + timedelta(days=10 + i, hours=3)
        add(f"t{i}", f"fan{i}", when, f"@acme {PRAISE[i % len(PRAISE)]}")
        if i >= unthanked:
            add(
                f"ta{i}",
                "acme",
                when + timedelta(hours=delay_hours),
                f"@fan{i} thank you!",
                parent=f"t{i}",
            )
    return "\n".join(json.dumps({k: v for k, v in r.items() if v is not None}) for r in rows) + "\n"


def audit(cli, ws: str, data: Path, content: str, *extra: str) -> tuple[dict, str, str]:
    data.write_text(content, encoding="utf-8")
    code, _, err = cli("import", str(data), "--brand", "acme", "--workspace", ws)
    assert code == 0, err
    code, out, err = cli(
        "audit",
        "--select",
        "SA101",
        "--select",
        "SA102",
        "--select",
        "SA103",
        "--format",
        "json",
        "--workspace",
        ws,
        *extra,
    )
    assert code in (0, 1), err
    doc = json.loads(out)
    return {f["code"]: f["verdict"] for f in doc["findings"]}, doc, err


def codes(changes: dict, kind: str) -> set[str]:
    return {c["code"] for c in changes[kind]}


def test_second_and_third_audits_say_what_is_new_worse_better_and_fixed(cli, tmp_path):
    ws, data = str(tmp_path / "ws"), tmp_path / "acme.jsonl"

    v1, doc1, _ = audit(cli, ws, data, brand_data(delay_hours=2, unanswered=0, unthanked=6))
    assert v1 == {"SA101": "pass", "SA102": "warn", "SA103": "fail"}
    assert "changes" not in doc1  # nothing to compare with yet

    v2, doc2, _ = audit(cli, ws, data, brand_data(delay_hours=5, unanswered=3, unthanked=3))
    assert v2 == {"SA101": "fail", "SA102": "fail", "SA103": "warn"}
    ch = doc2["changes"]
    assert codes(ch, "new") == {"SA101"}
    assert codes(ch, "worse") == {"SA102"}
    assert codes(ch, "better") == {"SA103"}
    assert codes(ch, "fixed") == set()
    assert (
        ch["score"]["before"] == doc1["score"]["overall"]
        and ch["score"]["after"] == doc2["score"]["overall"]
    )
    assert ch["score"]["delta"] < 0
    worse = ch["worse"][0]
    assert worse["before"] == "warn" and worse["after"] == "fail"
    assert worse["figures"]["median_first_response_seconds"] == {"before": 7200.0, "after": 18000.0}

    v3, doc3, _ = audit(cli, ws, data, brand_data(delay_hours=2, unanswered=0, unthanked=0))
    assert v3 == {"SA101": "pass", "SA102": "warn", "SA103": "pass"}
    ch = doc3["changes"]
    assert codes(ch, "fixed") == {"SA101", "SA103"}
    assert codes(ch, "better") == {"SA102"}
    assert ch["previous_generated_at"] == doc2["generated_at"]

    with Workspace.open(ws) as w:
        stored = w.sql("select audit_id, score, result from audits order by created_at").to_pylist()
    assert len(stored) == 3
    assert [r["score"] for r in stored] == [
        doc1["score"]["overall"],
        doc2["score"]["overall"],
        doc3["score"]["overall"],
    ]
    assert json.loads(stored[1]["result"])["findings"][0]["code"] == "SA101"


def test_no_save_compares_but_does_not_store_and_every_report_shows_the_changes(cli, tmp_path):
    ws, data = str(tmp_path / "ws"), tmp_path / "acme.jsonl"
    audit(cli, ws, data, brand_data(delay_hours=2, unanswered=0, unthanked=6))
    _, doc, _ = audit(
        cli, ws, data, brand_data(delay_hours=5, unanswered=3, unthanked=3), "--no-save"
    )
    assert codes(doc["changes"], "new") == {"SA101"}
    with Workspace.open(ws) as w:
        assert w.count("audits") == 1

    sel = (
        "--select",
        "SA101",
        "--select",
        "SA102",
        "--select",
        "SA103",
        "--no-save",
        "--workspace",
        ws,
    )
    _, text, _ = cli("audit", *sel)
    assert "Since the last audit" in text and "new problems: SA101 (pass → fail)" in text
    assert "worse: SA102 (warn → fail)" in text and "better: SA103 (fail → warn)" in text
    _, md, _ = cli("audit", "--format", "markdown", *sel)
    assert "## Since the last audit" in md and "- new problems: SA101 (pass → fail)" in md
    _, html, _ = cli("audit", "--format", "html", *sel)
    assert "What changed since the last audit" in html
    new_group = html[html.index("New problems") : html.index("Got worse")]
    assert "SA101" in new_group and "SA102" not in new_group
    with Workspace.open(ws) as w:
        assert w.count("audits") == 1


def finding(code: str, verdict: str, **figures: float) -> dict:
    return {
        "code": code,
        "name": code.lower(),
        "area": "care",
        "verdict": verdict,
        "message": "m",
        "figures": figures,
    }


def test_the_comparison_rule_on_hand_made_audits():
    before = {
        "audit_id": "a1",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "score": {"overall": 50.0},
        "findings": [
            finding("A", "pass"),
            finding("B", "warn"),
            finding("C", "fail"),
            finding("D", "fail"),
            finding("E", "warn", share=0.3),
            finding("F", "pass", n=1),
            finding("G", "unknown"),
            finding("H", "fail"),
            finding("I", "pass"),
        ],
    }
    after = {
        "score": {"overall": 62.5},
        "findings": [
            finding("A", "fail"),  # new
            finding("B", "pass"),  # fixed
            finding("C", "warn"),  # better
            finding("D", "fail"),  # unchanged
            finding("E", "warn", share=0.4),  # moved: same verdict, figure changed
            finding("F", "pass", n=1),  # unchanged
            finding("G", "warn"),  # new: could not be answered before
            finding("H", "unknown"),  # now_unknown
            finding("J", "fail"),  # did not run before: not compared
            # I did not run this time: not compared
        ],
    }
    ch = compare(before, after)
    assert codes(ch, "new") == {"A", "G"}
    assert codes(ch, "fixed") == {"B"}
    assert codes(ch, "better") == {"C"}
    assert codes(ch, "worse") == set()
    assert codes(ch, "moved") == {"E"}
    assert ch["moved"][0]["figures"] == {"share": {"before": 0.3, "after": 0.4}}
    assert codes(ch, "now_unknown") == {"H"}
    assert ch["unchanged"] == 2  # D and F; I and J are not compared at all
    assert ch["only_now"] == ["J"] and ch["only_before"] == ["I"]
    # The two audits ran different checks, so both scores are recomputed on the eight both ran
    # (A-H, all medium, unknowns left out), not taken as stored: before 3 of 7 credits, after 3.5.
    assert ch["score"] == {"before": 42.9, "after": 50.0, "delta": 7.1, "checks": 8, "on": "shared"}
    assert ch["previous_audit_id"] == "a1"


def test_scores_are_compared_as_stored_when_both_audits_ran_the_same_checks():
    before = {"score": {"overall": 50.0}, "findings": [finding("A", "pass"), finding("B", "fail")]}
    after = {"score": {"overall": 75.0}, "findings": [finding("A", "pass"), finding("B", "warn")]}
    ch = compare(before, after)
    assert ch["score"] == {"before": 50.0, "after": 75.0, "delta": 25.0, "checks": 2, "on": "all"}
    assert ch["only_now"] == [] and ch["only_before"] == []
