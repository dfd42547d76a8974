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


def score_lines(score: Any, selection: Any = None) -> list[str]:
    """'Health score: 49/100 (covers 16 of 23 checks; ...)', one line of area scores, and for a
    filtered audit a line that says so."""
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
    overall = score.get("overall")
    head = (
        f"Health score: {overall:.0f}/100"
        if overall is not None
        else "Health score: not computed, as no check could be judged"
    )
    lines = [f"{head} ({cover})"]
    areas = score.get("areas") or {}
    if areas:
        lines.append(" · ".join(f"{AREAS.get(a, a)} {_num(v)}" for a, v in areas.items()))
    filtered = selection_line(selection)
    if filtered:
        lines.append(filtered)
    return lines


def selection_line(selection: Any) -> str | None:
    """'Filtered audit: 5 of 25 checks ran (select care); the score covers those only.'"""
    if not isinstance(selection, dict):
        return None
    how = "; ".join(
        f"{key} {', '.join(selection[key])}" for key in ("select", "ignore") if selection.get(key)
    )
    return (
        f"Filtered audit: {selection.get('checks_run', 0)} of "
        f"{selection.get('checks_available', 0)} checks ran{f' ({how})' if how else ''}; "
        "the score covers those only."
    )


def comparison_scope(changes: dict[str, Any]) -> str | None:
    """What the comparison with the previous audit covers, when that is not every check."""
    if (changes.get("score") or {}).get("on") != "shared":
        return None
    text = f"compared on the {changes['score'].get('checks', 0)} checks both audits ran"
    only_now = changes.get("only_now") or []
    if only_now:
        text += f"; not compared, as that audit did not run them: {', '.join(only_now)}"
    return text


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
    scope = comparison_scope(changes)
    if scope:
        lines.append(f"  {scope}")
    for kind, word in CHANGE_WORDS.items():
        items = changes.get(kind) or []
        if items:
            codes = ", ".join(
                f"{c['code']} ({c.get('before') or 'not run'} → {c['after']})" for c in items
            )
            lines.append(f"  {word}: {codes}")
    if not any(changes.get(kind) for kind in CHANGE_WORDS):
        lines.append("  no check changed its verdict or figures")
    return lines
