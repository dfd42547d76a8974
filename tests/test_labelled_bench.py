"""bench/labelled.py's figures on tiny hand-made cases: weighted P/R/F1 and its bootstrap
interval, the batches of labelled/ (batch 2's sample and weights), a batch with no gold yet."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import labelled  # noqa: E402  (bench/labelled.py)


def test_weighted_f1_on_a_hand_made_case() -> None:
    # gold: T T F F; pred: T F T F. Unweighted: tp 1, fp 1, fn 1 -> P = R = F1 = 0.5.
    gold = [True, True, False, False]
    pred = [True, False, True, False]
    assert labelled._prf(gold, pred) == (0.5, 0.5, 0.5)
    # Weights 3, 1, 2, 5: tp 3, fn 1, fp 2 -> P 3/5, R 3/4, F1 2*3 / (2*3 + 2 + 1) = 2/3.
    p, r, f = labelled._prf(gold, pred, [3.0, 1.0, 2.0, 5.0])
    assert (p, r) == pytest.approx((0.6, 0.75))
    assert f == pytest.approx(2 / 3)
    # Equal weights change nothing.
    assert labelled._prf(gold, pred, [7.0] * 4) == pytest.approx((0.5, 0.5, 0.5))


def test_weighted_interval() -> None:
    gold = [True, True, False, False] * 10
    pred = [True, False, True, False] * 10
    plain = labelled.f1_interval(gold, pred)
    # Weights all 1 give the same draws and the same interval as before weights existed.
    assert labelled.f1_interval(gold, pred, weight=[1.0] * 40) == plain
    lo, hi = plain
    assert lo < 0.5 < hi
    # Perfect predictions: every resample's F1 is 1, whatever the weights and strata.
    w = [3.0, 1.0] * 20
    strata = ["warm"] * 20 + ["rest"] * 20
    assert labelled.f1_interval(gold, gold, weight=w, strata=strata) == (1.0, 1.0)
    lo, hi = labelled.f1_interval(gold, pred, weight=w, strata=strata)
    assert 0.0 <= lo <= 2 / 3 <= hi <= 1.0


def _row(gold: bool, pred: bool, weight: float, stratum: str) -> labelled.Row:
    g = {"question": False, "complaint": False, "praise": gold}
    label = {"is_question": False, "is_complaint": False, "is_praise": pred}
    return labelled.Row(
        "inbound", "s", "x", "1", "tune", g, label=label, batch="b", stratum=stratum, weight=weight
    )


def test_scores_weighted_to_the_pool() -> None:
    # A warm stratum (weight 1) rich in praise and a rest stratum (weight 10) poor in it.
    rows = [
        _row(True, True, 1.0, "warm"),
        _row(True, True, 1.0, "warm"),
        _row(False, True, 10.0, "rest"),
        _row(False, False, 10.0, "rest"),
    ]
    plain = labelled.scores(rows, "tune")
    assert plain["praise"] == pytest.approx((2 / 3, 1.0, 0.8))
    assert plain["praise prevalence"] == pytest.approx(0.5)
    weighted = labelled.scores(rows, "tune", weighted=True)
    assert weighted["praise"] == pytest.approx((2 / 12, 1.0, 4 / 14))
    assert weighted["praise prevalence"] == pytest.approx(2 / 22)
    assert weighted["praise positives"] == 2


def test_batch_two_sample_is_new_inbound_and_weighted() -> None:
    b1, b2 = labelled.BATCHES[:2]
    first = {(r["set"], r["platform"], r["id"]) for r in labelled._read_jsonl(b1.sample)}
    rows = labelled._read_jsonl(b2.sample)
    keys = [(r["set"], r["platform"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys)) == 300
    assert not set(keys) & first
    assert {r["set"] for r in rows} == {"inbound"}
    assert {r["source"] for r in rows} <= {"twcs_customers", "spotifycares"}
    assert all("text" not in r for r in rows)
    sizes = Counter(r["stratum"] for r in rows)
    assert set(sizes) == {"warm", "rest"}
    for stratum, n in sizes.items():
        weights = {r["weight"] for r in rows if r["stratum"] == stratum}
        assert len(weights) == 1  # one weight per stratum: pool size / sample size
        pool = weights.pop() * n
        assert pool >= n and pool == pytest.approx(round(pool), abs=1e-3)


def test_every_sample_source_has_an_export() -> None:
    # load() imports each row's export by its source name: batch 4's Kaggle sample included
    for b in labelled.BATCHES:
        sources = {r["source"] for r in labelled._read_jsonl(b.sample)}
        assert sources <= set(labelled.EXPORTS), (b.name, sources - set(labelled.EXPORTS))
    assert labelled.EXPORTS["twcs_sample93"] == "twcs/twcs_kaggle_sample93.csv"


def test_batch_four_is_new_posts_with_settled_gold() -> None:
    b1, b3, b4 = (b for b in labelled.BATCHES if b.name in ("batch 1", "batch 3", "batch 4"))
    earlier = {
        (r["set"], r["platform"], r["id"]) for b in (b1, b3) for r in labelled._read_jsonl(b.sample)
    }
    rows = labelled.batch_rows(b4)
    keys = {(r.set, r.platform, r.id) for r in rows}
    assert len(rows) == len(keys) == 300
    assert not keys & earlier
    assert {r.set for r in rows} == {"posts"}
    assert Counter(r.split for r in rows) == {"tune": 153, "holdout": 147}
    assert all(r.gold["content_type"] in labelled.CONTENT_TYPES for r in rows)
    assert all("text" not in r.gold for r in rows)


def test_batch_six_is_new_posts_with_settled_gold() -> None:
    earlier = {
        (r["set"], r["platform"], r["id"])
        for b in labelled.BATCHES
        if b.name in ("batch 1", "batch 3", "batch 4")
        for r in labelled._read_jsonl(b.sample)
    }
    (b6,) = (b for b in labelled.BATCHES if b.name == "batch 6")
    rows = labelled.batch_rows(b6)
    keys = {(r.set, r.platform, r.id) for r in rows}
    assert len(rows) == len(keys) == 300
    assert not keys & earlier
    assert {r.set for r in rows} == {"posts"}
    assert Counter(r.split for r in rows) == {"tune": 171, "holdout": 129}
    assert all(r.gold["content_type"] in labelled.CONTENT_TYPES for r in rows)
    assert all("text" not in r.gold for r in rows)


def test_batch_five_sample_is_new_held_out_inbound_and_weighted() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from labelled_pool import half_of
    from labelled_sample import split_of

    rows = labelled._read_jsonl(ROOT / "labelled" / "batch5" / "sample.jsonl")
    earlier = {
        (r["set"], r["platform"], r["id"])
        for rel in (
            "sample.jsonl",
            "batch2/sample.jsonl",
            "pool-intent/labels.jsonl",
            "pool-intent/held-apart.jsonl",
        )
        for r in labelled._read_jsonl(ROOT / "labelled" / rel)
    }
    keys = [(r["set"], r["platform"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys)) == 300
    assert not set(keys) & earlier
    assert {r["set"] for r in rows} == {"inbound"}
    assert all("text" not in r for r in rows)
    assert all(r["split"] == split_of(r["platform"], r["id"]) for r in rows)
    # the intent rules were written from half A of the pool: none of it is held out here
    pooled = [r for r in rows if r["source"] in ("twcs_customers", "spotifycares")]
    assert pooled and all(half_of(r["platform"], r["id"]) == "B" for r in pooled)
    assert Counter(r["draw"] for r in rows) == {"warm": 120, "random": 180}
    assert all(r["stratum"] == "warm" for r in rows if r["draw"] == "warm")
    sizes = Counter(r["stratum"] for r in rows)
    for stratum, n in sizes.items():
        weights = {r["weight"] for r in rows if r["stratum"] == stratum}
        assert len(weights) == 1  # one weight per stratum: pool size / sample size
        pool = weights.pop() * n
        assert pool >= n and pool == pytest.approx(round(pool), abs=1e-3)


def test_batch_five_gold_joins_its_weighted_sample() -> None:
    (b5,) = (b for b in labelled.BATCHES if b.name == "batch 5")
    rows = labelled.batch_rows(b5)
    assert len({(r.platform, r.id) for r in rows}) == len(rows) == 300
    assert {r.set for r in rows} == {"inbound"}
    assert Counter(r.split for r in rows) == {"tune": 161, "holdout": 139}
    assert Counter(r.stratum for r in rows) == {"warm": 206, "rest": 94}
    # the weights stand for the whole pool the batch was drawn from (warm 3,250 + rest 4,692)
    assert sum(r.weight for r in rows) == pytest.approx(7942, abs=0.01)
    assert all("text" not in r.gold for r in rows)
    fields = ("question", "complaint", "praise")
    assert all(isinstance(r.gold[f], bool) for r in rows for f in fields)


def test_a_batch_without_gold_is_skipped(tmp_path: Path) -> None:
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        json.dumps(
            {
                "set": "inbound",
                "source": "s",
                "platform": "x",
                "id": "1",
                "kind": "reply",
                "split": "tune",
                "stratum": "warm",
                "weight": 2.5,
            }
        )
        + "\n"
    )
    batch = labelled.Batch("batch t", sample, tmp_path / "gold.jsonl")
    assert labelled.missing_batches([batch]) == [batch]
    assert labelled.gold_rows([batch]) == []
    (tmp_path / "gold.jsonl").write_text(
        json.dumps(
            {
                "set": "inbound",
                "platform": "x",
                "id": "1",
                "question": True,
                "complaint": False,
                "praise": False,
                "lang": "en",
            }
        )
        + "\n"
    )
    assert labelled.missing_batches([batch]) == []
    (row,) = labelled.batch_rows(batch)
    assert (row.batch, row.stratum, row.weight, row.split) == ("batch t", "warm", 2.5, "tune")


def test_the_batches_are_read_when_called(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch = labelled.Batch("batch t", tmp_path / "sample.jsonl", tmp_path / "gold.jsonl")
    monkeypatch.setattr(labelled, "BATCHES", (batch,))
    assert labelled.missing_batches() == [batch]
    assert labelled.gold_rows() == []


def test_batch_six_sample_is_new_posts_split_by_the_hash() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from labelled_sample import split_of

    rows = labelled._read_jsonl(ROOT / "labelled" / "batch6" / "sample.jsonl")
    earlier = {
        (r["set"], r["platform"], r["id"])
        for rel in ("sample.jsonl", "batch3/sample.jsonl", "batch4/sample.jsonl")
        for r in labelled._read_jsonl(ROOT / "labelled" / rel)
    }
    keys = [(r["set"], r["platform"], r["id"]) for r in rows]
    assert len(keys) == len(set(keys)) == 300
    assert not set(keys) & earlier
    assert {r["set"] for r in rows} == {"posts"}
    assert all("text" not in r for r in rows)
    assert all(r["split"] == split_of(r["platform"], r["id"]) for r in rows)
    assert {r["source"] for r in rows} <= set(labelled.EXPORTS)
