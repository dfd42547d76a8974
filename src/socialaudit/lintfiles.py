"""The draft linter on files (the file side of `socialaudit lint`): reading files, standard input
and CSV; writing text and JSON. The `lint` package itself only turns drafts into findings.

Each `.txt` or `.md` file is one draft (a folder: every such file in it); `-` is one draft read
from standard input; a `.csv` file holds one draft per row in its text column. A Markdown draft
may start with YAML front matter (`---` ... `---`); it is not part of the post, and a
`platform:` line in it sets the draft's platform.

The JSON output is one object per run, versioned (docs/lint.md):
`{"schema_version": 1, "tool": "socialaudit lint", "min_level": ..., "summary": {...},
"results": [{"path", "row", "platform", "findings": [...], "suppressed": [...]}]}`.
New keys may be added; existing keys keep their meaning until the version changes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .lint.core import DraftResult, Level
from .lint.engine import LintSettings, lint_drafts
from .lint.rules import PLATFORMS
from .sources.base import read_text
from .sources.limits import MAX_DRAFT_BYTES
from .units import count

SCHEMA_VERSION = 1
DRAFT_SUFFIXES = (".txt", ".md", ".markdown")
DEFAULT_TEXT_COLUMN = "text"

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<body>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_FM_PLATFORM = re.compile(r"^platform[ \t]*:[ \t]*['\"]?(?P<p>[\w-]+)['\"]?[ \t]*$", re.M)


@dataclass
class DraftInput:
    """One draft to lint and where it came from."""

    path: str
    text: str
    row: int | None = None  # CSV: the data row (1 = the first row under the header)
    platform: str | None = None
    hidden: list[tuple[int, int]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.path}:row {self.row}" if self.row is not None else self.path


def _draft_from_text(path: str, text: str, markdown: bool) -> DraftInput:
    draft = DraftInput(path=path, text=text)
    m = _FRONT_MATTER.match(text) if markdown else None
    if m:
        draft.hidden.append(m.span())
        p = _FM_PLATFORM.search(m.group("body"))
        if p:
            platform = p.group("p").lower()
            if platform not in PLATFORMS:
                line = text.count("\n", 0, m.start("body") + p.start()) + 1
                raise InputError(
                    path,
                    f"front matter platform: expected one of "
                    f"{', '.join(PLATFORMS)}, got {platform!r}",
                    line=line,
                )
            draft.platform = platform
    return draft


def _read_csv(path: str, data: str, column: str) -> Iterator[DraftInput]:
    reader = csv.DictReader(io.StringIO(data, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({exc})", line=1) from exc
    if column not in header:
        cols = ", ".join(h for h in header if h) or "none"
        raise InputError(
            path,
            f"no column '{column}' (columns: {cols}); name the draft column with --text-column",
            line=1,
        )
    row = 0
    try:
        for record in reader:
            row += 1
            yield DraftInput(path=path, text=record.get(column) or "", row=row)
    except csv.Error as exc:
        raise InputError(path, f"not a readable CSV ({exc})", line=reader.line_num) from exc


def read_drafts(
    paths: Sequence[str],
    text_column: str | None = None,
    stdin: io.TextIOBase | None = None,
    max_bytes: int | None = None,
) -> list[DraftInput]:
    """Every draft the paths name, in order; raises InputError for the first bad input, and
    for a draft larger than `max_bytes` (default MAX_DRAFT_BYTES): the rules' cost grows with
    a draft's length, and no platform takes a post of even a tenth of it."""
    limit = MAX_DRAFT_BYTES if max_bytes is None else max_bytes
    drafts = _read_drafts(paths, text_column, stdin, limit)
    for d in drafts:
        size = len(d.text.encode("utf-8", errors="replace"))
        if size > limit:
            raise InputError(
                d.label,
                f"a draft of {size:,} bytes is larger than the limit of {limit:,} (the longest "
                "post any platform allows is about 64 KB); raise it with --max-draft-bytes",
            )
    return drafts


def _read_drafts(
    paths: Sequence[str], text_column: str | None, stdin: io.TextIOBase | None, limit: int
) -> list[DraftInput]:
    drafts: list[DraftInput] = []
    for p in paths:
        if p == "-":
            # a draft on stdin is read only a little past the limit (a pipe has no size)
            data = (stdin or sys.stdin).read(limit + 1 if not text_column else -1)
            if text_column:
                drafts.extend(_read_csv("<stdin>", data, text_column))
            else:
                drafts.append(_draft_from_text("<stdin>", data, markdown=True))
            continue
        path = Path(p)
        if path.is_dir():
            found = sorted(
                f for f in path.rglob("*") if f.suffix.lower() in DRAFT_SUFFIXES and f.is_file()
            )
            drafts.extend(
                _draft_from_text(str(f), read_text(f), f.suffix.lower() != ".txt") for f in found
            )
            continue
        if not path.exists():
            raise InputError(p, "no such file")
        suffix = path.suffix.lower()
        if suffix != ".csv" and path.is_file() and path.stat().st_size > limit:
            raise InputError(
                p,
                f"a draft of {path.stat().st_size:,} bytes is larger than the limit of "
                f"{limit:,}; raise it with --max-draft-bytes",
            )
        if suffix == ".csv":
            drafts.extend(_read_csv(p, read_text(path), text_column or DEFAULT_TEXT_COLUMN))
        elif suffix in DRAFT_SUFFIXES or (text_column is None and suffix == ""):
            drafts.append(_draft_from_text(p, read_text(path), markdown=suffix != ".txt"))
        else:
            raise InputError(p, "expected a .txt or .md draft, or a .csv of drafts")
    return drafts


@dataclass
class LintRun:
    """The results of one `socialaudit lint`: each draft with its result."""

    drafts: list[DraftInput]
    results: list[DraftResult]
    min_level: Level

    def shown(self, result: DraftResult) -> list:
        return [f for f in result.findings if f.level >= self.min_level]

    @property
    def failed(self) -> bool:
        return any(self.shown(r) for r in self.results)

    def summary(self) -> dict[str, Any]:
        levels = Counter(str(f.level) for r in self.results for f in self.shown(r))
        return {
            "drafts": len(self.drafts),
            "drafts_flagged": sum(1 for r in self.results if self.shown(r)),
            "findings": sum(levels.values()),
            "by_level": {name: levels.get(name, 0) for name in ("error", "warning", "suggestion")},
            "suppressed": sum(s.suppressed for r in self.results for s in r.suppressions),
            "failed": self.failed,
        }


def lint_inputs(drafts: list[DraftInput], settings: LintSettings, min_level: Level) -> LintRun:
    results = lint_drafts(
        [d.text for d in drafts],
        config=settings,
        paths=[d.label for d in drafts],
        hidden=[d.hidden for d in drafts],
        platforms=[d.platform for d in drafts],
    )
    return LintRun(drafts, results, min_level)


def render_json(run: LintRun) -> str:
    return json.dumps(
        {
            "schema_version": SCHEMA_VERSION,
            "tool": "socialaudit lint",
            "min_level": str(run.min_level),
            "summary": run.summary(),
            "results": [
                {
                    "path": d.path,
                    "row": d.row,
                    "platform": r.platform,
                    "findings": [f.to_dict() for f in run.shown(r)],
                    "suppressed": [s.to_dict() for s in r.suppressions],
                }
                for d, r in zip(run.drafts, run.results, strict=True)
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def render_text(run: LintRun) -> str:
    """ruff-style lines: `path:line:col: CODE name [level] message`, the remedy under it."""
    lines: list[str] = []
    for d, r in zip(run.drafts, run.results, strict=True):
        for f in run.shown(r):
            lines.append(
                f"{d.label}:{f.line}:{f.column}: {f.code} {f.name} [{f.level}] {f.message}"
            )
            lines.append(f"    help: {f.remedy}")
        for s in r.suppressions:
            reason = f"-- {s.reason}" if s.reason else "(no reason given)"
            hid = f"hid {count(s.suppressed, 'finding')}" if s.suppressed else "hid nothing"
            lines.append(f"{d.label}:{s.line}: {s.code} ignored {reason} ({hid})")
    sm = run.summary()
    if sm["findings"]:
        parts = ", ".join(count(n, k) for k, n in sm["by_level"].items() if n)
        lines.append(
            f"Found {count(sm['findings'], 'problem')} ({parts}) in "
            f"{sm['drafts_flagged']} of {count(sm['drafts'], 'draft')}."
        )
    else:
        lines.append(
            f"{count(sm['drafts'], 'draft')} checked: nothing at or above {run.min_level} level."
        )
    return "\n".join(lines)
