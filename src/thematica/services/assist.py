"""Assisted coding: embeddings through the database cache, and evaluation on labelled tables.

The model runs on this machine only (see ``thematica.assist.embedders``). Vectors are cached by
(model id, text hash), so embedding a study a second time reads the database instead of running
the model; the lexical fallback is fitted per corpus and is never cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from thematica.assist.embedders import Embedder, LexicalEmbedder, load_embedder, text_hash
from thematica.assist.evaluation import Evaluation, evaluate_split
from thematica.interchange.labelled_tables import read_labelled_csv
from thematica.services.scope import NO_PROGRESS, Progress
from thematica.storage import Database, UnitOfWork

__all__ = ["embed_cached", "evaluate_tables"]


def embed_cached(
    db: Database | None,
    embedder: Embedder,
    texts: Sequence[str],
    *,
    progress: Progress = NO_PROGRESS,
) -> NDArray[np.float32]:
    """Vectors for ``texts`` (rows in order), from the cache where it has them.

    Only the texts the cache lacks go to the model, each distinct text once; the new vectors
    are stored in one transaction once all are computed.
    """
    if db is None or isinstance(embedder, LexicalEmbedder):
        return _encode(embedder, list(texts), progress)
    hashes = [text_hash(t) for t in texts]
    with UnitOfWork(db) as uow:
        cached = uow.embeddings.found(embedder.model_id, hashes)
    missing: dict[str, str] = {}
    for h, text in zip(hashes, texts, strict=True):
        if h not in cached and h not in missing:
            missing[h] = text
    fresh = _encode(embedder, list(missing.values()), progress)
    if len(missing):
        with UnitOfWork(db) as uow:
            uow.embeddings.add_many(
                embedder.model_id,
                [
                    (h, fresh.shape[1], fresh[i].astype("<f4").tobytes())
                    for i, h in enumerate(missing)
                ],
            )
            uow.commit()
    vectors = {h: fresh[i] for i, h in enumerate(missing)}
    for h, (dimensions, data) in cached.items():
        vectors[h] = np.frombuffer(data, dtype="<f4", count=dimensions)
    if not hashes:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([vectors[h] for h in hashes]).astype(np.float32)


def _encode(embedder: Embedder, texts: list[str], progress: Progress) -> NDArray[np.float32]:
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    return embedder.encode(texts, progress=lambda done, total: progress(done, total, "embedding"))


def evaluate_tables(
    train: Path,
    test: Path,
    text_column: str,
    *,
    labels: Sequence[str] = (),
    label_column: str | None = None,
    model: str | None = None,
    db: Database | None = None,
    progress: Progress = NO_PROGRESS,
) -> Evaluation:
    """Train suggestions on ``train`` and judge them on ``test`` (both labelled CSV tables),
    with the TF-IDF + logistic-regression baseline in the same run."""
    train_table = read_labelled_csv(train, text_column, labels=labels, label_column=label_column)
    test_table = read_labelled_csv(test, text_column, labels=labels, label_column=label_column)
    embedder = load_embedder(model, corpus=train_table.texts)

    def embed(texts: Sequence[str]) -> NDArray[np.float32]:
        return embed_cached(db, embedder, texts, progress=progress)

    return evaluate_split(
        train_table.texts,
        train_table.labels,
        test_table.texts,
        test_table.labels,
        embed=embed,
        model_id=embedder.model_id,
    )
