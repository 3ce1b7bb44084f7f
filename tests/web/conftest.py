"""A small fictional study served by the web workspace, with people in every role.

The transcript is fictional, written for these tests: it mixes emoji (two UTF-16 units each, one
with a skin-tone modifier), combining accents that NFC cannot compose, and Arabic and Hebrew.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from thematica.domain.actors import Role
from thematica.services.codebook import add_code
from thematica.services.documents import add_text
from thematica.services.studies import create_study
from thematica.storage import Database

STUDY = "Peer work"
OTHER = "Other study"
DOCUMENT = "Interview 1"

TRANSCRIPT = (
    "Interviewer: How did peer work start for you? 🙂\n\n"
    "Ama: It started in a café; my supervisor 👍🏽 really listened. "
    "Then the pay, q̣̇ honestly, was poor.\n\n"
    "Interviewer: And the team?\n\n"
    "Ama: We said مرحبا and שלום to new people 🌱 every week.\n"
)

#: user -> role in STUDY; "nim" belongs to OTHER only.
PEOPLE: dict[str, Role | None] = {
    "olu": Role.OWNER,
    "cara": Role.CODER,
    "cy": Role.CODER,
    "vi": Role.VIEWER,
    "nim": None,
}


def build_study(db: Database, database_url: str) -> Any:
    """The two studies, their codebook and transcript; the settings that serve them."""
    from thematica.web.access import Members
    from thematica.web.settings import WebSettings

    create_study(db, STUDY, template="blank", actor="olu")
    create_study(db, OTHER, template="blank", actor="olu")
    add_code(
        db,
        "Support",
        study=STUDY,
        actor="olu",
        definition="Help that peer workers receive.",
        inclusion="Supervision, colleagues, training.",
        exclusion="Help the peer worker gives to others.",
    )
    add_code(db, "Support > Supervision", study=STUDY, actor="olu", definition="A supervisor.")
    add_code(db, "Pay", study=STUDY, actor="olu", definition="Wages and contracts.")
    add_text(db, DOCUMENT, TRANSCRIPT, study=STUDY, actor="olu")
    members = {u: {STUDY: r} for u, r in PEOPLE.items() if r is not None}
    members["nim"] = {OTHER: Role.CODER}
    return WebSettings(database=database_url, directory=Members(members))


@pytest.fixture
def served(db: Database, database_url: str) -> Iterator[dict[str, Any]]:
    yield {"settings": build_study(db, database_url), "db": db}


@pytest.fixture
def app(served: dict[str, Any]) -> Iterator[Any]:
    from thematica.web.app import create_app

    app = create_app(served["settings"])
    yield app
    app.state.thematica.db.dispose()  # its PostgreSQL connections close here, not at exit


def sign_in(app: Any, user: str) -> Any:
    """A test client signed in as ``user`` (through a one-time link, as a person would)."""
    from fastapi.testclient import TestClient

    client = TestClient(app, base_url="http://127.0.0.1")
    response = client.get(
        f"/signin/{app.state.thematica.links.issue(user)}", follow_redirects=False
    )
    assert response.status_code == 303, response.text
    client.headers["x-csrf-token"] = client.get("/api/v1/me").json()["csrf_token"]
    return client


def doc_url(study: str = STUDY, document: str = DOCUMENT) -> str:
    return f"/api/v1/studies/{study}/documents/{document}"
