"""Presence and cadence (SA201-SA204): is the brand there, how often does it post, does it keep
going, and is it spread over more networks than it can keep alive.

Days are UTC days. The audit date (`[checks] as_of`) defaults to the newest message in the
workspace: an export is a snapshot, and an audit of a snapshot judges the period the snapshot
covers. Each finding also says how long ago that was from today, so an old export is never
mistaken for a live account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA201 import NoPresence
    from .SA202 import Oversharing
    from .SA203 import FallingOffTheWagon
    from .SA204 import SpreadTooThin

    return [NoPresence, Oversharing, FallingOffTheWagon, SpreadTooThin]
