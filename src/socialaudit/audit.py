"""Run the checks over a workspace: the library function behind `socialaudit audit`.

The labelling stage runs first, once (it labels only what is missing or stale, and writes
nothing when every label is current); then the checks, which only read. Each check runs
isolated: one that raises gives an `error` finding naming the exception, and the audit goes on
(a broken check must never hide the other findings).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from .capabilities import NO
from .checks import AuditContext, Check, Finding, Registry, load_registry
from .config import Config, load_config
from .labelling import label_workspace
from .model import LOW_CONFIDENCE, Verdict
from .score import compute_score
from .vocabulary import iso
from .workspace import Workspace

SCHEMA_VERSION = 1


@dataclass
class AuditResult:
    findings: list[Finding]
    created_at: datetime
    workspace: str
    brand: str | None = None
    extra: dict[str, Any] = field(
        default_factory=dict
    )  # score, changes, ... (added by later stages)

    @property
    def failed(self) -> bool:
        return any(f.verdict == Verdict.FAIL for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "generated_at": iso(self.created_at),
            "workspace": self.workspace,
            "brand": self.brand,
            "findings": [f.to_dict() for f in self.findings],
        }
        doc.update(self.extra)
        return doc


def run_audit(
    ws: Workspace,
    config: Config | None = None,
    *,
    select: list[str] | None = None,
    ignore: list[str] | None = None,
    registry: Registry | None = None,
    label: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> AuditResult:
    """Run the selected checks (config's select/ignore, then the arguments') and return findings.

    `label`: run the labelling stage first; a caller that has just run it (the command line,
    with its progress bar) passes False. `progress(done, total)` is called with the number of
    checks done before each check starts, and once at the end."""
    config = config or load_config(ws.config_path)
    registry = registry or load_registry()
    options = registry.validate_options(config.checks.option_tables())
    chosen_select = list(select if select else config.checks.select)
    chosen_ignore = [*config.checks.ignore, *(ignore or [])]
    chosen = registry.select(chosen_select, chosen_ignore)
    if label:
        label_workspace(ws, config)
    ctx = AuditContext(ws, config)
    findings = []
    for done, check in enumerate(chosen):
        if progress is not None:
            progress(done, len(chosen))
        findings.append(run_check(check, ctx, options[check.code]))
    if progress is not None:
        progress(len(chosen), len(chosen))
    unsure = mark_unsure_evidence(ws, findings)
    extra: dict[str, Any] = {"score": compute_score(findings)}
    if unsure:
        extra["low_confidence_evidence"] = unsure
    if len(chosen) < len(registry.checks):
        # A filtered audit says so, so that its score is not read as the whole audit's.
        extra["selection"] = {
            "select": chosen_select,
            "ignore": chosen_ignore,
            "checks_run": len(chosen),
            "checks_available": len(registry.checks),
        }
    if registry.load_errors:
        extra["plugin_errors"] = registry.load_errors
    return AuditResult(
        findings=findings,
        created_at=datetime.now(UTC),
        workspace=str(ws.root),
        brand=config.brand.name,
        extra=extra,
    )


# The checks whose evidence is a message because of its label (intent or content type); SA304's
# and SA306's evidence is what the brand wrote, whatever its label says.
LABELLED_EVIDENCE = frozenset(
    {"SA101", "SA102", "SA103", "SA104", "SA105", "SA301", "SA302", "SA303", "SA305"}
)


def mark_unsure_evidence(ws: Workspace, findings: list[Finding]) -> int:
    """Mark the evidence items whose message's label is less sure than LOW_CONFIDENCE (the item
    gets `label_confidence`, the finding a note saying how many), so that a reader knows which
    proof to check by eye. Returns how many items were marked in all."""
    findings = [f for f in findings if f.code in LABELLED_EVIDENCE]
    keys = {
        (e["platform"], e["message_id"])
        for f in findings
        for e in f.evidence
        if isinstance(e, dict) and "message_id" in e and "platform" in e
    }
    if not keys:
        return 0
    ws.create_temp(
        "_evidence_keys",
        pa.table(
            {
                "platform": [k[0] for k in sorted(keys)],
                "message_id": [str(k[1]) for k in sorted(keys)],
            }
        ),
    )
    low = {
        (r["platform"], r["message_id"]): r["confidence"]
        for r in ws.sql(
            "select l.platform, l.message_id, l.confidence from labels l "
            "join _evidence_keys k using (platform, message_id) where l.confidence < ?",
            [LOW_CONFIDENCE],
        ).to_pylist()
    }
    marked = 0
    for f in findings:
        n = 0
        for e in f.evidence:
            c = low.get((e.get("platform"), str(e.get("message_id"))))
            if isinstance(e, dict) and c is not None:
                e["label_confidence"] = c
                n += 1
        if n:
            f.notes.append(
                f"{n} of the {len(f.evidence)} evidence items rest on labels the text rules are "
                f"unsure of (confidence below {LOW_CONFIDENCE}): check them, and fix any that is "
                "wrong with `socialaudit label`"
            )
            marked += n
    return marked


def run_check(check_cls: type[Check], ctx: AuditContext, opts: dict[str, Any]) -> Finding:
    """One check, isolated: `unknown` without running when the workspace lacks what it
    `requires`; an `error` finding when it raises."""
    check = check_cls(opts)
    try:
        answer, lacking = ctx.answerable(check)
        if answer == NO:
            return check.missing(ctx, lacking)
        return check.run(ctx, opts)
    except Exception as exc:  # isolation: one broken check gives an error finding, the run goes on
        tb = traceback.format_exc(limit=3)
        return check.finding(
            Verdict.ERROR,
            message=f"the check crashed: {type(exc).__name__}: {exc}",
            error=tb,
            advice=(
                "This is a bug in socialaudit (or in a check plugin), not in your data: please "
                f"report it with this message; meanwhile leave the check out (ignore = "
                f'["{check.code}"] under [checks] in socialaudit.toml).'
            ),
        )
