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
        self.valence = np.array([valence.get(w, 0.0) for w in vocab])
        self.in_lexicon = np.array([w in valence for w in vocab])
        self.booster = np.array([boosters.get(w, 0.0) for w in vocab])
        self.is_booster = np.array([w in boosters for w in vocab])
        self.negation = np.array([w in negations or "n't" in w for w in vocab])
        self.special = {w: vocab.index(w) for w in _SPECIAL}
        self.emoji_pattern = "([" + "".join(_re2_escape(c) for c in sorted(emoji)) + "])"


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
    ids = pc.fill_null(pc.index_in(tokens, value_set=keys), -1)
    return ids.to_numpy(zero_copy_only=False).astype(np.int64)


def tokens(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, pa.Array]:
    """VADER's tokens: split on white space, strip punctuation around a word unless that leaves
    two characters or fewer (so that ":)" and ":(" survive); emoji are split off as tokens.

    Returns per token its vocabulary index (-1: not a word VADER knows), whether it is in capitals,
    the index of its text, and the lower-case tokens.
    """
    lex = lexicon()
    spaced = pc.replace_substring_regex(texts, pattern=lex.emoji_pattern, replacement=r" \1 ")
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
    return ids, upper, parents, lower


def compound(texts: pa.Array) -> np.ndarray:
    """VADER's compound score (-1..1) of every text, as a float64 numpy array."""
    n = len(texts)
    if n == 0:
        return np.zeros(0)
    lex = lexicon()
    texts = pc.fill_null(texts, "")
    ids, upper, par, lower = tokens(texts)
    m = len(ids)
    if m == 0:
        return np.zeros(n)
    known = ids >= 0
    at = np.maximum(ids, 0)
    in_lex = known & lex.in_lexicon[at]
    base = np.where(in_lex, lex.valence[at], 0.0)
    boost = np.where(known, lex.booster[at], 0.0)
    is_booster = known & lex.is_booster[at]
    # "n't" inside a word VADER does not know ("shouldn't've") still negates.
    negated = (known & lex.negation[at]) | (~known & _contains(lower, "n't"))

    def word(w: str) -> np.ndarray:
        return ids == lex.special[w]

    same = [None] + [_shift(par, k, -1) == par for k in (1, 2, 3)]  # previous k-th token, same text
    nxt_same = _shift(par, -1, -1) == par

    def prev(a: np.ndarray, k: int) -> np.ndarray:
        return _shift(a, k, False) & same[k]

    is_no = word("no")
    so_this = word("so") | word("this")
    is_never, is_without, is_doubt = word("never"), word("without"), word("doubt")

    # Tokens that carry valence: in the lexicon, not a booster, not "kind" of "kind of".
    active = in_lex & ~is_booster & ~(word("kind") & _shift(word("of"), -1, False) & nxt_same)
    v = np.where(active, base, 0.0)

    # "no" before another lexicon word is a negation, not a valence of its own.
    v[active & is_no & _shift(in_lex, -1, False) & nxt_same] = 0.0
    or_nor = word("or") | word("nor")
    no_before = prev(is_no, 1) | prev(is_no, 2) | (prev(is_no, 3) & prev(or_nor, 1))
    sel = active & no_before
    v[sel] = base[sel] * N_SCALAR

    tot = np.bincount(par, minlength=n)
    ups = np.bincount(par, weights=upper, minlength=n)
    cap_diff = ((ups > 0) & (ups < tot))[par]
    sel = active & upper & cap_diff
    v[sel] += np.where(v[sel] > 0, C_INCR, -C_INCR)

    damp = {1: 1.0, 2: 0.95, 3: 0.9}
    for k in (1, 2, 3):
        ok = active & same[k] & ~_shift(in_lex, k, True)
        pb = _shift(boost, k, 0.0)
        s = np.where(v < 0, -pb, pb)
        caps = (pb != 0) & _shift(upper, k, False) & cap_diff
        s = s + np.where(caps, np.where(v > 0, C_INCR, -C_INCR), 0.0)
        v = np.where(ok, v + s * damp[k], v)
        if k == 1:
            flip = ok & prev(negated, 1)
            v = np.where(flip, v * N_SCALAR, v)
        elif k == 2:
            emph = ok & prev(is_never, 2) & prev(so_this, 1)
            keep = ok & prev(is_without, 2) & prev(is_doubt, 1)
            flip = ok & ~emph & ~keep & prev(negated, 2)
            v = np.where(emph, v * 1.25, np.where(flip, v * N_SCALAR, v))
        else:
            emph = ok & ((prev(is_never, 3) & prev(so_this, 2)) | prev(so_this, 1))
            keep = ok & prev(is_without, 3) & (prev(is_doubt, 2) | prev(is_doubt, 1))
            flip = ok & ~emph & ~keep & prev(negated, 3)
            v = np.where(emph, v * 1.25, np.where(flip, v * N_SCALAR, v))

    # "least" before a word negates it, except in "at least" and "very least".
    least1 = prev(word("least"), 1) & ~_shift(in_lex, 1, True)
    v = np.where(active & least1 & ~prev(word("at") | word("very"), 2), v * N_SCALAR, v)

    # "but": what comes before it counts half, what follows counts one and a half.
    pos = np.arange(m) - np.searchsorted(par, par, side="left")
    is_but = word("but")
    none = np.iinfo(np.int64).max
    first_but = np.full(n, none)
    np.minimum.at(first_but, par[is_but], pos[is_but])
    fb = first_but[par]
    v = np.where(
        (fb != none) & (pos < fb), v * 0.5, np.where((fb != none) & (pos > fb), v * 1.5, v)
    )

    total = np.bincount(par, weights=v, minlength=n)
    ep = np.minimum(pc.count_substring(texts, "!").to_numpy(zero_copy_only=False), 4) * 0.292
    qm = pc.count_substring(texts, "?").to_numpy(zero_copy_only=False)
    amp = ep + np.where(qm > 3, 0.96, np.where(qm > 1, qm * 0.18, 0.0))
    total = np.where(total > 0, total + amp, np.where(total < 0, total - amp, total))
    return np.clip(total / np.sqrt(total * total + ALPHA), -1.0, 1.0)


def _contains(strings: pa.Array, part: str) -> np.ndarray:
    return pc.match_substring(strings, part).to_numpy(zero_copy_only=False)


def polarity(score: np.ndarray) -> np.ndarray:
    """negative / neutral / positive at VADER's recommended thresholds."""
    return np.where(
        score >= POSITIVE_AT, "positive", np.where(score <= NEGATIVE_AT, "negative", "neutral")
    )
