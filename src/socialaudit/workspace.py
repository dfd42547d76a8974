"""The workspace: a folder with `socialaudit.toml` (config) and `socialaudit.duckdb` (the store).

Writes go through `Workspace.write(batch)`, one transaction per import: either every table of the
batch is written or none is. Reads go through Ibis (`Workspace.table(name)`), so that the checks
are engine-neutral expressions that DuckDB runs here and Spark could run elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from . import model
from .engine import Engine
from .engine.duck import DuckDBEngine, epoch, same_row, sql_string
from .errors import WorkspaceBusy, WorkspaceError

CONFIG_NAME = "socialaudit.toml"
DB_NAME = "socialaudit.duckdb"
SPILL_DIR = f"{DB_NAME}.tmp"  # where DuckDB spills what does not fit its memory limit
ENV_VAR = "SOCIALAUDIT_WORKSPACE"

DEFAULT_CONFIG = """\
# socialaudit workspace configuration. Every key is optional; `socialaudit explain CODE` tells
# what each check's options mean and why the defaults are what they are.

[brand]
# name = "Acme Coffee"
# Your own web sites (for links that lead to them, and UTM tracking checks).
# domains = ["acme.example"]
# One currency per workspace for costs and revenue.
# currency = "EUR"

[checks]
# select = ["SA1"]          # run only these codes, code prefixes, names or areas
# ignore = ["SA305"]        # and never these

# Per-check options, e.g.:
# [checks.SA102]
# warn_median_hours = 1
"""


@dataclass
class ImportBatch:
    """What one source produced from one file, folder or zip: canonical rows plus provenance."""

    source: str  # stable identity of the input (resolved path); a re-import replaces its rows
    format: str
    tables: dict[str, pa.Table]
    platform: str | None = None
    account: str | None = None
    skipped: list[dict[str, Any]] = field(default_factory=list)  # {what, count, reason}
    gaps: list[str] = field(default_factory=list)  # what this export cannot provide
    # When the export was made, where it says (an X archive's generationDate): its accounts are
    # judged as of then. None: as of the newest message it holds.
    as_of: datetime | None = None
    # "timeline": an export of the accounts themselves; "slice": a sample drawn from a dataset
    # (TWCS), in which gaps and bursts of the brand's posts say nothing about the brand.
    extent: str = "timeline"
    # The metric columns of `messages` the format can carry; None: those it filled.
    metrics: tuple[str, ...] | None = None
    notices: list[str] = field(default_factory=list)  # said to the user, not stored
    # Filled in by `Workspace.write`: per table, how many rows were new, updated (same key,
    # other values), unchanged, and removed (from this source before, absent from it now).
    changes: dict[str, dict[str, int]] = field(default_factory=dict)

    def rows(self) -> dict[str, int]:
        return {name: t.num_rows for name, t in self.tables.items()}


def resolve_root(workspace: str | Path | None) -> Path:
    """The workspace folder: the argument, else $SOCIALAUDIT_WORKSPACE, else the current folder."""
    if workspace is not None and str(workspace) != "":
        return Path(workspace).expanduser().resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser().resolve()
    return Path.cwd().resolve()


class Workspace:
    """An open workspace. Use `Workspace.open(dir)`; close it (or use `with`) when done."""

    def __init__(
        self, root: Path, con: duckdb.DuckDBPyConnection | None, engine: Engine | None = None
    ) -> None:
        self.root = root
        self._db = root / DB_NAME  # elsewhere while a new workspace is built (for_writing)
        # Reads go through the engine (DuckDB's on this connection, or Spark's: then there is
        # no connection and the workspace only reads, keeps derived relations and records).
        self._con: duckdb.DuckDBPyConnection = con  # type: ignore[assignment]  # None: Spark
        self._engine: Engine = engine or DuckDBEngine(con, self.transaction)  # type: ignore[arg-type]
        self._ibis = self._engine.backend
        # Derived relations (conversation pairs, ...) computed once and reused by every reader
        # (checks, charts, inbox) until a table they depend on is written.
        self._derived: dict[str, tuple[frozenset[str], Any]] = {}
        self._shadowed: set[str] = set()  # tables read through a view of part of them (shadow)
        self.read_only = False

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        workspace: str | Path | None = None,
        *,
        create: bool = True,
        read_only: bool = False,
        wait: float | None = None,
    ) -> Workspace:
        """Open (or create) the workspace. When another process holds it (an import, the
        dashboard's request), wait up to `wait` seconds (default $SOCIALAUDIT_LOCK_WAIT, else
        30) before a WorkspaceError that names who holds it."""
        root = resolve_root(workspace)
        db = root / DB_NAME
        if not db.exists() and not create:
            raise WorkspaceError(
                f"{root}: no workspace here (no {DB_NAME}); import an export or build the demo "
                "there first, or open another folder",
                setting="workspace",
            )
        _make_private_dir(root)
        config = root / CONFIG_NAME
        if not config.exists() and not read_only:
            _write_private(config, DEFAULT_CONFIG)
        return cls._connect(root, db, read_only=read_only and db.exists(), wait=wait)

    @classmethod
    def _connect(cls, root: Path, db: Path, *, read_only: bool, wait: float | None) -> Workspace:
        con = _connect_waiting(db, read_only, lock_wait() if wait is None else wait)
        try:
            limit_memory(con, db.parent / SPILL_DIR)
        except WorkspaceError:
            con.close()
            raise
        ws = cls(root, con)
        ws._db = db
        ws.read_only = read_only
        if not read_only:
            with private_files():
                ws._ensure_schema()
        return ws

    @classmethod
    @contextmanager
    def for_writing(
        cls, workspace: str | Path | None = None, *, wait: float | None = None
    ) -> Iterator[Workspace]:
        """The workspace for a write that must leave nothing behind if it fails or is killed.

        An existing workspace is opened as usual (its write is one transaction). A new one is
        built under a temporary name and moved into place only once the write is complete, so
        that a first import that is killed leaves no empty workspace behind.
        """
        root = resolve_root(workspace)
        if (root / DB_NAME).exists():
            with cls.open(root, wait=wait) as ws:
                yield ws
            return
        new_root = not root.exists()
        build = root.parent / f".{root.name}.partial-{os.getpid()}" if new_root else root
        db = build / f".{DB_NAME}.partial-{os.getpid()}" if not new_root else build / DB_NAME
        if new_root:
            _remove_stale_partials(root.parent, root.name)
        else:
            _remove_stale_partials(root, DB_NAME)
        _make_private_dir(build)
        try:
            ws = cls._connect(root, db, read_only=False, wait=wait)
            try:
                yield ws
            finally:
                ws.close()
            if new_root:
                _write_private(build / CONFIG_NAME, DEFAULT_CONFIG)
                os.rename(build, root)  # fails if the folder appeared meanwhile: nothing lost
            else:
                os.rename(db, root / DB_NAME)
                if not (root / CONFIG_NAME).exists():
                    _write_private(root / CONFIG_NAME, DEFAULT_CONFIG)
        except BaseException:
            for leftover in (db, db.with_name(db.name + ".wal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
            if new_root:
                shutil.rmtree(build, ignore_errors=True)
            raise

    @classmethod
    def on_engine(cls, workspace: str | Path | None, engine: Engine) -> Workspace:
        """The workspace's folder (its config, its models) with its tables read through
        `engine` (`socialaudit.warehouse.open_spark`). It reads, keeps derived relations and
        records labels and audits; imports and syncs write to a DuckDB workspace."""
        return cls(resolve_root(workspace), None, engine)

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    def compact(self, min_waste: int = 32 * 1024**2) -> tuple[int, int] | None:
        """Rewrite the database file when most of it is dead space (blocks freed by re-imports
        and by imports killed before their commit: DuckDB reuses them but never gives them
        back). Returns (bytes before, bytes after), or None when there was little to gain."""
        self._con.execute("checkpoint")  # merges the write-ahead log: the free blocks are known
        row = self._con.execute("pragma database_size").fetchone()
        assert row is not None  # the pragma gives one row
        block, used, free = int(row[2]), int(row[4]), int(row[5])
        if free * block < min_waste or free <= used:
            return None
        db = self._db
        before = db.stat().st_size
        target = db.with_name(f".{db.name}.compact-{os.getpid()}")
        with contextlib.suppress(OSError):
            target.unlink()
        current = self._con.execute("select current_database()").fetchone()
        assert current is not None
        name = current[0]
        with private_files():
            self._con.execute(f"attach '{target}' as compact_target")
            try:
                self._con.execute(f'copy from database "{name}" to compact_target')
            finally:
                self._con.execute("detach compact_target")
        self._con.close()
        os.replace(target, db)
        self._con = _connect_waiting(db, False, lock_wait())
        limit_memory(self._con, db.parent / SPILL_DIR)
        self._engine = DuckDBEngine(self._con, self.transaction)
        self._ibis = self._engine.backend
        self._derived.clear()
        return before, db.stat().st_size

    def close(self) -> None:
        self._engine.close()
        # The spill folder (see limit_memory) goes when it is empty: a workspace holds its
        # config and its database, nothing else, between commands.
        with contextlib.suppress(OSError):
            (self._db.parent / SPILL_DIR).rmdir()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_schema(self) -> None:
        existing = {
            r[0] for r in self._con.execute("select table_name from duckdb_tables()").fetchall()
        }
        for spec in model.TABLES.values():
            if spec.name in existing:
                self._add_missing_columns(spec)
                continue
            self._con.register("_empty", model.empty(spec))
            self._con.execute(f'create table "{spec.name}" as select * from _empty')
            self._con.unregister("_empty")

    def _add_missing_columns(self, spec: model.TableSpec) -> None:
        # A workspace made by an older version gains the columns added since, as nulls.
        have = {r[0] for r in self._con.execute(f'describe "{spec.name}"').fetchall()}
        for f in spec.schema:
            if f.name not in have:
                sql_type = self._con.from_arrow(pa.table({f.name: pa.array([], f.type)})).types[0]
                self._con.execute(f'alter table "{spec.name}" add column "{f.name}" {sql_type}')

    # -- reading -------------------------------------------------------------------------------

    @property
    def backend(self) -> ibis.BaseBackend:
        """The Ibis backend, for checks and reports that build expressions."""
        return self._ibis

    @property
    def engine(self) -> Engine:
        """What runs the reads (`socialaudit.engine`): DuckDB here, or Spark."""
        return self._engine

    def table(self, name: str) -> ibis.Table:
        if name not in model.TABLES and name not in self._engine.list_tables():
            raise WorkspaceError(f"no table {name!r} in the workspace")
        return self._engine.table(name)

    def count(self, name: str) -> int:
        return self._engine.count(name)

    def arrow(self, expr: ibis.Expr) -> pa.Table:
        """Run an Ibis expression and return its result as Arrow."""
        return self._engine.arrow(expr)

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Run read-only SQL (DuckDB's dialect; the Spark engine translates it) with bound
        parameters (never format user text into a query)."""
        return self._engine.sql(query, params)

    def currencies(self, exclude_source: str | None = None) -> list[tuple[str, str, int]]:
        """(currency, source, first row) of each currency in the ledgers, oldest row first."""
        parts = " union all ".join(
            f"select currency, source, min(row) as row from {t} "
            f"where currency is not null and source is distinct from ? group by currency, source"
            for t in model.LEDGERS
        )
        table = self.sql(
            f"select currency, source, row from ({parts}) order by currency, source",
            [exclude_source] * len(model.LEDGERS),
        )
        return [(r["currency"], r["source"], r["row"]) for r in table.to_pylist()]

    def epoch_seconds(self, instant: Any) -> Any:
        """Whole seconds since 1970 UTC of an instant (a timestamp column), as int64: Ibis'
        `instant.epoch_seconds()`. On DuckDB through its own epoch(), which reads the instant:
        Ibis casts it to a timestamp without time zone first, converting every row through the
        session's time zone (0.5 CPU s per 3 M messages, paid again by each check's query)."""
        if self._engine.name == "duckdb":
            return epoch(instant).cast("int64")
        return instant.epoch_seconds().cast("int64")

    def create_temp(self, name: str, expr: ibis.Table | pa.Table) -> ibis.Table:
        """Materialise an expression or Arrow table as a temporary table and return it."""
        return self._engine.create_temp(name, expr)

    def intermediate(self, name: str, expr: ibis.Table) -> ibis.Table:
        """A relation that a few later queries read (one materialises it in turn): DuckDB runs
        it inside them, which costs less than writing a temporary table and reading it back;
        an engine that computes a relation's whole lineage at each action (Spark) materialises
        it under `name`, as create_temp."""
        if self._con is None:
            return self.create_temp(name, expr)
        return expr

    def append_temp(self, name: str, expr: ibis.Table) -> ibis.Table:
        """Add the rows of `expr` to the temporary table `name` (made by create_temp)."""
        return self._engine.append_temp(name, expr)

    def has_table(self, name: str) -> bool:
        return self._engine.has_table(name)

    def keep(
        self,
        name: str,
        expr: ibis.Table,
        *,
        append: bool = False,
        replacing: ibis.Table | None = None,
    ) -> ibis.Table:
        """Store a relation derived from the canonical tables (never imported: it can always be
        rebuilt from them) as a table of the workspace, so that the next command reuses it;
        replaced, or with `append` extended, in one transaction. `replacing`: a table of keys
        (its columns are columns of the stored table): the stored rows that match one of them
        are deleted and `expr`'s rows added (part of the relation computed again)."""
        return self._engine.keep(name, expr, append=append, replacing=replacing)

    def is_shadowed(self, name: str) -> bool:
        """Whether reading table `name` reads a view of part of it (`shadow`)."""
        return name in self._shadowed

    @property
    def keeps_derived(self) -> bool:
        """Whether relations derived from the messages (reply trees, care pairs, a check's
        intermediate results) may be stored for the next command: not when the workspace is
        open read-only, nor when its messages are a view of part of them (one brand's)."""
        return not (self.read_only or self.is_shadowed("messages"))

    def shadow(self, views: dict[str, str], helpers: dict[str, pa.Table] | None = None) -> None:
        """From now on, in this workspace only, reading table NAME reads `views[NAME]` instead.

        Each query (DuckDB's dialect; the Spark engine translates it) names the stored table as
        `{stored}` and may read the `helpers` (Arrow tables, made temporary relations first).
        The view takes the table's name, so Ibis expressions and SQL alike see it; writing to a
        shadowed table fails instead of changing the store. This is how one brand of a
        multi-brand workspace is audited on its own (`socialaudit.portfolio.scope`).
        """
        self._engine.shadow(views, helpers or {})
        self._shadowed |= set(views)
        self._invalidate(set(views))

    def derived(self, key: str, depends_on: tuple[str, ...], compute: Callable[[], Any]) -> Any:
        """A value computed from some tables, cached until one of them is written."""
        if key not in self._derived:
            self._derived[key] = (frozenset(depends_on), compute())
        return self._derived[key][1]

    def _invalidate(self, tables: set[str]) -> None:
        for key in [k for k, (deps, _) in self._derived.items() if deps & tables]:
            del self._derived[key]

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: everything inside is written, or nothing is."""
        if self._con is None:
            raise WorkspaceError(
                f"{self.root}: the {self._engine.name} engine does not import or sync; write to "
                "the DuckDB workspace and `socialaudit export --parquet` it to the warehouse"
            )
        with private_files():  # the write-ahead log is created by the first write
            self._con.execute("begin transaction")
            try:
                yield self._con
            except BaseException:
                self._con.execute("rollback")
                raise
            else:
                try:
                    self._con.execute("commit")
                except duckdb.Error as exc:  # a full disk, a folder made read-only
                    raise WorkspaceError(
                        f"{self.root}: the workspace could not be written, nothing was "
                        f"({' '.join(str(exc).split())})"
                    ) from exc

    def write(self, batch: ImportBatch) -> dict[str, int]:
        """Write one import in one transaction and record its provenance.

        For every table: delete the rows that came from this source before, delete the rows whose
        key is in the batch, insert the batch. Re-importing the same input therefore changes
        nothing, and overlapping inputs replace instead of duplicating.
        """
        return self.write_all([batch])[0]

    def write_all(
        self,
        batches: list[ImportBatch],
        before_each: Callable[[Workspace, ImportBatch], None] | None = None,
    ) -> list[dict[str, int]]:
        """Write several imports in one transaction: all of them are written, or none is.

        `before_each` runs inside the transaction before a batch is written (it sees the
        batches written before it) and may raise to refuse it, which rolls back all of them.
        """
        now = datetime.now(UTC)
        out: list[dict[str, int]] = []
        with self.transaction() as con:
            for batch in batches:
                if before_each is not None:
                    before_each(self, batch)
                out.append(self._write_batch(con, batch, now))
        for batch in batches:
            self._invalidate(set(batch.tables))
        return out

    def _write_batch(
        self, con: duckdb.DuckDBPyConnection, batch: ImportBatch, now: datetime
    ) -> dict[str, int]:
        written: dict[str, int] = {}
        changes: dict[str, dict[str, int]] = {}
        for name, table in batch.tables.items():
            changes[name] = self._replace(
                con, model.TABLES[name], table, batch.source, count_changes=True
            )
            written[name] = table.num_rows
        prov = model.to_table(
            model.IMPORTS,
            [
                {
                    "source": batch.source,
                    "format": batch.format,
                    "platform": batch.platform,
                    "account": batch.account,
                    "imported_at": now,
                    "rows": json.dumps(written, sort_keys=True),
                    "skipped": json.dumps(batch.skipped),
                    "gaps": json.dumps(batch.gaps),
                    "as_of": batch.as_of,
                    "extent": batch.extent,
                    "metrics": json.dumps(list(_metric_columns(batch))),
                }
            ],
        )
        self._replace(con, model.IMPORTS, prov, batch.source)
        batch.changes = changes
        return written

    def replace_rows(self, name: str, table: pa.Table, source: str | None = None) -> None:
        """Upsert rows of one table by its key (labels, inbox state, audits), in a transaction."""
        if self._con is None:  # another engine: it stores the table its own way
            self._engine.replace_rows(
                model.TABLES[name], self._with_source(model.TABLES[name], table, source)
            )
            self._invalidate({name})
            return
        with self.transaction() as con:
            self._replace(con, model.TABLES[name], table, source, delete_source=False)
        self._invalidate({name})

    def merge(self, tables: dict[str, pa.Table], source: str) -> dict[str, int]:
        """Upsert several tables by key in one transaction, leaving alone the rows that are
        already stored exactly so (a sync's page batch: pulling what is already there writes
        nothing). Returns the rows written per table (only the tables where some were)."""
        written: dict[str, int] = {}
        with self.transaction() as con:
            for name, table in tables.items():
                spec = model.TABLES[name]
                table = self._with_source(spec, table, source)
                con.register("_incoming", table)
                try:
                    cols = ", ".join(f'"{c}"' for c in spec.schema.names)
                    # EXCEPT compares whole rows with null equal to null: what remains is new
                    # or changed. The Arrow result is cast back: EXCEPT widens nothing, but
                    # DuckDB hands back its own list types.
                    changed = con.execute(
                        f'select {cols} from _incoming except select {cols} from "{name}"'
                    ).to_arrow_table()
                finally:
                    con.unregister("_incoming")
                if changed.num_rows:
                    self._replace(con, spec, changed, source, delete_source=False)
                    written[name] = changed.num_rows
        self._invalidate(set(written))
        return written

    @staticmethod
    def _with_source(spec: model.TableSpec, table: pa.Table, source: str | None) -> pa.Table:
        table = table.select(spec.schema.names).cast(spec.schema)
        if "source" in spec.schema.names and source is not None:
            table = table.set_column(
                spec.schema.get_field_index("source"),
                "source",
                pa.array([source] * table.num_rows, type=pa.string()),
            )
        return table

    def _replace(
        self,
        con: duckdb.DuckDBPyConnection,
        spec: model.TableSpec,
        table: pa.Table,
        source: str | None,
        *,
        delete_source: bool = True,
        count_changes: bool = False,
    ) -> dict[str, int]:
        """Upsert `table` by key; with `count_changes`, say how many rows were new, updated,
        unchanged and removed (so that a re-import can say "0 new")."""
        has_source = "source" in spec.schema.names and source is not None
        # The source is written by the insert as one bound value, unless it is part of the key
        # (the batch's rows are matched on it): a column of 3 M copies of the input's path was
        # 200 MB of a 3 M message import's peak.
        bound_source = has_source and "source" not in spec.key
        if bound_source:
            table = table.select(spec.schema.names).cast(spec.schema)
        else:
            table = self._with_source(spec, table, source)
        con.register("_batch", table)
        try:
            match = same_row(spec.key)
            changes = self._count_changes(con, spec, match, source) if count_changes else {}
            if spec.name == "messages":
                self._log_messages(
                    con,
                    match,
                    source if has_source and delete_source else None,
                    # _count_changes has counted them already: no second scan of the table
                    known_removes=bool(changes["removed"]) if "removed" in changes else None,
                )
            elif spec.name == "labels":
                _forget_label_readers(con)
            if has_source and delete_source:
                con.execute(f'delete from "{spec.name}" where source = ?', [source])
            con.execute(f'delete from "{spec.name}" t using _batch b where {match}')
            cols = ", ".join(f'"{c}"' for c in spec.schema.names)
            values = ", ".join(
                "?" if c == "source" and bound_source else f'"{c}"' for c in spec.schema.names
            )
            con.execute(
                f'insert into "{spec.name}" ({cols}) select {values} from _batch',
                [source] if bound_source else [],
            )
        finally:
            con.unregister("_batch")
        return changes

    @staticmethod
    def _count_changes(
        con: duckdb.DuckDBPyConnection, spec: model.TableSpec, match: str, source: str | None
    ) -> dict[str, int]:
        """Compare the registered `_batch` with the table before it is written."""
        # Which input a row came from is provenance, not content: the same rows imported from a
        # copy of the file are unchanged.
        same = same_row(c for c in spec.schema.names if c != "source")
        counted = con.execute(
            f"select (select count(*) from _batch), count(*), count(*) filter (where {same})"
            f' from _batch b join "{spec.name}" t on {match}'
        ).fetchone()
        assert counted is not None  # an aggregate always gives one row
        total, existing, unchanged = counted
        removed = 0
        if source is not None and "source" in spec.schema.names:
            gone = con.execute(
                f'select count(*) from "{spec.name}" t where t.source = ?'
                f" and not exists (select 1 from _batch b where {match})",
                [source],
            ).fetchone()
            assert gone is not None
            (removed,) = gone
        return {
            "new": int(total) - int(existing),
            "updated": int(existing) - int(unchanged),
            "unchanged": int(unchanged),
            "removed": int(removed),
        }

    def delete_rows(self, name: str, where: str, params: list[Any]) -> None:
        with self.transaction() as con:
            con.execute(f'delete from "{name}" where {where}', params)
            if name == "messages":
                log_reset(con)
            elif name == "labels":
                _forget_label_readers(con)
        self._invalidate({name})

    # -- the change log of messages -------------------------------------------------------------
    #
    # A re-audit after 10,000 new messages in a 3 M workspace should read the 10,000, not
    # hash and join the 3 M to find them. So every write to `messages` logs the keys it
    # touched (`CHANGES`: seq, platform, id), and a reader that keeps a relation derived from
    # the messages (the reply trees, the care pairs) remembers the last seq it brought itself
    # up to (`CHANGES_READ`) and asks only for what came after it. A write that may have
    # removed rows (a delete, a re-import of a source that lost rows, a warehouse load) logs
    # a *reset* (a row with null keys): the readers then compute everything again, as does a
    # reader with no seq of its own (a workspace older than the log). Not covered: an older
    # socialaudit writing messages into a workspace that already has the log (it logs nothing).

    def _log_messages(
        self,
        con: duckdb.DuckDBPyConnection,
        match: str,
        replaced_source: str | None,
        known_removes: bool | None = None,
    ) -> None:
        """Log the keys of the registered `_batch` (a write to `messages` about to happen). When
        the write deletes the rows of `replaced_source` first, and some of them are not in the
        batch, rows go: a reset. So does a batch of at least half the messages (its readers
        compute everything again anyway), which keeps a first import's 3 M keys out of the log."""
        ensure_log(con)
        if replaced_source is None:
            removes = False
        elif known_removes is not None:
            removes = known_removes
        else:
            removes = bool(
                con.execute(
                    f'select exists (select 1 from "messages" t where t.source = ?'
                    f" and not exists (select 1 from _batch b where {match}))",
                    [replaced_source],
                ).fetchone()[0]  # type: ignore[index]
            )
        batch_rows = con.execute("select count(*) from _batch").fetchone()[0]  # type: ignore[index]
        stored = con.execute('select count(*) from "messages"').fetchone()[0]  # type: ignore[index]
        if removes or batch_rows * 2 > stored:
            log_reset(con)
            return
        con.execute(
            f"insert into {CHANGES} select (select coalesce(max(seq), 0) + 1 from {CHANGES}),"
            " platform, id from (select distinct platform, id from _batch)"
        )

    def messages_seq(self) -> int:
        """The seq of the last logged write to `messages` (0: none logged)."""
        if not self.has_table(CHANGES):
            return 0
        row = self.sql(f"select coalesce(max(seq), 0) as s from {CHANGES}").to_pylist()
        return int(row[0]["s"])

    def messages_touched_since(self, reader: str) -> ibis.Table | None:
        """The keys (platform, id) of the messages written since `reader` last brought itself
        up to date (`read_messages_up_to`): a superset of those added or changed. None when the
        log cannot tell (no seq of the reader's, no log, a reset since): compute everything."""
        if not (self.has_table(CHANGES) and self.has_table(CHANGES_READ)):
            return None
        row = self.sql(f"select max(seq) as s from {CHANGES_READ} where reader = ?", [reader])
        seq = row.to_pylist()[0]["s"]
        if seq is None:
            return None
        log = self.table(CHANGES)
        since = log.filter(log.seq > int(seq))
        if since.filter(since.id.isnull()).count().execute():
            return None
        return since.select("platform", "id").distinct()

    def read_messages_up_to(self, reader: str, seq: int) -> None:
        """Remember that `reader`'s stored relation reflects every logged write up to `seq` (its
        own transaction, after the relation's: a crash between them only redoes work). An engine
        that does not write the workspace (Spark reads a warehouse, which has no log) remembers
        nothing: its readers compare everything each time."""
        if self._con is None:
            return
        with self.transaction() as con:
            ensure_log(con)
            con.execute(f"delete from {CHANGES_READ} where reader = ?", [reader])
            con.execute(f"insert into {CHANGES_READ} values (?, ?)", [reader, seq])


CHANGES = "messages_changes"
CHANGES_READ = "messages_changes_read"
# The labelling stage reads the log too (`labelling.label_workspace`), as readers named with
# this prefix: their place holds only while nothing else writes the labels.
LABEL_READER_PREFIX = "labels:"


def ensure_log(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create table if not exists {CHANGES} (seq bigint, platform varchar, id varchar)")
    con.execute(f"create table if not exists {CHANGES_READ} (reader varchar, seq bigint)")


def _forget_label_readers(con: duckdb.DuckDBPyConnection) -> None:
    """A write to `labels`: the labelling stage no longer knows that every label is current
    (it may have been a person's fix, or a tool's label); it compares every message next time,
    and records its place again once all are."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where table_name = ? and not temporary",
        [CHANGES_READ],
    ).fetchone()
    if exists and exists[0]:
        con.execute(
            f"delete from {CHANGES_READ} where starts_with(reader, ?)", [LABEL_READER_PREFIX]
        )


def log_reset(con: duckdb.DuckDBPyConnection) -> None:
    """Log a write that may have changed or removed any message: the rows logged before it can
    no longer tell a reader what changed, so they are dropped (the log stays small)."""
    ensure_log(con)
    con.execute(f"create temp table _seq as select coalesce(max(seq), 0) + 1 as s from {CHANGES}")
    con.execute(f"delete from {CHANGES}")
    con.execute(f"insert into {CHANGES} select s, null, null from _seq")
    con.execute("drop table _seq")


METRIC_COLUMNS = ("likes", "reposts", "replies", "quotes", "impressions", "clicks")


def _metric_columns(batch: ImportBatch) -> tuple[str, ...]:
    """The metric columns a batch's format carries: as its source says, else those it filled."""
    if batch.metrics is not None:
        return tuple(c for c in METRIC_COLUMNS if c in batch.metrics)
    messages = batch.tables.get("messages")
    if messages is None:
        return ()
    return tuple(
        c
        for c in METRIC_COLUMNS
        if c in messages.column_names and messages[c].null_count < messages.num_rows
    )


# -- memory --------------------------------------------------------------------------------------

MEMORY_LIMIT_ENV = "SOCIALAUDIT_MEMORY_LIMIT"
# DuckDB would take up to 80 % of the machine's memory (a 3 M message audit grew to 4.8 GB);
# with 1 GB for its buffers, the Python side and Arrow results on top, every stage stays under
# 2 GB, and what does not fit is spilled to the temporary folder.
DEFAULT_MEMORY_LIMIT = "1GB"
_MEMORY_SIZE = re.compile(r"\s*[0-9]+(\.[0-9]+)?\s*[KMGT]i?B\s*", re.IGNORECASE)


def limit_memory(con: duckdb.DuckDBPyConnection, temp_dir: Path | None) -> None:
    """Cap DuckDB's memory at $SOCIALAUDIT_MEMORY_LIMIT (default 1 GB) and let it spill to
    `temp_dir`, created here readable by the owner only: spilled blocks hold customers'
    messages (DuckDB would create it with the default mode when it first spills)."""
    limit = os.environ.get(MEMORY_LIMIT_ENV) or DEFAULT_MEMORY_LIMIT
    # Checked here: DuckDB reads "-3GB" as no limit at all.
    if not _MEMORY_SIZE.fullmatch(limit):
        raise WorkspaceError(
            f"{MEMORY_LIMIT_ENV}={limit!r}: expected a size like 1GB, 512MB or 2GiB",
            setting=MEMORY_LIMIT_ENV,
        )
    # Literals, not parameters: binding a parameter makes DuckDB import pandas (0.3 s of every
    # command's start). The limit matched _MEMORY_SIZE above; the folder is quoted as SQL does.
    con.execute(f"set memory_limit = {sql_string(limit)}")
    if temp_dir is None:
        return
    with contextlib.suppress(OSError):  # a read-only folder: DuckDB then cannot spill, only cap
        with private_files():
            temp_dir.mkdir(exist_ok=True)
        con.execute(f"set temp_directory = {sql_string(str(temp_dir))}")


# -- locking and file modes ---------------------------------------------------------------------

LOCK_WAIT_ENV = "SOCIALAUDIT_LOCK_WAIT"
DEFAULT_LOCK_WAIT = 30.0
# Called once when a command starts waiting for a workspace another process holds (the CLI
# prints it); the argument says who holds it.
on_lock_wait: Callable[[str], None] | None = None

_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
_umask_lock = threading.Lock()


def lock_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(LOCK_WAIT_ENV, DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


def lock_holder(message: str) -> str | None:
    """Who holds the database, from DuckDB's lock error: 'socialaudit serve (PID 123)'."""
    m = _LOCK_HOLDER.search(message)
    if m is None:
        return None
    pid = int(m.group("pid"))
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        words = [a.decode(errors="replace") for a in argv if a]
    except OSError:
        words = []
    command = next(
        (
            "socialaudit " + " ".join(w for w in words[i + 1 : i + 2] if not w.startswith("-"))
            for i, w in enumerate(words)
            if w.endswith("socialaudit") or "socialaudit.cli" in w
        ),
        None,
    )
    return f"{(command or Path(m.group('program')).name).strip()} (PID {pid})"


def _connect_waiting(db: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file's lock, up to `wait` s."""
    deadline = time.monotonic() + wait
    delay = 0.05
    told = False
    while True:
        try:
            with private_files():
                con = duckdb.connect(str(db), read_only=read_only)
            # DuckDB's own progress bar would write to stdout, into a report on stdout.
            con.execute("set enable_progress_bar = false")
            return con
        except duckdb.IOException as exc:
            holder = lock_holder(str(exc))
            if holder is None:
                raise WorkspaceError(
                    f"{db}: cannot open the workspace database ({' '.join(str(exc).split())})"
                ) from exc
            if time.monotonic() >= deadline:
                raise WorkspaceBusy(
                    f"{db.parent}: the workspace is in use by {holder} and was still busy after "
                    f"{wait:.0f} s; try again when it is done (or wait longer: "
                    f"{LOCK_WAIT_ENV}=SECONDS)",
                    holder=holder,
                ) from exc
            if not told and on_lock_wait is not None:
                on_lock_wait(f"waiting for the workspace: in use by {holder}")
                told = True
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        except duckdb.Error as exc:
            raise WorkspaceError(
                f"{db}: cannot open the workspace database ({' '.join(str(exc).split())})"
            ) from exc


@contextmanager
def private_files() -> Iterator[None]:
    """Files created inside (the database, its write-ahead log) readable by the owner only:
    a workspace holds customers' messages. The umask is per process, so changes are
    serialised; the threads of the dashboard create no other files meanwhile."""
    with _umask_lock:
        old = os.umask(0o077)
        try:
            yield
        finally:
            os.umask(old)


def _make_private_dir(root: Path) -> None:
    """The workspace folder, created 0700 when it does not exist (an existing folder, the
    current one say, is left as it is)."""
    if root.is_dir():
        return
    try:
        with private_files():
            root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(
            f"{root}: cannot create the workspace folder ({exc.strerror or exc})"
        ) from exc


def _write_private(path: Path, text: str) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        raise WorkspaceError(
            f"{path}: cannot write the workspace config ({exc.strerror or exc})"
        ) from exc
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def _remove_stale_partials(folder: Path, stem: str) -> None:
    """Leftovers of a first import that was killed (`.STEM.partial-PID`, its .wal), when that
    process is gone."""
    pattern = re.compile(re.escape(f".{stem}.partial-") + r"(\d+)(\.wal)?")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m is None or _alive(int(m.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
