"""Issue 18: a property over every importer. Whatever bytes arrive (random ones, or a real
export with bytes flipped, cut, inserted or a slice repeated, inside its zip where it has one),
`socialaudit import --format NAME` exits 0 or 2, never with a traceback or an internal error,
and a refused input leaves the workspace as it was.

Seeds are the real exports in ../shared/data (trimmed to a few dozen records, so that each
example runs in a fraction of a second), the demo's ledgers for the three ledger formats, and
a LinkedIn workbook built as the LinkedIn tests build it (no real one is public).
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import shared_path
from exports import fingerprint, read_ytd

pytestmark = pytest.mark.realdata

# HOSTILE_EXAMPLES=500 for a longer hunt than CI's.
SETTINGS = settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# -- seeds: (file name, bytes) per importer ----------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _x_seed() -> tuple[str, bytes]:
    folder = shared_path("export_x_archive", "alrocar")
    manifest = read_ytd(folder / "data" / "manifest.js")
    tweets = read_ytd(folder / "data" / "tweets.js")[:40]
    manifest["dataTypes"] = {
        "tweets": {"files": [{"fileName": "data/tweets.js", "count": str(len(tweets))}]}
    }
    ytd = lambda g, v: f"window.{g} = {json.dumps(v, indent=1)}".encode()  # noqa: E731
    return "x.zip", _zip(
        {
            "data/manifest.js": ytd("__THAR_CONFIG", manifest),
            "data/tweets.js": ytd("YTD.tweets.part0", tweets),
        }
    )


def _mastodon_seed() -> tuple[str, bytes]:
    folder = shared_path("export_mastodon_outbox", "dealingwith")
    outbox = json.loads((folder / "outbox.json").read_text())
    outbox["orderedItems"] = outbox["orderedItems"][:40]
    likes = json.loads((folder / "likes.json").read_text())
    likes["orderedItems"] = likes["orderedItems"][:20]
    return "mastodon.zip", _zip(
        {
            "outbox.json": json.dumps(outbox).encode(),
            "actor.json": (folder / "actor.json").read_bytes(),
            "likes.json": json.dumps(likes).encode(),
        }
    )


def _file_seed(*parts: str) -> tuple[str, bytes]:
    p = shared_path(*parts)
    return p.name, p.read_bytes()


def _demo_seed(tmp_root: Path, name: str) -> tuple[str, bytes]:
    from socialaudit.demo import build_demo

    data = tmp_root / "demo" / "demo-data"
    if not data.exists():
        build_demo(tmp_root / "demo").close()
    return name, (data / name).read_bytes()


def _linkedin_seed(tmp_root: Path) -> tuple[str, bytes]:
    from test_sources_linkedin import content_file

    path = content_file(tmp_root / "acme_content_1700000000000.xlsx")
    return path.name, path.read_bytes()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, tuple[str, bytes]]:
    root = tmp_path_factory.mktemp("seeds")
    return {
        "x-archive": _x_seed(),
        "mastodon": _mastodon_seed(),
        "bluesky": _file_seed("export_bluesky_car", "bnewbold.robocracy.org.20250310005405.car"),
        "meta": _file_seed("export_instagram_dyi", "yummyhopper", "content", "posts_1.json"),
        "twcs": _file_seed("twcs", "twcs_kaggle_sample93.csv"),
        "generic": _demo_seed(root, "northwind-x.jsonl"),
        "costs": _demo_seed(root, "costs.csv"),
        "conversions": _demo_seed(root, "conversions.csv"),
        "audience": _demo_seed(root, "audience.csv"),
        "linkedin": _linkedin_seed(root),
    }


# -- mutations ---------------------------------------------------------------------------------


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with a few bytes flipped, cut short, bytes inserted, or a slice repeated."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16) | st.sampled_from(NASTY))
        elif kind == "repeat" and out:
            end = min(len(out), at + draw(st.integers(1, 64)))
            out[at:at] = out[at:end] * draw(st.integers(1, 3))
    return bytes(out)


NASTY = [
    b"\x00",
    b"\xff\xfe",
    b"\xed\xa0\x80",  # a UTF-8-encoded surrogate
    b"\\ud800",
    b'"' * 3,
    b"\r",
    b"[" * 200,
    b"99999999999999999999999",
    b"--5",
    b"\xc2\xb2",  # superscript two
    b"Fri Dec 31 23:00:00 -0500 9999",
    b"9999-12-31T23:00:00-05:00",
    b"\x1b[2J",
    b"../../x",
]


def mutated_zip(data: bytes):
    """A zip with one member's bytes mutated (re-zipped, so the zip itself stays readable)."""
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()

    @st.composite
    def build(draw) -> bytes:
        victim = draw(st.sampled_from(names))
        src = zipfile.ZipFile(io.BytesIO(data))
        members = {n: src.read(n) for n in names}
        members[victim] = draw(mutated(members[victim]))
        return _zip(members)

    return build()


def inputs(fmt: str, data: bytes):
    options = [st.binary(max_size=2048), mutated(data)]
    if data[:2] == b"PK" and fmt != "linkedin":
        options.append(mutated_zip(data))
    return st.one_of(options)


# -- the property ------------------------------------------------------------------------------

FORMATS = [
    "x-archive",
    "mastodon",
    "bluesky",
    "meta",
    "twcs",
    "generic",
    "costs",
    "conversions",
    "audience",
    "linkedin",
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_importer_exits_0_or_2_and_never_with_a_traceback(cli, tmp_path, seeds, fmt):
    name, seed = seeds[fmt]
    ws = tmp_path / "ws"
    code, _, err = cli(
        "import",
        str(_write(tmp_path, name, seed)),
        "--format",
        fmt,
        "-w",
        str(ws),
        "--brand",
        "acme",
    )
    assert code == 0, err  # the seed itself imports
    before = fingerprint(ws)

    @SETTINGS
    @given(data=st.data())
    def run(data):
        blob = data.draw(inputs(fmt, seed))
        path = _write(tmp_path, "mutated-" + name, blob)
        code, _, err = cli("import", str(path), "--format", fmt, "-w", str(ws), "--brand", "acme")
        assert code in (0, 2), err
        assert "Traceback" not in err and "internal error" not in err, err
        if code == 2:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            assert len(lines) == 1 and lines[0].startswith("error: "), err
            assert fingerprint(ws) == before  # a refused input changes nothing
        else:
            # what imported replaced its own earlier import (same path): restore the baseline
            _restore(cli, tmp_path, name, seed, fmt, ws, before)

    run()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _restore(cli, tmp_path, name, seed, fmt, ws, before) -> None:
    from socialaudit.workspace import Workspace

    with Workspace.open(ws) as w, w.transaction() as con:
        source = str((tmp_path / ("mutated-" + name)).resolve())
        for table in (
            "messages",
            "accounts",
            "acknowledgements",
            "follows",
            "audience",
            "costs",
            "conversions",
            "imports",
        ):
            try:
                con.execute(f'delete from "{table}" where source = ?', [source])
            except Exception:  # a table without a source column
                continue
    code, _, err = cli(
        "import",
        str(_write(tmp_path, name, seed)),
        "--format",
        fmt,
        "-w",
        str(ws),
        "--brand",
        "acme",
    )
    assert code == 0, err
    assert fingerprint(ws) == before, "restoring the baseline failed"
