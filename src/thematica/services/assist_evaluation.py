"""How good suggestions are against one coder of the study, cross-validated, in the statistics
the team already uses for agreement between people (kappa per code)."""

from __future__ import annotations

from typing import Any

import numpy as np

from thematica.assist.cross_validation import CURVE, CrossValidation, cross_validate
from thematica.assist.embedders import load_embedder
from thematica.domain.codings import Origin
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.assist import embed_cached
from thematica.services.assist_study import study_passages
from thematica.services.scope import NO_PROGRESS, Progress, study_scope
from thematica.storage import Database

__all__ = ["coder_evaluation_dict", "evaluate_coder"]


def evaluate_coder(
    db: Database,
    coder: str,
    *,
    study: str | None = None,
    folds: int = 5,
    model: str | None = None,
    unit: str = "sentence",
    progress: Progress = NO_PROGRESS,
) -> tuple[str, CrossValidation]:
    """Cross-validate suggestions against ``coder`` on the units of the documents they coded:
    the model id and the figures (per code, and the learning curve at 5, 10, 20, 50 examples)."""
    with study_scope(db, study) as (uow, found):
        person = uow.coders.by_name(found.id, coder)
        if person is None:
            known = ", ".join(c.name for c in uow.coders.all(found.id)) or "none"
            raise NotFoundError(f"no coder named {coder!r} (coders here: {known})")
        # The coder's own judgement only: codings they accepted from suggestions would be
        # the model agreeing with itself.
        codings = [
            c
            for c in uow.codings.all(found.id, coder_id=person.id)
            if c.origin is not Origin.ASSISTED
        ]
        book = uow.codes.codebook(found.id)
        names = {d.id: d.name for d in uow.documents.all(found.id)}
    if not codings:
        raise InvalidInputError(f"{coder} has coded nothing to compare with")
    coded_documents = {names[c.document_id] for c in codings}
    passages = [p for p in study_passages(db, study, unit=unit) if p.document in coded_documents]
    labels = sorted({book.path_text(c.code_id) for c in codings})
    column = {label: j for j, label in enumerate(labels)}
    truth = np.zeros((len(passages), len(labels)), dtype=bool)
    by_document: dict[str, list[int]] = {}
    for i, p in enumerate(passages):
        by_document.setdefault(p.document, []).append(i)
    for coding in codings:
        j = column[book.path_text(coding.code_id)]
        for i in by_document[names[coding.document_id]]:
            p = passages[i]
            if p.start < coding.span.end and coding.span.start < p.end:
                truth[i, j] = True
    texts = [p.text for p in passages]
    embedder = load_embedder(model, corpus=texts)
    vectors = embed_cached(db, embedder, texts, progress=progress)
    return embedder.model_id, cross_validate(texts, vectors, truth, labels, k=folds, curve=CURVE)


def coder_evaluation_dict(model_id: str, result: CrossValidation) -> dict[str, Any]:
    """The figures as JSON: ``macro_f1``, ``labels`` and the baseline, as the table evaluation
    gives them, plus ``learning_curve``."""
    return {
        "model": model_id,
        **result.scores.as_dict(),
        "mean_kappa": result.scores.mean_kappa,
        "folds": result.folds,
        "units": result.units,
        "baseline": {"model": "tfidf-logistic-regression", **result.baseline.as_dict()},
        "learning_curve": [
            {
                "examples_per_code": p.examples,
                "macro_f1": p.model_macro_f1,
                "mean_kappa": p.model_mean_kappa,
                "baseline_macro_f1": p.baseline_macro_f1,
                "baseline_mean_kappa": p.baseline_mean_kappa,
            }
            for p in result.curve
        ],
    }
