"""The settled gold files of the twice-labelled sets against their two labellers' files: where
the labellers agree the gold keeps their label; where they differ it says who was followed."""

import json
from pathlib import Path

import pytest

LABELLED = Path(__file__).resolve().parents[1] / "labelled"
INBOUND = ("question", "complaint", "praise")
SETS = [
    ("batch3/gold.jsonl", "batch3/labeller-a.jsonl", "batch3/labeller-b.jsonl", ("content_type",)),
    ("batch4/gold.jsonl", "batch4/labeller-a.jsonl", "batch4/labeller-b.jsonl", ("content_type",)),
    ("batch6/gold.jsonl", "batch6/labeller-a.jsonl", "batch6/labeller-b.jsonl", ("content_type",)),
    (
        "batch5/gold.jsonl",
        "batch5/labeller-a.jsonl",
        "batch5/labeller-b.jsonl",
        (*INBOUND, "lang"),
    ),
    (
        "pool-intent/labels.jsonl",
        "pool-intent/labeller-a.jsonl",
        "pool-intent/labeller-b.jsonl",
        INBOUND,
    ),
    (
        "pool-intent/held-apart.jsonl",
        "pool-intent/held-apart-labeller-a.jsonl",
        "pool-intent/held-apart-labeller-b.jsonl",
        INBOUND,
    ),
]


def _rows(name: str) -> dict[tuple[str, str], dict]:
    lines = (LABELLED / name).read_text(encoding="utf-8").splitlines()
    return {(r["platform"], r["id"]): r for r in map(json.loads, lines)}


@pytest.mark.parametrize(("gold", "first", "second", "fields"), SETS)
def test_gold_is_settled_between_the_labellers(
    gold: str, first: str, second: str, fields: tuple[str, ...]
) -> None:
    g, a, b = _rows(gold), _rows(first), _rows(second)
    assert g.keys() == a.keys() == b.keys()
    assert {r["labeller"] for r in a.values()} == {"a"}
    assert {r["labeller"] for r in b.values()} == {"b"}
    disagreeing = 0
    for key, row in g.items():
        assert row["split"] == a[key]["split"] == b[key]["split"]
        differ = [f for f in fields if a[key][f] != b[key][f]]
        assert sorted(row.get("settled", {})) == sorted(differ), key
        for f in fields:
            if f not in differ:
                assert row[f] == a[key][f], (key, f)
                continue
            who = row["settled"][f]
            assert who in ("a", "b", "new"), (key, f)
            if who != "new":
                assert row[f] == {"a": a, "b": b}[who][key][f], (key, f)
        if differ:
            disagreeing += 1
            assert row["reason"].strip()
    assert disagreeing > 0
