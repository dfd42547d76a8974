"""Findings -> what a person or a tool reads: terminal text, JSON, Markdown, HTML.

Renderers never compute a figure: they format what the checks decided.
"""

from __future__ import annotations

from ..audit import AuditResult


def render(result: AuditResult, fmt: str) -> str:
    if fmt == "json":
        from .jsonout import render_json

        return render_json(result)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(result)
    if fmt == "html":
        from .html import render_html

        return render_html(result)
    if fmt == "csv":
        from .csvout import render_csv

        return render_csv(result)
    from .text import render_text

    return render_text(result)
