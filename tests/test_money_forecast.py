"""SA506's forecasts on synthetic series with a known trend: the interval holds the truth, a goal
far above it is flagged, and a short history is `unknown`, not a guess."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from socialaudit.forecast import TooShort, forecast_level, forecast_monthly

START = date(2024, 1, 1)
DRIFT = 5.0  # followers a day
WEEKS = 52


def follower_walk(seed: int = 7) -> tuple[list[date], np.ndarray]:
    """Weekly follower counts of a random walk with a known drift of 5 a day (35 a week)."""
    rng = np.random.default_rng(seed)
    days = [START + timedelta(weeks=i) for i in range(WEEKS)]
    gains = DRIFT * 7 + rng.normal(0, 12, WEEKS)
    gains[0] = 0
    return days, 1000 + np.cumsum(gains)


def test_level_interval_holds_the_truth() -> None:
    days, counts = follower_walk()
    fit_upto = 30  # fit on 30 weeks, forecast the last week of the year
    f = forecast_level(days[:fit_upto], list(counts[:fit_upto]), days[-1])
    horizon = (days[-1] - days[fit_upto - 1]).days
    expected = counts[fit_upto - 1] + DRIFT * horizon  # the walk's mean at the horizon
    assert f.lower <= counts[-1] <= f.upper  # the value that happened
    assert f.lower <= expected <= f.upper
    assert f.value == pytest.approx(expected, rel=0.05)
    assert f.points == fit_upto and f.last == days[fit_upto - 1]


def test_level_interval_widens_with_horizon() -> None:
    days, counts = follower_walk()
    near = forecast_level(days, list(counts), days[-1] + timedelta(days=7))
    far = forecast_level(days, list(counts), days[-1] + timedelta(days=365))
    assert far.upper - far.lower > 3 * (near.upper - near.lower)


def test_level_handles_irregular_dates() -> None:
    days, counts = follower_walk()
    keep = [0, 1, 2, 5, 6, 11, 12, 20, 21, 29]  # gaps of one to eight weeks
    f = forecast_level([days[i] for i in keep], [counts[i] for i in keep], days[-1])
    assert f.lower <= counts[-1] <= f.upper


def test_monthly_trend_interval_holds_the_truth() -> None:
    rng = np.random.default_rng(3)
    months = [date(2023 + i // 12, i % 12 + 1, 1) for i in range(24)]
    truth = 40 + 2.5 * np.arange(24)  # conversions a month, +2.5 each month
    observed = truth + rng.normal(0, 4, 24)
    f = forecast_monthly(months[:18], list(observed[:18]), date(2024, 12, 15))
    assert f.lower <= truth[-1] <= f.upper
    assert f.lower <= observed[-1] <= f.upper


def test_short_history_is_too_short() -> None:
    days, counts = follower_walk()
    with pytest.raises(TooShort):
        forecast_level(days[:5], list(counts[:5]), days[-1])
    with pytest.raises(TooShort):
        forecast_monthly([date(2024, m, 1) for m in (1, 2, 3)], [1.0, 2.0, 3.0], date(2024, 12, 1))


# -- SA506 through the CLI -----------------------------------------------------------------------


def write_config(ws: Path, goals: str) -> None:
    ws.mkdir(exist_ok=True)
    (ws / "socialaudit.toml").write_text(goals, encoding="utf-8")


def audience_csv(tmp_path: Path, weeks: int = 30) -> Path:
    days, counts = follower_walk()
    lines = ["date,platform,account,followers,following"]
    lines += [
        f"{d.isoformat()},x,acme,{round(c)},"
        for d, c in zip(days[:weeks], counts[:weeks], strict=True)
    ]
    p = tmp_path / "audience.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def sa506(cli, ws: Path) -> dict:
    code, out, err = cli("audit", "--format", "json", "--select", "SA506", "--workspace", str(ws))
    assert code in (0, 1), err
    [finding] = json.loads(out)["findings"]
    assert finding["error"] is None, finding["error"]
    return finding


GOALS = """
[[goals]]
metric = "followers"
target = {target}
by = 2024-12-23
platform = "x"
"""


def test_goal_far_above_the_trend_is_flagged(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _, counts = follower_walk()
    write_config(ws, GOALS.format(target=10 * round(counts[-1])))
    assert cli("import", str(audience_csv(tmp_path)), "--workspace", str(ws))[0] == 0
    f = sa506(cli, ws)
    assert f["verdict"] == "warn"
    [goal] = f["evidence"]
    assert goal["reachable"] is False and goal["target"] > goal["upper"]
    assert goal["lower"] <= counts[-1] <= goal["upper"]  # what really happened is in the interval
    assert goal["model"].startswith("random walk with drift")
    assert f["message"].startswith("1 goal lies beyond the trend: followers")


def test_goal_on_the_trend_passes(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    _, counts = follower_walk()
    write_config(ws, GOALS.format(target=round(counts[-1])))
    assert cli("import", str(audience_csv(tmp_path)), "--workspace", str(ws))[0] == 0
    f = sa506(cli, ws)
    assert f["verdict"] == "pass", f["message"]
    assert f["evidence"][0]["reachable"] is True


def test_short_history_is_unknown(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    write_config(ws, GOALS.format(target=2000))
    assert cli("import", str(audience_csv(tmp_path, weeks=4)), "--workspace", str(ws))[0] == 0
    f = sa506(cli, ws)
    assert f["verdict"] == "unknown"
    assert any("audience" in n for n in f["needs"])
    assert "history too short: 4 dated counts; at least 6 are needed" in f["evidence"][0]["status"]


def test_min_points_is_an_option(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    write_config(ws, GOALS.format(target=2000) + "\n[checks.SA506]\nmin_points = 3\n")
    assert cli("import", str(audience_csv(tmp_path, weeks=4)), "--workspace", str(ws))[0] == 0
    assert sa506(cli, ws)["verdict"] in ("pass", "warn")


def test_unforecastable_and_past_goals_are_noted(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    write_config(
        ws,
        GOALS.format(target=10**6)
        + '\n[[goals]]\nmetric = "share_of_replies"\ntarget = 0.9\nby = 2024-12-31\n'
        + '\n[[goals]]\nmetric = "followers"\ntarget = 1\nby = 2024-02-01\n',
    )
    assert cli("import", str(audience_csv(tmp_path)), "--workspace", str(ws))[0] == 0
    f = sa506(cli, ws)
    assert f["verdict"] == "warn" and f["figures"] == {"goals": 3, "forecast": 1, "out_of_reach": 1}
    notes = " | ".join(f["notes"])
    assert "share_of_replies by 2024-12-31: not forecastable" in notes
    assert "followers by 2024-02-01: the goal's date lies within the history" in notes


def test_conversions_goal_from_monthly_history(cli, tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    rows = ["date,source,medium,campaign,conversions,revenue,currency"]
    for i in range(12):  # 10, 12, 14, ... conversions a month in 2024, and one unmapped row
        rows.append(f"2024-{i + 1:02d}-15,facebook,social,,{10 + 2 * i},{100 * (i + 1)},EUR")
        rows.append(f"2024-{i + 1:02d}-16,newsletter,email,,500,0,EUR")
    p = tmp_path / "conv.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    write_config(
        ws,
        '[[goals]]\nmetric = "conversions"\ntarget = 40\nby = 2025-06-30\n'
        '\n[[goals]]\nmetric = "conversions"\ntarget = 400\nby = 2025-06-30\n'
        'platform = "facebook"\n',
    )
    assert cli("import", str(p), "--workspace", str(ws))[0] == 0
    f = sa506(cli, ws)
    reachable, far = f["evidence"][1], f["evidence"][0]  # flagged goals come first
    # The exact line 10 + 2 i reaches 44 in June 2025 (i = 17): 40 is within reach, 400 is not;
    # the newsletter's 500 a month is not social and counts for nothing.
    assert reachable["target"] == 40 and reachable["reachable"] is True
    assert reachable["forecast"] == pytest.approx(44)
    assert far["target"] == 400 and far["reachable"] is False
    assert f["verdict"] == "warn"
