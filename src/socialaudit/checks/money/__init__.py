"""Measurement and money (SA501-SA506): is anything measured, what does social media cost, what
does it return, and are the goals within the brand's own reach.

The money figures come from `roi.compute_roi` (computed once per audit and shared, `figures.py`);
the goal forecasts from `forecast.py`. docs/roi.md describes both methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA501 import IgnoringMetrics
    from .SA502 import VanityMetrics
    from .SA503 import RoiUnknown
    from .SA504 import PretendingItsFree
    from .SA505 import Underinvesting
    from .SA506 import ExpectingTheWorld

    return [
        IgnoringMetrics,
        VanityMetrics,
        RoiUnknown,
        PretendingItsFree,
        Underinvesting,
        ExpectingTheWorld,
    ]
