"""The canonical tables: their Arrow schemas, their keys, and the enums the whole tool shares.

Every source turns its format into these tables; every check reads only these tables (plus the
labels that text understanding adds). Rules that hold for all of them:

* times are UTC timestamps (microseconds);
* ids are strings (platform ids overflow int64 and lose precision as floats);
* every row keeps `platform` and `source` (the import that brought it), so that re-importing the
  same export replaces its rows instead of adding them again;
* a metric the platform does not give is null, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import pyarrow as pa


class Platform(StrEnum):
    X = "x"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    LINKEDIN = "linkedin"
    OTHER = "other"


# Platform names a ledger or a goal may use: the canonical names plus the spellings people write
# by hand. UTM sources have their own, wider mapping (sources/conversions.SOURCE_PLATFORMS).
PLATFORM_NAMES: dict[str, str] = {p.value: p.value for p in Platform} | {
    "twitter": Platform.X.value,
    "fb": Platform.FACEBOOK.value,
    "ig": Platform.INSTAGRAM.value,
    "bsky": Platform.BLUESKY.value,
}

# What a cost in the costs ledger is for (docs/roi.md).
COST_CATEGORIES = ("staff", "ads", "tools", "agency", "content", "other")
# The tables that hold money, in the workspace's one currency.
LEDGERS = ("costs", "conversions")


class Kind(StrEnum):
    """What a message is, as the platform shows it."""

    POST = "post"  # an original post on the account's own timeline
    REPLY = "reply"  # an answer to another message
    COMMENT = "comment"  # a comment under a post (Facebook, Instagram, LinkedIn)
    MENTION = "mention"  # someone else's message that names the account
    DIRECT = "direct"  # a private/direct message
    REPOST = "repost"  # a share of someone else's message (retweet, boost, repost)


class Verdict(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"
    ERROR = "error"


class Intent(StrEnum):
    COMPLAINT = "complaint"
    QUESTION = "question"
    PRAISE = "praise"
    OTHER = "other"


# The key under which an importer adds, to an edited message's `raw` record, the text it had when
# first published, where the export keeps it (an X archive keeps every version of an edited
# tweet; a Mastodon outbox only the last one and when it was edited). Part of the canonical
# model because the importers write it and SA304 reads it.
EARLIER_TEXT = "socialaudit_first_text"
# The intent or content type of a text in a language no lexicon reads (its cues say which).
UNKNOWN_LABEL = "unknown"
# Labels less sure than this are set apart for a person to check (the inbox, the report).
LOW_CONFIDENCE = 0.5


class ContentType(StrEnum):
    PROMOTION = "promotion"
    EXPERTISE = "expertise"
    ENGAGEMENT = "engagement"
    PERSONAL = "personal"
    LIKE_BAIT = "like_bait"
    ANNOUNCEMENT = "announcement"
    CARE_REPLY = "care_reply"
    OTHER = "other"


TS = pa.timestamp("us", tz="UTC")
STR_LIST = pa.list_(pa.string())


@dataclass(frozen=True)
class TableSpec:
    """A canonical table: its schema and the columns that identify a row.

    A re-import deletes the rows that came from the same source, then the rows whose key is in
    the new batch, then inserts: so the same export twice changes nothing, and an overlapping
    export (two archives a month apart) replaces instead of duplicating.
    """

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    doc: str


ACCOUNTS = TableSpec(
    "accounts",
    pa.schema(
        [
            ("platform", pa.string()),
            ("handle", pa.string()),  # as the platform shows it, without a leading @
            ("account_id", pa.string()),  # the platform's own id where known
            ("display_name", pa.string()),
            ("url", pa.string()),
            ("followers", pa.int64()),
            ("following", pa.int64()),
            ("created_at", TS),
            ("own_domains", STR_LIST),
            ("source", pa.string()),
        ]
    ),
    ("platform", "handle"),
    "The brand's own accounts.",
)

MESSAGES = TableSpec(
    "messages",
    pa.schema(
        [
            ("platform", pa.string()),
            ("id", pa.string()),
            ("account", pa.string()),  # the brand account it belongs to (null if not known)
            ("author", pa.string()),  # handle or id of who wrote it
            ("author_followers", pa.int64()),  # the author's reach where the source gives it
            ("from_brand", pa.bool_()),
            ("created_at", TS),
            ("text", pa.string()),
            ("kind", pa.string()),  # model.Kind
            (
                "in_reply_to",
                pa.string(),
            ),  # id of the parent message (may be absent from the workspace)
            ("conversation_id", pa.string()),  # as the platform gives it; null when it does not
            ("url", pa.string()),
            ("links", STR_LIST),
            ("hashtags", STR_LIST),
            ("mentions", STR_LIST),  # lower-case handles without @
            ("visibility", pa.string()),  # public, unlisted, followers, direct; null if unknown
            ("lang", pa.string()),
            ("likes", pa.int64()),
            ("reposts", pa.int64()),
            ("replies", pa.int64()),
            ("quotes", pa.int64()),
            ("impressions", pa.int64()),
            ("clicks", pa.int64()),
            ("scheduled", pa.bool_()),  # published by a scheduler, where the source says
            ("edited_at", TS),
            ("deleted_at", TS),
            # True when created_at was derived rather than read (e.g. from an X snowflake id
            # of a message the archive does not hold): the text of such a row is unavailable.
            ("time_only", pa.bool_()),
            ("source", pa.string()),
            ("raw", pa.string()),  # the source record as JSON, for fields not mapped yet
        ]
    ),
    ("platform", "id"),
    "Everything said: the brand's posts and replies, and what others said to or about it.",
)

ACKNOWLEDGEMENTS = TableSpec(
    "acknowledgements",
    pa.schema(
        [
            ("platform", pa.string()),
            ("account", pa.string()),  # the brand account that liked/favourited
            ("message_id", pa.string()),
            ("kind", pa.string()),  # like, favourite, bookmark, reaction
            ("created_at", TS),  # null when the export does not date it
            ("source", pa.string()),
        ]
    ),
    ("platform", "account", "message_id", "kind"),
    "The brand's likes and favourites of other people's messages (a like acknowledges praise).",
)

FOLLOWS = TableSpec(
    "follows",
    pa.schema(
        [
            ("platform", pa.string()),
            ("account", pa.string()),
            ("direction", pa.string()),  # following (the brand follows them) or follower
            ("other", pa.string()),  # the other account's id or handle
            ("created_at", TS),  # null when the export does not date it
            ("source", pa.string()),
        ]
    ),
    ("platform", "account", "direction", "other"),
    "Follow relations, with their time where the export has it.",
)

AUDIENCE = TableSpec(
    "audience",
    pa.schema(
        [
            ("date", pa.date32()),
            ("platform", pa.string()),
            ("account", pa.string()),
            ("followers", pa.int64()),
            ("following", pa.int64()),
            ("source", pa.string()),
        ]
    ),
    ("date", "platform", "account"),
    "Dated follower and following counts.",
)

COSTS = TableSpec(
    "costs",
    pa.schema(
        [
            ("row", pa.int64()),  # line in the source file: costs have no natural key
            ("date", pa.date32()),
            ("platform", pa.string()),  # null = shared across platforms
            ("category", pa.string()),  # staff, ads, tools, agency, content, other
            ("amount", pa.float64()),
            ("currency", pa.string()),
            ("hours", pa.float64()),
            ("hourly_rate", pa.float64()),
            ("note", pa.string()),
            ("campaign", pa.string()),  # optional: the UTM campaign the cost was spent on
            ("source", pa.string()),
        ]
    ),
    ("source", "row"),
    "What social media costs: money and staff time.",
)

CONVERSIONS = TableSpec(
    "conversions",
    pa.schema(
        [
            ("row", pa.int64()),
            ("date", pa.date32()),
            ("source_name", pa.string()),  # the UTM source as exported
            ("medium", pa.string()),
            ("campaign", pa.string()),
            ("platform", pa.string()),  # mapped from source_name; null when unmapped
            ("conversions", pa.float64()),
            ("revenue", pa.float64()),
            ("currency", pa.string()),
            ("source", pa.string()),
        ]
    ),
    ("source", "row"),
    "Conversions and revenue attributed to social traffic (web analytics with UTM).",
)

LABELS = TableSpec(
    "labels",
    pa.schema(
        [
            ("platform", pa.string()),
            ("message_id", pa.string()),
            ("backend", pa.string()),
            ("backend_version", pa.string()),
            ("sentiment", pa.string()),  # negative, neutral, positive
            ("sentiment_score", pa.float64()),  # -1 .. 1
            ("is_question", pa.bool_()),
            ("is_complaint", pa.bool_()),
            ("is_praise", pa.bool_()),
            ("intent", pa.string()),  # model.Intent
            ("content_type", pa.string()),  # model.ContentType
            ("cues", pa.string()),  # JSON: label -> list of cues that decided it
            ("lang", pa.string()),  # ISO 639-1 code of the text's language, "und" if none
            # How sure the label that counts is (intent inbound, content type for the brand's
            # own), 0..1; below LOW_CONFIDENCE a person should check it. 0 for "unknown".
            ("confidence", pa.float64()),
            # What was labelled: a digest of the text and its context, so that an edited text
            # is labelled again and an unchanged one never is (socialaudit.labelling).
            ("text_hash", pa.string()),
        ]
    ),
    ("platform", "message_id"),
    "What text understanding says of each message, and which model said it.",
)

LABEL_FIXES = TableSpec(
    "label_fixes",
    pa.schema(
        [
            ("platform", pa.string()),
            ("message_id", pa.string()),
            ("task", pa.string()),  # intent, sentiment, content, complaint
            ("label", pa.string()),
            ("fixed_at", TS),
            ("source", pa.string()),
        ]
    ),
    ("platform", "message_id", "task"),
    "Labels a person corrected; they override the model and become training data.",
)

INBOX_STATE = TableSpec(
    "inbox_state",
    pa.schema(
        [
            ("platform", pa.string()),
            ("message_id", pa.string()),
            ("state", pa.string()),  # handled, ignored, assigned, open (reopened)
            ("assignee", pa.string()),
            ("note", pa.string()),
            ("updated_at", TS),
            ("source", pa.string()),
            # An action taken on the platform from the inbox (reply, like) and the platform's id
            # of what it created (the reply's id, the like's record), so that it can be traced.
            ("action", pa.string()),
            ("action_id", pa.string()),
        ]
    ),
    ("platform", "message_id"),
    "What a person did with an inbox item, so that nothing shows twice and nothing is lost.",
)

SYNC_STATE = TableSpec(
    "sync_state",
    pa.schema(
        [
            ("platform", pa.string()),
            ("account", pa.string()),  # the connected account's handle
            ("endpoint", pa.string()),  # what is pulled: posts, notifications, likes, ...
            ("cursor", pa.string()),  # JSON: where the last page written left off
            ("updated_at", TS),
            ("source", pa.string()),
        ]
    ),
    ("platform", "account", "endpoint"),
    "Where each connected account's sync stands, per endpoint, so that the next one resumes.",
)

ALERTS = TableSpec(
    "alerts",
    pa.schema(
        [
            ("platform", pa.string()),
            ("message_id", pa.string()),
            ("reason", pa.string()),  # overdue (past the reply window) or complaint
            ("sent_at", TS),
            ("channels", STR_LIST),  # where it went: webhook, email, terminal
            ("source", pa.string()),
        ]
    ),
    ("platform", "message_id"),
    "Alerts `watch` sent, so that no alert is sent twice for the same message.",
)

IMPORTS = TableSpec(
    "imports",
    pa.schema(
        [
            ("source", pa.string()),
            ("format", pa.string()),
            ("platform", pa.string()),
            ("account", pa.string()),
            ("imported_at", TS),
            ("rows", pa.string()),  # JSON: table -> rows written
            ("skipped", pa.string()),  # JSON: list of {what, count, reason}
            # JSON list of what this export cannot provide, e.g. "inbound messages"
            ("gaps", pa.string()),
            # The time the export was made, where it records one (an X archive's manifest
            # generationDate): the audit date of its accounts when `as_of` is not set.
            ("as_of", TS),
            # "timeline" (an export of the accounts themselves: everything they posted) or
            # "slice" (a sample drawn from a dataset, e.g. TWCS: only some conversations).
            ("extent", pa.string()),
            # JSON list of the per-message metric columns the format carries (likes, reposts,
            # replies, quotes, impressions, clicks): what SA501 may expect to find in it.
            ("metrics", pa.string()),
        ]
    ),
    ("source",),
    "One row per imported source: what it gave and what it could not give.",
)

AUDITS = TableSpec(
    "audits",
    pa.schema(
        [
            ("audit_id", pa.string()),
            ("created_at", TS),
            ("score", pa.float64()),
            ("result", pa.string()),  # the audit's JSON document
            ("source", pa.string()),
        ]
    ),
    ("audit_id",),
    "Every audit run, so a report can say what changed since the previous one.",
)

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        ACCOUNTS,
        MESSAGES,
        ACKNOWLEDGEMENTS,
        FOLLOWS,
        AUDIENCE,
        COSTS,
        CONVERSIONS,
        LABELS,
        LABEL_FIXES,
        INBOX_STATE,
        IMPORTS,
        AUDITS,
        SYNC_STATE,
        ALERTS,
    )
}


def empty(spec: TableSpec) -> pa.Table:
    return spec.schema.empty_table()


def to_table(spec: TableSpec, rows: list[dict]) -> pa.Table:
    """Build a canonical table from dict rows; missing columns are null.

    Raises pyarrow errors on wrong types: sources validate their rows first so that the user
    gets a line number rather than an Arrow message.
    """
    columns = {f.name: [r.get(f.name) for r in rows] for f in spec.schema}
    return pa.Table.from_pydict(columns, schema=spec.schema)
