"""The rulebook as a list: what `socialaudit checks` prints (text for a person, JSON for tools)."""

from __future__ import annotations

import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..checks import AREAS, Registry


def catalog(registry: Registry) -> list[dict[str, Any]]:
    """One entry per registered check, in code order."""
    return [
        {
            "code": c.code,
            "name": c.name,
            "area": c.area,
            "severity": c.severity,
            "status": c.status,
            "aliases": list(c.aliases),
            "requires": list(c.requires),
            "options": [
                {"name": o.name, "default": o.default, "reason": o.reason} for o in c.options
            ],
            "seeds": list(c.seeds),
        }
        for c in registry.all()
    ]


def lint_catalog() -> list[dict[str, Any]]:
    """One entry per rule of the draft linter (`socialaudit lint`), in code order."""
    from ..lint import RULES

    return [
        {
            "code": r.code,
            "name": r.name,
            "level": str(r.level),
            "catches": r.summary,
            "options": [{"name": o.name, "default": o.default} for o in r.options],
        }
        for r in RULES
    ]


def render_catalog_json(registry: Registry) -> str:
    doc = {
        "checks": catalog(registry),
        "lint_rules": lint_catalog(),
        "plugin_errors": list(registry.load_errors),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n"


def render_catalog_text(registry: Registry, width: int = 120) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf, width=width, force_terminal=False, color_system=None, highlight=False
    )
    for area, title in [
        *AREAS.items(),
        *[(a, a) for a in sorted({c.area for c in registry.all()} - set(AREAS))],
    ]:
        checks = [c for c in registry.all() if c.area == area]
        if not checks:
            continue
        table = Table(
            title=Text(title, style="bold"), title_justify="left", box=None, pad_edge=False
        )
        for col in ("code", "name", "severity", "status", "needs", "options (default)"):
            table.add_column(col, overflow="fold")
        for c in checks:
            options = ", ".join(f"{o.name}={o.default!r}" for o in c.options) or "-"
            table.add_row(
                c.code, c.name, c.severity, c.status, ", ".join(c.requires) or "-", Text(options)
            )
        console.print(table)
        console.print()
    rules = lint_catalog()
    table = Table(
        title=Text("Draft linter (socialaudit lint)", style="bold"),
        title_justify="left",
        box=None,
        pad_edge=False,
    )
    for col in ("code", "name", "level", "catches"):
        table.add_column(col, overflow="fold")
    for r in rules:
        table.add_row(r["code"], r["name"], r["level"], Text(r["catches"]))
    console.print(table)
    console.print()
    console.print(
        Text(
            f"{len(registry.checks)} checks and {len(rules)} draft rules. "
            "`socialaudit explain CODE` tells what one checks and why."
        )
    )
    return buf.getvalue()
