#!/usr/bin/env python3
"""The unlabelled pool of inbound care messages that rules are written from (issue 11).

Every inbound message (mention, reply, comment, direct; non-empty text) of the TWCS multibrand
slice and the SpotifyCares requests that is in no labelled sample (batch 1, batch 2) and whose
text (lower case, white space collapsed) equals the text of no holdout message, deduplicated (a
message in both files counts once, under the multibrand file). Each message gets a `half`, A or B,
by a hash of its id of its own (not the tune/holdout hash): rules are written while reading A,
and B and the tune splits are checked for getting worse.

The pool holds texts, so it is written outside the repository (the texts stay in ../shared/data
under their licences); labels of pool messages made by hand go in labelled/pool-intent/ as ids
and labels only.

    .venv/bin/python scripts/labelled_pool.py /tmp/pool.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from labelled_sample import DATA, INBOUND_KINDS, INBOUND_SOURCES, import_export, rows  # noqa: E402

SAMPLES = (ROOT / "labelled" / "sample.jsonl", ROOT / "labelled" / "batch2" / "sample.jsonl")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def text_key(text: str | None) -> str:
    """A text as compared with the holdout texts: lower case, white space collapsed."""
    return " ".join((text or "").lower().split())


def half_of(platform: str, message_id: str) -> str:
    digest = hashlib.sha256(f"pool:{platform}:{message_id}".encode()).digest()
    return "A" if digest[0] % 2 == 0 else "B"


def build_pool() -> tuple[list[dict], int]:
    """The pool's messages and how many were left out for equalling a holdout text."""
    sampled = [r for path in SAMPLES for r in _read_jsonl(path)]
    in_a_sample = {(r["platform"], r["id"]) for r in sampled if r["set"] == "inbound"}
    holdout = {(r["platform"], r["id"]) for r in sampled if r["split"] == "holdout"}
    holdout_texts: set[str] = set()  # held in memory only, never written or printed
    found: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel, *_ in INBOUND_SOURCES:
            con = import_export(DATA / rel, Path(tmp) / name)
            for platform, message_id, text in con.execute(
                "select platform, id, text from messages"
            ).fetchall():
                if (platform, message_id) in holdout:
                    holdout_texts.add(text_key(text))
            found += [(name, r) for r in rows(con, False, INBOUND_KINDS)]
            con.close()
    pool, seen, dropped = [], set(), 0
    for name, r in found:
        key = (r["platform"], r["id"])
        if key in in_a_sample or key in seen:
            continue
        seen.add(key)
        if text_key(r["text"]) in holdout_texts:
            dropped += 1
            continue
        pool.append(
            {
                "source": name,
                "platform": r["platform"],
                "id": r["id"],
                "kind": r["kind"],
                "half": half_of(r["platform"], r["id"]),
                "is_reply": r["kind"] in ("reply", "comment", "direct"),
                "text": r["text"],
                "parent_text": r["parent_text"],
            }
        )
    return pool, dropped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="where to write the pool (outside the repository)")
    args = ap.parse_args()
    pool, dropped = build_pool()
    with args.out.open("w", encoding="utf-8") as f:
        for item in pool:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    half_a = sum(p["half"] == "A" for p in pool)
    print(
        f"{args.out}: {len(pool)} messages (A {half_a}, B {len(pool) - half_a}); "
        f"{dropped} left out for equalling a holdout text",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
