#!/usr/bin/env python3
"""Import, label and audit a TWCS file scaled to N rows, stage by stage, beside the peer's
pandas+VADER script on the same file in the same run; then 10,000 new rows arrive and the
workspace is audited again. Prints seconds, CPU seconds, rows per second and peak memory (RSS)
per stage, and the issue's targets (met or not).

    .venv/bin/python bench/audit.py --rows 300000 3000000 [--keep DIR] [--no-peer] [--verify]
    .venv/bin/python bench/audit.py --rows 30000000 --no-peer      (figures only; needs ~25 GB disk)

Stages, each in its own process, so that its peak memory is its own (os.wait4 rusage):

* import: the library's read and write (what `socialaudit import` does before labelling);
* labels: the labelling stage (`label_workspace`);
* audit: `socialaudit audit -o report.html`, all 25 checks and the HTML report with its charts,
  stored in the history (labels are current, so it labels nothing);
* import +10,000: `socialaudit import` of 10,000 more rows (the same conversations continued:
  new replies to old messages, new customers), labels included;
* re-audit: `socialaudit audit -o report.html` again;
* peer: shared/bench/peer_pandas_vader.py on the same file (read, VADER, first responses).

`--verify` also imports both files into a new workspace and says whether its findings and charts
are the grown workspace's (what an incremental audit must give).

The machine is shared: the load average before each size is printed, and the ratios (against the
peer, re-audit against audit) are what counts on a loaded machine. Timings are never asserted.
Needs ../shared/bench (the scaler and the peer script) and ../shared/data/twcs.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PY = sys.executable
SA = str(Path(PY).with_name("socialaudit"))
NEW_ROWS = 10_000
# The targets of issue 13 (printed, never asserted).
TARGET_SECONDS = 15.0  # import + labels + audit, 3 M rows, quiet machine
TARGET_PEER_RATIO = 10.0
TARGET_RSS_MIB = 2048.0
TARGET_REAUDIT_SECONDS = 2.0
TARGET_REAUDIT_RATIO = 20.0


@dataclass
class Stage:
    name: str
    rows: int
    seconds: float
    cpu: float
    rss_mib: float
    tail: str = ""


def run(name: str, rows: int, cmd: list[str], env: dict[str, str] | None = None) -> Stage:
    """Run a command in its own process; its wall and CPU seconds and peak RSS. Any exit code
    but 0 stops the bench, except 1 from an audit (a failed check is a result, not an error)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0 and not (code == 1 and "audit" in cmd):
        raise SystemExit(f"{' '.join(cmd)} failed with {code}:\n{err[-2000:]}")
    lines = err.strip().splitlines()
    return Stage(
        name,
        rows,
        seconds,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        lines[-1] if lines else "",
    )


IMPORT = """
import sys
from pathlib import Path
from socialaudit.sources import plan_imports, read_input, write_batches
from socialaudit.workspace import Workspace
[(path, source)] = plan_imports(Path(sys.argv[1]), None).inputs
batch = read_input(path, source)
with Workspace.for_writing(sys.argv[2]) as ws:
    write_batches(ws, [batch])
    ws.compact()
print(batch.rows(), file=sys.stderr)
"""
LABEL = (
    "import sys; from socialaudit.workspace import Workspace; "
    "from socialaudit.labelling import label_workspace; "
    "ws = Workspace.open(sys.argv[1], create=False); print(label_workspace(ws), file=sys.stderr)"
)


def make_files(rows: int, workdir: Path) -> tuple[Path, Path]:
    """The scaled file of `rows` rows, and the NEW_ROWS rows that follow it (same header)."""
    full = workdir / f"twcs_{rows}_plus.csv"
    subprocess.run(
        [
            PY,
            str(SHARED / "bench" / "scale_twcs.py"),
            "--rows",
            str(rows + NEW_ROWS),
            "--out",
            str(full),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    base, new = workdir / f"twcs_{rows}.csv", workdir / f"twcs_{rows}_new.csv"
    # Records may span lines (quoted newlines): split on records, with the csv module.
    import csv

    with (
        full.open(newline="", encoding="utf-8") as f,
        base.open("w", newline="", encoding="utf-8") as b,
        new.open("w", newline="", encoding="utf-8") as n,
    ):
        reader = csv.reader(f)
        header = next(reader)
        wb, wn = csv.writer(b), csv.writer(n)
        wb.writerow(header)
        wn.writerow(header)
        for i, rec in enumerate(reader):
            (wb if i < rows else wn).writerow(rec)
    full.unlink()
    return base, new


def findings_of(ws: Path) -> list[dict]:
    out = subprocess.run(
        [SA, "audit", "--format", "json", "--no-save", "--workspace", str(ws)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"audit of {ws} failed:\n{out.stderr[-2000:]}")
    doc = json.loads(out.stdout)

    def today_free(value: object) -> object:
        # Figures counted up to today (SA201) move while the bench runs; as in tests/golden.
        if isinstance(value, dict):
            return {k: None if k.endswith("_today") else today_free(v) for k, v in value.items()}
        if isinstance(value, list):
            return [today_free(v) for v in value]
        return value

    return [today_free(doc["findings"]), doc.get("charts")]


def bench(rows: int, workdir: Path, peer: bool, verify: bool, keep: bool = False) -> list[Stage]:
    """The stages on `rows` rows in `workdir`. `keep`: leave the files and the workspace there
    (and a copy of the labelled workspace, before any audit, as `ws_{rows}_labelled`), so that
    a built workspace can be audited again without importing and labelling it anew."""
    csv_path, new_path = make_files(rows, workdir)
    ws = workdir / f"ws_{rows}"
    report = workdir / f"report_{rows}.html"
    stages = [
        ("import (read + write)", rows, [PY, "-c", IMPORT, str(csv_path), str(ws)]),
        ("labels", rows, [PY, "-c", LABEL, str(ws)]),
        ("audit (25 checks, HTML report)", rows, [SA, "audit", "-o", str(report), "-w", str(ws)]),
        (
            f"import +{NEW_ROWS:,} rows (+labels)",
            NEW_ROWS,
            [SA, "import", str(new_path), "-w", str(ws)],
        ),
        (
            "re-audit (25 checks, HTML report)",
            rows + NEW_ROWS,
            [SA, "audit", "-o", str(report), "-w", str(ws)],
        ),
    ]
    if peer:
        stages.append(
            (
                "peer: pandas + VADER script",
                rows,
                [PY, str(SHARED / "bench" / "peer_pandas_vader.py"), str(csv_path)],
            )
        )
    out = []
    for name, n, cmd in stages:
        out.append(run(name, n, cmd))
        print_stage(out[-1])
        if keep and name == "labels":
            labelled = workdir / f"ws_{rows}_labelled"
            shutil.rmtree(labelled, ignore_errors=True)
            shutil.copytree(ws, labelled)
    if verify:
        # The grown workspace audited from nothing: both files imported into a new workspace,
        # labelled and audited there; its findings and charts must be the re-audit's.
        fresh = workdir / f"ws_{rows}_fresh"
        subprocess.run(
            [SA, "import", str(csv_path), str(new_path), "-w", str(fresh)],
            check=True,
            capture_output=True,
        )
        same = findings_of(ws) == findings_of(fresh)
        print(
            f"  findings and charts of the grown workspace equal to those of a new workspace "
            f"with the same imports: {same}",
            flush=True,
        )
        shutil.rmtree(fresh, ignore_errors=True)
    if keep:
        return out
    csv_path.unlink()
    new_path.unlink()
    report.unlink(missing_ok=True)
    shutil.rmtree(ws, ignore_errors=True)
    return out


HEADER = f"{'stage':<38} {'rows':>11} {'seconds':>8} {'cpu s':>7} {'rows/s':>11} {'peak MiB':>9}"


def print_stage(s: Stage) -> None:
    print(
        f"{s.name:<38} {s.rows:>11,} {s.seconds:>8.1f} {s.cpu:>7.1f} {s.rows / s.seconds:>11,.0f} "
        f"{s.rss_mib:>9,.0f}",
        flush=True,
    )


def targets(rows: int, st: list[Stage]) -> None:
    by = {s.name.split(" (")[0].split(":")[0]: s for s in st}
    e2e = by["import"].seconds + by["labels"].seconds + by["audit"].seconds
    e2e_cpu = by["import"].cpu + by["labels"].cpu + by["audit"].cpu
    peak = max(s.rss_mib for s in st if not s.name.startswith("peer"))
    reaudit, audit = by["re-audit"], by["audit"]

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(
        f"  end to end (import + labels + audit): {e2e:.1f} s, {e2e_cpu:.1f} cpu s"
        + (
            f"  [target {TARGET_SECONDS:g} s on a quiet machine at 3 M: {mark(e2e <= TARGET_SECONDS)}]"
            if rows == 3_000_000
            else ""
        )
    )
    if "peer" in by:
        ratio = by["peer"].seconds / e2e
        print(
            f"  peer / socialaudit: {ratio:.1f}x wall, {by['peer'].cpu / e2e_cpu:.1f}x cpu"
            f"  [target {TARGET_PEER_RATIO:g}x: {mark(ratio >= TARGET_PEER_RATIO)}]; peer peak {by['peer'].rss_mib:,.0f} MiB"
        )
    print(
        f"  peak RSS of any socialaudit stage: {peak:,.0f} MiB  [target {TARGET_RSS_MIB:,.0f}: {mark(peak <= TARGET_RSS_MIB)}]"
    )
    r = audit.seconds / reaudit.seconds
    print(
        f"  re-audit: {reaudit.seconds:.2f} s, {audit.seconds / reaudit.seconds:.1f}x faster than the audit "
        f"({audit.cpu / max(reaudit.cpu, 1e-9):.1f}x in cpu)"
        f"  [targets {TARGET_REAUDIT_SECONDS:g} s: {mark(reaudit.seconds <= TARGET_REAUDIT_SECONDS)}, "
        f"{TARGET_REAUDIT_RATIO:g}x: {mark(r >= TARGET_REAUDIT_RATIO)}]",
        flush=True,
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[300_000, 3_000_000])
    ap.add_argument(
        "--keep",
        help="work in this folder instead of a temporary one, and leave the files and "
        "workspaces there (ws_N_labelled: the workspace before its first audit)",
    )
    ap.add_argument(
        "--no-peer",
        action="store_true",
        help="leave out the peer script (30 M rows do not fit pandas here)",
    )
    ap.add_argument(
        "--verify", action="store_true", help="compare the re-audit with an audit from scratch"
    )
    a = ap.parse_args()
    workdir = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="sa-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"cores: {os.cpu_count()}  python: {sys.version.split()[0]}  workdir: {workdir}")
    memory = os.environ.get("SOCIALAUDIT_MEMORY_LIMIT")
    if memory:
        print(f"SOCIALAUDIT_MEMORY_LIMIT={memory}")
    for rows in a.rows:
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\n{rows:,} rows; load average before: {load}")
        print(HEADER)
        st = bench(rows, workdir, peer=not a.no_peer, verify=a.verify, keep=bool(a.keep))
        load = " ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"  load average after: {load}")
        targets(rows, st)
    if not a.keep:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
