from __future__ import annotations

import pytest

from tests.conftest import require_shared
from thematica.errors import InvalidInputError
from thematica.interchange.plaintext import decode_utf8, read_markdown, read_text


def test_encodings_and_line_endings_give_one_canonical_text() -> None:
    typed = "Interviewer: Café?\n\nP01: Oui — “très” bien.\n"
    variants = [
        typed.encode(),
        typed.replace("\n", "\r\n").encode("utf-8-sig"),
        "\ufeff".encode("utf-16-le") + typed.replace("\n", "\r\n").encode("utf-16-le"),
        typed.encode("cp1252"),
        typed.replace("\n", "\r").encode("cp1252"),
        "Interviewer: Cafe\u0301?\n\nP01: Oui — “très” bien.   \n\n\n".encode(),  # NFD, spaces
    ]
    results = [read_text(v, "t.txt") for v in variants]
    assert {r.text for r in results} == {typed}
    assert len({r.turns for r in results}) == 1


def test_service_header_is_read_but_not_a_turn() -> None:
    data = (
        b"Date: 3 May 2024\nDuration: 00:45:12\nParticipants: Int, P07\n\nInt: Hi.\n\nP07: Hello.\n"
    )
    imported = read_text(data, "t.txt")
    assert imported.header == (
        ("Date", "3 May 2024"),
        ("Duration", "00:45:12"),
        ("Participants", "Int, P07"),
    )
    assert [t.speaker for t in imported.turns] == ["Int", "P07"]


def test_markdown_labels() -> None:
    data = b"**Sam:** hi\n\n**Jo:** hey\n\n**Sam:** so\n\n**Jo:** yes\n"
    assert [t.speaker for t in read_markdown(data, "n.md").turns] == ["Sam", "Jo", "Sam", "Jo"]


def test_real_qualcoder_transcript_with_bracket_tags() -> None:
    path = require_shared() / "transcripts" / "qualcoder_examples" / "transcript.txt"
    imported = read_text(path.read_bytes(), str(path))
    assert [t.speaker for t in imported.turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    assert imported.turns[0].span.of(imported.text).startswith("[id1] hello, I like the course.")


def test_empty_and_binary() -> None:
    with pytest.raises(InvalidInputError, match=r"^e\.txt: the file is empty"):
        read_text(b" \r\n\t\n", "e.txt")
    with pytest.raises(InvalidInputError, match="binary"):
        read_text(b"GIF89a\x01\x00\x01\x00\x00\xff\x00", "g.txt")


def test_decode_utf8_stays_strict_for_tables() -> None:
    with pytest.raises(InvalidInputError, match=r"c\.csv, line 2: not valid UTF-8"):
        decode_utf8(b"a\ncaf\xe9\n", "c.csv")
