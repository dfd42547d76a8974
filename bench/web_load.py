#!/usr/bin/env python3
"""Load the dashboard's pages on loopback and print requests per second and latencies.

    .venv/bin/python bench/web_load.py [--requests 300] [--threads 20] [--src DIR]

Builds the demo workspace in a temporary folder, starts `socialaudit serve` on 127.0.0.1 at a
free port, sends REQUESTS GETs of each page from THREADS threads at once (and, for the inbox,
the same number of form posts), then stops the server. Only loopback is ever contacted, and
every page has a time budget (--budget seconds): the script stops by itself when it runs out.
`--src DIR` runs another checkout's sources (its `src/`) with this environment, to print the
figures before and after a change in the same run conditions.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HOST = "127.0.0.1"
PAGES = ("/", "/inbox", "/report", "/lint")
CLI = "import sys; from socialaudit.cli import main; sys.argv[0] = 'socialaudit'; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 60.0) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": f"{HOST}:{port}"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def post(port: int, path: str, body: str, timeout: float = 60.0) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(
            "POST",
            path,
            body=body.encode(),
            headers={
                "Host": f"{HOST}:{port}",
                "Origin": f"http://{HOST}:{port}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        resp = conn.getresponse()
        resp.read()
        return resp.status
    finally:
        conn.close()


def load(
    label: str, call, requests: int, threads: int, budget: float
) -> tuple[str, int, int, float, float, float, float]:
    """Run `call()` `requests` times from `threads` threads; stop at `budget` seconds."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    left = [requests]
    deadline = time.monotonic() + budget

    def worker() -> None:
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if left[0] == 0:
                    return
                left[0] -= 1
            t0 = time.perf_counter()
            try:
                ok = call()
            except OSError:
                ok = False
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                errors += 0 if ok else 1

    start = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - start
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")

    return label, len(lat), errors, len(lat) / wall, pct(0.5), pct(0.95), lat[-1] if lat else 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--threads", type=int, default=20)
    ap.add_argument("--budget", type=float, default=120.0, help="seconds per page at most")
    ap.add_argument("--src", type=Path, help="run this checkout's src/ instead")
    args = ap.parse_args()

    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = str(args.src.resolve() / "src")
    env.pop("SOCIALAUDIT_WORKSPACE", None)
    with tempfile.TemporaryDirectory(prefix="web-load-") as tmp:
        ws = Path(tmp) / "demo"
        subprocess.run(
            [sys.executable, "-c", CLI, "demo", "--workspace", str(ws)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                CLI,
                "serve",
                "-w",
                str(ws),
                "--host",
                HOST,
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            for _ in range(600):
                try:
                    if get(port, "/lint", timeout=2)[0] == 200:
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("the dashboard did not start")
            _, page = get(port, "/inbox")
            token = re.search(rb'name="csrf" value="([^"]+)"', page)
            item = re.search(
                rb'name="platform" value="([^"]+)".*?name="message_id" value="([^"]+)"', page, re.S
            )
            print(
                f"{'page':<22} {'requests':>8} {'errors':>6} {'req/s':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
            )
            rows = []
            for path in PAGES:
                rows.append(
                    load(
                        f"GET {path}",
                        lambda path=path: get(port, path)[0] == 200,
                        args.requests,
                        args.threads,
                        args.budget,
                    )
                )
            if token and item:
                body = (
                    f"csrf={token.group(1).decode()}&platform={item.group(1).decode()}"
                    f"&message_id={item.group(2).decode()}&action=note&note=bench"
                )
                rows.append(
                    load(
                        "POST /inbox/act",
                        lambda: post(port, "/inbox/act", body) in (200, 303),
                        args.requests,
                        args.threads,
                        args.budget,
                    )
                )
            for label, n, errors, rps, p50, p95, worst in rows:
                print(
                    f"{label:<22} {n:>8} {errors:>6} {rps:>8.1f} {p50:>7.3f} {p95:>7.3f} {worst:>7.3f}"
                )
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    main()
