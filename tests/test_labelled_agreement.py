"""scripts/labelled_agreement.py: agreement of two labellers, on files with and without `lang`."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "labelled_agreement.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("labelled_agreement", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _row(i: int, q: bool, c: bool, p: bool, lang: str | None = None) -> dict:
    row = {"set": "inbound", "platform": "x", "id": str(i), "question": q, "complaint": c}
    row["praise"] = p
    if lang is not None:
        row["lang"] = lang
    return row


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# question: a T T F F / b T F F F -> 75 %, kappa 0.5; complaint the same in both; praise differs
# once on four; needs an answer (question or complaint) differs on message 1 only.
A = [_row(0, True, True, False), _row(1, True, False, True)]
A += [_row(2, False, False, False), _row(3, False, True, False)]
B = [_row(0, True, True, False), _row(1, False, False, True)]
B += [_row(2, False, False, True), _row(3, False, True, False)]


def _table(out: str) -> dict[str, tuple[int, str, str]]:
    rows = {}
    for line in out.splitlines()[2:]:
        _, field, n, agree, k = (c.strip() for c in line.strip("|").split("|"))
        rows[field] = (int(n), agree, k)
    return rows


def _run(*args: Path | str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(SCRIPT), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def test_rows_without_lang_score_the_fields_they_have(tmp_path: Path) -> None:
    mod = _load()
    a = {(r["set"], r["platform"], r["id"]): r for r in A}
    b = {(r["set"], r["platform"], r["id"]): r for r in B}
    got = {field: (n, agree, k) for _, field, n, agree, k in mod.agreement(a, b)}
    assert set(got) == {"question", "complaint", "praise", "needs_answer"}
    assert got["question"] == (4, 0.75, pytest.approx(0.5))
    assert got["complaint"] == (4, 1.0, 1.0)
    assert got["praise"][1] == 0.75
    assert got["needs_answer"][:2] == (4, 0.75)


def test_lang_is_scored_when_both_files_have_it() -> None:
    mod = _load()
    a = {("inbound", "x", str(i)): _row(i, True, False, False, "en") for i in range(3)}
    b = {
        ("inbound", "x", str(i)): _row(i, True, False, False, "es" if i else "en") for i in range(3)
    }
    got = {field: agree for _, field, _, agree, _ in mod.agreement(a, b)}
    assert got["lang"] == pytest.approx(1 / 3)
    # one file without lang: the label is left out rather than failing
    b_nolang = {k: {f: v for f, v in r.items() if f != "lang"} for k, r in b.items()}
    assert "lang" not in {field for _, field, *_ in mod.agreement(a, b_nolang)}


def test_cli_writes_disagreements_of_files_without_lang(tmp_path: Path) -> None:
    first, second = _write(tmp_path / "a.jsonl", A), _write(tmp_path / "b.jsonl", B)
    out = tmp_path / "d.jsonl"
    proc = _run(first, second, "--disagreements", out)
    assert proc.returncode == 0, proc.stderr
    table = _table(proc.stdout)
    assert table["question"] == (4, "75.0%", "0.50")
    assert "lang" not in table
    diffs = {d["key"][2]: d["fields"] for d in map(json.loads, out.read_text().splitlines())}
    assert diffs == {"1": ["question"], "2": ["praise"]}


def test_cli_refuses_files_of_different_messages(tmp_path: Path) -> None:
    first, second = _write(tmp_path / "a.jsonl", A), _write(tmp_path / "b.jsonl", B[:3])
    proc = _run(first, second)
    assert proc.returncode == 2
    assert "different messages" in proc.stdout


def test_batch2_table_is_the_published_one() -> None:
    """The committed batch-2 labellers still give labelled/README.md's agreement table."""
    batch2 = ROOT / "labelled" / "batch2"
    proc = _run(batch2 / "labeller-a.jsonl", batch2 / "labeller-b.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert _table(proc.stdout) == {
        "question": (300, "74.7%", "0.44"),
        "complaint": (300, "96.7%", "0.93"),
        "praise": (300, "99.0%", "0.97"),
        "lang": (300, "99.3%", "0.93"),
        "needs_answer": (300, "96.3%", "0.93"),
    }


def test_batch5_table_is_the_published_one() -> None:
    """The committed batch-5 labellers give labelled/batch5/README.md's agreement table."""
    batch5 = ROOT / "labelled" / "batch5"
    proc = _run(batch5 / "labeller-a.jsonl", batch5 / "labeller-b.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert _table(proc.stdout) == {
        "question": (300, "95.0%", "0.90"),
        "complaint": (300, "98.0%", "0.96"),
        "praise": (300, "98.0%", "0.94"),
        "lang": (300, "99.0%", "0.85"),
        "needs_answer": (300, "96.7%", "0.93"),
    }
