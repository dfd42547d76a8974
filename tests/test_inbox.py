"""The inbox on the demo brand: exactly the planted requests and praise, most urgent first, and
what a person does with an item (done, ignore, assign, reopen, notes) kept in inbox_state."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import shared_path
from tests.threads import read_threads

from socialaudit.config import load_config
from socialaudit.demo import PLANTED, build_demo
from socialaudit.errors import UsageError
from socialaudit.inbox import build_inbox, inbox_items, resolve_ref, set_state
from socialaudit.labelling import fix_label, label_workspace
from socialaudit.sources import import_path
from socialaudit.sources.base import ImportOptions
from socialaudit.workspace import Workspace

PLANTED_ANSWER = set(PLANTED["SA101"]) | set(PLANTED["SA101_pending"])
PLANTED_THANK = set(PLANTED["SA103"])


@pytest.fixture(scope="module")
def demo_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo brand, built (and labelled) once for the module; tests work on copies."""
    root = tmp_path_factory.mktemp("inbox") / "demo"
    build_demo(root).close()
    return root


@pytest.fixture
def demo(demo_master: Path, tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    shutil.copytree(demo_master, root)
    return root


def _items(root: Path, **kw):
    with Workspace.open(root, create=False) as ws:
        return build_inbox(ws, load_config(ws.config_path), **kw)


def _import_jsonl(root: Path, name: str, rows: list[dict]) -> None:
    path = root / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with Workspace.open(root, create=False) as ws:
        import_path(ws, path, None, ImportOptions())
        label_workspace(ws)


# -- the library -------------------------------------------------------------------------------


def test_inbox_holds_exactly_the_planted_requests_and_praise(demo: Path) -> None:
    inbox = _items(demo)
    answer = [i for i in inbox.items if i.kind == "answer"]
    thank = [i for i in inbox.items if i.kind == "thank"]
    assert {i.message_id for i in answer} == PLANTED_ANSWER
    assert {i.message_id for i in thank} == PLANTED_THANK
    assert len(inbox.items) == len(answer) + len(thank)  # one item per message
    assert inbox.open_counts == {"answer": len(PLANTED_ANSWER), "thank": len(PLANTED_THANK)}
    # The pending request still needs an answer, but it is not overdue yet (SA101's window).
    pending = {i.message_id: i.overdue for i in answer}
    assert [m for m, overdue in pending.items() if not overdue] == PLANTED["SA101_pending"]


def test_items_carry_what_a_person_needs(demo: Path) -> None:
    inbox = _items(demo)
    assert inbox.as_of is not None
    for i in inbox.items:
        assert i.platform == "x" and i.account == "x:northwindcoffee"
        assert i.author and i.text and i.url and i.created_at
        assert i.waited_seconds == (inbox.as_of - i.created_at).total_seconds()
        assert i.state is None
        # The cues that decided the label, and only those that explain the action.
        expected = {"question", "complaint"} if i.kind == "answer" else {"praise"}
        assert i.cues and set(i.cues) <= expected | {"intent_fixed", "complaint_fixed"}
        assert i.intent in (("complaint", "question") if i.kind == "answer" else ("praise",))


def test_most_urgent_first(demo: Path) -> None:
    items = _items(demo).items
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=("answer", "thank").index)  # answers before thanks
    answers = [i for i in items if i.kind == "answer"]
    intents = [i.intent for i in answers]
    assert intents == sorted(intents, key=("complaint", "question").index)
    assert "complaint" in intents and "question" in intents
    for group in ("complaint", "question"):
        times = [i.created_at for i in answers if i.intent == group]
        assert times == sorted(times)  # oldest first within a group


def test_equally_old_requests_most_visible_first(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        {
            "id": "b1",
            "platform": "x",
            "author": "acme",
            "from_brand": True,
            "created_at": "2024-05-01T08:00:00Z",
            "text": "New beans today.",
        },
    ]
    for n, followers in (("quiet", 10), ("loud", 50_000), ("middle", 900)):
        rows.append(
            {
                "id": n,
                "platform": "x",
                "author": n,
                "from_brand": False,
                "created_at": "2024-05-02T09:00:00Z",
                "author_followers": followers,
                "text": "@acme do you ship to Canada?",
            }
        )
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    import_path(workspace, path, None, ImportOptions())
    label_workspace(workspace)
    items = inbox_items(workspace, load_config(workspace.config_path))
    assert [i.message_id for i in items] == ["loud", "middle", "quiet"]
    assert [i.visibility for i in items] == [50_000, 900, 10]


def test_an_answer_in_a_later_import_takes_the_item_out(demo: Path) -> None:
    first = PLANTED["SA101"][0]
    _import_jsonl(
        demo,
        "reply.jsonl",
        [
            {
                "id": "late-reply",
                "platform": "x",
                "author": "northwindcoffee",
                "from_brand": True,
                "created_at": "2026-11-11T06:00:00Z",
                "in_reply_to": first,
                "text": "@customer003 sorry for the wait: yes, it is!",
            }
        ],
    )
    ids = {i.message_id for i in _items(demo).items}
    assert first not in ids
    assert ids == (PLANTED_ANSWER | PLANTED_THANK) - {first}


def test_a_like_thanks_praise(demo: Path) -> None:
    praise = PLANTED["SA103"][0]
    _import_jsonl(
        demo,
        "likes.jsonl",
        [
            {
                "table": "acknowledgements",
                "platform": "x",
                "account": "northwindcoffee",
                "message_id": praise,
                "kind": "like",
            },
        ],
    )
    assert praise not in {i.message_id for i in _items(demo).items}


def test_a_label_fix_moves_the_item(demo: Path) -> None:
    question = PLANTED["SA101"][0]
    with Workspace.open(demo, create=False) as ws:
        fix_label(ws, question, "intent", "other", "x")
        fix_label(ws, PLANTED["SA101"][1], "intent", "complaint", "x")
        items = {i.message_id: i for i in build_inbox(ws, load_config(ws.config_path)).items}
    assert question not in items  # not a request after all
    fixed = items[PLANTED["SA101"][1]]
    assert fixed.intent == "complaint" and "intent_fixed" in fixed.cues


def test_states_hide_keep_and_bring_back(demo: Path) -> None:
    done, ignored, assigned = PLANTED["SA101"][:2] + PLANTED["SA103"][:1]
    with Workspace.open(demo, create=False) as ws:
        set_state(ws, "x", done, "handled", note="answered by DM")
        set_state(ws, "x", ignored, "ignored")
        set_state(ws, "x", assigned, "assigned", assignee="Alice")
        rows = ws.sql("select * from inbox_state order by message_id").to_pylist()
    assert {(r["message_id"], r["state"], r["assignee"], r["note"]) for r in rows} == {
        (done, "handled", None, "answered by DM"),
        (ignored, "ignored", None, None),
        (assigned, "assigned", "Alice", None),
    }
    inbox = _items(demo)
    ids = {i.message_id for i in inbox.items}
    assert done not in ids and ignored not in ids and assigned in ids
    assert inbox.closed == 2
    assert inbox.open_counts["answer"] == len(PLANTED_ANSWER) - 2
    every = {i.message_id: i for i in _items(demo, include_handled=True).items}
    assert every[done].state["state"] == "handled"
    assert every[done].state["note"] == "answered by DM"
    assert every[assigned].state["assignee"] == "Alice"
    # Marking the assigned item done keeps who had it; reopening brings an item back.
    with Workspace.open(demo, create=False) as ws:
        row = set_state(ws, "x", assigned, "handled")
        assert row["assignee"] == "Alice"
        set_state(ws, "x", done, "open")
    ids = {i.message_id for i in _items(demo).items}
    assert done in ids and assigned not in ids


def test_kind_filter(demo: Path) -> None:
    assert {i.message_id for i in _items(demo, kind="thank").items} == PLANTED_THANK
    with pytest.raises(UsageError, match="expected one of answer, thank"):
        _items(demo, kind="reply")


def test_bad_states_and_ids_are_one_line_errors(demo: Path) -> None:
    with Workspace.open(demo, create=False) as ws:
        with pytest.raises(UsageError, match="expected one of handled, ignored, assigned, open"):
            set_state(ws, "x", PLANTED["SA101"][0], "answered")
        with pytest.raises(UsageError, match="needs the person"):
            set_state(ws, "x", PLANTED["SA101"][0], "assigned")
        with pytest.raises(UsageError, match="no message with id x:nope"):
            set_state(ws, "x", "nope", "handled")
        with pytest.raises(UsageError, match="brand's own"):
            resolve_ref(ws, "nw00001")
        assert resolve_ref(ws, "x:nw00049") == ("x", "nw00049")
        assert resolve_ref(ws, "nw00049") == ("x", "nw00049")
        assert ws.count("inbox_state") == 0  # nothing written by the failures


def test_a_bare_id_on_two_platforms_is_ambiguous(workspace: Workspace, tmp_path: Path) -> None:
    rows = [
        {
            "id": "7",
            "platform": p,
            "author": "cust",
            "from_brand": False,
            "created_at": "2024-05-02T09:00:00Z",
            "text": "@acme where is my order?",
        }
        for p in ("x", "mastodon")
    ]
    path = tmp_path / "m.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    import_path(workspace, path, None, ImportOptions())
    label_workspace(workspace)
    with pytest.raises(UsageError, match=r"several platforms \(mastodon, x\).*platform:id"):
        resolve_ref(workspace, "7")
    assert resolve_ref(workspace, "mastodon:7") == ("mastodon", "7")


# -- the command line --------------------------------------------------------------------------


def _listed(out: str) -> set[str]:
    return {line.split()[0] for line in out.splitlines() if line.startswith("x:")}


def test_cli_lists_done_removes_all_shows(cli, demo: Path) -> None:
    code, out, err = cli("inbox", "-w", str(demo))
    assert code == 0, err
    assert _listed(out) == {f"x:{m}" for m in PLANTED_ANSWER | PLANTED_THANK}
    first = PLANTED["SA101"][0]
    code, out, err = cli("inbox", "done", first, "--note", "sent a DM", "-w", str(demo))
    assert code == 0, err
    assert f"x:{first} handled" in err
    code, out, _ = cli("inbox", "-w", str(demo))
    assert f"x:{first}" not in _listed(out)
    assert "1 handled or ignored" in out
    code, out, _ = cli("inbox", "--all", "--format", "json", "-w", str(demo))
    doc = json.loads(out)
    item = next(i for i in doc["items"] if i["message_id"] == first)
    assert item["state"]["state"] == "handled" and item["state"]["note"] == "sent a DM"


def test_cli_json_shape(cli, demo: Path) -> None:
    code, out, err = cli(
        "inbox", "--format", "json", "--kind", "answer", "--limit", "3", "-w", str(demo)
    )
    assert code == 0, err
    doc = json.loads(out)
    assert set(doc) == {
        "schema_version",
        "as_of",
        "open",
        "closed",
        "overdue",
        "within_reply_window",
        "customer_messages",
        "items",
    }
    assert doc["schema_version"] == 1 and doc["as_of"].startswith("2026-")
    assert doc["open"] == {"answer": len(PLANTED_ANSWER), "thank": len(PLANTED_THANK)}
    assert len(doc["items"]) == 3
    assert set(doc["items"][0]) == {
        "id",
        "platform",
        "message_id",
        "kind",
        "intent",
        "account",
        "author",
        "author_followers",
        "created_at",
        "waited_seconds",
        "overdue",
        "text",
        "url",
        "likes",
        "reposts",
        "visibility",
        "cues",
        "label_confidence",
        "check_label",
        "state",
    }
    assert [i["intent"] for i in doc["items"]][:1] == ["complaint"]
    assert all(i["id"] == f"x:{i['message_id']}" and i["kind"] == "answer" for i in doc["items"])


def test_cli_ignore_assign_reopen(cli, demo: Path) -> None:
    a, b = PLANTED["SA103"][:2]
    assert cli("inbox", "ignore", f"x:{a}", "-w", str(demo))[0] == 0
    code, _, err = cli("inbox", "-w", str(demo), "assign", b, "Bob")  # -w before the command
    assert code == 0 and "assigned to Bob" in err
    code, out, _ = cli("inbox", "--kind", "thank", "-w", str(demo))
    assert f"x:{a}" not in _listed(out) and f"x:{b}" in _listed(out)
    assert "assigned → Bob" in out
    assert cli("inbox", "reopen", a, "-w", str(demo))[0] == 0
    assert f"x:{a}" in _listed(cli("inbox", "-w", str(demo))[1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("inbox", "done", "nope"), "no message with id 'nope' in the workspace"),
        (("inbox", "done", "nw00001"), "is the brand's own"),
        (("inbox", "assign", "nw00049", "  "), "needs the person"),
        (("inbox", "--kind", "later"), "expected one of answer, thank"),
        (("inbox", "--format", "xml"), "expected text or json"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(cli, demo: Path, args, message) -> None:
    code, out, err = cli(*args, "-w", str(demo))
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
    assert out == ""
    with Workspace.open(demo, create=False) as ws:
        assert ws.count("inbox_state") == 0


def test_cli_text_stays_inert_in_a_terminal(cli, demo: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # a wide terminal: no cell wraps
    hostile = "@northwindcoffee [bold red]terrible[/] service \x1b[2J\x1b]0;pwned\x07 \u202eevil"
    _import_jsonl(
        demo,
        "hostile.jsonl",
        [
            {
                "id": "h1",
                "platform": "x",
                "author": "troll",
                "from_brand": False,
                "created_at": "2026-11-10T09:00:00Z",
                "text": hostile,
            }
        ],
    )
    code, out, err = cli("inbox", "-w", str(demo))
    assert code == 0, err
    assert "x:h1" in out
    assert "[bold red]terrible[/] service" in out  # shown as written, never taken as markup
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_an_empty_workspace_has_an_empty_inbox(cli, workspace: Workspace) -> None:
    assert inbox_items(workspace, load_config(workspace.config_path)) == []
    code, out, err = cli("inbox", "-w", str(workspace.root))
    assert code == 0, err
    # Issue 16 item 9: no customer messages at all is not "nothing to answer".
    assert "No customer messages in this workspace" in out
    assert "Nothing to answer or thank." not in out


# -- real data: the inbox against an independent walk of the reply trees ------------------------


@pytest.mark.realdata
def test_real_twcs_inbox_matches_an_independent_walk(workspace: Workspace) -> None:
    """On real TWCS threads: the inbox holds exactly the inbound questions, complaints and
    praise that the one brand account each is addressed to never answered below it, computed
    here in plain Python from the CSV (tests/threads.py: addressing and answers), with the
    intents taken from the workspace's labels (classification is tested elsewhere; this tests
    the threads and the selection). A thanks below the brand's own reply acknowledges an answer
    and is not listed."""
    path = shared_path("twcs", "twcs_head5000_multibrand.csv")
    import_path(workspace, path, None, ImportOptions())
    label_workspace(workspace)
    items = inbox_items(workspace, load_config(workspace.config_path))
    threads = read_threads(path)
    labels = {
        r["message_id"]: r
        for r in workspace.sql(
            "select message_id, is_question, is_complaint, is_praise from labels"
        ).to_pylist()
    }
    expected: dict[str, tuple[str, str]] = {}
    for r in threads.df[threads.df.inbound == "True"].itertuples():
        m = r.tweet_id
        lab = labels[m]
        request = lab["is_question"] or lab["is_complaint"]
        kind = "answer" if request else "thank" if lab["is_praise"] else None
        chosen = threads.addressed(m, r.text)
        if kind is None or chosen is None:
            continue
        brand, rule = chosen
        if threads.first_answer(m, brand) is not None:
            continue
        if kind == "thank" and rule == "reply":
            nearest = next(a for a in threads.ancestors(m) if threads.is_brand(a))
            if nearest in threads.parent:  # below the brand's own reply: an acknowledgement
                continue
        expected[m] = (kind, brand)  # TWCS has no likes: only a reply thanks praise

    got = {i.message_id: (i.kind, i.account.split(":", 1)[1]) for i in items}
    assert got == expected
    assert len(got) > 100  # the sample is rich enough for the comparison to mean something


def test_unsure_labels_are_set_apart_to_be_checked(cli, demo: Path) -> None:
    """Issue 11: within a kind, the items whose label the rules are unsure of come after the
    sure ones and say "check this label"."""
    code, out, err = cli("inbox", "--format", "json", "-w", str(demo))
    assert code == 0, err
    items = json.loads(out)["items"]
    for kind in ("answer", "thank"):
        flags = [i["check_label"] for i in items if i["kind"] == kind]
        assert flags == sorted(flags)  # False (sure) first, then True (check this label)
    assert all(
        i["check_label"] == (i["label_confidence"] is not None and i["label_confidence"] < 0.5)
        for i in items
    )
