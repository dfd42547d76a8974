"""The dashboard's pages: routes that call the library and render a template.

Each request that needs the workspace opens it, does its work and closes it again, one at a
time: DuckDB lets one process write a database file, so holding it open between requests would
lock out the CLI in the next terminal. What a page computes from the workspace (the latest
audit, the inbox, the report) is kept until the workspace's files change, so a page asked for
again is answered from memory, side by side with others (the handlers run in a thread pool),
instead of queueing behind the one computation in progress.

While another process holds the workspace (an import in the next terminal) a request waits a
few seconds and then answers 503 "busy" (Retry-After), without naming the process or the
workspace's path: pages never show either.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from ..config import load_config
from ..errors import SocialauditError, WorkspaceBusy
from ..report.inert import for_html
from ..workspace import CONFIG_NAME, DB_NAME, Workspace, resolve_root
from . import views
from .guard import LOOPBACK_HOSTS, TOKEN_FIELD, Guard, checked_form

MAX_DRAFT_CHARS = 20_000
# What the inbox forms may do, and the state each action records.
ACTIONS = {"handled": "handled", "ignored": "ignored", "assigned": "assigned", "open": "open"}

Form = Annotated[dict[str, str], Depends(checked_form)]
# What the page says after a form did its work (the redirect names the action).
_NOTICES = {
    "handled": "marked handled",
    "ignored": "ignored",
    "assigned": "assigned",
    "open": "back in the inbox",
    "note": "note saved",
    "reply": "reply sent on the platform",
    "like": "liked on the platform",
}


class _Gate:
    """The workspace, opened for one request at a time, and what pages computed from it kept
    until its files change: a page asked for again is answered without opening it at all."""

    BUSY_WAIT = 5.0  # seconds a request waits for a workspace another process holds
    # A computed page is recomputed after this long even when the files look unchanged (a
    # write by another process in the instant between computing and noting the files).
    MAX_AGE = 30.0

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._cache: dict[Any, tuple[tuple, float, Any]] = {}

    @contextmanager
    def open(self) -> Iterator[Workspace]:
        # One at a time: a page's first computation may write (the text labels), and DuckDB
        # refuses two writing transactions on the same rows.
        with self._lock, Workspace.open(self.root, create=False, wait=self.BUSY_WAIT) as ws:
            yield ws

    def _fingerprint(self) -> tuple:
        """What changes whenever the workspace does: its files' sizes and modification times
        (a commit writes the write-ahead log, a checkpoint the database file)."""
        out: list[tuple[str, int | None, int | None]] = []
        for name in (DB_NAME, DB_NAME + ".wal", CONFIG_NAME):
            try:
                st = (self.root / name).stat()
                out.append((name, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((name, None, None))
        return tuple(out)

    def _hit(self, key: Any) -> tuple[bool, Any]:
        entry = self._cache.get(key)
        if entry is not None:
            fingerprint, at, value = entry
            if fingerprint == self._fingerprint() and time.monotonic() - at < self.MAX_AGE:
                return True, value
        return False, None

    def cached(self, key: Any, compute: Callable[[Workspace], Any]) -> Any:
        """compute(ws), or the value computed for `key` while the workspace was as it is now.
        Requests that arrive while it is computed wait for it and then share it."""
        found, value = self._hit(key)
        if found:
            return value
        with self.open() as ws:
            found, value = self._hit(key)
            if found:
                return value
            value = compute(ws)
        # Noted after closing: the close folds what the computation wrote into the file.
        if len(self._cache) > 64:
            self._cache.clear()
        self._cache[key] = (self._fingerprint(), time.monotonic(), value)
        return value


class _AuditJob:
    """The dashboard's fresh audit, run in a background thread so that a page can show how far
    it is (an audit takes seconds); one at a time."""

    def __init__(self, gate: _Gate) -> None:
        self.gate = gate
        self.done = self.total = 0
        self.error: str | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        with self._lock:
            if self.running():
                return
            self.done, self.total, self.error = 0, 0, None
            self._thread = threading.Thread(target=self._run, name="socialaudit-audit", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def _run(self) -> None:
        from ..audit import run_audit
        from ..history import record_audit

        try:
            with self.gate.open() as ws:
                result = run_audit(ws, progress=self._progress)
                record_audit(ws, result)
        except SocialauditError as exc:
            self.error = exc.one_line()
        except Exception as exc:  # the page must say it failed, not wait for ever
            self.error = f"the audit crashed: {type(exc).__name__}: {exc}"


def _environment() -> Environment:
    # The report's templates come along so the dashboard shares its stylesheet.
    return Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("socialaudit.web", "templates"),
                PackageLoader("socialaudit.report", "templates"),
            ]
        ),
        autoescape=True,  # every {{ }} is escaped, whatever the template's file name
        finalize=for_html,  # after controls and bidi overrides are replaced (report.inert)
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(
    workspace_path: str | Path | None,
    *,
    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS,
    access_token: str | None = None,
) -> FastAPI:
    """The dashboard of one workspace. `allowed_hosts`: the Host names it answers to;
    `access_token`: required on every request when given (off loopback).

    Raises WorkspaceError when there is no workspace at `workspace_path`.
    """
    root = resolve_root(workspace_path)
    Workspace.open(root, create=False).close()  # fail now, with one line, not on the first page
    gate = _Gate(root)
    job = _AuditJob(gate)
    guard = Guard(allowed_hosts, access_token)
    env = _environment()
    several_brands = bool(load_config(root / CONFIG_NAME).brands)
    # No interactive API docs: they load scripts from a CDN, and this is not an API.
    app = FastAPI(title="socialaudit", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.guard = guard
    app.state.audit_job = job
    app.middleware("http")(guard.middleware)

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            csrf_field=TOKEN_FIELD,
            csrf=guard.token,
            workspace=root.name,
            portfolio_nav=several_brands,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    def private(message: str) -> str:
        """An error line as a page may show it: without the workspace's path or a PID."""
        message = message.replace(str(root), "the workspace")
        return re.sub(r" \(PID \d+\)", "", message)

    @app.exception_handler(WorkspaceBusy)
    async def _busy(request: Request, exc: WorkspaceBusy) -> HTMLResponse:
        response = page(
            "error.html",
            503,
            title="The workspace is busy",
            message="Another socialaudit command is writing to this workspace (an import, "
            "an audit). Reload this page when it is done.",
        )
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(SocialauditError)
    async def _user_error(request: Request, exc: SocialauditError) -> HTMLResponse:
        return page("error.html", 400, title="That did not work", message=private(exc.one_line()))

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        return page("error.html", exc.status_code, title="Refused", message=str(exc.detail))

    # -- dashboard and report ------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def dashboard() -> Response:
        from ..history import previous_audit
        from ..inbox import build_inbox

        if job.running():  # the workspace is busy: show how far the audit is instead of waiting
            return RedirectResponse("/audit/progress", status_code=303)
        doc, inbox = gate.cached(
            "dashboard",
            lambda ws: (previous_audit(ws), build_inbox(ws, load_config(ws.config_path))),
        )
        result = views.stored_result(doc) if doc else None
        return page(
            "dashboard.html",
            audit=views.dashboard_view(result, doc.get("audit_id") if doc else None),
            inbox=views.inbox_view(inbox),
        )

    @app.post("/audit")
    def run_fresh_audit(form: Form) -> RedirectResponse:
        job.start()
        return RedirectResponse("/audit/progress", status_code=303)

    @app.get("/audit/progress", response_class=HTMLResponse)
    def audit_progress() -> Response:
        if job.running():
            return page("progress.html", done=job.done, total=job.total)
        if job.error:
            return page(
                "error.html", 500, title="The audit did not finish", message=private(job.error)
            )
        return RedirectResponse("/", status_code=303)

    @app.get("/report", response_class=HTMLResponse)
    def report() -> HTMLResponse:
        from ..charts import chart_data
        from ..history import previous_audit
        from ..report.html import render_html

        def render(ws: Workspace) -> str | None:
            doc = previous_audit(ws)
            if doc is None:
                return None
            result = views.stored_result(doc)
            result.workspace = root.name  # a page shows no path of this machine
            # Stored audits leave their charts out; they are drawn from the data as it is now.
            result.extra["charts"] = chart_data(ws, load_config(ws.config_path))
            return render_html(result)

        html = gate.cached("report", render)
        if html is None:
            return page(
                "error.html",
                404,
                title="No audit yet",
                message="Run an audit from the dashboard (or `socialaudit audit`) first.",
            )
        return HTMLResponse(html)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    # -- inbox ---------------------------------------------------------------------------------

    @app.get("/inbox", response_class=HTMLResponse)
    def inbox_page(
        kind: str | None = None,
        all: str | None = None,
        did: str | None = None,
        item: str | None = None,
    ) -> HTMLResponse:
        from ..inbox import KINDS, build_inbox

        kind = kind if kind in KINDS else None
        show_all = all == "1"
        inbox = gate.cached(
            ("inbox", kind, show_all),
            lambda ws: build_inbox(
                ws, load_config(ws.config_path), include_handled=show_all, kind=kind
            ),
        )
        said = _NOTICES.get(did or "") or (
            f"intent label fixed to {did[6:]}" if did and did.startswith("label:") else None
        )
        notice = {"did": said, "item": item} if said and item else None
        return page(
            "inbox.html",
            inbox=views.inbox_view(inbox),
            kind=kind or "",
            show_all=show_all,
            intents=views.INTENTS,
            notice=notice,
            # reply and like act on the platform: offered where an account is connected
            connected=sorted({c.platform for c in load_config(root / CONFIG_NAME).connect}),
        )

    def back_to_inbox(form: dict[str, str], **extra: str) -> RedirectResponse:
        # Only our own filters go into the address: never a URL taken from the form.
        query = {}
        if form.get("kind") in ("answer", "thank"):
            query["kind"] = form["kind"]
        if form.get("all") == "1":
            query["all"] = "1"
        query.update(extra)
        return RedirectResponse("/inbox" + ("?" + urlencode(query) if query else ""), 303)

    @app.post("/inbox/act")
    def inbox_act(form: Form) -> RedirectResponse:
        from ..inbox import add_note, set_state

        action = form.get("action", "")
        platform, message_id = form.get("platform", ""), form.get("message_id", "")
        with gate.open() as ws:
            if action == "note":
                add_note(ws, platform, message_id, form.get("note", ""))
            elif action in ACTIONS:
                set_state(
                    ws,
                    platform,
                    message_id,
                    ACTIONS[action],
                    assignee=form.get("assignee") if action == "assigned" else None,
                    note=form.get("note") or None,
                )
            else:
                raise HTTPException(400, f"unknown inbox action {action!r}")
        return back_to_inbox(form, did=action, item=f"{platform}:{message_id}")

    @app.post("/inbox/reply")
    def inbox_reply(form: Form) -> RedirectResponse:
        from ..connectors.actions import reply

        platform, message_id = form.get("platform", ""), form.get("message_id", "")
        text = form.get("text", "")
        if len(text) > MAX_DRAFT_CHARS:
            raise HTTPException(413, f"a reply of {len(text)} characters is too long")
        with gate.open() as ws:
            config = load_config(ws.config_path)
            reply(ws, config, platform, message_id, text, force=form.get("force") == "1")
        return back_to_inbox(form, did="reply", item=f"{platform}:{message_id}")

    @app.post("/inbox/like")
    def inbox_like(form: Form) -> RedirectResponse:
        from ..connectors.actions import like

        platform, message_id = form.get("platform", ""), form.get("message_id", "")
        with gate.open() as ws:
            like(ws, load_config(ws.config_path), platform, message_id)
        return back_to_inbox(form, did="like", item=f"{platform}:{message_id}")

    @app.post("/inbox/label")
    def inbox_label(form: Form) -> RedirectResponse:
        from ..labelling import fix_label

        platform, message_id = form.get("platform", ""), form.get("message_id", "")
        with gate.open() as ws:
            fix = fix_label(ws, message_id, "intent", form.get("intent", ""), platform or None)
        return back_to_inbox(form, did=f"label:{fix['label']}", item=f"{platform}:{message_id}")

    # -- draft linter --------------------------------------------------------------------------

    def platforms() -> tuple[str, ...]:
        from ..lint.rules import PLATFORMS

        return PLATFORMS

    @app.get("/lint", response_class=HTMLResponse)
    def lint_page() -> HTMLResponse:
        return page("lint.html", text="", platform="", platforms=platforms(), findings=None)

    @app.post("/lint", response_class=HTMLResponse)
    def lint_post(form: Form) -> HTMLResponse:
        from ..lint import lint_text, settings_from_config

        text = form.get("text", "")
        platform = form.get("platform") or None
        if platform is not None and platform not in platforms():
            raise HTTPException(400, f"unknown platform {platform!r}")
        if len(text) > MAX_DRAFT_CHARS:
            raise HTTPException(413, f"a draft of {len(text)} characters is too long to check")
        config_path = root / CONFIG_NAME
        settings = settings_from_config(
            load_config(config_path), platform=platform, where=str(config_path)
        )
        findings = lint_text(text, None, settings)
        return page(
            "lint.html",
            text=text,
            platform=platform or "",
            platforms=platforms(),
            findings=views.lint_view(findings),
        )

    if several_brands:  # a workspace of several brands: their table at /brands
        from .portfolio import add_portfolio_routes

        add_portfolio_routes(app, root, page)
    return app
