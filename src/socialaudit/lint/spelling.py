"""The spelling engine behind SL104 (misspelling): which words of a draft look like a typo of a
known word, and what was probably meant.

A word is known when pyspellchecker's frequency dictionary (the languages asked for) has it, or
the short list of social-media words in vocabulary.txt, or the brand's own terms; so are
possessives, contractions, elongations ("soooo"), interjections, dropped g's ("doin"), British
spellings of American words and words derived from known ones by a common prefix or suffix. An
unknown word with no known word one edit away (or two, where one doubles or undoubles a letter)
is far more often jargon, a name or a coinage than a typo, so it is left alone; so is a draft
in another language.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from types import EllipsisType
from typing import Any


@cache
def _spellchecker(languages: tuple[str, ...]) -> Any:
    from spellchecker import SpellChecker

    return SpellChecker(language=list(languages), distance=1)


@cache
def _vocabulary() -> frozenset[str]:
    """Words the general dictionary lacks: social media's (vocabulary.txt) and the field's, the
    software, web and data terms the content labels use too (text/tech_terms.txt)."""
    from ..text.lexicons import tech_terms

    text = resources.files(__package__).joinpath("vocabulary.txt").read_text(encoding="utf-8")
    words = {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}
    return frozenset(words | set(tech_terms()))


# Invisible marks a word may hold: a soft hyphen (where the author's editor may break a line,
# "ama\u00adteur") and zero-width spaces and joiners; the word is looked up without them.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060"
WORD = re.compile(rf"[^\W\d_]+(?:['’{_INVISIBLE}][^\W\d_]+)*")
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


# Below this many checked words, a share of unknown words says nothing about the language.
_LANGUAGE_MIN_WORDS = 6
_ELONGATED = re.compile(r"([^\W\d_])\1\1")
_INTERJECTION = re.compile(r"(?:ha|he|hi|ho|ja|je|ah|aha|oh|uh|eh|mm|hm|mh|ugh|ya|ye)+h?")


_PREFIXES = (
    "re",
    "un",
    "pre",
    "non",
    "over",
    "under",
    "multi",
    "sub",
    "inter",
    "dis",
    "mis",
    "co",
    "de",
    "anti",
    "self",
    "out",
    "up",
    "micro",
    "meta",
    "hyper",
)
_SUFFIXES = (
    "ally",
    "ly",
    "ing",
    "ed",
    "s",
    "es",
    "er",
    "ers",
    "ness",
    "able",
    "ity",
    "ism",
    "ist",
    "ists",
    "less",
    "ful",
    "y",
    "ish",
)


def _derived_from_known(word: str, spell: Any) -> bool:
    """A known word with a common prefix or suffix ("rehydrating", "natively", "creeped")."""
    for pre in _PREFIXES:
        rest = word[len(pre) :].lstrip("-")
        if word.startswith(pre) and len(rest) >= 4 and rest in spell:
            return True
    for suf in _SUFFIXES:
        stem = word[: -len(suf)]
        if not word.endswith(suf) or len(stem) < 3:
            continue
        undoubled = len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in spell
        if stem in spell or stem + "e" in spell or undoubled:
            return True
    return False


def language_of(text: str) -> str | None:
    """The draft's language (ISO 639-1) when the detector is sure of it, else None.

    The detector is the labels' own (CLD2, `text.language`); a short draft or a guess it does
    not stand behind says nothing, and the dictionary then reads it as usual.
    """
    return languages_of([text])[0]


def languages_of(texts: Sequence[str]) -> list[str | None]:
    """`language_of` of many drafts, the detector run once over them all (per text, its
    regular expressions were compiled again for every draft: most of an audit's SA304)."""
    from ..text import language

    codes, confidence, _ = language.detect_words(language.words_only(list(texts)))
    return [
        _sure_language(text, str(code), float(conf))
        for text, code, conf in zip(texts, codes, confidence, strict=True)
    ]


def _sure_language(text: str, code: str, confidence: float) -> str | None:
    from ..text import language

    if code == language.UNDETERMINED:
        return None
    if confidence >= 0.5 or (code != "en" and _NON_ENGLISH_LETTERS.search(text)):
        # Sure, or a guess backed by letters English does not use ("Mañana día libre"). A
        # wrong guess on a short English draft only leaves it unchecked.
        return code
    if code != "en" and _function_word_language(text) == code:
        return code  # an unsure guess that the draft's own function words confirm
    return None


# The commonest function words of the languages a brand is likely to post in: they confirm a
# detector's unsure guess on a short draft ("eso ha prescrito ya").
_FUNCTION_WORDS = {
    "es": "el la los las de que y en un una es por con para no lo se del al pero más como me mi "
    "te su eso esto ya muy qué sí está hay yo tiene también pues veo era",
    "de": "der die das und ist nicht ich du ein eine zu mit den dem auf für es sich auch wir ihr "
    "sie aber noch wie mal schon hab habe heute oder mein dann",
    "fr": "le la les des est et un une du que qui pas pour dans sur avec ce je tu nous vous il "
    "elle mais sont au aux mon c'est",
    "pt": "o os as um uma não que de do da dos das em no na para com é se mas como eu você muito "
    "isso está",
    "it": "il lo gli di che è e un una per non con del della sono ma mi ti questo anche come ho",
}
_FUNCTION_SETS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}


def _function_word_language(text: str) -> str | None:
    words = [w.lower() for w in WORD.findall(text)]
    counts = {lang: sum(1 for w in words if w in fw) for lang, fw in _FUNCTION_SETS.items()}
    lang, best = max(counts.items(), key=lambda kv: kv[1])
    return lang if best >= 1 and list(counts.values()).count(best) == 1 else None


_NON_ENGLISH_LETTERS = re.compile(r"[ñ¿¡áíóúãõçàèìòùâêîôûäöüßœ]", re.IGNORECASE)
# Code in a draft: `inline code`, and words joined by code punctuation (a=b, f(x), a_b, a::b).
_CODE_SPAN = re.compile(r"`[^`\n]*`")
# Words in double quotes are someone else's, verbatim (a quoted article, a lyric) or a word
# mentioned rather than used ('"sucess" in Firefox'): correcting them would misquote.
_QUOTED_SPAN = re.compile(r'"[^"]{1,1000}"|“[^“”]{1,1000}”|„[^“”„]{1,1000}[“”]|«[^«»]{1,1000}»')
# A draft that opens with a quote mark and whose quote marks do not pair up holds quotes within
# its quotation ('"... a bezzle, which Galbraith described as '...'"'): it is a quotation up to
# its last quote mark.
_LEADING_QUOTATION = re.compile(r'\A\s*["“„«][\s\S]{1,3000}["”“»]')
# A word followed by a full stop and a lower-case word may be an abbreviation ("pract.
# examples"); it is one when it is the start of a longer known word.
_ABBREVIATION_END = re.compile(r"\.[ \t]+[a-zß-ÿ]")
_CODE_NEIGHBOURS = "./@_-=:`(){}[]<>\\|$%#&*+~^"


def _british_to_american(word: str) -> list[str]:
    """American spellings of a British one ("organised" -> "organized"); the dictionary holds
    only some British forms, and both are right."""
    swaps = (
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ise", "ize"),
        ("ises", "izes"),
        ("our", "or"),
        ("tre", "ter"),
        ("tres", "ters"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ogue", "og"),
        ("lled", "led"),
        ("lling", "ling"),
        ("ence", "ense"),
        ("ae", "e"),
        ("oe", "e"),
    )
    out = []
    for brit, us in swaps:
        i = word.rfind(brit)
        if i > 0:
            out.append(word[:i] + us + word[i + len(brit) :])
    return out


def _close_words(word: str, spell: Any) -> set[str]:
    """Known words one edit away, or one edit away from `word` with a letter (un)doubled."""
    close = set(spell.known(spell.edit_distance_1(word)))
    if close:
        return close
    variants = set()
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            variants.add(word[:i] + word[i + 1 :])
    for i, ch in enumerate(word):
        if ch.isalpha():
            variants.add(word[: i + 1] + ch + word[i + 1 :])
    for v in variants:
        close |= set(spell.known(spell.edit_distance_1(v)))
    return close


# Words of the other languages the posts here mix in ("los", "eso", "und"): a mixed post read
# as English should not have its Spanish words taken for typos. Loaded on the first unknown word.
FOREIGN_DICTIONARIES = ("es", "de", "fr")


def _foreign_word(word: str, languages: tuple[str, ...]) -> bool:
    others = tuple(lang for lang in FOREIGN_DICTIONARIES if lang not in languages)
    if not others:
        return False
    spell = _spellchecker(others)
    # These dictionaries hold lemmas: a plural in -s ("bomberos") is its singular's word. Not
    # -es: English plurals would pass for foreign stems ("entrees" for "entre").
    return word in spell or (word.endswith("s") and len(word) > 4 and word[:-1] in spell)


def _known(word: str, spell: Any, own: set[str]) -> bool:
    if word in spell or word in own or word in _vocabulary():
        return True
    if word.endswith("'s") and _known(word[:-2], spell, own):
        return True
    if _ELONGATED.search(word) or _INTERJECTION.fullmatch(word):
        return True  # "soooo", "hahaha": deliberate, not a slip
    dropped_g = word.endswith("in'") or (word.endswith("in") and len(word) >= 4)
    if dropped_g and word.rstrip("'") + "g" in spell:
        return True  # "doin", "chillin'": dropped g, on purpose
    if word.endswith("a") and len(word) >= 4 and (word + "r" in spell or word[:-1] + "er" in spell):
        return True  # a dropped r, on purpose: "chedda", "brotha", "lata"
    head, _, tail = word.partition("'")
    if tail in ("d", "ll", "ve", "re", "m", "t") and head in spell:
        return True  # "that'd", "u'll"
    if tail in ("r", "er", "ers", "ing", "ed") and _known(head, spell, own):
        return True  # a coinage that keeps its word whole: "fellow depression'r", "DM'ing"
    if word.endswith(("ee", "ees")) and word[: word.rindex("ee")] + "or" in spell:
        return True  # the one an -or acts for: "sponsees" of a sponsor, "mentee"
    if any(alt in spell for alt in _british_to_american(word)):
        return True
    return _derived_from_known(word, spell)


def _colloquial(word: str, languages: tuple[str, ...]) -> bool:
    """Spoken German drops a final e ("ich werd", "hab", "würd"); its dictionary has the whole
    word. Only German's: in English a dropped e is a typo ("tak")."""
    return "de" in languages and len(word) >= 3 and word + "e" in _spellchecker(("de",))


def blank_quotations(text: str) -> str:
    """`text` with its quotations (double quotes) blanked, positions kept."""

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    unpaired = text.count('"') % 2 == 1 or text.count("“") != text.count("”")
    if unpaired:
        text = _LEADING_QUOTATION.sub(blank, text, count=1)
    return _QUOTED_SPAN.sub(blank, text)


@cache
def _sorted_words(languages: tuple[str, ...]) -> list[str]:
    return sorted(_spellchecker(languages).word_frequency.dictionary)


# A dictionary word this frequent (about the commonest 4 %: "practical", "approximately") is one
# that people shorten; the rare ones that start like a typo do not make it an abbreviation
# ("delaine" is no reason to take "delai." for one).
_ABBREVIATED_MIN_COUNT = 5000


def _abbreviation(word: str, languages: tuple[str, ...]) -> bool:
    """`word` is the start of a longer, common dictionary word ("pract" of "practical")."""
    words = _sorted_words(languages)
    counts = _spellchecker(languages).word_frequency.dictionary
    i = bisect.bisect_right(words, word)
    while i < len(words) and words[i].startswith(word):
        if len(words[i]) > len(word) + 1 and counts[words[i]] >= _ABBREVIATED_MIN_COUNT:
            return True
        i += 1
    return False


def misspellings(
    text: str,
    *,
    languages: tuple[str, ...],
    own: set[str],
    min_length: int,
    check_capitalized: bool,
    max_unknown_share: float,
    detected: str | EllipsisType | None = ...,
) -> list[tuple[re.Match[str], str]]:
    """(match, the likeliest known word) for each word of `text` that looks misspelt. `own`:
    lower-case words that are right for this brand. `detected`: the text's `language_of`,
    when the caller has it already (`languages_of` over a batch)."""
    spell = _spellchecker(languages)
    if detected is ...:
        detected = language_of(text)
    if detected is not None and detected not in languages:
        return []  # a post in another language: the dictionary would flag every word
    text = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
    text = blank_quotations(text)
    checked, unknown = 0, []
    for m in WORD.finditer(text):
        word = _INVISIBLE_RE.sub("", m.group(0)).replace("’", "'")
        if len(word) < min_length or (not word[1:].islower() and not word.islower()):
            continue  # acronyms, CamelCase and other deliberate spellings
        if word[0].isupper() and not check_capitalized:
            continue  # names of people, places and products
        end = m.end()
        if end < len(text) - 1 and text[end] in _CODE_NEIGHBOURS and text[end + 1].isalnum():
            continue  # part of a domain, a file name, an address or code
        if m.start() > 0 and text[m.start() - 1] in _CODE_NEIGHBOURS:
            continue
        if end < len(text) and text[end] in "=(":
            continue  # an attribute or a call: rel="noopener", print(...)
        checked += 1
        lower = word.lower()
        if _known(lower, spell, own) or _colloquial(lower, languages):
            continue
        if _ABBREVIATION_END.match(text, end) and _abbreviation(lower, languages):
            continue
        unknown.append(m)
    # Many unknown words at once means another language (or code), not many typos; unless the
    # detector is sure the draft is in a language of the dictionary: then they are typos.
    sure = detected is not None and detected in languages
    if not sure and checked >= _LANGUAGE_MIN_WORDS and len(unknown) / checked > max_unknown_share:
        return []
    found = []
    for m in unknown:
        word = _INVISIBLE_RE.sub("", m.group(0)).lower().replace("’", "'")
        if _foreign_word(word, languages):
            continue
        close = _close_words(word, spell)
        if close:
            found.append((m, max(close, key=spell.word_usage_frequency)))
    return found
