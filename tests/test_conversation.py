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
