from __future__ import annotations

import pytest

from tests.conftest import require_shared
from tests.interchange.made_files import make_docx, make_odt, replace_member
from thematica.errors import InvalidInputError
from thematica.interchange.opendocument import read_odt
from thematica.interchange.word import read_docx

INTERVIEW = ["Int: Tell me about supervision.", "P09: It   was    weekly,\tthen it stopped."]


def test_odt_reads_like_the_same_docx() -> None:
    from_odt = read_odt(make_odt(INTERVIEW), "i.odt")
    from_docx = read_docx(make_docx(INTERVIEW), "i.docx")
    assert from_odt.text == from_docx.text
    assert "It   was    weekly,\tthen" in from_odt.text, "runs of spaces (text:s) and tabs kept"
    assert [t.speaker for t in from_odt.turns] == ["Int", "P09"]


def test_real_qualcoder_odt() -> None:
    path = require_shared() / "transcripts" / "qualcoder_examples" / "ID2.odt"
    imported = read_odt(path.read_bytes(), str(path))
    assert "my father Joe Bloggs really encouraged me" in imported.text
    assert "€200.00" in imported.text
    assert len(imported.text.rstrip("\n").split("\n\n")) == 3


def test_truncated_odt() -> None:
    data = make_odt(INTERVIEW)
    with pytest.raises(InvalidInputError, match=r"^cut\.odt: not a readable OpenDocument"):
        read_odt(data[:-200], "cut.odt")


def test_encrypted_odt_is_named_as_password_protected() -> None:
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    data = replace_member(make_odt(INTERVIEW), "META-INF/manifest.xml", manifest)
    with pytest.raises(InvalidInputError, match=r"^locked\.odt: .*password-protected"):
        read_odt(data, "locked.odt")


def test_zip_bomb_inside_an_odt() -> None:
    bomb = b"<a>" + b"x" * (40 * 1024 * 1024) + b"</a>"
    data = replace_member(make_odt(INTERVIEW), "content.xml", bomb)
    with pytest.raises(InvalidInputError, match=r"content\.xml: .*zip bomb"):
        read_odt(data, "bomb.odt")


def test_huge_space_count_is_capped() -> None:
    content = (
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        b' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>'
        b'<text:p>a<text:s text:c="999999999"/>b</text:p></office:text></office:body>'
        b"</office:document-content>"
    )
    data = replace_member(make_odt(INTERVIEW), "content.xml", content)
    assert len(read_odt(data, "s.odt").text) < 200
