"""Labelled tables: labels as 0/1 columns or one ";" column, and broken or hostile files named
by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.labelled_tables import read_labelled_csv


def _write(tmp_path: Path, text: str | bytes, name: str = "t.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


def test_label_column_splits_on_semicolons(tmp_path: Path) -> None:
    path = _write(tmp_path, 'text,codes\nPay is poor.,Pay; Contracts\nFine.,\n"A, b.",Pay\n')
    table = read_labelled_csv(path, "text", label_column="codes")
    assert table.texts == ("Pay is poor.", "Fine.", "A, b.")
    assert table.labels == (frozenset({"Pay", "Contracts"}), frozenset(), frozenset({"Pay"}))
    assert table.label_names == ["Contracts", "Pay"]


def test_zero_one_columns_whose_names_hold_commas(tmp_path: Path) -> None:
    path = _write(tmp_path, 'text,"pay, contracts",other\nPay.,1,0\nOther.,0,TRUE\n')
    table = read_labelled_csv(path, "text", labels=["pay, contracts", "other"])
    assert table.labels == (frozenset({"pay, contracts"}), frozenset({"other"}))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"text,codes\n", "the table has no rows"),
        (b"text,codes\n,Pay\n", "line 2: the 'text' column is empty"),
        (b"text,codes\nA,B,C\n", "line 2: 3 values but only 2 columns"),
        (b"text,codes\n\xff\xfe bad,Pay\n", "UTF-8"),
        (b"text,text\nA,B\n", "duplicate columns: text"),
    ],
)
def test_broken_tables_are_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = _write(tmp_path, content, "broken.csv")
    with pytest.raises(InvalidInputError, match=r"broken\.csv") as raised:
        read_labelled_csv(path, "text", label_column="codes")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_labels_must_be_named_one_way(tmp_path: Path) -> None:
    path = _write(tmp_path, "text,codes\nA,B\n")
    with pytest.raises(InvalidInputError, match="either as 0/1 columns or as one label column"):
        read_labelled_csv(path, "text")
    with pytest.raises(InvalidInputError, match="either"):
        read_labelled_csv(path, "text", labels=["codes"], label_column="codes")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"nowhere\.csv: file not found"):
        read_labelled_csv(tmp_path / "nowhere.csv", "text", label_column="codes")
