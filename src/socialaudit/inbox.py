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

Order: every `answer` before every `thank`; within each, the items whose label the text rules
are sure of before those they are not ("check this label": confidence below LOW_CONFIDENCE,
a person should read them before acting on the label); complaints before questions; then the
oldest first; then the most visible (the author's followers plus the message's likes and
reposts).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from . import conversation, model
from .checks.care.pairs import reply_window_hours
from .config import Config
from .errors import UsageError
from .model import LOW_CONFIDENCE
from .report.fmt import one_line
from .vocabulary import AuditDates, audit_dates, brand_accounts, data_end, iso
from .workspace import Workspace

KINDS = ("answer", "thank")
# What a person can do with an item. `open` puts it back as if nothing had been done.
STATES = ("handled", "ignored", "assigned", "open")
CLOSED_STATES = ("handled", "ignored")
STATE_SOURCE = "socialaudit inbox"
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
    account: str  # "platform:Handle" of the one brand account it is addressed to
    author: str | None
    created_at: datetime | None
    text: str | None
    url: str | None
    cues: dict[str, list[str]]
    waited_seconds: float | None  # from the message to its account's audit date
    overdue: bool  # an answer item older than SA101's reply window
    visibility: int  # author followers + likes + reposts, nulls as 0
    author_followers: int | None = None
    likes: int | None = None
    reposts: int | None = None
    state: dict[str, Any] | None = None  # state, assignee, note, updated_at; None if untouched
    label_confidence: float | None = None  # how sure the label is (null: labelled by a tool)

    @property
    def unsure(self) -> bool:
        """The label is a guess a person should check before acting on it."""
        return self.label_confidence is not None and self.label_confidence < LOW_CONFIDENCE

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
            "label_confidence": self.label_confidence,
            "check_label": self.unsure,
            "state": self.state,
        }


@dataclass
class Inbox:
    """The items (after filters) and what the whole inbox holds, for headers and counts."""

    items: list[InboxItem]
    as_of: datetime | None  # the latest audit date: waiting times are measured against them
    open_counts: dict[str, int]  # kind -> items still to do (not handled or ignored)
    closed: int  # items handled or ignored (hidden unless include_handled)
    overdue: int = 0  # open answer items past SA101's reply window (the rest are within it)
    customer_messages: int = 0  # customers' messages with their text in the workspace
    dates: str | None = None  # each account's audit date, when they differ

    @property
    def pending(self) -> int:
        """Open answer items still inside the reply window."""
        return self.open_counts.get("answer", 0) - self.overdue

    def answer_summary(self) -> str:
        """'10 overdue + 1 within the reply window': the words SA101's figures use too."""
        parts = [f"{self.overdue} overdue"]
        if self.pending:
            parts.append(f"{self.pending} within the reply window")
        return " + ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "as_of": iso(self.as_of),
            "open": self.open_counts,
            "overdue": self.overdue,
            "within_reply_window": self.pending,
            "closed": self.closed,
            "customer_messages": self.customer_messages,
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
    dates = audit_dates(ws, config.checks.as_of)
    rows = _needing_action(ws, accounts, dates, reply_window_hours(config))
    states = _states(ws)

    everything: list[InboxItem] = []
    for r in rows:
        key = (r["platform"], r["id"])
        item_kind = "answer" if r["request"] else "thank"
        intent = "complaint" if r["is_complaint"] else "question" if r["is_question"] else "praise"
        everything.append(
            InboxItem(
                platform=r["platform"],
                message_id=r["id"],
                kind=item_kind,
                intent=intent,
                account=names.get((r["platform"], r["brand"]), f"{r['platform']}:{r['brand']}"),
                author=r["author"],
                created_at=r["created_at"],
                text=r["text"],
                url=r["url"],
                cues=_cues(r["cues"], item_kind),
                waited_seconds=r["waited_seconds"],
                overdue=bool(r["overdue"]),
                visibility=sum(int(r[k] or 0) for k in ("author_followers", "likes", "reposts")),
                author_followers=r["author_followers"],
                likes=r["likes"],
                reposts=r["reposts"],
                state=states.get(key),
                label_confidence=r["confidence"],
            )
        )
    open_counts = {k: sum(1 for i in everything if i.kind == k and not i.closed) for k in KINDS}
    overdue = sum(1 for i in everything if i.kind == "answer" and i.overdue and not i.closed)
    closed = sum(1 for i in everything if i.closed)
    items = [
        i
        for i in everything
        if (kind is None or i.kind == kind) and (include_handled or not i.closed)
    ]
    items.sort(key=_urgency)
    return Inbox(
        items=items,
        as_of=dates.latest or data_end(ws),
        open_counts=open_counts,
        closed=closed,
        overdue=overdue,
        customer_messages=_customer_messages(ws),
        dates=dates.describe() if dates.one() is None else None,
    )


def _urgency(item: InboxItem) -> tuple[Any, ...]:
    when = item.created_at or datetime.max.replace(tzinfo=UTC)
    return (
        KINDS.index(item.kind),
        item.unsure,
        _INTENT_RANK.get(item.intent, 9),
        when,
        -item.visibility,
        item.platform,
        item.message_id,
    )


def _needing_action(
    ws: Workspace, accounts: list[tuple[str, str]], dates: AuditDates, window_hours: float
) -> list[dict[str, Any]]:
    """The care pairs (`conversation.care_pairs`, the relation SA101 and SA103 count) that need
    an answer or a thank-you, as plain rows: requests no addressed account answered, and praise
    it neither answered nor liked (a thanks below the brand's own reply acknowledges an answer
    and needs nothing)."""
    if not accounts:
        return []
    t = conversation.care_pairs(ws, accounts, dates, window_hours)
    t = t.filter(t.speaking)  # as SA101: an account whose replies are not imported is not judged
    thank = t.praise & ~t.liked_by_brand & ~t.thanks_after_answer
    t = t.filter(~t.answered & (t.request | thank))
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
        "request",
        "is_question",
        "is_complaint",
        "cues",
        "waited_seconds",
        "overdue",
    )
    lab = ws.table("labels").select("platform", "message_id", "confidence")
    t = t.left_join(lab, [t.platform == lab.platform, t.id == lab.message_id]).drop(
        "platform_right", "message_id"
    )
    t = t.order_by(["platform", "id", "brand"])
    # Arrow, not pandas: nulls stay None (pandas would turn a null string column into NaN).
    return ws.arrow(t).to_pylist()


def _customer_messages(ws: Workspace) -> int:
    """Customers' messages whose text the workspace holds (an account archive has none)."""
    value = (
        ws.sql(
            "select count(*) from messages where not coalesce(from_brand, false) "
            "and not coalesce(time_only, false) and text is not null"
        )
        .column(0)[0]
        .as_py()
    )
    return int(value or 0)


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


NO_CUSTOMER_MESSAGES = (
    "No customer messages in this workspace: the imported exports hold the brand's own side "
    "only (an account archive knows the messages it answered by their time, not their text). "
    "Connect the account and sync it to fill the inbox (socialaudit connect, then socialaudit "
    "sync: docs/connectors.md), or import the customers' messages (a TWCS-style CSV, or a "
    "generic CSV/JSONL: docs/generic-format.md)."
)


def summary(inbox: Inbox) -> str:
    """'11 to answer (10 overdue + 1 within the reply window), 7 to thank (waiting times up to
    the audit date, ...)': the same words as SA101's and SA103's figures."""
    answer = inbox.open_counts.get("answer", 0)
    text = f"{answer} to answer"
    if answer:
        text += f" ({inbox.answer_summary()})"
    text += f", {inbox.open_counts.get('thank', 0)} to thank"
    if inbox.dates:
        text += f" (waiting times up to each account's audit date: {inbox.dates})"
    elif inbox.as_of:
        text += f" (waiting times up to the audit date, {inbox.as_of:%Y-%m-%d %H:%M} UTC)"
    return text


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
    console.print(Text(f"Inbox: {summary(inbox)}"))
    items = inbox.items[:limit] if limit is not None else inbox.items
    if not inbox.customer_messages:
        console.print(Text(NO_CUSTOMER_MESSAGES))
    elif not items:
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
            if i.unsure:
                todo += " (check this label)"
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
