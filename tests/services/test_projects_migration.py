"""Migrating from QualCoder and Taguette: their databases become studies, with the same summary
as a REFI-QDA import, and the result exports to a valid ``.qdpx`` that comes back the same."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xmlschema

from tests.conftest import both_backends
from tests.interchange.peer_databases import qualcoder_project, taguette_database
from tests.interchange.refi.builders import project_xsd
from tests.services.study_picture import picture
from thematica.errors import InvalidInputError, NotFoundError
from thematica.services.projects import detect_kind, export_project, import_project
from thematica.services.scope import open_db
from thematica.storage import Database


def _round_trip(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out.qdpx"
    export_project(db, out)
    with zipfile.ZipFile(out) as zf:
        xmlschema.XMLSchema(project_xsd()).validate(zf.read("project.qde").decode("utf-8"))
    again = open_db(str(tmp_path / "again.db"), create=True)
    import_project(again, out, actor="tester")
    assert picture(again) == picture(db)
    again.dispose()


@both_backends
def test_a_qualcoder_project_becomes_a_study(db: Database, tmp_path: Path) -> None:
    folder = qualcoder_project(tmp_path / "peer.qda")
    result = import_project(db, folder, actor="tester")
    assert result.kind == "qualcoder" and result.study == "peer"
    seen = picture(db)
    assert set(seen["codes"]) == {
        "Support",
        "Support > Supervision",
        "Support > Supervision > Peer supervision",
        "Pay",
    }
    assert seen["codes"]["Support > Supervision > Peer supervision"][0] == "Being understood"
    assert seen["codes"]["Pay"][4] == "#00aa00"
    assert seen["coders"] == ["robin", "sam"]
    coded = {(c[3], c[4], c[6], c[7]) for c in seen["codings"]}
    assert coded == {
        (
            "Support > Supervision > Peer supervision",
            "robin",
            "Clear",
            "My supervisor, Amélie, gets it.",
        ),
        ("Pay", "sam", "", "The pay is poor."),
    }
    assert seen["participants"] == {"P1": ("", {"Role": ["Peer worker"]})}
    assert seen["document_participants"] == {"Interview 1": "P1"}
    assert seen["memos"] == [
        ("Interview 1", "robin", "Description", "First interview"),
        ("Interview 1", "sam", "Annotation [60, 67)", "Check the figures"),
        ("study", "robin", "Day 1", "Started coding."),
    ]
    assert result.unmapped_counts() == {
        "source": 1,
        "code_image": 1,
        "VariableValue": 1,
        "Description": 1,
    }
    assert any("important" in n for n in result.notices)
    _round_trip(db, tmp_path)


@both_backends
def test_a_taguette_project_becomes_a_study(db: Database, tmp_path: Path) -> None:
    result = import_project(db, taguette_database(tmp_path / "peer.sqlite3"), actor="tester")
    assert result.kind == "taguette" and result.study == "Peer study"
    seen = picture(db)
    assert seen["coders"] == ["admin", "sam"]
    assert {(c[3], c[4], c[7]) for c in seen["codings"]} == {
        ("support", "sam", "supervisor, Amélie, gets it — really."),
        ("pay", "admin", "The pay is\u00a0poor.\nVery poor."),
        ("support", "admin", "The pay is\u00a0poor.\nVery poor."),
    }
    assert seen["codes"]["support"][0] == "Feeling backed"
    assert seen["memos"] == [("Interview 1", "admin", "Description", "First")]
    assert any("UTF-8 bytes" in n for n in result.notices)
    _round_trip(db, tmp_path)


def test_a_broken_peer_database_leaves_nothing_behind(db: Database, tmp_path: Path) -> None:
    sql = "INSERT INTO code_text VALUES (9, 42, 1, '', 0, 4, 'robin', '', '', NULL, 0);"
    folder = qualcoder_project(tmp_path / "bad.qda", extra_sql=sql)
    with pytest.raises(InvalidInputError, match="code 42"):
        import_project(db, folder)
    with pytest.raises(NotFoundError, match="no study yet"):
        picture(db)  # still no study at all


@pytest.mark.parametrize(
    ("name", "kind"),
    [("p.qdpx", "refi-qda"), ("p.qda", "qualcoder"), ("t.sqlite3", "taguette")],
)
def test_the_kind_is_told_by_the_name(tmp_path: Path, name: str, kind: str) -> None:
    assert detect_kind(tmp_path / name) == kind
    folder = tmp_path / "QualCoder project"
    folder.mkdir()
    (folder / "data.qda").write_bytes(b"")
    assert detect_kind(folder) == "qualcoder"
    assert detect_kind(folder / "data.qda") == "qualcoder"
