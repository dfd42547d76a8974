"""The draft linter: is this post safe to publish?

`lint_text(text, platform=None, config=None) -> list[LintFinding]` lints one draft;
`lint_draft` also returns its inline ignore lines; `lint_drafts` lints many at once;
`flagged_posts(texts, platform)` gives, per published post, the codes the audit's SA304 counts.
The rules are declared in `rules.py` (SL101-SL114), their types in `core.py`, the spelling
engine of SL104 in `spelling.py`, the settings and ignore lines in `engine.py`; reading drafts
from files and writing results is the command line's (`socialaudit.lintfiles`). docs/lint.md
describes the rules, the options and the JSON output.
"""

from __future__ import annotations

from .core import DraftResult, Level, LintFinding, Rule, Suppression
from .engine import (
    LintSettings,
    flagged_posts,
    lint_draft,
    lint_drafts,
    lint_text,
    settings_from_config,
)
from .rules import RULES, RULES_BY_CODE, SA304_CODES

__all__ = [
    "RULES",
    "RULES_BY_CODE",
    "SA304_CODES",
    "DraftResult",
    "Level",
    "LintFinding",
    "LintSettings",
    "Rule",
    "Suppression",
    "flagged_posts",
    "lint_draft",
    "lint_drafts",
    "lint_text",
    "settings_from_config",
]
