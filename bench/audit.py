#!/usr/bin/env python3
"""Import and audit a TWCS file scaled to N rows, stage by stage, beside the peer's pandas+VADER
script on the same file in the same run. Prints rows per second and peak memory (RSS) per stage.

    .venv/bin/python bench/audit.py --rows 300000 3000000 [--keep DIR]

Each stage runs in its own process, so its peak memory is its own (os.wait4 rusage). Needs
../shared/bench (the scaler and the peer script) and ../shared/data/twcs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PY = sys.executable
SA = str(Path(PY).with_name("socialaudit"))


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float, str]:
    """Run a command; return (seconds, peak RSS in MiB, stderr tail)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # audit exits 1 when a check fails: that is a result, not an error
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{err[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, err.strip().splitlines()[-1] if err.strip() else ""


LABEL = (
    "import sys; from socialaudit.workspace import Workspace; from socialaudit.labelling import label_workspace; "
    "ws = Workspace.open(sys.argv[1], create=False); print(label_workspace(ws), file=sys.stderr)"
)
CONVERSATION = (
    "import sys; from socialaudit.workspace import Workspace; from socialaudit.config import Config; "
    "from socialaudit import conversation as c; ws = Workspace.open(sys.argv[1], create=False); "
    "p = c.addressed_pairs(ws, c.brand_accounts(ws, Config())); print(p.count().execute(), file=sys.stderr)"
)


def bench(rows: int, workdir: Path) -> list[tuple[str, int, float, float]]:
    csv_path = workdir / f"twcs_{rows}.csv"
    ws = workdir / f"ws_{rows}"
    subprocess.run(
        [PY, str(SHARED / "bench" / "scale_twcs.py"), "--rows", str(rows), "--out", str(csv_path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    out = []
    stages = [
        ("import (read + write)", [SA, "import", str(csv_path), "--workspace", str(ws)]),
        ("conversations (addressed pairs)", [PY, "-c", CONVERSATION, str(ws)]),
        ("labels (text understanding)", [PY, "-c", LABEL, str(ws)]),
        (
            "audit --select SA1 (labels cached)",
            [SA, "audit", "--select", "SA1", "--format", "json", "--workspace", str(ws)],
        ),
        (
            "peer: pandas + VADER script",
            [PY, str(SHARED / "bench" / "peer_pandas_vader.py"), str(csv_path)],
        ),
    ]
    for name, cmd in stages:
        seconds, rss, _ = run(cmd)
        out.append((name, rows, seconds, rss))
    csv_path.unlink()
    shutil.rmtree(ws, ignore_errors=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[300_000, 3_000_000])
    ap.add_argument("--keep", help="work in this folder instead of a temporary one")
    a = ap.parse_args()
    workdir = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="sa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  workdir: {workdir}")
    print(f"{'stage':<36} {'rows':>10} {'seconds':>9} {'rows/s':>11} {'peak MiB':>9}")
    for rows in a.rows:
        for name, n, seconds, rss in bench(rows, workdir):
            print(
                f"{name:<36} {n:>10,} {seconds:>9.1f} {n / seconds:>11,.0f} {rss:>9,.0f}",
                flush=True,
            )
    if not a.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
