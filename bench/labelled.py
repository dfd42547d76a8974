"""The project's own hand-labelled real messages (labelled/), labelled by socialaudit.

The labelled batches are listed in `BATCHES`: batch 1 (labelled/sample.jsonl, gold.jsonl: a
plain draw), batch 2 (labelled/batch2/: inbound messages drawn in two strata, each row with a
`weight` = stratum pool / stratum sample), batch 3 (labelled/batch3/: brand posts only, a
plain draw from the brand sources without batch 1's posts), batch 4 (labelled/batch4/: brand
posts only, a plain draw without batch 1's and batch 3's posts, a few from the TWCS Kaggle
sample) and batch 5 (labelled/batch5/: inbound messages drawn as batch 2 is, in two VADER
strata with a `weight` each, from half B of the intent pool and the TWCS Kaggle sample, without
the messages labelled before) and batch 6 (labelled/batch6/: brand posts drawn as batch 4 is,
without batch 1's, 3's and 4's posts, for a trained content-type correction model: no rule
writer reads them). A batch whose gold file does not exist yet is skipped
(`missing_batches()` names it).

Each export named by the sample is imported into a scratch workspace with socialaudit's own
importers and labelled by the labelling stage, exactly as `socialaudit import` does (so the
labels see what the stage sees: the parent message, the account's other messages); the gold
rows are then joined to the labels on platform and id. The texts stay in ../shared/data.

`load()` returns one `Row` per gold message with its labels; `scores(rows, split)` the figures
bench/accuracy.py prints, and `scores(rows, split, weighted=True)` the same figures weighted by
the rows' sample weights (the natural prevalence of the pool they were drawn from). Pooled over
both batches with weights, a batch-1 row weighs 1: batch 1 is itself part of the population and
fully labelled, and batch 2 was drawn from the rest of it (batch 1 excluded), so the weights sum
to the whole population (the TWCS multibrand customers and the SpotifyCares requests). Batch
5's weights sum to its own pool (7,942 messages: half B of that population less the messages
labelled before, and the Kaggle sample's), which batch 2's weights count already: pooled, the
figure is the weighted average of the batches' estimates of about one population, batch 5
carrying its pool's share of the summed weights (about 31 %).
Holdout rows are only ever scored in aggregate.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
GOLD = ROOT / "labelled" / "gold.jsonl"
SAMPLE = ROOT / "labelled" / "sample.jsonl"


@dataclass(frozen=True)
class Batch:
    name: str
    sample: Path  # ids, source, split (and, for a stratified batch, stratum and weight)
    gold: Path  # the settled labels


def _settled(n: int) -> Batch:
    folder = ROOT / "labelled" / f"batch{n}"
    return Batch(f"batch {n}", folder / "sample.jsonl", folder / "gold.jsonl")


BATCHES: tuple[Batch, ...] = (
    Batch("batch 1", SAMPLE, GOLD),
    _settled(2),
    # brand posts only (content types), two labellers, settled: labelled/batch3/README.md
    _settled(3),
    # brand posts only (content types), two labellers, settled: labelled/batch4/README.md
    _settled(4),
    # inbound, two VADER strata with weights as batch 2, two labellers, settled:
    # labelled/batch5/README.md
    _settled(5),
    # brand posts only (content types), two labellers, settled: labelled/batch6/README.md;
    # training data for a content-type correction model, which no rule writer reads
    _settled(6),
)
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from labelled_sample import (  # noqa: E402
    BATCH4_PLAN,
    BATCH5_EXTRA_SOURCES,
    BRAND_SOURCES,
    INBOUND_SOURCES,
)

# every sample's source name -> its export (batches 4 and 5 add the TWCS Kaggle sample: its
# brand replies, its customers' messages)
EXPORTS = {
    name: rel
    for name, rel, *_ in (*BRAND_SOURCES, *INBOUND_SOURCES, *BATCH4_PLAN, *BATCH5_EXTRA_SOURCES)
}
CONTENT_TYPES = (
    "promotion",
    "announcement",
    "expertise",
    "engagement",
    "personal",
    "like_bait",
    "care_reply",
    "other",
)


@dataclass
class Row:
    set: str  # posts or inbound
    source: str
    platform: str
    id: str
    split: str
    gold: dict[str, Any]
    batch: str = "batch 1"
    stratum: str = ""  # the batch's sampling stratum ("" when it had none)
    weight: float = 1.0  # messages of the pool this row stands for
    label: dict[str, Any] = field(default_factory=dict)  # the labels row socialaudit wrote
    message: dict[str, Any] = field(default_factory=dict)  # text, kind, parent_text (tune only)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def gold_rows(batches: Iterable[Batch] | None = None) -> list[dict[str, Any]]:
    """The gold labels of the batches that have them (default: batch 1), without texts."""
    chosen = BATCHES[:1] if batches is None else batches
    return [g for b in chosen if b.gold.exists() for g in _read_jsonl(b.gold)]


def missing_batches(batches: Iterable[Batch] | None = None) -> list[Batch]:
    """The batches (default: all of `BATCHES`) with no gold file yet (drawn, not yet labelled
    and settled)."""
    return [b for b in (BATCHES if batches is None else batches) if not b.gold.exists()]


def batch_rows(batch: Batch) -> list[Row]:
    """The gold rows of one batch, with source, stratum and weight from its sample (no labels)."""
    sample = {(r["set"], r["platform"], r["id"]): r for r in _read_jsonl(batch.sample)}
    rows = []
    for g in _read_jsonl(batch.gold):
        s = sample[(g["set"], g["platform"], g["id"])]
        split = g.get("split", s["split"])
        rows.append(
            Row(
                g["set"],
                s["source"],
                g["platform"],
                g["id"],
                split,
                g,
                batch=batch.name,
                stratum=s.get("stratum", ""),
                weight=float(s.get("weight", 1.0)),
            )
        )
    return rows


def load(
    label: Callable[[Any], None] | None = None,
    with_text: Iterable[str] = ("tune",),
    batches: Iterable[Batch] | None = None,
) -> list[Row]:
    """Gold rows of the `batches` (default: all of `BATCHES`) that have gold labels, with socialaudit's labels. `label(ws)`
    labels a workspace (default: the labelling stage); `with_text`: the splits whose texts are
    kept on the rows (never holdout unless a caller needs it for language only, or to
    give a trained model its inputs, scored only in aggregate: accuracy.content_trained_table)."""
    from socialaudit.labelling import label_workspace
    from socialaudit.sources import read_path, write_batch
    from socialaudit.sources.base import ImportOptions
    from socialaudit.workspace import Workspace

    label = label or (lambda ws: label_workspace(ws))
    keep_text = set(with_text)
    chosen = BATCHES if batches is None else batches
    rows = [r for b in chosen if b.gold.exists() for r in batch_rows(b)]
    by_export: dict[str, list[Row]] = {}
    for r in rows:
        by_export.setdefault(EXPORTS[r.source], []).append(r)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (rel, part) in enumerate(sorted(by_export.items())):
            with Workspace.open(Path(tmp) / f"ws{i}") as ws:
                write_batch(ws, read_path(DATA / rel, None, ImportOptions()))
                label(ws)
                found = ws.sql(
                    """
                    select l.*, m.text, m.kind, m.from_brand, p.text as parent_text
                    from labels l join messages m on m.platform = l.platform and m.id = l.message_id
                    left join messages p on p.platform = m.platform and p.id = m.in_reply_to
                    """
                ).to_pylist()
            by_key = {(x["platform"], x["message_id"]): x for x in found}
            for r in part:
                x = by_key.get((r.platform, r.id))
                if x is None:
                    raise SystemExit(f"{rel}: message {r.platform}:{r.id} of the sample not found")
                text_keys = ("text", "kind", "from_brand", "parent_text")
                r.label = {k: v for k, v in x.items() if k not in text_keys}
                if r.split in keep_text:
                    r.message = {k: x[k] for k in text_keys}
    return rows


# -- figures ------------------------------------------------------------------------------------


def _prf(
    gold: list[bool], pred: list[bool], weight: list[float] | None = None
) -> tuple[float, float, float]:
    """Precision, recall and F1; with `weight`, each message counts for its weight (the
    messages of the pool it stands for), so the figures are those of the pool."""
    w = weight or [1.0] * len(gold)
    tp = sum(x for g, p, x in zip(gold, pred, w, strict=True) if g and p)
    fp = sum(x for g, p, x in zip(gold, pred, w, strict=True) if p and not g)
    fn = sum(x for g, p, x in zip(gold, pred, w, strict=True) if g and not p)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def predicted_flags(label: dict[str, Any]) -> dict[str, bool]:
    q, c, p = bool(label["is_question"]), bool(label["is_complaint"]), bool(label["is_praise"])
    return {"question": q, "complaint": c, "praise": p, "needs an answer": q or c}


def scores(rows: list[Row], split: str, weighted: bool = False) -> dict[str, Any]:
    """Needs-an-answer, question, complaint, praise P/R/F1; content type accuracy; language
    accuracy; confident-label figures; for the rows of one split. `weighted`: the inbound
    P/R/F1 and their intervals count each message for its sample weight (a bootstrap within
    each batch and stratum); `positives` stays the count of gold messages they rest on, and
    `prevalence` is the weighted share of positives."""
    inbound = [r for r in rows if r.split == split and r.set == "inbound"]
    posts = [r for r in rows if r.split == split and r.set == "posts"]
    out: dict[str, Any] = {"inbound": len(inbound), "posts": len(posts)}
    weight = [r.weight for r in inbound] if weighted else None
    strata = [f"{r.batch}/{r.stratum}" for r in inbound] if weighted else None
    for name in ("needs an answer", "question", "complaint", "praise"):
        gold = [
            (r.gold["question"] or r.gold["complaint"])
            if name == "needs an answer"
            else r.gold[name]
            for r in inbound
        ]
        pred = [predicted_flags(r.label)[name] for r in inbound]
        out[name] = _prf(gold, pred, weight)
        out[f"{name} positives"] = sum(gold)
        w = weight or [1.0] * len(gold)
        out[f"{name} prevalence"] = sum(x for g, x in zip(gold, w, strict=True) if g) / (
            sum(w) or 1.0
        )
        out[f"{name} F1 interval"] = f1_interval(gold, pred, weight=weight, strata=strata)
    right = [r.label.get("content_type") == r.gold["content_type"] for r in posts]
    out["content accuracy"] = sum(right) / len(posts) if posts else 0.0
    out["content accuracy interval"] = wilson(sum(right), len(posts))
    out["content confusions"] = _confusions(posts)
    # Is the confidence worth anything: accuracy of the labels at or above LOW_CONFIDENCE and
    # below it (a message is right when its needs-an-answer and praise, or its type, are).
    from socialaudit.model import LOW_CONFIDENCE

    both = [*inbound, *posts]
    unsure = [r for r in both if (r.label.get("confidence") or 0.0) < LOW_CONFIDENCE]
    sure = [r for r in both if r not in unsure]
    out["low share"] = len(unsure) / len(both) if both else 0.0
    out["confident accuracy"] = _accuracy(sure)
    out["unsure accuracy"] = _accuracy(unsure)
    langs = [r for r in rows if r.split == split and r.gold.get("lang")]
    if langs and "lang" in langs[0].label:
        out["lang accuracy"] = sum(_lang_match(r) for r in langs) / len(langs)
    return out


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of a proportion k/n: how far a figure on n messages can
    stray by the luck of the draw."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))


def f1_interval(
    gold: list[bool],
    pred: list[bool],
    resamples: int = 2000,
    weight: list[float] | None = None,
    strata: list[str] | None = None,
) -> tuple[float, float]:
    """A 95 % percentile bootstrap interval of F1 (messages drawn with replacement, fixed seed):
    F1 has no closed-form interval, and on a rare label it rests on a handful of messages.
    With `weight`, each draw's F1 is weighted; with `strata`, each stratum is resampled on its
    own, keeping its size (the sample was drawn that way)."""
    import numpy as np

    if not gold:
        return (0.0, 1.0)
    g = np.array(gold, bool)
    p = np.array(pred, bool)
    w = np.ones(len(g)) if weight is None else np.array(weight, float)
    rng = np.random.default_rng(0)
    if strata is None:
        draws = rng.integers(0, len(g), size=(resamples, len(g)))
    else:
        labels = np.array(strata, dtype=object)
        parts = []
        for s in sorted(set(strata)):
            idx = np.flatnonzero(labels == s)
            parts.append(idx[rng.integers(0, len(idx), size=(resamples, len(idx)))])
        draws = np.concatenate(parts, axis=1)
    gs, ps, ws = g[draws], p[draws], w[draws]
    tp = (ws * (gs & ps)).sum(axis=1)
    fp = (ws * (~gs & ps)).sum(axis=1)
    fn = (ws * (gs & ~ps)).sum(axis=1)
    denom = 2 * tp + fp + fn
    f1 = np.where(denom > 0, 2 * tp / np.where(denom > 0, denom, 1), 0.0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return (float(lo), float(hi))


def _right(r: Row) -> bool:
    if r.set == "posts":
        return r.label.get("content_type") == r.gold["content_type"]
    f = predicted_flags(r.label)
    needs = bool(r.gold["question"] or r.gold["complaint"])
    return f["needs an answer"] == needs and f["praise"] == bool(r.gold["praise"])


def _accuracy(rows: list[Row]) -> float:
    return sum(_right(r) for r in rows) / len(rows) if rows else 0.0


def _lang_match(r: Row) -> bool:
    gold, got = r.gold["lang"], r.label.get("lang")
    if gold in ("und", "mul"):
        return True  # no words to judge, or evenly mixed: any answer is fair
    return got == gold


def _confusions(posts: list[Row]) -> list[tuple[str, str, int]]:
    counts: dict[tuple[str, str], int] = {}
    for r in posts:
        got = r.label.get("content_type") or "none"
        if got != r.gold["content_type"]:
            key = (r.gold["content_type"], got)
            counts[key] = counts.get(key, 0) + 1
    return sorted(((g, p, n) for (g, p), n in counts.items()), key=lambda t: -t[2])
