"""Review at scale: groups by string and type, one decision for a whole group, merge, resize."""

from __future__ import annotations

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.deid import detect_identifiers
from thematica.services.deid_bulk import decide_matching, merge_items, resize_item, review_groups
from thematica.services.deid_review import add_item, review_list
from thematica.services.documents import add_text, get_document
from thematica.services.redaction import apply_deidentification
from thematica.storage import Database

STUDY = "Test study"
# Fictional, written for this test.
TEXT = (
    "Interviewer: And your PhD?\n\n"
    "Krzysztof: My PhD was in Sheffield. Braun and Clarke, we used them. Krzysztof, that is me.\n\n"
    "Interviewer: Who helped?\n\n"
    "Krzysztof: Nguyen Thi-Lan at Larch Ward, and Dr Okafor. My PhD friend Ngozi too.\n"
)


@pytest.fixture
def listed(db: Database, study: str) -> Database:
    add_text(db, "K1", TEXT, study=STUDY, actor="tester")
    add_text(db, "K2", TEXT.replace("Ngozi", "Siobhán"), study=STUDY, actor="tester")
    detect_identifiers(db, ["K1", "K2"], study=STUDY, actor="owner")
    return db


@both_backends
def test_groups_count_every_occurrence_of_a_string_across_documents(listed: Database) -> None:
    groups = {(g["text"], g["type"]): g for g in review_groups(listed, study=STUDY)}
    person = groups[("Krzysztof", "PERSON")]
    assert person["items"] == 6 and person["pending"] == 6 and person["documents"] == 2
    assert groups[("Braun", "AUTHOR")]["items"] == 2
    assert ("PhD", "PERSON") not in groups  # an academic word, not a name
    only = review_groups(listed, document="K1", study=STUDY)
    assert {g["documents"] for g in only} == {1}


@both_backends
def test_one_decision_settles_a_string_a_type_or_what_is_left(listed: Database) -> None:
    decided = decide_matching(listed, "accept", text="krzysztof", study=STUDY, actor="rev")
    assert len(decided) == 6 and {i.surface for i in decided} == {"Krzysztof"}
    kept = decide_matching(listed, "reject", type_="author", study=STUDY, actor="rev")
    assert {i.surface for i in kept} == {"Braun", "Clarke"} and len(kept) == 4
    assert decide_matching(listed, "accept", text="krzysztof", study=STUDY) == []  # decided
    rest = decide_matching(listed, "accept", document="K1", study=STUDY, actor="rev")
    assert rest and all(i.status.value == "accepted" for i in rest)
    assert all(r["status"] != "pending" for r in review_list(listed, "K1", study=STUDY))
    assert any(r["status"] == "pending" for r in review_list(listed, "K2", study=STUDY))
    with pytest.raises(InvalidInputError, match="--text"):
        decide_matching(listed, "accept", study=STUDY)
    apply_deidentification(listed, "K1", study=STUDY, actor="rev")
    text = get_document(listed, "K1", study=STUDY).text
    assert "Krzysztof" not in text and "Braun and Clarke" in text and "My PhD" in text
    with pytest.raises(ConflictError, match="no de-identification review open"):
        decide_matching(listed, "accept", document="K1", study=STUDY)


@both_backends
def test_neighbours_merge_and_items_widen_or_narrow(listed: Database) -> None:
    rows = review_list(listed, "K1", study=STUDY)
    by_text = {str(r["text"]): r for r in rows}
    start = TEXT.index("Nguyen")
    first = str(by_text["Nguyen Thi-Lan"]["item"]) if "Nguyen Thi-Lan" in by_text else ""
    if not first:  # split by the detector: merge the two halves
        a, b = (r for r in rows if start <= int(str(r["start"])) < start + 14)
        merged = merge_items(listed, str(a["item"]), str(b["item"]), study=STUDY, actor="rev")
        first = str(merged.id)
    # narrow it to the surname and widen it back
    narrowed = resize_item(listed, first, start, start + 6, study=STUDY, actor="rev")
    assert narrowed.surface == "Nguyen"
    widened = resize_item(listed, first, start, start + 14, study=STUDY, actor="rev")
    assert widened.surface == "Nguyen Thi-Lan"
    # an item added beside it merges with it; items far apart do not
    okafor = TEXT.index("Okafor")
    dr = add_item(listed, "K1", okafor - 3, okafor - 1, "person", study=STUDY, actor="rev")
    okafor_item = next(r for r in review_list(listed, "K1", study=STUDY) if r["text"] == "Okafor")
    merged = merge_items(listed, str(dr.id), str(okafor_item["item"]), study=STUDY, actor="rev")
    assert merged.surface == "Dr Okafor"
    assert (
        len([r for r in review_list(listed, "K1", study=STUDY) if "Okafor" in str(r["text"])]) == 1
    )
    with pytest.raises(ConflictError, match="not neighbours"):
        merge_items(listed, first, str(merged.id), study=STUDY)
    with pytest.raises(ConflictError, match="overlaps item"):
        resize_item(listed, first, start, okafor + 2, study=STUDY)
    with pytest.raises(InvalidInputError, match="does not overlap"):
        resize_item(listed, first, 0, 5, study=STUDY)
