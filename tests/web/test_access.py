"""The authorisation matrix, generated from the route table: every route x every person (owner,
coder, viewer, a member of another study only) x signed out. A route added without a rule fails."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import DOCUMENT, PEOPLE, STUDY, sign_in
from thematica.domain.actors import Role
from thematica.services.coding import apply_coding
from thematica.web.access import PUBLIC_PATHS, Rule, rule_of


def ruled_routes(app: Any) -> list[tuple[str, str, Rule]]:
    """(method, path, rule) for every route; raises naming any route without a rule."""
    from fastapi.routing import APIRoute

    found: list[tuple[str, str, Rule]] = []
    missing: list[str] = []
    routes = list(app.routes)
    while routes:
        route = routes.pop(0)
        included = getattr(route, "original_router", None)  # FastAPI >= 0.120 nests routers
        if included is not None:
            routes.extend(included.routes)
            continue
        path = getattr(route, "path", "")
        if not isinstance(route, APIRoute):
            if path not in PUBLIC_PATHS:
                missing.append(path)
            continue
        needed = rule_of(route.endpoint)
        if needed is None:
            missing.append(f"{sorted(route.methods)} {path}")
            continue
        found.extend((method, path, needed) for method in sorted(route.methods))
    if missing:
        raise AssertionError(f"routes without an access rule: {', '.join(missing)}")
    return found


def test_a_route_without_a_rule_fails(app: Any) -> None:
    @app.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    with pytest.raises(AssertionError, match="forgotten"):
        ruled_routes(app)


BODIES = {
    "POST": {"start": 0, "end": 11, "code": "Pay"},
    "PATCH": {"memo": "a memo"},
}


def _expected(rule: Rule, person: str | None) -> str:
    if rule is Rule.PUBLIC:
        return "public"
    if person is None:
        return "signed-out"
    role = PEOPLE[person]
    if rule is Rule.SIGNED_IN:
        return "allowed"
    if role is None:
        return "absent"
    assert rule.role is not None
    return "allowed" if role.rank >= rule.role.rank else "forbidden"


def test_the_matrix(app: Any, served: dict[str, Any]) -> None:
    from fastapi.testclient import TestClient

    routes = ruled_routes(app)
    assert len(routes) >= 10
    app.state.thematica.throttle.attempts = 1000  # /signin/{token} is tried with a bad token
    checked = 0
    for method, path, needed in routes:
        for person in [None, *PEOPLE]:
            client = (
                TestClient(app, base_url="http://127.0.0.1")
                if person is None
                else sign_in(app, person)
            )
            # A span of its own each time: a coder may not code one span twice with one code.
            at = 1 + checked % 100  # never [0, 11), which the POST below codes
            coding = apply_coding(
                served["db"], DOCUMENT, at, at + 11, "Pay", coder="cara", study=STUDY
            )
            url = path.format(study=STUDY, document=DOCUMENT, coding_id=coding.id, token="nope")
            if url.endswith("/events"):
                url += "?follow=false"  # a live stream would never end
            response = client.request(method, url, json=BODIES.get(method), follow_redirects=False)
            expect = _expected(needed, person)
            where = f"{method} {path} as {person or 'signed out'}: {response.status_code}"
            api = path.startswith("/api/")
            if expect == "signed-out":
                if api:
                    assert response.status_code == 401, where
                else:
                    assert response.status_code == 303, where
                    assert response.headers["location"] == "/signin", where
            elif expect == "absent":
                assert response.status_code == 404, where
            elif expect == "forbidden":
                assert response.status_code == 403, where
            elif expect == "allowed":
                # A coder changing a colleague's coding is refused by the service (tested apart).
                colleague = (
                    method in {"PATCH", "DELETE"} and PEOPLE[person or ""] is Role.CODER
                ) and person != "cara"
                if colleague:
                    assert response.status_code == 403, where
                else:
                    assert response.status_code < 400, where
            else:  # public: no 401/404 for lack of a session; unsafe ones still need a token
                assert response.status_code != 500, where
                if response.status_code == 403:
                    assert method == "POST" and "CSRF token" in response.text, where
            checked += 1
    assert checked == len(routes) * (len(PEOPLE) + 1)


def test_every_unsafe_route_needs_the_csrf_token(app: Any, served: dict[str, Any]) -> None:
    unsafe = [(m, p) for m, p, _ in ruled_routes(app) if m in {"POST", "PATCH", "DELETE"}]
    assert unsafe
    for at, (method, path) in enumerate(unsafe):
        client = sign_in(app, "olu")
        coding = apply_coding(served["db"], DOCUMENT, at, at + 11, "Pay", coder="cara", study=STUDY)
        url = path.format(study=STUDY, document=DOCUMENT, coding_id=coding.id)
        for token in [None, "forged", sign_in(app, "cara").headers["x-csrf-token"]]:
            if token is None:
                del client.headers["x-csrf-token"]
            else:
                client.headers["x-csrf-token"] = token
            response = client.request(method, url, json=BODIES.get(method))
            assert response.status_code == 403, (method, path, token)
            if path.startswith("/api/"):
                assert response.json()["type"].endswith("/csrf")
            else:
                assert "CSRF token" in response.text
        assert client.get("/api/v1/me").status_code == 200  # still signed in: nothing happened


def test_the_sign_out_form_carries_its_token(app: Any) -> None:
    client = sign_in(app, "vi")
    token = client.headers.pop("x-csrf-token")
    page = client.get("/studies").text
    assert f'name="csrf_token" value="{token}"' in page
    response = client.post("/signout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/api/v1/me").status_code == 401
