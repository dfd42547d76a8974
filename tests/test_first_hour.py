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


# -- item 11: the small ones ---------------------------------------------------------------------


def test_item11_version(cli):
    from importlib.metadata import version

    code, out, _ = cli("--version")
    assert code == 0 and out == f"socialaudit {version('socialaudit')}\n"


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the CLI, as the words a user types."""
    import typer.main

    from socialaudit.cli import app

    def walk(command, words: list[str]) -> list[list[str]]:
        found = [words]
        for name, sub in getattr(command, "commands", {}).items():
            found += walk(sub, [*words, name])
        return found

    return walk(typer.main.get_command(app), [])


def test_item11_help_placeholders_are_plain_words(cli):
    import re

    paths = command_paths()
    assert len(paths) > 15
    for words in paths:
        code, out, err = cli(*words, "--help")
        assert code == 0, (words, err)
        # Typer would print Python types: <list[Path]>, <str>, <path>, <int range>
        assert not re.search(r"<[a-z][\w\[\], |]*>", out), (words, out)
    _, out, _ = cli("import", "--help")
    assert "PATHS" in out and "--brand HANDLE" in out and "--workspace DIR" in out
    _, out, _ = cli("audit", "--help")
    assert "--select CHECK" in out and "--output FILE" in out


def test_item11_import_format_lists_every_format(cli):
    from socialaudit.sources import all_sources

    _, out, _ = cli("import", "--help")
    flat = " ".join(out.split())
    for source in all_sources():
        assert source.name in flat, source.name


def test_item11_every_format_option_is_one_enum(cli, demo_ws):
    from socialaudit.cli import OutputFormat

    every = {f.value for f in OutputFormat}
    checked = 0
    for words in command_paths():
        _, out, _ = cli(*words, "--help")
        if "--format [" not in out or words == ["import"]:
            continue
        choices = out.split("--format [", 1)[1].split("]", 1)[0].split("|")
        assert set(choices) <= every, (words, choices)
        checked += 1
    assert checked >= 7  # status, roi, audit, checks, inbox, lint, classify, demo
    for words in (["status", "-w", demo_ws], ["checks"], ["inbox", "-w", demo_ws], ["roi"]):
        code, out, err = cli(*words, "--format", "xml")
        assert code == 2 and out == "" and "--format 'xml': expected text or json" in err, words
    code, _, err = cli("audit", "--format", "pdf", "-w", demo_ws)
    assert code == 2 and "expected text, json, markdown, html or csv" in err


def test_item11_demo_names_its_workspace_and_ends_with_a_next_step(cli, tmp_path, monkeypatch):
    _, out, _ = cli("demo", "--help")
    assert "./socialaudit-demo" in " ".join(out.split())
    assert "else the current folder" not in " ".join(out.split())

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOCIALAUDIT_WORKSPACE", str(tmp_path / "mine"))
    code, out, err = cli("demo")
    assert code == 0 and "Northwind" in out
    assert (tmp_path / "socialaudit-demo" / "socialaudit.duckdb").is_file()
    assert not (tmp_path / "mine").exists()  # the demo never writes into the user's workspace
    assert err.rstrip().splitlines()[-1].startswith("next: socialaudit serve -w socialaudit-demo")


@pytest.mark.realdata
def test_item11_reimport_says_0_new(cli, tmp_path):
    from tests.conftest import shared_path

    archive = shared_path("export_x_archive", "andreruffert")
    ws = str(tmp_path / "ws")
    code, _, err = cli("import", str(archive), "-w", ws)
    assert code == 0, err
    assert "2400 messages (2400 new)" in err.splitlines()[0]
    code, _, err = cli("import", str(archive), "-w", ws)
    assert code == 0, err
    first = err.splitlines()[0]
    assert "0 new, nothing changed" in first and "2400 messages" in first
    assert "imported 2400" not in first


def test_item11_reimport_counts_new_updated_unchanged_and_removed(cli, tmp_path):
    def jsonl(texts: dict[str, str]) -> str:
        return "".join(
            json.dumps(
                {
                    "id": i,
                    "platform": "x",
                    "author": "acme",
                    "created_at": "2024-05-01T09:00:00Z",
                    "text": t,
                }
            )
            + "\n"
            for i, t in texts.items()
        )

    data, ws = tmp_path / "acme.jsonl", str(tmp_path / "ws")
    data.write_text(jsonl({"1": "one", "2": "two", "3": "three"}), encoding="utf-8")
    code, _, err = cli("import", str(data), "--brand", "acme", "-w", ws)
    assert code == 0 and "3 messages (3 new)" in err, err
    data.write_text(jsonl({"1": "one", "2": "two, edited", "4": "four"}), encoding="utf-8")
    code, _, err = cli("import", str(data), "--brand", "acme", "-w", ws)
    assert code == 0, err
    assert "3 messages (1 new, 1 updated, 1 unchanged, 1 removed (no longer in this export))" in err


def test_item11_output_extension_implies_the_format(cli, demo_ws, tmp_path):
    import csv

    for name, looks_like in (
        ("report.html", lambda t: t.lstrip().lower().startswith("<!doctype html")),
        ("report.json", lambda t: json.loads(t)["schema_version"] == 1),
        ("report.md", lambda t: t.startswith("# socialaudit report")),
        ("report.csv", lambda t: next(csv.reader([t.splitlines()[0]]))[:2] == ["code", "name"]),
        ("report.txt", lambda t: t.startswith("socialaudit — ")),
    ):
        target = tmp_path / name
        code, _, err = cli("audit", "--no-save", "-o", str(target), "-w", demo_ws)
        assert code in (0, 1), err
        assert looks_like(target.read_text(encoding="utf-8")), name
        assert f"report to {target}" in err
    # --format, when given, wins over the extension
    target = tmp_path / "plain.html"
    cli("audit", "--no-save", "--format", "text", "-o", str(target), "-w", demo_ws)
    assert target.read_text(encoding="utf-8").startswith("socialaudit — ")


def test_item11_fail_on_warn_gates_ci(cli, demo_ws):
    doc = audit_json(cli, demo_ws, "--no-save")
    warn = next(f["code"] for f in doc["findings"] if f["verdict"] == "warn")
    failing = next(f["code"] for f in doc["findings"] if f["verdict"] == "fail")
    run = ("audit", "--no-save", "--select", warn, "-w", demo_ws)
    assert cli(*run)[0] == 0  # a warning does not fail the default gate
    assert cli(*run, "--fail-on", "warn")[0] == 1
    assert cli(*run, "--fail-on", "fail")[0] == 0
    assert cli("audit", "--no-save", "--select", failing, "-w", demo_ws)[0] == 1
    code, _, err = cli(*run, "--fail-on", "sometimes")
    assert code == 2 and "--fail-on 'sometimes': expected fail or warn" in err


# -- item 6: the HTML report on a phone ----------------------------------------------------------


def chromium_or_skip() -> None:
    import os

    from scripts.headless_chromium import find_chromium

    if find_chromium() is None:
        msg = "Chromium not found (apt-get install chromium): the layout test needs a real browser"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; under CI=true it must be installed (.ci/run does)")
        pytest.skip(msg)


def test_item6_report_fits_a_phone_screen(cli, demo_ws, tmp_path):
    """In headless Chromium at 390 px (and 1280 px), with every folded part opened, nothing in
    the demo's report sticks out past the right edge of the screen."""
    chromium_or_skip()
    from scripts.headless_chromium import Chromium
    from scripts.screenshots import overflow

    report = tmp_path / "report.html"
    code, _, err = cli("audit", "--no-save", "-o", str(report), "-w", demo_ws)
    assert code in (0, 1), err
    # the detector itself: a page with something too wide is caught
    wide = tmp_path / "wide.html"
    wide.write_text(
        '<!DOCTYPE html><meta name="viewport" content="width=device-width">'
        '<body><div id="w" style="width:600px">x</div><div style="overflow-x:auto">'
        '<table id="t" style="width:900px"><tr><td>scrolls in its box</td></tr></table></div>',
        encoding="utf-8",
    )
    with Chromium() as browser:
        caught = overflow(browser.open(wide.as_uri(), width=390), 390)
        assert [o.split(" ")[0] for o in caught["offenders"]] == ["div#w"]
        for width in (390, 1280):
            page = browser.open(report.as_uri(), width=width)
            assert page.evaluate("document.querySelectorAll('svg.svgchart').length") == 4
            found = overflow(page, width)
            assert found["offenders"] == [], (width, found["offenders"][:10])
            assert found["scrollWidth"] <= width


# -- item 3: the dashboard, the inbox and the audit count the same messages ----------------------


def _finding(doc: dict, code: str) -> dict:
    return next(f for f in doc["findings"] if f["code"] == code)


def test_item3_dashboard_inbox_and_sa101_say_one_number(cli, demo_ws):
    """The dashboard's requests to answer are SA101's unanswered requests plus those still in
    the reply window, said in the same words on both; marking one handled in the dashboard's
    inbox moves it out of SA101's unanswered count into `handled_elsewhere`."""
    import re

    from fastapi.testclient import TestClient

    from socialaudit.web import create_app

    before = audit_json(cli, demo_ws, "--no-save")
    sa101 = _finding(before, "SA101")
    overdue, pending = sa101["figures"]["unanswered_requests"], sa101["figures"]["pending_requests"]
    words = f"{overdue} overdue" + (f" + {pending} within the reply window" if pending else "")
    assert any("within the reply window" in n for n in sa101["notes"]) == bool(pending)

    base = "http://127.0.0.1:8765"
    client = TestClient(create_app(demo_ws), base_url=base)
    code, _, err = cli("audit", "-w", demo_ws)  # a stored audit for the dashboard
    assert code in (0, 1), err
    page = client.get("/").text
    assert f"<strong>{overdue + pending}</strong>requests to answer ({words})" in page
    assert "the same messages as the audit's SA101" in page
    inbox = json.loads(cli("inbox", "--format", "json", "-w", demo_ws)[1])
    assert inbox["overdue"] == overdue and inbox["within_reply_window"] == pending
    assert inbox["open"]["answer"] == overdue + pending

    oldest = sa101["evidence"][0]["message_id"]
    form_token = re.search(r'name="csrf" value="([^"]+)"', client.get("/inbox").text).group(1)
    r = client.post(
        "/inbox/act",
        data={
            "csrf": form_token,
            "platform": "x",
            "message_id": oldest,
            "action": "handled",
            "note": "answered by phone",
            "kind": "answer",
        },
        headers={"Origin": base},
        follow_redirects=False,
    )
    assert r.status_code == 303
    after = _finding(audit_json(cli, demo_ws, "--no-save"), "SA101")
    assert after["figures"]["unanswered_requests"] == overdue - 1
    assert after["figures"]["handled_elsewhere"] == 1
    assert oldest not in [e["message_id"] for e in after["evidence"]]


# -- item 4: exports from different days, each judged against its own date -----------------------


@pytest.mark.realdata
def test_item4_two_archives_from_different_days_are_each_judged_on_their_own_date(cli, tmp_path):
    """Two X archives downloaded months apart in one workspace: each account's days since its
    last post are what they are when it is audited alone (its archive's generationDate), not
    measured from the other archive's newest message; `--as-of` judges both from one day."""
    from conftest import shared_path

    alone = {}
    for name in ("alrocar", "andreruffert"):
        ws = str(tmp_path / name)
        assert cli("import", str(shared_path("export_x_archive", name)), "-w", ws)[0] == 0
        sa201 = _finding(audit_json(cli, ws, "--no-save"), "SA201")
        alone.update(sa201["per_account"])
    both = str(tmp_path / "both")
    for name in ("alrocar", "andreruffert"):
        assert cli("import", str(shared_path("export_x_archive", name)), "-w", both)[0] == 0
    together = _finding(audit_json(cli, both, "--no-save"), "SA201")["per_account"]
    assert len(alone) == 2
    for acct, figures in alone.items():
        assert together[acct]["days_since_last_post"] == figures["days_since_last_post"], acct
    fixed = _finding(audit_json(cli, both, "--no-save", "--as-of", "2022-12-31"), "SA201")
    assert any("2022-12-31" in n and "as_of" in n for n in fixed["notes"]), fixed["notes"]
    assert fixed["per_account"] != together
    code, _, err = cli("audit", "--as-of", "31/12/2022", "-w", both)
    assert code == 2 and "--as-of '31/12/2022': expected a date like 2024-01-31" in err


# -- item 7: evidence and messages read like sentences, not debug output --------------------------


DEBUG_WORDS = ("None", "False", "True", "['", "n/a/100", "nan")


def test_item7_reports_hold_no_debug_output(cli, demo_ws, tmp_path):
    """No "None", "False", Python list syntax or "n/a/100" in the text and Markdown reports; ROI
    is a percentage (one formatter, units.figure); an annualised spend says so."""
    import re

    from socialaudit.units import figure

    assert figure("roi", -0.59) == "-59%" and figure("example_ids", ["a", "b"]) == "a, b"
    assert figure("reachable", False) == "no" and figure("last_post_at", None) == "n/a"
    for fmt in ("text", "markdown"):
        code, out, err = cli("audit", "--format", fmt, "--no-save", "-w", demo_ws)
        assert code in (0, 1), err
        for word in DEBUG_WORDS:
            assert not re.search(rf"(?<![\w']){re.escape(word)}(?!\w)", out), (fmt, word)
    sa505 = _finding(audit_json(cli, demo_ws, "--no-save"), "SA505")
    assert "for a year at that rate" in sa505["message"]
    assert any("scaled to a year" in n for n in sa505["notes"])
    from socialaudit.workspace import Workspace

    empty = tmp_path / "empty"
    Workspace.open(empty).close()
    code, out, err = cli("audit", "--format", "text", "--no-save", "-w", str(empty))
    assert code in (0, 1), err
    assert "n/a/100" not in out and "Health score: not computed" in out


# -- item 9: hints name what exists ---------------------------------------------------------------


@pytest.mark.realdata
def test_item9_hints_name_what_exists_and_never_the_file_just_imported(cli, tmp_path):
    """A TWCS import with --brand says that the format does not read it and what does; the
    SpotifyCares file (the customers' side only) makes the care checks unknown without asking
    for the TWCS file just imported; the hints name `connect` and `sync`, which exist; the
    inbox says there are no customer messages rather than "nothing to answer"."""
    from conftest import shared_path

    path = shared_path("twcs", "spotifycares_support_requests.csv")
    ws = str(tmp_path / "spotify")
    code, _, err = cli("import", str(path), "--brand", "SpotifyCares", "-w", ws)
    assert code == 0, err
    assert "--brand SpotifyCares is not used by a TWCS file" in " ".join(err.split())
    Path(ws, "socialaudit.toml").write_text('[brand]\naccounts = ["x:SpotifyCares"]\n')
    doc = audit_json(cli, ws, "--no-save")
    for code in ("SA101", "SA102", "SA103", "SA201"):
        f = _finding(doc, code)
        assert f["verdict"] == "unknown", (code, f["message"])
        assert "platform API import" not in " ".join(f["needs"])
    sa101 = _finding(doc, "SA101")
    care = " ".join(sa101["needs"])
    assert "socialaudit connect" in care and "socialaudit sync" in care
    # What is missing is the brand's own side, not more of the customers' messages just imported.
    assert "messages the brand wrote itself" in sa101["message"]
    assert "messages from customers" not in care and "customers' rows" not in care, care

    archive = str(tmp_path / "archive")
    assert (
        cli("import", str(shared_path("export_x_archive", "andreruffert")), "-w", archive)[0] == 0
    )
    code, out, _ = cli("inbox", "-w", archive)
    out = " ".join(out.split())  # the terminal wraps lines
    assert "No customer messages in this workspace" in out and "socialaudit connect" in out
