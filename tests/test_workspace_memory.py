"""DuckDB's memory in a workspace: capped by default (a 3 M message audit took 4.8 GB without a
cap), changed with SOCIALAUDIT_MEMORY_LIMIT, spilling to a folder only the owner can read
(spilled blocks hold customers' messages), which is gone again when the workspace is closed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from socialaudit.workspace import DEFAULT_MEMORY_LIMIT, MEMORY_LIMIT_ENV, SPILL_DIR, Workspace


def setting(ws: Workspace, name: str) -> str:
    return str(ws.sql("select current_setting(?) as v", [name])["v"][0].as_py())


def test_the_default_limit_and_the_variable(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv(MEMORY_LIMIT_ENV, raising=False)
    with Workspace.open(tmp_path / "ws") as ws:
        assert DEFAULT_MEMORY_LIMIT == "1GB"
        assert setting(ws, "memory_limit") == "953.6 MiB"  # DuckDB's 1GB is 10^9 bytes
        assert setting(ws, "temp_directory") == str(tmp_path / "ws" / SPILL_DIR)
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "512MB")
    with Workspace.open(tmp_path / "ws", read_only=True) as ws:
        assert setting(ws, "memory_limit") == "488.2 MiB"


def test_the_spill_folder_is_private_and_goes_with_the_workspace(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    with Workspace.open(root):
        mode = stat.S_IMODE((root / SPILL_DIR).stat().st_mode)
        assert mode == 0o700, oct(mode)
    assert sorted(p.name for p in root.iterdir()) == ["socialaudit.duckdb", "socialaudit.toml"]


def test_a_query_larger_than_the_limit_spills_and_gives_the_same_answer(
    tmp_path: Path, monkeypatch
) -> None:
    # A sort of 2 M rows of 100 bytes (about 200 MB) under a 64 MB limit: DuckDB must spill.
    query = (
        "select count(*) as n, sum(hash(s) % 1000) as h from "
        "(select i, repeat(chr(65 + (i % 26)::int), 100) || i::varchar as s "
        "from range(2000000) t(i) order by s desc)"
    )
    with Workspace.open(tmp_path / "big") as ws:
        expected = ws.sql(query).to_pylist()
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "64MB")
    with Workspace.open(tmp_path / "small") as ws:
        assert ws.sql(query).to_pylist() == expected  # not "Out of Memory": it spilled
    assert expected[0]["n"] == 2_000_000


@pytest.mark.parametrize("value", ["lots", "-3GB", "0"])
def test_a_bad_limit_is_one_line_and_exit_2(cli, tmp_path: Path, monkeypatch, value: str) -> None:
    Workspace.open(tmp_path / "ws").close()
    monkeypatch.setenv(MEMORY_LIMIT_ENV, value)
    code, _, err = cli("status", "--workspace", str(tmp_path / "ws"))
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert f"{MEMORY_LIMIT_ENV}={value!r}" in lines[0] and "a size like 1GB" in lines[0]
