#!/usr/bin/env python3
"""How well, and how fast, socialaudit understands text, measured on real labelled data.

Reads the labelled sets in ../shared/data (never copies them), and prints one table of accuracy
and one of throughput:

* complaint macro-F1: complaints_preotiuc2019, complaints_rigaut_airline_telecom (4 files);
* sentiment macro-F1 and accuracy: twitter_us_airline_sentiment, tweeteval sentiment (val+test);
* praise and bad-support detection: twcs_topic_labels_ericsson (AmazonHelp inbound, the only file
  with those topics), and care-reply recall on the three brands' labelled outbound replies;

for VADER alone (the baseline, measured in the same run), the `rules` backend, and the `trained`
backend by 5-fold stratified cross-validation (trained on 4/5, scored on the held-out 1/5).

First of all, the project's own hand-labelled real messages (labelled/gold.jsonl, see
labelled/README.md): needs-an-answer, question, complaint and praise P/R/F1 on 420 inbound care
messages and content type accuracy on 407 brand posts, for the `tune` split (rules may be
adjusted while reading it) and the `holdout` split (only ever scored), labelled by the
labelling stage on workspaces imported from the real exports (bench/labelled.py); then the
language detector's accuracy, and the weak labels of `socialaudit train --from-replies` on TWCS.
Then batch 2 (labelled/batch2/, 300 inbound messages drawn in two VADER strata, enriched for
praise) once its gold file exists: its figures weighted back to the natural prevalence with the
sample weights and unweighted, and both batches' inbound messages pooled (weighted); batch 5
(labelled/batch5/, 300 more inbound messages drawn and weighted as batch 2, held out from the
intent rules) the same way, and pooled with batches 1 and 2; and batches 3, 4 and 6
(labelled/batch3/, 295 brand posts, labelled/batch4/, 300, and labelled/batch6/, 300, each in
no other sample; batch 6 is training data for a content-type correction model that no rule
writer reads) for content type accuracy, alone and pooled with the other batches' posts.
`content_trained_table()` (not run by main: about five minutes) measures a trained content-type
model (bench/content_model.py) beside the rules: CV on the tune posts, then the holdout once;
`content_trained_table(train_batches=("batch 4", "batch 6"), score_batches=(...))` trains it on
the posts no rule writer read and scores the holdout of any batches.

    .venv/bin/python bench/accuracy.py            # everything (a few minutes on 2 cores)
    .venv/bin/python bench/accuracy.py --quick    # rules and VADER only, no cross-validation
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "src"))

import labelled  # noqa: E402  (bench/labelled.py, beside this file)
from socialaudit import text  # noqa: E402
from socialaudit.text import sentiment, trained  # noqa: E402

# The figures of the rules before issue 11 (commit 83bcc0b), measured with this same harness on
# batch 1's gold as it was then (before its re-read after the second round, labelled/README.md:
# the question column counted fewer follow-ups as questions).
GOLD_BEFORE = {
    "tune": {
        "needs an answer": (0.90, 0.69, 0.78),
        "question": (0.70, 0.74, 0.72),
        "complaint": (0.90, 0.57, 0.70),
        "praise": (0.64, 0.74, 0.68),
        "content accuracy": 0.357,
    },
    "holdout": {
        "needs an answer": (0.88, 0.71, 0.79),
        "question": (0.71, 0.84, 0.77),
        "complaint": (0.87, 0.51, 0.64),
        "praise": (0.34, 0.61, 0.44),
        "content accuracy": 0.386,
    },
}


# The figures each table measured, for the targets summary at the end: RESULTS[figure][column].
RESULTS: dict[str, dict[str, float]] = {}


def gold_table() -> None:
    """The hand-labelled real messages, tune and holdout, before issue 11 and now."""
    every = labelled.load(with_text=())
    rows = [r for r in every if r.batch == labelled.BATCHES[0].name]
    print(
        "hand-labelled real messages (labelled/gold.jsonl), rules backend via the labelling stage"
    )
    print(
        f"  {'figure':22} {'tune before':>16} {'tune now':>16} {'holdout before':>16} {'holdout now':>16}"
    )
    now = {split: labelled.scores(rows, split) for split in ("tune", "holdout")}
    for split in ("tune", "holdout"):
        for key in ("needs an answer", "praise"):
            RESULTS.setdefault(f"{key} F1", {})[split] = now[split][key][2]
        RESULTS.setdefault("content type accuracy", {})[split] = now[split]["content accuracy"]

    def cell(v: object) -> str:
        if isinstance(v, tuple):
            return f"F1 {v[2]:.2f} (P{v[0]:.2f} R{v[1]:.2f})"
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    for key in ("needs an answer", "question", "complaint", "praise", "content accuracy"):
        cells = [
            cell(GOLD_BEFORE[split][key]) + "  " + cell(now[split][key])
            for split in ("tune", "holdout")
        ]
        print(f"  {key:22} " + "   ".join(f"{c:>34}" for c in cells))
    print("  95 % intervals (F1: bootstrap; accuracy: Wilson) and the gold positives they rest on")
    for key in ("needs an answer", "question", "complaint", "praise", "content accuracy"):
        cells = []
        for split in ("tune", "holdout"):
            s = now[split]
            if key == "content accuracy":
                lo, hi = s["content accuracy interval"]
                cells.append(f"{lo:.2f}-{hi:.2f} of {s['posts']} posts")
            else:
                lo, hi = s[f"{key} F1 interval"]
                cells.append(f"F1 {lo:.2f}-{hi:.2f}, {s[f'{key} positives']} positives")
        print(f"  {key:22} " + "   ".join(f"{c:>34}" for c in cells))
    for split in ("tune", "holdout"):
        s = now[split]
        print(
            f"  {split}: {s['inbound']} inbound, {s['posts']} posts; language accuracy "
            f"{s.get('lang accuracy', 0):.3f}; low-confidence labels {s['low share']:.0%}, "
            f"accuracy of the confident ones {s['confident accuracy']:.3f} and of the "
            f"others {s['unsure accuracy']:.3f}"
        )
    print(flush=True)
    batches_table(every)


def posts_table(rows: list[labelled.Row]) -> None:
    """Content type accuracy of every labelled batch after the first that holds brand posts,
    alone and pooled with batch 1's posts (all plain draws: no weights), tune and holdout."""
    later = [
        b.name
        for b in labelled.BATCHES[1:]
        if any(r.batch == b.name and r.set == "posts" for r in rows)
    ]
    if not later:
        return
    columns = [(name, [r for r in rows if r.batch == name]) for name in later]
    columns.append(("posts pooled", [r for r in rows if r.set == "posts"]))
    print("content type accuracy per labelled batch of brand posts, rules backend via the stage")
    for split in ("tune", "holdout"):
        for name, part in columns:
            s = labelled.scores(part, split)
            lo, hi = s["content accuracy interval"]
            print(
                f"  {split:8} {name:14} {s['content accuracy']:.3f}  ({lo:.2f}-{hi:.2f} of "
                f"{s['posts']} posts)"
            )
            RESULTS.setdefault(f"content type accuracy, {name}", {})[split] = s["content accuracy"]
    print(flush=True)


def batches_table(rows: list[labelled.Row]) -> None:
    """The inbound figures of every labelled batch after the first, alone (weighted to the
    natural prevalence with the sample weights, and unweighted), and of all batches pooled
    (weighted: a batch-1 message weighs 1, see bench/labelled.py)."""
    for b in labelled.missing_batches():
        print(f"{b.name}: no gold labels yet ({b.gold.relative_to(ROOT)} missing): skipped")
    posts_table(rows)
    later = [
        b
        for b in labelled.BATCHES[1:]
        if b.gold.exists() and any(r.batch == b.name and r.set == "inbound" for r in rows)
    ]
    if not later:
        print(flush=True)
        return
    columns: list[tuple[str, list[labelled.Row], bool]] = []
    for b in later:
        mine = [r for r in rows if r.batch == b.name]
        columns += [(f"{b.name} weighted", mine, True), (f"{b.name} unweighted", mine, False)]
    pooled = [r for r in rows if r.set == "inbound"]
    columns.append(("pooled weighted", pooled, True))
    print("inbound figures per labelled batch, rules backend via the labelling stage")
    print("  F1 (P, R), its 95 % bootstrap interval, the gold positives it rests on and the")
    print("  prevalence (weighted: the pool's natural share)")
    for split in ("tune", "holdout"):
        now = [(name, labelled.scores(part, split, weighted=w)) for name, part, w in columns]
        print(f"  {split}: " + ", ".join(f"{name} {s['inbound']} messages" for name, s in now))
        for key in ("needs an answer", "question", "complaint", "praise"):
            for name, s in now:
                p, r, f = s[key]
                lo, hi = s[f"{key} F1 interval"]
                print(
                    f"    {key:16} {name:22} F1 {f:.2f} (P{p:.2f} R{r:.2f})  "
                    f"{lo:.2f}-{hi:.2f}, {s[f'{key} positives']:3} positives, "
                    f"prevalence {s[f'{key} prevalence']:.1%}"
                )
        for name, s in now:
            if name == "pooled weighted":
                for key in ("needs an answer", "praise"):
                    RESULTS.setdefault(f"{key} F1, batches pooled (weighted)", {})[split] = s[key][
                        2
                    ]
    print(flush=True)


def content_trained_table(
    train_batches: Sequence[str] = ("batch 1", "batch 3", "batch 4"),
    score_batches: Sequence[str] | None = None,
) -> None:
    """A trained content-type model beside the rules (bench/content_model.py): every setting's
    CV accuracy on the tune posts of `train_batches` (default batches 1, 3 and 4; 5-fold
    stratified, and leave one account out), the setting chosen on those alone, then the holdout
    posts of `score_batches` (default: `train_batches`) scored once with it, per batch and
    pooled, beside the rules. `train_batches=("batch 4", "batch 6")` trains on the posts no
    rule writer read. The holdout texts are only given to the model; no holdout row is
    printed."""
    import content_model

    scored = tuple(train_batches if score_batches is None else score_batches)
    names = set(train_batches) | set(scored)
    chosen_batches = [b for b in labelled.BATCHES if b.name in names]
    rows = labelled.load(batches=chosen_batches, with_text=("tune", "holdout"))
    posts = [r for r in rows if r.set == "posts"]
    tune, holdout = content_model.train_and_score(posts, train_batches, scored)
    rules_tune = np.mean([r.label.get("content_type") == r.gold["content_type"] for r in tune])
    trained_on = ", ".join(train_batches)
    print(f"content type, trained model vs rules: {len(tune)} tune posts ({trained_on})")
    print(f"  rules on these tune posts: {rules_tune:.3f}")
    print("  CV accuracy stratified / leave-one-account-out, per threshold (0: model alone,")
    print("  t > 0: the rules' label unless the model's probability is >= t)")
    trials = content_model.cross_validate(tune)
    seen: dict[tuple[bool, str, float], list[content_model.Trial]] = {}
    for t in trials:
        seen.setdefault((t.account, t.features, t.c), []).append(t)
    for (account, features, c), part in seen.items():
        cells = " ".join(f"t{t.threshold:.1f} {t.stratified:.3f}/{t.grouped:.3f}" for t in part)
        print(f"    {features:13} account={'yes' if account else 'no ':3} C={c:<4g} {cells}")
    best = content_model.choose(trials)
    per = ", ".join(f"{g} {v:.3f}" for g, v in best.per_account.items())
    print(
        f"  chosen (best stratified CV, no account feature): {best.features}, C {best.c:g}, "
        f"threshold {best.threshold:.1f}: stratified {best.stratified:.3f}, "
        f"leave-one-account-out {best.grouped:.3f} ({per})"
    )
    pred = content_model.fit_and_predict(tune, holdout, best)
    print("  holdout, scored once with the chosen setting fitted on all tune posts")
    for name in (*(b.name for b in chosen_batches if b.name in scored), "pooled"):
        part = [
            (r.gold["content_type"], r.label.get("content_type"), got)
            for r, got in zip(holdout, pred, strict=True)
            if name == "pooled" or r.batch == name
        ]
        rules_right = sum(g == rule for g, rule, _ in part)
        model_right = sum(g == got for g, _, got in part)
        lo, hi = labelled.wilson(model_right, len(part))
        fixed = sum(g == got != rule for g, rule, got in part)
        broken = sum(g == rule != got for g, rule, got in part)
        print(
            f"    {name:8} {len(part):3} posts  rules {rules_right / len(part):.3f}  trained "
            f"{model_right / len(part):.3f} ({lo:.2f}-{hi:.2f})  {fixed} put right, "
            f"{broken} put wrong"
        )
        key = f"content type accuracy, trained, {name}"
        if tuple(train_batches) != ("batch 1", "batch 3", "batch 4"):
            key += f" (trained on {trained_on})"
        RESULTS.setdefault(key, {})["holdout"] = model_right / len(part)
    print(flush=True)


def replies_table() -> None:
    """`socialaudit train --from-replies` on TWCS: the weak labels the brand's replies give, and
    the complaint model trained on them, scored on the hand-labelled inbound messages.

    The model is trained on twcs_head5000's answered messages with every gold message hidden
    (neither its text nor its reply is learned from), then labels the gold messages of both TWCS
    files (spotifycares holds no brand replies: there it is a model of other brands' care).
    The weak labels themselves are scored on the gold messages the brand answered.
    """
    import tempfile

    from socialaudit.labelling import (
        label_workspace,
        model_path,
        train_from_replies,
        weak_labels,
    )
    from socialaudit.sources import read_path, write_batch
    from socialaudit.sources.base import ImportOptions
    from socialaudit.workspace import Workspace

    # batch 1 only: its figures stay comparable with the earlier runs'
    gold = {(g["platform"], g["id"]): g for g in labelled.gold_rows() if g["set"] == "inbound"}
    rel = "twcs/twcs_head5000_multibrand.csv"
    with tempfile.TemporaryDirectory() as tmp:
        with Workspace.open(Path(tmp) / "train") as ws:
            write_batch(ws, read_path(DATA / rel, None, ImportOptions()))
            model, counts = train_from_replies(ws, hide=set(gold))
            weak = {(r["platform"], r["id"]): r["weak"] for r in weak_labels(ws).to_pylist()}
        saved = Path(tmp) / "complaint.model"
        model.save(saved)

        def with_model(ws: Workspace) -> None:
            model_path(ws, "complaint").parent.mkdir(parents=True, exist_ok=True)
            model_path(ws, "complaint").write_bytes(saved.read_bytes())
            label_workspace(ws)

        trained_rows = labelled.load(label=with_model, with_text=(), batches=labelled.BATCHES[:1])
    rules_rows = labelled.load(with_text=(), batches=labelled.BATCHES[:1])
    print("socialaudit train --from-replies (TWCS; the gold messages and their replies hidden)")
    print(
        f"  trained on {counts['weak complaint']} complaints and {counts['weak not']} others "
        f"(weak labels of {counts['answered']} answered messages; {counts['no cue']} replies "
        "say neither)"
    )
    print(
        f"  the model's C, chosen by the inner CV on those weak labels: "
        f"{model.pipeline.named_steps['clf'].C:g}"
    )
    for split in ("tune", "holdout"):
        answered = [g for k, g in gold.items() if g["split"] == split and weak.get(k)]
        right = sum(
            (weak[(g["platform"], g["id"])] == "complaint") == g["complaint"] for g in answered
        )
        print(
            f"  {split}: the weak label's complaint/not agrees with the gold label on "
            f"{right} of {len(answered)} answered gold messages ({right / max(len(answered), 1):.3f})"
        )
    print(
        f"  {'figure':22} {'tune rules':>24} {'tune trained':>24} {'holdout rules':>24} {'holdout trained':>24}"
    )
    for key in ("complaint", "needs an answer"):
        cells = []
        for split in ("tune", "holdout"):
            for rows in (rules_rows, trained_rows):
                twcs = [r for r in rows if r.set == "inbound"]
                p, r_, f = labelled.scores(twcs, split)[key]
                cells.append(f"F1 {f:.2f} (P{p:.2f} R{r_:.2f})")
                if key == "needs an answer" and rows is trained_rows:
                    RESULTS.setdefault("needs an answer F1, from replies", {})[split] = f
        print(f"  {key:22} " + " ".join(f"{c:>24}" for c in cells))
    print(flush=True)


@dataclass
class Dataset:
    name: str
    task: str  # complaint, sentiment, praise, bad_support, care_reply
    texts: list[str]
    labels: list[str]  # complaint/not; negative/neutral/positive; yes/no
    from_brand: bool = False
    ids: list[str] | None = None  # the rows' own ids, where the file has them


def preotiuc_part(tweet_id: str) -> str:
    """The Preotiuc set's fixed split: `tune` (the rules may be adjusted while reading its
    misses) or `holdout` (only ever scored), by the parity of the SHA-256 of the tweet id (1,190
    tune and 1,223 holdout rows)."""
    return "tune" if hashlib.sha256(tweet_id.encode()).digest()[-1] % 2 == 0 else "holdout"


def _read(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # the Rigaut files (see PROVENANCE.md)


def load() -> list[Dataset]:
    sets: list[Dataset] = []
    p = DATA / "complaints_preotiuc2019" / "complaints-data_train70.csv"
    rows = list(csv.reader(io.StringIO(_read(p), newline="")))
    sets.append(
        Dataset(
            "preotiuc2019",
            "complaint",
            [r[1] for r in rows],
            ["complaint" if r[2] == "1" else "not" for r in rows],
            ids=[r[0] for r in rows],
        )
    )
    texts, labels = [], []
    for name in ("airlines_set1", "airlines_set2", "telecom_set1", "telecom_set2"):
        p = DATA / "complaints_rigaut_airline_telecom" / f"{name}_finalLabels.csv"
        for r in csv.DictReader(io.StringIO(_read(p), newline="")):
            texts.append(r["text"])
            labels.append("complaint" if r["finalLabel"].startswith("1") else "not")
    sets.append(Dataset("rigaut airline+telecom", "complaint", texts, labels))
    p = DATA / "twitter_us_airline_sentiment" / "Tweets_train70.csv"
    rows = list(csv.DictReader(io.StringIO(_read(p), newline="")))
    sets.append(
        Dataset(
            "us airline",
            "sentiment",
            [r["text"] for r in rows],
            [r["airline_sentiment"] for r in rows],
        )
    )
    texts, labels = [], []
    names = {"0": "negative", "1": "neutral", "2": "positive"}
    for split in ("val", "test"):
        d = DATA / "tweeteval" / "sentiment"
        texts += _read(d / f"{split}_text.txt").splitlines()
        labels += [names[x.strip()] for x in _read(d / f"{split}_labels.txt").splitlines()]
    sets.append(Dataset("tweeteval", "sentiment", texts, labels))
    p = DATA / "twcs_topic_labels_ericsson" / "twcs-AmazonHelp-200-inbound.csv"
    rows = list(csv.DictReader(io.StringIO(_read(p), newline="")))
    for task, column in (("praise", "Service Praise"), ("bad_support", "Bad Support")):
        sets.append(
            Dataset(
                f"ericsson amazon {column.lower()}",
                task,
                [r["text"] for r in rows],
                ["yes" if r[column].strip() == "1" else "no" for r in rows],
            )
        )
    texts = []
    for brand in ("AmazonHelp", "AppleSupport", "SpotifyCares"):
        p = DATA / "twcs_topic_labels_ericsson" / f"twcs-{brand}-100-outbound.csv"
        texts += [r["text"] for r in csv.DictReader(io.StringIO(_read(p), newline=""))]
    sets.append(
        Dataset(
            "ericsson brand replies", "care_reply", texts, ["yes"] * len(texts), from_brand=True
        )
    )
    return sets


# -- predictions ------------------------------------------------------------------------------


def vader_predict(ds: Dataset) -> list[str]:
    """The VADER-only baseline: negative = complaint / bad support, positive = praise."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    v = SentimentIntensityAnalyzer()
    score = np.array([v.polarity_scores(t)["compound"] for t in ds.texts])
    if ds.task == "sentiment":
        return list(sentiment.polarity(score))
    if ds.task == "complaint":
        return ["complaint" if s <= sentiment.NEGATIVE_AT else "not" for s in score]
    if ds.task == "praise":
        return ["yes" if s >= sentiment.POSITIVE_AT else "no" for s in score]
    if ds.task == "bad_support":
        return ["yes" if s <= sentiment.NEGATIVE_AT else "no" for s in score]
    return ["no"] * len(ds.texts)  # VADER has no notion of a care reply


def from_labels(ds: Dataset, t: pa.Table) -> list[str]:
    if ds.task == "sentiment":
        return t["sentiment"].to_pylist()
    if ds.task == "complaint":
        return ["complaint" if c else "not" for c in t["is_complaint"].to_pylist()]
    if ds.task == "praise":
        return ["yes" if c else "no" for c in t["is_praise"].to_pylist()]
    if ds.task == "bad_support":
        return ["yes" if '"bad_support"' in c else "no" for c in t["cues"].to_pylist()]
    return ["yes" if c == "care_reply" else "no" for c in t["content_type"].to_pylist()]


def rules_predict(ds: Dataset) -> list[str]:
    return from_labels(ds, text.classify(ds.texts, from_brand=[ds.from_brand] * len(ds.texts)))


def trained_cv(ds: Dataset, folds: int = 5) -> list[str]:
    """5-fold cross-validated predictions of the trained backend (complaint and sentiment only)."""
    y = np.array(ds.labels)
    x = np.array(ds.texts, dtype=object)
    pred = np.empty(len(y), dtype=object)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        model = trained.train(list(x[train_idx]), list(y[train_idx]), task=ds.task)
        pred[test_idx] = model.predict(list(x[test_idx]))
    return list(pred)


# -- scores -----------------------------------------------------------------------------------


def score(ds: Dataset, pred: list[str]) -> str:
    if ds.task == "complaint":
        return f"macro-F1 {f1_score(ds.labels, pred, average='macro'):.3f}"
    if ds.task == "sentiment":
        f1 = f1_score(ds.labels, pred, average="macro")
        return f"macro-F1 {f1:.3f} acc {accuracy_score(ds.labels, pred):.3f}"
    if ds.task == "care_reply":
        return f"recall {np.mean([p == 'yes' for p in pred]):.3f}"
    p, r, f, _ = precision_recall_fscore_support(
        ds.labels, pred, pos_label="yes", average="binary", zero_division=0
    )
    return f"P {p:.2f} R {r:.2f} F1 {f:.2f}"


def accuracy_table(sets: list[Dataset], quick: bool) -> None:
    backends: list[tuple[str, Callable[[Dataset], list[str]]]] = [
        ("vader", vader_predict),
        ("rules", rules_predict),
    ]
    if not quick:
        backends.append(("trained (5-fold CV)", trained_cv))
    print(f"{'data set':28} {'n':>6}  " + "  ".join(f"{b:<26}" for b, _ in backends))
    for ds in sets:
        cells = []
        for b, fn in backends:
            if b.startswith("trained") and ds.task not in ("complaint", "sentiment"):
                cells.append("-")  # too few labelled examples to train on
                continue
            pred = fn(ds)
            cells.append(score(ds, pred))
            if ds.name in ("preotiuc2019", "us airline") and b != "vader":
                figure = f"{ds.name} macro-F1, {'trained (CV)' if b != 'rules' else 'rules'}"
                RESULTS.setdefault(figure, {})["tune"] = float(
                    f1_score(ds.labels, pred, average="macro")
                )
        print(
            f"{ds.name:28} {len(ds.texts):>6}  " + "  ".join(f"{c:<26}" for c in cells), flush=True
        )
        if ds.name == "preotiuc2019":
            preotiuc_parts(ds)


def preotiuc_parts(ds: Dataset) -> None:
    """The rules' Preotiuc macro-F1 on its tune and holdout parts (`preotiuc_part`) and whole."""
    assert ds.ids is not None
    pred = rules_predict(ds)
    parts = [preotiuc_part(i) for i in ds.ids]
    cells = []
    for part in ("tune", "holdout", None):
        idx = [k for k, p in enumerate(parts) if part is None or p == part]
        f1 = f1_score([ds.labels[k] for k in idx], [pred[k] for k in idx], average="macro")
        cells.append(f"{part or 'whole'} {f1:.3f} ({len(idx)})")
        if part:
            RESULTS.setdefault("preotiuc2019 macro-F1, rules (hash split)", {})[part] = float(f1)
    print(f"  {'rules by the id-hash split':26}  " + ", ".join(cells), flush=True)


# -- speed ------------------------------------------------------------------------------------


def _vader_chunk(texts: list[str]) -> int:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    v = SentimentIntensityAnalyzer()
    for t in texts:
        v.polarity_scores(t)
    return len(texts)


def speed_table(sets: list[Dataset], repeat: int) -> None:
    """Texts per second, wall clock (best of 3) and, for one process, CPU time (best of 3).

    On a shared machine the wall clock of a pool depends on what else runs; the CPU time of one
    process does not, so both are printed, with the load average at the start.
    """
    from concurrent.futures import ProcessPoolExecutor

    base = [t for ds in sets if ds.task in ("complaint", "sentiment") for t in ds.texts]
    # Each copy after the first ends in its copy number, so that every text is distinct: the
    # language detector reads a distinct text once per batch, and exact repeats would measure
    # that shortcut instead of the labelling (real inbound text repeats 2-6 %).
    texts = [t if k == 0 else f"{t} {k}" for k in range(repeat) for t in base]
    cores = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\nthroughput on {len(texts):,} tweets, {cores} cores, load average {load}")

    def best(fn: Callable[[], object]) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(3):
            w, c = time.perf_counter(), time.process_time()
            fn()
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
        return len(texts) / min(walls), len(texts) / min(cpus)

    chunks = [texts[i : i + 20_000] for i in range(0, len(texts), 20_000)]

    def vader_pool() -> None:
        with ProcessPoolExecutor(cores) as ex:
            list(ex.map(_vader_chunk, chunks))

    arr = pa.array(texts)
    model = trained.train(sets[0].texts, sets[0].labels, task="complaint")
    runs: list[tuple[str, Callable[[], object], bool]] = [
        ("vader, 1 process", lambda: _vader_chunk(texts), True),
        (f"vader, {cores} processes", vader_pool, False),
        ("rules, 1 process", lambda: text.classify(arr, workers=1), True),
        (f"rules, {cores} processes", lambda: text.classify(arr, workers=cores), False),
        ("trained complaint, 1 process", lambda: text.classify(arr, model=model, workers=1), True),
        (
            f"trained complaint, {cores} processes",
            lambda: text.classify(arr, model=model, workers=cores),
            False,
        ),
    ]
    print(f"  {'backend':36} {'wall':>10} {'x vader':>8}   {'cpu':>10} {'x vader':>8}")
    v_wall = v_cpu = 0.0
    for name, fn, one_process in runs:
        wall, cpu = best(fn)
        if not v_wall:
            v_wall, v_cpu = wall, cpu
        cpu_cells = f"{cpu:>8,.0f}/s {cpu / v_cpu:7.1f}x" if one_process else f"{'':>10} {'':>8}"
        print(f"  {name:36} {wall:>8,.0f}/s {wall / v_wall:7.1f}x   {cpu_cells}", flush=True)
        if name == f"rules, {cores} processes":
            RESULTS["rules texts/s, language detection included"] = {"tune": wall}
        if name == "rules, 1 process":
            RESULTS[f"rules texts/s, 1 process CPU x {cores} cores"] = {"tune": cpu * cores}


# The real accounts SA304 is judged on: the X archives and the Mastodon outbox.
SA304_EXPORTS = (
    "export_x_archive/andreruffert",
    "export_x_archive/alrocar",
    "export_mastodon_outbox/dealingwith",
)


def sa304_table() -> None:
    """SA304's flags on the real archives (each imported and audited as `socialaudit audit`
    does, default config): all its flags, and the draft linter's alone (without the posts
    edited or deleted soon after, which the rulebook counts too)."""
    import tempfile

    from socialaudit.audit import run_audit
    from socialaudit.sources import read_path, write_batch
    from socialaudit.sources.base import ImportOptions
    from socialaudit.workspace import Workspace

    print("SA304 publish-first-think-later on the real archives (default config, last year)")
    total = flagged = linted = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, rel in enumerate(SA304_EXPORTS):
            with Workspace.open(Path(tmp) / f"ws{i}") as ws:
                write_batch(ws, read_path(DATA / rel, None, ImportOptions()))
                (f,) = run_audit(ws, select=["SA304"]).findings
            fig = f.figures
            n = int(fig.get("messages", 0))
            total += n
            flagged += int(fig.get("flagged", 0))
            linted += int(fig.get("linter_flagged", 0))
            print(
                f"  {rel:38} {f.verdict.value:5} {n:5} messages, flagged {fig.get('flagged', 0):3}"
                f" ({fig.get('flagged_share', 0):.1%}), by the linter {fig.get('linter_flagged', 0):3}"
                f" ({fig.get('linter_flagged_share', 0):.1%}), corrected soon "
                f"{fig.get('corrected_soon', 0)}"
            )
    if total:
        RESULTS["SA304 share of posts flagged"] = {"tune": flagged / total}
        RESULTS["SA304 share flagged by the linter alone"] = {"tune": linted / total}
    print(flush=True)


# figure, target, higher is better; "tune" holds the figure of sets with no holdout here (the
# shared sets' 30 % holdout is kept by the lead; SA304 and speed are not tuned splits).
TARGETS: tuple[tuple[str, float, bool], ...] = (
    ("needs an answer F1", 0.85, True),
    ("needs an answer F1, from replies", 0.85, True),
    ("needs an answer F1, batches pooled (weighted)", 0.85, True),
    ("praise F1", 0.80, True),
    ("praise F1, batches pooled (weighted)", 0.80, True),
    ("content type accuracy", 0.80, True),
    ("content type accuracy, batch 3", 0.80, True),
    ("content type accuracy, batch 4", 0.80, True),
    ("content type accuracy, batch 6", 0.80, True),
    ("content type accuracy, posts pooled", 0.80, True),
    ("preotiuc2019 macro-F1, rules", 0.80, True),
    ("preotiuc2019 macro-F1, rules (hash split)", 0.80, True),
    ("preotiuc2019 macro-F1, trained (CV)", 0.87, True),
    ("us airline macro-F1, rules", 0.65, True),
    ("us airline macro-F1, trained (CV)", 0.78, True),
    ("SA304 share of posts flagged", 0.015, False),
    ("SA304 share flagged by the linter alone", 0.015, False),
    ("rules texts/s, language detection included", 100_000, True),
)


def targets_table() -> None:
    """Every target of issue 11 with what this run measured: tune and holdout columns (the hand
    labels' splits; for the shared sets, SA304 and speed, the one figure under tune)."""
    print("targets (issue 11)")
    print(f"  {'figure':44} {'target':>10} {'tune':>10} {'holdout':>10}  met")
    extra = [k for k in RESULTS if k.startswith("rules texts/s, 1 process")]
    for figure, target, higher in (*TARGETS, *((k, 100_000, True) for k in extra)):
        got = RESULTS.get(figure, {})

        def cell(v: float | None, target: float = target) -> str:
            if v is None:
                return "-"
            return f"{v:,.0f}" if target > 1 else (f"{v:.1%}" if target < 0.1 else f"{v:.3f}")

        judged = got.get("holdout", got.get("tune"))
        met = "-" if judged is None else ("yes" if (judged >= target) == higher else "no")
        sign = ">=" if higher else "<="
        print(
            f"  {figure:44} {sign}{cell(target):>8} {cell(got.get('tune')):>10} "
            f"{cell(got.get('holdout')):>10}  {met}"
        )
    print("  (- : not measured in this run; see --quick, --no-speed)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--quick", action="store_true", help="rules and VADER only, no cross-validation"
    )
    ap.add_argument("--no-speed", action="store_true", help="skip the throughput table")
    ap.add_argument("--no-accuracy", action="store_true", help="only the throughput table")
    ap.add_argument(
        "--only-replies", action="store_true", help="only the train --from-replies table"
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="copies of the tweets for the speed table"
    )
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"no real data at {DATA}")
    if args.only_replies:
        replies_table()
        return
    sets = load()
    if not args.no_accuracy:
        gold_table()
        replies_table()
        accuracy_table(sets, args.quick)
        if not args.quick:
            sa304_table()
    if not args.no_speed:
        speed_table(sets, args.repeat)
    targets_table()


if __name__ == "__main__":
    main()
