"""What the draft linter is made of: levels, findings, the prepared draft, and the rule types.

A rule is a small declaration (proselint's model): a code, a name, a level, a message and a
remedy (kept apart, as ruff keeps its message and fix title), a doc, examples that must fail and
examples that must pass, and options read from `[lint.SLxxx]`. The matching itself lives in a
few reusable rule types (a phrase list, regular expressions, a density of cues, a ratio of
capitals) so that most rules are data, not code; the few that need a model or a dictionary
subclass `Rule` and implement `find`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from functools import cache, cached_property
from typing import Any, ClassVar

from ..options import Option


class Level(IntEnum):
    SUGGESTION = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Level:
        try:
            return cls[value.strip().upper()]
        except (KeyError, AttributeError):
            raise ValueError(f"expected one of suggestion, warning, error, got {value!r}") from None


LEVEL_NAMES = ("suggestion", "warning", "error")


@dataclass(frozen=True)
class LintFinding:
    """One problem in one draft: what, where (offsets into the draft as given), and what to do."""

    code: str
    name: str
    level: Level
    message: str
    remedy: str
    start: int
    end: int
    excerpt: str
    line: int
    column: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "level": str(self.level),
            "message": self.message,
            "remedy": self.remedy,
            "span": {
                "start": self.start,
                "end": self.end,
                "line": self.line,
                "column": self.column,
                "excerpt": self.excerpt,
            },
        }


@dataclass
class Suppression:
    """An inline `socialaudit: ignore CODE -- reason` line, and how many findings it hid."""

    code: str
    reason: str | None
    line: int
    suppressed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reason": self.reason,
            "line": self.line,
            "suppressed": self.suppressed,
        }


@dataclass
class DraftResult:
    findings: list[LintFinding]
    suppressions: list[Suppression]
    platform: str | None


@dataclass(frozen=True)
class Hit:
    """A match of a rule: offsets into the draft and the finding's message."""

    start: int
    end: int
    message: str


# -- the prepared draft ------------------------------------------------------------------------

URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'\])]+", re.IGNORECASE)
# Not after "@": `@user@example.social` is a Mastodon handle, not an address.
EMAIL_RE = re.compile(r"(?<![\w.+@-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9_.-]+\.[A-Za-z]{2,})?")
HASHTAG_RE = re.compile(r"(?<![\w&#])#(?!\d+\b)\w{1,100}")
# `[text](url)` markdown link targets are links too.
MD_LINK_TARGET_RE = re.compile(r"\]\(([^)\s]+)\)")


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with the spans replaced by spaces (newlines kept), so offsets stay the same."""
    chars = list(text)
    for s, e in spans:
        for i in range(s, e):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


@dataclass
class Draft:
    """A draft ready to be read by rules.

    `raw` is the draft as given; findings point into it. `text` is the same length with the
    lines that are not part of the post (ignore directives, markdown front matter) blanked;
    `masked` further blanks links, e-mail addresses, mentions and hashtags, for the rules about
    the wording itself.
    """

    raw: str
    platform: str | None = None
    hidden: list[tuple[int, int]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def text(self) -> str:
        return blank(self.raw, self.hidden)

    @cached_property
    def published(self) -> str:
        """What would be posted: the draft less its hidden lines, trimmed."""
        parts, pos = [], 0
        for s, e in sorted(self.hidden):
            parts.append(self.raw[pos:s])
            pos = e
        parts.append(self.raw[pos:])
        return "".join(parts).strip()

    def published_prefix(self, end: int) -> str:
        """What would be posted of the draft's first `end` characters (for locating overflow)."""
        parts, pos = [], 0
        for s, e in sorted(self.hidden):
            if s >= end:
                break
            parts.append(self.raw[pos:s])
            pos = min(e, end)
        parts.append(self.raw[pos:end])
        return "".join(parts).strip()

    def _spans(self, rx: re.Pattern[str]) -> list[tuple[int, int]]:
        return [m.span() for m in rx.finditer(self.text)]

    @cached_property
    def urls(self) -> list[tuple[int, int]]:
        spans = [(s, self._trim_url(s, e)) for s, e in self._spans(URL_RE)]
        return spans + [
            m.span(1) for m in MD_LINK_TARGET_RE.finditer(self.text) if not URL_RE.match(m.group(1))
        ]

    def _trim_url(self, s: int, e: int) -> int:
        while e > s and self.text[e - 1] in ".,;:!?)]}'\"":
            e -= 1
        return e

    @cached_property
    def emails(self) -> list[tuple[int, int]]:
        return self._spans(EMAIL_RE)

    @cached_property
    def mentions(self) -> list[tuple[int, int]]:
        return [sp for sp in self._spans(MENTION_RE) if not self._inside(sp, self.emails)]

    @cached_property
    def hashtags(self) -> list[tuple[int, int]]:
        return [sp for sp in self._spans(HASHTAG_RE) if not self._inside(sp, self.urls)]

    @staticmethod
    def _inside(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
        return any(s <= span[0] and span[1] <= e for s, e in spans)

    @cached_property
    def masked(self) -> str:
        return blank(self.text, [*self.urls, *self.emails, *self.mentions, *self.hashtags])


# -- rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintEnv:
    """What rules may know besides the draft: the brand's name, domains and own terms."""

    brand_name: str | None = None
    domains: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()


LEVEL_OPTION = "level"


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A draft rule. Subclasses (the rule types) implement `find`."""

    code: str
    name: str
    summary: str  # what it catches, a few words (the rules table in docs/lint.md)
    level: Level
    message: str  # what is wrong; rule types fill `{match}`, `{count}`, ... from the hit
    remedy: str  # what to do, imperative
    doc: str  # why it matters, in a few sentences (docs/lint.md is built from it)
    fails: tuple[str, ...]  # drafts this rule must flag
    passes: tuple[str, ...]  # drafts it must leave alone
    options: tuple[Option, ...] = ()
    # Settings the examples are linted with (a platform, brand domains), e.g. {"platform": "x"}.
    example_settings: Mapping[str, Any] = field(default_factory=dict)

    kind: ClassVar[str] = "custom"

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        raise NotImplementedError

    def prepare(self, drafts: Sequence[Draft], opts: Mapping[str, Any], env: LintEnv) -> None:
        """Batch work before `find` (a model over all drafts at once); most rules need none."""

    def default_options(self) -> dict[str, Any]:
        return {o.name: o.default for o in self.options}

    def option_specs(self) -> dict[str, Option]:
        level = Option(
            LEVEL_OPTION,
            str(self.level),
            "how serious a finding of this rule is",
            type=str,
            choices=LEVEL_NAMES,
        )
        return {LEVEL_OPTION: level, **{o.name: o for o in self.options}}


def _phrase_regex(phrases: Iterable[str], case_sensitive: bool) -> re.Pattern[str] | None:
    phrases = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not phrases:
        return None
    alts = []
    for p in phrases:
        # Spaces in a phrase match any run of whitespace; word edges only where the phrase has
        # a word character at that end (so "% off" and "#1" work).
        body = r"\s+".join(re.escape(w) for w in p.split())
        left = r"(?<!\w)" if p[0].isalnum() else ""
        right = r"(?!\w)" if p[-1].isalnum() else ""
        alts.append(left + body + right)
    return re.compile("|".join(alts), 0 if case_sensitive else re.IGNORECASE)


PHRASE_OPTIONS = (
    Option("also", [], "phrases of your own to flag as well", type=list),
    Option("allow", [], "phrases from the built-in list that are fine for this brand", type=list),
)


@dataclass(frozen=True, kw_only=True)
class PhraseList(Rule):
    """Flags each occurrence of any phrase (whole words, case-insensitive by default).

    `{match}` in the message is the phrase as written in the draft.
    """

    phrases: tuple[str, ...]
    case_sensitive: bool = False
    on: str = "masked"  # which view of the draft: "masked" (no links/handles/tags) or "text"
    options: tuple[Option, ...] = PHRASE_OPTIONS

    kind: ClassVar[str] = "phrase list"

    def regex(self, opts: Mapping[str, Any]) -> re.Pattern[str] | None:
        allow = {a.lower() for a in opts.get("allow", [])}
        phrases = [p for p in self.phrases if p.lower() not in allow]
        return _phrase_regex([*phrases, *opts.get("also", [])], self.case_sensitive)

    def matches(self, draft: Draft, opts: Mapping[str, Any]) -> list[re.Match[str]]:
        key = f"phrases:{self.code}"
        if key not in draft.cache:
            rx = self.regex(opts)
            draft.cache[key] = list(rx.finditer(getattr(draft, self.on))) if rx else []
        return draft.cache[key]

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        for m in self.matches(draft, opts):
            yield Hit(m.start(), m.end(), self.message.format(match=m.group(0)))


@dataclass(frozen=True, kw_only=True)
class Patterns(Rule):
    """Flags each match of any of the regular expressions that `accept` keeps.

    Each pattern is `(label, regex)` or `(label, regex, view)`, the view being "masked" (no
    links, handles or hashtags; the default) or "text". `{match}` in the message is the matched
    text, `{label}` the pattern's label. Where patterns overlap, the first one listed wins.
    """

    patterns: tuple[tuple[str, ...], ...]
    flags: int = 0

    kind: ClassVar[str] = "regular expressions"

    def compiled(self) -> list[tuple[str, re.Pattern[str], str]]:
        return _compile_patterns(self.patterns, self.flags)

    def accept(
        self, label: str, m: re.Match[str], draft: Draft, opts: Mapping[str, Any], env: LintEnv
    ) -> bool:
        return True

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        taken: list[tuple[int, int]] = []
        for label, rx, view in self.compiled():
            for m in rx.finditer(getattr(draft, view)):
                if any(s < m.end() and m.start() < e for s, e in taken):
                    continue
                if self.accept(label, m, draft, opts, env):
                    taken.append(m.span())
                    message = self.message.format(match=m.group(0), label=label)
                    yield Hit(m.start(), m.end(), message)


@cache
def _compile_patterns(
    patterns: tuple[tuple[str, ...], ...], flags: int
) -> list[tuple[str, re.Pattern[str], str]]:
    return [(p[0], re.compile(p[1], flags), p[2] if len(p) > 2 else "masked") for p in patterns]


@dataclass(frozen=True, kw_only=True)
class CueDensity(PhraseList):
    """Flags a draft once when it holds at least `min_cues` distinct cues.

    For wording that is fine alone and a problem in a pile ("20% off" is information; "20% off,
    buy now, ends tonight" only sells). Cues are the phrases, plus `cue_patterns` as
    `(label, regex)`: every match of one pattern is one cue (two prices are one cue, "a price").
    `{count}` and `{cues}` fill the message.
    """

    cue_patterns: tuple[tuple[str, str], ...] = ()
    options: tuple[Option, ...] = (
        *PHRASE_OPTIONS,
        Option(
            "min_cues", 2, "distinct cues in one draft before it is flagged", type=int, minimum=1
        ),
    )

    kind: ClassVar[str] = "cue density"

    def find(self, draft: Draft, opts: Mapping[str, Any], env: LintEnv) -> Iterator[Hit]:
        cues = [
            (m.start(), m.end(), " ".join(m.group(0).lower().split()))
            for m in self.matches(draft, opts)
        ]
        for label, rx in self.cue_patterns:
            cues += [
                (m.start(), m.end(), label) for m in re.finditer(rx, draft.masked, re.IGNORECASE)
            ]
        cues.sort()
        names = list(dict.fromkeys(name for _, _, name in cues))
        if names and len(names) >= opts["min_cues"]:
            listed = ", ".join(f"'{c}'" for c in names)
            yield Hit(
                cues[0][0],
                max(e for _, e, _ in cues),
                self.message.format(count=len(names), cues=listed),
            )
