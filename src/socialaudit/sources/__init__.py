"""Input formats. Each module turns one kind of export into canonical rows.

`import_path(ws, path)` detects the format (or takes `--format`), reads the whole input into one
batch, and writes it to the workspace in one transaction: all or nothing.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from ..errors import InputError, UsageError
from ..workspace import ImportBatch, Workspace
from .base import ImportOptions, Source

# Detection order matters: the most specific formats first, the generic layout last.
_SOURCE_MODULES = (
    # ledgers: detected by their exact header, so they never take a messages CSV
    "costs",
    "conversions",
    "audience",
    # platform exports: folders, zips and files with a recognisable layout (issue 3)
    "x_archive",
    "mastodon",
    "bluesky",
    "meta",
    "linkedin",
    "twcs",
    "generic",
)


def all_sources() -> list[Source]:
    return [import_module(f"{__name__}.{m}").SOURCE for m in _SOURCE_MODULES]


def get_source(name: str) -> Source:
    for s in all_sources():
        if s.name == name:
            return s
    names = ", ".join(s.name for s in all_sources())
    raise UsageError(f"{name!r} is not a known format (known: {names})", setting="format")


def detect(path: Path) -> Source:
    for s in all_sources():
        if s.detect(path):
            return s
    names = ", ".join(s.name for s in all_sources())
    raise InputError(
        path, f"cannot tell which format this is; name it (one of: {names})", setting="format"
    )


def read_path(
    path: str | Path, fmt: str | None = None, options: ImportOptions | None = None
) -> ImportBatch:
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(p, "no such file or folder")
    source = get_source(fmt) if fmt else detect(p)
    return source.read(p, options or ImportOptions())


def write_batch(ws: Workspace, batch: ImportBatch) -> None:
    """Write a batch read by `read_path` to the workspace in one transaction."""
    # A source whose rows must agree with what the workspace already holds (the ledgers' one
    # currency) checks its batch here, before anything is written.
    source = next((s for s in all_sources() if s.name == batch.format), None)
    check_against = getattr(source, "check_against", None)
    if check_against is not None:
        check_against(ws, batch)
    ws.write(batch)


def import_path(
    ws: Workspace, path: str | Path, fmt: str | None = None, options: ImportOptions | None = None
) -> ImportBatch:
    """Read an export and write it to the workspace in one transaction. Returns the batch."""
    batch = read_path(path, fmt, options)
    write_batch(ws, batch)
    return batch
