"""One way to read the members of an export, whether the user gives a file, a folder or a zip.

Platforms hand out exports as zips; users unpack them, or point at one file inside. Every
importer reads members through `Container` so that the three forms give the same rows and fail
the same way. A zip is read member by member in memory, never extracted to disk, and a member
whose path would escape the archive (`../`, an absolute path, a drive letter: "zip slip") is
never read: it is listed in `unsafe` so the importer can say it skipped it.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import InputError

# A member larger than this is refused rather than read into memory: no real export part comes
# close (X splits tweets.js into parts well below it), and it stops a zip bomb early.
MAX_MEMBER_BYTES = 2 * 1024**3

# Folders are walked to this depth at most: exports nest a few levels, never more.
MAX_DEPTH = 8

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
        if path.is_dir():
            self.kind = "folder"
        elif _is_zip(path):
            self.kind = "zip"
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError, ValueError) as exc:
                raise InputError(path, f"cannot open the zip ({exc})") from exc
            for info in self._zip.infolist():
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
        for dirpath, dirnames, filenames in os.walk(root):
            rel = os.path.relpath(dirpath, root)
            depth = 0 if rel == "." else rel.count(os.sep) + 1
            if depth >= MAX_DEPTH:
                dirnames[:] = []
            dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
            for f in filenames:
                full = os.path.join(dirpath, f)
                if os.path.islink(full) or not os.path.isfile(full):
                    continue
                yield f if rel == "." else f"{Path(rel).as_posix()}/{f}"

    def exists(self, name: str) -> bool:
        if self.kind == "zip":
            return name in self._zip_info
        if self.kind == "file":
            return name == self.path.name
        clean = safe_member_name(name)
        return clean is not None and (self.path / clean).is_file()

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
        return self.path / clean

    def read_bytes(self, name: str) -> bytes:
        if self.kind == "zip":
            info = self._zip_info.get(name)
            if info is None:
                raise InputError(self.path, f"the zip has no member {name!r}")
            if info.file_size > MAX_MEMBER_BYTES:
                raise InputError(self.where(name), f"member too large ({info.file_size} bytes)")
            try:
                with self._zip.open(info) as f:  # type: ignore[union-attr]
                    data = f.read(MAX_MEMBER_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
                raise InputError(self.where(name), f"cannot read this zip member ({exc})") from exc
            if len(data) > MAX_MEMBER_BYTES:
                raise InputError(self.where(name), "member too large")
            return data
        p = self._file_path(name)
        try:
            return p.read_bytes()
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
        except (OSError, zipfile.BadZipFile, EOFError, ValueError, NotImplementedError):
            return b""

    def read_text(self, name: str) -> str:
        """A member as UTF-8 text (a BOM is dropped), or an InputError naming the line."""
        data = self.read_bytes(name)
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                self.where(name), "expected UTF-8 text, found bytes that are not UTF-8", line=line
            ) from exc

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


def parse_json(text: str, where: str) -> object:
    if not text.strip():
        raise InputError(where, "the file is empty; expected JSON")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, f"not valid JSON ({exc.msg})", line=exc.lineno) from exc
    except RecursionError as exc:
        raise InputError(where, "JSON nested too deeply") from exc
