"""One brand of a workspace that holds several: which rows are the brand's, and the workspace
seen through them, so that every check judges that brand alone.

A brand is a set of accounts. Its rows:

* **messages**: its accounts' own messages; every inbound message addressed to one of its
  accounts (`conversation.py`: it mentions the account, or the account wrote one of its
  ancestors or descendants); and inbound messages the platform filed under one of its accounts.
  A customer who addresses two brands is in both. An inbound message keeps its `account` only
  when that is one of the brand's accounts.
* **reply links**: a message of the brand whose parent is not the brand's (another brand's
  reply in the same thread) but which sits below another message of the brand is linked to
  the nearest such message. So who is above and below whom among the brand's messages is what
  it is in the whole workspace, and with it what is addressed, answered and how fast: the
  brand's care figures alone equal its per-account figures in the whole workspace.
* **accounts, acknowledgements, follows, audience**: the rows of its accounts.
* **costs and conversions**: none. Ledgers name a platform, not an account, so a multi-brand
  workspace's ledgers cannot be split between its brands: keep each brand's ledgers in its own
  workspace (a portfolio folder, `socialaudit split`).
* labels, label fixes, the inbox's state and the audit history are shared (keyed by message or
  audit), not filtered.

A brand message that names no account (some Meta exports) belongs to no brand.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pyarrow as pa

from .. import conversation, model
from ..workspace import Workspace

Account = tuple[str, str]  # (platform, handle) as vocabulary.brand_accounts gives them

# The tables a brand's view filters, and how (each query reads the stored table as {stored}).
_BY_ACCOUNT = (
    "select * from {stored} t where exists (select 1 from _scope_accounts a "
    "where a.platform = t.platform and a.handle = lower(t.%s))"
)
# A brand's messages: its rows, with the reply links redrawn within the brand and an inbound
# message's account kept only when it is one of the brand's. The columns are listed (not
# DuckDB's `* replace`) so that Spark runs the same query.
_REDRAWN = {
    "in_reply_to": "coalesce(l.parent, m.in_reply_to)",
    "account": "case when m.from_brand or a.handle is not null then m.account end",
}
_MESSAGE_COLUMNS = ", ".join(
    f'{_REDRAWN[c]} as "{c}"' if c in _REDRAWN else f'm."{c}"'
    for c in model.TABLES["messages"].schema.names
)
VIEWS: dict[str, str] = {
    "messages": (
        f"select {_MESSAGE_COLUMNS}"
        " from {stored} m"
        " join _scope_ids s on s.platform = m.platform and s.id = m.id"
        " left join _scope_links l on l.platform = m.platform and l.id = m.id"
        " left join _scope_accounts a on a.platform = m.platform and a.handle = lower(m.account)"
    ),
    "accounts": _BY_ACCOUNT % "handle",
    "acknowledgements": _BY_ACCOUNT % "account",
    "follows": _BY_ACCOUNT % "account",
    "audience": _BY_ACCOUNT % "account",
    "costs": "select * from {stored} where false",
    "conversions": "select * from {stored} where false",
}

_IDS = pa.schema([("platform", pa.string()), ("id", pa.string())])
_LINKS = pa.schema([("platform", pa.string()), ("id", pa.string()), ("parent", pa.string())])
_ACCOUNTS = pa.schema([("platform", pa.string()), ("handle", pa.string())])


@dataclass
class BrandRows:
    """The rows of one brand: message ids, and the reply links redrawn within the brand."""

    accounts: list[Account]
    ids: pa.Table  # platform, id
    links: pa.Table  # platform, id, parent: the new parent of messages whose parent is not theirs

    @property
    def messages(self) -> int:
        return self.ids.num_rows


def brand_rows(ws: Workspace, brands: dict[str, list[Account]]) -> dict[str, BrandRows]:
    """Which messages belong to each brand (a name -> its accounts), computed for all brands in
    one pass: the conversation relations are built once for all the accounts."""
    every = sorted({a for accounts in brands.values() for a in accounts})
    m = ws.table("messages")
    pairs = conversation.addressed_pairs(ws, every).select("platform", "id", "brand")
    own = m.filter(m.from_brand.fill_null(False)).select(
        m.platform, m.id, brand=ibis.coalesce(m.account, m.author).lower()
    )
    filed = m.filter(~m.from_brand.fill_null(False) & m.account.notnull()).select(
        m.platform, m.id, brand=m.account.lower()
    )
    owner = ibis.union(pairs, own, filed, distinct=True)
    names = ibis.memtable(
        {
            "name": [n for n, accounts in brands.items() for _ in accounts],
            "platform": [p for accounts in brands.values() for p, _ in accounts],
            "brand": [h.lower() for accounts in brands.values() for _, h in accounts],
        },
        schema={"name": "string", "platform": "string", "brand": "string"},
    )
    mine = owner.join(names, ["platform", "brand"]).select("name", "platform", "id").distinct()
    mine = ws.create_temp("_scope_mine", mine)
    ids = ws.arrow(mine.order_by(["name", "platform", "id"]))
    links = ws.arrow(_redrawn_links(m, conversation.ancestors(ws), mine))
    out: dict[str, BrandRows] = {}
    for name, accounts in brands.items():
        out[name] = BrandRows(
            accounts=list(accounts),
            ids=_of(ids, name).select(["platform", "id"]).cast(_IDS),
            links=_of(links, name).select(["platform", "id", "parent"]).cast(_LINKS),
        )
    return out


def _of(table: pa.Table, name: str) -> pa.Table:
    import pyarrow.compute as pc

    return table.filter(pc.equal(table["name"], name))


def _redrawn_links(m: ibis.Table, anc: ibis.Table, mine: ibis.Table) -> ibis.Table:
    """For each brand's messages, the nearest ancestor that is also that brand's, where that is
    not the message's own parent (another brand's message lies between them)."""
    up = mine.view()
    inside = anc.join(mine, ["platform", "id"]).join(
        up, [anc.platform == up.platform, anc.ancestor == up.id, mine.name == up.name]
    )
    inside = inside.select(
        name=mine.name, platform=anc.platform, id=anc.id, ancestor=anc.ancestor, depth=anc.depth
    )
    nearest = inside.group_by(["name", "platform", "id"]).aggregate(
        parent=inside.ancestor.argmin(inside.depth)
    )
    joined = nearest.join(m, ["platform", "id"])
    return joined.filter(
        joined.in_reply_to.isnull() | (joined.in_reply_to != joined.parent)
    ).select("name", "platform", "id", "parent")


def scope_to_brand(ws: Workspace, rows: BrandRows) -> None:
    """From now on this open workspace shows only the brand's rows (see the module doc)."""
    accounts = pa.table(
        {
            "platform": [p for p, _ in rows.accounts],
            "handle": [h.lower() for _, h in rows.accounts],
        },
        schema=_ACCOUNTS,
    )
    ws.shadow(
        VIEWS,
        helpers={"_scope_ids": rows.ids, "_scope_links": rows.links, "_scope_accounts": accounts},
    )
