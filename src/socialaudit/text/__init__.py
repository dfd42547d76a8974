"""Understanding text: sentiment, intent (question / complaint / praise) and content type.

One interface, `classify(texts) -> Arrow table of labels`, one row per text in input order,
with the columns of the `labels` table (less platform and message_id). `label_workspace(ws)`
labels the workspace's messages that lack labels (or whose labels came from another model).

This first version decides with simple, documented cues (see `cues.py`); the text-understanding
issue extends it behind the same interface.
"""

from __future__ import annotations

from .api import BACKEND_NAME, BACKEND_VERSION, classify, label_workspace

__all__ = ["BACKEND_NAME", "BACKEND_VERSION", "classify", "label_workspace"]
