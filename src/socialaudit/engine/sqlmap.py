"""DuckDB SQL to Spark SQL, parameters bound as literals.

The workspace's few raw SQL statements (the labelling stage's, a check's lookup) are written in
DuckDB's dialect with bound parameters: `?` in order, or `$name`. Spark's SQL API binds neither
list parameters nor DuckDB's names, so the statement is parsed by sqlglot, each placeholder is
replaced by a literal node of the value's type (a string becomes an escaped string literal: user
text stays inert, it is never formatted into the query) and the tree is written as Spark SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import sqlglot
from sqlglot import exp

from ..errors import WorkspaceError

__all__ = ["literal", "to_spark"]


def literal(value: Any) -> exp.Expression:
    """A SQL literal node for one parameter value."""
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, int | float):
        return exp.Literal.number(repr(value) if isinstance(value, float) else str(value))
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        text = aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return exp.cast(exp.Literal.string(text), "timestamp")
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "date")
    if isinstance(value, list | tuple):
        if not value:
            # an empty list of strings: Spark types ARRAY() as array<void>
            return exp.cast(exp.Array(expressions=[]), "array<string>")
        return exp.Array(expressions=[literal(v) for v in value])
    raise WorkspaceError(f"cannot bind a {type(value).__name__} as a SQL parameter")


def to_spark(query: str, params: list[Any] | dict[str, Any] | None = None) -> str:
    """`query` (DuckDB SQL) with its parameters bound, as one Spark SQL statement."""
    tree = sqlglot.parse_one(query, read="duckdb")
    positional: Iterator[Any] = iter(params if isinstance(params, list) else [])
    named = params if isinstance(params, dict) else {}

    def bind(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder):
            if node.name and node.name != "?":
                if node.name not in named:
                    raise WorkspaceError(f"SQL parameter ${node.name} has no value")
                return literal(named[node.name])
            try:
                return literal(next(positional))
            except StopIteration:
                raise WorkspaceError("SQL has more ? parameters than values") from None
        return node

    def spark_functions(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            # DuckDB's list_has_any; sqlglot writes Spark's as `&&`, which Spark lacks
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        return node

    # Two passes: a node replaced by `transform` does not have its children visited.
    return tree.transform(bind).transform(spark_functions).sql(dialect="spark")
