#!/usr/bin/env python3
"""The same audit on DuckDB and on Spark local[2], on a TWCS file scaled to N rows, in the
same run: seconds, CPU seconds and peak memory of each, and whether the findings are the same.

    .venv/bin/python bench/spark.py --rows 300000 3000000 [--keep DIR]

Per size: the scaled file is imported (`socialaudit import`, labels included) and exported to
the warehouse (`socialaudit export --parquet`); then, each in its own process:

* duckdb: `socialaudit audit --format json --no-save` (all 25 checks);
* spark: `socialaudit audit --engine spark --format json --no-save` on a local[2] session
  (the JVM's start included: that is what a command pays).

CPU and peak memory are given twice: the Python process's (os.wait4) and the JVM's. pyspark
does not reap the JVM it starts (it outlives the Python process by a moment and is reparented),
so os.wait4 never counts it: the JVM's peak resident memory (VmHWM) and CPU seconds are read
from /proc every half second while the command runs, for every java process under it. The
machine is shared: the load average before each size is printed. Timings are never asserted.
Needs pyspark (the extra [spark]), Java 17, ../shared/bench (the scaler) and ../shared/data.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PY = sys.executable
SA = str(Path(PY).with_name("socialaudit"))


class JvmSampler(threading.Thread):
    """Peak resident memory (MiB) and CPU seconds of the java processes under one process."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak: dict[int, float] = {}  # pid -> VmHWM in MiB
        self.cpu: dict[int, float] = {}  # pid -> utime + stime in seconds (last sample)
        self.done = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")

    def descendants(self) -> list[int]:
        parent: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                parent[int(entry)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        found, frontier = [], [self.root]
        while frontier:
            pid = frontier.pop()
            children = [c for c, p in parent.items() if p == pid]
            found += children
            frontier += children
        # once the Python process is gone its JVM is reparented: keep following the pids seen
        return found + [pid for pid in self.peak if pid in parent and pid not in found]

    def sample(self) -> None:
        for pid in self.descendants():
            try:
                if Path(f"/proc/{pid}/comm").read_text().strip() != "java":
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text()
            except OSError:
                continue
            hwm = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
            if hwm:
                self.peak[pid] = max(self.peak.get(pid, 0.0), int(hwm.group(1)) / 1024)
            fields = stat[stat.rindex(")") + 2 :].split()
            self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self.tick

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.sample()


def run(cmd: list[str], out: Path | None = None) -> tuple[float, float, float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of a command in its own process, then the
    CPU seconds and peak RSS (MiB) of the JVM it started (0 when none)."""
    t0 = time.perf_counter()
    with open(out or os.devnull, "wb") as sink, tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=errors)
        jvm = JvmSampler(proc.pid)
        jvm.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        # the JVM exits just after the driver: a few more samples catch its last CPU seconds
        for _ in range(10):
            jvm.sample()
            if not any(Path(f"/proc/{pid}").exists() for pid in jvm.peak):
                break
            time.sleep(0.5)
        jvm.done.set()
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: an audit with a failing check
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{err[-2000:]}")
    return (
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        sum(jvm.cpu.values()),
        max(jvm.peak.values(), default=0.0),
    )


def findings(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["findings"]


Row = tuple[str, int, float, float, float, float, float, str]


def bench(rows: int, work: Path) -> Iterator[Row]:
    """One row per engine, each as soon as it is measured (a long run shows how far it got)."""
    csv = work / f"twcs_{rows}.csv"
    subprocess.run(
        [PY, str(SHARED / "bench" / "scale_twcs.py"), "--rows", str(rows), "--out", str(csv)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    ws = work / f"ws_{rows}"
    run([SA, "import", str(csv), "--workspace", str(ws)])
    run([SA, "export", "--parquet", str(ws / "warehouse"), "--workspace", str(ws)])
    reports = {}
    for engine in ("duckdb", "spark"):
        report = work / f"audit_{rows}_{engine}.json"
        cmd = [SA, "audit", "--format", "json", "--no-save", "--workspace", str(ws)]
        s, cpu, rss, jvm_cpu, jvm_rss = run([*cmd, "--engine", engine], report)
        reports[engine] = findings(report)
        same = "" if engine == "duckdb" else "yes" if reports["duckdb"] == reports[engine] else "NO"
        yield (engine, rows, s, cpu, rss, jvm_cpu, jvm_rss, same)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[300_000, 3_000_000])
    ap.add_argument("--keep", help="work in this folder instead of a temporary one")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="sa-bench-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    print(
        f"{'engine':<8} {'rows':>10} {'seconds':>9} {'cpu s':>9} {'peak MiB':>9}"
        f" {'JVM cpu s':>10} {'JVM MiB':>8}  same findings"
    )
    try:
        for rows in args.rows:
            print(f"# load average before {rows:,} rows: {os.getloadavg()[0]:.1f}", flush=True)
            for engine, n, s, cpu, rss, jvm_cpu, jvm_rss, same in bench(rows, work):
                print(
                    f"{engine:<8} {n:>10,} {s:>9.1f} {cpu:>9.1f} {rss:>9.0f}"
                    f" {jvm_cpu:>10.1f} {jvm_rss:>8.0f}  {same}",
                    flush=True,
                )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
