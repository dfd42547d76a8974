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
    _stop_spark_audits()


# -- The Spark audits start early (tests/spark_early.py) ----------------------------------------

_SPARK_AUDITS: dict[str, object] = {}


def _spark_runs_here() -> bool:
    import importlib.util
    import shutil

    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the Spark side of test_spark.py's audit comparisons in the background as soon as
    they are collected (they take minutes on a local Spark session)."""
    import subprocess
    import sys
    import tempfile

    wanted = [i for i in session.items if "audits_the_same_on_spark" in i.nodeid]
    if not wanted or not _spark_runs_here():
        return
    out = Path(tempfile.mkdtemp(prefix="socialaudit-spark-"))
    twcs = SHARED_DATA / "twcs" / "twcs_head5000_multibrand.csv"
    args = [sys.executable, str(Path(__file__).with_name("spark_early.py")), str(out)]
    if twcs.exists():
        args.append(str(twcs))
    _SPARK_AUDITS["out"] = out
    # At the lowest priority: it has the whole suite's length to finish, and the suite, which
    # keeps about one core busy, must not wait for it.
    _SPARK_AUDITS["process"] = subprocess.Popen(
        ["nice", "-n", "19", *args], stdin=subprocess.DEVNULL
    )


def _stop_spark_audits() -> None:
    import shutil
    import subprocess

    process = _SPARK_AUDITS.pop("process", None)
    if isinstance(process, subprocess.Popen) and process.poll() is None:
        process.kill()
        process.wait()
    out = _SPARK_AUDITS.pop("out", None)
    if isinstance(out, Path):
        shutil.rmtree(out, ignore_errors=True)


def spark_audit(name: str) -> tuple[Path, dict]:
    """The workspace tests/spark_early.py made for `name` and its audit on Spark (waits for it).
    Fails with what the commands printed when the audit did not come out."""
    import json
    import subprocess
    import time

    process = _SPARK_AUDITS.get("process")
    out = _SPARK_AUDITS.get("out")
    if not isinstance(process, subprocess.Popen) or not isinstance(out, Path):
        pytest.fail("the early Spark audits were not started (tests/conftest.py)")
    rc_file, doc = out / f"{name}.rc", out / f"{name}.json"
    while not rc_file.exists() and process.poll() is None:
        time.sleep(1)
    log = (out / f"{name}.log").read_text() if (out / f"{name}.log").exists() else ""
    if not doc.exists():
        pytest.fail(f"the Spark audit of {name} did not come out (exit {process.poll()}):\n{log}")
    return out / name, json.loads(doc.read_text())
