"""A TWCS file's reply trees read with pandas and plain Python, independently of the project's
importer and conversation code, following the definitions in the README ("Conversations,
defined exactly"): who each inbound tweet is addressed to (exactly one brand account) and
which of its descendants answer it. The tests that recompute SA101, SA102 and the inbox from the
raw CSV share it."""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

MENTION = re.compile(r"(?<![\w@])@(\w+)")


@dataclass
class Threads:
    df: pd.DataFrame
    parent: dict[str, str]
    author: dict[str, str]
    time: dict[str, pd.Timestamp]
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    brands: dict[str, str] = field(default_factory=dict)  # lower-case handle -> as written

    def ancestors(self, m: str) -> list[str]:
        """Nearest first; a cycle in damaged data ends the walk."""
        seen: list[str] = []
        while m in self.parent and self.parent[m] not in seen:
            m = self.parent[m]
            seen.append(m)
        return seen

    def descendants(self, m: str) -> list[str]:
        out, stack = [], list(self.children.get(m, []))
        while stack:
            c = stack.pop()
            out.append(c)
            stack.extend(self.children.get(c, []))
        return out

    def is_brand(self, m: str) -> bool:
        return self.author.get(m, "").lower() in self.brands

    def addressed(self, m: str, text: str) -> tuple[str, str] | None:
        """(brand as written, rule) of the one brand account an inbound tweet is addressed to:
        the nearest brand ancestor; else among the brands it mentions the one that answered it
        first (or the brand that answered it first, when it mentions none); else the brand it
        mentions first. None when it is addressed to no brand."""
        for a in self.ancestors(m):
            if self.is_brand(a):
                return self.brands[self.author[a].lower()], "reply"
        mentioned = [h.lower() for h in MENTION.findall(text) if h.lower() in self.brands]
        answers = sorted(
            (self.time[d], self.author[d].lower()) for d in self.descendants(m) if self.is_brand(d)
        )
        candidates = (
            [b for _, b in answers if b in mentioned] if mentioned else [b for _, b in answers]
        )
        if candidates:
            return self.brands[candidates[0]], "answer"
        if mentioned:
            return self.brands[mentioned[0]], "mention"
        return None

    def first_answer(self, m: str, brand: str) -> pd.Timestamp | None:
        """The earliest descendant the brand wrote at or after the tweet, if any."""
        times = [
            self.time[d]
            for d in self.descendants(m)
            if self.author[d] == brand and self.time[d] >= self.time[m]
        ]
        return min(times) if times else None


def read_threads(path: Path) -> Threads:
    # CRLF ends a record in some copies; a bare \r inside a text does not (see PROVENANCE.md).
    text = path.read_bytes().decode("utf-8").replace("\r\n", "\n")
    df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, lineterminator="\n")
    df["t"] = pd.to_datetime(df.created_at, format="%a %b %d %H:%M:%S %z %Y")
    parent = {
        r.tweet_id: r.in_response_to_tweet_id.split(".")[0]
        for r in df.itertuples()
        if r.in_response_to_tweet_id
    }
    threads = Threads(
        df=df,
        parent=parent,
        author=dict(zip(df.tweet_id, df.author_id, strict=True)),
        time=dict(zip(df.tweet_id, df.t, strict=True)),
    )
    for child, par in parent.items():
        threads.children[par].append(child)
    threads.brands = {b.lower(): b for b in df.author_id[df.inbound == "False"]}
    return threads
