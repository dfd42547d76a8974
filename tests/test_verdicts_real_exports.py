"""Every real export in ../shared/data audited, and per export the verdicts decided to be right
(issue 12: every verdict true on a real account), each with one line of reasoning.

The table in docs/verdicts-on-real-exports.md is generated from `EXPECTED` below, so the page a
marketer reads and the test can never disagree; regenerate it with
`.venv/bin/python tests/test_verdicts_real_exports.py`.

Each export is imported and audited once (library API: import, label, audit, as the CLI does),
then every expected verdict is one test.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DATA, shared_path

pytestmark = pytest.mark.realdata

DOC = Path(__file__).resolve().parents[1] / "docs" / "verdicts-on-real-exports.md"


@dataclass(frozen=True)
class Export:
    """One real export and the verdicts decided on it."""

    path: str  # under ../shared/data
    config: str  # the workspace's socialaudit.toml ("" for none)
    what: str  # what it is, in words
    verdicts: dict[str, tuple[str, str]]  # check -> (verdict, why that verdict is the true one)


# name -> the export (path under ../shared/data, its socialaudit.toml, what it is in words)
# and the verdicts decided on it: check -> (verdict, why that verdict is the true one).
EXPORTS: dict[str, Export] = {
    # An X archive: the brand's own timeline; customers' messages only as the parents of its replies.
    "x-alrocar": Export(
        "export_x_archive/alrocar",
        "",
        "X archive of @alrocar",
        {
            "SA101": (
                "unknown",
                "the archive knows customers' messages only as the parents of the replies, without "
                "text; a request never answered is not in it at all",
            ),
            "SA102": (
                "pass",
                "median first answer 38 min over its 404 replies; the archive holds only answered "
                "messages, so the speed is judged, never the share answered",
            ),
            "SA104": (
                "pass",
                "42.5 % of its messages talk with people once its 183 thread continuations "
                "(replies to itself) are left out; counted as broadcasts they made it 24 %",
            ),
            "SA201": (
                "pass",
                "judged on the day the archive was made (its generationDate): it had posted within "
                "14 days",
            ),
            "SA501": (
                "unknown",
                "an X archive carries likes and reposts only: nothing imported could hold reach or "
                "clicks, so this is what to import, not proof that the brand measures nothing",
            ),
            "SA504": (
                "unknown",
                "no costs ledger was imported: nothing to judge yet, not a brand that treats "
                "social as free",
            ),
        },
    ),
    "x-andreruffert": Export(
        "export_x_archive/andreruffert",
        "",
        "X archive of @andreruffert",
        {
            "SA102": (
                "pass",
                "33 min median over the 414 replies; true by construction that all were answered, "
                'and the finding says so instead of "414 answered of 414"',
            ),
            "SA104": (
                "unknown",
                "only 7 messages in the year before the archive date; the hint is the window or "
                "--as-of, as the other 1,278 messages are imported already",
            ),
            "SA201": (
                "pass",
                "judged on the archive's own date (11 days after the newest post), not on the "
                "newest post",
            ),
            "SA202": (
                "pass",
                "no burst in the 90 days before the archive date; the bursts of 2014 are history, "
                "not today's habit",
            ),
            "SA203": (
                "fail",
                "a 209.7-day silence before the archive was made: the account was in fact quiet",
            ),
            "SA501": ("unknown", "X archive: likes and reposts only, see x-alrocar"),
        },
    ),
    # A Mastodon outbox: the brand's own posts, nothing customers wrote.
    "mastodon": Export(
        "export_mastodon_outbox/dealingwith",
        "",
        "Mastodon archive of @dealingwith",
        {
            "SA101": ("unknown", "an outbox holds no message from anyone else"),
            "SA104": (
                "warn",
                "27.7 % of its 725 public messages talk with someone: mostly broadcasting",
            ),
            "SA201": ("pass", "posted within 14 days of its newest message"),
            "SA501": ("unknown", "a Mastodon archive carries no reach or click figures"),
        },
    ),
    # A Bluesky repository.
    "bluesky": Export(
        "export_bluesky_car/bnewbold.robocracy.org.20250310005405.car",
        "",
        "Bluesky repository (CAR) of bnewbold.robocracy.org",
        {
            "SA102": (
                "unknown",
                "2 answered replies (one to a 69-day-old post) are below the minimum of 10: one "
                "reply would move the median (it used to fail on them)",
            ),
            "SA201": ("pass", "judged as of the CAR's export time, the newest post is recent"),
            "SA203": ("fail", "a 121.5-day silence in the period before the export"),
        },
    ),
    # Meta exports of personal accounts (test fixtures, but real files).
    "facebook": Export(
        "export_facebook_dyi/waultar_fixtures/test/objectbox/data/Facebook",
        "",
        "Facebook 'download your information' test fixture",
        {
            "SA104": (
                "unknown",
                "3 messages in the year before its newest one: the window or --as-of is the remedy",
            ),
            "SA203": ("fail", "a 146-day silence before the newest post"),
            "SA501": ("unknown", "the export carries no reach or click figures"),
        },
    ),
    "instagram": Export(
        "export_instagram_dyi/yummyhopper",
        "",
        "Instagram 'download your information' export",
        {
            "SA104": (
                "unknown",
                "7 messages in all: too few to judge, and the remedy is more of the account's "
                "messages",
            ),
            "SA203": ("fail", "a 68.7-day silence before the newest post"),
        },
    ),
    # TWCS: conversations sampled from a dataset, not a brand's timeline.
    "twcs-spotify": Export(
        "twcs/spotifycares_support_requests.csv",
        '[brand]\naccounts = ["x:SpotifyCares"]\n',
        "TWCS: 15,096 customer tweets to @SpotifyCares, without its replies",
        {
            "SA101": (
                "unknown",
                "the file holds 15,096 customer tweets chosen because SpotifyCares answered them, "
                "and none of its replies: unanswered cannot be told from answered elsewhere (it "
                "said 99 %)",
            ),
            "SA102": (
                "unknown",
                "no reply of the brand in the file, so no response time (it said none of 15,096 "
                "answered)",
            ),
            "SA103": ("unknown", "same reason: its thanks are not in the file"),
            "SA201": (
                "unknown",
                "no message of the account at all, and a slice says nothing of its activity",
            ),
        },
    ),
    "twcs-multibrand": Export(
        "twcs/twcs_head5000_multibrand.csv",
        "",
        "TWCS: the first 5,000 rows, 75 brands' customer care threads",
        {
            "SA101": (
                "fail",
                "154 of 1,494 requests (10.3 %) have no answer from the one brand each is "
                "addressed to; a thread tagging many brands counts once (it was 262, one banter "
                "thread counted 119 times)",
            ),
            "SA102": (
                "fail",
                "judged per account: 11 of the 43 accounts with 10+ answers fail on their own "
                "figures; the overall median (18 min) no longer hides them",
            ),
            "SA103": (
                "pass",
                "all 78 messages of praise got a reply; 149 thanks below a brand's own answer "
                "acknowledge it and are not praise owed a reply (it counted 136 unthanked pairs)",
            ),
            "SA201": (
                "unknown",
                "a dataset slice: dormancy would measure the sampling, not the brands",
            ),
            "SA202": ("unknown", "a dataset slice: bursts would measure the sampling"),
            "SA203": ("unknown", "a dataset slice: gaps would measure the sampling"),
            "SA501": ("unknown", "TWCS carries no reach or click figures"),
        },
    ),
    "twcs-apple": Export(
        "twcs/twcs_head5000_multibrand.csv",
        '[brand]\naccounts = ["x:AppleSupport"]\n',
        "the same file audited for @AppleSupport alone",
        {
            "SA101": ("warn", "3 of 98 requests to AppleSupport (3.1 %) got no answer"),
            "SA102": ("pass", "9 min median, 30 min 90th percentile over 150 answers"),
            "SA105": (
                "pass",
                "its own 139 messages for 150 answers (0.9 per answer); counting all 75 brands' "
                "messages it said 13.3",
            ),
        },
    ),
    "twcs-sample93": Export(
        "twcs/twcs_kaggle_sample93.csv",
        "",
        "TWCS: the 93-row sample shipped with the Kaggle dataset, 13 brands",
        {
            "SA101": (
                "warn",
                "33 of the 34 requests older than the reply window answered in the slice; 119237 "
                "(an angry fault report, a complaint since the rules read flat fault reports) has "
                "its answer 119236 outside the 93 rows: TWCS's response_tweet_id names it, but "
                "SA101 reads only the replies that were imported",
            ),
            "SA102": (
                "fail",
                "AppleSupport, the one account with 10+ answers, is slow on its own figures; the "
                "12 others are too few to judge",
            ),
            "SA201": ("unknown", "a dataset slice, as above"),
        },
    ),
}

# (export, check, verdict, why): one test each, and one row of the page's table, in this order.
EXPECTED: list[tuple[str, str, str, str]] = [
    (name, code, verdict, why)
    for name, export in EXPORTS.items()
    for code, (verdict, why) in export.verdicts.items()
]


def _audit(name: str, root: Path) -> dict[str, Any]:
    from socialaudit.audit import run_audit
    from socialaudit.config import load_config
    from socialaudit.labelling import label_workspace
    from socialaudit.sources import import_path
    from socialaudit.sources.base import ImportOptions
    from socialaudit.status import workspace_status
    from socialaudit.workspace import Workspace

    path, config = EXPORTS[name].path, EXPORTS[name].config
    export = shared_path(*path.split("/"))
    with Workspace.open(root / name) as ws:
        if config:
            ws.config_path.write_text(config, encoding="utf-8")
        import_path(ws, export, None, ImportOptions())
        label_workspace(ws)
        config = load_config(ws.config_path)
        result = run_audit(ws, config, label=False)
        findings = {f.code: f.to_dict() for f in result.findings}
        status = workspace_status(ws, config)
        findings["status"] = {c.code: c.answerable for c in status.audit_checks}
        return findings


@pytest.fixture(scope="module")
def audits(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("real")
    cache: dict[str, dict[str, Any]] = {}

    def get(name: str) -> dict[str, Any]:
        if name not in cache:
            cache[name] = _audit(name, root)
        return cache[name]

    return get


@pytest.mark.parametrize(
    ("export", "code", "verdict", "why"),
    EXPECTED,
    ids=[f"{e}:{c}" for e, c, _, _ in EXPECTED],
)
def test_verdict_on_a_real_export(audits: Any, export: str, code: str, verdict: str, why: str):
    finding = audits(export)[code]
    assert finding["verdict"] == verdict, (
        f"{export} {code}: {finding['verdict']}, decided {verdict} ({why}): {finding['message']}"
    )
    if verdict == "unknown":
        assert finding["needs"], f"{export} {code} is unknown without saying what to import"


@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_status_and_audit_agree(audits: Any, export: str) -> None:
    """Issue 12 item 7: what `socialaudit status` says the audit cannot answer, the audit calls
    unknown (both come from `capabilities.answerable`), never a pass or a fail."""
    findings = audits(export)
    for code, answerable in findings["status"].items():
        if answerable == "no":
            assert findings[code]["verdict"] == "unknown", (export, code, findings[code]["message"])


def table() -> str:
    """The page's table: one row per export and check, in EXPECTED's order."""
    lines = [
        "| Export | Check | Verdict | Why this is the true verdict |",
        "|---|---|---|---|",
    ]
    for export, code, verdict, why in EXPECTED:
        lines.append(f"| {export} | {code} | {verdict} | {why} |")
    exports = ["", "| Export | What it is | Path under shared/data |", "|---|---|---|"]
    for name, e in EXPORTS.items():
        extra = f" (with `{e.config.strip().splitlines()[-1]}`)" if e.config else ""
        exports.append(f"| {name} | {e.what}{extra} | `{e.path}` |")
    return "\n".join([*exports, "", *lines]) + "\n"


BEGIN, END = "<!-- table: generated -->\n", "<!-- end of table -->\n"


def test_the_page_shows_the_tested_verdicts() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, f"{DOC.name} lost its generated-table markers"
    body = text.split(BEGIN, 1)[1].split(END, 1)[0]
    assert body == table(), (
        f"{DOC.name} is out of date: run .venv/bin/python tests/test_verdicts_real_exports.py"
    )


def test_every_export_of_the_data_folder_is_judged() -> None:
    """A new account export or TWCS file added to ../shared/data gets its verdicts decided here
    too, and every export listed has some."""
    shared_path("twcs")
    found = {
        str(p.relative_to(SHARED_DATA))
        for p in [*SHARED_DATA.glob("export_*/*"), *SHARED_DATA.glob("twcs/*.csv")]
        if p.name != "PROVENANCE.md"
    }
    listed = {e.path for e in EXPORTS.values()}
    unlisted = {f for f in found if not any(path.startswith(f) for path in listed)}
    assert not unlisted, f"exports without decided verdicts: {sorted(unlisted)}"
    assert all(e.verdicts for e in EXPORTS.values()), "an export without decided verdicts"


if __name__ == "__main__":
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + BEGIN + table() + END + tail, encoding="utf-8")
    sys.stdout.write(f"wrote {DOC}\n")
