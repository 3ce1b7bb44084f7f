from __future__ import annotations

from pathlib import Path

import pytest

import thematica
from thematica.errors import InvalidInputError, NotFoundError, ThematicaError
from thematica.reports.html import render_html
from thematica.services.coding import apply_coding
from thematica.services.memos import list_memos, read_memos, show_memo, write_memo
from thematica.services.report import gather_report
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


def test_memos_read_by_name_filtered_and_shown(db: Database, study: str) -> None:
    coding = apply_coding(db, "T1", 0, 11, "Support", coder="Robin", study=study)
    write_memo(db, "Started coding today.", author="Robin", study=study, title="Day 1")
    write_memo(db, "Rich interview", author="Sam", on="document", target="T1", study=study)
    write_memo(db, "Broad code", author="Sam", on="code", target="Support", study=study)
    write_memo(db, "Unsure", author="Robin", on="coding", target=str(coding.id), study=study)
    memos = read_memos(db, study)
    assert [(m.author, m.about) for m in memos] == [
        ("Robin", "study"),
        ("Sam", "document T1"),
        ("Sam", "code Support"),
        ("Robin", f"coding {coding.id}"),
    ]
    assert [m.text for m in read_memos(db, study, author="Sam")] == ["Rich interview", "Broad code"]
    assert [m.text for m in read_memos(db, study, on="code")] == ["Broad code"]
    assert [m.text for m in read_memos(db, study, target="T1")] == ["Rich interview"]
    assert read_memos(db, study, author="Nobody") == []
    with pytest.raises(InvalidInputError, match="a memo is on one of study, document"):
        read_memos(db, study, on="theme")
    first = memos[0]
    assert show_memo(db, first.id, study) == first
    assert show_memo(db, first.id[:8].upper(), study) == first
    with pytest.raises(NotFoundError, match="no memo with the id 'ffffffff'"):
        show_memo(db, "ffffffff", study)
    with pytest.raises(InvalidInputError, match="at least 4 characters"):
        show_memo(db, "ab", study)


def test_the_report_prints_the_journal_and_the_memos_chosen(db: Database, study: str) -> None:
    write_memo(db, "Decided to merge two codes.\n\nRobin agreed.", author="Sam", study=study)
    note = write_memo(db, "Quiet at first", author="Sam", on="document", target="T1", study=study)
    write_memo(db, "Not chosen", author="Sam", on="document", target="T1", study=study)
    plain = gather_report(db, study)
    assert [(m.text, m.journal) for m in plain.memos] == [
        ("Decided to merge two codes.\n\nRobin agreed.", True)
    ]
    chosen = gather_report(db, study, memos=[str(note.id)[:6]])
    assert [(m.text, m.journal, m.about) for m in chosen.memos][1] == (
        "Quiet at first",
        False,
        "document T1",
    )
    page = render_html(chosen)
    assert "<p>Decided to merge two codes.</p><p>Robin agreed.</p>" in page
    assert "Quiet at first" in page and "Not chosen" not in page


def test_facade_memos_dataframe(tmp_path: Path) -> None:
    with thematica.open(str(tmp_path / "m.db"), study="Memo study", create=True) as study:
        study.add_text("T1", "Interviewer: hi\n\nParticipant: fine")
        study.write_memo("Journal entry", author="Robin")
        study.write_memo("On T1", author="Sam", on="document", target="T1")
        frame = study.memos()
        assert list(frame.columns) == ["id", "title", "text", "author", "on", "target",
                                       "created_at"]  # fmt: skip
        assert list(frame["text"]) == ["Journal entry", "On T1"]
        assert list(study.memos(author="Sam")["target"]) == ["T1"]
        assert study.memos(on="code").empty


def test_dataframes_without_pandas_say_which_extra_to_install(
    db: Database, study: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    import thematica

    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    handle = thematica.open(db.url, study=study)
    with pytest.raises(ThematicaError, match=r"pip install 'thematica\[pandas\]'"):
        handle.codings()


def test_a_misspelt_author_is_refused_and_a_code_is_found_by_the_end_of_its_path(
    db: Database, study: str
) -> None:
    write_memo(db, "First thoughts.", author="Kenji", study=study)
    with pytest.raises(NotFoundError, match=r"did you mean 'Kenji'.*--new-author"):
        write_memo(db, "Second thoughts.", author="Kenjj", study=study)
    assert [m.text for m in list_memos(db, study)] == ["First thoughts."]
    write_memo(db, "Really someone else.", author="Kenjj", study=study, new_author=True)
    write_memo(db, "A new colleague.", author="Oluwaseun", study=study)  # close to no one
    # "Pay" names "Systemic > Pay": the unique end of a path, as `code` accepts it.
    memo = write_memo(
        db, "Low pay everywhere", author="Kenji", on="code", target="Pay", study=study
    )
    assert memo.target.value == "code"


def test_facade_links_a_document_to_its_participant(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    with thematica.open(str(tmp_path / "l.db"), study="Link study", create=True) as study:
        study.add_participant("P07")
        study.add_text("Interview seven", "Interviewer: hi\n\nParticipant: fictional")
        assert study.link_document("Interview seven", "p07").participant == "P07"
        assert list(study.documents()["participant"]) == ["P07"]
        assert study.link_document("Interview seven", None).was == "P07"
        assert list(study.documents()["participant"]) == [None]
