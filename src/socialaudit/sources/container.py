"""One way to read the members of an export, whether the user gives a file, a folder or a zip.

Platforms hand out exports as zips; users unpack them, or point at one file inside. Every
importer reads members through `Container` so that the three forms give the same rows and fail
the same way. A zip is read member by member in memory, never extracted to disk, and a member
whose path would escape the archive (`../`, an absolute path, a drive letter: "zip slip") is
never read. Symbolic links inside a folder export are never followed (one could point at any
file of the machine); a member that is one is an error naming it. Both are reported by
`refused()`, which the importers add to what their batch says it skipped.

Members are read within the limits (`sources.limits`): the member size, checked against the
zip header or the file system and again while reading, and a zip member's expansion ratio.
"""

from __future__ import annotations

import json
import os
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError
from . import limits
from .limits import loads_json, read_capped, too_large

# Folders are walked to this depth at most: exports nest a few levels, never more.
MAX_DEPTH = 8
# A zip or folder with more members than this is not an export (a Meta export with every photo
# holds some thousands); the zip's directory alone would take memory out of proportion.
MAX_MEMBERS = 200_000
# Members smaller than this are never refused for their expansion ratio (a few KB of zeros).
_RATIO_FLOOR = 1 << 20
# What reading a damaged zip member raises, besides BadZipFile.
_ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error)

# Office files are zips too; they are single files to the importers that read them.
NOT_ARCHIVES = {".xlsx", ".xlsm", ".docx", ".pptx", ".ods", ".odt", ".jar", ".apk"}


def safe_member_name(name: str) -> str | None:
    """The member's path as a clean relative POSIX path, or None when it could escape."""
    if not name or "\x00" in name:
        return None
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return "/".join(parts)


class Container:
    """The members (files) of an export: a single file, a folder, or a zip.

    Member names are relative POSIX paths (`data/tweets.js`); a single file is a container with
    one member, its own name. Use it as a context manager so a zip is closed.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: list[str] | None = None
        self._zip_info: dict[str, zipfile.ZipInfo] = {}
        self.unsafe: list[str] = []  # zip members refused because their path could escape
        self.links: list[str] = []  # symbolic links met while listing a folder, not followed
        if path.is_dir():
            self.kind = "folder"
        elif _is_zip(path):
            self.kind = "zip"
            try:
                self._zip = zipfile.ZipFile(path)
            except _ZIP_ERRORS as exc:
                raise InputError(path, f"a damaged zip: cannot read its directory ({exc})") from exc
            infos = self._zip.infolist()
            if len(infos) > MAX_MEMBERS:
                self.close()
                raise InputError(
                    path, f"holds {len(infos):,} members; an export holds under {MAX_MEMBERS:,}"
                )
            for info in infos:
                if info.is_dir():
                    continue
                clean = safe_member_name(info.filename)
                if clean is None:
                    self.unsafe.append(info.filename)
                else:
                    self._zip_info.setdefault(clean, info)
        else:
            self.kind = "file"

    @classmethod
    def open(cls, path: Path) -> Container:
        return cls(path)

    def __enter__(self) -> Container:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    # -- listing -------------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Every member, sorted (a folder is walked to MAX_DEPTH, symlinks not followed)."""
        if self._names is None:
            if self.kind == "zip":
                self._names = sorted(self._zip_info)
            elif self.kind == "file":
                self._names = [self.path.name]
            else:
                self._names = sorted(self._walk())
        return self._names

    def _walk(self) -> Iterator[str]:
        root = str(self.path)
        seen = 0
        for dirpath, dirnames, filenames in os.walk(root):
            rel = os.path.relpath(dirpath, root)
            depth = 0 if rel == "." else rel.count(os.sep) + 1
            if depth >= MAX_DEPTH:
                dirnames[:] = []
            for d in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
                self.links.append(d if rel == "." else f"{Path(rel).as_posix()}/{d}")
                dirnames.remove(d)
            dirnames.sort()
            for f in sorted(filenames):
                full = os.path.join(dirpath, f)
                name = f if rel == "." else f"{Path(rel).as_posix()}/{f}"
                if os.path.islink(full):
                    self.links.append(name)
                    continue
                if not os.path.isfile(full):
                    continue
                seen += 1
                if seen > MAX_MEMBERS:
                    raise InputError(
                        self.path, f"holds over {MAX_MEMBERS:,} files; an export holds fewer"
                    )
                yield name

    def exists(self, name: str) -> bool:
        if self.kind == "zip":
            return name in self._zip_info
        if self.kind == "file":
            return name == self.path.name
        clean = safe_member_name(name)
        if clean is None:
            return False
        p = self.path / clean
        # A link counts as present, so that reading it says it is a link (not "missing").
        return p.is_symlink() or p.is_file()

    def refused(self) -> list[dict[str, Any]]:
        """What was listed but never read, as entries of a batch's `skipped`."""
        out: list[dict[str, Any]] = []
        if self.unsafe:
            shown = ", ".join(repr(n) for n in self.unsafe[:5])
            out.append(
                {
                    "what": "zip members whose path leaves the archive",
                    "count": len(self.unsafe),
                    "reason": f"never read (a 'zip slip' path could overwrite files): {shown}",
                }
            )
        if self.links:
            shown = ", ".join(repr(n) for n in self.links[:5])
            out.append(
                {
                    "what": "symbolic links in the folder",
                    "count": len(self.links),
                    "reason": f"not followed (a link can point outside the export): {shown}",
                }
            )
        return out

    def find(self, suffix: str) -> list[str]:
        """Members whose path is `suffix` or ends with `/suffix`, shallowest first."""
        hits = [n for n in self.names() if n == suffix or n.endswith("/" + suffix)]
        return sorted(hits, key=lambda n: (n.count("/"), n))

    def locate_all(self, anchor: str, max_depth: int = 3) -> list[str]:
        """Every prefix (folder, '' for the top, with a trailing '/') under which `anchor` lies.

        Zips of exports often wrap everything in one folder (`twitter-2024-…/data/…`), and a
        user may point at the unpacked folder or at the folder above it: the anchor file finds
        the export's root in all of these. More than one prefix means the container holds
        several exports (`several_exports`): reading one would drop the others without a word.
        Cheap for folders: only direct paths are tried, shallowest level first.
        """
        if self.kind == "folder":
            if self.exists(anchor):
                return [""]
            # one or two levels of wrapping folders, without walking the whole tree
            for level in range(1, max_depth):
                hits = [s + "/" for s in self._subdirs(level) if (self.path / s / anchor).is_file()]
                if hits:
                    return hits
            return []
        prefixes: list[str] = []
        for name in self.find(anchor):
            prefix = name[: len(name) - len(anchor)]
            if prefix.count("/") < max_depth and not any(prefix.startswith(p) for p in prefixes):
                prefixes.append(prefix)
        return prefixes

    def _subdirs(self, level: int, limit: int = 200) -> list[str]:
        frontier = [""]
        for _ in range(level):
            nxt = []
            for rel in frontier:
                try:
                    entries = sorted(os.scandir(self.path / rel), key=lambda e: e.name)
                except OSError:
                    continue
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        nxt.append(f"{rel}/{e.name}" if rel else e.name)
                        if len(nxt) >= limit:
                            break
            frontier = nxt
        return frontier[:limit]

    # -- reading -------------------------------------------------------------------------------

    def where(self, name: str) -> str:
        """How to name a member in an error message: the file's own path, or zip:member."""
        if self.kind == "zip":
            return f"{self.path}:{name}"
        if self.kind == "file":
            return str(self.path)
        return str(self.path / name)

    def size(self, name: str) -> int:
        if self.kind == "zip":
            return self._zip_info[name].file_size
        return self._file_path(name).stat().st_size

    def _file_path(self, name: str) -> Path:
        if self.kind == "file":
            if name != self.path.name:
                raise InputError(self.path, f"no member {name!r}")
            return self.path
        clean = safe_member_name(name)
        if clean is None:
            raise InputError(self.path, f"refusing to read {name!r}: the path leaves the folder")
        p = self.path
        for part in clean.split("/"):
            p = p / part
            if p.is_symlink():
                raise InputError(
                    p,
                    "is a symbolic link; links inside an export are not followed (it could "
                    "point at any file): copy the file itself into the export",
                )
        return p

    def read_bytes(self, name: str) -> bytes:
        """A member's bytes, within the member size limit (and, in a zip, the expansion limit)."""
        lim = limits.current()
        if self.kind == "zip":
            info = self._zip_info.get(name)
            if info is None:
                raise InputError(self.path, f"the zip has no member {name!r}")
            where = self.where(name)
            if info.file_size > lim.member_bytes:
                raise too_large(
                    where, "this zip member", f"{info.file_size:,} bytes", "member_bytes"
                )
            if info.file_size > _RATIO_FLOOR and info.file_size > lim.expansion * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise InputError(
                    where,
                    f"expands {ratio:,} times ({info.compress_size:,} bytes to "
                    f"{info.file_size:,}); the limit is {lim.expansion} (a zip bomb? if the "
                    f"file is genuine, raise it with {limits.OPTIONS['expansion']})",
                )
            try:
                with self._zip.open(info) as f:  # type: ignore[union-attr]
                    return read_capped(f, where, "this zip member")
            except _ZIP_ERRORS as exc:
                raise InputError(where, f"a damaged zip member: cannot read it ({exc})") from exc
        p = self._file_path(name)
        try:
            size = p.stat().st_size
            if size > lim.member_bytes:
                raise too_large(str(p), "the file", f"{size:,} bytes", "member_bytes")
            with p.open("rb") as f:
                return read_capped(f, str(p))
        except OSError as exc:
            raise InputError(p, f"cannot read the file ({exc.strerror or exc})") from exc

    def read_head(self, name: str, size: int = 4096) -> bytes:
        """The first bytes of a member (for detection: never the whole member)."""
        try:
            if self.kind == "zip":
                info = self._zip_info.get(name)
                if info is None:
                    return b""
                with self._zip.open(info) as f:  # type: ignore[union-attr]
                    return f.read(size)
            with self._file_path(name).open("rb") as f:
                return f.read(size)
        except (*_ZIP_ERRORS, InputError):
            return b""

    def read_text(self, name: str) -> str:
        """A member as UTF-8 text (a BOM is dropped), or an InputError naming the line."""
        return decode_utf8(self.read_bytes(name), self.where(name))

    def read_json(self, name: str, text: str | None = None) -> object:
        """A member parsed as JSON, or an InputError naming the line and what went wrong."""
        text = self.read_text(name) if text is None else text
        return parse_json(text, self.where(name))


def several_exports(c: Container, what: str, prefixes: list[str]) -> InputError:
    """The error for a zip or folder given with --format that holds more than one export."""
    shown = ", ".join(repr(p.rstrip("/") or ".") for p in prefixes[:5])
    how = (
        "import the folder without --format to import each of them"
        if c.kind == "folder"
        else "unpack it and import the folder, or give each export on its own"
    )
    return InputError(c.path, f"holds {len(prefixes)} {what} ({shown}); {how}")


def _is_zip(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() in NOT_ARCHIVES:
        return False
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def decode_utf8(data: bytes, where: str) -> str:
    """Bytes as UTF-8 text (a BOM dropped), or an InputError naming the line and byte offset
    of the first byte that is not UTF-8, or saying the file is UTF-16."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(data, exc, where) from exc


def not_utf8(data: bytes, exc: UnicodeDecodeError, where: str, base: int = 0) -> InputError:
    """The error for undecodable bytes: `exc.start` into `data`, which starts at byte `base`
    of the file (on line 1 when base is 0)."""
    if base == 0 and (data[:2] in (b"\xff\xfe", b"\xfe\xff") or utf16_without_bom(data)):
        return InputError(where, "this is UTF-16 text; expected UTF-8 (save it as UTF-8)")
    line = data.count(b"\n", 0, exc.start) + 1
    column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    bad = data[exc.start : exc.start + 1].hex()
    return InputError(
        where,
        f"expected UTF-8 text, found byte 0x{bad} at byte {base + exc.start:,} (column "
        f"{column}); if the file is Latin-1 or Windows-1252, save it as UTF-8",
        line=line,
    )


def utf16_without_bom(head: bytes) -> bool:
    """Text in UTF-16 without a byte-order mark: every other byte of ASCII text is NUL."""
    sample = head[:512]
    if len(sample) < 8:
        return False
    return sample[1::2].count(0) > 0.8 * (len(sample) // 2) or sample[0::2].count(0) > 0.8 * (
        len(sample) // 2
    )


def parse_json(text: str, where: str) -> object:
    if not text.strip():
        raise InputError(where, "the file is empty; expected JSON")
    try:
        return loads_json(text, where)
    except json.JSONDecodeError as exc:
        raise InputError(
            where, f"not valid JSON ({exc.msg}, column {exc.colno})", line=exc.lineno
        ) from exc
