"""Writing projects: schema-valid, lossless when read back, atomic, and refusing bad values."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import xmlschema

from tests.interchange.refi.builders import guid, project_xsd, snapshot
from thematica.errors import InvalidInputError, OutputError, SpanError
from thematica.interchange.refi import (
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
    write_qdpx,
)

WHEN = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
TEXT = "Interviewer: And supervision? 🙂\nParticipant: My supervisor gets it. The pay is poor.\n"


def _span(passage: str) -> tuple[int, int]:
    start = TEXT.index(passage)
    return start, start + len(passage)


def rich_project() -> RefiProject:
    """A project using every part of the model the writer supports."""
    robin, sam = RefiUser(guid(1), "Robin", "RB"), RefiUser(guid(2), "Sam")
    child = RefiCode(guid(11), "Peer supervision", "#00ff00", "Supervision by a peer")
    support = RefiCode(guid(10), "Support", "#f0a", "Things that help", True, (child,))
    pay = RefiCode(guid(12), "Pay & conditions <money>", None, "", False)
    role, age, paid, since, start_ = (
        RefiVariable(guid(20), "Role", "Text", "what they do"),
        RefiVariable(guid(21), "Age", "Integer"),
        RefiVariable(guid(22), "Paid", "Boolean"),
        RefiVariable(guid(23), "Since", "Date"),
        RefiVariable(guid(24), "Started", "DateTime"),
    )
    hours = RefiVariable(guid(25), "Hours", "Float")
    coding_a = RefiCoding(guid(41), child.guid, robin.guid, WHEN)
    coding_b = RefiCoding(guid(42), child.guid, sam.guid, WHEN + timedelta(hours=1))
    coding_c = RefiCoding(guid(43), pay.guid, sam.guid, None)
    s1, e1 = _span("My supervisor gets it.")
    s2, e2 = _span("The pay is poor.")
    s3, e3 = _span("supervision? 🙂")
    source = RefiSource(
        guid(30),
        "P01 interview",
        TEXT,
        (
            RefiSelection(guid(31), "", s1, e1, robin.guid, WHEN, (coding_a, coding_b), "key"),
            RefiSelection(guid(32), "line 2", s2, e2, sam.guid, None, (coding_c,)),
            RefiSelection(
                guid(33),
                "",
                s3,
                e3,
                None,
                datetime(2025, 3, 1, 10, 0, 5, 250000),
                (),
                "",
                sam.guid,
                datetime(2025, 3, 2, 8, 0, tzinfo=timezone(timedelta(hours=2))),
            ),
        ),
        robin.guid,
        WHEN,
        description="First interview\r\nwith CRLF kept",
        codings=(RefiCoding(guid(44), support.guid, robin.guid, WHEN),),
        values={role.guid: ("peer worker",)},
    )
    notes = (
        RefiNote(
            guid(50),
            "On supervision",
            "Comes up a lot.\nTwice.",
            robin.guid,
            WHEN,
            (child.guid, guid(41), guid(31), source.guid),
        ),  # document order
        RefiNote(guid(51), "Journal", "Day one.", sam.guid, None, (guid(50),), "project diary"),
        RefiNote(guid(52), "", "Unattached"),
    )
    case = RefiCase(
        guid(60),
        "P01",
        {
            role.guid: ("peer worker", "trainer"),
            age.guid: ("42",),
            paid.guid: ("true",),
            since.guid: ("2019-04-01",),
            start_.guid: ("2019-04-01T09:00:00Z",),
            hours.guid: ("37.5",),
        },
        (source.guid,),
        "first participant",
        (pay.guid,),
        (guid(32),),
    )
    a_set = RefiSet(guid(70), "Wave 1", (source.guid,), (pay.guid,), (guid(52),), "spring")
    return RefiProject(
        name='Peer support "2025"',
        origin="Thematica",
        users=(robin, sam),
        codes=(support, pay),
        sources=(source,),
        notes=notes,
        variables=(role, age, paid, since, start_, hours),
        cases=(case,),
        sets=(a_set,),
        description="A fictional study & its journal",
        note_guids=(guid(51),),
        creating_user=robin.guid,
        creation_date=WHEN,
        modifying_user=sam.guid,
        modified_date=WHEN,
    )


def comparable(project: RefiProject) -> RefiProject:
    sources = tuple(replace(s, original_path=None, original_bytes=None) for s in project.sources)
    return replace(project, sources=sources, origin=None)


@pytest.mark.parametrize("unit", ["code-points", "utf-16"])
def test_a_rich_project_round_trips_exactly(tmp_path: Path, unit: str) -> None:
    project = rich_project()
    out = tmp_path / "rich.qdpx"
    write_qdpx(project, out, schema=project_xsd(), position_unit=unit)  # type: ignore[arg-type]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        xml = zf.read("project.qde").decode("utf-8")
        text = zf.read(f"sources/{guid(30)}.txt").decode("utf-8")
    assert names == ["project.qde", f"sources/{guid(30)}.txt"]
    assert text == TEXT
    assert f'plainTextPath="internal://{guid(30)}.txt"' in xml
    xmlschema.XMLSchema(project_xsd()).validate(xml)
    again, report = read_qdpx(out)
    assert report.complete, report.summary_lines()
    assert report.position_unit == unit
    assert comparable(again) == comparable(project)


def test_element_order_and_empty_containers(tmp_path: Path) -> None:
    out = tmp_path / "bare.qdpx"
    write_qdpx(RefiProject(name="Nothing yet"), out, schema=project_xsd())
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("project.qde").decode("utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<Project ')
    assert 'xmlns="urn:QDA-XML:project:1.0"' in xml
    for container in ("Users", "CodeBook", "Sources", "Notes", "Sets", "Cases", "Variables"):
        assert f"<{container}" not in xml
    xmlschema.XMLSchema(project_xsd()).validate(xml)
    project, _ = read_qdpx(out)
    assert project.name == "Nothing yet" and project.origin is not None
    assert project.origin.startswith("Thematica")


def _refused(tmp_path: Path, project: RefiProject, match: str) -> InvalidInputError:
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"the previous export")
    before = snapshot(tmp_path)
    with pytest.raises(InvalidInputError, match=match) as caught:
        write_qdpx(project, target)
    assert snapshot(tmp_path) == before  # no temporary file left behind
    assert target.read_bytes() == b"the previous export"  # and the old file untouched
    return caught.value


def test_a_coding_of_a_missing_code_is_refused(tmp_path: Path) -> None:
    project = rich_project()
    source = project.sources[0]
    bad = replace(
        source.selections[0],
        codings=(*source.selections[0].codings, RefiCoding(guid(99), guid(98))),
    )
    project = replace(project, sources=(replace(source, selections=(bad, *source.selections[1:])),))
    error = _refused(tmp_path, project, f"refers to code {guid(98)}")
    assert error.element == f"Coding {guid(99)}"


def test_a_selection_outside_the_text_is_refused(tmp_path: Path) -> None:
    project = rich_project()
    source = project.sources[0]
    bad = replace(source.selections[0], end=len(TEXT) + 1)
    project = replace(project, sources=(replace(source, selections=(bad, *source.selections[1:])),))
    assert isinstance(_refused(tmp_path, project, "outside the text"), SpanError)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda p: replace(p, description="bell \x07"), "U\\+0007, which XML cannot carry"),
        (
            lambda p: replace(p, codes=(replace(p.codes[0], color="green"), p.codes[1])),
            "not #rrggbb",
        ),
        (
            lambda p: replace(p, cases=(replace(p.cases[0], values={guid(21): ("old",)}),)),
            "'old' is not a Integer value",
        ),
        (
            lambda p: replace(p, notes=(replace(p.notes[0], targets=(guid(60),)), *p.notes[1:])),
            "REFI-QDA can attach notes only",
        ),
        (lambda p: replace(p, users=(p.users[0], p.users[0])), "two users have the GUID"),
        (
            lambda p: replace(p, sets=(replace(p.sets[0], member_code_guids=(guid(97),)),)),
            f"refers to code {guid(97)}",
        ),
        (lambda p: replace(p, users=(RefiUser("robin", "Robin"),)), "'robin' is not a GUID"),
        (
            lambda p: replace(p, variables=(replace(p.variables[0], type_of_variable="Colour"),)),
            "typeOfVariable 'Colour'",
        ),
    ],
    ids=["control-char", "colour", "integer", "note-on-case", "duplicate", "set", "guid", "type"],
)
def test_values_the_schema_would_refuse(tmp_path: Path, change: object, match: str) -> None:
    _refused(tmp_path, change(rich_project()), match)  # type: ignore[operator]


def test_writing_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="cannot write the file"):
        write_qdpx(rich_project(), tmp_path / "no" / "such" / "folder.qdpx")


def test_validation_failure_leaves_nothing(tmp_path: Path) -> None:
    schema = tmp_path / "strict.xsd"
    schema.write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'targetNamespace="urn:QDA-XML:project:1.0" elementFormDefault="qualified">'
        '<xsd:element name="Other"/></xsd:schema>'
    )
    before = snapshot(tmp_path)
    with pytest.raises(InvalidInputError, match=r"does not validate against strict\.xsd") as caught:
        write_qdpx(rich_project(), tmp_path / "out.qdpx", schema=schema)
    assert caught.value.line == 2
    assert snapshot(tmp_path) == before


def test_rich_text_is_carried_through(tmp_path: Path) -> None:
    project = rich_project()
    source = replace(
        project.sources[0], rich_text_path="sources/whatever.DOCX", rich_text_bytes=b"PK\x03\x04"
    )
    out = tmp_path / "rich.qdpx"
    write_qdpx(replace(project, sources=(source,)), out, schema=project_xsd())
    again, report = read_qdpx(out)
    assert again.sources[0].rich_text_bytes == b"PK\x03\x04"
    assert again.sources[0].rich_text_path == f"sources/{guid(30)}.DOCX"
    assert report.complete
