"""Small formatting of quantities used in finding messages and reports alike."""

from __future__ import annotations


def duration(seconds: float | None) -> str:
    """Seconds as a person says them: 45 s, 12 min, 3.5 h, 2.1 days."""
    if seconds is None:
        return "n/a"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
