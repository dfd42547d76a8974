"""The portfolio's HTML pages: an overview of every brand, and one page per brand (its whole
audit report with where it stands among the other brands and its score over time), headed by
the agency's name and logo, so that a brand's page can go to that client as it is.

Like the audit report: one self-contained file per page, no script, no CDN, no web font; CSS
inline; charts as inline SVG drawn here from figures computed elsewhere; every string from data
escaped by Jinja2's autoescape; the logo is embedded as a data: URI (the only image source the
pages' Content-Security-Policy allows).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..report.html import LEFT, RIGHT, TOP, H, W, _band, _box, _px, environment
from ..report.html import view as report_view
from ..report.jsonout import clean
from .render import delta_text, goal_text, standing_text, value_text

if TYPE_CHECKING:
    from .run import BrandAudit, PortfolioResult

BRANDS_DIR = "brands"
STRIP_H = 58


def write_html(result: PortfolioResult, out: Path) -> list[Path]:
    """Write the overview (`out/index.html`) and one page per brand (`out/brands/SLUG.html`);
    returns the files written."""
    doc = clean(result.to_dict())
    env = environment()
    out.mkdir(parents=True, exist_ok=True)
    (out / BRANDS_DIR).mkdir(exist_ok=True)
    written = []
    index = out / "index.html"
    index.write_text(
        env.get_template("portfolio.html").render(**overview_view(result, doc)), encoding="utf-8"
    )
    written.append(index)
    rows = {b["name"]: b for b in doc["brands"]}
    for b in result.brands:
        page = out / BRANDS_DIR / f"{b.ref.slug}.html"
        page.write_text(render_brand_page(result, b, doc, rows[b.ref.name]), encoding="utf-8")
        written.append(page)
    return written


def render_brand_page(
    result: PortfolioResult,
    brand: BrandAudit,
    doc: dict[str, Any],
    row: dict[str, Any],
    overview_href: str = "../index.html",
) -> str:
    env = environment()
    common = _common(result, doc)
    if brand.result is None:
        return env.get_template("portfolio_empty.html").render(
            **common, brand=brand.ref.name, overview_href=overview_href
        )
    view = report_view(brand.result)
    view["title"] = brand.ref.name
    # a page that goes to a client names the brand's folder, not where it lies on this machine
    view["workspace"] = brand.ref.root.name
    return env.get_template("portfolio_brand.html").render(
        **view,
        **common,
        overview_href=overview_href,
        standing=_standing_view(row, doc),
        trend=_trend(row["trend"], row.get("trend_left_out", 0)),
        goals=[goal_text(g) for g in row.get("goals") or []],
    )


def _common(result: PortfolioResult, doc: dict[str, Any]) -> dict[str, Any]:
    agency = result.portfolio.agency
    ref = doc["benchmarks"]["reference"]
    data = ref.get("dataset") or {}
    return {
        "agency": agency.name,
        "logo": agency.logo_data_uri,
        "method": doc["benchmarks"]["method"],
        "reference": {
            "name": ref.get("name"),
            "title": data.get("title"),
            "author": data.get("author"),
            "licence": data.get("licence"),
            "period": data.get("period"),
            "caveats": data.get("caveats"),
            "computed": (ref.get("computed") or {}).get("by"),
        }
        if ref.get("name")
        else None,
        "portfolio_generated": f"{result.created_at.astimezone(UTC):%Y-%m-%d %H:%M} UTC",
    }


# -- the overview ----------------------------------------------------------------------------


def overview_view(result: PortfolioResult, doc: dict[str, Any]) -> dict[str, Any]:
    summary_of = doc["benchmarks"]["portfolio"]
    # Only the figures some brand has: a column of n/a tells a client nothing.
    figures = [f for f in doc["benchmarks"]["figures"] if summary_of[f["key"]]["brands"]]
    missing = [f for f in doc["benchmarks"]["figures"] if not summary_of[f["key"]]["brands"]]
    rows = []
    for b in doc["brands"]:
        s = b.get("benchmarks") or {}
        rows.append(
            {
                "name": b["name"],
                "href": f"{BRANDS_DIR}/{b['slug']}.html",
                "audited": b["audited"],
                "score": "–" if b.get("score") is None else f"{b['score']:.0f}",
                "band": _band(b.get("score")),
                "delta": delta_text(b.get("change")) if b["audited"] else "",
                "delta_sign": _sign((b.get("change") or {}).get("delta")),
                "new": len((b.get("change") or {}).get("new") or []),
                "fixed": len((b.get("change") or {}).get("fixed") or []),
                "fail": (b.get("verdicts") or {}).get("fail", 0),
                "warn": (b.get("verdicts") or {}).get("warn", 0),
                "worst": b.get("worst") or [],
                "spark": _spark(b["trend"]),
                "cells": [
                    (
                        value_text(f["unit"], (s.get(f["key"]) or {}).get("value")),
                        standing_text((s.get(f["key"]) or {}).get("portfolio")),
                    )
                    for f in figures
                ],
            }
        )
    strips = []
    ref_figures = (doc["benchmarks"]["reference"].get("figures")) or {}
    for f in figures:
        values = [
            (b["name"], (b.get("benchmarks") or {}).get(f["key"], {}).get("value"))
            for b in doc["brands"]
        ]
        values = [(n, v) for n, v in values if v is not None]
        summary = summary_of[f["key"]]
        strips.append(
            {
                "label": f["label"],
                "source": f["source"],
                "better": f["better"],
                "brands": summary["brands"],
                "median": value_text(f["unit"], (summary.get("quantiles") or {}).get("median")),
                "strip": _strip(f, values, None, ref_figures.get(f["key"])),
            }
        )
    audited = [b for b in doc["brands"] if b["audited"]]
    return {
        **_common(result, doc),
        "title": result.portfolio.agency.name or "Portfolio",
        "root": result.portfolio.root.name,
        "brands": rows,
        "figures": [(f["label"], f["better"]) for f in figures],
        "strips": strips,
        "missing": [(f["label"], f["source"]) for f in missing],
        "audited": len(audited),
        "total": len(doc["brands"]),
        "failing": sum(1 for b in audited if b["verdicts"]["fail"]),
        "goals": [(b["name"], goal_text(g)) for b in doc["brands"] for g in b.get("goals") or []],
    }


def _sign(delta: float | None) -> str:
    if delta is None:
        return ""
    return "up" if delta > 0.5 else "down" if delta < -0.5 else "same"


# -- charts ----------------------------------------------------------------------------------


def _when(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _trend(points: list[dict[str, Any]], left_out: int) -> dict[str, Any] | None:
    """The score over the stored audits, as a line on a 0-100 axis, time proportional."""
    pts = [(_when(p["created_at"]), p["score"]) for p in points if p.get("score") is not None]
    if not pts:
        return None
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - 30
    t0, t1 = pts[0][0].timestamp(), pts[-1][0].timestamp()
    span = max(t1 - t0, 1.0)

    def xy(t: datetime, s: float) -> tuple[float, float]:
        x = LEFT + (plot_w * (t.timestamp() - t0) / span if len(pts) > 1 else plot_w / 2)
        return _px(x), _px(TOP + plot_h - plot_h * s / 100)

    dots = []
    for t, s in pts:
        x, y = xy(t, s)
        dots.append({"x": x, "y": y, "title": f"{t.astimezone(UTC):%Y-%m-%d %H:%M} UTC: {s:.0f}"})
    ticks = [{"y": _px(TOP + plot_h - plot_h * k / 100), "label": str(k)} for k in (0, 50, 100)]
    frame = _box(ticks)
    first, last = pts[0][0].astimezone(UTC), pts[-1][0].astimezone(UTC)
    # audits within two days of each other are told apart by their time
    fmt = "%Y-%m-%d %H:%M" if span < 2 * 86400 and len(pts) > 1 else "%Y-%m-%d"
    xlabels = [{"x": dots[0]["x"], "text": first.strftime(fmt), "anchor": "start"}]
    if len(pts) > 1:
        xlabels.append({"x": dots[-1]["x"], "text": last.strftime(fmt), "anchor": "end"})
    return {
        "frame": frame,
        "line": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "xlabels": xlabels,
        "audits": len(pts),
        "left_out": left_out,
    }


SPARK_W, SPARK_H = 96, 26


def _spark(points: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A brand's score over its audits, as a small line for the overview table."""
    scores = [p["score"] for p in points if p.get("score") is not None]
    if not scores:
        return None
    n = len(scores)
    step = (SPARK_W - 6) / max(n - 1, 1)
    pts = [
        (
            _px(3 + (i * step if n > 1 else (SPARK_W - 6) / 2)),
            _px(SPARK_H - 3 - (SPARK_H - 6) * s / 100),
        )
        for i, s in enumerate(scores)
    ]
    return {
        "w": SPARK_W,
        "h": SPARK_H,
        "line": " ".join(f"{x},{y}" for x, y in pts),
        "last": pts[-1],
        "title": "score over the last audits: " + " → ".join(f"{s:.0f}" for s in scores[-8:]),
    }


def _scale(unit: str, values: list[float]) -> tuple[Any, float, float, bool]:
    """A function from a figure's value to x, the axis ends, and whether the axis is log."""
    lo_px, hi_px = LEFT + 6, W - RIGHT - 6
    positive = [v for v in values if v > 0]
    if unit == "seconds" and positive:
        lo = 10 ** math.floor(math.log10(min(positive)))
        hi = 10 ** math.ceil(math.log10(max(positive)))
        hi = hi if hi > lo else lo * 10

        def x_log(v: float) -> float:
            v = min(max(v, lo), hi)
            return _px(
                lo_px
                + (hi_px - lo_px)
                * (math.log10(v) - math.log10(lo))
                / (math.log10(hi) - math.log10(lo))
            )

        return x_log, lo, hi, True
    lo = 0.0
    hi = 1.0 if unit == "share" else max(values or [1.0]) * 1.05 or 1.0

    def x_lin(v: float) -> float:
        return _px(lo_px + (hi_px - lo_px) * (min(max(v, lo), hi) - lo) / (hi - lo))

    return x_lin, lo, hi, False


def _strip(
    figure: dict[str, Any],
    values: list[tuple[str, float]],
    mine: float | None,
    ref: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """One figure's distribution on one axis: the public reference's p10-p90 and p25-p75 as
    bands with its median, each portfolio brand as a dot, and this brand (when given) as a
    marker. Seconds are on a log axis (waits run from minutes to days)."""
    unit = figure["unit"]
    q = (ref or {}).get("quantiles") or {}
    everything = [v for _, v in values] + [v for v in q.values() if v is not None]
    if mine is not None:
        everything.append(mine)
    if not everything:
        return None
    x, lo, hi, log = _scale(unit, everything)
    axis_y = 34
    bands = []
    if q:
        bands = [
            {"x": x(q["p10"]), "w": _px(max(x(q["p90"]) - x(q["p10"]), 1)), "cls": "outer"},
            {"x": x(q["p25"]), "w": _px(max(x(q["p75"]) - x(q["p25"]), 1)), "cls": "inner"},
        ]
    dots = [
        {"x": x(v), "title": f"{name}: {value_text(unit, v)}"}
        for name, v in sorted(values, key=lambda nv: nv[1])
    ]
    marker = None
    if mine is not None:
        mx = x(mine)
        anchor = "start" if mx < W * 0.2 else "end" if mx > W * 0.8 else "middle"
        marker = {"x": mx, "label": value_text(unit, mine), "anchor": anchor}
    return {
        "w": W,
        "h": STRIP_H,
        "axis_y": axis_y,
        "left": LEFT + 6,
        "right": W - RIGHT - 6,
        "bands": bands,
        "median": x(q["median"]) if q else None,
        "dots": dots,
        "marker": marker,
        "lo": value_text(unit, lo) + (" (log scale)" if log else ""),
        "hi": value_text(unit, hi),
        "label": figure["label"],
    }


def _standing_view(row: dict[str, Any], doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Per benchmark figure: the brand's value, its standings, and its strip."""
    ref_figures = doc["benchmarks"]["reference"].get("figures") or {}
    out = []
    for f in doc["benchmarks"]["figures"]:
        s = (row.get("benchmarks") or {}).get(f["key"]) or {}
        peers = [
            (b["name"], (b.get("benchmarks") or {}).get(f["key"], {}).get("value"))
            for b in doc["brands"]
            if b["name"] != row["name"]
        ]
        peers = [(n, v) for n, v in peers if v is not None]
        out.append(
            {
                "label": f["label"],
                "source": f["source"],
                "check": f["check"],
                "better": f["better"],
                "value": value_text(f["unit"], s.get("value")),
                "known": s.get("value") is not None,
                "portfolio": s.get("portfolio"),
                "portfolio_brands": s.get("portfolio_brands", 0),
                "reference": s.get("reference"),
                "reference_brands": s.get("reference_brands", 0),
                "strip": _strip(f, peers, s.get("value"), ref_figures.get(f["key"]))
                if s.get("value") is not None
                else None,
            }
        )
    return out
