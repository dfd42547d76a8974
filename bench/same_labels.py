"""Whether a change to the rules backend's machinery left every label as it was.

Labels a fixed set of real texts from shared/data (TWCS multibrand and SpotifyCares, inbound and
the brands' replies; the US airline, TweetEval, Preotiuc and Rigaut tweets; the brand replies of
the Ericsson files; the X archives' and the Mastodon outbox's own posts) with `text.classify`,
in four contexts (default; brand texts as replies of an account that does no care; as own posts
continuing a thread; as photo captions), and either saves every label column or compares every
column (labels, scores, confidence, cues, lang) with a saved run, row by row:

    PYTHONPATH=$PWD/src .venv/bin/python bench/same_labels.py --save /tmp/before.parquet
    ... change the machinery ...
    PYTHONPATH=$PWD/src .venv/bin/python bench/same_labels.py --against /tmp/before.parquet

It prints the rows compared and, for each column that differs, how many rows and a few of them;
it exits 1 when anything differs. No truth labels are read: only the tool's labels, before and
after.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"

from socialaudit import text  # noqa: E402


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read(path), newline="")))


def texts() -> tuple[list[str], list[bool]]:
    """(text, from_brand) of every text in the fixed set, in a fixed order."""
    out: list[tuple[str, bool]] = []
    for name in ("twcs_head5000_multibrand.csv", "spotifycares_support_requests.csv"):
        out += [(r["text"], r["inbound"] != "True") for r in _csv(DATA / "twcs" / name)]
    p = DATA / "twitter_us_airline_sentiment" / "Tweets_train70.csv"
    out += [(r["text"], False) for r in _csv(p)]
    for split in ("val", "test"):
        p = DATA / "tweeteval" / "sentiment" / f"{split}_text.txt"
        out += [(t, False) for t in _read(p).splitlines()]
    p = DATA / "complaints_preotiuc2019" / "complaints-data_train70.csv"
    out += [(r[1], False) for r in csv.reader(io.StringIO(_read(p), newline=""))]
    for name in ("airlines_set1", "airlines_set2", "telecom_set1", "telecom_set2"):
        p = DATA / "complaints_rigaut_airline_telecom" / f"{name}_finalLabels.csv"
        out += [(r["text"], False) for r in _csv(p)]
    for brand in ("AmazonHelp", "AppleSupport", "SpotifyCares"):
        p = DATA / "twcs_topic_labels_ericsson" / f"twcs-{brand}-100-outbound.csv"
        out += [(r["text"], True) for r in _csv(p)]
    for account in sorted((DATA / "export_x_archive").glob("*/data/tweets.js")):
        raw = account.read_text(encoding="utf-8")
        items = json.loads(raw[raw.index("[") :])
        out += [(it["tweet"]["full_text"], True) for it in items]
    for outbox in sorted((DATA / "export_mastodon_outbox").glob("*/outbox.json")):
        for item in json.loads(outbox.read_text(encoding="utf-8")).get("orderedItems", []):
            obj = item.get("object")
            if isinstance(obj, dict) and isinstance(obj.get("content"), str):
                out.append((re.sub(r"<[^>]+>", " ", obj["content"]), True))
    return [t for t, _ in out], [b for _, b in out]


def labels() -> pa.Table:
    body, brand = texts()
    n = len(body)
    runs = [
        ("default", {}),
        ("chat replies", {"is_reply": [True] * n, "care_account": [False] * n}),
        ("thread", {"thread_type": ["expertise"] * n, "care_account": [False] * n}),
        ("media", {"media": [True] * n, "care_account": [False] * n}),
    ]
    parts = []
    for name, kw in runs:
        t = text.classify(body, brand, workers=1, **kw)
        t = t.append_column("run", pa.repeat(pa.scalar(name), n))
        parts.append(t.append_column("row", pa.array(range(n), pa.int64())))
    return pa.concat_tables(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--save", type=Path, help="write the labels to this parquet file")
    g.add_argument("--against", type=Path, help="compare with the labels saved in this file")
    args = ap.parse_args()
    now = labels()
    if args.save:
        pq.write_table(now, args.save)
        print(f"{now.num_rows:,} rows saved to {args.save}")
        return
    before = pq.read_table(args.against)
    if before.num_rows != now.num_rows:
        sys.exit(f"{before.num_rows:,} rows saved, {now.num_rows:,} now")
    bad = 0
    for name in before.column_names:
        a, b = before[name].to_pylist(), now[name].to_pylist()
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if diff:
            bad += 1
            print(f"{name}: {len(diff):,} rows differ")
            for i in diff[:3]:
                print(f"    row {i}: {a[i]!r} -> {b[i]!r}")
    print(f"{now.num_rows:,} rows x {len(before.column_names)} columns compared: ", end="")
    print("identical" if not bad else f"{bad} columns differ")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
