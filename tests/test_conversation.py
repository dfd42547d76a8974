"""The conversation definitions of issue 2, on small hand-made reply trees."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from socialaudit import conversation, model
from socialaudit.workspace import ImportBatch

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def msg(
    id: str,
    author: str,
    minutes: float,
    text: str = "",
    parent: str | None = None,
    brand: bool = False,
    platform: str = "x",
) -> dict:
    from socialaudit.sources.base import mentions_in

    return {
        "platform": platform,
        "id": id,
        "author": author,
        "from_brand": brand,
        "account": author if brand else None,
        "created_at": T0 + timedelta(minutes=minutes),
        "text": text,
        "in_reply_to": parent,
        "mentions": mentions_in(text),
        "kind": "reply" if parent else "post",
    }


def load(ws, rows, brands=("acme",)):
    ws.write(
        ImportBatch(
            source="test",
            format="test",
            tables={
                "messages": model.to_table(model.MESSAGES, rows),
                "accounts": model.to_table(
                    model.ACCOUNTS, [{"platform": "x", "handle": b} for b in brands]
                ),
            },
        )
    )
    pairs = conversation.addressed_pairs(ws, [("x", b) for b in brands])
    return {(r["id"], r["brand"]): r for r in ws.arrow(pairs).to_pylist()}


def test_sibling_branch_reply_does_not_answer(workspace):
    rows = [
        msg("p", "acme", 0, "New roast today", brand=True),
        msg("a", "ann", 10, "is it decaf?", parent="p"),
        msg("b", "bob", 12, "same question", parent="p"),
        msg("r", "acme", 30, "@bob no, it is not", parent="b", brand=True),
    ]
    pairs = load(workspace, rows)
    assert pairs[("a", "acme")]["by_ancestor"] and not pairs[("a", "acme")]["answered"]
    assert pairs[("b", "acme")]["answered"]
    assert pairs[("b", "acme")]["first_response_seconds"] == 18 * 60


def test_mention_addresses_and_earliest_descendant_answers(workspace):
    rows = [
        msg("q", "ann", 0, "@ACME where is my parcel?"),
        msg("f", "ann", 5, "hello??", parent="q"),
        msg("r2", "acme", 90, "@ann tracking sent", parent="f", brand=True),
        msg("r1", "acme", 60, "@ann looking", parent="q", brand=True),
    ]
    pairs = load(workspace, rows)
    q = pairs[("q", "acme")]
    assert q["by_mention"] and q["by_descendant"] and q["answered"]
    assert q["first_response_seconds"] == 3600
    # the follow-up is answered by the reply below it, 85 minutes later
    assert pairs[("f", "acme")]["first_response_seconds"] == 85 * 60


def test_reply_before_the_message_does_not_answer_it(workspace):
    # clocks disagree: the brand's descendant is timestamped before the customer's message
    rows = [
        msg("q", "ann", 100, "@acme help?"),
        msg("r", "acme", 50, "@ann hi", parent="q", brand=True),
    ]
    pairs = load(workspace, rows)
    assert pairs[("q", "acme")]["by_descendant"] and not pairs[("q", "acme")]["answered"]


def test_missing_parent_leads_nowhere_and_unaddressed_is_absent(workspace):
    rows = [
        msg("c", "ann", 0, "replying to something we do not have", parent="missing-1"),
        msg("d", "bob", 1, "talking about coffee in general"),
        msg("e", "cat", 2, "@acme hello", parent="missing-2"),
    ]
    pairs = load(workspace, rows)
    assert set(pairs) == {("e", "acme")}
    assert not pairs[("e", "acme")]["answered"]


def test_two_brands_in_one_thread_the_one_that_answered_is_addressed(workspace):
    """Rule 2: a message tagging two brand accounts is addressed to the one that answered it,
    once (not once per tag)."""
    rows = [
        msg("q", "ann", 0, "@acme @globex who can fix this?"),
        msg("r", "globex", 20, "@ann we can", parent="q", brand=True),
    ]
    pairs = load(workspace, rows, brands=("acme", "globex"))
    assert set(pairs) == {("q", "globex")}
    q = pairs[("q", "globex")]
    assert q["addressed_by"] == "answer" and q["answered"] and q["first_response_seconds"] == 1200


def test_nearest_brand_ancestor_wins_over_mentions(workspace):
    """Rule 1: a reply in a thread goes to the brand account nearest above it, whatever it
    tags; a closing "thanks" below the brand's own reply is marked after_brand_reply."""
    rows = [
        msg("q", "ann", 0, "@acme my order is late"),
        msg("r", "acme", 10, "@ann sorry, DM us", parent="q", brand=True),
        msg("t", "ann", 20, "@acme @globex thanks, globex never answers", parent="r"),
        msg("p", "acme", 30, "New roast today", brand=True),
        msg("c", "bob", 40, "love it @globex", parent="p"),
    ]
    pairs = load(workspace, rows, brands=("acme", "globex"))
    assert set(pairs) == {("q", "acme"), ("t", "acme"), ("c", "acme")}
    assert pairs[("t", "acme")]["addressed_by"] == "reply"
    assert pairs[("t", "acme")]["after_brand_reply"]  # below acme's reply: it had answered
    assert not pairs[("c", "acme")]["after_brand_reply"]  # below a post: nobody had answered


def test_first_mention_when_nobody_answered(workspace):
    """Rule 3: unanswered and in no thread of a brand, a message is addressed to the account it
    mentions first: a complaint about a competitor is not charged to the brand it also tags."""
    rows = [
        msg("q", "ann", 0, "@globex lost my bag again, @acme never does that"),
        msg("x", "acme", 5, "hello", brand=True),
        msg("y", "globex", 5, "hello", brand=True),
    ]
    pairs = load(workspace, rows, brands=("acme", "globex"))
    assert set(pairs) == {("q", "globex")}
    assert pairs[("q", "globex")]["addressed_by"] == "mention"
    # Auditing acme alone ([brand] accounts), the complaint about globex is not acme's.
    acme_only = conversation.addressed_pairs(workspace, [("x", "acme")])
    assert workspace.arrow(acme_only).num_rows == 0


def test_deep_chain_and_cycle_terminate(workspace):
    rows = [msg("m0", "acme", 0, "start", brand=True)]
    for i in range(1, 60):
        author, brand = ("acme", True) if i % 2 == 0 else ("ann", False)
        rows.append(msg(f"m{i}", author, i, "more", parent=f"m{i - 1}", brand=brand))
    # a cycle in damaged data: x -> y -> x
    rows += [msg("x", "zed", 0, "@acme loop", parent="y"), msg("y", "zed", 1, "loop", parent="x")]
    pairs = load(workspace, rows)
    assert (
        pairs[("m1", "acme")]["answered"] and pairs[("m1", "acme")]["first_response_seconds"] == 60
    )
    assert ("x", "acme") in pairs and not pairs[("x", "acme")]["answered"]
    anc = {
        (r["id"], r["ancestor"])
        for r in workspace.arrow(conversation.ancestors(workspace)).to_pylist()
    }
    assert ("m59", "m0") in anc and ("x", "x") in anc


def write(ws, source, rows):
    ws.write(
        ImportBatch(
            source=source,
            format="test",
            tables={"messages": model.to_table(model.MESSAGES, rows)},
        )
    )


def pairs_of(ws):
    table = ws.arrow(conversation.ancestors(ws))
    return sorted(zip(*(table[c].to_pylist() for c in ("id", "ancestor", "depth")), strict=True))


def test_stored_ancestors_follow_arriving_messages(tmp_path, monkeypatch):
    """The ancestors kept in the workspace equal a walk from nothing after every kind of
    arrival, and are only extended (not rebuilt) when new replies continue old threads."""
    from socialaudit.workspace import Workspace

    rebuilt: list[int] = []
    rebuild = conversation._rebuild
    monkeypatch.setattr(
        conversation, "_rebuild", lambda ws, links: rebuilt.append(1) or rebuild(ws, links)
    )
    first = [
        msg("p", "acme", 0, "post", brand=True),
        msg("a", "ann", 1, "q", parent="p"),
        msg("b", "acme", 2, "r", parent="a", brand=True),
        msg("c", "cy", 3, "to an absent message", parent="z"),
        msg("c2", "acme", 4, "and a reply to it", parent="c", brand=True),
        msg("k", "kay", 5, "to another absent message", parent="w"),
    ]
    steps = [
        # new replies continuing old threads, two levels deep, and a new thread
        ("s2", [msg("d", "ann", 4, parent="b"), msg("e", "acme", 5, parent="d", brand=True)]),
        ("s3", [msg("n", "new", 6), msg("o", "acme", 7, parent="n", brand=True)]),
        # the message c answered arrives after it (TWCS lists replies first), with a new
        # parent of its own: the chains of c and c2 grow
        ("s4", [msg("z", "zed", 0, parent="z0"), msg("z0", "zed", -1, parent="p")]),
        # the message k answered arrives, answering k: a cycle through an old message
        ("s6", [msg("w", "wu", 6, parent="k")]),
        # a re-import that moves b to another parent
        ("s1", [*first[:2], msg("b", "acme", 2, "r", parent="p", brand=True), *first[3:]]),
        # a cycle among new messages
        ("s5", [msg("x", "xa", 8, parent="y"), msg("y", "ya", 9, parent="x")]),
    ]
    expected_rebuilds = [0, 0, 0, 1, 1, 1]
    ws = Workspace.open(tmp_path / "ws")
    write(ws, "s1", first)
    assert ("c", "z", 1) in pairs_of(ws) and ("b", "p", 2) in pairs_of(ws)
    written = {"s1": first}
    for (source, rows), rebuilds in zip(steps, expected_rebuilds, strict=True):
        rebuilt.clear()
        write(ws, source, rows)
        written[source] = rows
        got = pairs_of(ws)
        assert len(rebuilt) == rebuilds, source
        with Workspace.open(tmp_path / f"fresh_{source}") as fresh:
            for s, r in written.items():
                write(fresh, s, r)
            assert got == pairs_of(fresh), source
    assert ("e", "p", 4) not in got and ("e", "p", 3) in got  # b moved up: e is one closer
    assert ("c", "p", 3) in got and ("c2", "p", 4) in got and ("x", "x", 2) in got
    assert ("k", "k", 2) in got and ("w", "w", 2) in got
    ws.close()
    # Kept: a new process reuses the table without walking the links again.
    rebuilt.clear()
    with Workspace.open(tmp_path / "ws") as ws:
        assert pairs_of(ws) == got
    assert rebuilt == []


def addressed_of(ws, accounts):
    table = ws.arrow(conversation.addressed_pairs(ws, accounts))
    return sorted(tuple(sorted(r.items())) for r in table.to_pylist())


def test_stored_pairs_follow_arriving_messages(tmp_path, monkeypatch):
    """The addressed pairs kept in the workspace equal those of a new workspace after every
    kind of arrival, and are only brought up to date for the touched reply trees (not computed
    again) when messages were added or changed in place, or a brand account appeared."""
    from socialaudit.workspace import Workspace

    rebuilt: list[int] = []
    rebuild = conversation._rebuild_pairs
    monkeypatch.setattr(
        conversation,
        "_rebuild_pairs",
        lambda ws, *rest: rebuilt.append(1) or rebuild(ws, *rest),
    )
    first = [
        msg("p", "acme", 0, "post", brand=True),
        msg("a", "ann", 1, "@acme is it open?", parent="p"),
        msg("q", "quin", 2, "@acme @beta where is my order?"),
        msg("c", "cy", 3, "@beta broken again", parent="z"),
        msg("u", "uma", 4, "@acme hello?"),
    ]
    later = [msg("d", "ann", 6, "@acme thanks!", parent="b"), msg("n", "new", 7, "@acme hi")]
    steps = [
        # a reply below an old message, an answer to an old question, a new thread
        ("s2", [msg("b", "acme", 5, "@ann yes", parent="a", brand=True), *later]),
        # the message c answered arrives after it; a brand (beta) appears and answers q
        (
            "s3",
            [
                msg("z", "zed", 0, "@beta first"),
                msg("r", "beta", 8, "@quin sorry", parent="q", brand=True),
            ],
        ),
        # a message changed in place (its text)
        ("s1", [*first[:4], msg("u", "uma", 4, "@beta hello?")]),
        # a re-import that moves a reply to another parent
        ("s2", [msg("b", "acme", 5, "@ann yes", parent="p", brand=True), *later]),
    ]
    expected_rebuilds = [0, 0, 0, 1]
    accounts = [("x", "acme")]
    ws = Workspace.open(tmp_path / "ws")
    write(ws, "s1", first)
    assert addressed_of(ws, accounts)
    assert rebuilt == [1]  # the first read computes them all
    written = {"s1": first}
    for i, ((source, rows), rebuilds) in enumerate(zip(steps, expected_rebuilds, strict=True)):
        rebuilt.clear()
        write(ws, source, rows)
        written[source] = rows
        got = addressed_of(ws, accounts)
        assert len(rebuilt) == rebuilds, (i, source)
        with Workspace.open(tmp_path / f"fresh_{i}") as fresh:
            for s, r in written.items():
                write(fresh, s, r)
            assert got == addressed_of(fresh, accounts), (i, source)
            # another account list reads the same stored pairs
            assert addressed_of(ws, [("x", "beta")]) == addressed_of(fresh, [("x", "beta")])
    ids = {dict(r)["id"] for r in got}
    # q mentions both and beta answered it; u now mentions beta only: both are beta's
    assert {"a", "d", "n"} <= ids and not {"q", "u"} & ids
    ws.close()
    # Kept: a new process reuses them without computing them again.
    rebuilt.clear()
    with Workspace.open(tmp_path / "ws") as ws:
        assert addressed_of(ws, accounts) == got
    assert rebuilt == []
