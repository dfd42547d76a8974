"""Number and duration formatting shared by the text, Markdown and HTML reports."""

from __future__ import annotations

from typing import Any

from ..units import duration

__all__ = ["duration", "figure", "label", "one_line"]


def figure(name: str, value: Any) -> str:
    """A figure as a person reads it: seconds as durations, shares as percentages."""
    if value is None:
        return "n/a"
    if name.endswith("_seconds") or "_seconds_" in name:
        return duration(float(value))
    words = name.split("_")
    if "share" in words or words[-1] in ("rate", "pct"):
        return f"{float(value):.1%}"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def label(name: str) -> str:
    return name.replace("_", " ")


def one_line(text: str | None, width: int = 160) -> str:
    """Message text on one line, cut to width (newlines in a stranger's text must not break a report)."""
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
