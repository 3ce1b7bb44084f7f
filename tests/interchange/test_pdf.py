from __future__ import annotations

import io

import pytest

from tests.interchange.made_files import make_image_only_pdf, make_pdf
from thematica.errors import InvalidInputError
from thematica.interchange.pdf import read_pdf

PAGES = [
    ["Interviewer: What helped most?", "Participant: Being listened to,"],
    ["Participant: and the team meetings.", "Interviewer: Thank you."],
]


def test_text_layer_with_turns_across_pages() -> None:
    imported = read_pdf(make_pdf(PAGES), "i.pdf")
    assert [t.speaker for t in imported.turns] == [
        "Interviewer",
        "Participant",
        "Participant",
        "Interviewer",
    ]
    for turn in imported.turns:
        assert turn.span.of(imported.text).startswith(f"{turn.speaker}: ")
    assert imported.source_format == "pdf"


def test_scanned_pdf_without_text_suggests_ocr() -> None:
    with pytest.raises(InvalidInputError, match=r"^scan\.pdf: .*no text layer.*OCR"):
        read_pdf(make_image_only_pdf(), "scan.pdf")


def test_truncated_and_corrupt_pdf() -> None:
    data = make_pdf(PAGES)
    with pytest.raises(InvalidInputError, match=r"^cut\.pdf: the PDF is damaged"):
        read_pdf(data[: len(data) // 3], "cut.pdf")
    with pytest.raises(InvalidInputError, match=r"^x\.pdf: not a PDF"):
        read_pdf(b"hello, not a pdf", "x.pdf")


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_named() -> None:
    with pytest.raises(InvalidInputError, match=r"^locked\.pdf: .*password-protected"):
        read_pdf(_encrypted("secret"), "locked.pdf")


def test_pdf_restricted_only_for_editing_is_read() -> None:
    imported = read_pdf(_encrypted(""), "restricted.pdf")
    assert "Being listened to" in imported.text
