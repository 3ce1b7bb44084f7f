from __future__ import annotations

import io

import pytest

from tests.conftest import require_shared
from thematica.errors import InvalidInputError
from thematica.interchange.responses import read_response_table


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_real_qualcoder_survey_csv() -> None:
    path = require_shared() / "transcripts" / "qualcoder_examples" / "survey456.csv"
    table = read_response_table(
        path.read_bytes(), str(path), text_column="freetext", id_column="case"
    )
    assert [r.respondent for r in table.responses] == ["ID4", "ID5", "ID6"]
    assert table.responses[1].attributes == {"Gender": "m", "Interest": "golf"}, (
        "blank Age left out"
    )
    assert table.responses[0].text.startswith("I wanted to do some more studies")
    assert table.text_column == "freetext" and table.id_column == "Case"


def test_xlsx_with_numbers_and_semicolon_csv_read_alike() -> None:
    rows: list[list[object]] = [
        ["RespondentId", "Age", "Q3"],
        [101, 34, "More supervision, please."],
        [102, None, ""],
    ]
    from_xlsx = read_response_table(
        _xlsx(rows), "a.xlsx", text_column="Q3", id_column="respondentid"
    )
    csv_data = "RespondentId;Age;Q3\r\n101;34;More supervision, please.\r\n102;;\r\n".encode(
        "cp1252"
    )
    from_csv = read_response_table(csv_data, "a.csv", text_column="q3", id_column="RespondentId")
    assert from_xlsx.responses == from_csv.responses
    assert from_xlsx.responses[0].attributes == {"Age": "34"}


def test_without_an_id_column_rows_are_respondents() -> None:
    table = read_response_table(b"Q1\nyes\nno\n", "s.csv", text_column="Q1")
    assert [r.respondent for r in table.responses] == ["row 2", "row 3"]


@pytest.mark.parametrize(
    ("data", "name", "kwargs", "message"),
    [
        (b"a,b\n1,2\n", "s.csv", {"text_column": "Q3"}, r"s\.csv, line 1: no column 'Q3'"),
        (b"Q3,id\nhi,\n", "s.csv", {"text_column": "Q3", "id_column": "id"}, r"line 2: empty 'id'"),
        (b"", "s.csv", {"text_column": "Q3"}, "the file is empty"),
        (b"PK\x03\x04 broken", "s.xlsx", {"text_column": "Q3"}, "not a readable Excel"),
        (b"x", "s.docx", {"text_column": "Q3"}, "must be .csv, .tsv or .xlsx"),
    ],
)
def test_bad_tables(data: bytes, name: str, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        read_response_table(data, name, **kwargs)
