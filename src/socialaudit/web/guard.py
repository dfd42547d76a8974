"""What keeps the local dashboard from being used by other web sites the person visits.

The dashboard has no login: it is a single-user tool on the loopback interface. What a local
server without authentication must still refuse:

* **Cross-site requests** (CSRF): another site's page can make the browser POST a form here.
  Every POST form carries a token drawn once per server process and checked in constant time;
  a request whose Origin (or, without one, Referer) names another host is refused too.
* **DNS rebinding**: another site can point its own name at 127.0.0.1 and then read pages
  (and so the token). Requests whose Host header is not one of the server's own names are
  refused before anything runs.
* **Injected markup**: customers' messages are shown on the pages. Jinja2 escapes every value;
  the Content-Security-Policy forbids scripts, remote loads, framing and form targets elsewhere,
  as a second line of defence.

Forms are read here (urlencoded bodies, size-capped) rather than with python-multipart, which the
project does not otherwise need: the pages post nothing but short text fields.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import parse_qsl, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import PlainTextResponse, Response

CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    # Links in the inbox lead to the platforms: they need not learn the dashboard's URLs.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages hold customers' messages: nothing for a shared browser cache to keep.
    "Cache-Control": "no-store",
}
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_BINDS = frozenset({"0.0.0.0", "::", ""})
MAX_FORM_BYTES = 256 * 1024
MAX_FORM_FIELDS = 32
TOKEN_FIELD = "csrf"


def allowed_hosts_for(bind_host: str) -> frozenset[str] | None:
    """The Host names a server bound to `bind_host` answers to; None means any (a wildcard bind:
    the person chose to expose it, and the names it is reached by are not known here)."""
    host = bind_host.strip("[]").lower()
    if host in WILDCARD_BINDS:
        return None
    return LOOPBACK_HOSTS | {host}


def _hostname(netloc: str) -> str | None:
    try:
        return urlsplit(f"//{netloc}").hostname
    except ValueError:  # a malformed port or bracket
        return None


class Guard:
    """The per-process CSRF token and the host rules, checked on every request."""

    def __init__(self, allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS) -> None:
        self.token = secrets.token_urlsafe(32)
        self.allowed_hosts = (
            None if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        )

    def host_ok(self, request: Request) -> bool:
        if self.allowed_hosts is None:
            return True
        host = _hostname(request.headers.get("host", ""))
        return host is not None and host.lower() in self.allowed_hosts

    def same_origin(self, request: Request) -> bool:
        """False when Origin (or Referer) names another host than the request's Host."""
        own = request.headers.get("host", "").lower()
        origin = request.headers.get("origin")
        if origin is not None:
            # "null": a sandboxed frame or a file:// page, never one of our own forms.
            return origin != "null" and urlsplit(origin).netloc.lower() == own
        referer = request.headers.get("referer")
        if referer is not None:
            return urlsplit(referer).netloc.lower() == own
        return True  # neither header (curl, some privacy settings): the token decides

    def token_ok(self, form: dict[str, str]) -> bool:
        return secrets.compare_digest(form.get(TOKEN_FIELD, ""), self.token)

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not self.host_ok(request):
            response: Response = PlainTextResponse(
                "unexpected Host header: this dashboard answers only to its own address", 400
            )
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form body as a dict (the first value of a repeated field wins)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, f"form larger than {MAX_FORM_BYTES // 1024} KiB")
    if not body:
        return {}  # an empty post: no fields (and so no token)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != "application/x-www-form-urlencoded":
        raise HTTPException(415, "expected a form (application/x-www-form-urlencoded)")
    try:
        pairs = parse_qsl(
            body.decode("utf-8"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(400, f"unreadable form ({exc})") from exc
    form: dict[str, str] = {}
    for key, value in pairs:
        form.setdefault(key, value)
    return form


async def checked_form(request: Request) -> dict[str, str]:
    """The POSTed form, after the cross-site checks (403 when they fail)."""
    guard: Guard = request.app.state.guard
    if not guard.same_origin(request):
        raise HTTPException(403, "cross-site request refused (Origin is not this dashboard)")
    form = await read_form(request)
    if not guard.token_ok(form):
        raise HTTPException(403, "missing or stale form token: reload the page and try again")
    return form
