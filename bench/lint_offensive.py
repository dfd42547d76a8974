"""SL101 (offensive-language) against TweetEval's offensive test split: precision and recall.

TweetEval offensive comes from OffensEval 2019 (OLID): tweets labelled offensive when they hold
profanity or a targeted insult or threat (mapping.txt: 0 not-offensive, 1 offensive). A draft
counts as flagged when SL101 reports at least one finding. Printed per model threshold (SL101's
`threshold` option; 0.5 is the default), plus better-profanity's word list when it is installed,
for comparison (it is not a dependency: the comparison is why).

    .venv/bin/python bench/lint_offensive.py [--split test]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from socialaudit.config import parse_config
from socialaudit.lint import lint_drafts, settings_from_config

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "tweeteval" / "offensive"


def scores(pred: list[bool], gold: list[bool]) -> tuple[float, float, float, int]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp + fp


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=("test", "val", "train"))
    args = ap.parse_args()
    if not DATA.exists():
        print(f"no TweetEval data at {DATA}", file=sys.stderr)
        return 2
    texts = (DATA / f"{args.split}_text.txt").read_text(encoding="utf-8").splitlines()
    gold = [line.strip() == "1" for line in (DATA / f"{args.split}_labels.txt").read_text().split()]
    assert len(texts) == len(gold), "text and label files differ in length"
    print(f"TweetEval offensive, {args.split} split: {len(texts)} tweets, {sum(gold)} offensive\n")
    print(f"{'detector':<34}{'precision':>10}{'recall':>8}{'F1':>7}{'flagged':>9}{'seconds':>9}")
    for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        config = parse_config({"lint": {"SL101": {"threshold": threshold}}})
        settings = settings_from_config(config)
        t0 = time.perf_counter()
        results = lint_drafts(texts, config=settings, codes=["SL101"])
        took = time.perf_counter() - t0
        pred = [bool(r.findings) for r in results]
        p, r, f, n = scores(pred, gold)
        name = f"SL101 threshold {threshold}" + (" (default)" if threshold == 0.5 else "")
        print(f"{name:<34}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>9}{took:>9.2f}")
    try:
        from better_profanity import profanity
    except ImportError:
        print("better-profanity (word list): not installed")
        return 0
    profanity.load_censor_words()
    t0 = time.perf_counter()
    pred = [profanity.contains_profanity(t) for t in texts]
    took = time.perf_counter() - t0
    p, r, f, n = scores(pred, gold)
    print(f"{'better-profanity (word list)':<34}{p:>10.3f}{r:>8.3f}{f:>7.3f}{n:>9}{took:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
