"""The workspace: a folder with `socialaudit.toml` (config) and `socialaudit.duckdb` (the store).

Writes go through `Workspace.write(batch)`, one transaction per import: either every table of the
batch is written or none is. Reads go through Ibis (`Workspace.table(name)`), so that the checks
are engine-neutral expressions that DuckDB runs here and Spark could run elsewhere.
"""

from __future__ import annotations

import json
import os
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
from .errors import WorkspaceError

CONFIG_NAME = "socialaudit.toml"
DB_NAME = "socialaudit.duckdb"
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

    def __init__(self, root: Path, con: duckdb.DuckDBPyConnection) -> None:
        self.root = root
        self._con = con
        self._ibis = ibis.duckdb.from_connection(con)
        # Derived relations (conversation pairs, ...) computed once and reused by every reader
        # (checks, charts, inbox) until a table they depend on is written.
        self._derived: dict[str, tuple[frozenset[str], Any]] = {}

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(
        cls, workspace: str | Path | None = None, *, create: bool = True, read_only: bool = False
    ) -> Workspace:
        root = resolve_root(workspace)
        db = root / DB_NAME
        if not db.exists() and not create:
            raise WorkspaceError(
                f"{root}: no workspace here (no {DB_NAME}); run `socialaudit import PATH` "
                f"or `socialaudit demo` first, or pass --workspace DIR"
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(f"{root}: cannot create the workspace folder ({exc})") from exc
        config = root / CONFIG_NAME
        if not config.exists() and not read_only:
            config.write_text(DEFAULT_CONFIG, encoding="utf-8")
        try:
            con = duckdb.connect(str(db), read_only=read_only and db.exists())
        except duckdb.Error as exc:
            raise WorkspaceError(f"{db}: cannot open the workspace database ({exc})") from exc
        limit = os.environ.get("SOCIALAUDIT_MEMORY_LIMIT")
        if limit:
            # DuckDB takes up to 80 % of RAM by default and spills to disk beyond its limit;
            # a shared machine (or a benchmark beside other work) may want it smaller.
            try:
                con.execute("set memory_limit = ?", [limit])
            except duckdb.Error as exc:
                raise WorkspaceError(f"SOCIALAUDIT_MEMORY_LIMIT={limit!r}: {exc}") from exc
        ws = cls(root, con)
        if not read_only:
            ws._ensure_schema()
        return ws

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    def close(self) -> None:
        self._con.close()

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

    def table(self, name: str) -> ibis.Table:
        if name not in model.TABLES and name not in self._ibis.list_tables():
            raise WorkspaceError(f"no table {name!r} in the workspace")
        return self._ibis.table(name)

    def count(self, name: str) -> int:
        return int(self._con.execute(f'select count(*) from "{name}"').fetchone()[0])

    def arrow(self, expr: ibis.Expr) -> pa.Table:
        """Run an Ibis expression and return its result as Arrow."""
        return self._ibis.to_pyarrow(expr)

    def sql(self, query: str, params: list[Any] | None = None) -> pa.Table:
        """Run read-only SQL with bound parameters (never format user text into a query)."""
        return self._con.execute(query, params or []).to_arrow_table()

    def create_temp(self, name: str, expr: ibis.Table | pa.Table) -> ibis.Table:
        """Materialise an expression or Arrow table as a temporary table and return it."""
        if isinstance(expr, pa.Table):
            return self._ibis.create_table(name, expr, temp=True, overwrite=True)
        return self._ibis.create_table(name, expr, temp=True, overwrite=True)

    def shadow(self, views: dict[str, str], helpers: dict[str, pa.Table] | None = None) -> None:
        """From now on, on this connection only, reading table NAME reads `views[NAME]` instead.

        Each query names the stored table as `{stored}` and may read the `helpers` (Arrow tables
        stored as temporary tables first). A temporary view takes the table's name, and DuckDB
        resolves the temporary schema first, so Ibis expressions and SQL alike see the view;
        writing to a shadowed table fails instead of changing the store. This is how one brand
        of a multi-brand workspace is audited on its own (`socialaudit.portfolio.scope`).
        """
        (catalog,) = self._con.execute("select current_database()").fetchone()
        for name, table in (helpers or {}).items():
            self._con.register("_helper", table)
            self._con.execute(f'create or replace temp table "{name}" as select * from _helper')
            self._con.unregister("_helper")
        quoted = '"' + catalog.replace('"', '""') + '"'
        for name, query in views.items():
            stored = f'{quoted}.main."{model.TABLES[name].name}"'
            self._con.execute(
                f'create or replace temp view "{name}" as ' + query.format(stored=stored)
            )
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
        self._con.execute("begin transaction")
        try:
            yield self._con
        except BaseException:
            self._con.execute("rollback")
            raise
        else:
            self._con.execute("commit")

    def write(self, batch: ImportBatch) -> dict[str, int]:
        """Write one import in one transaction and record its provenance.

        For every table: delete the rows that came from this source before, delete the rows whose
        key is in the batch, insert the batch. Re-importing the same input therefore changes
        nothing, and overlapping inputs replace instead of duplicating.
        """
        now = datetime.now(UTC)
        written: dict[str, int] = {}
        changes: dict[str, dict[str, int]] = {}
        with self.transaction() as con:
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
                    }
                ],
            )
            self._replace(con, model.IMPORTS, prov, batch.source)
        self._invalidate(set(batch.tables))
        batch.changes = changes
        return written

    def replace_rows(self, name: str, table: pa.Table, source: str | None = None) -> None:
        """Upsert rows of one table by its key (labels, inbox state, audits), in a transaction."""
        with self.transaction() as con:
            self._replace(con, model.TABLES[name], table, source, delete_source=False)
        self._invalidate({name})

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
        table = table.select(spec.schema.names).cast(spec.schema)
        has_source = "source" in spec.schema.names and source is not None
        if has_source:
            table = table.set_column(
                spec.schema.get_field_index("source"),
                "source",
                pa.array([source] * table.num_rows, type=pa.string()),
            )
        con.register("_batch", table)
        try:
            # IS NOT DISTINCT FROM: a key part may legitimately be null (an audience row
            # without an account handle), and null must match null here.
            match = " and ".join(f't."{k}" is not distinct from b."{k}"' for k in spec.key)
            changes = self._count_changes(con, spec, match, source) if count_changes else {}
            if has_source and delete_source:
                con.execute(f'delete from "{spec.name}" where source = ?', [source])
            con.execute(f'delete from "{spec.name}" t using _batch b where {match}')
            cols = ", ".join(f'"{c}"' for c in spec.schema.names)
            con.execute(f'insert into "{spec.name}" ({cols}) select {cols} from _batch')
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
        same = " and ".join(
            f't."{c}" is not distinct from b."{c}"' for c in spec.schema.names if c != "source"
        )
        total, existing, unchanged = con.execute(
            f"select (select count(*) from _batch), count(*), count(*) filter (where {same})"
            f' from _batch b join "{spec.name}" t on {match}'
        ).fetchone()
        removed = 0
        if source is not None and "source" in spec.schema.names:
            (removed,) = con.execute(
                f'select count(*) from "{spec.name}" t where t.source = ?'
                f" and not exists (select 1 from _batch b where {match})",
                [source],
            ).fetchone()
        return {
            "new": int(total) - int(existing),
            "updated": int(existing) - int(unchanged),
            "unchanged": int(unchanged),
            "removed": int(removed),
        }

    def delete_rows(self, name: str, where: str, params: list[Any]) -> None:
        with self.transaction() as con:
            con.execute(f'delete from "{name}" where {where}', params)
        self._invalidate({name})
