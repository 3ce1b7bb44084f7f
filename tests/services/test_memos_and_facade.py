from __future__ import annotations

from pathlib import Path

import pytest

import thematica
from thematica.errors import InvalidInputError, NotFoundError, ThematicaError
from thematica.services.coding import apply_coding
from thematica.services.memos import list_memos, write_memo
from thematica.storage import Database


def test_memos_on_every_target(db: Database, study: str) -> None:
    coding = apply_coding(db, "T1", 0, 11, "Support", coder="Robin", study=study)
    write_memo(db, "Started coding today.", author="Robin", study=study)
    write_memo(db, "Rich interview", author="Sam", on="document", target="T1", study=study)
    write_memo(db, "Broad code", author="Sam", on="code", target="Support", study=study)
    write_memo(db, "Unsure", author="Robin", on="coding", target=str(coding.id), study=study)
    memos = list_memos(db, study)
    assert [m.target.value for m in memos] == ["study", "document", "code", "coding"]
    assert memos[3].target_id == coding.id
    with pytest.raises(InvalidInputError, match="needs the document"):
        write_memo(db, "x", author="Sam", on="document", study=study)
    with pytest.raises(NotFoundError):
        write_memo(db, "x", author="Sam", on="code", target="Nope", study=study)
    with pytest.raises(InvalidInputError, match="cannot be empty"):
        write_memo(db, "  ", author="Sam", study=study)


def test_facade_operations_and_dataframes(tmp_path: Path) -> None:
    path = tmp_path / "f.db"
    with thematica.open(str(path), study="Notebook study", create=True) as study:
        study.add_participant("P01", pseudonym="Ash", attributes={"contract": ["A", "B"]})
        text = "Interviewer: hi\n\nParticipant: supervision helps"
        study.add_text("T1", text, participant="P01")
        study.add_code("Support")
        start = text.index("supervision")
        coding = study.code(
            "T1", start, start + 11, "Support", coder="Robin", valence="facilitator"
        )
        assert study.document("T1").passage(coding.span) == "supervision"
        codings = study.codings()
        assert list(codings["text"]) == ["supervision"] and list(codings["participant"]) == ["P01"]
        assert study.participants().loc[0, "contract"] == "A;B"
        assert study.documents().loc[0, "turns"] == 2
        assert list(study.codes()["path"]) == ["Support"]
        assert study.stats().codings == 1
    with thematica.open(str(path)) as again:
        assert again.name == "Notebook study"


def test_dataframes_without_pandas_say_which_extra_to_install(
    db: Database, study: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import thematica

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    handle = thematica.open(db.url, study=study)
    with pytest.raises(ThematicaError, match=r"pip install 'thematica\[pandas\]'"):
        handle.codings()
