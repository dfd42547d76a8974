"""The draft rules, SL101-SL114: one declaration each, in code order.

Most rules are a rule type from `core.py` filled with data. The few that need a model, a
dictionary or arithmetic (offensive language, shouting, misspelling, length, personal data,
links, hashtags, tone) are small subclasses next to their declaration.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ..options import Option
from ..urls import domain, host, on_domain
from ..usercache import cache_dir, write_private
from .core import (
    CueDensity,
    Draft,
    Hit,
    Level,
    LintEnv,
    Patterns,
    PhraseList,
    Rule,
)
from .graphemes import LIMITS, post_length
from .spelling import WORD, blank_quotations, language_of, languages_of, misspellings

PLATFORMS = tuple(LIMITS)

# -- SL101 offensive-language ------------------------------------------------------------------


@cache
def _profanity_model() -> tuple[Any, Any, dict[str, float]]:
    """alt-profanity-check's vectorizer and calibrated linear SVM, plus each word's weight.

    The package loads its model on import (about two seconds with scikit-learn), so it is
    imported on first use, and only for drafts that hold a word the model weighs as offensive
    (`_word_weights`): no other draft can be flagged.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn's pickle-version notes are not the user's
        from profanity_check import profanity_check as pc
    import numpy as np

    coef = np.mean([c.estimator.coef_[0] for c in pc.model.calibrated_classifiers_], axis=0)
    weights = {word: float(coef[i]) for word, i in pc.vectorizer.vocabulary_.items()}
    return pc.vectorizer, pc.model, weights


# The model's positive word weights, kept in the user's cache folder under the installed
# model's version: a draft with no word of at least the weight that can flag it (`word_weight`,
# or _STRONG_WORD_WEIGHT outside English) is passed without loading scikit-learn and the model.
WEIGHTS_FILE = "profanity-word-weights-{key}.json"


def _model_key() -> str | None:
    """What identifies the installed model: the package's version and its data files' sizes
    (found without importing the package, which loads the model). None: not installed."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version
    from importlib.util import find_spec

    try:
        spec = find_spec("profanity_check")
        release = version("alt-profanity-check")
    except (ImportError, PackageNotFoundError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    sizes = [(f.name, f.stat().st_size) for f in sorted(data.glob("*.joblib"))]
    return hashlib.sha1(repr((release, sizes)).encode()).hexdigest()[:16]


@cache
def _word_weights() -> dict[str, float]:
    """The model's words of positive weight (lower case), from the cache when it has this
    model's, else from the model (then written there; a cache that cannot be written is
    skipped)."""
    key = _model_key()
    path = cache_dir() / WEIGHTS_FILE.format(key=key) if key else None
    if path is not None:
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(stored, dict) and stored.get("model") == key:
                return {str(w): float(v) for w, v in stored["weights"].items()}
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    weights = {w: v for w, v in _profanity_model()[2].items() if v > 0}
    if path is not None:
        write_private(path, json.dumps({"model": key, "weights": weights}))
    return weights


_MODEL_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # the vectorizer's own token pattern
# Model weight of the strongest swear words (fuck 11, bitch 9.8, shit 7, ass 6.3, idiot 6.3).
_STRONG_WORD_WEIGHT = 6.0


# Everyday phrases of care and marketing whose words the model takes for violence or insults
# ("shoot us a DM"): hidden from it, as the brand's own `allow` words are.
_HARMLESS_IDIOMS = re.compile(
    r"(?i)\bshoot (?:us|me|them|him|her) (?:a|an|your) (?:dm|pm|message|note|line|email|e-mail|"
    r"text|quick)\b|\bshoot (?:over|across) (?:a|an|your)\b|\bkill(?:s|ed|ing)? it\b|"
    r"\bkiller (?:feature|deal|app|combo)\b|\bdead (?:simple|easy)\b|"
    r"\b(?:kill|killed|killing) (?:the|a) (?:process|job|task|tab|app|server|container)\b|"
    r"\bkill -9\b|\bhit (?:us|me) up\b|\bcrush(?:ed|ing)? it\b|"
    r"\bkill(?:s|ed|ing)? (?:your|my|our|their|his|her) darlings\b|\bdressed to kill\b|"
    r"\bkill(?:s|ed|ing)? (?:two|2) birds\b|\bkill(?:s|ed|ing)? time\b|"
    r"\bsuck(?:s|ed|ing)? the (?:life|fun|joy) out of\b|"
    # frustration at a thing, not an insult of anyone: "this stupid, stupid injury" (not "that
    # stupid customer")
    r"\b(?:this|that|these|those|my) (?:(?:stupid|dumb|silly),? )+(?=[a-z])(?!(?:customer|"
    r"client|guy|girl|boy|man|men|woman|women|person|people|user|kid|lady|dude|idiot)s?\b)"
)


@dataclass(frozen=True, kw_only=True)
class OffensiveLanguage(Rule):
    """A trained model decides whether the draft is offensive; its heaviest words are the spans."""

    def _text(self, draft: Draft, opts: Mapping[str, Any]) -> str:
        # Words in double quotes are someone else's, verbatim (a quoted article, a line of a
        # film or a book's title: "bullshit jobs"), not the brand swearing: hidden, as SL104
        # hides them.
        text = blank_quotations(draft.masked)
        text = _HARMLESS_IDIOMS.sub(lambda m: " " * len(m.group(0)), text)
        allow = {w.lower() for w in opts["allow"]}
        if not allow:
            return text
        return _MODEL_TOKEN.sub(
            lambda m: " " * len(m.group(0)) if m.group(0).lower() in allow else m.group(0), text
        )

    def _harmless(self, draft: Draft, opts: Mapping[str, Any]) -> bool:
        """Whether no word of the draft weighs enough to be a span (`find`: `word_weight`, or
        _STRONG_WORD_WEIGHT outside English), so that the rule cannot fire whatever the model's
        probability, and the model need not run. Read from `_word_weights`, without the model."""
        floor = min(float(opts["word_weight"]), _STRONG_WORD_WEIGHT)
        if floor <= 0:  # a word the model does not know weighs 0: any draft could have a span
            return False
        key = f"offensive_below_{floor!r}"
        if key not in draft.cache:
            weights = _word_weights()
            text = self._text(draft, opts)
            draft.cache[key] = all(
                weights.get(m.group(0).lower(), 0.0) < floor for m in _MODEL_TOKEN.finditer(text)
            )
        return bool(draft.cache[key])

    def prepare(self, drafts: Sequence[Draft], opts: Mapping[str, Any], env: LintEnv) -> None:
        todo = [d for d in drafts if "offensive_p" not in d.cache and not self._harmless(d, opts)]
        if not todo:
            return
        vectorizer, model, _ = _profanity_model()
        probs = model.predict_proba(vectorizer.transform([self._text(d, opts) for d in todo]))
        for d, p in zip(todo, probs[:, 1], strict=True):
            d.cache["offensive_p"] = float(p)

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        self.prepare([draft], opts, env)
        if "offensive_p" not in draft.cache:  # no word that could be a span (`_harmless`)
            return
        p = draft.cache["offensive_p"]
        if p < opts["threshold"]:
            return
        _, _, weights = _profanity_model()
        text = self._text(draft, opts)
        scored = [(weights.get(m.group(0).lower(), 0.0), m) for m in _MODEL_TOKEN.finditer(text)]
        language = language_of(text)
        if language not in (None, "en"):
            # The model knows English only: in another language its verdict is noise ("die" is
            # German for "the"), so only the strongest English swear words count there.
            heavy = [m for w, m in scored if w >= _STRONG_WORD_WEIGHT]
        else:
            heavy = [m for w, m in scored if w >= opts["word_weight"]]
        if not heavy:
            # No word the model weighs as offensive: its verdict rests on the length of the
            # draft (its features are normalised per draft, so in "that's KISS" or "Black Hole
            # Sun" a plain word decides) and there is nothing to show or rewrite.
            return
        for m in heavy:
            # Widen to the whole written word: the model's tokens split "f*ck" into "ck".
            s, e = m.span()
            while s > 0 and not text[s - 1].isspace():
                s -= 1
            while e < len(text) and not text[e].isspace():
                e += 1
            word = text[s:e].strip(".,;:!?\"'()[]")
            s = text.index(word, s) if word else m.start()
            word = word or m.group(0)
            yield Hit(s, s + len(word), self.message.format(match=word, p=p))


SL101 = OffensiveLanguage(
    code="SL101",
    name="offensive-language",
    summary="profanity, slurs and insults",
    level=Level.ERROR,
    message="Offensive language: '{match}' (the model rates the draft {p:.0%} likely offensive)",
    remedy="Rewrite without the insult or swear word; a brand account speaks for the company.",
    doc=(
        "Profanity, slurs and insults in a brand's post are screenshotted and remembered long "
        "after the post is deleted. The decision is made by alt-profanity-check's linear model "
        "(trained on toxic comments) over the whole draft; the words it weighs most are "
        "the spans. A word list alone flags 'God', 'murder', 'sex' and 'gay' as profane; the "
        "model weighs words in context, and on TweetEval's offensive test split it is both more "
        "precise and as sensitive (bench/lint_offensive.py)."
    ),
    fails=(
        "Our competitors are a bunch of idiots, honestly.",
        "This update is fucking great, go get it",
        "@user shut up you stupid bitch",
    ),
    passes=(
        "Our new roast is out today: dark chocolate and cherry notes.",
        "We are sorry about the delay, a new parcel is on its way.",
        "Proud to support the local Pride march this weekend.",
        "@sam Shoot us a DM with your order number and we'll sort it out.",
        "Listening to Black Hole Sun while the rain sucks the life out of the market.",
    ),
    options=(
        Option(
            "threshold",
            0.5,
            "model probability at or above which a draft is offensive; "
            "at 0.5 SL101 measured precision 0.88, recall 0.39 on TweetEval offensive (test)",
            minimum=0.0,
            maximum=1.0,
        ),
        Option(
            "word_weight",
            2.0,
            "a word's model weight from which it is shown as a span; a draft with no such "
            "word is not flagged, whatever the model's probability",
            minimum=0.0,
        ),
        Option(
            "allow",
            [],
            "words that are fine for this brand (a product called 'Damn Fine')",
            type=list,
        ),
    ),
)

# -- SL102 shouting ----------------------------------------------------------------------------

_CAPS_WORD = r"[A-Z][A-Z'’]*[A-Z]"
_CAPS_RUN = re.compile(rf"(?<![\w']){_CAPS_WORD}(?:[\s,.!?:;&/-]+{_CAPS_WORD})+(?![\w'])")


def _acronym_list(run: str, words: list[str]) -> bool:
    """A list of acronyms ("OS, CPU, RAM, GPU"): short words, most of them apart by a comma, a
    slash or an ampersand, as a support agent asks for system details. Not shouting."""
    if any(len(w) > 4 for w in words):
        return False
    gaps = re.findall(rf"(?<=[A-Z'’])[^A-Z'’]+(?={_CAPS_WORD})", run)
    return sum(1 for g in gaps if any(c in g for c in ",/&")) * 2 >= len(gaps)


@dataclass(frozen=True, kw_only=True)
class CapsRatio(Rule):
    """Flags a draft whose letters are mostly capitals, or a long run of all-capital words."""

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        text = draft.masked
        letters = [i for i, c in enumerate(text) if c.isalpha()]
        upper = sum(1 for i in letters if text[i].isupper())
        if len(letters) >= opts["min_letters"] and upper / len(letters) >= opts["max_ratio"]:
            ratio = upper / len(letters)
            yield Hit(
                letters[0],
                letters[-1] + 1,
                self.message.format(what=f"{ratio:.0%} of the letters are capitals"),
            )
            return
        for m in _CAPS_RUN.finditer(text):
            words = re.findall(_CAPS_WORD, m.group(0))
            if len(words) >= opts["min_run_words"] and not _acronym_list(m.group(0), words):
                yield Hit(
                    m.start(),
                    m.end(),
                    self.message.format(what=f"{len(words)} words in a row in capitals"),
                )


SL102 = CapsRatio(
    code="SL102",
    name="shouting",
    summary="mostly capital letters, or a long run of capitalised words",
    level=Level.WARNING,
    message="Shouting: {what}",
    remedy="Write in sentence case; keep capitals for one word of emphasis at most.",
    doc=(
        "Text in capitals reads as shouting, and a brand that shouts looks angry or desperate. "
        "Counted on the words only: links, handles and hashtags are left out, and short "
        "acronyms (FAQ, USA) do not make a run, nor does a list of them (OS, CPU, RAM, GPU)."
    ),
    fails=(
        "HUGE NEWS!!! OUR SUMMER SALE STARTS TODAY, DON'T MISS IT",
        "Thanks for waiting. WE WILL NOT REFUND THIS ORDER AGAIN, sorry.",
    ),
    passes=(
        "Huge news: our summer sale starts today.",
        "Read the FAQ on our site, or ask the NHS or the WHO for advice.",
        "Could you share your system details (OS, CPU, RAM, GPU)?",
        "OK",
    ),
    options=(
        Option(
            "max_ratio",
            0.6,
            "share of capital letters from which the draft is shouting",
            minimum=0.0,
            maximum=1.0,
        ),
        Option(
            "min_letters",
            12,
            "drafts with fewer letters are not judged by their ratio "
            "(a one-word 'OK' is not shouting)",
            type=int,
            minimum=1,
        ),
        Option(
            "min_run_words",
            4,
            "all-capital words in a row that count as shouting in an otherwise normal draft",
            type=int,
            minimum=2,
        ),
    ),
)

# -- SL103 punctuation-runs --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PunctuationRuns(Rule):
    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        rx = re.compile(r"[!?！？‼⁉]{" + str(opts["min_run"]) + ",}")
        for m in rx.finditer(draft.masked):
            yield Hit(m.start(), m.end(), self.message.format(match=m.group(0), n=len(m.group(0))))


SL103 = PunctuationRuns(
    code="SL103",
    name="punctuation-runs",
    summary="`!!!`, `???`, `?!?!`",
    level=Level.WARNING,
    message="Run of {n} punctuation marks: '{match}'",
    remedy="Use one exclamation or question mark; let the words carry the emphasis.",
    doc=(
        "Runs of exclamation and question marks (`!!!`, `???`, `?!?!`) read as careless or "
        "over-excited, and they are among the first things a reader notices in a post that went "
        "out without a second look."
    ),
    fails=("We did it!!!", "Where is my order???", "Seriously?!?!"),
    passes=("We did it!", "Really?!", "Visit https://shop.example/?a=1!!!x to see"),
    options=(
        Option(
            "min_run", 3, "marks in a row that make a run ('?!' stays fine)", type=int, minimum=2
        ),
    ),
)

# -- SL104 misspelling -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Misspelling(Rule):
    """Unknown words that look like a typo of a known word (the engine: `spelling.py`)."""

    def prepare(self, drafts: Sequence[Draft], opts: Mapping[str, Any], env: LintEnv) -> None:
        # The language detector run once over the batch, not once per draft.
        todo = [d for d in drafts if "spelling_language" not in d.cache]
        if not todo:
            return
        for d, code in zip(todo, languages_of([d.masked for d in todo]), strict=True):
            d.cache["spelling_language"] = code

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        self.prepare([draft], opts, env)
        own = {t.lower() for t in (*env.terms, *opts["terms"])}
        if env.brand_name:
            own |= {w.lower() for w in WORD.findall(env.brand_name)}
        found = misspellings(
            draft.masked,
            languages=tuple(opts["languages"]),
            own=own,
            min_length=opts["min_length"],
            check_capitalized=opts["check_capitalized"],
            max_unknown_share=opts["max_unknown_share"],
            detected=draft.cache["spelling_language"],
        )
        for m, guess in found:
            hint = f" (did you mean '{guess}'?)" if opts["suggest"] else ""
            yield Hit(m.start(), m.end(), self.message.format(match=m.group(0), hint=hint))


SL104 = Misspelling(
    code="SL104",
    name="misspelling",
    summary="words that look like a typo of a dictionary word",
    level=Level.WARNING,
    message="'{match}' is not in the dictionary{hint}",
    remedy="Fix the spelling, or add the word to [lint] terms if it is the brand's own.",
    doc=(
        "A typo in a brand's post is small and very visible: it is what replies quote. Words "
        "are looked up in pyspellchecker's frequency dictionary (English by default), a short "
        "list of social-media words, the brand's name and its own terms ([lint] terms). "
        "Handles, hashtags, links, code, numbers, acronyms, CamelCase and capitalised words "
        "(names) are not checked, nor words in double quotes (someone else's, verbatim, or a "
        "word mentioned), and a draft where most words are unknown is taken to be in another "
        "language and left alone."
    ),
    fails=(
        "Our new store is opening tommorow.",
        "We recieved your message, thanks",
        "Our new store is opning tommorow, come and se the freshest breads and cakse.",
    ),
    passes=(
        "Our new store is opening tomorrow.",
        "Thanks @janedoe_88! #coffeelover https://acme.example/brewz",
        "Try the Brewzilla blend from Acme, out now.",
        "Nuestra nueva tienda abre mañana en el centro de la ciudad.",
        "Set `noopener` on the link and run tracert, zsh and postgres on the new onboard box.",
        'A customer wrote: "patz and I loved the tasting". Thanks to our mentors and sponsees!',
    ),
    options=(
        Option(
            "languages",
            ["en"],
            "pyspellchecker dictionaries a word may come from "
            "(en, es, fr, de, it, pt, nl, ru, ar, eu, lv, fa)",
            type=list,
        ),
        Option(
            "terms", [], "more words that are right for this brand (also [lint] terms)", type=list
        ),
        Option("min_length", 3, "shorter words are not checked", type=int, minimum=1),
        Option(
            "check_capitalized", False, "check capitalised words too (names get flagged)", type=bool
        ),
        Option(
            "max_unknown_share",
            0.3,
            "above this share of unknown words the draft is taken to be in another language",
            minimum=0.0,
            maximum=1.0,
        ),
        Option("suggest", True, "suggest a correction (one edit away)", type=bool),
    ),
)

# -- SL105 too-long ----------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class TooLong(Rule):
    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        platform = draft.platform
        if platform not in LIMITS:
            return
        limit = opts[platform]
        length = post_length(draft.published, platform)
        if length <= limit:
            return
        # The first offset past the limit: the longest prefix that still fits.
        lo, hi = 0, len(draft.raw)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if post_length(draft.published_prefix(mid), platform) <= limit:
                lo = mid
            else:
                hi = mid - 1
        yield Hit(
            lo,
            len(draft.raw.rstrip()),
            self.message.format(length=length, limit=limit, platform=platform, over=length - limit),
        )


def _long(n: int) -> str:
    return " ".join(["word"] * n)


SL105 = TooLong(
    code="SL105",
    name="too-long",
    summary="over the platform's limit, counted the platform's way",
    level=Level.ERROR,
    message="{length} characters as {platform} counts them, {over} over its limit of {limit}",
    remedy="Shorten the draft, or split it into a thread.",
    doc=(
        "A draft over the platform's limit is refused, or cut off mid-sentence by a tool. "
        "Counted the way each platform counts: X weighs characters (links 23, emoji 2, CJK 2), "
        "Mastodon counts links as 23 and remote mentions as their local part, Bluesky counts "
        "graphemes (what a reader sees as one character: an emoji family is one) after its app "
        "shortens links, the others count characters. Needs a platform (--platform or "
        "[lint] platform)."
    ),
    fails=(_long(57), "👨‍👩‍👧 " * 141),
    passes=(
        "Short and sweet.",
        _long(40) + " https://acme.example/" + "a" * 200,
        "👨‍👩‍👧" * 140,
    ),
    options=tuple(Option(p, n, f"{p}'s own limit", type=int, minimum=1) for p, n in LIMITS.items()),
    example_settings={"platform": "x"},
)

# -- SL106 personal-data -----------------------------------------------------------------------


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_ROLES = (
    "info support help hello contact press media sales team admin office careers jobs "
    "marketing service customerservice enquiries inquiries noreply no-reply feedback billing "
    "orders shop store events partners legal privacy security webmaster"
)
ROLE_ADDRESSES = frozenset(_ROLES.split())


@dataclass(frozen=True, kw_only=True)
class PersonalData(Patterns):
    """E-mail addresses (not the brand's own), card numbers (Luhn), phones, order numbers."""

    def accept(
        self, label: str, m: re.Match[str], draft: Draft, opts: Mapping[str, Any], env: LintEnv
    ) -> bool:
        value = m.group(0)
        digits = re.sub(r"\D", "", value)
        for allowed in opts["allow"]:
            same_digits = bool(digits) and digits == re.sub(r"\D", "", allowed)
            if value.lower() == allowed.lower() or same_digits:
                return False
        if label == "an e-mail address":
            local, domain = value.rsplit("@", 1)
            # The brand's own addresses, and role addresses anywhere (info@, support@), are
            # published on purpose; they are not anyone's personal data.
            return not on_domain(domain, env.domains) and local.lower() not in ROLE_ADDRESSES
        if label == "a card number":
            return 13 <= len(digits) <= 19 and luhn_ok(digits)
        if label == "a phone number":
            # A bare run of digits is more often an id or an amount than a phone number; a
            # number grouped like a phone number, or starting with + or (, is one.
            grouped = value[0] in "+(" or re.fullmatch(r"\d{2,5}(?:[ .-]\d{2,5}){2,4}", value)
            return 9 <= len(digits) <= 15 and bool(grouped)
        return True


SL106 = PersonalData(
    code="SL106",
    name="personal-data",
    summary="e-mail addresses, phone numbers, card numbers (Luhn), order or account numbers",
    level=Level.ERROR,
    message="Personal data in a public post: {label} '{match}'",
    remedy="Remove it and move the conversation to a private message; ask for details there.",
    doc=(
        "A customer's e-mail address, phone number, card number or order number in a public "
        "post is a data leak the brand caused, and in the EU a GDPR incident. Card numbers are "
        "checked with the Luhn sum, so that ordinary long numbers pass; e-mail addresses at the "
        "brand's own domains ([brand] domains) and values listed in `allow` (the brand's own "
        "public phone line) are fine."
    ),
    fails=(
        "@jane we found it: order #A1234567 ships today",
        "Hi Jane, write to jane.doe@gmail.com and we'll sort it",
        "Your card 4111 1111 1111 1111 was charged twice, refund on the way",
        "Call the customer back on +44 20 7946 0958",
    ),
    passes=(
        "Write to help@acme.example and we'll sort it",
        "Please DM us your order number and we'll check",
        "Over 1,250,000 cups served since 2009",
        "Our 2019-2024 report is out, see https://acme.example/r/4111111111111111",
    ),
    patterns=(
        (
            "an e-mail address",
            r"(?<![\w.+@-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
            r"\.[A-Za-z]{2,}\b",
            "text",
        ),
        ("a card number", r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])"),
        (
            "an order or account number",
            r"(?i)\b(?:order|account|acct|booking|reservation|ticket|case|invoice|tracking|"
            r"customer|membership|member|policy|reference|ref|confirmation)"
            r"(?:\s*(?:no\.?|number|num|nr\.?|id|code))?\s*[:#]?\s*#?"
            r"(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,}\b",
            "text",
        ),
        ("a phone number", r"(?<![\w+])(?:\+|\(\+?)?\d[\d\s().-]{7,}\d(?!\w)"),
    ),
    options=(
        Option(
            "allow",
            [],
            "e-mail addresses and phone numbers that are public (the brand's own support line)",
            type=list,
        ),
    ),
    example_settings={"domains": ["acme.example"]},
)

# -- SL107 sales-pitch -------------------------------------------------------------------------

SL107 = CueDensity(
    code="SL107",
    name="sales-pitch",
    summary="wording that only sells: prices, discounts, buy now, urgency",
    level=Level.WARNING,
    message="Reads as a pure sales pitch: {count} sales cues ({cues})",
    remedy="Lead with something useful or interesting to the reader; keep one clear offer.",
    doc=(
        "Posts that only sell (prices, discounts, 'buy now', urgency) are what people unfollow "
        "brands for; social media rewards being useful first. One price or one offer is "
        "information, so the rule fires only when cues pile up (`min_cues`). A warning, not "
        "a ban: a launch-day post may sell, with an ignore line that says so."
    ),
    fails=(
        "Buy now! 30% off everything, today only.",
        "Last chance: use code SPRING for free shipping",
        "Only $19.99 for a limited time, hurry",
    ),
    passes=(
        "Our new roast costs $12, and here is how we chose the beans.",
        "How to brew a better cup at home: grind just before you brew.",
    ),
    phrases=(
        "buy now",
        "shop now",
        "order now",
        "book now",
        "buy today",
        "order today",
        "limited time",
        "limited-time",
        "limited offer",
        "today only",
        "this weekend only",
        "ends tonight",
        "ends today",
        "ends soon",
        "last chance",
        "don't miss out",
        "don’t miss out",
        "hurry",
        "act now",
        "while stocks last",
        "while supplies last",
        "% off",
        "off everything",
        "discount",
        "discounted",
        "on sale",
        "sale ends",
        "big sale",
        "free shipping",
        "free delivery",
        "use code",
        "promo code",
        "coupon",
        "special offer",
        "save up to",
        "lowest price",
        "lowest prices",
        "best price",
        "clearance",
        "buy one",
        "get one free",
        "bogo",
        "flash sale",
        "deal of the day",
        "add to cart",
        "order yours",
        "get yours",
        "grab yours",
    ),
    cue_patterns=(
        (
            "a price",
            r"[$€£¥]\s?\d+(?:[.,]\d{1,2})?(?!\w)"
            r"|(?<![\w.])\d+(?:[.,]\d{1,2})?\s?(?:€|EUR|USD|GBP|dollars|euros)(?!\w)",
        ),
    ),
)

# -- SL108 personal-post -----------------------------------------------------------------------

_KIN = (
    "wife",
    "husband",
    "girlfriend",
    "boyfriend",
    "kids",
    "son",
    "daughter",
    "mom",
    "mum",
    "dad",
    "mother-in-law",
    "father-in-law",
    "ex",
    "baby",
    "partner",
    "grandma",
    "grandpa",
    "birthday",
    "hangover",
    "divorce",
    "wedding",
    "honeymoon",
    "therapist",
    "doctor",
    "diet",
    "love life",
)

SL108 = PhraseList(
    code="SL108",
    name="personal-post",
    summary="first-person private life on a brand account",
    level=Level.WARNING,
    message="Reads as a personal post: '{match}'",
    remedy="Keep private life for a personal account; on the brand account, speak as the brand.",
    doc=(
        "A brand account that posts about someone's family, hangover or weekend confuses its "
        "followers and can embarrass the company (the classic: an employee's private tweet "
        "sent from the brand account). The rule looks for first-person private-life wording "
        "('my wife', 'my birthday', 'so hungover'). On a personal account it fires often, "
        "and should."
    ),
    fails=(
        "Can't believe my wife forgot my birthday lol",
        "So hungover today, send coffee",
        "Date night with my boyfriend, finally",
    ),
    passes=(
        "Happy birthday to our café: ten years on Main Street today!",
        "Our founder's son now runs the roastery.",
    ),
    phrases=(
        *(f"my {k}" for k in _KIN),
        "so hungover",
        "i'm hungover",
        "im hungover",
        "i am hungover",
        "date night",
        "my weekend",
        "my vacation",
        "my holiday",
        "i'm so drunk",
        "so drunk",
        "my love",
        "i'm so tired",
        "im so tired",
        "i'm exhausted",
        "i feel sick",
        "i'm sick",
        "my apartment",
        "my bed",
        "my crush",
    ),
)

# -- SL109 untracked-link ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class UntrackedLink(Rule):
    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        domains = (*env.domains, *(domain(d) for d in opts["domains"]))
        if not domains:
            return
        spans = list(draft.urls)
        # Bare own-domain links ("acme.example/menu"): platforms link them too.
        bare = re.compile(
            r"(?<![\w.@/-])(?:[\w-]+\.)*(?:"
            + "|".join(re.escape(d) for d in domains)
            + r")(?:/[^\s<>\"')\]]*)?",
            re.IGNORECASE,
        )
        spans += [m.span() for m in bare.finditer(draft.masked)]
        for s, e in spans:
            url = draft.text[s:e].rstrip(".,;:!?")
            if not on_domain(host(url), domains):
                continue
            parts = urlsplit(url if "://" in url else "https://" + url)
            params = {k.lower() for k in parse_qs(parts.query, keep_blank_values=True)}
            missing = [p for p in opts["required"] if p not in params]
            if missing:
                yield Hit(
                    s, s + len(url), self.message.format(match=url, missing=", ".join(missing))
                )


SL109 = UntrackedLink(
    code="SL109",
    name="untracked-link",
    summary="a link to the brand's own site without UTM parameters",
    level=Level.WARNING,
    message="Link to the brand's own site without campaign tracking (missing {missing}): {match}",
    remedy="Add utm_source, utm_medium and utm_campaign so that the visits and sales show up in "
    "web analytics.",
    doc=(
        "A link to the brand's own site without UTM parameters sends visitors that web "
        "analytics cannot attribute to the post, so social media's return cannot be measured "
        "(SA306 in the audit). Own sites are [brand] domains and their subdomains, plus "
        "`domains` here."
    ),
    fails=(
        "New menu: https://acme.example/menu",
        "See www.shop.acme.example/spring?utm_source=x",
        "Details at acme.example/news",
    ),
    passes=(
        "New menu: https://acme.example/menu?utm_source=x&utm_medium=social&utm_campaign=menu",
        "Great read: https://news.example.org/coffee",
        "Write to help@acme.example",
    ),
    options=(
        Option(
            "required",
            ["utm_source", "utm_medium", "utm_campaign"],
            "parameters an own link must carry (the three GA4 reports by)",
            type=list,
        ),
        Option("domains", [], "more own domains besides [brand] domains", type=list),
    ),
    example_settings={"domains": ["acme.example"]},
)

# -- SL110 hashtag-overload --------------------------------------------------------------------

HASHTAG_NORMS = {
    "x": 2,
    "facebook": 2,
    "bluesky": 3,
    "linkedin": 5,
    "mastodon": 5,
    "instagram": 10,
}


@dataclass(frozen=True, kw_only=True)
class HashtagOverload(Rule):
    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        tags = draft.hashtags
        limit = opts[draft.platform] if draft.platform in HASHTAG_NORMS else opts["default"]
        if len(tags) > limit:
            yield Hit(
                tags[limit][0],
                tags[-1][1],
                self.message.format(
                    count=len(tags), limit=limit, platform=draft.platform or "a post"
                ),
            )


SL110 = HashtagOverload(
    code="SL110",
    name="hashtag-overload",
    summary="more hashtags than the platform's norm",
    level=Level.WARNING,
    message="{count} hashtags; {platform} posts do best with at most {limit}",
    remedy="Keep the one or two hashtags people actually follow; drop the rest.",
    doc=(
        "A string of hashtags reads as spam and lowers engagement on most platforms. The norm "
        "differs: one or two on X and Facebook, a few on Bluesky, LinkedIn and Mastodon (where "
        "hashtags are how posts are found), more on Instagram. Without a platform, `default` "
        "applies."
    ),
    fails=("Fresh beans today #coffee #beans #roast #morning #love #instagood",),
    passes=("Fresh beans today #coffee", "Our #1 seller, fresh today #coffee #beans"),
    options=(
        *(
            Option(p, n, f"most hashtags for a {p} post", type=int, minimum=0)
            for p, n in HASHTAG_NORMS.items()
        ),
        Option("default", 5, "most hashtags when no platform is given", type=int, minimum=0),
    ),
)

# -- SL111 hostile-tone ------------------------------------------------------------------------

_DISMISSIVE = (
    "as we already said",
    "as we said before",
    "as previously stated",
    "as stated before",
    "as we already told you",
    "read the faq",
    "read our faq",
    "check the faq",
    "learn to read",
    "not our problem",
    "not our fault",
    "your own fault",
    "your fault",
    "calm down",
    "you should have read",
    "you should've read",
    "stop complaining",
    "deal with it",
    "if you don't like it",
    "if you don’t like it",
    "you people",
    "google it",
    "user error",
    "we don't care",
    "we don’t care",
    "nothing to do with us",
    "that's on you",
    "that’s on you",
    "stop whining",
    "get over it",
    "obviously you",
    "clearly you didn't",
    "clearly you didn’t",
)
_DISMISSIVE_RE = re.compile(
    "|".join(r"(?<!\w)" + r"\s+".join(map(re.escape, p.split())) + r"(?!\w)" for p in _DISMISSIVE),
    re.IGNORECASE,
)
_SECOND_PERSON = re.compile(r"(?<!\w)(?:you|your|you're|you’re|yours|u|ur)(?!\w)", re.IGNORECASE)
# An apology or a word of understanding makes a reply empathetic however negative its words
# ("We never like to hear you're disappointed").
_EMPATHY = re.compile(
    r"(?<!\w)(?:sorry|apolog\w*|understand\w*|thank\w*|thanks|appreciate\w*|"
    r"(?:like|hate|sad|sorry|unhappy|concerned) to (?:hear|read|see|learn)|we hear you)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class HostileTone(Rule):
    """Dismissive phrases, or a strongly negative sentence to "you" in a reply."""

    @staticmethod
    def _addressed(draft: Draft) -> list[tuple[int, int]]:
        """Sentences that speak to the reader ("you"), in a draft with no apology or thanks."""
        text = draft.masked
        # Only a reply speaks to one person; elsewhere "you" is mostly the generic "one".
        if not re.match(r"\s*@\w", draft.text) or _EMPATHY.search(text):
            return []
        spans = []
        for m in _SENTENCE.finditer(text):
            if _SECOND_PERSON.search(m.group(0)):
                spans.append(m.span())
        return spans

    def prepare(self, drafts: Sequence[Draft], opts: Mapping[str, Any], env: LintEnv) -> None:
        todo = [d for d in drafts if "addressed" not in d.cache]
        if not todo:
            return
        from ..text import classify

        sentences = []
        for d in todo:
            d.cache["addressed"] = self._addressed(d)
            sentences += [d.masked[s:e] for s, e in d.cache["addressed"]]
        scores = iter(classify(sentences)["sentiment_score"].to_pylist() if sentences else [])
        for d in todo:
            d.cache["addressed_scores"] = [float(next(scores) or 0.0) for _ in d.cache["addressed"]]

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        found = False
        for m in _DISMISSIVE_RE.finditer(draft.masked):
            found = True
            yield Hit(m.start(), m.end(), self.message.format(what=f"'{m.group(0)}' is dismissive"))
        if found:
            return
        self.prepare([draft], opts, env)
        for (s, e), score in zip(
            draft.cache["addressed"], draft.cache["addressed_scores"], strict=True
        ):
            if score <= opts["max_sentiment"]:
                what = f"a negative sentence addressed to the reader (sentiment {score:+.2f})"
                yield Hit(s, e, self.message.format(what=what))


# A sentence: up to and including its end mark, or a line.
_SENTENCE = re.compile(r"[^\s.!?][^.!?\n]*[.!?]*")


SL111 = HostileTone(
    code="SL111",
    name="hostile-tone",
    summary="dismissive or negative tone toward the person addressed",
    level=Level.ERROR,
    message="Hostile toward the reader: {what}",
    remedy="Answer the person, not the argument: acknowledge, apologise where due, offer help.",
    doc=(
        "A brand that argues with, blames or brushes off a customer in public loses more than "
        "that customer: everyone reads the exchange. Fires on dismissive phrases ('as we "
        "already said', 'not our problem', 'calm down') and on strongly negative sentiment "
        "(text understanding's classify()) in a draft that addresses the reader ('you') "
        "without any apology or thanks."
    ),
    fails=(
        "@sam as we already said, the refund takes 10 days. Read the FAQ.",
        "@sam you are wrong and your complaint is ridiculous and stupid.",
        "Calm down, it's just a late parcel.",
    ),
    passes=(
        "@sam sorry for the wait, your refund is on its way.",
        "@sam that sounds awful, we're looking into it now.",
        "@sam We never like to hear you're disappointed. Could you DM us your order number?",
        "Terrible weather today, perfect for a hot chocolate.",
    ),
    options=(
        Option(
            "max_sentiment",
            -0.5,
            "sentiment (VADER compound, -1..1) at or below which a "
            "draft addressed to the reader is hostile",
            minimum=-1.0,
            maximum=1.0,
        ),
    ),
)

# -- SL112 like-bait ---------------------------------------------------------------------------

_ACTION = r"(?:like|share|retweet|rt|repost|boost|follow|comment|reply|tag)"
_NUMBER = r"(?:\d+|a|one|two|three|four|five|some|all)"

SL112 = Patterns(
    code="SL112",
    name="like-bait",
    summary="like and share to win, follow us for, tag 3 friends",
    level=Level.WARNING,
    message="Like-bait: '{match}'",
    remedy="Give people a reason to engage (a question, something useful) instead of asking "
    "for likes, shares or tags.",
    doc=(
        "'Like and share to win', 'follow us for', 'tag 3 friends' buy likes and followers who "
        "came for the prize, not for the brand, and most platforms demote engagement bait. "
        "Counted by the audit too (SA305)."
    ),
    fails=(
        "Like and share to win a year of coffee!",
        "Tag 3 friends who need this",
        "Follow us for more tips like this",
        "RT to win a mug",
    ),
    passes=(
        "We'd like to share our new recipe with you.",
        "Which roast should we bring back? Tell us below.",
        "Thanks for the follow!",
    ),
    patterns=(
        (
            "ask",
            rf"(?i)\b{_ACTION}\s*(?:[,&+]|and|\+)\s*{_ACTION}(?:\s*(?:[,&+]|and)\s*{_ACTION})*"
            rf"\s+(?:to|for a chance to|and)\s+(?:win|enter)\b",
        ),
        ("ask", rf"(?i)\b{_ACTION}\s+(?:this\s+|us\s+)?to\s+(?:win|enter)\b"),
        ("tag", rf"(?i)\btag\s+{_NUMBER}\s+(?:\w+\s+)?(?:friends?|people|mates|buddies)\b"),
        ("tag", r"(?i)\btag\s+(?:your|a)\s+(?:\w+\s+)?(?:friends?|bff|bestie|mates?|buddy)\b"),
        ("follow", r"(?i)\bfollow\s+(?:us|me)\s+for\s+(?:more|daily|updates|a chance)\b"),
        ("like if", r"(?i)\b(?:like|rt|retweet|share)\s+if\s+you\b"),
        ("double tap", r"(?i)\b(?:double[- ]tap|smash\s+(?:that|the)\s+like)\b"),
    ),
)

# -- SL113 absolute-claim ----------------------------------------------------------------------

SL113 = PhraseList(
    code="SL113",
    name="absolute-claim",
    summary="unverifiable superlatives and guarantees",
    level=Level.WARNING,
    message="Unverifiable absolute claim: '{match}'",
    remedy="Say what you can show ('rated 4.8 by 2,000 customers'), or soften the claim.",
    doc=(
        "'Best in the world', '100% guaranteed', 'never fails': claims nobody can verify invite "
        "the reply that proves them wrong, and advertising rules (the FTC, the UK's ASA, the "
        "EU's unfair practices directive) require that objective claims be backed by evidence."
    ),
    fails=(
        "The best coffee in the world, right here.",
        "100% guaranteed to wake you up",
        "Our grinder never fails.",
        "Voted #1 in town",
    ),
    passes=(
        "Our customers rate this blend 4.8 out of 5.",
        "Best wishes to everyone starting a new job today!",
        "The first coffee shop in town to compost every cup.",
    ),
    phrases=(
        "best in the world",
        "best coffee in the world",
        "world's best",
        "world’s best",
        "best in the universe",
        "best ever",
        "best on the market",
        "best in town",
        "the best in the business",
        "number one",
        "no. 1",
        "#1",
        "100% guaranteed",
        "guaranteed results",
        "guaranteed to",
        "satisfaction guaranteed",
        "never fails",
        "never fail",
        "always works",
        "works every time",
        "risk-free",
        "risk free",
        "zero risk",
        "no risk",
        "unbeatable",
        "clinically proven",
        "scientifically proven",
        "proven to",
        "miracle cure",
        "works miracles",
        "cures",
        "100% safe",
        "100% effective",
        "completely safe",
        "no side effects",
        "lowest price",
        "lowest prices",
        "cheapest in",
        "nobody beats",
        "no one beats",
        "better than any",
    ),
    options=(
        Option("also", [], "phrases of your own to flag as well", type=list),
        Option(
            "allow",
            [],
            "phrases from the built-in list that are fine for this brand (one you can prove)",
            type=list,
        ),
    ),
)

# -- SL114 unfinished --------------------------------------------------------------------------

SL114 = Patterns(
    code="SL114",
    name="unfinished",
    summary="TODO, TBD, lorem ipsum, {name}, [link], XX%",
    level=Level.ERROR,
    message="Unfinished draft: {label} '{match}'",
    remedy="Fill in or remove the placeholder before publishing.",
    doc=(
        "Placeholders that go out ('{first_name}', '[link]', 'TODO', 'XX% off', lorem ipsum) "
        "are the clearest sign of a post nobody read before publishing. TODO/FIXME count only "
        "in capitals and followed by a colon or in brackets, because 'todo' is an everyday "
        "word in Spanish and Portuguese."
    ),
    fails=(
        "Hi {first_name}, our sale starts now!",
        "Read more: [link]",
        "TODO: add the date",
        "Our new menu is here TODO add link",
        "Save XX% this weekend",
        "Lorem ipsum dolor sit amet",
        "Opening on TBD at our new shop",
    ),
    passes=(
        "Our sale starts now, see [our menu](https://acme.example/menu).",
        "Hoy todo el equipo está en la feria.",
        "HOY TODO EL EQUIPO ESTÁ EN LA FERIA",
        "Sizes XS to XXL, all in stock.",
    ),
    patterns=(
        (
            "a to-do marker",
            # in capitals, before a colon, a bracket, a lower-case word or the end: "TODO add
            # link" is a note, "TODO EL EQUIPO" Spanish in capitals
            r"(?<!\w)(?:TODO|FIXME)(?=\s*[:(\]]|\s+[a-z]|\s*$)|\[(?:TODO|FIXME)[^\]\n]*\]"
            r"|(?<!\w)(?:TBD|TBC|TKTK)(?!\w)",
            "text",
        ),
        ("placeholder text", r"(?i)\blorem\s+ipsum\b", "text"),
        (
            "a template field",
            r"\{\{?\s*[A-Za-z_][\w.]*\s*\}\}?|%\([a-z_]+\)s|<<\s*\w+\s*>>",
            "text",
        ),
        (
            "a placeholder",
            r"(?i)\[(?:link|url|insert[^\]\n]{0,40}|name|first[ _]name|date|time|"
            r"price|image|photo|video|handle|hashtag|placeholder|add [^\]\n]{0,40}"
            r"|your [^\]\n]{0,40}"
            r"|x{2,})\](?!\()",
            "text",
        ),
        (
            "an unfilled figure",
            r"(?<![\w$€£])(?:[Xx]{2,}\s?%|[$€£]\s?[Xx]{2,}(?:[.,][Xx]{2})?"
            r"|[Xx]{1,2}:[Xx]{2}\s?(?:am|pm)?)(?!\w)",
            "text",
        ),
        ("a placeholder link", r"(?i)https?://(?:www\.)?example\.(?:com|org|net)\b[^\s]*", "text"),
    ),
)

RULES: tuple[Rule, ...] = (
    SL101,
    SL102,
    SL103,
    SL104,
    SL105,
    SL106,
    SL107,
    SL108,
    SL109,
    SL110,
    SL111,
    SL112,
    SL113,
    SL114,
)
RULES_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}

# The rules the audit's SA304 (publish-first-think-later) counts, per RULEBOOK.md: profanity or
# insults, shouting, runs of punctuation, misspellings.
SA304_CODES: tuple[str, ...] = ("SL101", "SL102", "SL103", "SL104")


def rules_markdown() -> str:
    """The rules' reference for docs/lint.md, built from the declarations above, so that the
    docs never disagree with the code (tests/test_lint.py checks the file against it)."""
    out = ["| code | name | level | catches |", "|---|---|---|---|"]
    for r in RULES:
        out.append(f"| {r.code} | {r.name} | {r.level} | {r.summary} |")
    for r in RULES:
        out += ["", *rule_doc(r).splitlines()]
    return "\n".join(out) + "\n"


def rule_doc(r: Rule) -> str:
    """One rule's reference (its section of docs/lint.md; `socialaudit explain SL104`)."""
    out = [
        f"### {r.code} {r.name}",
        "",
        f"Default level: {r.level}. {r.doc}",
        "",
        f"Remedy: {r.remedy}",
        "",
        "Flags:",
        "",
    ]
    out += [f"- `{_shown(t)}`" for t in r.fails]
    out += ["", "Leaves alone:", ""]
    out += [f"- `{_shown(t)}`" for t in r.passes]
    if r.example_settings:
        shown = ", ".join(f"{k} = {v!r}" for k, v in r.example_settings.items())
        out += ["", f"(Examples linted with {shown}.)"]
    out += ["", f"Options (`[lint.{r.code}]`):", ""]
    out.append('- `level` (default `"' + str(r.level) + '"`): suggestion, warning or error')
    for o in r.options:
        default = json.dumps(o.default)
        out.append(f"- `{o.name}` (default `{default}`): {o.reason}")
    return "\n".join(out) + "\n"


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 90 else text[:60] + f"… ({len(text)} characters)"
