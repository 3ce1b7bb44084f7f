from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import require_shared
from tests.interchange.made_files import make_docx, make_docx_table, replace_member
from thematica.errors import InvalidInputError
from thematica.interchange.plaintext import read_text
from thematica.interchange.word import read_docx

INTERVIEW = [
    "Interviewer: How did you come to peer support?",
    "Participant: Through my own recovery, really. My supervisor, um, she gets it.",
    "Interviewer: And the pay?",
    "Participant: The pay is poor — “six months” at a time, café hours.",
]


@pytest.mark.parametrize("bold_labels", [False, True])
def test_same_interview_as_docx_and_txt_reads_the_same(bold_labels: bool) -> None:
    from_docx = read_docx(make_docx(INTERVIEW, bold_labels=bold_labels), "i.docx")
    typed = "\r\n\r\n".join(INTERVIEW).encode("utf-8-sig")  # Notepad: BOM and CRLF
    from_txt = read_text(typed, "i.txt")
    assert from_docx.text == from_txt.text
    assert from_docx.turns == from_txt.turns
    assert [t.speaker for t in from_docx.turns] == ["Interviewer", "Participant"] * 2
    assert from_docx.source_format == "docx"


def test_tables_of_speaker_and_speech_become_turns() -> None:
    data = make_docx_table(
        [["Speaker", "Text"], ["Interviewer", "Hello there."], ["P03", "Hi, good to be here."]]
    )
    imported = read_docx(data, "t.docx")
    assert [(t.speaker, t.span.of(imported.text)) for t in imported.turns] == [
        ("Interviewer", "Interviewer: Hello there."),
        ("P03", "P03: Hi, good to be here."),
    ]


def test_real_qualcoder_docx() -> None:
    path = require_shared() / "transcripts" / "qualcoder_examples" / "ID1.docx"
    imported = read_docx(path.read_bytes(), str(path))
    paragraphs = imported.text.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("I really like learning new things.")
    assert "\r" not in imported.text and "  " not in imported.text


def test_truncated_docx_is_named() -> None:
    data = make_docx(INTERVIEW)
    with pytest.raises(InvalidInputError, match=r"^cut\.docx: not a readable Word document"):
        read_docx(data[: len(data) // 2], "cut.docx")


def test_corrupt_document_xml_names_the_part() -> None:
    data = replace_member(make_docx(INTERVIEW), "word/document.xml", b"<w:document><w:body>")
    with pytest.raises(InvalidInputError, match=r"bad\.docx: word/document\.xml.*damaged"):
        read_docx(data, "bad.docx")


def test_a_zip_that_is_not_a_word_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(InvalidInputError, match=r"'word/document\.xml' is missing"):
        read_docx(out.getvalue(), "z.docx")


def test_encrypted_docx_is_named_as_password_protected() -> None:
    # An encrypted OOXML file is a compound file holding an "EncryptedPackage" stream.
    ole = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le")
    )
    with pytest.raises(InvalidInputError, match=r"^p\.docx: .*password-protected"):
        read_docx(ole, "p.docx")
    with pytest.raises(InvalidInputError, match="97-2003"):
        read_docx(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.docx")


def test_zip_bomb_inside_a_docx_is_refused_before_inflating() -> None:
    bomb = b"<w:document>" + b" " * (64 * 1024 * 1024) + b"</w:document>"
    data = replace_member(make_docx(INTERVIEW), "word/document.xml", bomb)
    assert len(data) < 1024 * 1024
    with pytest.raises(InvalidInputError, match=r"word/document\.xml: .*zip bomb"):
        read_docx(data, "bomb.docx")


def test_doctype_in_a_part_is_refused() -> None:
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">]>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    data = replace_member(make_docx(INTERVIEW), "word/document.xml", evil)
    with pytest.raises(InvalidInputError, match="DOCTYPE"):
        read_docx(data, "evil.docx")


def test_a_part_whose_header_lies_about_its_size_is_refused() -> None:
    """The zip says document.xml is 100 bytes; it inflates to far more. Never trusted."""
    import struct

    data = bytearray(make_docx(INTERVIEW))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("word/document.xml")
    assert info.file_size > 1000
    # The uncompressed size sits at offset 22 of the local header and 24 of the central entry.
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    for start in range(len(data) - 46, 0, -1):
        if data[start : start + 4] == b"PK\x01\x02" and data[start + 46 :].startswith(
            b"word/document.xml"
        ):
            struct.pack_into("<I", data, start + 24, 100)
            break
    with pytest.raises(InvalidInputError, match=r"lying\.docx: word/document\.xml: "):
        read_docx(bytes(data), "lying.docx")
