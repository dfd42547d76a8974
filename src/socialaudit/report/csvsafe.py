"""CSV cells that a spreadsheet shows as text, never runs as a formula (CSV/formula injection).

Excel, LibreOffice and Google Sheets run a cell that starts with `=` as a formula, and Excel also
one that starts with `+`, `-` or `@` (its Lotus heritage), so a customer's message such as
`=HYPERLINK("http://evil.example","x")` or `@SUM(1+1)*cmd|' /C calc'!A0` would become a live link,
or start a program, in the sheet a marketer opens. OWASP's advice: prefix such a cell with a
single quote, which the spreadsheet hides and which keeps the text as the text it was.

But most cells that start with `-` or `@` are ordinary words: `@acme where is my order?` opens
most replies on X, `- great service` many posts. Quoting all of them changes the user's own text
column for nothing. So the quote is added only where a spreadsheet would *run* something. The
rule (`FORMULA_RE`, one regular expression for single cells and for whole Arrow columns):

1. Leading spaces, tabs, carriage returns and line feeds are looked through (some applications
   strip them before they decide), and the rest is judged.
2. `=` starts a formula in every spreadsheet: always quoted.
3. `+`, `-` or `@` is quoted when what follows does something when evaluated:
   * calls a function, or reaches another program or sheet: a name directly followed by `(`
     (`+HYPERLINK(`, `@SUM(`), by `|` (DDE: `cmd|`), or by `!` and a cell reference
     (`-Sheet2!A1`), either at once or after operands and operators (`-2+3+cmd|' /C calc'!A0`,
     `-(1+SUM(`). A name in prose (`@united the agent McLarren(sp?)`) is not reached that way;
   * is, as a whole, a cell reference (`-A1`, `@$B$2`) or arithmetic on numbers, references and
     quoted strings (`-2+3`, `+44-20-7946`, `-A1*2`, `+"a"&"b"`): the spreadsheet would show a
     computed value in place of the text.
4. Anything else is left exactly as written: `@acme thanks!`, `- great service`, `-1` and `+44 20
   7946 0000` (a number, or text that no spreadsheet can evaluate to anything). Excel may show
   such a cell as `#NAME?` (it fails to parse it as a formula), but it runs nothing and the file
   holds the text unchanged.

Numbers (ints and floats) pass unchanged: -3 is a number, not a formula.
"""

from __future__ import annotations

import re
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

# Written in the syntax that Python's `re` and RE2 (pyarrow) share, so that one rule serves both.
_NAME = r"[A-Za-z_][A-Za-z0-9_.]*"
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]+"
_NUMBER = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)%?"
_STRING = r'"[^"]*"'
_TERM = rf"(?:{_CELL}|{_NUMBER}|{_STRING})"
_OPERAND = rf"[-+]?{_TERM}"
# What may stand before a call in a formula: terms, each followed by an operator, a comma or an
# opening parenthesis ("2+3+", "(", "1 * "); signs count as operators there, so that each text
# splits one way only (no catastrophic backtracking). Prose ("united OKC agent") is not that.
_LEAD = rf"(?:[ ]*(?:{_TERM}[ ]*)?[-+*/^&(,])*[ ]*"
_REACH = rf"{_NAME}\(|{_NAME}\||(?:{_NAME}|'[^']*')!{_CELL}"
_ARITHMETIC = rf"{_OPERAND}(?:[ ]*[-+*/^&][ ]*{_OPERAND})+|[-+]?{_CELL}"
FORMULA_RE = rf"^[ \t\r\n]*(?:=|[-+@](?:{_LEAD}(?:{_REACH})|[ ]*(?:{_ARITHMETIC})[ \t\r\n]*$))"
_FORMULA = re.compile(FORMULA_RE)


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would run this text as a formula (the module's rule)."""
    return _FORMULA.match(text) is not None


def safe_cell(value: Any) -> Any:
    """The value, with a leading `'` when it is a string a spreadsheet would run as a formula."""
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def safe_column(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """`safe_cell` over a whole Arrow string column at once (nulls stay null)."""
    risky = pc.match_substring_regex(values, FORMULA_RE)
    return pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)
