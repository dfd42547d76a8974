"""scripts/labelled_agreement.py on brand posts labelled for content type only (batches 3, 4, 6)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "labelled_agreement.py"


def _post(i: int, content_type: str) -> dict:
    return {"set": "posts", "platform": "x", "id": str(i), "content_type": content_type}


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _run(*args: Path | str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, str(SCRIPT), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, check=False)


def _table(out: str) -> dict[str, tuple[str, int, str, str]]:
    rows = {}
    for line in out.splitlines()[2:]:
        set_name, field, n, agree, k = (c.strip() for c in line.strip("|").split("|"))
        rows[field] = (set_name, int(n), agree, k)
    return rows


def test_posts_without_lang_give_content_type_only(tmp_path: Path) -> None:
    # a: E E O C / b: E O O C -> 3 of 4 agree; p_o 0.75, p_e (2*1 + 1*2 + 1*1) / 16 = 5/16,
    # kappa (0.75 - 0.3125) / 0.6875 = 0.636...
    a = [_post(0, "expertise"), _post(1, "expertise"), _post(2, "other"), _post(3, "care_reply")]
    b = [_post(0, "expertise"), _post(1, "other"), _post(2, "other"), _post(3, "care_reply")]
    out = tmp_path / "d.jsonl"
    proc = _run(
        _write(tmp_path / "a.jsonl", a), _write(tmp_path / "b.jsonl", b), "--disagreements", out
    )
    assert proc.returncode == 0, proc.stderr
    assert _table(proc.stdout) == {"content_type": ("posts", 4, "75.0%", "0.64")}
    diffs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(d["key"][2], d["fields"]) for d in diffs] == [("1", ["content_type"])]


@pytest.mark.parametrize(
    ("batch", "posts", "agreement", "kappa"),
    [
        # labeller A's own files: each gold.jsonl holds the settled labels
        ("batch3", 295, "95.3%", "0.94"),
        ("batch4", 300, "97.0%", "0.96"),
        ("batch6", 300, "95.3%", "0.94"),
    ],
)
def test_committed_post_pairs_are_scored_on_content_type(
    batch: str, posts: int, agreement: str, kappa: str
) -> None:
    """The committed labellings of the post batches (no lang) are compared on content type."""
    folder = ROOT / "labelled" / batch
    proc = _run(folder / "labeller-a.jsonl", folder / "labeller-b.jsonl")
    assert proc.returncode == 0, proc.stderr
    assert _table(proc.stdout) == {"content_type": ("posts", posts, agreement, kappa)}
