"""Reading real sheets and code lists made by other tools (QualCoder's examples)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_shared
from thematica.errors import InvalidInputError
from thematica.interchange.codebook_text import read_code_list
from thematica.interchange.tables import read_participants_csv


def test_qualcoder_plain_code_list() -> None:
    rows = read_code_list(
        require_shared() / "transcripts/qualcoder_examples/plain_codes_categories_for_import.txt"
    )
    assert [(r.path, r.definition) for r in rows] == [
        (("code1",), "A memo for code 1"),
        (("cat1", "code2"), ""),
        (("cat1", "code3"), ""),
        (("cat3", "cat2", "code4"), "another memo"),
        (("cat3", "code5"), ""),
        (("code6",), ""),
    ]


@pytest.mark.parametrize("name", ["cases123.csv", "survey456.csv"])
def test_qualcoder_case_sheets(name: str) -> None:
    rows = read_participants_csv(require_shared() / "transcripts/qualcoder_examples" / name)
    assert rows[0].label.startswith("ID")
    assert all(r.attributes for r in rows)
    if name == "survey456.csv":
        assert "Age" not in rows[1].attributes, "a blank cell is a missing value"
        assert rows[1].attributes["Gender"] == ("m",)


def test_code_list_errors(tmp_path: Path) -> None:
    empty = tmp_path / "e.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no codes"):
        read_code_list(empty)
    bad = tmp_path / "b.txt"
    bad.write_text("ok\ncat>>\tmemo\n", encoding="utf-8")
    with pytest.raises(InvalidInputError, match=r"b\.txt, line 2"):
        read_code_list(bad)
