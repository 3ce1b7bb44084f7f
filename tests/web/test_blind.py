"""Blind rounds enforced by sign-in: a coder in an open blind round never receives a colleague's
codings of the round's documents, from any page or API call."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import DOCUMENT, STUDY, doc_url, sign_in
from thematica.services.coding import apply_coding
from thematica.services.rounds import open_round


def test_a_blind_coder_never_receives_a_colleagues_codings(
    app: Any, served: dict[str, Any]
) -> None:
    db = served["db"]
    apply_coding(db, DOCUMENT, 0, 11, "Pay", coder="cy", study=STUDY)  # makes cy a coder
    open_round(db, "R1", coders=["cara", "cy"], documents=[DOCUMENT], study=STUDY, actor="olu")
    cara = sign_in(app, "cara")
    mine = cara.post(f"{doc_url()}/codings", json={"start": 13, "end": 20, "code": "Pay"})
    assert mine.status_code == 201
    secret = mine.json()["id"]

    cy = sign_in(app, "cy")
    seen = cy.get(doc_url()).json()["codings"]
    assert {c["coder"] for c in seen} == {"cy"}
    home = cy.get(f"/api/v1/studies/{STUDY}").json()
    assert all("cara" not in d["coded_by"] for d in home["documents"])
    assert not any(e["actor"] == "cara" and "coding" in e["kind"] for e in home["recent"])
    for page in [f"/studies/{STUDY}", f"/studies/{STUDY}/documents/{DOCUMENT}"]:
        assert "cara" not in cy.get(page).text
    # Not even its existence: changing or removing it is answered as absent.
    assert cy.patch(f"{doc_url()}/codings/{secret}", json={"memo": "x"}).status_code == 404
    assert cy.delete(f"{doc_url()}/codings/{secret}").status_code == 404

    # The owner, who does not code in the round, sees both coders.
    everyone = sign_in(app, "olu").get(doc_url()).json()["codings"]
    assert {c["coder"] for c in everyone} == {"cy", "cara"}
