"""The Spark audits of tests/test_spark.py, started as soon as the test session has collected
them, in a process of their own, so that the minutes a local Spark session spends on hundreds of
small jobs overlap the rest of the suite instead of adding to it (CI has 30 minutes).

    python tests/spark_early.py OUT [TWCS_CSV]

builds the demo workspace in OUT/demo and imports TWCS_CSV into OUT/twcs (through the command
line, as a user would), then audits each with `socialaudit audit --engine spark --format json`
into OUT/<name>.json (and OUT/grocers, a copy of OUT/twcs with a `[brands.grocers]` entry, with
`--brand grocers`: one brand of a multi-brand workspace); OUT/<name>.log keeps what each command printed on stderr and OUT/<name>.rc
its exit code; OUT/finished is written last, however it ends. The tests audit the same
workspaces on DuckDB themselves and compare.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

EXE = str(Path(sys.executable).with_name("socialaudit"))


def _run(out: Path, name: str, *args: str) -> int:
    with open(out / f"{name}.log", "a") as log:
        started = time.monotonic()
        done = subprocess.run([EXE, *args], stdout=subprocess.PIPE, stderr=log, check=False)
        log.write(f"[{name}: exit {done.returncode} after {time.monotonic() - started:.0f} s]\n")
    if done.returncode in (0, 1) and "--format" in args:
        (out / f"{name}.json").write_bytes(done.stdout)
    return done.returncode


# One brand of the TWCS slice (tests/test_portfolio.py audits it on DuckDB the same way).
GROCERS = '\n[brands.grocers]\naccounts = ["x:Tesco", "x:sainsburys"]\nname = "UK grocers"\n'


def main(out: Path, twcs: Path | None) -> None:
    from socialaudit.demo import build_demo

    jobs: list[tuple[str, Path, tuple[str, ...]]] = []
    build_demo(out / "demo").close()
    jobs.append(("demo", out / "demo", ()))
    if twcs is not None:
        rc = _run(out, "twcs", "import", str(twcs), "--workspace", str(out / "twcs"))
        if rc != 0:
            (out / "twcs.rc").write_text(str(rc))
        else:
            shutil.copytree(out / "twcs", out / "grocers")
            with open(out / "grocers" / "socialaudit.toml", "a", encoding="utf-8") as config:
                config.write(GROCERS)
            jobs.append(("twcs", out / "twcs", ()))
            jobs.append(("grocers", out / "grocers", ("--brand", "grocers")))
    for name, ws, extra in jobs:
        args = ("audit", "--format", "json", "--no-save", "--engine", "spark", *extra)
        rc = _run(out, name, *args, "--workspace", str(ws))
        (out / f"{name}.rc").write_text(str(rc))


if __name__ == "__main__":
    try:
        main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    finally:
        (Path(sys.argv[1]) / "finished").touch()
