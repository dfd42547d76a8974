"""Issue 16, item 1: a folder of exports loses no data silently.

`socialaudit import multi/` where multi/ holds two X archives and one Mastodon archive imports
all three (each exactly as importing it alone would); a parent folder of two archives in their
own subfolders does too; what a folder holds that is not imported is named with the reason;
and a zip or a forced --format that would read only one of several exports is refused with one
line instead of dropping the others. Real exports from ../shared/data, copied into tmp_path.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import shared_path
from exports import counts, fingerprint, rows, zip_folder

pytestmark = pytest.mark.realdata

X = ("andreruffert", "alrocar")
DATA_TABLES = ("accounts", "messages", "acknowledgements", "follows", "audience")


def _copy(src: Path, target: Path) -> Path:
    shutil.copytree(src, target)
    for p in [target, *target.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    return target


def _multi(tmp_path: Path) -> Path:
    multi = tmp_path / "multi"
    for name in X:
        _copy(shared_path("export_x_archive", name), multi / name)
    _copy(shared_path("export_mastodon_outbox", "dealingwith"), multi / "dealingwith")
    return multi


def _alone(cli, tmp_path: Path, folder: Path) -> dict[str, int]:
    ws = tmp_path / f"alone-{folder.name}"
    code, _, err = cli("import", str(folder), "--workspace", str(ws))
    assert code == 0, err
    return counts(ws)


def test_folder_of_two_x_archives_and_a_mastodon_archive_imports_all_three(cli, tmp_path):
    multi = _multi(tmp_path)
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(multi), "--workspace", str(ws))
    assert code == 0, err
    for name, fmt in (("andreruffert", "x-archive"), ("alrocar", "x-archive")):
        assert f"imported {multi / name} as {fmt}:" in err
    assert f"imported {multi / 'dealingwith'} as mastodon:" in err
    assert "not imported" not in err
    # Each export's rows, exactly as importing it alone gives them (the three share no key).
    alone = [_alone(cli, tmp_path, multi / n) for n in (*X, "dealingwith")]
    together = counts(ws)
    for table in DATA_TABLES:
        assert together[table] == sum(a[table] for a in alone), table
    assert together["imports"] == 3
    accounts = {r["handle"] for r in rows(ws, "select handle from accounts")}
    assert {"andreruffert", "alrocar"} <= accounts
    assert any(h.startswith("dealingwith@") for h in accounts)
    # Re-importing the folder changes nothing.
    before = fingerprint(ws)
    assert cli("import", str(multi), "--workspace", str(ws))[0] == 0
    assert fingerprint(ws) == before


def test_parent_folder_of_two_archives_in_subfolders_imports_both(cli, tmp_path):
    parent = tmp_path / "parent"
    _copy(shared_path("export_x_archive", "andreruffert"), parent / "a" / "andreruffert")
    _copy(shared_path("export_x_archive", "alrocar"), parent / "b" / "alrocar")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(parent), "--workspace", str(ws))
    assert code == 0, err
    assert f"imported {parent / 'a' / 'andreruffert'} as x-archive" in err
    assert f"imported {parent / 'b' / 'alrocar'} as x-archive" in err
    handles = {r["handle"] for r in rows(ws, "select handle from accounts")}
    assert handles == {"andreruffert", "alrocar"}
    alone = [_alone(cli, tmp_path, parent / d / n) for d, n in (("a", X[0]), ("b", X[1]))]
    assert counts(ws)["messages"] == sum(a["messages"] for a in alone)


def test_what_a_folder_holds_and_is_not_imported_is_named_with_the_reason(cli, tmp_path):
    multi = tmp_path / "multi"
    _copy(shared_path("export_x_archive", "alrocar"), multi / "alrocar")
    (multi / "notes.txt").write_text("ideas for next week\n")
    (multi / "photos").mkdir()
    (multi / "photos" / "a.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    outside = tmp_path / "outside"
    _copy(shared_path("export_x_archive", "andreruffert"), outside)
    os.symlink(outside, multi / "linked")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(multi), "--workspace", str(ws))
    assert code == 0, err
    assert f"imported {multi / 'alrocar'} as x-archive" in err
    assert f"not imported: {multi / 'notes.txt'} (not a format this tool reads)" in err
    assert f"not imported: {multi / 'photos'} (no export this tool reads in this folder)" in err
    assert f"not imported: {multi / 'linked'} (a symbolic link (links are not followed))" in err
    # The linked archive outside the folder was not read.
    assert {r["handle"] for r in rows(ws, "select handle from accounts")} == {"alrocar"}


def test_a_zip_of_two_archives_is_refused_naming_both(cli, tmp_path):
    multi = tmp_path / "multi"
    for name in X:
        _copy(shared_path("export_x_archive", name), multi / name)
    archive = zip_folder(multi, tmp_path / "both.zip")
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(archive), "--workspace", str(ws))
    assert code == 2
    assert err.count("\n") == 1, err
    assert "holds 2 X archives ('alrocar', 'andreruffert')" in err
    assert "unpack it and import the folder" in err
    assert not ws.exists()


def test_forcing_one_format_on_a_folder_of_several_is_refused(cli, tmp_path):
    multi = _multi(tmp_path)
    code, _, err = cli(
        "import", str(multi), "--format", "x-archive", "--workspace", str(tmp_path / "ws")
    )
    assert code == 2
    assert "holds 2 X archives ('alrocar', 'andreruffert')" in err
    assert "without --format" in err


def test_a_bad_export_in_the_folder_imports_nothing_and_says_so(cli, tmp_path):
    multi = _multi(tmp_path)
    ws = tmp_path / "ws"
    assert cli("import", str(multi / "alrocar"), "--workspace", str(ws))[0] == 0
    before = fingerprint(ws)
    (multi / "dealingwith" / "outbox.json").write_text(
        '{"@context": "https://www.w3.org/ns/activitystreams", "type": "OrderedCollection", '
        '"orderedItems": 3}'
    )
    code, _, err = cli("import", str(multi), "--workspace", str(ws))
    assert code == 2
    assert err.count("\n") == 1, err
    assert "outbox.json" in err and "nothing was imported (the 3 inputs are one transaction)" in err
    assert fingerprint(ws) == before


def test_several_paths_are_one_transaction(cli, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(
        '{"id": "1", "author": "acme", "created_at": "2024-01-01T00:00:00Z", "text": "hi"}\n'
    )
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "2", "author": "x", "created_at": "not a time"}\n')
    ws = tmp_path / "ws"
    code, _, err = cli("import", str(good), str(bad), "--brand", "acme", "--workspace", str(ws))
    assert code == 2
    assert "bad.jsonl:1 field 'created_at'" in err
    assert "nothing was imported (the 2 inputs are one transaction)" in err
    assert not ws.exists()
