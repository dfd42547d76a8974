"""What keeps the local dashboard from being used by other web sites the person visits.

The dashboard has no login: it is a single-user tool on the loopback interface. What a local
server without authentication must still refuse:

* **Cross-site requests** (CSRF): another site's page can make the browser POST a form here.
  Every POST form carries a token drawn once per server process and checked in constant time;
  a request whose Origin (or, without one, Referer) names another host is refused too.
* **DNS rebinding**: another site can point its own name at 127.0.0.1 and then read pages
  (and so the token). Requests whose Host header is not one of the server's own names are
  refused before anything runs, and Origin is compared with that list, never with the Host
  the request brings. There is always such a list: off loopback it is the names given with
  `--allowed-host`, and the server refuses to start without one.
* **Other people on the network**: off loopback every request must also carry the access
  token printed at start (once in the address, then as an HttpOnly, SameSite=Strict cookie).
* **Injected markup**: customers' messages are shown on the pages. Jinja2 escapes every value;
  the Content-Security-Policy forbids scripts, remote loads, framing and form targets elsewhere,
  as a second line of defence.

Forms are parsed by Starlette with python-multipart (urlencoded or multipart bodies, no files,
a few fields), after the body is read here within a size cap.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlencode, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from ..errors import UsageError

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
ACCESS_PARAM = "token"  # the access token in the address printed at start (off loopback)
ACCESS_COOKIE = "socialaudit_access"


def allowed_hosts_for(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host names a server bound to `bind_host` answers to: loopback's, the bound address,
    and the names given with --allowed-host. A wildcard bind (0.0.0.0, ::) is reached by
    names this process cannot know, so it needs them given: UsageError without any."""
    host = bind_host.strip("[]").lower()
    names = {h.strip().strip("[]").lower() for h in extra if h.strip()}
    if host in WILDCARD_BINDS:
        if not names:
            raise UsageError(
                f"--host {bind_host or '0.0.0.0'} listens on every address: name each host "
                "name or address the dashboard is reached by with --allowed-host NAME (a "
                "foreign Host header is refused, which is what stops DNS rebinding)"
            )
        return LOOPBACK_HOSTS | names
    return LOOPBACK_HOSTS | {host} | names


def is_loopback(bind_host: str) -> bool:
    return bind_host.strip("[]").lower() in LOOPBACK_HOSTS or bind_host.startswith("127.")


def _hostname(netloc: str) -> str | None:
    try:
        return urlsplit(f"//{netloc}").hostname
    except ValueError:  # a malformed port or bracket
        return None


class Guard:
    """The per-process CSRF token, the host rules and (off loopback) the access token, checked
    on every request."""

    def __init__(
        self,
        allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
        access_token: str | None = None,
    ) -> None:
        self.token = secrets.token_urlsafe(32)
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.access_token = access_token

    def host_ok(self, request: Request) -> bool:
        host = _hostname(request.headers.get("host", ""))
        return host is not None and host.lower() in self.allowed_hosts

    def same_origin(self, request: Request) -> bool:
        """False when Origin (or Referer) names another host than the request's own Host, or
        one that is not among the allowed names."""
        own = request.headers.get("host", "").lower()
        origin = request.headers.get("origin")
        if origin is not None:
            # "null": a sandboxed frame or a file:// page, never one of our own forms.
            return origin != "null" and self._ours(urlsplit(origin).netloc.lower(), own)
        referer = request.headers.get("referer")
        if referer is not None:
            return self._ours(urlsplit(referer).netloc.lower(), own)
        return True  # neither header (curl, some privacy settings): the token decides

    def _ours(self, netloc: str, own: str) -> bool:
        host = _hostname(netloc)
        return netloc == own and host is not None and host in self.allowed_hosts

    def token_ok(self, form: dict[str, str]) -> bool:
        return secrets.compare_digest(form.get(TOKEN_FIELD, ""), self.token)

    def _access(self, request: Request) -> Response | None:
        """None when the request may go on; else the response that refuses it (or, for the
        address printed at start, sets the cookie and drops the token from the address)."""
        if self.access_token is None:
            return None
        given = request.query_params.get(ACCESS_PARAM)
        if given is not None and secrets.compare_digest(given, self.access_token):
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != ACCESS_PARAM]
            target = request.url.path + ("?" + urlencode(rest) if rest else "")
            response: Response = RedirectResponse(target, 303)
            response.set_cookie(
                ACCESS_COOKIE, self.access_token, httponly=True, samesite="strict", path="/"
            )
            return response
        cookie = request.cookies.get(ACCESS_COOKIE, "")
        if cookie and secrets.compare_digest(cookie, self.access_token):
            return None
        return PlainTextResponse(
            "this dashboard needs its access token: open the address that `socialaudit serve` "
            "printed when it started",
            401,
        )

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        if not self.host_ok(request):
            response: Response = PlainTextResponse(
                "unexpected Host header: this dashboard answers only to its own address", 400
            )
        else:
            response = self._access(request) or await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


async def read_form(request: Request) -> dict[str, str]:
    """A form body (urlencoded or multipart, no files) as a dict; the first value of a
    repeated field wins. The body is read here within MAX_FORM_BYTES, then parsed by
    Starlette's python-multipart parser."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, f"form larger than {MAX_FORM_BYTES // 1024} KiB")
    if not body:
        return {}  # an empty post: no fields (and so no token)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise HTTPException(415, "expected a form (application/x-www-form-urlencoded)")
    request._body = bytes(body)  # Starlette parses the body it already has
    try:
        parsed = await request.form(
            max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_BYTES
        )
    except HTTPException:
        raise
    except Exception as exc:  # MultiPartException, a bad boundary, undecodable text
        raise HTTPException(400, f"unreadable form ({' '.join(str(exc).split())[:200]})") from exc
    form: dict[str, str] = {}
    for key, value in parsed.multi_items():
        if not isinstance(value, str):
            raise HTTPException(400, "the dashboard's forms take no files")
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
