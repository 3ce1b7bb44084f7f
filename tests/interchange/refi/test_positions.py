"""Counting positions: code points and UTF-16 units, and telling which a file used."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from thematica.interchange.refi.positions import SourcePositions, Utf16Offsets, detect_unit

TEXTS = st.text(alphabet=st.sampled_from(["a", " ", "é", "\n", "😀", "𝐀", "中"]), max_size=60)


@given(TEXTS, st.data())
def test_utf16_offsets_match_the_encoding(text: str, data: st.DataObject) -> None:
    units = Utf16Offsets(text)
    assert units.length == len(text.encode("utf-16-le")) // 2
    i = data.draw(st.integers(0, len(text)))
    u = len(text[:i].encode("utf-16-le")) // 2
    assert units.from_code_points(i) == u
    assert units.to_code_points(u) == i
    assert not units.splits_pair(u)


def test_an_offset_inside_a_surrogate_pair() -> None:
    units = Utf16Offsets("a😀b")
    assert units.splits_pair(2)
    assert units.to_code_points(2) == 2  # rounds forward, past the emoji


def _words_with_emoji() -> tuple[str, list[tuple[int, int]], list[tuple[int, int]]]:
    text = "Great 😀 news. " * 5 + "The pay 🙁 is poor and the hours are long."
    passages = ["pay 🙁 is poor", "hours are long", "news"]
    points, units = [], []
    for p in passages:
        start = text.rindex(p)
        points.append((start, start + len(p)))
        u = len(text[:start].encode("utf-16-le")) // 2
        units.append((u, u + len(p.encode("utf-16-le")) // 2))
    return text, points, units


def test_detection_by_where_boundaries_fall() -> None:
    text, points, units = _words_with_emoji()
    assert detect_unit("Some tool", [SourcePositions(text, units)])[0] == "utf-16"
    assert detect_unit("Some tool", [SourcePositions(text, points)])[0] == "code-points"


def test_detection_by_positions_that_fit_only_one_way() -> None:
    text = "😀" * 10
    unit, reason, close = detect_unit(None, [SourcePositions(text, [(0, 20)])])
    assert unit == "utf-16" and "past their text" in reason and not close


def test_splitting_a_character_weighs_against_utf16() -> None:
    # Read as UTF-16 units, 1 and 4 fall inside surrogate pairs; as code points, they fit.
    text = "😀a😀b😀c"
    unit, reason, _ = detect_unit(None, [SourcePositions(text, [(1, 4)])])
    assert unit == "code-points"
    assert "read as UTF-16 units 0 cut a word, 2 split a character" in reason


def test_the_tool_settles_a_tie_and_a_close_call_is_flagged() -> None:
    text = "a 😀 b"
    decision = detect_unit("NVivo for Mac 12.7.0", [SourcePositions(text, [(0, 5)])])
    assert decision.unit == "utf-16" and "NVivo for Mac 12.7.0 counts" in decision.reason
    decision = detect_unit("Thematica 0.1.0", [SourcePositions(text, [(0, 5)])])
    assert decision.unit == "code-points"
    # Nothing tells the readings apart: code points, said to be a guess.
    decision = detect_unit("Other", [SourcePositions(text, [(0, 5)])])
    assert decision.unit == "code-points" and decision.close
    assert "no evidence either way" in decision.reason


def test_boundaries_before_any_emoji_are_no_evidence() -> None:
    text = "The pay is poor. 😀"
    decision = detect_unit("Other", [SourcePositions(text, [(4, 7)])])
    assert decision.unit == "code-points" and not decision.close
    assert "same place either way" in decision.reason
    decision = detect_unit("NVivo", [SourcePositions("plain text", [(0, 5)])])
    assert decision.unit == "code-points" and "agree" in decision.reason


def test_clear_evidence_wins_over_the_tool_and_says_so() -> None:
    text, points, _ = _words_with_emoji()
    decision = detect_unit("NVivo 14", [SourcePositions(text, points)])
    assert decision.unit == "code-points" and not decision.close
    assert "although NVivo 14 counts positions in UTF-16 units" in decision.reason


def test_thin_evidence_is_close() -> None:
    # One boundary differs and it cuts a word under one reading only: thin, so flagged.
    text = "ab 😀 cd ef"
    start = text.index("cd")
    decision = detect_unit("Other", [SourcePositions(text, [(start, start + 2)])])
    assert decision.unit == "code-points" and decision.close
