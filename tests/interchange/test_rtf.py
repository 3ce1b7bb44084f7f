from __future__ import annotations

import pytest

from tests.interchange.made_files import make_docx
from thematica.errors import InvalidInputError
from thematica.interchange.rtf import read_rtf
from thematica.interchange.word import read_docx

RTF = (
    rb"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Word;}\f0 "
    rb"Interviewer: caf\'e9 or \u8364? cash?\par "
    rb"{\b P02:} I paid \u8364?5.\par}"
)


def test_rtf_paragraphs_and_escapes() -> None:
    imported = read_rtf(RTF, "i.rtf")
    assert imported.text == "Interviewer: café or € cash?\n\nP02: I paid €5.\n"
    assert [t.speaker for t in imported.turns] == ["Interviewer", "P02"]


def test_rtf_reads_like_the_same_docx() -> None:
    docx = make_docx(["Interviewer: café or € cash?", "P02: I paid €5."])
    assert read_rtf(RTF, "i.rtf").text == read_docx(docx, "i.docx").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"plain text", "not an RTF file"),
        (b"{\\rtf1 \x00\x01\x02}", "the RTF file holds binary data"),
    ],
)
def test_not_rtf(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=rf"^x\.rtf: {message}"):
        read_rtf(data, "x.rtf")


def test_rtf_with_no_text_is_empty() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        read_rtf(rb"{\rtf1{\fonttbl{\f0 Arial;}}}", "e.rtf")


def test_a_whole_rtf_carries_no_notice() -> None:
    assert read_rtf(RTF, "i.rtf").notices == ()


def test_a_truncated_rtf_is_imported_with_a_warning_never_silently() -> None:
    cut = RTF[: RTF.index(rb"I paid")]  # the transfer stopped inside the last paragraph
    imported = read_rtf(cut, "cut.rtf")
    assert imported.text.startswith("Interviewer: café or € cash?")
    assert len(imported.notices) == 1
    assert "1 group(s) still open: it looks truncated" in imported.notices[0]


def test_an_escaped_brace_is_text_not_a_group() -> None:
    data = rb"{\rtf1\ansi Interviewer: a \{ brace \} and \\ slash.\par}"
    imported = read_rtf(data, "b.rtf")
    assert imported.notices == () and "a { brace } and \\ slash." in imported.text


def test_a_group_closed_that_never_opened_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^x\.rtf, line 2: the RTF file closes a group"):
        read_rtf(b"{\\rtf1 Interviewer: hi\\par}\n}}", "x.rtf")
