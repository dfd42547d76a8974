"""The local dashboard through FastAPI's TestClient (no server, no network): pages, escaping of
strangers' words, the cross-site defences, and the forms' effects on the workspace."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from socialaudit.demo import PLANTED, build_demo
from socialaudit.errors import WorkspaceError
from socialaudit.labelling import label_workspace
from socialaudit.sources import import_path
from socialaudit.sources.base import ImportOptions
from socialaudit.web import create_app
from socialaudit.workspace import Workspace

BASE = "http://127.0.0.1:8765"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE = [
    {
        "id": "evil1",
        "platform": "x",
        "author": "mallory",
        "from_brand": False,
        "created_at": "2026-11-09T10:00:00Z",
        "url": "javascript:alert(1)",
        "text": f"@northwindcoffee {SCRIPT} my order never arrived, terrible service",
    },
    {
        "id": "evil2",
        "platform": "x",
        "author": IMG,
        "from_brand": False,
        "created_at": "2026-11-09T11:00:00Z",
        "text": f"@northwindcoffee {IMG} you charged me twice, awful service",
    },
]
CSP_PARTS = (
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo brand plus two hostile complaints, built and labelled once for the module."""
    root = tmp_path_factory.mktemp("web") / "demo"
    ws = build_demo(root)
    with ws:
        path = root / "hostile.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in HOSTILE), encoding="utf-8")
        import_path(ws, path, None, ImportOptions())
        label_workspace(ws)  # the labelling stage, once: copies start labelled
    return root


@pytest.fixture
def root(master: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo"
    shutil.copytree(master, copy)
    return copy


@pytest.fixture
def client(root: Path) -> TestClient:
    return TestClient(create_app(root), base_url=BASE)


def token(client: TestClient, page: str = "/inbox") -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', client.get(page).text)
    assert found, "the page carries no form token"
    return found.group(1)


def rows(root: Path, query: str, params: list | None = None) -> list[dict]:
    with Workspace.open(root, create=False) as ws:
        return ws.sql(query, params).to_pylist()


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would parse them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    tags = Elements(html).tags
    assert not [t for t, _ in tags if t in ("script", "iframe", "object", "embed", "link")]
    assert not [(t, a) for t, attrs in tags for a in attrs if a.lower().startswith("on")]
    assert not [t for t, attrs in tags if "src" in attrs]  # nothing loaded from anywhere
    hrefs = [attrs.get("href") or "" for _, attrs in tags]
    assert not [h for h in hrefs if h.strip().lower().startswith(("javascript:", "data:"))]


# -- pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/inbox", "/inbox?kind=thank&all=1", "/lint"])
def test_pages_render_with_security_headers(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    for part in CSP_PARTS:
        assert part in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert_inert(r.text)


def test_refusals_carry_the_headers_too(client: TestClient) -> None:
    for r in (
        client.get("/report"),  # no audit yet
        client.post("/audit", data={}),
        TestClient(client.app).get("/"),  # Host: testserver
    ):
        assert r.status_code in (400, 403, 404)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"


def test_no_api_docs_pages(client: TestClient) -> None:
    # FastAPI's interactive docs load scripts from a CDN: they are switched off.
    for path in ("/docs", "/redoc", "/openapi.json"):
        assert client.get(path).status_code == 404


def test_inbox_lists_the_planted_items(client: TestClient) -> None:
    html = client.get("/inbox").text
    for m in [*PLANTED["SA101"], *PLANTED["SA101_pending"], *PLANTED["SA103"]]:
        assert f"x:{m}" in html
    thank = client.get("/inbox?kind=thank").text
    assert all(f"x:{m}" in thank for m in PLANTED["SA103"])
    assert not any(f"x:{m}" in thank for m in PLANTED["SA101"])


def test_hostile_texts_are_escaped_on_the_inbox(client: TestClient) -> None:
    r = client.get("/inbox?kind=answer")
    html = r.text
    assert "x:evil1" in html and "x:evil2" in html  # both imported as complaints
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert SCRIPT not in html and IMG not in html
    assert "javascript:alert(1)" not in html  # the message's URL is not http(s): no link
    assert_inert(html)


# -- the cross-site defences ---------------------------------------------------------------------


def test_posts_without_the_token_are_refused(client: TestClient, root: Path) -> None:
    item = {"platform": "x", "message_id": PLANTED["SA101"][0], "action": "handled"}
    assert client.post("/inbox/act", data=item).status_code == 403
    assert client.post("/inbox/act", data={**item, "csrf": "guessed"}).status_code == 403
    label = {"platform": "x", "message_id": PLANTED["SA101"][0], "intent": "other"}
    assert client.post("/inbox/label", data=label).status_code == 403
    assert client.post("/audit", data={}).status_code == 403
    assert client.post("/lint", data={"text": "hello"}).status_code == 403
    assert rows(root, "select * from inbox_state") == []
    assert rows(root, "select * from label_fixes") == []
    assert rows(root, "select * from audits") == []


def test_posts_from_another_origin_are_refused_even_with_the_token(
    client: TestClient, root: Path
) -> None:
    form = {
        "csrf": token(client),
        "platform": "x",
        "message_id": PLANTED["SA101"][0],
        "action": "handled",
    }
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Referer": "http://evil.example/page"},
    ):
        r = client.post("/inbox/act", data=form, headers=headers, follow_redirects=False)
        assert r.status_code == 403, headers
    assert rows(root, "select * from inbox_state") == []


def test_a_foreign_host_is_refused(client: TestClient) -> None:
    # DNS rebinding: another site's name pointed at 127.0.0.1 must not read the pages.
    r = client.get("/inbox", headers={"Host": "evil.example:8765"})
    assert r.status_code == 400
    assert "x:nw" not in r.text and "csrf" not in r.text


def test_forms_must_be_small_urlencoded_forms(client: TestClient) -> None:
    t = token(client)
    r = client.post("/lint", json={"csrf": t, "text": "hi"})
    assert r.status_code == 415
    r = client.post("/lint", data={"csrf": t, "text": "x" * 300_000})
    assert r.status_code == 413


# -- what the forms do ---------------------------------------------------------------------------


def test_done_is_persisted_and_hides_the_item(client: TestClient, root: Path) -> None:
    first = PLANTED["SA101"][0]
    form = {
        "csrf": token(client),
        "platform": "x",
        "message_id": first,
        "action": "handled",
        "note": "answered by phone",
        "kind": "answer",
    }
    r = client.post("/inbox/act", data=form, headers={"Origin": BASE}, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/inbox?kind=answer&did=handled")
    state = rows(root, "select message_id, state, note from inbox_state")
    assert state == [{"message_id": first, "state": "handled", "note": "answered by phone"}]
    assert f"x:{first}" not in client.get("/inbox").text
    every = client.get("/inbox?all=1").text
    assert f"x:{first}" in every and "answered by phone" in every


def test_assign_and_note(client: TestClient, root: Path) -> None:
    m = PLANTED["SA103"][0]
    t = token(client)
    client.post(
        "/inbox/act",
        data={
            "csrf": t,
            "platform": "x",
            "message_id": m,
            "action": "assigned",
            "assignee": "Alice",
        },
    )
    client.post(
        "/inbox/act",
        data={
            "csrf": t,
            "platform": "x",
            "message_id": m,
            "action": "note",
            "note": "send a voucher",
        },
    )
    assert rows(root, "select state, assignee, note from inbox_state") == [
        {"state": "assigned", "assignee": "Alice", "note": "send a voucher"}
    ]
    assert "assigned to <bdi>Alice</bdi>" in client.get("/inbox").text


def test_a_bad_action_or_message_is_a_400_page(client: TestClient, root: Path) -> None:
    t = token(client)
    r = client.post(
        "/inbox/act", data={"csrf": t, "platform": "x", "message_id": "nope", "action": "handled"}
    )
    assert r.status_code == 400 and "no message with id x:nope" in r.text
    r = client.post(
        "/inbox/act",
        data={"csrf": t, "platform": "x", "message_id": PLANTED["SA101"][0], "action": "delete"},
    )
    assert r.status_code == 400
    assert rows(root, "select * from inbox_state") == []


def test_label_fix_is_persisted(client: TestClient, root: Path) -> None:
    m = PLANTED["SA101"][0]
    form = {"csrf": token(client), "platform": "x", "message_id": m, "intent": "other"}
    r = client.post("/inbox/label", data=form, follow_redirects=False)
    assert r.status_code == 303
    fixes = rows(root, "select platform, message_id, task, label from label_fixes")
    assert fixes == [{"platform": "x", "message_id": m, "task": "intent", "label": "other"}]
    assert rows(root, "select intent from labels where message_id = ?", [m]) == [
        {"intent": "other"}
    ]
    assert f"x:{m}" not in client.get("/inbox").text  # not a request any more
    r = client.post("/inbox/label", data={**form, "intent": "angry"})
    assert r.status_code == 400


def test_fresh_audit_is_stored_and_shown(client: TestClient, root: Path) -> None:
    assert "No audit yet" in client.get("/").text
    r = client.post("/audit", data={"csrf": token(client, "/")}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/audit/progress"
    client.app.state.audit_job.wait(120)  # it runs in the background (issue 16 item 8)
    r = client.get("/audit/progress", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert len(rows(root, "select audit_id from audits")) == 1
    html = client.get("/").text
    assert "Northwind Coffee Roasters" in html and "health score" in html
    for code in ("SA101", "SA103", "SA203"):  # planted failures are listed to fix
        assert code in html
    report = client.get("/report")
    assert report.status_code == 200
    assert "Posting cadence" in report.text and "<svg" in report.text  # charts drawn again
    assert_inert(report.text)


def test_lint_shows_findings_for_a_shouted_draft(client: TestClient) -> None:
    draft = f"BUY OUR BEST COFFEE NOW!!!!! CLICK HERE {SCRIPT}"
    r = client.post("/lint", data={"csrf": token(client, "/lint"), "text": draft, "platform": "x"})
    assert r.status_code == 200
    assert "SL102" in r.text and "SL103" in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and SCRIPT not in r.text
    assert_inert(r.text)
    r = client.post(
        "/lint", data={"csrf": token(client, "/lint"), "text": "hi", "platform": "myspace"}
    )
    assert r.status_code == 400


def test_no_workspace_no_app(tmp_path: Path, cli) -> None:
    with pytest.raises(WorkspaceError, match="no workspace here"):
        create_app(tmp_path / "empty")
    code, _, err = cli("serve", "-w", str(tmp_path / "empty"))
    assert code == 2 and "no workspace here" in err and len(err.strip().splitlines()) == 1
