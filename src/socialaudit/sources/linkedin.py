"""LinkedIn Page analytics exports (xls or xlsx): Page admin view → Analytics → Content or
Followers → Export. One file, or a folder or zip of them.

* Content export: the first sheet holds daily page totals (not imported: no canonical table
  holds page-level days), the second holds **every post** with its title (the opening text),
  link, type (organic or sponsored), who posted it, the date it was created, and its
  impressions, clicks, reactions, comments, reposts. Both sheets have a description row above
  the header.
* Followers export: the first sheet holds new followers per day (sponsored, organic, total);
  the others are demographics (not imported).

Headers are written in the page admin's language, so columns are found by their known names in
several languages first and, when the sheet has LinkedIn's usual number of columns, by their
position. Dates are `mm/dd/yyyy` without a time or zone (a column whose first number goes past
12 is read as `dd/mm/yyyy`). No comment text or commenter is in either export.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Kind, Platform
from ..workspace import ImportBatch
from .base import ImportOptions, hashtags_in, links_in, mentions_in, read_bytes, read_head
from .container import Container
from .rows import build_tables, raw_json, stable_id

_FILE_NAME = re.compile(
    r"^(?P<page>.+?)_(?P<kind>content|followers|visitors|competitors?)_\d+\.xlsx?$", re.I
)
_SUFFIXES = (".xls", ".xlsx")

# Known header names per field, lower-cased without accents (see _norm), in English, Portuguese,
# Spanish, French, German and Italian. Entries ending in "*" match as a prefix.
POST_FIELDS: dict[str, tuple[str, ...]] = {
    "title": (
        "post title",
        "titulo da publicacao",
        "titulo do post",
        "titulo de la publicacion",
        "titre de la publication",
        "titre du post",
        "beitragstitel",
        "titel des beitrags",
        "titolo del post",
    ),
    "link": (
        "post link",
        "link da publicacao",
        "link do post",
        "enlace de la publicacion",
        "lien de la publication",
        "lien du post",
        "beitragslink",
        "link zum beitrag",
        "link del post",
    ),
    "post_type": (
        "post type",
        "tipo de publicacao",
        "tipo de post",
        "tipo de publicacion",
        "type de publication",
        "type de post",
        "beitragstyp",
        "tipo di post",
    ),
    "campaign": (
        "campaign name",
        "nome da campanha",
        "nombre de la campana",
        "nom de la campagne",
        "kampagnenname",
        "nome della campagna",
    ),
    "posted_by": (
        "posted by",
        "published by",
        "publicado por",
        "publie par",
        "veroffentlicht von",
        "gepostet von",
        "pubblicato da",
    ),
    "created": (
        "created date",
        "date",
        "data de criacao",
        "data",
        "fecha de creacion",
        "fecha",
        "date de creation",
        "erstellungsdatum",
        "datum",
        "data di creazione",
    ),
    "impressions": ("impressions", "impressoes", "impresiones", "impressionen", "impression"),
    "clicks": ("clicks", "cliques", "clics", "klicks", "clic"),
    "likes": (
        "likes",
        "reactions",
        "reacoes",
        "reacciones",
        "reactions",
        "reaktionen",
        "reazioni",
        "gostei",
        "j'aime",
        "me gusta",
        "gefallt mir",
        "mi piace",
    ),
    "comments": ("comments", "comentarios", "commentaires", "kommentare", "commenti"),
    "reposts": (
        "reposts",
        "shares",
        "compartilhamentos",
        "republicacoes",
        "compartidos",
        "veces compartido",
        "partages",
        "republications",
        "geteilte inhalte",
        "reposts",
        "condivisioni",
    ),
    "follows": ("follows", "seguidores", "abonnements", "abonnes", "follower", "follower gewonnen"),
    "content_type": (
        "content type",
        "tipo de conteudo",
        "tipo de contenido",
        "type de contenu",
        "inhaltstyp",
        "tipo di contenuto",
    ),
}
# LinkedIn's column order in the "All posts" sheet (20 columns), for headers in other languages.
POST_POSITIONS = (
    "title",
    "link",
    "post_type",
    "campaign",
    "posted_by",
    "created",
    "campaign_start",
    "campaign_end",
    "audience",
    "impressions",
    "views",
    "offsite_views",
    "clicks",
    "ctr",
    "likes",
    "comments",
    "reposts",
    "follows",
    "engagement_rate",
    "content_type",
)
FOLLOWER_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "data", "fecha", "datum"),
    "total": (
        "total followers",
        "total de seguidores",
        "seguidores totais",
        "seguidores totales",
        "total des abonnes",
        "nombre total d'abonnes",
        "follower insgesamt",
        "gesamtzahl follower",
        "follower totali",
    ),
}

GAPS = [
    "comments and replies (LinkedIn exports carry counts, not the comments or who wrote them)",
    "the time of day of posts (the export gives dates only; posts are dated at 00:00 UTC)",
    "post texts beyond their opening line (the export's post title)",
]
FOLLOWER_GAP = (
    "the page's total follower count: the follower export gives new followers per day, so "
    "audience rows count followers gained since the export's first day"
)


def _norm(header: Any) -> str:
    # Accents dropped (exports and translations vary in them); other scripts kept as they are.
    text = "".join(
        ch
        for ch in unicodedata.normalize("NFKD", str(header or ""))
        if not unicodedata.combining(ch)
    )
    return " ".join(text.lower().replace("\u2019", "'").split())


def _match(header: str, names: tuple[str, ...]) -> bool:
    return any(header == n or (n.endswith("*") and header.startswith(n[:-1])) for n in names)


# -- spreadsheets ------------------------------------------------------------------------------


# Detection reads only the top of each sheet: the header is in the first six rows.
_DETECT_ROWS = 10
# A LinkedIn sheet has some twenty columns; a row reaching further is not one of its exports
# (and a cell declared at column XFD would make every row 16,384 cells long).
MAX_COLUMNS = 1000


def read_sheets(
    data: bytes, where: str, max_rows: int | None = None
) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet of an xls or xlsx file as (name, rows of cell values); dates as datetimes.

    `max_rows`: read only the first rows of each sheet (detection). Rows beyond the row limit
    and cells beyond MAX_COLUMNS are refused: a small file may declare a huge sheet.
    """
    if data[:4] == b"PK\x03\x04":
        import openpyxl

        _check_xlsx_zip(data, where)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                return [(ws.title, _sheet_rows(ws, where, max_rows)) for ws in book.worksheets]
            finally:
                book.close()
        except InputError:
            raise
        except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
            raise InputError(
                where, f"cannot read this xlsx file ({type(exc).__name__}: {exc})"
            ) from exc
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        import xlrd

        from .limits import OPTIONS, current

        try:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
            sheets = []
            for sheet in book.sheets():
                rows = []
                if sheet.nrows > current().rows or sheet.ncols > MAX_COLUMNS:
                    raise InputError(
                        where,
                        f"sheet {sheet.name!r} is {sheet.nrows:,} rows by {sheet.ncols:,} "
                        f"columns; a LinkedIn export is under {current().rows:,} rows "
                        f"({OPTIONS['rows']}) and {MAX_COLUMNS} columns",
                    )
                for i in range(sheet.nrows if max_rows is None else min(max_rows, sheet.nrows)):
                    row = []
                    for cell in sheet.row(i):
                        if cell.ctype == xlrd.XL_CELL_DATE:
                            row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                        elif cell.ctype == xlrd.XL_CELL_EMPTY:
                            row.append(None)
                        else:
                            row.append(cell.value)
                    rows.append(row)
                sheets.append((sheet.name, rows))
            return sheets
        except InputError:
            raise
        except Exception as exc:  # xlrd raises XLRDError, struct.error, IndexError, ... alike
            raise InputError(
                where, f"cannot read this xls file ({type(exc).__name__}: {exc})"
            ) from exc
    raise InputError(where, "expected an Excel file (xls or xlsx) exported by LinkedIn")


def _check_xlsx_zip(data: bytes, where: str) -> None:
    """An xlsx is a zip of XML parts: the same member and expansion limits as any zip."""
    import zipfile

    from .limits import OPTIONS, current, too_large

    lim = current()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise InputError(where, f"a damaged xlsx file: cannot read it as a zip ({exc})") from exc
    for info in infos:
        if info.file_size > lim.member_bytes:
            raise too_large(
                where, f"its part {info.filename}", f"{info.file_size:,} bytes", "member_bytes"
            )
        if info.file_size > (1 << 20) and info.file_size > lim.expansion * max(
            info.compress_size, 1
        ):
            raise InputError(
                where,
                f"its part {info.filename} expands {info.file_size // max(info.compress_size, 1):,}"
                f" times; the limit is {lim.expansion} (raise it with {OPTIONS['expansion']})",
            )


def _sheet_rows(ws: Any, where: str, max_rows: int | None) -> list[list[Any]]:
    from .limits import OPTIONS, current

    # The sheet's declared size (<dimension ref="A1:XFD1048576">) is not trusted: read-only
    # mode would pad every row to it. Only the cells present are read.
    ws.reset_dimensions()
    limit = current().rows
    rows: list[list[Any]] = []
    for i, row in enumerate(ws.iter_rows(values_only=True)):
        if max_rows is not None and i >= max_rows:
            break
        if i >= limit:
            raise InputError(
                where,
                f"sheet {ws.title!r} has more than {limit:,} rows (raise the limit with "
                f"{OPTIONS['rows']})",
            )
        if len(row) > MAX_COLUMNS:
            raise InputError(
                where,
                f"sheet {ws.title!r} row {i + 1} has a cell in column {len(row):,}; a LinkedIn "
                f"export has under {MAX_COLUMNS} columns",
            )
        rows.append(list(row))
    # Rows present but empty at the end (a declared range, formatting) carry nothing.
    while rows and not any(c not in (None, "") for c in rows[-1]):
        rows.pop()
    return rows


def _header_row(rows: list[list[Any]]) -> int | None:
    """The header is the first of the top rows with two or more text cells, nearly all text (the
    description row above it is one long sentence in one cell)."""
    for i, row in enumerate(rows[:6]):
        texts = [c for c in row if isinstance(c, str) and c.strip()]
        if len(texts) >= 2 and len(texts) >= len([c for c in row if c not in (None, "")]) - 1:
            return i
    return None


def _columns(
    header: list[Any], fields: dict[str, tuple[str, ...]], positions: tuple[str, ...] | None
) -> dict[str, int]:
    names = [_norm(h) for h in header]
    while names and not names[-1]:
        names.pop()
    found: dict[str, int] = {}
    for field, known in fields.items():
        for i, n in enumerate(names):
            if i not in found.values() and _match(n, known):
                found[field] = i
                break
    if positions is not None and len(names) == len(positions):
        used = set(found.values())
        for i, field in enumerate(positions):
            if field not in found and i not in used:
                found[field] = i
    return found


# -- values ------------------------------------------------------------------------------------


class _Sheet:
    def __init__(self, where: str, name: str, rows: list[list[Any]], header_at: int) -> None:
        self.where = where
        self.name = name
        self.rows = rows
        self.header_at = header_at
        self.header = [str(h).strip() if h is not None else "" for h in rows[header_at]]

    def data(self) -> list[tuple[int, list[Any]]]:
        """(spreadsheet row number, cells) for every non-empty row below the header."""
        return [
            (self.header_at + 2 + i, r)
            for i, r in enumerate(self.rows[self.header_at + 1 :])
            if any(c not in (None, "") for c in r)
        ]

    def error(self, line: int, field: str, message: str) -> InputError:
        return InputError(
            self.where, message, line=line, record=f"sheet {self.name!r}", field=field
        )

    def cell(self, row: list[Any], col: int | None) -> Any:
        if col is None or col >= len(row):
            return None
        v = row[col]
        return None if v == "" else v

    def number(self, line: int, row: list[Any], col: int | None, field: str) -> int | None:
        v = self.cell(row, col)
        if v is None:
            return None
        assert col is not None  # a cell has a value only in a column the header has
        if isinstance(v, bool):
            raise self.error(line, self.header[col], f"expected a number, got {v!r}")
        if isinstance(v, int | float):
            if v != v or v in (float("inf"), float("-inf")):
                raise self.error(line, self.header[col], f"expected a number, got {v!r}")
            return round(v)
        text = str(v).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if text in ("", "-", "--"):
            return None
        try:
            return round(float(text))
        except ValueError:
            raise self.error(line, self.header[col], f"expected a number, got {v!r}") from None

    def day_first(self, col: int) -> bool:
        """Whether a text date column is dd/mm/yyyy: true when a first part ever exceeds 12."""
        for _, row in self.data():
            v = self.cell(row, col)
            if isinstance(v, str):
                m = re.match(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}", v)
                if m and int(m.group(1)) > 12:
                    return True
        return False

    def date(self, line: int, row: list[Any], col: int, day_first: bool) -> date:
        v = self.cell(row, col)
        field = self.header[col] if col < len(self.header) else "date"
        if isinstance(v, datetime):
            return v.date()
        if isinstance(v, date):
            return v
        if isinstance(v, int | float) and not isinstance(v, bool) and 1 < v < 2958466:
            return date(1899, 12, 30) + timedelta(days=int(v))  # an Excel serial day number
        if isinstance(v, str):
            text = v.strip()
            for fmt in (
                ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y") if day_first else ("%m/%d/%Y", "%m-%d-%Y")
            ) + ("%Y-%m-%d",):
                try:
                    return datetime.strptime(text[:10], fmt).date()
                except ValueError:
                    continue
        raise self.error(line, field, f"expected a date like 01/31/2024, got {v!r}")


# -- the source --------------------------------------------------------------------------------


class LinkedInSource:
    name = "linkedin"
    description = (
        "LinkedIn Page content or followers export (xls/xlsx; a file, folder or zip of them)"
    )

    def detect(self, path: Path) -> bool:
        if path.is_file() and path.suffix.lower() in _SUFFIXES:
            if _FILE_NAME.match(path.name):
                return True
            head = read_head(path, 8)
            if not (head.startswith(b"PK") or head.startswith(b"\xd0\xcf\x11\xe0")):
                return False
            try:
                sheets = _sheets_of(read_bytes(path), str(path), max_rows=_DETECT_ROWS)
                return any(self._kind(s) for s in sheets[:2])
            except (InputError, OSError):
                return False
        if path.is_dir() or path.suffix.lower() == ".zip":
            try:
                with Container(path) as c:
                    return c.kind != "file" and bool(_members(c))
            except InputError:
                return False
        return False

    @staticmethod
    def _kind(sheet: _Sheet | None) -> str | None:
        if sheet is None:
            return None
        cols = _columns(sheet.header, POST_FIELDS, POST_POSITIONS)
        if "link" in cols and "created" in cols and "title" in cols:
            return "posts"
        cols = _columns(sheet.header, FOLLOWER_FIELDS, None)
        if "date" in cols and "total" in cols:
            return "followers"
        return None

    def read(self, path: Path, options: ImportOptions) -> ImportBatch:
        with Container(path) as c:
            members = c.names() if c.kind == "file" else _members(c)
            if not members:
                raise InputError(
                    path, "no LinkedIn export files (…_content_….xls, …_followers_….xls) found"
                )
            rows: dict[str, list[dict]] = {"messages": [], "audience": [], "accounts": []}
            skipped: list[dict[str, Any]] = []
            gaps = list(GAPS)
            handles: set[str | None] = set()
            for name in members:
                where = c.where(name)
                base = name.rsplit("/", 1)[-1]
                m = _FILE_NAME.match(base)
                handle = options.brand[0] if options.brand else (m.group("page") if m else None)
                handles.add(handle)
                found = False
                for sheet in _sheets_of(c.read_bytes(name), where):
                    kind = self._kind(sheet) if sheet is not None else None
                    if sheet is not None and kind == "posts":
                        rows["messages"] += _posts(sheet, handle)
                        found = True
                    elif sheet is not None and kind == "followers":
                        rows["audience"] += _followers(sheet, handle)
                        found = True
                        if FOLLOWER_GAP not in gaps:
                            gaps.append(FOLLOWER_GAP)
                    elif sheet is not None:
                        skipped.append(
                            {
                                "what": f"sheet {sheet.name!r} of {base}",
                                "count": len(sheet.data()),
                                "reason": "daily totals and demographics have no canonical table",
                            }
                        )
                if not found:
                    raise InputError(
                        where,
                        "found no sheet of posts (Post title, Post link, Created date…) "
                        "or of new followers (Date, Total followers) in this workbook",
                    )
            for handle in sorted(h for h in handles if h):
                rows["accounts"].append(
                    {"platform": Platform.LINKEDIN.value, "handle": handle, "own_domains": []}
                )
            if None in handles:
                gaps.append("the page's name: the file name does not give it; pass --brand PAGE")
            one = next(iter(handles)) if len(handles) == 1 else None
            return ImportBatch(
                source=str(path.resolve()),
                format=self.name,
                tables=build_tables(rows, path),
                platform=Platform.LINKEDIN.value,
                account=one,
                skipped=skipped + c.refused(),
                gaps=gaps,
            )


def _members(c: Container) -> list[str]:
    return [n for n in c.names() if _FILE_NAME.match(n.rsplit("/", 1)[-1])]


def _sheets_of(data: bytes, where: str, max_rows: int | None = None) -> list[_Sheet | None]:
    out: list[_Sheet | None] = []
    for name, rows in read_sheets(data, where, max_rows):
        at = _header_row(rows)
        out.append(_Sheet(where, name, rows, at) if at is not None else None)
    return out


def _posts(sheet: _Sheet, handle: str | None) -> list[dict]:
    cols = _columns(sheet.header, POST_FIELDS, POST_POSITIONS)
    day_first = sheet.day_first(cols["created"])
    out = []
    seen: Counter[tuple] = Counter()
    for line, row in sheet.data():
        day = sheet.date(line, row, cols["created"], day_first)
        title = sheet.cell(row, cols.get("title"))
        text = None if title is None else str(title)
        link = sheet.cell(row, cols.get("link"))
        link = str(link).strip() if link is not None else None
        if not link:
            key = (day.isoformat(), text)
            seen[key] += 1
            link_id = stable_id("linkedin-post-", *key, seen[key])
        else:
            link_id = link
        raw = {
            h: (v.isoformat() if isinstance(v, date) else v)
            for h, v in zip(sheet.header, row, strict=False)
            if h
        }
        post_type = str(sheet.cell(row, cols.get("post_type")) or "")
        out.append(
            {
                "platform": Platform.LINKEDIN.value,
                "id": link_id,
                "account": handle,
                "author": handle,
                "from_brand": True,
                "created_at": datetime(day.year, day.month, day.day, tzinfo=UTC),
                "text": text,
                "kind": Kind.POST.value,
                "url": link or None,
                "links": links_in(text),
                "hashtags": hashtags_in(text),
                "mentions": mentions_in(text),
                # "Sponsored" posts are ads shown to a chosen audience; organic ones are public.
                "visibility": "public" if "organ" in post_type.lower() or not post_type else None,
                "likes": sheet.number(line, row, cols.get("likes"), "likes"),
                "reposts": sheet.number(line, row, cols.get("reposts"), "reposts"),
                "replies": sheet.number(line, row, cols.get("comments"), "comments"),
                "impressions": sheet.number(line, row, cols.get("impressions"), "impressions"),
                "clicks": sheet.number(line, row, cols.get("clicks"), "clicks"),
                "time_only": False,
                "raw": raw_json(raw),
            }
        )
    return out


def _followers(sheet: _Sheet, handle: str | None) -> list[dict]:
    cols = _columns(sheet.header, FOLLOWER_FIELDS, None)
    day_first = sheet.day_first(cols["date"])
    daily = []
    for line, row in sheet.data():
        day = sheet.date(line, row, cols["date"], day_first)
        daily.append((day, sheet.number(line, row, cols["total"], "total") or 0))
    out = []
    running = 0
    for day, gained in sorted(daily):
        running += gained
        out.append(
            {
                "date": day,
                "platform": Platform.LINKEDIN.value,
                "account": handle,
                "followers": running,
                "following": None,
            }
        )
    return out


SOURCE = LinkedInSource()
