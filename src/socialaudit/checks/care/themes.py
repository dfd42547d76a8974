"""The recurring themes of customers' requests (SA105): the words and word pairs found in the
most separate messages.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

import ibis

from ... import __version__
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


def _tokens(texts: ibis.Table, stop: list[str]) -> ibis.Table:
    """(platform, id, term): each message's distinct words and word pairs (`recurring_themes`)."""
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


# Each request's terms kept in the workspace beside a hash of its text (`fp`), under a name that
# carries the stop words (the brand's handles among them): a re-audit tokenises only the
# requests whose text it has not seen (after a sync: the new ones). A message tokenised into no
# term keeps one row with a null term, so that it is not tokenised again.
STORED_TERMS = "sa105_terms"


def request_terms(ctx: AuditContext, requests: ibis.Table, stop: list[str]) -> ibis.Table:
    """(platform, id, answered, created_at, term) for each request and each of its terms."""
    ws = ctx.workspace
    info = requests.select("platform", "id", "answered", "created_at")
    if not ws.keeps_derived:  # nothing stored: tokenised here
        t = _tokens(requests, stop)
        return info.join(t, ["platform", "id"]).select(info, t.term)
    tag = hashlib.sha1(repr((__version__, CLEAN, TOKEN_SPLIT, stop)).encode()).hexdigest()[:10]
    name = f"{STORED_TERMS}_{tag}"
    cur = ws.create_temp(
        "_themes_fp",
        requests.select("platform", "id", "text", fp=requests.text.fill_null("").hash()),
    )
    have = ws.has_table(name)
    todo = cur.anti_join(ws.table(name), ["platform", "id", "fp"]) if have else cur
    todo = ws.create_temp("_themes_todo", todo)
    if not have or todo.count().execute():  # (made even when empty: it is read below)
        t = _tokens(todo, stop)
        rows = todo.left_join(t, ["platform", "id"]).select(
            todo.platform, todo.id, todo.fp, term=t.term
        )
        keys = todo.select("platform", "id")
        if have:
            ws.keep(name, rows, replacing=keys)
        else:
            ws.keep(name, rows)
    stored = ws.table(name)
    stored = stored.filter(stored.term.notnull())
    found = cur.join(
        stored,
        [cur.platform == stored.platform, cur.id == stored.id, cur.fp == stored.fp],
    ).select(cur.platform, cur.id, stored.term)
    return info.join(found, ["platform", "id"]).select(info, found.term)


def recurring_themes(
    ctx: AuditContext, requests: ibis.Table, opts: dict[str, Any]
) -> list[dict[str, Any]]:
    """The top recurring words and word pairs of inbound requests, each counted once per
    message, with answered counts and up to three example ids (unanswered first)."""
    stop = sorted(theme_stopwords() | {h.lower() for _, h in ctx.brand_accounts})
    # Materialised: tokenising every request is the costly part, and the terms are read twice
    # (counted, then the chosen themes' examples).
    terms = ctx.workspace.create_temp("_themes_terms", request_terms(ctx, requests, stop))
    counted = terms.group_by("term").aggregate(
        messages=terms.count(), answered=terms.answered.cast("int64").sum()
    )
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
