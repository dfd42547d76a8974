"""`socialaudit watch` on the real local Bluesky network, alerting to a local webhook receiver
(Slack's incoming-webhook JSON) and a real SMTP server (aiosmtpd): one alert per overdue
request, none repeated, round after round; a complaint that arrives later is alerted once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.live import BlueskyScenario, servers
from tests.standins import Reply, Request, StandIn

pytestmark = pytest.mark.slow
EXE = str(Path(sys.executable).parent / "socialaudit")


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(
            (envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode())
        )
        return "250 OK"


@pytest.fixture
def receivers():
    from aiosmtpd.controller import Controller

    posted: list[dict] = []

    def hook(req: Request) -> Reply:
        posted.append(json.loads(req.body))
        return Reply(200, "ok")

    import socket

    with socket.socket() as probe:  # aiosmtpd checks readiness on the port: name a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    box = Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        with StandIn(hook) as web:
            yield web, posted, smtp, box
    finally:
        smtp.stop()


def test_watch_alerts_once_per_overdue_request(receivers, tmp_path):
    web, posted, smtp, box = receivers
    s = BlueskyScenario(servers()["BLUESKY_PDS"])
    counts = s.plant()
    env = {
        **os.environ,
        "BSKY_APP_PASSWORD": s.app_password(),
        "SOCIALAUDIT_KEYRING": "off",
        "SOCIALAUDIT_CREDENTIALS_FILE": str(tmp_path / "home" / "credentials.json"),
        "HOOK_URL": f"{web.url}/services/T000/B000/XXXX",
    }
    ws = tmp_path / "ws"
    subprocess.run(
        [
            EXE,
            "connect",
            "bluesky",
            "--service",
            s.pds,
            "--handle",
            s.brand.handle,
            "--app-password-env",
            "BSKY_APP_PASSWORD",
            "-w",
            str(ws),
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    with (ws / "socialaudit.toml").open("a") as f:
        f.write("\n[checks.SA101]\nreply_window_hours = 0\n")
    watch = [
        EXE,
        "watch",
        "-w",
        str(ws),
        "--webhook-env",
        "HOOK_URL",
        "--email-to",
        "care@acme.example",
        "--email-from",
        "socialaudit@acme.example",
        "--smtp",
        f"{smtp.hostname}:{smtp.port}",
    ]
    first = subprocess.run([*watch, "--once"], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert len(posted) == counts["unanswered"] == len(box.messages)
    assert {p["text"].split("]")[0] for p in posted} == {"[overdue"}
    assert s.planted["q_open"].uri in "".join(p["text"] for p in posted)
    assert all(rcpt == ["care@acme.example"] for _, rcpt, _ in box.messages)
    assert first.stdout.count("[overdue]") == counts["unanswered"]  # the terminal too
    # and the care checks on what was synced, one line each
    assert f"SA101 fail: {counts['unanswered']} of {counts['requests']}" in first.stderr

    # the loop: several rounds, nothing sent again
    proc = subprocess.Popen(
        [*watch, "--every", "1s"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    rounds = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("watch "):
            rounds += 1
            assert " 0 alerts" in line, line
            if rounds == 3:
                break
    proc.terminate()
    proc.wait(timeout=30)
    assert len(posted) == counts["unanswered"] and len(box.messages) == counts["unanswered"]

    # a complaint comes in: one alert, once
    s.mention("bob", "still no refund, this is unacceptable")
    s.wait_indexed(8)
    for _ in range(2):
        again = subprocess.run(
            [*watch, "--once", "--no-terminal"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert again.returncode == 0, again.stderr
    assert len(posted) == counts["unanswered"] + 1
    assert "still no refund" in posted[-1]["text"]
    assert "T000/B000" not in first.stderr + again.stderr  # the webhook's address is a secret


def test_an_unreachable_webhook_is_one_line_and_the_alert_is_kept_for_later(tmp_path):
    from socialaudit.alerts import Channels, send

    class Item:  # the fields an alert reads
        platform, message_id, intent, author, account = "x", "1", "complaint", "bob", "x:acme"
        text, url, ref = "broken again", None, "x:1"

    from socialaudit.alerts import Alert

    delivered, errors = send(
        [Alert(Item(), "complaint", 60.0)], Channels(webhook="http://127.0.0.1:9/hook")
    )
    assert delivered == [] and len(errors) == 1 and "cannot reach it" in errors[0]
    assert "127.0.0.1:9" not in errors[0]
