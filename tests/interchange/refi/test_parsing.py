"""Hostile and malformed XML, in a project archive and in a codebook file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.interchange.refi.builders import NS, SOURCE, USER, snapshot, write_archive
from thematica.errors import InvalidInputError
from thematica.interchange.refi import read_qdc, read_qdpx

XXE = (
    '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    f'<Project xmlns="{NS}" name="&e;"/>'
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + f']>\n<Project xmlns="{NS}" name="&lol9;"/>'
)
EXTERNAL_DTD = (
    '<?xml version="1.0"?>\n<!DOCTYPE Project SYSTEM "http://example.invalid/evil.dtd">\n'
    f'<Project xmlns="{NS}" name="x"/>'
)
MALFORMED = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    f'<Project xmlns="{NS}" name="x">\n'
    "<Users>\n"
    f'<User guid="{USER}" name="Robin">\n'
    "</Users>\n"
    "</Project>\n"
)


@pytest.mark.parametrize("xml", [XXE, BILLION_LAUGHS, EXTERNAL_DTD], ids=["xxe", "laughs", "dtd"])
def test_dtds_and_entities_are_refused_in_a_project(tmp_path: Path, xml: str) -> None:
    path = write_archive(tmp_path / "evil.qdpx", {"project.qde": xml})
    before = snapshot(tmp_path)
    with pytest.raises(InvalidInputError, match="DTDs, entity declarations") as caught:
        read_qdpx(path)
    assert caught.value.file == f"{path}/project.qde"
    assert snapshot(tmp_path) == before
    assert "root:" not in str(caught.value)  # nothing of /etc/passwd leaked into the message


@pytest.mark.parametrize("xml", [XXE, BILLION_LAUGHS], ids=["xxe", "laughs"])
def test_dtds_and_entities_are_refused_in_a_codebook(tmp_path: Path, xml: str) -> None:
    path = tmp_path / "evil.qdc"
    path.write_text(xml.replace("Project", "CodeBook").replace(NS, "urn:QDA-XML:codebook:1.0"))
    with pytest.raises(InvalidInputError, match="DTDs, entity declarations"):
        read_qdc(path)


def test_malformed_xml_names_file_line_and_element(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "broken.qdpx", {"project.qde": MALFORMED})
    with pytest.raises(InvalidInputError, match="not well-formed XML") as caught:
        read_qdpx(path)
    error = caught.value
    assert error.file == f"{path}/project.qde"
    assert error.line == 5  # where </Users> closes a <User> that is still open
    assert error.element == "User"
    assert "line 5" in str(error) and "User" in str(error)


def test_an_undeclared_entity_is_malformed_not_expanded(tmp_path: Path) -> None:
    xml = f'<Project xmlns="{NS}" name="&secret;"/>'
    path = write_archive(tmp_path / "entity.qdpx", {"project.qde": xml})
    with pytest.raises(InvalidInputError, match="not well-formed") as caught:
        read_qdpx(path)
    assert caught.value.line == 1


def test_text_instead_of_xml(tmp_path: Path) -> None:
    members = {"project.qde": "this is not XML", f"sources/{SOURCE}.txt": "x"}
    with pytest.raises(InvalidInputError, match="not well-formed"):
        read_qdpx(write_archive(tmp_path / "text.qdpx", members))


def test_a_root_that_is_not_a_project(tmp_path: Path) -> None:
    path = write_archive(tmp_path / "odd.qdpx", {"project.qde": f'<CodeBook xmlns="{NS}"/>'})
    with pytest.raises(InvalidInputError, match="root element is <CodeBook>"):
        read_qdpx(path)
