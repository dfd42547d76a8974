"""The Spark engine gives the same audit as DuckDB (issue 14).

The demo and a real TWCS multi-brand slice are audited through the command line on DuckDB and
with `--engine spark` on a local Spark session, and the findings must be identical: verdicts,
figures, per-account figures, evidence ids and messages. Also: the Parquet export/import round
trip, the labels Spark's Python workers make (`mapInArrow`) against DuckDB's, the one line a
user without the extra gets, and the demo audited over Spark Connect (`master = "sc://..."`, a
server started by scripts/spark-connect-server) against DuckDB.

The two audit comparisons read Spark audits that tests/spark_early.py started in a process of
its own as soon as the session collected them (minutes of small Spark jobs, overlapping the rest
of the suite); the other tests share one in-process Spark session (`spark_session()`). Skipped when pyspark or Java is missing, except under CI=true,
where .ci/run installs both and a missing one is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from conftest import shared_path, spark_audit
from test_golden import normalise

pytestmark = pytest.mark.slow


def _spark_or_skip() -> None:
    missing = []
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing.append("pyspark (pip install 'socialaudit[spark]')")
    if shutil.which("java") is None:
        missing.append("Java 17 (apt install openjdk-17-jre-headless)")
    if missing:
        msg = "the Spark engine needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; under CI=true .ci/run installs them")
        pytest.skip(msg)


@pytest.fixture(scope="module")
def spark() -> Any:
    _spark_or_skip()
    from socialaudit.engine.spark import spark_session

    return spark_session("local[2]")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo workspace, built once (through the library, as `socialaudit demo` does)."""
    from socialaudit.demo import build_demo

    root = tmp_path_factory.mktemp("spark") / "demo"
    build_demo(root).close()
    return root


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace of this test's own."""
    shutil.copytree(demo_dir, tmp_path / "demo")
    return tmp_path / "demo"


def audit_json(cli: Any, ws: Path, *engine: str) -> dict[str, Any]:
    code, out, err = cli("audit", "--format", "json", "--no-save", "--workspace", str(ws), *engine)
    assert code in (0, 1), err
    return json.loads(out)


def findings(doc: dict[str, Any]) -> list[dict[str, Any]]:
    # What depends on the moment the audit ran (days up to today) is set aside, as in the
    # golden files: the two audits run minutes apart.
    return normalise(doc)["findings"]


def assert_same_findings(duck: dict[str, Any], spark: dict[str, Any]) -> None:
    d, s = findings(duck), findings(spark)
    assert [f["code"] for f in d] == [f["code"] for f in s]
    errors = [f["code"] for f in s if f["verdict"] == "error"]
    assert not errors, f"checks crashed on Spark: {errors}"
    differ = [
        f"{a['code']}.{key}"
        for a, b in zip(d, s, strict=True)
        for key in sorted(set(a) | set(b))
        if a.get(key) != b.get(key)
    ]
    assert not differ, f"differ on Spark: {differ}"
    assert duck["score"] == spark["score"]
    assert normalise(duck)["charts"] == normalise(spark)["charts"]


@pytest.fixture
def spark_available() -> None:
    _spark_or_skip()


ROOT = Path(__file__).resolve().parents[1]


def _connect_or_skip() -> None:
    """Spark Connect's client needs gRPC besides pyspark and Java (all in the extra [spark])."""
    _spark_or_skip()
    missing = []
    for module, package in (
        ("grpc", "grpcio"),
        ("grpc_status", "grpcio-status"),
        ("google.rpc", "googleapis-common-protos"),
    ):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        msg = (
            f"Spark Connect's client needs {', '.join(missing)} (pip install 'socialaudit[spark]')"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(msg + "; under CI=true .ci/run installs them")
        pytest.skip(msg)


@pytest.fixture(scope="module")
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A Spark Connect server on loopback (scripts/spark-connect-server), its sc:// URL."""
    _connect_or_skip()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "SOCIALAUDIT_SPARK_CONNECT_DIR": str(tmp_path_factory.mktemp("spark-connect")),
        # the server's Python workers run the labelling stage: this Python, this socialaudit
        "PYSPARK_PYTHON": sys.executable,
    }
    script = str(ROOT / "scripts" / "spark-connect-server")
    started = subprocess.run(
        [script, "start", str(port)], env=env, capture_output=True, text=True, check=False
    )
    try:
        assert started.returncode == 0, f"the Spark Connect server did not start:\n{started.stderr}"
        assert started.stdout.strip() == f"SPARK_CONNECT=sc://127.0.0.1:{port}"
        yield f"sc://127.0.0.1:{port}"
    finally:
        subprocess.run([script, "stop"], env=env, capture_output=True, check=False)


def test_the_demo_audits_the_same_on_spark(spark_available: None, cli: Any) -> None:
    # The Spark audit ran in the background since the session started (tests/spark_early.py);
    # the same workspace is audited on DuckDB here.
    ws, on_spark = spark_audit("demo")
    duck = audit_json(cli, ws)
    assert (ws / "warehouse" / "messages").is_dir()  # the Spark audit filled it
    assert_same_findings(duck, on_spark)
    # the care checks judged something: the comparison is not of empty findings
    care = {f["code"]: f for f in findings(on_spark)}
    assert care["SA101"]["verdict"] in ("pass", "warn", "fail")
    assert care["SA102"]["figures"]


@pytest.mark.realdata
def test_a_twcs_multibrand_slice_audits_the_same_on_spark(spark_available: None, cli: Any) -> None:
    shared_path("twcs", "twcs_head5000_multibrand.csv")
    ws, on_spark = spark_audit("twcs")
    duck = audit_json(cli, ws)
    assert_same_findings(duck, on_spark)
    sa102 = next(f for f in findings(on_spark) if f["code"] == "SA102")
    assert sa102["per_account"] if "per_account" in sa102 else sa102["figures"]


@pytest.mark.realdata
def test_one_brand_of_a_multibrand_workspace_audits_the_same_on_spark(
    spark_available: None, cli: Any
) -> None:
    # `audit --brand grocers` on Spark (tests/spark_early.py): the brand's rows are found and
    # its view drawn by the Spark session itself, and the audit is DuckDB's.
    shared_path("twcs", "twcs_head5000_multibrand.csv")
    ws, on_spark = spark_audit("grocers")
    code, out, err = cli(
        "audit", "--format", "json", "--no-save", "--workspace", str(ws), "--brand", "grocers"
    )
    assert code in (0, 1), err
    duck = json.loads(out)
    assert on_spark["brand_scope"] == duck["brand_scope"]
    assert duck["brand_scope"]["accounts"] == ["x:Tesco", "x:sainsburys"]
    assert_same_findings(duck, on_spark)
    sa102 = next(f for f in findings(on_spark) if f["code"] == "SA102")
    assert set(sa102["per_account"]) == {"x:Tesco", "x:sainsburys"}


def _tables(root: Path) -> dict[str, pa.Table]:
    from socialaudit import model
    from socialaudit.workspace import Workspace

    with Workspace.open(root, create=False, read_only=True) as ws:
        out = {}
        for spec in model.TABLES.values():
            t = ws.sql(f'select * from "{spec.name}"').select(spec.schema.names).cast(spec.schema)
            keys = [(k, "ascending") for k in spec.key]
            out[spec.name] = t.sort_by(keys) if keys else t
        return out


def test_parquet_export_and_import_round_trip_exactly(cli: Any, demo: Path, tmp_path: Path) -> None:
    ws = demo
    code, _, err = cli("export", "--parquet", str(tmp_path / "pq"), "--workspace", str(ws))
    assert code == 0, err
    assert "messages" in err
    back = tmp_path / "back"
    code, _, err = cli("import", str(tmp_path / "pq"), "--workspace", str(back))
    assert code == 0, err
    assert "as parquet tables" in err
    before, after = _tables(ws), _tables(back)
    assert before["messages"].num_rows > 100
    for name in before:
        assert before[name].equals(after[name]), f"table {name} changed in the round trip"


def test_export_refuses_a_folder_it_did_not_make(cli: Any, demo: Path, tmp_path: Path) -> None:
    ws = demo
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    code, _, err = cli("export", "--parquet", str(other), "--workspace", str(ws))
    assert code == 2
    assert "not empty" in err and "Traceback" not in err
    assert (other / "notes.txt").read_text() == "mine"


def test_labels_made_in_spark_workers_equal_duckdbs(spark: Any, demo: Path) -> None:
    from socialaudit.config import load_config
    from socialaudit.labelling import label_workspace
    from socialaudit.warehouse import export_parquet, open_spark
    from socialaudit.workspace import Workspace

    ws_dir = demo
    duck = _tables(ws_dir)["labels"]
    assert duck.num_rows > 100
    # The warehouse without labels: Spark labels every message itself.
    with Workspace.open(ws_dir, create=False, read_only=True) as ws:
        export_parquet(ws, ws_dir / "warehouse")
    shutil.rmtree(ws_dir / "warehouse" / "labels")
    config = load_config(ws_dir / "socialaudit.toml")
    ws = open_spark(ws_dir, config)
    try:
        assert label_workspace(ws, config) == duck.num_rows
        made = ws.sql("select * from labels").select(duck.schema.names).cast(duck.schema)
        assert label_workspace(ws, config) == 0  # all current now: nothing relabelled
    finally:
        ws.close()
    made = made.sort_by([("platform", "ascending"), ("message_id", "ascending")])
    ignore = {"labelled_at"} & set(duck.schema.names)
    for name in duck.schema.names:
        if name not in ignore:
            assert made[name].equals(duck[name]), f"label column {name} differs on Spark"


def test_without_the_extra_spark_is_one_line_and_exit_2(
    cli: Any, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = demo
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark raises ImportError
    code, _, err = cli("audit", "--engine", "spark", "--workspace", str(ws))
    assert code == 2
    assert "pip install 'socialaudit[spark]'" in err and "Java 17" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    code, _, err = cli("audit", "--engine", "sparky", "--workspace", str(ws))
    assert code == 2 and "expected duckdb or spark" in err


def test_the_demo_audits_the_same_over_spark_connect(
    connect_server: str, cli: Any, demo: Path
) -> None:
    # `[engine] master = "sc://..."` is all a user changes; the audit runs in a process of its
    # own, as a user's would (a Connect client beside this process' local session is not that).
    config = demo / "socialaudit.toml"
    config.write_text(
        config.read_text() + f'\n[engine]\nname = "spark"\nmaster = "{connect_server}"\n'
    )
    exe = str(Path(sys.executable).with_name("socialaudit"))
    done = subprocess.run(
        [exe, "audit", "--format", "json", "--no-save", "--workspace", str(demo)],
        capture_output=True,
        check=False,
    )
    err = done.stderr.decode(errors="replace")
    assert done.returncode in (0, 1), err[-3000:]
    assert "exported the workspace's tables to the warehouse" in err
    on_connect = json.loads(done.stdout)
    duck = audit_json(cli, demo, "--engine", "duckdb")
    assert_same_findings(duck, on_connect)
    care = {f["code"]: f for f in findings(on_connect)}
    assert care["SA102"]["figures"]
    # A second audit finds the reply-tree relations the first kept in the warehouse and brings
    # them up to date instead of rebuilding them: a path of its own (its lower(explode(...))
    # crashed SA101-SA105 on Spark).
    again = subprocess.run(
        [exe, "audit", "--format", "json", "--no-save", "--workspace", str(demo)],
        capture_output=True,
        check=False,
    )
    assert again.returncode in (0, 1), again.stderr.decode(errors="replace")[-3000:]
    assert_same_findings(duck, json.loads(again.stdout))
