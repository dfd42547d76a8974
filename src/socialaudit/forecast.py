"""Forecasting a goal's metric from the workspace's own history, with a prediction interval.

Which metrics, from which data (docs/roi.md, "Goals"):

* level metrics, a count at a date: `followers` (alias `fans`), from the audience table;
* flow metrics, a monthly total: `conversions` and `revenue` (conversions mapped to a platform),
  `engagement` (likes + reposts + replies + quotes of the brand's own messages), `likes`,
  `reposts` (alias `shares`), `replies`, `impressions` (alias `reach`) and `clicks`;
* `sentiment`: the monthly mean sentiment score (-1..1) of what others wrote, from the labels.

A level goal is "this many on that day"; a flow goal is "this much in the calendar month of that
day"; a sentiment goal is "this mean score in that month". Other metrics (share_of_replies, or
anything else) cannot be forecast from workspace data and are reported as such.

Two models, both from statsmodels, each fitted to how its kind of series behaves:

* a level (followers) moves like a random walk with drift: each day adds a noisy gain, so the
  error of a forecast grows with the horizon. The gains between observations are regressed on
  the days between them (WLS, weight 1/days: the variance of a gain grows with its span, and
  irregular dates are handled), and the forecast is last value + drift × horizon, with a
  prediction interval whose variance is σ²·h (the walk's noise) + h²·Var(drift) (the drift's
  uncertainty). An OLS line through the levels themselves would treat the walk's wandering as
  independent noise and give intervals far too narrow;
* a flow (a monthly total) is a fresh draw each month around a trend, so an OLS linear trend
  on the monthly values with its prediction interval (parameter and residual uncertainty) fits.

Holt's exponential smoothing was not chosen: it needs more history than most brands have
(its intervals need simulation and its smoothing parameters are unstable on a dozen points),
and a straight trend is what "can the trend reach the goal" asks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import ibis
import numpy as np
from ibis import _

from .workspace import Workspace

LEVEL_METRICS = {"followers": "followers", "fans": "followers"}
MESSAGE_METRICS: dict[str, tuple[str, ...]] = {
    "engagement": ("likes", "reposts", "replies", "quotes"),
    "likes": ("likes",),
    "reposts": ("reposts",),
    "shares": ("reposts",),
    "replies": ("replies",),
    "impressions": ("impressions",),
    "reach": ("impressions",),
    "clicks": ("clicks",),
}
LEDGER_METRICS = {"conversions": "conversions", "revenue": "revenue"}
MEAN_METRICS = {"sentiment": "sentiment_score"}
FORECASTABLE = sorted({*LEVEL_METRICS, *MESSAGE_METRICS, *LEDGER_METRICS, *MEAN_METRICS})

LEVEL_MODEL = "random walk with drift (WLS on the gains between dated counts)"
FLOW_MODEL = "OLS linear trend on monthly values"


@dataclass
class Forecast:
    """A forecast of one series at one date, with its prediction interval."""

    value: float
    lower: float
    upper: float
    model: str
    points: int  # observations the model was fitted on
    last: date  # the last observed date (the first day of the last month, for monthly series)
    last_value: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "forecast": round(self.value, 4),
            "lower": round(self.lower, 4),
            "upper": round(self.upper, 4),
            "model": self.model,
            "points": self.points,
            "last_observed": self.last.isoformat(),
            "last_value": round(self.last_value, 4),
        }


class TooShort(ValueError):
    """The history is too short (or too flat in time) to fit the model."""


def forecast_level(
    days: list[date], values: list[float], at: date, level: float = 0.95, min_points: int = 6
) -> Forecast:
    """Random walk with drift through dated counts, forecast at `at` (see module doc)."""
    if len(days) < max(min_points, 3):
        raise TooShort(f"{len(days)} dated counts; at least {max(min_points, 3)} are needed")
    order = np.argsort(np.array([d.toordinal() for d in days]))
    t = np.array([days[i].toordinal() for i in order], dtype=float)
    y = np.array([values[i] for i in order], dtype=float)
    span = np.diff(t)
    if np.any(span <= 0):
        raise TooShort("two counts share a date")
    gains = np.diff(y)
    # statsmodels takes a second to import: only the audits that forecast a goal pay for it.
    from statsmodels.regression.linear_model import WLS

    fit = WLS(gains, span, weights=1.0 / span).fit()
    h = float(at.toordinal() - t[-1])
    if h <= 0:
        raise ValueError("the date lies within the history")
    frame = fit.get_prediction(np.array([[h]]), weights=np.array([1.0 / h])).summary_frame(
        alpha=1 - level
    )
    last = float(y[-1])
    return Forecast(
        value=last + float(frame["mean"].iloc[0]),
        lower=last + float(frame["obs_ci_lower"].iloc[0]),
        upper=last + float(frame["obs_ci_upper"].iloc[0]),
        model=LEVEL_MODEL,
        points=len(y),
        last=date.fromordinal(int(t[-1])),
        last_value=last,
    )


def forecast_monthly(
    months: list[date], values: list[float], at: date, level: float = 0.95, min_points: int = 6
) -> Forecast:
    """OLS linear trend through monthly values (months as first days), forecast at `at`'s month."""
    if len(months) < max(min_points, 3):
        raise TooShort(f"{len(months)} months; at least {max(min_points, 3)} are needed")
    index = np.array([_month_index(m) for m in months], dtype=float)
    y = np.array(values, dtype=float)
    from statsmodels.regression.linear_model import OLS
    from statsmodels.tools.tools import add_constant

    fit = OLS(y, add_constant(index, has_constant="add")).fit()
    target = float(_month_index(at))
    if target <= index.max():
        raise ValueError("the date lies within the history")
    frame = fit.get_prediction(np.array([[1.0, target]])).summary_frame(alpha=1 - level)
    last_i = int(np.argmax(index))
    return Forecast(
        value=float(frame["mean"].iloc[0]),
        lower=float(frame["obs_ci_lower"].iloc[0]),
        upper=float(frame["obs_ci_upper"].iloc[0]),
        model=FLOW_MODEL,
        points=len(y),
        last=months[last_i],
        last_value=float(y[last_i]),
    )


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def combine(forecasts: list[Forecast]) -> Forecast:
    """The sum of independent forecasts (several accounts): means add, and the interval's half
    widths add in quadrature (their variances add)."""
    if len(forecasts) == 1:
        return forecasts[0]
    value = sum(f.value for f in forecasts)
    up = math.sqrt(sum((f.upper - f.value) ** 2 for f in forecasts))
    down = math.sqrt(sum((f.value - f.lower) ** 2 for f in forecasts))
    return Forecast(
        value=value,
        lower=value - down,
        upper=value + up,
        model=forecasts[0].model + f", summed over {len(forecasts)} accounts",
        points=min(f.points for f in forecasts),
        last=min(f.last for f in forecasts),
        last_value=sum(f.last_value for f in forecasts),
    )


# -- histories from the workspace ----------------------------------------------------------------


def follower_series(ws: Workspace, platform: str | None) -> dict[tuple[str, str | None], list]:
    """(platform, account) -> [(date, followers)], oldest first."""
    aud = ws.table("audience")
    aud = aud.filter(aud.followers.notnull())
    if platform is not None:
        aud = aud.filter(aud.platform == platform)
    series: dict[tuple[str, str | None], list] = {}
    for r in ws.arrow(
        aud.select("platform", "account", "date", "followers").order_by("date")
    ).to_pylist():
        series.setdefault((r["platform"], r["account"]), []).append(
            (r["date"], float(r["followers"]))
        )
    return series


def monthly_series(ws: Workspace, metric: str, platform: str | None) -> list[tuple[date, float]]:
    """[(first day of month, value)] of a flow or mean metric, oldest first ([] when no data).

    Months between the first and the last with data count as 0 for flows (no conversions, or no
    brand messages, that month), and are left out for means (no sentiment without messages).
    Months in which the brand wrote but the platform gave no figure are left out: a missing
    metric is unknown, not 0.
    """
    if metric in LEDGER_METRICS:
        conv = ws.table("conversions")
        conv = conv.filter(conv.platform.notnull())
        if platform is not None:
            conv = conv.filter(conv.platform == platform)
        expr = conv.group_by(month=conv.date.truncate("M")).aggregate(
            value=conv[LEDGER_METRICS[metric]].fill_null(0.0).sum(), known=_.count()
        )
        fill = True
    elif metric in MESSAGE_METRICS:
        m = ws.table("messages")
        m = m.filter(m.from_brand.fill_null(False))
        if platform is not None:
            m = m.filter(m.platform == platform)
        cols = MESSAGE_METRICS[metric]
        total = sum((m[c].fill_null(0) for c in cols[1:]), m[cols[0]].fill_null(0))
        known = ibis.or_(*(m[c].notnull() for c in cols))
        m = m.mutate(value=total.cast("float64"), known=known.cast("int64"))
        expr = m.group_by(month=m.created_at.date().truncate("M")).aggregate(
            value=_.value.sum(), known=_.known.sum()
        )
        fill = True
    elif metric in MEAN_METRICS:
        m, lab = ws.table("messages"), ws.table("labels")
        m = m.filter(~m.from_brand.fill_null(False))
        if platform is not None:
            m = m.filter(m.platform == platform)
        j = m.join(lab, [m.platform == lab.platform, m.id == lab.message_id])
        j = j.filter(j.sentiment_score.notnull())
        expr = j.group_by(month=j.created_at.date().truncate("M")).aggregate(
            value=j.sentiment_score.mean(), known=_.count()
        )
        fill = False
    else:
        raise KeyError(metric)
    rows = ws.arrow(expr.order_by("month")).to_pylist()
    if not rows:
        return []
    seen = {r["month"]: r for r in rows}
    first, last = _month_index(rows[0]["month"]), _month_index(rows[-1]["month"])
    out: list[tuple[date, float]] = []
    for i in range(first, last + 1):
        month = _month_of(i)
        r = seen.get(month)
        if r is None:
            if fill:
                out.append((month, 0.0))
        elif r["known"]:
            out.append((month, float(r["value"])))
    return out


def forecast_metric(
    ws: Workspace,
    metric: str,
    platform: str | None,
    at: date,
    *,
    level: float = 0.95,
    min_points: int = 6,
) -> Forecast:
    """Forecast `metric` (see FORECASTABLE) at `at`. Raises KeyError for a metric that cannot be
    forecast, TooShort when the history is too short, ValueError when `at` is not in the future
    of the history."""
    metric = metric.strip().lower()
    if metric in LEVEL_METRICS:
        series = follower_series(ws, platform)
        if not series:
            raise TooShort("no dated follower counts")
        parts = []
        for points in series.values():
            days = [d for d, _ in points]
            values = [v for _, v in points]
            parts.append(forecast_level(days, values, at, level, min_points))
        return combine(parts)
    history = monthly_series(ws, metric, platform)
    return forecast_monthly([m for m, _ in history], [v for _, v in history], at, level, min_points)
