"""Helpers the export-importer tests share: table snapshots, zips built from folders, and the
X archive's `window.… = […]` files read the plain way (json after the `=`), independently of
the importer."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import libipld
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


def fingerprint(ws_dir: Path, tables=(*DATA_TABLES, "imports")) -> list[tuple]:
    """(table, rows, a hash of every row) in one query: cheap enough to take before and after
    each of many imports. The import time is left out (it changes on every import)."""
    parts = []
    for name in tables:
        rows_of = (
            f'(select * exclude (imported_at) from "{name}")' if name == "imports" else f'"{name}"'
        )
        parts.append(
            f"select '{name}' t, count(*) n, coalesce(sum(hash(r)::hugeint), 0) h from {rows_of} r"
        )
    with Workspace.open(ws_dir) as ws:
        return [
            tuple(r.values()) for r in ws.sql(" union all ".join(parts) + " order by t").to_pylist()
        ]


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


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


class RepoBuilder:
    """A repository CAR with a two-level tree: keys below the middle one hang left of it, the
    rest right of it, so both `l` and `t` links are walked."""

    def __init__(self, did: str) -> None:
        self.did = did
        self.blocks: dict[bytes, bytes] = {}

    def put(self, obj: object) -> bytes:
        data = libipld.encode_dag_cbor(obj)
        cid = b"\x01\x71\x12\x20" + hashlib.sha256(data).digest()  # CIDv1, dag-cbor, sha2-256
        self.blocks[cid] = data
        return cid

    def node(self, keys: list[str], records: dict[str, bytes], left=None, rights=None) -> bytes:
        entries, prev = [], b""
        for i, key in enumerate(keys):
            k = key.encode()
            p = next(
                (j for j, (a, b) in enumerate(zip(prev, k, strict=False)) if a != b),
                min(len(prev), len(k)),
            )
            entries.append({"k": k[p:], "p": p, "t": (rights or {}).get(i), "v": records[key]})
            prev = k
        return self.put({"e": entries, "l": left})

    def car(self, records: dict[str, dict]) -> bytes:
        cids = {key: self.put(rec) for key, rec in records.items()}
        keys = sorted(cids)
        mid = len(keys) // 2
        left = self.node(keys[:mid], cids) if keys[:mid] else None
        right = self.node(keys[mid + 1 :], cids) if keys[mid + 1 :] else None
        root = self.node([keys[mid]], cids, left=left, rights={0: right})
        commit = self.put(
            {"did": self.did, "data": root, "rev": "3l", "prev": None, "version": 3, "sig": b"s"}
        )
        header = libipld.encode_dag_cbor({"roots": [commit], "version": 1})
        out = varint(len(header)) + header
        for cid, data in self.blocks.items():
            out += varint(len(cid) + len(data)) + cid + data
        return out
