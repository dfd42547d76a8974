"""Audit history: every audit stored in the workspace, and what changed since the previous one.

The library's `run_audit` writes nothing but labels that are missing or stale (the labelling
stage it runs before the checks, which only read); the CLI stores each audit with
`store_audit` unless told `--no-save`, and asks `changes_since_previous` before storing, so the
report can say what is new, fixed, worse or better than last time.

What the comparison calls what (by check code, previous audit against this one):

* **new**: warns or fails now; passed or could not be answered before;
* **fixed**: passes now; warned or failed before;
* **worse**: warned before, fails now; **better**: failed before, warns now;
* **moved**: same verdict, but figures changed (before and after given; whether a figure going
  up is good depends on the figure, so no direction is claimed);
* **now_unknown**: had a verdict before, and now answers unknown or errors.

Only checks that ran in both audits are compared: leaving a check out (`--select`, `--ignore`)
changes nothing about the brand, and a check that did not run before (a filtered audit, a new
check) has no "before" to compare with. Which stored audit is "the previous one": the one that
ran the most of this audit's checks, the newest among equals (`comparable_audit`). So a full audit
after `audit --select care` is compared with the full audit before it, not with the care-only
one; and a care-only audit is compared with the last audit that ran the care checks. When the two
audits ran different sets of checks, both scores are recomputed on the checks both ran, so the
score change means what it says.

A workspace that holds several brands (`[brands]`) keeps one history per brand: an audit of one
brand (`audit --brand NAME`, `portfolio audit`) carries `brand_scope` and is compared only with
audits of the same brand; a whole-workspace audit only with whole-workspace audits.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from . import model
from .audit import AuditResult
from .score import weighted_score
from .workspace import Workspace

# Higher is better; unknown and error have no place in the order.
VERDICT_RANK = {"fail": 0, "warn": 1, "pass": 2}
PROBLEMS = ("warn", "fail")
CHANGE_KINDS = ("new", "fixed", "worse", "better", "moved", "now_unknown")
# Which brand of the workspace an audit judged ('' for the whole workspace).
_SCOPE_SQL = "coalesce(json_extract_string(result, '$.brand_scope.name'), '') = ?"


def audit_scope(doc: dict[str, Any]) -> str:
    """The brand of `[brands]` an audit document judged, '' for the whole workspace."""
    return str((doc.get("brand_scope") or {}).get("name") or "")


def store_audit(ws: Workspace, result: AuditResult) -> str:
    """Store the audit's JSON document in the workspace's `audits` table; return its id."""
    from .report.jsonout import clean

    audit_id = f"{result.created_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    doc = clean(result.to_dict())
    # Charts are recomputed from the data on every run; storing them would only bloat history.
    doc.pop("charts", None)
    score = (result.extra.get("score") or {}).get("overall")
    row = {
        "audit_id": audit_id,
        "created_at": result.created_at.astimezone(UTC),
        "score": score,
        "result": json.dumps(doc, ensure_ascii=False, allow_nan=False),
    }
    ws.replace_rows("audits", model.to_table(model.AUDITS, [row]), source="socialaudit audit")
    return audit_id


def previous_audit(
    ws: Workspace, before: datetime | None = None, scope: str = ""
) -> dict[str, Any] | None:
    """The newest stored audit of `scope` (a brand of `[brands]`, '' for the whole workspace;
    strictly before `before` when given), as its JSON document with `audit_id` added; None when
    the workspace has none."""
    query = f"select audit_id, created_at, result from audits where {_SCOPE_SQL}"
    params: list[Any] = [scope]
    if before is not None:
        query += " and created_at < ?"
        params.append(before)
    query += " order by created_at desc, audit_id desc limit 1"
    rows = ws.sql(query, params).to_pylist()
    if not rows:
        return None
    doc = json.loads(rows[0]["result"])
    doc["audit_id"] = rows[0]["audit_id"]
    doc.setdefault("generated_at", rows[0]["created_at"].isoformat())
    return doc


def audit_count(ws: Workspace) -> int:
    return ws.count("audits")


def comparable_audit(
    ws: Workspace, codes: set[str], before: datetime | None = None, scope: str = ""
) -> dict[str, Any] | None:
    """The stored audit to compare an audit that ran `codes` with: the one of the same `scope`
    (strictly before `before` when given) that ran the most of those checks, the newest among
    equals; as its JSON document with `audit_id` added. None when no stored audit ran any."""
    query = (
        "select audit_id, created_at, json_extract_string(result, '$.findings[*].code') as codes"
        f" from audits where {_SCOPE_SQL}"
    )
    params: list[Any] = [scope]
    if before is not None:
        query += " and created_at < ?"
        params.append(before)
    best: tuple[int, datetime, str] | None = None
    for row in ws.sql(query, params).to_pylist():
        shared = len(codes & set(row["codes"] or []))
        key = (shared, row["created_at"], row["audit_id"])
        if shared and (best is None or key > best):
            best = key
    if best is None:
        return None
    return load_audit(ws, best[2])


def load_audit(ws: Workspace, audit_id: str) -> dict[str, Any] | None:
    """One stored audit's JSON document, with `audit_id` added; None when there is none."""
    rows = ws.sql(
        "select created_at, result from audits where audit_id = ?", [audit_id]
    ).to_pylist()
    if not rows:
        return None
    doc = json.loads(rows[0]["result"])
    doc["audit_id"] = audit_id
    doc.setdefault("generated_at", rows[0]["created_at"].isoformat())
    return doc


def changes_since_previous(ws: Workspace, result: AuditResult) -> dict[str, Any] | None:
    """Compare `result` with the most comparable audit stored before it (`comparable_audit`);
    None when there is none."""
    from .report.jsonout import clean

    previous = comparable_audit(
        ws,
        {f.code for f in result.findings},
        before=result.created_at,
        scope=audit_scope(result.extra),
    )
    return compare(previous, clean(result.to_dict())) if previous else None


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _figure_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Figures present in both audits whose value changed."""
    out = {}
    for name, new in after.items():
        old = before.get(name)
        if _numeric(old) and _numeric(new) and old != new:
            out[name] = {"before": old, "after": new}
    return out


def _kind(before: str | None, after: str, figures_moved: bool) -> str | None:
    if after in PROBLEMS and before not in PROBLEMS:
        return "new"
    if after == "pass" and before in PROBLEMS:
        return "fixed"
    if after in VERDICT_RANK and before in VERDICT_RANK and after != before:
        return "worse" if VERDICT_RANK[after] < VERDICT_RANK[before] else "better"
    if before in VERDICT_RANK and after not in VERDICT_RANK:
        return "now_unknown"
    if after == before and after in VERDICT_RANK and figures_moved:
        return "moved"
    return None


def _score_on(doc: dict[str, Any], codes: set[str]) -> float | None:
    """The overall score of a stored audit, recomputed on some of its checks."""
    return weighted_score(
        (f.get("severity") or "medium", f.get("verdict") or "")
        for f in doc.get("findings", [])
        if f.get("code") in codes
    )[0]


def compare(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """What changed from one audit document (the JSON contract) to the next, on the checks both
    ran. When they ran different sets, `score` is recomputed on the shared checks for both, and
    `only_now` / `only_before` name the checks left out of the comparison."""
    old = {f["code"]: f for f in previous.get("findings", [])}
    new = {f["code"]: f for f in current.get("findings", [])}
    shared = set(old) & set(new)
    same_checks = set(old) == set(new)
    changes: dict[str, Any] = {
        "previous_audit_id": previous.get("audit_id"),
        "previous_generated_at": previous.get("generated_at"),
        "score": {
            "before": (previous.get("score") or {}).get("overall")
            if same_checks
            else _score_on(previous, shared),
            "after": (current.get("score") or {}).get("overall")
            if same_checks
            else _score_on(current, shared),
            "checks": len(shared),
            "on": "all" if same_checks else "shared",
        },
        "only_now": sorted(set(new) - shared),
        "only_before": sorted(set(old) - shared),
        **{k: [] for k in CHANGE_KINDS},
        "unchanged": 0,
    }
    before_score, after_score = changes["score"]["before"], changes["score"]["after"]
    changes["score"]["delta"] = (
        round(after_score - before_score, 1)
        if before_score is not None and after_score is not None
        else None
    )
    for code in sorted(shared):
        b, a = old[code], new[code]
        vb = b["verdict"]
        va = a["verdict"]
        figures = _figure_changes(b.get("figures") or {}, a.get("figures") or {})
        kind = _kind(vb, va, bool(figures))
        if kind is None:
            changes["unchanged"] += 1
            continue
        changes[kind].append(
            {
                "code": code,
                "name": a.get("name"),
                "area": a.get("area"),
                "before": vb,
                "after": va,
                "message": a.get("message", ""),
                "figures": figures,
            }
        )
    return changes


# Keys of the stored audit document that are not part of `AuditResult.extra`.
_DOC_KEYS = {"schema_version", "generated_at", "workspace", "brand", "findings", "audit_id"}


def stored_result(doc: dict[str, Any]) -> AuditResult:
    """An audit stored in the workspace (its JSON contract document) as an AuditResult again."""
    import dataclasses

    from .checks.base import Finding

    fields_of = {f.name for f in dataclasses.fields(Finding)}
    findings = []
    for f in doc.get("findings") or []:
        fields = {k: v for k, v in f.items() if k in fields_of}
        fields["verdict"] = model.Verdict(fields.get("verdict", "unknown"))
        findings.append(Finding(**fields))
    generated = doc.get("generated_at")
    created = datetime.fromisoformat(generated) if generated else datetime.now(UTC)
    return AuditResult(
        findings=findings,
        created_at=created,
        workspace=str(doc.get("workspace") or ""),
        brand=doc.get("brand"),
        extra={k: v for k, v in doc.items() if k not in _DOC_KEYS},
    )


def record_audit(ws: Workspace, result: AuditResult, *, save: bool = True) -> str | None:
    """Put what changed since the previous audit into `result.extra["changes"]` (when there is a
    previous one), then store this audit unless `save` is False; return its id when stored."""
    changes = changes_since_previous(ws, result)
    if changes is not None:
        result.extra["changes"] = changes
    return store_audit(ws, result) if save else None


def score_history(ws: Workspace, scope: str = "") -> dict[str, Any]:
    """The stored scores of `scope`, oldest first, for a trend: only the audits that ran the
    same checks as the newest one (a score on other checks is not the same measure); how many
    were left out for that is said. {"points": [{audit_id, created_at, score}], "left_out": n}"""
    rows = ws.sql(
        "select audit_id, created_at, score,"
        " json_extract_string(result, '$.findings[*].code') as codes"
        f" from audits where {_SCOPE_SQL} order by created_at, audit_id",
        [scope],
    ).to_pylist()
    if not rows:
        return {"points": [], "left_out": 0}
    latest = set(rows[-1]["codes"] or [])
    same = [r for r in rows if set(r["codes"] or []) == latest]
    return {
        "points": [
            {"audit_id": r["audit_id"], "created_at": r["created_at"], "score": r["score"]}
            for r in same
        ],
        "left_out": len(rows) - len(same),
    }
