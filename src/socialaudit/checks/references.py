"""The articles and studies the checks' advice comes from, cited by title and author.

The rulebook was written from five articles on social media marketing mistakes (a check's
`seeds` name them by number); a check may cite studies besides (`references`). The docs,
`socialaudit explain` and docs/checks.md print them under "Sources". The advice in the checks is
the project's own words; the articles are where the mistakes were named.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    title: str
    author: str  # as the article itself names its author
    published: str = ""  # where and when, as far as the article says

    def cite(self) -> str:
        where = f", {self.published}" if self.published else ""
        return f"“{self.title}”, {self.author}{where}"


SEEDS: dict[str, Article] = {
    "000": Article(
        "Potential Pitfalls in Social Media Marketing",
        "by @burked585 (the author signs with this X handle only)",
        "blog post",
    ),
    "001": Article(
        "Social Media Marketing: Are You Doing it Wrong?",
        "author not named in the article",
        "blog post",
    ),
    "002": Article(
        "Social Media Mistakes",
        "on the blog “This Is Not the Career I Ordered”, after Patricio Robles (Econsultancy)",
        "December 2010",
    ),
    "003": Article(
        "Failing in your social media marketing efforts?",
        "by a teacher of social media marketing (not named in the article)",
        "blog post",
    ),
    "004": Article(
        "Social Media Errors of Corporate Status Quo",
        "author not named in the article",
        "27 January 2013",
    ),
}


def sources(seeds: tuple[str, ...], references: tuple[str, ...] = ()) -> list[str]:
    """The Sources lines of a check's doc: its seed articles, then its other references."""
    return [SEEDS[s].cite() for s in seeds] + list(references)
