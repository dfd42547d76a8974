"""scripts/labelled_agreement.py: agreement and Cohen's kappa between two labellers, compared on
the fields both files give (the pool-intent rows have no `lang`)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "labelled_agreement.py"


def _load():
    spec = importlib.util.spec_from_file_location("labelled_agreement", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


agreement_script = _load()


def _row(i: int, q: bool, c: bool, p: bool, **extra: object) -> dict:
    row = {"set": "inbound", "platform": "x", "id": str(i)}
    row.update(question=q, complaint=c, praise=p, **extra)
    return row


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# Four messages; the two labellers differ on question for message 3 and on praise for message 4.
FIRST = [
    _row(1, True, True, False),
    _row(2, False, False, True),
    _row(3, True, False, False),
    _row(4, False, True, False),
]
SECOND = [
    _row(1, True, True, False),
    _row(2, False, False, True),
    _row(3, False, False, False),
    _row(4, False, True, True),
]


def _keyed(rows: list[dict]) -> dict:
    return {(r["set"], r["platform"], r["id"]): r for r in rows}


def test_rows_without_lang_are_compared_on_the_other_fields() -> None:
    table = {
        field: (n, agree, k)
        for _, field, n, agree, k in agreement_script.agreement(_keyed(FIRST), _keyed(SECOND))
    }
    assert set(table) == {"question", "complaint", "praise", "needs_answer"}
    n, agree, k = table["question"]
    assert n == 4 and agree == pytest.approx(0.75)
    # first: 2 yes / 2 no; second: 1 yes / 3 no; expected agreement (2*1 + 2*3) / 16 = 0.5
    assert k == pytest.approx((0.75 - 0.5) / 0.5)
    assert table["complaint"][1:] == (1.0, 1.0)
    # praise: first 1 yes / 3 no, second 2 yes / 2 no: expected (1*2 + 3*2) / 16 = 0.5
    assert table["praise"][2] == pytest.approx(0.5)
    # needs an answer: message 3 is yes for the first (question) and no for the second
    assert table["needs_answer"][1] == pytest.approx(0.75)


def test_lang_is_compared_when_both_files_have_it() -> None:
    first = [dict(r, lang="en") for r in FIRST]
    second = [dict(r, lang="en" if r["id"] != "2" else "es") for r in SECOND]
    fields = [f for _, f, *_ in agreement_script.agreement(_keyed(first), _keyed(second))]
    assert fields == ["question", "complaint", "praise", "lang", "needs_answer"]
    # one file without lang: lang is left out rather than failing on a missing key
    fields = [f for _, f, *_ in agreement_script.agreement(_keyed(first), _keyed(SECOND))]
    assert "lang" not in fields


def test_cli_table_and_disagreements_without_lang(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.jsonl", FIRST)
    second = _write(tmp_path / "b.jsonl", SECOND)
    out = tmp_path / "disagreements.jsonl"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(first), str(second), "--disagreements", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "| inbound | question | 4 | 75.0% | 0.50 |" in done.stdout
    assert "lang" not in done.stdout
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["key"][2], r["fields"]) for r in rows] == [("3", ["question"]), ("4", ["praise"])]


@pytest.mark.parametrize("batch", ["batch2", "batch5"])
def test_batch_table_is_the_published_one(batch: str) -> None:
    """Batches 2 and 5 have lang: each table is the one its section of labelled/README.md gives."""
    done = subprocess.run(
        [
            sys.executable,
            str(SCRIPT),
            str(ROOT / "labelled" / batch / "labeller-a.jsonl"),
            str(ROOT / "labelled" / batch / "labeller-b.jsonl"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    readme = (ROOT / "labelled" / "README.md").read_text(encoding="utf-8")
    section = readme.split(f"## Batch {batch[-1]}:", 1)[1].split("\n## ", 1)[0]
    published = {
        line
        for line in section.splitlines()
        if line.startswith("| inbound |") and "| 300 |" in line
    }
    printed = {
        line.replace("needs_answer", "needs an answer (question or complaint)")
        for line in done.stdout.splitlines()[2:]
    }
    assert len(printed) == 5 and printed == published
