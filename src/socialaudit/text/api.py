"""classify(): the one interface to text understanding (texts in, labels out).

`classify` labels texts in batches of Arrow arrays. Small inputs are labelled in this process;
large ones are split over a pool of worker processes, one per core, because the start-up cost of
a pool (forked workers, a tenth of a second) only pays off beyond some tens of thousands of texts.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .. import model
from ..progress import Progress
from . import rules
from .trained import TextModel

# What classify returns: the labels table less its key and the labelling stage's text_hash.
_LABEL_COLUMNS = [
    f for f in model.LABELS.schema if f.name not in ("platform", "message_id", "text_hash")
]
LABEL_SCHEMA = pa.schema(_LABEL_COLUMNS)

# Texts per batch. Every regex kernel call compiles its pattern and builds RE2's automaton anew
# (about 30 ms a batch for the ~25 passes), so bigger batches are faster: 5k texts 74k/s, 20k
# 112k/s, 100k about 140k/s on one core; 100k texts take about 110 MB while labelled.
BATCH = 100_000
# Below this many texts a pool of forked workers costs more than it saves (measured on 2 cores:
# 20k tweets 111k/s alone, 103k/s in two processes; 40k 141k/s and 155k/s; 60k 148k/s, 179k/s).
POOL_MIN = 40_000


@dataclass(frozen=True)
class Backend:
    """What labels a batch: the rules, optionally overridden per task by trained models."""

    models: Mapping[str, TextModel] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return "trained" if self.models else rules.NAME

    @property
    def version(self) -> str:
        # The rules fill in every label a model does not give, so their version is part of it.
        parts = [f"{task}-{m.fingerprint[:10]}" for task, m in sorted(self.models.items())]
        return "+".join([*parts, f"rules-{rules.version()}"]) if parts else rules.version()


def backend_for(
    model_: TextModel | Mapping[str, TextModel] | Sequence[TextModel] | Backend | None,
) -> Backend:
    if model_ is None:
        return Backend()
    if isinstance(model_, Backend):
        return model_
    if isinstance(model_, TextModel):
        return Backend({model_.task: model_})
    if isinstance(model_, Mapping):
        return Backend(dict(model_))
    return Backend({m.task: m for m in model_})


# Back-compatible names: the backend that labels when no model is given.
BACKEND_NAME = rules.NAME
BACKEND_VERSION = rules.version()


def _as_array(texts: Sequence[str | None] | pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if not isinstance(texts, pa.Array):
        texts = pa.array(list(texts), pa.string())
    if pa.types.is_large_string(texts.type) or pa.types.is_string_view(texts.type):
        texts = texts.cast(pa.string())
    return texts


def _as_bools(
    from_brand: Sequence[bool | None] | pa.Array | pa.ChunkedArray | None, n: int
) -> np.ndarray:
    if from_brand is None:
        return np.zeros(n, dtype=bool)
    if isinstance(from_brand, pa.Array | pa.ChunkedArray):
        return pc.fill_null(from_brand, False).to_numpy(zero_copy_only=False).astype(bool)
    out = np.array([bool(x) for x in from_brand], dtype=bool)
    if len(out) != n:
        raise ValueError(f"from_brand has {len(out)} values for {n} texts")
    return out


def _as_strings(values: Sequence[str | None] | pa.Array | pa.ChunkedArray, n: int) -> np.ndarray:
    if isinstance(values, pa.Array | pa.ChunkedArray):
        out = np.asarray(values.to_pylist(), dtype=object)
    else:
        out = np.asarray(list(values), dtype=object)
    if len(out) != n:
        raise ValueError(f"thread_type has {len(out)} values for {n} texts")
    return out


Flags: TypeAlias = Sequence[bool | None] | pa.Array | pa.ChunkedArray | None


def classify(
    texts: Sequence[str | None] | pa.Array | pa.ChunkedArray,
    from_brand: Flags = None,
    *,
    is_reply: Flags = None,
    care_account: Flags = None,
    thread_type: Sequence[str | None] | pa.Array | pa.ChunkedArray | None = None,
    media: Flags = None,
    model: TextModel | Mapping[str, TextModel] | Sequence[TextModel] | Backend | None = None,
    workers: int | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> pa.Table:
    """Label each text; one row per text, in order, with the `labels` columns (less the key).

    `from_brand` marks the brand's own messages: they get a content type and no intent flags.
    The context of a brand message, where known: `is_reply` (it answers someone; by default a
    text opening with a @handle does) and `care_account` (its account answers customers, so a
    reply is care; by default every account does; a developer chatting with peers does not).
    For an inbound message, `is_reply` says it was written in a thread with the brand (a reply,
    a comment, a direct message): a complaint there, or one addressed to the brand, is a
    question as well (the care account is expected to go on helping).
    `thread_type`: for a brand post that continues its author's own thread (a reply to his own
    post that addresses no one), the content type of the post it continues; such a post with no
    cue of its own takes that type (None: not a continuation). `media`: the brand post is a
    photo or a video with its caption (an Instagram post): with no cue, even a short caption
    is the author's own matter, not an unreadable bare post.
    `model` is a trained model (or one per task); without one the `rules` backend labels.
    `workers`: processes to label with; by default one per available core when there are
    POOL_MIN texts or more, else this process alone. `progress(done, total)` follows batches.
    """
    arr = _as_array(texts)
    n = len(arr)
    brand = _as_bools(from_brand, n)
    context = Context(
        None if is_reply is None else _as_bools(is_reply, n),
        None if care_account is None else _as_bools(care_account, n),
        None if thread_type is None else _as_strings(thread_type, n),
        None if media is None else _as_bools(media, n),
    )
    backend = backend_for(model)
    if workers is None:
        workers = available_cores() if n >= POOL_MIN else 1
    if batch_size is None:
        # A pool gets the same number of batches per worker, at least two, so that a worker
        # slowed by other work on a shared machine leaves the other less than half its share.
        rounds = max(2, -(-n // (workers * BATCH)))
        batch_size = BATCH if workers <= 1 else max(1_000, -(-n // (workers * rounds)))
    jobs = [(s, batch_size) for s in range(0, n, batch_size)] or [(0, 0)]
    parts: list[pa.Table] = []
    done = 0
    with _mapper(backend, arr, brand, context, min(workers, len(jobs))) as mapper:
        for part in mapper(jobs):
            parts.append(part)
            done += part.num_rows
            if progress:
                progress(done, n)
    out = pa.concat_tables(parts) if parts else LABEL_SCHEMA.empty_table()
    return _with_backend(out, backend)


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _with_backend(t: pa.Table, backend: Backend) -> pa.Table:
    n = t.num_rows
    cols = {
        "backend": pa.repeat(pa.scalar(backend.name, pa.string()), n),
        "backend_version": pa.repeat(pa.scalar(backend.version, pa.string()), n),
    }
    return pa.table(
        {f.name: cols[f.name] if f.name in cols else t[f.name] for f in LABEL_SCHEMA},
        schema=LABEL_SCHEMA,
    )


# -- one batch -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the labels of brand messages depend on besides their text (None: the default)."""

    is_reply: np.ndarray | None = None
    care_account: np.ndarray | None = None
    thread_type: np.ndarray | None = None  # object array of content types or None
    media: np.ndarray | None = None

    def slice(self, start: int, size: int) -> Context:
        return Context(
            *(
                None if a is None else a[start : start + size]
                for a in (self.is_reply, self.care_account, self.thread_type, self.media)
            )
        )


def label_batch(
    texts: pa.Array, from_brand: np.ndarray, backend: Backend, context: Context | None = None
) -> pa.Table:
    """The rules' labels, with each trained model's task overriding them."""
    context = context or Context()
    t = rules.label(
        texts,
        from_brand,
        context.is_reply,
        context.care_account,
        context.thread_type,
        context.media,
    )
    if not backend.models:
        return t
    return _apply_models(t, texts, from_brand, backend.models)


def _apply_models(
    t: pa.Table, texts: pa.Array, brand: np.ndarray, models: Mapping[str, TextModel]
) -> pa.Table:
    inbound = ~brand
    col = {name: t[name].to_numpy(zero_copy_only=False) for name in t.column_names}
    cues = [json.loads(c) for c in col["cues"]]
    plain = texts.to_pylist()
    confidence = col["confidence"].astype(np.float64).copy()

    def explained(task: str, mask: np.ndarray) -> np.ndarray:
        out = np.full(len(plain), None, dtype=object)
        idx = np.flatnonzero(mask)
        if len(idx):
            labels, proba, why = models[task].explain([plain[i] for i in idx])
            out[idx] = labels
            if task != "sentiment":  # the model's probability is the label's confidence now
                confidence[idx] = np.round(proba, 3)
            for j, i in enumerate(idx):
                key = task if task != "content" else "content_type"
                cues[i][f"{key}_model"] = [f"{labels[j]} p={proba[j]:.2f}", *why[j]]
        return out

    q, c, p = (
        col["is_question"].astype(bool),
        col["is_complaint"].astype(bool),
        col["is_praise"].astype(bool),
    )
    # What the rules read before a model overrides them: a request (a question, or a complaint's
    # words of a problem) and a complaint, which the model may deny, keep their care readings
    # of the sentiment (rules.sentiment_label).
    rules_request, rules_complaint = q | c, c.copy()
    if "intent" in models:
        intent = explained("intent", inbound)
        c = inbound & (intent == "complaint")
        q = inbound & ((intent == "question") | (q & c))
        p = inbound & ((intent == "praise") | (p & ~c & (intent == "question")))
    if "complaint" in models:
        c = inbound & (explained("complaint", inbound) == "complaint")
    p = p & ~c
    intent = np.where(c, "complaint", np.where(q, "question", np.where(p, "praise", "other")))
    if "sentiment" in models:
        polarity = explained("sentiment", np.ones(len(plain), bool))
    else:
        polarity = rules.sentiment_label(
            col["sentiment_score"],
            c,
            p,
            request=q | rules_request,
            near_complaint=rules_complaint,
        )
    content = col["content_type"]
    if "content" in models:
        predicted = explained("content", brand)
        content = np.where(brand, predicted, np.array(None, dtype=object))
    for i in range(len(plain)):  # the rules' cues for labels a model now denies are not reasons
        if not c[i]:
            cues[i].pop("complaint", None)
            cues[i].pop("bad_support", None)
        if not q[i]:
            cues[i].pop("question", None)
        if not p[i]:
            cues[i].pop("praise", None)
        if "content" in models:
            cues[i].pop("content_type", None)
    return pa.table(
        {
            "sentiment": pa.array(polarity.astype(object), pa.string()),
            "sentiment_score": t["sentiment_score"],
            "is_question": pa.array(q),
            "is_complaint": pa.array(c),
            "is_praise": pa.array(p),
            "intent": pa.array(intent.astype(object), pa.string()),
            "content_type": pa.array(content, pa.string()),
            "cues": pa.array(
                [json.dumps(x, sort_keys=True, ensure_ascii=False) for x in cues], pa.string()
            ),
            "lang": t["lang"],
            "confidence": pa.array(confidence, pa.float64()),
        }
    )


# -- process pool ----------------------------------------------------------------------------------

# What every worker labels from: the backend and the whole input, set once when the worker starts.
# A job is then only (start, size). Sending each batch as an Arrow slice would pickle the whole
# array every time (pyarrow pickles a slice's parent buffers), 9 x 17 MB for 165k tweets.
_worker_state: tuple[Backend, pa.Array, np.ndarray, Context] | None = None

Job = tuple[int, int]


def _init_worker(
    backend: Backend, texts: pa.Array, from_brand: np.ndarray, context: Context
) -> None:
    global _worker_state
    _worker_state = (backend, texts, from_brand, context)


def _work(job: Job) -> pa.Table:
    assert _worker_state is not None
    backend, texts, brand, context = _worker_state
    start, size = job
    return label_batch(
        texts.slice(start, size), brand[start : start + size], backend, context.slice(start, size)
    )


@contextmanager
def _mapper(
    backend: Backend, texts: pa.Array, from_brand: np.ndarray, context: Context, workers: int
) -> Iterator[Callable[[list[Job]], Iterator[pa.Table]]]:
    if workers <= 1:
        yield lambda jobs: (
            label_batch(texts.slice(s, k), from_brand[s : s + k], backend, context.slice(s, k))
            for s, k in jobs
        )
        return
    # On Linux the workers are forked: they start in a tenth of a second with every module, the
    # lexicons and the input already in memory (a forked process inherits its arguments, nothing
    # is pickled), where a fork server or spawned interpreters take seconds to import pyarrow,
    # numpy and scikit-learn again and receive the input pickled, once each. A worker only runs
    # Arrow kernels and numpy (never DuckDB, whose threads it inherits idle). Elsewhere fork is
    # unsafe: spawn.
    method = "fork" if sys.platform == "linux" else "spawn"
    ctx = multiprocessing.get_context(method)
    with ProcessPoolExecutor(
        workers,
        mp_context=ctx,
        initializer=_init_worker,
        initargs=(backend, texts, from_brand, context),
    ) as ex:
        yield lambda jobs: ex.map(_work, jobs)
