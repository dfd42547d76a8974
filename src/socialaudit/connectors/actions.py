"""Acting on the platform from the inbox: reply to a request, like a message of praise.

The draft linter checks a reply before it goes (errors stop it unless forced). What was done is
written at once the way a sync would write it (the reply as the brand's message below the item,
the like as an acknowledgement), so the item leaves the inbox by the usual rules (answered,
thanked) without waiting for the next sync, which then finds the same row on the platform.
`inbox_state` records the action and the platform's id of what it created.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .. import model
from ..config import Config, Connection
from ..errors import UsageError
from ..inbox import STATE_SOURCE
from ..lint import Level, LintFinding, lint_text, settings_from_config
from ..sources.rows import build_tables
from ..workspace import Workspace
from .base import Retry
from .sync import connector_for, source_of


@dataclass
class ActionResult:
    action: str  # reply or like
    platform: str
    message_id: str
    account: str  # platform:handle it was done as
    text: str | None = None
    findings: list[LintFinding] = field(default_factory=list)
    sent: bool = False  # False on --dry-run
    action_id: str | None = None  # the platform's id of the reply or like


def connection_for(config: Config, ws: Workspace, platform: str, message_id: str) -> Connection:
    """The connected account an inbox item is addressed to (the one that can answer it)."""
    rows = ws.sql(
        "select account from messages where platform = ? and id = ?", [platform, message_id]
    ).to_pylist()
    account = (rows[0]["account"] or "").lower() if rows else ""
    candidates = [c for c in config.connect if c.platform == platform]
    for c in candidates:
        if c.handle.lower() == account:
            return c
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise UsageError(
            f"no connected {platform} account can act on {platform}:{message_id}; "
            f"run `socialaudit connect {platform} ...` first"
        )
    names = ", ".join(c.handle for c in candidates)
    raise UsageError(
        f"{platform}:{message_id} belongs to no connected account ({names}); "
        "it was imported, not synced"
    )


def _target(ws: Workspace, platform: str, message_id: str) -> dict[str, Any]:
    return ws.sql(
        "select * from messages where platform = ? and id = ?", [platform, message_id]
    ).to_pylist()[0]


def reply(
    ws: Workspace,
    config: Config,
    platform: str,
    message_id: str,
    text: str,
    *,
    force: bool = False,
    dry_run: bool = False,
    retry: Retry | None = None,
) -> ActionResult:
    text = text.strip()
    if not text:
        raise UsageError("the reply is empty; give it with --text")
    conn = connection_for(config, ws, platform, message_id)
    settings = settings_from_config(config, platform=platform, where=str(ws.config_path))
    findings = lint_text(text, platform, settings)
    result = ActionResult(
        "reply", platform, message_id, f"{platform}:{conn.handle}", text, findings
    )
    errors = [f for f in findings if f.level >= Level.ERROR]
    if errors and not force and not dry_run:
        codes = ", ".join(f"{f.code} {f.message}" for f in errors)
        raise UsageError(
            f"the reply was not sent: the draft linter found errors ({codes}); fix it or pass --force"
        )
    if dry_run:
        return result
    connector = connector_for(conn, ws.root, retry)
    row = connector.reply(_target(ws, platform, message_id), text)
    result.sent, result.action_id = True, row["id"]
    ws.merge(build_tables({"messages": [row]}, f"{platform} reply"), source_of(conn))
    _record(ws, platform, message_id, "reply", row["id"])
    return result


def like(
    ws: Workspace,
    config: Config,
    platform: str,
    message_id: str,
    *,
    dry_run: bool = False,
    retry: Retry | None = None,
) -> ActionResult:
    conn = connection_for(config, ws, platform, message_id)
    result = ActionResult("like", platform, message_id, f"{platform}:{conn.handle}")
    if dry_run:
        return result
    connector = connector_for(conn, ws.root, retry)
    row = connector.like(_target(ws, platform, message_id))
    result.sent, result.action_id = True, row.get("action_id")
    ws.merge(build_tables({"acknowledgements": [row]}, f"{platform} like"), source_of(conn))
    _record(ws, platform, message_id, "like", result.action_id)
    return result


def _record(
    ws: Workspace, platform: str, message_id: str, action: str, action_id: str | None
) -> None:
    before = ws.sql(
        "select state, assignee, note from inbox_state where platform = ? and message_id = ?",
        [platform, message_id],
    ).to_pylist()
    old = before[0] if before else {"state": "open", "assignee": None, "note": None}
    row = {
        "platform": platform,
        "message_id": message_id,
        # The state a person gave stays; the item leaves the inbox because it is answered.
        "state": old["state"],
        "assignee": old["assignee"],
        "note": old["note"],
        "updated_at": datetime.now(UTC),
        "action": action,
        "action_id": action_id,
    }
    ws.replace_rows("inbox_state", model.to_table(model.INBOX_STATE, [row]), source=STATE_SOURCE)
