"""Shared fixtures. Real-data tests read ../shared/data: they skip when it is absent, except under
CI=true, where a missing folder is a failure (CI must test against the real data)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def shared_path(*parts: str) -> Path:
    """A path under ../shared/data; skips the test (or fails it under CI=true) when absent."""
    p = SHARED_DATA.joinpath(*parts)
    if not p.exists():
        msg = f"real data not found at {p} (the shared/ folder beside the project)"
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; under CI=true it must be present")
        pytest.skip(msg)
    return p


@pytest.fixture
def shared_data() -> Path:
    return shared_path()


@pytest.fixture
def workspace(tmp_path: Path):
    from socialaudit.workspace import Workspace

    ws = Workspace.open(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI in-process like a user would: returns (exit_code, stdout, stderr)."""
    import io
    import sys

    from socialaudit import cli as cli_module

    def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        monkeypatch.setattr(sys, "argv", ["socialaudit", *args])
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        if input is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        cli_module.state.workspace = None
        cli_module.state.debug = False
        monkeypatch.setattr(
            cli_module, "err_console", cli_module.make_err_console(file=err, width=200)
        )
        try:
            cli_module.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        return code, out.getvalue(), err.getvalue()

    return run


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the test servers this session started itself (tests/live.py), if any."""
    import sys

    live = sys.modules.get("tests.live")
    if live is not None:
        live.stop_started()
