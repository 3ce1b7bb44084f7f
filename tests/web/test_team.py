"""Team mode: password sign-in with its own CSRF token, throttling per client and per account,
the audit trail, roles from the database, and the refusals at start-up."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import STUDY
from thematica.errors import InvalidInputError, StorageError
from thematica.services import accounts

SECRET = "a-test-secret-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"


@pytest.fixture
def team(served: dict[str, Any]) -> Any:
    from thematica.web.app import create_app

    accounts.add_account(served["db"], "cara", PASSWORD, study=STUDY, role="coder")
    accounts.add_account(served["db"], "vi", PASSWORD, study=STUDY, role="viewer")
    return create_app(replace(served["settings"], team=True, secret=SECRET))


def _client(app: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1")


def _sign_in(client: Any, name: str, password: str) -> Any:
    form = client.get("/signin").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form)
    assert token, "the team sign-in page has a form with its token"
    data = {"csrf_token": token.group(1), "name": name, "password": password}
    return client.post("/signin", data=data, follow_redirects=False)


def test_password_sign_in_and_roles_from_the_database(team: Any, served: dict[str, Any]) -> None:
    client = _client(team)
    assert _sign_in(client, "cara", PASSWORD).status_code == 303
    me = client.get("/api/v1/me").json()
    assert me["user"] == "cara"
    client.headers["x-csrf-token"] = me["csrf_token"]
    assert client.get("/api/v1/studies").json() == [
        {"name": STUDY, "description": "", "role": "coder"}
    ]
    url = f"/api/v1/studies/{STUDY}/documents/Interview 1/codings"
    assert client.post(url, json={"start": 0, "end": 5, "code": "Pay"}).status_code == 201
    viewer = _client(team)
    assert _sign_in(viewer, "vi", PASSWORD).status_code == 303
    viewer.headers["x-csrf-token"] = viewer.get("/api/v1/me").json()["csrf_token"]
    assert viewer.post(url, json={"start": 0, "end": 5, "code": "Pay"}).status_code == 403
    accounts.disable_account(served["db"], "vi")  # takes effect at once, session or not
    assert viewer.get(f"/api/v1/studies/{STUDY}").status_code == 404
    outcomes = [(s.account, s.outcome) for s in accounts.sign_ins(served["db"])]
    assert outcomes == [("cara", "ok"), ("vi", "ok")]


def test_wrong_passwords_are_recorded_and_throttled(team: Any, served: dict[str, Any]) -> None:
    client = _client(team)
    for _ in range(5):
        assert _sign_in(client, "cara", "not the password").status_code == 401
    assert _sign_in(client, "cara", PASSWORD).status_code == 429  # even the right one, for now
    outcomes = [s.outcome for s in accounts.sign_ins(served["db"], "cara")]
    assert outcomes == ["wrong-password"] * 5 + ["throttled"]


def test_the_form_needs_its_token_and_cookie(team: Any) -> None:
    client = _client(team)
    client.get("/signin")
    data = {"csrf_token": "0" * 64, "name": "cara", "password": PASSWORD}
    assert client.post("/signin", data=data).status_code == 403
    stranger = _client(team)  # a cross-site form post carries no nonce cookie
    data = {"csrf_token": "", "name": "cara", "password": PASSWORD}
    assert stranger.post("/signin", data=data).status_code == 403


def test_team_mode_refuses_a_default_secret(served: dict[str, Any]) -> None:
    from thematica.web.app import create_app

    for secret in ["", "changeme", "short-secret"]:
        with pytest.raises(InvalidInputError, match="THEMATICA_SECRET"):
            create_app(replace(served["settings"], team=True, secret=secret))


def test_team_mode_refuses_a_database_behind_its_migrations(tmp_path: Path) -> None:
    from tests.storage.test_migrate import _database_at
    from thematica.services.schema import schema_status
    from thematica.web.app import create_app
    from thematica.web.settings import WebSettings

    path = str(tmp_path / "old.db")
    _database_at(path, "0006")
    with pytest.raises(StorageError, match="thematica db upgrade"):
        create_app(WebSettings(database=path, team=True, secret=SECRET))
    assert schema_status(path)["revision"] == "0006", "refused means untouched"
