"""The engines that run the workspace's reads: DuckDB on one machine, Spark past it.

The checks are Ibis expressions and never know which engine runs them. What differs between
engines sits behind `Engine`: where the tables come from, how a relation is materialised for
reuse (a temporary table, a checkpointed view), the few raw SQL statements that are not Ibis,
and how a derived relation is kept for the next command. `socialaudit.workspace.Workspace`
delegates its reads to one of these; writes (imports, syncs) stay DuckDB's.
"""

from __future__ import annotations

from typing import Any, Protocol

import ibis
import pyarrow as pa

from .. import model

__all__ = ["ENGINE_NAMES", "SPARK_MISSING", "Engine"]

ENGINE_NAMES = ("duckdb", "spark")

# Said (one line, exit 2) when --engine spark is asked for without the extra installed.
SPARK_MISSING = (
    "the Spark engine needs the optional extra: pip install 'socialaudit[spark]' "
    "(and Java 17: apt install openjdk-17-jre-headless)"
)


class Engine(Protocol):
    """What a workspace reads through. `name` is one of ENGINE_NAMES."""

    name: str

    @property
    def backend(self) -> ibis.BaseBackend: ...

    def table(self, name: str) -> ibis.Table: ...

    def list_tables(self) -> list[str]: ...

    def has_table(self, name: str) -> bool:
        """Whether `name` is a stored table (not a temporary relation)."""
        ...

    def count(self, name: str) -> int: ...

    def arrow(self, expr: ibis.Expr) -> pa.Table: ...

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        """Read-only SQL written in DuckDB's dialect, with bound parameters (`?` or `$name`)."""
        ...

    def create_temp(self, name: str, expr: ibis.Table | pa.Table) -> ibis.Table:
        """Materialise a relation under `name` for this session and return it."""
        ...

    def append_temp(self, name: str, expr: ibis.Table) -> ibis.Table:
        """Add the rows of `expr` to the temporary relation `name` and return it."""
        ...

    def keep(
        self,
        name: str,
        expr: ibis.Table,
        *,
        append: bool = False,
        replacing: ibis.Table | None = None,
    ) -> ibis.Table:
        """Store a derived relation (replaced, or extended) so the next command reuses it;
        with `replacing` (a table of key columns), only the stored rows matching those keys
        are replaced by `expr`'s rows."""
        ...

    def shadow(self, views: dict[str, str], helpers: dict[str, pa.Table]) -> None:
        """Make reading table NAME read `views[NAME]` (DuckDB SQL naming the stored table as
        `{stored}`) from now on, the `helpers` made temporary relations first (Workspace.shadow)."""
        ...

    def replace_rows(self, spec: model.TableSpec, rows: pa.Table) -> None:
        """Upsert `rows` into a stored table by its key (null matches null)."""
        ...

    def close(self) -> None: ...
