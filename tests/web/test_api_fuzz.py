"""Schemathesis against the API's OpenAPI document, signed in as the study's owner, on SQLite and
PostgreSQL: no 5xx, every answer as documented, every error application/problem+json.

A few examples per operation here (seconds); scripts/fuzz_api.py runs as many as asked. The
regressions below are what the fuzzer found, kept as plain requests.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import BACKENDS
from tests.web import apifuzz
from tests.web.conftest import DOCUMENT, STUDY, doc_url, sign_in

EXAMPLES = 25


def _owner(app: Any) -> tuple[Any, dict[str, list[str]]]:
    olu = sign_in(app, "olu")
    made = olu.post(f"{doc_url()}/codings", json={"start": 0, "end": 11, "code": "Pay"})
    assert made.status_code == 201, made.text
    return olu, {
        "study": [STUDY],
        "document": [DOCUMENT],
        "coding_id": [made.json()["id"]],
        "code": ["Pay"],
    }


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_every_operation_answers_as_its_document_says(app: Any) -> None:
    olu, real = _owner(app)
    totals = apifuzz.run(
        app,
        cookies=dict(olu.cookies),
        headers={"x-csrf-token": olu.headers["x-csrf-token"]},
        real=real,
        examples=EXAMPLES,
    )
    assert not totals.failures, totals.report()
    operations = {key.rsplit(" [", 1)[0] for key, n in totals.requests.items() if n}
    assert len(operations) == 8, totals.report()  # every operation was asked something
    assert totals.statuses[200] and totals.statuses[404] and totals.statuses[422]


def test_the_document_declares_problems_and_the_event_stream(app: Any) -> None:
    spec = sign_in(app, "olu").get("/api/v1/openapi.json").json()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            for status in ("401", "403", "404", "422"):
                content = operation["responses"][status]["content"]
                assert list(content) == ["application/problem+json"], (path, method, status)
    events = spec["paths"]["/api/v1/studies/{study}/documents/{document}/events"]["get"]
    assert list(events["responses"]["200"]["content"]) == ["text/event-stream"]
    coding = spec["paths"]["/api/v1/studies/{study}/documents/{document}/codings"]["post"]
    body = coding["responses"]["201"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Coding"}


def test_fuzzing_catches_an_undocumented_answer(app: Any) -> None:
    """The harness itself: an operation answering what its document does not declare fails."""
    from fastapi.responses import PlainTextResponse

    @app.get("/api/v1/teapot", response_class=PlainTextResponse)
    def teapot() -> Any:
        return PlainTextResponse("short and stout", status_code=418)

    app.openapi_schema = None  # built again, with the new route
    olu, real = _owner(app)
    totals = apifuzz.run(
        app, cookies=dict(olu.cookies), headers={}, real=real, examples=3, only="/api/v1/teapot"
    )
    assert any("teapot" in key and "status code" in key for key in totals.failures), totals.report()


def test_a_body_that_is_not_utf8_is_a_400_problem(app: Any) -> None:
    olu, _ = _owner(app)
    response = olu.post(
        f"{doc_url()}/codings",
        content=b"\x01\x02\xff",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


# What fuzzing found. Each answered 503 (a database error) on PostgreSQL or broke the live stream
# after it had started, for input that is the client's mistake.


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_a_nul_in_a_path_parameter_is_refused_naming_it(app: Any) -> None:
    olu, _ = _owner(app)
    for url in (
        f"/api/v1/studies/{STUDY}/documents/a%00b",
        f"/api/v1/studies/{STUDY}/documents/a%00b/events?follow=false",
    ):
        response = olu.get(url)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert (
            response.json()["detail"] == "path parameter document: a NUL character is not allowed"
        )


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_a_nul_in_a_memo_or_code_is_refused_and_nothing_is_stored(
    app: Any, served: dict[str, Any]
) -> None:
    from thematica.services.coding import coded_segments

    olu, real = _owner(app)
    before = coded_segments(served["db"], STUDY)
    for body in (
        {"start": 0, "end": 5, "code": "Pay", "memo": "a\x00b"},
        {"start": 0, "end": 5, "code": "P\x00"},
    ):
        response = olu.post(f"{doc_url()}/codings", json=body)
        assert response.status_code == 422, response.text
        assert "a NUL character is not allowed" in response.json()["detail"]
    changed = olu.patch(f"{doc_url()}/codings/{real['coding_id'][0]}", json={"memo": "x\x00"})
    assert changed.status_code == 422, changed.text
    assert response.headers["content-type"] == "application/problem+json"
    assert coded_segments(served["db"], STUDY) == before


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_an_event_cursor_past_64_bits_is_refused_or_ignored(app: Any) -> None:
    olu, _ = _owner(app)
    huge = str(2**64)
    refused = olu.get(f"{doc_url()}/events?follow=false&after={huge}")
    assert refused.status_code == 422 and "after" in refused.json()["detail"]
    for resume in (huge.encode(), b"\xb2"):  # no sequence ("²" in latin-1): start from `after`
        response = olu.get(f"{doc_url()}/events?follow=false", headers={"last-event-id": resume})
        assert response.status_code == 200, response.text
        assert "event: coding" in response.text  # the coding made above, from the start


def test_an_offset_must_be_an_integer_not_a_boolean_or_text(app: Any) -> None:
    olu, real = _owner(app)
    url = f"{doc_url()}/codings/{real['coding_id'][0]}"
    for change in ({"start": False}, {"end": True}, {"start": "3"}, {"end": 4.0}):
        response = olu.patch(url, json=change)
        assert response.status_code == 422, (change, response.text)
        assert response.headers["content-type"] == "application/problem+json"
    made = olu.post(f"{doc_url()}/codings", json={"start": False, "end": 11, "code": "Pay"})
    assert made.status_code == 422, made.text
    unchanged = olu.get(doc_url()).json()["codings"]
    assert [(c["start"], c["end"]) for c in unchanged] == [(0, 11)]


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_a_page_with_a_nul_in_its_path_is_refused_calmly(app: Any) -> None:
    """The same rule for the pages (outside the OpenAPI document, so not fuzzed)."""
    olu, _ = _owner(app)
    response = olu.get(f"/studies/{STUDY}/documents/a%00b")
    assert response.status_code == 422
    assert "a NUL character is not allowed" in response.text
