"""Facebook and Instagram "Download your information" exports, in JSON: the zip, its folder, or
one of its files.

Accounts Center → Your information and permissions → Download your information, format JSON.
The export is a tree of JSON files by category; the ones read here are recognised by name and
then by shape (the layout has moved between versions, the shapes much less):

* Facebook posts (`your_posts_1.json`, `your_posts__check_ins__photos_and_videos_1.json`): a
  list of `{timestamp, data: [{post}], attachments, title}`; comments the account wrote
  (`comments.json`: `{comments_v2: [{timestamp, data: [{comment: {comment, author}}], title}]}`);
  its reactions (`{reactions_v2: …}` or a list of `{timestamp, data: [{reaction}]}`);
* Instagram posts (`posts_1.json`: a list of `{media: [{uri, creation_timestamp, title}],
  title?, creation_timestamp?}`, the caption in `title`); comments it wrote
  (`post_comments_1.json`, `string_map_data` with keys in the account's language); its likes
  (`liked_posts.json`, `liked_comments.json`), followers and following where present.

Meta writes text as UTF-8 bytes escaped one per character (`"L\\u00c3\\u00b8ye"` for "Løye"),
so every string is repaired after parsing: encoded as Latin-1 and decoded as UTF-8, keeping the
original when that fails (text that was never mangled). Facebook posts and comments carry no id
at all: each gets one made from a hash of its time, its text and how many identical (time, text)
records came before it in the same file, so re-importing the same export, or an overlapping one,
replaces rows instead of adding them.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, read_head
from .container import Container
from .rows import (
    Where,
    build_tables,
    expect_dict,
    expect_list,
    get_str,
    raw_json,
    stable_id,
    unix_time,
)

# File names of the export that this importer reads (anything else in the export is left alone:
# it holds ads data, logins, and other people's private messages).
KNOWN_FILES = re.compile(
    r"^(your_posts(__check_ins__photos_and_videos)?_\d+|comments|comments_and_reactions"
    r"|posts_and_comments|likes_and_reactions(_\d+)?|profile_information"
    r"|posts_\d+|post_comments(_\d+)?|liked_posts|liked_comments|followers(_\d+)?|following"
    r"|personal_information|stories|profile_photos|saved_posts|your_posts_in_groups)\.json$"
)
# Top-level keys that only Meta exports use: a single file is claimed only when it has one.
_MARKERS = (
    b'"comments_v2"',
    b'"reactions_v2"',
    b'"string_map_data"',
    b'"string_list_data"',
    b'"likes_media_likes"',
    b'"creation_timestamp"',
    b'"timestamp"',
    b'"ig_stories"',
    b'"group_posts_v2"',
    b'"relationships_following"',
)

# Instagram's string_map_data keys are in the account's language; these are the ones known.
IG_COMMENT_KEYS = (
    "Comment",
    "Comentario",
    "Comentário",
    "Commentaire",
    "Kommentar",
    "Commento",
    "Reactie",
)
IG_OWNER_KEYS = (
    "Media Owner",
    "Propietario del contenido",
    "Proprietário da mídia",
    "Propriétaire du contenu",
    "Medieninhaber",
    "Proprietario del contenuto",
)
IG_MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{1,30})")
_ZIP_NAME = re.compile(
    r"^(?P<platform>instagram|facebook)-(?P<handle>[A-Za-z0-9_.]+)-\d{4}-\d{2}-\d{2}", re.I
)

COMMON_GAPS = [
    "comments, replies and messages from other people on the brand's posts (a Download your "
    "information export holds only what the account itself did)",
    "engagement counts per post (likes, comments, shares, reach)",
    "post ids and links (ids are made from each post's time and text)",
]
FACEBOOK_GAPS = ["what each Facebook comment answers (the export names it only in a sentence)"]


def fix_text(value: Any) -> Any:
    """Undo Meta's double encoding in every string of a parsed JSON value, keys included."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [fix_text(v) for v in value]
    if isinstance(value, dict):
        return {fix_text(k): fix_text(v) for k, v in value.items()}
    return value


class MetaSource:
    name = "meta"
    description = (
        "Facebook or Instagram 'Download your information' export in JSON (zip, folder or file)"
    )

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return _folder_has_known(path)
        if path.is_file() and path.suffix.lower() == ".json":
            head = read_head(path, 4096)
            return bool(KNOWN_FILES.match(path.name)) and any(m in head for m in _MARKERS)
        try:
            with Container(path) as c:
                return c.kind == "zip" and any(
                    KNOWN_FILES.match(n.rsplit("/", 1)[-1]) for n in c.names()
                )
        except InputError:
            return False

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        with Container(path) as c:
            members = (
                c.names()
                if c.kind == "file"
                else [n for n in c.names() if KNOWN_FILES.match(n.rsplit("/", 1)[-1])]
            )
            if not members:
                raise InputError(
                    path,
                    "no Facebook or Instagram JSON files found "
                    "(posts_1.json, your_posts_1.json, comments.json, …)",
                )
            reader = _Reader(path, options)
            for name in members:
                where = Where(c.where(name))
                value = fix_text(c.read_json(name))
                reader.file(name, value, where)
            reader.skipped += c.refused()
            return reader.batch()


def _folder_has_known(path: Path, limit: int = 5000) -> bool:
    seen = 0
    for dirpath, dirnames, filenames in os.walk(path):
        if os.path.relpath(dirpath, path).count(os.sep) >= 6:
            dirnames[:] = []
        for f in filenames:
            seen += 1
            if KNOWN_FILES.match(f) and f not in ("followers.json", "following.json"):
                return True
            if seen >= limit:
                return False
    return False


class _Reader:
    def __init__(self, path: Path, options: ImportOptions) -> None:
        self.path = path
        self.options = options
        self.rows: dict[str, list[dict]] = {
            "messages": [],
            "acknowledgements": [],
            "follows": [],
            "accounts": [],
        }
        self.skipped: list[dict[str, Any]] = []
        self.handles: dict[str, str | None] = {}  # platform -> the account's handle
        self.platforms: set[str] = set()
        self.comment_authors: Counter[str] = Counter()

    # -- dispatch by shape ---------------------------------------------------------------------

    def file(self, name: str, value: Any, w: Where) -> None:
        base = name.rsplit("/", 1)[-1]
        if isinstance(value, dict):
            self._dict_file(base, value, w)
        elif isinstance(value, list):
            self._list_file(base, value, w)
        else:
            raise w.error(f"expected a JSON list or object, got {type(value).__name__}")

    def _dict_file(self, base: str, value: dict, w: Where) -> None:
        if "comments_v2" in value:
            self._fb_comments(expect_list(value["comments_v2"], w, "comments", "comments_v2"), w)
        elif "reactions_v2" in value:
            self._fb_reactions(
                expect_list(value["reactions_v2"], w, "reactions", "reactions_v2"), w
            )
        elif "profile_v2" in value:
            profile = expect_dict(value["profile_v2"], w, "the profile", "profile_v2")
            name = profile.get("name")
            if isinstance(name, dict) and isinstance(name.get("full_name"), str):
                self.handles.setdefault(Platform.FACEBOOK.value, name["full_name"])
        elif "profile_user" in value:
            self._ig_profile(value["profile_user"], w)
        elif "comments_media_comments" in value or "comments_reels_comments" in value:
            for key in ("comments_media_comments", "comments_reels_comments"):
                self._ig_old_comments(expect_list(value.get(key, []), w, "comments", key), w)
        elif "likes_media_likes" in value:
            self._ig_likes(
                expect_list(value["likes_media_likes"], w, "likes", "likes_media_likes"),
                w,
                comment=False,
            )
        elif "likes_comment_likes" in value:
            self._ig_likes(
                expect_list(value["likes_comment_likes"], w, "likes", "likes_comment_likes"),
                w,
                comment=True,
            )
        elif "relationships_following" in value:
            self._ig_follows(
                expect_list(
                    value["relationships_following"], w, "accounts", "relationships_following"
                ),
                w,
                "following",
            )
        elif "relationships_followers" in value:
            self._ig_follows(
                expect_list(
                    value["relationships_followers"], w, "accounts", "relationships_followers"
                ),
                w,
                "follower",
            )
        else:
            key = next(iter(value), "")
            reasons = {
                "group_posts_v2": "posts in groups are not the account's own timeline",
                "ig_stories": "stories have no text and disappear after a day",
                "ig_profile_picture": "profile pictures are not messages",
                "saved_saved_media": "saved posts are private bookmarks",
            }
            self.skipped.append(
                {
                    "what": f"{base} ({key})",
                    "count": _length(value.get(key)),
                    "reason": reasons.get(key, "not a kind of file this importer reads"),
                }
            )

    def _list_file(self, base: str, items: list, w: Where) -> None:
        first = next((i for i in items if isinstance(i, dict)), None)
        if first is None:
            if items:
                raise w.error("expected a list of records (JSON objects)")
            return  # an empty list: nothing of this kind in the export
        if "media" in first and "timestamp" not in first:
            self._ig_posts(items, w)
        elif "string_map_data" in first:
            self._ig_comments(items, w)
        elif "string_list_data" in first:
            direction = "following" if base.startswith("following") else "follower"
            self._ig_follows(items, w, direction)
        elif "timestamp" in first:
            if any(_has_reaction(i) for i in items[:50]):
                self._fb_reactions(items, w)
            else:
                self._fb_posts(items, w)
        elif isinstance(first, dict) and any(k.endswith("_v2") for k in first):
            # A list of {comments_v2: …} objects (seen in some older exports): read each.
            for item in items:
                self._dict_file(base, expect_dict(item, w, "an object"), w)
        else:
            self.skipped.append(
                {
                    "what": base,
                    "count": len(items),
                    "reason": "not a kind of file this importer reads",
                }
            )

    # -- Facebook ------------------------------------------------------------------------------

    def _fb_posts(self, items: list, w: Where) -> None:
        seen: Counter[tuple] = Counter()
        for i, item in enumerate(items):
            wi = w.at(f"post {i + 1}")
            item = expect_dict(item, wi, "a post")
            created = unix_time(item.get("timestamp"), wi, "timestamp")
            texts, links = [], []
            for d in expect_list(item.get("data", []), wi, "post data", "data"):
                if isinstance(d, dict) and d.get("post") is not None:
                    texts.append(get_str(d, "post", wi))
            for att in expect_list(item.get("attachments", []), wi, "attachments", "attachments"):
                for d in _list(att.get("data")) if isinstance(att, dict) else []:
                    ext = d.get("external_context") if isinstance(d, dict) else None
                    if isinstance(ext, dict) and isinstance(ext.get("url"), str):
                        links.append(ext["url"])
            text = "\n\n".join(t for t in texts if t) or None
            key = (item.get("timestamp"), text)
            seen[key] += 1
            self._message(
                Platform.FACEBOOK,
                stable_id("fb-post-", *key, seen[key]),
                created,
                text,
                Kind.POST,
                links=links,
                raw=item,
            )

    def _fb_comments(self, items: list, w: Where) -> None:
        seen: Counter[tuple] = Counter()
        for i, item in enumerate(items):
            wi = w.at(f"comment {i + 1}")
            item = expect_dict(item, wi, "a comment")
            comment: dict = {}
            for d in expect_list(item.get("data", []), wi, "comment data", "data"):
                if isinstance(d, dict) and isinstance(d.get("comment"), dict):
                    comment = d["comment"]
            if not comment:
                continue  # a comment whose text the export left out: nothing to read
            text = get_str(comment, "comment", wi)
            author = get_str(comment, "author", wi)
            if author:
                self.comment_authors[author] += 1
            ts = comment.get("timestamp", item.get("timestamp"))
            created = unix_time(ts, wi, "timestamp")
            key = (ts, text)
            seen[key] += 1
            self._message(
                Platform.FACEBOOK,
                stable_id("fb-comment-", *key, seen[key]),
                created,
                text,
                Kind.COMMENT,
                raw=item,
            )

    def _fb_reactions(self, items: list, w: Where) -> None:
        self.platforms.add(Platform.FACEBOOK.value)
        for i, item in enumerate(items):
            wi = w.at(f"reaction {i + 1}")
            item = expect_dict(item, wi, "a reaction")
            created = unix_time(item.get("timestamp"), wi, "timestamp")
            reaction = "LIKE"
            for d in _list(item.get("data")):
                if isinstance(d, dict) and isinstance(d.get("reaction"), dict):
                    reaction = str(d["reaction"].get("reaction") or "LIKE")
            # The reacted-to post has no id in the export; the title sentence names it.
            self.rows["acknowledgements"].append(
                {
                    "platform": Platform.FACEBOOK.value,
                    "account": None,  # filled in batch() once the handle is known
                    "message_id": stable_id(
                        "fb-reacted-", item.get("timestamp"), item.get("title")
                    ),
                    "kind": "like" if reaction.upper() == "LIKE" else "reaction",
                    "created_at": created,
                }
            )

    # -- Instagram -----------------------------------------------------------------------------

    def _ig_posts(self, items: list, w: Where) -> None:
        seen: Counter[tuple] = Counter()
        others: Counter[str] = Counter()
        for i, item in enumerate(items):
            wi = w.at(f"post {i + 1}")
            item = expect_dict(item, wi, "a post")
            if "media" not in item:
                # older media files mix in profile pictures and IGTV lists beside the posts
                others[next(iter(item), "empty")] += 1
                continue
            media = expect_list(item.get("media", []), wi, "media", "media")
            first = media[0] if media and isinstance(media[0], dict) else {}
            ts = item.get("creation_timestamp", first.get("creation_timestamp"))
            if ts is None:
                raise wi.error("missing; expected Unix seconds", "creation_timestamp")
            created = unix_time(ts, wi, "creation_timestamp")
            text = get_str(item, "title", wi) if item.get("title") else get_str(first, "title", wi)
            text = text or None
            key = (ts, text)
            seen[key] += 1
            self._message(
                Platform.INSTAGRAM,
                stable_id("ig-post-", *key, seen[key]),
                created,
                text,
                Kind.POST,
                raw=item,
            )
        for what, n in sorted(others.items()):
            self.skipped.append({"what": f"{what} records", "count": n, "reason": "not posts"})

    def _ig_comments(self, items: list, w: Where) -> None:
        seen: Counter[tuple] = Counter()
        for i, item in enumerate(items):
            wi = w.at(f"comment {i + 1}")
            item = expect_dict(item, wi, "a comment")
            smd = expect_dict(
                item.get("string_map_data"), wi, "the comment's fields", "string_map_data"
            )
            text, owner, ts = _ig_fields(smd, wi)
            created = unix_time(ts, wi, "Time")
            key = (ts, text)
            seen[key] += 1
            # The media owner (whom the comment answers) stays in raw: the post itself has no id.
            self._message(
                Platform.INSTAGRAM,
                stable_id("ig-comment-", *key, seen[key]),
                created,
                text,
                Kind.COMMENT,
                raw={**item, "media_owner": owner},
            )

    def _ig_old_comments(self, items: list, w: Where) -> None:
        seen: Counter[tuple] = Counter()
        for i, item in enumerate(items):
            wi = w.at(f"comment {i + 1}")
            item = expect_dict(item, wi, "a comment")
            for s in expect_list(
                item.get("string_list_data", []), wi, "comment values", "string_list_data"
            ):
                s = expect_dict(s, wi, "a comment value")
                text = get_str(s, "value", wi)
                ts = s.get("timestamp")
                key = (ts, text)
                seen[key] += 1
                self._message(
                    Platform.INSTAGRAM,
                    stable_id("ig-comment-", *key, seen[key]),
                    unix_time(ts, wi, "timestamp"),
                    text,
                    Kind.COMMENT,
                    raw=item,
                )

    def _ig_likes(self, items: list, w: Where, comment: bool) -> None:
        self.platforms.add(Platform.INSTAGRAM.value)
        for i, item in enumerate(items):
            wi = w.at(f"like {i + 1}")
            item = expect_dict(item, wi, "a like")
            owner = get_str(item, "title", wi)
            for s in expect_list(
                item.get("string_list_data", []), wi, "like values", "string_list_data"
            ):
                s = expect_dict(s, wi, "a like value")
                href = get_str(s, "href", wi) or ""
                ts = s.get("timestamp")
                # A liked comment has no id of its own: its post's link, its author and time.
                message_id = f"{href}#comment-by-{owner}-{ts}" if comment else href
                if not message_id:
                    continue
                self.rows["acknowledgements"].append(
                    {
                        "platform": Platform.INSTAGRAM.value,
                        "account": None,
                        "message_id": message_id,
                        "kind": "like",
                        "created_at": unix_time(ts, wi, "timestamp") if ts is not None else None,
                    }
                )

    def _ig_follows(self, items: list, w: Where, direction: str) -> None:
        self.platforms.add(Platform.INSTAGRAM.value)
        for i, item in enumerate(items):
            wi = w.at(f"{direction} {i + 1}")
            item = expect_dict(item, wi, "an account")
            for s in expect_list(
                item.get("string_list_data", []), wi, "account values", "string_list_data"
            ):
                s = expect_dict(s, wi, "an account value")
                other = (
                    get_str(s, "value", wi) or get_str(item, "title", wi) or get_str(s, "href", wi)
                )
                if not other:
                    continue
                ts = s.get("timestamp")
                self.rows["follows"].append(
                    {
                        "platform": Platform.INSTAGRAM.value,
                        "account": None,
                        "direction": direction,
                        "other": other.lower(),
                        "created_at": unix_time(ts, wi, "timestamp") if ts is not None else None,
                    }
                )

    def _ig_profile(self, users: Any, w: Where) -> None:
        for u in users if isinstance(users, list) else [users]:
            smd = u.get("string_map_data") if isinstance(u, dict) else None
            if isinstance(smd, dict):
                for key in (
                    "Username",
                    "Nombre de usuario",
                    "Nome de usuário",
                    "Nom d'utilisateur",
                    "Benutzername",
                ):
                    v = smd.get(key)
                    if isinstance(v, dict) and isinstance(v.get("value"), str):
                        self.handles.setdefault(Platform.INSTAGRAM.value, v["value"])
                        return

    # -- rows ----------------------------------------------------------------------------------

    def _message(
        self,
        platform: Platform,
        mid: str,
        created: Any,
        text: str | None,
        kind: Kind,
        *,
        links: list[str] | None = None,
        raw: Any = None,
    ) -> None:
        self.platforms.add(platform.value)
        if platform is Platform.INSTAGRAM:
            mentions = [m.rstrip(".").lower() for m in IG_MENTION_RE.findall(text or "")]
        else:
            mentions = []  # Facebook tags people by name, not by handle: nothing to extract
        self.rows["messages"].append(
            {
                "platform": platform.value,
                "id": mid,
                "account": None,
                "author": None,
                "from_brand": True,
                "created_at": created,
                "text": text,
                "kind": kind.value,
                "links": list(dict.fromkeys((links or []) + links_in(text))),
                "hashtags": hashtags_in(text),
                "mentions": mentions,
                "time_only": False,
                "raw": raw_json(raw),
            }
        )

    def _handle(self, platform: str) -> str | None:
        if self.options.brand:
            return self.options.brand[0]
        if self.handles.get(platform):
            return self.handles[platform]
        m = _ZIP_NAME.match(self.path.name)
        if m and m.group("platform").lower() == platform:
            return m.group("handle")
        if platform == Platform.FACEBOOK.value and self.comment_authors:
            # The account wrote every comment in its own export: the most frequent author is it.
            return self.comment_authors.most_common(1)[0][0]
        return None

    def batch(self) -> ImportBatch:
        gaps = list(COMMON_GAPS)
        handles = {p: self._handle(p) for p in sorted(self.platforms)}
        for name in ("messages", "acknowledgements", "follows"):
            for r in self.rows[name]:
                r["account"] = handles.get(r["platform"])
                if name == "messages":
                    r["author"] = r["account"]
        for platform, handle in handles.items():
            if handle is None:
                gaps.append(
                    f"the {platform} account's name (the export does not say it): "
                    "pass --brand HANDLE"
                )
            else:
                self.rows["accounts"].append(
                    {"platform": platform, "handle": handle, "own_domains": []}
                )
        if Platform.FACEBOOK.value in self.platforms:
            gaps += FACEBOOK_GAPS
        if not self.rows["follows"]:
            gaps.append("followers and following (not in this export)")
        if not self.rows["acknowledgements"]:
            gaps.append("the account's likes and reactions (not in this export)")
        only = next(iter(self.platforms)) if len(self.platforms) == 1 else None
        if not self.platforms:
            raise InputError(self.path, "no posts, comments, likes or follows found in this export")
        return ImportBatch(
            source=str(self.path.resolve()),
            format=MetaSource.name,
            tables=build_tables(self.rows, self.path),
            platform=only,
            account=handles.get(only) if only else None,
            skipped=self.skipped,
            gaps=gaps,
        )


def _ig_fields(smd: dict, w: Where) -> tuple[str | None, str | None, Any]:
    """(comment, media owner, time) from localized string_map_data: known names first, then by
    shape (the entry with a timestamp is the time; of the two values, the owner is a handle)."""
    text = owner = ts = None
    values: list[str] = []
    for key, entry in smd.items():
        if not isinstance(entry, dict):
            raise w.error(
                f"expected an object with value or timestamp, got {type(entry).__name__}", key
            )
        if "timestamp" in entry and entry.get("value") in (None, ""):
            ts = entry["timestamp"]
        elif key in IG_COMMENT_KEYS:
            text = get_str(entry, "value", w)
        elif key in IG_OWNER_KEYS:
            owner = get_str(entry, "value", w)
        elif isinstance(entry.get("value"), str):
            values.append(entry["value"])
    for v in values:
        if owner is None and re.fullmatch(r"[A-Za-z0-9_.]{1,30}", v) and text is not None:
            owner = v
        elif text is None:
            text = v
    if ts is None:
        raise w.error("no time in the comment's fields", "string_map_data")
    return text, owner, ts


def _has_reaction(item: Any) -> bool:
    data = item.get("data") if isinstance(item, dict) else None
    return isinstance(data, list) and any(isinstance(d, dict) and "reaction" in d for d in data)


def _list(value: Any) -> list:
    """An optional nested list; anything else counts as absent (it carries nothing we read)."""
    return value if isinstance(value, list) else []


def _length(v: Any) -> int:
    return len(v) if isinstance(v, list | dict) else 0


SOURCE = MetaSource()
