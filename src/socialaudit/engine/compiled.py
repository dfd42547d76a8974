"""Compiled SQL kept between commands: an audit builds the same Ibis expressions each time, and
compiling them (Ibis' rewrites and sqlglot) cost about a CPU second of every audit, more than
running many of them. Each query's SQL is kept in the user's cache under a fingerprint of its
expression and the versions of Ibis, sqlglot and DuckDB; a later command that builds the same
expression reads its SQL instead of compiling it.

The fingerprint is the expression's whole tree: each node's type and every argument (names,
literals, types, schemas). A value of any other kind (a memtable's data, an object the
fingerprint cannot spell out) makes the fingerprint unique to this process, so that query is
compiled as before, never mistaken for another.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.schema as sch
from ibis.common.grounds import Concrete

from ..usercache import cache_dir, write_private

__all__ = ["CompiledSQL", "fingerprint", "install"]

# The newest entries kept (the queries of the last few commands), so the file stays small.
KEEP = 2000
_PROCESS = uuid.uuid4().hex  # what makes a fingerprint this process's own
_PLAIN = (str, int, float, bool, bytes, type(None), decimal.Decimal, dt.date, dt.time, dt.timedelta)


def fingerprint(expr: ibis.Expr) -> str:
    """A digest of the expression's tree (see the module's note)."""
    memo: dict[int, str] = {}
    keep: list[Any] = []  # (nodes alive while their id() is in memo)

    def walk(value: Any) -> str:
        if isinstance(value, Concrete):  # a node, or a namespace: its type and arguments
            key = id(value)
            if key not in memo:
                keep.append(value)
                parts = [f"{type(value).__module__}.{type(value).__qualname__}"]
                parts += [
                    f"{n}={walk(a)}"
                    for n, a in zip(value.__argnames__, value.__args__, strict=True)
                ]
                memo[key] = hashlib.sha1("\x00".join(parts).encode()).hexdigest()
            return memo[key]
        if isinstance(value, enum.Enum):
            return f"{type(value).__qualname__}.{value.name}"
        if isinstance(value, _PLAIN):
            return f"{type(value).__name__}:{value!r}"
        if isinstance(value, dtypes.DataType | sch.Schema):
            return f"{type(value).__name__}:{value!r}"
        if isinstance(value, tuple | list | frozenset):
            items = sorted(map(walk, value)) if isinstance(value, frozenset) else map(walk, value)
            return f"{type(value).__name__}(" + ",".join(items) + ")"
        if isinstance(value, Mapping):
            return "{" + ",".join(f"{walk(k)}:{walk(v)}" for k, v in value.items()) + "}"
        if isinstance(value, ibis.BaseBackend):
            return f"backend:{value.name}"
        return f"{type(value).__qualname__}@{_PROCESS}:{id(value)}"

    return walk(expr.op())


def _versions_tag() -> str:
    import duckdb
    import sqlglot

    versions = (ibis.__version__, sqlglot.__version__, duckdb.__version__)
    return hashlib.sha1(repr(versions).encode()).hexdigest()[:12]


class CompiledSQL:
    """The kept SQL, read once; `save` writes what this process compiled or used."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or cache_dir() / f"compiled-sql-{_versions_tag()}.json"
        self._stored: dict[str, str] = self._read()
        self._used: dict[str, str] = {}
        self._fresh = False

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}

    def get(self, key: str) -> str | None:
        sql = self._used.get(key) or self._stored.get(key)
        if sql is not None:
            self._used[key] = sql
        return sql

    def put(self, key: str, sql: str) -> None:
        self._used[key] = sql
        self._fresh = True

    def save(self) -> None:
        """Write the kept SQL with this process's queries newest (a cache that cannot be
        written is skipped); nothing when every query was found."""
        if not self._fresh:
            return
        merged = {k: v for k, v in self._read().items() if k not in self._used}
        merged.update(self._used)
        entries = list(merged.items())[-KEEP:]
        if write_private(self.path, json.dumps(dict(entries))):
            self._fresh = False


def install(backend: Any, kept: CompiledSQL) -> None:
    """Make `backend.compile` (which Ibis' own reads call too) read and fill `kept`."""
    compile_: Callable[..., str] = backend.compile

    def cached(
        expr: ibis.Expr,
        /,
        *,
        limit: int | None = None,
        params: Mapping[Any, Any] | None = None,
        pretty: bool = False,
    ) -> str:
        if params or pretty:
            return compile_(expr, limit=limit, params=params, pretty=pretty)
        key = f"{fingerprint(expr)}|{limit!r}"
        sql = kept.get(key)
        if sql is None:
            sql = compile_(expr, limit=limit)
            kept.put(key, sql)
        return sql

    backend.compile = cached
