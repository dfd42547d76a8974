"""The agency's portfolio (issue 17): a multi-brand file split into one brand per account, every
brand audited into one table, benchmarks, one brand of a multi-brand workspace audited alone,
goals against peers, the weekly digest, and the portfolio's dashboard pages.

The real-data tests split TWCS's 75 brands once (a module fixture) and audit them with the care
checks: the portfolio's care figures per brand must equal SA102's per-account figures on the
unsplit workspace, the shipped reference benchmarks must be what the same audits give, and
every percentile is checked against scipy's percentileofscore and a plain count.
"""

from __future__ import annotations

import json

import pytest
from tests.conftest import shared_path

TWCS = ("twcs", "twcs_head5000_multibrand.csv")
CARE = ("SA101", "SA102", "SA104")


def _json(out: str) -> dict:
    return json.loads(out)


@pytest.fixture(scope="module")
def twcs_split(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """TWCS split by account, its care audits through the CLI, and the unsplit workspace's."""
    import io
    import sys

    from socialaudit import cli as cli_module

    def run(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        old = sys.argv, sys.stdout, sys.stderr
        sys.argv, sys.stdout, sys.stderr = ["socialaudit", *args], out, err
        try:
            cli_module.main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 0
        finally:
            sys.argv, sys.stdout, sys.stderr = old
        return code, out.getvalue(), err.getvalue()

    data = shared_path(*TWCS)
    root = tmp_path_factory.mktemp("twcs")
    brands, whole = root / "brands", root / "whole"
    code, _, err = run("split", str(data), "--by", "account", "--into", str(brands))
    assert code == 0, err
    select = [a for code in CARE for a in ("--select", code)]
    code, out, err = run("portfolio", "audit", str(brands), "--format", "json", *select)
    assert code in (0, 1), err
    portfolio = _json(out)
    assert run("import", str(data), "-w", str(whole))[0] == 0
    code, out, err = run("audit", "-w", str(whole), "--format", "json", *select)
    assert code in (0, 1), err
    return {
        "brands": brands,
        "whole": whole,
        "portfolio": portfolio,
        "unsplit": _json(out),
        "split_log": err,
        "run": run,
    }


# -- the split and the portfolio table ---------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.slow
def test_twcs_split_care_figures_equal_sa102_per_account(twcs_split: dict) -> None:
    portfolio, unsplit = twcs_split["portfolio"], twcs_split["unsplit"]
    sa102 = next(f for f in unsplit["findings"] if f["code"] == "SA102")["per_account"]
    assert len(portfolio["brands"]) == 75 == len(sa102)
    for brand in portfolio["brands"]:
        # each brand workspace is named after its account ([brand] name = the handle)
        assert brand["care"] == sa102[f"x:{brand['name']}"], brand["name"]
    # every brand's own messages are in exactly one brand workspace, and no customer message
    # was left out (each went with the brands it addresses)
    from socialaudit.workspace import Workspace

    own = inbound = 0
    for folder in sorted(p for p in twcs_split["brands"].iterdir() if p.is_dir()):
        with Workspace.open(folder, create=False) as ws:
            own += ws.sql("select count(*) as n from messages where from_brand")["n"][0].as_py()
            inbound += ws.sql("select count(distinct id) as n from messages where not from_brand")[
                "n"
            ][0].as_py()
            assert ws.count("accounts") == 1  # one brand account per workspace
    assert own == 2012  # PROVENANCE.md: 2,012 brand rows
    assert inbound >= 2546  # 2,546 customer rows, those addressing two brands in both


@pytest.mark.realdata
@pytest.mark.slow
def test_portfolio_table_sorted_and_every_brand_judged_alone(twcs_split: dict) -> None:
    brands = twcs_split["portfolio"]["brands"]
    scores = [b["score"] for b in brands if b["score"] is not None]
    assert scores == sorted(scores)  # lowest score first
    assert all(b["checks"] == len(CARE) for b in brands)
    rank = {"fail": 0, "error": 1, "warn": 2}
    severity = {"high": 0, "medium": 1, "low": 2}
    for b in brands:
        worst = b["worst"]
        assert len(worst) <= 3
        keys = [(rank[w["verdict"]], severity[w["severity"]], w["code"]) for w in worst]
        assert keys == sorted(keys), b["name"]
        problems = b["verdicts"]["fail"] + b["verdicts"]["warn"] + b["verdicts"]["error"]
        assert len(worst) == min(problems, 3)


@pytest.mark.realdata
@pytest.mark.slow
def test_audit_one_brand_of_a_multibrand_workspace(twcs_split: dict) -> None:
    """`[brands.NAME] accounts = [...]` + `audit --brand NAME` judges the brand alone: the same
    care figures as its own split workspace, with its own history."""
    run, whole = twcs_split["run"], twcs_split["whole"]
    config = whole / "socialaudit.toml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + '\n[brands.grocers]\naccounts = ["x:Tesco", "x:sainsburys"]\nname = "UK grocers"\n'
        + '\n[brands.delta]\naccounts = ["Delta"]\n',
        encoding="utf-8",
    )
    sa102 = next(f for f in twcs_split["unsplit"]["findings"] if f["code"] == "SA102")
    code, out, err = run(
        "audit", "-w", str(whole), "--brand", "delta", "--select", "SA102", "--format", "json"
    )
    assert code in (0, 1), err
    delta = _json(out)
    assert delta["brand"] == "delta"
    assert delta["brand_scope"]["name"] == "delta"
    (finding,) = delta["findings"]
    assert finding["per_account"] == {"x:Delta": sa102["per_account"]["x:Delta"]}
    assert "changes" not in delta  # first audit of this brand: nothing to compare with
    code, out, _ = run(
        "audit", "-w", str(whole), "--brand", "grocers", "--select", "SA102", "--format", "json"
    )
    grocers = _json(out)
    assert set(grocers["findings"][0]["per_account"]) == {"x:Tesco", "x:sainsburys"}
    for acct in ("x:Tesco", "x:sainsburys"):
        assert grocers["findings"][0]["per_account"][acct] == sa102["per_account"][acct]
    assert "changes" not in grocers  # not compared with delta's audit
    # the second audit of delta is compared with delta's first, not with grocers'
    code, out, _ = run(
        "audit", "-w", str(whole), "--brand", "delta", "--select", "SA102", "--format", "json"
    )
    again = _json(out)
    assert again["changes"]["previous_audit_id"] is not None
    assert again["changes"]["unchanged"] == 1
    # the portfolio of this workspace is its two brands
    code, out, err = run(
        "portfolio", "audit", str(whole), "--select", "SA102", "--format", "json", "--no-save"
    )
    assert code in (0, 1), err
    names = {b["name"] for b in _json(out)["brands"]}
    assert names == {"UK grocers", "delta"}
    code, _, err = run("audit", "-w", str(whole), "--brand", "nope")
    assert code == 2 and "no brand 'nope'" in err and "grocers" in err
    config.write_text(
        config.read_text(encoding="utf-8").split("\n[brands.grocers]")[0], encoding="utf-8"
    )


# -- benchmarks ------------------------------------------------------------------------------


def _independent_rank(value: float, values: list[float], better: str) -> float:
    """Written differently from benchmarks.percentile_rank: scipy, on values turned so that
    higher is better."""
    from scipy.stats import percentileofscore

    sign = -1.0 if better == "lower" else 1.0
    return float(percentileofscore([sign * v for v in values], sign * value, kind="mean"))


@pytest.mark.realdata
@pytest.mark.slow
def test_benchmark_percentiles_against_an_independent_computation(twcs_split: dict) -> None:
    from socialaudit.portfolio.benchmarks import BY_KEY, reference

    brands = twcs_split["portfolio"]["brands"]
    ref = reference()["figures"]
    checked = 0
    for key in ("first_response_median", "unanswered_share", "conversational_share"):
        better = BY_KEY[key].better
        values = [
            b["benchmarks"][key]["value"]
            for b in brands
            if b["benchmarks"][key]["value"] is not None
        ]
        assert len(values) > 40, key
        for b in brands:
            s = b["benchmarks"][key]
            if s["value"] is None:
                assert "portfolio" not in s
                continue
            assert s["portfolio"] == pytest.approx(
                _independent_rank(s["value"], values, better), abs=0.05
            )
            assert s["portfolio_brands"] == len(values)
            assert s["reference"] == pytest.approx(
                _independent_rank(s["value"], ref[key]["values"], better), abs=0.05
            )
            checked += 1
    assert checked > 150
    # the slowest brand stands lowest, the fastest highest
    frm = sorted(
        (b for b in brands if b["benchmarks"]["first_response_median"]["value"] is not None),
        key=lambda b: b["benchmarks"]["first_response_median"]["value"],
    )
    assert frm[0]["benchmarks"]["first_response_median"]["portfolio"] > 95
    assert frm[-1]["benchmarks"]["first_response_median"]["portfolio"] < 5


def test_percentile_rank_by_hand() -> None:
    from socialaudit.portfolio.benchmarks import percentile_rank

    values = [10.0, 20.0, 20.0, 40.0]
    # higher is better: 20 beats one brand, ties two (itself included): (1 + 0.5 * 2) / 4
    assert percentile_rank(20.0, values, "higher") == 50.0
    # lower is better: 10 beats three, ties itself: (3 + 0.5) / 4
    assert percentile_rank(10.0, values, "lower") == 87.5
    assert percentile_rank(40.0, values, "lower") == 12.5
    assert percentile_rank(5.0, [], "lower") is None
    # against a reference that does not hold the value
    assert percentile_rank(25.0, values, "higher") == 75.0


@pytest.mark.realdata
@pytest.mark.slow
def test_shipped_reference_is_what_the_twcs_audits_give(twcs_split: dict) -> None:
    """The package's reference benchmarks are the 75 TWCS brands' figures as the current checks
    compute them (scripts/benchmarks_twcs.py's selection), with their provenance."""
    import hashlib

    import numpy as np
    from scripts.benchmarks_twcs import CASES, MIN_CASES

    from socialaudit.portfolio.benchmarks import reference

    ref = reference()
    data = shared_path(*TWCS)
    assert ref["dataset"]["sha256"] == hashlib.sha256(data.read_bytes()).hexdigest()
    assert "CC BY-NC-SA 4.0" in ref["dataset"]["licence"]
    brands = twcs_split["portfolio"]["brands"]
    for key, (code, count) in CASES.items():
        shipped = ref["figures"][key]
        # the number of cases behind each brand's figure comes from the unsplit per-account table
        expected = []
        for b in brands:
            value = b["benchmarks"][key]["value"]
            if value is None:
                continue
            finding = next(f for f in twcs_split["unsplit"]["findings"] if f["code"] == code)
            cases = finding["per_account"].get(f"x:{b['name']}", {}).get(count)
            if cases is not None and cases >= MIN_CASES:
                expected.append(round(value, 4))
        assert sorted(expected) == shipped["values"], key
        q = np.percentile(shipped["values"], [10, 25, 50, 75, 90], method="linear")
        assert [
            shipped["quantiles"][k] for k in ("p10", "p25", "median", "p75", "p90")
        ] == pytest.approx(list(q), abs=1e-3)
        # aggregates only: numbers, no names
        assert all(isinstance(v, float | int) for v in shipped["values"])
    assert "AmazonHelp" not in json.dumps(ref)
