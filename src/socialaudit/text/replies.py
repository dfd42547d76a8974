"""What a brand's reply says the message it answers was: weak labels for `train --from-replies`.

A care team's answer names the kind of message it answers better than that message's own words
do: an apology or "that's not the experience we want" follows a complaint, thanks for the kind
words follow praise, and a plain answer ("you can ...", "here's how", a link) follows a question.
`weak_intent` reads the brand's reply and returns that label, or None when the reply says
nothing either way ("DM us", "we're here to help" follow both complaints and questions).

The cues are the project's own, written by hand from how care teams answer (like lexicons.py);
nothing is learned from data. They are English only: a reply in another language gives None.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .lexicons import Lexicon, cues
from .rules import normalise

# The brand is sorry, or takes the message as something that went wrong: a complaint.
APOLOGY = Lexicon(
    "reply_apology",
    "The reply apologises or takes the message as something that went wrong.",
    words=cues(
        """
        sorry, so sorry, we apologise, we apologize, apologies, our apologies, we regret,
        not the experience, not what we want, not what we like to hear, not what we'd expect,
        never like to hear, don't like to hear, hate to hear, sad to hear, unfortunate to hear,
        frustrating, frustration, inconvenience, disappointing, disappointed to hear,
        that's not right, this isn't right, shouldn't be happening, shouldn't happen,
        let's get this sorted, let's get this fixed, let's fix this, let's sort this,
        get this resolved, get this sorted, make this right, make things right,
        look into this for you, looking into this, we'll look into, investigate, escalate,
        we understand your frustration, understand how frustrating, thanks for your patience,
        thank you for your patience, appreciate your patience, bear with us,
        uh oh, oh no, that's no good, not good, doesn't sound good, doesn't sound right,
        that's odd, that's strange, what's going on, what happened, we hear you,
        we want to help, we'd like to help, we would like to help, let us help, help's here,
        here to help, we can help, i can help, we'd love to help, want to make sure,
        work with you on this, troubleshoot, troubleshooting, back on track, get this working,
        we want this to work, did this start, does this happen, is this happening,
        did the app crash, still seeing, still having, still experiencing, experiencing,
        the issue, this issue, that issue, the problem, this problem, affected,
        try restarting, try reinstalling, try resetting, try logging, try clearing,
        power cycle, reboot, restart your, reinstall, log out and back in,
        account number, order number, booking number, confirmation number, reservation number,
        tracking number, account email, account info, account details, full name,
        passed on to, pass this on, fed this back, feedback has been, shared your comments
        """
    ),
)

# The brand thanks the customer for kind words or is glad: the message was praise.
GRATITUDE = Lexicon(
    "reply_gratitude",
    "The reply thanks the customer for kind words or shares their joy.",
    words=cues(
        """
        thanks for the love, thank you for the love, thanks for the kind words,
        thank you for the kind words, kind words, thanks for the shout, thanks for the shoutout,
        thank you for the shoutout, shout out, shoutout, glad you like, glad you love,
        glad you're enjoying, glad you are enjoying, glad to hear, happy to hear, great to hear,
        love to hear, good to hear, awesome to hear, so glad, we love that, love this,
        you're welcome, you are welcome, our pleasure, my pleasure, any time, anytime,
        enjoy, have fun, we appreciate you, appreciate the love, made our day, you rock
        """
    ),
)

# The brand answers: instructions, facts, a link. The message was a question.
ANSWER = Lexicon(
    "reply_answer",
    "The reply answers: how to do something, what is so, where to look.",
    words=cues(
        """
        you'll need, you will need, you need to, you'd need, you'll be able, you will be able,
        you're able, here's how, here is how, to do this, to do that, the best way, head to,
        go to, settings, more info, more information, details here, find out, learn more,
        available, currently, at the moment,
        yes, yep, not at the moment, isn't available, is not available, we don't offer,
        we do not offer, we don't have, we're unable to, we are unable to, depends on,
        it's possible, it is possible, should be able, should see, will be, is due
        """
    ),
    patterns=(r"\bhttp\b", r"^(?:@user )*(?:yes|no|yep|nope|hi|hey)\b[,.!]"),
)

# Which label each cue gives, strongest first: an apology wins over an answer ("Sorry about
# that, you can ...": the customer complained).
WEAK_CUES: tuple[tuple[str, Lexicon], ...] = (
    ("complaint", APOLOGY),
    ("praise", GRATITUDE),
    ("question", ANSWER),
)


def weak_intent(replies: Sequence[str | None] | pa.Array) -> np.ndarray:
    """The intent each brand reply says its parent message had (complaint, praise, question),
    None where the reply says nothing either way."""
    arr = replies if isinstance(replies, pa.Array) else pa.array(list(replies), pa.string())
    norm = normalise(arr)
    out = np.full(len(arr), None, dtype=object)
    for label, lex in reversed(WEAK_CUES):  # the strongest written last wins
        hit = pc.match_substring_regex(norm, lex.pattern).to_numpy(zero_copy_only=False)
        out[hit] = label
    return out
