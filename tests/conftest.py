"""Shared fixtures. Real-data tests read ../shared/data: they skip when it is absent, except under
CI=true, where a missing folder is a failure (CI must test against the real data)."""

from __future__ import annotations

import contextlib
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


# -- One test run, one or more processes -----------------------------------------------------
#
# The README's command runs the suite on every core (pytest-xdist, a file per worker at a time).
# What a run shares across its workers lives in one folder, made by the process that runs the
# session (the controller, or the only process without xdist) and handed to the workers through
# the environment: the early Spark audits (started once, by whichever worker collects first) and
# the test servers a run started itself (tests/live.py). The process that made the folder stops
# and removes what is in it, after the last worker has finished.

RUN_DIR_VARIABLE = "SOCIALAUDIT_TEST_RUN_DIR"
_OWNS_RUN_DIR: list[Path] = []


def run_dir() -> Path:
    """The folder this test run's processes share (see above)."""
    return Path(os.environ[RUN_DIR_VARIABLE])


def pytest_configure(config: pytest.Config) -> None:
    import tempfile

    if os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(RUN_DIR_VARIABLE):
        return
    made = Path(tempfile.mkdtemp(prefix="socialaudit-tests-"))
    os.environ[RUN_DIR_VARIABLE] = str(made)
    # The run's own user cache (compiled SQL, the linter's word weights): tests never read what
    # an earlier run or the user's own commands left there, nor write into the user's home.
    os.environ["XDG_CACHE_HOME"] = str(made / "cache")
    _OWNS_RUN_DIR.append(made)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """The run's owner stops what its processes started (test servers, Spark audits)."""
    import shutil

    if not _OWNS_RUN_DIR:
        return
    from tests import live

    live.stop_started(_OWNS_RUN_DIR[0])
    _stop_spark_audits(_OWNS_RUN_DIR[0])
    shutil.rmtree(_OWNS_RUN_DIR.pop(), ignore_errors=True)


# -- The Spark audits start early (tests/spark_early.py) ----------------------------------------


def _spark_runs_here() -> bool:
    import importlib.util
    import shutil

    return importlib.util.find_spec("pyspark") is not None and shutil.which("java") is not None


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the Spark side of test_spark.py's audit comparisons in the background as soon as
    they are collected (they take minutes on a local Spark session): once per run, by the first
    process to collect them."""
    import subprocess
    import sys

    wanted = [i for i in session.items if "audits_the_same_on_spark" in i.nodeid]
    if not wanted or not _spark_runs_here() or RUN_DIR_VARIABLE not in os.environ:
        return
    out = run_dir() / "spark"
    try:
        out.mkdir()  # atomic: the one worker that makes it starts the audits
    except FileExistsError:
        return
    twcs = SHARED_DATA / "twcs" / "twcs_head5000_multibrand.csv"
    args = [sys.executable, str(Path(__file__).with_name("spark_early.py")), str(out)]
    if twcs.exists():
        args.append(str(twcs))
    # Alone, the suite keeps about one core busy: the audits take the other, at the lowest
    # priority so that the suite never waits for them. With a worker per core they compete.
    nice = [] if os.environ.get("PYTEST_XDIST_WORKER") else ["nice", "-n", "19"]
    process = subprocess.Popen([*nice, *args], stdin=subprocess.DEVNULL, start_new_session=True)
    (out / "pid").write_text(str(process.pid))


def _stop_spark_audits(shared: Path) -> None:
    import signal

    pid_file = shared / "spark" / "pid"
    if not pid_file.exists():
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(int(pid_file.read_text()), signal.SIGKILL)


def spark_audit(name: str) -> tuple[Path, dict]:
    """The workspace tests/spark_early.py made for `name` and its audit on Spark (waits for it,
    whichever worker started it). Fails with what the commands printed when the audit did not
    come out."""
    import json
    import time

    out = run_dir() / "spark" if RUN_DIR_VARIABLE in os.environ else None
    if out is None or not (out / "pid").exists():
        pytest.fail("the early Spark audits were not started (tests/conftest.py)")
    rc_file, doc, finished = out / f"{name}.rc", out / f"{name}.json", out / "finished"
    deadline = time.monotonic() + 1800
    while not rc_file.exists() and not finished.exists() and time.monotonic() < deadline:
        time.sleep(1)
    log = (out / f"{name}.log").read_text() if (out / f"{name}.log").exists() else ""
    if not doc.exists():
        rc = rc_file.read_text() if rc_file.exists() else "none"
        pytest.fail(f"the Spark audit of {name} did not come out (exit {rc}):\n{log}")
    return out / name, json.loads(doc.read_text())
