"""The portfolio as a person or a tool reads it: one table of every brand (terminal text), the
portfolio's JSON document, and the formatting both share with the HTML pages (`pages.py`).

Renderers never compute a figure: scores, findings and benchmark figures come from the brands'
audits, standings from `portfolio.benchmarks`; here they are only formatted.
"""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..report.fmt import one_line
from ..report.jsonout import clean
from ..units import duration

if TYPE_CHECKING:
    from .run import PortfolioResult

# The benchmark columns of the terminal table (the others are in the JSON and the HTML pages).
TEXT_FIGURES = ("first_response_median", "unanswered_share", "conversational_share")


def value_text(unit: str, value: float | None) -> str:
    """A benchmark figure as a person reads it."""
    if value is None:
        return "n/a"
    if unit == "seconds":
        return duration(value)
    if unit == "share":
        return f"{value:.1%}"
    return f"{value:,.2f}"


def standing_text(rank: float | None) -> str:
    """A percentile rank, 100 = best: 'PR 73'."""
    return "" if rank is None else f"PR {rank:.0f}"


def delta_text(change: dict[str, Any] | None) -> str:
    if not change or change.get("delta") is None:
        return "first audit" if change is None else "n/a"
    d = change["delta"]
    shared = "*" if change.get("on") == "shared" else ""
    return ("±0" if round(d) == 0 else f"{d:+.0f}") + shared


def render_json(result: PortfolioResult) -> str:
    return json.dumps(clean(result.to_dict()), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_text(result: PortfolioResult, width: int = 140) -> str:
    doc = clean(result.to_dict())
    figures = {f["key"]: f for f in doc["benchmarks"]["figures"]}
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, highlight=False)
    agency = doc["agency"]["name"]
    head = f"Portfolio {doc['portfolio']} · {len(doc['brands'])} brands"
    console.print(Text(head + (f" · {one_line(agency, 80)}" if agency else ""), style="bold"))
    console.print(
        f"Generated {doc['generated_at'][:16].replace('T', ' ')} UTC; lowest score first."
    )
    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("brand", overflow="fold", max_width=26)
    table.add_column("score", justify="right")
    table.add_column("since last", justify="right")
    table.add_column("fail", justify="right")
    table.add_column("warn", justify="right")
    for key in TEXT_FIGURES:
        table.add_column(figures[key]["label"], justify="right")
    table.add_column("worst findings", overflow="fold")
    for b in doc["brands"]:
        if not b["audited"]:
            table.add_row(one_line(b["name"], 60), "–", "not audited yet", "", "", "", "", "", "")
            continue
        cells = []
        for key in TEXT_FIGURES:
            s = (b.get("benchmarks") or {}).get(key) or {}
            ranks = [standing_text(s.get("portfolio"))]
            if s.get("reference") is not None:
                ranks.append(f"ref {s['reference']:.0f}")
            rank = " · ".join(r for r in ranks if r)
            cells.append(
                value_text(figures[key]["unit"], s.get("value")) + (f" {rank}" if rank else "")
            )
        table.add_row(
            one_line(b["name"], 60),
            "–" if b.get("score") is None else f"{b['score']:.0f}",
            delta_text(b.get("change")),
            str(b["verdicts"]["fail"]),
            str(b["verdicts"]["warn"]),
            *cells,
            ", ".join(w["code"] for w in b["worst"]) or "none",
        )
    console.print(table)
    console.print()
    for line in method_lines(doc):
        console.print(Text(line))
    for line in goal_lines(doc):
        console.print(Text(line))
    return buf.getvalue()


def method_lines(doc: dict[str, Any]) -> list[str]:
    """How the standings are computed, and the reference they are set against."""
    ref = doc["benchmarks"]["reference"]
    lines = [
        "PR: percentile rank among the portfolio's brands that have the figure; ref: against "
        "the public reference's brands (100 = best). " + doc["benchmarks"]["method"],
        "* the score change is on the checks both audits ran.",
    ]
    if ref.get("name"):
        summary = []
        for key, f in (ref.get("figures") or {}).items():
            q = f.get("quantiles") or {}
            unit = f.get("unit", "")
            summary.append(
                f"{f.get('label', key)}: median {value_text(unit, q.get('median'))} "
                f"(p25 {value_text(unit, q.get('p25'))}, p75 {value_text(unit, q.get('p75'))}; "
                f"{f.get('brands')} brands)"
            )
        data = ref.get("dataset") or {}
        lines.append(
            f"Public reference, {ref['name']} ({data.get('title')}, {data.get('author')}; "
            f"{data.get('licence', '').split(':')[0]}): " + "; ".join(summary)
        )
    return lines


def goal_lines(doc: dict[str, Any]) -> list[str]:
    """Each goal set against the growth the other brands really showed."""
    lines = []
    for b in doc["brands"]:
        for g in b.get("goals") or []:
            lines.append(f"{one_line(b['name'], 60)}: {goal_text(g)}")
    return (["", "Goals against peers' observed growth:", *lines]) if lines else []


def goal_text(g: dict[str, Any]) -> str:
    what = f"{g['metric']} {g['target']:,.0f} by {g['by']}"
    if g.get("required") is None:
        return f"{what}: no history to start from (or the date has passed)"
    need = f"needs {g['required']:+.1%} per 30 days from {g['current']:,.0f} ({g['observed_at']})"
    p = g.get("peers") or {}
    if not p.get("peers"):
        return f"{what}: {need}; no other brand has a history of {g['metric']} to compare with"
    verdict = "within what peers achieve" if p["realistic"] else "faster than peers grow"
    return (
        f"{what}: {need}; {verdict} ({p['peers_as_fast']} of {p['peers']} peer histories grew "
        f"that fast; peers' median {p['peer_median']:+.1%}, {p['quantile']:.0%} at most "
        f"{p['peer_bound']:+.1%})"
    )
