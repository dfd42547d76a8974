"""Incremental audits: a workspace that grows by an import and is audited again keeps its reply
trees and addressed pairs (`conversation.ancestors`, `conversation.addressed_pairs`) and extends
them for the new messages only. Its findings must be exactly those of a new workspace that
imported the same files at once: every verdict, figure, per-account figure and evidence id.

Not timed: bench/audit.py measures how much faster the re-audit is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_path
from test_golden import differences, normalise

pytestmark = pytest.mark.realdata


def split_records(src: Path, first: Path, rest: Path, at: int) -> None:
    """The file's lines up to the record that starts at line `at` or after into `first`, the
    others into `rest`, each with the header. Split on lines as they are, not through a CSV
    writer: the file has line breaks inside unquoted texts that the importer reads as it finds
    them, and that a rewrite would change."""
    lines = src.read_bytes().splitlines(keepends=True)
    cut = next(i for i in range(at, len(lines)) if re.match(rb"\d+,", lines[i]))
    first.write_bytes(b"".join(lines[:cut]))
    rest.write_bytes(b"".join([lines[0], *lines[cut:]]))


def audit(cli, ws: Path) -> dict[str, Any]:
    code, out, err = cli("audit", "--format", "json", "--no-save", "--workspace", str(ws))
    assert code in (0, 1), err
    doc = normalise(json.loads(out))
    doc.pop("generated_at")
    return doc


def stored_pair_rows(ws: Path) -> int:
    from socialaudit import conversation
    from socialaudit.workspace import Workspace

    with Workspace.open(ws, create=False, read_only=True) as w:
        return w.count(conversation.STORED_PAIRS)


def test_a_grown_workspace_audits_like_a_new_one(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialaudit import conversation

    export = shared_path("twcs", "twcs_head5000_multibrand.csv")
    first, more = tmp_path / "first.csv", tmp_path / "more.csv"
    # The later records continue earlier conversations (replies to old messages, and messages
    # that earlier replies answered: TWCS lists replies before what they answer).
    split_records(export, first, more, 3500)
    grown, fresh = tmp_path / "grown", tmp_path / "fresh"

    code, _, err = cli("import", str(first), "--workspace", str(grown))
    assert code == 0, err
    before = audit(cli, grown)
    pairs_before = stored_pair_rows(grown)
    code, _, err = cli("import", str(more), "--workspace", str(grown))
    assert code == 0, err
    rebuilt: list[str] = []
    rebuild = conversation._rebuild_pairs
    monkeypatch.setattr(
        conversation,
        "_rebuild_pairs",
        lambda ws, accounts, *rest: rebuilt.append("pairs") or rebuild(ws, accounts, *rest),
    )
    after = audit(cli, grown)
    assert rebuilt == []  # extended for the trees the new rows touch, not computed again
    monkeypatch.undo()

    code, _, err = cli("import", str(first), str(more), "--workspace", str(fresh))
    assert code == 0, err
    expected = audit(cli, fresh)

    for doc in (after, expected):
        doc.pop("workspace")
    assert differences(expected, after) == []
    # The stored pairs grew with the import (the second audit extended what the first kept),
    # and they are those of the new workspace.
    assert pairs_before < stored_pair_rows(grown) == stored_pair_rows(fresh)
    assert before["findings"] != after["findings"]  # the new rows did change the audit


def test_the_change_log_says_what_a_write_touched_or_that_it_cannot(cli, tmp_path: Path) -> None:
    """The readers that keep relations derived from the messages read only the messages the
    change log names since their last read; a write that may have removed rows, or a
    workspace without the log, makes them compare everything (`messages_touched_since`)."""
    from socialaudit import conversation
    from socialaudit.workspace import CHANGES, CHANGES_READ, Workspace

    export = shared_path("twcs", "twcs_head5000_multibrand.csv")
    first, more = tmp_path / "first.csv", tmp_path / "more.csv"
    split_records(export, first, more, 3500)
    ws = tmp_path / "ws"
    for path in (first, more):
        code, _, err = cli("import", str(path), "--workspace", str(ws))
        assert code == 0, err
        if path == first:
            audit(cli, ws)  # the readers bring themselves up to date, and say so
            with Workspace.open(ws, create=False) as w:
                before = {
                    (r["platform"], r["id"])
                    for r in w.sql("select platform, id from messages").to_pylist()
                }
    with Workspace.open(ws, create=False) as w:
        now = {
            (r["platform"], r["id"]) for r in w.sql("select platform, id from messages").to_pylist()
        }
        for reader in (conversation.STORED_PAIRS, conversation.STORED_ANCESTORS):
            touched = w.messages_touched_since(reader)
            assert touched is not None
            logged = {(r["platform"], r["id"]) for r in w.arrow(touched).to_pylist()}
            assert now - before <= logged <= now  # every new message, nothing that is not one
        w.delete_rows("messages", "id = ?", [sorted(now)[0][1]])
        assert w.messages_touched_since(conversation.STORED_PAIRS) is None  # a reset
    audit(cli, ws)  # computes everything again, and starts reading the log anew
    with Workspace.open(ws, create=False) as w:
        touched = w.messages_touched_since(conversation.STORED_PAIRS)
        assert touched is not None and w.arrow(touched).num_rows == 0
        w.sql(f"drop table {CHANGES}")
        w.sql(f"drop table {CHANGES_READ}")
        assert w.messages_touched_since(conversation.STORED_PAIRS) is None  # an older workspace
