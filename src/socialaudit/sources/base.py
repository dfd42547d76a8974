"""What a source (one input format) is, and the small helpers every source shares.

A source is a module with one `Source` object: a name for `--format`, a cheap `detect(path)`
that sniffs a file, folder or zip, and `read(path, options) -> ImportBatch` that turns it into
canonical rows. Sources never classify text and never write to the workspace themselves: the
import command writes their batch in one transaction.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import InputError
from ..progress import Progress
from .limits import Limits

if TYPE_CHECKING:  # annotations only: importing a source needs no workspace
    from ..workspace import ImportBatch


@dataclass
class ImportOptions:
    brand: list[str] = field(default_factory=list)  # handles that are the brand's own (--brand)
    platform: str | None = None  # --platform, for formats that do not say
    progress: Progress | None = None
    limits: Limits = field(default_factory=Limits)  # how much of an input to read (--max-…)


class Source(Protocol):
    name: str  # the value of --format
    description: str

    def detect(self, path: Path) -> bool:
        """True when `path` looks like this format; cheap (reads a few KB at most)."""
        ...

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        """Read the whole input into one batch, or raise InputError naming where and why."""
        ...


# -- text helpers ------------------------------------------------------------------------------

MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30}(?:@[A-Za-z0-9_.-]+)?)")
HASHTAG_RE = re.compile(r"(?<![\w&])#(\w{1,100})")
URL_RE = re.compile(r"https?://[^\s<>\"']+")


def mentions_in(text: str | None) -> list[str]:
    """Lower-case handles mentioned with @ (Mastodon's user@host kept whole)."""
    return [m.lower() for m in MENTION_RE.findall(text or "")]


def hashtags_in(text: str | None) -> list[str]:
    return [h.lower() for h in HASHTAG_RE.findall(text or "")]


def links_in(text: str | None) -> list[str]:
    return [u.rstrip(".,;:!?)]}") for u in URL_RE.findall(text or "")]


def unescape(text: str | None) -> str | None:
    return None if text is None else html.unescape(text)


def read_head(path: Path, size: int = 4096) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return b""


def read_bytes(path: Path) -> bytes:
    """A whole file read within the member limit (it is read into memory), or an InputError."""
    from .limits import current, read_capped, too_large

    try:
        size = path.stat().st_size
        if size > current().member_bytes:
            raise too_large(str(path), "the file", f"{size:,} bytes", "member_bytes")
        with path.open("rb") as f:
            return read_capped(f, str(path))
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from exc


def read_text(path: Path) -> str:
    """Read a whole text file as UTF-8 (a BOM is dropped), or raise a clear InputError."""
    from .container import decode_utf8

    return decode_utf8(read_bytes(path), str(path))


def parse_time(
    value: str, fmt: str | None, path: Path, line: int | None, field_name: str
) -> datetime:
    """Parse a timestamp into UTC; naive times are taken as UTC. Raises InputError on failure."""
    try:
        if fmt:
            t = datetime.strptime(value, fmt)
        else:
            v = value.strip()
            if v.endswith("Z"):
                v = v[:-1] + "+00:00"
            t = datetime.fromisoformat(v)
    except (ValueError, TypeError) as exc:
        expected = (
            f"a time like {datetime(2024, 1, 31, 9, 30, tzinfo=UTC).strftime(fmt)}"
            if fmt
            else "an ISO 8601 time such as 2024-01-31T09:30:00Z"
        )
        raise InputError(
            path, f"expected {expected}, got {value!r}", line=line, field=field_name
        ) from exc
    if t.tzinfo is None:
        return t.replace(tzinfo=UTC)
    try:
        return t.astimezone(UTC)
    except OverflowError as exc:  # 9999-12-31T23:00:00-05:00 is past year 9999 in UTC
        raise InputError(
            path,
            f"time out of range (after 9999 or before year 1 in UTC): {value!r}",
            line=line,
            field=field_name,
        ) from exc


def chunked(items: Iterable, size: int) -> Iterator[list]:
    buf: list = []
    for item in items:
        buf.append(item)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf
