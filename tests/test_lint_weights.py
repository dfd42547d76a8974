"""SL101's word-weight table: built from the installed profanity model, kept in the user's cache
under the model's version, and used to pass the drafts that hold no word weighing enough to be
flagged without loading the model; the findings are those of the model run on every draft."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SHARED_DATA

from socialaudit.config import parse_config
from socialaudit.lint import RULES_BY_CODE, lint_drafts, settings_from_config
from socialaudit.lint import rules as lint_rules
from socialaudit.lint.core import Draft
from socialaudit.lint.rules import OffensiveLanguage


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lint_rules._word_weights.cache_clear()
    yield tmp_path
    lint_rules._word_weights.cache_clear()


def _table_file(home: Path) -> Path:
    key = lint_rules._model_key()
    assert key is not None  # alt-profanity-check is a dependency
    return home / "socialaudit" / lint_rules.WEIGHTS_FILE.format(key=key)


def test_table_is_the_models_positive_weights_and_is_kept(cache_home: Path) -> None:
    weights = lint_rules._word_weights()
    model_weights = lint_rules._profanity_model()[2]
    assert weights == {w: v for w, v in model_weights.items() if v > 0}
    assert weights["fuck"] >= lint_rules._STRONG_WORD_WEIGHT
    assert "coffee" not in weights or weights["coffee"] < 2.0
    stored = json.loads(_table_file(cache_home).read_text(encoding="utf-8"))
    assert stored["model"] == lint_rules._model_key()
    assert stored["weights"] == weights


def test_a_damaged_table_is_built_again(cache_home: Path) -> None:
    path = _table_file(cache_home)
    path.parent.mkdir(parents=True)
    path.write_text('{"model": "other", "weights": {"coffee": 99.0}}', encoding="utf-8")
    weights = lint_rules._word_weights()
    assert "coffee" not in weights or weights["coffee"] < 2.0
    assert json.loads(path.read_text(encoding="utf-8"))["weights"] == weights
    path.write_text("not json", encoding="utf-8")
    lint_rules._word_weights.cache_clear()
    assert lint_rules._word_weights() == weights


LOADED = """
import json, sys
from socialaudit.lint import flagged_posts
codes = flagged_posts(sys.argv[1:], "x")
print(json.dumps([codes, "profanity_check" in sys.modules, "sklearn" in sys.modules]))
"""


def _lint_elsewhere(home: Path, *texts: str) -> tuple[list[list[str]], bool, bool]:
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    out = subprocess.run(
        [sys.executable, "-c", LOADED, *texts], env=env, capture_output=True, text=True, check=True
    )
    codes, model, sklearn = json.loads(out.stdout)
    return codes, model, sklearn


def test_clean_drafts_do_not_load_the_model(cache_home: Path) -> None:
    lint_rules._word_weights()  # the table is in the cache
    clean = [
        "Our new roast is out today: dark chocolate and cherry notes.",
        "@sam Shoot us a DM with your order number and we'll sort it out.",
    ]
    codes, model, sklearn = _lint_elsewhere(cache_home, *clean)
    assert all("SL101" not in c for c in codes)
    assert (model, sklearn) == (False, False)
    codes, model, _ = _lint_elsewhere(cache_home, *clean, "Our competitors are idiots, honestly.")
    assert "SL101" in codes[-1]
    assert model


def _texts() -> list[str]:
    rule = RULES_BY_CODE["SL101"]
    texts = [*rule.fails, *rule.passes]
    texts += [
        "Die Katze ist so süß, verdammt noch mal, shit",  # German: only the strongest words
        "Das ist die beste Idee, die wir je hatten, ehrlich gesagt",
        "what the hell happened to my parcel",
        "Damn Fine coffee is back",
        '"Bullshit jobs" is a book we all should read',
        "",
    ]
    offensive = SHARED_DATA / "tweeteval" / "offensive" / "test_text.txt"
    if offensive.exists():  # real tweets besides (the examples alone decide without them)
        texts += offensive.read_text(encoding="utf-8").splitlines()[:400]
    return texts


@pytest.mark.parametrize(
    "sl101",
    [{}, {"word_weight": 1.0}, {"word_weight": 0.0}, {"word_weight": 7.0, "allow": ["damn"]}],
)
def test_findings_are_those_of_the_model_on_every_draft(
    sl101: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_from_config(parse_config({"lint": {"SL101": sl101}}))
    texts = _texts()

    def found() -> list[list[tuple[object, ...]]]:
        results = lint_drafts(texts, None, settings, codes=["SL101"])
        return [[(f.code, f.start, f.end, f.message) for f in r.findings] for r in results]

    shipped = found()
    rule = lint_rules.SL101
    skipped = sum(rule._harmless(Draft(raw=t), settings.options["SL101"]) for t in texts)
    monkeypatch.setattr(OffensiveLanguage, "_harmless", lambda self, draft, opts: False)
    assert shipped == found()
    assert any(shipped)
    if sl101.get("word_weight") == 0.0:
        assert skipped == 0  # an unknown word weighs 0: every draft needs the model
    else:
        assert 0 < skipped < len(texts)
