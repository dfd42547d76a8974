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


# C0/C1 controls (an ESC starts a terminal escape sequence) and the bidi overrides that make a
# terminal show text in another order than it is stored: a stranger's words must stay inert.
_UNSAFE = {c: "\ufffd" for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]}
_UNSAFE.update({c: "\ufffd" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def one_line(text: str | None, width: int | None = 160) -> str:
    """A stranger's text on one line, controls replaced, cut to `width` characters (newlines
    must not break a report, escape sequences must not reach a terminal)."""
    if not text:
        return ""
    flat = " ".join(text.split()).translate(_UNSAFE)
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"
