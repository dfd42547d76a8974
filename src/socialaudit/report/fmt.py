"""Number and duration formatting shared by the text, Markdown and HTML reports."""

from __future__ import annotations

from typing import Any

from ..units import duration
from .inert import for_terminal

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


def one_line(text: str | None, width: int | None = 160) -> str:
    """A stranger's text on one line, controls replaced, cut to `width` characters (newlines
    must not break a report, escape sequences must not reach a terminal: `inert`)."""
    if not text:
        return ""
    flat = for_terminal(" ".join(text.split()))
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"
