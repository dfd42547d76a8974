"""How much of an input the importers read before refusing it: exports are written by programs
and by strangers, and a small file can declare a huge one (a zip of zeros, a spreadsheet that
claims a million rows, a line that never ends).

Every limit has a default far above any real export and a `socialaudit import` option to raise
it (docs/limits.md). Peak memory follows from them: a part read whole (a zip member, a JSON
file, a spreadsheet, a CAR) costs a few times its size while it is parsed, a streamed file (CSV,
JSON Lines) about its size in columns. A limit that is reached is one InputError line naming
the file, the place and the option, never a process that grows until the machine kills it.

The active limits are a context variable, set once per read by `sources.read_input`, so that
the containers and readers deep inside a source need no extra argument.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from typing import IO, Any

from ..errors import InputError

KiB, MiB, GiB = 1024, 1024**2, 1024**3

# One draft `socialaudit lint` reads (lintfiles), in bytes of UTF-8: Facebook's limit, the
# longest of all, is 63,206 characters. Kept here so that the CLI's help names it cheaply.
MAX_DRAFT_BYTES = 256 * KiB


# The option that raises each limit, named in the error messages.
OPTIONS = {
    "file_bytes": "--max-file-bytes",
    "member_bytes": "--max-member-bytes",
    "expansion": "--max-expansion",
    "rows": "--max-rows",
    "field_bytes": "--max-field-bytes",
    "depth": "--max-depth",
}


@dataclass(frozen=True)
class Limits:
    # A file that is streamed (CSV, JSON Lines): TWCS's full 2.8 M rows are 0.5 GiB.
    file_bytes: int = 4 * GiB
    # A part read whole and parsed: one zip member, one file of a folder export, a JSON file,
    # a spreadsheet, a CAR repository. X splits its tweets into parts far below this.
    member_bytes: int = 512 * MiB
    # Uncompressed size over compressed size of a zip member: text compresses 5-20 times,
    # a zip bomb a thousand times.
    expansion: int = 200
    # Rows of one input (messages, ledger rows, spreadsheet rows).
    rows: int = 20_000_000
    # One field (a CSV cell) or one JSON Lines record: the longest post any platform allows
    # is 63,206 characters; 10 MiB leaves room for raw payloads.
    field_bytes: int = 10 * MiB
    # Nesting of JSON objects and lists; real exports nest under 15 levels.
    depth: int = 100

    def replace(self, **changes: int | None) -> Limits:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({k: v for k, v in changes.items() if v is not None})
        return Limits(**values)


# Limits is frozen, so one default instance shared by every context is safe.
_current: ContextVar[Limits] = ContextVar("socialaudit_limits", default=Limits())  # noqa: B039


def current() -> Limits:
    """The limits of the read in progress (the defaults outside one)."""
    return _current.get()


@contextmanager
def use(limits: Limits) -> Iterator[Limits]:
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def too_large(where: str, what: str, size: str, name: str, line: int | None = None) -> InputError:
    """The one line for a limit that is reached: what, how large, the limit and its option."""
    limit = getattr(current(), name)
    unit = " bytes" if name.endswith("_bytes") else ""
    return InputError(
        where,
        f"{what} is larger than the limit of {limit:,}{unit} ({size}); if the file is "
        f"genuine, raise the limit with {OPTIONS[name]}",
        line=line,
    )


def read_capped(f: IO[bytes], where: str, what: str = "the file") -> bytes:
    """Read a stream whole, refusing it as soon as it passes the member limit: a size that the
    file system or a zip header states may be wrong (a device, a lying header)."""
    cap = current().member_bytes
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = f.read(min(1 << 20, cap + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            raise too_large(where, what, f"over {cap:,} bytes", "member_bytes")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads_json(text: str, where: str, line: int | None = None) -> Any:
    """json.loads within the depth limit. A too-deep value, and text with a lone surrogate
    (json accepts the escape \\ud800, which no file can store), are one InputError."""
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise InputError(
            where,
            f"JSON nested too deeply (the limit is {current().depth} levels, {OPTIONS['depth']})",
            line=line,
        ) from exc
    check_json(value, where, line, surrogates=_SURROGATE_ESCAPE.search(text) is not None)
    return value


def check_json(value: Any, where: str, line: int | None = None, *, surrogates: bool = True) -> None:
    """Walk a parsed value once (iteratively): its nesting within the depth limit, and, when
    `surrogates`, every string encodable as UTF-8."""
    limit = current().depth
    stack: list[tuple[Any, int, str | None]] = [(value, 1, None)]
    while stack:
        v, depth, key = stack.pop()
        if isinstance(v, dict):
            if depth > limit:
                raise InputError(
                    where,
                    f"JSON nested more than {limit} levels deep (raise the limit with "
                    f"{OPTIONS['depth']})",
                    line=line,
                )
            for k, x in v.items():
                if surrogates and isinstance(k, str):
                    _encodable(k, where, line, k)
                stack.append((x, depth + 1, k if isinstance(k, str) else key))
        elif isinstance(v, list):
            if depth > limit:
                raise InputError(
                    where,
                    f"JSON nested more than {limit} levels deep (raise the limit with "
                    f"{OPTIONS['depth']})",
                    line=line,
                )
            stack.extend((x, depth + 1, key) for x in v)
        elif surrogates and isinstance(v, str):
            _encodable(v, where, line, key)


def _encodable(text: str, where: str, line: int | None, key: str | None) -> None:
    if text.isascii():
        return
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            where,
            f"expected text, found a lone surrogate \\u{ord(text[exc.start]):04x} "
            "(half of a character escape)",
            line=line,
            field=key,
        ) from exc
