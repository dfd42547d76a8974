"""SA102's figures against an independent computation written here, with pandas and plain
Python over the CSV (not the project's code), following the definitions of issue 2."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from tests.conftest import shared_path

MENTION = re.compile(r"(?<![\w@])@(\w+)")


def independent_figures(path) -> dict[str, dict]:
    # CRLF ends a record in some copies; a bare \r inside a text does not (see PROVENANCE.md).
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, lineterminator="\n")
    df["t"] = pd.to_datetime(df.created_at, format="%a %b %d %H:%M:%S %z %Y")
    parent = {
        r.tweet_id: r.in_response_to_tweet_id.split(".")[0]
        for r in df.itertuples()
        if r.in_response_to_tweet_id
    }
    author = dict(zip(df.tweet_id, df.author_id, strict=True))
    time = dict(zip(df.tweet_id, df.t, strict=True))
    children = defaultdict(list)
    for child, par in parent.items():
        children[par].append(child)
    brands = set(df.author_id[df.inbound == "False"])
    brand_lower = {b.lower(): b for b in brands}

    def ancestors(m):
        seen, out = set(), []
        while m in parent and parent[m] not in seen:
            m = parent[m]
            seen.add(m)
            out.append(m)
        return out

    def descendants(m):
        out, stack = [], list(children.get(m, []))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(children.get(c, []))
        return out

    gaps = defaultdict(list)
    counts = defaultdict(lambda: [0, 0])
    for r in df[df.inbound == "True"].itertuples():
        m = r.tweet_id
        addressed = {
            brand_lower[h.lower()] for h in MENTION.findall(r.text) if h.lower() in brand_lower
        }
        anc, desc = ancestors(m), descendants(m)
        addressed |= {author[a] for a in anc if a in author and author[a] in brands}
        addressed |= {author[d] for d in desc if author[d] in brands}
        for b in addressed:
            counts[b][0] += 1
            replies = [time[d] for d in desc if author[d] == b and time[d] >= time[m]]
            if replies:
                counts[b][1] += 1
                gaps[b].append((min(replies) - time[m]).total_seconds())
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
