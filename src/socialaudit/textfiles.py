"""Text understanding for files: classify a CSV's texts, train a model from a labelled CSV.

The file side of `socialaudit classify` and `socialaudit train INPUT.csv`, beside the command
line: `text/` only turns texts into labels, this module reads and writes the files. CSV files
are read as UTF-8 with `sources.csvstream` (all columns as text, quoted line breaks kept) and
written with the text cells that a spreadsheet would run as formulas quoted (`report.csvsafe`),
since the output is meant to be opened in a spreadsheet and holds other people's messages;
every other cell is written as it was read.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from .errors import InputError, UsageError
from .progress import Progress
from .report.csvsafe import safe_column
from .sources.csvstream import line_of_record, read_header, restore_cr, stream_batches
from .text.api import LABEL_SCHEMA, classify
from .text.trained import ALIASES, TASKS, TextModel, estimate, load_model, normalise_label, train

TRUE_VALUES = frozenset({"1", "true", "yes", "y", "t"})


def read_csv(path: Path, required: list[str], progress: Progress | None = None) -> pa.Table:
    """A whole CSV as a table of strings (empty cells null), with the `required` columns."""
    if not path.is_file():
        raise InputError(path, "no such file")
    header = read_header(path)
    if not header:
        raise InputError(path, "expected a CSV file with a header row", line=1)
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path,
            f"no column {missing[0]!r}; the header has: {', '.join(header)}",
            line=1,
        )
    if len(set(header)) != len(header):
        dup = next(c for c in header if header.count(c) > 1)
        raise InputError(path, f"the header names the column {dup!r} twice", line=1)
    try:
        batches = list(stream_batches(path, header, progress))
    except InputError as exc:
        if "UTF8" in exc.message:
            raise InputError(
                path,
                "expected UTF-8 text, found bytes that are not UTF-8",
                line=_first_bad_line(path),
            ) from None
        raise
    if not batches:
        return pa.table({c: pa.array([], pa.string()) for c in header})
    table = pa.Table.from_batches(batches).select(header)
    return pa.table({c: restore_cr(table[c]) for c in header})


def _first_bad_line(path: Path) -> int | None:
    line = 1
    with path.open("rb") as f:
        for raw in f:
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                return line
            line += 1
    return None


def classify_csv(
    path: Path,
    text_column: str,
    *,
    models: list[Path] | None = None,
    brand: bool = False,
    from_brand_column: str | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """The CSV's rows with the label columns added (label columns already there are replaced)."""
    loaded = _load_models(models or [])
    required = [text_column] + ([from_brand_column] if from_brand_column else [])
    table = read_csv(path, required)
    if from_brand_column:
        values = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(table[from_brand_column], "")))
        from_brand = pc.is_in(values, value_set=pa.array(sorted(TRUE_VALUES)))
    else:
        from_brand = pa.array([brand] * table.num_rows, pa.bool_())
    labels = classify(table[text_column], from_brand, model=loaded or None, progress=progress)
    keep = [c for c in table.column_names if c not in LABEL_SCHEMA.names]
    return pa.table({**{c: table[c] for c in keep}, **{c: labels[c] for c in labels.column_names}})


def _load_models(paths: list[Path]) -> list[TextModel]:
    models = [load_model(p) for p in paths]
    tasks = [m.task for m in models]
    for task in tasks:
        if tasks.count(task) > 1:
            raise UsageError(f"two model files for the task {task!r}; give one model per task")
    return models


def to_csv(table: pa.Table, *, formula_guard: bool = True) -> str:
    """CSV text with a header; text cells that a spreadsheet would run as formulas are quoted
    (`report.csvsafe`), unless `formula_guard` is False (for pipelines that never open it in a
    spreadsheet and need every text byte for byte)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.column_names)
    columns = []
    for name in table.column_names:
        col = table[name]
        if formula_guard and (pa.types.is_string(col.type) or pa.types.is_large_string(col.type)):
            col = safe_column(col)
        elif pa.types.is_boolean(col.type):
            col = pc.if_else(col, "true", "false")
        columns.append(col.to_pylist())
    for row in zip(*columns, strict=True):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue()


def to_json(table: pa.Table) -> str:
    """A JSON array with one object per row; `cues` as an object rather than a string."""
    rows = table.to_pylist()
    for row in rows:
        if isinstance(row.get("cues"), str):
            row["cues"] = json.loads(row["cues"])
    return json.dumps(rows, ensure_ascii=False, indent=1) + "\n"


# -- training from a CSV ---------------------------------------------------------------------------


@dataclass
class TrainResult:
    model: TextModel
    examples: int
    unlabelled: int  # rows without a label, left out
    cv_macro_f1: float | None  # 5-fold estimate, None when too few examples per label


def train_csv(
    path: Path, text_column: str, label_column: str, task: str, *, cross_validate: bool = True
) -> TrainResult:
    """Train a model for `task` from a CSV's text and label columns.

    Labels may be spelled as `trained.ALIASES` allows (e.g. 1/0, yes/no for complaint); a row
    with an empty label is left out; any other label is an error naming its line.
    """
    if task not in TASKS:
        raise UsageError(f"task {task!r}: expected one of {', '.join(TASKS)}")
    table = read_csv(path, [text_column, label_column])
    texts, labels = [], []
    unlabelled = 0
    raw_labels = table[label_column].to_pylist()
    raw_texts = table[text_column].to_pylist()
    for i, (text, raw) in enumerate(zip(raw_texts, raw_labels, strict=True)):
        try:
            label = normalise_label(task, raw)
        except KeyError:
            accepted = ", ".join(sorted(set(ALIASES[task]) | set(TASKS[task])))
            raise InputError(
                path,
                f"expected a {task} label ({accepted}), got {raw!r}",
                line=line_of_record(path, i),
                field=label_column,
            ) from None
        if label is None:
            unlabelled += 1
            continue
        texts.append(text or "")
        labels.append(label)
    m = train(texts, labels, task, source=str(path.resolve()))
    cv = estimate(texts, labels, task) if cross_validate else None
    return TrainResult(m, len(labels), unlabelled, cv)
