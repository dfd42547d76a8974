"""Bluesky repository export (`.car`): Settings → Account → Export my data, or
`com.atproto.sync.getRepo`, or `goat repo export` (which names it `<handle>.<time>.car`).

A CAR file is a DAG-CBOR header naming the root (the signed commit), then blocks: the commit
`{did, data, rev, …}`, the nodes of the repository's Merkle Search Tree, and the records.
atproto's `CAR.from_bytes` (libipld underneath) decodes the blocks, but it does not walk the
tree, and a record does not hold its own key: without the walk, a post has no
`at://<did>/<collection>/<rkey>` URI, and the replies that point at it by URI resolve to
nothing. What this module adds is that walk (`walk_mst`): each node is `{l, e: [{p, k, v, t}]}`,
where an entry's full key is the first `p` bytes of the previous key plus `k`, `v` is the
record's CID, and `l`/`t` are the subtrees left of the first entry and right of each entry.

From the records: posts (`app.bsky.feed.post`) → messages; reposts → kind repost; likes →
acknowledgements (dated); follows → follows (dated, which X and Mastodon exports are not);
the profile → the account's display name. Records of other collections are counted as skipped.

Only the account's own repository is in the file: replies from others live in their repos. A
post's record key is a TID, which encodes the time it was written, so for every reply to
someone else's post a placeholder inbound row is added with that time (text null,
`time_only=True`), as the X archive importer does with snowflake ids.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from atproto_core.car import CAR
from atproto_core.cid import CID
from atproto_core.exceptions import AtProtocolError

from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, read_bytes, read_head
from .rows import (
    Where,
    as_dict,
    as_list,
    build_tables,
    expect_dict,
    get_str,
    iso_time,
    raw_json,
)

_TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"
_TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_GOAT_NAME = re.compile(
    r"^(?P<handle>(?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*)\.\d{14}\.car$", re.IGNORECASE
)
_GOAT_TIME = re.compile(r"^.+\.(?P<time>\d{14})\.car$", re.IGNORECASE)
_AT_URI = re.compile(r"^at://(?P<did>[^/]+)/(?P<collection>[^/]+)/(?P<rkey>[^/]+)$")

GAPS = [
    "inbound messages (replies, mentions and quotes by others live in their own repositories; "
    "only the times of the posts the account replied to are known, from their record keys)",
    "engagement counts (likes, reposts, replies and quotes are records in other people's "
    "repositories)",
    "followers (only whom the account follows is in its repository)",
]


def export_time(name: str, commit: dict[str, Any]) -> datetime | None:
    """When the repository was exported: the time in goat's file name (`<handle>.<UTC time>.car`),
    else the time of the commit the file holds (its `rev` is a TID): nothing was written after it."""
    m = _GOAT_TIME.match(name)
    if m:
        try:
            return datetime.strptime(m.group("time"), "%Y%m%d%H%M%S").replace(tzinfo=UTC)
        except ValueError:
            pass
    rev = commit.get("rev")
    return tid_time(rev) if isinstance(rev, str) else None


def tid_time(rkey: str) -> datetime | None:
    """The time a TID record key encodes (microseconds since the epoch), None if not a TID."""
    if not _TID_RE.match(rkey):
        return None
    value = 0
    for ch in rkey:
        value = value * 32 + _TID_CHARS.index(ch)
    try:
        return datetime.fromtimestamp((value >> 10) / 1_000_000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def walk_mst(blocks: dict[CID, Any], root: CID, where: str) -> list[tuple[str, CID]]:
    """Every (key, record CID) of the tree under `root`, in key order."""
    out: list[tuple[str, CID]] = []
    seen: set[CID] = set()
    # An explicit stack instead of recursion: a damaged file must not exhaust Python's stack,
    # and a node seen twice (a cycle) is an error rather than a loop.
    stack: list[tuple[str, Any]] = [("node", root)]
    while stack:
        what, item = stack.pop()
        if what == "entry":
            out.append(item)
            continue
        cid = item
        if cid in seen:
            raise InputError(
                where, f"the repository tree visits node {cid} twice; the file is damaged"
            )
        seen.add(cid)
        node = blocks.get(cid)
        if not isinstance(node, dict) or not isinstance(node.get("e"), list):
            raise InputError(
                where, f"the repository tree's node {cid} is missing or not a tree node"
            )
        todo: list[tuple[str, Any]] = []
        if node.get("l") is not None:
            todo.append(("node", _cid(node["l"], where)))
        prev = b""
        for entry in node["e"]:
            if (
                not isinstance(entry, dict)
                or not isinstance(entry.get("k"), bytes)
                or not isinstance(entry.get("p"), int)
            ):
                raise InputError(where, f"a tree entry in node {cid} is malformed")
            key = prev[: entry["p"]] + entry["k"]
            prev = key
            try:
                text_key = key.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(where, f"a tree key in node {cid} is not text") from exc
            todo.append(("entry", (text_key, _cid(entry.get("v"), where))))
            if entry.get("t") is not None:
                todo.append(("node", _cid(entry["t"], where)))
        stack.extend(reversed(todo))
    return out


def _cid(raw: Any, where: str) -> CID:
    if isinstance(raw, CID):
        return raw
    if not isinstance(raw, bytes):
        raise InputError(
            where, f"expected a CID link in the repository tree, got {type(raw).__name__}"
        )
    try:
        return CID.from_decoded_bytes(raw)
    except Exception as exc:  # multiformats raises several unrelated types for bad bytes
        raise InputError(where, "a CID link in the repository tree is malformed") from exc


class BlueskySource:
    name = "bluesky"
    description = "Bluesky repository export (.car, from Export my data or getRepo)"

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        if path.suffix.lower() == ".car":
            return True
        # A CARv1 header is a varint length, then a DAG-CBOR map with "roots" and "version".
        head = read_head(path, 64)
        return b"eroots" in head[:32] and b"gversion" in head[:64]

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        where = str(path)
        data = read_bytes(path)  # whole, within the member limit: CAR blocks are decoded at once
        if not data:
            raise InputError(path, "the file is empty; expected a CAR repository export")
        try:
            car = CAR.from_bytes(data)
        except (ValueError, TypeError, AtProtocolError) as exc:
            raise InputError(path, f"not a readable CAR file ({exc})") from exc
        commit = car.blocks.get(car.root)
        if (
            not isinstance(commit, dict)
            or not isinstance(commit.get("did"), str)
            or "data" not in commit
        ):
            raise InputError(
                path, "the CAR's root is not a repository commit (expected did and data)"
            )
        did = commit["did"]
        m = _GOAT_NAME.match(path.name)
        handle = m.group("handle").lower() if m else did
        entries = walk_mst(car.blocks, _cid(commit["data"], where), where)
        batch = _Reader(path, did, handle, car.blocks).read(entries)
        batch.as_of = export_time(path.name, commit)
        return batch


class _Reader:
    def __init__(self, path: Path, did: str, handle: str, blocks: dict) -> None:
        self.path = path
        self.did = did
        self.handle = handle
        self.blocks = blocks
        self.rows: dict[str, list[dict]] = {
            "messages": [],
            "acknowledgements": [],
            "follows": [],
            "accounts": [],
        }
        self.skipped: dict[str, int] = {}
        self.display_name: str | None = None

    def read(self, entries: list[tuple[str, CID]]) -> ImportBatch:
        missing = 0
        for key, cid in entries:
            collection, _, rkey = key.partition("/")
            record = self.blocks.get(cid)
            if record is None:
                missing += 1
                continue
            w = Where(str(self.path), key)
            handler = {
                "app.bsky.feed.post": self._post,
                "app.bsky.feed.repost": self._repost,
                "app.bsky.feed.like": self._like,
                "app.bsky.graph.follow": self._follow,
                "app.bsky.actor.profile": self._profile,
            }.get(collection)
            if handler is None:
                self.skipped[collection] = self.skipped.get(collection, 0) + 1
                continue
            handler(rkey, expect_dict(record, w, "a record"), w)
        self._placeholders()
        self.rows["accounts"].append(
            {
                "platform": Platform.BLUESKY.value,
                "handle": self.handle,
                "account_id": self.did,
                "display_name": self.display_name,
                "url": f"https://bsky.app/profile/{self.did}",
                "own_domains": [],
            }
        )
        skipped = [
            {"what": f"{collection} records", "count": n, "reason": "not a message, like or follow"}
            for collection, n in sorted(self.skipped.items())
        ]
        if missing:
            skipped.append(
                {
                    "what": "records",
                    "count": missing,
                    "reason": "listed in the repository tree but their blocks are not in the file",
                }
            )
        return ImportBatch(
            source=str(self.path.resolve()),
            format=BlueskySource.name,
            tables=build_tables(self.rows, self.path),
            platform=Platform.BLUESKY.value,
            account=self.handle,
            skipped=skipped,
            gaps=list(GAPS),
            metrics=(),
        )

    def _uri(self, collection: str, rkey: str) -> str:
        return f"at://{self.did}/{collection}/{rkey}"

    def _post(self, rkey: str, rec: dict, w: Where) -> None:
        text = get_str(rec, "text", w)
        created = iso_time(rec.get("createdAt"), w, "createdAt")
        reply = rec.get("reply")
        parent = root = None
        if reply is not None:
            reply = expect_dict(reply, w, "a reply reference", "reply")
            parent = _ref_uri(reply.get("parent"), w, "reply.parent")
            root = _ref_uri(reply.get("root"), w, "reply.root")
        links, mentions, hashtags = _facets(rec, text, w)
        embed = rec.get("embed")
        if isinstance(embed, dict):
            external = embed.get("external")
            if isinstance(external, dict) and isinstance(external.get("uri"), str):
                links.append(external["uri"])
        tags = rec.get("tags")
        if isinstance(tags, list):
            hashtags += [t.lower() for t in tags if isinstance(t, str)]
        langs = rec.get("langs")
        uri = self._uri("app.bsky.feed.post", rkey)
        self.rows["messages"].append(
            {
                "platform": Platform.BLUESKY.value,
                "id": uri,
                "account": self.handle,
                "author": self.handle,
                "from_brand": True,
                "created_at": created,
                "text": text,
                "kind": (Kind.REPLY if parent else Kind.POST).value,
                "in_reply_to": parent,
                "conversation_id": root or uri,
                "url": _web_url(uri),
                "links": list(dict.fromkeys(links or links_in(text))),
                "hashtags": list(dict.fromkeys(hashtags or hashtags_in(text))),
                "mentions": list(dict.fromkeys(mentions)),
                "visibility": "public",
                "lang": langs[0]
                if isinstance(langs, list) and langs and isinstance(langs[0], str)
                else None,
                "time_only": False,
                "raw": raw_json(rec),
            }
        )

    def _repost(self, rkey: str, rec: dict, w: Where) -> None:
        subject = _ref_uri(rec.get("subject"), w, "subject")
        self.rows["messages"].append(
            {
                "platform": Platform.BLUESKY.value,
                "id": self._uri("app.bsky.feed.repost", rkey),
                "account": self.handle,
                "author": self.handle,
                "from_brand": True,
                "created_at": iso_time(rec.get("createdAt"), w, "createdAt"),
                "text": None,
                "kind": Kind.REPOST.value,
                "url": _web_url(subject),  # a repost has no page of its own: link to what it shares
                "links": [],
                "hashtags": [],
                "mentions": [],
                "visibility": "public",
                "time_only": False,
                "raw": raw_json(rec),
            }
        )

    def _like(self, rkey: str, rec: dict, w: Where) -> None:
        self.rows["acknowledgements"].append(
            {
                "platform": Platform.BLUESKY.value,
                "account": self.handle,
                "message_id": _ref_uri(rec.get("subject"), w, "subject"),
                "kind": "like",
                "created_at": iso_time(rec.get("createdAt"), w, "createdAt"),
            }
        )

    def _follow(self, rkey: str, rec: dict, w: Where) -> None:
        self.rows["follows"].append(
            {
                "platform": Platform.BLUESKY.value,
                "account": self.handle,
                "direction": "following",
                "other": get_str(rec, "subject", w, required=True),
                "created_at": iso_time(rec.get("createdAt"), w, "createdAt"),
            }
        )

    def _profile(self, rkey: str, rec: dict, w: Where) -> None:
        self.display_name = get_str(rec, "displayName", w)

    def _placeholders(self) -> None:
        own = {m["id"] for m in self.rows["messages"]}
        added: set[str] = set()
        for m in list(self.rows["messages"]):
            parent = m.get("in_reply_to")
            if not parent or parent in own or parent in added:
                continue
            match = _AT_URI.match(parent)
            if not match or match.group("did") == self.did:
                continue  # a reply to the account's own post that is no longer in the repo
            when = tid_time(match.group("rkey"))
            if when is None or when > m["created_at"]:
                continue
            added.add(parent)
            self.rows["messages"].append(
                {
                    "platform": Platform.BLUESKY.value,
                    "id": parent,
                    "account": self.handle,
                    "author": match.group("did"),
                    "from_brand": False,
                    "created_at": when,
                    "text": None,
                    "kind": Kind.MENTION.value,
                    "url": _web_url(parent),
                    "links": [],
                    "hashtags": [],
                    "mentions": [],
                    "visibility": "public",
                    "time_only": True,
                }
            )


def _ref_uri(ref: Any, w: Where, field: str) -> str:
    """The `uri` of a strongRef {uri, cid}."""
    if not isinstance(ref, dict) or not isinstance(ref.get("uri"), str):
        raise w.error("expected a reference {uri, cid}", field)
    return ref["uri"]


def _facets(rec: dict, text: str | None, w: Where) -> tuple[list[str], list[str], list[str]]:
    """Links, mentioned handles and tags from rich-text facets (byte offsets into UTF-8 text)."""
    links: list[str] = []
    mentions: list[str] = []
    tags: list[str] = []
    raw = (text or "").encode("utf-8")
    for facet in as_list(rec.get("facets")):
        if not isinstance(facet, dict):
            continue
        index = as_dict(facet.get("index"))
        for feature in as_list(facet.get("features")):
            if not isinstance(feature, dict):
                continue
            kind = feature.get("$type", "")
            if kind.endswith("#link") and isinstance(feature.get("uri"), str):
                links.append(feature["uri"])
            elif kind.endswith("#tag") and isinstance(feature.get("tag"), str):
                tags.append(feature["tag"].lower())
            elif kind.endswith("#mention"):
                start, end = index.get("byteStart"), index.get("byteEnd")
                shown = ""
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(raw):
                    shown = raw[start:end].decode("utf-8", errors="replace").lstrip("@").lower()
                mentions.append(shown or str(feature.get("did", "")))
    return links, mentions, tags


def _web_url(uri: str) -> str | None:
    m = _AT_URI.match(uri)
    if not m:
        return None
    if m.group("collection") == "app.bsky.feed.post":
        return f"https://bsky.app/profile/{m.group('did')}/post/{m.group('rkey')}"
    return f"https://bsky.app/profile/{m.group('did')}"


SOURCE = BlueskySource()
