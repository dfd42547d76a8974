"""docs/checks.md is generated from the checks' own docs and from socialaudit.norms, so it can
never disagree with the code. When a check's doc, options or a norm change, regenerate it:

    .venv/bin/python tests/test_checks_docs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "checks.md"

INTRO = """\
# The checks

Generated from the checks' docs (`socialaudit explain CODE` prints one) and from
`src/socialaudit/norms.py`; regenerate with `.venv/bin/python tests/test_checks_docs.py`.

Every check answers `pass`, `warn`, `fail`, or `unknown` when the workspace lacks the data it
needs (the finding then names what to import); a check that crashes answers `error` and the
audit goes on. Thresholds are options: set them per check in `socialaudit.toml`, e.g.

```toml
[checks]
as_of = 2024-06-30     # the audit date, for every check: judge an old export as of this day

[checks.SA203]
warn_gap_days = 10
```

Which messages a check reads is part of its definition: *original posts* (the content checks),
*posts and reposts* (what lands in followers' feeds, SA202), *posts, replies and comments* (what
the brand wrote itself, SA104 and SA304), or *any public message* (SA201, SA204). Direct messages
(and Mastodon posts with visibility `direct`) are never public posts; when `[brand] accounts`
names the brand's accounts, only their messages are the brand's. Days are UTC days. The audit
date (`[checks] as_of`) is one setting for every check; it defaults to the newest message in the
workspace, because an export is a snapshot and its audit should judge the period it covers.

## Writing a check

A check is one class in one file named by its code, in its area's package
(`src/socialaudit/checks/content/SA305.py`): its metadata as class attributes (code, name, area,
severity, `requires`, options with the reason for each default, the doc below, advice), and a
`run(ctx, opts)` that reads the workspace through `ctx` and returns `self.finding(...)`. The
area's `get_checks()` (its `__init__.py`) lists it; a plugin package does the same in its own
package and names its `get_checks` under `[project.entry-points."socialaudit.checks"]`. Its cases
go in a TOML file that `socialaudit.testing` runs (`case_params`, `check_case`; the format is in
that module's docstring, `series` with `{i}` included), as tests/test_check_cases.py does for the
built-in checks. Adding a check to an existing area touches four files: the check, its case
file, two lines of the area's `__init__.py`, and this page, regenerated.
"""


def render() -> str:
    from socialaudit import norms
    from socialaudit.checks import AREAS, load_registry

    registry = load_registry()
    parts = [
        INTRO,
        "## Index\n",
        "| code | name | area | severity | needs |",
        "|---|---|---|---|---|",
    ]
    for c in registry.all():
        parts.append(
            f"| [{c.code}](#{c.code.lower()}-{c.name}) | {c.name} | {AREAS.get(c.area, c.area)} | "
            f"{c.severity} | {', '.join(c.requires)} |"
        )
    parts.append("")
    for c in registry.all():
        parts.append(_demote(c.full_doc()).strip())
        parts.append("")
    parts += ["# Per-platform norms", "", "From `socialaudit.norms`: the one place for them.", ""]
    tables = (
        ("Daily post ceiling (SA202)", norms.DAILY_POST_CEILING),
        ("Daily follow limit (SA401)", norms.DAILY_FOLLOW_LIMIT),
        ("Following cap", norms.FOLLOWING_CAP),
        ("Character limit (draft linter)", norms.CHARACTER_LIMIT),
        ("Visible characters", norms.VISIBLE_CHARACTERS),
        ("Hashtag limit", norms.HASHTAG_LIMIT),
        ("Hashtag advice", norms.HASHTAG_ADVICE),
    )
    for title, table in tables:
        parts += [f"## {title}", "", "| platform | value | source |", "|---|---|---|"]
        for platform, n in table.items():
            parts.append(f"| {platform} | {'—' if n.value is None else n.value} | {n.source} |")
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _demote(text: str) -> str:
    """One heading level down (outside code blocks), so each check is a section of the page."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def test_docs_checks_md_is_current() -> None:
    assert DOC.exists(), "docs/checks.md is missing: run .venv/bin/python tests/test_checks_docs.py"
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/checks.md is out of date: run .venv/bin/python tests/test_checks_docs.py"
    )


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
