"""The series behind the report's charts, computed from the workspace with Ibis.

The report never computes a figure (DESIGN.md): this module does, and the HTML renderer only
draws what `chart_data` returns. The result goes into the audit's JSON under `charts` (optional:
an audit run through the library alone has none). Each chart is None when the workspace lacks
the data it needs, and `notes` says why.

Definitions, so that a chart can be checked against the checks' figures:

* **cadence**: the brand's own public original posts (kind `post`, not direct) per UTC day,
  or per week (weeks start on Monday) when the data spans more than `DAILY_MAX_DAYS` days, on
  all brand accounts together; a *gap* is a silence between two consecutive posts longer than
  `gap_days` (SA203's warning line by default), and the silence from the last post to the newest
  message in the workspace when that is longer too (`ongoing`).
* **first_response**: the first response time of every inbound message addressed to a brand
  account and answered, in the same sense as SA102 (conversation.py), in five buckets; the
  unanswered ones are counted beside them, and `time_only` says how many requests are known
  only from the brand's replies (then the unanswered ones are missing from the export).
* **content_mix**: the content type (text understanding's labels) of the brand's original posts.
* **sentiment**: inbound messages (not from the brand, with text) per week and sentiment label,
  with the mean sentiment score, over the last `SENTIMENT_WEEKS` weeks of the data (older
  messages are counted in `earlier_messages`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ibis
import ibis.expr.types as ir

from . import conversation
from .config import Config
from .vocabulary import CONTENT, DAY, brand_accounts, brand_messages, day_iso, iso, rows
from .workspace import Workspace

log = logging.getLogger(__name__)

DAILY_MAX_DAYS = 62  # above two months, daily bars get too thin to read: weekly bars
GAP_DAYS = 7.0  # SA203's default warn_gap_days
# First response buckets: (label, lower bound in hours, upper bound in hours or None).
RESPONSE_BUCKETS: tuple[tuple[str, float, float | None], ...] = (
    ("under 1 h", 0, 1),
    ("1–4 h", 1, 4),
    ("4–8 h", 4, 8),
    ("8–24 h", 8, 24),
    ("over 24 h", 24, None),
)
SENTIMENTS = ("negative", "neutral", "positive")
SENTIMENT_WEEKS = 52  # the sentiment chart shows the last year of the data


def _epoch_day(ws: Workspace, t: ir.Table) -> ir.IntegerValue:
    return (ws.epoch_seconds(t.created_at) // DAY).cast("int64")


def _week_start(day: ir.IntegerValue) -> ir.IntegerValue:
    # 1970-01-01 was a Thursday: (day + 3) % 7 is the number of days since Monday.
    return day - (day + 3) % 7


def _brand_posts(ws: Workspace, config: Config) -> ir.Table:
    return brand_messages(ws, config, CONTENT, brand_accounts(ws, config))


def cadence(ws: Workspace, config: Config, gap_days: float = GAP_DAYS) -> dict[str, Any] | None:
    posts = _brand_posts(ws, config)
    posts = posts.mutate(day=(posts.ts // DAY).cast("int64"))
    span = rows(ws, posts.aggregate(first=posts.day.min(), last=posts.day.max(), n=posts.count()))[
        0
    ]
    if not span["n"]:
        return None
    weekly = span["last"] - span["first"] + 1 > DAILY_MAX_DAYS
    period = _week_start(posts.day) if weekly else posts.day
    counts = {
        r["period"]: r["posts"]
        for r in rows(ws, posts.group_by(period=period).aggregate(posts=posts.count()))
    }
    step = 7 if weekly else 1
    first = min(counts)
    series = [
        {"period": day_iso(p), "posts": int(counts.get(p, 0))}
        for p in range(first, max(counts) + 1, step)
    ]

    # Silences between consecutive posts, on timestamps (not days) so the length is exact.
    w = ibis.window(order_by=[posts.ts, posts.id])
    lagged = posts.select(posts.ts, prev=posts.ts.lag().over(w))
    long = lagged.filter((lagged.ts - lagged.prev) > gap_days * DAY).order_by(lagged.prev)
    gaps = [
        {
            "start": iso(r["prev"]),
            "end": iso(r["ts"]),
            "days": round((r["ts"] - r["prev"]) / DAY, 1),
            "ongoing": False,
        }
        for r in rows(ws, long)
    ]
    m = ws.table("messages")
    ends = rows(
        ws,
        m.aggregate(newest=ws.epoch_seconds(m.created_at).max()).cross_join(
            posts.aggregate(last_post=posts.ts.max())
        ),
    )[0]
    if ends["newest"] - ends["last_post"] > gap_days * DAY:
        gaps.append(
            {
                "start": iso(ends["last_post"]),
                "end": iso(ends["newest"]),
                "days": round((ends["newest"] - ends["last_post"]) / DAY, 1),
                "ongoing": True,
            }
        )
    return {
        "granularity": "week" if weekly else "day",
        "series": series,
        "gaps": gaps,
        "gap_days": gap_days,
        "posts": int(span["n"]),
    }


def first_response(ws: Workspace, config: Config) -> dict[str, Any] | None:
    accounts = brand_accounts(ws, config)
    if not accounts:
        return None
    pairs = conversation.addressed_pairs(ws, accounts)
    answered = pairs.filter(pairs.answered)
    hours = answered.first_response_seconds / 3600.0
    bucket = ibis.cases(
        *[
            ((hours >= lo) & (hours < hi) if hi is not None else hours >= lo, label)
            for label, lo, hi in RESPONSE_BUCKETS
        ],
    )
    bucketed = answered.select(bucket=bucket)
    counts = {
        r["bucket"]: r["n"]
        for r in rows(ws, bucketed.group_by("bucket").aggregate(n=bucketed.count()))
    }
    totals = rows(
        ws,
        pairs.aggregate(
            inbound=pairs.count(),
            answered=pairs.answered.sum().cast("int64"),
            time_only=pairs.time_only.fill_null(False).sum().cast("int64"),
        ),
    )[0]
    if not totals["inbound"]:
        return None
    answered_n = int(totals["answered"] or 0)
    return {
        "buckets": [
            {"label": label, "min_hours": lo, "max_hours": hi, "count": int(counts.get(label, 0))}
            for label, lo, hi in RESPONSE_BUCKETS
        ],
        "answered": answered_n,
        "unanswered": int(totals["inbound"]) - answered_n,
        # Requests known only from the brand's replies (an account archive): the ones never
        # answered are not in such an export, so "unanswered" undercounts.
        "time_only": int(totals["time_only"] or 0),
    }


def content_mix(ws: Workspace, config: Config) -> dict[str, Any] | None:
    posts = _brand_posts(ws, config)
    labels = ws.table("labels")
    joined = posts.left_join(
        labels, [posts.platform == labels.platform, posts.id == labels.message_id]
    ).select(content_type=labels.content_type.fill_null("unlabelled"))
    mix = rows(ws, joined.group_by("content_type").aggregate(n=joined.count()))
    total = sum(r["n"] for r in mix)
    if not total or all(r["content_type"] == "unlabelled" for r in mix):
        return None
    mix.sort(key=lambda r: (-r["n"], r["content_type"]))
    return {
        "posts": int(total),
        "types": [
            {
                "content_type": r["content_type"],
                "count": int(r["n"]),
                "share": round(r["n"] / total, 4),
            }
            for r in mix
        ],
    }


# A text with a character other than white space (one that strip() would not leave empty),
# found by a search instead: stripping writes a copy of every text (3 CPU s over the 1.7 M
# inbound messages of a 3 M workspace, the search 0.3 s).
HAS_WORDS = r"[^ \t\n\r\v\f]"


def sentiment(ws: Workspace) -> dict[str, Any] | None:
    m = ws.table("messages")
    # Only messages whose text the export holds: a request known only by the id of its reply
    # (an account archive) has no words to have a tone.
    inbound = m.filter(
        ~m.from_brand.fill_null(False),
        ~m.time_only.fill_null(False),
        m.text.notnull() & m.text.re_search(HAS_WORDS),
    )
    labels = ws.table("labels")
    joined = inbound.join(
        labels, [inbound.platform == labels.platform, inbound.id == labels.message_id]
    ).select(
        week=_week_start(_epoch_day(ws, inbound)),
        sentiment=labels.sentiment,
        score=labels.sentiment_score,
    )
    weeks = rows(
        ws,
        joined.group_by("week").aggregate(
            **{s: (joined.sentiment == s).sum().cast("int64") for s in SENTIMENTS},
            messages=joined.count(),
            mean_score=joined.score.mean(),
        ),
    )
    if not weeks:
        return None
    # The last SENTIMENT_WEEKS weeks of the data: a few stray old messages (a quoted tweet from
    # years before) must not stretch the axis until the weeks that matter are slivers.
    newest = max(r["week"] for r in weeks)
    first = newest - (SENTIMENT_WEEKS - 1) * 7
    left_out = sum(int(r["messages"]) for r in weeks if r["week"] < first)
    by_week = {r["week"]: r for r in weeks if r["week"] >= first}
    series = []
    for week in range(min(by_week), newest + 1, 7):
        r = by_week.get(week)
        series.append(
            {
                "period": day_iso(week),
                "messages": int(r["messages"]) if r else 0,
                **{s: int(r[s] or 0) if r else 0 for s in SENTIMENTS},
                "mean_score": round(r["mean_score"], 3)
                if r and r["mean_score"] is not None
                else None,
            }
        )
    return {
        "granularity": "week",
        "series": series,
        "messages": sum(s["messages"] for s in series),
        "window_weeks": SENTIMENT_WEEKS,
        "earlier_messages": left_out,
    }


NEEDS = {
    "cadence": "the brand's own posts",
    "first_response": "inbound messages addressed to the brand",
    "content_mix": "the brand's own posts, labelled by text understanding "
    "(run an audit with the content checks)",
    "sentiment": "inbound messages with their text, labelled by text understanding",
}


def chart_data(ws: Workspace, config: Config, *, gap_days: float | None = None) -> dict[str, Any]:
    """Every chart's series; a chart without data is None, and `notes` names what it needs.

    Gaps are marked from SA203's `warn_gap_days` ([checks.SA203] in the config), so the chart
    and the check draw the line at the same place.
    """
    if gap_days is None:
        value = config.checks.options_for("SA203").get("warn_gap_days", GAP_DAYS)
        gap_days = float(value) if isinstance(value, int | float) and value > 0 else GAP_DAYS
    builders: dict[str, Callable[[], dict[str, Any] | None]] = {
        "cadence": lambda: cadence(ws, config, gap_days),
        "first_response": lambda: first_response(ws, config),
        "content_mix": lambda: content_mix(ws, config),
        "sentiment": lambda: sentiment(ws),
    }
    charts: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for name, build in builders.items():
        # Like a check, a chart that fails is reported and the report goes on without it.
        try:
            charts[name] = build()
        except Exception as exc:
            log.error("chart %s failed", name, exc_info=True)
            charts[name] = None
            notes[name] = (
                f"could not be drawn: {type(exc).__name__}: {exc} (a bug: please report it)"
            )
            continue
        if charts[name] is None:
            notes[name] = f"no data: needs {NEEDS[name]}"
    charts["notes"] = notes
    return charts
