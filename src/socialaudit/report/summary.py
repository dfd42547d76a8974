"""The score and the changes since the previous audit, as plain lines for the text and Markdown
reports (the HTML report lays the same data out in its own way)."""

from __future__ import annotations

from typing import Any

from ..checks.base import AREAS

CHANGE_WORDS = {
    "new": "new problems",
    "worse": "worse",
    "better": "better",
    "fixed": "fixed",
    "moved": "figures moved (same verdict)",
    "now_unknown": "no longer answered",
}


def _num(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def score_lines(score: Any) -> list[str]:
    """'Health score: 49/100 (covers 16 of 23 checks; ...)' and one line of area scores."""
    if not isinstance(score, dict):
        return []
    excluded = score.get("excluded") or {}
    left_out = []
    if excluded.get("unknown"):
        left_out.append(f"{len(excluded['unknown'])} unknown")
    if excluded.get("error"):
        left_out.append(f"{len(excluded['error'])} crashed")
    cover = f"covers {score.get('counted', 0)} of {score.get('checks', 0)} checks"
    if left_out:
        cover += "; left out: " + ", ".join(left_out)
    lines = [f"Health score: {_num(score.get('overall'))}/100 ({cover})"]
    areas = score.get("areas") or {}
    if areas:
        lines.append(" · ".join(f"{AREAS.get(a, a)} {_num(v)}" for a, v in areas.items()))
    return lines


def change_lines(changes: Any) -> list[str]:
    """What changed since the previous audit, one line per kind of change; [] when none stored."""
    if not isinstance(changes, dict):
        return []
    when = str(changes.get("previous_generated_at") or "")[:16].replace("T", " ")
    s = changes.get("score") or {}
    head = (
        f"Since the last audit ({when} UTC): score {_num(s.get('before'))} → {_num(s.get('after'))}"
    )
    lines = [head]
    for kind, word in CHANGE_WORDS.items():
        items = changes.get(kind) or []
        if items:
            codes = ", ".join(
                f"{c['code']} ({c.get('before') or 'not run'} → {c['after']})" for c in items
            )
            lines.append(f"  {word}: {codes}")
    if len(lines) == 1:
        lines.append("  no check changed its verdict or figures")
    return lines
