"""`socialaudit checks`, `socialaudit explain`, selection by area and prefix, and invalid config,
through the command line as a user meets them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialaudit.checks import load_registry
from socialaudit.workspace import Workspace

JSONL = "\n".join(
    json.dumps(r)
    for r in [
        {
            "id": "1",
            "platform": "x",
            "author": "ann",
            "created_at": "2024-05-01T10:00:00Z",
            "text": "@acme where is my order?",
        },
        {
            "id": "2",
            "platform": "x",
            "author": "acme",
            "created_at": "2024-05-01T10:20:00Z",
            "text": "@ann on its way",
            "in_reply_to": "1",
        },
        {
            "id": "3",
            "platform": "x",
            "author": "acme",
            "created_at": "2024-05-02T10:20:00Z",
            "text": "New beans in the shop today.",
        },
    ]
)


@pytest.fixture
def ws(cli, tmp_path: Path) -> str:
    path = tmp_path / "m.jsonl"
    path.write_text(JSONL, encoding="utf-8")
    ws = str(tmp_path / "ws")
    code, _, err = cli("import", str(path), "--brand", "acme", "--workspace", ws)
    assert code == 0, err
    return ws


def test_checks_lists_every_registered_check_with_its_options(cli):
    registry = load_registry()
    code, out, err = cli("checks")
    assert code == 0, err
    for check in registry.all():
        assert check.code in out and check.name in out
    assert "Conversation and care" in out and "reply_window_hours=24" in out


def test_checks_json_carries_code_name_area_severity_status_requires_and_option_defaults(cli):
    code, out, _ = cli("checks", "--format", "json")
    assert code == 0
    doc = json.loads(out)
    by_code = {c["code"]: c for c in doc["checks"]}
    assert set(by_code) == set(load_registry().checks)
    sa101 = by_code["SA101"]
    assert sa101["name"] == "unanswered-requests" and sa101["area"] == "care"
    assert sa101["severity"] in ("high", "medium", "low") and sa101["status"] in (
        "preview",
        "stable",
        "deprecated",
    )
    assert "inbound_text" in sa101["requires"]
    window = next(o for o in sa101["options"] if o["name"] == "reply_window_hours")
    assert window["default"] == 24 and window["reason"]


def test_checks_rejects_an_unknown_format(cli):
    code, out, err = cli("checks", "--format", "yaml")
    assert code == 2 and out == "" and "expected text or json" in err


def test_explain_prints_the_checks_doc(cli):
    code, out, err = cli("explain", "SA202")
    assert code == 0, err
    assert out.startswith("# SA202 oversharing")
    assert load_registry().get("SA202").full_doc().strip() == out.strip()
    # by name and in lower case, too
    assert cli("explain", "oversharing")[1] == out
    assert cli("explain", "sa202")[1] == out


def test_explain_an_unknown_code_is_one_line_and_exit_2(cli):
    code, out, err = cli("explain", "SA999")
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "SA999" in err and "Traceback" not in err


def run_codes(cli, ws: str, *args: str) -> list[str]:
    code, out, err = cli("audit", "--format", "json", "--no-save", "--workspace", ws, *args)
    assert code in (0, 1), err
    return [f["code"] for f in json.loads(out)["findings"]]


def test_select_and_ignore_by_area_prefix_code_and_name(cli, ws):
    all_codes = sorted(load_registry().checks)
    care = [c for c in all_codes if c.startswith("SA1")]
    assert run_codes(cli, ws, "--select", "care") == care
    assert run_codes(cli, ws, "--select", "SA2", "--ignore", "SA203") == [
        c for c in all_codes if c.startswith("SA2") and c != "SA203"
    ]
    assert run_codes(cli, ws, "--select", "SA1", "--ignore", "unthanked-praise") == [
        c for c in care if c != "SA103"
    ]
    # the most specific pattern wins: ignore the area, but select one code in it
    assert run_codes(cli, ws, "--select", "SA102", "--ignore", "care") == ["SA102"]
    assert run_codes(cli, ws, "--ignore", "money", "--ignore", "plan") == [
        c for c in all_codes if not c.startswith(("SA5", "SA6"))
    ]


def test_select_that_matches_nothing_is_exit_2(cli, ws):
    code, out, err = cli("audit", "--select", "SA9", "--workspace", ws)
    assert code == 2 and out == "" and "SA9" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('[brand]\ncurrency = "EURO"\n', "three-letter"),
        ("[brand\nname = 1\n", "not valid TOML"),
        ("[checks.SA101]\nreply_window = 12\n", "unknown option 'reply_window'"),
        ('[checks.SA102]\nfail_median_hours = "four"\n', "expected a number"),
        ("[checks.SA102]\nfail_median_hours = -1\n", "at least"),
        ("[brnad]\nname = 'x'\n", "unknown key"),
        ('[checks]\nselect = ["SA9"]\n', "SA9"),
    ],
)
def test_invalid_config_is_one_clear_line_and_exit_2(cli, ws, config, expected):
    Path(ws, "socialaudit.toml").write_text(config, encoding="utf-8")
    code, out, err = cli("audit", "--workspace", ws)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert expected in lines[0] and "Traceback" not in err
    with Workspace.open(ws) as w:
        assert w.count("audits") == 0  # nothing written
