#!/usr/bin/env python3
"""Agreement between two labellers of the real labelled sets: percent agreement and Cohen's kappa
per label, and the list of disagreements to settle.

    .venv/bin/python scripts/labelled_agreement.py labelled/labeller-a.jsonl labelled/labeller-b.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

INBOUND_FIELDS = ("question", "complaint", "praise", "lang")
POST_FIELDS = ("content_type", "lang")


def read(path: Path) -> dict[tuple[str, str, str], dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return {(r["set"], r["platform"], r["id"]): r for r in rows}


def kappa(pairs: list[tuple[object, object]]) -> float:
    """Cohen's kappa of two raters over the same items."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    ca = Counter(a for a, _ in pairs)
    cb = Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def shared_fields(a: dict, b: dict, keys: list, fields: tuple[str, ...]) -> tuple[str, ...]:
    """The fields every row of both files has among `keys` (pool-intent and batch 3 have no lang)."""
    return tuple(f for f in fields if all(f in a[k] and f in b[k] for k in keys))


def agreement(a: dict, b: dict) -> list[tuple[str, str, int, float, float]]:
    """(set, field, n, percent agreement, kappa) per label both files have."""
    out = []
    for set_name, all_fields in (("inbound", INBOUND_FIELDS), ("posts", POST_FIELDS)):
        keys = [k for k in a if k[0] == set_name and k in b]
        if not keys:
            continue  # a batch of inbound messages only (batch 2) has no posts
        fields = shared_fields(a, b, keys, all_fields)
        for field in fields:
            pairs = [(a[k][field], b[k][field]) for k in keys]
            agree = sum(x == y for x, y in pairs) / len(pairs)
            out.append((set_name, field, len(pairs), agree, kappa(pairs)))
        if set_name == "inbound" and {"question", "complaint"} <= set(fields):
            pairs = [
                (a[k]["question"] or a[k]["complaint"], b[k]["question"] or b[k]["complaint"])
                for k in keys
            ]
            agree = sum(x == y for x, y in pairs) / len(pairs)
            out.append((set_name, "needs_answer", len(pairs), agree, kappa(pairs)))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=Path)
    ap.add_argument("second", type=Path)
    ap.add_argument("--disagreements", type=Path, help="write the disagreeing rows here")
    args = ap.parse_args()
    a, b = read(args.first), read(args.second)
    if set(a) != set(b):
        print(f"the two files label different messages ({len(set(a) ^ set(b))} differ)")
        return 2
    print("| set | label | n | agreement | Cohen's kappa |")
    print("|---|---|---|---|---|")
    for set_name, field, n, agree, k in agreement(a, b):
        print(f"| {set_name} | {field} | {n} | {agree:.1%} | {k:.2f} |")
    if args.disagreements:
        with args.disagreements.open("w", encoding="utf-8") as f:
            for key, ra in a.items():
                rb = b[key]
                fields = INBOUND_FIELDS if key[0] == "inbound" else POST_FIELDS
                diff = [x for x in fields if x in ra and x in rb and ra[x] != rb[x]]
                if diff:
                    f.write(json.dumps({"key": key, "fields": diff, "a": ra, "b": rb}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
