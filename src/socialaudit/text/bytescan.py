"""Byte-level tests on Arrow string arrays, to spare regex passes over texts they cannot change.

An ASCII byte in UTF-8 is always that character (lead and continuation bytes are >= 0x80), so a
test for ASCII characters on the data buffer with numpy is exact. Each Arrow regex kernel call
walks every string of its input; where a pattern needs a character that most texts lack (a link
needs "://", an emoji a non-ASCII byte), the pass is run over the texts that have it only, and
the others are kept as they are: the result is the same array, for a fraction of the work.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _data(strings: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The data bytes and the offsets (len + 1) of a `string` array, without copying."""
    bufs = strings.buffers()
    n = len(strings)
    if bufs[1] is None:
        return np.zeros(0, np.uint8), np.zeros(n + 1, np.int32)
    offsets = np.frombuffer(bufs[1], np.int32)[strings.offset : strings.offset + n + 1]
    data = np.frombuffer(bufs[2], np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    return data, offsets


def _owners(offsets: np.ndarray, pos: np.ndarray, n: int) -> np.ndarray:
    """Whether each of the n strings holds one of the byte positions `pos` (sorted)."""
    out = np.zeros(n, dtype=bool)
    if len(pos):
        out[np.searchsorted(offsets, pos, side="right") - 1] = True
    return out


def rows_with_any(strings: pa.Array, chars: bytes, non_ascii: bool = False) -> np.ndarray:
    """Whether each string holds one of the ASCII characters `chars` (or, with `non_ascii`, any
    character outside ASCII)."""
    data, offsets = _data(strings)
    body = data[offsets[0] : offsets[-1]]
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(chars, np.uint8)] = True
    if non_ascii:
        table[0x80:] = True
    return _owners(offsets, np.flatnonzero(table[body]) + offsets[0], len(strings))


def _occurrences(strings: pa.Array, literal: bytes) -> np.ndarray:
    """The string of each place where the ASCII string `literal` starts (within that string)."""
    data, offsets = _data(strings)
    lo, hi = int(offsets[0]), int(offsets[-1])
    first = np.flatnonzero(data[lo:hi] == literal[0]) + lo
    owner = np.searchsorted(offsets, first, side="right") - 1
    for k in range(1, len(literal)):
        keep = first + k < offsets[owner + 1]  # the whole literal inside the same string
        first, owner = first[keep], owner[keep]
        keep = data[first + k] == literal[k]
        first, owner = first[keep], owner[keep]
    return owner


def rows_with(strings: pa.Array, literal: bytes) -> np.ndarray:
    """Whether each string holds the ASCII string `literal` (`pc.match_substring`)."""
    out = np.zeros(len(strings), dtype=bool)
    out[_occurrences(strings, literal)] = True
    return out


def count_literal(strings: pa.Array, literal: bytes) -> np.ndarray:
    """How often each string holds the ASCII string `literal`, which must not overlap itself
    (no proper prefix of it is also a suffix, as in "@user"): then every occurrence is one
    of the non-overlapping matches Arrow's `count_substring` counts."""
    return np.bincount(_occurrences(strings, literal), minlength=len(strings)).astype(np.int64)


def replace_where(strings: pa.Array, may: np.ndarray, pattern: str, replacement: str) -> pa.Array:
    """`pc.replace_substring_regex(strings, pattern, replacement)` for a null-free array, run
    only over the strings where `may` holds: the others must be strings the pattern cannot
    match (they are kept as they are)."""
    n = len(strings)
    at = np.flatnonzero(may)
    if len(at) == n:
        return pc.replace_substring_regex(strings, pattern, replacement)
    if not len(at):
        return strings
    done = pc.replace_substring_regex(strings.take(pa.array(at)), pattern, replacement)
    where = np.arange(n, dtype=np.int64)
    where[at] = n + np.arange(len(at))
    return pa.concat_arrays([strings, done]).take(pa.array(where))
