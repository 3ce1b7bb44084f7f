"""Sign-in links, session fixation, throttling, cookies and the security headers."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from tests.web.conftest import DOCUMENT, STUDY, sign_in
from thematica.web.security import COOKIE


def _client(app: Any) -> Any:
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1")


def test_a_sign_in_link_works_once(app: Any) -> None:
    client = _client(app)
    token = app.state.thematica.links.issue("cara")
    assert client.get(f"/signin/{token}", follow_redirects=False).status_code == 303
    again = _client(app).get(f"/signin/{token}", follow_redirects=False)
    assert again.status_code == 401 and COOKIE not in again.cookies


def test_a_planted_session_id_is_worthless_after_sign_in(app: Any) -> None:
    """Session fixation: an attacker's own valid session id, planted in the victim's browser, does
    not become the victim's session when the victim signs in."""
    attacker = sign_in(app, "nim")
    planted = attacker.cookies[COOKIE]
    victim = _client(app)
    victim.cookies.set(COOKIE, planted)
    token = app.state.thematica.links.issue("cara")
    response = victim.get(f"/signin/{token}", follow_redirects=False)
    assert response.status_code == 303
    fresh = response.cookies[COOKIE]
    assert fresh != planted
    victim.cookies.set(COOKIE, fresh)
    assert victim.get("/api/v1/me").json()["user"] == "cara"
    # The planted id now names no session at all (not the victim's, not the attacker's).
    assert attacker.get("/api/v1/me").status_code == 401


def test_sign_in_is_throttled_per_client(app: Any) -> None:
    client = _client(app)
    for _ in range(5):
        assert client.get("/signin/guess", follow_redirects=False).status_code == 401
    refused = client.get("/signin/guess", follow_redirects=False)
    assert refused.status_code == 429 and refused.headers["retry-after"] == "60"
    # While throttled even a good link is refused, so guessing cannot be mixed with a real link.
    good = app.state.thematica.links.issue("cara")
    assert client.get(f"/signin/{good}", follow_redirects=False).status_code == 429


def test_cookie_flags(app: Any, served: dict[str, Any]) -> None:
    token = app.state.thematica.links.issue("cara")
    header = _client(app).get(f"/signin/{token}", follow_redirects=False).headers["set-cookie"]
    assert "HttpOnly" in header and "SameSite=lax" in header and "Secure" not in header

    from thematica.web.app import create_app

    secure = create_app(replace(served["settings"], secure_cookies=True))
    token = secure.state.thematica.links.issue("cara")
    header = _client(secure).get(f"/signin/{token}", follow_redirects=False).headers["set-cookie"]
    assert "Secure" in header


def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(app: Any) -> None:
    client = sign_in(app, "olu")
    for url in [
        "/signin",
        "/studies",
        f"/studies/{STUDY}",
        f"/studies/{STUDY}/documents/{DOCUMENT}",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe" not in csp, url
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["x-frame-options"] == "DENY"
        html = response.text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=|\son[a-z]+=", html), url


def test_hostile_names_are_escaped(app: Any, served: dict[str, Any]) -> None:
    from thematica.services.documents import add_text

    hostile = '<img src=x onerror="window.__pwned=1">'
    add_text(served["db"], "Hostile", f"Ama: {hostile}\n", study=STUDY, actor="olu")
    page = sign_in(app, "olu").get(f"/studies/{STUDY}/documents/Hostile").text
    assert hostile not in page and "&lt;img src=x" in page


def test_errors_are_problem_json_with_one_line(app: Any) -> None:
    response = sign_in(app, "olu").get(f"/api/v1/studies/{STUDY}/documents/Nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404 and "Nowhere" in problem["detail"]
    assert "\n" not in problem["detail"]
    invalid = sign_in(app, "olu").post(
        f"/api/v1/studies/{STUDY}/documents/{DOCUMENT}/codings",
        json={"start": 5, "end": 2, "code": "Pay"},
    )
    assert invalid.status_code == 422 and invalid.json()["type"].endswith("invalid-input")
