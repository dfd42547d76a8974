"""Exit codes, errors and options of the command line, as a user meets them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

JSONL = """\
{"id": "1", "platform": "x", "author": "ann", "created_at": "2024-05-01T10:00:00Z", "text": "@acme where is my order?"}
{"id": "2", "platform": "x", "author": "acme", "created_at": "2024-05-01T10:20:00Z", "text": "@ann on its way", "in_reply_to": "1"}
{"id": "3", "platform": "x", "author": "bob", "created_at": "2024-05-03T10:00:00Z", "text": "@acme thanks, the coffee is amazing, love it!"}
{"table": "acknowledgements", "platform": "x", "account": "acme", "message_id": "3"}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_audit_without_workspace_is_exit_2(cli, tmp_path):
    code, _out, err = cli("audit", "--workspace", str(tmp_path / "nothing-here"))
    assert code == 2 and "no workspace here" in err and "Traceback" not in err


def test_passing_audit_exits_0_and_failing_exits_1(cli, tmp_path):
    ws = str(tmp_path / "ws")
    path = write(tmp_path, "msgs.jsonl", JSONL)
    code, _, err = cli("import", str(path), "--brand", "acme", "--workspace", ws)
    assert code == 0, err
    # one answered message is below SA102's minimum sample (unknown): judge it anyway here
    Path(ws, "socialaudit.toml").write_text("[checks.SA102]\nmin_answered = 1\n")
    code, out, _ = cli(
        "audit", "--select", "SA102", "--select", "SA103", "--format", "json", "--workspace", ws
    )
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert {f["verdict"] for f in doc["findings"]} == {"pass"} and code == 0
    # a 10-minute threshold turns the 20-minute answer into a failure
    Path(ws, "socialaudit.toml").write_text(
        "[checks.SA102]\nmin_answered = 1\nfail_median_hours = 0.1\n"
    )
    code, out, _ = cli("audit", "--select", "SA102", "--format", "json", "--workspace", ws)
    assert code == 1 and json.loads(out)["findings"][0]["verdict"] == "fail"


def test_output_file_and_markdown(cli, tmp_path):
    ws = str(tmp_path / "ws")
    cli("import", str(write(tmp_path, "m.jsonl", JSONL)), "--brand", "acme", "--workspace", ws)
    out_file = tmp_path / "report.md"
    code, out, _err = cli(
        "audit",
        "--format",
        "markdown",
        "--output",
        str(out_file),
        "--select",
        "SA1",
        "--workspace",
        ws,
    )
    assert code in (0, 1) and out == ""
    text = out_file.read_text()
    assert text.startswith("# socialaudit report") and "SA102" in text


def test_workspace_from_environment(cli, tmp_path, monkeypatch):
    ws = tmp_path / "envws"
    monkeypatch.setenv("SOCIALAUDIT_WORKSPACE", str(ws))
    code, _, err = cli("import", str(write(tmp_path, "m.jsonl", JSONL)), "--brand", "acme")
    assert code == 0, err
    assert (ws / "socialaudit.duckdb").exists() and (ws / "socialaudit.toml").exists()


def test_usage_errors_are_exit_2(cli, tmp_path):
    assert cli("audit", "--format", "pdf")[0] == 2
    assert cli("import")[0] == 2
    code, _, err = cli("import", str(tmp_path / "missing.csv"), "--workspace", str(tmp_path / "ws"))
    assert code == 2 and "missing.csv" in err and "no such file" in err
    code, _, err = cli(
        "import",
        str(write(tmp_path, "x.csv", "a,b\n1,2\n")),
        "--format",
        "nope",
        "--workspace",
        str(tmp_path / "ws"),
    )
    assert code == 2 and "--format" in err


def test_unknown_select_and_bad_config_are_exit_2(cli, tmp_path):
    ws = tmp_path / "ws"
    cli("import", str(write(tmp_path, "m.jsonl", JSONL)), "--brand", "acme", "--workspace", str(ws))
    code, _, err = cli("audit", "--select", "SA999", "--workspace", str(ws))
    assert code == 2 and "SA999" in err
    (ws / "socialaudit.toml").write_text("[checks.SA102]\nwarn_median_hours = 'soon'\n")
    code, _, err = cli("audit", "--workspace", str(ws))
    assert code == 2 and "warn_median_hours" in err and "expected a number" in err
    (ws / "socialaudit.toml").write_text("[brand\nname=1")
    code, _, err = cli("audit", "--workspace", str(ws))
    assert code == 2 and "not valid TOML" in err


def test_help_of_every_command():
    # the installed script, in a real process: what a user types first
    exe = Path(sys.executable).with_name("socialaudit")
    out = subprocess.run(
        [str(exe), "--help"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "120"}
    )
    assert out.returncode == 0
    for command in ("import", "audit", "demo"):
        assert command in out.stdout
        sub = subprocess.run([str(exe), command, "--help"], capture_output=True, text=True)
        assert sub.returncode == 0 and "--workspace" in sub.stdout


def test_a_failed_import_leaves_no_workspace_behind(cli, tmp_path):
    bad = write(tmp_path, "bad.csv", "id,author,created_at\n1,ann,not-a-time\n")
    code, _, err = cli("import", str(bad), "--brand", "acme", "--workspace", str(tmp_path / "new"))
    assert code == 2 and "bad.csv:2" in err
    assert not (tmp_path / "new").exists()
