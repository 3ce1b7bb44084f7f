"""Reproducible splits of labelled units: a held-out test set and cross-validation folds, both
stratified by label so every code is in every part in its share, and fixed by a seed so a
figure can be reproduced on another machine.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Hashable, Sequence

__all__ = ["folds", "train_test_split"]


def _rank(seed: str, index: int) -> str:
    return hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()


def _strata(keys: Sequence[Hashable], seed: str) -> list[list[int]]:
    groups: defaultdict[Hashable, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        groups[key].append(i)
    return [
        sorted(members, key=lambda i: _rank(seed, i))
        for _, members in sorted(groups.items(), key=lambda item: str(item[0]))
    ]


def folds(keys: Sequence[Hashable], k: int, *, seed: str = "thematica") -> list[int]:
    """The fold (0 to k-1) of each unit; units sharing a key are dealt round the folds in a
    seeded order, so each fold holds about 1/k of every key.

    >>> folds(["a", "a", "b", "b", "a", "b"], 2, seed="s")
    [1, 0, 1, 1, 0, 0]
    """
    if k < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    out = [0] * len(keys)
    offset = 0
    for members in _strata(keys, seed):
        for position, i in enumerate(members):
            out[i] = (position + offset) % k
        offset += len(members)
    return out


def train_test_split(
    keys: Sequence[Hashable], test_fraction: float = 0.2, *, seed: str = "thematica"
) -> tuple[list[int], list[int]]:
    """Indices of the training and test units, ``test_fraction`` of each key held out."""
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must lie between 0 and 1")
    train: list[int] = []
    test: list[int] = []
    for members in _strata(keys, seed):
        cut = round(len(members) * test_fraction)
        test.extend(members[:cut])
        train.extend(members[cut:])
    return sorted(train), sorted(test)
