from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.domain.ids import CoderId, DocumentId, RoundId, StudyId
from thematica.domain.rounds import CodingRound, RoundStatus, sample_documents
from thematica.errors import InvalidInputError

A, B, C = (CoderId(uuid.uuid4()) for _ in range(3))
D1, D2 = DocumentId(uuid.uuid4()), DocumentId(uuid.uuid4())


def _round(**kw: object) -> CodingRound:
    base: dict[str, object] = dict(
        id=RoundId(uuid.uuid4()),
        study_id=StudyId(uuid.uuid4()),
        name="R",
        coder_ids=(A, B),
        document_ids=(D1,),
        blind=True,
        created_at=datetime.now(UTC),
    )
    base.update(kw)
    return CodingRound(**base)  # type: ignore[arg-type]


def test_hides_only_colleagues_in_open_blind_rounds_on_its_documents() -> None:
    r = _round()
    assert r.hides(viewer=A, author=B, document=D1)
    assert not r.hides(viewer=A, author=A, document=D1)
    assert not r.hides(viewer=A, author=B, document=D2)
    assert r.hides(viewer=C, author=B, document=D1), "nor does anyone outside the round"
    assert r.hides(viewer=None, author=B, document=D1)
    assert not r.hides(viewer=A, author=C, document=D1), "codings by others are not the round's"
    assert not _round(blind=False).hides(viewer=A, author=B, document=D1)
    assert not _round(status=RoundStatus.CLOSED).hides(viewer=A, author=B, document=D1)


def test_round_invariants() -> None:
    with pytest.raises(InvalidInputError, match="two or more"):
        _round(coder_ids=(A,))
    with pytest.raises(InvalidInputError, match="no documents"):
        _round(document_ids=())
    with pytest.raises(InvalidInputError, match="twice"):
        _round(document_ids=(D1, D1))


@given(
    st.lists(st.sampled_from(["NHS", "VCFSE", "Other"]), min_size=1, max_size=60),
    st.floats(0.05, 1.0),
    st.integers(0, 10_000),
)
def test_sample_is_reproducible_proportional_and_order_free(
    strata: list[str], fraction: float, seed: int
) -> None:
    docs = [(DocumentId(uuid.UUID(int=i + 1)), s) for i, s in enumerate(strata)]
    chosen = sample_documents(docs, fraction, seed=seed)
    assert chosen == sample_documents(list(reversed(docs)), fraction, seed=seed)
    assert len(chosen) == max(1, round(fraction * len(docs)))
    assert len(set(chosen)) == len(chosen)
    size = Counter(strata)
    got = Counter(dict(docs)[d] for d in chosen)
    for stratum, n in size.items():
        assert abs(got[stratum] - fraction * n) < 1 + 1e-9, "each stratum in proportion"


def test_sample_fraction_must_be_a_share() -> None:
    with pytest.raises(InvalidInputError):
        sample_documents([(D1, "")], 0, seed=1)
