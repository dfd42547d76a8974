"""Audience (SA401): how the brand builds its following."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA401 import OverFollowing

    return [OverFollowing]
