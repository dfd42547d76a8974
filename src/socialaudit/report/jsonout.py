"""The JSON contract: `{"schema_version": 1, "findings": [...]}` (docs/json-contract.md).

Later versions add keys; they never remove or rename one. NaN and infinities become null so
that every consumer's JSON parser accepts the output; controls and bidi overrides in strangers'
text are \\u escapes, so the text arrives exact and inert.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

from ..audit import AuditResult
from .inert import escape_json


def clean(value: Any) -> Any:
    """Make a value JSON-safe: NaN/inf -> None, numpy scalars -> Python, dates -> ISO strings."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def render_json(result: AuditResult) -> str:
    return dumps(result.to_dict())


def dumps(value: Any) -> str:
    """The JSON every command writes: readable Unicode, but C1 controls, line separators and
    bidi overrides as \\u escapes (`inert.escape_json`), NaN as null."""
    return (
        escape_json(json.dumps(clean(value), indent=2, ensure_ascii=False, allow_nan=False)) + "\n"
    )
