"""The draft linter's library: every rule's own examples, the rule types, the counting of
lengths, settings validation, inline ignore lines, and the batch function SA304 uses."""

from __future__ import annotations

import json
import re

import pytest
from tests.conftest import shared_path

from socialaudit.config import parse_config
from socialaudit.errors import ConfigError, InputError
from socialaudit.lint import (
    RULES,
    RULES_BY_CODE,
    SA304_CODES,
    Level,
    flagged_posts,
    lint_draft,
    lint_drafts,
    lint_text,
    settings_from_config,
)
from socialaudit.lint.graphemes import (
    bluesky_length,
    grapheme_count,
    mastodon_length,
    x_length,
)
from socialaudit.lint.rules import luhn_ok


def _settings(rule, **lint):
    brand = {"domains": list(rule.example_settings.get("domains", []))}
    config = parse_config({"brand": brand, "lint": lint})
    return settings_from_config(config, platform=rule.example_settings.get("platform"))


EXAMPLES = [
    pytest.param(rule, text, should_fail, id=f"{rule.code}-{'fail' if should_fail else 'pass'}{i}")
    for rule in RULES
    for should_fail, texts in ((True, rule.fails), (False, rule.passes))
    for i, text in enumerate(texts)
]


@pytest.mark.parametrize(("rule", "text", "should_fail"), EXAMPLES)
def test_rule_examples(rule, text, should_fail):
    codes = [f.code for f in lint_text(text, config=_settings(rule))]
    if should_fail:
        assert rule.code in codes, f"{rule.code} should flag {text!r}"
    else:
        assert rule.code not in codes, f"{rule.code} should not flag {text!r}"


def test_every_rule_is_complete():
    assert [r.code for r in RULES] == [f"SL{n}" for n in range(101, 115)]
    names = [r.name for r in RULES]
    assert len(set(names)) == len(names)
    for rule in RULES:
        assert re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule.name), rule.code
        assert len(rule.fails) >= 1 and len(rule.passes) >= 1, rule.code
        assert len(rule.doc) > 80 and rule.message and rule.remedy, rule.code
        assert rule.level in Level
        for opt in rule.options:
            assert opt.reason, f"{rule.code}.{opt.name} has no reason"


def test_findings_carry_span_message_and_remedy():
    text = "Great news!!! See you soon"
    (f,) = lint_text(text)
    assert (f.code, f.name, f.level) == ("SL103", "punctuation-runs", Level.WARNING)
    assert text[f.start : f.end] == "!!!" == f.excerpt
    assert (f.line, f.column) == (1, 11)
    assert f.message and f.remedy and f.message != f.remedy
    assert f.to_dict()["span"] == {
        "start": 10,
        "end": 13,
        "line": 1,
        "column": 11,
        "excerpt": "!!!",
    }


def test_offsets_point_into_the_draft_as_given_with_hidden_lines():
    text = "socialaudit: ignore SL103 -- excited\nHello   @bob, we recieve it!!!"
    result = lint_draft(text)
    (f,) = result.findings
    assert text[f.start : f.end] == "recieve"
    assert (f.line, f.code) == (2, "SL104")
    assert [(s.code, s.reason, s.line, s.suppressed) for s in result.suppressions] == [
        ("SL103", "excited", 1, 1)
    ]


# -- lengths -----------------------------------------------------------------------------------


def test_graphemes_count_what_a_reader_sees():
    assert grapheme_count("👨‍👩‍👧‍👦") == 1  # ZWJ family
    assert grapheme_count("🇪🇸🇫🇷") == 2  # two flags
    assert grapheme_count("👍🏽") == 1  # skin tone
    assert grapheme_count("e\u0301") == 1  # combining accent
    assert grapheme_count("a\r\nb") == 3
    assert grapheme_count("") == 0


def test_x_counts_links_as_23_and_emoji_and_cjk_as_two():
    assert x_length("hi https://example.org/" + "a" * 100) == 3 + 23
    assert x_length("😀") == 2
    assert x_length("日本") == 4
    assert x_length("café") == 4
    assert x_length("@alice @bob thanks") == len("thanks")  # reply handles are not counted


def test_mastodon_and_bluesky_counts():
    assert mastodon_length("@bob@example.social hi https://x.example/" + "a" * 80) == 4 + 4 + 23
    assert bluesky_length("👨‍👩‍👧" * 3) == 3
    assert bluesky_length("see https://example.com/" + "p" * 40) == len(
        "see example.com/" + "p" * 12 + "..."
    )


def test_too_long_span_starts_where_the_limit_is_passed():
    text = "a" * 290
    (f,) = [f for f in lint_text(text, platform="x") if f.code == "SL105"]
    assert (f.start, f.end) == (280, 290)
    assert lint_text("a" * 290, platform="mastodon") == []
    assert not [f for f in lint_text("a" * 290) if f.code == "SL105"]  # no platform, no limit


# -- rule pieces -------------------------------------------------------------------------------


def test_luhn():
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_misspelling_respects_brand_terms_and_name():
    text = "Try our grindz, made by beanz"
    assert [f.excerpt for f in lint_text(text)] == ["grindz", "beanz"]
    config = parse_config({"brand": {"name": "Beanz Co"}, "lint": {"terms": ["grindz"]}})
    assert lint_text(text, config=config) == []


def test_untracked_link_needs_brand_domains():
    assert lint_text("See https://acme.example/menu") == []
    config = parse_config({"brand": {"domains": ["acme.example"]}})
    (f,) = lint_text("See https://acme.example/menu", config=config)
    assert f.code == "SL109" and "utm_source" in f.message


def test_personal_data_allow_list_for_the_brands_own_line():
    text = "Call us on +44 20 7946 0958"
    assert [f.code for f in lint_text(text)] == ["SL106"]
    config = parse_config({"lint": {"SL106": {"allow": ["+44-20-7946-0958"]}}})
    assert lint_text(text, config=config) == []


def test_phrase_rules_take_also_and_allow():
    config = parse_config({"lint": {"SL113": {"allow": ["unbeatable"], "also": ["legendary"]}}})
    codes = [f.excerpt for f in lint_text("Unbeatable and legendary coffee", config=config)]
    assert codes == ["legendary"]


def test_offensive_language_allow_and_threshold():
    assert [f.excerpt for f in lint_text("What a shitty day for a launch")] == ["shitty"]
    config = parse_config({"lint": {"SL101": {"allow": ["shitty"]}}})
    assert lint_text("What a shitty day for a launch", config=config) == []


def test_writing_idioms_are_not_offensive_but_threats_are():
    # "kill your darlings" came up on a real account's posts (x/alrocar); the threat is the check
    # that hiding the idiom did not hide the word.
    assert [f.code for f in lint_text('"In writing, you must kill your darlings"')] == []
    assert "SL101" in [f.code for f in lint_text("I will kill you")]


# -- settings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lint", "message"),
    [
        ({"bogus": 1}, "unknown key 'bogus'"),
        ({"SL105": {"twitter": 280}}, "[lint.SL105] unknown option 'twitter'"),
        ({"SL105": {"x": "long"}}, "[lint.SL105] x: expected a number"),
        ({"SL102": {"level": "fatal"}}, "[lint.SL102] level: expected one of"),
        ({"SL101": {"threshold": 2}}, "threshold: expected at most 1.0"),
        ({"SL104": {"terms": [1, 2]}}, "expected a list of strings"),
        ({"platform": "myspace"}, "platform: expected one of"),
        ({"select": ["SL9"]}, "no rule matches 'SL9'"),
        ({"SL107": 3}, "must be a table"),
    ],
)
def test_bad_lint_settings_are_one_line_errors(lint, message):
    with pytest.raises(ConfigError) as exc:
        settings_from_config(parse_config({"lint": lint}), where="brand/socialaudit.toml")
    assert message in str(exc.value)
    assert str(exc.value).startswith("brand/socialaudit.toml: [lint")
    assert "\n" not in exc.value.one_line()


def test_select_ignore_and_level_overrides():
    text = "WE ARE OPEN TODAY AND TOMORROW!!!"
    config = parse_config({"lint": {"select": ["shouting", "SL103"], "ignore": ["SL103"]}})
    assert [f.code for f in lint_text(text, config=config)] == ["SL102"]
    config = parse_config(
        {"lint": {"SL102": {"level": "error"}, "SL102x": {}}}
        if False
        else {"lint": {"SL102": {"level": "error"}}}
    )
    levels = {f.code: f.level for f in lint_text(text, config=config)}
    assert levels == {"SL102": Level.ERROR, "SL103": Level.WARNING}


def test_platform_from_config_and_argument():
    config = parse_config({"lint": {"platform": "x"}})
    assert [f.code for f in lint_text("a" * 300, config=config)] == ["SL105"]
    assert lint_text("a" * 300, platform="mastodon", config=config) == []
    with pytest.raises(ValueError, match="unknown platform"):
        lint_text("hi", platform="myspace")


# -- ignore lines ------------------------------------------------------------------------------


def test_ignore_line_by_name_several_codes_and_in_html_comment():
    text = (
        "Buy now, 30% off today only!!!\n<!-- socialaudit: ignore sales-pitch, SL103 -- launch -->"
    )
    result = lint_draft(text)
    assert result.findings == []
    assert {(s.code, s.reason, s.suppressed) for s in result.suppressions} == {
        ("SL107", "launch", 1),
        ("SL103", "launch", 1),
    }


def test_ignore_line_without_reason_and_unused():
    result = lint_draft("All fine here.\nsocialaudit: ignore SL101")
    assert [(s.code, s.reason, s.suppressed) for s in result.suppressions] == [("SL101", None, 0)]


def test_ignore_line_with_unknown_rule_is_an_input_error():
    with pytest.raises(InputError, match=r"draft.md:2: the ignore line names no known rule"):
        lint_drafts(["hi\nsocialaudit: ignore SL199 -- why"], paths=["draft.md"])


def test_ignore_line_is_not_part_of_the_post():
    # The directive line must not count towards the length or be spell-checked.
    text = "a" * 270 + "\nsocialaudit: ignore SL107 -- the reason is long enough to matter"
    assert lint_text(text, platform="x") == []


# -- batch use (SA304) -------------------------------------------------------------------------


def test_flagged_posts_counts_only_the_sa304_rules():
    texts = [
        "Fresh beans today.",
        "BEST DAY EVER AT THE SHOP TODAY",
        "Buy now, 50% off, hurry",
        "We recieve orders until 5",
        "Holy shit, it works!!!",
        "",
    ]
    assert SA304_CODES == ("SL101", "SL102", "SL103", "SL104")
    assert flagged_posts(texts, platform="x") == [
        [],
        ["SL102"],
        [],
        ["SL104"],
        ["SL101", "SL103"],
        [],
    ]
    assert flagged_posts(["Buy now, 50% off, hurry"], codes=["SL107"]) == [["SL107"]]


def test_hostile_text_stays_inert():
    text = "'; DROP TABLE messages; -- $(rm -rf /) {__import__('os')} \x00 <script>"
    json.dumps([f.to_dict() for f in lint_text(text)])  # findings serialise, nothing runs


@pytest.mark.realdata
def test_no_rule_flags_more_than_a_few_percent_of_a_real_account():
    """The personal X archive of @andreruffert, linted as X drafts: apart from SL108 (a personal
    account posts personal things, rightly flagged), no rule may flag more than 6 % of posts;
    a rule that does is flagging normal writing (bench/lint_real.py shows the samples)."""
    raw = shared_path("export_x_archive", "andreruffert", "data", "tweets.js").read_text("utf-8")
    tweets = [t["tweet"]["full_text"] for t in json.loads(raw[raw.index("[") :])]
    texts = [t for t in tweets if not t.startswith("RT @")]
    results = lint_drafts(texts, platform="x")
    for rule in RULES:
        n = sum(1 for r in results if any(f.code == rule.code for f in r.findings))
        assert n / len(texts) <= 0.06, f"{rule.code} flags {n} of {len(texts)} posts"
    assert RULES_BY_CODE["SL103"].code in {f.code for r in results for f in r.findings}


def test_docs_rules_section_is_generated_from_the_rules():
    from tests.conftest import ROOT

    from socialaudit.lint.rules import rules_markdown

    marker = "<!-- rules: generated by socialaudit.lint.rules.rules_markdown() -->\n"
    docs = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert marker in docs
    assert docs.split(marker, 1)[1] == rules_markdown(), (
        "docs/lint.md is out of date: regenerate its rules section with rules_markdown()"
    )
