"""Conversation and care: the customer talks to the brand (SA101-SA105).

SA101-SA103 judge what happens to each inbound message, from the addressed pairs of
`conversation.py` (`pairs.py`); SA104 and SA105 judge the brand's own balance: does it talk *with*
its customers, and does it listen more than it talks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA101 import UnansweredRequests
    from .SA102 import SlowFirstResponse
    from .SA103 import UnthankedPraise
    from .SA104 import TalkingAtCustomers
    from .SA105 import NotListening

    return [
        UnansweredRequests,
        SlowFirstResponse,
        UnthankedPraise,
        TalkingAtCustomers,
        NotListening,
    ]
