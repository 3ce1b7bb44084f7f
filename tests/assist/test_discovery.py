"""k-means and cluster descriptions on vectors whose clusters are known."""

from __future__ import annotations

import numpy as np
import pytest

from thematica.assist.discovery import cluster_passages, kmeans
from thematica.errors import InvalidInputError


def _three_groups() -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(3)
    centres = np.eye(3, dtype=np.float32)
    sizes = (6, 4, 2)
    vectors = np.vstack(
        [centres[g] + 0.05 * rng.standard_normal((n, 3)) for g, n in enumerate(sizes)]
    ).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = ["pay wage salary", "supervisor supervision listens", "parking car park"]
    texts = [f"{words[g]} {i}" for g, n in enumerate(sizes) for i in range(n)]
    return texts, vectors


def test_kmeans_recovers_the_groups_largest_first() -> None:
    _, vectors = _three_groups()
    assigned = kmeans(vectors, 3, seed=1)
    assert assigned.tolist() == [0] * 6 + [1] * 4 + [2] * 2
    assert kmeans(vectors, 3, seed=1).tolist() == assigned.tolist()


def test_clusters_are_named_by_their_distinctive_terms() -> None:
    texts, vectors = _three_groups()
    clusters = cluster_passages(texts, vectors, 3, n_terms=3, n_quotes=2)
    assert [len(c.members) for c in clusters] == [6, 4, 2]
    assert set(clusters[0].terms) == {"pay", "wage", "salary"}
    assert set(clusters[2].terms) == {"parking", "car", "park"}
    for cluster in clusters:
        assert len(cluster.representatives) == 2
        assert set(cluster.representatives) <= set(cluster.members)


def test_impossible_cluster_counts_are_refused() -> None:
    texts, vectors = _three_groups()
    with pytest.raises(InvalidInputError, match="cannot make 13 clusters of 12 passages"):
        kmeans(vectors, 13)
    with pytest.raises(InvalidInputError, match="one vector per passage"):
        cluster_passages(texts[:3], vectors, 2)
