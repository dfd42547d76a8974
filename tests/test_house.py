"""The house rules of the code, checked: one file per check code in its area package, a
one-line docstring on every check, sources cited by title rather than by a folder outside the
repository, and library errors that speak of settings, not of command-line flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from socialaudit.checks import load_registry
from socialaudit.checks.references import SEEDS
from socialaudit.errors import WorkspaceError
from socialaudit.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = load_registry()


@pytest.mark.parametrize("check", REGISTRY.all(), ids=lambda c: c.code)
def test_each_check_lives_in_a_file_named_by_its_code(check: type) -> None:
    assert check.__module__ == f"socialaudit.checks.{check.area}.{check.code}"
    doc = (check.__doc__ or "").strip()
    assert doc and "\n" not in doc, f"{check.code}: no one-line docstring"
    assert set(check.seeds) <= set(SEEDS)
    full = check.full_doc()
    for seed in check.seeds:
        assert SEEDS[seed].title in full
    for folder in ("shared/", "research/", "anchors.md", "seeds 0", "seed 0"):
        assert folder not in full, f"{check.code} cites {folder!r}"


def test_the_generated_docs_cite_no_folder_outside_the_repository() -> None:
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    for folder in ("shared/", "research/", "anchors.md"):
        assert folder not in text


def test_library_errors_name_settings_and_the_cli_adds_its_flags(cli, tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError) as caught:
        Workspace.open(tmp_path / "none", create=False)
    assert "--" not in str(caught.value) and caught.value.setting == "workspace"
    code, _, err = cli("status", "--workspace", str(tmp_path / "none"))
    assert code == 2 and "--workspace DIR" in err and len(err.strip().splitlines()) == 1
    export = tmp_path / "mystery.bin"
    export.write_bytes(b"\x00\x01")
    code, _, err = cli("import", str(export), "-w", str(tmp_path / "ws"))
    assert code == 2 and "cannot tell which format" in err and err.count("--format") == 1


def test_area_packages_import_their_checks_only_when_asked() -> None:
    import subprocess
    import sys

    script = (
        "import sys, socialaudit.checks.care as care\n"
        "before = 'socialaudit.checks.care.SA101' in sys.modules\n"
        "codes = [c.code for c in care.get_checks()]\n"
        "print(before, 'socialaudit.checks.care.SA101' in sys.modules, ' '.join(codes))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True", "SA101", "SA102", "SA103", "SA104", "SA105"]


def test_the_layers_hold() -> None:
    """The import contracts of pyproject.toml ([tool.importlinter]); CI runs the same tool."""
    import shutil
    import subprocess
    import sys

    tool = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert tool, "lint-imports is in the dev extra: pip install -e '.[dev]'"
    run = subprocess.run([tool], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_sa105_stop_words_are_scikit_learns() -> None:
    """SA105 keeps a copy of scikit-learn's English stop words (importing scikit-learn for them
    cost every audit a second): the copy must be the installed list, so no theme moves."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as installed

    from socialaudit.checks.care.themes import ENGLISH_STOP_WORDS as copied

    assert installed == copied
