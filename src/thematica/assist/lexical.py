"""TF-IDF over words: the lexical fallback and the distinctive terms of a cluster.

A small numpy implementation of scikit-learn's default ``TfidfVectorizer`` (lower-cased word
tokens of two or more characters, smooth idf, sublinear tf off, l2 rows), so the fallback works
without any optional dependency and gives the same vectors whether or not scikit-learn is there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["TfidfVectors", "tokens"]

# scikit-learn's default token pattern: two or more word characters.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def tokens(text: str) -> list[str]:
    """The lower-cased word tokens of ``text``.

    >>> tokens("The pay is poor, I'm told")
    ['the', 'pay', 'is', 'poor', 'told']
    """
    return _TOKEN.findall(text.lower())


@dataclass(frozen=True)
class TfidfVectors:
    """A fitted vocabulary with its inverse document frequencies."""

    terms: list[str]
    idf: NDArray[np.float64]

    @classmethod
    def fit(cls, corpus: Sequence[str], *, max_features: int = 4096) -> TfidfVectors:
        document_frequency: Counter[str] = Counter()
        term_frequency: Counter[str] = Counter()
        for text in corpus:
            words = tokens(text)
            term_frequency.update(words)
            document_frequency.update(set(words))
        # The most frequent terms, ties broken alphabetically, as scikit-learn's max_features.
        kept = sorted(term_frequency, key=lambda t: (-term_frequency[t], t))[:max_features]
        terms = sorted(kept)
        n = len(corpus)
        idf = np.array(
            [math.log((1 + n) / (1 + document_frequency[t])) + 1.0 for t in terms],
            dtype=np.float64,
        )
        return cls(terms, idf)

    def transform(self, texts: Sequence[str]) -> NDArray[np.float32]:
        index = {t: i for i, t in enumerate(self.terms)}
        out = np.zeros((len(texts), len(self.terms)), dtype=np.float32)
        for row, text in enumerate(texts):
            for term, count in Counter(tokens(text)).items():
                column = index.get(term)
                if column is not None:
                    out[row, column] = count * self.idf[column]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        normalised: NDArray[np.float32] = out / norms
        return normalised
