#!/usr/bin/env python3
"""How long a user waits for the first commands: wall time of `socialaudit --help`, `--version`,
`status` and `audit` on the demo workspace, several runs each, beside the interpreter's own start
(`python -c pass`, the floor no command can go under) in the same run.

    .venv/bin/python bench/startup.py [--runs 7] [--workspace DIR] [--imports]

Each command runs in a fresh process, as a user's would; the table gives the median, the fastest
and the slowest run. --imports adds, per command, the modules that took longest to import
(`python -X importtime`, cumulative), which is where a slow start comes from.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
SA = str(Path(PY).with_name("socialaudit"))


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds: user + system) of one run. The CPU time is the steadier
    figure on a machine that others share: waiting for a core counts in the wall time only."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # audit exits 1 when a check fails: a result, not an error
        raise SystemExit(
            f"{' '.join(cmd)} failed with {code}:\n{err.decode(errors='replace')[-2000:]}"
        )
    return seconds, usage.ru_utime + usage.ru_stime


def slowest_imports(args: list[str], env: dict[str, str], top: int = 6) -> list[tuple[str, float]]:
    """The top-level packages with the largest cumulative import time, in seconds."""
    code = "import sys; from socialaudit.cli import main; sys.argv = ['socialaudit', *sys.argv[1:]]; main()"
    proc = subprocess.run(
        [PY, "-X", "importtime", "-c", code, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    totals: dict[str, float] = {}
    for line in proc.stderr.decode(errors="replace").splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if not cumulative.isdigit() or name.startswith(" "):
            continue
        if "." not in name:  # top-level packages only: their figure includes their submodules
            totals[name] = max(totals.get(name, 0.0), int(cumulative) / 1e6)
    return sorted(totals.items(), key=lambda kv: -kv[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    parser.add_argument(
        "--workspace", type=Path, help="a demo workspace to reuse (default: build one in /tmp)"
    )
    parser.add_argument("--imports", action="store_true", help="show the slowest imports too")
    args = parser.parse_args()

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("SOCIALAUDIT_WORKSPACE", None)
    with tempfile.TemporaryDirectory(prefix="sa-startup-") as tmp:
        ws = args.workspace or Path(tmp) / "demo"
        if args.workspace is None:
            subprocess.run([SA, "demo", "-w", str(ws)], check=True, capture_output=True, env=env)
        version = subprocess.run([SA, "--version"], capture_output=True, env=env)
        commands: list[tuple[str, list[str]]] = [
            ("python -c pass (floor)", [PY, "-c", "pass"]),
            ("socialaudit --help", [SA, "--help"]),
        ]
        if version.returncode == 0:  # --version exists from issue 16 on
            commands.append(("socialaudit --version", [SA, "--version"]))
        commands += [
            ("socialaudit status (demo)", [SA, "status", "-w", str(ws)]),
            ("socialaudit audit --no-save (demo)", [SA, "audit", "--no-save", "-w", str(ws)]),
        ]
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(
            f"{'command':<38} {'median s':>9} {'min s':>7} {'max s':>7} {'cpu s':>7}"
            f"   runs={args.runs} (cpu: median user+system)"
        )
        for label, cmd in commands:
            runs = [timed(cmd, env) for _ in range(args.runs)]
            wall = [w for w, _ in runs]
            cpu = statistics.median(c for _, c in runs)
            print(
                f"{label:<38} {statistics.median(wall):>9.2f} {min(wall):>7.2f} {max(wall):>7.2f}"
                f" {cpu:>7.2f}"
            )
        if args.imports:
            for label, cmd in commands[1:]:
                slow = slowest_imports(cmd[1:], env)
                shown = ", ".join(f"{name} {s:.2f}" for name, s in slow)
                print(f"slowest imports, {label}: {shown}")


if __name__ == "__main__":
    main()
