"""X/Twitter account archive ("Download an archive of your data"): a zip or its unpacked folder.

Every `data/*.js` file is one JavaScript assignment, `window.YTD.<type>.part<N> = [ … ];`; the
JSON after the `=` is parsed, never evaluated. `data/manifest.js` names the account and lists
every part of every data type with its record count: tweets come in `tweets.js`,
`tweets-part1.js`, … and all of them are read (a parser that reads only the first part loses
tweets silently), so a tweets part that the manifest lists but the archive lacks is an error.
A secondary file that is missing as a whole (like.js, follower.js: people share archives without
them) is recorded as a gap instead.

What the archive holds, and what it does not:

* the brand's own tweets, replies and retweets (`RT @…` → kind repost), with likes and reposts
  counts as of the export; no replies, quotes, impressions or clicks;
* long posts' full text in `note-tweet.js`, matched to their tweet by creation time (the note
  has its own id);
* not one tweet written by anyone else. But a tweet id is a snowflake that carries its creation
  time, `(id >> 22) + 1288834974657` ms, so every brand reply tells when the tweet it answered
  was written. For each such tweet a placeholder inbound row is added (text null,
  `time_only=True`), so first-response times can be measured from the brand's replies alone;
  unanswered requests stay invisible, and the gaps say so;
* the brand's likes (like.js, undated), follower and following ids (undated), direct messages
  in both directions (direct-messages.js, when the archive has them).
"""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import EARLIER_TEXT, Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, mentions_in
from .container import Container, several_exports
from .rows import (
    Where,
    as_dict,
    as_list,
    build_tables,
    expect_dict,
    expect_list,
    get_id,
    get_int,
    get_str,
    iso_time,
    raw_json,
)

SNOWFLAKE_EPOCH_MS = 1288834974657
# Ids below this encode less than a day after the epoch: they are the sequential ids X used
# before snowflakes (November 2010) and carry no time.
_FIRST_SNOWFLAKE_MS = 86_400_000
TWEET_TIME = "%a %b %d %H:%M:%S %z %Y"

# Apps that publish on the account's behalf at a set time; `source` names the app.
SCHEDULERS = (
    "buffer",
    "hootsuite",
    "hypefury",
    "typefully",
    "sprout social",
    "later",
    "socialpilot",
    "sendible",
    "agorapulse",
    "loomly",
    "publer",
    "metricool",
    "coschedule",
    "zoho social",
    "ifttt",
    "zapier",
    "dlvr.it",
    "sprinklr",
    "khoros",
    "emplifi",
    "falcon",
    "oktopost",
)

# Data types whose parts carry the brand's messages: a listed part that is missing is an error.
_CORE = ("tweets", "tweet", "noteTweet")
# Data types read when present; missing as a whole, the ones named here become a gap (account.js
# only adds the creation date, which nothing depends on).
_OPTIONAL = ("like", "follower", "following", "directMessages", "directMessagesGroup", "account")
_OPTIONAL_GAPS = {
    "like": "the brand's likes (like.js)",
    "follower": "follower ids (follower.js)",
    "following": "following ids (following.js)",
    "directMessages": "direct messages (direct-messages.js)",
    "directMessagesGroup": "group direct messages (direct-messages-group.js)",
}

GAPS = [
    "inbound messages (mentions and replies from customers): an X archive holds only the "
    "brand's own tweets",
    "texts of the tweets the brand replied to (their time is derived from the tweet id) and "
    "requests the brand never answered",
    "engagement beyond likes and reposts (replies, quotes, impressions, clicks); counts are as "
    "of the archive date",
    "dates of likes and follows (the archive does not date them)",
]


def snowflake_time(tweet_id: str) -> datetime | None:
    """When a tweet was written, from its id; None for pre-2010 sequential ids."""
    ms = int(tweet_id) >> 22
    if ms < _FIRST_SNOWFLAKE_MS:
        return None
    try:
        return datetime.fromtimestamp((ms + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None  # not an id X could have issued


def _no_language(lang: str | None) -> bool:
    # X's private codes: qme (media only), qam (mentions only), qht (hashtags only), und, zxx.
    return not lang or lang.startswith("q") or lang in ("und", "zxx")


class _Archive:
    """The archive's members, found under whatever folder wraps `data/`."""

    def __init__(self, c: Container) -> None:
        self.c = c
        prefixes = _data_prefixes(c)
        if not prefixes:
            raise InputError(c.path, "not an X archive: no data/manifest.js or data/tweets.js")
        if len(prefixes) > 1:
            raise several_exports(c, "X archives", [p.removesuffix("data/") for p in prefixes])
        self.data = prefixes[0]

    def member(self, file_name: str) -> str:
        # The manifest names files from the archive root ("data/tweets.js").
        return self.data + (file_name[5:] if file_name.startswith("data/") else file_name)

    def where(self, file_name: str) -> Where:
        return Where(self.c.where(self.member(file_name)))

    def exists(self, file_name: str) -> bool:
        return self.c.exists(self.member(file_name))

    def parse(self, file_name: str) -> Any:
        """The JSON value assigned in a `window.… = …` file."""
        name = self.member(file_name)
        text = self.c.read_text(name)
        eq = text.find("=")
        head = text[:eq] if eq >= 0 else ""
        if eq < 0 or not head.strip().startswith("window."):
            raise InputError(
                self.c.where(name),
                "expected an X archive file starting `window.YTD.<type>.part0 = `",
            )
        # Blank the assignment instead of cutting it, so JSON errors keep their line numbers.
        body = re.sub(r"[^\n]", " ", text[: eq + 1]) + text[eq + 1 :].rstrip().rstrip(";")
        return self.c.read_json(name, body)


def _looks_like_manifest(c: Container, name: str) -> bool:
    return b"__THAR_CONFIG" in c.read_head(name, 200)


def _data_prefixes(c: Container) -> list[str]:
    """The `data/` folder of every X archive in the container ('' when it is that folder)."""
    roots = c.locate_all("data/manifest.js")
    top_manifest = not roots and c.locate_all("manifest.js", max_depth=1)
    if top_manifest and _looks_like_manifest(c, "manifest.js"):
        return [""]  # the user pointed at the data/ folder itself
    if not roots:
        roots = c.locate_all("data/tweets.js") or c.locate_all("data/tweet.js")
    return [r + "data/" for r in roots]


class XArchiveSource:
    name = "x-archive"
    description = "X/Twitter account archive: the zip, or its folder with data/manifest.js"

    def detect(self, path: Path) -> bool:
        try:
            with Container(path) as c:
                return c.kind != "file" and bool(_data_prefixes(c))
        except InputError:
            return False

    def is_root(self, path: Path) -> bool:
        """True when `path` is the top of one archive (not a folder that holds archives)."""
        try:
            with Container(path) as c:
                return c.kind == "folder" and _data_prefixes(c) in (["data/"], [""])
        except InputError:
            return False

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        with Container(path) as c:
            if c.kind == "file":
                raise InputError(
                    path,
                    "an X archive is a zip or a folder with data/manifest.js; "
                    "give that, not one file",
                )
            return _Reader(_Archive(c), path, options).read()


class _Reader:
    def __init__(self, archive: _Archive, path: Path, options: ImportOptions) -> None:
        self.a = archive
        self.path = path
        self.options = options
        self.gaps: list[str] = list(GAPS)
        self.skipped: list[dict[str, Any]] = []
        self.rows: dict[str, list[dict]] = {
            "accounts": [],
            "messages": [],
            "acknowledgements": [],
            "follows": [],
            "audience": [],
        }

    # -- manifest ------------------------------------------------------------------------------

    def read(self) -> ImportBatch:
        a = self.a
        if a.exists("data/manifest.js"):
            manifest = expect_dict(
                a.parse("data/manifest.js"), a.where("data/manifest.js"), "the archive manifest"
            )
            self.listed = self._listed(manifest)
            user = manifest.get("userInfo")
            generated = self._generation_date(manifest)
        else:
            manifest, user, generated = {}, None, None
            self.listed = self._discover()
        self._check_parts()

        account_rec = self._account_record()
        w = a.where("data/manifest.js")
        if isinstance(user, dict) and user.get("accountId"):
            self.own_id = get_id(user, "accountId", w.at("userInfo"))
            self.handle = get_str(user, "userName", w.at("userInfo"), required=True)
            display = get_str(user, "displayName", w.at("userInfo"))
        elif account_rec is not None:
            wa = a.where("data/account.js").at("account")
            self.own_id = get_id(account_rec, "accountId", wa)
            self.handle = get_str(account_rec, "username", wa, required=True)
            display = get_str(account_rec, "accountDisplayName", wa)
        else:
            raise InputError(
                self.path,
                "cannot tell whose archive this is: "
                "no userInfo in data/manifest.js and no data/account.js",
            )

        self._read_tweets()
        self._read_dms()
        self._read_likes()
        followers = self._read_follows("follower")
        following = self._read_follows("following")
        self._account_row(display, account_rec, followers, following, generated)
        self._gap_notes()

        return ImportBatch(
            source=str(self.path.resolve()),
            format=XArchiveSource.name,
            tables=build_tables(self.rows, self.path),
            platform=Platform.X.value,
            account=self.handle,
            skipped=self.skipped + self.a.c.refused(),
            gaps=self.gaps,
            # The archive's own date: the account is judged as of the day it was downloaded.
            as_of=generated,
            metrics=("likes", "reposts"),
        )

    def _listed(self, manifest: dict) -> dict[str, list[tuple[str, int | None]]]:
        w = self.a.where("data/manifest.js")
        types = expect_dict(manifest.get("dataTypes", {}), w, "dataTypes", "dataTypes")
        out: dict[str, list[tuple[str, int | None]]] = {}
        for type_name in (*_CORE, *_OPTIONAL, "profile"):
            entry = types.get(type_name)
            if entry is None:
                continue
            wt = w.at(f"dataTypes.{type_name}")
            files = expect_list(
                expect_dict(entry, wt, "a data type").get("files", []), wt, "files", "files"
            )
            parts = []
            for i, f in enumerate(files):
                wf = wt.at(f"dataTypes.{type_name}.files[{i}]")
                f = expect_dict(f, wf, "a file entry")
                parts.append((get_str(f, "fileName", wf, required=True), get_int(f, "count", wf)))
            out[type_name] = parts
        return out

    def _generation_date(self, manifest: dict) -> datetime | None:
        info = manifest.get("archiveInfo")
        if isinstance(info, dict) and info.get("generationDate"):
            return iso_time(
                info["generationDate"],
                self.a.where("data/manifest.js").at("archiveInfo"),
                "generationDate",
            )
        return None

    def _discover(self) -> dict[str, list[tuple[str, int | None]]]:
        """Without a manifest (older archives), the parts present are all there is."""
        names = {n[len(self.a.data) :] for n in self.a.c.names() if n.startswith(self.a.data)}
        out: dict[str, list[tuple[str, int | None]]] = {}
        for type_name, stem in (
            ("tweets", "tweets"),
            ("tweet", "tweet"),
            ("noteTweet", "note-tweet"),
            ("like", "like"),
            ("follower", "follower"),
            ("following", "following"),
            ("directMessages", "direct-messages"),
            ("account", "account"),
            ("profile", "profile"),
        ):
            parts = sorted(
                (n for n in names if re.fullmatch(rf"{re.escape(stem)}(-part\d+)?\.js", n)),
                key=lambda n: int(m.group(1)) if (m := re.search(r"-part(\d+)\.js$", n)) else 0,
            )
            if parts:
                out[type_name] = [("data/" + p, None) for p in parts]
        return out

    def _check_parts(self) -> None:
        """All or nothing for the brand's messages; a gap for a secondary file missing whole."""
        for type_name, parts in self.listed.items():
            missing = [(f, n) for f, n in parts if not self.a.exists(f) and (n is None or n > 0)]
            if not missing:
                continue
            present = [f for f, _ in parts if self.a.exists(f)]
            if type_name in _CORE or present:
                f, n = missing[0]
                raise InputError(
                    self.a.c.where(self.a.member("data/manifest.js")),
                    f"lists {f} ({n} records) but the archive has no such file; an archive with "
                    f"a missing part would lose messages silently, so nothing was imported",
                    field=f"dataTypes.{type_name}",
                )
            if type_name in _OPTIONAL_GAPS:
                total = sum(n or 0 for _, n in missing)
                self.gaps.append(
                    f"{_OPTIONAL_GAPS[type_name]}: listed in manifest.js with {total} records, "
                    f"but not in this archive"
                )

    def _present(self, type_name: str) -> list[str]:
        return [f for f, _ in self.listed.get(type_name, []) if self.a.exists(f)]

    def _entries(self, type_name: str, wrapper: str) -> list[tuple[Where, dict]]:
        """Every record of a data type across all its parts, unwrapped from {wrapper: {…}}."""
        out = []
        for f in self._present(type_name):
            w = self.a.where(f)
            items = expect_list(self.a.parse(f), w, f"a list of {wrapper} records")
            for i, item in enumerate(items):
                wi = w.at(f"{wrapper} {i + 1}")
                item = expect_dict(item, wi, f"a {wrapper} record")
                rec = item.get(wrapper, item)  # older archives have bare records
                out.append((wi, expect_dict(rec, wi, f"a {wrapper} record", wrapper)))
        return out

    def _account_record(self) -> dict | None:
        entries = self._entries("account", "account")
        return entries[0][1] if entries else None

    # -- tweets --------------------------------------------------------------------------------

    def _read_tweets(self) -> None:
        entries = self._entries("tweets", "tweet") + self._entries("tweet", "tweet")
        by_id: dict[str, tuple[Where, dict]] = {}
        times: dict[str, datetime] = {}
        for w, t in entries:
            tid = get_id(t, "id_str", w) if "id_str" in t else get_id(t, "id", w)
            w = w.at(f"{w.record} (id {tid})")
            created = get_str(t, "created_at", w, required=True)
            try:
                times[tid] = datetime.strptime(created, TWEET_TIME).astimezone(UTC)
            except (ValueError, OverflowError) as exc:
                raise w.error(
                    f"expected a time like 'Fri Mar 06 13:02:05 +0000 2026', got {created!r}",
                    "created_at",
                ) from exc
            by_id[tid] = (w, t)

        superseded, first_time, first_id = self._edits(by_id, times)
        if superseded:
            self.skipped.append(
                {
                    "what": "earlier versions of edited tweets",
                    "count": len(superseded),
                    "reason": "the last version is kept, dated when first published",
                }
            )
        notes = self._notes(by_id, times, superseded)

        messages = []
        replied: dict[str, dict] = {}
        for tid, (w, t) in by_id.items():
            if tid in superseded:
                continue
            row = self._tweet_row(tid, w, t, times[tid], notes.get(tid))
            if tid in first_time:
                row["edited_at"], row["created_at"] = row["created_at"], first_time[tid]
                # The text first published, so that what the edit changed can be read (SA304:
                # a fixed word is a correction, an added link or picture is not).
                fw, ft = by_id[first_id[tid]]
                first = (
                    get_str(ft, "full_text", fw) if "full_text" in ft else get_str(ft, "text", fw)
                )
                row["raw"] = raw_json({**t, EARLIER_TEXT: html.unescape(first or "")})
            messages.append(row)
            parent = row["in_reply_to"]
            uid = get_str(t, "in_reply_to_user_id_str", w)
            if parent and parent not in by_id and uid != self.own_id and parent not in replied:
                replied[parent] = {
                    "reply": row,
                    "screen_name": get_str(t, "in_reply_to_screen_name", w),
                    "user": uid,
                }
        self.rows["messages"].extend(messages)
        self._placeholders(replied)

    def _edits(
        self, by_id: dict, times: dict
    ) -> tuple[set[str], dict[str, datetime], dict[str, str]]:
        """The earlier versions of edited tweets, and for each last version when the first was
        published and its id."""
        superseded: set[str] = set()
        first_time: dict[str, datetime] = {}
        first_id: dict[str, str] = {}
        for _, t in by_id.values():
            info = t.get("edit_info")
            if not isinstance(info, dict):
                continue
            edit = as_dict(info.get("edit"))
            chain = as_dict(info.get("initial")).get("editTweetIds") or as_dict(
                edit.get("editControlInitial")
            ).get("editTweetIds")
            if not isinstance(chain, list) or len(chain) < 2:
                continue
            present = sorted({str(i) for i in chain if str(i) in by_id}, key=int)
            if len(present) < 2:
                continue
            superseded.update(present[:-1])
            first_time[present[-1]] = times[present[0]]
            first_id[present[-1]] = present[0]
        return superseded, first_time, first_id

    def _notes(self, by_id: dict, times: dict, superseded: set[str]) -> dict[str, dict]:
        """Long posts: note-tweet.js holds the full text under its own id; match it by time."""
        entries = self._entries("noteTweet", "noteTweet")
        if not entries:
            return {}
        by_second: dict[int, list[str]] = {}
        for tid, t in times.items():
            if tid not in superseded:
                by_second.setdefault(int(t.timestamp()), []).append(tid)
        out: dict[str, dict] = {}
        unmatched = 0
        for w, n in entries:
            core = expect_dict(n.get("core", {}), w, "the note's core", "core")
            text = get_str(core, "text", w)
            if text is None or n.get("createdAt") is None:
                unmatched += 1
                continue
            when = int(iso_time(n["createdAt"], w, "createdAt").timestamp())
            candidates = by_second.get(when, [])
            if len(candidates) > 1:
                candidates = [
                    c for c in candidates if text.startswith(_visible_start(by_id[c][1]))
                ] or candidates[:1]
            if not candidates:
                unmatched += 1
                continue
            out[candidates[0]] = core
        if unmatched:
            self.skipped.append(
                {
                    "what": "long-post texts (note-tweet.js)",
                    "count": unmatched,
                    "reason": "no tweet in the archive was posted at the same second",
                }
            )
        return out

    def _tweet_row(self, tid: str, w: Where, t: dict, created: datetime, note: dict | None) -> dict:
        full_text = get_str(t, "full_text", w) if "full_text" in t else get_str(t, "text", w)
        text = html.unescape(full_text) if full_text is not None else None
        entities = as_dict(t.get("entities"))
        links: list[Any] = [
            u.get("expanded_url")
            for u in as_list(entities.get("urls"))
            if isinstance(u, dict) and isinstance(u.get("expanded_url"), str)
        ]
        hashtags = [
            str(h.get("text")).lower()
            for h in as_list(entities.get("hashtags"))
            if isinstance(h, dict) and h.get("text")
        ]
        mentions = [
            str(m.get("screen_name")).lower()
            for m in as_list(entities.get("user_mentions"))
            if isinstance(m, dict) and m.get("screen_name")
        ]
        if note is not None:
            text = get_str(note, "text", w)
            links = [
                u.get("expandedUrl") or u.get("url")
                for u in as_list(note.get("urls"))
                if isinstance(u, dict)
            ] or links_in(text)
            links = [u for u in links if isinstance(u, str)]
            hashtags = hashtags_in(text)
            mentions = mentions_in(text)
        parent = get_id(t, "in_reply_to_status_id_str", w, required=False)
        if parent is None and t.get("in_reply_to_status_id") is not None:
            parent = get_id(t, "in_reply_to_status_id", w, required=False)
        is_repost = bool(full_text and full_text.startswith("RT @"))
        if is_repost:
            kind = Kind.REPOST
        elif parent or t.get("in_reply_to_user_id_str"):
            kind = Kind.REPLY
        else:
            kind = Kind.POST
        lang = get_str(t, "lang", w)
        app = re.sub(r"<[^>]*>", "", get_str(t, "source", w) or "").strip().lower()
        return {
            "platform": Platform.X.value,
            "id": tid,
            "account": self.handle,
            "author": self.handle,
            "from_brand": True,
            "created_at": created,
            "text": text,
            "kind": kind.value,
            "in_reply_to": parent,
            "url": f"https://x.com/{self.handle}/status/{tid}",
            "links": links,
            "hashtags": hashtags,
            "mentions": mentions,
            "visibility": "public",
            "lang": None if _no_language(lang) else lang,
            # A retweet's counts are the original's (and the archive writes "0"): not the brand's.
            "likes": None if is_repost else get_int(t, "favorite_count", w),
            "reposts": None if is_repost else get_int(t, "retweet_count", w),
            "scheduled": any(s in app for s in SCHEDULERS) if app else None,
            "time_only": False,
            "raw": raw_json(t),
        }

    def _placeholders(self, replied: dict[str, dict]) -> None:
        """An inbound row, time only, for each tweet the brand answered (see the module doc)."""
        old = 0
        for parent, info in replied.items():
            when = snowflake_time(parent)
            if when is None or when > info["reply"]["created_at"]:
                old += 1
                continue
            author = (info["screen_name"] or info["user"] or "").lower() or None
            self.rows["messages"].append(
                {
                    "platform": Platform.X.value,
                    "id": parent,
                    "account": self.handle,
                    "author": author,
                    "from_brand": False,
                    "created_at": when,
                    "text": None,
                    "kind": Kind.MENTION.value,
                    "url": f"https://x.com/{author or 'i'}/status/{parent}",
                    "links": [],
                    "hashtags": [],
                    "mentions": [self.handle.lower()],
                    "time_only": True,
                }
            )
        if old:
            self.skipped.append(
                {
                    "what": "replied-to tweets without a time",
                    "count": old,
                    "reason": "ids from before November 2010 carry no creation time",
                }
            )

    # -- direct messages, likes, follows -------------------------------------------------------

    def _read_dms(self) -> None:
        found = False
        for type_name in ("directMessages", "directMessagesGroup"):
            for w, conv in self._entries(type_name, "dmConversation"):
                found = True
                conv_id = get_str(conv, "conversationId", w)
                for j, m in enumerate(
                    expect_list(conv.get("messages", []), w, "messages", "messages")
                ):
                    wm = w.at(f"{w.record} message {j + 1}")
                    m = expect_dict(m, wm, "a message")
                    mc = m.get("messageCreate")
                    if mc is None:
                        continue  # joins, leaves, name changes: not messages
                    mc = expect_dict(mc, wm, "a messageCreate record", "messageCreate")
                    sender = get_id(mc, "senderId", wm)
                    text = get_str(mc, "text", wm)
                    text = html.unescape(text) if text is not None else None
                    own = sender == self.own_id
                    self.rows["messages"].append(
                        {
                            "platform": Platform.X.value,
                            "id": get_id(mc, "id", wm),
                            "account": self.handle,
                            "author": self.handle if own else sender,
                            "from_brand": own,
                            "created_at": iso_time(mc.get("createdAt"), wm, "createdAt"),
                            "text": text,
                            "kind": Kind.DIRECT.value,
                            "conversation_id": conv_id,
                            "links": [
                                u.get("expanded")
                                for u in as_list(mc.get("urls"))
                                if isinstance(u, dict) and isinstance(u.get("expanded"), str)
                            ]
                            or links_in(text),
                            "hashtags": hashtags_in(text),
                            "mentions": mentions_in(text),
                            "visibility": "direct",
                            "time_only": False,
                            "raw": raw_json(mc),
                        }
                    )
        if not found and not any(g.startswith("direct messages") for g in self.gaps):
            self.gaps.append("direct messages (not in this archive)")

    def _read_likes(self) -> None:
        for w, like in self._entries("like", "like"):
            self.rows["acknowledgements"].append(
                {
                    "platform": Platform.X.value,
                    "account": self.handle,
                    "message_id": get_id(like, "tweetId", w),
                    "kind": "like",
                    "created_at": None,
                }
            )

    def _read_follows(self, direction: str) -> int | None:
        """Follow rows from follower.js/following.js; returns the count, from the manifest if
        the file itself is absent (the manifest counts every record of the full archive)."""
        entries = self._entries(direction, direction)
        for w, f in entries:
            self.rows["follows"].append(
                {
                    "platform": Platform.X.value,
                    "account": self.handle,
                    "direction": direction,
                    "other": get_id(f, "accountId", w),
                    "created_at": None,
                }
            )
        if entries:
            return len(entries)
        counts = [n for _, n in self.listed.get(direction, []) if n is not None]
        return sum(counts) if counts else None

    def _account_row(
        self,
        display: str | None,
        account_rec: dict | None,
        followers: int | None,
        following: int | None,
        generated: datetime | None,
    ) -> None:
        created = None
        if account_rec is not None and account_rec.get("createdAt"):
            created = iso_time(
                account_rec["createdAt"], self.a.where("data/account.js").at("account"), "createdAt"
            )
        domains: list[str] = []
        for _, p in self._entries("profile", "profile"):
            desc = p.get("description")
            site = desc.get("website") if isinstance(desc, dict) else None
            if isinstance(site, str) and site and "//t.co/" not in site:
                host = re.sub(r"^https?://", "", site).split("/")[0].lower()
                domains.append(host.removeprefix("www."))
        self.rows["accounts"].append(
            {
                "platform": Platform.X.value,
                "handle": self.handle,
                "account_id": self.own_id,
                "display_name": display,
                "url": f"https://x.com/{self.handle}",
                "followers": followers,
                "following": following,
                "created_at": created,
                "own_domains": domains,
            }
        )
        if generated is not None and (followers is not None or following is not None):
            self.rows["audience"].append(
                {
                    "date": date(generated.year, generated.month, generated.day),
                    "platform": Platform.X.value,
                    "account": self.handle,
                    "followers": followers,
                    "following": following,
                }
            )

    def _gap_notes(self) -> None:
        tweet_parts = [
            n for t in ("tweets", "tweet") for _, n in self.listed.get(t, []) if n is not None
        ]
        read = sum(
            1 for m in self.rows["messages"] if m["from_brand"] and m["kind"] != Kind.DIRECT.value
        )
        expected = sum(tweet_parts)
        skipped_edits = next(
            (s["count"] for s in self.skipped if s["what"].startswith("earlier versions")), 0
        )
        if tweet_parts and expected != read + skipped_edits:
            self.gaps.append(
                f"manifest.js counts {expected} tweets, the parts hold {read + skipped_edits}"
            )


def _visible_start(t: dict) -> str:
    text = html.unescape(str(t.get("full_text") or ""))
    return re.sub(r"https://t\.co/\S+", "", text)[:20]


SOURCE = XArchiveSource()
