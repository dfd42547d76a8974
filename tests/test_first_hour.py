"""Issue 16, the first hour of a real user: one test per item, through the CLI, named after it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo brand, written and imported once per module (no audit stored yet)."""
    from socialaudit.demo import build_demo

    root = tmp_path_factory.mktemp("demo") / "demo"
    build_demo(root).close()
    return root


@pytest.fixture
def demo_ws(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the demo workspace for one test."""
    root = tmp_path / "demo"
    shutil.copytree(demo_template, root)
    return str(root)


def audit_json(cli, ws: str, *args: str) -> dict:
    code, out, err = cli("audit", "--format", "json", "-w", ws, *args)
    assert code in (0, 1), err
    return json.loads(out)


def problems(changes: dict) -> set[str]:
    return {c["code"] for kind in ("new", "worse") for c in changes[kind]}


# -- item 2: filtered audits keep the history ---------------------------------------------------


def test_item2_filtered_audit_keeps_history(cli, demo_ws):
    full1 = audit_json(cli, demo_ws)
    care = audit_json(cli, demo_ws, "--select", "care")
    full2 = audit_json(cli, demo_ws)

    # The care-only audit says it is filtered, and compares itself only on the care checks.
    care_codes = {f["code"] for f in care["findings"]}
    assert care_codes and all(c.startswith("SA1") for c in care_codes)
    assert care["selection"]["select"] == ["care"]
    assert care["selection"]["checks_run"] == len(care_codes) < len(full1["findings"])
    ch = care["changes"]
    assert ch["score"]["on"] == "shared" and ch["score"]["checks"] == len(care_codes)
    assert ch["score"]["before"] == ch["score"]["after"] == care["score"]["overall"]
    assert ch["only_now"] == [] and len(ch["only_before"]) == len(full1["findings"]) - len(
        care_codes
    )
    assert problems(ch) == set()

    # The next full audit compares itself with the full audit before, not with the care-only one:
    # no score drop and no "new problems (not run → fail)".
    ch = full2["changes"]
    assert "selection" not in full2
    assert ch["previous_generated_at"] == full1["generated_at"]
    assert ch["score"] == {
        "before": full1["score"]["overall"],
        "after": full2["score"]["overall"],
        "delta": 0.0,
        "checks": len(full1["findings"]),
        "on": "all",
    }
    assert problems(ch) == set() and ch["only_now"] == []

    # The people-facing reports say the same.
    _, text, _ = cli("audit", "--no-save", "-w", demo_ws)
    since = text[text.index("Since the last audit") :].split("\n\n")[0]
    assert "new problems" not in since and "not run →" not in since
    assert "no check changed its verdict or figures" in since
    score = full1["score"]["overall"]
    assert f"score {score:.0f} → {score:.0f}" in since


def test_item2_full_audit_after_only_a_filtered_one_compares_the_shared_checks(cli, demo_ws):
    care = audit_json(cli, demo_ws, "--select", "care")
    full = audit_json(cli, demo_ws, "--no-save")
    ch = full["changes"]
    care_codes = {f["code"] for f in care["findings"]}
    assert ch["score"]["on"] == "shared" and ch["score"]["checks"] == len(care_codes)
    # The score change is the care checks' (unchanged), not "care score → full score".
    assert ch["score"]["before"] == ch["score"]["after"] == care["score"]["overall"]
    assert ch["score"]["after"] != full["score"]["overall"]
    assert set(ch["only_now"]) == {f["code"] for f in full["findings"]} - care_codes
    assert problems(ch) == set()

    _, text, _ = cli("audit", "--no-save", "-w", demo_ws)
    since = text[text.index("Since the last audit") :].split("\n\n")[0]
    assert "not run →" not in since and "new problems" not in since
    assert f"compared on the {len(care_codes)} checks both audits ran" in since
    assert "not compared, as that audit did not run them: SA2" in since
    _, html, _ = cli("audit", "--no-save", "--format", "html", "-w", demo_ws)
    assert f"Compared on the {len(care_codes)} checks both audits ran" in html
    # The score card shows no delta beside the overall score: the comparison covered fewer checks.
    assert "last audit</div>" not in html


# -- item 10: classify leaves the user's own text column alone -----------------------------------


@pytest.mark.realdata
def test_item10_classify_keeps_the_users_text_column(cli, tmp_path):
    import csv
    import io

    from tests.conftest import shared_path

    source = shared_path("twitter_us_airline_sentiment", "Tweets_train70.csv")
    code, out, err = cli("classify", str(source), "--text-column", "text")
    assert code == 0, err
    with source.open(encoding="utf-8", newline="") as f:
        given = list(csv.DictReader(f))
    written = list(csv.DictReader(io.StringIO(out)))
    assert len(written) == len(given) == 10255
    # Nearly every tweet starts with "@airline": not one of them is a formula, so every column
    # of the input comes back exactly as it was read.
    assert sum(r["text"].startswith("@") for r in given) > 9000
    for before, after in zip(given, written, strict=True):
        assert {k: after[k] for k in before} == before


def test_item10_formula_guard_only_where_a_spreadsheet_runs_it_and_can_be_turned_off(cli, tmp_path):
    import csv
    import io

    texts = {
        "f1": '=HYPERLINK("http://evil.example","click")',
        "f2": "@SUM(1+1)*cmd|' /C calc'!A0",
        "t1": "@acme my parcel still hasn't arrived",
        "t2": "- great service, thank you!",
        "t3": "-1",
    }
    source = tmp_path / "texts.csv"
    with source.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerows(texts.items())

    def classify(*extra: str) -> dict[str, str]:
        code, out, err = cli("classify", str(source), "--text-column", "text", *extra)
        assert code == 0, err
        return {r["id"]: r["text"] for r in csv.DictReader(io.StringIO(out))}

    guarded = classify()
    assert guarded["f1"] == "'" + texts["f1"] and guarded["f2"] == "'" + texts["f2"]
    assert {k: guarded[k] for k in ("t1", "t2", "t3")} == {k: texts[k] for k in ("t1", "t2", "t3")}
    assert classify("--no-formula-guard") == texts
    _, help_text, _ = cli("classify", "--help")
    assert "--no-formula-guard" in help_text


# -- item 8: progress feedback while an audit runs -----------------------------------------------


def test_item8_dashboard_audit_runs_in_the_background_with_a_progress_page(demo_ws):
    import re

    from fastapi.testclient import TestClient

    from socialaudit.web import create_app

    client = TestClient(create_app(demo_ws), base_url="http://127.0.0.1:8765")
    page = client.get("/").text
    form_token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    job = client.app.state.audit_job
    # Hold the workspace as a long audit would, so that the pages are seen while it "runs".
    with job.gate._lock:
        r = client.post("/audit", data={"csrf": form_token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/audit/progress"
        progress = client.get("/audit/progress")
        assert progress.status_code == 200 and "Running a fresh audit" in progress.text
        assert '<meta http-equiv="refresh" content="1">' in progress.text  # follows it, no script
        # the dashboard does not hang on the busy workspace: it shows the progress instead
        r = client.get("/", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/audit/progress"
        # a second click does not start a second audit
        client.post("/audit", data={"csrf": form_token}, follow_redirects=False)
    job.wait(120)
    assert job.total > 20 and job.done == job.total and job.error is None
    r = client.get("/audit/progress", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert "health score" in client.get("/").text
    from socialaudit.workspace import Workspace

    with Workspace.open(demo_ws, create=False) as ws:
        assert ws.count("audits") == 1


def test_item8_cli_audit_shows_progress_on_a_terminal(demo_ws):
    """On a terminal, `audit` draws a progress bar on stderr; piped, it prints nothing extra."""
    import os
    import pty
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("socialaudit"))
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm"}
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [exe, "audit", "--no-save", "-w", demo_ws],
        stdout=subprocess.DEVNULL,
        stderr=secondary,
        env=env,
    )
    os.close(secondary)
    seen = b""
    try:
        while True:  # read as it comes: a full terminal buffer would stall the bar
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed: the command has ended
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(primary)
    assert proc.wait(timeout=300) in (0, 1)
    assert b"auditing" in seen and b"%" in seen
    piped = subprocess.run(
        [exe, "audit", "--no-save", "-w", demo_ws], capture_output=True, env=env, timeout=300
    )
    assert piped.returncode in (0, 1) and b"auditing" not in piped.stderr
