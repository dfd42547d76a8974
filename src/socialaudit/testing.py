"""Table-driven tests for checks, for socialaudit's own and for plugin authors' alike.

The way sqlfluff ships the YAML-case runner its rules are tested with, socialaudit ships this
one: write the cases of a check in a TOML file, and let pytest run each case through a real
workspace and the real audit.

```python
# tests/test_my_checks.py of a plugin
import pytest
from socialaudit.testing import case_params, check_case

@pytest.mark.parametrize(("data", "case"), case_params("tests/cases"))
def test_case(tmp_path, data, case):
    check_case(tmp_path / "ws", data, case)
```

A case file holds the cases of one check (`check = "XY101"`):

```toml
check = "SA203"

[defaults.message]            # merged into every message of every case in the file
platform = "mastodon"

[[case]]
name = "weekly posting passes"
options = { warn_gap_days = 10 }                   # [checks.SA203] options
config = { checks = { as_of = "2024-04-01" } }     # other socialaudit.toml settings
expect = { verdict = "pass", figures = { max_gap_days = 7.0 } }

[[case.messages]]             # one message; defaults below
created_at = 2024-01-01T09:00:00Z
text = "hello"
content_type = "promotion"    # label fields are written to the labels table as given

[[case.series]]               # `count` messages, `every_hours` (or `every_minutes`) apart
start = 2024-01-01T09:00:00Z
every_hours = 168
count = 12
text = "post {i}"             # "{i}" in any string is the message's number, 1..count
in_reply_to = "q{i}"          # so a series can answer another one message by message
```

Message defaults: platform "x", account "acme", from_brand true, kind "post", author = the
account for the brand and "customer" otherwise, id "m1", "m2", ... in file order; a series'
ids are `id_prefix` (default "s1-", "s2-", ...) and the number, unless it gives `id` with "{i}".

A case may read a real export instead of (or beside) hand-made rows, so that a finding made on
real data stays a test without copying the data: `real = { path = "twcs/file.csv", threads =
["123"] }` imports `data_root / path` with the project's own importer (`format` forces one) and,
with `threads`, keeps only the reply trees that hold those message ids. `check_case(...,
data_root=...)` says where the data lies.

Everything is one import named "case" unless the case lists `[[case.exports]]` (name, and
optionally format, as_of: the date the export records, extent: "timeline" or "slice", metrics:
the metric columns its format carries, as a source says them); a message or row with
`export = "name"` goes to that one, the others to the first. `[[case.inbox_state]]` rows
(message_id, state, platform "x" by default) record what a person did in the inbox.
Label fields (content_type, intent, is_question, is_complaint, is_praise, sentiment,
sentiment_score) are written as the labels of that message; the labelling stage labels the
others. Other tables: `accounts`, `follows`, `audience`, `acknowledgements`, `costs`,
`conversions` (rows as in model.py); a row with `repeat = n` stands for n rows, with "{i}" in
its strings numbered 1..n and `created_at` stepped by `every_hours` / `every_minutes`.

`expect` keys: verdict; figures, thresholds (subsets, numbers compared to 1e-6); per_account
({account: {figure: value}}); evidence_total; evidence_ids (message ids of the evidence, in
order); evidence (partial dicts, matched in order); message_contains; needs_contains.
TOML has no null: the string "__null__" stands for it, in data and in expectations.

`doc_problems(check)` and `missing_verdicts(check, cases)` are the completeness rules the
built-in checks follow (a documented doc, options with reasons, a pass, a fail or warn and an
unknown case each).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from . import model
from .audit import run_audit
from .checks import EVIDENCE_LIMIT, Check, Registry
from .config import parse_config
from .text import BACKEND_NAME, BACKEND_VERSION
from .vocabulary import LABEL_COLUMNS
from .workspace import ImportBatch, Workspace

__all__ = [
    "CaseFailure",
    "build_workspace",
    "case_files",
    "case_params",
    "check_case",
    "doc_problems",
    "missing_verdicts",
]

LABEL_FIELDS = (*LABEL_COLUMNS, "sentiment_score")
TABLE_KEYS = ("accounts", "follows", "audience", "acknowledgements", "costs", "conversions")
NULL = "__null__"
DOC_HEADINGS = ("## What it detects", "## Why it matters", "## Example")


class CaseFailure(AssertionError):
    """A case whose finding is not what it expects (the message says which key and why)."""


# -- reading cases --------------------------------------------------------------------------------


def _nulls(value: Any) -> Any:
    if value == NULL:
        return None
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return value


def case_files(directory: str | Path) -> list[tuple[Path, dict[str, Any]]]:
    """Every `*.toml` case file of a folder, read (with "__null__" as None), by file name."""
    return [
        (f, _nulls(tomllib.loads(f.read_text(encoding="utf-8"))))
        for f in sorted(Path(directory).glob("*.toml"))
    ]


def case_params(directory: str | Path) -> list[Any]:
    """The cases of a folder as pytest parameters (data, case), with ids "CODE:name"."""
    import pytest

    return [
        pytest.param(data, case, id=f"{data['check']}:{case['name']}")
        for _, data in case_files(directory)
        for case in data.get("case", [])
    ]


# -- building the workspace ----------------------------------------------------------------------


def _utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _numbered(value: Any, i: int) -> Any:
    """`value` with "{i}" in a string replaced by the number i."""
    return value.replace("{i}", str(i)) if isinstance(value, str) else value


def _messages(data: dict[str, Any], case: dict[str, Any]) -> list[dict[str, Any]]:
    defaults = {"platform": "x", "account": "acme", "from_brand": True, "kind": "post", "text": ""}
    defaults.update(data.get("defaults", {}).get("message", {}))
    defaults.update(case.get("defaults", {}).get("message", {}))
    out: list[dict[str, Any]] = []

    def add(row: dict[str, Any]) -> None:
        m = {**defaults, **row}
        m.setdefault("id", f"m{len(out) + 1}")
        m.setdefault("author", m["account"] if m["from_brand"] else "customer")
        for k in ("created_at", "edited_at", "deleted_at"):
            if k in m:
                m[k] = _utc(m[k])
        out.append(m)

    for row in case.get("messages", []):
        add(dict(row))
    for s, series in enumerate(case.get("series", [])):
        series = dict(series)
        start = _utc(series.pop("start"))
        count = series.pop("count")
        step = timedelta(hours=series.pop("every_hours", 0), minutes=series.pop("every_minutes", 0))
        prefix = series.pop("id_prefix", f"s{s + 1}-")
        for i in range(1, count + 1):
            row = {k: _numbered(v, i) for k, v in series.items()}
            row.setdefault("id", f"{prefix}{i}")
            add({**row, "created_at": start + (i - 1) * step})
    return out


def _repeat(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """A table row, or `repeat` rows: "{i}" in strings becomes 1..n, and `created_at` steps by
    `every_hours` / `every_minutes`."""
    spec = {k: _utc(v) for k, v in spec.items()}
    n = spec.pop("repeat", None)
    step = timedelta(hours=spec.pop("every_hours", 0), minutes=spec.pop("every_minutes", 0))
    if n is None:
        return [spec]
    out = []
    for i in range(n):
        row = {k: _numbered(v, i + 1) for k, v in spec.items()}
        if row.get("created_at") is not None:
            row["created_at"] = row["created_at"] + i * step
        out.append(row)
    return out


def _batches(case: dict[str, Any], msgs: list[dict[str, Any]]) -> list[ImportBatch]:
    """One import per entry of `exports` (default: one import named "case"); a message or row
    goes to the export its `export` key names."""
    exports = {e["name"]: e for e in case.get("exports", [])} or {"case": {"name": "case"}}
    default = next(iter(exports))
    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {name: {} for name in exports}

    def put(table: str, row: dict[str, Any]) -> None:
        name = row.pop("export", default)
        if name not in grouped:
            raise CaseFailure(f"a {table} row names export {name!r}, not in the case's exports")
        grouped[name].setdefault(table, []).append(row)

    for m in msgs:
        put("messages", {k: v for k, v in m.items() if k not in LABEL_FIELDS})
    for name in TABLE_KEYS:
        for spec in case.get(name, []):
            for r in _repeat(dict(spec)):
                put(name, r)
    batches = []
    for name, spec in exports.items():
        tables = {t: model.to_table(model.TABLES[t], rows) for t, rows in grouped[name].items()}
        if not tables and "format" not in spec:
            continue
        batches.append(
            ImportBatch(
                source=name,
                format=spec.get("format", "case"),
                tables=tables,
                as_of=_utc(spec.get("as_of")),
                extent=spec.get("extent", "timeline"),
                metrics=tuple(spec["metrics"]) if "metrics" in spec else None,
            )
        )
    return batches


def real_path(case: dict[str, Any], data_root: Path | None) -> Path | None:
    """The real export a case reads (`real.path` under `data_root`), or None for a hand-made
    case; a CaseFailure when the case needs one and `data_root` is not given."""
    real = case.get("real")
    if not real:
        return None
    if data_root is None:
        raise CaseFailure(f"the case reads {real['path']}: give check_case a data_root")
    return Path(data_root) / real["path"]


def _threads(messages: Any, ids: list[str]) -> set[str]:
    """The ids of the reply trees that hold `ids`: each one, what is above it and below it."""
    parent = {
        i: p
        for i, p in zip(
            messages["id"].to_pylist(), messages["in_reply_to"].to_pylist(), strict=True
        )
        if p is not None
    }
    children: dict[str, list[str]] = {}
    for child, par in parent.items():
        children.setdefault(par, []).append(child)
    roots = set()
    for i in ids:
        seen = {i}
        while i in parent and parent[i] not in seen:
            i = parent[i]
            seen.add(i)
        roots.add(i)
    keep, stack = set(), list(roots)
    while stack:
        i = stack.pop()
        if i not in keep:
            keep.add(i)
            stack.extend(children.get(i, []))
    return keep


def _real_batch(case: dict[str, Any], path: Path) -> ImportBatch:
    """The real export read by the project's importer; with `threads`, only the reply trees
    that hold those message ids (and the accounts of the export)."""
    import pyarrow.compute as pc

    from .sources import read_path

    batch = read_path(path, case["real"].get("format"))
    ids = [str(i) for i in case["real"].get("threads", [])]
    if ids:
        msgs = batch.tables["messages"]
        missing = set(ids) - set(msgs["id"].to_pylist())
        if missing:
            raise CaseFailure(f"{path.name} holds no message {sorted(missing)}")
        keep = _threads(msgs, ids)
        batch.tables["messages"] = msgs.filter(pc.is_in(msgs["id"], pa.array(sorted(keep))))
    return batch


def build_workspace(
    root: Path, data: dict[str, Any], case: dict[str, Any], data_root: Path | None = None
) -> Workspace:
    """A workspace at `root` holding the case's messages, labels and other tables, and the real
    export it reads (`real`, under `data_root`)."""
    ws = Workspace.open(root)
    msgs = _messages(data, case)
    batches = _batches(case, msgs)
    real = real_path(case, data_root)
    if real is not None:
        batches.insert(0, _real_batch(case, real))
    if batches:
        ws.write_all(batches)
    for row in case.get("inbox_state", []):
        ws.replace_rows(
            "inbox_state",
            model.to_table(
                model.INBOX_STATE, [{"platform": "x", **row, "updated_at": datetime.now(UTC)}]
            ),
            source="case",
        )
    labelled = [m for m in msgs if any(k in m for k in LABEL_FIELDS)]
    if labelled:
        rows = [
            {
                "platform": m["platform"],
                "message_id": m["id"],
                "backend": BACKEND_NAME,
                "backend_version": BACKEND_VERSION,
                "sentiment": m.get("sentiment", "neutral"),
                "sentiment_score": m.get("sentiment_score", 0.0),
                "is_question": m.get("is_question", False),
                "is_complaint": m.get("is_complaint", False),
                "is_praise": m.get("is_praise", False),
                "intent": m.get("intent", "other"),
                "content_type": m.get("content_type", "other" if m["from_brand"] else None),
                "cues": "{}",
            }
            for m in labelled
        ]
        ws.replace_rows("labels", model.to_table(model.LABELS, rows))
    return ws


# -- judging the finding -------------------------------------------------------------------------


def _close(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return bool(actual == expected)
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and math.isclose(
            actual, expected, rel_tol=1e-6, abs_tol=1e-6
        )
    return bool(actual == expected)


def _expect(ok: bool, message: str) -> None:
    if not ok:
        raise CaseFailure(message)


def _check_subset(what: str, actual: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        _expect(key in actual, f"{what}: no {key!r} in {sorted(actual)}")
        _expect(
            _close(actual[key], value), f"{what}[{key!r}] = {actual[key]!r}, expected {value!r}"
        )


def check_case(
    root: Path,
    data: dict[str, Any],
    case: dict[str, Any],
    registry: Registry | None = None,
    data_root: Path | None = None,
) -> dict[str, Any]:
    """Build the case's workspace at `root`, audit it with the case's check only, and raise
    CaseFailure unless the finding is what `expect` says. Returns the finding as JSON. A case
    that reads a real export (`real`) finds it under `data_root`."""
    code = data["check"]
    config = dict(case.get("config", {}))
    if case.get("options"):
        config["checks"] = {**config.get("checks", {}), code: case["options"]}
    ws = build_workspace(root, data, case, data_root)
    try:
        result = run_audit(ws, parse_config(config), select=[code], registry=registry)
    finally:
        ws.close()
    [finding] = result.findings
    doc = finding.to_dict()
    json.dumps(doc)  # the finding must serialise as the JSON contract
    expect = case["expect"]
    _expect(finding.error is None, f"the check crashed: {finding.error}")
    _expect(
        doc["verdict"] == expect["verdict"],
        f"verdict {doc['verdict']}, expected {expect['verdict']}: {doc['message']} "
        f"{doc['figures']}",
    )
    if doc["verdict"] == "unknown":
        _expect(bool(doc["needs"]), "an unknown finding must say what to import")
    _expect(len(doc["evidence"]) <= EVIDENCE_LIMIT, "more evidence than EVIDENCE_LIMIT")
    _expect(doc["evidence_total"] >= len(doc["evidence"]), "evidence_total below the evidence")
    _check_subset("figures", doc["figures"], expect.get("figures", {}))
    _check_subset("thresholds", doc["thresholds"], expect.get("thresholds", {}))
    for acct, figures in expect.get("per_account", {}).items():
        _expect(acct in doc["per_account"], f"no account {acct!r} in {sorted(doc['per_account'])}")
        _check_subset(f"per_account[{acct!r}]", doc["per_account"][acct], figures)
    if "evidence_total" in expect:
        _expect(
            doc["evidence_total"] == expect["evidence_total"],
            f"evidence_total {doc['evidence_total']}, expected {expect['evidence_total']}",
        )
    if "evidence_ids" in expect:
        ids = [e["message_id"] for e in doc["evidence"] if "message_id" in e]
        _expect(
            ids == expect["evidence_ids"], f"evidence ids {ids}, expected {expect['evidence_ids']}"
        )
    for i, item in enumerate(expect.get("evidence", [])):
        _expect(i < len(doc["evidence"]), f"only {len(doc['evidence'])} evidence items")
        _check_subset(f"evidence[{i}]", doc["evidence"][i], item)
    if "message_contains" in expect:
        _expect(
            expect["message_contains"] in doc["message"],
            f"message {doc['message']!r} lacks {expect['message_contains']!r}",
        )
    if "needs_contains" in expect:
        _expect(
            any(expect["needs_contains"] in n for n in doc["needs"]),
            f"needs {doc['needs']} lack {expect['needs_contains']!r}",
        )
    return doc


# -- completeness ----------------------------------------------------------------------------------


def doc_problems(check: type[Check]) -> list[str]:
    """What a check's metadata lacks: the doc's headings, sources, advice, a known area and
    severity, a reason and a valid default for every option."""
    from .checks import AREAS

    problems = [f"doc lacks {h!r}" for h in DOC_HEADINGS if h not in check.doc]
    if not (check.seeds or check.references):
        problems.append("no sources (seeds or references)")
    if not check.advice.strip():
        problems.append("no advice")
    if check.area not in AREAS:
        problems.append(f"unknown area {check.area!r}")
    if check.severity not in ("high", "medium", "low"):
        problems.append(f"unknown severity {check.severity!r}")
    for option in check.options:
        if not option.reason.strip():
            problems.append(f"option {option.name} has no reason")
        try:
            valid = option.validate(option.default) == option.default
        except ValueError:
            valid = False
        if not valid:
            problems.append(f"option {option.name}: the default is not valid")
    return problems


def missing_verdicts(check: type[Check], cases: Iterable[dict[str, Any]]) -> list[str]:
    """Which of a pass, a fail-or-warn and an unknown case the check's case files lack."""
    verdicts = {
        case["expect"]["verdict"]
        for data in cases
        if data.get("check") == check.code
        for case in data.get("case", [])
    }
    return [
        label
        for label, ok in (
            ("pass", "pass" in verdicts),
            ("fail or warn", bool(verdicts & {"fail", "warn"})),
            ("unknown", "unknown" in verdicts),
        )
        if not ok
    ]
