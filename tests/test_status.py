"""`socialaudit status`: what a workspace holds per platform and account, what the imported
exports lacked, and which checks that data can answer."""

from __future__ import annotations

import json
from datetime import date
from typing import ClassVar

import pytest

from conftest import shared_path
from exports import rows
from socialaudit.checks import CAPABILITIES, Registry, load_registry
from socialaudit.checks.base import Check
from socialaudit.config import Config, Goal
from socialaudit.status import PARTIAL, YES, render_text, workspace_status
from socialaudit.vocabulary import iso
from socialaudit.workspace import Workspace


def check(code: str, requires: tuple[str, ...]) -> type[Check]:
    return type(
        f"C{code}",
        (Check,),
        {"code": code, "name": f"check-{code.lower()}", "area": "care", "requires": requires},
    )


class Needs:
    """A registry of stand-in checks, one per combination that matters here."""

    codes: ClassVar[dict[str, tuple[str, ...]]] = {
        "SA901": ("brand_posts",),
        "SA902": ("inbound",),
        "SA903": ("follows",),
        "SA904": ("brand_posts", "goals"),
        "SA905": ("acknowledgements", "metrics"),
    }

    @classmethod
    def registry(cls) -> Registry:
        r = Registry()
        for code, requires in cls.codes.items():
            r.add(check(code, requires))
        return r


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    """One workspace with an X archive (inbound by time only) and a Mastodon archive."""
    from socialaudit.sources import import_path

    ws_dir = tmp_path_factory.mktemp("status") / "ws"
    with Workspace.open(ws_dir) as ws:
        import_path(ws, shared_path("export_x_archive", "alrocar"))
        import_path(ws, shared_path("export_mastodon_outbox", "dealingwith"))
    return ws_dir


@pytest.mark.realdata
def test_counts_dates_and_gaps_per_account(filled):
    with Workspace.open(filled) as ws:
        status = workspace_status(ws, Config(), Needs.registry())
    by = {(a.platform, a.account): a for a in status.accounts}
    assert set(by) == {("x", "alrocar"), ("mastodon", "dealingwith@indieweb.social")}
    x = by[("x", "alrocar")]
    expected = {
        r["kind"]: r["n"]
        for r in rows(
            filled, "select kind, count(*) n from messages where platform = 'x' group by kind"
        )
    }
    assert x.by_kind == expected
    assert x.brand == sum(n for k, n in expected.items() if k != "mention")
    assert x.inbound == 0 and x.inbound_time_only == expected["mention"]
    span = rows(
        filled, "select min(created_at) a, max(created_at) b from messages where platform = 'x'"
    )[0]
    assert (x.first, x.last) == (iso(span["a"]), iso(span["b"]))
    assert x.first.endswith("Z")  # the one time format of every output
    assert any("like.js" in g for g in x.gaps) and any("inbound messages" in g for g in x.gaps)
    assert x.imports == [
        {"source": str(shared_path("export_x_archive", "alrocar").resolve()), "format": "x-archive"}
    ]
    m = by[("mastodon", "dealingwith@indieweb.social")]
    assert m.acknowledgements == 1115 and not any("like.js" in g for g in m.gaps)


@pytest.mark.realdata
def test_capabilities_and_answerable_checks(filled):
    with Workspace.open(filled) as ws:
        status = workspace_status(
            ws,
            Config(goals=[Goal(metric="followers", target=2000, by=date(2026, 1, 1))]),
            Needs.registry(),
        )
    by = {a.platform: a for a in status.accounts}
    assert by["x"].capabilities == {
        "brand_posts": YES,
        "timeline": YES,  # an export of the account itself, not a dataset slice
        "inbound": PARTIAL,
        "inbound_text": "no",  # the customers' tweets are known by time only
        "metrics": YES,
        "acknowledgements": "no",
        "follows": "no",
        "follow_counts": YES,  # the profile and the audience rows count them
        "audience": YES,
    }
    assert (
        by["mastodon"].capabilities["inbound"] == "no"
        and by["mastodon"].capabilities["acknowledgements"] == YES
    )
    assert by["mastodon"].capabilities["metrics"] == "no"  # a 2023 archive carries no counts
    assert status.workspace == {
        "costs": "no",
        "conversions": "no",
        "goals": YES,
        "self_assessment": "no",
        "domains": YES,  # the Mastodon profile lists the owner's web site
    }
    answers = {(a.platform, c.code): c for a in status.accounts for c in a.checks}
    assert answers[("x", "SA901")].answerable == YES
    assert answers[("x", "SA902")].answerable == PARTIAL  # times from reply ids, no texts
    assert answers[("mastodon", "SA902")].answerable == "no"
    assert answers[("mastodon", "SA902")].to_import == [CAPABILITIES["inbound"]]
    assert answers[("x", "SA904")].answerable == YES  # goals are workspace-wide
    assert answers[("x", "SA905")].missing == ["acknowledgements"]
    assert answers[("mastodon", "SA905")].missing == ["metrics"]


@pytest.mark.realdata
def test_cli_json_and_text(cli, filled):
    code, out, err = cli("status", "--workspace", str(filled), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    registry = load_registry()
    for account in doc["accounts"]:
        answers = {c["code"]: c for c in account["checks"]}
        assert set(answers) == set(registry.checks)
        for code, c in answers.items():
            # Computed here from the capabilities the JSON reports, independently of status.py.
            have = {**account["capabilities"], **doc["workspace"]["capabilities"]}
            # A requirement "a|b" is met by either: it is as good as the best of them.
            levels = [
                max((have[n] for n in r.split("|")), key=["no", "partial", "yes"].index)
                for r in registry.checks[code].requires
            ]
            if all(v == "yes" for v in levels):
                assert c["answerable"] == "yes", code
            elif all(v in ("yes", "partial") for v in levels):
                assert c["answerable"] == "partial", code
            else:
                assert c["answerable"] == "no", code
    code, out, err = cli("status", "--workspace", str(filled))
    assert code == 0, err
    assert "x alrocar  (2019-02-03 .. 2024-11-09)" in out
    assert "brand: 1218, 0 inbound + 404 known by time only" in out
    assert "like.js): listed in manifest.js with 6528 records" in out
    assert "can partly answer:" in out and "cannot answer:" in out


def test_empty_and_missing_workspaces(cli, tmp_path):
    with Workspace.open(tmp_path / "ws") as ws:
        assert "The workspace is empty" in render_text(workspace_status(ws, Config(), Registry()))
    code, _, err = cli("status", "--workspace", str(tmp_path / "nothing"))
    assert code == 2 and "no workspace here" in err
    code, _, err = cli("status", "--workspace", str(tmp_path / "ws"), "--format", "xml")
    assert code == 2 and "expected text or json" in err
