"""The real exports in ../shared/samples/refi-qda: read them, and give them back whole.

The counts asserted were taken from the files themselves (counting elements in project.qde).
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema

from tests.conftest import require_shared
from tests.interchange.refi.builders import codebook_xsd, project_xsd
from thematica.interchange.refi import (
    RefiProject,
    RefiSource,
    read_qdc,
    read_qdpx,
    write_qdc,
    write_qdpx,
)

NVIVO = "refi-qda/nvivo12mac_OltasSzkepticizmus_17June.qdpx"
QC = "refi-qda/qc132_demo_interview_and_board_meeting.qdpx"

EXPECTED = {
    NVIVO: {
        "users": 2,
        "codes": 152,
        "sources": 2,
        "selections": 297,
        "codings": 297,
        "notes": 0,
        "variables": 0,
        "cases": 0,
        "sets": 0,
    },
    QC: {
        "users": 1,
        "codes": 262,
        "sources": 2,
        "selections": 158,
        "codings": 205,
        "notes": 0,
        "variables": 0,
        "cases": 0,
        "sets": 0,
    },
}


def _sample(name: str) -> Path:
    return require_shared() / name


def _coded_text(project: RefiProject) -> dict[str, str]:
    return {x.guid: x.of(s.text) for s in project.sources for x in s.selections}


def _cuts_inside_words(source: RefiSource) -> int:
    text, cuts = source.text, 0
    for x in source.selections:
        for at in (x.start, x.end):
            if 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
                cuts += 1
    return cuts


@pytest.mark.parametrize("name", [NVIVO, QC])
def test_counts_match_the_files(name: str) -> None:
    project, report = read_qdpx(_sample(name))
    assert project.counts() == EXPECTED[name]
    assert report.imported == EXPECTED[name]


@pytest.mark.parametrize("name", [NVIVO, QC])
def test_every_selection_covers_sensible_text(name: str) -> None:
    project, _ = read_qdpx(_sample(name))
    for source in project.sources:
        for x in source.selections:
            assert 0 <= x.start < x.end <= len(source.text)
            assert x.of(source.text).strip(), x.guid
            assert x.codings, x.guid
        # Selections start and end at word boundaries almost always (a coder may cut a word).
        boundaries = 2 * len(source.selections)
        assert _cuts_inside_words(source) <= max(3, boundaries // 100)


def test_nvivo_positions_are_utf16_units() -> None:
    project, report = read_qdpx(_sample(NVIVO))
    assert report.position_unit == "utf-16"
    assert "NVivo" in report.position_unit_reason
    texts = _coded_text(project)
    # Emoji come before this comment in the text: read as code points it would start mid-word.
    assert texts["29823243-1af4-4cd8-a7e9-e4c45028758b"] == (
        "A Politikusoknak kötemező, ja leszavazták maguknak!"
    )
    users = {u.guid: u for u in project.users}
    assert users["f93ad076-5ca1-4f46-abf4-b4b67130a6e2"].user_id == "SF"
    assert {u.name for u in project.users} == {"floriansipos", "Gergo"}


def test_nvivo_keeps_descriptions_rich_text_and_originals() -> None:
    project, report = read_qdpx(_sample(NVIVO))
    first = project.codes[0]
    assert (first.name, first.description) == ("1. Oltás típusa", "COVID vay nem COVID")
    assert [c.name for c in first.children] == ["COVID", "Nem COVID"]
    for source in project.sources:
        assert source.original_path == f"sources/{source.guid}.txt"
        assert source.original_bytes is not None
        assert source.rich_text_path == f"sources/{source.guid}.docx"
        assert source.rich_text_bytes is not None and source.rich_text_bytes[:2] == b"PK"
    # Only NVivo's empty marker file is left over, and it is reported, not dropped.
    assert report.unmapped_counts() == {"archive member": 1}
    assert report.unmapped[0].name == "sources/.root"


def test_qc_export_that_bends_the_standard() -> None:
    project, report = read_qdpx(_sample(QC))
    assert report.position_unit == "code-points"
    assert [s.name for s in project.sources] == ["board_2017", "admin-1"]
    assert any("has no name" in n for n in report.notices)
    assert "158 selection(s) without creatingUser" in report.notices
    selections = project.sources[0].selections
    assert all(x.creating_user is None for x in selections)
    assert all(c.creating_user == project.users[0].guid for x in selections for c in x.codings)
    assert selections[0].of(project.sources[0].text).startswith("This district goal is engage")
    assert report.complete


@pytest.mark.parametrize("name", [NVIVO, QC])
def test_round_trip_is_lossless_and_validates(name: str, tmp_path: Path) -> None:
    project, _ = read_qdpx(_sample(name))
    out = tmp_path / "export.qdpx"
    write_qdpx(project, out)
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde")
    assert qde.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    xmlschema.XMLSchema(project_xsd()).validate(qde.decode("utf-8"))

    again, report = read_qdpx(out)
    assert again.counts() == project.counts()
    assert _coded_text(again) == _coded_text(project)
    assert again.codes == project.codes
    assert again.users == project.users
    assert report.complete and report.position_unit == "code-points"

    # Everything else is equal too, except where the text was read from.
    def strip(p: RefiProject) -> RefiProject:
        sources = tuple(
            replace(s, original_path=None, original_bytes=None, rich_text_path=None)
            for s in p.sources
        )
        return replace(p, sources=sources, origin=None)

    assert strip(again) == strip(project)


@pytest.mark.parametrize("name", [NVIVO, QC])
def test_codebook_round_trip_validates(name: str, tmp_path: Path) -> None:
    project, _ = read_qdpx(_sample(name))
    out = tmp_path / "codes.qdc"
    write_qdc(project.codes, out)
    xmlschema.XMLSchema(codebook_xsd()).validate(out.read_text(encoding="utf-8"))
    book, report = read_qdc(out)
    assert book.codes == project.codes
    assert report.imported == {"codes": EXPECTED[name]["codes"], "sets": 0}


def test_export_for_nvivo_counts_utf16_units(tmp_path: Path) -> None:
    project, _ = read_qdpx(_sample(NVIVO))
    out = tmp_path / "for-nvivo.qdpx"
    write_qdpx(project, out, position_unit="utf-16", schema=project_xsd())
    with zipfile.ZipFile(out) as zf:
        qde = zf.read("project.qde").decode("utf-8")
    # The positions written are NVivo's own again.
    assert 'startPosition="2850" endPosition="2901"' in qde
    again, report = read_qdpx(out)
    assert report.position_unit == "utf-16"
    assert _coded_text(again) == _coded_text(project)


def _windows_variant(sample: Path, out: Path, origin: str | None) -> Path:
    """The NVivo sample as NVivo for Windows writes it: each text file with a byte-order mark
    and CRLF line endings, positions in UTF-16 units over the text after the BOM (so each
    position moves on by the line breaks before it). Built here, at test time."""
    from lxml import etree

    from thematica.interchange.refi.positions import Utf16Offsets

    with zipfile.ZipFile(sample) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    root = etree.fromstring(members["project.qde"])
    ns = "{urn:QDA-XML:project:1.0}"
    for source in root.iter(f"{ns}TextSource"):
        member = "sources/" + source.get("plainTextPath").removeprefix("internal://")
        text = members[member].decode("utf-8")
        assert "\r" not in text and not text.startswith("\ufeff")
        units = Utf16Offsets(text)
        for selection in source.iter(f"{ns}PlainTextSelection"):
            for attribute in ("startPosition", "endPosition"):
                at = int(selection.get(attribute))
                breaks = text.count("\n", 0, units.to_code_points(at))
                selection.set(attribute, str(at + breaks))
        members[member] = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    if origin is None:
        del root.attrib["origin"]
    else:
        root.set("origin", origin)
    members["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out


@pytest.mark.parametrize("origin", ["NVivo 12 (Windows)", None])
def test_nvivo_for_windows_bom_and_crlf_every_coding_exact(
    tmp_path: Path, origin: str | None
) -> None:
    mac, _ = read_qdpx(_sample(NVIVO))
    expected = _coded_text(mac)
    assert len(expected) == 297
    windows = _windows_variant(_sample(NVIVO), tmp_path / "windows.qdpx", origin)
    project, report = read_qdpx(windows)
    assert report.position_unit == "utf-16" and not report.position_unit_close
    got = _coded_text(project)
    exact = sum(got[guid] == text for guid, text in expected.items())
    assert exact == 297
    assert [s.text for s in project.sources] == [s.text for s in mac.sources]
    assert any("byte-order mark not" in n for n in report.notices)
    if origin is None:  # the evidence alone decided, and says how
        assert "cut a word" in report.position_unit_reason
