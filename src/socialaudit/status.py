"""What is in a workspace, per platform and account, and which checks that data can answer.

`workspace_status(ws)` counts the rows each (platform, account) has in the canonical tables,
collects what its imports said the exports could not provide (the `gaps` recorded at import),
derives the capabilities of `checks.base.CAPABILITIES` from those counts, and sets them against
the `requires` of every registered check. A check is answerable when every capability it needs
is there, partly answerable when one is only partly there (an X archive knows when the requests
the brand answered were written, not what they said, nor the requests it never answered), and
not answerable otherwise, with what to import.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from .checks import CAPABILITIES, Registry, load_registry
from .config import Config, load_config
from .workspace import Workspace

YES, PARTIAL, NO = "yes", "partial", "no"
WORKSPACE_WIDE = ("costs", "conversions", "goals", "self_assessment")
PARTIAL_NOTES = {
    "inbound": "only the times of the messages the brand answered, derived from its replies; "
    "their texts and the messages it never answered are not in the export",
}
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
class AccountStatus:
    platform: str
    account: str | None
    messages: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    brand: int = 0
    inbound: int = 0
    inbound_time_only: int = 0
    acknowledgements: int = 0
    follows: dict[str, int] = field(default_factory=dict)
    audience: int = 0
    first: str | None = None
    last: str | None = None
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "accounts": [asdict(a) for a in self.accounts],
            "connected": self.connected,
            "workspace": {"capabilities": self.workspace, "counts": self.workspace_counts},
            "capabilities": dict(CAPABILITIES),
            "load_errors": self.load_errors,
        }


def workspace_status(
    ws: Workspace, config: Config | None = None, registry: Registry | None = None
) -> Status:
    config = config if config is not None else load_config(ws.config_path)
    registry = registry if registry is not None else load_registry()
    accounts: dict[tuple[str, str | None], AccountStatus] = {}

    def acct(platform: str, account: str | None) -> AccountStatus:
        key = (platform, account)
        if key not in accounts:
            accounts[key] = AccountStatus(platform, account)
        return accounts[key]

    # Every query is fixed text: nothing a user wrote is formatted into SQL.
    for platform, account, kind, from_brand, time_only, n in _rows(
        ws.sql(
            "select platform, account, kind, coalesce(from_brand, false), "
            "coalesce(time_only, false), count(*) from messages group by all"
        )
    ):
        a = acct(platform, account)
        a.messages += n
        a.by_kind[kind or "unknown"] = a.by_kind.get(kind or "unknown", 0) + n
        if from_brand:
            a.brand += n
        elif time_only:
            a.inbound_time_only += n
        else:
            a.inbound += n
    for platform, account, first, last in _rows(
        ws.sql(
            "select platform, account, min(created_at), max(created_at) from messages group by all"
        )
    ):
        a = acct(platform, account)
        a.first, a.last = _iso(first), _iso(last)
    for platform, account, n in _rows(
        ws.sql("select platform, account, count(*) from acknowledgements group by all")
    ):
        acct(platform, account).acknowledgements = n
    for platform, account, direction, n in _rows(
        ws.sql("select platform, account, direction, count(*) from follows group by all")
    ):
        acct(platform, account).follows[direction or "unknown"] = n
    for platform, account, n, first, last in _rows(
        ws.sql(
            "select platform, account, count(*), min(date), max(date) from audience group by all"
        )
    ):
        a = acct(platform, account)
        a.audience = n
        if a.first is None:
            a.first, a.last = _iso(first), _iso(last)
    with_metrics = {
        (p, acc)
        for p, acc in _rows(
            ws.sql(
                "select distinct platform, account from messages where from_brand and ("
                "likes is not null or reposts is not null or replies is not null or "
                "quotes is not null or impressions is not null or clicks is not null)"
            )
        )
    }
    for platform, handle in _rows(ws.sql("select platform, handle from accounts")):
        acct(platform, handle)

    _attach_imports(ws, accounts)

    counts = {name: ws.count(name) for name in ("costs", "conversions")}
    workspace = {
        "costs": YES if counts["costs"] else NO,
        "conversions": YES if counts["conversions"] else NO,
        "goals": YES if config.goals else NO,
        "self_assessment": YES if config.self_assessment else NO,
    }
    counts["goals"] = len(config.goals)
    counts["self_assessment"] = len(config.self_assessment)

    for (platform, account), a in accounts.items():
        a.capabilities = {
            "brand_posts": YES if a.brand else NO,
            "inbound": YES if a.inbound else (PARTIAL if a.inbound_time_only else NO),
            "inbound_text": YES if a.inbound else NO,
            "metrics": YES if (platform, account) in with_metrics else NO,
            "acknowledgements": YES if a.acknowledgements else NO,
            "follows": YES if a.follows else NO,
            "audience": YES if a.audience else NO,
        }
        a.checks = [_answer(check, {**a.capabilities, **workspace}) for check in registry.all()]

    ordered = sorted(accounts.values(), key=lambda a: (a.platform, a.account or ""))
    return Status(ordered, workspace, counts, list(registry.load_errors), _connected(config))


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
    requires = list(check.requires)
    missing = [c for c in requires if have.get(c, NO) != YES]
    if not missing:
        verdict = YES
    elif all(have.get(c) == PARTIAL for c in missing):
        verdict = PARTIAL
    else:
        verdict = NO
    return CheckAnswer(
        code=check.code,
        name=check.name,
        requires=requires,
        answerable=verdict,
        missing=missing,
        to_import=[CAPABILITIES.get(c, c) for c in missing],
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
        for platform, account, source in _rows(
            ws.sql(
                # table and column names come from the tuple above, never from input
                f'select distinct platform, "{account_col}", source from "{table}"'
            )
        ):
            sources.setdefault((platform, account), set()).add(source)
    imports = {
        source: (fmt, json.loads(gaps) if gaps else [])
        for source, fmt, gaps in _rows(ws.sql("select source, format, gaps from imports"))
    }
    for key, a in accounts.items():
        for source in sorted(s for s in sources.get(key, ()) if s is not None):
            fmt, gaps = imports.get(source, (None, []))
            a.imports.append({"source": source, "format": fmt or "unknown"})
            for gap in gaps:
                if gap not in a.gaps:
                    a.gaps.append(gap)


def _rows(table: Any) -> list[tuple]:
    cols = [table.column(i).to_pylist() for i in range(table.num_columns)]
    return list(zip(*cols, strict=True)) if cols else []


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


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
        kinds = ", ".join(f"{n} {k}" for k, n in sorted(a.by_kind.items()))
        lines.append(f"  messages: {a.messages}" + (f" ({kinds})" if kinds else ""))
        inbound = f"{a.inbound} inbound"
        if a.inbound_time_only:
            inbound += f" + {a.inbound_time_only} known by time only"
        lines.append(f"  brand: {a.brand}, {inbound}")
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
        for label, verdict in (
            ("can answer", YES),
            ("can partly answer", PARTIAL),
            ("cannot answer", NO),
        ):
            chosen = [c for c in a.checks if c.answerable == verdict]
            if not chosen:
                continue
            if verdict == YES:
                lines.append(f"  {label}: " + " ".join(c.code for c in chosen))
                continue
            lines.append(f"  {label}:")
            for c in chosen:
                why = "; ".join(
                    PARTIAL_NOTES.get(m, m)
                    if verdict == PARTIAL
                    else f"needs {m}: {CAPABILITIES.get(m, m)}"
                    for m in c.missing
                )
                lines.append(f"    {c.code} {c.name}: {why}")
        lines.append("")
    ws_caps = ", ".join(f"{c} {v}" for c, v in status.workspace.items())
    lines.append(f"workspace-wide: {ws_caps}")
    for c, v in status.workspace.items():
        if v == NO:
            lines.append(f"  to add {c}: {CAPABILITIES.get(c, c)}")
    for err in status.load_errors:
        lines.append(f"warning: {err}")
    return "\n".join(lines) + "\n"


def render_json(status: Status) -> str:
    return json.dumps(status.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _day(iso: str | None) -> str:
    return iso[:10] if iso else "?"
