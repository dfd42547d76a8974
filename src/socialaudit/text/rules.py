"""The `rules` backend: VADER's sentiment plus the hand-written lexicons, over whole Arrow arrays.

How each label is decided (the weights are named constants below; docs/text.md explains them):

* sentiment: VADER's compound score (`sentiment.py`); a complaint reads negative and praise
  positive whatever the score says, because a calm "my bag is still missing" is negative to the
  brand even when its words are not.
* complaint: the complaint cues add up with the negative sentiment; thanks and praise subtract.
  A strong cue ("worst", "still waiting", "never received") is a complaint on its own.
* question: a question mark, a message that opens with a question word or auxiliary, or a request
  phrase ("please help", "can you", "I need"); and a complaint written in a thread with the brand
  or addressed to it (a follow-up saying a fix did not work, a fault told to the care account):
  the care account is expected to go on helping. A rant that names the brand further on is not.
* praise: a standalone thanks (thanks and nothing else, whatever the sentiment), thanks or praise
  words in a positive message that is not a complaint, thanks for the brand's help, or word
  that the help worked beside a thanks; not the thanks that close a message of other content
  ("iPhone 6S, thanks") nor those that acknowledge a step ("Thanks! Will do.").
* intent: complaint > question > praise > other. Only messages that are not the brand's own get
  intent flags; the brand's own get a content type instead.
* content type (brand messages): the content lexicon with the highest weighted count wins, in the
  order of `lexicons.CONTENT_LEXICONS` on ties; a reply (or a message that opens with a @handle,
  addressed to someone) leans to care reply on a care account and to engagement elsewhere, and
  is told by that context alone when its language has no lexicons; nothing matched is `other`.

Everything runs with Arrow's RE2 kernels and numpy: one pass per lexicon over the batch, and a
second pass only over the texts whose label a lexicon decided, to list the cues that matched.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import model
from ..urls import LINK
from . import bytescan, language, sentiment
from . import lexicons as lx

NAME = "rules"
# Bump when the decision logic changes; lexicon edits change the version on their own (digest).
LOGIC_VERSION = "16"

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
# Where the caller gives no context (`is_reply` None: texts alone), a message that names no one
# (no @handle) is a public remark, not a message to a brand: mostly about life, sport or
# politics, whose words of anger ("terrible call", "dumb as fuck") complain to no one. It is a
# complaint from this much more score only (a fault told with several cues, a strong cue and a
# negative tone). A message the labelling stage reads is a mention, reply, comment or direct
# message to the brand whatever its words: there, context is given and this does not apply.
UNADDRESSED_EXTRA = 1.0
# A problem beside a plea for help ("I am unable to save my runs. Please help.") is a complaint
# whatever VADER reads into "please" and "help": the politeness terms are not counted then.
HELP_ASKED = (
    r"\b(?:please|pls|plz|kindly|can you|could you|can u|need|any)\s+(?:help|advi[cs]e|assist)\w*"
    r"|\bhelp\s*(?:me|us|please|pls|[!?])|#help\b"
)
PRAISE_AT = 0.3  # compound from which thanks or praise words make praise
HELP_THANKS_SARCASM_AT = -0.5  # thanks for the brand's help in a message this negative or worse
# Sentiment label: VADER's authors put "positive" at 0.05, but in messages to brands a mildly
# positive score is mostly politeness ("please", "thanks for checking"); 0.5 marks real warmth.
POSITIVE_AT = 0.5
NEGATIVE_AT = sentiment.NEGATIVE_AT
# A request or a message with words of a problem reads politer than it is: VADER counts
# "please", "help" and "thanks" as warmth ("Flight delayed, can you please help? Thank you" is
# 0.57). Such a message is positive from this score on only.
REQUEST_POSITIVE_AT = 0.7
# A message whose complaint score reaches this much short of a complaint (cues of a problem with
# no negative words: "still crickets from customer service") is negative unless it reads positive.
NEAR_COMPLAINT_AT = 0.7
REPLY_CARE = 2.0  # a reply of a care account is a care reply, unless it has more than two
# cues of another type (a reply announcing a giveaway's winner is like-bait)
REPLY_ENGAGE = 1.5  # a reply of an account that does not do care is conversation (engagement)
CHAT_REPLY_PERSONAL = 0.5  # what private-life cues weigh in such a reply
# A post that ends with a question (a few words may follow: "(no es un chiste)", a link).
ASKS_AT_THE_END = r"\?(?:\W*\w+){0,4}\W*$"
# A question and a link and nothing else (a dash or a colon between): the linked piece's title.
TITLE_QUESTION = r"^[^?]+\?\s*(?:[-–—:|]\s*)?http\s*$"
BANTER_HANDLES = 5  # a message naming this many handles is chatter in a crowd, not a request
# A title, a dash and a link at the end (hashtags and a "via @user" may follow): a shared link.
SHARED_LINK = r"\s(?:-|–|—|::|\||»)\s*http\s*(?:(?:#\w+|via @user|by @user|@user)\s*)*$"
SHARED_LINK_WEIGHT = 0.5
# An own post in the field's words alone (no cue of teaching) this negative or worse is a gripe.
GRIPE_AT = -0.5
COMPLAINT_HELP_WORKED = -1.0  # word that the fault is gone ("it's working now"): the story told
# before it is the problem that was solved
PRAISE_BESIDE_QUESTION_AT = 0.5  # praise words beside a question count from this compound on
# An inbound message addressed to the brand: it opens with a @handle, after a greeting at most
# ("Dear @Tesco, ..."); one that names the brand further on talks about it (a public rant).
ADDRESSED = (
    r"^[\s.,:]*(?:(?:dear|hi|hey|hello|hiya|yo|attn|attention|hola|buenas|buenos d[ií]as)"
    r"[\s,:!]+)?@user"
)
# What makes one contest word a giveaway on a person's account ("2 tickets to give away").
GIVES_AWAY = r"give\s?away|\bsorteo|\b(?:to|y) (?:win|gana)\b|\bwin (?:a|an|one|free|tickets)\b"
# The working day's tools and rooms (mail, chat, meetings, the office): an own post with no cue
# that names them is a joke or gripe about the work ("Good thing I checked my spam folder", an
# office rant), which docs/labelling.md puts in `other`, not the author's private life.
WORK_TOOLS = (
    r"\b(?:outlook|slack|google meet|zoom|jira|confluence|teams|inbox|spam folder|e-?mails?|"
    r"meetings?|standups?|stand-ups?|oficinas?|reuni[oó]n|reuniones|correo)\b"
)
# The caption of a meme: "When you ...", "Cuando ...", "POV:", a few words, the picture's link.
MEME_CAPTION = (
    r"^\W*(?:when you|when your|me when|that feeling when|cuando|pov:|mfw|tfw)"
    r"(?:\s+\S+){1,12}?\s+http\s*$"
)
PERSONAL_OFF_FIELD = 0.1  # breaks a tie of personal and field-less expertise for personal
PERSONAL_MIN_WORDS = 5  # an own post of this many words with no cue is the author's own matter
# A text in a language with no lexicons is read in English anyway when the detector is this
# unsure (a short or mixed text): most messages here are English, and an unsure guess should
# not make a label unknown.
READ_UNSURE_BELOW = 0.5
# Languages the detector gives Spanish and English sentences of these accounts, which are
# hardly ever written here: such a text is read in Spanish (English) whatever its length.
SPANISH_LOOKALIKES = frozenset({"gl", "eo", "ast", "oc"})
ENGLISH_LOOKALIKES = frozenset({"sco"})
# The confidence of a brand reply's type told from its context alone, its words unread.
BY_CONTEXT_CONFIDENCE = 0.5
# A thread's continuation with no cue of its own that takes the type of the post it continues.
THREAD_CONFIDENCE = 0.5
UNKNOWN = model.UNKNOWN_LABEL  # the intent or content type of a text no lexicon can read

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
    # (only the texts that hold "://" can hold a link, and only those with a "@" a handle)
    t = bytescan.replace_where(t, bytescan.rows_with(t, b"://"), LINK, "http")
    t = bytescan.replace_where(t, bytescan.rows_with_any(t, b"@"), r"@\w+", "@user")
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


# A regex pass over a subset of the texts reads them all when it leaves out this share or less:
# copying the subset out (a take, about 8 ns a text) costs more than reading the few texts
# left out (0.2 to 1 us a text), whose results are dropped.
WHOLE_BATCH_FROM = 0.99


def _subset(norm: pa.Array, idx: np.ndarray) -> tuple[pa.Array, np.ndarray | slice]:
    """The texts at idx (sorted, distinct) for a regex pass, and where their results are in
    the pass's output: the whole batch when idx is nearly all of it."""
    if len(idx) >= WHOLE_BATCH_FROM * len(norm):
        return norm, (slice(None) if len(idx) == len(norm) else idx)
    return norm.take(pa.array(idx)), slice(None)


def _count(
    norm: pa.Array, idx: np.ndarray, lex: lx.Lexicon | list[lx.Lexicon], n: int
) -> np.ndarray:
    """Matches of `lex` (of any of several) per text, counted only for the texts at `idx`."""
    out = np.zeros(n, dtype=np.int64)
    if len(idx):
        pattern = "|".join(x.pattern for x in lex) if isinstance(lex, list) else lex.pattern
        sub, pick = _subset(norm, idx)
        out[idx] = pc.count_substring_regex(sub, pattern).to_numpy(zero_copy_only=False)[pick]
    return out


def _matches(norm: pa.Array, idx: np.ndarray, lex: list[lx.Lexicon], n: int) -> np.ndarray:
    """Whether any of several lexicons matches, for the texts at `idx` (false elsewhere): RE2
    stops at the first match, where counting has to find every match's bounds."""
    out = np.zeros(n, dtype=bool)
    if len(idx):
        sub, pick = _subset(norm, idx)
        pattern = "|".join(x.pattern for x in lex)
        out[idx] = pc.match_substring_regex(sub, pattern).to_numpy(zero_copy_only=False)[pick]
    return out


def _matches_pattern(norm: pa.Array, pattern: str, scope: np.ndarray) -> np.ndarray:
    """Whether a regular expression matches, for the texts where scope holds (false elsewhere)."""
    out = np.zeros(len(norm), dtype=bool)
    idx = np.flatnonzero(scope)
    if len(idx):
        sub, pick = _subset(norm, idx)
        out[idx] = pc.match_substring_regex(sub, pattern).to_numpy(zero_copy_only=False)[pick]
    return out


def _escape(strings: pa.Array) -> pa.Array:
    """JSON string escaping for cue text (lexicon matches: no control characters but space)."""
    # RE2's \s is [\t\n\f\r ]: only a text with one of the four or two spaces running can change
    runs = bytescan.rows_with_any(strings, b"\t\n\f\r") | bytescan.rows_with(strings, b"  ")
    strings = bytescan.replace_where(strings, runs, r"\s+", " ")
    strings = pc.replace_substring(strings, "\\", "\\\\")
    return pc.replace_substring(strings, '"', '\\"')


def _json_list(
    norm: pa.Array,
    mask: np.ndarray,
    lexs: list[lx.Lexicon],
    key: str | None,
    known: list[_Known | None] | None = None,
) -> pa.Array:
    """`"key": ["cue", ...]`: the cues of `lexs` in each text where mask holds, null elsewhere
    (with `key` None, only the quoted cues: `"cue", ...`).

    Each match is wrapped in two marker characters by one replace (RE2 finds match bounds with
    its fast automaton when the rewrite needs no capture group), then everything outside the
    markers is cut away with three replaces of plain character classes. Extracting the cues one
    by one with capture groups is several times slower. `known`: what is known already of
    where each lexicon matches (`_Replacer`).
    """
    n = len(mask)
    idx = np.flatnonzero(mask)
    if not len(idx):
        return pa.nulls(n, pa.string())
    sub = norm if len(idx) == n else norm.take(pa.array(idx))
    seen = None if known is None else [None if k is None else (k[0][idx], k[1][idx]) for k in known]
    marked = _replace_union(sub, lexs, f"{_OPEN}\\0{_CLOSE}", seen)
    found, body = _cut_marked(marked)
    # Escaped once cut out: the cues are much shorter than the texts.
    body = pc.replace_substring(_escape(body), _BETWEEN, '", "')
    if key is None:
        body = pc.binary_join_element_wise('"', body, '"', "")
    else:
        body = pc.binary_join_element_wise(f'"{key}": ["', body, '"]', "")
    body = pc.if_else(pa.array(found), body, pa.nulls(len(idx), pa.string()))
    return _scatter(body, idx, n)


# What a pass has shown of where one lexicon matches: the texts it read, and those it matched.
_Known = tuple[np.ndarray, np.ndarray]
# Texts whose lexicons that match make a set shared by fewer texts than this are run together,
# with the lexicons that match any of them: a pass of its own costs an RE2 compilation.
SMALL_GROUP = 64
# Below this many texts one pass of all the lexicons is cheaper: each pass compiles its pattern
# and builds RE2's automaton anew, which outweighs the slower automaton on a few texts.
SPLIT_FROM = 2_000


def _replace_union(
    sub: pa.Array, lexs: list[lx.Lexicon], replacement: str, known: list[_Known | None] | None
) -> pa.Array:
    """`pc.replace_substring_regex(sub, <the lexicons' patterns joined by |>, replacement)`,
    each text run with only the lexicons that match it somewhere (`known[j]`: which texts a
    pass already read for lexicon j, and which of them it matched; the others are read here).

    The same result: the replace reads the whole text at each step (RE2::GlobalReplace) and
    takes, at the leftmost place where the pattern matches, the first alternative that
    matches there, so a lexicon that matches nowhere in a text is never taken in it. Several
    lexicons joined make RE2's automaton outgrow its memory (per text, a union of six is
    slower than its six lexicons run one by one); the lexicons found in a text are mostly one
    or two.
    """
    m = len(sub)
    if len(lexs) == 1 or m < SPLIT_FROM:
        return pc.replace_substring_regex(sub, "|".join(x.pattern for x in lexs), replacement)
    code = np.zeros(m, np.int64)
    for j, lex in enumerate(lexs):
        k = None if known is None else known[j]
        hit = np.zeros(m, bool) if k is None else k[1].copy()
        todo = np.arange(m) if k is None else np.flatnonzero(~k[0])
        if len(todo):
            part = sub if len(todo) == m else sub.take(pa.array(todo))
            hit[todo] = pc.match_substring_regex(part, lex.pattern).to_numpy(zero_copy_only=False)
        code |= hit.astype(np.int64) << j
    sets, which, sizes = np.unique(code, return_inverse=True, return_counts=True)
    small = (sizes < SMALL_GROUP) & (sets != 0)
    passes = [int(c) for c in sets[~small & (sets != 0)]]
    if small.any():  # (sets that share a pass are merged: more lexicons than each needs)
        merged = int(np.bitwise_or.reduce(sets[small]))
        code = np.where(small[which], merged, code)
        passes.append(merged)
    pieces = [sub]
    where = np.arange(m, dtype=np.int64)
    start = m
    for c in dict.fromkeys(passes):
        rows = np.flatnonzero(code == c)
        pattern = "|".join(x.pattern for j, x in enumerate(lexs) if c >> j & 1)
        pieces.append(pc.replace_substring_regex(sub.take(pa.array(rows)), pattern, replacement))
        where[rows] = start + np.arange(len(rows))
        start += len(rows)
    if len(pieces) == 1:
        return sub
    return pa.concat_arrays(pieces).take(pa.array(where))


def _cut_marked(marked: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Whether each text holds a marked cue, and its cues (the text between each _OPEN and the
    next _CLOSE) joined by _BETWEEN: what cutting away `^[^O]*O`, `C[^O]*O` (into _BETWEEN)
    and `C[^O]*$` with three regex passes gives, gathered from the bytes with numpy (the
    markers are single ASCII bytes, never nested, and the normalised texts hold none of their
    own, so the k-th _OPEN pairs with the k-th _CLOSE)."""
    n = len(marked)
    data, offsets = sentiment.utf8_bytes(marked)
    lo, hi = int(offsets[0]), int(offsets[-1])
    body = data[lo:hi]
    opens = np.flatnonzero(body == ord(_OPEN))
    closes = np.flatnonzero(body == ord(_CLOSE))
    rel = offsets - lo
    owner = np.searchsorted(rel, opens, side="right") - 1
    found = np.zeros(n, bool)
    found[owner] = True
    last = np.ones(len(opens), bool)  # the last cue of its text: no _BETWEEN after it
    last[:-1] = owner[1:] != owner[:-1]
    # each cue's bytes, and its _CLOSE (made a _BETWEEN) unless it is the last of its text
    size = closes - opens - last
    ends = np.cumsum(size)
    total = int(ends[-1]) if len(ends) else 0
    idx = np.arange(total, dtype=np.int64) + np.repeat(opens + 1 - (ends - size), size)
    out = body[idx]
    out[ends[~last] - 1] = ord(_BETWEEN)
    lengths = np.bincount(owner, weights=size, minlength=n).astype(np.int64)
    new_offsets = np.zeros(n + 1, np.int32)
    np.cumsum(lengths, out=new_offsets[1:])
    cut = pa.Array.from_buffers(
        pa.string(), n, [None, pa.py_buffer(new_offsets), pa.py_buffer(out.tobytes())]
    )
    return found, cut


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


def sentiment_label(
    score: np.ndarray,
    complaint: np.ndarray,
    praise: np.ndarray,
    request: np.ndarray | bool = False,
    near_complaint: np.ndarray | bool = False,
) -> np.ndarray:
    """negative / neutral / positive: complaints are negative, praise positive, else the score;
    a `request` (a question, or words of a problem) is positive from REQUEST_POSITIVE_AT only,
    and a `near_complaint` (complaint cues short of a complaint) that is not positive is
    negative. A caller that overrides the rules' intent (a fix by hand, a trained model) passes
    what the rules read: their question or complaint as a request, their complaint as near one."""
    positive_at = np.where(request, REQUEST_POSITIVE_AT, POSITIVE_AT)
    base = np.where(
        score >= positive_at, "positive", np.where(score <= NEGATIVE_AT, "negative", "neutral")
    )
    base = np.where(near_complaint & (base != "positive"), "negative", base)
    return np.where(complaint, "negative", np.where(praise, "positive", base))


def _language_masks(
    lang: np.ndarray, lang_conf: np.ndarray, letters: np.ndarray
) -> dict[str, np.ndarray]:
    """Which texts each lexicon language reads, and which no lexicon can: a text in a language
    with no lexicons is unreadable when the detector is sure of it and the text long enough to
    tell; a short one is read in Spanish when taken for a language near it, else in English (the
    language most messages here are in), and so is one with no words to judge (`und`)."""
    other = ~np.isin(lang, (*language.LEXICON_LANGUAGES, language.UNDETERMINED))
    short = letters < language.SURE_LETTERS
    # (a few small languages the detector names for a plain Spanish or English sentence are
    # read in that language at any length: "Las peculiaridades de la plataforma son estas" is
    # taken for Esperanto, "I wonder what Microsoft's Slack bill looks like" for Scots)
    like_es = np.isin(lang, list(SPANISH_LOOKALIKES))
    like_en = np.isin(lang, list(ENGLISH_LOOKALIKES))
    unreadable = other & (lang_conf >= READ_UNSURE_BELOW) & ~short & ~like_es & ~like_en
    es = (lang == "es") | like_es | (other & short & np.isin(lang, list(language.NEAR_SPANISH)))
    return {"en": ~es & ~unreadable, "es": es, "unreadable": unreadable}


class _Counter:
    """Counts a lexicon's matches per text, each text with its own language's twin.

    It keeps, for each lexicon counted alone, which texts it read and which it matched
    (`known`), so that the cue passes need not read them again to tell which lexicons a text
    holds (`_replace_union`)."""

    def __init__(
        self,
        norm: pa.Array,
        masks: dict[str, np.ndarray],
        known: dict[tuple[str, str], _Known] | None = None,
    ) -> None:
        self.norm, self.masks, self.n = norm, masks, len(norm)
        self.known: dict[tuple[str, str], _Known] = {} if known is None else dict(known)

    def _learn(self, name: str, lang: str, scope: np.ndarray, hit: np.ndarray) -> None:
        read, matched = self.known.get((name, lang), (np.zeros(self.n, bool),) * 2)
        self.known[(name, lang)] = (read | scope, np.where(scope, hit, matched))

    def known_outside(self, rows: np.ndarray) -> dict[tuple[str, str], _Known]:
        """What is known, less the texts at `rows` (a twin of `norm` that differs there)."""
        keep = np.ones(self.n, bool)
        keep[rows] = False
        return {k: (read & keep, hit & keep) for k, (read, hit) in self.known.items()}

    def __call__(self, names: str | list[str], scope: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n, dtype=np.int64)
        for lang in language.LEXICON_LANGUAGES:
            lexs = [
                lx.lexicon_for(name, lang)
                for name in ([names] if isinstance(names, str) else names)
            ]
            found = [x for x in lexs if x is not None]
            if found:
                part = scope & self.masks[lang]
                got = _count(self.norm, np.flatnonzero(part), found, self.n)
                if isinstance(names, str):
                    self._learn(names, lang, part, got > 0)
                out += got
        return out

    def matches(self, names: list[str], scope: np.ndarray) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        for lang in language.LEXICON_LANGUAGES:
            found = [x for x in (lx.lexicon_for(nm, lang) for nm in names) if x is not None]
            if found:
                part = scope & self.masks[lang]
                got = _matches(self.norm, np.flatnonzero(part), found, self.n)
                if len(names) == 1:
                    self._learn(names[0], lang, part, got)
                out |= got
        return out

    def _found(self, names: list[str], lang: str) -> tuple[list[lx.Lexicon], list[_Known | None]]:
        """The named lexicons that `lang` has, and what is known of where each matches."""
        pairs = [(nm, lx.lexicon_for(nm, lang)) for nm in names]
        found = [(nm, x) for nm, x in pairs if x is not None]
        return [x for _, x in found], [self.known.get((nm, lang)) for nm, _ in found]

    def cues(self, names: list[str], mask: np.ndarray, key: str) -> pa.Array:
        """`"key": [...]` of the cues of the named lexicons where mask holds (null elsewhere)."""
        out = pa.nulls(self.n, pa.string())
        for lang in language.LEXICON_LANGUAGES:
            found, known = self._found(names, lang)
            part_mask = mask & self.masks[lang]
            if found and part_mask.any():
                part = _json_list(self.norm, part_mask, found, key, known)
                out = pc.if_else(pa.array(part_mask), part, out)
        return out

    def cues_in_groups(
        self, groups: list[tuple[list[str], np.ndarray]], mask: np.ndarray, key: str
    ) -> pa.Array:
        """`"key": [...]` as `cues` does, the cues of each group of lexicons found in a pass of
        its own (over the texts where the group's mask says one of them matched) and listed
        group after group: one pattern of too many lexicons makes RE2's automaton outgrow its
        memory and fall back to a much slower matcher."""
        out = pa.nulls(self.n, pa.string())
        for lang in language.LEXICON_LANGUAGES:
            part_mask = mask & self.masks[lang]
            if not part_mask.any():
                continue
            bodies = []
            for names, matched in groups:
                found, known = self._found(names, lang)
                if found and (part_mask & matched).any():
                    bodies.append(_json_list(self.norm, part_mask & matched, found, None, known))
            if not bodies:
                continue
            body = bodies[0]
            for more in bodies[1:]:
                # both groups' cues, else whichever group found some (null: neither)
                body = pc.coalesce(pc.binary_join_element_wise(body, more, ", "), body, more)
            part = pc.binary_join_element_wise(f'"{key}": [', body, "]", "")
            out = pc.if_else(pa.array(part_mask), part, out)
        return out


def _blank(norm: pa.Array, idx: np.ndarray, count: _Counter, name: str) -> pa.Array:
    """`norm` with the matches of lexicon `name` (each text in its language) made spaces, for
    the texts at idx; the others as they are."""
    out = norm
    for lang in language.LEXICON_LANGUAGES:
        lex = lx.lexicon_for(name, lang)
        at = np.intersect1d(idx, np.flatnonzero(count.masks[lang]))
        if lex is None or not len(at):
            continue
        sub = out.take(pa.array(at))
        hit = pc.match_substring_regex(sub, lex.pattern).to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        blanked = pc.replace_substring_regex(sub.filter(pa.array(hit)), lex.pattern, " ")
        where = np.full(len(out), -1, dtype=np.int64)
        where[at[hit]] = np.arange(int(hit.sum()))
        taker = pa.array(where, mask=where < 0)
        out = pc.if_else(pa.array(where >= 0), blanked.take(taker), out)
    return out


# What makes a thanks after words of one's own no praise even when it is warm: details given (a
# version, an order number), a word that acknowledges or hedges ("oh okay! thanks!", "Let's
# hope!! Thanks.", "I mean when I log out, thanks!"), a wish, or thanks that expect nothing more.
NOT_WARM_CLOSE = (
    r"\d|\b(?:ok|okay|k|understood|noted|hope|hoping|hopefully|would|i\s+mean|will\s+have\s+to|"
    r"anyway|anyways|request|requested|submitted|labell?ed|crap|bah|meh|ugh)\b"
)


# A loyal user's contentment beside a problem ("had it since the start and this is my only
# issue", "first problem I've ever had"): praise of the product (docs/labelling.md, fifth round).
LOYAL_CONTENT = (
    r"\b(?:(?:this|it|that)(?:'s|\s+is|\s+has\s+been|\s+was)\s+(?:my|the)\s+(?:only|first)\s+"
    r"(?:real\s+)?(?:issue|problem|complaint|gripe)|(?:only|first)\s+(?:real\s+)?(?:issue|"
    r"problem|complaint|gripe)\s+(?:i(?:'ve|\s+have)?\s+(?:ever\s+)?had|i've\s+ever|ever))\b"
)

# Laughing or clapping emoji and nothing else at the brand's answer are a reaction of delight:
# praise, like hearts (docs/labelling.md, fifth round; a bare "haha" or an OK sign is not).
REACTION_ONLY = (
    r"^(?:@user|\s|[😂🤣😆😹👏🙌\x{1F3FB}-\x{1F3FF}\x{FE0F}])*[😂🤣😆😹👏🙌]"
    r"(?:\s|[😂🤣😆😹👏🙌!.\x{1F3FB}-\x{1F3FF}\x{FE0F}])*$"
)


def _thanks_rest(
    norm: pa.Array, mask: np.ndarray, count: _Counter
) -> tuple[np.ndarray, np.ndarray]:
    """For the texts where mask holds: how many words are left once the handles, the thanks,
    the words that go with them ("so much", "again", "guys") and words of praise ("Brilliant,
    thank you!", "Sweet, thanks") are taken out, and whether the text opens with its thanks."""
    n = len(norm)
    rest = np.full(n, 99, dtype=np.int64)
    first = np.zeros(n, dtype=bool)
    for lang in language.LEXICON_LANGUAGES:
        at = np.flatnonzero(mask & count.masks[lang])
        thanks = lx.lexicon_for("thanks", lang)
        filler = lx.lexicon_for("thanks_filler", lang)
        praise = lx.lexicon_for("praise", lang)
        if not len(at) or thanks is None or filler is None or praise is None:
            continue
        sub = norm.take(pa.array(at))
        left = pc.replace_substring_regex(
            sub, f"{thanks.pattern}|{filler.pattern}|{praise.pattern}", " "
        )
        rest[at] = pc.count_substring_regex(left, r"\pL\pL+|\b[a-z]\b").to_numpy(
            zero_copy_only=False
        )
        # (after handles, punctuation and the words that go with a thanks: "oooh thanks",
        # "wow, thank you guys", "jajaja gracias")
        opens = rf"^(?:@user|[^\pL@]+|{filler.pattern})*{thanks.pattern}"
        first[at] = pc.match_substring_regex(sub, opens).to_numpy(zero_copy_only=False)
    return rest, first


def _squash(x: np.ndarray) -> np.ndarray:
    """A margin (0 = on the line) as a confidence between 0.5 and 1."""
    return 0.5 + 0.5 * (1.0 - np.exp(-np.maximum(x, 0.0)))


def label(
    texts: pa.Array,
    from_brand: np.ndarray,
    is_reply: np.ndarray | None = None,
    care_account: np.ndarray | None = None,
    thread_type: np.ndarray | None = None,
    media: np.ndarray | None = None,
) -> pa.Table:
    """Label a batch; `from_brand` is a bool array of the same length. `is_reply`: the message
    answers someone (default: it opens with a @handle); `care_account`: the brand account that
    wrote it answers customers (default: true, so a brand's reply is a care reply);
    `thread_type`: for a post continuing its author's own thread, the content type of the post
    it continues (None elsewhere); `media`: the post is a photo or video with its caption.
    Returns the label columns (less backend and version)."""
    n = len(texts)
    texts = pc.fill_null(texts.cast(pa.string()), "")
    norm = normalise(texts)
    score = sentiment.compound(texts)
    words_only = language.words_only(texts)
    lang, lang_conf, letters = language.detect_words(words_only)
    masks = _language_masks(lang, lang_conf, letters)
    readable = ~masks["unreadable"]
    count = _Counter(norm, masks)
    inbound = ~from_brand & readable
    brand = from_brand & readable
    opens_with_handle = pc.match_substring_regex(norm, r"^\s*@user").to_numpy(zero_copy_only=False)
    no_context = is_reply is None
    # A brand message that opens with a @handle is addressed to that person whatever its kind
    # (a Mastodon mention, an old tweet with no reply link): for its content type, a reply.
    is_reply = opens_with_handle | (False if is_reply is None else np.asarray(is_reply, bool))
    care_account = np.ones(n, bool) if care_account is None else np.asarray(care_account, bool)

    # -- inbound intent -------------------------------------------------------------------------
    # (`complaint_report` is counted beside `complaint`, with its weight: one pattern of both
    # made RE2's automaton too large to stay fast)
    complaint_names = [
        "sarcasm",
        "complaint_strong",
        "complaint",
        "complaint_report",
        "complaint_weak",
        "complaint_fault",  # (a fault described: a strong cue, counted in a pass of its own)
    ]
    c_counts = [count(name, inbound) for name in complaint_names]
    # Complaint cues are counted with the idioms that negate them blanked ("no problem"): only
    # the texts with a cue and an idiom are counted again.
    idiom = count.matches(["not_complaint"], inbound & (sum(c_counts) > 0))
    norm_c = _blank(norm, np.flatnonzero(idiom), count, "not_complaint") if idiom.any() else norm
    count_c = _Counter(norm_c, masks, count.known_outside(np.flatnonzero(idiom)))
    if idiom.any():
        c_counts = [
            np.where(idiom, count_c(nm, idiom), k)
            for nm, k in zip(complaint_names, c_counts, strict=True)
        ]
    any_cue = sum(c_counts) > 0
    weights = [lx.ALL_LEXICONS[name].weight for name in complaint_names]
    ack = count.matches(["acknowledgement"], inbound)
    thanks_words = count("thanks", inbound)
    praise_count = count("praise", inbound)
    not_praise = count("not_praise", inbound & ((thanks_words > 0) | (praise_count > 0)))
    praise_words = np.maximum(praise_count - not_praise, 0)
    thanks = np.maximum(thanks_words + praise_count - not_praise, 0)
    # Help that worked matters beside a thanks (praise) or a complaint cue (it takes one back).
    thanks_for_help = count("thanks_for_help", inbound)
    worked = count("help_worked", inbound & ((thanks_words > 0) | any_cue))
    help_failed = count("help_failed", inbound & ((thanks_for_help > 0) | (worked > 0)))
    help_worked = worked > help_failed
    strong_cues = c_counts[0] + c_counts[1] + c_counts[2] + c_counts[3] + c_counts[5]
    pleads = _matches_pattern(norm, HELP_ASKED, inbound & (strong_cues > 0) & ~help_worked)
    # A fault told flatly in a thread with the brand reads cheerful to VADER as often as not
    # ("it plays the next song on its own"): there a positive score takes nothing off.
    told = inbound & is_reply & (c_counts[3] + c_counts[5] > 0) & ~help_worked
    c_score = (
        sum(w * np.minimum(k, CUE_CAP) for w, k in zip(weights, c_counts, strict=True))
        + np.where(score <= -0.5, COMPLAINT_VERY_NEGATIVE, 0.0)
        + np.where((score > -0.5) & (score <= NEGATIVE_AT), COMPLAINT_NEGATIVE, 0.0)
        + np.where((score >= 0.5) & ~pleads & ~told, COMPLAINT_POSITIVE, 0.0)
        + np.where(pleads, 0.0, COMPLAINT_THANKS * np.minimum(thanks, 2))
        + np.where(help_worked, COMPLAINT_HELP_WORKED, 0.0)
    )
    # (the cues of the lexicons but complaint_report and complaint_fault)
    other_cues = sum(c_counts) - c_counts[3] - c_counts[5]
    handles = bytescan.count_literal(norm, b"@user")
    unaddressed = no_context & (handles == 0)
    is_complaint = (
        inbound & any_cue & (c_score >= COMPLAINT_AT + np.where(unaddressed, UNADDRESSED_EXTRA, 0))
    )
    # A weak cue alone ("no", "still") needs a negative message to make a complaint, and is none
    # beside an acknowledgement ("No I have not, but I will try that now").
    is_complaint &= (strong_cues > 0) | (score <= NEGATIVE_AT) & ~ack
    banter = handles >= BANTER_HANDLES  # a crowd of handles: chatter between people, not a request
    asked = count.matches(["question"], inbound & ~banter)
    # request words that ask nothing ("thanks for the help") take one back
    not_asked = count("not_question", asked)
    taken = not_asked > 0
    if taken.any():
        asked &= ~taken | (count("question", taken) > not_asked)
    is_question = asked | count.matches(
        ["question_start", "question_care"], inbound & ~banter & ~asked
    )
    # A reply that cannot take the brand's step ("I don't have a receipt") still needs help.
    is_question |= count.matches(["cannot_follow"], inbound & ~banter & is_reply & ~is_question)
    # Thanks and nothing else ("Thank you so much!", "thx :)") are praise whatever VADER says;
    # thanks that close a message of other content ("iPhone 6S. Thanks") are politeness.
    has_thanks = inbound & (thanks_words > 0)
    rest_words, thanks_first = _thanks_rest(norm, has_thanks, count)
    standalone = has_thanks & ((rest_words == 0) | (thanks_first & (rest_words <= 1)))
    closing = has_thanks & (praise_words == 0) & ~thanks_first & ~standalone
    # Thanks that say what for ("thank you for the new playlist") are not a closing formula,
    # unless they are for the reply to a fault ("It keeps crashing. Thanks for the reply.").
    reply_thanks = count("thanks_for_reply", has_thanks)  # (none without a thanks)
    for_what = count("thanks_for", has_thanks) - np.where(any_cue, reply_thanks, 0)
    closing &= for_what <= 0
    # ... but warm thanks after a few words of one's own, with no details given, nothing asked,
    # complained of or acknowledged ("Ah, I see it now, I never looked in settings. Thanks!"),
    # thank the brand for its answer
    warm_close = closing & ~ack & (score >= PRAISE_BESIDE_QUESTION_AT)
    warm_close &= pc.match_substring(norm, "!").to_numpy(zero_copy_only=False)
    warm_close &= ~_matches_pattern(norm, NOT_WARM_CLOSE, warm_close)
    closing &= ~warm_close
    is_praise = inbound & (thanks > 0) & (score >= PRAISE_AT) & ~(ack & (thanks <= 1)) & ~closing
    is_praise |= standalone & ~ack
    # Two words of praise or more with no word of complaint are praise even where VADER reads
    # a negation ("Fab customer service, shoes exchanged with no fuss").
    is_praise |= inbound & (praise_words >= 2) & ~any_cue & (score > NEGATIVE_AT - 0.5)
    # Thanks that close a request or complaint are politeness; praise beside a question counts
    # when it is more than one cue or warm praise of something ("which is lovely"), beside a
    # complaint only when it is explicit appreciation of the help ("appreciate your assistance").
    warm_words = (praise_words > 0) & (score >= PRAISE_BESIDE_QUESTION_AT) & ~ack
    warm_words &= c_counts[0] == 0  # not beside sarcasm ("love how it crashes")
    is_praise &= ~is_question | (thanks >= 2) | warm_words
    is_praise &= ~is_complaint | (thanks_words > 0) & (thanks >= 2)
    # Thanks for what the brand did, or word that its help worked, are sincere thanks beside a
    # question or a complaint and in a story that reads negative (the problem it solved); only
    # a clearly negative message's thanks may be sarcasm. Thanks for an answer are praise only
    # where nothing is asked or complained of, and not beside an acknowledgement.
    helped = thanks_for_help > help_failed
    helped |= help_worked & (thanks_words > 0)
    answered = (reply_thanks > 0) & ~is_question & ~is_complaint & ~ack
    answered &= ~any_cue  # beside a fault told, thanks for the reply are politeness
    # thanks that the idioms took back lead into an objection ("Appreciate the reply, but ...")
    taken_back = (not_praise > 0) & (thanks == 0)
    # ... unless what follows is the fix found alone: "thanks PK, but I figured it out" thanks
    # the agent for trying (a standalone thanks)
    taken_back &= ~(help_worked & (thanks_words > 0) & ~is_question & ~is_complaint)
    helped &= ~taken_back
    answered &= ~taken_back
    warm_praise = is_praise.copy()  # praise that the sentiment agrees with
    is_praise |= inbound & (helped | answered) & (score > HELP_THANKS_SARCASM_AT)
    # Praise said to the brand itself ("you guys are amazing", "sois los mejores") is praise
    # beside an acknowledgement, a question or a complaint, unless the message reads negative
    # or sarcastic ("you guys are great at losing bags" reads as sarcasm to the cues).
    praise_you = count("praise_you", inbound & (praise_words > 0))
    is_praise |= inbound & (praise_you > 0) & (score > NEGATIVE_AT) & (c_counts[0] == 0)
    loyal = _matches_pattern(norm, LOYAL_CONTENT, inbound & (c_counts[0] == 0))
    is_praise |= loyal & (score > HELP_THANKS_SARCASM_AT)
    is_praise |= _matches_pattern(norm, REACTION_ONLY, inbound)
    # Word that the fault is gone, told with an exclamation and nothing else asked or complained
    # of ("cleared the cookies and it worked!"), is good news a brand likes even with no thanks;
    # told flatly ("It works again.") it only closes the thread.
    exclaims = pc.match_substring(norm, "!").to_numpy(zero_copy_only=False)
    news = inbound & exclaims & ~is_question & ~is_complaint & ~ack & (c_counts[0] == 0)
    news &= score > NEGATIVE_AT
    news_worked = count("help_worked", news) > count("help_failed", news)
    is_praise |= news & (help_worked | news_worked)
    # A complaint told in a thread with the brand, or addressed to it, asks the care account to
    # go on helping: a question as well ("Tried that, still not working").
    follow_up = inbound & is_complaint & ~is_question & ~banter
    # not in a thread: is it addressed to the brand?
    addressed = _matches_pattern(norm, ADDRESSED, follow_up & ~is_reply)
    follow_up &= is_reply | addressed
    is_question |= follow_up
    intent = np.where(
        is_complaint,
        "complaint",
        np.where(is_question, "question", np.where(is_praise, "praise", "other")),
    )
    # Thanks for help in a story of a problem make praise, but not a positive message.
    # Thanks that close a message which asks nothing and complains of nothing ("Got it
    # covered. Thanks!") are no praise to answer, but they are warm: positive from PRAISE_AT.
    warm_thanks = inbound & (thanks > 0) & (score >= PRAISE_AT) & ~is_question & ~is_complaint
    polarity = sentiment_label(
        score,
        is_complaint,
        (warm_praise | warm_thanks) & ~is_complaint,
        request=is_question | any_cue,
        near_complaint=any_cue & (c_score >= NEAR_COMPLAINT_AT),
    )
    q_conf = np.where(bytescan.rows_with_any(norm, b"?"), 0.9, 0.7)
    c_conf = _squash(c_score - COMPLAINT_AT + 0.5)
    other_conf = np.where(any_cue | (thanks > 0), _squash(COMPLAINT_AT - c_score), 0.8)
    inbound_conf = np.where(
        is_complaint,
        c_conf,
        np.where(is_question, q_conf, np.where(is_praise, _squash(thanks * 0.7), other_conf)),
    )

    # -- brand content type ---------------------------------------------------------------------
    names = list(lx.CONTENT_LEXICONS)
    care = names.index("care_reply")
    engage = names.index("engagement")
    expert = names.index("expertise")
    personal = names.index("personal")
    announce = names.index("announcement")
    promo = names.index("promotion")
    content = np.full(n, None, dtype=object)
    chosen = np.full(n, -1)
    content_conf = np.zeros(n)
    default_personal = np.zeros(n, bool)
    gripe = np.zeros(n, bool)
    meme = np.zeros(n, bool)
    shared = np.zeros(n, bool)
    counts_expert = np.zeros(n, np.int64)
    only_first_person = np.zeros(n, bool)
    if brand.any():
        counts = [count(name, brand) for name in names]
        weighted = np.stack(
            [
                np.minimum(k, CUE_CAP) * lx.CONTENT_LEXICONS[name].weight
                for k, name in zip(counts, names, strict=True)
            ]
        ).astype(np.float64)
        counts_expert = counts[expert] + count("field", brand)
        field_terms = np.minimum(count("field", brand), CUE_CAP)
        weighted[expert] += field_terms * lx.FIELD.weight
        # The field's words say what a post is about, not what it does: news of the field (a
        # library's release, a colleague hired to build a tool) is as much about it as a lesson.
        # Beside an announcement cue they count for both, and the types' own cues decide.
        weighted[announce] += np.where(counts[announce] > 0, field_terms * lx.FIELD.weight, 0.0)
        # Likewise beside a question put to the readers ("¿cuántos ingenieros de datos hacen
        # falta para leer un archivo de S3?"): a post about the field that asks, not teaches.
        # (a question left open at the end: laughter or a greeting beside the field's words asks
        # nothing, and "¿Y para imprimir? Pues la API de CARTO" answers its own question)
        asks = (counts[engage] > 0) & (counts[expert] == 0)
        asks &= _matches_pattern(norm, ASKS_AT_THE_END, brand)
        # But an own post that is only a question and a link ("What do ES6 modules export?
        # http") gives the linked piece's title: a resource of the field shared, which asks
        # the followers nothing (a question with words of its own after it still asks).
        titled = ~is_reply & (field_terms > 0) & asks
        titled &= _matches_pattern(norm, TITLE_QUESTION, titled)
        asks &= ~titled
        weighted[engage] = np.where(titled, 0.0, weighted[engage])
        weighted[engage] += np.where(asks, field_terms * lx.FIELD.weight, 0.0)
        weighted[personal] += np.minimum(count("first_person", brand), CUE_CAP) * 0.4
        # On a person's account, promotion's words count only beside a call to buy or an offer.
        person = brand & ~care_account
        no_call = person & (count("call_to_buy", person & (counts[promo] > 0)) == 0)
        weighted[promo] = np.where(no_call, 0.0, weighted[promo])
        # Likewise a contest's words: one alone ("stage winners", "a prize-winning novel") is a
        # person telling of something, unless it gives something away or says what to win.
        bait = names.index("like_bait")
        lone = person & (counts[bait] == 1)
        lone &= ~_matches_pattern(norm, GIVES_AWAY, lone)
        weighted[bait] = np.where(lone, 0.0, weighted[bait])
        own_post = brand & ~is_reply
        weighted[announce] += np.minimum(count("event_date", own_post), CUE_CAP) * (
            lx.EVENT_DATE.weight
        )
        # A title and a link after a dash ("Debugging Sass with Source Maps - http"), the way a
        # share button writes a link: a resource shared for what its title says it teaches,
        # unless a cue says otherwise (docs/labelling.md: "a useful resource shared").
        shared = brand & ~is_reply & _matches_pattern(norm, SHARED_LINK, brand)
        weighted[expert] += np.where(shared, SHARED_LINK_WEIGHT, 0.0)
        care_reply = is_reply & care_account
        chat_reply = is_reply & ~care_account
        weighted[care] += np.where(care_reply, REPLY_CARE, 0.0)
        # A care cue in a reply of an account that does not do care: its author answering his
        # own users (care) or chatting (engagement, the default for its replies).
        weighted[care] *= np.where(chat_reply, 0.6, 1.0)
        weighted[engage] += np.where(chat_reply, REPLY_ENGAGE, 0.0)
        # Laughter talks with someone only in a reply; in an own post it is only a tone.
        laughs = np.minimum(count("laughter", brand & is_reply), CUE_CAP)
        weighted[engage] += laughs * lx.LAUGHTER.weight
        # (agreement likewise: "exactly" answers someone only in a reply)
        agrees = np.minimum(count("agreement", brand & is_reply), CUE_CAP)
        weighted[engage] += agrees * lx.AGREEMENT.weight
        # A conversational reply is engagement whatever its topic (docs/labelling.md): private
        # life told to someone (bikes, a last job) is talk with them, not a personal post.
        weighted[personal] *= np.where(chat_reply, CHAT_REPLY_PERSONAL, 1.0)
        # On a person's account, words of teaching with no word of the field ("learned from
        # previous mistakes", "how to") beside a cue of private life (a race, a daughter's game):
        # the private life is the topic, and on a tie it wins over expertise. (A business's tip
        # about coffee is about its own products: there the tie stays expertise's.)
        off_field = person & (field_terms == 0) & (counts[personal] > 0) & (counts[expert] > 0)
        weighted[personal] += np.where(off_field, PERSONAL_OFF_FIELD, 0.0)
        best = np.argmax(weighted, axis=0)  # the first of equal scores: the dictionary's order
        top = np.sort(weighted, axis=0)
        margin = top[-1] - top[-2]
        chosen = np.where(brand & (weighted.max(axis=0) > 0), best, -1)
        # An own post in the field's words with no cue of teaching that reads clearly negative is
        # a gripe about the field or its tools, which docs/labelling.md puts in `other`: it
        # (read in English only: VADER's lexicon is English, and a Spanish "sin esto no podría
        # programar" is praise to a reader but negative to VADER)
        # teaches nothing and is not private life.
        gripe = (
            brand
            & masks["en"]
            & (chosen == expert)
            & (counts[expert] == 0)
            & ~is_reply
            & (score <= GRIPE_AT)
        )
        chosen = np.where(gripe, -1, chosen)
        # Nothing matched: an own post of some length is the author's own matter (personal);
        # a bare link, an emoji or a word or two cannot be told (other).
        words = np.zeros(n, dtype=np.int64)  # counted for the brand's posts only: a regex pass
        at = np.flatnonzero(brand)
        words[at] = pc.count_substring_regex(words_only.take(pa.array(at)), r"\pL{2,}").to_numpy(
            zero_copy_only=False
        )
        # (on an account that does care, a business, an uncued post is not its private life)
        # A photo or video posted with a caption (an Instagram post) is not a bare post: the
        # picture is its content, and with no cue it is the author's own matter however short
        # the caption ("Sunday 🌞").
        on_media = np.zeros(n, bool) if media is None else np.asarray(media, bool)
        # A meme's caption to a picture ("Cuando pasas de IC a manager http", "When you parse
        # the docs ✨ http") is a joke whose point is in the picture: a joke about the field or
        # its work teaches nothing (other, docs/labelling.md), and one with no cue cannot be told.
        meme = brand & ~is_reply & ~on_media & ((chosen == expert) | (chosen < 0))
        meme = _matches_pattern(norm, MEME_CAPTION, meme)
        chosen = np.where(meme, -1, chosen)
        default_personal = (
            brand
            & (chosen < 0)
            & ~gripe
            & ~meme
            & ~is_reply
            & ~care_account
            & ((words >= PERSONAL_MIN_WORDS) | on_media & (words >= 1))
        )
        # (one that names the working day's tools is about the work: other)
        work = _matches_pattern(norm, WORK_TOOLS, default_personal)
        default_personal &= ~work
        chosen = np.where(default_personal, personal, chosen)
        # personal on "I"/"my" alone: a hint weaker than the thread a post continues
        only_first_person = (chosen == personal) & (counts[personal] == 0) & ~default_personal
        # (and, like an uncued post, one that names the working day's tools is about the work:
        # "I wonder what Microsoft's Slack bill looks like" is other)
        work_mine = _matches_pattern(norm, WORK_TOOLS, only_first_person & ~is_reply)
        chosen = np.where(work_mine, -1, chosen)
        only_first_person &= ~work_mine
        # "I"/"my" alone in a caption of a few words ("my solo side project http", "Mi proyecto
        # personal http") says whose the link is, not what it is about: like an uncued post of
        # that length, it cannot be told (other), unless a picture is its content.
        short_mine = only_first_person & ~is_reply & ~on_media & (words < PERSONAL_MIN_WORDS)
        short_mine &= pc.match_substring(norm, "http").to_numpy(zero_copy_only=False)
        chosen = np.where(short_mine, -1, chosen)
        only_first_person &= ~short_mine
        labels = np.array(names, dtype=object)
        content = np.where(
            from_brand,
            np.where(chosen >= 0, labels[np.maximum(chosen, 0)], "other"),
            np.array(None, dtype=object),
        )
        content_conf = np.where(chosen >= 0, _squash(margin * 1.2), np.where(words <= 2, 0.7, 0.5))
        content_conf = np.where(default_personal | gripe | meme, 0.4, content_conf)

    unreadable = masks["unreadable"]
    # A post that continues its author's own thread ("Por aquí más info => http", "Context:
    # http") is read with the thread: with no cue of its own (nothing matched, or only the
    # uncued own-post default) it takes the type of the post it continues.
    continues = np.zeros(n, bool)
    if thread_type is not None:
        inherited = np.asarray(thread_type, dtype=object)
        known_type = np.isin(inherited, np.array(names, dtype=object))
        continues = (
            from_brand
            & ~is_reply
            & known_type
            & ((chosen < 0) | default_personal | only_first_person)
        )
        continues &= ~gripe & ~meme
        content = np.where(continues, inherited, content)
        content_conf = np.where(continues, THREAD_CONFIDENCE, content_conf)
        default_personal &= ~continues
    # A brand's reply in a language with no lexicons is told by its context alone: a care
    # account's reply answers a customer, another account's talks with someone. Only its own
    # posts, whose type only their words say, are unknown.
    by_context = unreadable & from_brand & is_reply & ~continues
    intent = np.where(unreadable & ~from_brand, UNKNOWN, intent)
    content = np.where(
        unreadable & from_brand & ~continues,
        np.where(by_context, np.where(care_account, "care_reply", "engagement"), UNKNOWN),
        content,
    )
    confidence = np.where(from_brand, content_conf, inbound_conf)
    confidence = np.where(
        unreadable & ~continues, np.where(by_context, BY_CONTEXT_CONFIDENCE, 0.0), confidence
    )
    # A text whose language is a guess (short, unsure) gives a label no surer than the guess.
    confidence = np.round(np.minimum(confidence, np.maximum(lang_conf, 0.5)), 3)

    # -- cues -----------------------------------------------------------------------------------
    vader = pc.binary_join_element_wise(
        "vader ", pc.cast(pc.round(pa.array(score), 2), pa.string()), ""
    )
    bad_support = is_complaint & (count("bad_support", is_complaint) > 0)
    parts = [
        _json_const(np.ones(n, bool), "sentiment", vader),
        count_c.cues_in_groups(
            [
                (
                    [
                        nm
                        for nm in complaint_names
                        if nm not in ("complaint_report", "complaint_fault")
                    ],
                    other_cues > 0,
                ),
                (["complaint_report"], c_counts[3] > 0),
                (["complaint_fault"], c_counts[5] > 0),
            ],
            is_complaint,
            "complaint",
        ),
        count.cues(["bad_support"], bad_support, "bad_support"),
        count.cues(
            ["question_start", "question", "question_care", "cannot_follow"],
            is_question,
            "question",
        ),
        count.cues(
            [
                "thanks",
                "praise_you",
                "praise",
                "thanks_for_help",
                "thanks_for_reply",
                "help_worked",
            ],
            is_praise,
            "praise",
        ),
    ]
    for i, name in enumerate(names):
        extra = {
            "expertise": ["field"],
            "engagement": ["laughter", "agreement"],
            "announcement": ["event_date"],
        }.get(name, [])
        parts.append(count.cues([name, *extra], chosen == i, "content_type"))
    # What decided a content type besides cues: the kind of message and the account.
    context = np.full(n, None, dtype=object)
    context[(chosen == care) & is_reply] = "a reply of a care account"
    context[(chosen == engage) & is_reply & ~care_account] = "a reply to someone"
    context[default_personal] = "an own post with no cue"
    if media is not None:
        context[default_personal & np.asarray(media, bool)] = "a photo or video with no cue"
    context[shared & (chosen == expert) & (counts_expert == 0)] = "a titled link shared"
    context[gripe] = "words of the field in a negative post with no cue of teaching: a gripe"
    context[meme] = "a meme's caption to a picture"
    context[by_context & care_account] = "a reply of a care account"
    context[by_context & ~care_account] = "a reply to someone"
    context[continues] = "continues its author's thread"
    if follow_up.any():
        thread = np.where(
            is_reply, "a complaint in a thread with the brand", "a complaint to the brand"
        )
        parts.append(
            _json_const(follow_up, "question_context", pa.array(thread.astype(object), pa.string()))
        )
    has_context = np.array([c is not None for c in context], bool)
    if has_context.any():
        parts.append(_json_const(has_context, "content_context", pa.array(context, pa.string())))
    lang_note = pc.binary_join_element_wise(
        "no lexicons for ", pa.array(lang.astype(object), pa.string()), ""
    )
    parts.append(_json_const(unreadable & ~by_context & ~continues, "unknown", lang_note))
    parts.append(_json_const(by_context, "unread", lang_note))
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
            "lang": pa.array(lang.astype(object), pa.string()),
            "confidence": pa.array(confidence, pa.float64()),
        }
    )
