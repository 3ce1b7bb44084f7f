"""Inductive discovery: cluster passages nobody has coded, and describe each cluster by its
distinctive terms and the passages nearest its centre, as a candidate code for people to judge.

k-means (k-means++ start, seeded) in numpy on unit-length vectors, so the same passages give the
same clusters on every machine; terms are those whose TF-IDF weight is highest in the cluster
relative to the other passages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.assist.lexical import TfidfVectors
from thematica.errors import InvalidInputError

__all__ = ["Cluster", "cluster_passages", "kmeans"]


@dataclass(frozen=True)
class Cluster:
    """A candidate code: its passages (indices), distinctive terms and representative ones."""

    members: tuple[int, ...]
    terms: tuple[str, ...]
    representatives: tuple[int, ...]

    @property
    def label(self) -> str:
        return ", ".join(self.terms[:3])


def kmeans(
    vectors: NDArray[np.float32], k: int, *, seed: int = 0, iterations: int = 50
) -> NDArray[np.int64]:
    """The cluster (0 to k-1) of each row; clusters are numbered by size, largest first."""
    n = vectors.shape[0]
    if not 1 <= k <= n:
        raise InvalidInputError(f"cannot make {k} clusters of {n} passages")
    rng = np.random.default_rng(seed)
    data = vectors.astype(np.float64)
    centres = [data[rng.integers(n)]]
    distance = np.sum((data - centres[0]) ** 2, axis=1)
    for _ in range(1, k):  # k-means++: far points are likelier next centres
        total = distance.sum()
        pick = rng.choice(n, p=distance / total) if total > 0 else rng.integers(n)
        centres.append(data[pick])
        distance = np.minimum(distance, np.sum((data - data[pick]) ** 2, axis=1))
    centre = np.array(centres)
    assigned = np.zeros(n, dtype=np.int64)
    for step in range(iterations):
        # |x - c|² = |x|² - 2x·c + |c|², without an (n, k, d) array in memory
        distances = (centre**2).sum(axis=1)[None, :] - 2 * data @ centre.T
        new = distances.argmin(axis=1)
        if step and np.array_equal(new, assigned):
            break
        assigned = new
        for j in range(k):
            members = data[assigned == j]
            if len(members):
                centre[j] = members.mean(axis=0)
    sizes = np.bincount(assigned, minlength=k)
    order = np.lexsort((np.arange(k), -sizes))
    renumber = np.empty(k, dtype=np.int64)
    renumber[order] = np.arange(k)
    return renumber[assigned]


def cluster_passages(
    texts: Sequence[str],
    vectors: NDArray[np.float32],
    k: int,
    *,
    n_terms: int = 5,
    n_quotes: int = 3,
    seed: int = 0,
) -> list[Cluster]:
    """Clusters of ``texts`` (embedded as ``vectors``), each with its distinctive terms and the
    passages nearest its centre."""
    if len(texts) != vectors.shape[0]:
        raise InvalidInputError("one vector per passage is needed")
    assigned = kmeans(vectors, k, seed=seed)
    tfidf = TfidfVectors.fit(texts)
    weights = tfidf.transform(texts)
    out: list[Cluster] = []
    for j in range(k):
        inside = assigned == j
        members = np.flatnonzero(inside)
        outside = weights[~inside].mean(axis=0) if (~inside).any() else 0.0
        lift = weights[inside].mean(axis=0) - outside
        top = [int(i) for i in np.lexsort((np.arange(lift.size), -lift))[:n_terms] if lift[i] > 0]
        centre = vectors[members].mean(axis=0)
        closeness = vectors[members] @ centre
        nearest = members[np.lexsort((members, -closeness))[:n_quotes]]
        out.append(
            Cluster(
                tuple(int(i) for i in members),
                tuple(tfidf.terms[i] for i in top),
                tuple(int(i) for i in nearest),
            )
        )
    return out
