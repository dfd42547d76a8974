"""SA105's terms on DuckDB (`themes._duckdb_tokens`, its own SQL) are those of the engine-neutral
Ibis expression (`themes._tokens`, which Spark runs): the same words and word pairs per message."""

from __future__ import annotations

import csv

import ibis
import pytest
from tests.conftest import SHARED_DATA

from socialaudit.checks.care import themes

TEXTS = [
    None,
    "",
    "   ",
    "refund refund REFUND please, my refund is late",
    "@AmazonHelp my parcel never came https://t.co/abc #fail #delivery",
    "it's 2019 and the app's login won't work: 404 '99 ''' 12'34",
    "The app crashes. App crashes again! app crashes",
    "the an of to",  # stop words only
    "ok ok ok",
    "Übergröße café naïve résumé déjà vu",  # letters the split does not keep
    "delivery\nlate\tdelivery late — delivery-late",
    "@user@example.social shoot us a DM www.example.com/x?y=1 at amazonhelp",
    "x" * 3 + " " + "y" * 2 + " zzz",
    "o'clock rock'n'roll ''quoted'' words",
]


def _terms(expr: ibis.Table, backend: ibis.BaseBackend) -> set[tuple[str, str, str]]:
    rows = backend.to_pyarrow(expr).to_pylist()
    assert len(rows) == len({(r["platform"], r["id"], r["term"]) for r in rows})  # distinct
    return {(r["platform"], r["id"], r["term"]) for r in rows}


def _compare(texts: list[str | None], stop: list[str]) -> set[tuple[str, str, str]]:
    backend = ibis.duckdb.connect()
    table = backend.create_table(
        "texts",
        ibis.memtable(
            {
                "platform": ["x"] * len(texts),
                "id": [str(i) for i in range(len(texts))],
                "text": texts,
                "other": [1] * len(texts),
            },
            schema={"platform": "string", "id": "string", "text": "string", "other": "int64"},
        ),
    )
    neutral = _terms(themes._tokens(table, stop), backend)
    duck = _terms(themes._tokens(table, stop, backend), backend)
    assert duck == neutral
    return duck


def test_duckdb_terms_are_the_ibis_terms() -> None:
    stop = sorted(themes.theme_stopwords() | {"amazonhelp"})
    terms = _compare(TEXTS, stop)
    by_id: dict[str, set[str]] = {}
    for _, i, term in terms:
        by_id.setdefault(i, set()).add(term)
    assert by_id["3"] == {"refund", "late", "refund refund"}
    assert {"app crashes", "crashes app", "crashes"} <= by_id["6"]
    assert "7" not in by_id and "8" not in by_id and "0" not in by_id
    assert "parcel came" not in by_id["4"] and "fail" in by_id["4"]  # "never" is a stop word
    assert "delivery late" in by_id["10"]


@pytest.mark.parametrize("stop", [[], ["refund"], ["it's", "o'clock"]])
def test_any_stop_list(stop: list[str]) -> None:
    _compare(TEXTS, stop)


def test_real_customer_messages() -> None:
    path = SHARED_DATA / "twcs" / "twcs_head5000_multibrand.csv"
    if not path.exists():
        pytest.skip(f"no {path}")
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        texts = [row["text"] for _, row in zip(range(3000), reader, strict=False)]
    terms = _compare(texts, sorted(themes.theme_stopwords()))
    assert len(terms) > len(texts)
