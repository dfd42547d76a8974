"""`socialaudit lint` as a user runs it: files, folders, standard input, CSV, JSON output, exit
codes, --min-level, ignore lines, config, and bad input (one line, exit 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT, shared_path

CLEAN = "Fresh beans from our roastery today.\n"
WARN = "Fresh beans today!!!\n"  # SL103, a warning
ERROR = "Hi {first_name}, fresh beans today.\n"  # SL114, an error


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    d = tmp_path / "drafts"
    d.mkdir()
    (d / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (d / "warn.md").write_text(WARN, encoding="utf-8")
    (d / "error.txt").write_text(ERROR, encoding="utf-8")
    return d


def test_clean_draft_exits_0(cli, drafts):
    code, out, err = cli("lint", str(drafts / "clean.txt"))
    assert code == 0, err
    assert "1 draft checked: nothing at or above warning level." in out


def test_findings_exit_1_with_ruff_style_lines(cli, drafts):
    code, out, _ = cli("lint", str(drafts / "warn.md"), str(drafts / "error.txt"))
    assert code == 1
    assert f"{drafts / 'warn.md'}:1:18: SL103 punctuation-runs [warning] Run of 3" in out
    assert f"{drafts / 'error.txt'}:1:4: SL114 unfinished [error]" in out
    assert "    help: Fill in or remove the placeholder" in out
    assert "Found 2 problems (1 error, 1 warning) in 2 of 2 drafts." in out


def test_min_level_decides_what_is_reported_and_the_exit_code(cli, drafts):
    code, out, _ = cli("lint", str(drafts / "warn.md"), "--min-level", "error")
    assert code == 0 and "SL103" not in out
    code, out, _ = cli("lint", str(drafts / "error.txt"), "--min-level", "error")
    assert code == 1 and "SL114" in out
    code, out, _ = cli("lint", str(drafts / "clean.txt"), "--min-level", "suggestion")
    assert code == 0


def test_folder_lints_every_draft_in_it(cli, drafts):
    code, out, _ = cli("lint", str(drafts), "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert [Path(r["path"]).name for r in doc["results"]] == ["clean.txt", "error.txt", "warn.md"]


def test_stdin_is_one_draft(cli):
    code, out, _ = cli("lint", "-", input="We did it!!!\nsecond line, still the same draft")
    assert code == 1
    assert out.startswith("<stdin>:1:10: SL103")


def test_json_follows_the_documented_schema(cli, drafts):
    code, out, _ = cli("lint", str(drafts / "warn.md"), str(drafts / "clean.txt"), "-f", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    assert doc["tool"] == "socialaudit lint" and doc["min_level"] == "warning"
    assert doc["summary"] == {
        "drafts": 2,
        "drafts_flagged": 1,
        "findings": 1,
        "by_level": {"error": 0, "warning": 1, "suggestion": 0},
        "suppressed": 0,
        "failed": True,
    }
    first, second = doc["results"]
    assert set(first) == {"path", "row", "platform", "findings", "suppressed"}
    assert first["row"] is None and second["findings"] == []
    (f,) = first["findings"]
    assert set(f) == {"code", "name", "level", "message", "remedy", "span"}
    assert f["span"] == {"start": 17, "end": 20, "line": 1, "column": 18, "excerpt": "!!!"}
    # The schema described in docs/lint.md names exactly these keys.
    docs = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    for key in ("schema_version", "drafts_flagged", "suppressed", "excerpt", "remedy", "row"):
        assert f'"{key}"' in docs


def test_csv_one_draft_per_row(cli, tmp_path):
    csv = tmp_path / "calendar.csv"
    csv.write_text('day,post\nmon,"Fresh beans, see you tommorow"\ntue,All good.\n', "utf-8")
    code, out, _ = cli("lint", str(csv), "--text-column", "post", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert [(r["row"], [f["code"] for f in r["findings"]]) for r in doc["results"]] == [
        (1, ["SL104"]),
        (2, []),
    ]
    code, out, _ = cli("lint", str(csv), "--text-column", "post")
    assert f"{csv}:row 1:1:22: SL104 misspelling" in out


def test_csv_without_the_column_is_one_line_exit_2(cli, tmp_path):
    csv = tmp_path / "calendar.csv"
    csv.write_text("day,post\nmon,hello\n", "utf-8")
    code, out, err = cli("lint", str(csv))
    assert code == 2 and out == ""
    assert err.strip() == (
        f"error: {csv}:1: no column 'text' (columns: day, post); "
        "name the draft column with --text-column"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "error: missing.txt: no such file"),
        (["--platform", "myspace", "-"], "error: --platform 'myspace': expected one of x,"),
        (["--min-level", "loud", "-"], "error: --min-level: expected one of suggestion,"),
        (["--format", "xml", "-"], "error: --format 'xml': expected text or json"),
        ([], "error: give one or more drafts to lint"),
        (["--config", "nope.toml", "-"], "error: nope.toml: no such config file"),
    ],
)
def test_usage_and_input_errors_are_one_line_exit_2(cli, args, message):
    code, out, err = cli("lint", *args, input="hi")
    assert code == 2 and out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_other_file_types_and_bad_bytes_are_refused(cli, tmp_path):
    doc = tmp_path / "post.docx"
    doc.write_bytes(b"PK\x03\x04")
    code, _, err = cli("lint", str(doc))
    assert code == 2 and "expected a .txt or .md draft, or a .csv of drafts" in err
    bad = tmp_path / "post.txt"
    bad.write_bytes(b"caf\xe9 ok")
    code, _, err = cli("lint", str(bad))
    assert code == 2 and "expected UTF-8 text" in err


def test_inline_ignore_is_kept_in_the_output(cli, tmp_path):
    post = tmp_path / "launch.md"
    post.write_text(
        "Buy now: 30% off, today only.\nsocialaudit: ignore SL107 -- launch day\n", "utf-8"
    )
    code, out, _ = cli("lint", str(post))
    assert code == 0
    assert f"{post}:2: SL107 ignored -- launch day (hid 1 finding)" in out
    code, out, _ = cli("lint", str(post), "--format", "json")
    (result,) = json.loads(out)["results"]
    assert result["suppressed"] == [
        {"code": "SL107", "reason": "launch day", "line": 2, "suppressed": 1}
    ]
    assert json.loads(out)["summary"]["suppressed"] == 1


def test_bad_ignore_line_is_exit_2(cli, tmp_path):
    post = tmp_path / "p.txt"
    post.write_text("hello\nsocialaudit: ignore SL999 -- why\n", "utf-8")
    code, _, err = cli("lint", str(post))
    assert code == 2 and f"{post}:2: the ignore line names no known rule: 'SL999'" in err


def test_config_from_the_workspace_and_front_matter_platform(cli, tmp_path):
    (tmp_path / "socialaudit.toml").write_text(
        '[brand]\ndomains = ["acme.example"]\n\n[lint]\nplatform = "x"\n[lint.SL105]\nx = 20\n',
        "utf-8",
    )
    post = tmp_path / "p.md"
    post.write_text("---\nplatform: mastodon\n---\nA draft that is longer than twenty.\n", "utf-8")
    code, out, _ = cli("lint", str(post), "--workspace", str(tmp_path))
    assert code == 0, out  # front matter says mastodon: 500
    code, out, _ = cli("lint", str(post), "--workspace", str(tmp_path), "--platform", "x")
    assert code == 0  # the front matter's platform wins for its own draft
    other = tmp_path / "q.txt"
    other.write_text("A draft that is longer than twenty: https://acme.example/a\n", "utf-8")
    code, out, _ = cli("lint", str(other), "--config", str(tmp_path / "socialaudit.toml"))
    assert code == 1 and "SL105 too-long" in out and "SL109 untracked-link" in out
    assert not (tmp_path / "socialaudit.duckdb").exists()  # linting writes nothing


def test_bad_config_is_one_line_exit_2(cli, tmp_path):
    cfg = tmp_path / "socialaudit.toml"
    cfg.write_text("[lint.SL105]\ntwitter = 280\n", "utf-8")
    code, _, err = cli("lint", "-", "--config", str(cfg), input="hi")
    assert code == 2
    assert err.strip() == (
        f"error: {cfg}: [lint.SL105] unknown option 'twitter' (options: level, "
        "x, mastodon, bluesky, linkedin, instagram, facebook)"
    )


def test_pre_commit_hook_definition():
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert re.search(r"^- id: socialaudit-lint$", text, re.M)
    assert re.search(r"^  entry: socialaudit lint$", text, re.M)
    files = re.search(r"^  files: (.+)$", text, re.M).group(1)
    assert re.search(files, "posts/launch.md") and re.search(files, "a.txt")
    assert not re.search(files, "a.csv")


@pytest.mark.realdata
def test_real_offensive_tweets_are_flagged(cli):
    """A few offensive tweets of TweetEval's test split (label 1), as drafts on stdin."""
    d = shared_path("tweeteval", "offensive")
    texts = (d / "test_text.txt").read_text("utf-8").splitlines()
    labels = (d / "test_labels.txt").read_text().split()
    flagged = 0
    picked = [t for t, lab in zip(texts, labels, strict=True) if lab == "1"][:30]
    for text in picked:
        _, out, _ = cli("lint", "-", "--format", "json", input=text)
        findings = json.loads(out)["results"][0]["findings"]
        flagged += any(f["code"] == "SL101" for f in findings)
    assert flagged >= 8  # recall on the whole split is 0.43 (bench/lint_offensive.py)
