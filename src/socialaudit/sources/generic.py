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
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from .. import model
from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, mentions_in, parse_time, read_head

REQUIRED = ("id", "author", "created_at")
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
        header = [h.strip() for h in next(csv.reader([first]), [])]
        return all(c in header for c in REQUIRED)

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _TABLE_SPECS}
        seen: dict[tuple[str, str], int] = {}
        total = path.stat().st_size
        for line, table, record in self._records(path, options):
            row = _convert(path, line, table, record, options)
            if table == "messages":
                key = (row["platform"], row["id"])
                if key in seen:
                    raise InputError(
                        path,
                        f"expected each id once per platform, but {row['id']} was already on line {seen[key]}",
                        line=line,
                        field="id",
                    )
                seen[key] = line
            rows[table].append(row)
            if options.progress and line % 10_000 == 0:
                options.progress(min(total, line * 100), total)  # rough: rows, not bytes
        if not any(rows.values()):
            raise InputError(path, "no rows found; expected a header and at least one message")
        brand_handles = {h.lower().lstrip("@") for h in options.brand}
        accounts = {(a["platform"], a["handle"]): a for a in rows["accounts"]}
        for m in rows["messages"]:
            if m["from_brand"]:
                handle = m["account"] or m["author"]
                accounts.setdefault(
                    (m["platform"], handle), {"platform": m["platform"], "handle": handle}
                )
        platforms = {m["platform"] for m in rows["messages"]}
        for h in brand_handles:
            for p in platforms or {options.platform or Platform.OTHER.value}:
                if not any(k[0] == p and k[1].lower() == h for k in accounts):
                    accounts[(p, h)] = {"platform": p, "handle": h}
        tables = {
            "messages": model.to_table(model.MESSAGES, rows["messages"]),
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
    ) -> Iterator[tuple[int, str, dict[str, Any]]]:
        try:
            f = path.open("r", encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc
        with f:
            try:
                head = f.read(4096)
                f.seek(0)
            except UnicodeDecodeError as exc:
                raise InputError(path, "expected UTF-8 text", line=1) from exc
            is_jsonl = path.suffix.lower() in (".jsonl", ".ndjson") or head.lstrip().startswith("{")
            try:
                if is_jsonl:
                    yield from _jsonl_records(path, f)
                else:
                    yield from _csv_records(path, f, options)
            except UnicodeDecodeError as exc:
                raise InputError(
                    path, "expected UTF-8 text, found bytes that are not UTF-8"
                ) from exc


def _jsonl_records(path: Path, f: Any) -> Iterator[tuple[int, str, dict[str, Any]]]:
    for line_no, line in enumerate(f, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(
                path, f"expected one JSON object per line ({exc.msg})", line=line_no
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
        yield line_no, table, record


def _csv_records(
    path: Path, f: Any, options: ImportOptions
) -> Iterator[tuple[int, str, dict[str, Any]]]:
    reader = csv.DictReader(f)
    if reader.fieldnames is None:
        raise InputError(path, "the file is empty; expected a header line", line=1)
    fields = [h.strip() for h in reader.fieldnames]
    missing = [c for c in REQUIRED if c not in fields]
    if missing:
        raise InputError(
            path,
            f"expected the columns {', '.join(REQUIRED)}; missing {', '.join(missing)}",
            line=1,
        )
    reader.fieldnames = fields
    try:
        for record in reader:
            if None in record:
                raise InputError(
                    path, f"expected {len(fields)} fields, found more", line=reader.line_num
                )
            yield (
                reader.line_num,
                "messages",
                {k: (v if v != "" else None) for k, v in record.items()},
            )
    except csv.Error as exc:
        raise InputError(path, f"not valid CSV ({exc})", line=reader.line_num) from exc


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
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return int(str(value).strip().replace(",", ""))
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
