"""Table-driven tests of every check: data in, verdict and figures out.

Each file in tests/checks/cases/ holds the cases of one check (`check = "SA203"`), in TOML:

```toml
check = "SA203"

[defaults.message]            # merged into every message of every case in the file
platform = "mastodon"

[[case]]
name = "weekly posting passes"
options = { warn_gap_days = 10 }         # [checks.SA203] options
config = { checks = { as_of = "2024-04-01" } }   # other socialaudit.toml settings
expect = { verdict = "pass", figures = { max_gap_days = 7.0 } }

[[case.messages]]             # one message; defaults below
created_at = 2024-01-01T09:00:00Z
text = "hello"
content_type = "promotion"    # label fields are written to the labels table as given

[[case.series]]               # `count` messages, `every_hours` (or `every_minutes`) apart
start = 2024-01-01T09:00:00Z
every_hours = 168
count = 12
```

Message defaults: platform "x", account "acme", from_brand true, kind "post", author = the
account for the brand and "customer" otherwise, id "m1", "m2", ... in file order. Label fields
(content_type, intent, is_question, is_complaint, is_praise, sentiment, sentiment_score) are
written as the labels of that message; messages without them are labelled by text
understanding. Other tables: `accounts`, `follows`, `audience`, `acknowledgements`, `costs`,
`conversions` (rows as in model.py); a row with `repeat = n` stands for n rows, with "{i}" in its
strings numbered 1..n and `created_at` stepped by `every_hours` / `every_minutes`.

`expect` keys: verdict; figures, thresholds (subsets, numbers compared to 1e-6); per_account
({account: {figure: value}}); evidence_total; evidence_ids (message ids of the evidence, in
order); evidence (partial dicts, matched in order); message_contains; needs_contains.
TOML has no null: the string "__null__" stands for it, in data and in expectations.
"""

from __future__ import annotations

import json
import math
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socialaudit import model
from socialaudit.audit import run_audit
from socialaudit.checks import EVIDENCE_LIMIT, load_registry
from socialaudit.config import parse_config
from socialaudit.workspace import ImportBatch, Workspace

CASES_DIR = Path(__file__).parent / "checks" / "cases"
LABEL_FIELDS = (
    "content_type",
    "intent",
    "is_question",
    "is_complaint",
    "is_praise",
    "sentiment",
    "sentiment_score",
)
TABLE_KEYS = ("accounts", "follows", "audience", "acknowledgements", "costs", "conversions")


NULL = "__null__"


def _nulls(value: Any) -> Any:
    if value == NULL:
        return None
    if isinstance(value, dict):
        return {k: _nulls(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nulls(v) for v in value]
    return value


def _case_files() -> list[tuple[Path, dict[str, Any]]]:
    return [
        (f, _nulls(tomllib.loads(f.read_text(encoding="utf-8"))))
        for f in sorted(CASES_DIR.glob("*.toml"))
    ]


def _params() -> list[Any]:
    out = []
    for _path, data in _case_files():
        for case in data.get("case", []):
            out.append(pytest.param(data, case, id=f"{data['check']}:{case['name']}"))
    return out


def _utc(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


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
        for i in range(count):
            add({**series, "id": f"{prefix}{i + 1}", "created_at": start + i * step})
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
        row = {
            k: v.replace("{i}", str(i + 1)) if isinstance(v, str) else v for k, v in spec.items()
        }
        if row.get("created_at") is not None:
            row["created_at"] = row["created_at"] + i * step
        out.append(row)
    return out


def build_workspace(root: Path, data: dict[str, Any], case: dict[str, Any]) -> Workspace:
    ws = Workspace.open(root)
    msgs = _messages(data, case)
    tables: dict[str, Any] = {}
    if msgs:
        tables["messages"] = model.to_table(
            model.MESSAGES, [{k: v for k, v in m.items() if k not in LABEL_FIELDS} for m in msgs]
        )
    for name in TABLE_KEYS:
        if case.get(name):
            rows = [r for spec in case[name] for r in _repeat(spec)]
            tables[name] = model.to_table(model.TABLES[name], rows)
    if tables:
        ws.write(ImportBatch(source="case", format="case", tables=tables))
    labelled = [m for m in msgs if any(k in m for k in LABEL_FIELDS)]
    if labelled:
        from socialaudit.text import BACKEND_NAME, BACKEND_VERSION

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


def _close(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return actual == expected
    if isinstance(expected, int | float):
        return isinstance(actual, int | float) and math.isclose(
            actual, expected, rel_tol=1e-6, abs_tol=1e-6
        )
    return actual == expected


def _check_subset(what: str, actual: dict[str, Any], expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        assert key in actual, f"{what}: no {key!r} in {sorted(actual)}"
        assert _close(actual[key], value), f"{what}[{key!r}] = {actual[key]!r}, expected {value!r}"


@pytest.mark.parametrize(("data", "case"), _params())
def test_case(tmp_path: Path, data: dict[str, Any], case: dict[str, Any]) -> None:
    code = data["check"]
    config = dict(case.get("config", {}))
    if case.get("options"):
        config["checks"] = {**config.get("checks", {}), code: case["options"]}
    ws = build_workspace(tmp_path / "ws", data, case)
    try:
        result = run_audit(ws, parse_config(config), select=[code])
    finally:
        ws.close()
    [finding] = result.findings
    doc = finding.to_dict()
    json.dumps(doc)  # the finding must serialise as the JSON contract
    expect = case["expect"]
    assert finding.error is None, finding.error
    assert doc["verdict"] == expect["verdict"], (
        f"{doc['verdict']}: {doc['message']} {doc['figures']}"
    )
    if doc["verdict"] == "unknown":
        assert doc["needs"], "an unknown finding must say what to import"
    assert len(doc["evidence"]) <= EVIDENCE_LIMIT
    assert doc["evidence_total"] >= len(doc["evidence"])
    _check_subset("figures", doc["figures"], expect.get("figures", {}))
    _check_subset("thresholds", doc["thresholds"], expect.get("thresholds", {}))
    for acct, figures in expect.get("per_account", {}).items():
        assert acct in doc["per_account"], f"no account {acct!r} in {sorted(doc['per_account'])}"
        _check_subset(f"per_account[{acct!r}]", doc["per_account"][acct], figures)
    if "evidence_total" in expect:
        assert doc["evidence_total"] == expect["evidence_total"]
    if "evidence_ids" in expect:
        ids = [e["message_id"] for e in doc["evidence"] if "message_id" in e]
        assert ids == expect["evidence_ids"]
    for i, item in enumerate(expect.get("evidence", [])):
        assert i < len(doc["evidence"]), f"only {len(doc['evidence'])} evidence items"
        _check_subset(f"evidence[{i}]", doc["evidence"][i], item)
    if "message_contains" in expect:
        assert expect["message_contains"] in doc["message"]
    if "needs_contains" in expect:
        assert any(expect["needs_contains"] in n for n in doc["needs"]), doc["needs"]


# -- completeness: every registered check is documented, optioned and covered by cases -----------

REGISTRY = load_registry()
DOC_HEADINGS = ("## What it detects", "## Why it matters", "## Example")


def _covered() -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for _, data in _case_files():
        for case in data.get("case", []):
            seen.setdefault(data["check"], set()).add(case["expect"]["verdict"])
    return seen


@pytest.mark.parametrize("check", REGISTRY.all(), ids=lambda c: c.code)
def test_check_is_documented(check: type) -> None:
    assert not REGISTRY.load_errors, REGISTRY.load_errors
    for heading in DOC_HEADINGS:
        assert heading in check.doc, f"{check.code}: doc lacks {heading!r}"
    assert check.seeds, f"{check.code}: no seed files cited (## Sources)"
    assert check.advice.strip(), f"{check.code}: no advice"
    assert check.area in ("care", "presence", "content", "audience", "money", "plan")
    assert check.severity in ("high", "medium", "low")
    for option in check.options:
        assert option.reason.strip(), f"{check.code}: option {option.name} has no reason"
        assert option.validate(option.default) == option.default, (
            f"{check.code}: {option.name} default invalid"
        )
    full = check.full_doc()
    assert "## Sources" in full
    if check.options:
        assert "## Options" in full


@pytest.mark.parametrize("check", REGISTRY.all(), ids=lambda c: c.code)
def test_check_has_cases(check: type) -> None:
    verdicts = _covered().get(check.code, set())
    missing = [
        label
        for label, ok in (
            ("pass", "pass" in verdicts),
            ("fail or warn", bool(verdicts & {"fail", "warn"})),
            ("unknown", "unknown" in verdicts),
        )
        if not ok
    ]
    assert not missing, f"{check.code}: tests/checks/cases/ has no {', '.join(missing)} case"
