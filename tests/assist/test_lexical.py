"""The numpy TF-IDF gives scikit-learn's default TfidfVectorizer vectors."""

from __future__ import annotations

import numpy as np
import pytest

from thematica.assist.lexical import TfidfVectors, tokens

CORPUS = [
    "The pay is poor and the contract keeps being renewed for six months.",
    "My supervisor, um, she gets it.",
    "Supervision helps; the pay does not.",
    "Café staff were kind — très kind.",
]


def test_same_vectors_as_scikit_learn() -> None:
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    reference = sklearn_text.TfidfVectorizer().fit(CORPUS)
    ours = TfidfVectors.fit(CORPUS)
    assert ours.terms == list(reference.get_feature_names_out())
    queries = [*CORPUS, "poor pay, kind staff", "nothing known here"]
    np.testing.assert_allclose(
        ours.transform(queries), reference.transform(queries).toarray(), atol=1e-6
    )


def test_max_features_keeps_the_most_frequent_terms() -> None:
    # "the" occurs 3 times, "kind" and "pay" twice each (ties go alphabetically), others once.
    assert TfidfVectors.fit(CORPUS, max_features=1).terms == ["the"]
    kept = TfidfVectors.fit(CORPUS, max_features=3)
    assert kept.terms == ["kind", "pay", "the"]
    assert kept.transform(["the pay"]).shape == (1, 3)


def test_tokens_are_lower_cased_words_of_two_or_more_characters() -> None:
    assert tokens("I'm OK, à la café") == ["ok", "la", "café"]
