"""Running the rules: settings from `[lint]`, inline ignore lines, and the lint functions.

`[lint]` in socialaudit.toml:

    [lint]
    platform = "x"              # default platform of drafts (--platform wins)
    select = ["SL1"]            # codes, code prefixes or names; default: all rules
    ignore = ["SL108"]
    terms = ["Brewzilla"]       # the brand's own words (SL104 takes them as spelled right)

    [lint.SL105]                # one table of options per rule; every rule has `level`
    x = 280
    level = "warning"

Unknown keys, unknown options and bad values are errors (one line, exit 2): a misspelt threshold
that is silently ignored lints with the wrong rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, InputError
from .core import (
    Draft,
    DraftResult,
    Level,
    LintEnv,
    LintFinding,
    Rule,
    Suppression,
)
from .rules import PLATFORMS, RULES, RULES_BY_CODE, SA304_CODES

if TYPE_CHECKING:
    from ..config import Config

TOP_KEYS = {
    "platform": "default platform of drafts",
    "select": "rules to run (codes, prefixes or names)",
    "ignore": "rules never to run",
    "terms": "the brand's own words",
}


@dataclass(frozen=True)
class LintSettings:
    """Validated `[lint]` settings plus what the linter takes from `[brand]`."""

    platform: str | None = None
    codes: tuple[str, ...] = tuple(r.code for r in RULES)  # the rules that run, in order
    env: LintEnv = field(default_factory=LintEnv)
    options: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: {r.code: r.default_options() for r in RULES}
    )
    levels: Mapping[str, Level] = field(default_factory=lambda: {r.code: r.level for r in RULES})

    def rules(self) -> list[Rule]:
        return [RULES_BY_CODE[c] for c in self.codes]


def resolve_rule(ref: str) -> list[str]:
    """Codes that a reference names: a code, a code prefix ("SL1") or a rule name."""
    ref = ref.strip()
    by_name = [r.code for r in RULES if r.name == ref.lower()]
    if by_name:
        return by_name
    return [r.code for r in RULES if r.code.startswith(ref.upper())] if ref else []


def _where(where: str, key: str) -> str:
    return f"{where}: [{key}]"


def _validate_rule_options(rule: Rule, table: Any, where: str) -> tuple[dict[str, Any], Level]:
    key = f"lint.{rule.code}"
    if not isinstance(table, dict):
        raise ConfigError(f"{_where(where, key)} must be a table of options, not {table!r}")
    specs = rule.option_specs()
    opts = rule.default_options()
    level = rule.level
    for name, value in table.items():
        spec = specs.get(name)
        if spec is None:
            raise ConfigError(
                f"{_where(where, key)} unknown option '{name}' (options: {', '.join(specs)})"
            )
        try:
            value = spec.validate(value)
            if spec.type is list and not all(isinstance(v, str) for v in value):
                raise ValueError(f"expected a list of strings, got {value!r}")
        except ValueError as exc:
            raise ConfigError(f"{_where(where, key)} {name}: {exc}") from exc
        if name == "level":
            level = Level.parse(value)
        else:
            opts[name] = value
    return opts, level


def _str_list(value: Any, where: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(
            f"{_where(where, 'lint')} {key}: expected a list of strings, got {value!r}"
        )
    return value


def settings_from_config(
    config: Config | None = None, *, platform: str | None = None, where: str = "socialaudit.toml"
) -> LintSettings:
    """Validate `[lint]` (and read `[brand]`) into settings; `platform` overrides the config's."""
    lint: dict[str, Any] = dict(config.lint) if config is not None else {}
    options = {r.code: r.default_options() for r in RULES}
    levels = {r.code: r.level for r in RULES}
    for key, value in lint.items():
        if key in TOP_KEYS:
            continue
        rule = RULES_BY_CODE.get(key.upper())
        if rule is None:
            known = ", ".join([*TOP_KEYS, "SL101..SL114"])
            raise ConfigError(f"{_where(where, 'lint')} unknown key '{key}' (expected {known})")
        options[rule.code], levels[rule.code] = _validate_rule_options(rule, value, where)

    default_platform = lint.get("platform")
    if default_platform is not None and default_platform not in PLATFORMS:
        raise ConfigError(
            f"{_where(where, 'lint')} platform: expected one of {', '.join(PLATFORMS)}, "
            f"got {default_platform!r}"
        )
    codes = [r.code for r in RULES]
    for key, keep in (("select", True), ("ignore", False)):
        refs = _str_list(lint.get(key, []), where, key)
        named: set[str] = set()
        for ref in refs:
            found = resolve_rule(ref)
            if not found:
                raise ConfigError(f"{_where(where, 'lint')} {key}: no rule matches {ref!r}")
            named.update(found)
        if refs:
            codes = [c for c in codes if (c in named) == keep]
    brand = config.brand if config is not None else None
    env = LintEnv(
        brand_name=brand.name if brand else None,
        domains=tuple(brand.domains) if brand else (),
        terms=tuple(_str_list(lint.get("terms", []), where, "terms")),
    )
    return LintSettings(
        platform=platform or default_platform,
        codes=tuple(codes),
        env=env,
        options=options,
        levels=levels,
    )


# -- inline ignore lines -----------------------------------------------------------------------

# `socialaudit: ignore SL107 -- launch day`, alone on its line; in Markdown it may sit in an HTML
# comment so that it never renders. The line is not part of the post (not linted, not counted).
DIRECTIVE_RE = re.compile(
    r"^[ \t]*(?:<!--[ \t]*)?socialaudit:[ \t]*ignore[ \t]+(?P<codes>[\w, \t-]+?)"
    r"(?:[ \t]+--[ \t]*(?P<reason>.*?))?[ \t]*(?:-->)?[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)


def parse_directives(
    text: str, path: str = "<draft>"
) -> tuple[list[Suppression], list[tuple[int, int]]]:
    """The ignore lines of a draft, and their spans (to hide them from the rules)."""
    sups: list[Suppression] = []
    spans: list[tuple[int, int]] = []
    for m in DIRECTIVE_RE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        reason = (m.group("reason") or "").strip() or None
        for ref in re.split(r"[,\s]+", m.group("codes").strip()):
            codes = resolve_rule(ref) if ref.lower() != "all" else [r.code for r in RULES]
            if not codes or len(ref) < 3:
                raise InputError(
                    path,
                    f"the ignore line names no known rule: {ref!r} "
                    "(expected a code such as SL107 or a name such as sales-pitch)",
                    line=line,
                )
            sups.extend(Suppression(code=c, reason=reason, line=line) for c in codes)
        end = m.end() + 1 if m.end() < len(text) and text[m.end()] == "\n" else m.end()
        spans.append((m.start(), end))
    return sups, spans


# -- linting -----------------------------------------------------------------------------------


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


EXCERPT_LIMIT = 120


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LIMIT else text[: EXCERPT_LIMIT - 1] + "…"


def _as_settings(config: Config | LintSettings | None, platform: str | None) -> LintSettings:
    if isinstance(config, LintSettings):
        if platform and platform != config.platform:
            return LintSettings(platform, config.codes, config.env, config.options, config.levels)
        return config
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r} (expected one of {', '.join(PLATFORMS)})")
    return settings_from_config(config, platform=platform)


def lint_drafts(
    texts: Sequence[str],
    platform: str | None = None,
    config: Config | LintSettings | None = None,
    *,
    codes: Iterable[str] | None = None,
    paths: Sequence[str] | None = None,
    hidden: Sequence[Sequence[tuple[int, int]]] | None = None,
    platforms: Sequence[str | None] | None = None,
) -> list[DraftResult]:
    """Lint many drafts at once (models run once over the batch). One result per text.

    `codes` limits the rules (within those the settings select); `paths` name the drafts in
    errors; `hidden` are extra spans per draft that are not part of the post (front matter);
    `platforms` overrides the platform per draft.
    """
    settings = _as_settings(config, platform)
    rules = settings.rules()
    if codes is not None:
        wanted = set(codes)
        rules = [r for r in rules if r.code in wanted]
    drafts: list[Draft] = []
    all_sups: list[list[Suppression]] = []
    for i, text in enumerate(texts):
        text = text or ""
        sups, spans = parse_directives(text, paths[i] if paths else "<draft>")
        extra = list(hidden[i]) if hidden else []
        plat = (platforms[i] if platforms and platforms[i] else None) or settings.platform
        drafts.append(Draft(raw=text, platform=plat, hidden=[*extra, *spans]))
        all_sups.append(sups)
    for rule in rules:
        rule.prepare(drafts, settings.options[rule.code], settings.env)
    results = []
    for draft, sups in zip(drafts, all_sups, strict=True):
        findings: list[LintFinding] = []
        by_code = {s.code: s for s in sups}
        for rule in rules:
            hits = list(rule.find(draft, settings.options[rule.code], settings.env))
            if rule.code in by_code:
                by_code[rule.code].suppressed += len(hits)
                continue
            for h in hits:
                line, col = _line_col(draft.raw, h.start)
                findings.append(
                    LintFinding(
                        code=rule.code,
                        name=rule.name,
                        level=settings.levels[rule.code],
                        message=h.message,
                        remedy=rule.remedy,
                        start=h.start,
                        end=h.end,
                        excerpt=_excerpt(draft.raw[h.start : h.end]),
                        line=line,
                        column=col,
                    )
                )
        findings.sort(key=lambda f: (f.start, f.code))
        results.append(DraftResult(findings=findings, suppressions=sups, platform=draft.platform))
    return results


def lint_draft(
    text: str, platform: str | None = None, config: Config | LintSettings | None = None
) -> DraftResult:
    """Lint one draft: its findings and its ignore lines (with what each one hid)."""
    return lint_drafts([text], platform, config)[0]


def lint_text(
    text: str, platform: str | None = None, config: Config | LintSettings | None = None
) -> list[LintFinding]:
    """The findings of one draft, after its ignore lines."""
    return lint_draft(text, platform, config).findings


def flagged_posts(
    texts: Sequence[str],
    platform: str | None = None,
    config: Config | LintSettings | None = None,
    codes: Iterable[str] = SA304_CODES,
) -> list[list[str]]:
    """For each published post, the codes (among `codes`) the linter would have flagged.

    Cheap enough for an audit over thousands of posts: only the named rules run, models run
    once over the batch, and no spelling corrections are computed. Used by SA304.
    """
    settings = _as_settings(config, platform)
    if "SL104" in settings.options:
        options = dict(settings.options)
        options["SL104"] = {**options["SL104"], "suggest": False}
        settings = LintSettings(
            settings.platform, settings.codes, settings.env, options, settings.levels
        )
    results = lint_drafts(texts, None, settings, codes=codes)
    return [sorted({f.code for f in r.findings}) for r in results]
