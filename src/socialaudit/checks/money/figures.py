"""What the money checks share: the ROI report (computed once per audit), what to import, and
shares written with one decimal (`units.percent`).
"""

from __future__ import annotations

from ...errors import SocialauditError
from ...roi import RoiReport, compute_roi
from ...units import percent
from ...vocabulary import needs
from ..base import AuditContext

[NEEDS_COSTS, NEEDS_CONVERSIONS, NEEDS_GOALS, NEEDS_METRICS, NEEDS_AUDIENCE, NEEDS_POSTS] = needs(
    "costs", "conversions", "goals", "metrics", "audience", "brand_posts"
)


NEEDS_BUDGET = (
    "[brand] marketing_budget in socialaudit.toml: the whole marketing budget for a year, in the "
    "workspace currency"
)


def roi_report(ctx: AuditContext) -> RoiReport | SocialauditError:
    """The all-time ROI report, computed once per audit; the error when the ledgers disagree
    with the workspace currency (each money check then says so in its own terms)."""

    def compute() -> RoiReport | SocialauditError:
        try:
            return compute_roi(ctx.workspace, ctx.config)
        except SocialauditError as exc:
            return exc

    return ctx.shared("money.roi", compute)


__all__ = [
    "NEEDS_AUDIENCE",
    "NEEDS_BUDGET",
    "NEEDS_CONVERSIONS",
    "NEEDS_COSTS",
    "NEEDS_GOALS",
    "NEEDS_METRICS",
    "NEEDS_POSTS",
    "percent",
    "roi_report",
]
