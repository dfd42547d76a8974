#!/usr/bin/env python3
"""SL101 with its word-weight table against SL101 running the model on every draft: identical?

SL101 (offensive-language) skips the profanity model for a draft that holds no word weighing at
least `word_weight` (or the strong-word weight outside English), read from a table of the
model's word weights kept in the user's cache (`rules._word_weights`): such a draft cannot be
flagged whatever the model's probability. This script lints every post of the real exports in
../shared/data (X archives, Mastodon outbox, Bluesky, Facebook, Instagram) and every TweetEval
text twice, SL101 only, once as shipped and once with the model run on every draft, under the
default settings and two other `word_weight`s, and prints how many drafts the model was skipped
for and whether the findings (codes, spans, messages with the model's probability) are the same.

    .venv/bin/python bench/lint_sl101_weights.py

Exits 1 when any finding differs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from socialaudit.config import parse_config
from socialaudit.lint import lint_drafts, settings_from_config
from socialaudit.lint.core import Draft
from socialaudit.lint.rules import SL101, OffensiveLanguage
from socialaudit.sources import plan_imports, read_input

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXPORTS = (
    "export_x_archive",
    "export_mastodon_outbox",
    "export_bluesky_car",
    "export_facebook_dyi",
    "export_instagram_dyi",
)


def export_texts() -> dict[str, list[str]]:
    """Every message text of each real export, read by the importer that reads it."""
    out: dict[str, list[str]] = {}
    for name in EXPORTS:
        folder = DATA / name
        if not folder.exists():
            continue
        for sub in sorted(p for p in folder.iterdir() if p.name != "PROVENANCE.md"):
            try:
                plan = plan_imports(sub, None)
            except Exception as exc:  # an export this reader does not take: said, skipped
                print(f"  {name}/{sub.name}: not read ({exc})", file=sys.stderr)
                continue
            texts: list[str] = []
            for path, source in plan.inputs:
                batch = read_input(path, source)
                texts += [t for t in batch.tables["messages"].column("text").to_pylist() if t]
            out[f"{name}/{sub.name}"] = texts
    return out


def tweeteval_texts() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in sorted((DATA / "tweeteval").glob("*/*_text.txt")):
        out[f"tweeteval/{f.parent.name}/{f.stem}"] = f.read_text(encoding="utf-8").splitlines()
    return out


def findings(texts: list[str], settings: object) -> list[list[tuple[object, ...]]]:
    results = lint_drafts(texts, None, settings, codes=["SL101"])  # type: ignore[arg-type]
    return [[(f.code, f.start, f.end, f.message) for f in r.findings] for r in results]


def main() -> int:
    corpora = {**export_texts(), **tweeteval_texts()}
    total = sum(len(t) for t in corpora.values())
    print(f"{len(corpora)} corpora, {total:,} texts")
    configs = {
        "default (word_weight 2.0)": {},
        "word_weight 1.0": {"word_weight": 1.0},
        "word_weight 7.0, allow": {"word_weight": 7.0, "allow": ["damn"]},
    }
    shipped = OffensiveLanguage._harmless
    differ = 0
    print(f"{'settings':<28} {'texts':>8} {'model skipped':>14} {'flagged':>8} {'differ':>7}")
    for label, sl101 in configs.items():
        settings = settings_from_config(parse_config({"lint": {"SL101": sl101}}))
        opts = settings.options["SL101"]
        all_texts = [t for texts in corpora.values() for t in texts]
        t0 = time.process_time()
        ours = findings(all_texts, settings)
        ours_s = time.process_time() - t0
        skipped = sum(SL101._harmless(Draft(raw=t), opts) for t in all_texts)
        OffensiveLanguage._harmless = lambda self, draft, opts: False  # type: ignore[method-assign]
        try:
            t0 = time.process_time()
            model = findings(all_texts, settings)
            model_s = time.process_time() - t0
        finally:
            OffensiveLanguage._harmless = shipped  # type: ignore[method-assign]
        n = sum(1 for a, b in zip(ours, model, strict=True) if a != b)
        differ += n
        print(
            f"{label:<28} {len(all_texts):>8,} {skipped:>14,} "
            f"{sum(1 for f in model if f):>8,} {n:>7}   (cpu s {ours_s:.1f} with the table, "
            f"{model_s:.1f} model on all)"
        )
    print("identical" if not differ else f"{differ} drafts differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
