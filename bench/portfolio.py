#!/usr/bin/env python3
"""The portfolio on real data: split the TWCS slice into its 75 brands, then audit them all,
one process and several (`portfolio audit --jobs N`), printing wall and CPU seconds and the
machine's load (on a shared machine the load says what the wall times are worth).

    .venv/bin/python bench/portfolio.py [--jobs 1 2] [--select SA101 --select SA102]

Each stage runs as the installed `socialaudit` command in its own process (os.wait4 rusage:
CPU time of the command and its workers).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "twcs" / "twcs_head5000_multibrand.csv"
SA = str(Path(sys.executable).with_name("socialaudit"))


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and its children)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--select", action="append", default=[], help="checks to run (default: all)"
    )
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"{DATA}: not found", file=sys.stderr)
        return 2
    select = [a for code in args.select for a in ("--select", code)]
    print(f"{'stage':<34} {'wall s':>8} {'cpu s':>8}  load (1, 5, 15 min)")
    with tempfile.TemporaryDirectory(prefix="sa-bench-portfolio-") as tmp:
        brands = Path(tmp) / "brands"
        wall, cpu = run([SA, "split", str(DATA), "--into", str(brands)])
        print(f"{'split 4,558 rows into 75 brands':<34} {wall:8.1f} {cpu:8.1f}  {os.getloadavg()}")
        for jobs in args.jobs:
            cmd = [SA, "portfolio", "audit", str(brands), "--no-save", "--jobs", str(jobs), *select]
            wall, cpu = run(cmd)
            label = f"portfolio audit, --jobs {jobs}"
            print(f"{label:<34} {wall:8.1f} {cpu:8.1f}  {os.getloadavg()}")
    print(f"cores: {os.cpu_count()}; checks: {' '.join(args.select) or 'all'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
