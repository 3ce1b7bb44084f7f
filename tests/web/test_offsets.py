"""UTF-16 offsets at the browser's edge, against Python's own UTF-16 encoder."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.errors import SpanError
from thematica.web.offsets import Utf16Map


def _units(text: str, point: int) -> int:
    return len(text[:point].encode("utf-16-le")) // 2


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=60))
def test_round_trip_matches_the_encoder(text: str) -> None:
    units = Utf16Map(text)
    assert units.units == len(text.encode("utf-16-le")) // 2
    for point in range(len(text) + 1):
        unit = _units(text, point)
        assert units.to_utf16(point) == unit
        assert units.to_point(unit) == point


def test_the_middle_of_a_pair_and_the_outside_are_refused() -> None:
    units = Utf16Map("a👍🏽b")
    assert [units.to_point(u) for u in (0, 1, 3, 5, 6)] == [0, 1, 2, 3, 4]
    for bad in (2, 4):
        with pytest.raises(SpanError, match="surrogate pair"):
            units.to_point(bad)
    with pytest.raises(SpanError, match="outside the text"):
        units.to_point(7)
