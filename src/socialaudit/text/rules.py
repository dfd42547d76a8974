"""The `rules` backend: VADER's sentiment plus the hand-written lexicons, over whole Arrow arrays.

How each label is decided (the weights are named constants below; docs/text.md explains them):

* sentiment: VADER's compound score (`sentiment.py`); a complaint reads negative and praise
  positive whatever the score says, because a calm "my bag is still missing" is negative to the
  brand even when its words are not.
* complaint: the complaint cues add up with the negative sentiment; thanks and praise subtract.
  A strong cue ("worst", "still waiting", "never received") is a complaint on its own.
* question: a question mark, a message that opens with a question word or auxiliary, or a request
  phrase ("please help", "can you", "I need").
* praise: thanks or praise words in a positive message that is not a complaint.
* intent: complaint > question > praise > other. Only messages that are not the brand's own get
  intent flags; the brand's own get a content type instead.
* content type (brand messages): the content lexicon with the highest weighted count wins, in the
  order of `lexicons.CONTENT_LEXICONS` on ties; a message that opens with a @handle and has no
  other cue is a care reply; nothing matched is `other`.

Everything runs with Arrow's RE2 kernels and numpy: one pass per lexicon over the batch, and a
second pass only over the texts whose label a lexicon decided, to list the cues that matched.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import lexicons as lx
from . import sentiment

NAME = "rules"
# Bump when the decision logic changes; lexicon edits change the version on their own (digest).
LOGIC_VERSION = "2"

# -- decision weights ---------------------------------------------------------------------------
# A complaint's score adds each lexicon's weight per cue (`Lexicon.weight`, at most CUE_CAP cues
# per lexicon) and the sentiment terms below; from COMPLAINT_AT on, the message is a complaint,
# provided at least one complaint cue matched (a merely negative message is not a complaint).
CUE_CAP = 3
COMPLAINT_NEGATIVE = 0.5  # a negative message (compound <= NEGATIVE_AT)
COMPLAINT_VERY_NEGATIVE = 1.0  # a clearly negative one (compound <= -0.5)
COMPLAINT_POSITIVE = -0.3  # a clearly positive one (compound >= 0.5): sarcasm keeps this small
COMPLAINT_THANKS = -0.3  # each thanks or praise cue (at most 2)
COMPLAINT_AT = 1.0
PRAISE_AT = 0.3  # compound from which thanks or praise words make praise
# Sentiment label: VADER's authors put "positive" at 0.05, but in messages to brands a mildly
# positive score is mostly politeness ("please", "thanks for checking"); 0.5 marks real warmth.
POSITIVE_AT = 0.5
NEGATIVE_AT = sentiment.NEGATIVE_AT
REPLY_CARE = 0.5  # a brand message that opens with a @handle leans to care_reply

# The order in which labels are listed in `cues`.
_INBOUND = ("complaint", "question", "praise")
_SEP = "\x1f"


def version() -> str:
    """Logic version plus a digest of every lexicon, so an edited lexicon relabels the workspace."""
    h = hashlib.sha256(LOGIC_VERSION.encode())
    for name, lex in sorted(lx.ALL_LEXICONS.items()):
        h.update(f"{name}\0{lex.pattern}\0{lex.weight}\0".encode())
    return f"{LOGIC_VERSION}.{h.hexdigest()[:8]}"


def normalise(texts: pa.Array) -> pa.Array:
    """The vectorised twin of `lexicons.normalise`."""
    t = pc.fill_null(texts, "")
    t = pc.replace_substring_regex(t, r"https?://\S+", "http")
    t = pc.replace_substring_regex(t, r"@\w+", "@user")
    t = pc.utf8_lower(t)
    return pc.replace_substring(t, "’", "'")


def _count(norm: pa.Array, lex: lx.Lexicon) -> np.ndarray:
    return pc.count_substring_regex(norm, lex.pattern).to_numpy(zero_copy_only=False)


def _json_list(norm: pa.Array, mask: np.ndarray, lexs: list[lx.Lexicon], key: str) -> pa.Array:
    """`"key": ["cue", ...]` where mask holds (the cues of `lexs` found), null elsewhere."""
    pattern = "|".join(lex.pattern for lex in lexs)
    subject = pc.if_else(pa.array(mask), norm, "")
    found = pc.replace_substring_regex(subject, f"(?s).*?({pattern})|(?s).+", f"\\1{_SEP}")
    found = pc.utf8_rtrim(found, _SEP)
    found = pc.replace_substring_regex(found, r"\s+", " ")
    found = pc.replace_substring(found, "\\", "\\\\")
    found = pc.replace_substring(found, '"', '\\"')
    found = pc.replace_substring(found, _SEP, '", "')
    body = pc.binary_join_element_wise(f'"{key}": ["', found, '"]', "")
    return pc.if_else(pa.array(mask), body, pa.nulls(len(mask), pa.string()))


def _json_const(mask: np.ndarray, key: str, values: pa.Array) -> pa.Array:
    body = pc.binary_join_element_wise(f'"{key}": ["', values, '"]', "")
    return pc.if_else(pa.array(mask), body, pa.nulls(len(mask), pa.string()))


def sentiment_label(score: np.ndarray, complaint: np.ndarray, praise: np.ndarray) -> np.ndarray:
    """negative / neutral / positive: complaints are negative, praise positive, else the score."""
    base = np.where(
        score >= POSITIVE_AT, "positive", np.where(score <= NEGATIVE_AT, "negative", "neutral")
    )
    return np.where(complaint, "negative", np.where(praise, "positive", base))


def label(texts: pa.Array, from_brand: np.ndarray) -> pa.Table:
    """Label a batch; `from_brand` is a bool array of the same length. Returns the label columns
    (less backend and version)."""
    n = len(texts)
    texts = pc.fill_null(texts.cast(pa.string()), "")
    norm = normalise(texts)
    score = sentiment.compound(texts)
    inbound = ~from_brand

    def count(lex: lx.Lexicon) -> np.ndarray:
        return _count(norm, lex)

    # -- inbound intent -------------------------------------------------------------------------
    c_cues = count(lx.COMPLAINT)
    c_strong = count(lx.COMPLAINT_STRONG)
    c_weak = count(lx.COMPLAINT_WEAK)
    c_sarcasm = count(lx.SARCASM)
    thanks = count(lx.THANKS)
    praise_words = count(lx.PRAISE)
    q_start = count(lx.QUESTION_START)
    q_cues = count(lx.QUESTION)

    c_score = (
        sum(
            lex.weight * np.minimum(k, CUE_CAP)
            for lex, k in (
                (lx.COMPLAINT, c_cues),
                (lx.COMPLAINT_STRONG, c_strong),
                (lx.COMPLAINT_WEAK, c_weak),
                (lx.SARCASM, c_sarcasm),
            )
        )
        + np.where(
            score <= -0.5,
            COMPLAINT_VERY_NEGATIVE,
            np.where(score <= sentiment.NEGATIVE_AT, COMPLAINT_NEGATIVE, 0.0),
        )
        + np.where(score >= 0.5, COMPLAINT_POSITIVE, 0.0)
        + COMPLAINT_THANKS * np.minimum(thanks + praise_words, 2)
    )
    c_any = c_cues + c_strong + c_weak + c_sarcasm > 0
    is_complaint = inbound & c_any & (c_score >= COMPLAINT_AT)
    is_question = inbound & ((q_start > 0) | (q_cues > 0))
    is_praise = inbound & ~is_complaint & (thanks + praise_words > 0) & (score >= PRAISE_AT)
    intent = np.where(
        is_complaint,
        "complaint",
        np.where(is_question, "question", np.where(is_praise, "praise", "other")),
    )

    polarity = sentiment_label(score, is_complaint, is_praise)

    # -- brand content type -----------------------------------------------------------------------
    names = list(lx.CONTENT_LEXICONS)
    content = np.full(n, None, dtype=object)
    chosen = np.full(n, -1)
    if from_brand.any():
        weighted = np.stack([count(lex) * lex.weight for lex in lx.CONTENT_LEXICONS.values()])
        is_reply = pc.starts_with(norm, "@user").to_numpy(zero_copy_only=False)
        weighted[names.index("care_reply")] += np.where(is_reply, REPLY_CARE, 0.0)
        best = np.argmax(weighted, axis=0)  # first of the ties: the dictionary order
        has = weighted.max(axis=0) > 0
        chosen = np.where(from_brand & has, best, -1)
        labels = np.array(names, dtype=object)
        content = np.where(
            from_brand, np.where(chosen >= 0, labels[np.maximum(chosen, 0)], "other"), None
        )

    # -- cues -------------------------------------------------------------------------------------
    vader = pc.cast(pc.round(pa.array(score), 2), pa.string())
    vader = pc.binary_join_element_wise("vader ", vader, "")
    parts = [
        _json_const(np.ones(n, bool), "sentiment", vader),
        _json_list(
            norm,
            is_complaint,
            [lx.SARCASM, lx.COMPLAINT_STRONG, lx.COMPLAINT, lx.COMPLAINT_WEAK],
            "complaint",
        ),
        _json_list(
            norm, is_complaint & (count(lx.BAD_SUPPORT) > 0), [lx.BAD_SUPPORT], "bad_support"
        ),
        _json_list(norm, is_question, [lx.QUESTION_START, lx.QUESTION], "question"),
        _json_list(norm, is_praise, [lx.THANKS, lx.PRAISE], "praise"),
    ]
    for i, lex in enumerate(lx.CONTENT_LEXICONS.values()):
        parts.append(_json_list(norm, chosen == i, [lex], "content_type"))
    if from_brand.any():
        replies_only = (chosen == names.index("care_reply")) & (count(lx.CARE_REPLY) == 0)
        parts.append(
            _json_const(replies_only, "content_type", pa.array(["opens with @handle"] * n))
        )
    joined = pc.binary_join_element_wise(*parts, ", ", null_handling="skip")
    cues = pc.binary_join_element_wise("{", joined, "}", "")

    return pa.table(
        {
            "sentiment": pa.array(polarity, pa.string()),
            "sentiment_score": pa.array(np.round(score, 4), pa.float64()),
            "is_question": pa.array(is_question),
            "is_complaint": pa.array(is_complaint),
            "is_praise": pa.array(is_praise),
            "intent": pa.array(intent, pa.string()),
            "content_type": pa.array(content, pa.string()),
            "cues": cues,
        }
    )
