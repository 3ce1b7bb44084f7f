"""Scoring one code: zero-shot by similarity, then a calibrated classifier asking about the
least certain passages first, with the nearest coded passages as evidence."""

from __future__ import annotations

import numpy as np

from thematica.assist.search import nearest
from thematica.assist.suggestions import score_code
from thematica.domain.suggestions import Method


def _unit(rows: list[list[float]]) -> np.ndarray:
    out = np.array(rows, dtype=np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_zero_shot_ranks_by_similarity_to_the_description() -> None:
    vectors = _unit([[1, 0], [0.9, 0.1], [0, 1], [0.5, 0.5]])
    description = _unit([[1, 0]])[0]
    scored = score_code(vectors, description, [], [], [1, 2, 3], limit=2)
    assert [s.passage for s in scored] == [1, 3]
    assert all(s.method is Method.ZERO_SHOT and s.evidence == () for s in scored)


def test_classifier_once_there_are_enough_examples() -> None:
    rng = np.random.default_rng(0)
    positive = rng.normal([2, 0], 0.3, (8, 2))
    negative = rng.normal([-2, 0], 0.3, (8, 2))
    middle = np.array([[0.05, 1.0], [1.5, 0.2], [-1.5, 0.2]])
    vectors = _unit(np.vstack([positive, negative, middle]).tolist())
    description = _unit([[1, 0]])[0]
    scored = score_code(
        vectors, description, list(range(8)), list(range(8, 16)), [16, 17, 18], limit=3
    )
    assert all(s.method is Method.CLASSIFIER for s in scored)
    assert scored[0].passage == 16  # the one in between: the most informative to ask about
    by_passage = {s.passage: s.score for s in scored}
    assert by_passage[17] > 0.5 > by_passage[18]
    # Evidence: the two coded passages nearest each candidate.
    expected = [i for i, _ in nearest(vectors[17], vectors[:8], 2)]
    assert [i for i, _ in next(s for s in scored if s.passage == 17).evidence] == expected


def test_nothing_to_score() -> None:
    vectors = _unit([[1, 0]])
    assert score_code(vectors, vectors[0], [], [], []) == []


def test_nearest_breaks_ties_by_position() -> None:
    vectors = _unit([[1, 0], [1, 0], [0, 1]])
    assert [i for i, _ in nearest(vectors[0], vectors, 2)] == [0, 1]
    assert nearest(vectors[0], vectors[:0], 3) == []
