"""Plan and organisation (SA601-SA603): what no export shows, asked as a self-assessment.

The answers live in `[self_assessment]` of socialaudit.toml (see `self_assessment.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA601 import NoPlan
    from .SA602 import WrongPeople
    from .SA603 import SideProject

    return [NoPlan, WrongPeople, SideProject]
