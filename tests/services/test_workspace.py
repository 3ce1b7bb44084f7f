"""The workspace services check the actor's role themselves (not only the routes)."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import both_backends
from thematica.domain.actors import Actor, Role
from thematica.domain.ids import CodingId
from thematica.errors import NotFoundError, PermissionDeniedError
from thematica.services import workspace
from thematica.services.coding import coded_segments
from thematica.services.rounds import open_round
from thematica.storage import Database

CARA = Actor("cara", Role.CODER)


def _id(coding: workspace.VisibleCoding) -> CodingId:
    return CodingId(uuid.UUID(coding.id))


@both_backends
def test_a_viewer_cannot_code_through_the_service(db: Database, study: str) -> None:
    with pytest.raises(PermissionDeniedError, match="viewer"):
        workspace.code_passage(db, Actor("vi", Role.VIEWER), study, "T1", 0, 5, "Systemic > Pay")
    assert coded_segments(db, study) == []


@both_backends
def test_coders_change_their_own_owners_anyones(db: Database, study: str) -> None:
    made = workspace.code_passage(db, CARA, study, "T1", 0, 11, "Systemic > Pay", valence="barrier")
    assert made.mine and made.coder == "cara" and made.valence == "barrier"
    cy = Actor("cy", Role.CODER)
    with pytest.raises(PermissionDeniedError, match="colleague"):
        workspace.remove_coding(db, cy, study, "T1", _id(made))
    changed = workspace.change_coding(
        db, Actor("olu", Role.OWNER), study, "T1", _id(made), valence=""
    )
    assert changed.valence == "" and not changed.mine


def test_a_coding_is_found_only_in_its_own_document(db: Database, study: str) -> None:
    from thematica.services.documents import add_text

    add_text(db, "T2", "Participant: another one.\n", study=study, actor="tester")
    made = workspace.code_passage(db, CARA, study, "T1", 0, 11, "Systemic > Pay")
    with pytest.raises(NotFoundError):
        workspace.remove_coding(db, CARA, study, "T2", _id(made))


def test_the_home_counts_per_coder_and_hides_blind_colleagues(db: Database, study: str) -> None:
    workspace.code_passage(db, CARA, study, "T1", 0, 11, "Systemic > Pay")
    workspace.code_passage(db, Actor("cy", Role.CODER), study, "T1", 0, 5, "Systemic > Pay")
    home = workspace.study_home(db, Actor("olu", Role.OWNER), study)
    assert home.documents[0].coded_by == {"cara": 1, "cy": 1}
    assert home.recent[0].kind.value == "coding.applied"
    open_round(db, "R", coders=["cara", "cy"], documents=["T1"], study=study, actor="olu")
    blind = workspace.study_home(db, CARA, study)
    assert blind.documents[0].coded_by == {"cara": 1}
    assert all(e.actor != "cy" for e in blind.recent if e.kind.value.startswith("coding"))
    view = workspace.coding_view(db, CARA, study, "T1")
    assert [c.coder for c in view.codings] == ["cara"] and view.can_code
