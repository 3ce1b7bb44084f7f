"""Splits are reproducible and stratified."""

from __future__ import annotations

from collections import Counter

import pytest

from thematica.assist.splits import folds, train_test_split

KEYS = ["a"] * 50 + ["b"] * 30 + ["c"] * 20


def test_train_test_split_holds_out_each_key_in_its_share() -> None:
    train, test = train_test_split(KEYS, 0.2, seed="x")
    assert sorted(train + test) == list(range(len(KEYS)))
    assert Counter(KEYS[i] for i in test) == {"a": 10, "b": 6, "c": 4}
    assert train_test_split(KEYS, 0.2, seed="x") == (train, test)
    assert train_test_split(KEYS, 0.2, seed="y") != (train, test)


def test_folds_share_each_key_out_evenly() -> None:
    assigned = folds(KEYS, 5, seed="x")
    for fold in range(5):
        counts = Counter(k for k, f in zip(KEYS, assigned, strict=True) if f == fold)
        assert counts == {"a": 10, "b": 6, "c": 4}


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        folds(KEYS, 1)
    with pytest.raises(ValueError):
        train_test_split(KEYS, 1.0)
