"""Per-label figures of suggestions against a person's labels: precision, recall, F1, Cohen's
kappa and support, and their macro average.

Each label is judged as its own yes/no decision per unit, the way agreement on a code is judged
between two coders; kappa is :func:`thematica.analysis.agreement.cohen_kappa` on those decisions.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import NDArray

from thematica.analysis.agreement import cohen_kappa
from thematica.errors import InvalidInputError, UndefinedStatisticWarning

__all__ = ["LabelScore", "Scores", "score_labels"]


@dataclass(frozen=True)
class LabelScore:
    """One label's figures; a figure with no defined value (no positives) is NaN."""

    label: str
    precision: float
    recall: float
    f1: float
    kappa: float
    support: int

    def as_dict(self) -> dict[str, object]:
        return {
            k: (None if isinstance(v, float) and math.isnan(v) else v)
            for k, v in asdict(self).items()
        }


@dataclass(frozen=True)
class Scores:
    """Every label's figures and the macro-F1 (the mean F1 over the labels)."""

    labels: tuple[LabelScore, ...]

    @property
    def macro_f1(self) -> float:
        return float(np.mean([s.f1 for s in self.labels])) if self.labels else math.nan

    @property
    def mean_kappa(self) -> float:
        values = [s.kappa for s in self.labels if not math.isnan(s.kappa)]
        return float(np.mean(values)) if values else math.nan

    def as_dict(self) -> dict[str, object]:
        return {
            "macro_f1": self.macro_f1,
            "labels": [s.as_dict() for s in self.labels],
        }


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score_labels(
    truth: NDArray[np.bool_], predicted: NDArray[np.bool_], labels: Sequence[str]
) -> Scores:
    """Figures per label for ``(n_units, n_labels)`` yes/no arrays.

    Precision or recall with nothing to divide by counts as 0 (as scikit-learn's
    ``zero_division=0``), so a label never suggested scores F1 0 rather than vanishing from the
    macro average; kappa is NaN when both sides use one value only.

    >>> t = np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=bool)
    >>> p = np.array([[1, 0], [0, 1], [0, 1], [0, 1]], dtype=bool)
    >>> [round(s.f1, 3) for s in score_labels(t, p, ["a", "b"]).labels]
    [0.667, 0.8]
    """
    if truth.shape != predicted.shape or truth.ndim != 2 or truth.shape[1] != len(labels):
        raise InvalidInputError(
            f"labels and predictions differ in shape: {truth.shape} and {predicted.shape}"
        )
    out: list[LabelScore] = []
    for j, label in enumerate(labels):
        t, p = truth[:, j], predicted[:, j]
        tp = int(np.sum(t & p))
        precision = _ratio(tp, int(p.sum()))
        recall = _ratio(tp, int(t.sum()))
        f1 = _ratio(2 * tp, int(p.sum()) + int(t.sum()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UndefinedStatisticWarning)
            kappa = cohen_kappa(np.stack([t, p]).astype(np.int64)) if t.size else math.nan
        out.append(LabelScore(label, precision, recall, f1, kappa, int(t.sum())))
    return Scores(tuple(out))
