"""One sanitiser for every output: what strangers wrote stays text wherever it is shown.

Messages, names and ids come from strangers, and some characters are instructions rather than
text: C0 and C1 controls (ESC and CSI start terminal escape sequences that clear the screen, set
the window title or fake a prompt; NEL and the line separators break lines where a parser does
not expect it) and the bidirectional embeddings, overrides and isolates (U+202A-U+202E,
U+2066-U+2069), which make "\u202eexe.pdf" display as "fdp.exe". The plain marks LRM, RLM and
ALM stay: they only nudge the direction of neutral characters.

Each output treats them the way its format allows:

* terminal text and Markdown (`for_terminal`): replaced one for one by U+FFFD, visible and
  the same length (so Rich's spans stay aligned); newlines and tabs kept where asked;
* CSV (`for_csv`): the same, keeping the tab, CR and LF that CSV quoting carries; formulas are
  neutralised separately (`csvsafe`);
* JSON (`escape_json`): lossless, as `\\uXXXX` escapes (json.dumps escapes C0 itself; C1, DEL,
  U+2028/U+2029 and the bidi controls are added), so a consumer gets the exact text;
* HTML (`for_html` as Jinja2's finalize, and `<bdi>` around user text in the templates):
  replaced like the terminal, after which autoescape runs, and isolated so that a name written
  right to left cannot reorder the words around it.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup

REPLACEMENT = "\ufffd"

_C0 = list(range(0x00, 0x20))
_C1_DEL = [0x7F, *range(0x80, 0xA0)]
_SEPARATORS = [0x2028, 0x2029]
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]

_TERMINAL = {c: REPLACEMENT for c in (*_C0, *_C1_DEL, *_SEPARATORS, *_BIDI)}
_TERMINAL_LINES = {c: r for c, r in _TERMINAL.items() if c not in (0x0A, 0x09)}
_CSV = {c: r for c, r in _TERMINAL.items() if c not in (0x09, 0x0A, 0x0D)}

# What json.dumps(ensure_ascii=False) leaves raw inside strings and a terminal or a viewer would
# act on; it never occurs outside strings in JSON, so escaping it in the whole document is safe.
_JSON_RAW = re.compile("[" + "".join(chr(c) for c in (*_C1_DEL, *_SEPARATORS, *_BIDI)) + "]")


def for_terminal(text: str, *, keep_lines: bool = False) -> str:
    """Controls and bidi overrides replaced by U+FFFD (one for one); newlines and tabs kept
    when `keep_lines`."""
    return text.translate(_TERMINAL_LINES if keep_lines else _TERMINAL)


def for_csv(text: str) -> str:
    """Like `for_terminal`, keeping the tab, CR and LF that quoted CSV fields may hold."""
    return text.translate(_CSV)


def escape_json(document: str) -> str:
    """A JSON document with C1 controls, DEL, line separators and bidi controls as \\u escapes."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def for_html(value: Any) -> Any:
    """Jinja2's `finalize`: every string a template prints, made inert before autoescape.
    Markup (a macro's output, built from values that passed here) is left as it is."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return value.translate(_TERMINAL_LINES)
    return value


def is_inert(text: str, *, keep_lines: bool = True) -> bool:
    """True when `text` holds nothing `for_terminal` would replace (for tests and checks)."""
    return for_terminal(text, keep_lines=keep_lines) == text
