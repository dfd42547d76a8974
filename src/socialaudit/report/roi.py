"""The ROI report (`roi.compute_roi`) as text for the terminal: rich tables per platform and
per campaign, and the notes."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from ..model import COST_CATEGORIES as CATEGORIES
from ..roi import RoiLine, RoiReport
from .fmt import one_line


def render_text(report: RoiReport, width: int = 120) -> str:
    """The report as rich tables (per platform, per campaign) and its notes, as plain text."""
    buf = io.StringIO()
    # Campaign names, UTM sources and notes come from imported files: no markup, no controls.
    console = Console(
        file=buf, width=width, highlight=False, soft_wrap=False, markup=False, emoji=False
    )
    cur = report.currency or "currency unknown"
    period = f"{report.since or 'start'} to {report.until or 'end'}"
    console.print(f"Return on investment, {period}, in {cur}")

    # Parts nobody spent on are left out of the text (the JSON keeps them); staff stays, since
    # a staff cost of 0 is itself a finding (SA504).
    parts = [c for c in CATEGORIES if c == "staff" or report.total.parts[c] != 0]

    def table(title: str, first: str, lines: list[RoiLine], with_total: bool) -> Table:
        t = Table(title=title, title_justify="left")
        t.add_column(first)
        for name in ("cost", *parts, "shared", "revenue", "conv.", "ROI"):
            t.add_column(name, justify="right")
        for ln in [*lines, *([report.total] if with_total else [])]:
            t.add_row(
                one_line(ln.key, None),
                f"{ln.cost:,.2f}",
                *(f"{ln.parts[c]:,.2f}" for c in parts),
                f"{ln.shared_cost:,.2f}",
                f"{ln.revenue:,.2f}",
                f"{ln.conversions:g}",
                "n/a" if ln.roi is None else f"{ln.roi:+.1%}",
                end_section=ln is lines[-1] if lines else False,
            )
        return t

    console.print(table("Per platform", "platform", report.platforms, True))
    console.print(table("Per campaign", "campaign", report.campaigns, False))
    if report.split:
        console.print("Shared costs, split by month:")
        for s in report.split:
            shares = ", ".join(f"{p} {v:.0%}" for p, v in s["shares"].items()) or "nowhere"
            console.print(f"  {s['month']}: {s['amount']:,.2f} by {s['basis']}: {shares}")
    for note in report.notes:
        console.print(f"note: {one_line(note, None)}")
    return buf.getvalue()
