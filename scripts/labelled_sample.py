#!/usr/bin/env python3
"""Draw the hand-labelled sample of real messages (issue 11) from ../shared/data.

The sample is deterministic: the same shared data gives the same ids. It writes
`labelled/sample.jsonl` (ids, source and split only: the texts stay in ../shared/data) and, with
`--sheet FILE`, a labelling sheet with the texts and their parent message for context, to be kept
outside the repository.

    .venv/bin/python scripts/labelled_sample.py --sheet /tmp/sheet.jsonl

The split is by a hash of the message id: `tune` (rules and options may be adjusted while reading
these) and `holdout` (never read while writing rules; only scored).

`--batch 2` draws the second batch instead (inbound care messages only, enriched for praise):
`labelled/batch2/sample.jsonl`. Its pool is every inbound message of the TWCS multibrand slice and
the SpotifyCares requests that is not in batch 1, in two strata by the VADER compound score of its
text (the `vaderSentiment` package itself): `warm` (>= 0.3) and `rest`. About 150 are drawn from
each at random (a seed of its own), and each row records its `stratum` and `weight` = stratum pool
size / stratum sample size, so that figures can be weighted back to the pool's natural prevalence.
The sheet (`--sheet`) is in a seeded random order and names no stratum, so a labeller cannot tell
which stratum a message came from.

    .venv/bin/python scripts/labelled_sample.py --batch 2 --sheet /tmp/batch2-sheet.jsonl

`--batch 3` draws brand posts only (issue 11, content types): `labelled/batch3/sample.jsonl`,
from the same brand sources as batch 1 without batch 1's posts (`BATCH3_PLAN`: originals and
replies of each account, a seed of its own), split by the same hash. Labelled by two labellers
independently and settled by a third (labelled/batch3/README.md says how).

    .venv/bin/python scripts/labelled_sample.py --batch 3 --sheet /tmp/batch3-sheet.jsonl

`--batch 4` draws more brand posts the same way (issue 11, content types held out):
`labelled/batch4/sample.jsonl`, without batch 1's or batch 3's posts (`BATCH4_PLAN`, a seed of its
own), adding a few brand replies of the other TWCS file (the Kaggle sample, other brands).

    .venv/bin/python scripts/labelled_sample.py --batch 4 --sheet /tmp/batch4-sheet.jsonl

`--batch 5` draws 300 more inbound care messages enriched for praise (issue 11, held-out praise
figures): `labelled/batch5/sample.jsonl`. Its pool is every inbound message of the TWCS
multibrand slice, the SpotifyCares requests and the TWCS Kaggle sample (several brands) that is
in no earlier sample (batches 1 and 2) nor in labelled/pool-intent/, and, of the first two files,
only half B of scripts/labelled_pool.py's halves (half A is what the intent rules were written
from, so it is not held out). 120 are drawn at random from the `warm` side (VADER compound >=
WARM, as batch 2) and 180 at random from the rest of the pool, whatever their score (a seed of
its own). Both draws are uniform within each VADER stratum, so each row records its stratum
(`warm` or `rest`, by its own score) and `weight` = stratum pool / stratum sample, as batch 2;
`draw` says which of the two draws took it. The sheet hides all three.

    .venv/bin/python scripts/labelled_sample.py --batch 5 --sheet /tmp/batch5-sheet.jsonl

`--batch 6` draws 300 more brand posts as batch 4 (issue 11): `labelled/batch6/sample.jsonl`,
without batch 1's, 3's or 4's posts (`BATCH6_PLAN`, a seed of its own). Its purpose: fresh posts
that no rule writer reads, to train and score a correction model of the content type.

    .venv/bin/python scripts/labelled_sample.py --batch 6 --sheet /tmp/batch6-sheet.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
SEED = 20261201
SEED_BATCH2 = 20261202
SEED_BATCH3 = 20261203
SEED_BATCH4 = 20261204
SEED_BATCH5 = 20261205
SEED_BATCH6 = 20261206
WARM = 0.3  # batch 2: VADER compound >= this is the `warm` stratum
BATCH2_PER_STRATUM = 150
BATCH5_WARM, BATCH5_RANDOM = 120, 180  # batch 5: from the warm side, then from the whole pool
INBOUND_KINDS = ("mention", "reply", "comment", "direct")

# (name, export path under shared/data, {set: [(kinds, how many)]})
BRAND_SOURCES = [
    ("alrocar", "export_x_archive/alrocar", [(("post",), 70), (("reply",), 30)]),
    ("andreruffert", "export_x_archive/andreruffert", [(("post",), 70), (("reply",), 30)]),
    ("dealingwith", "export_mastodon_outbox/dealingwith", [(("post",), 70), (("reply",), 30)]),
    ("yummyhopper", "export_instagram_dyi/yummyhopper", [(("post", "comment"), 100)]),
    ("twcs_brands", "twcs/twcs_head5000_multibrand.csv", [(("post",), 100), (("reply",), 81)]),
]
# batch 3: (name, export, [(kinds, how many)]); the Instagram export's 7 posts and comments and
# the TWCS slice's brand originals are all in batch 1 already, so TWCS gives replies only
BATCH3_PLAN = [
    ("alrocar", "export_x_archive/alrocar", [(("post",), 55), (("reply",), 20)]),
    ("andreruffert", "export_x_archive/andreruffert", [(("post",), 55), (("reply",), 20)]),
    ("dealingwith", "export_mastodon_outbox/dealingwith", [(("post",), 55), (("reply",), 20)]),
    ("twcs_brands", "twcs/twcs_head5000_multibrand.csv", [(("reply",), 70)]),
]
# batch 4: as batch 3, without batch 1's and batch 3's posts; the Kaggle sample's brand replies
# (other brands than the multibrand slice's) add a few
BATCH4_PLAN = [
    ("alrocar", "export_x_archive/alrocar", [(("post",), 55), (("reply",), 20)]),
    ("andreruffert", "export_x_archive/andreruffert", [(("post",), 55), (("reply",), 20)]),
    ("dealingwith", "export_mastodon_outbox/dealingwith", [(("post",), 55), (("reply",), 20)]),
    ("twcs_brands", "twcs/twcs_head5000_multibrand.csv", [(("reply",), 60)]),
    ("twcs_sample93", "twcs/twcs_kaggle_sample93.csv", [(("reply",), 15)]),
]
# batch 6: as batch 4, without batch 1's, 3's and 4's posts (SpotifyCares' file has no brand
# replies, so the Kaggle sample is again the other brands' source: 15 of its 29 left)
BATCH6_PLAN = BATCH4_PLAN
INBOUND_SOURCES = [
    ("twcs_customers", "twcs/twcs_head5000_multibrand.csv", 320, 12),
    ("spotifycares", "twcs/spotifycares_support_requests.csv", 100, None),
]
# batch 5 adds the Kaggle sample's customers (not in scripts/labelled_pool.py's pool)
BATCH5_EXTRA_SOURCES = [("twcs_sample93", "twcs/twcs_kaggle_sample93.csv")]


def split_of(platform: str, message_id: str) -> str:
    digest = hashlib.sha256(f"{platform}:{message_id}".encode()).digest()
    return "holdout" if digest[0] % 2 else "tune"


def import_export(path: Path, into: Path):
    from socialaudit.sources import read_path, write_batch
    from socialaudit.sources.base import ImportOptions
    from socialaudit.workspace import Workspace

    batch = read_path(path, None, ImportOptions())
    with Workspace.open(into) as ws:
        write_batch(ws, batch)
    import duckdb

    return duckdb.connect(str(into / "socialaudit.duckdb"), read_only=True)


ROW_SQL = """
select m.platform, m.id, m.kind, m.author, m.text, m.mentions, p.text as parent_text,
       p.author as parent_author
from messages m left join messages p on p.platform = m.platform and p.id = m.in_reply_to
where m.from_brand = {brand} and m.text is not null and length(trim(m.text)) > 0
  and m.kind in ({kinds})
order by m.platform, m.id
"""


def rows(con, brand: bool, kinds: tuple[str, ...]) -> list[dict]:
    sql = ROW_SQL.format(brand=str(brand).lower(), kinds=", ".join(f"'{k}'" for k in kinds))
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def sample_item(r: dict) -> dict:
    return {
        "set": r["set"],
        "source": r["source"],
        "platform": r["platform"],
        "id": r["id"],
        "kind": r["kind"],
        "split": split_of(r["platform"], r["id"]),
    }


def sheet_row(item: dict, r: dict) -> str:
    ctx = {k: r[k] for k in ("text", "author", "parent_text", "parent_author")}
    return json.dumps({**item, **ctx}, ensure_ascii=False) + "\n"


def stratum_of(compound: float) -> str:
    return "warm" if compound >= WARM else "rest"


def batch1_keys(*batches: str) -> set[tuple[str, str, str]]:
    """The (set, platform, id) of batch 1's sample and of the named later batches' samples."""
    keys: set[tuple[str, str, str]] = set()
    for rel in ("sample.jsonl", *(f"{b}/sample.jsonl" for b in batches)):
        with (ROOT / "labelled" / rel).open(encoding="utf-8") as f:
            keys |= {(r["set"], r["platform"], r["id"]) for r in map(json.loads, f)}
    return keys


def main_batch2(sheet_path: Path | None) -> int:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    exclude = batch1_keys()
    vader = SentimentIntensityAnalyzer()
    pool: dict[str, list[dict]] = {"warm": [], "rest": []}
    seen: set[tuple[str, str, str]] = set()
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel, *_ in INBOUND_SOURCES:
            con = import_export(DATA / rel, Path(tmp) / name)
            for r in rows(con, False, INBOUND_KINDS):
                key = ("inbound", r["platform"], r["id"])
                # batch 1's messages never come back; the two files overlap: the first keeps it
                if key in exclude or key in seen:
                    continue
                seen.add(key)
                compound = vader.polarity_scores(r["text"])["compound"]
                pool[stratum_of(compound)].append({"set": "inbound", "source": name, **r})
            con.close()
    rng = random.Random(SEED_BATCH2)
    picked: list[tuple[dict, dict]] = []
    for stratum in ("warm", "rest"):
        n = min(BATCH2_PER_STRATUM, len(pool[stratum]))
        weight = round(len(pool[stratum]) / n, 6)
        for r in rng.sample(pool[stratum], n):
            item = {**sample_item(r), "stratum": stratum, "weight": weight}
            picked.append((item, r))
        print(
            f"stratum {stratum}: {n} drawn of {len(pool[stratum])}, weight {weight}",
            file=sys.stderr,
        )
    # Mixed strata: the sheet says nothing of how a message was drawn.
    out = write_sample("batch2", picked, sheet_path, rng, hidden=("stratum", "weight"))
    print(f"{out}: {len(picked)} messages", file=sys.stderr)
    return 0


def write_sample(
    batch: str,
    picked: list[tuple[dict, dict]],
    sheet_path: Path | None,
    rng: random.Random,
    hidden: tuple[str, ...],
) -> Path:
    """Write a batch's sample (labelled/<batch>/sample.jsonl) and, when asked, the labelling
    sheet: the same messages in a shuffled order, without the `hidden` fields."""
    out = ROOT / "labelled" / batch / "sample.jsonl"
    out.parent.mkdir(exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for item, _ in picked:
            f.write(json.dumps(item) + "\n")
    if sheet_path:
        order = list(picked)
        rng.shuffle(order)
        with sheet_path.open("w", encoding="utf-8") as sheet:
            for item, r in order:
                sheet.write(sheet_row({k: v for k, v in item.items() if k not in hidden}, r))
    return out


def main_batch3(sheet_path: Path | None) -> int:
    return main_posts_batch("batch3", BATCH3_PLAN, SEED_BATCH3, batch1_keys(), sheet_path)


def main_batch4(sheet_path: Path | None) -> int:
    exclude = batch1_keys("batch3")
    return main_posts_batch("batch4", BATCH4_PLAN, SEED_BATCH4, exclude, sheet_path)


def main_batch6(sheet_path: Path | None) -> int:
    exclude = batch1_keys("batch3", "batch4")
    return main_posts_batch("batch6", BATCH6_PLAN, SEED_BATCH6, exclude, sheet_path)


def main_posts_batch(
    batch: str,
    plan_of: list[tuple[str, str, list[tuple[tuple[str, ...], int]]]],
    seed: int,
    exclude: set[tuple[str, str, str]],
    sheet_path: Path | None,
) -> int:
    """Draw a batch of brand posts: per source and kinds, `n` at random among the messages not
    in `exclude` (nor drawn already from an earlier source)."""
    rng = random.Random(seed)
    picked: list[tuple[dict, dict]] = []
    taken = set(exclude)
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel, plan in plan_of:
            con = import_export(DATA / rel, Path(tmp) / name)
            for kinds, n in plan:
                pool = [
                    r
                    for r in rows(con, True, kinds)
                    if ("posts", r["platform"], r["id"]) not in taken
                ]
                for r in rng.sample(pool, min(n, len(pool))):
                    r = {"set": "posts", "source": name, **r}
                    picked.append((sample_item(r), r))
                    taken.add(("posts", r["platform"], r["id"]))
                print(f"{name} {kinds}: {min(n, len(pool))} of {len(pool)}", file=sys.stderr)
            con.close()
    # The sheet names no split: the labeller labels both halves alike.
    out = write_sample(batch, picked, sheet_path, rng, hidden=("split",))
    print(f"{out}: {len(picked)} messages", file=sys.stderr)
    return 0


def batch5_excluded() -> set[tuple[str, str, str]]:
    """The inbound messages batch 5 may not draw: batches 1 and 2 and labelled/pool-intent/."""
    keys = batch1_keys("batch2")
    for name in ("labels.jsonl", "held-apart.jsonl"):
        with (ROOT / "labelled" / "pool-intent" / name).open(encoding="utf-8") as f:
            keys |= {(r["set"], r["platform"], r["id"]) for r in map(json.loads, f)}
    return keys


def main_batch5(sheet_path: Path | None) -> int:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sys.path.insert(0, str(ROOT / "scripts"))
    from labelled_pool import half_of

    exclude = batch5_excluded()
    vader = SentimentIntensityAnalyzer()
    pool: list[dict] = []
    seen: set[tuple[str, str, str]] = set()
    pool_files = {name for name, *_ in INBOUND_SOURCES}
    sources = [(name, rel) for name, rel, *_ in INBOUND_SOURCES] + BATCH5_EXTRA_SOURCES
    with tempfile.TemporaryDirectory() as tmp:
        for name, rel in sources:
            con = import_export(DATA / rel, Path(tmp) / name)
            for r in rows(con, False, INBOUND_KINDS):
                key = ("inbound", r["platform"], r["id"])
                if key in exclude or key in seen:
                    continue
                seen.add(key)  # the files overlap: the first keeps a message
                # half A of the intent pool was read while writing rules: not held out
                if name in pool_files and half_of(r["platform"], r["id"]) == "A":
                    continue
                compound = vader.polarity_scores(r["text"])["compound"]
                pool.append(
                    {"set": "inbound", "source": name, "stratum": stratum_of(compound), **r}
                )
            con.close()
    rng = random.Random(SEED_BATCH5)
    warm = [r for r in pool if r["stratum"] == "warm"]
    first = rng.sample(warm, BATCH5_WARM)
    taken = {(r["platform"], r["id"]) for r in first}
    second = rng.sample([r for r in pool if (r["platform"], r["id"]) not in taken], BATCH5_RANDOM)
    draws = [("warm", r) for r in first] + [("random", r) for r in second]
    size = {s: sum(r["stratum"] == s for r in pool) for s in ("warm", "rest")}
    drawn = {s: sum(r["stratum"] == s for _, r in draws) for s in ("warm", "rest")}
    # Within a VADER stratum the two draws together are a simple random sample of it.
    weight = {s: round(size[s] / drawn[s], 6) for s in size}
    picked = [
        ({**sample_item(r), "stratum": r["stratum"], "weight": weight[r["stratum"]], "draw": d}, r)
        for d, r in draws
    ]
    for s in ("warm", "rest"):
        print(f"stratum {s}: {drawn[s]} drawn of {size[s]}, weight {weight[s]}", file=sys.stderr)
    out = write_sample(
        "batch5", picked, sheet_path, rng, hidden=("split", "stratum", "weight", "draw")
    )
    print(f"{out}: {len(picked)} messages", file=sys.stderr)
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sheet", type=Path, help="also write the texts here (outside the repo)")
    ap.add_argument(
        "--batch", type=int, choices=(1, 2, 3, 4, 5, 6), default=1, help="which batch to draw"
    )
    args = ap.parse_args()
    if not DATA.is_dir():
        print(f"{DATA}: not found (the shared data lies beside the repository)", file=sys.stderr)
        return 2
    if args.batch == 2:
        return main_batch2(args.sheet)
    if args.batch == 3:
        return main_batch3(args.sheet)
    if args.batch == 4:
        return main_batch4(args.sheet)
    if args.batch == 5:
        return main_batch5(args.sheet)
    if args.batch == 6:
        return main_batch6(args.sheet)
    rng = random.Random(SEED)
    picked: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        cons = {}
        for name, rel, _ in BRAND_SOURCES:
            cons.setdefault(rel, import_export(DATA / rel, Path(tmp) / name))
        for name, rel, *_ in INBOUND_SOURCES:
            cons.setdefault(rel, import_export(DATA / rel, Path(tmp) / name))
        for name, rel, plan in BRAND_SOURCES:
            for kinds, n in plan:
                pool = rows(cons[rel], True, kinds)
                for r in rng.sample(pool, min(n, len(pool))):
                    picked.append({"set": "posts", "source": name, **r})
        for name, rel, n, cap in INBOUND_SOURCES:
            pool = rows(cons[rel], False, INBOUND_KINDS)
            rng.shuffle(pool)
            per_brand: dict[str, int] = {}
            taken = 0
            for r in pool:
                if taken == n:
                    break
                brand = (r["mentions"] or ["?"])[0].lower()
                if cap is not None and per_brand.get(brand, 0) >= cap:
                    continue
                per_brand[brand] = per_brand.get(brand, 0) + 1
                picked.append({"set": "inbound", "source": name, **r})
                taken += 1
        for con in cons.values():
            con.close()
    # The multibrand file's customers and SpotifyCares' overlap (41 rows): keep the first.
    seen: set[tuple[str, str, str]] = set()
    out = ROOT / "labelled" / "sample.jsonl"
    sheet = args.sheet.open("w", encoding="utf-8") if args.sheet else None
    n = 0
    with out.open("w", encoding="utf-8") as f:
        for r in picked:
            key = (r["set"], r["platform"], r["id"])
            if key in seen:
                continue
            seen.add(key)
            item = sample_item(r)
            f.write(json.dumps(item) + "\n")
            n += 1
            if sheet:
                sheet.write(sheet_row(item, r))
    if sheet:
        sheet.close()
    print(f"{out}: {n} messages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
