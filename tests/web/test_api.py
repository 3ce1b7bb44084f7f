"""The JSON API: coding through it stores exact code-point spans, whatever the browser counts."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import DOCUMENT, STUDY, TRANSCRIPT, doc_url, sign_in
from thematica.services.coding import coded_segments
from thematica.services.documents import get_document


def _utf16(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


def test_coding_with_utf16_offsets_stores_code_points(app: Any, served: dict[str, Any]) -> None:
    cara = sign_in(app, "cara")
    text = get_document(served["db"], DOCUMENT, study=STUDY).text
    passage = "my supervisor 👍🏽 really listened"
    start = text.index(passage)
    end = start + len(passage)
    assert _utf16(text, start) != start  # an emoji before it: the two counts differ here
    response = cara.post(
        f"{doc_url()}/codings",
        json={
            "start": _utf16(text, start),
            "end": _utf16(text, end),
            "unit": "utf16",
            "code": "Support > Supervision",
            "valence": "facilitator",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["start"], body["end"]) == (start, end)
    assert (body["start_utf16"], body["end_utf16"]) == (_utf16(text, start), _utf16(text, end))
    [row] = coded_segments(served["db"], STUDY)
    assert row["text"] == passage and row["coder"] == "cara" and row["valence"] == "facilitator"


def test_combining_accents_and_rtl_code_exactly(app: Any, served: dict[str, Any]) -> None:
    cara = sign_in(app, "cara")
    text = get_document(served["db"], DOCUMENT, study=STUDY).text
    for passage in ["q̣̇ honestly", "مرحبا and שלום"]:
        start = text.index(passage)
        response = cara.post(
            f"{doc_url()}/codings",
            json={"start": start, "end": start + len(passage), "code": "Pay"},
        )
        assert response.status_code == 201, response.text
    assert sorted(r["text"] for r in coded_segments(served["db"], STUDY)) == sorted(
        ["q̣̇ honestly", "مرحبا and שלום"]
    )


def test_the_document_gives_turns_codes_and_both_offsets(app: Any) -> None:
    body = sign_in(app, "vi").get(doc_url()).json()
    assert body["text"].startswith("Interviewer: How did")
    assert body["length_utf16"] == len(body["text"].encode("utf-16-le")) // 2
    assert body["length"] == len(body["text"]) < body["length_utf16"]
    speakers = [t["speaker"] for t in body["turns"]]
    assert speakers == ["Interviewer", "Ama", "Interviewer", "Ama"]
    support = next(c for c in body["codes"] if c["path"] == "Support")
    assert support["exclusion"] == "Help the peer worker gives to others."
    assert body["can_code"] is False  # a viewer


def test_a_half_surrogate_offset_is_refused_in_one_line(app: Any) -> None:
    cara = sign_in(app, "cara")
    text = TRANSCRIPT
    middle = _utf16(text, text.index("🙂")) + 1
    response = cara.post(
        f"{doc_url()}/codings", json={"start": 0, "end": middle, "unit": "utf16", "code": "Pay"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert "surrogate pair" in problem["detail"] and "\n" not in problem["detail"]


def test_change_and_remove_with_undo_by_recreating(app: Any, served: dict[str, Any]) -> None:
    cara = sign_in(app, "cara")
    made = cara.post(f"{doc_url()}/codings", json={"start": 0, "end": 11, "code": "Pay"}).json()
    changed = cara.patch(
        f"{doc_url()}/codings/{made['id']}", json={"valence": "barrier", "memo": "why"}
    )
    assert changed.status_code == 200 and changed.json()["valence"] == "barrier"
    cleared = cara.patch(f"{doc_url()}/codings/{made['id']}", json={"valence": ""}).json()
    assert cleared["valence"] == "" and cleared["memo"] == "why"
    assert cara.delete(f"{doc_url()}/codings/{made['id']}").status_code == 204
    assert coded_segments(served["db"], STUDY) == []


def test_a_coder_may_not_change_a_colleagues_coding_but_an_owner_may(app: Any) -> None:
    made = (
        sign_in(app, "cara")
        .post(f"{doc_url()}/codings", json={"start": 0, "end": 11, "code": "Pay"})
        .json()
    )
    refused = sign_in(app, "cy").delete(f"{doc_url()}/codings/{made['id']}")
    assert refused.status_code == 403
    assert "colleague" in refused.json()["detail"]
    assert sign_in(app, "olu").delete(f"{doc_url()}/codings/{made['id']}").status_code == 204


def test_the_openapi_document_lists_the_api(app: Any) -> None:
    from fastapi.testclient import TestClient

    spec = TestClient(app).get("/api/v1/openapi.json").json()
    assert "/api/v1/studies/{study}/documents/{document}/codings" in spec["paths"]
    assert not any(path.startswith("/signin") for path in spec["paths"])
