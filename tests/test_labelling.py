"""Labels in the workspace: labelled once, relabelled only when the backend changes, fixes win."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from socialaudit import model
from socialaudit.errors import UsageError
from socialaudit.labelling import (
    fix_label,
    label_workspace,
    model_path,
    train_from_workspace,
    workspace_backend,
)
from socialaudit.text import rules
from socialaudit.text.api import classify
from socialaudit.text.trained import load_model, train
from socialaudit.workspace import ImportBatch, Workspace

T0 = datetime(2024, 3, 1, 9, tzinfo=UTC)


def _messages(ws: Workspace, rows: list[tuple[str, str, bool]], source: str = "test") -> None:
    msgs = [
        {
            "platform": "x",
            "id": mid,
            "account": "acme",
            "author": "acme" if brand else f"user{i}",
            "from_brand": brand,
            "created_at": T0 + timedelta(minutes=i),
            "text": body,
            "kind": "post" if brand else "mention",
        }
        for i, (mid, body, brand) in enumerate(rows)
    ]
    ws.write(
        ImportBatch(
            source=source, format="test", tables={"messages": model.to_table(model.MESSAGES, msgs)}
        )
    )


def _labels(ws: Workspace) -> dict[str, dict]:
    return {r["message_id"]: r for r in ws.sql("select * from labels").to_pylist()}


ROWS = [
    ("1", "@acme my order still hasn't arrived, terrible", False),
    ("2", "@acme do you ship to Canada?", False),
    ("3", "@acme thank you, wonderful service!", False),
    ("4", "20% off all beans this weekend only, shop now", True),
]


def test_labels_once_then_only_what_is_new(workspace: Workspace) -> None:
    _messages(workspace, ROWS)
    assert label_workspace(workspace) == 4
    labels = _labels(workspace)
    assert [labels[k]["intent"] for k in "123"] == ["complaint", "question", "praise"]
    assert labels["4"]["content_type"] == "promotion"
    assert {r["backend"] for r in labels.values()} == {"rules"}
    assert {r["backend_version"] for r in labels.values()} == {rules.version()}

    assert label_workspace(workspace) == 0  # nothing changed: nothing relabelled
    _messages(workspace, [("5", "@acme worst app ever", False)], source="more")
    assert label_workspace(workspace) == 1
    assert _labels(workspace)["5"]["is_complaint"]


def test_labels_written_in_many_small_batches_are_those_of_one_batch(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Repeated texts (the same words from several customers) and more distinct texts than one
    # batch holds: each distinct text is labelled once, and every row gets its text's label.
    rows = [(f"{k}-{mid}", body, brand) for k in range(3) for mid, body, brand in ROWS]
    rows.append(("9", "@acme the app crashes every time I open it", False))
    got = {}
    for name, batch in (("one", 100_000), ("small", 2)):
        monkeypatch.setattr("socialaudit.labelling.WRITE_BATCH", batch)
        with Workspace.open(tmp_path / name) as ws:
            _messages(ws, rows)
            seen: list[tuple[int, int]] = []

            def follow(done: int, total: int, seen: list[tuple[int, int]] = seen) -> None:
                seen.append((done, total))

            assert label_workspace(ws, progress=follow) == len(rows)
            assert seen and all(t == len(rows) and 0 <= d <= t for d, t in seen)
            got[name] = _labels(ws)
    assert got["small"] == got["one"]
    assert len(got["one"]) == len(rows)
    assert got["one"]["2-1"]["intent"] == got["one"]["0-1"]["intent"] == "complaint"
    assert got["one"]["9"]["is_complaint"]


def test_a_stale_version_is_relabelled(workspace: Workspace) -> None:
    _messages(workspace, ROWS)
    label_workspace(workspace)
    workspace.sql("update labels set backend_version = 'old' where message_id = '2'")
    assert label_workspace(workspace) == 1
    assert _labels(workspace)["2"]["backend_version"] == rules.version()


def test_a_workspace_model_relabels_everything_and_config_can_turn_it_off(
    workspace: Workspace,
) -> None:
    _messages(workspace, ROWS)
    label_workspace(workspace)
    m = train(
        ["my parcel is soggy"] * 5
        + ["soggy box again"] * 5
        + ["nice morning"] * 5
        + ["a good book"] * 5,
        ["complaint"] * 10 + ["not"] * 10,
        "complaint",
    )
    m.save(model_path(workspace, "complaint"))
    backend = workspace_backend(workspace)
    assert backend.name == "trained" and backend.version.startswith("complaint-")
    assert label_workspace(workspace) == 4
    assert {r["backend"] for r in _labels(workspace).values()} == {"trained"}
    assert label_workspace(workspace) == 0

    workspace.config_path.write_text('[text]\nbackend = "rules"\n', encoding="utf-8")
    assert label_workspace(workspace) == 4
    assert {r["backend"] for r in _labels(workspace).values()} == {"rules"}


def test_a_fix_overrides_the_backend_and_survives_relabelling(workspace: Workspace) -> None:
    _messages(workspace, ROWS)
    label_workspace(workspace)
    fix = fix_label(workspace, "2", "intent", "complaint")
    assert fix["label"] == "complaint"
    row = _labels(workspace)["2"]
    assert row["intent"] == "complaint" and row["is_complaint"] and row["sentiment"] == "negative"
    assert json.loads(row["cues"])["intent_fixed"] == ["complaint: fixed by a person"]

    workspace.sql("update labels set backend_version = 'old'")
    label_workspace(workspace)
    assert _labels(workspace)["2"]["intent"] == "complaint"

    fix_label(workspace, "4", "content", "announcement")
    fix_label(workspace, "3", "sentiment", "neutral")
    labels = _labels(workspace)
    assert labels["4"]["content_type"] == "announcement"
    assert labels["3"]["sentiment"] == "neutral" and labels["3"]["intent"] == "praise"
    stored = workspace.sql("select task, label from label_fixes order by task").to_pylist()
    assert stored == [
        {"task": "content", "label": "announcement"},
        {"task": "intent", "label": "complaint"},
        {"task": "sentiment", "label": "neutral"},
    ]


def test_a_fix_before_any_labelling_is_kept(workspace: Workspace) -> None:
    _messages(workspace, ROWS)
    fix_label(workspace, "1", "intent", "other")
    assert _labels(workspace)["1"]["intent"] == "other"
    label_workspace(workspace)
    assert _labels(workspace)["1"]["intent"] == "other"


@pytest.mark.parametrize(
    ("message_id", "task", "label", "error"),
    [
        ("nope", "intent", "complaint", "no message with id 'nope'"),
        ("1", "intent", "angry", "expected one of complaint, question, praise, other"),
        ("1", "content", "promotion", "not the brand's own"),
        ("4", "intent", "question", "is the brand's own"),
        ("1", "mood", "happy", "unknown label task"),
    ],
)
def test_bad_fixes_are_refused(
    workspace: Workspace, message_id: str, task: str, label: str, error: str
) -> None:
    _messages(workspace, ROWS)
    with pytest.raises(UsageError, match=error):
        fix_label(workspace, message_id, task, label)
    assert workspace.count("label_fixes") == 0


def test_train_from_fixes(workspace: Workspace) -> None:
    rows = [(f"c{i}", f"@acme parcel {i} arrived soggy", False) for i in range(6)]
    rows += [(f"o{i}", f"@acme lovely garden day {i}", False) for i in range(6)]
    _messages(workspace, rows)
    with pytest.raises(UsageError, match="no label fixes"):
        train_from_workspace(workspace)
    for mid, _, _ in rows:
        fix_label(workspace, mid, "intent", "complaint" if mid.startswith("c") else "other")
    saved = train_from_workspace(workspace)
    assert list(saved) == ["intent"]
    assert load_model(model_path(workspace, "intent")).meta["examples"] == {
        "complaint": 6,
        "other": 6,
    }
    assert label_workspace(workspace) == 12  # the new model relabels everything
    labels = _labels(workspace)
    assert {r["backend"] for r in labels.values()} == {"trained"}
    assert all(
        labels[m]["intent"] == ("complaint" if m.startswith("c") else "other") for m in labels
    )


def test_the_config_marks_an_account_as_a_care_account_or_not(workspace: Workspace) -> None:
    # acme writes posts only: by its own messages it does no care, so a reply chatting with
    # someone is engagement; the config can say otherwise, and a change relabels only its replies.
    msgs = [
        {
            "platform": "x",
            "id": str(i),
            "account": "acme",
            "author": "acme",
            "from_brand": True,
            "created_at": T0 + timedelta(minutes=i),
            "text": body,
            "kind": kind,
        }
        for i, (body, kind) in enumerate(
            [
                ("New roast out today, single origin from Huila", "post"),
                ("Our new grinder is in the shop", "post"),
                ("Coffee tasting in Leeds on Friday", "post"),
                ("@ann see you there then", "reply"),
            ]
        )
    ]
    workspace.write(
        ImportBatch(
            source="t", format="test", tables={"messages": model.to_table(model.MESSAGES, msgs)}
        )
    )
    label_workspace(workspace)
    assert _labels(workspace)["3"]["content_type"] == "engagement"

    workspace.config_path.write_text('[text]\ncare_accounts = ["x:@Acme"]\n', encoding="utf-8")
    assert label_workspace(workspace) == 4  # every message of the account has a new context
    assert _labels(workspace)["3"]["content_type"] == "care_reply"

    workspace.config_path.write_text('[text]\nnot_care_accounts = ["acme"]\n', encoding="utf-8")
    label_workspace(workspace)
    assert _labels(workspace)["3"]["content_type"] == "engagement"

    workspace.config_path.write_text('[text]\ncare_accounts = "acme"\n', encoding="utf-8")
    with pytest.raises(UsageError, match=r"\[text\] care_accounts must be a list"):
        label_workspace(workspace)


def _label_own_posts(
    workspace: Workspace, rows: list[tuple[str, str, str, str | None]]
) -> dict[str, dict]:
    """Write one account's own posts and replies (id, text, kind, parent), label them, and
    return the labels by message id."""
    msgs = [
        {
            "platform": "x",
            "id": mid,
            "account": "dev",
            "author": "dev",
            "from_brand": True,
            "created_at": T0 + timedelta(minutes=i),
            "text": body,
            "kind": kind,
            "in_reply_to": parent,
        }
        for i, (mid, body, kind, parent) in enumerate(rows)
    ]
    workspace.write(
        ImportBatch(
            source="t", format="test", tables={"messages": model.to_table(model.MESSAGES, msgs)}
        )
    )
    label_workspace(workspace)
    return _labels(workspace)


def test_a_reply_that_continues_the_authors_own_thread_is_an_own_post(
    workspace: Workspace,
) -> None:
    # A developer's thread: the second part replies to his own post and addresses no one, so
    # it is read as a post (an uncued one of some length is his own matter), not as chat; a
    # reply in the same thread that opens with a handle still talks to someone.
    rows = [
        ("1", "Spent the whole weekend repainting the kitchen with my kids", "post", None),
        ("2", "The blue we picked looks much darker on the walls than on the tin", "reply", "1"),
        (
            "3",
            "@ann the blue we picked looks much darker on the walls than on the tin",
            "reply",
            "1",
        ),
    ]
    labels = _label_own_posts(workspace, rows)
    assert labels["2"]["content_type"] == labels["1"]["content_type"] == "personal"
    assert labels["3"]["content_type"] == "engagement"


def test_a_thread_continuation_with_no_cue_of_its_own_takes_the_threads_type(
    workspace: Workspace,
) -> None:
    # A tutorial thread: the parts that carry no cue (a link, "and then") take the type of the
    # post they continue, down the thread; a part with its own cue keeps its own type.
    rows = [
        ("1", "How to debug a slow Postgres query, a thread", "post", None),
        ("2", "More here: https://example.com/notes", "reply", "1"),
        ("3", "And the last part: https://example.com/more", "reply", "2"),
        ("4", "Spent the whole weekend repainting the kitchen with my kids", "reply", "3"),
        ("5", "More here: https://example.com/notes", "post", None),
    ]
    labels = _label_own_posts(workspace, rows)
    assert labels["1"]["content_type"] == "expertise"
    assert labels["2"]["content_type"] == labels["3"]["content_type"] == "expertise"
    assert json.loads(labels["3"]["cues"])["content_context"] == ["continues its author's thread"]
    assert labels["3"]["confidence"] == 0.5
    assert labels["4"]["content_type"] == "personal"  # its own words say so
    assert labels["5"]["content_type"] != "expertise"  # the same words alone, in no thread
    assert label_workspace(workspace) == 0  # the labels are current


def _write(ws: Workspace, rows: list[dict], source: str) -> None:
    ws.write(
        ImportBatch(
            source=source, format="test", tables={"messages": model.to_table(model.MESSAGES, rows)}
        )
    )


def _growing_workspace() -> list[tuple[str, list[dict]]]:
    """Two imports into one account's workspace: the second turns `acme` into a care account
    (nearly all it writes become replies), and brings the post that an earlier reply of acme's
    continues (a thread of its own posts, listed reply first as TWCS does)."""

    def msg(mid: str, i: int, text: str, brand: bool, kind: str, parent: str | None = None):
        return {
            "platform": "x",
            "id": mid,
            "account": "acme",
            "author": "acme" if brand else f"user{i}",
            "from_brand": brand,
            "created_at": T0 + timedelta(minutes=i),
            "text": text,
            "kind": kind,
            "in_reply_to": parent,
        }

    first = [
        msg(f"p{i}", i, f"Our new roast number {i} is out today", True, "post") for i in range(10)
    ]
    first.append(msg("c1", 20, "and it comes in a bigger bag too", True, "reply", "p99"))
    # (enough messages that the second import is a small part of the workspace: a write of
    # half the workspace or more makes every reader compare everything)
    first += [
        msg(f"q{i}", 30 + i, f"@acme where is my order {i}?", False, "mention") for i in range(450)
    ]
    second = [msg("p99", 19, "20% off all beans this weekend only, shop now", True, "post")]
    second += [
        msg(f"in{i}", 600 + 2 * i, "@acme my parcel never came", False, "mention")
        for i in range(100)
    ]
    second += [
        msg(f"r{i}", 601 + 2 * i, "@user sorry about that, we will look", True, "reply", f"in{i}")
        for i in range(100)
    ]
    return [("first", first), ("second", second)]


def test_labelling_after_an_import_reads_what_the_log_names_and_labels_as_a_full_pass(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A labelling after an import compares only the messages the change log names, the
    replies to them and the messages of an account whose care flag they turned; its labels are
    those of a workspace that labelled everything at once."""
    from socialaudit import labelling

    imports = _growing_workspace()
    with Workspace.open(tmp_path / "grown") as grown, Workspace.open(tmp_path / "fresh") as fresh:
        _write(grown, imports[0][1], "first")
        label_workspace(grown)
        before = _labels(grown)
        _write(grown, imports[1][1], "second")
        full: list[str] = []
        store = labelling._store_care_shares
        monkeypatch.setattr(
            labelling, "_store_care_shares", lambda ws, p: full.append("full") or store(ws, p)
        )
        assert label_workspace(grown) > 201  # the new messages, and acme's ten posts again
        assert full == []  # the change log named what to read
        monkeypatch.undo()
        for source, rows in imports:
            _write(fresh, rows, source)
        label_workspace(fresh)
        after = _labels(grown)
        assert after == _labels(fresh)
        # The second import did change the labels of messages it did not write: acme became a
        # care account, and its reply c1 now continues its own post p99 (type and all).
        assert after["p0"]["text_hash"] != before["p0"]["text_hash"]
        assert after["c1"]["content_type"] == after["p99"]["content_type"] == "promotion"
        assert before["c1"]["content_type"] != "promotion"


def test_a_fixed_intent_keeps_the_care_readings_of_the_sentiment(workspace: Workspace) -> None:
    """A person's intent fix recomputes the sentiment with what the rules read: a question asked
    is positive only from the request threshold, and a complaint the person denies still reads
    negative unless it is positive (rules.sentiment_label)."""
    _messages(
        workspace,
        [
            ("1", "@acme good morning, nice weather for a delivery", False),
            ("2", "@acme the app is nice but it keeps crashing when I open it", False),
        ],
    )
    label_workspace(workspace)
    before = _labels(workspace)
    assert before["1"]["intent"] == "other" and before["1"]["sentiment"] == "positive"
    assert rules.POSITIVE_AT <= before["1"]["sentiment_score"] < rules.REQUEST_POSITIVE_AT
    assert before["2"]["intent"] == "complaint"
    assert rules.NEGATIVE_AT < before["2"]["sentiment_score"] < rules.POSITIVE_AT

    fix_label(workspace, "1", "intent", "question")
    fix_label(workspace, "2", "intent", "other")
    after = _labels(workspace)
    assert after["1"]["intent"] == "question" and after["1"]["sentiment"] == "neutral"
    assert after["2"]["intent"] == "other" and after["2"]["sentiment"] == "negative"


def test_a_model_that_denies_a_complaint_keeps_it_near_one() -> None:
    """The same reading when a trained model, not a person, overrides the rules' complaint."""
    texts = ["@acme the app is nice but it keeps crashing when I open it"]
    assert classify(texts, [False]).to_pylist()[0]["intent"] == "complaint"
    denies = train(
        ["my parcel is soggy"] * 5 + ["soggy box again"] * 5 + ["the app is nice"] * 10,
        ["complaint"] * 10 + ["not"] * 10,
        "complaint",
    )
    row = classify(texts, [False], model=denies).to_pylist()[0]
    assert not row["is_complaint"] and row["sentiment"] == "negative"
