"""The trained backend: train, save, load, classify; model files that must be refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialaudit import text
from socialaudit.errors import SocialauditError
from socialaudit.text import trained
from socialaudit.text.trained import ModelError, load_model, train

# A small hand-written training set. The words a complaint uses here ("parcel", "soggy") are not
# in the rules' lexicons, so a model that gets them right learned them from these examples.
COMPLAINTS = [
    "my parcel is soggy again",
    "the parcel came soggy and torn",
    "soggy parcel for the third week",
    "every parcel from you arrives soggy",
    "why is the parcel always soggy",
    "parcel soggy, box crushed",
    "another soggy parcel today",
    "soggy parcel, soggy books",
    "got a soggy parcel this morning",
    "the courier left the parcel in the rain, soggy",
]
OTHERS = [
    "what a lovely sunny morning",
    "reading a book in the garden",
    "the new catalogue looks lovely",
    "off to the market this morning",
    "lovely chat with the team today",
    "sunny garden, good book",
    "the catalogue arrived, lovely photos",
    "market day with friends",
    "a book and a coffee in the sun",
    "lovely weather for the garden",
]


@pytest.fixture(scope="module")
def complaint_model() -> trained.TextModel:
    return train(COMPLAINTS + OTHERS, ["complaint"] * 10 + ["not"] * 10, task="complaint")


def test_train_save_load_classify_round_trip(
    complaint_model: trained.TextModel, tmp_path: Path
) -> None:
    path = tmp_path / "complaint.model"
    complaint_model.save(path)
    loaded = load_model(path)
    assert loaded.task == "complaint"
    assert loaded.labels == ["complaint", "not"]
    assert loaded.fingerprint == complaint_model.fingerprint
    assert loaded.meta["examples"] == {"complaint": 10, "not": 10}

    probes = ["my parcel was soggy", "reading in the garden"]
    t = text.classify(probes, model=loaded)
    assert t["is_complaint"].to_pylist() == [True, False]
    assert t["intent"].to_pylist() == ["complaint", "other"]
    assert t["sentiment"][0].as_py() == "negative"  # a complaint reads negative
    assert set(t["backend"].to_pylist()) == {"trained"}
    version = t["backend_version"][0].as_py()
    assert version.startswith(f"complaint-{loaded.fingerprint[:10]}+rules-")
    cues = json.loads(t["cues"][0].as_py())
    label, *words = cues["complaint_model"]
    assert label.startswith("complaint p=")
    assert "soggy" in words or "parcel" in words
    # the same model gives the same labels before and after the round trip
    assert text.classify(probes, model=complaint_model).equals(t)


def test_trained_model_keeps_the_rules_for_other_tasks(complaint_model: trained.TextModel) -> None:
    t = text.classify(
        ["is the market open this morning?", "Tip: grind just before brewing."],
        [False, True],
        model=complaint_model,
    )
    assert t["intent"].to_pylist() == ["question", "other"]
    assert t["content_type"].to_pylist() == [None, "expertise"]


def test_sentiment_and_content_models() -> None:
    sentiment = train(
        ["great", "love it", "awesome stuff", "so good", "really great"] * 2
        + ["awful", "hate it", "terrible stuff", "so bad", "really awful"] * 2,
        ["positive"] * 10 + ["negative"] * 10,
        task="sentiment",
    )
    assert list(
        text.classify(["love it, great", "awful, so bad"], model=sentiment)["sentiment"].to_pylist()
    ) == [
        "positive",
        "negative",
    ]
    content = train(
        ["new roast out now", "roast of the month out now"] * 5
        + ["brew at 94 degrees", "brew with fresh water"] * 5,
        ["promotion"] * 10 + ["expertise"] * 10,
        task="content",
    )
    t = text.classify(
        ["the new roast is out now", "brew it at 94 degrees"], [True, True], model=content
    )
    assert t["content_type"].to_pylist() == ["promotion", "expertise"]
    assert "content_type_model" in json.loads(t["cues"][0].as_py())


def test_too_few_examples_is_a_clear_error() -> None:
    with pytest.raises(SocialauditError, match="too few examples"):
        train(["a", "b", "c"], ["complaint", "not", "not"], task="complaint")
    with pytest.raises(SocialauditError, match="2 labels"):
        train(["a"] * 20, ["not"] * 20, task="complaint")


def _noisy_set() -> tuple[list[str], list[str]]:
    """60 short texts whose label shows in one word of eight and is blurred by two words drawn
    from both labels' pools and a rare filler word: a set on which C matters."""
    import random

    rng = random.Random(7)
    bad = ["soggy", "late", "broken", "torn", "missing", "cold", "rude", "lost"]
    good = ["lovely", "sunny", "garden", "book", "coffee", "market", "friends", "photos"]
    common = ["the", "parcel", "today", "again", "my", "this", "morning", "box", "week"]
    texts, labels = [], []
    for i in range(60):
        label = "complaint" if i % 2 else "not"
        words = [
            *rng.sample(common, 3),
            *rng.sample(bad if label == "complaint" else good, 1),
            *rng.sample(bad + good, 2),
            f"w{rng.randrange(40)}",
        ]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(label)
    return texts, labels


def test_the_inner_cv_fits_the_features_inside_each_inner_fold() -> None:
    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    from socialaudit.text import features

    texts, labels = _noisy_set()
    folds = StratifiedKFold(features.INNER_FOLDS, shuffle=True, random_state=0)
    pipe = features.pipeline(binary=True)
    # the reference: scikit-learn's own CV of the whole pipeline (features and classifier
    # refitted on each fold's training part)
    per_fold = {
        c: cross_val_score(
            clone(pipe).set_params(clf__C=c), texts, labels, cv=folds, scoring="f1_macro"
        ).mean()
        for c in features.C_GRID
    }
    inner = features.inner_cv(texts, labels)
    assert inner is not None
    assert inner == pytest.approx(per_fold, abs=1e-12)
    # features fitted once on all the texts (the flaw fixed) score otherwise on this set
    x = pipe.named_steps["features"].fit_transform(texts, labels)
    leaky = {
        c: cross_val_score(
            clone(pipe.named_steps["clf"]).set_params(C=c), x, labels, cv=folds, scoring="f1_macro"
        ).mean()
        for c in features.C_GRID
    }
    assert leaky != pytest.approx(inner, abs=1e-3)
    # too few examples of a label for the inner folds: no inner CV
    assert features.inner_cv(texts[:12], ["complaint"] * 2 + ["not"] * 10) is None


def test_a_two_label_models_c_is_chosen_by_inner_cv_on_its_own_examples() -> None:
    from socialaudit.text import features

    texts, labels = _noisy_set()
    clf = train(texts, labels, task="complaint").pipeline.named_steps["clf"]
    assert clf.solver == "liblinear"
    # the C chosen scores best in the inner CV; of equal scores, the smallest C
    inner = features.inner_cv(texts, labels)
    assert inner is not None
    assert min(c for c in features.C_GRID if inner[c] == max(inner.values())) == clf.C
    # a label with fewer examples than the inner folds: the default C, no inner CV
    few = train(texts[:12], ["complaint"] * 2 + ["not"] * 10, task="complaint")
    assert few.pipeline.named_steps["clf"].C == 4.0
    # a model of three labels keeps newton-cg and C 4
    sent = train(
        COMPLAINTS + OTHERS + OTHERS,
        ["negative"] * 10 + ["neutral"] * 10 + ["positive"] * 10,
        "sentiment",
    )
    assert (sent.pipeline.named_steps["clf"].solver, sent.pipeline.named_steps["clf"].C) == (
        "newton-cg",
        4.0,
    )


def test_estimate_needs_examples_of_every_label() -> None:
    assert trained.estimate(["a", "b"] * 10, ["complaint", "not"] * 10, "complaint") is not None
    assert trained.estimate(["a"] * 20, ["complaint"] * 18 + ["not"] * 2, "complaint") is None


# -- refusing model files -----------------------------------------------------------------------


def _rewrite_header(path: Path, **changes: object) -> None:
    data = path.read_bytes()
    magic, header, body = data.split(b"\n", 2)
    meta = json.loads(header)
    meta.update(changes)
    path.write_bytes(magic + b"\n" + json.dumps(meta).encode() + b"\n" + body)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sklearn_version": "0.24.2"}, "scikit-learn 0.24.2, this is"),
        ({"format_version": 99}, "model file format 99"),
        ({"task": "horoscope"}, "unknown task"),
        ({"labels": ["complaint", "maybe"]}, "label set"),
        ({"fingerprint": "0" * 16}, "damaged model file"),
    ],
)
def test_incompatible_model_is_refused_in_one_line(
    complaint_model: trained.TextModel, tmp_path: Path, changes: dict, message: str
) -> None:
    path = tmp_path / "m.model"
    complaint_model.save(path)
    _rewrite_header(path, **changes)
    with pytest.raises(ModelError, match=message) as info:
        load_model(path)
    assert "\n" not in info.value.one_line()
    assert str(path) in str(info.value)


def test_a_file_that_is_not_a_model_is_refused_before_unpickling(tmp_path: Path) -> None:
    path = tmp_path / "evil.model"
    import pickle

    path.write_bytes(pickle.dumps({"not": "a model"}))
    with pytest.raises(ModelError, match="not a socialaudit model file"):
        load_model(path)
    with pytest.raises(ModelError, match="cannot read"):
        load_model(tmp_path / "missing.model")
