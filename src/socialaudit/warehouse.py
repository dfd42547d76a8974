"""A workspace's tables as Parquet, and the Spark-engine workspace that reads them.

* `export_parquet(ws, dir)`: every canonical table of a DuckDB workspace as `<dir>/<table>/`
  (one Parquet file each, the layout Spark writes and reads), with `socialaudit-tables.json`
  saying what it holds. This is the Spark engine's warehouse.
* `import_parquet(root, dir)`: such a folder back into a DuckDB workspace, every table replaced
  by the folder's (the round trip is exact: same rows, same types).
* `open_spark(root, config)`: the workspace read through a Spark session (`engine.spark`).
  A warehouse that holds no tables yet is filled from the workspace's DuckDB file first.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from . import model
from .config import Config
from .engine import SPARK_MISSING
from .errors import UsageError, WorkspaceError
from .workspace import DB_NAME, Workspace, log_reset, private_files

__all__ = [
    "MANIFEST",
    "export_parquet",
    "import_parquet",
    "is_parquet_export",
    "open_spark",
    "warehouse_of",
]

MANIFEST = "socialaudit-tables.json"
FORMAT = "socialaudit-parquet"
FILE = "part-00000.parquet"


def warehouse_of(root: Path, config: Config) -> str:
    """Where the Spark engine's tables are: `[engine] warehouse`, else `<workspace>/warehouse`
    (a relative folder is taken from the workspace)."""
    where = config.engine.warehouse
    if not where:
        return str(root / "warehouse")
    if "://" in where:
        return where
    path = Path(where).expanduser()
    return str(path if path.is_absolute() else root / path)


def is_parquet_export(path: Path) -> bool:
    return (path / MANIFEST).is_file()


def export_parquet(ws: Workspace, target: Path) -> dict[str, int]:
    """Write every canonical table of `ws` under `target` (replacing what was there). Returns
    the rows per table."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: not a folder")
    if target.is_dir() and any(target.iterdir()) and not is_parquet_export(target):
        raise UsageError(
            f"{target}: the folder is not empty and holds no {MANIFEST}; export to a new or "
            "empty folder (or one an earlier export made)"
        )
    rows: dict[str, int] = {}
    with private_files():  # customers' messages: readable by the owner only
        target.mkdir(parents=True, exist_ok=True)
        for spec in model.TABLES.values():
            table = ws.sql(f'select * from "{spec.name}"').select(spec.schema.names)
            table = table.cast(spec.schema)
            folder = target / spec.name
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            pq.write_table(table, folder / FILE)
            rows[spec.name] = table.num_rows
        (target / MANIFEST).write_text(
            json.dumps({"format": FORMAT, "tables": rows}, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    return rows


def read_table(folder: Path, spec: model.TableSpec) -> pa.Table:
    """One table folder (pyarrow's file or Spark's part files) in the table's schema; columns
    an older export lacks are nulls."""
    data = pads.dataset(str(folder), format="parquet").to_table()
    columns = [
        data[f.name].cast(f.type)
        if f.name in data.column_names
        else pa.nulls(data.num_rows, f.type)
        for f in spec.schema
    ]
    return pa.Table.from_arrays(columns, schema=spec.schema)


def import_parquet(root: Path, source: Path) -> dict[str, int]:
    """Replace the tables of the DuckDB workspace at `root` with those of the Parquet folder
    `source`, in one transaction. Returns the rows per table."""
    if not source.is_dir():
        raise UsageError(f"{source}: not a folder of Parquet tables")
    rows: dict[str, int] = {}
    tables: dict[str, pa.Table] = {}
    for spec in model.TABLES.values():
        folder = source / spec.name
        if folder.is_dir():
            try:
                tables[spec.name] = read_table(folder, spec)
            except (pa.ArrowInvalid, OSError) as exc:
                raise UsageError(f"{folder}: not a Parquet table ({exc})") from exc
    if "messages" not in tables:
        raise UsageError(f"{source}: no messages/ table folder: not a socialaudit Parquet export")
    with Workspace.for_writing(root) as ws, ws.transaction() as con:
        for name, table in tables.items():
            con.register("_parquet", table)
            try:
                con.execute(f'delete from "{name}"')
                con.execute(f'insert into "{name}" by name select * from _parquet')
            finally:
                con.unregister("_parquet")
            rows[name] = table.num_rows
        log_reset(con)  # every message replaced: the change log cannot tell what changed
    return rows


def open_spark(root: Path, config: Config, notice: Callable[[str], Any] | None = None) -> Workspace:
    """The workspace at `root` read through a Spark session from `[engine]`. Raises UsageError
    (one line) when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise UsageError(SPARK_MISSING) from None
    master = config.engine.master
    if not master.startswith("sc://") and shutil.which("java") is None:
        raise UsageError(SPARK_MISSING.replace("needs the optional extra", "needs Java"))
    from .engine.spark import SparkEngine, spark_session

    warehouse = warehouse_of(root, config)
    local = "://" not in warehouse
    if local and not is_parquet_export(Path(warehouse)) and not _has_tables(Path(warehouse)):
        if not (root / DB_NAME).exists():
            raise WorkspaceError(
                f"{warehouse}: no tables in the warehouse and no {DB_NAME} at {root} to fill it"
            )
        with Workspace.open(root, create=False, read_only=True) as duck:
            export_parquet(duck, Path(warehouse))
        if notice is not None:
            notice(f"exported the workspace's tables to the warehouse {warehouse}")
    elif local and (root / DB_NAME).exists() and notice is not None:
        manifest = Path(warehouse) / MANIFEST
        if manifest.exists() and (root / DB_NAME).stat().st_mtime > manifest.stat().st_mtime:
            notice(
                f"note: {DB_NAME} changed after the warehouse was exported; "
                f"`socialaudit export --parquet {warehouse}` brings it up to date"
            )
    session = spark_session(master, config.engine.conf)
    return Workspace.on_engine(root, SparkEngine(session, warehouse))


def _has_tables(folder: Path) -> bool:
    return (folder / "messages").is_dir()
