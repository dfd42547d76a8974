"""The Kaggle "Customer Support on Twitter" (TWCS) CSV layout.

    tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id

* ids are dataset-local integers, kept as strings; they are not real tweet ids (no URL, no
  snowflake time);
* `inbound` is True for customer tweets, False for the brand's: brands are the authors of
  outbound rows, and each becomes an account;
* `created_at` is X's v1.1 format, `Tue Oct 31 22:10:47 +0000 2017`, always UTC;
* `in_response_to_tweet_id` is the parent (some copies write it as a float, `3.0`);
  `response_tweet_id` is a comma list of children, kept in `raw` (the parent link is canonical);
* texts may hold bare carriage returns (see csvstream).

Rows are streamed in Arrow batches and transformed in DuckDB, so millions of rows never become
Python objects.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import model
from ..errors import InputError
from ..workspace import ImportBatch
from . import limits
from .base import ImportOptions
from .csvstream import line_of_record, read_header, restore_cr, stream_batches

COLUMNS = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]
TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"

# One pass of SQL per batch: the canonical columns and, beside them, the first field of each row
# that is not as expected (`bad_field`, `bad_value`; null when the row is good). `created_at` is
# parsed once (try_strptime), for the check and for the column.
_CHECK = """
  case
    when tweet_id is null or not regexp_full_match(tweet_id, '[0-9]+') then 'tweet_id'
    when author_id is null then 'author_id'
    when inbound is null or inbound not in ('True', 'False', 'true', 'false') then 'inbound'
    when created_at is null or ts is null then 'created_at'
    when year(ts) not between 1 and 9999 then 'created_at_range'
    when in_response_to_tweet_id is not null
         and not regexp_full_match(in_response_to_tweet_id, '[0-9]+(\\.0+)?') then 'in_response_to_tweet_id'
    when response_tweet_id is not null
         and not regexp_full_match(response_tweet_id, '[0-9]+(\\.0+)?(,[0-9]+(\\.0+)?)*') then 'response_tweet_id'
    when strlen(text) > $max_field then 'text_size'
  end"""

_EXPECTED = {
    "tweet_id": "a numeric tweet id",
    "author_id": "an author id or handle",
    "inbound": "True or False",
    "created_at": "a time like Tue Oct 31 22:10:47 +0000 2017",
    "in_response_to_tweet_id": "a tweet id or nothing",
    "response_tweet_id": "a comma-separated list of tweet ids or nothing",
    "created_at_range": "a time between the years 1 and 9999 in UTC",
}

# Links with RE2 (only texts that hold "http" can have one); mentions and hashtags are found by
# `_tagged_words`, in Arrow.
_TRANSFORM = f"""
with parsed as (select *, try_strptime(created_at, $fmt) as ts from batch),
checked as (select *, {_CHECK} as bad_field from parsed)
select
  'x' as platform,
  tweet_id as id,
  case when lower(inbound) = 'false' then author_id end as account,
  author_id as author,
  lower(inbound) = 'false' as from_brand,
  cast(ts as timestamptz) as created_at,
  text,
  case
    when in_response_to_tweet_id is not null then 'reply'
    when lower(inbound) = 'false' then 'post'
    else 'mention'
  end as kind,
  regexp_replace(in_response_to_tweet_id, '\\.0+$', '') as in_reply_to,
  case when contains(text, 'http') then regexp_extract_all(text, 'https?://[^\\s<>"'']+')
       else []::varchar[] end as links,
  'public' as visibility,
  case when response_tweet_id is not null
       then to_json({{'response_tweet_id': string_split(regexp_replace(response_tweet_id, '\\.0+(,|$)', '\\1', 'g'), ',')}})::varchar
  end as raw,
  bad_field,
  case bad_field
    when 'tweet_id' then tweet_id
    when 'author_id' then author_id
    when 'inbound' then inbound
    when 'created_at' then created_at
    when 'created_at_range' then created_at
    when 'in_response_to_tweet_id' then in_response_to_tweet_id
    when 'response_tweet_id' then response_tweet_id
    when 'text_size' then strlen(text)::varchar || ' bytes'
  end as bad_value
from checked
"""


class TwcsSource:
    name = "twcs"
    description = "Kaggle 'Customer Support on Twitter' CSV (tweet_id, author_id, inbound, ...)"

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        header = read_header(path)
        return all(c in header for c in COLUMNS)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        con = duckdb.connect()
        con.execute("set timezone = 'UTC'")
        parts: list[pa.Table] = []
        offset = 0
        params = {"fmt": TIME_FORMAT, "max_field": limits.current().field_bytes}
        for batch in stream_batches(path, COLUMNS, options.progress):
            table = pa.Table.from_batches([batch])
            text = restore_cr(table["text"])
            table = table.set_column(table.schema.get_field_index("text"), "text", text)
            con.register("batch", table)
            out = con.execute(_TRANSFORM, params).to_arrow_table()
            con.unregister("batch")
            bad = out["bad_field"]
            if bad.null_count < len(bad):
                # DuckDB keeps the scan's order: the first valid flag is the first bad row.
                row = pc.index(pc.is_valid(bad), True).as_py()
                _refuse(path, offset + row, bad[row].as_py(), out["bad_value"][row].as_py())
            text = out["text"]
            out = out.drop_columns(["bad_field", "bad_value"])
            out = out.append_column("hashtags", _tagged_words(text, "#", "&", 100))
            out = out.append_column("mentions", _tagged_words(text, "@", "@", 30))
            parts.append(out)
            offset += table.num_rows
        if not parts:
            if not read_header(path):
                raise InputError(path, "the file is empty; expected a TWCS header line")
            messages = model.empty(model.MESSAGES)
        else:
            messages = _conform(pa.concat_tables(parts), model.MESSAGES.schema)
        _check_unique_ids(con, path, messages)
        con.register("m", messages)
        brands = con.execute(
            "select distinct author from m where from_brand order by author"
        ).fetchall()
        con.close()
        accounts = model.to_table(
            model.ACCOUNTS,
            [{"platform": "x", "handle": b[0], "url": f"https://x.com/{b[0]}"} for b in brands],
        )
        return ImportBatch(
            source=str(path.resolve()),
            format=self.name,
            platform="x",
            tables={"messages": messages, "accounts": accounts},
            # A TWCS file is conversations sampled from a dataset, not the brands' timelines:
            # checks of posting habits would measure the sampling (capabilities: "timeline").
            extent="slice",
            metrics=(),
            gaps=[
                "engagement metrics (likes, reposts, impressions): TWCS has none",
                "brand likes (acknowledgements): praise can only count as thanked by a reply",
                "links to the platform: TWCS ids are dataset-local, not real tweet ids",
            ],
        )


def _refuse(path: Path, row_idx: int, field: str, value: str) -> NoReturn:
    line = line_of_record(path, row_idx)
    if field == "text_size":
        raise limits.too_large(str(path), "field 'text'", value, "field_bytes", line)
    raise InputError(
        path,
        f"expected {_EXPECTED[field]}, got {value!r}",
        line=line,
        field=field.removesuffix("_range"),
    )


_WORD = "0-9A-Za-z_"  # what \\w is in RE2 (ASCII only)


def _tagged_words(
    text: pa.ChunkedArray, sign: str, not_before: str, longest: int
) -> pa.ChunkedArray:
    """Per text, the words after `sign`, lower case: what
    `regexp_extract_all(coalesce(text, ''), '(?:^|[^\\w<not_before>])<sign>(\\w{1,<longest>})', 1)`
    gives (the sign at the start of the text or after a character that is neither a word
    character nor in `not_before`, then 1 to `longest` word characters), in vectorised Arrow:
    the text is split on the sign, and each piece after the first is a match when it starts
    with a word character and the piece before it allows one. The matches cannot overlap: a
    match ends in a word character, which no sign may follow."""
    chunks = []
    for chunk in text.chunks:
        n = len(chunk)
        pieces = pc.split_pattern(pc.fill_null(chunk, ""), sign)
        flat = pieces.flatten()
        parent = pc.list_parent_indices(pieces).to_numpy()
        position = np.arange(len(flat)) - pieces.offsets.to_numpy()[parent]
        word = pc.struct_field(pc.extract_regex(flat, f"^(?P<w>[{_WORD}]{{1,{longest}}})"), [0])
        # The character before the sign is the previous piece's last one; when that piece is
        # empty, it is the start of the text (the first piece) or the sign itself.
        free_end = pc.match_substring_regex(flat, f"[^{_WORD}{not_before}]$")
        empty = pc.equal(pc.binary_length(flat), 0).to_numpy(zero_copy_only=False)
        after_ok = np.zeros(len(flat), dtype=bool)
        after_ok[1:] = free_end.to_numpy(zero_copy_only=False)[:-1] | (
            empty[:-1] & ((position[1:] == 1) | (sign not in not_before))
        )
        keep = (position >= 1) & after_ok & word.is_valid().to_numpy(zero_copy_only=False)
        offsets = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(parent[keep], minlength=n), out=offsets[1:])
        values = pc.utf8_lower(word.filter(pa.array(keep)))
        chunks.append(pa.ListArray.from_arrays(pa.array(offsets), values))
    return pa.chunked_array(chunks, pa.list_(pa.string()))


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """Add the schema's missing columns as nulls and cast to it.

    The missing columns (TWCS has no metrics, no URLs, no edits: ten columns) share one zeroed
    buffer instead of ten of their own: `pa.nulls` allocates and fills each (8 bytes a row for
    a number or a time, 4 for a string's offsets), which was about 250 MB of a 3 M message
    import's peak."""
    n = table.num_rows
    zeros = validity = None
    cols = []
    for f in schema:
        if f.name in table.column_names:
            cols.append(table[f.name].cast(f.type))
            continue
        if zeros is None:
            zeros = pa.py_buffer(bytes(8 * (n + 1)))
            validity = pa.py_buffer(bytes((n + 7) // 8))
        cols.append(_null_column(n, f.type, zeros, validity))
    return pa.Table.from_arrays(cols, schema=schema)


def _null_column(n: int, kind: pa.DataType, zeros: pa.Buffer, validity: pa.Buffer) -> pa.Array:
    """n nulls of `kind` on the shared buffers (all bits of `validity` clear, `zeros` zero)."""
    if pa.types.is_string(kind):
        return pa.Array.from_buffers(kind, n, [validity, zeros, pa.py_buffer(b"")], null_count=n)
    if pa.types.is_list(kind):
        child = pa.array([], kind.value_type)
        return pa.Array.from_buffers(kind, n, [validity, zeros], null_count=n, children=[child])
    if pa.types.is_boolean(kind) or (
        pa.types.is_primitive(kind) and kind.bit_width <= 64 and kind.bit_width % 8 == 0
    ):
        return pa.Array.from_buffers(kind, n, [validity, zeros], null_count=n)
    return pa.nulls(n, kind)


def _check_unique_ids(con: duckdb.DuckDBPyConnection, path: Path, messages: pa.Table) -> None:
    con.register("ids", messages.select(["id"]))
    dup = con.execute(
        "select id, row_idx from (select id, row_number() over () - 1 as row_idx, "
        "count(*) over (partition by id) as n from ids) where n > 1 order by row_idx limit 2"
    ).fetchall()
    con.unregister("ids")
    if dup:
        tweet_id, second = dup[-1]
        raise InputError(
            path,
            f"expected each tweet_id once, but {tweet_id} appears again",
            line=line_of_record(path, second),
            field="tweet_id",
        )


SOURCE = TwcsSource()
