"""The dashboard of a portfolio: every brand's latest stored audit in one table, and each
brand's page (the same pages `socialaudit portfolio report` writes), read-only.

`socialaudit serve -w DIR` serves these pages at /brands when the workspace holds several
brands (`[brands]`), beside the workspace's own dashboard; and alone, at /, when DIR is a folder
of brand workspaces (each brand's inbox is then its own workspace's: `serve -w DIR/BRAND`).
Nothing here writes: audits are run by `socialaudit portfolio audit` (or cron).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException
from fastapi.responses import HTMLResponse, Response

from ..errors import SocialauditError
from ..portfolio.brands import load_portfolio
from .guard import LOOPBACK_HOSTS, Guard


def add_portfolio_routes(app: FastAPI, root: Path, page: Callable[..., HTMLResponse]) -> None:
    """/brands (every brand) and /brands/SLUG (one brand's page) for the portfolio at `root`;
    `page(template, status, **context)` renders a dashboard template."""

    @app.get("/brands", response_class=HTMLResponse)
    def brands_page() -> HTMLResponse:
        from ..portfolio.pages import overview_view
        from ..portfolio.run import stored_portfolio
        from ..report.jsonout import clean

        result = stored_portfolio(load_portfolio(root))
        view = overview_view(result, clean(result.to_dict()))
        return page("brands.html", portfolio=view, active_page="brands")

    @app.get("/brands/{slug}", response_class=HTMLResponse)
    def brand_page(slug: str) -> HTMLResponse:
        from ..portfolio.pages import render_brand_page
        from ..portfolio.run import stored_portfolio
        from ..report.jsonout import clean

        portfolio = load_portfolio(root)
        try:
            ref = portfolio.brand(slug.removesuffix(".html"))
        except SocialauditError as exc:
            raise HTTPException(404, exc.one_line()) from exc
        result = stored_portfolio(portfolio, charts_for={ref.slug})
        doc = clean(result.to_dict())
        row = next(b for b in doc["brands"] if b["slug"] == ref.slug)
        brand = next(b for b in result.brands if b.ref.slug == ref.slug)
        return HTMLResponse(render_brand_page(result, brand, doc, row, overview_href="/brands"))


def create_portfolio_app(
    root: Path,
    *,
    allowed_hosts: frozenset[str] = LOOPBACK_HOSTS,
    access_token: str | None = None,
) -> FastAPI:
    """The dashboard of a folder of brand workspaces: the brands' table at / and their pages.
    The same guard as the workspace dashboard's (`guard.py`): Host names, the access token off
    loopback."""
    from .app import _environment

    load_portfolio(root)  # fail now, with one line, not on the first page
    guard = Guard(allowed_hosts, access_token)
    env = _environment()
    app = FastAPI(title="socialaudit", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.guard = guard
    app.middleware("http")(guard.middleware)

    def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("active_page", "")
        html = env.get_template(name).render(
            workspace=root.name, portfolio_only=True, portfolio_nav=True, **context
        )
        return HTMLResponse(html, status_code=status)

    @app.exception_handler(SocialauditError)
    async def _user_error(request: Any, exc: SocialauditError) -> HTMLResponse:
        return page("error.html", 400, title="That did not work", message=exc.one_line())

    @app.exception_handler(HTTPException)
    async def _http_error(request: Any, exc: HTTPException) -> HTMLResponse:
        return page("error.html", exc.status_code, title="Refused", message=str(exc.detail))

    @app.get("/")
    def home() -> Response:
        from fastapi.responses import RedirectResponse

        return RedirectResponse("/brands", status_code=303)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    add_portfolio_routes(app, root, page)
    return app
