"""Compiled SQL kept between commands: an audit builds the same Ibis expressions each time, and
compiling them (Ibis' rewrites and sqlglot) cost about a CPU second of every audit, more than
running many of them. Each query's SQL is kept in the user's cache under a fingerprint of its
expression and the versions of Ibis, sqlglot and DuckDB; a later command that builds the same
expression reads its SQL instead of compiling it.

The fingerprint is the expression's whole tree: each node's type and every argument (names,
literals, types, schemas). A value of any other kind (an object the fingerprint cannot spell
out) makes the fingerprint unique to this process, so that query is compiled as before, never
mistaken for another, and its SQL is not written to the file (no later command could match it).

A memtable (ibis.memtable) has a random name, which its SQL reads. Before a query is compiled,
each memtable in it is given a name of its content, `_sa_mem_<digest>`, the SHA-256 of its
Arrow schema and data (IPC stream), and registered in DuckDB under that name
(`content_named`). So the same data in a later command gives the same tree and the same SQL;
other data, or the same data typed otherwise, another name and another query. The fingerprint
spells a memtable out by its name, schema and that digest of its data, never by its name
alone. Two distinct memtables of one content in a query stay two relations: they are named
`_sa_mem_<digest>_1`, `_2`, ... in the order the tree is walked, each name registered with
that same data (so whichever gets which name, each reads the same rows).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import hashlib
import json
import uuid
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dtypes
import ibis.expr.operations as ops
import ibis.expr.schema as sch
import pyarrow as pa
from ibis.common.grounds import Concrete

from ..usercache import cache_dir, write_private

__all__ = ["CompiledSQL", "content_named", "fingerprint", "install", "memtable_digest"]

# The newest entries kept (the queries of the last few commands), so the file stays small.
KEEP = 2000
_PROCESS = uuid.uuid4().hex  # what makes a fingerprint this process's own
_PLAIN = (str, int, float, bool, bytes, type(None), decimal.Decimal, dt.date, dt.time, dt.timedelta)
MEMTABLE_PREFIX = "_sa_mem_"
# A memtable's digest, computed once per memtable node (a node's data does not change: Ibis
# registers it once too).
_DIGESTS: weakref.WeakKeyDictionary[ops.InMemoryTable, str] = weakref.WeakKeyDictionary()
# Each memtable's content-named twin, made once, so that every query reading it reads one node.
_RENAMED: weakref.WeakKeyDictionary[ops.InMemoryTable, dict[str, ops.InMemoryTable]] = (
    weakref.WeakKeyDictionary()
)


def memtable_digest(op: ops.InMemoryTable) -> str:
    """SHA-256 of a memtable's Arrow schema and data, as DuckDB would be given them."""
    digest = _DIGESTS.get(op)
    if digest is None:
        table = op.data.to_pyarrow(op.schema)
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        h = hashlib.sha256(repr(op.schema).encode())
        h.update(b"\x00")
        h.update(sink.getvalue())
        digest = _DIGESTS[op] = h.hexdigest()
    return digest


def content_named(expr: ibis.Expr) -> tuple[ibis.Expr, list[ops.InMemoryTable]]:
    """`expr` with each memtable named after its content (see the module's note), and those
    renamed memtables; `expr` itself and [] when it has none."""
    op = expr.op()
    found = op.find(ops.InMemoryTable)
    if not found:
        return expr, []
    renamed: dict[ops.InMemoryTable, ops.InMemoryTable] = {}
    seen: dict[str, int] = {}  # digest: memtables of that content so far
    for mem in found:
        digest = memtable_digest(mem)
        seen[digest] = seen.get(digest, 0) + 1
        name = f"{MEMTABLE_PREFIX}{digest}_{seen[digest]}"
        twins = _RENAMED.setdefault(mem, {})
        twin = mem if mem.name == name else twins.get(name)
        if twin is None:
            twin = twins[name] = mem.copy(name=name)
            _DIGESTS[twin] = digest
        renamed[mem] = twin
    if all(old is new for old, new in renamed.items()):
        return expr, list(renamed.values())
    return op.replace(renamed).to_expr(), list(renamed.values())


def fingerprint(expr: ibis.Expr) -> str:
    """A digest of the expression's tree (see the module's note)."""
    return _fingerprint(expr)[0]


def _fingerprint(expr: ibis.Expr) -> tuple[str, bool]:
    """The fingerprint, and whether another process may find it (no part of it is this
    process's own)."""
    memo: dict[int, str] = {}
    keep: list[Any] = []  # (nodes alive while their id() is in memo)
    stable = True

    def walk(value: Any) -> str:
        nonlocal stable
        if isinstance(value, ops.InMemoryTable):  # its content, not its proxy object
            key = id(value)
            if key not in memo:
                keep.append(value)
                parts = ["memtable", walk(value.name), walk(value.schema), memtable_digest(value)]
                memo[key] = hashlib.sha1("\x00".join(parts).encode()).hexdigest()
                if not value.name.startswith(MEMTABLE_PREFIX):
                    stable = False  # a random name: only this process registers it
            return memo[key]
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
        stable = False
        return f"{type(value).__qualname__}@{_PROCESS}:{id(value)}"

    return walk(expr.op()), stable


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
        self._own: set[str] = set()  # keys of this process alone: never written
        self._fresh = False
        self.compiled = 0  # queries compiled / read from the kept SQL, by this process
        self.reused = 0

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

    def put(self, key: str, sql: str, *, keep: bool = True) -> None:
        """Keep `sql`; `keep=False`: for this process only (its key is this process's own)."""
        self._used[key] = sql
        if keep:
            self._fresh = True
        else:
            self._own.add(key)

    def save(self) -> None:
        """Write the kept SQL with this process's queries newest (a cache that cannot be
        written is skipped); nothing when every query was found."""
        if not self._fresh:
            return
        merged = {k: v for k, v in self._read().items() if k not in self._used}
        merged.update((k, v) for k, v in self._used.items() if k not in self._own)
        entries = list(merged.items())[-KEEP:]
        if write_private(self.path, json.dumps(dict(entries))):
            self._fresh = False


def install(backend: Any, kept: CompiledSQL) -> None:
    """Make `backend.compile` (which Ibis' own reads call too) read and fill `kept`, its
    memtables named after their content and registered under those names."""
    compile_: Callable[..., str] = backend.compile
    registered: set[str] = set()  # content names registered in this backend

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
        expr, memtables = content_named(expr)
        for mem in memtables:
            if mem.name not in registered:
                # The name holds the digest of the data: registered once, never replaced.
                backend._register_in_memory_table(mem)
                registered.add(mem.name)
        digest, stable = _fingerprint(expr)
        key = f"{digest}|{limit!r}"
        sql = kept.get(key)
        if sql is None:
            sql = compile_(expr, limit=limit)
            kept.put(key, sql, keep=stable)
            kept.compiled += 1
        else:
            kept.reused += 1
        return sql

    backend.compile = cached
