"""Benchmarks: where a brand stands among comparable brands, on the figures that have one.

Each benchmark figure is read from a check's finding (never recomputed here), so that when a
check's definition changes the benchmark follows it:

| figure | read from | better |
|---|---|---|
| first response (median) | SA102 `median_first_response_seconds` | lower |
| unanswered requests | SA101 `unanswered_share` | lower |
| posts per day | SA203 `posts_per_week` of each account, summed, / 7 | neither: it is a level |
| conversational share | SA104 `conversational_share` | higher |
| engagement per post | SA204 `engagement_per_post` (a brand with one account) | higher |

A figure is None when its check did not reach a verdict (unknown, error, not run).

**Standing** is a percentile rank, mid-rank method: the share of the brands compared that do
worse than this brand, plus half the share that have the same value, times 100; so 100 is the
best, 50 the middle, and higher is always better whichever way the figure runs. Among the
portfolio's brands the brand itself is one of those compared (as in the usual definition of a
percentile rank, `scipy.stats.percentileofscore(kind="mean")`); against the public reference
(the TWCS brands, `reference()`), it is ranked among the reference's values. Posts per day has
no better direction, so it gets no standing; its place in the distribution is shown instead.

SA506 ("expecting the world") judges a goal against the brand's own trend. `peer_growth` adds
what comparable brands really achieved: the growth a goal needs per 30 days, set against the
growth each peer account showed over its own history (`goal_against_peers`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..checks.base import Finding
from ..model import Verdict

if TYPE_CHECKING:
    from ..config import Config
    from ..workspace import Workspace

REFERENCE_FILE = "twcs_care.json"
JUDGED = (Verdict.PASS, Verdict.WARN, Verdict.FAIL)


@dataclass(frozen=True)
class Benchmark:
    key: str
    label: str
    check: str
    source: str  # where the figure comes from, in words
    better: str  # "lower", "higher" or "" (no direction: a level)
    unit: str  # seconds, share, per_day, per_post
    read: Callable[[Finding], float | None]


def _figure(name: str) -> Callable[[Finding], float | None]:
    def read(f: Finding) -> float | None:
        value = f.figures.get(name)
        return float(value) if isinstance(value, int | float) else None

    return read


def _posts_per_day(f: Finding) -> float | None:
    weekly = [
        float(w)
        for v in f.per_account.values()
        if isinstance(w := v.get("posts_per_week"), int | float)
    ]
    return round(sum(weekly) / 7, 4) if weekly else None


def _engagement_per_post(f: Finding) -> float | None:
    # SA204 gives engagement per post per account only; summing accounts would need the number
    # of measured posts of each, which it does not expose: a brand of several accounts has none.
    values = [v.get("engagement_per_post") for v in f.per_account.values()]
    if len(values) != 1 or not isinstance(values[0], int | float):
        return None
    return float(values[0])


BENCHMARKS: tuple[Benchmark, ...] = (
    Benchmark(
        "first_response_median",
        "first response (median)",
        "SA102",
        "SA102 median_first_response_seconds",
        "lower",
        "seconds",
        _figure("median_first_response_seconds"),
    ),
    Benchmark(
        "unanswered_share",
        "requests unanswered",
        "SA101",
        "SA101 unanswered_share",
        "lower",
        "share",
        _figure("unanswered_share"),
    ),
    Benchmark(
        "posts_per_day",
        "posts per day",
        "SA203",
        "SA203 posts_per_week of each account, summed, divided by 7",
        "",
        "per_day",
        _posts_per_day,
    ),
    Benchmark(
        "conversational_share",
        "conversational share",
        "SA104",
        "SA104 conversational_share",
        "higher",
        "share",
        _figure("conversational_share"),
    ),
    Benchmark(
        "engagement_per_post",
        "engagement per post",
        "SA204",
        "SA204 engagement_per_post (brands with one account)",
        "higher",
        "per_post",
        _engagement_per_post,
    ),
)
BY_KEY = {b.key: b for b in BENCHMARKS}

METHOD = (
    "Percentile rank, mid-rank method: (brands doing worse + half the brands with the same "
    "value) / brands compared × 100, oriented so that 100 is best. Among the portfolio the "
    "brand counts itself; against the public reference it is ranked among the reference's "
    "brands. Only brands whose check reached a verdict are compared."
)


def brand_figures(findings: Iterable[Finding]) -> dict[str, float | None]:
    """The benchmark figures of one brand's audit (None where the check has no verdict)."""
    by_code = {f.code: f for f in findings}
    out: dict[str, float | None] = {}
    for b in BENCHMARKS:
        f = by_code.get(b.check)
        out[b.key] = b.read(f) if f is not None and f.verdict in JUDGED else None
    return out


def _oriented(value: float, better: str) -> float:
    return -value if better == "lower" else value


def percentile_rank(value: float, values: list[float], better: str = "higher") -> float | None:
    """The mid-rank percentile rank of `value` among `values` (see the module doc), oriented so
    that 100 is best; with `better` empty, plain (100 = the highest value). None when `values`
    is empty."""
    if not values:
        return None
    v = _oriented(value, better)
    others = [_oriented(x, better) for x in values]
    worse = sum(1 for x in others if x < v)
    same = sum(1 for x in others if x == v)
    return round(100.0 * (worse + 0.5 * same) / len(others), 1)


def quantiles(values: list[float]) -> dict[str, float] | None:
    """p10, p25, median, p75 and p90 with linear interpolation (as DuckDB's quantile_cont)."""
    if not values:
        return None
    xs = sorted(values)

    def q(p: float) -> float:
        pos = p * (len(xs) - 1)
        lo, hi = math.floor(pos), math.ceil(pos)
        return round(xs[lo] + (xs[hi] - xs[lo]) * (pos - lo), 4)

    return {"p10": q(0.1), "p25": q(0.25), "median": q(0.5), "p75": q(0.75), "p90": q(0.9)}


def standings(figures: dict[str, dict[str, float | None]]) -> dict[str, dict[str, Any]]:
    """For each brand (name -> its benchmark figures), each figure's value, its standing among
    the portfolio's brands and against the public reference where there is one."""
    ref = reference()
    out: dict[str, dict[str, Any]] = {name: {} for name in figures}
    for b in BENCHMARKS:
        values = [v for f in figures.values() if (v := f.get(b.key)) is not None]
        ref_values = ((ref.get("figures") or {}).get(b.key) or {}).get("values") or []
        for name, f in figures.items():
            value = f.get(b.key)
            if value is None:
                out[name][b.key] = {"value": None}
                continue
            out[name][b.key] = {
                "value": value,
                "portfolio": percentile_rank(value, values, b.better),
                "portfolio_brands": len(values),
                "reference": percentile_rank(value, ref_values, b.better) if ref_values else None,
                "reference_brands": len(ref_values),
            }
    return out


def portfolio_summary(figures: dict[str, dict[str, float | None]]) -> dict[str, Any]:
    """Per figure: how many brands have it, and its quantiles across the portfolio."""
    out = {}
    for b in BENCHMARKS:
        values = [v for f in figures.values() if (v := f.get(b.key)) is not None]
        out[b.key] = {"brands": len(values), "quantiles": quantiles(values)}
    return out


@cache
def reference() -> dict[str, Any]:
    """The public reference benchmarks shipped with the package (aggregates of the 75 TWCS
    brands, computed by scripts/benchmarks_twcs.py; the file says how and from what)."""
    path = resources.files(__package__).joinpath("data").joinpath(REFERENCE_FILE)
    if not path.is_file():  # before scripts/benchmarks_twcs.py first ran
        return {}
    return json.loads(path.read_text("utf-8"))


def describe() -> list[dict[str, Any]]:
    """The benchmark figures, their source and direction (for the reports' method notes)."""
    return [
        {
            "key": b.key,
            "label": b.label,
            "check": b.check,
            "source": b.source,
            "better": b.better,
            "unit": b.unit,
        }
        for b in BENCHMARKS
    ]


# -- goals against peers' observed growth (SA506's second opinion) ----------------------------

PEER_QUANTILE = 0.9  # a goal that needs faster growth than 9 in 10 peers showed is unrealistic
MIN_SPAN_DAYS = 28  # a growth rate over less than four weeks says little


def growth_per_30_days(points: list[tuple[date, float]]) -> float | None:
    """The compound growth rate per 30 days between the first and the last of dated values
    (oldest first); None over less than MIN_SPAN_DAYS or from a value that is not positive."""
    if len(points) < 2:
        return None
    (d0, v0), (d1, v1) = points[0], points[-1]
    days = (d1 - d0).days
    if days < MIN_SPAN_DAYS or v0 <= 0 or v1 < 0:
        return None
    return round((v1 / v0) ** (30.0 / days) - 1.0, 6)


def required_growth(current: float, target: float, today: date, by: date) -> float | None:
    """The growth per 30 days that takes `current` to `target` by `by`; None when `by` is not
    after `today` or `current` is not positive."""
    days = (by - today).days
    if days <= 0 or current <= 0:
        return None
    return round((target / current) ** (30.0 / days) - 1.0, 6)


def goal_against_peers(
    required: float, peer_rates: list[float], quantile: float = PEER_QUANTILE
) -> dict[str, Any]:
    """Whether a goal's required growth per 30 days is one comparable accounts really achieved:
    realistic when it is at most the peers' `quantile` (linear interpolation). The function SA506
    can call with its peers (see docs/agency.md)."""
    if not peer_rates:
        return {"required": required, "peers": 0, "realistic": None}
    xs = sorted(peer_rates)
    pos = quantile * (len(xs) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    bound = xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)
    return {
        "required": required,
        "peers": len(xs),
        "peer_median": quantiles(xs)["median"],  # type: ignore[index]
        "peer_bound": round(bound, 6),
        "quantile": quantile,
        "peers_as_fast": sum(1 for x in xs if x >= required),
        "realistic": required <= bound,
    }


def _series(ws: Workspace, metric: str, platform: str | None) -> list[list[tuple[date, float]]]:
    """The dated values a metric's growth is read from: each account's follower counts for a
    level metric, the brand's monthly values for a flow (forecast.py's histories)."""
    from ..forecast import FORECASTABLE, LEVEL_METRICS, follower_series, monthly_series

    if metric in LEVEL_METRICS:
        return [[(d, v) for d, v in points] for points in follower_series(ws, platform).values()]
    if metric in FORECASTABLE:
        history = monthly_series(ws, metric, platform)
        return [history] if history else []
    return []


def observed_growth(ws: Workspace, metrics: Iterable[str]) -> dict[str, list[float]]:
    """metric -> the growth per 30 days this brand showed (one rate per account for followers,
    one for the brand for a monthly metric), for the metrics other brands have goals on."""
    out: dict[str, list[float]] = {}
    for metric in sorted({m.strip().lower() for m in metrics}):
        rates = [growth_per_30_days(s) for s in _series(ws, metric, None)]
        out[metric] = [r for r in rates if r is not None]
    return out


def goal_needs(ws: Workspace, config: Config) -> list[dict[str, Any]]:
    """Each goal of the brand with the value it starts from (the newest observation: the sum of
    the accounts' newest follower counts, or the newest month) and the growth per 30 days it
    needs from there."""
    from ..model import PLATFORM_NAMES

    out = []
    for g in config.goals:
        metric = g.metric.strip().lower()
        platform = PLATFORM_NAMES.get(g.platform.strip().lower()) if g.platform else None
        series = [s for s in _series(ws, metric, platform) if s]
        item: dict[str, Any] = {
            "metric": metric,
            "target": g.target,
            "by": g.by.isoformat(),
            "platform": g.platform,
        }
        if series:
            since = max(s[-1][0] for s in series)
            current = sum(s[-1][1] for s in series)
            item.update(
                current=current,
                observed_at=since.isoformat(),
                required=required_growth(current, g.target, since, g.by),
            )
        out.append(item)
    return out
