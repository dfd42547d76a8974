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


def pipeline() -> Pipeline:
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
    # 19 s on 8,000 tweets), to the same weights.
    clf = LogisticRegression(C=4.0, class_weight="balanced", solver="newton-cg", max_iter=300)
    return Pipeline([("features", features), ("clf", clf)])
