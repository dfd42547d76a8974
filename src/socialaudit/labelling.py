"""The labelling stage: text understanding applied to the workspace, between import and audit.

Data flows one way: sources write messages, this stage writes their `labels`, the checks only
read them. Import, sync and audit run it once, before anything reads labels (`socialaudit label`
runs it alone); it labels only what is missing or stale, and writes nothing when every label is
current, so an audit of an unchanged workspace writes nothing but its history row.

* The backend: the trained models in `<workspace>/models/` (one file per task, `<task>.model`)
  when there are any, else the rules; `[text] backend = "rules"` in socialaudit.toml ignores the
  models.
* `label_workspace(ws)` labels the messages with no label from that backend and version, so a
  new import, a new model or edited lexicons relabel exactly what they change, and nothing else.
* A fix (`fix_label`, the CLI's `socialaudit label MESSAGE --intent ...`) is kept in
  `label_fixes` and always wins over any backend: it is applied again after every labelling.
* `train_from_workspace(ws)` learns one model per task from the fixes and saves it in
  `<workspace>/models/`, where `label_workspace` picks it up.
* `train_from_replies(ws)` learns the complaint model from the brand's own replies: each
  answered inbound message takes the label its reply implies (`text.replies`), the fixes win.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import model
from .config import Config, load_config
from .errors import SocialauditError, UsageError
from .progress import Progress
from .text import lexicons, replies, rules
from .text.api import LABEL_SCHEMA, Backend, classify
from .text.trained import TASKS, TextModel, load_model, normalise_label, train
from .workspace import LABEL_READER_PREFIX, Workspace

if TYPE_CHECKING:
    from .engine.spark import SparkEngine

MODELS_DIR = "models"
MODEL_SUFFIX = ".model"
WRITE_BATCH = 100_000  # labels written per transaction
# At most this many labelling passes bring the continuations of threads up to date (each pass
# carries a type one post further down a thread of posts with no cue of their own).
THREAD_PASSES = 50

# What a person may fix, and the task name each is stored under in label_fixes.
FIX_TASKS = ("intent", "sentiment", "content", "complaint")


class AmbiguousMessage(UsageError):
    """A message id found on several platforms, given without its platform."""


def models_dir(ws: Workspace) -> Path:
    return ws.root / MODELS_DIR


def model_path(ws: Workspace, task: str) -> Path:
    return models_dir(ws) / f"{task}{MODEL_SUFFIX}"


def workspace_backend(ws: Workspace, config: Config | None = None) -> Backend:
    """The trained models saved in the workspace (one per task), or the rules when there are none
    or the config says `[text] backend = "rules"`."""
    config = config if config is not None else load_config(ws.config_path)
    choice = str(config.text.get("backend", "auto"))
    if choice not in ("auto", "rules", "trained"):
        raise UsageError(f'{ws.config_path}: [text] backend must be "auto", "rules" or "trained"')
    if choice == "rules":
        return Backend()
    models: dict[str, TextModel] = {}
    for task in TASKS:
        path = model_path(ws, task)
        if path.exists():
            models[task] = load_model(path)
    if choice == "trained" and not models:
        raise UsageError(
            f'{ws.config_path}: [text] backend is "trained" but {models_dir(ws)} holds no model; '
            f"run `socialaudit train`"
        )
    return Backend(models)


# The labels of a brand message depend on whether it is a reply and whether its account does
# customer care (a reply of a care account is a care reply, one of a developer chatting with
# peers is engagement). An account does care when nearly all it writes are replies (posts that
# open with a @handle count: they are addressed to someone), or when many of its replies carry
# care cues (apologies, "DM us", agents' initials), unless the config says otherwise:
# `[text] care_accounts` and `not_care_accounts` ("platform:handle" or a bare handle).
CARE_REPLY_SHARE = 0.9
CARE_CUE_SHARE = 0.3


def care_accounts(ws: Workspace, config: Config, setting: str) -> list[str]:
    """The accounts `[text] <setting>` names, as lower-case "platform:handle" or bare handles
    (a handle without its platform stands for it on every platform)."""
    value = config.text.get(setting, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(
            f'{ws.config_path}: [text] {setting} must be a list of accounts such as ["x:acme"]'
        )
    out = []
    for entry in value:
        platform, _, handle = entry.strip().rpartition(":")
        handle = handle.lstrip("@").lower()
        out.append(f"{platform.lower()}:{handle}" if platform else handle)
    return out


# The care shares of each brand account (`care_accounts`' defaults): what share of its own
# messages is addressed to someone, and what share of those carries care cues. Kept in the
# workspace (`CARE_SHARES`), so that a labelling after an import computes them again only for the
# accounts the new messages belong to; `{accounts}` restricts them to those.
_CARE_SQL = """
with own as (
    -- a post that opens with a @handle is addressed to someone: a reply, for these shares
    select platform, coalesce(account, author) as acct, text,
           kind <> 'post' or starts_with(ltrim(coalesce(text, '')), '@') as addressed
    from messages m where from_brand and kind in ('post', 'reply', 'comment'){accounts}
)
select platform, acct, count(*) as n,
       avg(case when addressed then 1.0 else 0.0 end) as reply_share,
       avg(case when not addressed then null
                when regexp_matches(lower(coalesce(text, '')), $care) then 1.0
                else 0.0 end) as cue_share
from own group by platform, acct
"""
CARE_SHARES = "labels_care_shares"
# The messages whose care shares count (the `own` rows of _CARE_SQL), counted cheaply: when the
# stored shares cover fewer or more, a message left an account the update did not recompute.
_OWN_COUNT_SQL = (
    "select count(*) as n from messages where from_brand and kind in ('post', 'reply', 'comment')"
)

# The messages that need a label. `{messages}`: all of them, or only the candidates the change
# log names (`_CANDIDATES`); `{care}`: the care shares, stored (CARE_SHARES) or computed inline
# (`{care_cte}`: _INLINE_CARE, on an engine that keeps nothing between labellings, Spark).
_TODO_SQL = """
with {care_cte}ctx as (
    select m.platform, m.id as message_id, m.text, coalesce(m.from_brand, false) as from_brand,
           -- a reply to the author's own message that addresses no one (no leading @handle)
           -- continues a thread of posts: it is an own post, not a reply to someone; an
           -- inbound reply, comment or direct message is written in a thread with the brand
           -- (a follow-up to its care account: a fault told there is a question as well)
           coalesce(case when coalesce(m.from_brand, false)
                    then m.kind in ('reply', 'comment')
                         and not (coalesce(p.author = m.author, false)
                                  and not starts_with(ltrim(coalesce(m.text, '')), '@'))
                    else m.kind in ('reply', 'comment', 'direct') end,
                    false) as is_reply,
           coalesce(m.from_brand and case
               when list_has_any($care_on, [lower(m.platform || ':' || coalesce(m.account, m.author)),
                                            lower(coalesce(m.account, m.author))]) then true
               when list_has_any($care_off, [lower(m.platform || ':' || coalesce(m.account, m.author)),
                                             lower(coalesce(m.account, m.author))]) then false
               else c.reply_share >= $reply_share or c.cue_share >= $cue_share end,
               false) as care_account,
           -- a brand post continuing its author's own thread: the type of the post it continues
           case when coalesce(m.from_brand, false) and m.kind in ('reply', 'comment')
                     and coalesce(p.author = m.author, false)
                     and not starts_with(ltrim(coalesce(m.text, '')), '@')
                then pl.content_type end as thread_type,
           -- an Instagram post is a photo or a video with its caption
           coalesce(m.from_brand and m.platform = 'instagram' and m.kind = 'post', false)
               as media
    from {messages} m
    -- equalities only: a condition on m alone in these ON clauses (m.from_brand) turns DuckDB's
    -- hash joins into nested loops, quadratic in the messages; the columns above test it instead
    left join {care} c on c.platform = m.platform and c.acct = coalesce(m.account, m.author)
    left join messages p on p.platform = m.platform and p.id = m.in_reply_to
    left join labels pl on pl.platform = p.platform and pl.message_id = p.id
), hashed as (
    -- (a message that continues no thread and is no photo hashes as it did before)
    select *, md5(coalesce(text, '') || chr(31) || from_brand::varchar || is_reply::varchar
                  || care_account::varchar || coalesce(chr(31) || thread_type, '')
                  || case when media then chr(31) || 'media' else '' end)
              as text_hash
    from ctx
)
select h.* from hashed h
left join labels l on l.platform = h.platform and l.message_id = h.message_id
where l.message_id is null
   or l.backend is distinct from $backend
   or l.backend_version is distinct from $version
   -- a label written without a hash (by a tool, or a test's case) is taken as it is
   or (l.text_hash is not null and l.text_hash <> h.text_hash)
"""
# The care shares computed inside the to-do query, for an engine that keeps nothing.
_INLINE_CARE = f"care as ({_CARE_SQL.format(accounts='')}), "
_ALL_MESSAGES = "messages"
_CANDIDATES = "_label_candidates"
_CANDIDATE_MESSAGES = (
    f"(select m.* from messages m join {_CANDIDATES} k on k.platform = m.platform and k.id = m.id)"
)


def label_workspace(
    ws: Workspace,
    config: Config | None = None,
    *,
    backend: Backend | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> int:
    """The stage: label the messages lacking a current label, then apply the fixes. Returns how
    many messages got a new label; writes nothing when none did.

    A label is current when it came from the current backend and version and was made from the
    same text in the same context (its `text_hash`). Of the messages that need one, a text
    already labelled elsewhere in the workspace (the same hash, the same version) takes that
    label, and each distinct text is classified once.
    """
    config = config if config is not None else load_config(ws.config_path)
    backend = backend or workspace_backend(ws, config)
    params = {
        "care_on": care_accounts(ws, config, "care_accounts"),
        "care_off": care_accounts(ws, config, "not_care_accounts"),
        "care": lexicons.CARE_REPLY.pattern,
        "reply_share": CARE_REPLY_SHARE,
        "cue_share": CARE_CUE_SHARE,
        "backend": backend.name,
        "version": backend.version,
    }

    if ws.engine.name == "spark" or not ws.keeps_derived:
        n = _label_everything(ws, params, backend, progress or _silent, workers)
        apply_fixes(ws)
        return n
    reader = _reader(params)
    seq = ws.messages_seq()  # read before the messages: a later write is seen next time
    incremental = _labels_current(ws, params) and _make_candidates(ws, reader, params)
    if not incremental:
        _store_care_shares(ws, params)
    todo_params = {k: v for k, v in params.items() if k != "care"}

    def one_pass(messages: str) -> pa.Table:
        todo = ws.sql(_todo_sql(messages, inline_care=False), todo_params)
        if todo.num_rows:
            _label(ws, todo, backend, progress or _silent, workers)
        return todo

    todo = one_pass(_CANDIDATE_MESSAGES if incremental else _ALL_MESSAGES)
    n = todo.num_rows
    # A post continuing its author's thread is labelled with the label of the post it continues
    # (its hash holds that type): when labels changed, the messages replying to those that got
    # one are read again, one step of a thread per pass (with no such thread, none needs one).
    passes = 1
    while todo.num_rows and passes < THREAD_PASSES:
        _make_replies_candidates(ws, todo)
        todo = one_pass(_CANDIDATE_MESSAGES)
        passes += 1
    changed_by_fixes = apply_fixes(ws)
    # Every label is current now, unless the passes stopped with labels still changing or a
    # fix changed one (the replies to it are read by the next full labelling, as before).
    if not todo.num_rows and not changed_by_fixes:
        ws.read_messages_up_to(reader, seq)
    return n


def _label_everything(
    ws: Workspace, params: dict[str, Any], backend: Backend, progress: Progress, workers: int | None
) -> int:
    """The stage where nothing is kept between labellings (Spark, a read-only workspace, one
    brand's view of it): every message's label compared with its context, each pass."""

    def one_pass() -> int:
        if ws.engine.name == "spark":
            return _label_on_spark(ws, params, backend)
        todo = ws.sql(_todo_sql(_ALL_MESSAGES, inline_care=True), params)
        if todo.num_rows:
            _label(ws, todo, backend, progress, workers)
        return todo.num_rows

    n = one_pass()
    passes = 1
    if n and _has_threads(ws):
        while passes < THREAD_PASSES and one_pass():
            passes += 1
    return n


def _todo_sql(messages: str, *, inline_care: bool) -> str:
    return _TODO_SQL.format(
        messages=messages,
        care_cte=_INLINE_CARE if inline_care else "",
        care="care" if inline_care else CARE_SHARES,
    )


# -- labelling only what the change log names ------------------------------------------------------
#
# After an import of 10,000 messages into a 3 M workspace, only some messages can need a label:
# the messages written since the last labelling (the change log), the replies to them (a parent
# that arrived decides whether a brand reply continues its author's thread), and the messages
# of a brand account whose care flag the new messages turned. Every other message's label was
# current after the last labelling and its context is unchanged, as long as the labels were not
# written since by anything else (every write to `labels` forgets the labelling's place in the
# log: Workspace._forget_label_readers) and the backend, its version and the care settings are
# the same (they name the reader).


def _reader(params: dict[str, Any]) -> str:
    """The change-log reader of a labelling with these settings."""
    key = json.dumps(params, sort_keys=True, default=str)
    return f"{LABEL_READER_PREFIX}{hashlib.sha1(key.encode()).hexdigest()[:16]}"


def _labels_current(ws: Workspace, params: dict[str, Any]) -> bool:
    """Whether every stored label came from the backend and version at hand: one that did not
    (written by a tool, or by an older socialaudit) is found by comparing every message."""
    if not ws.has_table(CARE_SHARES):
        return False
    stale = ws.sql(
        "select count(*) as n from labels where backend is distinct from $backend"
        " or backend_version is distinct from $version",
        {"backend": params["backend"], "version": params["version"]},
    )
    return not stale["n"][0].as_py()


def _store_care_shares(ws: Workspace, params: dict[str, Any]) -> None:
    with ws.transaction() as con:
        con.execute(
            f"create or replace table {CARE_SHARES} as {_CARE_SQL.format(accounts='')}",
            {"care": params["care"]},
        )


def _make_candidates(ws: Workspace, reader: str, params: dict[str, Any]) -> bool:
    """The messages that may need a label since `reader`'s last labelling, as the temporary
    table _CANDIDATES, the care shares of the accounts they belong to brought up to date. False
    when the log cannot tell (compute everything)."""
    touched = ws.messages_touched_since(reader)
    if touched is None:
        return False
    ws.create_temp("_label_touched", touched)
    flag = "coalesce({t}.reply_share >= $reply_share or {t}.cue_share >= $cue_share, false)"
    same_account = (
        "a.platform = m.platform and a.acct is not distinct from coalesce(m.account, m.author)"
    )
    with ws.transaction() as con:
        con.execute(
            "create or replace temp table _label_accounts as"
            " select distinct m.platform, coalesce(m.account, m.author) as acct from messages m"
            " join _label_touched t on t.platform = m.platform and t.id = m.id"
        )
        con.execute(
            "create or replace temp table _label_shares as "
            + _CARE_SQL.format(
                accounts=f" and exists (select 1 from _label_accounts a where {same_account})"
            ),
            {"care": params["care"]},
        )
        # The accounts whose care flag the new shares may turn: all their messages are read.
        con.execute(
            "create or replace temp table _label_turned as"
            " select a.platform, a.acct from _label_accounts a"
            f" left join {CARE_SHARES} o on o.platform = a.platform and o.acct is not distinct from a.acct"
            " left join _label_shares n on n.platform = a.platform and n.acct is not distinct from a.acct"
            f" where {flag.format(t='o')} <> {flag.format(t='n')}",
            {"reply_share": params["reply_share"], "cue_share": params["cue_share"]},
        )
        con.execute(
            f"delete from {CARE_SHARES} o where exists (select 1 from _label_accounts a"
            " where a.platform = o.platform and a.acct is not distinct from o.acct)"
        )
        con.execute(f"insert into {CARE_SHARES} select * from _label_shares")
        # An account the update did not recompute lost a message to one it did (a re-import
        # that moved a message to another account): its stored shares are stale.
        counted = con.execute(
            f"select (select coalesce(sum(n), 0) from {CARE_SHARES}) = ({_OWN_COUNT_SQL})"
        ).fetchone()
        if not (counted and counted[0]):
            return False
        con.execute(
            f"create or replace temp table {_CANDIDATES} as"
            " select platform, id from _label_touched"
            " union select m.platform, m.id from messages m"
            " join _label_touched t on t.platform = m.platform and t.id = m.in_reply_to"
            " union select m.platform, m.id from messages m"
            f" semi join _label_turned a on {same_account} where m.from_brand"
        )
    return True


def _make_replies_candidates(ws: Workspace, labelled: pa.Table) -> None:
    """The brand posts continuing their author's thread from a message just labelled, as the
    temporary table _CANDIDATES: only their context (the type of the post they continue, the
    `thread_type` of _TODO_SQL, under the same condition) can have changed. (A first labelling
    of 3 M messages would otherwise read most of them again.)"""
    ws.create_temp(
        "_label_parents",
        pa.table({"platform": labelled["platform"], "id": labelled["message_id"]}),
    )
    with ws.transaction() as con:
        con.execute(
            f"create or replace temp table {_CANDIDATES} as"
            " select distinct m.platform, m.id from messages m"
            " join _label_parents t on t.platform = m.platform and t.id = m.in_reply_to"
            " join messages p on p.platform = m.platform and p.id = m.in_reply_to"
            " where coalesce(m.from_brand, false) and m.kind in ('reply', 'comment')"
            " and p.author = m.author and not starts_with(ltrim(coalesce(m.text, '')), '@')"
        )


def _has_threads(ws: Workspace) -> bool:
    """Whether the workspace has brand posts continuing their author's own thread: only then
    can a label change another message's context."""
    found = ws.sql(
        """
        select count(*) as n from messages m
        join messages p on p.platform = m.platform and p.id = m.in_reply_to
        where coalesce(m.from_brand, false) and m.kind in ('reply', 'comment')
          and p.author = m.author and not starts_with(ltrim(coalesce(m.text, '')), '@')
        """
    )
    return bool(found["n"][0].as_py())


_TEXT_COLUMNS = [
    "text",
    "from_brand",
    "is_reply",
    "care_account",
    "thread_type",
    "media",
    "text_hash",
]


def _label_on_spark(ws: Workspace, params: dict[str, Any], backend: Backend) -> int:
    """The stage on the Spark engine: the same query (translated), each distinct text not yet
    labelled classified by the same backend inside Spark's Python workers (`mapInArrow`, one
    Arrow batch at a time), and the labels stored in one rewrite of the table."""
    from pyspark.sql.pandas.types import from_arrow_schema

    engine = cast("SparkEngine", ws.engine)
    todo = engine.sql_frame(_todo_sql(_ALL_MESSAGES, inline_care=True), params).localCheckpoint(
        eager=True
    )
    n = int(todo.count())
    if not n:
        return 0
    columns = ", ".join(f'l."{c}"' for c in LABEL_SCHEMA.names)
    known = engine.sql_frame(
        f"select l.text_hash, {columns} from labels l "
        "where l.backend = ? and l.backend_version = ? and l.text_hash is not null",
        [backend.name, backend.version],
    ).dropDuplicates(["text_hash"])
    # Rows of one hash have the same text and context: any one of them stands for all.
    fresh = (
        todo.select(*_TEXT_COLUMNS)
        .dropDuplicates(["text_hash"])
        .join(known.select("text_hash"), "text_hash", "left_anti")
    )
    out_schema = pa.schema([*LABEL_SCHEMA, pa.field("text_hash", pa.string())])
    labelled = fresh.mapInArrow(
        functools.partial(_classify_batches, backend, out_schema), from_arrow_schema(out_schema)
    )
    pool = labelled.unionByName(known.select(*out_schema.names))
    rows = todo.select("platform", "message_id", "text_hash").join(pool, "text_hash")
    engine.replace_rows(model.LABELS, rows.select(*model.LABELS.schema.names))
    ws._invalidate({"labels"})
    return n


def _classify_batches(
    backend: Backend, schema: pa.Schema, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Runs in Spark's Python workers: the labels of each batch of distinct texts."""
    for batch in batches:
        if not batch.num_rows:
            continue
        labels = classify(
            batch.column("text"),
            batch.column("from_brand"),
            is_reply=batch.column("is_reply"),
            care_account=batch.column("care_account"),
            thread_type=batch.column("thread_type"),
            media=batch.column("media"),
            model=backend,
            workers=1,
        ).cast(LABEL_SCHEMA)
        table = labels.append_column("text_hash", batch.column("text_hash"))
        yield from table.cast(schema).to_batches()


def _silent(done: int, total: int) -> None:
    return None


def _label(
    ws: Workspace, todo: pa.Table, backend: Backend, progress: Progress, workers: int | None
) -> None:
    """Label every row of `todo`, each distinct text (its `text_hash`) once: taken from the
    workspace where it holds a current label of it, else classified.

    The distinct texts are taken WRITE_BATCH at a time, across the whole to-do (not in each
    slice of it): a workspace whose texts repeat (templated replies, retweets) is classified in
    a few large calls, which use every core (a pool from POOL_MIN texts) and compile the rules'
    patterns once per call, where a call per slice of rows paid that again and again on a few
    thousand new texts each. Their rows are written WRITE_BATCH per transaction."""
    n = todo.num_rows
    hashes = todo["text_hash"].combine_chunks()
    distinct = pc.unique(hashes)  # in the order of their first row
    of_row = pc.index_in(hashes, value_set=distinct).to_numpy(zero_copy_only=False)
    first = np.empty(len(distinct), np.int64)
    first[of_row[::-1]] = np.arange(n - 1, -1, -1)  # the first row of each distinct text
    chunk_of_row = of_row // WRITE_BATCH
    order = np.argsort(chunk_of_row, kind="stable")  # rows grouped by their chunk, in order
    bounds = np.searchsorted(chunk_of_row[order], np.arange(-(-len(distinct) // WRITE_BATCH) + 1))
    written = 0
    for k in range(len(bounds) - 1):
        chunk = slice(k * WRITE_BATCH, (k + 1) * WRITE_BATCH)
        rows = order[bounds[k] : bounds[k + 1]]

        def step(done: int, total: int, before: int = written, m: int = len(rows)) -> None:
            progress(before + m * done // max(total, 1), n)

        pool = _labels_by_hash(ws, todo.take(pa.array(first[chunk])), backend, step, workers)
        for s in range(0, len(rows), WRITE_BATCH):
            at = rows[s : s + WRITE_BATCH]
            # (one chunk: its rows are the to-do's, in order)
            part = todo.slice(s, len(at)) if len(rows) == n else todo.take(pa.array(at))
            labels = pool.take(pa.array(of_row[at] - k * WRITE_BATCH))
            out = pa.table(
                {
                    "platform": part["platform"],
                    "message_id": part["message_id"],
                    **{c: labels[c] for c in labels.column_names},
                    "text_hash": part["text_hash"],
                }
            )
            ws.replace_rows("labels", out)
        written += len(rows)


def _labels_by_hash(
    ws: Workspace, distinct: pa.Table, backend: Backend, progress: Progress, workers: int | None
) -> pa.Table:
    """One label row per row of `distinct` (one row per text_hash), in order: reused where the
    workspace already holds a current label of the same text and context, classified
    otherwise."""
    ws.create_temp("_todo_hashes", pa.table({"text_hash": distinct["text_hash"]}))
    columns = ", ".join(f'l."{c}"' for c in LABEL_SCHEMA.names)
    known = ws.sql(
        f"""
        select distinct on (l.text_hash) l.text_hash, {columns}
        from labels l join _todo_hashes h using (text_hash)
        where l.backend = ? and l.backend_version = ?
        """,
        [backend.name, backend.version],
    )
    fresh = distinct.filter(
        pc.invert(pc.is_in(distinct["text_hash"], value_set=known["text_hash"]))
    )
    labels = classify(
        fresh["text"],
        fresh["from_brand"],
        is_reply=fresh["is_reply"],
        care_account=fresh["care_account"],
        thread_type=fresh["thread_type"],
        media=fresh["media"],
        model=backend,
        workers=workers,
        progress=progress,
    )
    pool = pa.concat_tables(
        [
            known.select(LABEL_SCHEMA.names).cast(LABEL_SCHEMA),
            labels.cast(LABEL_SCHEMA),
        ]
    )
    pool_hashes = pa.concat_arrays(
        [known["text_hash"].combine_chunks().cast(pa.string()), fresh["text_hash"].combine_chunks()]
        if known.num_rows
        else [fresh["text_hash"].combine_chunks()]
    )
    return pool.take(pc.index_in(distinct["text_hash"], value_set=pool_hashes))


# -- fixes ---------------------------------------------------------------------------------------


def fix_label(
    ws: Workspace, message_id: str, task: str, label: str, platform: str | None = None
) -> dict:
    """Record a person's label for one message (it overrides every backend) and apply it now.

    Returns the message's key and the canonical label. Raises UsageError when the message is not
    in the workspace, is ambiguous across platforms, or the label is not one the task knows.
    """
    if task not in FIX_TASKS:
        raise UsageError(f"unknown label task {task!r}; expected one of {', '.join(FIX_TASKS)}")
    try:
        canonical = normalise_label(task, label)
    except KeyError:
        canonical = None
    if canonical is None:
        raise UsageError(f"{task} label {label!r}: expected one of {', '.join(TASKS[task])}")
    params: list = [message_id]
    where = "id = ?"
    if platform:
        where += " and platform = ?"
        params.append(platform)
    found = ws.sql(f"select platform, id, from_brand from messages where {where}", params)
    if found.num_rows == 0:
        on = f" on {platform}" if platform else ""
        raise UsageError(f"no message with id {message_id!r}{on} in the workspace")
    if found.num_rows > 1:
        platforms = ", ".join(sorted(found["platform"].to_pylist()))
        raise AmbiguousMessage(
            f"message id {message_id!r} is on several platforms ({platforms}); say which one"
        )
    row = found.to_pylist()[0]
    if task == "content" and not row["from_brand"]:
        raise UsageError(
            f"message {message_id!r} is not the brand's own: only brand posts have a content type"
        )
    if task in ("intent", "complaint") and row["from_brand"]:
        raise UsageError(
            f"message {message_id!r} is the brand's own: intent is labelled on inbound messages"
        )
    fix = {
        "platform": row["platform"],
        "message_id": row["id"],
        "task": task,
        "label": canonical,
        "fixed_at": datetime.now(UTC),
        "source": "socialaudit label",
    }
    ws.replace_rows("label_fixes", model.to_table(model.LABEL_FIXES, [fix]))
    apply_fixes(ws)
    return fix


def apply_fixes(ws: Workspace) -> int:
    """Write every fix over the labels it corrects (labelling fixed messages first if needed).

    Only labels that a fix changes are written (returns how many): applying the fixes again to
    labels they already corrected writes nothing."""
    fixes = ws.sql(
        """
        select f.platform, f.message_id, f.task, f.label, m.text, m.from_brand
        from label_fixes f join messages m on m.platform = f.platform and m.id = f.message_id
        order by f.fixed_at
        """
    )
    if fixes.num_rows == 0:
        return 0
    keys = sorted(
        {
            (r["platform"], r["message_id"])
            for r in fixes.select(["platform", "message_id"]).to_pylist()
        }
    )
    current = {
        (r["platform"], r["message_id"]): r
        for r in ws.sql(
            "select l.* from labels l join "
            "(select distinct platform, message_id from label_fixes) using (platform, message_id)"
        ).to_pylist()
    }
    by_key: dict[tuple[str, str], dict] = {}
    for r in fixes.to_pylist():
        key = (r["platform"], r["message_id"])
        by_key.setdefault(key, {"text": r["text"], "from_brand": r["from_brand"], "fixes": {}})
        by_key[key]["fixes"][r["task"]] = r["label"]
    missing = [k for k in keys if k not in current]
    if missing:  # fixed before ever being labelled: label with the rules, then fix
        t = classify(
            [by_key[k]["text"] for k in missing], [by_key[k]["from_brand"] for k in missing]
        )
        for k, lab in zip(missing, t.to_pylist(), strict=True):
            current[k] = {"platform": k[0], "message_id": k[1], **lab}
    rows = [_fixed(current[k], by_key[k]["fixes"]) for k in keys]
    changed = [r for k, r in zip(keys, rows, strict=True) if r != current[k]]
    if changed:
        ws.replace_rows("labels", model.to_table(model.LABELS, changed))
    return len(changed)


def _fixed(row: dict, fixes: dict[str, str]) -> dict:
    """A label row with a person's fixes applied, flags kept consistent with the intent order."""
    row = dict(row)
    cues = json.loads(row.get("cues") or "{}")
    c, q, p = bool(row["is_complaint"]), bool(row["is_question"]), bool(row["is_praise"])
    rules_request, rules_complaint = q or c, c  # what the rules read, before the fixes
    if "intent" in fixes:
        intent = fixes["intent"]
        c = intent == "complaint"
        q = intent == "question" or (q and c)
        p = intent == "praise" or (p and intent == "question")
    if "complaint" in fixes:
        c = fixes["complaint"] == "complaint"
    p = p and not c
    for key, flag in (("complaint", c), ("question", q), ("praise", p)):
        if not flag:
            cues.pop(key, None)
    for task, label in fixes.items():
        cues[f"{task}_fixed"] = [f"{label}: fixed by a person"]
    row.update(
        is_complaint=c,
        is_question=q,
        is_praise=p,
        intent="complaint" if c else "question" if q else "praise" if p else "other",
        cues=json.dumps(cues, sort_keys=True, ensure_ascii=False),
    )
    if "sentiment" in fixes:
        row["sentiment"] = fixes["sentiment"]
    elif "intent" in fixes or "complaint" in fixes:
        score = np.array([row["sentiment_score"] or 0.0])
        row["sentiment"] = str(
            rules.sentiment_label(
                score,
                np.array([c]),
                np.array([p]),
                request=np.array([q or rules_request]),
                near_complaint=np.array([rules_complaint]),
            )[0]
        )
    if "content" in fixes:
        row["content_type"] = fixes["content"]
    return row


# -- training from the fixes ----------------------------------------------------------------------


def train_from_workspace(ws: Workspace, tasks: list[str] | None = None) -> dict[str, TextModel]:
    """Train one model per task from the workspace's fixes and save them in `<ws>/models/`.

    Tasks with too few fixes are skipped unless named in `tasks` (then it is an error).
    """
    fixes = ws.sql(
        """
        select f.task, f.label, m.text
        from label_fixes f join messages m on m.platform = f.platform and m.id = f.message_id
        """
    )
    by_task: dict[str, tuple[list[str], list[str]]] = {}
    for r in fixes.to_pylist():
        texts, labels = by_task.setdefault(r["task"], ([], []))
        texts.append(r["text"] or "")
        labels.append(r["label"])
    wanted = tasks or sorted(by_task)
    if not wanted:
        raise UsageError(
            "no label fixes in the workspace to learn from: correct some labels first "
            "(or train from a labelled CSV file)"
        )
    saved: dict[str, TextModel] = {}
    for task in wanted:
        texts, labels = by_task.get(task, ([], []))
        try:
            m = train(texts, labels, task, source=f"workspace fixes ({ws.root})")
        except SocialauditError:
            if tasks:
                raise
            continue
        m.save(model_path(ws, task))
        saved[task] = m
    if not saved:
        counts = ", ".join(f"{t}: {len(by_task[t][1])}" for t in sorted(by_task))
        raise UsageError(
            f"too few label fixes to train a model ({counts}); each task needs 10 with 2 labels"
        )
    return saved


# -- training from the brand's replies -------------------------------------------------------------

_ANSWERED_SQL = """
select m.platform, m.id, m.text,
       arg_min(r.text, r.created_at) as reply
from messages m
join messages r on r.platform = m.platform and r.in_reply_to = m.id and coalesce(r.from_brand, false)
where not coalesce(m.from_brand, false)
group by m.platform, m.id, m.text
order by m.platform, m.id
"""


def weak_labels(ws: Workspace) -> pa.Table:
    """The answered inbound messages (platform, id, text) with the brand's first reply and the
    intent it implies (`weak`: complaint, question, praise; null when the reply says neither)."""
    answered = ws.sql(_ANSWERED_SQL)
    weak = replies.weak_intent(answered["reply"].combine_chunks())
    return answered.append_column("weak", pa.array(weak, pa.string()))


def train_from_replies(
    ws: Workspace, hide: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()
) -> tuple[TextModel, dict[str, int]]:
    """Train the workspace's complaint model on weak labels from the brand's replies and save it
    in `<ws>/models/complaint.model`: a message the brand apologised to is a complaint, one it
    answered or thanked is not; a message whose reply says neither is left out. The person's
    fixes (task complaint, or intent) replace the weak label of their message and add the
    messages they fixed. `hide`: (platform, id) of messages never to learn from (to measure the
    model on them). Returns the model and the counts it learnt from."""
    weak = weak_labels(ws).to_pylist()
    labels: dict[tuple[str, str], str] = {}
    texts: dict[tuple[str, str], str] = {}
    counts = {"answered": len(weak), "weak complaint": 0, "weak not": 0, "no cue": 0, "fixes": 0}
    for r in weak:
        key = (r["platform"], r["id"])
        if key in hide:
            continue
        if r["weak"] is None:
            counts["no cue"] += 1
            continue
        labels[key] = "complaint" if r["weak"] == "complaint" else "not"
        texts[key] = r["text"] or ""
        counts[f"weak {labels[key]}"] += 1
    fixes = ws.sql(
        """
        select f.platform, f.message_id, f.task, f.label, m.text
        from label_fixes f join messages m on m.platform = f.platform and m.id = f.message_id
        where f.task in ('complaint', 'intent') and not coalesce(m.from_brand, false)
        order by f.fixed_at
        """
    ).to_pylist()
    for r in fixes:  # in the order they were made: the latest fix of a message wins
        key = (r["platform"], r["message_id"])
        if key in hide:
            continue
        if r["task"] == "complaint":
            labels[key] = r["label"]
        else:
            labels[key] = "complaint" if r["label"] == "complaint" else "not"
        texts[key] = r["text"] or ""
        counts["fixes"] += 1
    keys = sorted(labels)
    try:
        m = train(
            [texts[k] for k in keys],
            [labels[k] for k in keys],
            "complaint",
            source=f"the brand's replies and label fixes ({ws.root})",
        )
    except SocialauditError as exc:
        raise UsageError(
            f"cannot learn from the brand's replies: {exc} ({counts['answered']} answered "
            f"messages, {counts['no cue']} of them with a reply that says neither)"
        ) from exc
    m.save(model_path(ws, "complaint"))
    return m, counts
