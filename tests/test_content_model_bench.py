"""bench/content_model.py (the trained content-type experiment of bench/accuracy.py) on tiny
hand-made posts: the run-time signals, the stacking of rules and model, the choice of a
setting, and the cross-validation's figures."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import content_model  # noqa: E402  (bench/content_model.py)
import labelled  # noqa: E402  (bench/labelled.py)


def _row(text: str, gold: str, rules: str, source: str = "a", kind: str = "post") -> labelled.Row:
    return labelled.Row(
        "posts",
        source,
        "x",
        str(abs(hash((text, source)))),
        "tune",
        {"content_type": gold},
        label={
            "content_type": rules,
            "cues": json.dumps({"content_type": ["Webinar"]}),
            "lang": "en",
            "confidence": 0.7,
        },
        message={"text": text, "kind": kind},
    )


def test_signals_of_a_post() -> None:
    post = content_model.post_signals(_row("Join our webinar https://t.co/x", "promotion", "other"))
    assert post["rules=other"] == 1.0
    assert post["cue=webinar"] == 1.0
    assert post["link"] == 1.0
    assert post["position=post"] == 1.0
    assert post["lang=en"] == 1.0
    assert not any(k.startswith("account=") for k in post)
    addressed = content_model.post_signals(_row(" @ana thanks!", "other", "other", kind="reply"))
    assert addressed["position=addressed"] == 1.0 and addressed["link"] == 0.0
    continues = content_model.post_signals(_row("and part 2", "other", "other", kind="reply"))
    assert continues["position=continues"] == 1.0
    with_account = content_model.post_signals(_row("hi", "other", "other", "bob"), account=True)
    assert with_account["account=bob"] == 1.0


def test_stacked_takes_the_model_only_where_it_is_sure() -> None:
    pred = np.array(["personal", "expertise", "other"], dtype=object)
    proba = np.array([0.9, 0.45, 0.6])
    rules = np.array(["other", "other", "engagement"], dtype=object)
    assert list(content_model.stacked(pred, proba, rules, 0.0)) == list(pred)
    assert list(content_model.stacked(pred, proba, rules, 0.5)) == ["personal", "other", "other"]
    assert list(content_model.stacked(pred, proba, rules, 1.01)) == list(rules)


def test_choose_never_takes_the_account_and_breaks_ties() -> None:
    trial = content_model.Trial
    trials = [
        trial("text+signals", 1.0, True, 0.5, 0.95, 0.9, {}),  # best, but uses the account
        trial("text+signals", 4.0, False, 0.5, 0.8304, 0.70, {}),
        trial("signals", 1.0, False, 0.6, 0.8296, 0.80, {}),  # same to 3 decimals, better grouped
        trial("signals", 16.0, False, 0.0, 0.70, 0.95, {}),
    ]
    best = content_model.choose(trials)
    assert (best.features, best.c, best.account, best.threshold) == ("signals", 1.0, False, 0.6)


def test_cross_validation_learns_what_the_rules_miss() -> None:
    # The text tells the type; the rules call everything "other". Two accounts, so the
    # leave-one-account-out CV has groups to leave out.
    rows = []
    for i in range(12):
        for source in ("a", "b"):
            rows.append(_row(f"big sale discount code {i} shop now", "promotion", "other", source))
            rows.append(_row(f"my dog and my garden {i} this weekend", "personal", "other", source))
    trials = content_model.cross_validate(
        rows,
        feature_sets=("text+signals",),
        c_grid=(4.0,),
        thresholds=(0.0, 1.01),
        accounts=(False,),
    )
    by_threshold = {t.threshold: t for t in trials}
    model_alone, rules_alone = by_threshold[0.0], by_threshold[1.01]
    assert rules_alone.stratified == 0.0 and rules_alone.grouped == 0.0
    assert model_alone.stratified == 1.0
    assert model_alone.grouped == 1.0
    assert set(model_alone.per_account) == {"a", "b"}
    # Fitted on all of them, the chosen setting labels new posts by their words.
    test = [
        _row("discount code shop now, sale ends", "promotion", "other"),
        _row("my garden with my dog", "personal", "other"),
    ]
    best = content_model.choose(trials)
    assert best.threshold == 0.0
    assert list(content_model.fit_and_predict(rows, test, best)) == ["promotion", "personal"]


def test_account_groups() -> None:
    assert content_model.account_group("twcs_brands") == "twcs"
    assert content_model.account_group("twcs_sample93") == "twcs"
    assert content_model.account_group("alrocar") == "alrocar"


def test_train_on_batches_the_rules_were_not_written_on() -> None:
    # content_trained_table(train_batches=("batch 4", "batch 6"), score_batches=(all four)):
    # the model learns only from the tune posts of batches 4 and 6, and every batch's holdout
    # is scored, the holdout of a training batch included, without ever being trained on.
    from dataclasses import replace

    posts = []
    for batch in ("batch 1", "batch 3", "batch 4", "batch 6"):
        for split in ("tune", "holdout"):
            for i in range(6):
                for source in ("a", "b"):
                    for text, gold in (
                        (f"big sale discount code {i} shop now {batch} {split}", "promotion"),
                        (f"my dog and my garden {i} this weekend {batch} {split}", "personal"),
                    ):
                        posts.append(
                            replace(_row(text, gold, "other", source), batch=batch, split=split)
                        )
    train, scored = content_model.train_and_score(
        posts, ("batch 4", "batch 6"), ("batch 1", "batch 3", "batch 4", "batch 6")
    )
    assert {(r.batch, r.split) for r in train} == {("batch 4", "tune"), ("batch 6", "tune")}
    assert len(train) == 48
    assert {r.split for r in scored} == {"holdout"}
    assert {r.batch for r in scored} == {"batch 1", "batch 3", "batch 4", "batch 6"}
    assert not {id(r) for r in train} & {id(r) for r in scored}
    # Scoring only the training batches (the default) leaves batches 1 and 3 out entirely.
    _, own = content_model.train_and_score(posts, ("batch 4", "batch 6"), ("batch 4", "batch 6"))
    assert {r.batch for r in own} == {"batch 4", "batch 6"} and len(own) == 48
    # Trained on batches 4 and 6 alone, the model puts right what the rules get wrong on the
    # other batches' holdout posts.
    trials = content_model.cross_validate(
        train, feature_sets=("text+signals",), c_grid=(4.0,), thresholds=(0.0,), accounts=(False,)
    )
    pred = content_model.fit_and_predict(train, scored, content_model.choose(trials))
    assert all(got == r.gold["content_type"] for r, got in zip(scored, pred, strict=True))
