"""The embedding cache in the database, and evaluation on labelled tables (small slices of the
real patient-feedback table in ../shared)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import both_backends, needs_model, require_shared
from thematica.assist.embedders import Embedder, load_embedder
from thematica.errors import InvalidInputError
from thematica.services.assist import embed_cached, evaluate_tables
from thematica.storage import Database, UnitOfWork


class CountingEmbedder:
    """A tiny deterministic embedder that counts the texts it is asked to encode."""

    model_id = "test:counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], progress: object = None) -> np.ndarray:
        self.seen.extend(texts)
        out = np.array([[len(t), sum(map(ord, t)) % 97, 1.0] for t in texts], dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


@both_backends
def test_cache_embeds_each_text_once_per_model(db: Database) -> None:
    embedder = CountingEmbedder()
    texts = ["The pay is poor.", "Supervision helps.", "The pay is poor."]
    first = embed_cached(db, embedder, texts)
    assert embedder.seen == ["The pay is poor.", "Supervision helps."]
    again = embed_cached(db, embedder, [*texts, "New one."])
    assert embedder.seen[2:] == ["New one."]
    np.testing.assert_array_equal(again[:3], first)
    np.testing.assert_array_equal(first[0], first[2])
    with UnitOfWork(db) as uow:
        assert uow.embeddings.count("test:counting") == 3
        assert uow.embeddings.count("another model") == 0


def test_lexical_vectors_are_not_cached(db: Database) -> None:
    embedder = load_embedder("lexical", corpus=["one text", "two texts"])
    embed_cached(db, embedder, ["one text"])
    with UnitOfWork(db) as uow:
        assert uow.embeddings.count() == 0


@needs_model
@pytest.mark.slow
@both_backends
def test_cached_model_vectors_equal_fresh_ones(db: Database, minilm: Embedder) -> None:
    texts = ["My supervisor gets it.", "The contract is renewed every six months."]
    stored = embed_cached(db, minilm, texts)
    read_back = embed_cached(db, minilm, texts)
    np.testing.assert_array_equal(stored, read_back)
    np.testing.assert_allclose(read_back, minilm.encode(texts), atol=1e-6)


def _slice(path: Path, rows: list[dict[str, str]], header: list[str]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def feedback_slices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """40 comments of each of three categories to train on, 15 of each to judge on."""
    source = require_shared() / "labelled" / "patient_feedback_phase1.csv"
    with source.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    wanted = ["Staff", "Environment/ facilities", "Access"]
    train, test = [], []
    for label in wanted:
        mine = [r for r in rows if r["label"] == label]
        train += mine[:40]
        test += mine[40:55]
    folder = tmp_path_factory.mktemp("feedback")
    return _slice(folder / "train.csv", train, header), _slice(folder / "test.csv", test, header)


def test_lexical_evaluation_on_real_feedback(feedback_slices: tuple[Path, Path]) -> None:
    train, test = feedback_slices
    result = evaluate_tables(train, test, "feedback", label_column="label", model="lexical")
    data = result.as_dict()
    assert [s["label"] for s in data["labels"]] == ["Access", "Environment/ facilities", "Staff"]
    assert all(s["support"] == 15 for s in data["labels"])
    assert data["test_units"] == 45 and data["train_units"] == 120
    # Well above chance (one in three) for both, so the learning is real.
    assert data["macro_f1"] > 0.5
    assert data["baseline"]["macro_f1"] > 0.5
    assert data["baseline"]["model"] == "tfidf-logistic-regression"


@needs_model
@pytest.mark.slow
def test_model_evaluation_on_real_feedback(feedback_slices: tuple[Path, Path]) -> None:
    train, test = feedback_slices
    data = evaluate_tables(train, test, "feedback", label_column="label", model="minilm").as_dict()
    assert data["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert data["macro_f1"] > 0.6
    for s in data["labels"]:
        assert 0 <= s["precision"] <= 1 and 0 <= s["recall"] <= 1 and s["kappa"] is not None


def test_labels_as_zero_one_columns(tmp_path: Path) -> None:
    header = ["text", "pay, contracts", "supervision"]
    rows = [
        {"text": f"The pay is poor {i}.", "pay, contracts": "1", "supervision": "0"}
        for i in range(6)
    ] + [
        {"text": f"My supervisor listens {i}.", "pay, contracts": "0", "supervision": "1"}
        for i in range(6)
    ]
    table = _slice(tmp_path / "t.csv", rows, header)
    result = evaluate_tables(
        table, table, "text", labels=["pay, contracts", "supervision"], model="lexical"
    )
    assert [s.label for s in result.scores.labels] == ["pay, contracts", "supervision"]
    assert result.scores.macro_f1 == 1.0


def test_a_bad_table_is_named_by_file_and_line(tmp_path: Path) -> None:
    table = tmp_path / "bad.csv"
    table.write_text("text,pay\nThe pay is poor.,1\nFine.,maybe\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"bad\.csv, line 3: column 'pay' holds 'maybe'"):
        evaluate_tables(table, table, "text", labels=["pay"], model="lexical")
    with pytest.raises(InvalidInputError, match=r"missing column\(s\): words"):
        evaluate_tables(table, table, "words", labels=["pay"], model="lexical")
