"""Helpers the export-importer tests share: table snapshots, zips built from folders, and the
X archive's `window.… = […]` files read the plain way (json after the `=`), independently of
the importer."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyarrow as pa

from socialaudit import model
from socialaudit.workspace import Workspace

DATA_TABLES = ("accounts", "messages", "acknowledgements", "follows", "audience")


def snapshot(ws_dir: Path, *, with_source: bool = False) -> dict[str, pa.Table]:
    """Every canonical table's rows, sorted; without `source` (a zip and its folder differ
    there) and without the import time (which changes on every import)."""
    out = {}
    with Workspace.open(ws_dir) as ws:
        for name, spec in model.TABLES.items():
            drop = [
                c
                for c in ("source", "imported_at")
                if c in spec.schema.names and not (with_source and c == "source")
            ]
            cols = ", ".join(f'"{c}"' for c in spec.schema.names if c not in drop)
            out[name] = ws.sql(f'select {cols} from "{name}" order by all')
    return out


def counts(ws_dir: Path) -> dict[str, int]:
    with Workspace.open(ws_dir) as ws:
        return {name: ws.count(name) for name in model.TABLES}


def same_tables(a: dict[str, pa.Table], b: dict[str, pa.Table], tables=DATA_TABLES) -> None:
    for name in tables:
        assert a[name].num_rows == b[name].num_rows, name
        assert a[name].equals(b[name]), f"table {name} differs"


def rows(ws_dir: Path, query: str, params: list | None = None) -> list[dict]:
    with Workspace.open(ws_dir) as ws:
        return ws.sql(query, params).to_pylist()


def zip_folder(folder: Path, target: Path, wrapper: str = "") -> Path:
    """A zip of every file under `folder`, inside a `wrapper/` folder when given (as platforms
    name their zips' top folder)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, (wrapper + "/" if wrapper else "") + f.relative_to(folder).as_posix())
    return target


def read_ytd(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("=") + 1 :])


def write_ytd(path: Path, global_name: str, value: object) -> None:
    path.write_text(
        f"window.{global_name} = " + json.dumps(value, indent=1, ensure_ascii=False),
        encoding="utf-8",
    )
