"""VADER's valence rules, computed over whole Arrow arrays instead of one text at a time.

VADER (Hutto & Gilbert, 2014; the `vaderSentiment` package, MIT licence) scores a text by looking
each token up in its hand-rated lexicon and adjusting the valence with a few rules: a booster
word before it ("very", "slightly") moves it, a negation in the three tokens before it flips and
damps it, ALL CAPS among lower-case words emphasises it, "but" shifts weight to what follows,
exclamation and question marks amplify the sum, and the sum is squashed into -1..1.

The reference implementation is pure Python and walks each token several times; on 2 cores it
labels about 25,000 tweets per second. Here the same rules run on flat token arrays with Arrow
string kernels and numpy, for every text of a batch at once. The lexicon, booster and negation
lists are read from the installed `vaderSentiment` package, never copied. Differences from the
reference, all small (see docs/text.md for the measured agreement):

* an emoji counts as one token whose valence is the sum of its description's lexicon words
  (VADER splices the description into the text, where those words meet the other rules);
* VADER's idiom table ("the bomb", "kiss of death") and its three-word booster phrases
  ("kind of" before a word) are left out;
* "but": tokens before the first "but" are halved and tokens after it weigh 1.5, as VADER means
  to; VADER's own loop mis-indexes repeated valences.
"""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from vaderSentiment import vaderSentiment as _vader

from . import bytescan

N_SCALAR = _vader.N_SCALAR  # a negated valence is multiplied by this (-0.74)
C_INCR = _vader.C_INCR  # ALL CAPS emphasis (0.733)
ALPHA = 15  # normalisation: compound = sum / sqrt(sum² + ALPHA), as in VADER

# Valence of the VADER labels at these compound thresholds (VADER's authors' recommendation).
POSITIVE_AT = 0.05
NEGATIVE_AT = -0.05


# Words VADER's rules look for around a lexicon word.
_SPECIAL = (
    "no", "kind", "of", "so", "this", "never", "without", "doubt", "or", "nor", "least", "at",
    "very", "but",
)  # fmt: skip


class Lexicon:
    """VADER's lexicon, boosters and negations as one vocabulary, loaded once per process.

    Every token is looked up once; what the rules need to know about it (valence, booster value,
    negation, which special word it is) is then read from arrays by its vocabulary index.
    """

    def __init__(self, root: Path) -> None:
        words: dict[str, float] = {}
        for line in (root / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and parts[0]:
                words[parts[0]] = float(parts[1])
        # An emoji is worth what its description's words are worth ("crying face" -> -2.1).
        emoji: dict[str, float] = {}
        for line in (root / "emoji_utf8_lexicon.txt").read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) >= 2 and len(parts[0]) == 1:
                value = sum(words.get(w, 0.0) for w in parts[1].lower().split())
                if value:
                    emoji[parts[0]] = value
        valence = {**words, **emoji}
        boosters = _vader.BOOSTER_DICT
        negations = set(_vader.NEGATE)
        vocab = list(dict.fromkeys([*valence, *boosters, *negations, *_SPECIAL]))
        self.keys = pa.array(vocab, pa.string())
        self.size = len(vocab)
        # One more row at index `size`, all zero and false: where unknown tokens read.
        self.valence = np.array([valence.get(w, 0.0) for w in vocab] + [0.0])
        self.in_lexicon = np.array([w in valence for w in vocab] + [False])
        self.booster = np.array([boosters.get(w, 0.0) for w in vocab] + [0.0])
        self.is_booster = np.array([w in boosters for w in vocab] + [False])
        self.negation = np.array([w in negations or "n't" in w for w in vocab] + [False])
        self.special = {w: vocab.index(w) for w in _SPECIAL}
        self.emoji_pattern = "([" + "".join(_re2_escape(c) for c in sorted(emoji)) + "])"
        # (the ASCII ones among them, none in VADER's list: a text with neither them nor any
        # byte outside ASCII has no emoji, and the emoji pass skips it)
        self.emoji_ascii = "".join(c for c in emoji if ord(c) < 0x80).encode()


def _re2_escape(ch: str) -> str:
    return f"\\x{{{ord(ch):x}}}"


@cache
def lexicon() -> Lexicon:
    return Lexicon(Path(_vader.__file__).parent)


def _shift(a: np.ndarray, k: int, fill: object) -> np.ndarray:
    """a[j - k] (k > 0: the k-th previous token; k < 0: the next one), `fill` past the ends."""
    out = np.empty_like(a)
    if k > 0:
        out[:k] = fill
        out[k:] = a[:-k]
    else:
        out[k:] = fill
        out[:k] = a[-k:]
    return out


def _ids(tokens: pa.Array, keys: pa.Array) -> np.ndarray:
    """Vocabulary index of each token, -1 where absent."""
    ids = pc.index_in(tokens, value_set=keys)
    if ids.type != pa.int32():
        return pc.fill_null(ids, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    # Read from the buffers: filling the nulls with Arrow first copies the whole array again.
    values = np.frombuffer(ids.buffers()[1], np.int32)[ids.offset : ids.offset + len(ids)]
    if not ids.null_count:
        return values.astype(np.int64)
    valid = np.unpackbits(np.frombuffer(ids.buffers()[0], np.uint8), bitorder="little")
    return np.where(valid[ids.offset : ids.offset + len(ids)].astype(bool), values, -1).astype(
        np.int64
    )


def tokens(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array, np.ndarray]:
    """VADER's tokens: split on white space, strip punctuation around a word unless that leaves
    two characters or fewer (so that ":)" and ":(" survive); emoji are split off as tokens.

    Returns per token its vocabulary index (-1: not a word VADER knows), whether it is in capitals,
    the index of its text, and the lower-case tokens; and per text where its tokens start.
    """
    lex = lexicon()
    may = bytescan.rows_with_any(texts, lex.emoji_ascii, non_ascii=True)
    spaced = bytescan.replace_where(texts, may, lex.emoji_pattern, r" \1 ")
    words = pc.utf8_split_whitespace(spaced)
    flat = pc.list_flatten(words)
    parents = pc.list_parent_indices(words).to_numpy(zero_copy_only=False)
    stripped = pc.utf8_trim(flat, characters=string.punctuation)
    lower = pc.utf8_lower(stripped)
    ids = _ids(lower, lex.keys)
    upper = pc.utf8_is_upper(stripped).to_numpy(zero_copy_only=False).copy()
    # Tokens that stripping would leave with two characters or fewer stay whole (emoticons).
    # Byte length stands in for character length: they differ only for non-ASCII short words.
    short = np.flatnonzero(pc.binary_length(stripped).to_numpy(zero_copy_only=False) <= 2)
    if len(short):
        whole = flat.take(pa.array(short))
        ids[short] = _ids(pc.utf8_lower(whole), lex.keys)
        upper[short] = pc.utf8_is_upper(whole).to_numpy(zero_copy_only=False)
    return ids, upper, parents, lower, words.offsets.to_numpy(zero_copy_only=False)


def compound(texts: pa.Array) -> np.ndarray:
    """VADER's compound score (-1..1) of every text, as a float64 numpy array.

    The rules look at a lexicon word and the three tokens before it, so they are computed for the
    lexicon words only (about one token in ten), reading their neighbours by position.
    """
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    lex = lexicon()
    texts = pc.fill_null(texts, "")
    ids, upper, par, lower, offsets = tokens(texts)
    m = len(ids)
    if m == 0:
        return np.zeros(n)
    vid = np.where(ids >= 0, ids, lex.size)  # unknown tokens read the all-false row at the end
    in_lex = lex.in_lexicon[vid]
    # "n't" inside a word VADER does not know ("shouldn't've") still negates.
    negated = lex.negation[vid] | ((ids < 0) & _has_nt(lower))
    special = lex.special

    # Lexicon words that carry valence: not boosters, not the "kind" of "kind of".
    act = np.flatnonzero(in_lex & ~lex.is_booster[vid])
    nxt = act + 1
    has_next = nxt < m
    nxt = np.minimum(nxt, m - 1)
    has_next &= par[nxt] == par[act]
    act = act[~((ids[act] == special["kind"]) & has_next & (ids[nxt] == special["of"]))]
    if not len(act):
        return _finish(np.zeros(n), texts)
    text_of = par[act]
    nxt = np.minimum(act + 1, m - 1)
    has_next = (act + 1 < m) & (par[nxt] == text_of)

    # index 0 is never used: k counts words back from 1
    prev_idx: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    prev_ok: list[np.ndarray] = [np.zeros(0, dtype=bool)]
    for k in (1, 2, 3):
        j = np.maximum(act - k, 0)
        prev_idx.append(j)
        prev_ok.append((act - k >= 0) & (par[j] == text_of))

    def prev_is(k: int, *words: str) -> np.ndarray:
        got = np.isin(ids[prev_idx[k]], [special[w] for w in words])
        return got & prev_ok[k]

    def prev_has(a: np.ndarray, k: int) -> np.ndarray:
        return a[prev_idx[k]] & prev_ok[k]

    base = lex.valence[vid[act]]
    v = base.copy()
    # "no" before another lexicon word is a negation, not a valence of its own.
    is_no = ids[act] == special["no"]
    v[is_no & has_next & in_lex[nxt]] = 0.0
    no_before = prev_is(1, "no") | prev_is(2, "no") | (prev_is(3, "no") & prev_is(1, "or", "nor"))
    v = np.where(no_before, base * N_SCALAR, v)

    tot = np.diff(offsets)
    ups = np.bincount(par, weights=upper, minlength=n)
    cap_diff_text = (ups > 0) & (ups < tot)
    cap_diff = cap_diff_text[text_of]
    caps = upper[act] & cap_diff
    v = np.where(caps, v + np.where(v > 0, C_INCR, -C_INCR), v)

    damp = {1: 1.0, 2: 0.95, 3: 0.9}
    for k in (1, 2, 3):
        j = prev_idx[k]
        ok = prev_ok[k] & ~in_lex[j]
        pb = lex.booster[vid[j]]
        s = np.where(v < 0, -pb, pb)
        boost_caps = (pb != 0) & upper[j] & cap_diff
        s = s + np.where(boost_caps, np.where(v > 0, C_INCR, -C_INCR), 0.0)
        v = np.where(ok, v + s * damp[k], v)
        if k == 1:
            v = np.where(ok & prev_has(negated, 1), v * N_SCALAR, v)
        elif k == 2:
            emph = ok & prev_is(2, "never") & prev_is(1, "so", "this")
            keep = ok & prev_is(2, "without") & prev_is(1, "doubt")
            flip = ok & ~emph & ~keep & prev_has(negated, 2)
            v = np.where(emph, v * 1.25, np.where(flip, v * N_SCALAR, v))
        else:
            emph = ok & (
                (prev_is(3, "never") & prev_is(2, "so", "this")) | prev_is(1, "so", "this")
            )
            keep = ok & prev_is(3, "without") & (prev_is(2, "doubt") | prev_is(1, "doubt"))
            flip = ok & ~emph & ~keep & prev_has(negated, 3)
            v = np.where(emph, v * 1.25, np.where(flip, v * N_SCALAR, v))

    # "least" before a word negates it, except in "at least" and "very least".
    least = prev_is(1, "least") & ~prev_has(in_lex, 1) & ~prev_is(2, "at", "very")
    v = np.where(least, v * N_SCALAR, v)

    # "but": what comes before it counts half, what follows counts one and a half.
    buts = np.flatnonzero(ids == special["but"])
    if len(buts):
        none = np.iinfo(np.int64).max
        first_but = np.full(n, none)
        np.minimum.at(first_but, par[buts], buts)
        fb = first_but[text_of]
        v = np.where(
            (fb != none) & (act < fb), v * 0.5, np.where((fb != none) & (act > fb), v * 1.5, v)
        )

    return _finish(np.bincount(text_of, weights=v, minlength=n), texts)


def _finish(total: np.ndarray, texts: pa.Array) -> np.ndarray:
    """Punctuation emphasis, then VADER's normalisation into -1..1."""
    ep = np.minimum(count_ascii(texts, "!"), 4) * 0.292
    qm = count_ascii(texts, "?")
    amp = ep + np.where(qm > 3, 0.96, np.where(qm > 1, qm * 0.18, 0.0))
    total = np.where(total > 0, total + amp, np.where(total < 0, total - amp, total))
    return np.clip(total / np.sqrt(total * total + ALPHA), -1.0, 1.0)


# -- byte-level helpers ---------------------------------------------------------------------------
# An ASCII byte in UTF-8 is always that character (lead and continuation bytes are >= 0x80), so
# counting or finding one in a string array's data buffer with numpy is exact, and several times
# faster than an Arrow substring kernel, which walks every string.


def utf8_bytes(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The data bytes and the offsets (len + 1) of a `string` array, without copying."""
    if strings.type != pa.string():
        strings = strings.cast(pa.string())
    bufs = strings.buffers()
    offsets = np.frombuffer(bufs[1], np.int32)[strings.offset : strings.offset + len(strings) + 1]
    data = np.frombuffer(bufs[2], np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return data, offsets


def count_ascii(strings: pa.Array, char: str) -> np.ndarray:
    """How often one ASCII character occurs in each string (nulls count 0)."""
    data, offsets = utf8_bytes(strings)
    pos = np.flatnonzero(data[offsets[0] : offsets[-1]] == ord(char)) + offsets[0]
    owner = np.searchsorted(offsets, pos, side="right") - 1
    return np.bincount(owner, minlength=len(strings))


def _has_nt(strings: pa.Array) -> np.ndarray:
    """Whether each string contains "n't"."""
    data, offsets = utf8_bytes(strings)
    out = np.zeros(len(strings), dtype=bool)
    pos = np.flatnonzero(data[offsets[0] : offsets[-1]] == ord("'")) + offsets[0]
    owner = np.searchsorted(offsets, pos, side="right") - 1
    inside = (pos - 1 >= offsets[owner]) & (pos + 1 < offsets[owner + 1])
    pos, owner = pos[inside], owner[inside]
    hit = (data[pos - 1] == ord("n")) & (data[pos + 1] == ord("t"))
    out[owner[hit]] = True
    return out


def polarity(score: np.ndarray) -> np.ndarray:
    """negative / neutral / positive at VADER's recommended thresholds."""
    return np.where(
        score >= POSITIVE_AT, "positive", np.where(score <= NEGATIVE_AT, "negative", "neutral")
    )
