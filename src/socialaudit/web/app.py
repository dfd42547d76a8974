"""The dashboard's pages: routes that call the library and render a template.

Each request opens the workspace, does its work and closes it again, one request at a time:
DuckDB lets one process write a database file, so holding it open between requests would lock
out the CLI in the next terminal, and a single-user tool has no need for parallel requests.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined

from ..config import load_config
from ..errors import SocialauditError
from ..workspace import CONFIG_NAME, Workspace, resolve_root
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
}


class _Gate:
    """The workspace, opened for one request at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()

    @contextmanager
    def open(self) -> Iterator[Workspace]:
        with self._lock, Workspace.open(self.root, create=False) as ws:
            yield ws


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
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def create_app(
    workspace_path: str | Path | None, *, allowed_hosts: frozenset[str] | None = LOOPBACK_HOSTS
) -> FastAPI:
    """The dashboard of one workspace. `allowed_hosts`: the Host names it answers to (None: any).

    Raises WorkspaceError when there is no workspace at `workspace_path`.
    """
    root = resolve_root(workspace_path)
    Workspace.open(root, create=False).close()  # fail now, with one line, not on the first page
    gate = _Gate(root)
    job = _AuditJob(gate)
    guard = Guard(allowed_hosts)
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
            workspace=str(root),
            portfolio_nav=several_brands,
            **context,
        )
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(SocialauditError)
    async def _user_error(request: Request, exc: SocialauditError) -> HTMLResponse:
        return page("error.html", 400, title="That did not work", message=exc.one_line())

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
        with gate.open() as ws:
            doc = previous_audit(ws)
            inbox = build_inbox(ws, load_config(ws.config_path))
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
            return page("error.html", 500, title="The audit did not finish", message=job.error)
        return RedirectResponse("/", status_code=303)

    @app.get("/report", response_class=HTMLResponse)
    def report() -> HTMLResponse:
        from ..charts import chart_data
        from ..history import previous_audit
        from ..report.html import render_html

        with gate.open() as ws:
            doc = previous_audit(ws)
            if doc is None:
                return page(
                    "error.html",
                    404,
                    title="No audit yet",
                    message="Run an audit from the dashboard (or `socialaudit audit`) first.",
                )
            result = views.stored_result(doc)
            # Stored audits leave their charts out; they are drawn from the data as it is now.
            result.extra["charts"] = chart_data(ws, load_config(ws.config_path))
        return HTMLResponse(render_html(result))

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
        with gate.open() as ws:
            config = load_config(ws.config_path)
            inbox = build_inbox(ws, config, include_handled=show_all, kind=kind)
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

    @app.post("/inbox/label")
    def inbox_label(form: Form) -> RedirectResponse:
        from ..text.store import fix_label

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
