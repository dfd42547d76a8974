"""The demo brand: `socialaudit demo` imports itself and the audit finds exactly what was planted."""

from __future__ import annotations

import json

from socialaudit.demo import PLANTED, generate


def test_demo_prints_a_report_and_finds_the_planted_care_mistakes(cli, tmp_path):
    ws = str(tmp_path / "demo")
    code, out, err = cli("demo", "--workspace", ws)
    assert code == 0, err
    assert "Northwind Coffee Roasters" in out
    assert "SA101" in out and "unanswered-requests" in out

    code, out, err = cli("audit", "--format", "json", "--select", "SA1", "--workspace", ws)
    assert code == 1, err  # planted failures fail the audit
    findings = {f["code"]: f for f in json.loads(out)["findings"]}

    sa101 = findings["SA101"]
    assert sa101["verdict"] == "fail"
    assert {e["message_id"] for e in sa101["evidence"]} == set(PLANTED["SA101"])
    assert sa101["figures"]["unanswered_requests"] == len(PLANTED["SA101"])
    assert sa101["figures"]["pending_requests"] == len(PLANTED["SA101_pending"])
    assert not set(PLANTED["SA101_pending"]) & {e["message_id"] for e in sa101["evidence"]}

    sa102 = findings["SA102"]
    assert sa102["verdict"] == "fail"
    assert sa102["figures"]["median_first_response_seconds"] > 4 * 3600
    assert sa102["figures"]["answered"] > len(PLANTED["SA102_slow"])

    sa103 = findings["SA103"]
    assert sa103["verdict"] == "fail"
    assert {e["message_id"] for e in sa103["evidence"]} == set(PLANTED["SA103"])
    assert sa103["figures"]["thanked_by_like"] == 2 and sa103["figures"]["thanked_by_reply"] == 3


def test_demo_is_deterministic_and_reruns_cleanly(cli, tmp_path):
    assert generate().messages == generate().messages
    ws = str(tmp_path / "demo")
    assert cli("demo", "--workspace", ws)[0] == 0
    first = cli("audit", "--format", "json", "--select", "SA1", "--workspace", ws)[1]
    assert cli("demo", "--workspace", ws)[0] == 0
    second = cli("audit", "--format", "json", "--select", "SA1", "--workspace", ws)[1]
    figures = lambda doc: {f["code"]: f["figures"] for f in json.loads(doc)["findings"]}  # noqa: E731
    assert figures(first) == figures(second)
