"""Content (SA301-SA306): what the brand chooses to publish.

The content-mix checks (SA301 sales pitches, SA302 personal posts, SA303 expertise, SA305 like
bait, SA306 links to the website) look at the brand's *original posts* only: reposts are
somebody else's words, replies and comments are conversation (the care checks judge those), and
direct messages are private. What a post is about comes from its labels (`content_type`,
written by the labelling stage). SA304 looks at everything the brand wrote in public, replies
included, because a rude reply does as much harm as a rude post. Shares are computed over the
last `window_days` before the audit date, so the verdict is about the brand's current habits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..base import Check


def get_checks() -> list[type[Check]]:
    """The area's checks, imported when asked for (the entry point, see socialaudit.checks)."""
    from .SA301 import SalesPitchOverload
    from .SA302 import PersonalPosts
    from .SA303 import NoExpertiseShared
    from .SA304 import PublishFirstThinkLater
    from .SA305 import LikeBait
    from .SA306 import NotTiedToTheWebsite

    return [
        SalesPitchOverload,
        PersonalPosts,
        NoExpertiseShared,
        PublishFirstThinkLater,
        LikeBait,
        NotTiedToTheWebsite,
    ]
