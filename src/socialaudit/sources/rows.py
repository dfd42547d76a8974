"""Small helpers the platform importers share to turn parsed records into canonical tables.

Exports are JSON (or spreadsheets) written by programs that change without notice: every value
is checked for its type here, so that a wrong type becomes one InputError naming the file, the
record and the field, never a pyarrow or Python traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, overload
from urllib.parse import urlsplit

import pyarrow as pa

from .. import model
from ..errors import InputError

_DIGITS = re.compile(r"[0-9]+")
_INTEGER = re.compile(r"[+-]?[0-9]+")


class Where:
    """Where a record came from, for error messages: file (or zip:member) and record label."""

    def __init__(self, path: str, record: str | None = None) -> None:
        self.path = path
        self.record = record

    def at(self, record: str) -> Where:
        return Where(self.path, record)

    def error(self, message: str, field: str | None = None) -> InputError:
        return InputError(self.path, message, record=self.record, field=field)


def expect_list(value: Any, where: Where, what: str, field: str | None = None) -> list:
    if not isinstance(value, list):
        raise where.error(f"expected {what} (a JSON list), got {_kind(value)}", field)
    return value


def expect_dict(value: Any, where: Where, what: str, field: str | None = None) -> dict:
    if not isinstance(value, dict):
        raise where.error(f"expected {what} (a JSON object), got {_kind(value)}", field)
    return value


@overload
def get_str(rec: dict, key: str, where: Where, *, required: Literal[True]) -> str: ...
@overload
def get_str(rec: dict, key: str, where: Where, *, required: bool = False) -> str | None: ...
def get_str(rec: dict, key: str, where: Where, *, required: bool = False) -> str | None:
    """A string field; numbers are accepted as their decimal text (ids sometimes come as both)."""
    v = rec.get(key)
    if v is None:
        if required:
            raise where.error("missing; expected a string", key)
        return None
    if isinstance(v, bool) or not isinstance(v, str | int):
        raise where.error(f"expected a string, got {_kind(v)}", key)
    return str(v)


def get_int(rec: dict, key: str, where: Where) -> int | None:
    """A count that exports write as a number or as a string of digits ("12"); null stays null."""
    v = rec.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        raise where.error(f"expected a whole number, got {v!r}", key)
    if isinstance(v, int):
        return _int64(v, where, key)
    if isinstance(v, float) and v.is_integer():
        return _int64(int(v), where, key)
    if isinstance(v, str) and _INTEGER.fullmatch(v.strip()):
        return _int64(int(v.strip()), where, key)
    raise where.error(f"expected a whole number, got {v!r}", key)


def _int64(v: int, where: Where, key: str) -> int:
    if not -(2**63) <= v < 2**63:
        raise where.error(f"number out of range: {v}", key)
    return v


@overload
def get_id(rec: dict, key: str, where: Where, *, required: Literal[True] = True) -> str: ...
@overload
def get_id(rec: dict, key: str, where: Where, *, required: bool) -> str | None: ...
def get_id(rec: dict, key: str, where: Where, *, required: bool = True) -> str | None:
    """A numeric platform id kept as text (ids overflow int64 and lose digits as floats)."""
    v = get_str(rec, key, where, required=required)
    if v is not None and not _DIGITS.fullmatch(v):  # str.isdigit() takes "²" and "١"
        raise where.error(f"expected a numeric id, got {v!r}", key)
    return v


def unix_time(value: Any, where: Where, key: str) -> datetime:
    """Unix seconds (Meta's `timestamp`, `creation_timestamp`) as a UTC time."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
            value = int(value)
        else:
            raise where.error(f"expected Unix seconds, got {value!r}", key)
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise where.error(f"time out of range: {value!r}", key) from exc


def iso_time(value: Any, where: Where, key: str) -> datetime:
    """An ISO 8601 time (`2024-01-31T09:30:00.123Z`, any offset) as UTC; naive is taken as UTC."""
    if not isinstance(value, str):
        raise where.error(f"expected an ISO 8601 time, got {_kind(value)}", key)
    v = value.strip()
    if v.endswith(("Z", "z")):
        v = v[:-1] + "+00:00"
    try:
        t = datetime.fromisoformat(v)
        return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)
    except ValueError as exc:
        raise where.error(
            f"expected an ISO 8601 time such as 2024-01-31T09:30:00Z, got {value!r}", key
        ) from exc
    except OverflowError as exc:  # 9999-12-31T23:00:00-05:00 is past year 9999 in UTC
        raise where.error(
            f"time out of range (after 9999 or before year 1 in UTC): {value!r}", key
        ) from exc


def as_list(value: Any) -> list:
    """An optional nested list; any other value counts as absent (it holds nothing we read)."""
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def host_of(url: str) -> str | None:
    """The host of a URL, lower case, without www.; None when there is none or it is malformed."""
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return None
    return host.removeprefix("www.") if host else None


def stable_id(prefix: str, *parts: object) -> str:
    """An id for a record that has none (a Facebook post): the same record always gets it."""
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:24]
    return f"{prefix}{digest}"


def raw_json(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)


def build_tables(rows: dict[str, list[dict]], where: str | Path) -> dict[str, pa.Table]:
    """Canonical tables from dict rows, one row per key (the last one read wins).

    An export can hold the same record twice (an edited tweet in two parts, a post copied into
    two files of a Meta export); the workspace upserts by key, so duplicates are dropped here.
    """
    out: dict[str, pa.Table] = {}
    for name, table_rows in rows.items():
        spec = model.TABLES[name]
        unique: dict[tuple, dict] = {}
        for r in table_rows:
            unique[tuple(r.get(k) for k in spec.key)] = r
        try:
            out[name] = model.to_table(spec, list(unique.values()))
        except (pa.ArrowException, UnicodeError, OverflowError, TypeError, ValueError) as exc:
            # The last line of defence: every field is checked where it is read, but a value can
            # still be unstorable (text with a lone surrogate from a \ud800 escape, say).
            raise InputError(
                where, f"a value cannot be stored in the {name} table ({exc})"
            ) from exc
    return out


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int | float):
        return f"a number ({v!r})"
    if isinstance(v, str):
        return f"a string ({v[:40]!r})"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "an object"
    return type(v).__name__
