"""Control characters are replaced one for one by readers and dropped by writers."""

from __future__ import annotations

import pytest

from thematica.errors import InvalidInputError
from thematica.safeio.controls import REPLACEMENT, remove_controls, replace_controls


def test_readers_replace_one_for_one_so_positions_hold() -> None:
    raw = "Sam: a\x01b\x1bc\x0bd\x0ce\x7ff\x85g\ufffeh\tI\r\nJ"
    cleaned, count = replace_controls(raw, "t.txt")
    assert len(cleaned) == len(raw), "one character for one: other tools' positions still hold"
    assert cleaned == f"Sam: a{REPLACEMENT}b{REPLACEMENT}c\nd\ne{REPLACEMENT}f{REPLACEMENT}g" + (
        f"{REPLACEMENT}h\tI\r\nJ"
    )
    assert count == 7


def test_clean_text_is_returned_as_it_is() -> None:
    text = "Interviewer: plain text, tabs\tand\nlines. Émoji 🙂"
    cleaned, count = replace_controls(text, "t.txt")
    assert cleaned is text and count == 0
    assert remove_controls(text) is text or remove_controls(text) == text


def test_a_nul_is_refused_naming_the_file_and_line() -> None:
    with pytest.raises(InvalidInputError, match=r"^t\.txt, line 2: the text holds a NUL"):
        replace_controls("Sam: fine\nJo: not\x00 fine\n", "t.txt")


def test_writers_drop_them() -> None:
    assert remove_controls("Peer\x00 work\x0b\x1f.\ud800") == "Peer work."
