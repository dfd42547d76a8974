"""Small formatting of quantities used in finding messages and reports alike: one way to write a
duration, a count and a figure, wherever they appear."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

# Figures whose name says they are a fraction of one, written as percentages.
_PERCENT_WORDS = ("share", "roi")
_PERCENT_LAST = ("rate", "pct", "roi")


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


def count(n: int, noun: str, plural: str | None = None) -> str:
    """'1 message', '2,345 messages'."""
    return f"{n:,} {noun if n == 1 else (plural or noun + 's')}"


def percent(x: float) -> str:
    """A fraction as a percentage with one decimal ('41.3%', '5%'): one decimal, so that 9.7 %
    is never shown as "10 %" beside a warning about "under 10 %"."""
    return f"{x:.1%}".replace(".0%", "%")


def is_percent(name: str) -> bool:
    """Whether a figure's name says it is a fraction of one (share, rate, pct, roi)."""
    words = name.lower().split("_")
    return any(w in _PERCENT_WORDS for w in words) or words[-1] in _PERCENT_LAST


def figure(name: str, value: Any) -> str:
    """A figure as a person reads it, the one formatter of every output: seconds as durations,
    shares and ROI as percentages, yes/no for flags, lists joined with commas, times in ISO
    8601 UTC, and "n/a" for a figure that could not be computed."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set):
        return ", ".join(figure(name, v) for v in value) or "none"
    if isinstance(value, Mapping):
        return ", ".join(f"{k.replace('_', ' ')} {figure(k, v)}" for k, v in value.items())
    if isinstance(value, datetime):
        value = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and (name.endswith("_seconds") or "_seconds_" in name):
        return duration(float(value))
    if isinstance(value, int | float) and is_percent(name):
        return percent(float(value))
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
