"""Understanding text: sentiment, intent (question / complaint / praise) and content type.

One interface, `classify(texts, from_brand) -> Arrow table of labels`, one row per text in input
order, with the columns of the `labels` table (less platform and message_id), including `cues`:
the words and patterns that decided each label, so that a person can see why.

Backends: `rules` (the default: VADER's valence rules, `sentiment.py`, plus the hand-written
lexicons of `lexicons.py`, weighed in `rules.py`; no training) and `trained` (a linear model per
task, `trained.py` and `features.py`, with the rules filling in the tasks it does not cover).
`label_workspace(ws)` (`store.py`) labels the workspace's messages that lack labels or whose
labels came from another backend or version, and applies the labels a person fixed; `files.py`
classifies CSV files and trains from them. docs/text.md explains how each label is decided.
"""

from __future__ import annotations

from .api import BACKEND_NAME, BACKEND_VERSION, LABEL_SCHEMA, Backend, classify
from .store import label_workspace
from .trained import TextModel, load_model

__all__ = [
    "BACKEND_NAME",
    "BACKEND_VERSION",
    "LABEL_SCHEMA",
    "Backend",
    "TextModel",
    "classify",
    "label_workspace",
    "load_model",
]
