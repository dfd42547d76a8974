"""SA102's figures against an independent computation written here, with pandas and plain
Python over the CSV (not the project's code), following the definitions of issue 2."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pytest
from tests.conftest import shared_path
from tests.threads import read_threads


def independent_figures(path) -> dict[str, dict]:
    """Per brand account: inbound tweets addressed to it (each to exactly one account, the
    README's rule, recomputed by tests/threads.py), how many it answered, and the median and
    90th percentile of the first response, with numpy's linear percentiles."""
    threads = read_threads(path)
    gaps = defaultdict(list)
    counts = defaultdict(lambda: [0, 0])
    for r in threads.df[threads.df.inbound == "True"].itertuples():
        m = r.tweet_id
        chosen = threads.addressed(m, r.text)
        if chosen is None:
            continue
        b = chosen[0]
        counts[b][0] += 1
        first = threads.first_answer(m, b)
        if first is not None:
            counts[b][1] += 1
            gaps[b].append((first - threads.time[m]).total_seconds())
    out = {}
    for b, (inbound, answered) in counts.items():
        g = np.array(gaps[b]) if gaps[b] else None
        out[b] = {
            "inbound": inbound,
            "answered": answered,
            "unanswered": inbound - answered,
            "median_first_response_seconds": float(np.percentile(g, 50)) if g is not None else None,
            "p90_first_response_seconds": float(np.percentile(g, 90)) if g is not None else None,
        }
    return out


@pytest.mark.parametrize("name", ["twcs_head5000_multibrand.csv", "twcs_kaggle_sample93.csv"])
def test_sa102_per_account_matches_independent_computation(cli, tmp_path, name):
    path = shared_path("twcs", name)
    ws = str(tmp_path / "ws")
    assert cli("import", str(path), "--workspace", ws)[0] == 0
    code, out, err = cli("audit", "--format", "json", "--select", "SA102", "--workspace", ws)
    assert code in (0, 1), err
    finding = json.loads(out)["findings"][0]
    assert finding["code"] == "SA102"
    expected = independent_figures(path)
    got = {k.split(":", 1)[1]: v for k, v in finding["per_account"].items()}
    assert set(got) == set(expected)
    brands = [*sorted(expected, key=lambda b: -expected[b]["inbound"])[:8], "AppleSupport"]
    for b in brands:
        for k in ("inbound", "answered", "unanswered"):
            assert got[b][k] == expected[b][k], (b, k)
        for k in ("median_first_response_seconds", "p90_first_response_seconds"):
            if expected[b][k] is None:
                assert got[b][k] is None
            else:
                assert got[b][k] == pytest.approx(expected[b][k], abs=1e-6), (b, k)
    total_inbound = sum(v["inbound"] for v in expected.values())
    assert finding["figures"]["inbound"] == total_inbound
