"""Links, parsed one way everywhere: in text understanding, the draft linter and the checks.

* `LINK` is what counts as a link inside a message's text (`http://` or `https://` up to the
  next space): text understanding replaces it before reading words, SA105 drops it from themes.
* `HOST` takes the host from an absolute URL (scheme, optional user info, host), for Python
  (`host`) and for Ibis expressions (`host_of`), so that SA306 in the audit and SL109 in the
  linter agree on which links lead to the brand's site.
* A domain is compared in lower case without a leading `www.`, and its subdomains count
  (`shop.acme.example` is on `acme.example`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ibis.expr.types as ir

LINK = r"https?://\S+"
HOST = r"^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#]*@)?([^/:?#]+)"
_HOST = re.compile(HOST)


def domain(name: str) -> str:
    """A domain as compared: lower case, without a leading `www.`."""
    return name.strip().lower().removeprefix("www.")


def host(url: str) -> str:
    """The host of an absolute URL (a URL without a scheme is read as https), as `domain` does."""
    found = _HOST.match(url if "://" in url else "https://" + url)
    return domain(found.group(1)) if found else ""


def on_domain(name: str, domains: Sequence[str]) -> bool:
    """True when `name` is one of `domains` (already normalised) or a subdomain of one."""
    name = domain(name)
    return any(name == d or name.endswith("." + d) for d in domains)


def host_of(url: ir.StringValue) -> ir.StringValue:
    """`host` as an Ibis expression (for links stored in the workspace)."""
    return url.re_extract(HOST, 1).lower().re_replace(r"^www\.", "")


def on_domain_expr(name: ir.StringValue, domains: Sequence[str]) -> ir.BooleanValue:
    """`on_domain` as an Ibis expression."""
    import ibis

    out: ir.BooleanValue = ibis.literal(False)
    for d in domains:
        out = out | (name == d) | name.endswith("." + d)
    return out


def has_parameter(url: ir.StringValue, parameter: str) -> ir.BooleanValue:
    """The URL's query (or fragment) carries `parameter=` (case-insensitive)."""
    return url.lower().re_search(r"[?&#]" + re.escape(parameter.lower()) + "=")
