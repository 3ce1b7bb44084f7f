"""Every crash scripts/fuzz_readers.py found, kept as a test: the reader now refuses the input
with one line (an InvalidInputError) instead of a KeyError, IndexError or a multi-line message.

The inputs in fuzz_crashes/ are the fuzzer's own (mutated fictional files); QualCoder and Taguette
crashes came from cell edits, so they are written out below as the values that caused them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.interchange.peer_databases import qualcoder_project, taguette_database
from thematica.errors import InvalidInputError
from thematica.interchange import tables
from thematica.interchange.formats import reader_for
from thematica.interchange.qualcoder import read_qualcoder
from thematica.interchange.refi.codebook import read_qdc
from thematica.interchange.refi.reader import read_qdpx
from thematica.interchange.responses import read_response_table
from thematica.interchange.taguette import read_taguette

CRASHES = Path(__file__).parent / "fuzz_crashes"


def _by_path(read: Callable[[Path], object], suffix: str, tmp: Path) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        file = tmp / f"fuzzed{suffix}"
        file.write_bytes(data)
        return read(file)

    return run


def _reader(kind: str, tmp: Path) -> Callable[[bytes], object]:
    if kind in ("docx", "odt"):
        transcript = reader_for(Path(f"x.{kind}"))
        return lambda data: transcript(data, f"fuzzed.{kind}")
    if kind.startswith("responses-"):
        name = f"fuzzed.{kind.split('-')[1]}"
        return lambda data: read_response_table(data, name, text_column="answer", id_column="id")
    return {
        "participants-csv": _by_path(tables.read_participants_csv, ".csv", tmp),
        "quoted-codings-csv": _by_path(tables.read_quoted_codings_csv, ".csv", tmp),
        "qdc": _by_path(read_qdc, ".qdc", tmp),
        "qdpx": _by_path(read_qdpx, ".qdpx", tmp),
    }[kind]


@pytest.mark.parametrize("crash", sorted(CRASHES.glob("*.bin")), ids=lambda p: p.stem)
def test_a_crash_input_is_refused_in_one_line(crash: Path, tmp_path: Path) -> None:
    read = _reader(crash.stem.rsplit("-", 1)[0], tmp_path)
    with pytest.raises(InvalidInputError) as caught:
        read(crash.read_bytes())
    assert len(str(caught.value).splitlines()) == 1


def test_qualcoder_case_positions_that_are_not_numbers(tmp_path: Path) -> None:
    project = qualcoder_project(tmp_path / "p.qda")
    with sqlite3.connect(project / "data.qda") as connection:
        assert connection.execute("SELECT count(*) FROM case_text").fetchone()[0] > 0
        connection.execute("UPDATE case_text SET pos0 = ?", (b"\x00\x01",))
    with pytest.raises(InvalidInputError, match=r"case_text .*not whole numbers"):
        read_qualcoder(project)


@pytest.mark.parametrize(
    ("sql", "value", "message"),
    [
        (
            "UPDATE highlights SET start_offset = ?",
            "twelve",
            "start_offset is str .twelve., not int",
        ),
        (
            "UPDATE documents SET contents = ?",
            b"<p>bytes</p>",
            "contents is bytes .* not str or nothing",
        ),
    ],
)
def test_taguette_cells_of_the_wrong_type(
    tmp_path: Path, sql: str, value: object, message: str
) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    with sqlite3.connect(path) as connection:
        connection.execute(sql, (value,))
    with pytest.raises(InvalidInputError, match=message):
        read_taguette(path)


def test_taguette_unreadable_log_entries_and_snippets_are_passed_over(tmp_path: Path) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE commands SET payload = ?", ('{"type": "highlight_add", "highlight_id": "x"}',)
        )
        connection.execute("UPDATE highlights SET snippet = ?", (b"\xff",))
    project, _report = read_taguette(path)
    assert project.sources, "the project is still read"
