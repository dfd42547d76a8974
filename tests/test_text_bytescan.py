"""The byte-level shortcuts of the rules backend give what the Arrow kernels they replace give."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from socialaudit.text import bytescan, rules

TEXTS = [
    "",
    "@user thanks  a lot",
    "no handle here",
    "@user@user @use @userx",
    "tab\there and\nnew line",
    "café ☕ @user?",
    "ends with @use",
    "r",
    "two  spaces",
    "?",
]

_OPEN, _CLOSE, _BETWEEN = rules._OPEN, rules._CLOSE, rules._BETWEEN


def _cut_by_regex(marked: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """The three regex passes `rules._cut_marked` stands for."""
    found = pc.match_substring(marked, _OPEN).to_numpy(zero_copy_only=False)
    body = pc.replace_substring_regex(marked, f"^[^{_OPEN}]*{_OPEN}", "")
    body = pc.replace_substring_regex(body, f"{_CLOSE}[^{_OPEN}]*{_OPEN}", _BETWEEN)
    body = pc.replace_substring_regex(body, f"{_CLOSE}[^{_OPEN}]*$", "")
    return found, body


def test_literal_counts_and_tests_agree_with_arrow() -> None:
    arr = pa.array(TEXTS).slice(1)  # (a slice: the data buffer does not start at the texts)
    got = bytescan.count_literal(arr, b"@user")
    want = pc.count_substring(arr, "@user").to_numpy(zero_copy_only=False)
    assert got.tolist() == want.tolist()
    for lit in ("@user", "  ", "?", "ere"):
        got_rows = bytescan.rows_with(arr, lit.encode())
        assert got_rows.tolist() == pc.match_substring(arr, lit).to_pylist()
    spaces = bytescan.rows_with_any(arr, b"\t\n")
    assert spaces.tolist() == pc.match_substring_regex(arr, r"[\t\n]").to_pylist()
    wide = bytescan.rows_with_any(arr, b"", non_ascii=True)
    assert wide.tolist() == [any(ord(c) > 127 for c in t) for t in TEXTS[1:]]


def test_replace_where_replaces_only_the_rows_it_may() -> None:
    arr = pa.array(TEXTS)
    may = bytescan.rows_with(arr, b"  ") | bytescan.rows_with_any(arr, b"\t\n\f\r")
    got = bytescan.replace_where(arr, may, r"\s+", " ")
    assert got.to_pylist() == pc.replace_substring_regex(arr, r"\s+", " ").to_pylist()
    assert bytescan.replace_where(arr, np.zeros(len(arr), bool), r"\s+", " ") is arr


def test_cues_cut_from_marked_texts_as_the_regex_passes_cut_them() -> None:
    o, c = _OPEN, _CLOSE
    marked = pa.array(
        [
            "no cue at all",
            f"one {o}cue{c} here",
            f"{o}first{c} and {o}second{c} and {o}third{c}",
            f"an empty {o}{c} cue and {o}{c}",
            f"{o}{c}",
            "",
            f"unicode {o}très ☕{c}!",
            f"{o}a{c}{o}b{c}",
        ]
    ).slice(1)
    found, cut = rules._cut_marked(marked)
    want_found, want_cut = _cut_by_regex(marked)
    assert found.tolist() == want_found.tolist()
    assert [x for x, f in zip(cut.to_pylist(), found, strict=True) if f] == [
        x for x, f in zip(want_cut.to_pylist(), want_found, strict=True) if f
    ]
