"""The recurring themes of customers' requests (SA105): the words and word pairs found in the
most separate messages.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

import ibis

from ... import __version__
from ...engine.duck import sql_string
from ...urls import LINK
from ...vocabulary import share
from ..base import AuditContext

# Words that say nothing about what a customer wants: English function words (scikit-learn's
# list, see `theme_stopwords`) plus the filler of social media messages below. Kept here because
# only SA105 groups themes.
SOCIAL_FILLER = frozenset(
    {
        "i'm",
        "im",
        "it's",
        "its",
        "don't",
        "dont",
        "can't",
        "cant",
        "won't",
        "didn't",
        "doesn't",
        "isn't",
        "i've",
        "i'd",
        "you're",
        "they're",
        "that's",
        "there's",
        "what's",
        "let",
        "just",
        "like",
        "got",
        "get",
        "getting",
        "really",
        "still",
        "now",
        "today",
        "yesterday",
        "day",
        "days",
        "time",
        "hi",
        "hey",
        "hello",
        "pls",
        "plz",
        "please",
        "thanks",
        "thank",
        "thx",
        "lol",
        "amp",
        "via",
        "dm",
        "u",
        "ur",
        "ok",
        "yes",
        "yeah",
        "know",
        "want",
        "going",
        "make",
        "way",
        "one",
        "guys",
        "help",
        "need",
        "tell",
        "said",
        "say",
        "did",
        "does",
        "doing",
    }
)


# scikit-learn's English stop words (sklearn.feature_extraction.text.ENGLISH_STOP_WORDS), copied:
# importing scikit-learn for them cost every audit about a second of its re-audit's CPU.
# tests/test_house.py compares the copy with the installed list.
_ENGLISH_STOP_WORDS_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone
    anything anyway anywhere are around as at back be became because become becomes becoming
    been before beforehand behind being below beside besides between beyond bill both bottom
    but by call can cannot cant co con could couldnt cry de describe detail do done down due
    during each eg eight either eleven else elsewhere empty enough etc even ever every
    everyone everything everywhere except few fifteen fifty fill find fire first five for
    former formerly forty found four from front full further get give go had has hasnt have
    he hence her here hereafter hereby herein hereupon hers herself him himself his how
    however hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover most
    mostly move much must my myself name namely neither never nevertheless next nine no
    nobody none noone nor not nothing now nowhere of off often on once one only onto or
    other others otherwise our ours ourselves out over own part per perhaps please put
    rather re same see seem seemed seeming seems serious several she should show side since
    sincere six sixty so some somehow someone something sometime sometimes somewhere still
    such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three
    through throughout thru thus to together too top toward towards twelve twenty two un
    under until up upon us very via was we well were what whatever when whence whenever
    where whereafter whereas whereby wherein whereupon wherever whether which while whither
    who whoever whole whom whose why will with within without would yet you your yours
    yourself yourselves
"""
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP_WORDS_TEXT.split())


@cache
def theme_stopwords() -> frozenset[str]:
    """English function words (`ENGLISH_STOP_WORDS`) and the filler above."""
    return ENGLISH_STOP_WORDS | SOCIAL_FILLER


TOKEN_SPLIT = r"[^a-z0-9']+"


CLEAN = r"(@[A-Za-z0-9_.@-]+|" + LINK + r"|#)"


def _tokens(
    texts: ibis.Table, stop: list[str], duckdb: ibis.BaseBackend | None = None
) -> ibis.Table:
    """(platform, id, term): each message's distinct words and word pairs (`recurring_themes`).
    With the DuckDB backend `texts` is read from, the same terms by `_duckdb_tokens`."""
    if duckdb is not None:
        return _duckdb_tokens(duckdb, texts, stop)
    clean = texts.text.fill_null("").re_replace(CLEAN, " ").lower()
    toks = texts.select("platform", "id", toks=clean.re_split(TOKEN_SPLIT))

    def keep(word: ibis.StringValue) -> ibis.BooleanValue:
        return (word.length() >= 3) & ~word.isin(stop) & ~word.re_search(r"^[0-9']+$")

    uni = toks.select("platform", "id", term=toks.toks.unnest())
    uni = uni.filter(keep(uni.term))
    pairs = toks.select("platform", "id", p=toks.toks.zip(toks.toks[1:]).unnest())
    pairs = pairs.filter(keep(pairs.p.f1), keep(pairs.p.f2))
    bi = pairs.select("platform", "id", term=pairs.p.f1.concat(" ", pairs.p.f2))
    return ibis.union(uni, bi).distinct()


def _duckdb(ctx: AuditContext) -> ibis.BaseBackend | None:
    engine = ctx.workspace.engine
    return engine.backend if engine.name == "duckdb" else None


def _duckdb_tokens(backend: ibis.BaseBackend, texts: ibis.Table, stop: list[str]) -> ibis.Table:
    """`_tokens` in DuckDB SQL: each message split once, its words unnested once with their
    position and filtered once, and a pair made of two kept words in a row (a join on the next
    position). What Ibis writes for `_tokens` unnests every word and every pair of words and
    filters each word of a pair again: at 300 k rows (109 k requests) it took 1.9 CPU s against
    1.3-1.4 here (bench/audit.py's workspace, same 1,017,925 terms)."""
    source = backend.compile(texts.select("platform", "id", "text"))
    words = ", ".join(sql_string(w) for w in stop)
    not_stop = f"w not in ({words})" if stop else "true"
    query = f"""
with split as materialized (
    select platform, id, string_split_regex(
        lower(regexp_replace(coalesce(text, ''), {sql_string(CLEAN)}, ' ', 'g')),
        {sql_string(TOKEN_SPLIT)}) as toks
    from ({source}) as s
), kept as materialized (
    select platform, id, pos, w from (
        select platform, id, unnest(toks) as w, generate_subscripts(toks, 1) as pos from split
    ) as u
    where length(w) >= 3 and {not_stop} and not regexp_matches(w, '^[0-9'']+$')
)
select distinct platform, id, term from (
    select platform, id, w as term from kept
    union all
    select a.platform, a.id, a.w || ' ' || b.w from kept as a
    join kept as b on a.platform = b.platform and a.id = b.id and b.pos = a.pos + 1
) as terms
"""
    return backend.sql(query, dialect="duckdb")


# Each request's terms kept in the workspace beside a hash of its text (`fp`), under a name that
# carries the stop words (the brand's handles among them): a re-audit tokenises only the
# requests whose text it has not seen (after a sync: the new ones). A message tokenised into no
# term keeps one row with a null term, so that it is not tokenised again.
STORED_TERMS = "sa105_terms"


def _terms_tag(stop: list[str]) -> str:
    return hashlib.sha1(repr((__version__, CLEAN, TOKEN_SPLIT, stop)).encode()).hexdigest()[:10]


def request_terms(ctx: AuditContext, requests: ibis.Table, stop: list[str]) -> ibis.Table:
    """(platform, id, answered, created_at, term) for each request and each of its terms."""
    ws = ctx.workspace
    info = requests.select("platform", "id", "answered", "created_at")
    if not ws.keeps_derived:  # nothing stored: tokenised here
        t = _tokens(requests, stop, _duckdb(ctx))
        return info.join(t, ["platform", "id"]).select(info, t.term)
    cur, stored = _stored_terms(ctx, requests, stop)
    found = cur.join(
        stored,
        [cur.platform == stored.platform, cur.id == stored.id, cur.fp == stored.fp],
    ).select(cur.platform, cur.id, stored.term)
    return info.join(found, ["platform", "id"]).select(info, found.term)


def _current_requests(ctx: AuditContext, requests: ibis.Table) -> ibis.Table:
    """The requests with a hash of their text (`fp`), materialised once per audit."""
    return ctx.workspace.create_temp(
        "_themes_fp",
        requests.select(
            "platform",
            "id",
            "text",
            "answered",
            "created_at",
            fp=requests.text.fill_null("").hash(),
        ),
    )


def _stored_terms(
    ctx: AuditContext, requests: ibis.Table, stop: list[str], cur: ibis.Table | None = None
) -> tuple[ibis.Table, ibis.Table]:
    """The requests with their text hash (`_current_requests`), and the stored terms (their
    non-null rows) brought up to date: the requests whose text was not seen are tokenised."""
    ws = ctx.workspace
    name = f"{STORED_TERMS}_{_terms_tag(stop)}"
    cur = cur if cur is not None else _current_requests(ctx, requests)
    have = ws.has_table(name)
    todo = cur.anti_join(ws.table(name), ["platform", "id", "fp"]) if have else cur
    todo = ws.create_temp("_themes_todo", todo)
    if not have or todo.count().execute():  # (made even when empty: it is read below)
        t = _tokens(todo, stop, _duckdb(ctx))
        rows = todo.left_join(t, ["platform", "id"]).select(
            todo.platform, todo.id, todo.fp, term=t.term
        )
        keys = todo.select("platform", "id")
        if have:
            ws.keep(name, rows, replacing=keys)
        else:
            ws.keep(name, rows)
    stored = ws.table(name)
    return cur, stored.filter(stored.term.notnull())


# Per term, how many requests raise it and how many of those were answered, kept beside the
# requests they were counted from (`COUNTED`: key, text hash and answered): a re-audit counts
# again only the requests that came, went or changed since (after a sync: the new ones, and
# the old ones a new reply answered), instead of every term of every request.
STORED_COUNTS = "sa105_term_counts"
COUNTED = "sa105_counted"
_STATE = ["platform", "id", "fp", "answered"]


def term_counts(
    ctx: AuditContext, requests: ibis.Table, stop: list[str]
) -> tuple[ibis.Table, ibis.Table | tuple[ibis.Table, ibis.Table]]:
    """(term, messages, answered) over the requests, and what the examples are read from: the
    terms of each request (platform, id, answered, created_at, term), or, where they are kept,
    the requests with their text hash and the stored terms."""
    ws = ctx.workspace
    # Counted from every request's terms where nothing is kept, and on Spark (which keeps the
    # terms, not the counts: its small writes cost a job each). Materialised: tokenising is
    # the costly part, and the terms are read twice (counted, then the themes' examples).
    if not ws.keeps_derived or ws.engine.name != "duckdb":
        terms = ws.create_temp("_themes_terms", request_terms(ctx, requests, stop))
        return _counted(terms), terms
    tag = _terms_tag(stop)
    counts_name, counted_name = f"{STORED_COUNTS}_{tag}", f"{COUNTED}_{tag}"
    cur = _current_requests(ctx, requests)
    if ws.has_table(counts_name) and ws.has_table(counted_name):
        before = ws.table(counted_name)
        came = ws.create_temp("_themes_came", cur.select(*_STATE).anti_join(before, _STATE))
        went = ws.create_temp("_themes_went", before.anti_join(cur.select(*_STATE), _STATE))
        moved = int(came.count().execute()) + int(went.count().execute())
        if not moved:
            _, stored = _stored_terms(ctx, requests, stop, cur)
            return ws.table(counts_name), (cur, stored)
        if moved * 2 <= int(cur.count().execute()):
            stored = _count_again(ctx, requests, stop, cur, came, went, tag)
            return ws.table(counts_name), (cur, stored)
    _, stored = _stored_terms(ctx, requests, stop, cur)
    found = cur.join(stored, ["platform", "id", "fp"]).select("term", answered=cur.answered)
    ws.keep(counts_name, _counted(found))
    ws.keep(counted_name, cur.select(*_STATE))
    return ws.table(counts_name), (cur, stored)


def _count_again(
    ctx: AuditContext,
    requests: ibis.Table,
    stop: list[str],
    cur: ibis.Table,
    came: ibis.Table,
    went: ibis.Table,
    tag: str,
) -> ibis.Table:
    """The stored counts less the terms of the requests that went (or changed: their old row)
    and plus those of the requests that came (their new row); only the terms they hold are
    written. Returns the stored terms, brought up to date."""
    ws = ctx.workspace
    counts_name, counted_name = f"{STORED_COUNTS}_{tag}", f"{COUNTED}_{tag}"

    def signed(reqs: ibis.Table, terms: ibis.Table, sign: int, name: str) -> ibis.Table:
        rows = reqs.join(terms, ["platform", "id", "fp"]).select(
            "term",
            messages=ibis.literal(sign, "int64"),
            answered=reqs.answered.cast("int64") * sign,
        )
        return ws.create_temp(name, rows)  # (a stored table's types: nullable, as the counts)

    # The terms of what went are read before the stored terms change (a text edited in place
    # replaces its terms there).
    old_terms = ws.table(f"{STORED_TERMS}_{tag}")
    minus = signed(went, old_terms.filter(old_terms.term.notnull()), -1, "_themes_minus")
    _, stored = _stored_terms(ctx, requests, stop, cur)
    plus = signed(came, stored, 1, "_themes_plus")
    delta = ibis.union(minus, plus)  # (union all)
    touched = ws.create_temp("_themes_delta_terms", delta.select("term").distinct())
    old = ws.table(counts_name)
    old = old.semi_join(touched, "term")
    old = old.select(
        "term", messages=old.messages.cast("int64"), answered=old.answered.cast("int64")
    )
    rows = ibis.union(old, delta)
    rows = rows.group_by("term").aggregate(
        messages=rows.messages.sum().cast("int64"), answered=rows.answered.sum().cast("int64")
    )
    rows = ws.create_temp("_themes_counts_new", rows.filter(rows.messages > 0))
    ws.keep(counts_name, rows, replacing=touched)
    keys = ibis.union(came.select("platform", "id"), went.select("platform", "id"))
    ws.keep(counted_name, came, replacing=ws.create_temp("_themes_moved", keys))
    return stored


def _counted(terms: ibis.Table) -> ibis.Table:
    # (int64: DuckDB sums int64 into a 128-bit integer, which Ibis reads as a decimal)
    return terms.group_by("term").aggregate(
        messages=terms.count(), answered=terms.answered.cast("int64").sum().cast("int64")
    )


def recurring_themes(
    ctx: AuditContext, requests: ibis.Table, opts: dict[str, Any]
) -> list[dict[str, Any]]:
    """The top recurring words and word pairs of inbound requests, each counted once per
    message, with answered counts and up to three example ids (unanswered first)."""
    stop = sorted(theme_stopwords() | {h.lower() for _, h in ctx.brand_accounts})
    counted, terms = term_counts(ctx, requests, stop)
    counted = counted.filter(counted.messages >= opts["min_theme_messages"])
    candidates = ctx.rows(
        counted.order_by([counted.messages.desc(), counted.term]).limit(
            int(opts["top_themes"]) * 5
        ),
    )
    chosen: list[dict[str, Any]] = []
    for c in sorted(candidates, key=lambda c: (-c["messages"], " " not in c["term"], c["term"])):
        if " " not in c["term"] and any(
            c["term"] in ch["theme"].split(" ") and ch["messages"] * 2 >= c["messages"]
            for ch in chosen
        ):
            continue
        if " " in c["term"]:
            # A pair makes the single words it contains redundant when it covers half of them.
            chosen = [
                ch
                for ch in chosen
                if not (
                    " " not in ch["theme"]
                    and ch["theme"] in c["term"].split(" ")
                    and c["messages"] * 2 >= ch["messages"]
                )
            ]
        chosen.append(
            {
                "theme": c["term"],
                "messages": int(c["messages"]),
                "answered": int(c["answered"] or 0),
            }
        )
        if len(chosen) >= opts["top_themes"]:
            break
    chosen.sort(key=lambda th: (-th["messages"], th["theme"]))
    if not chosen:
        return []
    names = [th["theme"] for th in chosen]
    if isinstance(terms, tuple):  # the requests and their stored terms: only the chosen ones
        cur, stored = terms
        stored = stored.filter(stored.term.isin(names))
        picked = cur.join(stored, ["platform", "id", "fp"]).select(
            "platform", "id", "answered", "created_at", "term"
        )
    else:
        picked = terms.filter(terms.term.isin(names))
    w = ibis.window(
        group_by=[picked.term], order_by=[picked.answered, picked.created_at.desc(), picked.id]
    )
    picked = picked.mutate(rn=ibis.row_number().over(w))
    examples: dict[str, list[str]] = {}
    for r in ctx.rows(picked.filter(picked.rn < 3).order_by(["term", "rn"])):
        examples.setdefault(r["term"], []).append(r["id"])
    for th in chosen:
        th["answered_share"] = share(th["answered"], th["messages"])
        th["example_ids"] = examples.get(th["theme"], [])
    return chosen
