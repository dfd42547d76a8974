"""Understanding text: sentiment, intent (question / complaint / praise) and content type.

Pure understanding, texts in and labels out: `classify(texts, from_brand) -> Arrow table of
labels`, one row per text in input order, with the columns of the `labels` table (less platform
and message_id), including `cues`: the words and patterns that decided each label, so that a
person can see why. Nothing here reads the workspace, the config or files other than a model
file it is given.

Backends: `rules` (the default: VADER's valence rules, `sentiment.py`, plus the hand-written
lexicons of `lexicons.py`, weighed in `rules.py`; no training) and `trained` (a linear model per
task, `trained.py` and `features.py`, with the rules filling in the tasks it does not cover).
Labelling a workspace is its own stage (`socialaudit.labelling`, run by import and audit);
classifying CSV files is the command line's (`socialaudit.textfiles`). docs/text.md explains how
each label is decided.
"""

from __future__ import annotations

from .api import BACKEND_NAME, BACKEND_VERSION, LABEL_SCHEMA, Backend, classify
from .trained import TextModel, load_model

__all__ = [
    "BACKEND_NAME",
    "BACKEND_VERSION",
    "LABEL_SCHEMA",
    "Backend",
    "TextModel",
    "classify",
    "load_model",
]
