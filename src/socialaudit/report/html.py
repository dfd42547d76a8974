"""The HTML report: one self-contained file a marketer can open offline, print or forward.

No CDN, no web font, no script: the CSS is inline, and the charts are inline SVG drawn here
from the series that `charts.py` computed (the report never computes a figure; turning counts
into bar heights is drawing). Every string that comes from data goes through Jinja2's
autoescape (after `inert.for_html` replaced control characters and bidi overrides), user text
is isolated in <bdi>, and nothing derived from data is ever marked safe; only http(s) URLs
become links.
A Content-Security-Policy meta tag forbids scripts and remote loads as a second line of defence.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..audit import AuditResult
from ..checks.base import AREAS, Finding
from .fmt import figure
from .fmt import label as _plain_label
from .inert import for_html
from .summary import comparison_scope, selection_line
from .text import ORDER

VERDICT_WORDS = {
    "fail": "Fail",
    "warn": "Warning",
    "pass": "Pass",
    "unknown": "Unknown",
    "error": "Error",
}
CHANGE_TITLES = {
    "new": "New problems",
    "worse": "Got worse",
    "better": "Got better",
    "fixed": "Fixed",
    "moved": "Same verdict, figures moved",
    "now_unknown": "No longer answered",
}
# Evidence keys shown in their own place, not among the extra fields.
_EVIDENCE_MAIN = {
    "message_id",
    "platform",
    "account",
    "author",
    "created_at",
    "start",
    "text",
    "url",
    "note",
}

_env: Environment | None = None


def label(name: str) -> str:
    # Figures in seconds are shown as durations ("5.5 h"), so the unit word would mislead.
    return _plain_label(name.replace("_seconds", ""))


def environment() -> Environment:
    global _env
    if _env is None:
        # autoescape=True unconditionally (not by file extension): every {{ }} is escaped.
        _env = Environment(
            loader=PackageLoader("socialaudit.report", "templates"),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            finalize=for_html,  # controls and bidi overrides replaced before escaping
        )
    return _env


def render_html(result: AuditResult) -> str:
    return environment().get_template("report.html").render(**view(result))


# -- the view: what the template shows, already formatted ------------------------------------


def view(result: AuditResult) -> dict[str, Any]:
    findings = sorted(result.findings, key=lambda f: (ORDER.get(str(f.verdict), 9), f.code))
    score = result.extra.get("score") if isinstance(result.extra.get("score"), dict) else None
    changes = result.extra.get("changes") if isinstance(result.extra.get("changes"), dict) else None
    charts = result.extra.get("charts") if isinstance(result.extra.get("charts"), dict) else None
    counts = {v: sum(1 for f in result.findings if str(f.verdict) == v) for v in ORDER}
    return {
        "title": result.brand or "social media audit",
        "generated": f"{result.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        "workspace": result.workspace,
        "score": _score_view(score, changes),
        "areas": _areas_view(result.findings, score),
        "counts": [(v, VERDICT_WORDS[v], n) for v, n in counts.items() if n],
        "selection": selection_line(result.extra.get("selection")),
        "changes": _changes_view(changes),
        "charts": _charts_view(charts),
        "findings": [_finding_view(f) for f in findings],
        "plugin_errors": list(result.extra.get("plugin_errors") or []),
    }


def _band(score: float | None) -> str:
    if score is None:
        return "none"
    return "good" if score >= 80 else "fair" if score >= 50 else "poor"


def _score_view(
    score: dict[str, Any] | None, changes: dict[str, Any] | None
) -> dict[str, Any] | None:
    if not score:
        return None
    overall = score.get("overall")
    excluded = score.get("excluded") or {}
    compared = (changes or {}).get("score") or {}
    # Beside the overall score, only a change of the overall score: not one on fewer checks.
    delta = compared.get("delta") if compared.get("on", "all") == "all" else None
    return {
        "value": "–" if overall is None else f"{overall:.0f}",
        "band": _band(overall),
        "counted": score.get("counted", 0),
        "checks": score.get("checks", 0),
        "unknown": excluded.get("unknown") or [],
        "error": excluded.get("error") or [],
        "delta": None
        if delta is None
        else "same as"
        if round(delta) == 0
        else f"{delta:+.0f} since",
        "delta_sign": None
        if delta is None
        else ("up" if delta > 0 else "down" if delta < 0 else "same"),
    }


def _areas_view(findings: list[Finding], score: dict[str, Any] | None) -> list[dict[str, Any]]:
    detail = (score or {}).get("area_detail") or {}
    areas = [a for a in AREAS if any(f.area == a for f in findings)]
    areas += sorted({f.area for f in findings} - set(areas))
    out = []
    for area in areas:
        mine = [f for f in findings if f.area == area]
        value = (detail.get(area) or {}).get("score")
        out.append(
            {
                "id": area,
                "name": AREAS.get(area, area),
                "score": "–" if value is None else f"{value:.0f}",
                "band": _band(value),
                "counted": (detail.get(area) or {}).get("counted", 0),
                "checks": [
                    {
                        "code": f.code,
                        "verdict": str(f.verdict),
                        "word": VERDICT_WORDS[str(f.verdict)],
                        "name": f.name,
                    }
                    for f in sorted(mine, key=lambda f: f.code)
                ],
            }
        )
    return out


def _changes_view(changes: dict[str, Any] | None) -> dict[str, Any] | None:
    if not changes:
        return None
    groups = []
    for kind, title in CHANGE_TITLES.items():
        items = changes.get(kind) or []
        if not items:
            continue
        groups.append(
            {
                "kind": kind,
                "title": title,
                "items": [
                    {
                        "code": c.get("code"),
                        "name": c.get("name"),
                        "before": VERDICT_WORDS.get(c.get("before") or "", "not run"),
                        "after": VERDICT_WORDS.get(c.get("after") or "", "not run"),
                        "message": c.get("message") or "",
                        "figures": [
                            (label(k), figure(k, v.get("before")), figure(k, v.get("after")))
                            for k, v in (c.get("figures") or {}).items()
                        ][:4],
                    }
                    for c in items
                ],
            }
        )
    when = str(changes.get("previous_generated_at") or "")[:16].replace("T", " ")
    s = changes.get("score") or {}
    return {
        "since": when,
        "groups": groups,
        "unchanged": changes.get("unchanged", 0),
        "scope": comparison_scope(changes),
        "score": None
        if s.get("on", "all") == "all"
        else tuple("–" if v is None else f"{v:.0f}" for v in (s.get("before"), s.get("after"))),
    }


def _finding_view(f: Finding) -> dict[str, Any]:
    verdict = str(f.verdict)
    return {
        "code": f.code,
        "name": f.name,
        "area": f.area,
        "verdict": verdict,
        "word": VERDICT_WORDS[verdict],
        "severity": f.severity,
        "message": f.message,
        "figures": [(label(k), figure(k, v)) for k, v in f.figures.items()],
        "thresholds": [(label(k), figure(k, v)) for k, v in f.thresholds.items()],
        "per_account": _per_view(f.per_account),
        "per_platform": _per_view(f.per_platform),
        "evidence": [_evidence_view(e) for e in f.evidence],
        "evidence_total": f.evidence_total or len(f.evidence),
        "notes": list(f.notes),
        "needs": list(f.needs),
        "advice": f.advice if verdict != "pass" else "",
        "error": f.error,
    }


def _per_view(per: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    if not per:
        return None
    columns: list[str] = []
    for values in per.values():
        columns += [k for k in values if k not in columns]
    # by name, so that an account (of 75) is found where a reader looks for it
    ordered = sorted(per.items(), key=lambda item: (item[0].lower(), item[0]))
    return {
        "columns": [label(c) for c in columns],
        "rows": [(name, [figure(c, values.get(c)) for c in columns]) for name, values in ordered],
    }


def safe_url(url: Any) -> str | None:
    """The URL if it is http(s), else None: javascript:, data: and the like never become links."""
    if not isinstance(url, str):
        return None
    u = url.strip()
    return (
        u
        if u.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in u)
        else None
    )


def _evidence_view(e: dict[str, Any]) -> dict[str, Any]:
    when = str(e.get("created_at") or e.get("start") or "")[:16].replace("T", " ")
    extras = [
        (label(k), ", ".join(map(str, v)) if isinstance(v, list) else figure(k, v))
        for k, v in e.items()
        if k not in _EVIDENCE_MAIN and v is not None and not isinstance(v, dict)
    ]
    return {
        "when": when,
        "who": e.get("author") or e.get("account") or "",
        "account": e.get("account") if e.get("author") else "",
        "platform": e.get("platform") or "",
        "id": e.get("message_id") or "",
        "text": e.get("text"),
        "note": e.get("note"),
        "url": safe_url(e.get("url")),
        "extras": extras,
    }


# -- charts: series -> SVG geometry ----------------------------------------------------------

# The SVG's coordinate system, about the card's width on a laptop screen so that 11 px text
# stays 11 px; it scales with the card.
W, H = 480, 200
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 18, 30


GAPS_LISTED = 6


def _nice_max(value: float) -> float:
    """A round axis maximum at or above value (1, 2, 5 × 10^k)."""
    if value <= 0:
        return 1
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _px(v: float) -> float:
    return round(v, 1)


def _date(s: str) -> date:
    return (
        datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        if "T" in s
        else date.fromisoformat(s)
    )


def _charts_view(charts: dict[str, Any] | None) -> dict[str, Any] | None:
    if not charts:
        return None
    notes = charts.get("notes") or {}
    return {
        "cadence": _cadence(charts["cadence"]) if charts.get("cadence") else None,
        "first_response": _response(charts["first_response"])
        if charts.get("first_response")
        else None,
        "content_mix": _mix(charts["content_mix"]) if charts.get("content_mix") else None,
        "sentiment": _sentiment(charts["sentiment"]) if charts.get("sentiment") else None,
        "notes": notes,
    }


def _frame(ymax: float) -> dict[str, Any]:
    plot_h = H - TOP - BOTTOM
    # Counts are whole numbers: no half-post tick when the axis tops at 1 (or any odd number).
    steps = (0, 1, 2) if ymax % 2 == 0 else (0, 2)
    ticks = [{"y": _px(TOP + plot_h - plot_h * k / 2), "label": f"{ymax * k / 2:g}"} for k in steps]
    return _box(ticks)


def _box(ticks: list[dict[str, Any]]) -> dict[str, Any]:
    """A chart's frame: the SVG size, the plot's edges and the y-axis ticks."""
    return {
        "w": W,
        "h": H,
        "left": LEFT,
        "right": W - RIGHT,
        "top": TOP,
        "bottom": H - BOTTOM,
        "ticks": ticks,
    }


def _cadence(c: dict[str, Any]) -> dict[str, Any]:
    series = c["series"]
    n = len(series)
    step_days = 7 if c.get("granularity") == "week" else 1
    ymax = _nice_max(max((s["posts"] for s in series), default=1))
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    bw = plot_w / max(n, 1)
    bars = []
    for i, s in enumerate(series):
        h = plot_h * s["posts"] / ymax
        bars.append(
            {
                "x": _px(LEFT + i * bw + bw * 0.1),
                "y": _px(TOP + plot_h - h),
                "w": _px(max(bw * 0.8, 0.8)),
                "h": _px(h),
                "title": f"{s['period']}: {s['posts']} posts",
            }
        )
    first = _date(series[0]["period"]) if series else None
    span_days = n * step_days

    def x_of(day: date) -> float:
        offset = (day - first).days if first else 0
        return LEFT + plot_w * min(max(offset / max(span_days, 1), 0), 1)

    gaps = []
    for g in c.get("gaps") or []:
        x0, x1 = x_of(_date(g["start"])), x_of(_date(g["end"]))
        gaps.append(
            {
                "x": _px(x0),
                "w": _px(max(x1 - x0, 2)),
                "label": f"{g['days']:g} d" if x1 - x0 > 26 else "",
                "title": f"{g['days']:g} days without a post: {g['start'][:10]} to {g['end'][:10]}"
                + (" (still silent at the end of the data)" if g.get("ongoing") else ""),
            }
        )
    labels = []
    if n:
        picks = sorted({0, n // 3, 2 * n // 3, n - 1}) if n > 3 else list(range(n))
        for i in picks:
            # The first and last labels hang inwards so that they are not cut at the edges.
            anchor = "start" if i == 0 else "end" if i == n - 1 else "middle"
            x = (
                LEFT + i * bw
                if i == 0
                else LEFT + (i + 1) * bw
                if i == n - 1
                else LEFT + (i + 0.5) * bw
            )
            labels.append({"x": _px(x), "text": series[i]["period"], "anchor": anchor})
    return {
        "frame": _frame(ymax),
        "bars": bars,
        "gaps": gaps,
        "xlabels": labels,
        "unit": "week" if step_days == 7 else "day",
        "posts": c.get("posts", 0),
        "gap_days": f"{c.get('gap_days') or 0:g}",
        # The longest silences, longest first; a ten-year archive can have dozens.
        "gap_list": [
            (g["start"][:10], g["end"][:10], f"{g['days']:g}", bool(g.get("ongoing")))
            for g in sorted(c.get("gaps") or [], key=lambda g: -g["days"])[:GAPS_LISTED]
        ],
        "gaps_more": max(len(c.get("gaps") or []) - GAPS_LISTED, 0),
        "table": [(s["period"], s["posts"]) for s in series if s["posts"]],
    }


def _columns(values: list[tuple[str, int, str]]) -> dict[str, Any]:
    """A vertical bar chart of a few labelled counts: (label, count, css class)."""
    ymax = _nice_max(max((v for _, v, _ in values), default=1))
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = plot_w / max(len(values), 1)
    bars = []
    for i, (name, v, cls) in enumerate(values):
        h = plot_h * v / ymax
        x = LEFT + i * slot + slot * 0.15
        bars.append(
            {
                "x": _px(x),
                "y": _px(TOP + plot_h - h),
                "w": _px(slot * 0.7),
                "h": _px(h),
                "cx": _px(x + slot * 0.35),
                "label": name,
                "value": f"{v:,}",
                "cls": cls,
            }
        )
    return {"frame": _frame(ymax), "bars": bars}


def _response(r: dict[str, Any]) -> dict[str, Any]:
    values = [
        (b["label"], b["count"], "slow" if (b["min_hours"] or 0) >= 4 else "ok")
        for b in r["buckets"]
    ]
    values.append(("no answer", r.get("unanswered", 0), "none"))
    chart = _columns(values)
    chart.update(
        answered=f"{r.get('answered', 0):,}",
        unanswered=f"{r.get('unanswered', 0):,}",
        time_only=f"{r['time_only']:,}" if r.get("time_only") else "",
    )
    return chart


def _mix(m: dict[str, Any]) -> dict[str, Any]:
    types = m["types"]
    row_h = 34
    label_w = 110
    bar_w = W - label_w - 90
    rows = []
    for i, t in enumerate(types):
        rows.append(
            {
                "y": TOP + i * row_h,
                "label": label(t["content_type"]),
                "w": _px(max(bar_w * t["share"], 1)),
                "value": f"{t['share']:.0%} ({t['count']:,})",
                "cls": "promo" if t["content_type"] in ("promotion", "like_bait") else "other",
            }
        )
    return {
        "w": W,
        "h": TOP + len(types) * row_h + 8,
        "label_w": label_w,
        "rows": rows,
        "posts": f"{m.get('posts', 0):,}",
    }


def _sentiment(s: dict[str, Any]) -> dict[str, Any]:
    series = s["series"]
    n = len(series)
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    bw = plot_w / max(n, 1)
    bars = []
    for i, week in enumerate(series):
        total = week["messages"]
        if not total:
            continue
        y = TOP + plot_h
        for part in ("negative", "neutral", "positive"):
            h = plot_h * week[part] / total
            y -= h
            bars.append(
                {
                    "x": _px(LEFT + i * bw + bw * 0.1),
                    "y": _px(y),
                    "w": _px(max(bw * 0.8, 0.8)),
                    "h": _px(h),
                    "cls": part,
                    "title": f"week of {week['period']}: {week[part]} {part} of {total}",
                }
            )
    picks = sorted({0, n // 2, n - 1}) if n > 2 else list(range(n))
    ticks = [{"y": _px(TOP + plot_h - plot_h * k / 2), "label": f"{k * 50}%"} for k in (0, 1, 2)]
    frame = _box(ticks)
    return {
        "frame": frame,
        "bars": bars,
        "xlabels": [
            {
                "x": _px(
                    LEFT + i * bw
                    if i == 0
                    else LEFT + (i + 1) * bw
                    if i == n - 1
                    else LEFT + (i + 0.5) * bw
                ),
                "text": series[i]["period"],
                "anchor": "start" if i == 0 else "end" if i == n - 1 else "middle",
            }
            for i in picks
        ],
        "messages": f"{s.get('messages', 0):,}",
        "weeks": len(series),
        "earlier": f"{s.get('earlier_messages') or 0:,}" if s.get("earlier_messages") else "",
        "table": [
            (
                w["period"],
                w["negative"],
                w["neutral"],
                w["positive"],
                "n/a" if w["mean_score"] is None else f"{w['mean_score']:+.2f}",
            )
            for w in series
            if w["messages"]
        ],
    }
