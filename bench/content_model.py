"""A trained content-type model for brand posts, measured beside the rules (issue 11).

The experiment of bench/accuracy.py's `content_trained_table()`: a class-balanced logistic
regression over the post's word 1-2-grams and character 1-5-grams (TF-IDF, as the `trained`
backend's), the rules' own content label and content cues (one-hot), and signals that exist at
run time: where the post sits (an own post, a reply addressed to someone, a continuation of the
author's own thread), whether it has a link, its detected language, its platform and the rules'
confidence. The author's account can be added as a feature too (`account=True`): it is measured,
but never chosen, because on posts of the same few accounts it lets the model memorise them and
it says nothing about a new account.

A stacked variant keeps the rules' label and takes the model's only where the model's
probability is at least a threshold ("rules + model correction"); threshold 0 is the model alone.

Everything (features, C, threshold) is chosen on the tune posts alone, by a 5-fold stratified CV
(same accounts in and out, as the holdout is) and reported beside a leave-one-account-out CV
(how it carries to an account it has not seen). Only then is the chosen model fitted on all tune
posts and the holdout scored, in aggregate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from socialaudit.text.trained import model_text
from socialaudit.urls import LINK

_LINK = re.compile(LINK)
FEATURE_SETS = ("signals", "text+signals")
C_GRID = (1.0, 4.0, 16.0)
THRESHOLDS = (0.0, 0.4, 0.5, 0.6, 0.7)  # 0: the model alone; above: rules unless model sure


def account_group(source: str) -> str:
    """The account a post's source stands for in the grouped CV (the TWCS brands' care
    accounts, and the one small brand beside them, count as one)."""
    return "twcs" if source.startswith("twcs") or source == "yummyhopper" else source


def post_signals(row: Any, account: bool = False) -> dict[str, float]:
    """The non-text features of one labelled post (a bench/labelled.py Row with its message)."""
    text = row.message.get("text") or ""
    kind = row.message.get("kind") or "post"
    out: dict[str, float] = {f"rules={row.label.get('content_type')}": 1.0}
    cues = json.loads(row.label.get("cues") or "{}").get("content_type", [])
    for cue in cues:
        out[f"cue={str(cue).lower()}"] = 1.0
    out["cues"] = float(np.log1p(len(cues)))
    if kind in ("reply", "comment"):
        position = "addressed" if text.lstrip().startswith("@") else "continues"
    else:
        position = "post"
    out[f"position={position}"] = 1.0
    out["link"] = 1.0 if _LINK.search(text) else 0.0
    out[f"lang={row.label.get('lang')}"] = 1.0
    out[f"platform={row.platform}"] = 1.0
    out["confidence"] = float(row.label.get("confidence") or 0.0)
    if account:
        out[f"account={row.source}"] = 1.0
    return out


def examples(rows: Iterable[Any], account: bool = False) -> list[dict[str, Any]]:
    return [
        {"text": model_text(r.message.get("text") or ""), "signals": post_signals(r, account)}
        for r in rows
    ]


def _texts(xs: Sequence[dict[str, Any]]) -> list[str]:
    return [x["text"] for x in xs]


def _signals(xs: Sequence[dict[str, Any]]) -> list[dict[str, float]]:
    return [x["signals"] for x in xs]


def pipeline(features: str, c: float) -> Pipeline:
    """`features`: "text", "signals" or "text+signals"."""
    parts: list[tuple[str, Any]] = []
    if "text" in features:
        words = TfidfVectorizer(
            token_pattern=r"[#@]?\w[\w']*|[!?]+", ngram_range=(1, 2), sublinear_tf=True
        )
        chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 5), sublinear_tf=True, min_df=2)
        parts.append(("words", Pipeline([("pick", FunctionTransformer(_texts)), ("v", words)])))
        parts.append(("chars", Pipeline([("pick", FunctionTransformer(_texts)), ("v", chars)])))
    if "signals" in features:
        pick = FunctionTransformer(_signals)
        parts.append(("signals", Pipeline([("pick", pick), ("v", DictVectorizer())])))
    clf = LogisticRegression(C=c, class_weight="balanced", solver="newton-cg", max_iter=300)
    return Pipeline([("features", FeatureUnion(parts)), ("clf", clf)])


def stacked(pred: np.ndarray, proba: np.ndarray, rules: np.ndarray, threshold: float) -> np.ndarray:
    """The model's label where its probability reaches `threshold`, else the rules' label."""
    return np.where(proba >= threshold, pred, rules)


def out_of_fold(
    x: list[dict[str, Any]],
    y: np.ndarray,
    splits: Iterable[tuple[np.ndarray, np.ndarray]],
    features: str,
    c: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Each example's label and probability from the model fitted without its fold."""
    pred = np.empty(len(y), dtype=object)
    proba = np.zeros(len(y))
    for train_idx, test_idx in splits:
        model = pipeline(features, c).fit([x[i] for i in train_idx], y[train_idx])
        p = model.predict_proba([x[i] for i in test_idx])
        pred[test_idx] = model.classes_[p.argmax(axis=1)]
        proba[test_idx] = p.max(axis=1)
    return pred, proba


@dataclass
class Trial:
    features: str
    c: float
    account: bool
    threshold: float
    stratified: float  # 5-fold stratified CV accuracy on the tune posts
    grouped: float  # leave-one-account-out CV accuracy
    per_account: dict[str, float]  # grouped CV accuracy of each left-out account


def cross_validate(
    rows: Sequence[Any],
    feature_sets: Sequence[str] = FEATURE_SETS,
    c_grid: Sequence[float] = C_GRID,
    thresholds: Sequence[float] = THRESHOLDS,
    accounts: Sequence[bool] = (False, True),
    folds: int = 5,
) -> list[Trial]:
    """Every setting's CV accuracy on `rows` (the tune posts, with texts and the rules' labels)."""
    y = np.array([r.gold["content_type"] for r in rows], dtype=object)
    rules = np.array([r.label.get("content_type") for r in rows], dtype=object)
    groups = np.array([account_group(r.source) for r in rows], dtype=object)
    trials = []
    for account in accounts:
        x = examples(rows, account)
        for features in feature_sets:
            for c in c_grid:
                skf = StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y)
                sp, sq = out_of_fold(x, y, skf, features, c)
                logo = LeaveOneGroupOut().split(x, y, groups)
                gp, gq = out_of_fold(x, y, logo, features, c)
                for t in thresholds:
                    s_right = stacked(sp, sq, rules, t) == y
                    g_right = stacked(gp, gq, rules, t) == y
                    per = {g: float(g_right[groups == g].mean()) for g in sorted(set(groups))}
                    trials.append(
                        Trial(
                            features,
                            c,
                            account,
                            t,
                            float(s_right.mean()),
                            float(g_right.mean()),
                            per,
                        )
                    )
    return trials


def choose(trials: Sequence[Trial]) -> Trial:
    """The setting with the best stratified CV accuracy (to 3 decimals), ties to the better
    grouped CV, then the simpler (higher threshold, smaller C); never one using the account."""
    allowed = [t for t in trials if not t.account]
    return max(allowed, key=lambda t: (round(t.stratified, 3), t.grouped, t.threshold, -t.c))


def fit_and_predict(train: Sequence[Any], test: Sequence[Any], trial: Trial) -> np.ndarray:
    """The labels of `test` from the chosen setting fitted on all of `train`."""
    y = np.array([r.gold["content_type"] for r in train], dtype=object)
    model = pipeline(trial.features, trial.c).fit(examples(train, trial.account), y)
    p = model.predict_proba(examples(test, trial.account))
    rules = np.array([r.label.get("content_type") for r in test], dtype=object)
    return stacked(model.classes_[p.argmax(axis=1)], p.max(axis=1), rules, trial.threshold)


def train_and_score(
    posts: Sequence[Any], train_batches: Sequence[str], score_batches: Sequence[str]
) -> tuple[list[Any], list[Any]]:
    """The training posts (the tune split of `train_batches`) and the scored posts (the holdout
    split of `score_batches`); no holdout post is ever trained on, whichever batches are named."""
    tune = [r for r in posts if r.split == "tune" and r.batch in train_batches]
    holdout = [r for r in posts if r.split == "holdout" and r.batch in score_batches]
    return tune, holdout
