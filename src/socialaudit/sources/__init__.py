"""Input formats. Each module turns one kind of export into canonical rows.

`import_path(ws, path)` detects the format (or takes `--format`), reads the whole input into one
batch, and writes it to the workspace in one transaction: all or nothing.

A folder may hold several exports (two X archives and a Mastodon archive side by side, a
costs ledger beside them): `plan_imports` finds each one, and names everything in the folder
that it will not import and why, so that nothing is dropped without a word.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, SocialauditError, UsageError
from . import limits
from .base import ImportOptions, Source, read_head

if TYPE_CHECKING:  # annotations only: the CLI reads sources.limits without duckdb and ibis
    from ..workspace import ImportBatch, Workspace

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
    raise UsageError(f"--format {name!r} is not a known format (known: {names})")


def detect(path: Path) -> Source:
    source = _detect_or_none(path)
    if source is not None:
        return source
    raise _undetected(path)


def _detect_or_none(path: Path) -> Source | None:
    for s in all_sources():
        try:
            if s.detect(path):
                return s
        except Exception:  # detection is a guess: a file it chokes on is not this format
            continue
    return None


def _undetected(path: Path) -> InputError:
    """Why no format claims `path`, as precisely as its first bytes tell."""
    import zipfile

    from .container import not_utf8, utf16_without_bom

    names = ", ".join(s.name for s in all_sources())
    unknown = f"cannot tell which format this is; pass --format (one of: {names})"
    if path.is_dir():
        return InputError(path, f"no export this tool reads in this folder; {unknown}")
    if not path.is_file():
        return InputError(path, "not a regular file (a device, a pipe or a socket); give a file")
    head = read_head(path, 64 * 1024)
    if not head:
        return InputError(path, "the file is empty")
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06") or path.suffix.lower() == ".zip":
        try:
            zipfile.ZipFile(path).close()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            return InputError(path, f"a damaged zip: cannot read its directory ({exc})")
        return InputError(path, f"a zip with no export this tool reads; {unknown}")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_without_bom(head):
        return InputError(path, "this is UTF-16 text; expected UTF-8 (save it as UTF-8)")
    if b"\x00" in head:
        return InputError(path, f"a binary file, not CSV, JSON or a zip; {unknown}")
    if b"\r" in head and b"\n" not in head:
        return InputError(
            path,
            "its lines end with a bare carriage return (classic Mac OS); save it with "
            "ordinary line ends (LF or CR LF)",
        )
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.end < len(head) - 3:  # not merely a character cut at the end of the sample
            return not_utf8(head, exc, str(path))
    return InputError(path, unknown)


# How deep `plan_imports` looks for exports inside a folder, and how many entries of one folder
# it considers: a folder of exports is a few levels of a few entries, never a whole disk.
PLAN_DEPTH = 4
PLAN_ENTRIES = 1000


@dataclass
class ImportPlan:
    """What one path given to `import` holds: the inputs to read, each with its format, and
    what will not be imported, each with the reason."""

    inputs: list[tuple[Path, Source]] = field(default_factory=list)
    not_imported: list[tuple[Path, str]] = field(default_factory=list)


def plan_imports(path: str | Path, fmt: str | None = None) -> ImportPlan:
    """The exports at `path`: itself when it is a file, a zip or one export's folder; each
    export inside when it is a folder of several. Raises InputError when it holds none."""
    p = Path(path).expanduser()
    if not p.exists() and not p.is_symlink():
        raise InputError(p, "no such file or folder")
    if fmt:
        return ImportPlan(inputs=[(p, get_source(fmt))])
    if not p.is_dir():
        return ImportPlan(inputs=[(p, detect(p))])
    plan = _plan_folder(p, 0)
    if not plan.inputs:
        detect(p)  # raises: cannot tell which format this is
    return plan


def _plan_folder(folder: Path, depth: int) -> ImportPlan:
    whole = _detect_or_none(folder)
    is_root = getattr(whole, "is_root", None)
    if whole is not None and ((is_root is not None and is_root(folder)) or depth >= PLAN_DEPTH):
        return ImportPlan(inputs=[(folder, whole)])
    plan = ImportPlan()
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        raise InputError(folder, f"cannot list the folder ({exc.strerror or exc})") from exc
    if len(entries) > PLAN_ENTRIES:
        if whole is not None:
            return ImportPlan(inputs=[(folder, whole)])
        raise InputError(
            folder, f"holds {len(entries)} entries; give the export files or folders themselves"
        )
    for entry in entries:
        child = Path(entry.path)
        if entry.is_symlink():
            plan.not_imported.append((child, "a symbolic link (links are not followed)"))
        elif entry.is_dir():
            sub = _plan_folder(child, depth + 1) if depth + 1 <= PLAN_DEPTH else ImportPlan()
            if sub.inputs:
                plan.inputs += sub.inputs
                plan.not_imported += sub.not_imported
            else:  # one line for the folder, not one per file in it
                plan.not_imported.append((child, "no export this tool reads in this folder"))
        elif entry.is_file():
            source = _detect_or_none(child)
            if source is None:
                plan.not_imported.append((child, "not a format this tool reads"))
            elif source.name == "generic" and child.suffix.lower() == ".json":
                # A .json beside other files is a part of some export, not JSON Lines of
                # messages; given on its own it is still read as the generic layout.
                plan.not_imported.append((child, "JSON that no importer recognises"))
            else:
                plan.inputs.append((child, source))
        else:
            plan.not_imported.append((child, "not a regular file"))
    # One export that spreads over subfolders (a Meta or LinkedIn export: files found wherever
    # they lie): the folder is read as a whole, as before.
    if whole is not None and (
        not plan.inputs or (is_root is None and all(source is whole for _, source in plan.inputs))
    ):
        return ImportPlan(inputs=[(folder, whole)])
    return plan


# The formats that read --brand: the generic layout (which rows are the brand's) and the exports
# that do not name their own account (Meta, LinkedIn). The others say whose rows are whose.
TAKES_BRAND = frozenset({"generic", "meta", "linkedin"})


def unused_brand(fmt: str, brand: list[str], batch: ImportBatch) -> str:
    """The notice for a --brand the format does not read: what decides instead, and how to audit
    one brand's accounts (never silently ignored)."""
    handles = ", ".join(brand)
    if fmt == "twcs":
        known = {str(a).lower() for a in batch.tables["accounts"].column("handle").to_pylist()}
        absent = [h for h in brand if h.lstrip("@").lower() not in known]
        text = (
            f"--brand {handles} is not used by a TWCS file: its inbound column says which rows "
            "are the brands'. To audit one brand of it, set [brand] accounts = "
            f'["x:{brand[0].lstrip("@")}"] in socialaudit.toml'
        )
        if absent:
            text += (
                f"; the file holds no message of {', '.join(absent)} (only what customers wrote "
                "to it), so its answers cannot be judged from this file alone"
            )
        return text
    return (
        f"--brand {handles} is not used by the {fmt} format: the export names its own account"
        + (f" ({batch.account})" if batch.account else "")
        + "; [brand] accounts in socialaudit.toml says which accounts are the brand's"
    )


def read_input(path: Path, source: Source, options: ImportOptions | None = None) -> ImportBatch:
    """Read one export (a file, a zip or one export's folder) as `source` reads it, within
    `options.limits`.

    This is the boundary of reading input: whatever a reader raises becomes one InputError
    naming the file (readers name the line and field themselves; this catches the rest).
    """
    options = options or ImportOptions()
    with limits.use(options.limits):
        try:
            batch = source.read(path, options)
            if options.brand and source.name not in TAKES_BRAND:
                batch.notices.append(unused_brand(source.name, options.brand, batch))
            return batch
        except SocialauditError:
            raise
        except MemoryError as exc:
            raise InputError(
                path,
                "ran out of memory reading this input; lower the limits (--max-member-bytes, "
                "--max-rows) to refuse inputs this large, or import it on a larger machine",
            ) from exc
        except RecursionError as exc:
            raise InputError(path, "nested too deeply to read (a damaged file?)") from exc
        except Exception as exc:
            raise InputError(
                path,
                f"cannot be read as {source.name} ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:200]})",
            ) from exc


def read_path(
    path: str | Path, fmt: str | None = None, options: ImportOptions | None = None
) -> ImportBatch:
    """Read one export. A folder that holds several is an InputError: use `plan_imports`."""
    p = Path(path).expanduser()
    plan = plan_imports(p, fmt)
    if len(plan.inputs) > 1:
        shown = ", ".join(str(i.relative_to(p)) for i, _ in plan.inputs[:5])
        raise InputError(
            p, f"holds {len(plan.inputs)} exports ({shown}); read each, or use import_paths"
        )
    only, source = plan.inputs[0]
    return read_input(only, source, options)


def _check_against(ws: Workspace, batch: ImportBatch) -> None:
    # A source whose rows must agree with what the workspace already holds (the ledgers' one
    # currency) checks its batch here, before anything is written.
    source = next((s for s in all_sources() if s.name == batch.format), None)
    check_against = getattr(source, "check_against", None)
    if check_against is not None:
        check_against(ws, batch)


def write_batch(ws: Workspace, batch: ImportBatch) -> None:
    """Write a batch read by `read_path` to the workspace in one transaction."""
    write_batches(ws, [batch])


def write_batches(ws: Workspace, batches: list[ImportBatch]) -> None:
    """Write batches in one transaction: every one of them, or (on any error) none."""
    ws.write_all(batches, before_each=_check_against)


def import_path(
    ws: Workspace, path: str | Path, fmt: str | None = None, options: ImportOptions | None = None
) -> ImportBatch:
    """Read an export and write it to the workspace in one transaction. Returns the batch."""
    batch = read_path(path, fmt, options)
    write_batch(ws, batch)
    return batch


def import_paths(
    ws: Workspace,
    paths: list[str | Path],
    fmt: str | None = None,
    options: ImportOptions | None = None,
) -> tuple[list[ImportBatch], list[tuple[Path, str]]]:
    """Import every export at `paths` (folders of several included) in one transaction.

    Returns the batches written and what was not imported, with the reason. Every input is
    read before anything is written: one bad input leaves the workspace as it was.
    """
    plans = [plan_imports(p, fmt) for p in paths]
    batches = [read_input(i, s, options) for plan in plans for i, s in plan.inputs]
    write_batches(ws, batches)
    return batches, [n for plan in plans for n in plan.not_imported]
