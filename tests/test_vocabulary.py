"""The vocabulary the checks share (socialaudit.vocabulary, capabilities, urls): one time format,
one audit date, one answer to "can this data answer this check" for status and audit alike."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import shared_path
from socialaudit import urls
from socialaudit.capabilities import NO, PARTIAL, YES, answerable, needs
from socialaudit.checks import load_registry
from socialaudit.vocabulary import day_iso, end_of_day, iso


def test_one_time_format_for_every_instant() -> None:
    aware = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert iso(aware) == "2024-03-01T09:30:00Z"
    assert iso(aware.astimezone(timezone(timedelta(hours=2)))) == "2024-03-01T09:30:00Z"
    assert iso(datetime(2024, 3, 1, 9, 30)) == "2024-03-01T09:30:00Z"  # naive means UTC
    assert iso(int(aware.timestamp())) == "2024-03-01T09:30:00Z"
    assert iso(date(2024, 3, 1)) == "2024-03-01"
    assert iso(None) is None
    assert day_iso(int(aware.timestamp()) // 86_400) == "2024-03-01"
    assert end_of_day(date(2024, 3, 1)) == datetime(2024, 3, 1, 23, 59, 59, tzinfo=UTC)


def test_answerable_takes_alternatives_and_partial_capabilities() -> None:
    have = {"brand_posts": NO, "conversions": YES, "inbound": PARTIAL}
    assert answerable(["brand_posts|conversions"], have) == (YES, [])
    assert answerable(["inbound"], have) == (PARTIAL, ["inbound"])
    assert answerable(["inbound", "brand_posts"], have) == (NO, ["inbound", "brand_posts"])
    assert (
        needs("costs|brand_posts")[0].startswith("a costs ledger CSV")
        and " or " in (needs("costs|brand_posts")[0])
    )


def test_links_are_parsed_one_way() -> None:
    assert urls.host("https://WWW.Shop.Acme.example:8080/a?b=1") == "shop.acme.example"
    assert urls.host("shop.acme.example/spring") == "shop.acme.example"
    assert urls.host("https://user@acme.example/") == "acme.example"
    assert urls.on_domain("news.acme.example", ["acme.example"])
    assert not urls.on_domain("notacme.example", ["acme.example"])


def test_as_of_is_one_setting_for_the_whole_audit(cli, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    assert cli("demo", "--workspace", str(root), "--format", "json")[0] == 0
    config = root / "socialaudit.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\n[checks.SA203]\nas_of = "2026-10-01"\n', encoding="utf-8")
    code, _, err = cli("audit", "--no-save", "-w", str(root))
    assert code == 2
    assert "[checks.SA203] as_of: the audit date is one setting for every check" in err
    config.write_text(text.replace("[checks]", '[checks]\nas_of = "2026-10-01"', 1), "utf-8")
    code, out, err = cli("audit", "--format", "json", "--no-save", "-w", str(root))
    assert code in (0, 1), err
    found = {f["code"]: f for f in json.loads(out)["findings"]}
    assert "2026-10-01T23:59:59Z" in found["SA201"]["message"]
    assert "(the as_of setting)" in " ".join(found["SA201"]["notes"])
    # The care checks judge from the same day: nothing written after it is a request yet.
    last = max(e["created_at"] for e in found["SA101"]["evidence"])
    assert last <= "2026-10-01T23:59:59Z"
    for e in found["SA101"]["evidence"]:
        assert (
            e["waited_seconds"]
            == (
                datetime(2026, 10, 1, 23, 59, 59, tzinfo=UTC)
                - datetime.fromisoformat(e["created_at"].replace("Z", "+00:00"))
            ).total_seconds()
        )


EXPORTS = {
    "x-andreruffert": ("export_x_archive", "andreruffert"),
    "mastodon": ("export_mastodon_outbox", "dealingwith"),
    "bluesky": ("export_bluesky_car", "bnewbold.robocracy.org.20250310005405.car"),
}


@pytest.mark.realdata
@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_status_and_audit_agree_on_what_the_data_cannot_answer(
    cli, tmp_path: Path, name: str
) -> None:
    ws = str(tmp_path / "ws")
    assert cli("import", str(shared_path(*EXPORTS[name])), "-w", ws)[0] == 0
    code, out, err = cli("status", "--format", "json", "-w", ws)
    assert code == 0, err
    status = json.loads(out)
    # The workspace as a whole has a capability when one of its accounts has it.
    rank = {NO: 0, PARTIAL: 1, YES: 2}
    have = dict(status["workspace"]["capabilities"])
    for account in status["accounts"]:
        for cap, value in account["capabilities"].items():
            if rank[value] > rank[have.get(cap, NO)]:
                have[cap] = value
    code, out, err = cli("audit", "--format", "json", "--no-save", "-w", ws)
    assert code in (0, 1), err
    findings = {f["code"]: f for f in json.loads(out)["findings"]}
    cannot = 0
    for check in load_registry().all():
        verdict, missing = answerable(check.requires, have)
        f = findings[check.code]
        if verdict == NO and check.area != "plan":  # self-assessment asks its question instead
            cannot += 1
            assert f["verdict"] == "unknown", (check.code, f["message"])
            assert f["needs"] == needs(*missing), check.code
        if f["message"].startswith("Not enough data to judge"):
            assert verdict == NO, check.code
    assert cannot  # every one of these exports lacks something (costs at least)
