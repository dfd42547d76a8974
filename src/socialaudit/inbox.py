"""The inbox: what to do today. Requests to answer and praise to thank, most urgent first.

An inbox item is an inbound message addressed to a brand account (`conversation.labelled_pairs`,
the same relation and labels the audit's SA101 and SA103 read) that still needs something:

* `answer`: a question or complaint that no addressed account has answered below it in the
  thread. Requests still inside SA101's reply window are listed too (they need an answer just
  as much), marked as not yet overdue.
* `thank`: praise that got neither a reply nor a like from the account it is addressed to.

What a person did with an item is kept in `inbox_state` (handled, ignored, assigned, open, with
an assignee and a note), so that nothing shows twice and nothing is lost: handled and ignored
items leave the list (`include_handled` brings them back), assigned ones stay with their
assignee. An item whose message gets an answer in a later import leaves the list by itself.

Order: every `answer` before every `thank`; complaints before questions; then the oldest first;
then the most visible (the author's followers plus the message's likes and reposts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import conversation, model
from .config import Config
from .errors import UsageError
from .report.fmt import one_line
from .vocabulary import brand_accounts, data_end, iso
from .workspace import Workspace

KINDS = ("answer", "thank")
# What a person can do with an item. `open` puts it back as if nothing had been done.
STATES = ("handled", "ignored", "assigned", "open")
CLOSED_STATES = ("handled", "ignored")
STATE_SOURCE = "socialaudit inbox"
DEFAULT_REPLY_WINDOW_HOURS = 24.0
# The cue groups that explain an intent label (the sentiment cue says nothing about the action).
_INTENT_CUES = {
    "answer": ("complaint", "question", "intent_fixed", "complaint_fixed"),
    "thank": ("praise", "intent_fixed"),
}
_INTENT_RANK = {"complaint": 0, "question": 1, "praise": 2}


@dataclass
class InboxItem:
    platform: str
    message_id: str
    kind: str  # answer or thank
    intent: str  # complaint, question or praise
    account: str  # "platform:Handle" of the brand account(s) it is addressed to, comma-separated
    author: str | None
    created_at: datetime | None
    text: str | None
    url: str | None
    cues: dict[str, list[str]]
    waited_seconds: float | None  # from the message to the end of the data
    overdue: bool  # an answer item older than SA101's reply window
    visibility: int  # author followers + likes + reposts, nulls as 0
    author_followers: int | None = None
    likes: int | None = None
    reposts: int | None = None
    state: dict[str, Any] | None = None  # state, assignee, note, updated_at; None if untouched

    @property
    def ref(self) -> str:
        """The item's id as the CLI takes it: platform:message_id."""
        return f"{self.platform}:{self.message_id}"

    @property
    def closed(self) -> bool:
        return bool(self.state and self.state.get("state") in CLOSED_STATES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.ref,
            "platform": self.platform,
            "message_id": self.message_id,
            "kind": self.kind,
            "intent": self.intent,
            "account": self.account,
            "author": self.author,
            "author_followers": self.author_followers,
            "created_at": iso(self.created_at),
            "waited_seconds": self.waited_seconds,
            "overdue": self.overdue,
            "text": self.text,
            "url": self.url,
            "likes": self.likes,
            "reposts": self.reposts,
            "visibility": self.visibility,
            "cues": self.cues,
            "state": self.state,
        }


@dataclass
class Inbox:
    """The items (after filters) and what the whole inbox holds, for headers and counts."""

    items: list[InboxItem]
    as_of: datetime | None  # the end of the data: waiting times are measured against it
    open_counts: dict[str, int]  # kind -> items still to do (not handled or ignored)
    closed: int  # items handled or ignored (hidden unless include_handled)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "as_of": iso(self.as_of),
            "open": self.open_counts,
            "closed": self.closed,
            "items": [i.to_dict() for i in self.items],
        }


def inbox_items(
    ws: Workspace, config: Config, *, include_handled: bool = False, kind: str | None = None
) -> list[InboxItem]:
    """The inbox items, most urgent first (see the module doc)."""
    return build_inbox(ws, config, include_handled=include_handled, kind=kind).items


def build_inbox(
    ws: Workspace, config: Config, *, include_handled: bool = False, kind: str | None = None
) -> Inbox:
    if kind is not None and kind not in KINDS:
        raise UsageError(f"inbox kind {kind!r}: expected one of {', '.join(KINDS)}")
    accounts = brand_accounts(ws, config)
    names = {(p, h.lower()): f"{p}:{h}" for p, h in accounts}
    as_of = data_end(ws)
    window = reply_window_hours(config) * 3600
    rows = _needing_action(ws, accounts)
    states = _states(ws)

    by_message: dict[tuple[str, str], InboxItem] = {}
    for r in rows:
        key = (r["platform"], r["id"])
        account = names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}")
        if key in by_message:  # addressed to several brand accounts: one item names them all
            item = by_message[key]
            if account not in item.account.split(", "):
                item.account = ", ".join(sorted([*item.account.split(", "), account]))
            continue
        item_kind = "answer" if r["is_question"] or r["is_complaint"] else "thank"
        intent = "complaint" if r["is_complaint"] else "question" if r["is_question"] else "praise"
        waited = (
            (as_of - r["created_at"]).total_seconds()
            if as_of is not None and r["created_at"] is not None
            else None
        )
        by_message[key] = InboxItem(
            platform=r["platform"],
            message_id=r["id"],
            kind=item_kind,
            intent=intent,
            account=account,
            author=r["author"],
            created_at=r["created_at"],
            text=r["text"],
            url=r["url"],
            cues=_cues(r["cues"], item_kind),
            waited_seconds=waited,
            overdue=item_kind == "answer" and waited is not None and waited >= window,
            visibility=sum(int(r[k] or 0) for k in ("author_followers", "likes", "reposts")),
            author_followers=r["author_followers"],
            likes=r["likes"],
            reposts=r["reposts"],
            state=states.get(key),
        )

    everything = list(by_message.values())
    open_counts = {k: sum(1 for i in everything if i.kind == k and not i.closed) for k in KINDS}
    closed = sum(1 for i in everything if i.closed)
    items = [
        i
        for i in everything
        if (kind is None or i.kind == kind) and (include_handled or not i.closed)
    ]
    items.sort(key=_urgency)
    return Inbox(items=items, as_of=as_of, open_counts=open_counts, closed=closed)


def _urgency(item: InboxItem) -> tuple[Any, ...]:
    when = item.created_at or datetime.max.replace(tzinfo=UTC)
    return (
        KINDS.index(item.kind),
        _INTENT_RANK.get(item.intent, 9),
        when,
        -item.visibility,
        item.platform,
        item.message_id,
    )


def _needing_action(ws: Workspace, accounts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """(message, brand account) pairs that need an answer or a thank-you, as plain rows."""
    if not accounts:
        return []
    t = conversation.with_brand_likes(ws, conversation.labelled_pairs(ws, accounts))
    request = t.is_question | t.is_complaint
    t = t.filter(~t.answered & (request | (t.is_praise & ~t.liked_by_brand)))
    t = t.select(
        "platform",
        "id",
        "brand",
        "created_at",
        "author",
        "author_followers",
        "text",
        "url",
        "likes",
        "reposts",
        "is_question",
        "is_complaint",
        "is_praise",
        "cues",
    ).order_by(["platform", "id", "brand"])
    # Arrow, not pandas: nulls stay None (pandas would turn a null string column into NaN).
    return ws.arrow(t).to_pylist()


def _states(ws: Workspace) -> dict[tuple[str, str], dict[str, Any]]:
    rows = ws.sql(
        "select platform, message_id, state, assignee, note, updated_at from inbox_state"
    ).to_pylist()
    return {
        (r["platform"], r["message_id"]): {
            "state": r["state"],
            "assignee": r["assignee"],
            "note": r["note"],
            "updated_at": iso(r["updated_at"]),
        }
        for r in rows
    }


def _cues(raw: str | None, kind: str) -> dict[str, list[str]]:
    try:
        cues = json.loads(raw) if raw else {}
    except ValueError:  # a label written by another tool; the item still shows
        return {}
    if not isinstance(cues, dict):
        return {}
    return {
        k: [str(c) for c in cues[k]] for k in _INTENT_CUES[kind] if isinstance(cues.get(k), list)
    }


def reply_window_hours(config: Config) -> float:
    """SA101's reply window as the workspace configures it (`[checks.SA101] reply_window_hours`)."""
    from .checks import load_registry

    options = load_registry().validate_options(config.checks.option_tables())
    hours = options.get("SA101", {}).get("reply_window_hours", DEFAULT_REPLY_WINDOW_HOURS)
    return float(hours) if isinstance(hours, int | float) else DEFAULT_REPLY_WINDOW_HOURS


# -- what a person did -----------------------------------------------------------------------


def resolve_ref(ws: Workspace, ref: str) -> tuple[str, str]:
    """(platform, message_id) of an inbound message named `platform:id` or by a bare id.

    A bare id must be unique across platforms. Ids may themselves hold colons (Bluesky AT URIs),
    so an exact id match is tried before the `platform:` prefix is split off.
    """
    ref = ref.strip()
    if not ref:
        raise UsageError("give a message id (platform:id, or the bare id when it is unique)")
    found = ws.sql(
        "select platform, id, from_brand from messages where id = ? order by platform", [ref]
    ).to_pylist()
    if not found:
        platform, sep, message_id = ref.partition(":")
        if sep and platform in {p.value for p in model.Platform}:
            found = ws.sql(
                "select platform, id, from_brand from messages where platform = ? and id = ?",
                [platform, message_id],
            ).to_pylist()
    if not found:
        raise UsageError(f"no message with id {ref!r} in the workspace")
    if len(found) > 1:
        platforms = ", ".join(r["platform"] for r in found)
        raise UsageError(
            f"message id {ref!r} is on several platforms ({platforms}); "
            f"write it as platform:id, e.g. {found[0]['platform']}:{ref}"
        )
    row = found[0]
    if row["from_brand"]:
        raise UsageError(f"message {ref!r} is the brand's own: the inbox holds customers' messages")
    return row["platform"], row["id"]


def set_state(
    ws: Workspace,
    platform: str,
    message_id: str,
    state: str,
    assignee: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record what a person did with an inbox item; returns the stored row.

    `assignee` and `note` left as None keep what was recorded before (assigning, then marking
    done, keeps the assignee and the note); an empty string clears them.
    """
    if state not in STATES:
        raise UsageError(f"inbox state {state!r}: expected one of {', '.join(STATES)}")
    found = ws.sql(
        "select from_brand from messages where platform = ? and id = ?", [platform, message_id]
    ).to_pylist()
    if not found:
        raise UsageError(f"no message with id {platform}:{message_id} in the workspace")
    if found[0]["from_brand"]:
        raise UsageError(
            f"message {platform}:{message_id} is the brand's own: "
            "the inbox holds customers' messages"
        )
    before = ws.sql(
        "select assignee, note, action, action_id from inbox_state "
        "where platform = ? and message_id = ?",
        [platform, message_id],
    ).to_pylist()
    old = (
        before[0] if before else {"assignee": None, "note": None, "action": None, "action_id": None}
    )
    assignee = old["assignee"] if assignee is None else (_one_line(assignee) or None)
    note = old["note"] if note is None else (note.strip() or None)
    if state == "assigned" and not assignee:
        raise UsageError("assigning an inbox item needs the person it goes to")
    row = {
        "platform": platform,
        "message_id": message_id,
        "state": state,
        "assignee": assignee,
        "note": note,
        "updated_at": datetime.now(UTC),
        # a reply or like sent from the inbox stays on record whatever the state becomes
        "action": old["action"],
        "action_id": old["action_id"],
    }
    ws.replace_rows("inbox_state", model.to_table(model.INBOX_STATE, [row]), source=STATE_SOURCE)
    return {**row, "updated_at": iso(row["updated_at"])}


def add_note(ws: Workspace, platform: str, message_id: str, note: str) -> dict[str, Any]:
    """Keep a note with an item without changing its state (an untouched item stays open)."""
    rows = ws.sql(
        "select state from inbox_state where platform = ? and message_id = ?",
        [platform, message_id],
    ).to_pylist()
    return set_state(ws, platform, message_id, rows[0]["state"] if rows else "open", note=note)


def _one_line(value: str) -> str:
    return " ".join(value.split())


# -- rendering -------------------------------------------------------------------------------


def render_json(inbox: Inbox) -> str:
    return json.dumps(inbox.to_dict(), indent=2, ensure_ascii=False)


def render_text(inbox: Inbox, *, width: int = 120, limit: int | None = None) -> str:
    """The items as a table for a person (plain text: no colour codes, no markup)."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .units import duration

    buf = io.StringIO()
    console = Console(file=buf, width=width, highlight=False, markup=False, emoji=False)
    counts = ", ".join(f"{n} to {k}" for k, n in inbox.open_counts.items())
    end = (
        f" (waiting times up to the newest message, {inbox.as_of:%Y-%m-%d %H:%M} UTC)"
        if inbox.as_of
        else ""
    )
    console.print(Text(f"Inbox: {counts}{end}"))
    items = inbox.items[:limit] if limit is not None else inbox.items
    if not items:
        console.print(Text("Nothing to answer or thank."))
    else:
        t = Table(box=None, pad_edge=False, header_style="bold", show_lines=False)
        # Bluesky ids are AT URIs of 70-odd characters: folded, they leave room for the message.
        t.add_column("id", overflow="fold", max_width=44)
        t.add_column("to do", no_wrap=True)
        t.add_column("waiting", justify="right", no_wrap=True)
        t.add_column("from", overflow="fold", max_width=20)
        t.add_column("message", overflow="fold", ratio=3)
        t.add_column("why", overflow="fold", ratio=1)
        with_state = any(i.state for i in items)
        if with_state:
            t.add_column("state", overflow="fold", max_width=24)
        for i in items:
            todo = f"{i.kind} {i.intent}" if i.kind == "answer" else "thank"
            wait = duration(i.waited_seconds) + ("" if i.overdue or i.kind == "thank" else " *")
            why = "; ".join(f"{k}: {', '.join(v)}" for k, v in i.cues.items())
            state = ""
            if i.state:
                state = i.state["state"]
                if i.state.get("assignee"):
                    state += f" → {i.state['assignee']}"
                if i.state.get("note"):
                    state += f" ({i.state['note']})"
            cells = [
                Text(one_line(i.ref, None)),
                Text(todo),
                Text(wait),
                Text(one_line(i.author, 40)),
                Text(one_line(i.text, 400)),
                Text(one_line(why, 200)),
            ]
            t.add_row(*cells, *([Text(one_line(state, 200))] if with_state else []))
        console.print(t)
        if any(i.kind == "answer" and not i.overdue for i in items):
            console.print(Text("* still inside the reply window (SA101): not overdue yet"))
    hidden = len(inbox.items) - len(items)
    if hidden:
        console.print(Text(f"{hidden} more (raise --limit to see them)"))
    if inbox.closed and not any(i.closed for i in inbox.items):
        console.print(Text(f"{inbox.closed} handled or ignored; --all shows them too"))
    return buf.getvalue()
