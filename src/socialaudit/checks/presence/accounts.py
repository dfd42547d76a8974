"""Which brand accounts the presence checks judge, and today's date for saying how old the audit
date is.
"""

from __future__ import annotations

from datetime import UTC, datetime

from ...vocabulary import account_key
from ..base import AuditContext


def known_accounts(ctx: AuditContext) -> dict[str, str]:
    """Every brand account the workspace knows, as {'platform:handle': where it comes from}.

    'export': the accounts table (an export of the account itself, so its posts are in it);
    'messages': named as the account of imported messages; 'config': only listed in
    `[brand] accounts`, with no data imported for it. When `[brand] accounts` names the brand's
    accounts, only those are the brand's (a file with several brands holds the others' too).
    """
    found: dict[str, str] = {}
    acc = ctx.table("accounts")
    for r in ctx.rows(acc.select(key=acc.platform.concat(":", acc.handle)).distinct()):
        found[r["key"]] = "export"
    m = ctx.table("messages")
    named = m.filter(m.account.notnull() | m.from_brand.fill_null(False))
    for r in ctx.rows(named.select(key=account_key(named)).distinct()):
        found.setdefault(r["key"], "messages")
    configured = ctx.brand_accounts
    if ctx.config.brand.accounts:
        mine = {f"{p}:{h}".lower() for p, h in configured}
        found = {k: src for k, src in found.items() if k.lower() in mine}
    lowered = {k.lower() for k in found}
    for platform, handle in configured:
        key = f"{platform}:{handle}"
        if key.lower() not in lowered:
            found[key] = "config"
    return found


def today() -> datetime:
    return datetime.now(UTC)
