"""The terminal report: for a person, most urgent first, with the evidence and what to do."""

from __future__ import annotations

import io

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..audit import AuditResult
from ..checks.base import AREAS, Finding
from .fmt import evidence_details, figure, label, one_line
from .summary import change_lines, score_lines

VERDICT_STYLE = {
    "fail": ("FAIL", "bold white on red"),
    "warn": ("WARN", "bold black on yellow"),
    "pass": ("PASS", "bold white on green"),
    "unknown": ("UNKNOWN", "bold white on blue"),
    "error": ("ERROR", "bold white on magenta"),
}
ORDER = {"fail": 0, "error": 1, "warn": 2, "unknown": 3, "pass": 4}
EVIDENCE_SHOWN = 5


def badge(verdict: str) -> Text:
    word, style = VERDICT_STYLE[verdict]
    return Text(f" {word} ", style=style)


def render_text(result: AuditResult, width: int = 100, color: bool = False) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
    )
    title = f"socialaudit — {result.brand or 'audit'}"
    console.print(Text(title, style="bold"))
    console.print(
        Text(f"workspace {result.workspace} · {result.created_at:%Y-%m-%d %H:%M} UTC", style="dim")
    )
    for i, line in enumerate(score_lines(result.extra.get("score"), result.extra.get("selection"))):
        console.print(Text(line, style="bold" if i == 0 else ""))
    changes = change_lines(result.extra.get("changes"))
    if changes:
        console.print()
    for line in changes:
        console.print(Text(line))
    console.print()
    summary = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    summary.add_column("verdict")
    summary.add_column("code")
    summary.add_column("check")
    summary.add_column("what we found", overflow="fold")
    findings = sorted(result.findings, key=lambda f: (ORDER[str(f.verdict)], f.code))
    for f in findings:
        summary.add_row(badge(str(f.verdict)), f.code, f.name, Text(one_line(f.message, None)))
    console.print(summary)
    for f in findings:
        if str(f.verdict) == "pass" and not f.evidence:
            continue
        console.print()
        console.print(_finding_panel(f))
    counts = {v: sum(1 for f in result.findings if str(f.verdict) == v) for v in ORDER}
    console.print()
    console.print(
        Text(
            "  ".join(f"{n} {v}" for v, n in counts.items() if n) or "no checks ran",
            style="bold",
        )
    )
    return buf.getvalue()


def _finding_panel(f: Finding) -> Panel:
    parts: list = [Text(one_line(f.message, None))]
    if f.figures:
        t = Table(box=None, show_header=False, pad_edge=False)
        t.add_column(style="dim")
        t.add_column()
        for k, v in f.figures.items():
            t.add_row(label(k), figure(k, v))
        parts += [Text(""), t]
    if f.evidence:
        parts.append(Text(""))
        parts.append(
            Text(
                f"Evidence ({min(len(f.evidence), EVIDENCE_SHOWN)} of {f.evidence_total or len(f.evidence)}):",
                style="bold",
            )
        )
        for e in f.evidence[:EVIDENCE_SHOWN]:
            parts.append(_evidence_line(e))
    for note in f.notes:
        parts.append(Text(f"Note: {one_line(note, None)}", style="italic"))
    if f.needs:
        parts.append(Text("To answer this, import: " + "; ".join(f.needs), style="cyan"))
    if f.advice and str(f.verdict) != "pass":
        parts += [Text(""), Text("What to do: ", style="bold") + Text(f.advice)]
    area = AREAS.get(f.area, f.area)
    return Panel(
        Group(*parts),
        title=Text.assemble(badge(str(f.verdict)), f" {f.code} {f.name} · {area}"),
        title_align="left",
    )


def _evidence_line(e: dict) -> Text:
    # Message texts are strangers' words: Text() never interprets markup, and one_line replaces
    # control characters, so they stay inert.
    line = Text("  • ")
    when = (e.get("created_at") or e.get("start") or "")[:16].replace("T", " ")
    if when:
        line.append(when + " ", style="dim")
    who = e.get("account") or e.get("author")
    if who:
        line.append(f"{one_line(str(who), None)} ", style="cyan")
    if "message_id" in e:
        line.append(f"#{one_line(str(e['message_id']), None)} ", style="dim")
    text = e.get("text")
    if text:
        line.append(one_line(text, 140))
    elif e.get("note"):
        line.append(one_line(e["note"], None), style="italic")
    else:
        details = evidence_details({k: v for k, v in e.items() if k != "start"})
        line.append(one_line(", ".join(f"{k} {v}" for k, v in details), None))
    if e.get("url"):
        line.append(f" {one_line(e['url'], None)}", style="blue")
    return line
