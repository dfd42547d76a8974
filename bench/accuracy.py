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

    .venv/bin/python bench/accuracy.py            # everything (a few minutes on 2 cores)
    .venv/bin/python bench/accuracy.py --quick    # rules and VADER only, no cross-validation
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from collections.abc import Callable
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

# The figures of the rules before issue 11 (commit 83bcc0b), measured with this same harness.
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


def gold_table() -> None:
    """The hand-labelled real messages, tune and holdout, before issue 11 and now."""
    rows = labelled.load(with_text=())
    print(
        "hand-labelled real messages (labelled/gold.jsonl), rules backend via the labelling stage"
    )
    print(
        f"  {'figure':22} {'tune before':>16} {'tune now':>16} {'holdout before':>16} {'holdout now':>16}"
    )
    now = {split: labelled.scores(rows, split) for split in ("tune", "holdout")}

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
    for split in ("tune", "holdout"):
        s = now[split]
        print(
            f"  {split}: {s['inbound']} inbound, {s['posts']} posts; language accuracy "
            f"{s.get('lang accuracy', 0):.3f}; low-confidence labels {s['low share']:.0%}, "
            f"accuracy of the confident ones {s['confident accuracy']:.3f} and of the "
            f"others {s['unsure accuracy']:.3f}"
        )
    print(flush=True)


@dataclass
class Dataset:
    name: str
    task: str  # complaint, sentiment, praise, bad_support, care_reply
    texts: list[str]
    labels: list[str]  # complaint/not; negative/neutral/positive; yes/no
    from_brand: bool = False


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
            cells.append(score(ds, fn(ds)))
        print(
            f"{ds.name:28} {len(ds.texts):>6}  " + "  ".join(f"{c:<26}" for c in cells), flush=True
        )


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
    texts = base * repeat
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
        "--repeat", type=int, default=5, help="copies of the tweets for the speed table"
    )
    args = ap.parse_args()
    if not DATA.exists():
        sys.exit(f"no real data at {DATA}")
    sets = load()
    if not args.no_accuracy:
        gold_table()
        accuracy_table(sets, args.quick)
    if not args.no_speed:
        speed_table(sets, args.repeat)


if __name__ == "__main__":
    main()
