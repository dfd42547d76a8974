"""The rulebook as code: a registry of checks loaded through entry points.

Layout: `base.py` (what a check is: `Check`, `Finding`, `AuditContext`), `evidence.py`
(evidence items made from messages), `references.py` (the articles the advice comes from), and
one package per area (`care/`, `presence/`, `content/`, `audience/`, `money/`, `plan/`) with one
file per check, named by its code (`care/SA101.py`), beside what the area's checks share.

Built-in checks are registered exactly like a plugin's: in pyproject.toml under
`[project.entry-points."socialaudit.checks"]`, each entry naming an area's `get_checks`, which
imports its checks only when called, not when its package loads (as sqlfluff's rule packages
do), so that loading the registry costs only what the checks that run need. A plugin that fails to load is reported by name and
skipped; it never stops an audit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from ..errors import ConfigError
from .base import AREAS, CAPABILITIES, EVIDENCE_LIMIT, AuditContext, Check, Finding, Option

__all__ = [
    "AREAS",
    "CAPABILITIES",
    "EVIDENCE_LIMIT",
    "AuditContext",
    "Check",
    "Finding",
    "Option",
    "Registry",
    "load_registry",
]

ENTRY_POINT_GROUP = "socialaudit.checks"
log = logging.getLogger(__name__)


@dataclass
class Registry:
    checks: dict[str, type[Check]] = field(default_factory=dict)
    load_errors: list[str] = field(default_factory=list)

    def add(self, check: type[Check]) -> None:
        if check.code in self.checks and self.checks[check.code] is not check:
            raise ValueError(f"two checks claim the code {check.code}")
        self.checks[check.code] = check

    def all(self) -> list[type[Check]]:
        return [self.checks[c] for c in sorted(self.checks)]

    def get(self, code_or_name: str) -> type[Check]:
        key = code_or_name.strip()
        for check in self.checks.values():
            if (
                key.upper() == check.code
                or key.lower() == check.name
                or key.upper() in check.aliases
            ):
                return check
        raise ConfigError(f"no check named {code_or_name!r}; `socialaudit checks` lists them")

    def select(
        self, select: list[str] | None = None, ignore: list[str] | None = None
    ) -> list[type[Check]]:
        """Checks chosen by code, code prefix, name or area; the most specific match wins."""
        select = [s for s in (select or []) if s.strip()]
        ignore = [s for s in (ignore or []) if s.strip()]
        for pattern in select + ignore:
            if not any(_specificity(pattern, c) for c in self.checks.values()):
                raise ConfigError(
                    f"select/ignore: {pattern!r} matches no check code, prefix, name or area"
                )
        chosen = []
        for check in self.all():
            sel = max((_specificity(p, check) for p in select), default=0) if select else 1
            ign = max((_specificity(p, check) for p in ignore), default=0)
            if sel and sel > ign:
                chosen.append(check)
        return chosen

    def validate_options(self, option_tables: dict[str, object]) -> dict[str, dict[str, object]]:
        """Merge `[checks.CODE]` tables over each check's defaults; unknown or bad values raise."""
        merged = {code: check.default_options() for code, check in self.checks.items()}
        for key, table in option_tables.items():
            check = self.get(key)
            if not isinstance(table, dict):
                raise ConfigError(f"[checks.{key}] must be a table of options")
            specs = {o.name: o for o in check.options}
            for name, value in table.items():
                if name == "as_of":
                    raise ConfigError(
                        f"[checks.{key}] as_of: the audit date is one setting for every check; "
                        "write it under [checks] (as_of = 2024-06-30)"
                    )
                if name not in specs:
                    known = ", ".join(specs) or "none"
                    raise ConfigError(f"[checks.{key}] unknown option {name!r} (known: {known})")
                try:
                    merged[check.code][name] = specs[name].validate(value)
                except ValueError as exc:
                    raise ConfigError(f"[checks.{key}] {name}: {exc}") from exc
        return merged


def _specificity(pattern: str, check: type[Check]) -> int:
    p = pattern.strip()
    if p.upper() == check.code or p.lower() == check.name or p.upper() in check.aliases:
        return 100
    if p.upper().startswith("SA") and check.code.startswith(p.upper()):
        return len(p)
    if p.lower() == check.area:
        return 1
    return 0


def load_registry() -> Registry:
    registry = Registry()
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            for check in ep.load()():
                registry.add(check)
        except Exception as exc:  # a broken plugin must not stop the audit; say which one
            msg = f"check plugin {ep.name!r} ({ep.value}) failed to load: {exc}"
            log.error(msg)
            registry.load_errors.append(msg)
    return registry
