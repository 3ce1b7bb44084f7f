from __future__ import annotations

import codecs

import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.encodings import decode_text

TEXT = "Interviewer: café, naïve — “quoted” €5\r\nP01: ok\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("cp1252"), "cp1252"),
    ],
)
def test_every_encoding_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    assert decode_text(data, "t.txt") == (TEXT, encoding)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06 some text \x07\x08\x0b\x0e",
    ],
)
def test_binary_data_is_refused_by_name(data: bytes) -> None:
    with pytest.raises(InvalidInputError, match=r"^t\.txt: .*binary") as raised:
        decode_text(data, "t.txt")
    assert raised.value.file == "t.txt"


def test_bytes_neither_utf8_nor_cp1252_name_the_line() -> None:
    with pytest.raises(InvalidInputError, match=r"t\.txt, line 2: cannot tell .*0x81"):
        decode_text(b"first line\nsecond \x81 line\n", "t.txt")


def test_a_bom_that_lies_is_reported() -> None:
    with pytest.raises(InvalidInputError, match=r"UTF-8 .*byte-order mark"):
        decode_text(codecs.BOM_UTF8 + b"caf\xe9", "t.txt")
