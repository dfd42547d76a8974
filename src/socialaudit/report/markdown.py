"""The Markdown report: for a wiki page, a ticket or an e-mail to the boss.

Message texts are strangers' words: Markdown and HTML in them are escaped so that they render as
the text they are, not as links, images or script.
"""

from __future__ import annotations

import html
import re

from ..audit import AuditResult
from ..checks.base import AREAS
from .fmt import evidence_details, figure, label, one_line
from .summary import change_lines, score_lines
from .text import ORDER

# Characters that start Markdown syntax mid-line; html.escape handles <, > and & (raw HTML).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")


def md_escape(text: str) -> str:
    """Escape Markdown and HTML so that text is shown, never interpreted."""
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def render_markdown(result: AuditResult) -> str:
    out = [f"# socialaudit report — {md_escape(result.brand or 'audit')}", ""]
    out.append(f"Generated {result.created_at:%Y-%m-%d %H:%M} UTC.")
    for i, line in enumerate(score_lines(result.extra.get("score"), result.extra.get("selection"))):
        out += ["", f"**{md_escape(line)}**" if i == 0 else md_escape(line)]
    changes = change_lines(result.extra.get("changes"))
    if changes:
        out += ["", f"## {md_escape(changes[0])}", ""]
        out += [f"- {md_escape(line.strip())}" for line in changes[1:]]
    out += ["", "| verdict | code | check | finding |", "|---|---|---|---|"]
    findings = sorted(result.findings, key=lambda f: (ORDER[str(f.verdict)], f.code))
    for f in findings:
        out.append(
            f"| **{str(f.verdict).upper()}** | {f.code} | {f.name} | {md_escape(f.message)} |"
        )
    for f in findings:
        out += ["", f"## {f.code} {f.name} — {str(f.verdict).upper()}", ""]
        out.append(f"*{AREAS.get(f.area, f.area)}*. {md_escape(f.message)}")
        if f.figures:
            out += ["", "| figure | value | threshold |", "|---|---|---|"]
            for k, v in f.figures.items():
                out.append(f"| {label(k)} | {figure(k, v)} | |")
            for k, v in f.thresholds.items():
                out.append(f"| {label(k)} | | {figure(k, v)} |")
        if f.evidence:
            out += [
                "",
                f"Evidence ({min(len(f.evidence), 10)} of {f.evidence_total or len(f.evidence)}):",
                "",
            ]
            for e in f.evidence[:10]:
                when = (e.get("created_at") or e.get("start") or "")[:16].replace("T", " ")
                who = e.get("account") or e.get("author") or ""
                text = md_escape(
                    one_line(
                        e.get("text")
                        or e.get("note")
                        or ", ".join(f"{k} {v}" for k, v in evidence_details(e)),
                        200,
                    )
                )
                link = (
                    f" ([link](<{e['url']}>))"
                    if e.get("url") and str(e["url"]).startswith("https://")
                    else ""
                )
                out.append(f"- {when} {md_escape(str(who))}: {text}{link}")
        for note in f.notes:
            out += ["", f"> Note: {md_escape(note)}"]
        if f.needs:
            out += ["", "To answer this, import: " + "; ".join(md_escape(n) for n in f.needs)]
        if f.advice and str(f.verdict) != "pass":
            out += ["", f"**What to do:** {md_escape(f.advice)}"]
    return "\n".join(out) + "\n"
