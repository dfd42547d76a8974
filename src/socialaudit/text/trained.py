"""The `trained` backend: a linear model learned from labelled examples the user gives
(its features and classifier are in `features.py`).

One model answers one task: `complaint` (complaint / not), `sentiment` (negative / neutral /
positive), `intent` (complaint / question / praise / other) or `content` (the content types).
The features are TF-IDF word 1–2-grams, TF-IDF character 1–5-grams (across word boundaries), and the `rules`
backend's own signals (lexicon cue counts, VADER's score), so a small training set starts from
what the rules already know. The classifier is a class-balanced logistic regression; a
two-label model's regularisation C is chosen by a 3-fold CV on its own training examples.

A model is explainable like the rules: the word n-grams that pushed a text towards its label
most are its cues.

Model files (`TextModel.save` / `load_model`): a first line naming the format, a JSON header
line (format version, socialaudit and scikit-learn versions, task, label set, examples, time),
then the pickled scikit-learn pipeline. The header is checked before anything is unpickled, and
a model made by another format version or another scikit-learn minor version is refused with
one line saying to retrain. Unpickling runs code from the file: load only model files you made
yourself (docs/text.md says so too).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as _installed
from pathlib import Path
from typing import Any

import numpy as np

from .. import __version__, model
from ..errors import SocialauditError
from ..urls import LINK

# scikit-learn is imported only to train or load a model (it takes about a second to import,
# which `socialaudit lint` and the rules backend need not pay); its version is read without it.
SKLEARN_VERSION = _installed("scikit-learn")

MAGIC = b"socialaudit-text-model\n"
FORMAT_VERSION = 1

# The labels each task knows, and the first is what `is_*` flags call "yes" for binary tasks.
TASKS: dict[str, tuple[str, ...]] = {
    "complaint": ("complaint", "not"),
    "sentiment": ("negative", "neutral", "positive"),
    "intent": tuple(i.value for i in model.Intent),
    "content": tuple(c.value for c in model.ContentType),
}

# How users may spell labels in their CSV files (matched case-insensitively after trimming).
ALIASES: dict[str, dict[str, str]] = {
    "complaint": {
        **dict.fromkeys(("1", "1.0", "true", "yes", "y", "complaint"), "complaint"),
        **dict.fromkeys(
            (
                "0",
                "0.0",
                "false",
                "no",
                "n",
                "not",
                "not complaint",
                "not_complaint",
                "none",
                "other",
            ),
            "not",
        ),
    },
    "sentiment": {
        **dict.fromkeys(("negative", "neg", "-1"), "negative"),
        **dict.fromkeys(("neutral", "neu", "0"), "neutral"),
        **dict.fromkeys(("positive", "pos", "1", "+1"), "positive"),
    },
    "intent": {v: v for v in TASKS["intent"]},
    "content": {
        **{v: v for v in TASKS["content"]},
        "like-bait": "like_bait",
        "care reply": "care_reply",
    },
}

MIN_EXAMPLES = 10  # fewer labelled examples than this teach a linear model nothing useful
CUES_PER_LABEL = 3


class ModelError(SocialauditError):
    """A model file that cannot be used: not a model, damaged, or from an incompatible version."""


def normalise_label(task: str, value: str | None) -> str | None:
    """The canonical label for a user's spelling, None when empty; raises KeyError if unknown."""
    if value is None or not str(value).strip():
        return None
    return ALIASES[task][str(value).strip().lower()]


# -- features ----------------------------------------------------------------------------------

_URL = re.compile(LINK)
_HANDLE = re.compile(r"@\w+")
_DIGITS = re.compile(r"\d+")


def model_text(text: str) -> str:
    """What the n-gram features see: lower case, links, handles and numbers replaced."""
    text = _URL.sub(" http ", text or "")
    text = _HANDLE.sub(" @user ", text)
    return _DIGITS.sub("0", text.lower().replace("’", "'"))


# -- the model ---------------------------------------------------------------------------------


@dataclass
class TextModel:
    task: str
    pipeline: Any  # a fitted sklearn Pipeline: features, then clf
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return [str(c) for c in self.pipeline.named_steps["clf"].classes_]

    @property
    def fingerprint(self) -> str:
        """Identifies this model's weights: a different model, a different fingerprint."""
        return self.meta["fingerprint"]

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.pipeline.predict([t or "" for t in texts]).astype(object)

    def explain(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
        """Labels, their probabilities, and per text the word n-grams that pushed it most."""
        texts = [t or "" for t in texts]
        features = self.pipeline.named_steps["features"]
        clf = self.pipeline.named_steps["clf"]
        x = features.transform(texts).tocsr()
        proba = clf.predict_proba(x)
        best = proba.argmax(axis=1)
        labels = clf.classes_[best].astype(object)
        coef = clf.coef_
        if coef.shape[0] == 1:  # binary: one row of weights, for classes_[1]
            coef = np.vstack([-coef[0], coef[0]])
        vocab = features.transformer_list[0][1].get_feature_names_out()
        n_words = len(vocab)
        cues: list[list[str]] = []
        for i in range(x.shape[0]):
            start, end = x.indptr[i], x.indptr[i + 1]
            idx = x.indices[start:end]
            keep = idx < n_words
            idx = idx[keep]
            contrib = x.data[start:end][keep] * coef[best[i], idx]
            order = np.argsort(-contrib)[:CUES_PER_LABEL]
            cues.append([str(vocab[idx[j]]) for j in order if contrib[j] > 0])
        return labels, proba.max(axis=1), cues

    # -- files ---------------------------------------------------------------------------------

    def save(self, path: Path) -> None:
        body = pickle.dumps(self.pipeline, protocol=pickle.HIGHEST_PROTOCOL)
        header = {**self.meta, "fingerprint": hashlib.sha256(body).hexdigest()[:16]}
        self.meta = header
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with tmp.open("wb") as f:
            f.write(MAGIC)
            f.write(json.dumps(header, sort_keys=True).encode("utf-8") + b"\n")
            f.write(body)
        tmp.replace(path)


def _sklearn_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def read_header(path: Path) -> dict[str, Any]:
    """The JSON header of a model file, checked for compatibility; nothing is unpickled."""
    try:
        with path.open("rb") as f:
            magic = f.readline()
            line = f.readline()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the model file ({exc.strerror or exc})") from exc
    if magic != MAGIC:
        raise ModelError(
            f"{path}: not a socialaudit model file (make one with `socialaudit train`)"
        )
    try:
        header = json.loads(line)
    except ValueError as exc:
        raise ModelError(f"{path}: damaged model file (its header is not JSON)") from exc
    fmt = header.get("format_version")
    if fmt != FORMAT_VERSION:
        raise ModelError(
            f"{path}: model file format {fmt}, this socialaudit {__version__} reads format "
            f"{FORMAT_VERSION}; "
            f"retrain it with `socialaudit train`"
        )
    theirs = str(header.get("sklearn_version", "?"))
    if _sklearn_minor(theirs) != _sklearn_minor(SKLEARN_VERSION):
        raise ModelError(
            f"{path}: model made with scikit-learn {theirs}, this is {SKLEARN_VERSION}; "
            f"retrain it with `socialaudit train`"
        )
    task = header.get("task")
    if task not in TASKS or not set(header.get("labels", [])) <= set(TASKS[task]):
        raise ModelError(
            f"{path}: model for an unknown task or label set ({task!r}: {header.get('labels')})"
        )
    return header


def load_model(path: str | Path) -> TextModel:
    """Load a model file made by `TextModel.save`. Trusts the file: unpickling can run its code."""
    path = Path(path)
    header = read_header(path)
    with path.open("rb") as f:
        f.readline()
        f.readline()
        body = f.read()
    if hashlib.sha256(body).hexdigest()[:16] != header.get("fingerprint"):
        raise ModelError(f"{path}: damaged model file (its weights do not match its header)")
    try:
        pipeline = pickle.loads(body)  # the user's own model file (see module doc)
    except Exception as exc:  # a damaged or foreign pickle can raise almost anything
        raise ModelError(f"{path}: damaged model file ({type(exc).__name__})") from exc
    from sklearn.pipeline import Pipeline

    if not isinstance(pipeline, Pipeline):
        raise ModelError(f"{path}: not a socialaudit model file")
    return TextModel(header["task"], pipeline, header)


# -- training ------------------------------------------------------------------------------------


def train(
    texts: Sequence[str | None], labels: Sequence[str], task: str, source: str | None = None
) -> TextModel:
    """Fit a model on labelled texts (labels already canonical for `task`)."""
    if task not in TASKS:
        raise SocialauditError(f"unknown task {task!r}; expected one of {', '.join(TASKS)}")
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    if len(labels) < MIN_EXAMPLES or len(counts) < 2:
        raise SocialauditError(
            f"too few examples to train a {task} model: {len(labels)} labelled, "
            f"{len(counts)} distinct label(s); need at least {MIN_EXAMPLES} and 2 labels"
        )
    from .features import fit

    pipeline = fit([t or "" for t in texts], list(labels))
    meta = {
        "format": MAGIC.decode().strip(),
        "format_version": FORMAT_VERSION,
        "socialaudit_version": __version__,
        "sklearn_version": SKLEARN_VERSION,
        "task": task,
        "labels": sorted(counts),
        "examples": counts,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
    }
    m = TextModel(task, pipeline, meta)
    body = pickle.dumps(pipeline, protocol=pickle.HIGHEST_PROTOCOL)
    m.meta["fingerprint"] = hashlib.sha256(body).hexdigest()[:16]
    return m


def estimate(
    texts: Sequence[str | None], labels: Sequence[str], task: str, folds: int = 5
) -> float | None:
    """Macro-F1 by stratified k-fold cross-validation, or None when there are too few examples
    of some label (fewer than `folds`) to hold any out."""
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    y = np.array(labels, dtype=object)
    _, counts = np.unique(y, return_counts=True)
    if len(counts) < 2 or counts.min() < folds:
        return None
    x = np.array([t or "" for t in texts], dtype=object)
    pred = np.empty(len(y), dtype=object)
    for train_idx, test_idx in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        m = train(list(x[train_idx]), list(y[train_idx]), task)
        pred[test_idx] = m.predict(list(x[test_idx]))
    return float(f1_score(y, pred, average="macro"))
