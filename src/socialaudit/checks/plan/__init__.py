"""Plan and organisation (SA601-SA603): what no export shows, asked as a self-assessment.

The answers live in `[self_assessment]` of socialaudit.toml (see `self_assessment.py`).

One check per file, named by its code. `get_checks` is this area's entry point
(`[project.entry-points."socialaudit.checks"]` in pyproject.toml).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks. Imported here rather than at the top, so that loading the registry
    costs only what the checks that run need (as sqlfluff's rule packages do)."""
    from .SA601 import NoPlan
    from .SA602 import WrongPeople
    from .SA603 import SideProject

    return [NoPlan, WrongPeople, SideProject]
