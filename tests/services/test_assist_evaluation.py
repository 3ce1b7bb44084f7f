"""Cross-validated suggestions against one coder of the fictional demo study."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.assist_evaluation import coder_evaluation_dict, evaluate_coder
from thematica.services.demo import build_demo
from thematica.services.scope import open_db
from thematica.storage import Database


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_db(str(tmp_path_factory.mktemp("evaluate") / "demo.db"), create=True)
    build_demo(db)
    yield db
    db.dispose()


def test_cross_validation_against_a_coder(demo: Database) -> None:
    model_id, result = evaluate_coder(demo, "Robin", folds=3, model="lexical")
    data = coder_evaluation_dict(model_id, result)
    assert data["folds"] == 3 and data["units"] > 50
    labels = data["labels"]
    assert labels and all(
        set(s) == {"label", "precision", "recall", "f1", "kappa", "support"} for s in labels
    )
    assert sum(s["support"] for s in labels) > 0
    assert [p["examples_per_code"] for p in data["learning_curve"]] == [5, 10, 20, 50]
    for point in data["learning_curve"]:
        assert 0.0 <= point["macro_f1"] <= 1.0 and 0.0 <= point["baseline_macro_f1"] <= 1.0
    # Every unit was judged once, out of fold: the support is the coder's own count per code.
    baseline = data["baseline"]["labels"]
    assert [b["support"] for b in baseline] == [s["support"] for s in labels]
    again = coder_evaluation_dict(*evaluate_coder(demo, "Robin", folds=3, model="lexical"))
    assert json.dumps(again) == json.dumps(data)  # seeded folds: the same figures every run


def test_unknown_or_idle_coders_are_named(demo: Database) -> None:
    with pytest.raises(NotFoundError, match="no coder named 'Nobody'"):
        evaluate_coder(demo, "Nobody", model="lexical")


def test_too_few_units_for_the_folds_is_refused(study: str, db: Database) -> None:
    from thematica.services.coding import apply_coding

    apply_coding(db, "T1", 0, 10, "Systemic > Pay", coder="Robin", study=study)
    with pytest.raises(InvalidInputError, match="too few for 50 folds"):
        evaluate_coder(db, "Robin", study=study, folds=50, model="lexical")


def test_accepted_suggestions_are_not_the_coders_own_judgement(study: str, db: Database) -> None:
    from thematica.services.assist_suggestions import decide_suggestion, suggest_codings
    from thematica.services.coding import apply_coding

    apply_coding(db, "T1", 0, 10, "Systemic > Pay", coder="Robin", study=study)
    [made] = suggest_codings(db, study=study, codes=("Support",), model="lexical", limit=1)
    decide_suggestion(db, str(made.id), accept=True, study=study, actor="Robin")
    _, result = evaluate_coder(db, "Robin", study=study, folds=2, model="lexical")
    assert [s.label for s in result.scores.labels] == ["Systemic > Pay"]
