"""How often each draft rule fires on real accounts' posts, with a sample of what it flags.

Reads the X archives (tweets.js) and the Mastodon outbox in ../shared/data, lints every own post
as a draft of its platform (retweets and boosts are skipped: someone else wrote them; t.co links
are expanded to the link the author typed), and prints per account and rule the count and share
of posts flagged, then a few flagged posts per rule with the flagged excerpt. A rule that flags
more than a few percent of a real account's posts deserves a look at its samples.

    .venv/bin/python bench/lint_real.py [--samples 5] [--rule SL104] [--seed 1]

These are personal accounts, not brands: SL108 (personal-post) is expected to fire on them.
Each account is linted with the spelling languages it writes in (as its config would say).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

from socialaudit.config import parse_config
from socialaudit.lint import RULES, lint_drafts, settings_from_config

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

# account -> (platform, loader, [lint] config a brand in that language would write)
ACCOUNTS = {
    "x/andreruffert": ("x", "export_x_archive/andreruffert/data/tweets.js", ["en", "de"]),
    "x/alrocar": ("x", "export_x_archive/alrocar/data/tweets.js", ["en"]),
    "mastodon/dealingwith": ("mastodon", "export_mastodon_outbox/dealingwith/outbox.json", ["en"]),
}


def x_posts(path: Path) -> tuple[list[str], Counter]:
    raw = path.read_text(encoding="utf-8")
    items = json.loads(raw[raw.index("[") :])
    texts, langs = [], Counter()
    for item in items:
        t = item["tweet"]
        text = html.unescape(t["full_text"])
        if text.startswith("RT @"):
            continue
        for u in t.get("entities", {}).get("urls", []):
            if u.get("url") and u.get("expanded_url"):
                text = text.replace(u["url"], u["expanded_url"])
        # Media links (pic.twitter.com) are attachments, not words the author typed.
        for m in t.get("entities", {}).get("media", []) or []:
            text = text.replace(m.get("url", "\0"), "").rstrip()
        langs[t.get("lang")] += 1
        texts.append(text)
    return texts, langs


_BLOCK = re.compile(r"</p>\s*<p>|<br\s*/?>", re.I)
_TAG = re.compile(r"<[^>]+>")


def mastodon_posts(path: Path) -> tuple[list[str], Counter]:
    outbox = json.loads(path.read_text(encoding="utf-8"))
    texts, langs = [], Counter()
    for item in outbox["orderedItems"]:
        if item.get("type") != "Create" or not isinstance(item.get("object"), dict):
            continue
        note = item["object"]
        content = note.get("content") or ""
        text = html.unescape(_TAG.sub("", _BLOCK.sub("\n\n", content))).strip()
        langs[next(iter(note.get("contentMap") or {"?": ""}))] += 1
        texts.append(text)
    return texts, langs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=4, help="flagged posts shown per rule")
    ap.add_argument("--rule", help="show samples of this rule only")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"no real data at {DATA}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    codes = [r.code for r in RULES]
    table: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    samples: dict[str, list[tuple[str, str, str]]] = {c: [] for c in codes}
    for account, (platform, rel, languages) in ACCOUNTS.items():
        loader = x_posts if platform == "x" else mastodon_posts
        texts, langs = loader(DATA / rel)
        config = parse_config({"lint": {"SL104": {"languages": languages}}})
        settings = settings_from_config(config, platform=platform)
        t0 = time.perf_counter()
        results = lint_drafts(texts, config=settings)
        took = time.perf_counter() - t0
        top = ", ".join(f"{k} {v}" for k, v in langs.most_common(3))
        print(f"{account}: {len(texts)} own posts (languages: {top}), linted in {took:.1f} s")
        totals[account] = len(texts)
        counts = Counter()
        for text, res in zip(texts, results, strict=True):
            for code in {f.code for f in res.findings}:
                counts[code] += 1
            for f in res.findings:
                samples[f.code].append((account, f.excerpt, text))
        table[account] = dict(counts)

    print()
    head = f"{'rule':<24}" + "".join(f"{a:>24}" for a in ACCOUNTS)
    print(head)
    print("-" * len(head))
    for r in RULES:
        cells = []
        for a in ACCOUNTS:
            n = table[a].get(r.code, 0)
            cells.append(f"{n:>6} ({100 * n / max(totals[a], 1):5.1f} %)")
        print(f"{r.code + ' ' + r.name:<24}" + "".join(f"{c:>24}" for c in cells))

    for r in RULES:
        if args.rule and r.code != args.rule:
            continue
        found = samples[r.code]
        if not found:
            continue
        print(f"\n== {r.code} {r.name}: {len(found)} findings; sample:")
        for account, excerpt, text in rng.sample(found, min(args.samples, len(found))):
            flat = " ".join(text.split())
            print(f"  [{account}] «{excerpt}» in: {flat[:200]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
