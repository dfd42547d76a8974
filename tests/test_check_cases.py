"""Table-driven tests of every check: data in, verdict and figures out.

Each file in tests/checks/cases/ holds the cases of one check, in the TOML format that
`socialaudit.testing` documents and runs; plugin authors test their checks with the same
harness. Here, too: every registered check is documented, optioned and covered by a pass, a fail
or warn, and an unknown case.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DATA, shared_path
from socialaudit.checks import load_registry
from socialaudit.testing import (
    CaseFailure,
    case_files,
    case_params,
    check_case,
    doc_problems,
    missing_verdicts,
)

CASES_DIR = Path(__file__).parent / "checks" / "cases"
REGISTRY = load_registry()


@pytest.mark.parametrize(("data", "case"), case_params(CASES_DIR))
def test_case(tmp_path: Path, data: dict[str, Any], case: dict[str, Any]) -> None:
    """A case that reads a real export finds it in ../shared/data (skipped when absent, a
    failure under CI=true)."""
    if case.get("real"):
        shared_path(*case["real"]["path"].split("/"))
    check_case(tmp_path / "ws", data, case, data_root=SHARED_DATA)


@pytest.mark.parametrize("check", REGISTRY.all(), ids=lambda c: c.code)
def test_check_is_documented(check: type) -> None:
    assert not REGISTRY.load_errors, REGISTRY.load_errors
    assert doc_problems(check) == []
    full = check.full_doc()
    assert "## Sources" in full
    if check.options:
        assert "## Options" in full


@pytest.mark.parametrize("check", REGISTRY.all(), ids=lambda c: c.code)
def test_check_has_cases(check: type) -> None:
    missing = missing_verdicts(check, [data for _, data in case_files(CASES_DIR)])
    assert not missing, f"{check.code}: tests/checks/cases/ has no {', '.join(missing)} case"


def test_the_harness_fails_a_case_that_is_not_met(tmp_path: Path) -> None:
    """A wrong expectation fails with the key and the reason, never passes silently."""
    data = {"check": "SA302"}
    case = {
        "name": "a personal post warns",
        "expect": {"verdict": "pass", "figures": {"posts": 1}},
        "messages": [
            {
                "created_at": datetime(2024, 3, 1, 9),
                "text": "so tired lol",
                "content_type": "personal",
            }
        ],
    }
    with pytest.raises(CaseFailure, match="verdict warn, expected pass"):
        check_case(tmp_path / "a", data, case)
    case["expect"] = {"verdict": "warn", "figures": {"posts": 2}}
    with pytest.raises(CaseFailure, match=r"figures\['posts'\] = 1, expected 2"):
        check_case(tmp_path / "b", data, case)


def test_a_series_numbers_its_strings(tmp_path: Path) -> None:
    """`{i}` in a series: three questions, three answers, one to each (SA101 passes)."""
    data = {"check": "SA101", "defaults": {"message": {"account": "acme"}}}
    case = {
        "name": "each answer replies to its question",
        "accounts": [{"platform": "x", "handle": "acme"}],
        "series": [
            {
                "start": datetime(2024, 3, 1, 9),
                "every_hours": 24,
                "count": 3,
                "id_prefix": "q",
                "from_brand": False,
                "kind": "mention",
                "author": "fan{i}",
                "mentions": ["acme"],
                "text": "@acme question {i}?",
                "is_question": True,
            },
            {
                "start": datetime(2024, 3, 1, 10),
                "every_hours": 24,
                "count": 3,
                "id": "a{i}",
                "kind": "reply",
                "in_reply_to": "q{i}",
                "text": "@fan{i} answer {i}",
            },
        ],
        "expect": {"verdict": "pass", "figures": {"requests": 3, "unanswered_requests": 0}},
    }
    doc = check_case(tmp_path / "ws", data, case)
    assert doc["figures"]["inbound"] == 3
