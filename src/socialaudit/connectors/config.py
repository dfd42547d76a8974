"""Recording a connected account in the workspace's socialaudit.toml (`[[connect]]` tables).

tomlkit edits the file in place, so the user's comments and layout survive; the entry holds
where the account is and where its secret is kept, never the secret.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit

from ..config import parse_config
from ..errors import ConfigError
from ..workspace import CONFIG_NAME, DEFAULT_CONFIG


def record_connection(
    root: Path, platform: str, service: str, handle: str, account_id: str, credential: str
) -> None:
    """Add the account to `[[connect]]`, replacing an earlier entry for the same account."""
    path = root / CONFIG_NAME
    root.mkdir(parents=True, exist_ok=True)
    text = path.read_text(encoding="utf-8") if path.exists() else DEFAULT_CONFIG
    try:
        doc = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    entries = doc.get("connect")
    if entries is None:
        entries = tomlkit.aot()
        doc["connect"] = entries
    same = [
        i
        for i, e in enumerate(entries)
        if e.get("platform") == platform
        and str(e.get("handle", "")).lower() == handle.lower()
        and str(e.get("service", "")).rstrip("/") == service
    ]
    entry = tomlkit.table()
    entry.update(
        {
            "platform": platform,
            "handle": handle,
            "service": service,
            "account_id": account_id,
            "credential": credential,
        }
    )
    if same:
        entries[same[0]] = entry
    else:
        entries.append(entry)
    out = tomlkit.dumps(doc)
    parse_config(tomlkit.parse(out).unwrap(), str(path))  # never write a config that fails to load
    path.write_text(out, encoding="utf-8")
