"""What is in a workspace, per platform and account, and which checks that data can answer.

`workspace_status(ws)` counts the rows each (platform, account) has in the canonical tables,
collects what its imports said the exports could not provide (the `gaps` recorded at import),
derives the capabilities from those counts and sets them against the `requires` of every
registered check, with the functions of `capabilities.py` the audit uses too (so `status` and
`audit` never disagree on what the data can answer). A check is answerable when every capability it needs
is there, partly answerable when one is only partly there (an X archive knows when the requests
the brand answered were written, not what they said, nor the requests it never answered), and
not answerable otherwise, with what to import.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .capabilities import (
    CAPABILITIES,
    NO,
    PARTIAL,
    PARTIAL_NOTES,
    YES,
    AccountData,
    account_data,
    account_levels,
    answerable,
    capabilities,
    is_brands,
    needs,
    tuples,
    workspace_capabilities,
)
from .checks import Registry, load_registry
from .config import Config, load_config
from .vocabulary import count, iso
from .workspace import Workspace

__all__ = ["NO", "PARTIAL", "YES", "Status", "render_json", "render_text", "workspace_status"]

UNKNOWN_ACCOUNT = "(unknown account)"


@dataclass
class CheckAnswer:
    code: str
    name: str
    requires: list[str]
    answerable: str  # yes, partial, no
    missing: list[str] = field(default_factory=list)  # capabilities absent or partial
    to_import: list[str] = field(default_factory=list)  # what would supply them


@dataclass
class AccountStatus(AccountData):
    """An account's counts (`capabilities.AccountData`, with `first` and `last` as ISO text),
    what its imports lacked, its capabilities, and what each check can answer from them."""

    # False for another brand's account in a file of several (not in `[brand] accounts`).
    brand_account: bool = True
    imports: list[dict[str, str]] = field(default_factory=list)  # source, format
    gaps: list[str] = field(default_factory=list)
    capabilities: dict[str, str] = field(default_factory=dict)
    checks: list[CheckAnswer] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.platform} {self.account or UNKNOWN_ACCOUNT}"


@dataclass
class Status:
    accounts: list[AccountStatus]
    workspace: dict[str, str]  # workspace-wide capabilities: costs, conversions, goals, ...
    workspace_counts: dict[str, int]
    load_errors: list[str] = field(default_factory=list)
    # Live accounts (`socialaudit connect`): platform, handle, service, where the secret is kept.
    connected: list[dict[str, str]] = field(default_factory=list)
    # What the audit can answer: every account together, from the same function the audit uses
    # (`capabilities.capabilities` and `answerable`), so the two never disagree.
    audit_capabilities: dict[str, str] = field(default_factory=dict)
    audit_checks: list[CheckAnswer] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "accounts": [asdict(a) for a in self.accounts],
            "connected": self.connected,
            "workspace": {"capabilities": self.workspace, "counts": self.workspace_counts},
            "audit": {
                "capabilities": self.audit_capabilities,
                "checks": [asdict(c) for c in self.audit_checks],
            },
            "capabilities": dict(CAPABILITIES),
            "load_errors": self.load_errors,
        }


def workspace_status(
    ws: Workspace, config: Config | None = None, registry: Registry | None = None
) -> Status:
    config = config if config is not None else load_config(ws.config_path)
    registry = registry if registry is not None else load_registry()
    workspace, counts = workspace_capabilities(ws, config)
    accounts: dict[tuple[str, str | None], AccountStatus] = {}
    for d in account_data(ws):
        a = AccountStatus(**{f.name: getattr(d, f.name) for f in fields(AccountData)})
        a.first, a.last = iso(d.first), iso(d.last)
        a.brand_account = is_brands(d, config)
        a.capabilities = account_levels(d, config)
        a.checks = [_answer(check, {**a.capabilities, **workspace}) for check in registry.all()]
        accounts[(d.platform, d.account)] = a
    _attach_imports(ws, accounts)
    ordered = sorted(accounts.values(), key=lambda a: (a.platform, a.account or ""))
    combined = capabilities(ws, config)
    return Status(
        ordered,
        workspace,
        counts,
        list(registry.load_errors),
        _connected(config),
        audit_capabilities=combined,
        audit_checks=[_answer(check, combined) for check in registry.all()],
    )


def _connected(config: Config) -> list[dict[str, str]]:
    from .credentials import describe

    return [
        {
            "platform": c.platform,
            "handle": c.handle,
            "service": c.service,
            "credential": c.credential,
            "credential_kept_in": describe(c.credential),
        }
        for c in config.connect
    ]


def _answer(check: Any, have: dict[str, str]) -> CheckAnswer:
    verdict, missing = answerable(check.requires, have)
    return CheckAnswer(
        code=check.code,
        name=check.name,
        requires=list(check.requires),
        answerable=verdict,
        missing=missing,
        to_import=needs(*missing),
    )


def _attach_imports(ws: Workspace, accounts: dict[tuple[str, str | None], AccountStatus]) -> None:
    """Each account gets the gaps of the imports that brought its rows."""
    sources: dict[tuple[str, str | None], set[str]] = {}
    for table, account_col in (
        ("messages", "account"),
        ("acknowledgements", "account"),
        ("follows", "account"),
        ("audience", "account"),
        ("accounts", "handle"),
    ):
        for platform, account, source in tuples(
            ws.sql(
                # table and column names come from the tuple above, never from input
                f'select distinct platform, "{account_col}", source from "{table}"'
            )
        ):
            sources.setdefault((platform, account), set()).add(source)
    imports = {
        source: (fmt, json.loads(gaps) if gaps else [])
        for source, fmt, gaps in tuples(ws.sql("select source, format, gaps from imports"))
    }
    for key, a in accounts.items():
        for source in sorted(s for s in sources.get(key, ()) if s is not None):
            fmt, gaps = imports.get(source, (None, []))
            a.imports.append({"source": source, "format": fmt or "unknown"})
            for gap in gaps:
                if gap not in a.gaps:
                    a.gaps.append(gap)


# -- rendering ---------------------------------------------------------------------------------


def render_text(status: Status) -> str:
    lines: list[str] = [
        f"connected {c['platform']}:{c['handle']} at {c['service']}; "
        f"credential kept in {c['credential_kept_in']}"
        for c in status.connected
    ]
    if not status.accounts:
        if lines:
            return "\n".join([*lines, "Nothing synced yet: run `socialaudit sync`."]) + "\n"
        return "The workspace is empty: import an export first (`socialaudit import PATH`).\n"
    if lines:
        lines.append("")
    for a in status.accounts:
        span = f"{_day(a.first)} .. {_day(a.last)}" if a.first else "no dated rows"
        lines.append(f"{a.label}  ({span})")
        if not a.brand_account:
            lines.append(
                f"  another brand's account ([brand] accounts does not list it): "
                f"{count(a.brand, 'message')}, not judged"
            )
            lines.append("")
            continue
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(a.by_kind.items()))
        lines.append(f"  messages: {a.messages}" + (f" ({kinds})" if kinds else ""))
        inbound = f"{a.inbound} inbound"
        if a.inbound_time_only:
            inbound += f" + {a.inbound_time_only} known by time only"
        lines.append(f"  brand: {a.brand}, {inbound}")
        if a.brand and not a.brand_timeline:
            lines.append(
                "  the brand's messages come from a dataset slice (TWCS-style), not its timeline"
            )
        follows = ", ".join(f"{n} {d}" for d, n in sorted(a.follows.items())) or "0"
        lines.append(
            f"  likes given: {a.acknowledgements}   follows: {follows}   "
            f"audience rows: {a.audience}"
        )
        for imp in a.imports:
            lines.append(f"  imported from {imp['source']} ({imp['format']})")
        if a.gaps:
            lines.append("  not in the imported exports:")
            lines += [f"    - {g}" for g in a.gaps]
        caps = ", ".join(f"{c} {v}" for c, v in a.capabilities.items())
        lines.append(f"  data: {caps}")
        lines.append("")
    ws_caps = ", ".join(f"{cap} {v}" for cap, v in status.workspace.items())
    lines.append(f"workspace-wide: {ws_caps}")
    for cap, v in status.workspace.items():
        if v == NO:
            lines.append(f"  to add {cap}: {needs(cap)[0]}")
    lines.append("")
    lines.append(
        "What the audit can answer (every account together, as `socialaudit audit` judges the "
        "workspace):"
    )
    for label, verdict in (
        ("can answer", YES),
        ("can partly answer", PARTIAL),
        ("cannot answer", NO),
    ):
        chosen = [c for c in status.audit_checks if c.answerable == verdict]
        if not chosen:
            continue
        if verdict == YES:
            lines.append(f"  {label}: " + " ".join(c.code for c in chosen))
            continue
        lines.append(f"  {label}:")
        for c in chosen:
            why = "; ".join(
                PARTIAL_NOTES.get(m, m) if verdict == PARTIAL else f"needs {m}: {n}"
                for m, n in zip(c.missing, needs(*c.missing), strict=True)
            )
            lines.append(f"    {c.code} {c.name}: {why}")
    for err in status.load_errors:
        lines.append(f"warning: {err}")
    return "\n".join(lines) + "\n"


def render_json(status: Status) -> str:
    return json.dumps(status.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "?"
