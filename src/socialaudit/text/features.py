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
# own training examples (`tune_c`), where every label has INNER_FOLDS examples or more.
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
    x = pipe.named_steps["features"].fit_transform(texts, labels)
    clf = pipe.named_steps["clf"]
    if binary:
        clf.set_params(C=tune_c(clf, x, labels))
    clf.fit(x, labels)
    return pipe


def tune_c(clf: LogisticRegression, x: Any, labels: Sequence[str]) -> float:
    """The C of C_GRID with the best macro-F1 in an INNER_FOLDS-fold stratified CV on (x, labels),
    the features fitted on all of them (the texts scored later are never seen); the classifier's
    own C where a label has fewer than INNER_FOLDS examples."""
    from sklearn.base import clone
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    _, counts = np.unique(np.asarray(labels, dtype=object), return_counts=True)
    if counts.min() < INNER_FOLDS:
        return float(clf.C)
    search = GridSearchCV(
        clone(clf),
        {"C": list(C_GRID)},
        cv=StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=0),
        scoring="f1_macro",
    )
    search.fit(x, list(labels))
    return float(search.best_params_["C"])
