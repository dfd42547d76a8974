"""What the pages show, already formatted: the templates only lay it out.

The audit parts reuse the HTML report's view (`report.html.view`), so the dashboard and the
report format scores, areas and verdicts the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ..audit import AuditResult
from ..history import stored_result  # noqa: F401  (the pages read stored audits through it)
from ..inbox import Inbox, InboxItem
from ..lint import LintFinding
from ..report.html import safe_url
from ..report.html import view as report_view
from ..units import duration

INTENTS = ("complaint", "question", "praise", "other")


def dashboard_view(result: AuditResult | None, audit_id: str | None) -> dict[str, Any] | None:
    if result is None:
        return None
    v = report_view(result)
    problems = [f for f in v["findings"] if f["verdict"] in ("fail", "warn", "error")]
    return {
        "audit_id": audit_id,
        "title": v["title"],
        "generated": v["generated"],
        "score": v["score"],
        "areas": v["areas"],
        "counts": v["counts"],
        "changes": v["changes"],
        "problems": problems,
    }


def _when(value: datetime | None) -> str:
    return "" if value is None else f"{value.astimezone(UTC):%Y-%m-%d %H:%M}"


def item_view(item: InboxItem) -> dict[str, Any]:
    state = item.state or {}
    return {
        "ref": item.ref,
        "platform": item.platform,
        "message_id": item.message_id,
        "kind": item.kind,
        "intent": item.intent,
        "account": item.account,
        "author": item.author or "someone",
        "followers": item.author_followers,
        "when": _when(item.created_at),
        "waited": duration(item.waited_seconds),
        "overdue": item.overdue,
        "text": item.text or "",
        "url": safe_url(item.url),
        "cues": [(k.replace("_", " "), ", ".join(v)) for k, v in item.cues.items()],
        "state": state.get("state"),
        "assignee": state.get("assignee") or "",
        "note": state.get("note") or "",
        "closed": item.closed,
    }


def inbox_view(inbox: Inbox) -> dict[str, Any]:
    overdue = sum(1 for i in inbox.items if i.overdue and not i.closed)
    return {
        "as_of": _when(inbox.as_of),
        "open": inbox.open_counts,
        "total_open": sum(inbox.open_counts.values()),
        "closed": inbox.closed,
        "overdue": overdue,
        "items": [item_view(i) for i in inbox.items],
    }


def lint_view(findings: list[LintFinding]) -> list[dict[str, Any]]:
    return [
        {
            "code": f.code,
            "name": f.name,
            "level": str(f.level),
            "message": f.message,
            "remedy": f.remedy,
            "where": f"line {f.line}, column {f.column}",
            "excerpt": f.excerpt,
        }
        for f in findings
    ]
