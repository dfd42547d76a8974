"""The trained backend's features and classifier (imports scikit-learn; `trained.py` does not).

`RuleFeatures` and `model_text` are referenced by saved models: renaming or moving them breaks
existing model files, so bump `trained.FORMAT_VERSION` when doing so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MaxAbsScaler

from .trained import model_text


class RuleFeatures(BaseEstimator, TransformerMixin):
    """The rules' signals as features: log counts of each lexicon's cues and VADER's score.

    The lexicon patterns are copied into the model when it is fitted, so a model keeps meaning
    what it meant when trained even after the project's lexicons are edited.
    """

    def fit(self, texts: Sequence[str], y: Any = None) -> RuleFeatures:
        from . import lexicons

        self.patterns_ = {name: lex.pattern for name, lex in lexicons.ALL_LEXICONS.items()}
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        import pyarrow.compute as pc

        from . import rules, sentiment

        arr = pa.array(list(texts), pa.string())
        norm = rules.normalise(arr)
        cols = [
            np.log1p(pc.count_substring_regex(norm, p).to_numpy(zero_copy_only=False))
            for p in self.patterns_.values()
        ]
        score = sentiment.compound(arr)
        cols += [
            score,
            (score <= sentiment.NEGATIVE_AT) * 1.0,
            (score >= sentiment.POSITIVE_AT) * 1.0,
        ]
        return np.column_stack(cols)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array(
            [*self.patterns_, "vader", "vader_negative", "vader_positive"], dtype=object
        )


# The regularisation strengths a model's C is chosen from, by an inner cross-validation on its
# own training examples (`tune_c`, the features refitted in each inner fold), where every label
# has INNER_FOLDS examples or more.
C_GRID = (1.0, 2.0, 4.0, 8.0, 16.0)
INNER_FOLDS = 3


def pipeline(binary: bool = False) -> Pipeline:
    """Word and character TF-IDF n-grams plus the rules' signals, then a logistic regression."""
    words = TfidfVectorizer(
        preprocessor=model_text,
        token_pattern=r"[#@]?\w[\w']*|[!?]+",
        ngram_range=(1, 2),
        sublinear_tf=True,
    )
    # Character 1-5-grams across word boundaries ("char", not "char_wb"): "not working" and
    # "@user why" are cues a within-word n-gram cannot see. 5-fold CV macro-F1, Preotiuc
    # complaints 0.824 -> 0.836, US airline sentiment 0.776 -> 0.783 (bench/accuracy.py).
    chars = TfidfVectorizer(
        preprocessor=model_text, analyzer="char", ngram_range=(1, 5), sublinear_tf=True, min_df=2
    )
    rule_features = Pipeline([("rules", RuleFeatures()), ("scale", MaxAbsScaler())])
    features = FeatureUnion([("words", words), ("chars", chars), ("rules", rule_features)])
    # newton-cg converges on these sparse features in a fraction of lbfgs's time (4 s against
    # 19 s on 8,000 tweets), to the same weights. A two-label model is fitted by liblinear, which
    # also regularises the intercept: with the class weights balanced, the Preotiuc complaints'
    # 5-fold CV macro-F1 is 0.833 with newton-cg and 0.847 with liblinear (same features, C 4).
    solver = "liblinear" if binary else "newton-cg"
    clf = LogisticRegression(C=4.0, class_weight="balanced", solver=solver, max_iter=300)
    return Pipeline([("features", features), ("clf", clf)])


def fit(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """The pipeline fitted on labelled texts. A two-label model's C is chosen by `tune_c` on
    these texts alone; a model of more labels keeps C 4 (its inner CV, 15 fits of newton-cg, was
    not measured on the 10,000 US airline tweets)."""
    binary = len(set(labels)) == 2
    pipe = pipeline(binary)
    if binary:
        pipe.set_params(clf__C=tune_c(texts, labels))
    return pipe.fit(list(texts), list(labels))


def inner_cv(
    texts: Sequence[str], labels: Sequence[str], grid: Sequence[float] = C_GRID
) -> dict[float, float] | None:
    """The mean macro-F1 of each C of `grid` in an INNER_FOLDS-fold stratified CV of the
    two-label pipeline on (texts, labels), or None where a label has fewer than INNER_FOLDS
    examples. The features (vocabularies, IDF weights, scaling) are fitted on each inner fold's
    training part alone, as they will be on the whole set later, so no inner fold's held-out
    texts shape the features it is scored with."""
    from sklearn.base import clone
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels, dtype=object)
    _, counts = np.unique(y, return_counts=True)
    if len(counts) < 2 or counts.min() < INNER_FOLDS:
        return None
    x = np.asarray(list(texts), dtype=object)
    template = pipeline(binary=True)
    scores: dict[float, list[float]] = {float(c): [] for c in grid}
    for train_idx, test_idx in StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=0).split(
        x, y
    ):
        features = clone(template.named_steps["features"])
        x_train = features.fit_transform(list(x[train_idx]), list(y[train_idx]))
        x_test = features.transform(list(x[test_idx]))
        for c in scores:
            clf = clone(template.named_steps["clf"]).set_params(C=c)
            clf.fit(x_train, list(y[train_idx]))
            scores[c].append(float(f1_score(y[test_idx], clf.predict(x_test), average="macro")))
    return {c: float(np.mean(s)) for c, s in scores.items()}


def tune_c(texts: Sequence[str], labels: Sequence[str]) -> float:
    """The C of C_GRID with the best mean macro-F1 in `inner_cv` (of equal scores, the smallest
    C); the pipeline's own C (4) where a label has fewer than INNER_FOLDS examples."""
    scores = inner_cv(texts, labels)
    if scores is None:
        return float(pipeline(binary=True).named_steps["clf"].C)
    best = max(scores.values())
    return min(c for c, s in scores.items() if s == best)
