"""The local dashboard: the latest audit, the inbox (answer, thank, assign, fix a label) and the
draft linter, as server-rendered pages (FastAPI, Jinja2, no script).

`create_app(workspace)` builds the app; `socialaudit serve` runs it with uvicorn on the loopback
interface. It is a single-user tool without authentication: see `guard.py` for what it refuses
instead (cross-site posts, foreign Host headers) and docs/inbox.md.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
