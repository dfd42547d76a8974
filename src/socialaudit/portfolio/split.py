"""`socialaudit split SOURCE --by account`: one workspace per brand account, from a file that
holds many brands (TWCS holds 75) or a workspace, so that every check judges one brand.

Each account's workspace gets the rows `scope.py` gives the account: its own messages, the
customers' messages addressed to it (a customer who writes to two brands is in both), its
reply links redrawn past other brands' messages, and its accounts, likes, follows and
follower counts; label fixes and inbox decisions of those messages come along. What belongs to
no account is counted and said, never dropped silently: inbound messages addressed to no brand
account, and brand messages that name no account. Costs and conversions name no account, so
they are not split: import each brand's ledgers into its own workspace.

Splitting the same source again replaces each account's rows (the workspaces' imports are named
after the source and the account), like importing the same file twice.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config, load_config
from ..errors import UsageError
from ..vocabulary import brand_accounts
from ..workspace import CONFIG_NAME, DEFAULT_CONFIG, ImportBatch, Workspace
from .brands import PORTFOLIO_CONFIG, is_workspace, slugify
from .scope import Account, brand_rows, scope_to_brand

# The tables a brand's workspace receives (as scope.py shows them), and the per-message state
# that goes with its messages.
SPLIT_TABLES = ("messages", "accounts", "acknowledgements", "follows", "audience")
PER_MESSAGE = ("label_fixes", "inbox_state")

PORTFOLIO_TEMPLATE = """\
# The portfolio: every sub-folder holding a workspace is one brand (docs/agency.md).
# The agency's name and logo head the reports that go to clients.

[agency]
# name = "Northwind Digital"
# logo = "logo.png"   # a local PNG, JPEG, GIF, WebP or SVG file, embedded in the reports
"""


@dataclass
class SplitBrand:
    account: str  # platform:handle
    folder: Path
    messages: int


@dataclass
class SplitResult:
    into: Path
    brands: list[SplitBrand] = field(default_factory=list)
    shared_inbound: int = 0  # inbound messages addressed to more than one account
    unaddressed_inbound: int = 0  # inbound messages addressed to none of the accounts split
    other_brand_messages: int = 0  # brand messages of accounts not split (--account)
    unnamed_brand_messages: int = 0  # brand messages naming no account
    ledger_rows: int = 0  # costs and conversions, not split


def split_by_account(
    source: Path,
    into: Path,
    *,
    fmt: str | None = None,
    only: list[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SplitResult:
    """Split a multi-brand file (imported first, in a temporary workspace) or workspace into
    one workspace per brand account under `into`; `only`: just these accounts (handles, or
    platform:handle), the others' messages counted as left out."""
    source = source.expanduser()
    if is_workspace(source):
        with Workspace.open(source, create=False) as ws:
            return _split(ws, load_config(ws.config_path), into, _origin(ws), only, progress)
    from ..sources import read_path, write_batch

    batch = read_path(source, fmt)
    with (
        tempfile.TemporaryDirectory(prefix="socialaudit-split-") as tmp,
        Workspace.open(Path(tmp) / "all") as ws,
    ):
        write_batch(ws, batch)
        origin = (batch.source, batch.format, batch.gaps)
        return _split(ws, Config(), into, origin, only, progress)


def _origin(ws: Workspace) -> tuple[str, str, list[str]]:
    gaps: list[str] = []
    for r in ws.sql("select gaps from imports order by source").to_pylist():
        gaps += [g for g in json.loads(r["gaps"] or "[]") if g not in gaps]
    return (f"workspace {ws.root}", "split", gaps)


def accounts_to_split(ws: Workspace, config: Config) -> list[Account]:
    """Every brand account: those of the config (else the accounts table) and those named on
    the brand's messages, spelled as the accounts table spells them."""
    found = {(p, h.lower()): (p, h) for p, h in brand_accounts(ws, config)}
    for r in ws.sql(
        "select distinct platform, coalesce(account, author) as handle from messages"
        " where from_brand and coalesce(account, author) is not null order by 1, 2"
    ).to_pylist():
        found.setdefault((r["platform"], r["handle"].lower()), (r["platform"], r["handle"]))
    return sorted(found.values())


def _folders(accounts: list[Account]) -> dict[Account, str]:
    """A folder name per account: the handle, with the platform where two share a handle."""
    counts = Counter(slugify(h) for _, h in accounts)
    return {
        (p, h): slugify(h) if counts[slugify(h)] == 1 else slugify(f"{p}-{h}") for p, h in accounts
    }


def _split(
    ws: Workspace,
    config: Config,
    into: Path,
    origin: tuple[str, str, list[str]],
    only: list[str] | None,
    progress: Callable[[int, int], None] | None,
) -> SplitResult:
    accounts = accounts_to_split(ws, config)
    if not accounts:
        raise UsageError(f"{origin[0]}: no brand account to split by (no brand messages)")
    if only:
        wanted = {a.lower().lstrip("@") for a in only}
        chosen = [(p, h) for p, h in accounts if {h.lower(), f"{p}:{h}".lower()} & wanted]
        found = {h.lower() for _, h in chosen} | {f"{p}:{h}".lower() for p, h in chosen}
        missing = sorted(wanted - found)
        if missing:
            raise UsageError(
                f"{origin[0]}: no brand account {', '.join(missing)} (accounts: "
                f"{', '.join(f'{p}:{h}' for p, h in accounts[:20])}"
                f"{', ...' if len(accounts) > 20 else ''})"
            )
        accounts = chosen
    into = into.expanduser().resolve()
    folders = _folders(accounts)
    rows = brand_rows(ws, {f"{p}:{h}": [(p, h)] for p, h in accounts})
    result = SplitResult(into=into)
    owners: Counter[tuple[str, str]] = Counter()
    for r in rows.values():
        for platform, mid in zip(
            r.ids["platform"].to_pylist(), r.ids["id"].to_pylist(), strict=True
        ):
            owners[(platform, mid)] += 1
    every = ws.sql("select platform, id, coalesce(from_brand, false) as own from messages")
    inbound: set[tuple[str, str]] = set()
    own: set[tuple[str, str]] = set()
    for r in every.to_pylist():
        (own if r["own"] else inbound).add((r["platform"], r["id"]))
    result.shared_inbound = sum(1 for k in inbound if owners[k] > 1)
    result.unaddressed_inbound = sum(1 for k in inbound if owners[k] == 0)
    (result.unnamed_brand_messages,) = ws.sql(
        "select count(*) as n from messages where from_brand and account is null and author is null"
    )["n"].to_pylist()
    unowned = sum(1 for k in own if owners[k] == 0)
    result.other_brand_messages = unowned - result.unnamed_brand_messages
    result.ledger_rows = ws.count("costs") + ws.count("conversions")
    into.mkdir(parents=True, exist_ok=True)
    if not (into / PORTFOLIO_CONFIG).exists():
        (into / PORTFOLIO_CONFIG).write_text(PORTFOLIO_TEMPLATE, encoding="utf-8")
    source, fmt, gaps = origin
    for i, (platform, handle) in enumerate(accounts):
        if progress is not None:
            progress(i, len(accounts))
        key = f"{platform}:{handle}"
        scope_to_brand(ws, rows[key])
        tables = {name: ws.sql(f'select * from "{name}"') for name in SPLIT_TABLES}
        for name in PER_MESSAGE:
            tables[name] = ws.sql(
                f'select t.* from "{name}" t join _scope_ids s'
                " on s.platform = t.platform and s.id = t.message_id"
            )
        folder = into / folders[(platform, handle)]
        _write_config(folder, handle)
        with Workspace.open(folder) as brand_ws:
            brand_ws.write(
                ImportBatch(
                    source=f"{source} (split by account: {key})",
                    format=fmt,
                    tables=tables,
                    platform=platform,
                    account=handle,
                    gaps=list(gaps),
                )
            )
        result.brands.append(SplitBrand(key, folder, tables["messages"].num_rows))
    if progress is not None:
        progress(len(accounts), len(accounts))
    return result


def _write_config(folder: Path, handle: str) -> None:
    """A new brand workspace's config names the brand after its account (an existing config
    is the user's and is left as it is)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CONFIG_NAME
    if path.exists():
        return
    # json.dumps writes a TOML basic string: quotes and backslashes escaped.
    named = DEFAULT_CONFIG.replace('# name = "Acme Coffee"', f"name = {json.dumps(handle)}", 1)
    path.write_text(named, encoding="utf-8")
