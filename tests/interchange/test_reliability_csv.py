"""Reading plain reliability tables: both layouts, numbers or labels, and broken files."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from tests.conftest import require_shared
from thematica.errors import InvalidInputError
from thematica.interchange import reliability_csv
from thematica.interchange.reliability_csv import read_reliability_csv


def _read(text: str | bytes, **options: str) -> reliability_csv.ReliabilityTable:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_reliability_csv(Path("table.csv"), data=data, **options)  # type: ignore[arg-type]


def test_doctests() -> None:
    assert doctest.testmod(reliability_csv, raise_on_error=False).failed == 0


def test_units_by_coders_is_held_coders_by_units() -> None:
    table = _read("unit,Ann,Bo,Cy\nu1,1,2,\nu2,,3,3\n")
    assert table.coders == ("Ann", "Bo", "Cy") and table.units == ("u1", "u2")
    assert table.ratings == ((1, None), (2, 3), (None, 3))
    assert table.numeric and table.first_label is None


def test_coders_by_units_reads_the_transposed_form() -> None:
    table = _read("coder,u1,u2\nAnn,1,\nBo,2,3\n", layout="coders-by-units")
    assert table.coders == ("Ann", "Bo") and table.units == ("u1", "u2")
    assert table.ratings == ((1, None), (2, 3))


def test_the_shared_example_reads_as_three_coders_and_fifteen_units() -> None:
    path = require_shared() / "agreement" / "reliability_data_3coders_15units.csv"
    table = read_reliability_csv(path, layout="coders-by-units")
    assert table.coders == ("A", "B", "C") and table.n_units == 15
    assert table.ratings[1][:5] == (1, None, 2, 1, 3)
    assert all(isinstance(v, int) for row in table.ratings for v in row if v is not None)


def test_one_decimal_makes_every_number_a_float() -> None:
    table = _read("unit,A,B\nu1,1,2.5\nu2,1.0,2\n")
    assert table.ratings == ((1.0, 1.0), (2.5, 2.0))
    assert all(isinstance(v, float) for row in table.ratings for v in row)


def test_one_word_makes_every_rating_a_label_and_says_where() -> None:
    table = _read("unit,A,B\nu1,1,2\nu2,yes, 1\n")
    assert not table.numeric and table.first_label == ("yes", 3)
    assert table.ratings == (("1", "yes"), ("2", "1"))


@pytest.mark.parametrize("cell", ["nan", "inf", "NA"])
def test_non_finite_spellings_are_labels_not_numbers(cell: str) -> None:
    assert not _read(f"unit,A,B\nu1,1,{cell}\n").numeric


def test_blank_lines_a_bom_and_spaces_are_forgiven() -> None:
    table = _read(b"\xef\xbb\xbfunit, A , B\r\n\r\nu1, 1 , 2\r\n\r\n")
    assert table.coders == ("A", "B") and table.ratings == ((1,), (2,))


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs_are_read_when_the_header_has_no_comma(delimiter: str) -> None:
    table = _read(
        delimiter.join(["unit", "A", "B"]) + "\nu1" + delimiter + "1,5" + delimiter + "2\n"
    )
    assert table.coders == ("A", "B") and table.ratings == (("1,5",), ("2",))


@pytest.mark.parametrize(
    ("text", "layout", "message", "line"),
    [
        ("", "units-by-coders", "the file is empty", None),
        ("\n\n", "units-by-coders", "the file is empty", None),
        ("unit\nu1\n", "units-by-coders", "an id column and at least one more", 1),
        ("unit,A,B\n", "units-by-coders", "header but no units", 1),
        ("unit,A,B\nu1,1\n", "units-by-coders", "ragged row: 2 values", 2),
        ("unit,A,B\nu1,1,2\nu2,1,2,3\n", "units-by-coders", "ragged row: 4 values", 3),
        ("unit,A\nu1,1\n", "units-by-coders", "at least two coders, but the file has 1", None),
        ("coder,u1,u2\nA,1,2\n", "coders-by-units", "at least two coders", None),
        ("unit,A,A\nu1,1,2\n", "units-by-coders", "coder 'A' appears twice", 1),
        ("unit,A,\nu1,1,2\n", "units-by-coders", r"a coder without a name \(column 3\)", 1),
        ("unit,A,B\nu1,1,2\nu1,2,2\n", "units-by-coders", "unit 'u1' appears twice", 3),
        ("unit,A,B\nu1,1,2\n,2,2\n", "units-by-coders", "a unit without a name", 3),
        ("coder,u1\nA,1\nB,2\n", "units-by-coders", "read it as coders-by-units", 1),
        ("unit,A,B\nu1,1,2\n", "coders-by-units", "read it as units-by-coders", 1),
        ('unit,A,B\nu1,"1,2\n', "units-by-coders", "not a readable CSV", None),
    ],
)
def test_broken_files_name_the_file_and_line(
    text: str, layout: str, message: str, line: int | None
) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        _read(text, layout=layout)
    assert caught.value.file == "table.csv"
    if line is not None:
        assert caught.value.line == line


def test_binary_or_non_utf8_files_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="binary"):
        _read(b"\x00\x01\x02unit,A,B")
    with pytest.raises(InvalidInputError, match="not valid UTF-8") as caught:
        _read(b"unit,A,B\nu1,\xff,2\n")
    assert caught.value.line == 2


def test_missing_file_and_unknown_layout(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="file not found"):
        read_reliability_csv(tmp_path / "nope.csv")
    with pytest.raises(InvalidInputError, match="layout must be one of"):
        _read("unit,A,B\nu1,1,2\n", layout="sideways")
