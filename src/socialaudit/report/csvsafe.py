"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV/formula injection).

Excel, LibreOffice and Google Sheets treat a cell starting with =, +, - or @ as a formula (and
tab or carriage return as a way round the check), so a customer's message such as
`=HYPERLINK("http://evil.example","x")` would become a live link, or worse, in the sheet a
marketer opens. OWASP's advice: prefix such a cell with a single quote, which the spreadsheet
hides and which keeps the text as the text it was.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value, with a leading `'` when it is a string a spreadsheet would run as a formula.

    Numbers (ints and floats) pass unchanged: -3 is a number, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_column(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`safe_cell` over a whole Arrow string column at once (nulls stay null)."""
    risky = pc.match_substring_regex(values, "^[=+\\-@\\t\\r]")
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)
