"""classify() and label_workspace(): the one interface to text understanding."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pyarrow as pa

from .. import model
from ..workspace import Workspace
from .cues import label_one

BACKEND_NAME = "cues"
BACKEND_VERSION = "1"

_LABEL_COLUMNS = [f for f in model.LABELS.schema if f.name not in ("platform", "message_id")]
LABEL_SCHEMA = pa.schema(_LABEL_COLUMNS)


def classify(texts: Sequence[str | None] | pa.Array, from_brand: Sequence[bool] | None = None) -> pa.Table:
    """Label each text; returns one row per text, in order, with the `labels` columns."""
    if isinstance(texts, pa.Array | pa.ChunkedArray):
        texts = texts.to_pylist()
    rows = []
    for i, text in enumerate(texts):
        brand = bool(from_brand[i]) if from_brand is not None else False
        lab = label_one(text or "", brand)
        lab["cues"] = json.dumps(lab["cues"], sort_keys=True)
        lab["backend"] = BACKEND_NAME
        lab["backend_version"] = BACKEND_VERSION
        rows.append(lab)
    return pa.Table.from_pylist(rows, schema=LABEL_SCHEMA)


def label_workspace(ws: Workspace, batch_size: int = 50_000) -> int:
    """Label the messages that have no label from this backend and version. Returns the count."""
    todo = ws.sql(
        """
        select m.platform, m.id as message_id, m.text, m.from_brand
        from messages m
        left join labels l
          on l.platform = m.platform and l.message_id = m.id
         and l.backend = ? and l.backend_version = ?
        where l.message_id is null
        """,
        [BACKEND_NAME, BACKEND_VERSION],
    )
    done = 0
    for batch in todo.to_batches(batch_size):
        t = pa.Table.from_batches([batch])
        labels = classify(t["text"], t["from_brand"].to_pylist())
        out = pa.table(
            {"platform": t["platform"], "message_id": t["message_id"], **{c: labels[c] for c in labels.column_names}}
        )
        ws.replace_rows("labels", out)
        done += t.num_rows
    return done
