"""Conversations: reply trees, who a message is addressed to, whether and when it was answered.

The definitions are exact, so that figures can be compared with other tools:

* Reply links (`in_reply_to`) form a forest. A link to a message absent from the workspace is
  kept but leads nowhere: the absent parent has no author and no parent of its own.
* An inbound message (not from the brand) is *addressed to* exactly one brand account, so it
  counts once, for one brand: (1) the brand account whose message is its nearest ancestor in
  the reply tree (the one it replies to, or replies below); else (2) among the brand accounts
  it mentions, the one that answered it (wrote its earliest descendant), or the account that
  answered it when it mentions none; else (3) the brand account it mentions first in its text.
  The choice is made among every brand account the workspace knows (other brands of a
  multi-brand file included), so a complaint about a competitor that tags the brand stays the
  competitor's; `[brand] accounts` then keeps the brand's own. (Comments on the brand's posts
  and direct messages to it are covered by rule 1: their parent is the brand.)
* It is *answered* by that account when the account wrote one of its **descendants** at or
  after it; its *first response time* is the gap to the earliest such descendant. A reply to a
  sibling branch does not answer it.
* Medians and percentiles interpolate linearly (DuckDB `quantile_cont`).

Reply trees are walked without engine-specific recursive SQL: the `ancestors` relation
(message, ancestor, depth) is built by joining parent links again and again until nothing new
appears, which every Ibis engine runs; it is kept in the workspace and extended when replies
arrive (`ancestors`). The addressed pairs are kept too, for every brand account the workspace
knows, and only the reply trees that new or changed messages touch are computed again
(`_current_pairs`): a re-audit after a sync redoes what the sync brought.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import ibis
import ibis.expr.types as ir

from .workspace import Workspace

if TYPE_CHECKING:
    from .vocabulary import AuditDates

__all__ = [
    "FIGURE_NAMES",
    "addressed_pairs",
    "ancestors",
    "assigned",
    "care_pairs",
    "labelled_pairs",
    "pairs_as_of",
    "response_figures",
    "with_brand_likes",
]

MAX_DEPTH = 10_000  # a guard against reply cycles in damaged data; real chains are short


def brand_table(accounts: list[tuple[str, str]]) -> ir.Table:
    return ibis.memtable(
        {"platform": [p for p, _ in accounts], "brand": [h.lower() for _, h in accounts]},
        schema={"platform": "string", "brand": "string"},
    )


STORED_ANCESTORS = "conv_ancestors"
_PAIR = ["platform", "id", "ancestor"]


def ancestors(ws: Workspace) -> ir.Table:
    """(platform, id, ancestor, depth) for every message and each message above it.

    Kept in the workspace (table `conv_ancestors`), so that an audit does not walk 3 M reply
    links again: each read compares the reply links of `messages` with those the table was
    built from (its depth-1 rows) and
    * reuses it when they are the same;
    * extends it when links were only added: each new reply's ancestors are its parent and
      the parent's ancestors, and the chains of replies that arrived before it grow by them,
      so only the new rows and their replies are touched (`_extend`);
    * rebuilds it otherwise: a link gone or changed (a re-import, a deletion), or a new link
      that closes a cycle.
    It depends on reply links only, never on the config (which accounts are the brand's).
    """
    return ws.derived("conversation.ancestors", ("messages",), lambda: _current_ancestors(ws))


def _links(ws: Workspace) -> ir.Table:
    m = ws.table("messages")
    return (
        m.filter(m.in_reply_to.notnull())
        .select(m.platform, m.id, ancestor=m.in_reply_to)
        .distinct()
    )


def _current_ancestors(ws: Workspace) -> ir.Table:
    links = _links(ws)
    if not ws.keeps_derived:
        # Nothing can be stored, or only one brand's part of the workspace is seen (a
        # portfolio audit): walked, never kept.
        return _walk(ws, links)
    seq = ws.messages_seq()  # read before the messages: a later write is seen next time
    out = _updated_ancestors(ws, links)
    ws.read_messages_up_to(STORED_ANCESTORS, seq)
    return out


def _updated_ancestors(ws: Workspace, links: ir.Table) -> ir.Table:
    if not ws.has_table(STORED_ANCESTORS):
        return _rebuild(ws, links)
    stored = ws.table(STORED_ANCESTORS)
    known = stored.filter(stored.depth == 1).select(*_PAIR)
    # Only the links of the messages written since the last read can have come or gone
    # (the change log); without a log that can tell, every link is compared.
    touched = ws.messages_touched_since(STORED_ANCESTORS)
    if touched is not None:
        touched = ws.create_temp("_conv_links_touched", touched)
        known = known.semi_join(touched, _KEY)
        links_now = links.semi_join(touched, _KEY)
    else:
        links_now = links
    if known.anti_join(links_now, _PAIR).count().execute():
        return _rebuild(ws, links)
    added = ws.create_temp("_conv_added", links_now.anti_join(known, _PAIR))
    if not added.count().execute():
        return stored
    return _extend(ws, added, links)


def _extend(ws: Workspace, added: ir.Table, links: ir.Table) -> ir.Table:
    """Add what the new reply links of `added` bring, touching only them and their replies:

    * the new links walked on their own (`_walk`, by doubling: a new thread 118 replies deep
      takes 8 joins), which gives each new message its ancestors up to the first message that
      is not new;
    * beyond that message, its stored ancestors;
    * a message may arrive after replies to it (TWCS files list replies first; an export may
      lack a parent that a later one holds): the chains that ended at it grow by its ancestors.
    A new link that closes a cycle is left to the full walk."""
    stored = ws.table(STORED_ANCESTORS)
    # Pairs (reply, newly linked message) stored before: the chains that end at a new link.
    ending = stored.semi_join(
        added, [stored.platform == added.platform, stored.ancestor == added.id]
    )
    new = _walk(ws, added)
    # The last new link of each new chain ends at a message that is not new (or is absent).
    edge = new.anti_join(added, [new.platform == added.platform, new.ancestor == added.id])
    beyond = edge.join(stored, [edge.platform == stored.platform, edge.ancestor == stored.id])
    beyond = beyond.select(
        platform=edge.platform,
        id=edge.id,
        ancestor=stored.ancestor,
        depth=edge.depth + stored.depth,
    )
    mine = ws.create_temp("_conv_new", ibis.union(new, beyond))
    if mine.filter(mine.id == mine.ancestor).count().execute():
        return _rebuild(ws, links)
    grown = ending.join(mine, [ending.platform == mine.platform, ending.ancestor == mine.id])
    grown = grown.select(
        platform=ending.platform,
        id=ending.id,
        ancestor=mine.ancestor,
        depth=ending.depth + mine.depth,
    )
    rows = ibis.union(mine, grown)
    rows = rows.group_by(_PAIR).aggregate(depth=rows.depth.min())
    return ws.keep(STORED_ANCESTORS, rows.anti_join(stored, _PAIR), append=True)


def _rebuild(ws: Workspace, links: ir.Table) -> ir.Table:
    return ws.keep(STORED_ANCESTORS, _walk(ws, links))


def _walk(ws: Workspace, links: ir.Table) -> ir.Table:
    """All ancestors from the reply links (a temporary table), by doubling: after the step with span `s`, the
    relation holds every pair up to depth 2s, because a pair at depth d in (s, 2s] is the
    ancestor at exactly depth s followed by a pair of depth d - s <= s that is already known. So
    a chain 118 replies deep (TWCS has them) needs 8 joins, not 118, and every engine runs it.

    A message has one parent (messages are keyed by platform and id), so without a cycle each
    pair is found once, at its one depth, and a step's pairs are new: the walk adds them as they
    are. Damaged data may hold a reply cycle (x answers y, y answers x); then a message becomes
    its own ancestor no later than the step that would find a pair a second time (a pair seen at
    depths d1 < d2 <= 2s puts its ancestor on a cycle of at most d2 - d1 < 2s messages), so that
    step sees it and the walk starts again checking each step against the pairs already known
    (`careful`): a cycle then adds nothing new after one turn and the walk ends.
    """
    quick = _walk_steps(ws, links, careful=False)
    if quick is not None:
        return quick
    walked = _walk_steps(ws, links, careful=True)
    assert walked is not None  # a careful walk always ends
    return walked


def _walk_steps(ws: Workspace, links: ir.Table, *, careful: bool) -> ir.Table | None:
    """The walk of `_walk`; None when a step finds a cycle and the walk is not `careful`."""
    known = ws.create_temp(
        "_conv_ancestors",
        links.select(*_PAIR, depth=ibis.literal(1, "int64")),
    )
    span = 1
    while span < MAX_DEPTH:
        exact = known.filter(known.depth == span)
        above = known.view()  # a self-join needs a second, distinct reference
        nxt = exact.join(
            above, [exact.platform == above.platform, exact.ancestor == above.id]
        ).select(
            platform=exact.platform,
            id=exact.id,
            ancestor=above.ancestor,
            depth=exact.depth + above.depth,
        )
        if careful:
            nxt = nxt.anti_join(known, _PAIR)
            # min(): a cycle can reach the same pair at two depths within one step
            nxt = nxt.group_by(_PAIR).aggregate(depth=nxt.depth.min())
        found = ws.create_temp("_conv_step", nxt)
        step = ws.arrow(
            found.aggregate(n=found.count(), loops=(found.id == found.ancestor).cast("int64").sum())
        ).to_pylist()[0]
        if not careful and step["loops"]:
            return None
        if step["n"] == 0:
            break
        ws.append_temp("_conv_ancestors", found)
        span *= 2
    return known


@functools.cache
def _arg_min_udf(value_type: str, key_type: str) -> Callable[..., ir.Scalar]:
    # (a builtin: the body never runs; its types are the signature below)
    def arg_min_null(value, key):  # type: ignore[no-untyped-def]  # types: the signature
        """DuckDB's arg_min_null: `value` at the row of the smallest `key`, nulls kept."""

    return ibis.udf.agg.builtin(
        arg_min_null, name="arg_min_null", signature=((value_type, key_type), value_type)
    )


def _argmin_unique(ws: Workspace, value: ir.Value, key: ir.Value) -> ir.Scalar:
    """`value.argmin(key)` for a key that is never null and never tied within a group.

    On DuckDB, its hash aggregate `arg_min_null`: Ibis compiles argmin to
    `first(value ORDER BY key)`, an ordered aggregate that sorts every group, which was the
    costliest operator of the addressed pairs (0.74 of their 2.6 s at 300 k rows, EXPLAIN
    ANALYZE). The two agree wherever the key is non-null and unique in its group (they differ
    only when every key of a group is null; a tie either breaks arbitrarily); other engines
    keep argmin."""
    if ws.engine.name != "duckdb":
        return value.argmin(key)
    return _arg_min_udf(str(value.type()), str(key.type()))(value, key)


def addressed_pairs(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    """One row per inbound message addressed to one of `accounts`, with the answer.

    Each inbound message is addressed to exactly one brand account (`assigned`), chosen among
    every brand account the workspace knows, so a message about a competitor is never charged to
    the brand it merely tags; the rows are those whose account is in `accounts`. Computed once
    per open workspace and reused by every reader (the care checks, the charts, the inbox)
    until messages or accounts are written again.
    """
    key = "conversation.addressed_pairs:" + repr(sorted(accounts))
    return ws.derived(key, ("messages", "accounts"), lambda: _current_pairs(ws, accounts))


# The addressed pairs kept in the workspace (of every brand account), beside what they were
# computed from: each message's reply link and a hash of the columns they read (`_SEEN`), and
# the brand accounts the workspace knew (`_BRANDS`).
STORED_PAIRS = "conv_pairs"
_SEEN = "conv_pairs_seen"
_BRANDS = "conv_pairs_brands"
# The columns of `messages` that decide whom a message is addressed to and when it was
# answered (a change in another, likes say, touches no stored pair).
_PAIR_INPUTS = ("from_brand", "account", "author", "created_at", "mentions", "text")
# The inbound message's own columns of a pair: joined when the pairs are read, not stored twice.
_MESSAGE_COLUMNS = (
    "created_at",
    "author",
    "author_followers",
    "text",
    "url",
    "kind",
    "time_only",
    "likes",
    "reposts",
)
_KEY = ["platform", "id"]


def _tag(accounts: list[tuple[str, str]]) -> str:
    # The name carries the account list: two lists give two tables, never one overwriting
    # the other.
    return hashlib.sha1(repr(sorted(accounts)).encode()).hexdigest()[:10]


def _seen(ws: Workspace) -> ir.Table:
    m = ws.table("messages")
    return m.select(
        m.platform,
        m.id,
        m.in_reply_to,
        fp=ibis.struct({c: m[c] for c in _PAIR_INPUTS}).hash(),
    )


def _current_pairs(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    """`_addressed_pairs`, kept in the workspace and brought up to date with only the reply
    trees that changed: an inbound message's pair reads its own row, the messages above and
    below it in its tree, and the set of brand accounts, nothing else. So

    * with no message new or changed, the stored pairs are read as they are;
    * when messages were only added or changed in place (an import or a sync of new replies,
      new likes), the trees that hold them (every message connected to them by reply links)
      are computed again and replace their rows;
    * a brand account that appeared or went touches the messages that mention it;
    * otherwise (a message gone, a reply link changed, half the workspace touched) everything
      is computed again.
    """
    if not ws.keeps_derived:
        return _addressed_pairs(ws, accounts)  # nothing can be stored, or only a part is seen
    stored = _stored_pairs(ws, accounts).semi_join(brand_table(accounts), ["platform", "brand"])
    m = ws.table("messages")
    read = stored.join(m, [stored.platform == m.platform, stored.id == m.id]).select(
        stored.platform,
        stored.id,
        stored.brand,
        *(m[c] for c in _MESSAGE_COLUMNS),
        *(stored[c] for c in stored.columns if c not in ("platform", "id", "brand")),
    )
    # Read by the care pairs (materialised once per audit) and a chart: not written apart.
    return ws.intermediate(f"_conv_read_{_tag(accounts)}", read)


def _stored_pairs(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    """The stored part of `_current_pairs` (all but the message's own columns), up to date,
    for every brand account the workspace knows (whom a message is addressed to is chosen
    among them all, whatever `accounts` the reader asks for): a new account list, or an
    account that arrives with an import, reuses what is stored."""
    seq = ws.messages_seq()  # read before the messages: a later write is seen next time
    out = _updated_pairs(ws, accounts)
    ws.read_messages_up_to(STORED_PAIRS, seq)
    return out


def _updated_pairs(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    pairs, seen, brands = STORED_PAIRS, _SEEN, _BRANDS
    now_brands = ws.create_temp("_conv_brands", brand_handles(ws, accounts).distinct())
    if not all(ws.has_table(t) for t in (pairs, seen, brands)):
        return _rebuild_pairs(ws, accounts, pairs, seen, brands, now_brands)
    kept_brands = ws.table(brands)
    # A brand account that appeared or went changes only whom the messages that mention it
    # are addressed to (rule 3): those are touched.
    swapped = ws.create_temp(
        "_conv_brands_swapped",
        ibis.union(
            now_brands.anti_join(kept_brands, ["platform", "brand"]),
            kept_brands.anti_join(now_brands, ["platform", "brand"]),
        ),
    )
    n_swapped = int(swapped.count().execute())
    m = ws.table("messages")
    # unnest first, lower after: Spark rejects a generator nested in an expression
    # (lower(explode(mentions)): UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS)
    mentions = m.select(m.platform, m.id, brand=m.mentions.unnest())
    mentioning = (
        mentions.mutate(brand=mentions.brand.lower())
        .semi_join(swapped, ["platform", "brand"])
        .select(*_KEY)
    )
    # Only the messages written since the last read can differ from what `seen` holds (the
    # change log); without a log that can tell, every message is hashed and compared.
    written = ws.messages_touched_since(STORED_PAIRS)
    current = _seen(ws)
    kept = ws.table(seen)
    if written is not None:
        written = ws.create_temp("_conv_written", written)
        current = current.semi_join(written, _KEY)
        kept = kept.semi_join(written, _KEY)
    current = ws.create_temp("_conv_seen", current)
    link = [
        kept.platform == current.platform,
        kept.id == current.id,
        kept.in_reply_to.identical_to(current.in_reply_to),
    ]
    if kept.anti_join(current, link).count().execute():
        return _rebuild_pairs(ws, accounts, pairs, seen, brands, now_brands)
    changed = current.anti_join(kept, [*_KEY, "fp"]).select(*_KEY)
    # (every message's mentions are read only when an account came or went)
    touched = ws.create_temp(
        "_conv_touched",
        ibis.union(changed, mentioning, distinct=True) if n_swapped else changed.distinct(),
    )
    n = touched.count().execute()
    if not n:
        return ws.table(pairs)
    if n * 2 > ws.count("messages"):
        return _rebuild_pairs(ws, accounts, pairs, seen, brands, now_brands)
    # The trees of the touched messages: their ancestors, and everything below those.
    anc = ancestors(ws)
    up = anc.semi_join(touched, _KEY).select(anc.platform, id=anc.ancestor)
    top = ws.create_temp("_conv_top", ibis.union(touched, up, distinct=True))
    down = anc.semi_join(top, [anc.platform == top.platform, anc.ancestor == top.id]).select(*_KEY)
    trees = ws.create_temp("_conv_trees", ibis.union(top, down, distinct=True))
    ws.keep(pairs, _every_brand_pairs(ws, now_brands, trees), replacing=trees)
    # _seen(ws), not `current`: a touched message that mentions a swapped brand may be unwritten
    ws.keep(seen, _seen(ws).semi_join(touched, _KEY), replacing=touched)
    if n_swapped:
        ws.keep(brands, now_brands)
    return ws.table(pairs)


def _rebuild_pairs(
    ws: Workspace,
    accounts: list[tuple[str, str]],
    pairs: str,
    seen: str,
    brands: str,
    now_brands: ir.Table,
) -> ir.Table:
    ws.keep(brands, now_brands)
    ws.keep(seen, _seen(ws))
    return ws.keep(pairs, _every_brand_pairs(ws, now_brands))


def _every_brand_pairs(ws: Workspace, brands: ir.Table, trees: ir.Table | None = None) -> ir.Table:
    """The pairs of every brand account in `brands` (`brand_handles`), less the message's own
    columns."""
    every = [(r["platform"], r["brand"]) for r in ws.arrow(brands).to_pylist()]
    return _addressed_pairs(ws, every, trees, every=True).drop("created_at")


def brand_handles(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    """(platform, brand) of every brand account the workspace knows, lower-case: the accounts
    table, the authors of brand messages, and `accounts`."""
    m = ws.table("messages")
    acc = ws.table("accounts")
    own = m.filter(m.from_brand.fill_null(False)).select(
        m.platform, brand=ibis.coalesce(m.account, m.author).lower()
    )
    listed = acc.select(acc.platform, brand=acc.handle.lower())
    return ibis.union(own, listed, brand_table(accounts)).filter(lambda t: t.brand.notnull())


def _in_trees(ws: Workspace, trees: ir.Table | None) -> tuple[ir.Table, ir.Table]:
    """(messages, ancestors), only those of the messages in `trees` (platform, id: whole reply
    trees) when given. A pair reads nothing outside its own tree but the brand accounts."""
    m = ws.table("messages")
    anc = ancestors(ws)
    if trees is None:
        return m, anc
    return m.semi_join(trees, _KEY), anc.semi_join(trees, _KEY)


def assigned(
    ws: Workspace,
    accounts: list[tuple[str, str]],
    trees: ir.Table | None = None,
    answers: ir.Table | None = None,
) -> ir.Table:
    """(platform, id, brand, addressed_by, after_brand_reply) for every inbound message addressed
    to some brand account: exactly one account per message, the first of

    1. `reply`: the brand account whose message is its nearest ancestor in the reply tree (the
       one it replies to, or replies below);
    2. `answer`: among the brand accounts it mentions, the one that wrote its earliest
       descendant (the one that answered it); when it mentions none, the account that did;
    3. `mention`: the brand account it mentions first in its text.

    `after_brand_reply`: its nearest brand ancestor is itself a reply (the brand had already
    answered in that thread), which is what makes a "thanks!" below it an acknowledgement.
    `trees`: only the messages of these reply trees (see `_in_trees`). `answers`: the brand
    messages below each inbound message, per brand account, when the caller has them
    (`_answers`: its column `at`), so that the tree is not joined with them a second time.
    """
    brands = brand_handles(ws, accounts).distinct()
    m, anc = _in_trees(ws, trees)
    brand_msgs = m.filter(m.from_brand.fill_null(False)).select(
        m.platform,
        bid=m.id,
        brand=ibis.coalesce(m.account, m.author).lower(),
        reply_at=m.created_at,
        is_reply=m.in_reply_to.notnull(),
    )
    inbound = m.filter(~m.from_brand.fill_null(False))

    above = anc.join(
        brand_msgs, [anc.platform == brand_msgs.platform, anc.ancestor == brand_msgs.bid]
    )
    # One brand message per ancestor, each ancestor at its own depth: the key is unique.
    nearest = above.group_by([above.platform, above.id]).aggregate(
        brand=_argmin_unique(ws, above.brand, above.depth),
        after_reply=_argmin_unique(ws, above.is_reply, above.depth),
    )
    mentioned = (
        inbound.select(inbound.platform, inbound.id, inbound.text, brand=inbound.mentions.unnest())
        .mutate(brand=lambda t: t.brand.lower())
        .join(brands, ["platform", "brand"])
    )
    mentioned = mentioned.mutate(
        pos=mentioned.text.lower().find(ibis.literal("@") + mentioned.brand)
    ).select("platform", "id", "brand", pos=lambda t: ibis.ifelse(t.pos < 0, 1 << 30, t.pos))
    mentioned = mentioned.distinct()
    # Two handles found at one position differ in length (one is the other's prefix); a tie
    # is left only between handles of one length that the text never spells as @handle.
    first_mention = mentioned.group_by(["platform", "id"]).aggregate(
        brand=_argmin_unique(ws, mentioned.brand, mentioned.pos * 1000 - mentioned.brand.length())
    )
    if answers is None:
        answers = _answers(m, anc)
    earliest = answers.select("platform", "id", "brand", "at")
    answered_mentioned = earliest.join(mentioned, ["platform", "id", "brand"])
    by_mentioned = answered_mentioned.group_by(["platform", "id"]).aggregate(
        brand=answered_mentioned.brand.argmin(answered_mentioned.at)
    )
    unmentioned = earliest.anti_join(mentioned.select("platform", "id"), ["platform", "id"])
    by_answer = unmentioned.group_by(["platform", "id"]).aggregate(
        brand=unmentioned.brand.argmin(unmentioned.at)
    )

    base = inbound.select(inbound.platform, inbound.id)
    keys = [base.platform == nearest.platform, base.id == nearest.id]
    t = base.left_join(nearest, keys).select(
        base.platform, base.id, reply_brand=nearest.brand, after_reply=nearest.after_reply
    )
    for name, rel in (
        ("answer_brand", ibis.union(by_mentioned, by_answer)),
        ("mention_brand", first_mention),
    ):
        t = t.left_join(rel, [t.platform == rel.platform, t.id == rel.id]).select(
            t, **{name: rel.brand}
        )
    t = t.mutate(
        brand=ibis.coalesce(t.reply_brand, t.answer_brand, t.mention_brand),
        addressed_by=ibis.cases(
            (t.reply_brand.notnull(), "reply"),
            (t.answer_brand.notnull(), "answer"),
            (t.mention_brand.notnull(), "mention"),
            else_=ibis.null("string"),
        ),
        after_brand_reply=t.reply_brand.notnull() & t.after_reply.fill_null(False),
    )
    return t.filter(t.brand.notnull()).select(
        "platform", "id", "brand", "addressed_by", "after_brand_reply"
    )


def _addressed_pairs(
    ws: Workspace,
    accounts: list[tuple[str, str]],
    trees: ir.Table | None = None,
    *,
    every: bool = False,
) -> ir.Table:
    """One row per inbound message addressed to one of `accounts` (see `assigned`), with the
    answer.

    Columns: platform, id, brand, created_at, author, author_followers, text, url, kind,
    time_only, likes, reposts, addressed_by, after_brand_reply, by_mention, by_ancestor,
    by_descendant, first_reply_at, first_response_seconds (null when unanswered), answered.
    `trees`: only the messages of these reply trees (see `_in_trees`). `every`: the pairs of
    every account in `accounts`, to be stored (`_every_brand_pairs`): of the message's own
    columns only created_at, and not materialised (the caller writes them).
    """
    brands = brand_table(accounts)
    m, anc = _in_trees(ws, trees)
    inbound = m.filter(~m.from_brand.fill_null(False))
    # Materialised: read twice (whom a message is addressed to, and its answer).
    answers = ws.create_temp("_conv_below", _answers(m, anc))
    chosen = assigned(ws, accounts, trees, answers)
    if not every:  # `every`: the pairs of every brand account the workspace knows
        chosen = chosen.semi_join(brands, ["platform", "brand"])
    # The stored pairs (`every`) leave out the message's own columns (joined when read) but
    # its time, which the answer is timed from.
    own = ("created_at",) if every else _MESSAGE_COLUMNS
    pairs = chosen.join(
        inbound, [chosen.platform == inbound.platform, chosen.id == inbound.id]
    ).select(
        chosen.platform,
        chosen.id,
        chosen.brand,
        *(inbound[c] for c in own),
        chosen.addressed_by,
        chosen.after_brand_reply,
        by_mention=inbound.mentions.map(lambda h: h.lower())
        .contains(chosen.brand)
        .fill_null(False),
        by_ancestor=chosen.addressed_by == "reply",
    )
    out = pairs.left_join(answers, ["platform", "id", "brand"]).select(
        pairs,
        by_descendant=answers.n.notnull(),
        first_reply_at=answers.first_reply_at,
    )
    out = out.mutate(
        first_response_seconds=(
            out.first_reply_at.epoch_seconds() - out.created_at.epoch_seconds()
        ).cast("float64"),
        answered=out.first_reply_at.notnull(),
    )
    if every:  # written to the workspace by the caller: not materialised twice
        return out
    return ws.create_temp(f"_conv_pairs_{_tag(accounts)}", out)


def _answers(m: ir.Table, anc: ir.Table) -> ir.Table:
    """(platform, id, brand, n, at, first_reply_at): for each inbound message and each brand
    account with messages below it in its tree (the message is their ancestor), how many
    (`n`), the earliest (`at`) and the earliest written at or after the inbound message
    (`first_reply_at`, its answer; null when all are older, as an import's clock may make them).
    One pass over the tree for both: whom the message is addressed to (`assigned`) and when
    that account answered."""
    brand_msgs = m.filter(m.from_brand).select(
        m.platform,
        bid=m.id,
        brand=ibis.coalesce(m.account, m.author).lower(),
        reply_at=m.created_at,
    )
    inbound = m.filter(~m.from_brand.fill_null(False)).select("platform", "id", "created_at")
    below = anc.join(
        brand_msgs, [anc.platform == brand_msgs.platform, anc.id == brand_msgs.bid]
    ).select(
        platform=anc.platform, id=anc.ancestor, brand=brand_msgs.brand, reply_at=brand_msgs.reply_at
    )
    below = below.join(inbound, ["platform", "id"])
    return below.group_by(["platform", "id", "brand"]).aggregate(
        n=below.count(),
        at=below.reply_at.min(),
        first_reply_at=below.reply_at.min(where=below.reply_at >= below.created_at),
    )


def labelled_pairs(ws: Workspace, accounts: list[tuple[str, str]]) -> ir.Table:
    """`addressed_pairs` joined with each inbound message's text labels.

    Reads the labels the labelling stage wrote (`socialaudit.labelling`, run by import and
    audit), so the audit and the inbox judge the same messages by the same labels. Adds
    is_question, is_complaint, is_praise (false when unlabelled), intent and cues (JSON) to the
    columns of `addressed_pairs`.
    """
    pairs = addressed_pairs(ws, accounts)
    labels = ws.table("labels")
    joined = pairs.left_join(
        labels, [pairs.platform == labels.platform, pairs.id == labels.message_id]
    ).select(
        pairs,
        is_question=labels.is_question.fill_null(False),
        is_complaint=labels.is_complaint.fill_null(False),
        is_praise=labels.is_praise.fill_null(False),
        intent=labels.intent,
        cues=labels.cues,
    )
    return ws.intermediate("_conv_labelled", joined)


def pairs_as_of(pairs: ir.Table, end: datetime) -> ir.Table:
    """`pairs` as they stood at `end` (an audit date before the end of the data): the inbound
    messages written by then, answered only when the first answer was written by then."""
    t = pairs.filter(pairs.created_at <= end)
    in_time = t.first_reply_at.notnull() & (t.first_reply_at <= end)
    return t.mutate(
        first_reply_at=ibis.ifelse(in_time, t.first_reply_at, ibis.null(t.first_reply_at.type())),
        first_response_seconds=ibis.ifelse(
            in_time, t.first_response_seconds, ibis.null(t.first_response_seconds.type())
        ),
        answered=in_time,
    )


def with_brand_likes(ws: Workspace, pairs: ir.Table) -> ir.Table:
    """`pairs` (from `addressed_pairs`) with `liked_by_brand`: the addressed account liked the
    message (`acknowledgements`). A like thanks praise (SA103, the inbox)."""
    ack = ws.table("acknowledgements")
    liked = ack.select(
        ack.platform, message_id=ack.message_id, brand=ack.account.lower()
    ).distinct()
    return pairs.left_join(
        liked,
        [
            pairs.platform == liked.platform,
            pairs.id == liked.message_id,
            pairs.brand == liked.brand,
        ],
    ).select(pairs, liked_by_brand=liked.message_id.notnull())


def care_pairs(
    ws: Workspace,
    accounts: list[tuple[str, str]],
    dates: AuditDates,
    reply_window_hours: float,
) -> ir.Table:
    """The addressed pairs as the care checks (SA101-SA103, SA105) and the inbox judge them, so
    that both count the same messages the same way.

    `labelled_pairs` as they stood at the `as_of` setting (when given), with the addressed
    account's like (`liked_by_brand`), what a person did in the inbox (`inbox_state`), the
    account's audit date (`audit_ts`) and how long each message had waited by then
    (`waited_seconds`), and:

    * `request`: a question or a complaint (it needs an answer);
    * `praise`: praise that is not a request (a request that also praises needs an answer);
    * `thanks_after_answer`: praise below the addressed account's own reply in the thread (the
      brand had already answered: "thanks, that worked" acknowledges the answer and is not
      praise still owed a reply);
    * `overdue`: a request still unanswered once the reply window has passed, `pending`: one
      still inside it;
    * `handled`, `ignored`: the inbox says a person answered it elsewhere (by DM, by phone) or
      that it needs nothing (spam, a bot);
    * `speaking`: the addressed account has messages (or likes) of its own in the workspace;
      without them (a file of customers' messages only) an unanswered message cannot be told
      from an answer that is simply not in the file.
    """
    pairs = labelled_pairs(ws, accounts)
    if dates.setting is not None:
        pairs = pairs_as_of(pairs, dates.setting)
    pairs = with_brand_likes(ws, pairs)
    st = ws.table("inbox_state")
    st = st.select(st_platform=st.platform, st_id=st.message_id, inbox_state=st.state)
    pairs = pairs.left_join(st, [pairs.platform == st.st_platform, pairs.id == st.st_id]).drop(
        "st_platform", "st_id"
    )
    pairs = dates.with_end(pairs, pairs.platform.concat(":", pairs.brand))
    m = ws.table("messages")
    own = m.filter(m.from_brand.fill_null(False))
    ack = ws.table("acknowledgements")
    speaking = ibis.union(
        own.select(
            sp_platform=own.platform, sp_brand=ibis.coalesce(own.account, own.author).lower()
        ),
        ack.select(sp_platform=ack.platform, sp_brand=ack.account.lower()),
    ).distinct()
    pairs = pairs.left_join(
        speaking, [pairs.platform == speaking.sp_platform, pairs.brand == speaking.sp_brand]
    )
    pairs = pairs.mutate(speaking=pairs.sp_brand.notnull()).drop("sp_platform", "sp_brand")
    waited = (pairs.audit_ts - ws.epoch_seconds(pairs.created_at)).cast("float64")
    request = pairs.is_question | pairs.is_complaint
    praise = pairs.is_praise & ~request
    open_request = request & ~pairs.answered
    window = float(reply_window_hours) * 3600
    return pairs.mutate(
        waited_seconds=waited,
        request=request,
        praise=praise,
        thanks_after_answer=praise & pairs.after_brand_reply.fill_null(False),
        overdue=open_request & (waited >= window),
        pending=open_request & (waited < window),
        handled=(pairs.inbox_state == "handled").fill_null(False),
        ignored=(pairs.inbox_state == "ignored").fill_null(False),
    )


FIGURE_NAMES = (
    "inbound",
    "answered",
    "unanswered",
    "median_first_response_seconds",
    "p90_first_response_seconds",
)


def response_figures(pairs: ir.Table, by: list[str] | None = None) -> ir.Table:
    """inbound, answered, unanswered, median and p90 first response (seconds), optionally by group."""
    metrics = dict(
        inbound=pairs.count(),
        answered=pairs.answered.sum().cast("int64"),
        unanswered=(~pairs.answered).sum().cast("int64"),
        median_first_response_seconds=pairs.first_response_seconds.quantile(0.5),
        p90_first_response_seconds=pairs.first_response_seconds.quantile(0.9),
    )
    if by:
        return pairs.group_by(by).aggregate(**metrics)
    return pairs.aggregate(**metrics)
