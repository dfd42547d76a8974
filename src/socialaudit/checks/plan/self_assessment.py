"""Plan and organisation (SA6xx): what no export shows, asked as a self-assessment."""

from __future__ import annotations

from typing import Any

from ...model import Verdict
from ...vocabulary import needs
from ..base import AuditContext, Check, Finding


class SelfAssessed(Check):
    """A check answered by the business itself, in `[self_assessment]` of socialaudit.toml."""

    requires = ("self_assessment",)
    question: str = ""
    yes: str = ""  # the message when the answer is yes
    no: str = ""  # the message when the answer is no

    def answer(self, ctx: AuditContext) -> tuple[bool | None, str | None]:
        """The answer and the key it was given under (code or name, any case)."""
        wanted = {self.code.lower(), self.name.lower()}
        for key, value in ctx.config.self_assessment.items():
            if key.strip().lower() in wanted:
                return value, key
        return None, None

    def figures(self, ctx: AuditContext) -> tuple[dict[str, Any], list[str]]:
        return {}, []

    def missing(self, ctx: AuditContext, lacking: list[str]) -> Finding:
        # No answer at all is still worth a finding that asks the question, with what the data
        # can say beside it.
        return self.run(ctx, self.opts)

    def run(self, ctx: AuditContext, opts: dict[str, Any]) -> Finding:
        value, key = self.answer(ctx)
        figures, notes = self.figures(ctx)
        if value is None:
            finding = self.unknown(
                f"not answered: {self.question} Answer it in [self_assessment] of socialaudit.toml "
                f"({self.code} = true or false)",
                needs("self_assessment"),
            )
            finding.figures = figures
            finding.notes = notes
            return finding
        figures = {"answer": value, **figures}
        return self.finding(
            Verdict.PASS if value else Verdict.FAIL,
            message=self.yes if value else self.no,
            figures=figures,
            notes=[f"self-assessment: {key} = {str(value).lower()}", *notes],
        )
