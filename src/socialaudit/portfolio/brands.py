"""A portfolio: the brands an agency runs, where each one's data lives, and the agency itself.

A portfolio is either

* **a folder of brand workspaces**: every sub-folder holding a workspace (`socialaudit.duckdb`)
  is a brand (named by its `[brand] name`, else the folder); `socialaudit split` makes one; or
* **one workspace holding several brands**, each a named set of accounts in its config:

      [brands.acme]
      accounts = ["x:AcmeHelp", "instagram:acme"]
      name = "Acme Coffee"          # optional, like every key of [brand]

  A sub-folder workspace of a portfolio folder may hold several brands the same way.

The folder (or the workspace folder) may hold `portfolio.toml` with the agency's name and logo
for the reports that go to clients:

    [agency]
    name = "Northwind Digital"
    logo = "logo.png"     # a local image file (PNG, JPEG, GIF, WebP or SVG), embedded in reports
"""

from __future__ import annotations

import base64
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..config import Config, load_config
from ..errors import ConfigError, WorkspaceError
from ..workspace import CONFIG_NAME, DB_NAME

PORTFOLIO_CONFIG = "portfolio.toml"
LOGO_MAX_BYTES = 512 * 1024  # a logo, not a photo: reports stay small enough to e-mail
# Image types by their first bytes; a logo of any other type is refused, never guessed.
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


class AgencyConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    logo: str | None = None  # a path, relative to portfolio.toml


class PortfolioConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    agency: AgencyConfig = AgencyConfig()


@dataclass(frozen=True)
class Agency:
    name: str | None = None
    logo_data_uri: str | None = None  # the logo file as a data: URI (never a remote address)


@dataclass(frozen=True)
class BrandRef:
    """One brand of a portfolio: its display name, its workspace, and which `[brands]` entry
    of that workspace it is (None: the whole workspace is the brand)."""

    name: str
    root: Path
    entry: str | None = None
    slug: str = ""

    @property
    def scope(self) -> str:
        """The audit history's scope ('' for a whole workspace): see history.audit_scope."""
        return self.entry or ""


@dataclass
class Portfolio:
    root: Path
    agency: Agency
    brands: list[BrandRef] = field(default_factory=list)

    def brand(self, name_or_slug: str) -> BrandRef:
        for b in self.brands:
            if name_or_slug in (b.name, b.slug):
                return b
        known = ", ".join(b.name for b in self.brands)
        raise WorkspaceError(f"{self.root}: no brand {name_or_slug!r} (brands: {known})")


def is_workspace(path: Path) -> bool:
    return (path / DB_NAME).is_file()


def is_portfolio_folder(path: Path) -> bool:
    """A folder of brand workspaces (not itself a workspace)."""
    if is_workspace(path) or not path.is_dir():
        return False
    return any(is_workspace(p) for p in path.iterdir() if p.is_dir())


def load_portfolio(root: Path) -> Portfolio:
    """The portfolio at `root` (see the module doc); WorkspaceError when it holds no brand."""
    root = root.expanduser().resolve()
    if is_workspace(root):
        refs = _brands_of(root, root.name)
    elif root.is_dir():
        refs = []
        for sub in sorted(p for p in root.iterdir() if p.is_dir() and is_workspace(p)):
            refs += _brands_of(sub, sub.name)
    else:
        raise WorkspaceError(f"{root}: no such folder")
    if not refs:
        raise WorkspaceError(
            f"{root}: no brand here: expected a workspace, or a folder of workspaces (one per "
            "brand; `socialaudit split FILE --by account --into DIR` makes one)"
        )
    return Portfolio(root=root, agency=load_agency(root), brands=_unique(refs))


def _brands_of(ws_root: Path, folder: str) -> list[BrandRef]:
    config: Config = load_config(ws_root / CONFIG_NAME)
    if config.brands:
        return [
            BrandRef(name=entry.name or key, root=ws_root, entry=key)
            for key, entry in config.brands.items()
        ]
    return [BrandRef(name=config.brand.name or folder, root=ws_root)]


def _unique(refs: list[BrandRef]) -> list[BrandRef]:
    """Names and slugs made unique (two folders may name the same brand)."""
    out: list[BrandRef] = []
    seen: set[str] = set()
    for ref in refs:
        name = ref.name
        if name in seen:
            name = f"{ref.root.name}/{ref.entry or ref.name}"
        seen.add(name)
        base = slugify(name)
        slug, n = base, 2
        while slug in {r.slug for r in out}:
            slug, n = f"{base}-{n}", n + 1
        out.append(BrandRef(name=name, root=ref.root, entry=ref.entry, slug=slug))
    return out


def slugify(name: str) -> str:
    """A file and URL name for a brand: ASCII letters, digits and dashes only."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()
    return slug[:60] or "brand"


def load_agency(root: Path) -> Agency:
    path = root / PORTFOLIO_CONFIG
    if not path.is_file():
        return Agency()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        config = PortfolioConfig.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc})") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
        raise ConfigError(f"{path}: [{loc}] {msg}") from exc
    logo = None
    if config.agency.logo:
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//", config.agency.logo.strip()):
            # a URL (http:, data:, file:): a report that goes to a client loads nothing
            raise ConfigError(f"{path}: [agency.logo] must be a local image file, not an address")
        logo = logo_data_uri((path.parent / config.agency.logo).expanduser(), path)
    return Agency(name=config.agency.name, logo_data_uri=logo)


def logo_data_uri(path: Path, where: Path) -> str:
    """A local image file as a data: URI, so a report needs nothing from the network; refused
    (ConfigError) when it is not a PNG, JPEG, GIF, WebP or SVG file, or too large."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{where}: [agency.logo] {path}: {exc.strerror or exc}") from exc
    if len(data) > LOGO_MAX_BYTES:
        raise ConfigError(
            f"{where}: [agency.logo] {path} is {len(data) // 1024} KB; a logo of at most "
            f"{LOGO_MAX_BYTES // 1024} KB keeps reports small enough to e-mail"
        )
    mime = next((m for magic, m in _IMAGE_MAGIC if data.startswith(magic)), None)
    if mime is None and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None and re.match(rb"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", data, re.S):
        # An SVG shown through <img> runs no script and loads nothing (and the reports' CSP
        # allows images from data: only).
        mime = "image/svg+xml"
    if mime is None:
        raise ConfigError(
            f"{where}: [agency.logo] {path}: expected a PNG, JPEG, GIF, WebP or SVG image"
        )
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
