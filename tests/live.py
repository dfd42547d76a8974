"""Helpers for the tests against live servers (scripts/test-servers) and stand-ins.

`servers()` gives the NAME=URL map of the running test servers: from the environment when
.ci/run started them (BLUESKY_PDS, MASTODON), else by running `scripts/test-servers up` once per
session. When they cannot start, the tests that need them skip, saying why, except under
CI=true, where that is a failure.

`run`, `cli_env` and `care` run the CLI as a user runs it against them (or a stand-in), every
test module the same way.

`BlueskyScenario` plants a brand and its customers on the real local Bluesky network with the
official Python client: what they write and what the brand does are the ground truth the
tests compare the audit with.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tests.conftest import run_dir  # the folder this test run's processes share

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "test-servers"
EXE = str(Path(sys.executable).parent / "socialaudit")
OUTPUTS: list[str] = []  # everything the commands printed, for the checks that no secret shows
NEEDED = ("BLUESKY_PDS", "MASTODON")
_started: dict[str, str] | None = None
_failure: str | None = None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"test servers unavailable: {reason}; under CI=true they must run")
    pytest.skip(f"test servers unavailable: {reason} (start them with scripts/test-servers up)")


def servers() -> dict[str, str]:
    """The NAME=URL map of the test servers: those .ci/run or a person started, else started
    once per test run (by the first of its workers to need them; the others wait and share)."""
    global _started, _failure
    if all(os.environ.get(k) for k in NEEDED):
        return {k: v for k, v in os.environ.items() if k.startswith(("BLUESKY_", "MASTODON"))}
    if _started is not None:
        return _started
    if _failure is not None:
        _unavailable(_failure)
    shared = run_dir()
    with _locked(shared / "servers.lock"):
        if (shared / "servers.failed").exists():
            _failure = (shared / "servers.failed").read_text()
        elif (shared / "servers.started").exists():
            _started = _parse((shared / "servers.started").read_text())
        else:
            _started, _failure = _start_servers()
            if _started is not None:
                (shared / "servers.started").write_text(
                    "".join(f"{k}={v}\n" for k, v in _started.items())
                )
            elif _failure is not None:
                (shared / "servers.failed").write_text(_failure)
    if _started is None:
        _unavailable(_failure or "scripts/test-servers up gave nothing")
    return _started


def _start_servers() -> tuple[dict[str, str] | None, str | None]:
    """(servers, None) when they run, (None, why) when they cannot; servers a person started
    are used as they are (and not marked as this run's, so the run leaves them running)."""
    running = subprocess.run([str(SCRIPT), "env"], capture_output=True, text=True, check=False)
    if running.returncode == 0:
        found = _parse(running.stdout)
        if all(k in found for k in NEEDED):
            return found, None
    try:
        done = subprocess.run(
            [str(SCRIPT), "up"], capture_output=True, text=True, timeout=1800, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"scripts/test-servers up did not finish ({exc})"
    if done.returncode != 0:
        tail = " | ".join(done.stderr.strip().splitlines()[-3:])
        return None, f"scripts/test-servers up exited {done.returncode}: {tail}"
    found = _parse(done.stdout)
    missing = [k for k in NEEDED if k not in found]
    if missing:
        return None, f"scripts/test-servers up printed no {', '.join(missing)}"
    (run_dir() / "servers.ours").touch()
    return found, None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _parse(out: str) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in out.splitlines() if "=" in line and line[0].isupper()
    )


def stop_started(shared: Path) -> None:
    """Stop the servers this run started (not those .ci/run or a person started)."""
    if (shared / "servers.ours").exists():
        subprocess.run([str(SCRIPT), "down"], capture_output=True, timeout=120, check=False)


def wait_until(predicate, timeout: float = 30.0, what: str = "the condition") -> None:
    """Poll until `predicate()` is true: the AppView indexes the PDS's firehose a moment later."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def run(env: dict[str, str], *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    """`socialaudit ARGS` in `env`; asserts its exit code is `check` (None: any)."""
    done = subprocess.run(
        [EXE, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    OUTPUTS.extend([done.stdout, done.stderr])
    if check is not None:
        assert done.returncode == check, f"{args}: exit {done.returncode}\n{done.stderr}"
    return done


def one_clear_line(done: subprocess.CompletedProcess) -> str:
    """The one line a command that stops on bad input prints (its exit code is `run`'s check):
    no traceback, nothing else."""
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment the CLI runs in: no desktop keyring here, so credentials go to the 0600
    file under `home` (outside the workspace), and `extra` (the secret's variable, a page size)."""
    return {
        **os.environ,
        "SOCIALAUDIT_KEYRING": "off",
        "SOCIALAUDIT_CREDENTIALS_FILE": str(home / "credentials.json"),
        **extra,
    }


def findings(
    env: dict[str, str], ws: Path, select: str, out: Path | None = None
) -> dict[str, dict]:
    """The findings of `audit --format json --select SELECT` on `ws`, by code (written to `out`,
    else beside the workspace)."""
    out = out or ws.parent / "audit.json"
    run(env, "audit", "-w", str(ws), "--format", "json", "--select", select, "-o", str(out), check=None)  # fmt: skip
    return {f["code"]: f for f in json.loads(out.read_text())["findings"]}


def care(env: dict[str, str], ws: Path, out: Path | None = None) -> dict[str, dict]:
    """The care findings (SA1xx) of `audit --format json` on `ws`, by code."""
    return findings(env, ws, "care", out)


def inbox_items(env: dict[str, str], ws: Path) -> list[dict]:
    """The items of `inbox --format json` on `ws`."""
    return json.loads(run(env, "inbox", "-w", str(ws), "--format", "json").stdout)["items"]


@dataclass
class Account:
    handle: str
    password: str
    client: object
    did: str


@dataclass
class BlueskyScenario:
    """A brand and three customers on the local network, and what was planted."""

    pds: str
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:6])
    accounts: dict[str, Account] = field(default_factory=dict)
    brand_post: object = None
    planted: dict[str, object] = field(default_factory=dict)  # name -> created post ref

    def account(self, name: str) -> Account:
        from atproto import Client, models

        if name not in self.accounts:
            handle = f"{name}{self.tag}.test"
            password = f"pw-{uuid.uuid4().hex}"
            client = Client(base_url=f"{self.pds}/xrpc")
            client.com.atproto.server.create_account(
                {"handle": handle, "email": f"{handle}@example.com", "password": password}
            )
            # The AppView has not indexed the new account yet: no profile to fetch.
            client.login(handle, password, fetch_bsky_profile=False)
            did = client.com.atproto.server.get_session().did
            client.me = models.AppBskyActorDefs.ProfileViewDetailed(did=did, handle=handle)
            self.accounts[name] = Account(handle, password, client, did)
        return self.accounts[name]

    @property
    def brand(self) -> Account:
        return self.account("brand")

    def app_password(self, name: str = "socialaudit") -> str:
        made = self.brand.client.com.atproto.server.create_app_password({"name": name})
        return made.password

    def revoke(self, name: str = "socialaudit") -> None:
        self.brand.client.com.atproto.server.revoke_app_password({"name": name})

    def mention(self, who: str, text: str) -> object:
        """A post by `who` that mentions the brand with a real mention facet."""
        from atproto import client_utils

        tb = (
            client_utils.TextBuilder()
            .mention(f"@{self.brand.handle}", self.brand.did)
            .text(" " + text)
        )
        return self.account(who).client.send_post(tb)

    def reply(self, who: str, parent: object, text: str, root: object | None = None) -> object:
        from atproto import models

        ref = models.AppBskyFeedPost.ReplyRef(
            parent=models.create_strong_ref(parent), root=models.create_strong_ref(root or parent)
        )
        return self.account(who).client.send_post(text, reply_to=ref)

    def plant(self) -> dict[str, int]:
        """The care scenario; returns the counts the audit must find."""
        b = self.brand
        self.brand_post = b.client.send_post("Our autumn blend is out today")
        p = self.planted
        p["q_answered"] = self.mention("alice", "how do I reset my password?")
        p["c_open"] = self.reply(
            "bob", self.brand_post, "my order arrived broken, this is terrible service"
        )
        p["q_open"] = self.mention("carol", "do you ship to Canada?")
        p["c_answered"] = self.mention("alice", "the app keeps crashing, really disappointed")
        p["praise_liked"] = self.reply(
            "bob", self.brand_post, "Love your coffee, thank you so much!"
        )
        p["praise_open"] = self.mention("carol", "amazing service, thanks!")
        p["praise_replied"] = self.reply(
            "alice", self.brand_post, "Great job on the new blend, delicious!"
        )
        self.reply(
            "brand", p["q_answered"], "Settings, then Account, then Reset. Anything else we can do?"
        )
        self.reply(
            "brand", p["c_answered"], "Sorry about that: a fix ships tomorrow, we will message you."
        )
        self.reply("brand", p["praise_replied"], "That makes our day, thank you")
        b.client.like(p["praise_liked"].uri, p["praise_liked"].cid)
        self.wait_indexed(7)
        return {
            "requests": 4,
            "answered": 2,
            "unanswered": 2,
            "praise": 3,
            "unthanked": 1,
        }

    def wait_indexed(self, notifications: int) -> None:
        def seen() -> bool:
            r = self.brand.client.app.bsky.notification.list_notifications({"limit": 100})
            inbound = [n for n in r.notifications if n.reason in ("mention", "reply", "quote")]
            return len(inbound) >= notifications

        wait_until(seen, what=f"{notifications} notifications indexed by the AppView")
