"""Sync: pull each connected account's endpoints since their cursors and write what comes back.

Every page is written in one transaction together with the cursor it ends at
(`Workspace.merge`), so a sync killed half-way keeps every page it finished and the next sync
continues from there. Rows already stored exactly so are not written again: a sync with
nothing new writes nothing. Each connected account's rows carry the source
`sync:PLATFORM:HANDLE`, and an `imports` row per account says what the connector cannot pull.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .. import credentials, model
from ..config import Connection
from ..errors import InputError
from ..sources.rows import build_tables
from ..workspace import Workspace
from .base import Connector, Profile, Retry

# (account label, endpoint, items read so far on it, rows written so far in this sync)
SyncProgress = Callable[[str, str, int, int], None]


@dataclass
class SyncResult:
    account: str  # platform:handle
    written: dict[str, int] = field(default_factory=dict)  # table -> rows written
    items: int = 0  # items the platform returned
    pages: int = 0

    @property
    def total(self) -> int:
        return sum(v for k, v in self.written.items() if k != "sync_state")


def source_of(conn: Connection) -> str:
    return f"sync:{conn.platform}:{conn.handle.lower()}"


def connector_for(conn: Connection, workspace_root: Any, retry: Retry | None = None) -> Connector:
    from . import make_connector

    key = credentials.credential_key(conn.platform, conn.service, conn.handle)
    secret = credentials.load(key, conn.credential)
    return make_connector(
        conn.platform, conn.service, conn.handle, secret, retry=retry, account_id=conn.account_id
    )


def load_cursor(ws: Workspace, conn: Connection, endpoint: str) -> dict[str, Any] | None:
    rows = ws.sql(
        "select cursor from sync_state where platform = ? and account = ? and endpoint = ?",
        [conn.platform, conn.handle.lower(), endpoint],
    ).to_pylist()
    if not rows or not rows[0]["cursor"]:
        return None
    try:
        value = json.loads(rows[0]["cursor"])
    except ValueError:
        return None  # damaged: start that endpoint over (writing again changes nothing)
    return value if isinstance(value, dict) else None


def sync_account(
    ws: Workspace,
    conn: Connection,
    connector: Connector,
    *,
    since: datetime | None = None,
    progress: SyncProgress | None = None,
    on_page: Callable[[str, dict[str, int]], None] | None = None,
) -> SyncResult:
    """Pull every endpoint of one connected account into the workspace."""
    source = source_of(conn)
    label = f"{conn.platform}:{conn.handle}"
    result = SyncResult(label)

    def write(
        rows: dict[str, list[dict[str, Any]]], extra: dict[str, pa.Table], where: str
    ) -> None:
        try:
            tables = build_tables({k: v for k, v in rows.items() if v}, where)
        except InputError as exc:
            raise InputError(
                where, f"the platform sent a value that cannot be stored ({exc})"
            ) from exc
        written = ws.merge({**tables, **extra}, source)
        for name, n in written.items():
            result.written[name] = result.written.get(name, 0) + n
        if on_page is not None:
            on_page(where, written)

    profile = connector.profile()
    write(_profile_rows(conn, profile), {}, f"{label} profile")
    for endpoint in connector.endpoints:
        cursor = load_cursor(ws, conn, endpoint)
        items = 0
        for page in connector.pull(endpoint, cursor, since):
            extra = {}
            if page.cursor != cursor:
                extra["sync_state"] = model.to_table(
                    model.SYNC_STATE,
                    [
                        {
                            "platform": conn.platform,
                            "account": conn.handle.lower(),
                            "endpoint": endpoint,
                            "cursor": json.dumps(page.cursor, sort_keys=True),
                            "updated_at": datetime.now(UTC),
                        }
                    ],
                )
            write(page.rows, extra, f"{label} {endpoint}")
            cursor = page.cursor
            items += page.items
            result.items += page.items
            result.pages += 1
            if progress is not None:
                progress(label, endpoint, items, result.total)
    _record_provenance(ws, conn, connector, result, source)
    return result


def _profile_rows(conn: Connection, p: Profile) -> dict[str, list[dict[str, Any]]]:
    account: dict[str, Any] = {
        "platform": conn.platform,
        "handle": conn.handle.lower(),
        "account_id": p.account_id,
        "display_name": p.display_name,
        "url": p.url,
        "followers": p.followers,
        "following": p.following,
        "created_at": p.created_at,
        "own_domains": [],
    }
    rows: dict[str, list[dict[str, Any]]] = {"accounts": [account]}
    if p.followers is not None or p.following is not None:
        rows["audience"] = [
            {
                "date": datetime.now(UTC).date(),
                "platform": conn.platform,
                "account": conn.handle.lower(),
                "followers": p.followers,
                "following": p.following,
            }
        ]
    return rows


def _record_provenance(
    ws: Workspace, conn: Connection, connector: Connector, result: SyncResult, source: str
) -> None:
    """One `imports` row per account: written when this sync brought something (or on the
    first), so `status` lists the account's source and what the API cannot give."""
    known = ws.sql("select 1 from imports where source = ?", [source]).to_pylist()
    if known and not result.total:
        return
    row = {
        "source": source,
        "format": f"{conn.platform}-api",
        "platform": conn.platform,
        "account": conn.handle.lower(),
        "imported_at": datetime.now(UTC),
        "rows": json.dumps({k: v for k, v in sorted(result.written.items()) if k != "sync_state"}),
        "skipped": "[]",
        "gaps": json.dumps(list(connector.gaps)),
    }
    ws.merge({"imports": model.to_table(model.IMPORTS, [row])}, source)
