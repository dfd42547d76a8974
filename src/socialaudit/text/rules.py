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

from ..urls import LINK
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
REPLY_CARE = 2.0  # a brand message that opens with a @handle is a care reply, unless it has
# more than two cues of another type (a reply announcing a giveaway's winner is like-bait)

# The order in which labels are listed in `cues`.
_INBOUND = ("complaint", "question", "praise")
# Markers around a cue while the cues are cut out of a text; `normalise` removes them from texts.
_OPEN, _CLOSE, _BETWEEN = "\x1e", "\x1f", "\x1d"


def version() -> str:
    """Logic version plus a digest of every lexicon, so an edited lexicon relabels the workspace."""
    h = hashlib.sha256(LOGIC_VERSION.encode())
    for name, lex in sorted(lx.ALL_LEXICONS.items()):
        h.update(f"{name}\0{lex.pattern}\0{lex.weight}\0".encode())
    return f"{LOGIC_VERSION}.{h.hexdigest()[:8]}"


def normalise(texts: pa.Array) -> pa.Array:
    """The vectorised twin of `lexicons.normalise`."""
    t = pc.fill_null(texts, "")
    t = pc.replace_substring_regex(t, LINK, "http")
    t = pc.replace_substring_regex(t, r"@\w+", "@user")
    t = _markers_to_spaces(pc.utf8_lower(t))
    return pc.replace_substring(t, "’", "'")


def _markers_to_spaces(t: pa.Array) -> pa.Array:
    """Each marker character becomes a space: one ASCII byte for another in the data buffer (the
    offsets stay valid), and no copy at all for the texts that have none, nearly all of them."""
    data, _ = sentiment.utf8_bytes(t)
    marker = (data >= ord(_BETWEEN)) & (data <= ord(_CLOSE))  # \x1d, \x1e, \x1f
    if not marker.any():
        return t
    data = np.where(marker, np.uint8(ord(" ")), data)
    bufs = t.buffers()
    return pa.Array.from_buffers(
        pa.string(), len(t), [bufs[0], bufs[1], pa.py_buffer(data)], t.null_count, t.offset
    )


def _count(
    norm: pa.Array, idx: np.ndarray, lex: lx.Lexicon | list[lx.Lexicon], n: int
) -> np.ndarray:
    """Matches of `lex` (of any of several) per text, counted only for the texts at `idx`."""
    out = np.zeros(n, dtype=np.int64)
    if len(idx):
        pattern = "|".join(x.pattern for x in lex) if isinstance(lex, list) else lex.pattern
        sub = norm if len(idx) == n else norm.take(pa.array(idx))
        out[idx] = pc.count_substring_regex(sub, pattern).to_numpy(zero_copy_only=False)
    return out


def _matches(norm: pa.Array, idx: np.ndarray, lex: list[lx.Lexicon], n: int) -> np.ndarray:
    """Whether any of several lexicons matches, for the texts at `idx` (false elsewhere): RE2
    stops at the first match, where counting has to find every match's bounds."""
    out = np.zeros(n, dtype=bool)
    if len(idx):
        sub = norm if len(idx) == n else norm.take(pa.array(idx))
        pattern = "|".join(x.pattern for x in lex)
        out[idx] = pc.match_substring_regex(sub, pattern).to_numpy(zero_copy_only=False)
    return out


def _escape(strings: pa.Array) -> pa.Array:
    """JSON string escaping for cue text (lexicon matches: no control characters but space)."""
    strings = pc.replace_substring_regex(strings, r"\s+", " ")
    strings = pc.replace_substring(strings, "\\", "\\\\")
    return pc.replace_substring(strings, '"', '\\"')


def _json_list(norm: pa.Array, mask: np.ndarray, lexs: list[lx.Lexicon], key: str) -> pa.Array:
    """`"key": ["cue", ...]`: the cues of `lexs` in each text where mask holds, null elsewhere.

    Each match is wrapped in two marker characters by one replace (RE2 finds match bounds with
    its fast automaton when the rewrite needs no capture group), then everything outside the
    markers is cut away with three replaces of plain character classes. Extracting the cues one
    by one with capture groups is several times slower.
    """
    n = len(mask)
    idx = np.flatnonzero(mask)
    if not len(idx):
        return pa.nulls(n, pa.string())
    pattern = "|".join(lex.pattern for lex in lexs)
    sub = norm if len(idx) == n else norm.take(pa.array(idx))
    marked = pc.replace_substring_regex(sub, pattern, f"{_OPEN}\\0{_CLOSE}")
    found = pc.match_substring(marked, _OPEN)
    body = pc.replace_substring_regex(marked, f"^[^{_OPEN}]*{_OPEN}", "")
    body = pc.replace_substring_regex(body, f"{_CLOSE}[^{_OPEN}]*{_OPEN}", _BETWEEN)
    body = pc.replace_substring_regex(body, f"{_CLOSE}[^{_OPEN}]*$", "")
    # Escaped once cut out: the cues are much shorter than the texts.
    body = pc.replace_substring(_escape(body), _BETWEEN, '", "')
    body = pc.binary_join_element_wise(f'"{key}": ["', body, '"]', "")
    body = pc.if_else(found, body, pa.nulls(len(idx), pa.string()))
    return _scatter(body, idx, n)


def _scatter(values: pa.Array, idx: np.ndarray, n: int) -> pa.Array:
    """An array of length n holding values[i] at idx[i], null elsewhere."""
    if len(idx) == n:
        return values
    where = np.full(n, -1, dtype=np.int64)
    where[idx] = np.arange(len(idx))
    taker = pa.array(where, mask=where < 0)
    return values.take(taker)


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
    inbound_idx = np.flatnonzero(inbound)
    brand_idx = np.flatnonzero(from_brand)

    def count(lex: lx.Lexicon | list[lx.Lexicon], idx: np.ndarray = inbound_idx) -> np.ndarray:
        return _count(norm, idx, lex, n)

    # -- inbound intent -------------------------------------------------------------------------
    complaint_lexicons = (lx.SARCASM, lx.COMPLAINT_STRONG, lx.COMPLAINT, lx.COMPLAINT_WEAK)
    c_counts = [count(lex) for lex in complaint_lexicons]
    thanks = count([lx.THANKS, lx.PRAISE])
    c_score = (
        sum(
            lex.weight * np.minimum(k, CUE_CAP)
            for lex, k in zip(complaint_lexicons, c_counts, strict=True)
        )
        + np.where(score <= -0.5, COMPLAINT_VERY_NEGATIVE, 0.0)
        + np.where((score > -0.5) & (score <= NEGATIVE_AT), COMPLAINT_NEGATIVE, 0.0)
        + np.where(score >= 0.5, COMPLAINT_POSITIVE, 0.0)
        + COMPLAINT_THANKS * np.minimum(thanks, 2)
    )
    is_complaint = inbound & (sum(c_counts) > 0) & (c_score >= COMPLAINT_AT)
    is_question = inbound & _matches(norm, inbound_idx, [lx.QUESTION_START, lx.QUESTION], n)
    is_praise = inbound & ~is_complaint & (thanks > 0) & (score >= PRAISE_AT)
    intent = np.where(
        is_complaint,
        "complaint",
        np.where(is_question, "question", np.where(is_praise, "praise", "other")),
    )
    polarity = sentiment_label(score, is_complaint, is_praise)

    # -- brand content type ---------------------------------------------------------------------
    names = list(lx.CONTENT_LEXICONS)
    care = names.index("care_reply")
    content = np.full(n, None, dtype=object)
    chosen = np.full(n, -1)
    care_cues = np.zeros(n, dtype=np.int64)
    if len(brand_idx):
        counts = [count(lex, brand_idx) for lex in lx.CONTENT_LEXICONS.values()]
        care_cues = counts[care]
        weighted = np.stack(
            [k * lex.weight for k, lex in zip(counts, lx.CONTENT_LEXICONS.values(), strict=True)]
        )
        is_reply = pc.starts_with(norm, "@user").to_numpy(zero_copy_only=False)
        weighted[care] += np.where(is_reply, REPLY_CARE, 0.0)
        best = np.argmax(weighted, axis=0)  # the first of equal scores: the dictionary's order
        chosen = np.where(from_brand & (weighted.max(axis=0) > 0), best, -1)
        labels = np.array(names, dtype=object)
        content = np.where(
            from_brand,
            np.where(chosen >= 0, labels[np.maximum(chosen, 0)], "other"),
            np.array(None, dtype=object),
        )

    # -- cues -----------------------------------------------------------------------------------
    vader = pc.binary_join_element_wise(
        "vader ", pc.cast(pc.round(pa.array(score), 2), pa.string()), ""
    )
    bad_support = is_complaint & (_count(norm, np.flatnonzero(is_complaint), lx.BAD_SUPPORT, n) > 0)
    parts = [
        _json_const(np.ones(n, bool), "sentiment", vader),
        _json_list(norm, is_complaint, list(complaint_lexicons), "complaint"),
        _json_list(norm, bad_support, [lx.BAD_SUPPORT], "bad_support"),
        _json_list(norm, is_question, [lx.QUESTION_START, lx.QUESTION], "question"),
        _json_list(norm, is_praise, [lx.THANKS, lx.PRAISE], "praise"),
    ]
    for i, lex in enumerate(lx.CONTENT_LEXICONS.values()):
        parts.append(_json_list(norm, chosen == i, [lex], "content_type"))
    reply_only = (chosen == care) & (care_cues == 0)
    if reply_only.any():
        parts.append(_json_const(reply_only, "content_type", pa.array(["opens with @handle"] * n)))
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
