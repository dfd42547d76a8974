"""The compiled SQL kept between commands (engine.compiled): an expression built again the same
way reads its SQL from the cache, any difference in the tree is another query, a memtable's
query is reused only for the same data (its memtables named after their content), a key of
this process alone is never written, and an audit reads the same findings with the cache as without."""

from __future__ import annotations

import json
from pathlib import Path

import ibis
import pytest

from socialaudit.engine.compiled import CompiledSQL, content_named, fingerprint, install


def _table(name: str = "t", extra: str = "int64") -> ibis.Table:
    return ibis.table({"id": "string", "n": extra}, name=name)


def _query(table: ibis.Table, at_least: int = 3, word: str = "refund") -> ibis.Table:
    t = table.filter(table.n >= at_least, table.id.contains(word))
    return t.group_by("id").aggregate(total=t.n.sum()).order_by("id")


def test_same_tree_same_fingerprint_and_any_difference_another() -> None:
    base = fingerprint(_query(_table()))
    assert fingerprint(_query(_table())) == base
    assert fingerprint(_query(_table(), at_least=4)) != base
    assert fingerprint(_query(_table(), word="refunds")) != base
    assert fingerprint(_query(_table(name="u"))) != base
    assert fingerprint(_query(_table(extra="int32"))) != base
    assert fingerprint(_query(_table()).limit(5)) != base


def test_a_memtable_query_is_this_process_own() -> None:
    def q() -> ibis.Table:
        return ibis.memtable({"id": ["a"]}).filter(ibis._.id == "a")

    assert fingerprint(q()) != fingerprint(q())


def _dates(accounts: list[str], ends: list[int], end_type: str = "int64") -> ibis.Table:
    return ibis.memtable(
        {"acct": accounts, "end": ends}, schema={"acct": "string", "end": end_type}
    )


def _dated(table: ibis.Table, dates: ibis.Table) -> ibis.Table:
    joined = table.left_join(dates, table.id == dates.acct)
    return joined.select(table.id, table.n, end=dates.end).order_by("id")


def test_a_content_named_memtable_fingerprint_follows_its_data() -> None:
    def fp(accounts: list[str], ends: list[int], end_type: str = "int64") -> str:
        expr, memtables = content_named(_dated(_table(), _dates(accounts, ends, end_type)))
        assert len(memtables) == 1
        return fingerprint(expr)

    base = fp(["a", "b"], [1, 2])
    assert fp(["a", "b"], [1, 2]) == base  # another memtable object, another random name
    assert fp(["a", "b"], [1, 3]) != base
    assert fp(["b", "a"], [2, 1]) != base  # (row order is data too)
    assert fp(["a", "b"], [1, 2], "int32") != base


def test_a_memtable_query_is_kept_for_its_data_only(tmp_path: Path) -> None:
    path = tmp_path / "compiled.json"
    rows = {"id": ["a", "b", "c"], "n": [1, 2, 3]}

    def run(accounts: list[str], ends: list[int]) -> tuple[list[dict[str, object]], int]:
        # a new backend and cache object each time: another command
        backend = ibis.duckdb.connect()
        backend.create_table("t", ibis.memtable(rows))
        kept = CompiledSQL(path)
        install(backend, kept)
        out = backend.to_pyarrow(_dated(backend.table("t"), _dates(accounts, ends)))
        kept.save()
        return out.to_pylist(), kept.compiled

    first, compiled = run(["a", "c"], [10, 30])
    assert compiled == 1
    assert first == [
        {"id": "a", "n": 1, "end": 10},
        {"id": "b", "n": 2, "end": None},
        {"id": "c", "n": 3, "end": 30},
    ]
    assert run(["a", "c"], [10, 30]) == (first, 0)  # read from the file
    other, compiled = run(["b"], [20])
    assert compiled == 1
    assert [r["end"] for r in other] == [None, 20, None]
    assert len(json.loads(path.read_text(encoding="utf-8"))) == 2


def test_two_memtables_of_one_content_stay_two(tmp_path: Path) -> None:
    path = tmp_path / "compiled.json"

    def run() -> tuple[list[dict[str, object]], int]:
        backend = ibis.duckdb.connect()
        kept = CompiledSQL(path)
        install(backend, kept)
        left = ibis.memtable({"k": ["x", "y"], "v": [1, 2]})
        right = ibis.memtable({"k": ["x", "y"], "v": [1, 2]})
        joined = left.join(right, left.v == right.v + 1).select(a=left.k, b=right.k)
        _, memtables = content_named(joined)
        assert len({m.name for m in memtables}) == 2
        out = backend.to_pyarrow(joined).to_pylist()
        kept.save()
        return out, kept.compiled

    assert run() == ([{"a": "y", "b": "x"}], 1)
    assert run() == ([{"a": "y", "b": "x"}], 0)  # read from the file


def test_a_key_of_this_process_alone_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "compiled.json"
    kept = CompiledSQL(path)
    kept.put("mine", "select 1", keep=False)
    kept.save()
    assert not path.exists()
    kept.put("shared", "select 2")
    kept.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"shared": "select 2"}


def test_compiled_sql_is_read_back_in_a_new_cache(tmp_path: Path) -> None:
    path = tmp_path / "compiled.json"
    backend = ibis.duckdb.connect()
    backend.create_table("t", ibis.memtable({"id": ["refund a", "b"], "n": [5, 1]}))
    kept = CompiledSQL(path)
    install(backend, kept)
    table = backend.table("t")
    first = backend.to_pyarrow(_query(table))
    kept.save()
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert len(stored) == 1
    # the SQL holds a workspace's literals: only the user may read it
    assert path.stat().st_mode & 0o777 == 0o600
    # Another process: its own backend and cache object, reading the file. A stored entry is
    # used as it is: a planted one shows that the SQL comes from the file, not from Ibis.
    other = ibis.duckdb.connect()
    other.create_table("t", ibis.memtable({"id": ["refund a", "b"], "n": [5, 1]}))
    [key] = stored
    path.write_text(json.dumps({key: "select 'kept' as id, 1 as total"}), encoding="utf-8")
    again = CompiledSQL(path)
    install(other, again)
    assert other.to_pyarrow(_query(other.table("t"))).to_pylist() == [{"id": "kept", "total": 1}]
    assert first.to_pylist() == [{"id": "refund a", "total": 5}]


def test_a_damaged_file_is_an_empty_cache(tmp_path: Path) -> None:
    path = tmp_path / "compiled.json"
    path.write_text("{not json", encoding="utf-8")
    kept = CompiledSQL(path)
    assert kept.get("x") is None
    kept.put("x", "select 1")
    kept.save()
    assert json.loads(path.read_text(encoding="utf-8")) == {"x": "select 1"}


@pytest.mark.parametrize("warm", [False, True])
def test_demo_audit_same_findings_with_the_cache(
    warm: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from socialaudit.audit import run_audit
    from socialaudit.demo import build_demo

    def findings(cache_home: Path) -> list[dict[str, object]]:
        monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))
        ws = build_demo(tmp_path / f"ws-{cache_home.name}-{len(list(tmp_path.iterdir()))}")
        try:
            result = run_audit(ws)
        finally:
            ws.close()
        return [f.to_dict() for f in result.findings]

    cold = tmp_path / "cold"
    reference = findings(cold)
    home = tmp_path / "home"
    if warm:
        findings(home)  # fills the cache
    assert findings(home) == reference
    assert any(p.name.startswith("compiled-sql-") for p in (home / "socialaudit").iterdir())
