"""socialaudit's folder in the user's cache, for what is derived from installed software and can be
rebuilt at any time (the profanity model's word weights, compiled SQL): never workspace data or
secrets. Files are written whole (a reader never sees half of one) and readable by the user only,
since compiled SQL carries the literals of a workspace's queries (handles, dates).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "write_private"]


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/socialaudit, else ~/.cache/socialaudit."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "socialaudit"


def write_private(path: Path, text: str) -> bool:
    """Write `text` to `path` atomically with mode 0600; False (nothing written) when the cache
    cannot be written, since a cache that fails must never stop a command."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        return False
    return True
