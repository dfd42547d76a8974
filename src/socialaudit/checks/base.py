"""What a check is, what it returns, and what it may read.

A check is a class with its metadata as class attributes (code, name, area, the tables it needs,
its options with defaults, validation and the reason for each default, and its doc in the ruff
template) and one method, `run(ctx, options) -> Finding`. It reads the workspace through the
`AuditContext` (Ibis tables and the shared relations of `conversation.py` and `text/`), never
files, never the network, and never prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from ..model import Verdict

if TYPE_CHECKING:
    import ibis

    from ..config import Config
    from ..workspace import Workspace

AREAS: dict[str, str] = {
    "care": "Conversation and care",
    "presence": "Presence and cadence",
    "content": "Content",
    "audience": "Audience",
    "money": "Measurement and money",
    "plan": "Plan and organisation",
}

# How much a failed check weighs in the score (see docs/score.md).
SEVERITY_WEIGHTS: dict[str, float] = {"high": 3.0, "medium": 2.0, "low": 1.0}

# What data a check needs, by capability. `socialaudit status` tells, per account and platform,
# which capabilities the workspace has, and so which checks its data can answer; a check whose
# capability is missing answers `unknown` and names the import below.
CAPABILITIES: dict[str, str] = {
    "brand_posts": "the brand's own posts (any platform export, or a CSV/JSONL with --brand)",
    "inbound": "messages from customers to the brand (a TWCS-style CSV, a generic CSV/JSONL with "
    "inbound rows, or a platform API import); account archives do not contain them",
    "inbound_text": "the text of customers' messages to the brand (to tell questions, complaints "
    "and praise apart): a TWCS-style CSV, a generic CSV/JSONL, or a platform API import; an "
    "account archive knows the messages the brand answered only by their time",
    "metrics": "engagement or reach figures per post (likes, reposts, impressions, clicks)",
    "acknowledgements": "the brand's likes/favourites (X like.js, Mastodon likes.json, Bluesky likes)",
    "follows": "who the brand follows, ideally with dates (Bluesky repo, X following.js)",
    "audience": "dated follower counts (an audience CSV, LinkedIn follower export)",
    "costs": "a costs ledger CSV (date, platform, category, amount, hours, hourly_rate)",
    "conversions": "a conversions CSV from web analytics with UTM (date, source, medium, campaign, ...)",
    "goals": "[[goals]] in socialaudit.toml (metric, target, by)",
    "self_assessment": "answers in [self_assessment] of socialaudit.toml",
}

EVIDENCE_LIMIT = 20  # evidence lists are capped; `evidence_total` says how many there were


@dataclass(frozen=True)
class Option:
    """One option of a check, with its default and why the default is what it is."""

    name: str
    default: Any
    reason: str
    type: type = float
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None

    def validate(self, value: Any) -> Any:
        """Return the value coerced to the option's type, or raise ValueError saying why."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise ValueError(f"expected true or false, got {value!r}")
            return value
        if self.type in (int, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"expected a number, got {value!r}")
            if self.type is int and not float(value).is_integer():
                raise ValueError(f"expected a whole number, got {value!r}")
            value = self.type(value)
            if self.minimum is not None and value < self.minimum:
                raise ValueError(f"expected at least {self.minimum}, got {value}")
            if self.maximum is not None and value > self.maximum:
                raise ValueError(f"expected at most {self.maximum}, got {value}")
        elif self.type is str:
            if not isinstance(value, str):
                raise ValueError(f"expected a string, got {value!r}")
        elif self.type is list and not isinstance(value, list):
            raise ValueError(f"expected a list, got {value!r}")
        if self.choices is not None and value not in self.choices:
            raise ValueError(f"expected one of {', '.join(map(str, self.choices))}, got {value!r}")
        return value


@dataclass
class Finding:
    """The result of one check: verdict, the figures that decided it, the evidence, the advice.

    `message` says what is wrong (or right) in one line; `advice` says what to do (imperative),
    kept apart as in ruff's message / fix title. `needs` names what to import when the verdict is
    `unknown`.
    """

    code: str
    name: str
    area: str
    verdict: Verdict
    severity: str = "medium"
    message: str = ""
    figures: dict[str, float | int | None] = field(default_factory=dict)
    thresholds: dict[str, float | int | None] = field(default_factory=dict)
    per_account: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    # Figures per platform, where a check compares platforms (SA503: cost, revenue, roi, ...).
    per_platform: dict[str, dict[str, float | int | None]] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    evidence_total: int = 0
    advice: str = ""
    needs: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "area": self.area,
            "verdict": str(self.verdict),
            "severity": self.severity,
            "message": self.message,
            "figures": self.figures,
            "thresholds": self.thresholds,
            "per_account": self.per_account,
            "per_platform": self.per_platform,
            "evidence": self.evidence,
            "evidence_total": self.evidence_total,
            "advice": self.advice,
            "needs": self.needs,
            "notes": self.notes,
            "error": self.error,
        }


class Check:
    """Base class of every check. Subclasses set the metadata and implement `run`."""

    code: ClassVar[str]
    name: ClassVar[str]
    area: ClassVar[str]
    severity: ClassVar[str] = "medium"
    status: ClassVar[str] = "stable"  # preview, stable, deprecated
    aliases: ClassVar[tuple[str, ...]] = ()
    requires: ClassVar[tuple[str, ...]] = ("brand_posts",)  # capabilities, see CAPABILITIES
    options: ClassVar[tuple[Option, ...]] = ()
    seeds: ClassVar[tuple[str, ...]] = ()  # shared/seeds file numbers the advice comes from
    # The doc, in the ruff template: What it detects / Why it matters / Example / Options /
    # Sources. Options are appended from `options`, so the doc never disagrees with the code.
    doc: ClassVar[str] = ""
    advice: ClassVar[str] = ""

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------------------------

    def finding(self, verdict: Verdict, **kwargs: Any) -> Finding:
        kwargs.setdefault("advice", self.advice)
        return Finding(
            code=self.code,
            name=self.name,
            area=self.area,
            verdict=verdict,
            severity=self.severity,
            **kwargs,
        )

    def unknown(self, message: str, needs: list[str]) -> Finding:
        return self.finding(Verdict.UNKNOWN, message=message, needs=needs)

    @classmethod
    def default_options(cls) -> dict[str, Any]:
        return {o.name: o.default for o in cls.options}

    @classmethod
    def full_doc(cls) -> str:
        lines = [
            f"# {cls.code} {cls.name}",
            "",
            f"Area: {AREAS.get(cls.area, cls.area)}. "
            f"Severity: {cls.severity}. Status: {cls.status}.",
            "",
            cls.doc.strip(),
            "",
        ]
        if cls.options:
            lines += ["## Options", ""]
            for o in cls.options:
                lines.append(f"- `{o.name}` (default `{o.default}`): {o.reason}")
            lines.append("")
        if cls.seeds:
            lines += ["## Sources", "", "shared/seeds: " + ", ".join(cls.seeds), ""]
        if cls.advice:
            lines += ["## What to do", "", cls.advice, ""]
        return "\n".join(lines)


class AuditContext:
    """What a check may read: the workspace's tables as Ibis expressions, the config, and the
    relations several checks share (computed once per audit, on first use)."""

    def __init__(self, workspace: Workspace, config: Config) -> None:
        self.workspace = workspace
        self.config = config
        self._cache: dict[str, Any] = {}

    def table(self, name: str) -> ibis.Table:
        return self.workspace.table(name)

    def count(self, name: str) -> int:
        return self.workspace.count(name)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per audit and shared by every check that asks for it."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @cached_property
    def brand_accounts(self) -> list[tuple[str, str]]:
        """(platform, handle) of the brand's accounts: the config's list, else the accounts table."""
        from ..conversation import brand_accounts

        return brand_accounts(self.workspace, self.config)
