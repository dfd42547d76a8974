"""Live accounts: one connector per platform API (`base.py` says what a connector is), the
sync that writes what they pull into the workspace (`sync.py`), and the registry below.

A connector module is imported only when an account of its platform is used, so that a
workspace of exports never loads an API client.
"""

from __future__ import annotations

import os
from importlib import import_module
from typing import Any

from ..errors import UsageError
from .base import Connector, ConnectorError, Profile, Retry

# platform -> (module, class, the credential's name in messages and `connect --help`)
CONNECTORS: dict[str, tuple[str, str, str]] = {
    "bluesky": ("bluesky", "BlueskyConnector", "app password"),
    "mastodon": ("mastodon", "MastodonConnector", "access token"),
    "x": ("x", "XConnector", "bearer or user access token"),
    "facebook": ("meta", "FacebookPageConnector", "Page access token"),
    "instagram": ("meta", "InstagramConnector", "access token"),
}

# The API a platform's account is reached at when `connect` is given no --service.
DEFAULT_SERVICE = {
    "bluesky": "https://bsky.social",
    "x": "https://api.x.com",
    "facebook": "https://graph.facebook.com",
    "instagram": "https://graph.facebook.com",
}


def make_connector(
    platform: str,
    service: str,
    handle: str,
    secret: str,
    retry: Retry | None = None,
    account_id: str | None = None,
) -> Connector:
    if platform not in CONNECTORS:
        raise UsageError(
            f"no connector for {platform!r} (there are: {', '.join(sorted(CONNECTORS))})"
        )
    module, cls, _ = CONNECTORS[platform]
    connector_cls = getattr(import_module(f"{__name__}.{module}"), cls)
    extra: dict[str, Any] = {}
    # Smaller pages: fewer requests' worth of work lost when a sync is cut off (and the tests
    # use it to get many pages out of a small account).
    size = os.environ.get("SOCIALAUDIT_SYNC_PAGE_SIZE", "")
    if size.isdigit() and int(size) > 0:
        extra["page_size"] = int(size)
    # The Graph API names an account by its id, not its name: once connected, the id recorded
    # in the config is what the connector calls.
    if getattr(connector_cls, "node_by_id", False) and account_id:
        extra["node_id"] = account_id
    return connector_cls(service, handle, secret, retry=retry, **extra)


__all__ = ["CONNECTORS", "Connector", "ConnectorError", "Profile", "Retry", "make_connector"]
