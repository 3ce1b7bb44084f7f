"""REFI-QDA codebook files (.qdc): read, write, validate, and what real ones get wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from tests.interchange.refi.builders import codebook_xsd, guid, snapshot
from thematica.errors import InvalidInputError
from thematica.interchange.refi import RefiCode, RefiSet, read_qdc, write_qdc

CB = "urn:QDA-XML:codebook:1.0"

CODES = (
    RefiCode(
        guid(1),
        "Barriers",
        "#cc0000",
        "What gets in the way",
        False,
        (
            RefiCode(guid(2), "Pay", None, "Low or insecure pay"),
            RefiCode(guid(3), "Stigma & <bias>"),
        ),
    ),
    RefiCode(guid(4), "Facilitators", "#0c0"),
)
SETS = (RefiSet(guid(9), "Systemic", member_code_guids=(guid(2), guid(3)), description="wider"),)


def test_round_trip_with_sets_validates(tmp_path: Path) -> None:
    path = tmp_path / "codes.qdc"
    write_qdc(CODES, path, sets=SETS, schema=codebook_xsd())
    xml = path.read_text(encoding="utf-8")
    assert xml.startswith('<?xml version="1.0" encoding="utf-8"?>\n<CodeBook ')
    xmlschema.XMLSchema(codebook_xsd()).validate(xml)
    book, report = read_qdc(path)
    assert book.codes == CODES
    assert book.sets == SETS
    assert book.origin is not None and book.origin.startswith("Thematica")
    assert report.imported == {"codes": 4, "sets": 1} and report.complete


def test_an_empty_sets_element_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "tool.qdc"
    path.write_text(
        f'<CodeBook xmlns="{CB}" origin="Some tool"><Codes>'
        f'<Code guid="{{{guid(1).upper()}}}" name="A" isCodable="true"/></Codes><Sets/></CodeBook>',
        encoding="utf-8",
    )
    book, report = read_qdc(path)
    assert [c.guid for c in book.codes] == [guid(1)]
    assert report.notices == ("an empty <Sets/> (not allowed by the schema) was ignored",)


def test_a_set_member_that_is_not_a_code_is_listed(tmp_path: Path) -> None:
    path = tmp_path / "tool.qdc"
    path.write_text(
        f'<CodeBook xmlns="{CB}"><Codes><Code guid="{guid(1)}" name="A" isCodable="true"/>'
        f'</Codes><Sets><Set guid="{guid(5)}" name="S"><MemberCode guid="{guid(1)}"/>'
        f'<MemberCode guid="{guid(6)}"/></Set></Sets></CodeBook>',
        encoding="utf-8",
    )
    book, report = read_qdc(path)
    assert book.sets[0].member_code_guids == (guid(1),)
    assert report.unmapped_counts() == {"MemberCode": 1}


def test_not_a_codebook(tmp_path: Path) -> None:
    path = tmp_path / "project.qdc"
    path.write_text('<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>', encoding="utf-8")
    with pytest.raises(InvalidInputError, match="root element is <Project>"):
        read_qdc(path)


@pytest.mark.parametrize(("content", "match"), [(b"", "empty"), (b"<CodeBook>", "not well-formed")])
def test_broken_codebook_files(tmp_path: Path, content: bytes, match: str) -> None:
    path = tmp_path / "broken.qdc"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=match):
        read_qdc(path)


def test_a_codebook_larger_than_allowed(tmp_path: Path) -> None:
    path = tmp_path / "huge.qdc"
    path.write_bytes(b" " * 2000)
    with pytest.raises(InvalidInputError, match="more than the 1,000 allowed"):
        read_qdc(path, max_bytes=1000)


def test_writing_refuses_non_code_members_and_leaves_nothing(tmp_path: Path) -> None:
    before = snapshot(tmp_path)
    with pytest.raises(InvalidInputError, match="can hold only codes"):
        write_qdc(CODES, tmp_path / "x.qdc", sets=(RefiSet(guid(9), "S", (guid(1),)),))
    with pytest.raises(InvalidInputError, match="at least one code"):
        write_qdc((), tmp_path / "x.qdc")
    assert snapshot(tmp_path) == before
