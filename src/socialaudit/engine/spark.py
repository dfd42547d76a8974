"""The Spark engine: the workspace's tables as Parquet in a warehouse, read by a Spark session.

Imported only when `--engine spark` (or `[engine] name = "spark"`) asks for it: pyspark is the
optional extra `socialaudit[spark]`. The session comes from the config: `local[N]` on this
machine, a cluster's master URL (spark://, yarn, k8s://), or Spark Connect (`sc://host:port`).
The warehouse holds one Parquet folder per table (`<warehouse>/<table>/`), the layout
`socialaudit export --parquet` writes; every table is a temporary view of its folder, so the
checks' Ibis expressions and the raw SQL name them as on DuckDB.

What differs from DuckDB, and why (shared/research/live-servers.md, section Spark):
* Arrow data goes to Spark through `createDataFrame(arrow)` or Parquet, never through pandas
  (ibis' memtables do, and turn null strings into 'NaN'): `_Ibis` registers them from Arrow.
* Spark's TIMESTAMP is an instant (the session's zone is UTC), which ibis 12 reads as a naive
  timestamp: it is typed as timestamp('UTC') here, so results equal DuckDB's TIMESTAMPTZ.
* The pyspark backend has no temporary tables: a relation to reuse is a temporary view of a
  local checkpoint (materialised, its plan cut, so a loop of joins does not grow its plan).
* A table that is written (labels, the audit history, kept relations) is rewritten as a whole
  Parquet folder from a checkpoint (Spark cannot overwrite a folder while reading it).
"""

from __future__ import annotations

import functools
import operator
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
from ibis.backends.pyspark import Backend as _PySparkBackend
from ibis.backends.pyspark import datatypes as _spark_types

from .. import model
from ..errors import WorkspaceError
from .sqlmap import to_spark

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["DEFAULT_MASTER", "SparkEngine", "spark_session"]

DEFAULT_MASTER = "local[2]"


def _timestamp_utc(nullable: bool = True) -> dt.Timestamp:
    return dt.Timestamp(timezone="UTC", nullable=nullable)


# Spark's TimestampType is a point in time shown in the session zone (UTC, which ibis sets):
# ibis' naive reading of it makes every timestamp result lose its zone.
_spark_types._from_pyspark_dtypes[_spark_types.pt.TimestampType] = _timestamp_utc


class _Ibis(_PySparkBackend):
    """ibis' pyspark backend with Arrow in and out (not pandas: nulls stay nulls)."""

    def _register_in_memory_table(self, op: Any) -> None:
        table = op.data.to_pyarrow(op.schema)
        self._session.createDataFrame(table).createOrReplaceTempView(op.name)

    def to_pyarrow(self, expr: Any, /, *, params: Any = None, limit: Any = None, **kw: Any) -> Any:
        from ibis.formats.pyarrow import PyArrowData

        self._run_pre_execute_hooks(expr)
        table_expr = expr.as_table()
        query = self.compile(table_expr, params=params, limit=limit, **kw)
        result = self._session.sql(query).toArrow()
        result = PyArrowData.convert_table(result, table_expr.schema())
        return expr.__pyarrow_result__(result)


def local_driver_memory() -> str:
    """The heap of a local session's JVM: a quarter of this machine's memory, 1 to 8 GiB.

    A fixed 1 GiB thrashed at 3 M messages (10,983 full collections, 2,033 s of a 3,682 s audit,
    which never finished); with 4 GiB the same audit collected for seconds. The JVM reserves the
    heap lazily, so a larger cap costs a small workspace nothing."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return "1g"
    return f"{min(8, max(1, total // 4 // 1024**3))}g"


def spark_session(master: str = DEFAULT_MASTER, conf: dict[str, str] | None = None) -> SparkSession:
    """The Spark session for `master` (the running one when there is one in this process)."""
    from pyspark.sql import SparkSession

    # Spark binds the machine's network address otherwise; the Python workers are this Python.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = builder.master(master)
        # A fresh warehouse per session: a reused one fails with LOCATION_ALREADY_EXISTS. The
        # workspace's tables are not in it (they are views of the warehouse folders).
        scratch = tempfile.mkdtemp(prefix="socialaudit-spark-")
        builder = builder.config("spark.sql.warehouse.dir", scratch)
        builder = builder.config("spark.ui.enabled", "false")
        if master.startswith("local"):
            # 200 shuffle partitions (the default) is for clusters; a few cores want few
            cores = master.removeprefix("local").strip("[]")
            builder = builder.config(
                "spark.sql.shuffle.partitions", cores if cores.isdigit() else "4"
            )
            builder = builder.config("spark.driver.memory", local_driver_memory())
            # An audit is hundreds of small queries: on a few local cores, the JVM's optimising
            # compiler and parallel GC, and adaptive re-planning of every query, cost more than
            # they save (the demo on Spark, 2 cores: 187 s -> 100 s, identical findings).
            # [engine.conf] overrides both.
            builder = builder.config(
                "spark.driver.extraJavaOptions",
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:CICompilerCount=1",
            )
            builder = builder.config("spark.sql.adaptive.enabled", "false")
    builder = builder.config("spark.sql.session.timeZone", "UTC")
    if not master.startswith("sc://"):
        # it would write to stderr; a Connect server's is its own (static: setting it warns)
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    # Spark 4.0's constraint propagation fails on the unions of the reply-tree relations
    # (NoSuchElementException in Union.rewriteConstraints); it only prunes filters.
    builder = builder.config("spark.sql.constraintPropagation.enabled", "false")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    try:
        return builder.getOrCreate()
    except Exception as exc:  # the JVM did not start, the cluster cannot be reached
        raise WorkspaceError(
            f"cannot start a Spark session at {master} ({' '.join(str(exc).split())[:300]}); "
            "Java 17 must be installed (java -version)"
        ) from exc


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


class SparkEngine:
    """Reads the warehouse's Parquet tables through one Spark session."""

    name = "spark"

    def __init__(self, session: SparkSession, warehouse: str) -> None:
        self.session = session
        self.warehouse = warehouse.rstrip("/")
        # An instance of _Ibis: `from_connection` (a classmethod) ignores the class it is
        # called on and returns ibis' own pyspark backend, whose memtables and to_pyarrow go
        # through pandas (and, on Spark Connect, warn once per memtable about verifySchema).
        ibis.pyspark  # noqa: B018 (loading the backend registers its options, ibis.options.pyspark)
        self._ibis = _Ibis().connect(session)
        self._views: set[str] = set()
        self._stored: set[str] = set()
        for name in self._stored_names():
            self._register(name)
            self._stored.add(name)
        for spec in model.TABLES.values():
            if spec.name not in self._stored:
                empty = self.session.createDataFrame(model.empty(spec))
                empty.createOrReplaceTempView(spec.name)
                self._views.add(spec.name)

    # -- the warehouse ----------------------------------------------------------------------

    def path(self, name: str) -> str:
        return f"{self.warehouse}/{name}"

    def _stored_names(self) -> list[str]:
        """The tables the warehouse holds: its folders (Spark's own files start with _ or .)."""
        from pyarrow import fs

        filesystem, root = fs.FileSystem.from_uri(self._arrow_uri(self.warehouse))
        try:
            infos = filesystem.get_file_info(fs.FileSelector(root, allow_not_found=True))
        except OSError as exc:
            raise WorkspaceError(f"{self.warehouse}: cannot read the warehouse ({exc})") from exc
        return sorted(
            Path(i.path).name
            for i in infos
            if i.type == fs.FileType.Directory and not Path(i.path).name.startswith(("_", "."))
        )

    @staticmethod
    def _arrow_uri(path: str) -> str:
        if _is_local(path):
            return str(Path(path.removeprefix("file://")).resolve())
        return path.replace("s3a://", "s3://", 1)  # Hadoop's name for S3, Arrow's

    def _register(self, name: str) -> None:
        self.session.read.parquet(self.path(name)).createOrReplaceTempView(name)
        self._views.add(name)

    def _store(self, name: str, df: DataFrame, *, append: bool = False) -> None:
        # From a checkpoint: the rows no longer depend on the folder they are written over.
        df = df.localCheckpoint(eager=True)
        df.write.mode("append" if append else "overwrite").parquet(self.path(name))
        self._register(name)
        self._stored.add(name)

    # -- Engine ---------------------------------------------------------------------------

    @property
    def backend(self) -> ibis.BaseBackend:
        return self._ibis

    def table(self, name: str) -> ibis.Table:
        return self._ibis.table(name)

    def list_tables(self) -> list[str]:
        return sorted(self._views)

    def has_table(self, name: str) -> bool:
        return name in self._stored

    def count(self, name: str) -> int:
        return int(self.session.table(name).count())

    def arrow(self, expr: ibis.Expr) -> pa.Table:
        return self._ibis.to_pyarrow(expr)

    def dataframe(self, expr: ibis.Table) -> DataFrame:
        self._ibis._run_pre_execute_hooks(expr)  # registers the memtables it reads
        return self.session.sql(self._ibis.compile(expr))

    def sql(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> pa.Table:
        return _utc(self.session.sql(to_spark(query, params)).toArrow())

    def sql_frame(self, query: str, params: list[Any] | dict[str, Any] | None = None) -> DataFrame:
        """`sql` as a Spark DataFrame, for work that stays in Spark (labelling)."""
        return self.session.sql(to_spark(query, params))

    def create_temp(self, name: str, expr: ibis.Table | pa.Table) -> ibis.Table:
        if isinstance(expr, pa.Table):
            df = self.session.createDataFrame(expr)
        else:
            df = self.dataframe(expr)
        df.localCheckpoint(eager=True).createOrReplaceTempView(name)
        self._views.add(name)
        return self._ibis.table(name)

    def append_temp(self, name: str, expr: ibis.Table) -> ibis.Table:
        df = self.session.table(name).unionByName(self.dataframe(expr))
        df.localCheckpoint(eager=True).createOrReplaceTempView(name)
        return self._ibis.table(name)

    def keep(
        self,
        name: str,
        expr: ibis.Table,
        *,
        append: bool = False,
        replacing: ibis.Table | None = None,
    ) -> ibis.Table:
        new = self.dataframe(expr)
        if replacing is not None and name in self._stored:
            old = self.session.table(name)
            keys = self.dataframe(replacing)
            kept = old.join(keys, on=_same_row(old, keys, replacing.columns), how="left_anti")
            self._store(name, kept.unionByName(new.select(*old.columns)))
        else:
            self._store(name, new, append=append and name in self._stored)
        return self._ibis.table(name)

    def shadow(self, views: dict[str, str], helpers: dict[str, pa.Table]) -> None:
        for name, table in helpers.items():
            self.session.createDataFrame(table).createOrReplaceTempView(name)
            self._views.add(name)
        for name, query in views.items():
            # A view made from a DataFrame keeps its resolved plan, not the name it read: the
            # stored rows stay reachable under `_stored_<name>` after `name` is replaced.
            stored = f"_stored_{name}"
            self.session.table(name).createOrReplaceTempView(stored)
            self._views.add(stored)
            view = self.session.sql(to_spark(query.format(stored=f'"{stored}"')))
            view.createOrReplaceTempView(name)

    def replace_rows(self, spec: model.TableSpec, rows: pa.Table | DataFrame) -> None:
        """Upsert `rows` into table `spec` by its key (null matches null) and store it."""
        new = self.session.createDataFrame(rows) if isinstance(rows, pa.Table) else rows
        old = self.session.table(spec.name)
        new = new.select(*[new[c].cast(old.schema[c].dataType) for c in spec.schema.names])
        kept = old.join(new, on=_same_row(old, new, spec.key), how="left_anti")
        self._store(spec.name, kept.unionByName(new))

    def close(self) -> None:
        # The session outlives the workspace (starting one takes half a minute): only this
        # workspace's views go.
        for name in self._views:
            self.session.catalog.dropTempView(name)
        self._views.clear()


def _same_row(left: DataFrame, right: DataFrame, columns: Iterable[str]) -> Column:
    """The rows of `left` and `right` agree on `columns`, null matching null."""
    return functools.reduce(operator.and_, [left[c].eqNullSafe(right[c]) for c in columns])


def _utc(table: pa.Table) -> pa.Table:
    """Timestamps as UTC instants (Spark hands back the session zone, or none)."""
    fields = [
        pa.field(f.name, pa.timestamp(f.type.unit, "UTC")) if pa.types.is_timestamp(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))
