"""The generic layout, for everything no dedicated importer reads: CSV or JSON Lines, one row per
message, columns named after the canonical `messages` table (docs/generic-format.md).

Required: `id`, `author`, `created_at` (ISO 8601; a naive time is UTC). Recommended: `text`,
`platform` (else `--platform`, else "other"), `from_brand` (else `--brand HANDLE` marks the
brand's rows), `in_reply_to`. Optional: every other column of `messages` (kind, account,
conversation_id, url, links, hashtags, mentions, visibility, lang, likes, reposts, replies,
quotes, impressions, clicks, author_followers, scheduled, edited_at, deleted_at). In CSV, list
columns are separated by spaces; in JSONL they are arrays. Mentions, hashtags and links missing
from a row are taken from its text.

A JSON Lines file may also carry rows of other canonical tables with a `"table"` key:
`"accounts"` (platform, handle, ...) and `"acknowledgements"` (platform, account, message_id,
kind: like). Unknown columns are an error, not silently dropped: a misspelt `creatd_at` would
otherwise lose data.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa
import pyarrow.compute as pc

from .. import model
from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from . import limits
from .base import ImportOptions, hashtags_in, links_in, mentions_in, parse_time, read_head
from .container import not_utf8

REQUIRED = ("id", "author", "created_at")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOL = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_TABLE_SPECS = {
    "messages": model.MESSAGES,
    "accounts": model.ACCOUNTS,
    "acknowledgements": model.ACKNOWLEDGEMENTS,
}
_REQUIRED_BY_TABLE = {
    "messages": REQUIRED,
    "accounts": ("platform", "handle"),
    "acknowledgements": ("platform", "account", "message_id"),
}


# Rows are turned into Arrow tables this many at a time, so that Python objects stay few.
_CHUNK = 50_000


class GenericSource:
    name = "generic"
    description = (
        "CSV or JSON Lines with one message per row, columns named after the messages table"
    )

    def detect(self, path: Path) -> bool:
        if not path.is_file():
            return False
        head = read_head(path, 8192).decode("utf-8-sig", errors="replace")
        first = head.split("\n", 1)[0].strip()
        if path.suffix.lower() in (".jsonl", ".ndjson") or first.startswith("{"):
            return True
        try:
            header = [h.strip() for h in next(csv.reader([first]), [])]
        except csv.Error:
            return False
        return all(c in header for c in REQUIRED)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLE_SPECS}
        parts: list[pa.Table] = []
        lines: list[int] = []  # the line of each message row, for the duplicate check
        line_parts: list[pa.Array] = []
        total = max(path.stat().st_size, 1)
        limit = limits.current().rows
        for count, (line, offset, table, record) in enumerate(self._records(path, options), 1):
            if count > limit:
                raise InputError(
                    path,
                    f"more than {limit:,} rows (raise the limit with {limits.OPTIONS['rows']})",
                    line=line,
                )
            row = _convert(path, line, table, record, options)
            rows[table].append(row)
            if table == "messages":
                lines.append(line)
                if len(rows["messages"]) >= _CHUNK:
                    parts.append(_messages_table(path, rows["messages"]))
                    line_parts.append(pa.array(lines, pa.int64()))
                    rows["messages"], lines = [], []
            if options.progress and count % 10_000 == 0:
                options.progress(min(offset, total), total)
        if rows["messages"]:
            parts.append(_messages_table(path, rows["messages"]))
            line_parts.append(pa.array(lines, pa.int64()))
        if not parts and not rows["accounts"] and not rows["acknowledgements"]:
            raise InputError(path, "no rows found; expected a header and at least one message")
        messages = pa.concat_tables(parts) if parts else model.empty(model.MESSAGES)
        _check_unique(path, messages, pa.chunked_array(line_parts, pa.int64()))
        brand_handles = {h.lower().lstrip("@") for h in options.brand}
        accounts = {(a["platform"], a["handle"]): a for a in rows["accounts"]}
        own = pc.filter(messages, pc.fill_null(messages["from_brand"], False))
        handles = pc.coalesce(own["account"], own["author"])
        for platform, handle in sorted(
            set(zip(own["platform"].to_pylist(), handles.to_pylist(), strict=True))
        ):
            accounts.setdefault((platform, handle), {"platform": platform, "handle": handle})
        platforms = set(pc.unique(messages["platform"]).to_pylist())
        for h in brand_handles:
            for p in platforms or {options.platform or Platform.OTHER.value}:
                if not any(k[0] == p and k[1].lower() == h for k in accounts):
                    accounts[(p, h)] = {"platform": p, "handle": h}
        tables = {
            "messages": messages,
            "accounts": model.to_table(model.ACCOUNTS, list(accounts.values())),
        }
        if rows["acknowledgements"]:
            tables["acknowledgements"] = model.to_table(
                model.ACKNOWLEDGEMENTS, rows["acknowledgements"]
            )
        return ImportBatch(
            source=str(path.resolve()),
            format=self.name,
            platform=next(iter(platforms)) if len(platforms) == 1 else None,
            tables=tables,
        )

    def _records(
        self, path: Path, options: ImportOptions
    ) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
        try:
            f = path.open("rb")
        except OSError as exc:
            raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc
        with f:
            head = f.read(4096)
            f.seek(0)
            if head.startswith(b"\xef\xbb\xbf"):
                f.read(3)
            is_jsonl = path.suffix.lower() in (
                ".jsonl",
                ".ndjson",
            ) or head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")
            lines = text_lines(f, path)
            if is_jsonl:
                yield from _jsonl_records(path, lines)
            else:
                yield from _csv_records(path, lines)


def text_lines(f: BinaryIO, path: Path) -> Iterator[tuple[int, int, str]]:
    """(line number, byte offset, text) of each line of a binary stream, decoded as UTF-8.

    Within the limits: a line longer than twice the field limit (a file with no line ends,
    /dev/zero) and a file past the file limit stop with one InputError, so memory stays bounded;
    bytes that are not UTF-8 are reported at their line and byte offset.
    """
    lim = limits.current()
    max_line = 2 * lim.field_bytes
    offset = f.tell()
    number = 0
    while True:
        raw = f.readline(max_line + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line and not raw.endswith(b"\n"):
            raise limits.too_large(
                str(path),
                f"line {number}",
                f"over {max_line:,} bytes without a line end",
                "field_bytes",
                line=number,
            )
        if offset + len(raw) > lim.file_bytes:
            raise limits.too_large(
                str(path), "the file", f"over {lim.file_bytes:,} bytes", "file_bytes"
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            # not_utf8 counts lines and columns within `raw`: this one line
            raise InputError(
                path, not_utf8(raw, exc, str(path), base=offset).message, line=number
            ) from exc
        yield number, offset, text
        offset += len(raw)


def _jsonl_records(
    path: Path, lines: Iterator[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
    field_limit = limits.current().field_bytes
    for line_no, offset, line in lines:
        if not line.strip():
            continue
        if len(line) > field_limit and len(line.encode("utf-8")) > field_limit:
            raise limits.too_large(
                str(path),
                f"the record on line {line_no}",
                f"{len(line.encode()):,} bytes",
                "field_bytes",
                line=line_no,
            )
        try:
            record = limits.loads_json(line, str(path), line=line_no)
        except json.JSONDecodeError as exc:
            raise InputError(
                path,
                f"expected one JSON object per line ({exc.msg}, column {exc.colno})",
                line=line_no,
            ) from exc
        if not isinstance(record, dict):
            raise InputError(path, "expected a JSON object", line=line_no)
        table = record.pop("table", "messages")
        if table not in _TABLE_SPECS:
            raise InputError(
                path,
                f"expected one of {', '.join(_TABLE_SPECS)}, got {table!r}",
                line=line_no,
                field="table",
            )
        yield line_no, offset, table, record


def _csv_records(
    path: Path, lines: Iterator[tuple[int, int, str]]
) -> Iterator[tuple[int, int, str, dict[str, Any]]]:
    field_limit = limits.current().field_bytes
    position = {"line": 0, "offset": 0}

    def physical() -> Iterator[str]:
        for number, offset, text in lines:
            position["line"], position["offset"] = number, offset
            yield text

    reader = csv.reader(physical())
    start = 1  # the line the next record starts on
    previous = csv.field_size_limit()
    # Past twice the limit csv stops (memory stays bounded); up to it the check below names
    # the field.
    csv.field_size_limit(2 * field_limit + 1)
    try:
        try:
            header_row = next(reader, None)
        except csv.Error as exc:
            raise _csv_error(path, exc, start, field_limit) from exc
        if header_row is None:
            raise InputError(path, "the file is empty; expected a header line", line=1)
        fields = [h.strip() for h in header_row]
        missing = [c for c in REQUIRED if c not in fields]
        if missing:
            raise InputError(
                path,
                f"expected the columns {', '.join(REQUIRED)}; missing {', '.join(missing)}",
                line=1,
            )
        known = set(model.MESSAGES.schema.names) - {"source"}
        unknown = [c for c in fields if c not in known]
        if unknown:
            raise InputError(
                path,
                "unknown column (expected names from the messages table)",
                line=1,
                field=unknown[0],
            )
        start = position["line"] + 1
        while True:
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(path, exc, start, field_limit) from exc
            line, offset = start, position["offset"]
            start = position["line"] + 1
            if not record:
                continue  # a blank line
            if len(record) != len(fields):
                raise InputError(
                    path,
                    f"expected {len(fields)} fields, found {len(record)}",
                    line=line,
                )
            for name, value in zip(fields, record, strict=True):
                if len(value) > field_limit // 4 and len(value.encode("utf-8")) > field_limit:
                    raise limits.too_large(
                        str(path),
                        f"field {name!r}",
                        f"{len(value.encode()):,} bytes",
                        "field_bytes",
                        line=line,
                    )
            yield (
                line,
                offset,
                "messages",
                {k: (v if v != "" else None) for k, v in zip(fields, record, strict=True)},
            )
    finally:
        csv.field_size_limit(previous)


def _csv_error(path: Path, exc: csv.Error, start: int, field_limit: int) -> InputError:
    if "field larger than field limit" in str(exc):
        return limits.too_large(
            str(path),
            "a field of the record",
            f"over {2 * field_limit:,} bytes",
            "field_bytes",
            line=start,
        )
    return InputError(path, f"not valid CSV ({exc})", line=start)


def _messages_table(path: Path, rows: list[dict[str, Any]]) -> pa.Table:
    try:
        return model.to_table(model.MESSAGES, rows)
    except (pa.ArrowException, UnicodeError, OverflowError, TypeError, ValueError) as exc:
        # Every field is checked where it is read; this is the last line of defence.
        raise InputError(path, f"a value cannot be stored in the messages table ({exc})") from exc


def _check_unique(path: Path, messages: pa.Table, lines: pa.ChunkedArray) -> None:
    """Each (platform, id) once: the first repeated one is named with both of its lines."""
    if messages.num_rows == 0:
        return
    keyed = pa.table({"platform": messages["platform"], "id": messages["id"], "line": lines})
    counts = keyed.group_by(["platform", "id"]).aggregate([("line", "min"), ("line", "count")])
    dup = counts.filter(pc.greater(counts["line_count"], 1))
    if dup.num_rows == 0:
        return
    firsts = {(r["platform"], r["id"]): r["line_min"] for r in dup.to_pylist()}
    for platform, id_, line in zip(
        keyed["platform"].to_pylist(), keyed["id"].to_pylist(), lines.to_pylist(), strict=True
    ):
        first = firsts.get((platform, id_))
        if first is not None and line != first:
            raise InputError(
                path,
                f"expected each id once per platform, but {id_} was already on line {first}",
                line=line,
                field="id",
            )


def _convert(
    path: Path, line: int, table: str, record: dict[str, Any], options: ImportOptions
) -> dict[str, Any]:
    spec = _TABLE_SPECS[table]
    types = {f.name: f.type for f in spec.schema}
    unknown = [k for k in record if k not in types or k == "source"]
    if unknown:
        raise InputError(
            path,
            f"unknown column (expected names from the {table} table)",
            line=line,
            field=unknown[0],
        )
    for req in _REQUIRED_BY_TABLE[table]:
        if table == "messages" and req == "platform":
            continue
        if record.get(req) in (None, ""):
            raise InputError(path, "expected a value", line=line, field=req)
    out: dict[str, Any] = {}
    for name, value in record.items():
        out[name] = _coerce(path, line, name, value, types[name])
    if table == "messages":
        return _complete_message(path, line, out, options)
    if table == "acknowledgements":
        out.setdefault("kind", "like")
        out["kind"] = out["kind"] or "like"
    if "platform" in out:
        out["platform"] = _platform(path, line, out["platform"])
    if table == "accounts" and out.get("handle"):
        out["handle"] = out["handle"].lstrip("@")
    return out


def _coerce(path: Path, line: int, name: str, value: Any, typ: pa.DataType) -> Any:
    if value is None:
        return None
    try:
        if pa.types.is_string(typ):
            return (
                value
                if isinstance(value, str)
                else str(value)
                if isinstance(value, int | float)
                else _bad()
            )
        if pa.types.is_boolean(typ):
            if isinstance(value, bool):
                return value
            return _BOOL[str(value).strip().lower()]
        if pa.types.is_integer(typ):
            if isinstance(value, bool):
                return _bad()
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            if not isinstance(value, int):
                text = str(value).strip().replace(",", "")
                if not _INTEGER.fullmatch(text):  # int() takes "١٢" and "1_000" too
                    return _bad()
                value = int(text)
            if not -(2**63) <= value < 2**63:
                raise InputError(path, f"number out of range: {value}", line=line, field=name)
            return value
        if pa.types.is_floating(typ):
            return float(value)
        if pa.types.is_timestamp(typ):
            if not isinstance(value, str):
                return _bad()
            return parse_time(value, None, path, line, name)
        if pa.types.is_list(typ):
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return value
            if isinstance(value, str):
                return value.split()
            return _bad()
        if pa.types.is_date32(typ):
            return datetime.fromisoformat(str(value)).date()
    except InputError:
        raise
    except (KeyError, ValueError, TypeError) as exc:
        raise InputError(
            path, f"expected {_describe(typ)}, got {value!r}", line=line, field=name
        ) from exc
    return value


def _bad() -> Any:
    raise ValueError("wrong type")


def _describe(typ: pa.DataType) -> str:
    if pa.types.is_boolean(typ):
        return "true or false"
    if pa.types.is_integer(typ):
        return "a whole number"
    if pa.types.is_floating(typ):
        return "a number"
    if pa.types.is_list(typ):
        return "a list of strings"
    if pa.types.is_timestamp(typ):
        return "an ISO 8601 time"
    return "text"


def _platform(path: Path, line: int, value: str | None) -> str | None:
    if value is None:
        return None
    v = value.strip().lower()
    if v == "twitter":
        v = "x"
    if v not in {p.value for p in Platform}:
        known = ", ".join(p.value for p in Platform)
        raise InputError(
            path, f"expected one of {known}, got {value!r}", line=line, field="platform"
        )
    return v


def _complete_message(
    path: Path, line: int, m: dict[str, Any], options: ImportOptions
) -> dict[str, Any]:
    m["platform"] = (
        _platform(path, line, m.get("platform")) or options.platform or Platform.OTHER.value
    )
    m["author"] = m["author"].lstrip("@")
    brand = {h.lower().lstrip("@") for h in options.brand}
    if m.get("from_brand") is None:
        if not brand:
            raise InputError(
                path,
                "expected a from_brand value, or --brand HANDLE to say which authors are the brand",
                line=line,
                field="from_brand",
            )
        m["from_brand"] = m["author"].lower() in brand
    if m["from_brand"] and not m.get("account"):
        m["account"] = m["author"]
    text = m.get("text")
    for name, extract in (
        ("mentions", mentions_in),
        ("hashtags", hashtags_in),
        ("links", links_in),
    ):
        if m.get(name) is None:
            m[name] = extract(text)
        else:
            m[name] = [v.lower().lstrip("@#") for v in m[name]] if name != "links" else m[name]
    if m.get("kind") is None:
        if m.get("in_reply_to"):
            m["kind"] = Kind.REPLY.value
        else:
            m["kind"] = Kind.POST.value if m["from_brand"] else Kind.MENTION.value
    elif m["kind"] not in {k.value for k in Kind}:
        known = ", ".join(k.value for k in Kind)
        raise InputError(
            path, f"expected one of {known}, got {m['kind']!r}", line=line, field="kind"
        )
    return m


SOURCE = GenericSource()
