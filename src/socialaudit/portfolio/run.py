"""Audit every brand of a portfolio: one audit per brand (the same `run_audit` as `socialaudit
audit`), stored in that brand's history, and the table that sets them side by side.

Nothing here judges a brand: the score, the findings and every figure come from the audit;
this module picks the worst findings, reads the benchmark figures (`benchmarks.py`), and ranks
the brands against each other and against the public reference.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from ..audit import AuditResult, run_audit
from ..checks.base import SEVERITY_WEIGHTS
from ..config import Config, load_config
from ..vocabulary import brand_accounts
from ..workspace import Workspace
from . import benchmarks
from .brands import BrandRef, Portfolio
from .scope import BrandRows, brand_rows, scope_to_brand

SCHEMA_VERSION = 1
WORST_LISTED = 3
_VERDICT_ORDER = {"fail": 0, "error": 1, "warn": 2}


@dataclass
class BrandAudit:
    """One brand's audit, with what the portfolio adds: its score history and its goals."""

    ref: BrandRef
    result: AuditResult | None  # None: no audit stored yet (a report from history)
    trend: dict[str, Any] = field(default_factory=lambda: {"points": [], "left_out": 0})
    growth: dict[str, list[float]] = field(default_factory=dict)  # observed, per 30 days
    goals: list[dict[str, Any]] = field(default_factory=list)

    @property
    def figures(self) -> dict[str, float | None]:
        return benchmarks.brand_figures(self.result.findings) if self.result else {}


@dataclass
class PortfolioResult:
    portfolio: Portfolio
    brands: list[BrandAudit]
    created_at: datetime

    @property
    def failed(self) -> bool:
        return any(b.result is not None and b.result.failed for b in self.brands)

    def verdicts(self) -> set[str]:
        return {str(f.verdict) for b in self.brands if b.result for f in b.result.findings}

    def standings(self) -> dict[str, dict[str, Any]]:
        return benchmarks.standings({b.ref.name: b.figures for b in self.brands if b.result})

    def ordered(self) -> list[BrandAudit]:
        """Brands by score, lowest first (the ones that need attention), unaudited last."""
        return sorted(self.brands, key=_by_score)

    def to_dict(self) -> dict[str, Any]:
        """The portfolio's JSON document (docs/agency.md)."""
        standings = self.standings()
        goals = self.goals_against_peers()
        ref = benchmarks.reference()
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "portfolio",
            "generated_at": self.created_at.isoformat(),
            "portfolio": str(self.portfolio.root),
            "agency": {
                "name": self.portfolio.agency.name,
                "logo": self.portfolio.agency.logo_data_uri is not None,
            },
            "benchmarks": {
                "method": benchmarks.METHOD,
                "figures": benchmarks.describe(),
                "portfolio": benchmarks.portfolio_summary(
                    {b.ref.name: b.figures for b in self.brands if b.result}
                ),
                "reference": {k: v for k, v in ref.items() if k != "figures"}
                | {
                    "figures": {
                        k: {kk: vv for kk, vv in v.items() if kk != "values"}
                        for k, v in (ref.get("figures") or {}).items()
                    }
                },
            },
            "brands": [
                brand_document(b, standings.get(b.ref.name, {}), goals.get(b.ref.name, []))
                for b in self.ordered()
            ],
        }

    def goals_against_peers(self) -> dict[str, list[dict[str, Any]]]:
        """Each brand's goals with the growth they need, judged against the growth the other
        brands of the portfolio showed on the same metric."""
        out: dict[str, list[dict[str, Any]]] = {}
        for b in self.brands:
            judged = []
            for goal in b.goals:
                peers = [
                    rate
                    for other in self.brands
                    if other is not b
                    for rate in other.growth.get(goal["metric"], [])
                ]
                item = dict(goal)
                if goal.get("required") is not None:
                    item["peers"] = benchmarks.goal_against_peers(goal["required"], peers)
                judged.append(item)
            if judged:
                out[b.ref.name] = judged
        return out


def brand_config(ref: BrandRef) -> Config:
    config = load_config(ref.root / "socialaudit.toml")
    return config.for_brand(ref.entry) if ref.entry else config


def rows_for(root: Path, entries: list[str]) -> dict[str, BrandRows]:
    """The rows of several `[brands]` entries of one workspace, computed in one pass."""
    config = load_config(root / "socialaudit.toml")
    with Workspace.open(root, create=False) as ws:
        accounts = {e: brand_accounts(ws, config.for_brand(e)) for e in entries}
        return brand_rows(ws, accounts)


def scope_to_entry(ws: Workspace, ref: BrandRef) -> Config:
    """Show an open workspace (on any engine) through the accounts of `ref`'s `[brands]` entry,
    when it names one, and return the brand's config. The rows are computed on that engine."""
    config = brand_config(ref)
    if ref.entry is not None:
        rows = brand_rows(ws, {ref.entry: brand_accounts(ws, config)})[ref.entry]
        scope_to_brand(ws, rows)
    return config


@contextmanager
def open_brand(ref: BrandRef, rows: BrandRows | None = None) -> Iterator[tuple[Workspace, Config]]:
    """The brand's workspace, seen through its accounts when it is one of several (`scope.py`),
    and its config."""
    config = brand_config(ref)
    if ref.entry is not None and rows is None:
        rows = rows_for(ref.root, [ref.entry])[ref.entry]
    with Workspace.open(ref.root, create=False) as ws:
        if ref.entry is not None and rows is not None:
            scope_to_brand(ws, rows)
        yield ws, config


def audit_one(
    ws: Workspace,
    config: Config,
    ref: BrandRef,
    *,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    label: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> AuditResult:
    """`run_audit` of one brand (labelling first unless `label` is False: the caller did);
    an audit of one brand of several says which (`brand_scope`), so that its history is that
    brand's (history.audit_scope)."""
    result = run_audit(ws, config, select=select, ignore=ignore, label=label, progress=progress)
    if ref.entry is not None:
        result.extra["brand_scope"] = {"name": ref.entry, "accounts": list(config.brand.accounts)}
    return result


def audit_brand(
    ref: BrandRef,
    *,
    rows: BrandRows | None = None,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    save: bool = True,
    charts: bool = False,
    goal_metrics: set[str] | None = None,
) -> BrandAudit:
    """Audit one brand, compare it with its previous audit, store it unless `save` is False."""
    from ..charts import chart_data
    from ..history import record_audit, score_history

    with open_brand(ref, rows) as (ws, config):
        result = audit_one(ws, config, ref, select=select, ignore=ignore)
        if charts:
            result.extra["charts"] = chart_data(ws, config)
        record_audit(ws, result, save=save)
        trend = score_history(ws, ref.scope)
        growth = benchmarks.observed_growth(ws, goal_metrics or set())
        goals = benchmarks.goal_needs(ws, config)
    if not save:  # the trend still ends with this audit
        trend = {**trend, "points": [*trend["points"], _point(result)]}
    return BrandAudit(ref=ref, result=result, trend=trend, growth=growth, goals=goals)


def _point(result: AuditResult) -> dict[str, Any]:
    return {
        "audit_id": None,
        "created_at": result.created_at,
        "score": (result.extra.get("score") or {}).get("overall"),
    }


def rows_by_ref(portfolio: Portfolio) -> dict[BrandRef, BrandRows]:
    by_root: dict[Path, list[str]] = {}
    for ref in portfolio.brands:
        if ref.entry is not None:
            by_root.setdefault(ref.root, []).append(ref.entry)
    out: dict[BrandRef, BrandRows] = {}
    for root, entries in by_root.items():
        rows = rows_for(root, entries)
        for ref in portfolio.brands:
            if ref.root == root and ref.entry is not None:
                out[ref] = rows[ref.entry]
    return out


def _goal_metrics(portfolio: Portfolio) -> set[str]:
    """The metrics any brand has a goal on: peers' growth is read for those."""
    return {g.metric.strip().lower() for ref in portfolio.brands for g in brand_config(ref).goals}


def audit_portfolio(
    portfolio: Portfolio,
    *,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    save: bool = True,
    charts: bool = False,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> PortfolioResult:
    """Audit every brand of the portfolio. With `jobs` > 1, that many processes audit the
    workspaces side by side (the brands of one workspace stay in one process, one after the
    other: a workspace's database takes one writer at a time)."""
    rows = rows_by_ref(portfolio)
    metrics = _goal_metrics(portfolio)
    audit = partial(
        audit_brand, select=select, ignore=ignore, save=save, charts=charts, goal_metrics=metrics
    )
    groups: dict[Path, list[tuple[BrandRef, BrandRows | None]]] = {}
    for ref in portfolio.brands:
        groups.setdefault(ref.root, []).append((ref, rows.get(ref)))
    total = len(portfolio.brands)
    done: dict[BrandRef, BrandAudit] = {}
    if progress is not None:
        progress(0, total)
    if jobs <= 1 or len(groups) == 1:
        for group in groups.values():
            for ref, brand_rows_ in group:
                done[ref] = audit(ref, rows=brand_rows_)
                if progress is not None:
                    progress(len(done), total)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn: a worker starts clean, with no database connection inherited from this one
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(_audit_group, group, audit) for group in groups.values()]
            for future in as_completed(futures):
                for brand_audit in future.result():
                    done[brand_audit.ref] = brand_audit
                if progress is not None:
                    progress(len(done), total)
    audits = [done[ref] for ref in portfolio.brands]
    return PortfolioResult(portfolio=portfolio, brands=audits, created_at=datetime.now(UTC))


def _audit_group(
    group: list[tuple[BrandRef, BrandRows | None]], audit: Callable[..., BrandAudit]
) -> list[BrandAudit]:
    """The brands of one workspace, audited in one worker process."""
    return [audit(ref, rows=r) for ref, r in group]


def stored_portfolio(
    portfolio: Portfolio, *, charts: bool = False, charts_for: set[str] | None = None
) -> PortfolioResult:
    """The portfolio as its latest stored audits show it (nothing is audited again), with what
    changed since the audit before each; a brand never audited has no result. Charts are drawn
    from the data for every brand (`charts`) or for the brands of `charts_for` (slugs)."""
    from ..charts import chart_data
    from ..history import (
        comparable_audit,
        compare,
        previous_audit,
        score_history,
        stored_result,
    )

    rows = rows_by_ref(portfolio)
    metrics = _goal_metrics(portfolio)
    audits = []
    for ref in portfolio.brands:
        with open_brand(ref, rows.get(ref)) as (ws, config):
            doc = previous_audit(ws, scope=ref.scope)
            result = None
            if doc is not None:
                result = stored_result(doc)
                before = comparable_audit(
                    ws,
                    {f.code for f in result.findings},
                    before=result.created_at,
                    scope=ref.scope,
                )
                if before is not None:
                    result.extra["changes"] = compare(before, doc)
                if charts or ref.slug in (charts_for or set()):
                    result.extra["charts"] = chart_data(ws, config)
            audits.append(
                BrandAudit(
                    ref=ref,
                    result=result,
                    trend=score_history(ws, ref.scope),
                    growth=benchmarks.observed_growth(ws, metrics),
                    goals=benchmarks.goal_needs(ws, config),
                )
            )
    return PortfolioResult(portfolio=portfolio, brands=audits, created_at=datetime.now(UTC))


def worst_findings(result: AuditResult, limit: int = WORST_LISTED) -> list[dict[str, Any]]:
    """The findings to read first: failures before errors before warnings, then by severity
    (the score's weights), then by code."""
    problems = [f for f in result.findings if str(f.verdict) in _VERDICT_ORDER]
    problems.sort(
        key=lambda f: (
            _VERDICT_ORDER[str(f.verdict)],
            -SEVERITY_WEIGHTS.get(f.severity, 0),
            f.code,
        )
    )
    return [
        {
            "code": f.code,
            "name": f.name,
            "verdict": str(f.verdict),
            "severity": f.severity,
            "message": f.message,
        }
        for f in problems[:limit]
    ]


def _by_score(b: BrandAudit) -> tuple[int, float, str]:
    score = (b.result.extra.get("score") or {}).get("overall") if b.result else None
    return (score is None, score if score is not None else 0.0, b.ref.name.lower())


def brand_document(
    b: BrandAudit, standing: dict[str, Any], goals: list[dict[str, Any]]
) -> dict[str, Any]:
    """One brand's row of the portfolio document."""
    doc: dict[str, Any] = {
        "name": b.ref.name,
        "slug": b.ref.slug,
        "workspace": str(b.ref.root),
        "entry": b.ref.entry,
        "audited": b.result is not None,
        "trend": [{"created_at": p["created_at"], "score": p["score"]} for p in b.trend["points"]],
        "trend_left_out": b.trend.get("left_out", 0),
        "goals": goals,
    }
    if b.result is None:
        return doc
    r = b.result
    score = r.extra.get("score") or {}
    by_code = {f.code: f for f in r.findings}
    care = by_code.get("SA102")
    changes = r.extra.get("changes")
    doc.update(
        generated_at=r.created_at.isoformat(),
        score=score.get("overall"),
        counted=score.get("counted"),
        checks=score.get("checks"),
        verdicts={
            v: sum(1 for f in r.findings if str(f.verdict) == v)
            for v in ("fail", "warn", "pass", "unknown", "error")
        },
        worst=worst_findings(r),
        care=dict(care.figures) if care is not None and str(care.verdict) != "error" else None,
        benchmarks=standing,
        change=_change(changes) if isinstance(changes, dict) else None,
    )
    return doc


def _change(changes: dict[str, Any]) -> dict[str, Any]:
    s = changes.get("score") or {}
    return {
        "since": changes.get("previous_generated_at"),
        "score_before": s.get("before"),
        "score_after": s.get("after"),
        "delta": s.get("delta"),
        "on": s.get("on"),
        **{
            k: [c["code"] for c in changes.get(k) or []]
            for k in ("new", "fixed", "worse", "better")
        },
    }
