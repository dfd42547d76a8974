#!/usr/bin/env python3
"""The same audit on DuckDB and on Spark local[2], on a TWCS file scaled to N rows, in the
same run: seconds, CPU seconds and peak memory of each, and whether the findings are the same.

    .venv/bin/python bench/spark.py --rows 300000 3000000 [--keep DIR]

Per size: the scaled file is imported (`socialaudit import`, labels included) and exported to
the warehouse (`socialaudit export --parquet`); then, each in its own process:

* duckdb: `socialaudit audit --format json --no-save` (all 25 checks);
* spark: `socialaudit audit --engine spark --format json --no-save` on a local[2] session
  (the JVM's start included: that is what a command pays).

Peak memory is the largest process's (os.wait4: the Python process or the JVM it starts). The
machine is shared: the load average before each size is printed. Timings are never asserted.
Needs pyspark (the extra [spark]), Java 17, ../shared/bench (the scaler) and ../shared/data.
"""

from __future__ import annotations

import argparse
import json
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


def run(cmd: list[str], out: Path | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of a command in its own process."""
    t0 = time.perf_counter()
    with open(out or os.devnull, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE)
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: an audit with a failing check
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{err[-2000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def findings(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["findings"]


def bench(rows: int, work: Path) -> list[tuple[str, int, float, float, float, str]]:
    csv = work / f"twcs_{rows}.csv"
    subprocess.run(
        [PY, str(SHARED / "bench" / "scale_twcs.py"), "--rows", str(rows), "--out", str(csv)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ws = work / f"ws_{rows}"
    run([SA, "import", str(csv), "--workspace", str(ws)])
    run([SA, "export", "--parquet", str(ws / "warehouse"), "--workspace", str(ws)])
    out = []
    reports = {}
    for engine in ("duckdb", "spark"):
        report = work / f"audit_{rows}_{engine}.json"
        cmd = [SA, "audit", "--format", "json", "--no-save", "--workspace", str(ws)]
        s, cpu, rss = run([*cmd, "--engine", engine], report)
        reports[engine] = findings(report)
        out.append((engine, rows, s, cpu, rss, ""))
    same = "yes" if reports["duckdb"] == reports["spark"] else "NO"
    out[-1] = (*out[-1][:5], same)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[300_000, 3_000_000])
    ap.add_argument("--keep", help="work in this folder instead of a temporary one")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sa-bench-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'engine':<8} {'rows':>10} {'seconds':>9} {'cpu s':>9} {'peak MiB':>9}  same findings")
    try:
        for rows in args.rows:
            print(f"# load average before {rows:,} rows: {os.getloadavg()[0]:.1f}", flush=True)
            for engine, n, s, cpu, rss, same in bench(rows, work):
                print(f"{engine:<8} {n:>10,} {s:>9.1f} {cpu:>9.1f} {rss:>9.0f}  {same}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
