"""The CSV report: one row per evidence item, for a spreadsheet or a ticketing import.

A finding without evidence still gets one row (its evidence columns empty), so the sheet lists
every check. Message texts are strangers' words and spreadsheets run formulas: every text cell
goes through `safe_cell`, which quotes the cells a spreadsheet would run (the rule is in
`csvsafe`: a leading `=`, or `+ - @` before a call, a link to another program or arithmetic), and
`inert.for_csv`, which replaces control characters (ESC) and bidi overrides.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..audit import AuditResult
from .csvsafe import safe_cell
from .inert import for_csv
from .text import ORDER

COLUMNS = (
    "code",
    "name",
    "area",
    "verdict",
    "severity",
    "message",
    "evidence_rank",
    "message_id",
    "platform",
    "account",
    "author",
    "created_at",
    "text",
    "url",
    "details",
)
_MAIN = {"message_id", "platform", "account", "author", "created_at", "text", "url"}


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    return safe_cell(for_csv(str(value)))


def render_csv(result: AuditResult) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    findings = sorted(result.findings, key=lambda f: (ORDER.get(str(f.verdict), 9), f.code))
    for f in findings:
        head = [f.code, f.name, f.area, str(f.verdict), f.severity, f.message]
        if not f.evidence:
            writer.writerow([_cell(v) for v in head] + [""] * (len(COLUMNS) - len(head)))
            continue
        for rank, e in enumerate(f.evidence, 1):
            details = {k: v for k, v in e.items() if k not in _MAIN and v is not None}
            row = [
                *head,
                rank,
                e.get("message_id"),
                e.get("platform"),
                e.get("account"),
                e.get("author"),
                e.get("created_at"),
                e.get("text"),
                e.get("url"),
                json.dumps(details, ensure_ascii=False, default=str) if details else "",
            ]
            writer.writerow([_cell(v) for v in row])
    return buf.getvalue()
