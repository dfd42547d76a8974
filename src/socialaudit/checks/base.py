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

from .. import vocabulary
from ..capabilities import (
    CAPABILITIES,
    CAPABILITY_NAMES,
    INSTEAD_NOTES,
    NARROWER_OF,
    PARTIAL,
    PARTIAL_NOTES,
    YES,
    account_data,
    account_levels,
    answerable,
    capabilities,
    needs,
)
from ..model import Verdict
from ..options import Option
from .references import sources

if TYPE_CHECKING:
    from datetime import datetime

    import ibis
    import ibis.expr.types as ir

    from ..config import Config
    from ..workspace import Workspace

__all__ = ["AREAS", "CAPABILITIES", "EVIDENCE_LIMIT", "AuditContext", "Check", "Finding", "Option"]

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

# The window of the checks that judge the brand's habits over its recent messages (SA104, the
# content checks): one option, one reason.
YEAR_WINDOW = Option(
    "window_days",
    365,
    "A year spans the quiet months and the seasonal campaigns alike and is still about the "
    "brand's current habits; 0 takes the whole history.",
    type=int,
    minimum=0,
)

EVIDENCE_LIMIT = 20  # evidence lists are capped; `evidence_total` says how many there were


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


def worst(verdicts: list[str]) -> str:
    """The worst of several verdict names (fail > warn > pass); unknown only when all are."""
    for v in ("fail", "warn", "pass"):
        if v in verdicts:
            return v
    return "unknown"


class Check:
    """Base class of every check. Subclasses set the metadata and implement `run`."""

    code: ClassVar[str]
    name: ClassVar[str]
    area: ClassVar[str]
    severity: ClassVar[str] = "medium"
    status: ClassVar[str] = "stable"  # preview, stable, deprecated
    aliases: ClassVar[tuple[str, ...]] = ()
    # Capabilities (see CAPABILITIES; "a|b" when either will do). When one is missing, the audit
    # answers `unknown` without running the check, from the same function `socialaudit status`
    # uses (`capabilities.answerable`), so the two never disagree.
    requires: ClassVar[tuple[str, ...]] = ("brand_posts",)
    options: ClassVar[tuple[Option, ...]] = ()
    # Where the advice comes from: the rulebook's source articles by number (references.SEEDS)
    # and other studies, cited in full.
    seeds: ClassVar[tuple[str, ...]] = ()
    references: ClassVar[tuple[str, ...]] = ()
    # The doc, in the ruff template: What it detects / Why it matters / Example / Options /
    # Sources. Options are appended from `options`, so the doc never disagrees with the code.
    doc: ClassVar[str] = ""
    advice: ClassVar[str] = ""

    def __init__(self, opts: dict[str, Any] | None = None) -> None:
        # The options this run judges by: `finding` reports the thresholds among them.
        self.opts = opts if opts is not None else self.default_options()

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        raise NotImplementedError

    # -- helpers for subclasses ----------------------------------------------------------------

    def finding(
        self,
        verdict: Verdict,
        *,
        thresholds: dict[str, Any] | None = None,
        evidence: list[dict[str, Any]] | None = None,
        evidence_total: int | None = None,
        **kwargs: Any,
    ) -> Finding:
        """A finding of this check. Evidence is capped at EVIDENCE_LIMIT items (`evidence_total`
        says how many there are, by default as many as were given); the thresholds default to
        the options that draw a verdict line (`Option.is_threshold`), except when the data could
        not be judged."""
        kwargs.setdefault("advice", self.advice)
        if thresholds is None:
            judged = verdict not in (Verdict.UNKNOWN, Verdict.ERROR)
            thresholds = self.thresholds() if judged else {}
        items = list(evidence or [])
        # Per-account figures in the order of the account keys: a grouped query returns its
        # groups in whatever order its threads finish, and a report must not reshuffle.
        if "per_account" in kwargs:
            kwargs["per_account"] = dict(sorted(kwargs["per_account"].items()))
        return Finding(
            code=self.code,
            name=self.name,
            area=self.area,
            verdict=verdict,
            severity=self.severity,
            thresholds=thresholds,
            evidence=items[:EVIDENCE_LIMIT],
            evidence_total=len(items) if evidence_total is None else int(evidence_total),
            **kwargs,
        )

    def thresholds(self) -> dict[str, Any]:
        """The threshold options and the values this run uses, in the order they are declared."""
        return {o.name: self.opts[o.name] for o in self.options if o.is_threshold}

    def unknown(self, message: str, needs: list[str]) -> Finding:
        return self.finding(Verdict.UNKNOWN, message=message, needs=needs)

    def too_few_in_window(
        self,
        ctx: AuditContext,
        everything: ir.Table,
        found: int,
        minimum: int,
        scope: str,
        noun: str = "post",
        plural: str | None = None,
    ) -> Finding:
        """`unknown`: fewer than `minimum` of the brand's `noun`s (`plural` where that is not
        `noun` + s) in the check's window (`scope`).

        The remedy depends on why: when the workspace holds enough of them outside the window
        (an old export judged by a one-year window), it is the window or the audit date, not an
        import of what is already there; otherwise it is more of the brand's own messages."""
        in_all = int(ctx.scalar(everything.count()))
        message = (
            f"{vocabulary.count(found, noun, plural)} of the brand in scope ({scope}); at least "
            f"{minimum} {'is' if minimum == 1 else 'are'} needed to judge"
        )
        if in_all >= minimum and in_all > found:
            return self.unknown(
                message + f"; the workspace holds {in_all} in all, most of them outside the window",
                [
                    f"a longer window ([checks.{self.code}] window_days = 0 takes the whole "
                    "history) or the audit date of the period the posts cover ([checks] as_of "
                    "in socialaudit.toml, or socialaudit audit --as-of YYYY-MM-DD)"
                ],
            )
        return self.unknown(
            message + (f"; the workspace holds {in_all} in all" if in_all > found else ""),
            needs("brand_posts"),
        )

    def missing(self, ctx: AuditContext, lacking: list[str]) -> Finding:
        """The finding when the workspace lacks a capability in `requires` (the check does not
        run): `unknown`, saying what is missing and what to import. A check with something
        useful to say even then (a self-assessment question) overrides it."""
        return self.unknown(missing_message(lacking, ctx.capabilities), needs(*lacking))

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
        if cls.seeds or cls.references:
            lines += ["## Sources", "", *(f"- {s}" for s in sources(cls.seeds, cls.references)), ""]
        if cls.advice:
            lines += ["## What to do", "", cls.advice, ""]
        return "\n".join(lines)


def missing_message(lacking: list[str], have: dict[str, str]) -> str:
    """'Not enough data to judge: ...' naming each missing capability, and what the workspace
    has of it where it is partly there."""
    parts = []
    for requirement in lacking:
        names = " or ".join(CAPABILITY_NAMES.get(c, c) for c in requirement.split("|"))
        partly = [
            f"{CAPABILITY_NAMES.get(p, p)}: {PARTIAL_NOTES[p]}"
            for c in requirement.split("|")
            for p in (c, *NARROWER_OF.get(c, ()))
            if have.get(p) == PARTIAL and p in PARTIAL_NOTES
        ] + [
            INSTEAD_NOTES[c][1]
            for c in requirement.split("|")
            if c in INSTEAD_NOTES and have.get(INSTEAD_NOTES[c][0]) == YES
        ]
        parts.append(names + (f" (there are {'; '.join(partly)})" if partly else ""))
    return "Not enough data to judge: the workspace holds no " + ", and no ".join(parts) + "."


class AuditContext:
    """What a check may read: the workspace's tables as Ibis expressions, the config, the audit
    date, the brand's accounts and messages (`vocabulary`), and the relations several checks
    share (computed once per audit, on first use)."""

    def __init__(self, workspace: Workspace, config: Config) -> None:
        self.workspace = workspace
        self.config = config
        self._cache: dict[str, Any] = {}

    def table(self, name: str) -> ibis.Table:
        return self.workspace.table(name)

    def count(self, name: str) -> int:
        return self.workspace.count(name)

    def rows(self, expr: ir.Table) -> list[dict[str, Any]]:
        return vocabulary.rows(self.workspace, expr)

    def scalar(self, expr: ir.Scalar) -> Any:
        return vocabulary.scalar(self.workspace, expr)

    def shared(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per audit and shared by every check that asks for it."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    @cached_property
    def dates(self) -> vocabulary.AuditDates:
        """Each brand account's audit date (`vocabulary.AuditDates`): the `as_of` setting, else
        the date of that account's own exports. Checks judge each account as of its own."""
        return vocabulary.audit_dates(self.workspace, self.config.checks.as_of)

    @cached_property
    def as_of(self) -> datetime | None:
        """The latest audit date of any account (None: no message at all), for what is judged
        once for the whole workspace."""
        return self.dates.latest or vocabulary.data_end(self.workspace)

    @cached_property
    def brand_accounts(self) -> list[tuple[str, str]]:
        """(platform, handle) of the brand's accounts: the config's list, else the accounts table."""
        return vocabulary.brand_accounts(self.workspace, self.config)

    def brand_messages(self, kinds: tuple[str, ...]) -> ir.Table:
        """The brand's public messages of these kinds (see `vocabulary.brand_messages`)."""
        return vocabulary.brand_messages(self.workspace, self.config, kinds, self.brand_accounts)

    def window(self, t: ir.Table, days: int, noun: str = "posts") -> tuple[ir.Table, str]:
        """`t` (brand messages, with `acct` and `ts`) in the `days` up to each account's audit
        date (0: all of them up to it), and the scope in words for the finding's notes."""
        if self.as_of is None:
            return t, f"all {noun}"
        t = self.dates.with_end(t, t.acct)
        t = t.filter(t.ts <= t.audit_ts)
        if days:
            t = t.filter(t.ts > t.audit_ts - int(days) * vocabulary.DAY)
        t = t.drop("audit_ts")
        single = self.dates.one()
        upto = vocabulary.iso(single) if single is not None else "each account's audit date"
        if days:
            return t, f"{noun} in the {days} days up to {upto}"
        return t, f"all {noun} up to {upto}"

    @cached_property
    def capabilities(self) -> dict[str, str]:
        """What the workspace holds, as `socialaudit status` says it (`capabilities`)."""
        return capabilities(self.workspace, self.config)

    @cached_property
    def account_capabilities(self) -> dict[str, dict[str, str]]:
        """Each account's own capabilities, by lower-case 'platform:handle'."""
        return {
            f"{a.platform}:{a.account or vocabulary.UNNAMED}".lower(): account_levels(
                a, self.config
            )
            for a in account_data(self.workspace)
        }

    def account_has(self, acct: str, capability: str) -> bool:
        """Whether one account ('platform:handle') has a capability of its own."""
        return self.account_capabilities.get(acct.lower(), {}).get(capability) == YES

    def answerable(self, check: type[Check] | Check) -> tuple[str, list[str]]:
        return answerable(check.requires, self.capabilities)
