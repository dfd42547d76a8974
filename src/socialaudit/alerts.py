"""Alerts for `socialaudit watch`: a request that passed its reply window, a complaint that came in.

After each sync the inbox is built again (the same rules as `socialaudit inbox`); every item
that needs an answer and is either a complaint or older than SA101's reply window *by the
clock* (a live account is judged against now, not against its newest message) is alerted once:
the `alerts` table remembers each message alerted, so no message is alerted twice, whatever
happens to it later. An alert that no channel could deliver is not recorded, so the next
round tries again.

Channels: a webhook that takes Slack's incoming-webhook JSON (`{"text": ...}`; Mattermost,
Rocket.Chat, Discord's /slack endpoint and Teams workflows take it too), e-mail over SMTP, and
the terminal.
"""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from . import model
from .config import Config
from .inbox import InboxItem, build_inbox, reply_window_hours
from .report.fmt import one_line
from .workspace import Workspace

ALERT_SOURCE = "socialaudit watch"
TIMEOUT_SECONDS = 20


@dataclass
class Alert:
    item: InboxItem
    reason: str  # overdue or complaint
    waited_seconds: float | None

    def line(self) -> str:
        from .units import duration

        what = "overdue" if self.reason == "overdue" else "new complaint"
        waited = f", waiting {duration(self.waited_seconds)}" if self.waited_seconds else ""
        return (
            f"[{what}] {self.item.intent} from {self.item.author or 'someone'} to "
            f"{self.item.account}{waited}: {one_line(self.item.text, 280)} "
            f"({self.item.url or self.item.ref}; reply with `socialaudit inbox reply "
            f"{self.item.ref} --text ...`)"
        )


@dataclass
class SMTPSettings:
    host: str
    port: int
    sender: str
    to: list[str]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False


@dataclass
class Channels:
    webhook: str | None = field(default=None, repr=False)  # a webhook URL holds a secret
    smtp: SMTPSettings | None = None
    terminal: Callable[[str], None] | None = None


def due_alerts(ws: Workspace, config: Config, now: datetime | None = None) -> list[Alert]:
    """The alerts to send now: items to answer that are complaints or past the reply window,
    and were never alerted before."""
    now = now or datetime.now(UTC)
    window = reply_window_hours(config) * 3600
    sent = {
        (r["platform"], r["message_id"])
        for r in ws.sql("select platform, message_id from alerts").to_pylist()
    }
    out = []
    for item in build_inbox(ws, config, kind="answer").items:
        if (item.platform, item.message_id) in sent:
            continue
        waited = (now - item.created_at).total_seconds() if item.created_at else None
        if waited is not None and waited >= window:
            out.append(Alert(item, "overdue", waited))
        elif item.intent == "complaint":
            out.append(Alert(item, "complaint", waited))
    return out


def send(
    alerts: list[Alert], channels: Channels
) -> tuple[list[tuple[Alert, list[str]]], list[str]]:
    """Deliver each alert; returns (alert, channels it reached) and one line per failure."""
    delivered: list[tuple[Alert, list[str]]] = []
    errors: list[str] = []
    for alert in alerts:
        reached = []
        text = alert.line()
        if channels.terminal is not None:
            channels.terminal(text)
            reached.append("terminal")
        if channels.webhook:
            try:
                post_webhook(channels.webhook, text)
                reached.append("webhook")
            except (OSError, urllib.error.URLError, ValueError) as exc:
                errors.append(f"webhook: {failure_reason(exc)}")
        if channels.smtp is not None:
            try:
                _send_mail(channels.smtp, alert, text)
                reached.append("email")
            except (OSError, smtplib.SMTPException) as exc:
                errors.append(
                    f"e-mail via {channels.smtp.host}:{channels.smtp.port}: {failure_reason(exc)}"
                )
        if reached:
            delivered.append((alert, reached))
    return delivered, errors


def record(ws: Workspace, delivered: list[tuple[Alert, list[str]]]) -> None:
    if not delivered:
        return
    now = datetime.now(UTC)
    rows = [
        {
            "platform": a.item.platform,
            "message_id": a.item.message_id,
            "reason": a.reason,
            "sent_at": now,
            "channels": reached,
        }
        for a, reached in delivered
    ]
    ws.replace_rows("alerts", model.to_table(model.ALERTS, rows), source=ALERT_SOURCE)


def post_webhook(url: str, text: str) -> None:
    """Post a text to a Slack-compatible incoming webhook (its markup escaped); raises OSError,
    URLError or ValueError when it cannot. The weekly digest sends through it too."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("the webhook must be an http(s) URL")
    body = json.dumps({"text": slack_escape(text)}).encode("utf-8")
    req = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=TIMEOUT_SECONDS) as resp:
        if resp.status >= 300:
            raise OSError(f"the webhook answered {resp.status}")


def slack_escape(text: str) -> str:
    """Make a stranger's text inert in Slack's markup: `<!channel>`, `<@U123>` and `<url|label>`
    are commands there, and Slack asks for exactly these three characters to be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _send_mail(s: SMTPSettings, alert: Alert, text: str) -> None:
    msg = EmailMessage()
    what = "Overdue" if alert.reason == "overdue" else "New complaint"
    msg["Subject"] = f"{what} on {alert.item.platform}: {one_line(alert.item.text, 60)}"
    msg["From"] = s.sender
    msg["To"] = ", ".join(s.to)
    msg.set_content(text + "\n")
    send_email(s, msg)


def smtp_address(value: str) -> tuple[str, int]:
    """HOST:PORT of an SMTP server; ValueError when it is not that."""
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"{value!r}: expected HOST:PORT")
    return host, int(port)


def send_email(s: SMTPSettings, msg: EmailMessage) -> None:
    """Send a built message through the SMTP server of `s` (STARTTLS and login when set);
    raises OSError or SMTPException when it cannot. The weekly digest sends through it too."""
    with smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS) as smtp:
        if s.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if s.user and s.password:
            smtp.login(s.user, s.password)
        smtp.send_message(msg)


def failure_reason(exc: BaseException) -> str:
    """Why a delivery failed, in one line, never showing a webhook's address (its secret)."""
    # The URL is never shown: a webhook's address is its secret.
    if isinstance(exc, urllib.error.HTTPError):
        return f"the server answered {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot reach it ({exc.reason})"
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def summary(delivered: list[tuple[Alert, list[str]]]) -> dict[str, Any]:
    return {
        "alerts": len(delivered),
        "overdue": sum(1 for a, _ in delivered if a.reason == "overdue"),
        "complaints": sum(1 for a, _ in delivered if a.reason == "complaint"),
    }
