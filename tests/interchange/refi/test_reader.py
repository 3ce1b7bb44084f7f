"""What real exports do (tolerated, and said), what makes a project wrong (refused, and where),
and what cannot be mapped (listed, element by element)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interchange.refi.builders import (
    CODE,
    CODE2,
    CODING,
    SELECTION,
    SOURCE,
    USER,
    codebook,
    guid,
    one_source_project,
    project_xml,
    users,
    write_archive,
)
from thematica.errors import InvalidInputError, SpanError
from thematica.interchange.refi import read_qdpx

AS_WRITTEN = (
    "\ufeffInterviewer: And the pay?\r\nParticipant: The pay is poor.\r\nInterviewer: OK.\r\n"
)
CANONICAL = "Interviewer: And the pay?\nParticipant: The pay is poor.\nInterviewer: OK.\n"


def _at(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def test_bom_and_crlf_positions_are_moved_onto_the_canonical_text(tmp_path: Path) -> None:
    # Positions count characters of the file as written, every CR included, but not the BOM:
    # NVivo for Windows counts from the character after it.
    start, end = _at(AS_WRITTEN[1:], "The pay is poor.\r\nInterviewer")
    members = {
        "project.qde": one_source_project(start, end),
        f"sources/{SOURCE}.txt": AS_WRITTEN.encode("utf-8"),
    }
    project, report = read_qdpx(write_archive(tmp_path / "crlf.qdpx", members))
    source = project.sources[0]
    assert source.text == CANONICAL
    selection = source.selections[0]
    assert selection.of(source.text) == "The pay is poor.\nInterviewer"
    assert (selection.start, selection.end) == _at(CANONICAL, "The pay is poor.\nInterviewer")
    assert source.original_bytes == AS_WRITTEN.encode("utf-8")
    assert any("byte-order mark" in n for n in report.notices)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_text_files_are_decoded_by_their_bom(tmp_path: Path, encoding: str) -> None:
    start, end = _at(AS_WRITTEN[1:], "pay is poor")
    data = AS_WRITTEN.encode(encoding)  # the BOM character encodes as the UTF-16 BOM
    members = {"project.qde": one_source_project(start, end), f"sources/{SOURCE}.txt": data}
    project, _ = read_qdpx(write_archive(tmp_path / "utf16.qdpx", members))
    source = project.sources[0]
    assert source.text == CANONICAL
    assert source.selections[0].of(source.text) == "pay is poor"


def test_positions_in_utf16_units_from_nvivo(tmp_path: Path) -> None:
    text = "Great 😀😀 news. The pay is poor 🙁 and short."
    units = text.encode("utf-16-le")
    passage = "pay is poor 🙁 and"
    start = len(text[: text.index(passage)].encode("utf-16-le")) // 2
    end = start + len(passage.encode("utf-16-le")) // 2
    qde = one_source_project(start, end, origin="NVivo 14")
    members = {"project.qde": qde, f"sources/{SOURCE}.txt": text}
    project, report = read_qdpx(write_archive(tmp_path / "nvivo.qdpx", members))
    assert report.position_unit == "utf-16"
    source = project.sources[0]
    assert source.selections[0].of(source.text) == passage
    assert len(units) // 2 == len(text) + 3
    # The caller can say otherwise, and is believed.
    project, report = read_qdpx(tmp_path / "nvivo.qdpx", position_unit="code-points")
    assert report.position_unit_reason == "given by the caller"
    assert project.sources[0].selections[0].of(project.sources[0].text) != passage


def test_nvivo_for_windows_emoji_after_a_bom_and_crlf(tmp_path: Path) -> None:
    """Fictional text: UTF-16 units over the text after the BOM, CRLF counting two."""
    body = "Interviewer: And the pay? 😀\r\nParticipant: 𝐓he pay 🙁 is poor.\r\nInterviewer: OK 👍."
    passage = "𝐓he pay 🙁 is poor.\r\nInterviewer: OK 👍"
    start = len(body[: body.index(passage)].encode("utf-16-le")) // 2
    end = start + len(passage.encode("utf-16-le")) // 2
    members = {
        "project.qde": one_source_project(start, end, origin="NVivo 12 (Windows)"),
        f"sources/{SOURCE}.txt": ("\ufeff" + body).encode("utf-8"),
    }
    project, report = read_qdpx(write_archive(tmp_path / "windows.qdpx", members))
    assert report.position_unit == "utf-16"
    source = project.sources[0]
    assert source.selections[0].of(source.text) == passage.replace("\r\n", "\n")


def test_tolerated_deviations(tmp_path: Path) -> None:
    """Sources/ upper-case, a .qde with another name, no XML declaration, a bare plainTextPath
    in another case, a source without a name, an empty <Sets/>, different users on a selection
    and its coding."""
    other = guid(99)
    body = (
        f'<Users><User guid="{USER}" name="Robin"/><User guid="{other}" name="Sam"/></Users>'
        + codebook((CODE, "Pay"))
        + f'<Sources><TextSource guid="{{{SOURCE.upper()}}}" plainTextPath="INTERVIEW one.TXT">'
        f'<PlainTextSelection guid="{SELECTION}" startPosition="4" endPosition="7" '
        f'creatingUser="{other}"><Coding guid="{CODING}" creatingUser="{USER}">'
        f'<CodeRef targetGUID="{CODE.upper()}"/></Coding></PlainTextSelection>'
        "</TextSource></Sources><Sets/>"
    )
    members = {
        "My study.qde": project_xml(body, declaration=False),
        "Sources/interview one.txt": "The pay is poor.",
    }
    project, report = read_qdpx(write_archive(tmp_path / "odd.qdpx", members))
    source = project.sources[0]
    assert source.guid == SOURCE  # braces and capitals normalised
    assert source.name == "interview one"  # the file as stored in the archive
    assert source.original_path == "Sources/interview one.txt"
    selection = source.selections[0]
    assert selection.of(source.text) == "pay"
    assert selection.creating_user == other
    assert selection.codings[0].creating_user == USER
    assert selection.codings[0].code_guid == CODE
    notices = "\n".join(report.notices)
    assert "named 'My study.qde', not project.qde" in notices
    assert "empty <Sets/>" in notices
    assert "has no name" in notices
    assert "different from their coding's" in notices
    assert project.sets == ()


def test_inline_text_and_whole_source_codings(tmp_path: Path) -> None:
    body = (
        codebook((CODE, "Pay"), (CODE2, "Contract"))
        + f'<Sources><TextSource guid="{SOURCE}" name="Inline">'
        "<Description>typed in</Description>"
        "<PlainTextContent>Short contracts, poor pay.</PlainTextContent>"
        f'<PlainTextSelection guid="{SELECTION}" startPosition="0" endPosition="15">'
        f'<Coding guid="{CODING}"><CodeRef targetGUID="{CODE2}"/></Coding></PlainTextSelection>'
        f'<Coding guid="{guid(50)}"><CodeRef targetGUID="{CODE}"/></Coding>'
        "</TextSource></Sources>"
    )
    project, report = read_qdpx(write_archive(tmp_path / "in.qdpx", {"p.qde": project_xml(body)}))
    source = project.sources[0]
    assert (source.text, source.description, source.original_path) == (
        "Short contracts, poor pay.",
        "typed in",
        None,
    )
    assert source.selections[0].of(source.text) == "Short contracts"
    assert [c.code_guid for c in source.codings] == [CODE]
    assert report.imported["codings"] == 2


def test_notes_cases_variables_and_sets(tmp_path: Path) -> None:
    note, project_note, variable, case, a_set = guid(60), guid(61), guid(62), guid(63), guid(64)
    body = (
        users()
        + f'<CodeBook><Codes><Code guid="{CODE}" name="Pay" isCodable="true" color="#ff0000">'
        f'<Description>Money</Description><NoteRef targetGUID="{note}"/></Code></Codes></CodeBook>'
        f'<Variables><Variable guid="{variable}" name="Role" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{case}" name="P01">'
        f'<VariableValue><VariableRef targetGUID="{variable}"/>'
        "<TextValue>peer worker</TextValue></VariableValue>"
        f'<VariableValue><VariableRef targetGUID="{variable}"/><TextValue>trainer</TextValue>'
        f'</VariableValue><SourceRef targetGUID="{SOURCE}"/></Case></Cases>'
        f'<Sources><TextSource guid="{SOURCE}" name="T1" plainTextPath="internal://{SOURCE}.txt">'
        f'<PlainTextSelection guid="{SELECTION}" startPosition="4" endPosition="7">'
        f'<Coding guid="{CODING}" creatingUser="{USER}"><CodeRef targetGUID="{CODE}"/>'
        f'<NoteRef targetGUID="{note}"/></Coding></PlainTextSelection></TextSource></Sources>'
        f'<Notes><Note guid="{note}" name="Memo" creatingUser="{USER}" '
        'creationDateTime="2024-05-01T10:00:00Z"><PlainTextContent>Pay comes up a lot.'
        f'</PlainTextContent></Note><Note guid="{project_note}" name="Journal">'
        "<PlainTextContent>Day one.</PlainTextContent></Note></Notes>"
        f'<Sets><Set guid="{a_set}" name="Wave 1">'
        f'<MemberSource targetGUID="{SOURCE}"/></Set></Sets>'
        f'<Description>A study</Description><NoteRef targetGUID="{project_note}"/>'
    )
    members = {"project.qde": project_xml(body), f"sources/{SOURCE}.txt": "The pay is poor."}
    project, report = read_qdpx(write_archive(tmp_path / "all.qdpx", members))
    assert report.complete
    assert project.codes[0].color == "#ff0000" and project.codes[0].description == "Money"
    memo = project.notes[0]
    assert (memo.text, memo.creating_user) == ("Pay comes up a lot.", USER)
    assert memo.creation_date is not None and memo.creation_date.year == 2024
    assert memo.targets == (CODE, CODING)
    assert project.note_guids == (project_note,)
    assert project.variables[0].name == "Role"
    assert project.cases[0].values == {variable: ("peer worker", "trainer")}
    assert project.cases[0].source_refs == (SOURCE,)
    assert project.sets[0].member_source_guids == (SOURCE,)
    assert project.description == "A study"


def test_what_cannot_be_mapped_is_listed(tmp_path: Path) -> None:
    picture, pic_sel, pic_coding = guid(70), guid(71), guid(72)
    body = (
        codebook((CODE, "Pay"))
        + f'<Sources><PictureSource guid="{picture}" name="Photo" path="internal://{picture}.png">'
        f'<PictureSelection guid="{pic_sel}" firstX="0" firstY="0" secondX="5" secondY="5">'
        f'<Coding guid="{pic_coding}"><CodeRef targetGUID="{CODE}"/></Coding>'
        "</PictureSelection></PictureSource>"
        f'<PDFSource guid="{guid(73)}" name="Report"/><AudioSource guid="{guid(74)}"/>'
        f'<VideoSource guid="{guid(75)}"/></Sources>'
        f'<Notes><Note guid="{guid(76)}"><PlainTextContent>n</PlainTextContent>'
        f'<PlainTextSelection guid="{guid(77)}" startPosition="0" endPosition="1"/></Note></Notes>'
        f'<Links><Link guid="{guid(78)}" originGUID="{CODE}" targetGUID="{picture}"/></Links>'
        f'<Graphs><Graph guid="{guid(79)}"><Vertex guid="{guid(80)}" firstX="1" firstY="1"/>'
        f'</Graph></Graphs><NoteRef targetGUID="{guid(81)}"/>'
        '<Vendor xmlns="urn:example:vendor"/>'
    )
    members = {
        "project.qde": project_xml(body),
        f"sources/{picture}.png": b"\x89PNG",
        "sources/stray.txt": "left over",
    }
    project, report = read_qdpx(write_archive(tmp_path / "media.qdpx", members))
    assert project.sources == () and len(project.notes) == 1
    assert report.unmapped_counts() == {
        "PictureSource": 1,
        "PictureSelection": 1,
        "Coding": 1,
        "PDFSource": 1,
        "AudioSource": 1,
        "VideoSource": 1,
        "PlainTextSelection": 1,
        "Link": 1,
        "Graph": 1,
        "Vertex": 1,
        "NoteRef": 1,
        "Vendor": 1,
        "archive member": 1,
    }
    by_guid = {item.guid: item for item in report.unmapped if item.guid}
    assert by_guid[picture].name == "Photo" and "picture" in by_guid[picture].reason
    assert by_guid[pic_coding].inside == picture
    assert [i.name for i in report.unmapped if i.element == "archive member"] == [
        "sources/stray.txt"
    ]
    lines = report.summary_lines()
    assert any(line.startswith("not imported: 1 PictureSource") for line in lines)
    assert any(f"PictureSource 'Photo' ({picture})" in line for line in lines)


def test_a_stray_element_in_a_list_is_listed_not_imported(tmp_path: Path) -> None:
    body = "".join(
        f'<{parent}><Stray guid="{guid(n)}"/></{parent}>'
        for n, parent in enumerate(["Users", "Variables", "Notes", "Cases", "Sets"], start=90)
    )
    project, report = read_qdpx(
        write_archive(tmp_path / "stray.qdpx", {"project.qde": project_xml(body)})
    )
    assert (project.users, project.variables, project.notes, project.cases, project.sets) == (
        (),
        (),
        (),
        (),
        (),
    )
    assert [(u.element, u.guid, u.reason) for u in report.unmapped] == [
        ("Stray", guid(90), "only <User> belongs in <Users>"),
        ("Stray", guid(91), "only <Variable> belongs in <Variables>"),
        ("Stray", guid(92), "only <Note> belongs in <Notes>"),
        ("Stray", guid(93), "only <Case> belongs in <Cases>"),
        ("Stray", guid(94), "only <Set> belongs in <Sets>"),
    ]


def test_a_case_or_set_without_a_name_is_named_by_its_guid(tmp_path: Path) -> None:
    body = f'<Cases><Case guid="{guid(95)}"/></Cases><Sets><Set guid="{guid(96)}"/></Sets>'
    archive = write_archive(tmp_path / "unnamed.qdpx", {"project.qde": project_xml(body)})
    project, report = read_qdpx(archive)
    assert [c.name for c in project.cases] == [guid(95)]
    assert [s.name for s in project.sets] == [guid(96)]
    assert f"case {guid(95)} has no name; its GUID is used" in report.notices
    assert f"set {guid(96)} has no name; its GUID is used" in report.notices


# -- what makes a project wrong ----------------------------------------------------------------


def _read(tmp_path: Path, qde: str, text: str = "The pay is poor.") -> None:
    read_qdpx(
        write_archive(tmp_path / "p.qdpx", {"project.qde": qde, f"sources/{SOURCE}.txt": text})
    )


def test_a_coding_of_a_code_that_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=f"refers to code {CODE2}") as caught:
        _read(tmp_path, one_source_project(4, 7, code=CODE2))
    assert caught.value.element == f"Coding {CODING}"
    assert caught.value.line == 3
    assert caught.value.file is not None and caught.value.file.endswith("p.qdpx/project.qde")


def test_positions_beyond_the_text(tmp_path: Path) -> None:
    with pytest.raises(
        SpanError, match="outside the text of source 'T1' \\(16 characters\\)"
    ) as caught:
        _read(tmp_path, one_source_project(4, 17))
    assert caught.value.span == (4, 17)
    assert caught.value.element == f"PlainTextSelection {SELECTION}"


def test_reversed_positions(tmp_path: Path) -> None:
    with pytest.raises(SpanError, match="startPosition is after endPosition"):
        _read(tmp_path, one_source_project(7, 4))


def test_an_empty_selection_is_listed_not_imported(tmp_path: Path) -> None:
    members = {"project.qde": one_source_project(4, 4), f"sources/{SOURCE}.txt": "The pay."}
    project, report = read_qdpx(write_archive(tmp_path / "e.qdpx", members))
    assert project.sources[0].selections == ()
    assert report.unmapped_counts() == {"PlainTextSelection": 1, "Coding": 1}


def test_a_source_file_missing_from_the_archive(tmp_path: Path) -> None:
    qde = one_source_project(4, 7)
    with pytest.raises(InvalidInputError, match="missing from the archive") as caught:
        read_qdpx(write_archive(tmp_path / "p.qdpx", {"project.qde": qde}))
    assert caught.value.element == f"TextSource {SOURCE}"


def test_a_source_outside_the_archive(tmp_path: Path) -> None:
    qde = one_source_project(4, 7, path="absolute:///home/someone/interview.txt")
    with pytest.raises(InvalidInputError, match="missing from the archive"):
        _read(tmp_path, qde)


def test_a_text_file_that_is_not_utf8(tmp_path: Path) -> None:
    qde = one_source_project(0, 3)
    members = {"project.qde": qde, f"sources/{SOURCE}.txt": "café\nna\xefve".encode("latin-1")}
    with pytest.raises(InvalidInputError, match="not valid UTF-8") as caught:
        read_qdpx(write_archive(tmp_path / "p.qdpx", members))
    assert caught.value.line == 1


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('<Users><User guid="not-a-guid" name="x"/></Users>', "is not a GUID"),
        ('<Users><User name="x"/></Users>', "'guid' is missing"),
        (codebook((CODE, "A"), (CODE, "B")), "two codes have the GUID"),
        (f'<Cases><Case guid="{guid(90)}"/><Case guid="{guid(90)}"/></Cases>', "two cases have"),
        (f'<Sets><Set guid="{guid(91)}"/><Set guid="{guid(91)}"/></Sets>', "two sets have"),
        (
            f'<CodeBook><Codes><Code guid="{CODE}" name="A" isCodable="maybe"/></Codes></CodeBook>',
            "neither true nor false",
        ),
    ],
)
def test_broken_elements_are_named(tmp_path: Path, body: str, match: str) -> None:
    with pytest.raises(InvalidInputError, match=match) as caught:
        _read(tmp_path, project_xml(body))
    assert caught.value.line is not None


def test_unreadable_dates_and_colours_are_listed(tmp_path: Path) -> None:
    body = (
        f'<CodeBook><Codes><Code guid="{CODE}" name="A" isCodable="true" color="red"/></Codes>'
        f'</CodeBook><Sources><TextSource guid="{SOURCE}" name="T" creationDateTime="yesterday">'
        "<PlainTextContent>x</PlainTextContent></TextSource></Sources>"
    )
    project, report = read_qdpx(
        write_archive(tmp_path / "p.qdpx", {"project.qde": project_xml(body)})
    )
    assert project.codes[0].color is None
    assert project.sources[0].creation_date is None
    assert report.unmapped_counts() == {"Code/@color": 1, "TextSource/@creationDateTime": 1}


def test_a_source_over_the_limit_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    # Fictional filler: compresses ~3x, not a zip bomb, just one source too many bytes long.
    text = "".join(
        f"Participant {i}: the rota changed again on day {i * 7 % 31}.\n" for i in range(3000)
    )
    members = {"project.qde": one_source_project(0, 11), f"sources/{SOURCE}.txt": text}
    path = write_archive(tmp_path / "big.qdpx", members)
    size = len(text.encode("utf-8"))
    project, _ = read_qdpx(path, max_source_bytes=size)
    assert project.sources[0].text == text
    with pytest.raises(InvalidInputError) as caught:
        read_qdpx(path, max_source_bytes=size - 1)
    message = str(caught.value)
    assert f"would inflate to {size:,} bytes, over the limit of {size - 1:,}" in message
    assert "big.qdpx/project.qde" in message and "TextSource" in message


def test_inline_text_over_the_limit_is_refused(tmp_path: Path) -> None:
    body = (
        users()
        + codebook((CODE, "Pay"))
        + f'<Sources><TextSource guid="{SOURCE}" name="T1"><PlainTextContent>'
        + "Words words words. " * 500
        + "</PlainTextContent></TextSource></Sources>"
    )
    path = write_archive(tmp_path / "inline.qdpx", {"project.qde": project_xml(body)})
    assert read_qdpx(path, max_source_bytes=10_000)[0].sources
    with pytest.raises(InvalidInputError, match="inline text is over the limit of 1,000 bytes"):
        read_qdpx(path, max_source_bytes=1000)
