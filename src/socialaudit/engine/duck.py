"""The DuckDB engine: the workspace's own file, read on this machine (the default)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

import duckdb
import ibis
import pyarrow as pa

from .. import model
from .compiled import CompiledSQL, install


def same_row(columns: Iterable[str], left: str = "t", right: str = "b") -> str:
    """SQL: the rows `left` and `right` agree on `columns`, null matching null (a key part may
    legitimately be null: an audience row without an account handle)."""
    return " and ".join(f'{left}."{c}" is not distinct from {right}."{c}"' for c in columns)


def sql_string(value: str) -> str:
    """`value` as a DuckDB string literal, for the few statements that cannot bind a parameter
    (settings, a literal Ibis splices in). Never for a stranger's text: that is always bound."""
    return "'" + value.replace("'", "''") + "'"


__all__ = ["DuckDBEngine", "epoch"]


@ibis.udf.scalar.builtin(name="epoch", signature=(("timestamp('UTC')",), "float64"))
def epoch(instant: Any) -> float:  # type: ignore[empty-body]
    """DuckDB's epoch(): the seconds since 1970 of an instant (a declaration for Ibis)."""


class DuckDBEngine:
    """Reads through one DuckDB connection. `transaction` is the workspace's (it knows the
    file modes and turns a failed commit into a WorkspaceError)."""

    name = "duckdb"

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        transaction: Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]],
    ) -> None:
        self.con = con
        self._transaction = transaction
        self._ibis = ibis.duckdb.from_connection(con)
        # Compiled SQL kept between commands (engine.compiled): the same expressions each audit.
        self._compiled = CompiledSQL()
        install(self._ibis, self._compiled)

    @property
    def backend(self) -> ibis.BaseBackend:
        return self._ibis

    def table(self, name: str) -> ibis.Table:
        return self._ibis.table(name)

    def list_tables(self) -> list[str]:
        return list(self._ibis.list_tables())

    def has_table(self, name: str) -> bool:
        row = self.con.execute(
            "select count(*) from duckdb_tables() where table_name = ? and not temporary", [name]
        ).fetchone()
        return bool(row and row[0])

    def count(self, name: str) -> int:
        row = self.con.execute(f'select count(*) from "{name}"').fetchone()
        assert row is not None  # count(*) always gives one row
        return int(row[0])

    def arrow(self, expr: ibis.Expr) -> pa.Table:
        return self._ibis.to_pyarrow(expr)

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        return self.con.execute(query, params or []).to_arrow_table()

    def create_temp(self, name: str, expr: ibis.Table | pa.Table) -> ibis.Table:
        # Ibis' overwrite=True fills a table under a new name and then copies it, row by row,
        # into a table of the given name: every relation written twice (a 3 M audit's care
        # pairs: 1.7 M rows, the copy 6 of its 7 CPU s). Filled once under a new name and
        # renamed instead; the query may still read the table it replaces.
        fresh = f"{name}__new"
        self.con.execute(f'drop table if exists temp.main."{fresh}"')
        if isinstance(expr, ibis.Table):
            # What Ibis' create_table does (a table of the expression's types, then an insert
            # of its query), the query compiled through the kept SQL (engine.compiled).
            self._ibis._run_pre_execute_hooks(expr)  # (its memtables registered)
            self._ibis.create_table(fresh, schema=expr.schema(), temp=True)
            columns = ", ".join('"' + c.replace('"', '""') + '"' for c in expr.columns)
            query = self._ibis.compile(expr)
            self.con.execute(f'insert into temp.main."{fresh}" ({columns}) {query}')
        else:
            self._ibis.create_table(fresh, expr, temp=True)
        self.con.execute(f'drop table if exists temp.main."{name}"')
        self.con.execute(f'alter table temp.main."{fresh}" rename to "{name}"')
        return self._ibis.table(name)

    def append_temp(self, name: str, expr: ibis.Table) -> ibis.Table:
        self._ibis.insert(name, expr)
        return self._ibis.table(name)

    def keep(
        self,
        name: str,
        expr: ibis.Table,
        *,
        append: bool = False,
        replacing: ibis.Table | None = None,
    ) -> ibis.Table:
        self._ibis._run_pre_execute_hooks(expr)  # registers the memtables it reads
        query = self._ibis.compile(expr)
        with self._transaction() as con:
            if replacing is not None:
                keys = self._ibis.compile(replacing)
                match = same_row(replacing.columns, right="k")
                con.execute(
                    f'delete from "{name}" t where exists (select 1 from ({keys}) k where {match})'
                )
                con.execute(f'insert into "{name}" by name {query}')
            elif append:
                con.execute(f'insert into "{name}" by name {query}')
            else:
                con.execute(f'create or replace table "{name}" as {query}')
        return self._ibis.table(name)

    def shadow(self, views: dict[str, str], helpers: dict[str, pa.Table]) -> None:
        # A temporary view takes the table's name, and DuckDB resolves the temporary schema
        # first; the stored table stays reachable by its catalog-qualified name.
        row = self.con.execute("select current_database()").fetchone()
        catalog = str(row[0]) if row else "memory"
        for name, table in helpers.items():
            self.con.register("_helper", table)
            self.con.execute(f'create or replace temp table "{name}" as select * from _helper')
            self.con.unregister("_helper")
        quoted = '"' + catalog.replace('"', '""') + '"'
        for name, query in views.items():
            stored = f'{quoted}.main."{model.TABLES[name].name}"'
            self.con.execute(
                f'create or replace temp view "{name}" as ' + query.format(stored=stored)
            )

    def replace_rows(self, spec: model.TableSpec, rows: pa.Table) -> None:
        # Never called: the workspace writes its DuckDB tables itself (Workspace._replace, with
        # provenance and change counts, in its transaction); a second upsert here would drift.
        raise NotImplementedError("DuckDB tables are written by Workspace.replace_rows")

    def close(self) -> None:
        self._compiled.save()
        self.con.close()
