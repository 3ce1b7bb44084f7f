"""Reading QualCoder projects (a ``.qda`` folder with its SQLite ``data.qda``) into plain values."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.interchange.peer_databases import qualcoder_project
from thematica.errors import InvalidInputError
from thematica.interchange.qualcoder import read_qualcoder


def test_reads_codes_texts_codings_cases_and_notes(tmp_path: Path) -> None:
    folder = qualcoder_project(tmp_path / "study.qda")
    project, report = read_qualcoder(folder)
    assert project.name == "study" and project.origin == "QualCoder (database v7)"
    assert project.description == "Project memo"
    tree = {(c.name, parent is None, c.is_codable) for c, parent in project.all_codes()}
    assert tree == {
        ("Support", True, False),
        ("Supervision", False, False),
        ("Peer supervision", False, True),
        ("Pay", True, True),
    }
    (source,) = project.sources
    # Canonical text: LF line endings, the accent composed; positions moved onto it.
    assert "\r" not in source.text and "Amélie" in source.text
    passages = {x.of(source.text): x for x in source.selections}
    assert set(passages) == {"My supervisor, Amélie, gets it.", "The pay is poor."}
    chosen = passages["My supervisor, Amélie, gets it."]
    assert chosen.description == "Clear"
    users = {u.guid: u.name for u in project.users}
    assert users[chosen.codings[0].creating_user or ""] == "robin"
    assert users[passages["The pay is poor."].codings[0].creating_user or ""] == "sam"

    (case,) = project.cases
    variables = {v.guid: v.name for v in project.variables}
    assert case.name == "P1" and case.source_refs == (source.guid,)
    assert {variables[g]: v for g, v in case.values.items()} == {"Role": ("Peer worker",)}
    assert {variables[g]: v for g, v in source.values.items()} == {"Site": ("North",)}
    journal = [n for n in project.notes if n.guid in project.note_guids]
    assert [n.text for n in journal] == ["Started coding."]
    (annotation,) = [n for n in project.notes if n.targets]
    assert annotation.targets == (source.guid,) and annotation.text == "Check the figures"

    assert report.unmapped_counts() == {"source": 1, "code_image": 1}
    assert any("important" in n for n in report.notices)


def test_the_database_file_itself_can_be_named(tmp_path: Path) -> None:
    folder = qualcoder_project(tmp_path / "p.qda")
    by_folder, _ = read_qualcoder(folder)
    by_file, _ = read_qualcoder(folder / "data.qda")
    assert by_file.sources == by_folder.sources
    # GUIDs come from the database's content: the same database gives the same GUIDs.
    assert [c.guid for c, _ in by_file.all_codes()] == [c.guid for c, _ in by_folder.all_codes()]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("INSERT INTO code_text VALUES (9, 99, 1, '', 0, 4, 'robin', '', '', NULL, 0);", "code 99"),
        ("INSERT INTO code_text VALUES (9, 1, 7, '', 0, 4, 'robin', '', '', NULL, 0);", "source 7"),
        (
            "INSERT INTO code_text VALUES (9, 1, 1, '', 0, 999, 'robin', '', '', NULL, 0);",
            "outside",
        ),
        ("UPDATE code_cat SET supercatid = 2 WHERE catid = 1;", "cycle"),
    ],
)
def test_broken_projects_are_refused_naming_the_row(tmp_path: Path, sql: str, message: str) -> None:
    folder = qualcoder_project(tmp_path / "bad.qda", extra_sql=sql)
    with pytest.raises(InvalidInputError, match=message):
        read_qualcoder(folder)


def test_what_is_not_a_qualcoder_project_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.qda").mkdir()
    with pytest.raises(InvalidInputError, match=r"no data\.qda"):
        read_qualcoder(tmp_path / "empty.qda")
    text = tmp_path / "data.qda"
    text.write_text("hello")
    with pytest.raises(InvalidInputError, match="not an SQLite database"):
        read_qualcoder(text)
    other = tmp_path / "other.qda"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(InvalidInputError, match="no source, code_name, code_text table"):
        read_qualcoder(other)


def test_a_source_over_the_source_limit_is_refused_naming_it(tmp_path: Path) -> None:
    folder = qualcoder_project(tmp_path / "p.qda")
    project, _ = read_qualcoder(folder, max_source_bytes=10_000)
    size = max(len(s.text.encode("utf-8")) for s in project.sources)
    with pytest.raises(InvalidInputError, match=r"source \d+: its fulltext is [\d,]+ bytes"):
        read_qualcoder(folder, max_source_bytes=size - 5)


def test_a_database_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "p.qda"
    folder.mkdir()
    (folder / "data.qda").symlink_to("/dev/zero")  # st_size 0, and never ends
    with pytest.raises(InvalidInputError, match="not a regular file"):
        read_qualcoder(folder)
