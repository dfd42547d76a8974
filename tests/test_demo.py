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


def test_demo_plants_a_mistake_in_every_area_and_the_audit_finds_each(cli, tmp_path):
    from socialaudit.checks import AREAS, load_registry
    from socialaudit.demo import GAP_DAYS, PLANTED_VERDICTS, START

    ws = str(tmp_path / "demo")
    assert cli("demo", "--workspace", ws)[0] == 0
    code, out, err = cli("audit", "--format", "json", "--workspace", ws)
    assert code == 1, err
    findings = {f["code"]: f for f in json.loads(out)["findings"]}
    assert not [c for c, f in findings.items() if f["verdict"] == "error"]
    registry = load_registry()
    planted_areas = {registry.get(code).area for code in PLANTED_VERDICTS}
    assert planted_areas == set(AREAS)
    for code, verdict in PLANTED_VERDICTS.items():
        assert findings[code]["verdict"] == verdict, (code, findings[code]["message"])
    # the evidence is the planted posts, exactly
    assert [e["message_id"] for e in findings["SA302"]["evidence"]] == PLANTED["SA302"]
    assert [e["message_id"] for e in findings["SA304"]["evidence"]] == PLANTED["SA304"]
    # the longest silence is the planted gap
    gap = max(findings["SA203"]["evidence"], key=lambda e: e["days"])
    first_missing = START.date().toordinal() + GAP_DAYS.start
    assert gap["days"] > len(GAP_DAYS) - 1
    assert (
        gap["start"][:10] <= START.date().fromordinal(first_missing).isoformat() <= gap["end"][:10]
    )
