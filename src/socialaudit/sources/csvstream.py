"""Streaming CSV reading for large exports: Arrow record batches, byte progress, exact line numbers
on error, and the line-ending quirks of real files.

Real TWCS files hold a bare carriage return inside unquoted texts, while other copies use CRLF
line ends. Only `\\n` (or `\\r\\n`) ends a record here; a bare `\\r` is text. Arrow's CSV reader
would take a bare `\\r` for a record end, so the byte stream is rewritten on the fly: `\\r\\n`
becomes `\\n` and a bare `\\r` becomes a private-use character that `restore_cr` turns back into
`\\r` in the parsed text.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import InputError
from . import limits
from .base import Progress

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CR_STANDIN = "\ue000"  # a private-use code point: never produced by a platform export
_CR_STANDIN_BYTES = CR_STANDIN.encode("utf-8")


class _LineEndFixer(io.RawIOBase):
    """A read-only byte stream that normalises line ends as described above and reports progress."""

    def __init__(
        self, raw: io.BufferedReader, total: int, progress: Progress | None, path: Path
    ) -> None:
        self._raw = raw
        self._total = total
        self._done = 0
        self._path = path
        self._cap = limits.current().file_bytes
        self._progress = progress
        self._pending = b""  # a trailing \r held back until we know whether \n follows
        self._buffer = b""
        self._bom_checked = False

    def readable(self) -> bool:
        return True

    def _fill(self, size: int) -> None:
        chunk = self._raw.read(max(size, 1 << 20))
        if not self._bom_checked:
            self._bom_checked = True
            if chunk.startswith(b"\xef\xbb\xbf"):
                chunk = chunk[3:]
        self._done += len(chunk)
        if self._done > self._cap:  # checked as read: a device or a growing file has no size
            raise limits.too_large(
                str(self._path), "the file", f"over {self._cap:,} bytes", "file_bytes"
            )
        if self._progress:
            self._progress(self._done, self._total)
        data = self._pending + chunk
        self._pending = b""
        if chunk and data.endswith(b"\r"):
            self._pending, data = b"\r", data[:-1]
        data = data.replace(b"\r\n", b"\n").replace(b"\r", _CR_STANDIN_BYTES)
        self._buffer += data

    def readinto(self, b: WriteableBuffer) -> int:
        out = memoryview(b).cast("B")
        while not self._buffer:
            before = self._done
            self._fill(len(out))
            if self._done == before and not self._buffer:
                if self._pending:  # a lone \r at the very end of the file
                    self._buffer, self._pending = _CR_STANDIN_BYTES, b""
                    continue
                return 0
        n = min(len(out), len(self._buffer))
        out[:n] = self._buffer[:n]
        self._buffer = self._buffer[n:]
        return n


def _fixed_stream(path: Path, progress: Progress | None) -> io.BufferedReader:
    raw = path.open("rb")
    fixer = _LineEndFixer(raw, path.stat().st_size, progress, path)
    return io.BufferedReader(fixer, buffer_size=1 << 22)


def read_header(path: Path) -> list[str]:
    """The first record's fields (the header), or [] when the file is empty or not text."""
    try:
        with path.open("rb") as f:
            head = f.read(64 * 1024)
    except OSError:
        return []
    text = head.decode("utf-8-sig", errors="replace")
    first = text.split("\n", 1)[0].rstrip("\r")
    try:
        return next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return []


def stream_batches(
    path: Path,
    columns: list[str],
    progress: Progress | None = None,
    block_size: int = 16 << 20,
) -> Iterator[pa.RecordBatch]:
    """Stream a CSV as record batches of strings (all columns read as text, empty = null).

    `columns` are the expected header names, in any order; extra columns are ignored.
    Raises InputError (with a line number) when the file is not valid CSV of that shape.
    """
    header = read_header(path)
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            path,
            f"expected a header with the columns {', '.join(columns)}; missing {', '.join(missing)}",
            line=1,
        )
    convert = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in header},
        include_columns=columns,
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=False,
    )
    parse = pacsv.ParseOptions(newlines_in_values=True)
    lim = limits.current()
    # A record must fit in one block: room for a field at the field limit, and then some.
    block_size = max(block_size, 2 * lim.field_bytes + (1 << 20))
    read = pacsv.ReadOptions(block_size=block_size, use_threads=True)
    stream = _fixed_stream(path, progress)
    rows = 0
    try:
        reader = pacsv.open_csv(
            stream, read_options=read, parse_options=parse, convert_options=convert
        )
        for batch in reader:
            rows += batch.num_rows
            if rows > lim.rows:
                raise InputError(
                    path,
                    f"more than {lim.rows:,} rows (raise the limit with {limits.OPTIONS['rows']})",
                )
            yield batch
    except pa.ArrowInvalid as exc:
        raise diagnose_csv(path, len(header), exc) from exc
    finally:
        stream.close()


def diagnose_csv(path: Path, n_fields: int, exc: Exception) -> InputError:
    """Why Arrow refused a CSV, at its first cause: bytes that are not UTF-8 (Arrow reports
    them only for the block they are in), a record longer than the field limit, or a record
    with the wrong number of fields."""
    bad = first_bad_utf8(path)
    if bad is not None:
        return bad
    if "straddling" in str(exc) or "larger than" in str(exc):
        return limits.too_large(
            str(path), "a record", f"over {2 * limits.current().field_bytes:,} bytes", "field_bytes"
        )
    line, detail = locate_csv_error(path, n_fields)
    return InputError(path, detail or f"not valid CSV ({' '.join(str(exc).split())})", line=line)


def first_bad_utf8(path: Path) -> InputError | None:
    """The first byte of the file that is not UTF-8, with its line and byte offset, or None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0  # of the chunk in the file
    lines = 1  # the line the chunk starts on
    line_start = 0  # offset of the latest line start before the chunk
    with path.open("rb") as f:
        while True:
            chunk = f.read(1 << 20)
            pending = len(decoder.getstate()[0])  # bytes of a character cut by the last chunk
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = max(exc.start - pending, 0)  # within the chunk
                nl = chunk.rfind(b"\n", 0, at)
                column = at - nl if nl >= 0 else offset + at - line_start + 1
                return InputError(
                    path,
                    f"expected UTF-8 text, found byte 0x{chunk[at : at + 1].hex() or 'end'} at "
                    f"byte {offset + at:,} (column {column}); if the file is Latin-1 or "
                    "Windows-1252, save it as UTF-8",
                    line=lines + chunk.count(b"\n", 0, at),
                )
            if not chunk:
                return None
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                line_start = offset + nl + 1
            lines += chunk.count(b"\n")
            offset += len(chunk)


def restore_cr(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    return pc.replace_substring(arr, CR_STANDIN, "\r")


@contextmanager
def csv_field_limit() -> Iterator[None]:
    """Python's csv module refuses fields over 128 KiB by default; here, the field limit."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, 2 * limits.current().field_bytes + 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def locate_csv_error(path: Path, n_fields: int) -> tuple[int | None, str | None]:
    """Find the first malformed record with Python's csv module (only on the error path)."""
    with (
        csv_field_limit(),
        path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f,
    ):
        text_stream = (
            line.replace("\r\n", "\n").replace("\r", CR_STANDIN) for line in _split_lines(f)
        )
        reader = csv.reader(text_stream)
        try:
            for record in reader:
                if len(record) != n_fields:
                    return reader.line_num, f"expected {n_fields} fields, found {len(record)}"
        except csv.Error as exc:
            return reader.line_num, f"not valid CSV ({exc})"
    return None, None


def _split_lines(f: io.TextIOBase) -> Iterator[str]:
    # Lines end at \n only; a bare \r stays inside the line (see module doc).
    buf = ""
    longest = 2 * limits.current().field_bytes
    number = 0
    for chunk in iter(lambda: f.read(1 << 20), ""):
        buf += chunk
        *lines, buf = buf.split("\n")
        for line in lines:
            number += 1
            yield line + "\n"
        if len(buf) > longest:
            raise limits.too_large(
                getattr(f, "name", "the file"),
                f"line {number + 1}",
                "no line end",
                "field_bytes",
                line=number + 1,
            )
    if buf:
        yield buf


def line_of_record(path: Path, record_index: int) -> int:
    """The line number where data record `record_index` (0-based, after the header) starts."""
    with (
        csv_field_limit(),
        path.open("r", encoding="utf-8-sig", errors="replace", newline="") as f,
    ):
        reader = csv.reader(line.replace("\r", CR_STANDIN) for line in _split_lines(f))
        next(reader, None)
        start = reader.line_num + 1
        for i, _ in enumerate(reader):
            if i == record_index:
                return start
            start = reader.line_num + 1
    return start
