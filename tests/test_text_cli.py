"""`socialaudit classify`, `train` and `label` as a user runs them."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

from socialaudit import model
from socialaudit.workspace import ImportBatch, Workspace


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_classify_csv_adds_label_columns_and_defuses_formulas(cli, tmp_path: Path) -> None:
    src = _write_csv(
        tmp_path / "in.csv",
        ["id", "message", "note"],
        [
            ["1", "@acme my order never arrived, worst service", '=HYPERLINK("http://x")'],
            ["2", "@acme do you ship to Canada?", "+1"],
            ["3", "=cmd|\" /C calc'!A0", "@evil"],
        ],
    )
    code, out, err = cli("classify", str(src), "--text-column", "message")
    assert code == 0, err
    rows = _read_csv(out)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert [r["intent"] for r in rows] == ["complaint", "question", "other"]
    assert rows[0]["is_complaint"] == "true" and rows[1]["is_complaint"] == "false"
    assert rows[0]["backend"] == "rules"
    assert "never arrived" in json.loads(rows[0]["cues"])["complaint"]
    # nothing a spreadsheet would run as a formula; a number or a handle is left as written
    assert rows[0]["note"] == '\'=HYPERLINK("http://x")'
    assert rows[1]["note"] == "+1"
    assert rows[2]["message"].startswith("'=") and rows[2]["note"] == "@evil"
    assert list(rows[0]) == [
        "id", "message", "note", "backend", "backend_version", "sentiment", "sentiment_score",
        "is_question", "is_complaint", "is_praise", "intent", "content_type", "cues", "lang",
        "confidence",
    ]  # fmt: skip


def test_classify_json_and_brand_posts_to_a_file(cli, tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "posts.csv", ["text"], [["Tip: grind just before brewing."]])
    out_file = tmp_path / "out.json"
    code, out, err = cli(
        "classify", str(src), "--text-column", "text", "--brand", "-f", "json", "-o", str(out_file)
    )
    assert code == 0, err
    assert out == ""
    rows = json.loads(out_file.read_text(encoding="utf-8"))
    assert rows[0]["content_type"] == "expertise"
    assert rows[0]["cues"]["content_type"] == ["tip"]


def test_classify_errors_are_one_line(cli, tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "in.csv", ["text"], [["hello"]])
    code, out, err = cli("classify", str(src), "--text-column", "body")
    assert code == 2 and out == ""
    assert "in.csv:1: no column 'body'; the header has: text" in err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text\nok\ncaf\xe9 ferm\xe9\n".encode("latin-1"))
    code, _, err = cli("classify", str(latin), "--text-column", "text")
    assert code == 2 and "latin.csv:3: expected UTF-8 text" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = cli("classify", str(src), "--text-column", "text", "--format", "xml")
    assert code == 2 and "expected csv or json" in err
    code, _, err = cli("classify", str(src), "--text-column", "text", "--model", str(src))
    assert code == 2 and "not a socialaudit model file" in err


def _training_csv(path: Path) -> Path:
    rows = [[f"my parcel arrived soggy again {i}", "1"] for i in range(8)]
    rows += [[f"a lovely morning in the garden {i}", "0"] for i in range(8)]
    rows += [["no label on this one", ""]]
    return _write_csv(path, ["text", "is_complaint"], rows)


def test_train_then_classify_with_the_model(cli, tmp_path: Path) -> None:
    src = _training_csv(tmp_path / "train.csv")
    model_file = tmp_path / "complaint.model"
    code, _, err = cli(
        "train", str(src), "--text-column", "text", "--label-column", "is_complaint",
        "--task", "complaint", "--output", str(model_file),
    )  # fmt: skip
    assert code == 0, err
    assert "trained complaint model on 16 examples (complaint 8, not 8)" in err
    assert "left out 1 rows without a label" in err
    assert "cross-validated macro-F1" in err
    probe = _write_csv(tmp_path / "probe.csv", ["text"], [["soggy parcel"], ["garden morning"]])
    code, out, err = cli(
        "classify", str(probe), "--text-column", "text", "--model", str(model_file)
    )
    assert code == 0, err
    rows = _read_csv(out)
    assert [r["is_complaint"] for r in rows] == ["true", "false"]
    assert {r["backend"] for r in rows} == {"trained"}


def test_train_rejects_a_bad_label_naming_its_line(cli, tmp_path: Path) -> None:
    src = _write_csv(tmp_path / "t.csv", ["text", "label"], [["a", "1"], ["b", "maybe"]])
    code, _, err = cli(
        "train", str(src), "--text-column", "text", "--label-column", "label",
        "--task", "complaint", "-o", str(tmp_path / "m.model"),
    )  # fmt: skip
    assert code == 2
    assert "t.csv:3 field 'label': expected a complaint label" in err and "'maybe'" in err
    assert not (tmp_path / "m.model").exists()
    code, _, err = cli("train", str(src), "--text-column", "text")
    assert code == 2 and "--label-column" in err


def test_label_fix_and_train_from_workspace(cli, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    with Workspace.open(root) as ws:
        rows = [(f"c{i}", f"@acme parcel {i} arrived soggy", False) for i in range(6)]
        rows += [(f"o{i}", f"@acme lovely garden day {i}", False) for i in range(6)]
        msgs = [
            {"platform": "x", "id": mid, "author": "u", "from_brand": b, "text": t,
             "kind": "mention", "created_at": datetime(2024, 3, 1, tzinfo=UTC)}
            for mid, t, b in rows
        ]  # fmt: skip
        ws.write(ImportBatch("t", "test", {"messages": model.to_table(model.MESSAGES, msgs)}))
    code, _, err = cli("label", "c0", "--intent", "complaint", "--workspace", str(root))
    assert code == 0, err
    assert "x:c0 intent = complaint" in err
    code, _, err = cli("label", "c0", "--workspace", str(root))
    assert code == 2 and "give at least one of --intent" in err
    code, _, err = cli("label", "zz", "--intent", "complaint", "--workspace", str(root))
    assert code == 2 and "no message with id 'zz'" in err
    code, _, err = cli("train", "--from-workspace", "--workspace", str(root))
    assert code == 2 and "too few label fixes" in err
    for mid, _, _ in rows[1:]:
        code, _, err = cli(
            "label", mid, "--intent", "complaint" if mid[0] == "c" else "other", "-w", str(root)
        )
        assert code == 0, err
    code, _, err = cli("train", "--from-workspace", "--workspace", str(root))
    assert code == 0, err
    assert "trained intent model on complaint 6, other 6" in err
    assert (root / "models" / "intent.model").is_file()
    with Workspace.open(root) as ws:
        fixes = ws.sql("select count(*) n from label_fixes").to_pylist()[0]["n"]
        assert fixes == 12


def test_train_from_replies_on_real_care_threads(cli, tmp_path: Path) -> None:
    import re

    from tests.conftest import shared_path

    from socialaudit.labelling import weak_labels

    root = tmp_path / "ws"
    code, _, err = cli(
        "import", str(shared_path("twcs", "twcs_head5000_multibrand.csv")), "-w", str(root)
    )
    assert code == 0, err
    code, _, err = cli("train", "--from-replies", "-w", str(root))
    assert code == 0, err
    found = re.search(r"on (\d+) complaints and (\d+) other messages", err)
    assert found, err
    complaints, others = int(found[1]), int(found[2])
    assert complaints > 100 and others > 100  # both kinds are plentiful in real care threads
    assert (root / "models" / "complaint.model").is_file()
    code, _, err = cli("label", "-w", str(root))
    assert code == 0, err
    with Workspace.open(root) as ws:
        backends = ws.sql("select distinct backend from labels").to_pylist()
        assert backends == [{"backend": "trained"}]
        # A person's fix wins over the weak label the reply gave.
        weak = weak_labels(ws).to_pylist()
        target = next(r for r in weak if r["weak"] == "question")
    code, _, err = cli(
        "label",
        target["id"],
        "--intent",
        "complaint",
        "--platform",
        target["platform"],
        "-w",
        str(root),
    )
    assert code == 0, err
    code, _, err = cli("train", "--from-replies", "-w", str(root))
    assert code == 0, err
    assert f"on {complaints + 1} complaints and {others - 1} other messages" in err
    assert "and 1 label fixes, which win" in err
    code, _, err = cli("train", "--from-replies", "--task", "intent", "-w", str(root))
    assert code == 2 and "--from-replies learns the workspace's complaint model" in err


def test_a_brand_reply_says_what_the_message_was() -> None:
    from socialaudit.text.replies import weak_intent

    got = weak_intent(
        [
            "@123 We're sorry to hear that. DM us your order number and we'll look into it.",
            "@123 Thanks for the love! Enjoy the new playlist.",
            "@123 You'll need to update the app first: head to Settings > General.",
            "@123 Please DM us.",
            None,
        ]
    )
    assert list(got) == ["complaint", "praise", "question", None, None]
