from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.domain.text import Span, canonicalize, is_canonical
from thematica.errors import SpanError


def test_span_rejects_empty_reversed_and_negative() -> None:
    for start, end in [(3, 3), (5, 2), (-1, 4)]:
        with pytest.raises(SpanError, match="span"):
            Span(start, end)


def test_span_outside_text_names_the_span() -> None:
    with pytest.raises(SpanError, match=r"span \[2, 20\)"):
        Span(2, 20).check_within(10, where="P01")


def test_span_overlap_and_passage() -> None:
    assert Span(0, 5).overlaps(Span(4, 8))
    assert not Span(0, 4).overlaps(Span(4, 8))
    assert Span(2, 5).of("abcdefg") == "cde"


def test_canonicalize_strips_bom_and_crlf_and_maps_offsets() -> None:
    original = "\ufeffHello\r\nWorld\r\n"
    canonical, offsets = canonicalize(original)
    assert canonical == "Hello\nWorld\n"
    w = original.index("W")
    assert canonical[offsets.to_canonical(w)] == "W"
    assert offsets.to_canonical(len(original)) == len(canonical)


def test_canonicalize_applies_nfc() -> None:
    decomposed = "cafe\u0301 ok"
    canonical, offsets = canonicalize(decomposed)
    assert canonical == "café ok"
    assert canonical[offsets.to_canonical(decomposed.index("o"))] == "o"


def test_lone_cr_becomes_lf() -> None:
    assert canonicalize("a\rb")[0] == "a\nb"


def test_offset_outside_original_is_an_error() -> None:
    _, offsets = canonicalize("a\r\nb")
    with pytest.raises(SpanError):
        offsets.to_canonical(99)


_pieces = st.lists(
    st.sampled_from(["a", "b", " ", "\n", "\r\n", "\r", "é", "e\u0301", "ß", "😀", "\u0301"]),
    max_size=40,
)


@given(_pieces, st.booleans())
def test_canonical_text_keeps_every_ordinary_character_in_place(
    pieces: list[str], bom: bool
) -> None:
    original = ("\ufeff" if bom else "") + "".join(pieces)
    canonical, offsets = canonicalize(original)
    assert is_canonical(canonical)
    mapped = [offsets.to_canonical(i) for i in range(len(original) + 1)]
    assert mapped == sorted(mapped), "the offset map must be monotonic"
    assert mapped[-1] == len(canonical)
    for i, ch in enumerate(original):
        # Plain characters that NFC and line-ending rules leave alone stay the same character.
        if ch in "ab ß😀" and not (i + 1 < len(original) and original[i + 1] == "\u0301"):
            assert canonical[mapped[i]] == ch


@given(st.text(max_size=60))
def test_canonicalize_is_idempotent(text: str) -> None:
    once, _ = canonicalize(text)
    twice, offsets = canonicalize(once)
    assert twice == once
    assert all(offsets.to_canonical(i) == i for i in range(len(once) + 1))
