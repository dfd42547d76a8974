"""Golden outputs: the whole audit JSON of the demo brand, of a real X archive and of the real
multi-brand TWCS slice (75 brand accounts, customer care at scale), compared byte for byte with
snapshots committed under tests/golden/.

A refactor must not change a verdict, a figure, a per-account figure, an evidence id or a
message without saying so: any difference fails here with the paths that changed. When a change
is deliberate, regenerate the snapshots with `SOCIALAUDIT_UPDATE_GOLDEN=1 pytest
tests/test_golden.py` and say in the commit why each difference is right.

Only what depends on the day the test runs or on where it runs is normalised: the audit's
`generated_at`, the workspace path, and the figures and notes that count days up to today
(SA201 says how long ago the audit date was, so an old export is never mistaken for a live
account). Everything else, chart series included, is compared as the CLI writes it.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import shared_path

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("SOCIALAUDIT_UPDATE_GOLDEN") == "1"
TODAY_NOTE = re.compile(r"-?\d+(?:\.\d+)? days before today")


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    """The audit document with the run's time, place and today-relative figures replaced."""
    doc = dict(doc)
    doc["generated_at"] = "<generated_at>"
    doc["workspace"] = "<workspace>"

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: ("<today>" if k.endswith("_today") and v is not None else walk(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, str):
            return TODAY_NOTE.sub("<n> days before today", value)
        return value

    return walk(doc)


def as_text(doc: dict[str, Any]) -> str:
    return json.dumps(normalise(doc), indent=2, ensure_ascii=False) + "\n"


def differences(old: Any, new: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ, as 'path: old -> new' lines (first 40)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in list(old) + [k for k in new if k not in old]:
            if k not in new:
                out.append(f"{path}.{k}: removed")
            elif k not in old:
                out.append(f"{path}.{k}: added {json.dumps(new[k])[:120]}")
            else:
                out += differences(old[k], new[k], f"{path}.{k}")
        if not out and list(old) != list(new):
            out.append(f"{path}: keys reordered {list(old)} -> {list(new)}")
        return out
    if isinstance(old, list) and isinstance(new, list):
        out = []
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            out += differences(a, b, f"{path}[{i}]")
        if len(old) != len(new):
            out.append(f"{path}: {len(old)} items -> {len(new)}")
        return out
    if old != new or type(old) is not type(new):
        return [f"{path}: {json.dumps(old)[:120]} -> {json.dumps(new)[:120]}"]
    return []


def check_golden(name: str, doc: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = as_text(doc)
    if UPDATE or not path.exists():
        if os.environ.get("CI") == "true" and not path.exists():
            pytest.fail(f"{path} is missing: golden snapshots are committed, never made in CI")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"{path} did not exist and was written; commit it and run again")
        return
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = differences(json.loads(expected), json.loads(text))
        shown = "\n".join(diff[:40]) or "(same values, different bytes: key order or formatting)"
        more = f"\n... and {len(diff) - 40} more" if len(diff) > 40 else ""
        pytest.fail(
            f"the audit JSON differs from {path.name} ({len(diff)} differences):\n{shown}{more}\n"
            "If the change is deliberate, regenerate with SOCIALAUDIT_UPDATE_GOLDEN=1 and say why "
            "in the commit.",
            pytrace=False,
        )


def test_the_demo_audit_is_unchanged(cli, tmp_path: Path) -> None:
    code, out, err = cli("demo", "--workspace", str(tmp_path / "demo"), "--format", "json")
    assert code == 0, err
    check_golden("demo", json.loads(out))


@pytest.mark.realdata
def test_an_x_archive_audit_is_unchanged(cli, tmp_path: Path) -> None:
    export = shared_path("export_x_archive", "andreruffert")
    ws = str(tmp_path / "ws")
    code, _, err = cli("import", str(export), "--workspace", ws)
    assert code == 0, err
    code, out, err = cli("audit", "--format", "json", "--no-save", "--workspace", ws)
    assert code in (0, 1), err
    check_golden("x_archive_andreruffert", json.loads(out))


@pytest.mark.realdata
def test_a_multibrand_twcs_audit_is_unchanged(cli, tmp_path: Path) -> None:
    # The care checks' figures and evidence over many brands and reply trees: what a
    # performance change (pushdown, cached conversations, incremental audits) must not move.
    export = shared_path("twcs", "twcs_head5000_multibrand.csv")
    ws = str(tmp_path / "ws")
    code, _, err = cli("import", str(export), "--workspace", ws)
    assert code == 0, err
    code, out, err = cli("audit", "--format", "json", "--no-save", "--workspace", ws)
    assert code in (0, 1), err
    check_golden("twcs_multibrand", json.loads(out))


def test_the_comparison_names_what_changed() -> None:
    old = {"findings": [{"code": "SA101", "figures": {"n": 3}, "evidence": [{"id": "a"}]}]}
    new = {"findings": [{"code": "SA101", "figures": {"n": 4}, "evidence": []}]}
    assert differences(old, new) == [
        "$.findings[0].figures.n: 3 -> 4",
        "$.findings[0].evidence: 1 items -> 0",
    ]
    assert differences({"a": 1, "b": 2}, {"b": 2, "a": 1}) == [
        "$: keys reordered ['a', 'b'] -> ['b', 'a']"
    ]
    assert differences({"v": 1}, {"v": 1.0}) == ["$.v: 1 -> 1.0"]
    assert normalise({"generated_at": "x", "workspace": "/w", "f": {"d_today": 3.5}}) == {
        "generated_at": "<generated_at>",
        "workspace": "<workspace>",
        "f": {"d_today": "<today>"},
    }
