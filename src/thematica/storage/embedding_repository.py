"""The embedding cache: vectors by (model id, text hash), as bytes (the caller decodes them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from thematica.storage.repositories import bulk_insert
from thematica.storage.schema import EmbeddingRow

__all__ = ["EmbeddingRepository"]

_CHUNK = 500  # hashes per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


class EmbeddingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def found(self, model_id: str, hashes: Iterable[str]) -> dict[str, tuple[int, bytes]]:
        """The cached ``(dimensions, vector bytes)`` of those of ``hashes`` this model has."""
        wanted = list(dict.fromkeys(hashes))
        out: dict[str, tuple[int, bytes]] = {}
        for at in range(0, len(wanted), _CHUNK):
            chunk = wanted[at : at + _CHUNK]
            query = select(EmbeddingRow.text_hash, EmbeddingRow.dimensions, EmbeddingRow.vector)
            query = query.where(
                EmbeddingRow.model_id == model_id, EmbeddingRow.text_hash.in_(chunk)
            )
            for text_hash, dimensions, vector in self.session.execute(query):
                out[text_hash] = (dimensions, vector)
        return out

    def add_many(self, model_id: str, vectors: Sequence[tuple[str, int, bytes]]) -> None:
        """Cache ``(text hash, dimensions, vector bytes)`` rows not cached yet."""
        now = datetime.now(UTC)
        unique = {h: (d, v) for h, d, v in vectors}
        rows = [
            {
                "model_id": model_id,
                "text_hash": h,
                "dimensions": d,
                "vector": v,
                "created_at": now,
            }
            for h, (d, v) in unique.items()
        ]
        bulk_insert(self.session, EmbeddingRow.__table__, rows)  # type: ignore[arg-type]

    def count(self, model_id: str | None = None) -> int:
        from sqlalchemy import func

        query = select(func.count()).select_from(EmbeddingRow)
        if model_id is not None:
            query = query.where(EmbeddingRow.model_id == model_id)
        return int(self.session.execute(query).scalar_one())
