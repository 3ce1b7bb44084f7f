"""Live updates: server-sent events from the event log, resumable with Last-Event-ID, and blind
to a colleague's codings in an open blind round."""

from __future__ import annotations

import json
from typing import Any

from tests.web.conftest import DOCUMENT, STUDY, doc_url, sign_in
from thematica.services.coding import apply_coding
from thematica.services.rounds import open_round


def _events(client: Any, **headers: str) -> list[tuple[int, dict[str, Any]]]:
    response = client.get(f"{doc_url()}/events?follow=false", headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    found = []
    for block in response.text.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if fields.get("event") == "coding":
            found.append((int(fields["id"]), json.loads(fields["data"])))
    return found


def test_events_resume_after_last_event_id(app: Any, served: dict[str, Any]) -> None:
    cara = sign_in(app, "cara")
    first = cara.post(f"{doc_url()}/codings", json={"start": 0, "end": 5, "code": "Pay"}).json()
    [(seq1, applied)] = _events(cara)
    assert applied["kind"] == "coding.applied" and applied["coding"]["id"] == first["id"]
    assert applied["coding"]["start_utf16"] == 0
    cara.delete(f"{doc_url()}/codings/{first['id']}")
    second = cara.post(f"{doc_url()}/codings", json={"start": 2, "end": 9, "code": "Pay"}).json()
    resumed = _events(cara, **{"Last-Event-ID": str(seq1)})
    assert [(e["kind"], e["id"]) for _, e in resumed] == [
        ("coding.removed", first["id"]),
        ("coding.applied", second["id"]),
    ]
    assert resumed[0][1]["coding"] is None
    assert _events(cara, **{"Last-Event-ID": str(resumed[-1][0])}) == []


def test_a_blind_coder_gets_no_event_of_a_colleagues_coding(
    app: Any, served: dict[str, Any]
) -> None:
    db = served["db"]
    apply_coding(db, DOCUMENT, 0, 5, "Pay", coder="cy", study=STUDY)
    open_round(db, "R1", coders=["cara", "cy"], documents=[DOCUMENT], study=STUDY, actor="olu")
    apply_coding(db, DOCUMENT, 3, 9, "Pay", coder="cara", study=STUDY)
    seen = _events(sign_in(app, "cy"))
    assert [e["coding"]["coder"] for _, e in seen] == ["cy"]
    assert len(_events(sign_in(app, "olu"))) == 2
