"""Reading the small hand-kept CSV ledgers (costs, conversions, audience) row by row.

These files are written by people or exported from web analytics: hundreds or thousands of rows,
not millions, so they are read with Python's csv module, which gives every bad cell an exact line
number. What the three formats share lives here: exact header detection, one clear InputError per
bad cell (file, line, field, what was expected, what was found), and the one-currency rule.

Detection is exact: a file is a ledger when its header holds every required column of the format
and no column the format does not know. A generic messages CSV therefore never looks like a
ledger, and a ledger never falls through to the generic reader.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..config import load_config
from ..errors import InputError
from ..model import PLATFORM_NAMES, Platform
from ..workspace import ImportBatch, Workspace
from .base import read_head, read_text

_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def normalise_header(fields: list[str]) -> list[str]:
    return [f.strip().lower() for f in fields]


def header_of(path: Path) -> list[str]:
    """The normalised header of a CSV file, or [] when it is not a readable text file."""
    if not path.is_file():
        return []
    head = read_head(path, 8192).decode("utf-8-sig", errors="replace")
    first = head.replace("\r\n", "\n").split("\n", 1)[0]
    try:
        return normalise_header(next(csv.reader([first])))
    except (csv.Error, StopIteration):
        return []


def header_matches(header: list[str], required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
    """Exact detection: every required column, nothing unknown, no column twice."""
    names = set(header)
    return (
        len(names) == len(header)
        and names >= set(required)
        and names <= set(required) | set(optional)
    )


def rows(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: stripped cell}) for each data row; empty rows are skipped.

    Raises InputError on a header that lacks a required column or has an unknown one, and on a row
    with more or fewer cells than the header.
    """
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = normalise_header(next(reader))
    except StopIteration:
        raise InputError(
            path, f"the file is empty; expected a header line: {', '.join(required)}"
        ) from None
    except csv.Error as exc:
        raise InputError(path, f"not valid CSV ({exc})", line=1) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise InputError(
            path,
            f"expected the columns {', '.join(required)}; missing {', '.join(missing)}",
            line=1,
        )
    unknown = [c for c in header if c not in required and c not in optional]
    if unknown:
        known = ", ".join((*required, *optional))
        raise InputError(path, f"unknown column {unknown[0]!r} (known: {known})", line=1)
    dup = next((c for i, c in enumerate(header) if c in header[:i]), None)
    if dup:
        raise InputError(path, f"column {dup!r} appears twice in the header", line=1)
    start = reader.line_num + 1
    try:
        for record in reader:
            line = start
            start = reader.line_num + 1
            if not record or all(not c.strip() for c in record):
                continue
            if len(record) != len(header):
                raise InputError(
                    path, f"expected {len(header)} fields, found {len(record)}", line=line
                )
            yield line, {name: cell.strip() for name, cell in zip(header, record, strict=True)}
    except csv.Error as exc:
        raise InputError(path, f"not valid CSV ({exc})", line=start) from exc


# -- cells ---------------------------------------------------------------------------------------


def parse_date(value: str, path: Path, line: int, field: str) -> date:
    """A day as YYYY-MM-DD (or YYYYMMDD, as Google Analytics exports it)."""
    try:
        if re.fullmatch(r"\d{8}", value):
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            path, f"expected a date like 2024-01-31, got {value!r}", line=line, field=field
        ) from None


def parse_number(
    value: str, path: Path, line: int, field: str, *, required: bool = False
) -> float | None:
    """A number of zero or more, with a dot for decimals; empty is None (an error if required)."""
    if value == "":
        if required:
            raise InputError(path, "expected a number, got nothing", line=line, field=field)
        return None
    if not _NUMBER_RE.fullmatch(value):
        raise InputError(
            path,
            "expected a number such as 1234.50 (a dot for decimals, no thousands separator), "
            f"got {value!r}",
            line=line,
            field=field,
        )
    number = float(value)
    if number < 0:
        raise InputError(
            path, f"expected a number of zero or more, got {value!r}", line=line, field=field
        )
    return number


def parse_count(
    value: str, path: Path, line: int, field: str, *, required: bool = False
) -> int | None:
    number = parse_number(value, path, line, field, required=required)
    if number is None:
        return None
    if not number.is_integer():
        raise InputError(path, f"expected a whole number, got {value!r}", line=line, field=field)
    return int(number)


def parse_platform(value: str, path: Path, line: int, field: str = "platform") -> str | None:
    """A platform name (x, twitter, facebook, ...); empty is None."""
    if value == "":
        return None
    name = PLATFORM_NAMES.get(value.lower())
    if name is None:
        known = ", ".join(p.value for p in Platform)
        raise InputError(
            path, f"expected one of {known} (or empty), got {value!r}", line=line, field=field
        )
    return name


def parse_currency(value: str, path: Path, line: int, field: str = "currency") -> str | None:
    if value == "":
        return None
    code = value.upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise InputError(
            path,
            f"expected a three-letter currency code such as EUR or USD, got {value!r}",
            line=line,
            field=field,
        )
    return code


class FileCurrency:
    """Checks that one file uses one currency, and remembers which."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.code: str | None = None
        self.line: int | None = None

    def see(self, value: str, line: int) -> str | None:
        code = parse_currency(value, self.path, line)
        if code is None:
            return None
        if self.code is None:
            self.code, self.line = code, line
        elif code != self.code:
            raise InputError(
                self.path,
                f"expected {self.code} like line {self.line} (one currency per workspace; "
                f"convert the amounts before importing), got {value!r}",
                line=line,
                field="currency",
            )
        return code


# -- the workspace's one currency ----------------------------------------------------------------


def check_currency(ws: Workspace, batch: ImportBatch, table_name: str) -> None:
    """Hold a ledger batch to the workspace's one currency, and fill its empty currency cells.

    The workspace currency is `[brand] currency` in socialaudit.toml when set; otherwise the
    currency of the ledgers already imported (so the first ledger with a currency fixes it).
    A row in another currency is an InputError here, before anything is written.
    """
    table = batch.tables[table_name]
    configured = load_config(ws.config_path).brand.currency
    expected, why = configured, "the workspace currency, [brand] currency in socialaudit.toml"
    if expected is None:
        stored = ws.currencies(exclude_source=batch.source)
        codes = sorted({c for c, _, _ in stored})
        if len(codes) > 1:
            raise InputError(
                batch.source,
                f"the workspace already holds ledgers in {' and '.join(codes)}; "
                "set [brand] currency in socialaudit.toml and re-import them in that currency",
            )
        if codes:
            expected = codes[0]
            why = f"the workspace currency, fixed by the first ledger imported ({stored[0][1]})"
    if expected is None:
        # Nothing to agree with yet: this file's own currency (one per file) becomes the
        # workspace's, and fills its empty cells.
        own = pc.drop_null(table["currency"])
        if len(own) == 0:
            return
        expected = own[0].as_py()
    for r in table.select(["row", "currency"]).to_pylist():
        if r["currency"] is not None and r["currency"] != expected:
            raise InputError(
                batch.source,
                f"expected {expected} ({why}), got {r['currency']!r}; one currency per workspace, "
                "so convert the amounts before importing",
                line=r["row"],
                field="currency",
            )
    filled = pa.array([expected] * table.num_rows, pa.string())
    batch.tables[table_name] = table.set_column(
        table.schema.get_field_index("currency"),
        "currency",
        pc.coalesce(table["currency"], filled),
    )
