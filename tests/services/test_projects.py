"""Whole projects through the database: import, export, import again, and nothing lost.

Storage-touching tests run on SQLite and PostgreSQL (``both_backends``).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from sqlalchemy import inspect, text

from tests.conftest import both_backends, require_shared
from tests.interchange.refi.builders import project_xsd
from tests.services.study_picture import picture
from thematica.errors import ConflictError, InvalidInputError, SpanError
from thematica.interchange.refi import (
    ImportReport,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSet,
    RefiSource,
    RefiUser,
    RefiVariable,
    read_qdpx,
)
from thematica.services.coding import apply_coding
from thematica.services.demo import DEMO_STUDY, build_demo
from thematica.services.memos import write_memo
from thematica.services.projects import export_project, import_project
from thematica.services.projects_import import import_refi_project
from thematica.services.scope import open_db
from thematica.services.studies import study_stats
from thematica.storage import Database, UnitOfWork

NVIVO = "refi-qda/nvivo12mac_OltasSzkepticizmus_17June.qdpx"
QC = "refi-qda/qc132_demo_interview_and_board_meeting.qdpx"


def _guid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def _coded_text(project: RefiProject) -> dict[str, str]:
    return {x.guid: x.of(s.text) for s in project.sources for x in s.selections}


def _fresh(tmp_path: Path, name: str) -> Database:
    return open_db(str(tmp_path / name), create=True)


def _validate(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        xmlschema.XMLSchema(project_xsd()).validate(zf.read("project.qde").decode("utf-8"))


@both_backends
@pytest.mark.parametrize("sample", [NVIVO, QC])
def test_real_exports_round_trip_through_the_database(
    db: Database, tmp_path: Path, sample: str
) -> None:
    original, _ = read_qdpx(require_shared() / sample)
    first = import_project(db, require_shared() / sample, actor="tester")
    assert first.imported["codes"] == original.counts()["codes"]
    assert first.imported["codings"] == original.counts()["codings"]
    assert first.imported["documents"] == original.counts()["sources"]

    out = tmp_path / "export.qdpx"
    export = export_project(db, out, study=first.study)
    _validate(out)
    exported, report = read_qdpx(out)
    for kind in ("codes", "sources", "selections", "codings", "users"):
        assert exported.counts()[kind] == original.counts()[kind], kind
    assert export.written == exported.counts()
    assert report.complete
    # Same selections (same GUIDs), covering the same text, with the same codings and coders.
    assert _coded_text(exported) == _coded_text(original)
    assert {c.guid for s in exported.sources for x in s.selections for c in x.codings} == {
        c.guid for s in original.sources for x in s.selections for c in x.codings
    }

    second_db = _fresh(tmp_path, "second.db")
    second = import_project(second_db, out, actor="tester")
    assert second.imported == first.imported
    assert picture(second_db) == picture(db, first.study)
    second_db.dispose()


def test_nvivo_keeps_both_users_as_coders(db: Database) -> None:
    result = import_project(db, require_shared() / NVIVO, actor="tester")
    stats = study_stats(db, result.study)
    assert stats.coders == 2
    assert sum(stats.codings_by_coder.values()) == 297
    assert "not codable" in " ".join(result.notices)
    kinds = result.unmapped_counts()
    assert kinds == {"archive member": 1, "richTextPath": 2}
    assert not result.complete


def _demo_with_memos(db: Database) -> None:
    build_demo(db)
    coding = apply_coding(
        db, "P01", 0, 10, "Support, supervision and training", coder="Robin", study=DEMO_STUDY
    )
    write_memo(db, "Journal: started", author="Robin", title="Day 1", study=DEMO_STUDY)
    write_memo(db, "A rich one", author="Sam", on="document", target="P02", study=DEMO_STUDY)
    write_memo(
        db,
        "Broad",
        author="Sam",
        on="code",
        target="Support, supervision and training",
        study=DEMO_STUDY,
    )
    write_memo(db, "Unsure", author="Robin", on="coding", target=str(coding.id), study=DEMO_STUDY)


@both_backends
def test_demo_study_round_trips_whole(db: Database, tmp_path: Path) -> None:
    _demo_with_memos(db)
    before = picture(db, DEMO_STUDY)
    assert before["memos"] and before["participants"] and any(c[5] for c in before["codings"])

    out = tmp_path / "demo.qdpx"
    export = export_project(db, out, study=DEMO_STUDY)
    _validate(out)
    assert any("double-coding round" in line for line in export.left_out)
    assert any("framework-matrix summaries" in line for line in export.left_out)

    again = _fresh(tmp_path, "again.db")
    result = import_project(again, out, actor="tester")
    assert result.complete, result.unmapped
    after = picture(again)
    for part in before:
        assert after[part] == before[part], part
    # Exporting the re-imported study gives the same GUIDs: ids are stable.
    second = tmp_path / "again.qdpx"
    export_project(again, second)
    one, _ = read_qdpx(out)
    two, _ = read_qdpx(second)
    assert one.sources == two.sources and one.codes == two.codes and one.cases == two.cases
    again.dispose()


def _project(**changes: Any) -> RefiProject:
    """A small project using every mapped part: users, nested codes, a case with variables, a
    source with a selection coded twice, notes on several targets, and a set."""
    text_ = "Interviewer: How is supervision?\n\nP1: My supervisor gets it."
    start = text_.index("My supervisor")
    fields: dict[str, Any] = {
        "name": "Small",
        "origin": "Hand",
        "users": (RefiUser(_guid(1), "Robin"), RefiUser(_guid(2), "Sam")),
        "codes": (
            RefiCode(
                _guid(10),
                "Support",
                "#f00",
                "Feeling backed.\n\nInclusion: supervision",
                False,
                (RefiCode(_guid(11), "Peer supervision"),),
            ),
        ),
        "variables": (RefiVariable(_guid(20), "Role"), RefiVariable(_guid(21), "Pseudonym")),
        "cases": (
            RefiCase(
                _guid(30), "P1", {_guid(20): ("peer", "lead"), _guid(21): ("Ash",)}, (_guid(40),)
            ),
        ),
        "sources": (
            RefiSource(
                _guid(40),
                "Interview 1",
                text_,
                (
                    RefiSelection(
                        _guid(41),
                        "",
                        start,
                        start + 13,
                        _guid(2),
                        None,
                        (
                            RefiCoding(_guid(42), _guid(11), _guid(1)),
                            RefiCoding(_guid(43), _guid(10)),
                        ),
                        "Valence: facilitator\n\nClear example",
                    ),
                    RefiSelection(_guid(44), "", 0, 5, _guid(1)),
                ),
            ),
        ),
        "notes": (
            RefiNote(_guid(50), "On code", "Code note", _guid(2), None, (_guid(10),)),
            RefiNote(_guid(51), "On source", "Source note", _guid(1), None, (_guid(40),)),
            RefiNote(_guid(52), "On selection", "Sel note", _guid(1), None, (_guid(41),)),
            RefiNote(_guid(53), "Journal", "Project note", _guid(1)),
        ),
        "sets": (RefiSet(_guid(60), "Interviews", (_guid(40),), (_guid(10),), (_guid(50),)),),
        "note_guids": (_guid(53),),
    }
    fields.update(changes)
    return RefiProject(**fields)


def _report(project: RefiProject) -> ImportReport:
    return ImportReport(file="small.qdpx", origin=project.origin, imported=project.counts())


@both_backends
def test_every_part_maps_and_what_cannot_is_listed(db: Database) -> None:
    project = _project()
    result = import_refi_project(db, project, _report(project), actor="tester")
    assert result.imported == {
        "coders": 2,
        "codes": 2,
        "participants": 1,
        "documents": 1,
        "codings": 2,
        "memos": 4,
        "sets": 1,
    }
    seen = picture(db)
    assert seen["codes"]["Support"][:2] == ("Feeling backed.", "supervision")
    assert seen["codes"]["Support"][4] == "#ff0000"
    assert seen["participants"] == {"P1": ("Ash", {"Role": ["peer", "lead"]})}
    assert seen["document_participants"] == {"Interview 1": "P1"}
    coded = {(c[3], c[4], c[5], c[6], c[7]) for c in seen["codings"]}
    assert coded == {
        # The selection (Sam's) and its coding (Robin's) differ: the one who marked the passage
        # is the coder by default (--coder-from selection); Robin is kept for export.
        ("Support > Peer supervision", "Sam", "facilitator", "Clear example", "My supervisor"),
        ("Support", "Sam", "facilitator", "Clear example", "My supervisor"),
    }
    who = next(n for n in result.notices if n.startswith("who coded"))
    assert "on 1 coding(s)" in who and "'Sam' on 1 (the coding says 'Robin')" in who
    assert [m[0] for m in seen["memos"]] == ["Interview 1", "Interview 1@38", "Support", "study"]
    assert seen["sets"] == [("Interviews", "", ["Interview 1"], ["Support"])]
    unmapped = {(u.element, u.guid) for u in result.unmapped}
    assert unmapped == {("PlainTextSelection", _guid(44)), ("MemberNote", _guid(50))}
    assert any("not codable" in n for n in result.notices)
    assert result.as_dict()["unmapped_counts"] == {"PlainTextSelection": 1, "MemberNote": 1}
    with UnitOfWork(db) as uow:
        kinds = {c.name: c.kind.value for c in uow.coders.all(uow.studies.all()[0].id)}
    assert kinds == {"Robin": "imported", "Sam": "imported"}, "users from another tool"


def test_names_the_study_refuses_are_changed_and_noticed(db: Database) -> None:
    project = _project(
        codes=(RefiCode(_guid(10), "Pay > conditions"), RefiCode(_guid(11), "pay > Conditions")),
        sources=(RefiSource(_guid(40), "A", "text"), RefiSource(_guid(41), "a", "more")),
        cases=(),
        notes=(),
        sets=(),
        note_guids=(),
    )
    result = import_refi_project(db, project, _report(project), actor="tester")
    seen = picture(db)
    assert sorted(seen["codes"]) == ["Pay › conditions", "pay › Conditions (2)"]
    assert sorted(seen["texts"]) == ["A", "a (2)"]
    assert any("sibling codes" in n for n in result.notices)


def _dump(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    with db.engine.connect() as connection:
        names = inspect(connection).get_table_names()
        return {
            name: sorted(map(tuple, connection.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
            for name in names
            if name != "alembic_version"
        }


@both_backends
@pytest.mark.parametrize(
    ("broken", "error"),
    [
        ("missing code", InvalidInputError),
        ("span beyond the text", SpanError),
        ("same study name", ConflictError),
    ],
)
def test_a_failed_import_leaves_the_database_exactly_as_it_was(
    db: Database, study: str, broken: str, error: type[Exception]
) -> None:
    apply_coding(db, "T1", 0, 11, "Support", coder="Robin", study=study)
    before = _dump(db)
    project = _project()
    source = project.sources[0]
    if broken == "missing code":
        bad = RefiSelection(_guid(70), "", 0, 4, None, None, (RefiCoding(_guid(71), _guid(99)),))
        project = _project(sources=(RefiSource(source.guid, source.name, source.text, (bad,)),))
    elif broken == "span beyond the text":
        bad = RefiSelection(_guid(70), "", 0, 999, None, None, (RefiCoding(_guid(71), _guid(10)),))
        project = _project(sources=(RefiSource(source.guid, source.name, source.text, (bad,)),))
    else:
        project = _project(name=study)
    with pytest.raises(error):
        import_refi_project(db, project, _report(project), actor="tester")
    assert _dump(db) == before


def test_an_import_records_an_event_for_everything_it_adds(db: Database) -> None:
    project = _project()
    result = import_refi_project(db, project, _report(project), actor="tester")
    stats = study_stats(db, result.study)
    # study + coders + codes + participant + document + codings + memos + set
    assert stats.events == 1 + 2 + 2 + 1 + 1 + 2 + 4 + 1


def test_an_unknown_kind_of_file_is_refused(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "project.zip"
    path.write_bytes(b"PK")
    with pytest.raises(InvalidInputError, match="--from"):
        import_project(db, path)


def test_the_facade_imports_and_exports_projects(tmp_path: Path) -> None:
    from thematica.services.facade import StudyHandle

    handle, summary = StudyHandle.import_project(tmp_path / "f.db", require_shared() / QC)
    assert handle.name == summary.study == "qc project"
    assert len(handle.codings()) == 205
    export = handle.export_project(tmp_path / "f.qdpx")
    assert export.written["codings"] == 205 and export.position_unit == "utf-16"
    assert handle.export_project(tmp_path / "q.qdpx", target="qualcoder").position_unit == (
        "code-points"
    )
    assert "selected_by" in handle.codings().columns
    handle.close()


@both_backends
def test_names_longer_than_their_columns_are_cut(db: Database) -> None:
    long = "N" * 400
    project = _project(
        users=(RefiUser(_guid(1), "U" * 250),),
        codes=(RefiCode(_guid(10), long), RefiCode(_guid(11), long)),
        sources=(RefiSource(_guid(40), long, "text"),),
        cases=(),
        notes=(),
        sets=(),
        note_guids=(),
    )
    import_refi_project(db, project, _report(project), actor="tester")
    seen = picture(db)
    assert [len(name) for name in seen["coders"]] == [189]
    assert sorted(len(path) for path in seen["codes"]) == [289, 293]
    assert [len(name) for name in seen["texts"]] == [289]


def _raw_positions(path: Path) -> dict[str, tuple[int, int]]:
    """Each selection's startPosition and endPosition exactly as the project.qde has them."""
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    return {
        el.get("guid"): (int(el.get("startPosition")), int(el.get("endPosition")))
        for el in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")
    }


@pytest.mark.parametrize("target", [None, "nvivo"])
def test_the_nvivo_sample_goes_back_at_nvivos_own_positions(
    db: Database, tmp_path: Path, target: str | None
) -> None:
    sample = require_shared() / NVIVO
    import_project(db, sample, actor="tester")
    out = tmp_path / "for-nvivo.qdpx"
    result = export_project(db, out, target=target)
    assert result.position_unit == "utf-16"
    nvivo, ours = _raw_positions(sample), _raw_positions(out)
    assert len(nvivo) == 297
    assert sum(ours.get(guid) == at for guid, at in nvivo.items()) == 297
    if target is None:  # the default says when the unit matters and what to do for QualCoder
        assert any("--for qualcoder" in line for line in result.left_out)


def test_export_for_qualcoder_counts_code_points(db: Database, tmp_path: Path) -> None:
    sample = require_shared() / NVIVO
    original, _ = read_qdpx(sample)
    import_project(db, sample, actor="tester")
    out = tmp_path / "for-qualcoder.qdpx"
    assert export_project(db, out, target="qualcoder").position_unit == "code-points"
    points = {x.guid: (x.start, x.end) for s in original.sources for x in s.selections}
    assert _raw_positions(out) == points
    nvivo = _raw_positions(sample)
    # Only the selections before the first emoji sit where NVivo has them.
    assert sum(_raw_positions(out)[g] == at for g, at in nvivo.items()) < 297
    with pytest.raises(InvalidInputError, match="cannot export for 'word'"):
        export_project(db, out, target="word")


def test_a_close_call_on_positions_is_said_loudly(db: Database) -> None:
    from dataclasses import replace

    project = _project()
    report = replace(
        _report(project),
        position_unit="utf-16",
        position_unit_reason="of 2 boundaries ... read as code points 1 cut a word",
        position_unit_close=True,
    )
    result = import_refi_project(db, project, report, actor="tester")
    lines = result.summary_lines()
    (warning,) = [line for line in lines if line.startswith("WARNING")]
    assert "read as UTF-16 code units, but it was a close call" in warning
    assert "--positions code-points" in warning
    assert result.as_dict()["position_unit_close"] is True


def test_real_names_on_the_sheet_stay_out_of_the_project_file(
    db: Database, study: str, tmp_path: Path
) -> None:
    from tests.services.named_sheet import REAL_NAMES, SHOWN, build, readable

    build(db, study)
    out = tmp_path / "named.qdpx"
    export = export_project(db, out, study=study)
    text = readable(out)
    raw = out.read_bytes()
    for real in REAL_NAMES:
        assert real not in text and real.encode() not in raw, real
    for shown in SHOWN:
        assert shown in text, shown
    said = [line for line in export.left_out if "identifying" in line]
    assert said == [
        "the case variables Interviewer Name, name (identifying; used only for de-identification)"
    ]
