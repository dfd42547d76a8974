"""Labelling is its own stage, between import and audit: the checks only read.

* An audit of an unchanged, labelled workspace writes nothing but its own history row: the
  labels and every other stored table are row for row what they were, a person's label fix
  included (applying a fix again writes nothing).
* The checks, run without the stage, leave the labels table as they found it (empty here).
* No check module imports the labelling stage, and `text/` (pure understanding: texts in,
  labels out) imports neither the workspace, the config nor the stage.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from socialaudit.audit import run_check
from socialaudit.checks import AuditContext, load_registry
from socialaudit.config import load_config
from socialaudit.demo import PLANTED, build_demo
from socialaudit.workspace import Workspace


def stored_tables(root: Path) -> dict[str, pa.Table]:
    """Every table stored in the workspace's database (temporary ones aside), rows sorted."""
    with Workspace.open(root, create=False) as ws:
        names = ws.sql(
            "select table_name from duckdb_tables() where not temporary order by table_name"
        )["table_name"].to_pylist()
        return {n: ws.sql(f'select * from "{n}" order by all') for n in names}


def files(root: Path) -> dict[str, bytes]:
    """The workspace's files other than the database (config, models)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.name.startswith("socialaudit.duckdb")
    }


def test_an_audit_of_an_unchanged_labelled_workspace_writes_only_its_history_row(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "demo"
    assert cli("demo", "--workspace", str(root), "--format", "json")[0] == 0
    # A person's fix, so that the fixes are applied again on every labelling.
    praise = PLANTED["SA103"][0]
    assert cli("label", praise, "--intent", "complaint", "-w", str(root))[0] == 0
    code, _, err = cli("audit", "--format", "json", "-w", str(root))
    assert code == 1, err
    before, before_files = stored_tables(root), files(root)
    assert before["labels"].num_rows == before["messages"].num_rows > 0

    # Every write of the workspace goes through these two; rewriting a row with the same
    # values is a write too, which comparing the tables alone would not see.
    written: list[str] = []
    replace, delete = Workspace._replace, Workspace.delete_rows

    def spy_replace(self, con, spec, *args, **kwargs):
        written.append(spec.name)
        return replace(self, con, spec, *args, **kwargs)

    def spy_delete(self, name, *args, **kwargs):
        written.append(name)
        return delete(self, name, *args, **kwargs)

    monkeypatch.setattr(Workspace, "_replace", spy_replace)
    monkeypatch.setattr(Workspace, "delete_rows", spy_delete)
    code, _, err = cli("audit", "--format", "json", "-w", str(root))
    assert code == 1, err
    monkeypatch.undo()
    after, after_files = stored_tables(root), files(root)

    assert written == ["audits"]

    assert set(after) == set(before)
    changed = [n for n in before if n != "audits" and not after[n].equals(before[n])]
    assert changed == [], f"the audit wrote to {changed}"
    assert after["audits"].num_rows == before["audits"].num_rows + 1
    old = set(before["audits"]["audit_id"].to_pylist())
    assert old <= set(after["audits"]["audit_id"].to_pylist())  # history only grows
    assert after_files == before_files


def test_the_checks_alone_never_write_labels(tmp_path: Path) -> None:
    ws = build_demo(tmp_path / "demo")
    with ws:
        ws.delete_rows("labels", "true", [])
        before = {n: ws.sql(f'select * from "{n}" order by all') for n in ("labels", "messages")}
        ctx = AuditContext(ws, load_config(ws.config_path))
        registry = load_registry()
        findings = [run_check(c, ctx, c.default_options()) for c in registry.all()]
        assert [f.code for f in findings if f.verdict == "error"] == []
        assert ws.count("labels") == 0
        for name, table in before.items():
            assert ws.sql(f'select * from "{name}" order by all').equals(table)


def _imported_after(code: str) -> set[str]:
    """The socialaudit modules loaded by running `code` in a fresh interpreter."""
    script = (
        code + "\nimport sys\n"
        "print('\\n'.join(m for m in sys.modules if m.startswith('socialaudit')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_no_check_imports_the_labelling_stage() -> None:
    loaded = _imported_after(
        "from socialaudit.checks import load_registry\n"
        "r = load_registry()\nassert not r.load_errors, r.load_errors\n"
        "[c.code for c in r.all()]"
    )
    assert any(m.startswith("socialaudit.checks.") for m in loaded)
    assert "socialaudit.labelling" not in loaded


def test_text_understanding_is_texts_in_labels_out() -> None:
    loaded = _imported_after(
        "from socialaudit.text import classify\nclassify(['@acme where is my order?'], [False])"
    )
    for layer in ("socialaudit.workspace", "socialaudit.config", "socialaudit.labelling"):
        assert layer not in loaded


def test_socialaudit_label_runs_the_stage_and_fixes_name_the_platform_flag(
    cli, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from socialaudit import model
    from socialaudit.workspace import ImportBatch

    root = tmp_path / "ws"
    when = datetime(2024, 3, 1, tzinfo=UTC)
    msgs = [
        {"platform": p, "id": "7", "author": "u", "from_brand": False, "kind": "mention",
         "text": "@acme where is my parcel?", "created_at": when}
        for p in ("x", "mastodon")
    ]  # fmt: skip
    with Workspace.open(root) as ws:
        ws.write(ImportBatch("t", "test", {"messages": model.to_table(model.MESSAGES, msgs)}))
        assert ws.count("labels") == 0  # the library's write imports, it does not label
    code, _, err = cli("label", "-w", str(root))
    assert code == 0, err
    assert "labelled 2 of 2 messages" in err
    code, _, err = cli("label", "-w", str(root))
    assert code == 0 and "all 2 messages are labelled" in err
    code, _, err = cli("label", "--intent", "complaint", "-w", str(root))
    assert code == 2 and "give the id of the message" in err
    code, _, err = cli("label", "7", "--intent", "complaint", "-w", str(root))
    assert code == 2 and "several platforms (mastodon, x)" in err and "pass --platform" in err
    code, _, err = cli("label", "7", "--intent", "angry", "--platform", "x", "-w", str(root))
    assert code == 2 and "intent label 'angry': expected one of" in err
