"""The health score's arithmetic, on hand-made findings (docs/score.md)."""

from __future__ import annotations

import pytest

from socialaudit.checks.base import Finding
from socialaudit.model import Verdict
from socialaudit.score import compute_score


def f(code: str, area: str, verdict: str, severity: str) -> Finding:
    return Finding(
        code=code, name=code.lower(), area=area, verdict=Verdict(verdict), severity=severity
    )


def test_weighted_by_severity_with_half_credit_for_a_warning():
    # high pass 3 + medium warn 2 * 0.5 + low fail 0 = 4 of 3 + 2 + 1 = 6 -> 66.7
    s = compute_score(
        [
            f("SA101", "care", "pass", "high"),
            f("SA102", "care", "warn", "medium"),
            f("SA103", "care", "fail", "low"),
        ]
    )
    assert s["overall"] == pytest.approx(66.7)
    assert s["areas"] == {"care": pytest.approx(66.7)}
    assert s["counted"] == 3 and s["checks"] == 3


def test_unknown_and_error_are_left_out_of_the_denominator_and_listed():
    findings = [
        f("SA101", "care", "fail", "high"),
        f("SA201", "presence", "pass", "medium"),
        f("SA501", "money", "unknown", "high"),
        f("SA502", "money", "error", "medium"),
    ]
    s = compute_score(findings)
    # (0 * 3 + 1 * 2) / (3 + 2): the unknown high-severity check neither helps nor hurts
    assert s["overall"] == pytest.approx(40.0)
    assert s["counted"] == 2 and s["checks"] == 4
    assert s["excluded"] == {"unknown": ["SA501"], "error": ["SA502"]}
    assert s["areas"] == {"care": 0.0, "presence": 100.0, "money": None}
    assert s["area_detail"]["money"]["counted"] == 0
    assert s["area_detail"]["money"]["verdicts"]["unknown"] == 1


def test_areas_follow_the_rulebook_order_and_a_plugin_area_comes_last():
    s = compute_score(
        [
            f("X001", "zzz-plugin", "pass", "low"),
            f("SA301", "content", "warn", "high"),
            f("SA101", "care", "pass", "low"),
        ]
    )
    assert list(s["areas"]) == ["care", "content", "zzz-plugin"]
    assert s["areas"]["content"] == pytest.approx(50.0)


def test_no_verdict_at_all_gives_no_score_rather_than_zero():
    s = compute_score([f("SA601", "plan", "unknown", "medium")])
    assert s["overall"] is None and s["counted"] == 0
    assert compute_score([])["overall"] is None


def test_an_unheard_of_severity_weighs_like_medium():
    s = compute_score([f("P1", "care", "fail", "catastrophic"), f("P2", "care", "pass", "medium")])
    assert s["overall"] == pytest.approx(50.0)


def test_all_passing_is_100_and_all_failing_is_0():
    assert (
        compute_score([f("A", "care", "pass", "high"), f("B", "content", "pass", "low")])["overall"]
        == 100.0
    )
    assert (
        compute_score([f("A", "care", "fail", "high"), f("B", "content", "fail", "low")])["overall"]
        == 0.0
    )


def test_run_audit_puts_the_score_into_the_json(cli, tmp_path):
    import json

    code, _, err = cli("demo", "--workspace", str(tmp_path / "demo"), "--format", "json")
    assert code == 0, err
    code, out, _ = cli(
        "audit", "--workspace", str(tmp_path / "demo"), "--format", "json", "--no-save"
    )
    doc = json.loads(out)
    s = doc["score"]
    assert doc["schema_version"] == 1 and "findings" in doc
    assert s["checks"] == len(doc["findings"])
    assert s["counted"] == sum(
        1 for x in doc["findings"] if x["verdict"] in ("pass", "warn", "fail")
    )
    # recompute from the findings themselves
    weights = {"high": 3, "medium": 2, "low": 1}
    credit = {"pass": 1, "warn": 0.5, "fail": 0}
    counted = [x for x in doc["findings"] if x["verdict"] in credit]
    expected = (
        100
        * sum(weights[x["severity"]] * credit[x["verdict"]] for x in counted)
        / sum(weights[x["severity"]] for x in counted)
    )
    assert s["overall"] == pytest.approx(expected, abs=0.05)
