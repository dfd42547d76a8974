"""Number and duration formatting shared by the text, Markdown and HTML reports."""

from __future__ import annotations

from typing import Any

from ..units import duration, figure
from .inert import for_terminal

__all__ = ["duration", "evidence_details", "figure", "label", "one_line"]

# Evidence keys every report shows in their own place (when, who, which message, its text and
# link), not among an item's other details.
EVIDENCE_MAIN = frozenset(
    {"message_id", "platform", "account", "author", "created_at", "start", "text", "url", "note"}
)


def label(name: str) -> str:
    """A figure's name for a person: words, not identifiers. Figures in seconds are shown as
    durations ("5.5 h"), so the unit word would mislead and is left out."""
    return name.replace("_seconds", "").replace("_", " ")


def one_line(text: str | None, width: int | None = 160) -> str:
    """A stranger's text on one line, controls replaced, cut to `width` characters (newlines
    must not break a report, escape sequences must not reach a terminal: `inert`)."""
    if not text:
        return ""
    flat = for_terminal(" ".join(text.split()))
    return flat if width is None or len(flat) <= width else flat[: width - 1] + "…"


def evidence_details(e: dict[str, Any]) -> list[tuple[str, str]]:
    """An evidence item's other fields as (label, value) for a person: formatted by `figure`,
    those without a value left out (never "None", "False" or Python list syntax)."""
    return [
        (label(k), figure(k, v))
        for k, v in e.items()
        if k not in EVIDENCE_MAIN and v is not None and not isinstance(v, dict)
    ]
