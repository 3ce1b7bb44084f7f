"""Reading Taguette databases: HTML documents, and highlights counted in UTF-8 bytes of text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.interchange.peer_databases import (
    TAGUETTE_HTML,
    taguette_database,
    taguette_offsets,
)
from thematica.domain.text import is_canonical
from thematica.errors import InvalidInputError
from thematica.interchange.taguette import html_to_text, read_taguette


def test_html_becomes_canonical_text_with_blocks_as_paragraphs() -> None:
    converted = html_to_text(TAGUETTE_HTML)
    assert converted.text == (
        "Interview & notes\n\nInterviewer: How is it?\n\n"
        "P1: My supervisor, Amélie, gets it — really.\n\nThe pay is\u00a0poor.\nVery poor."
    )
    assert is_canonical(converted.text)


@pytest.mark.parametrize(
    "passage",
    [
        "Interview & notes",  # an entity counts as one byte
        "& notes",
        "Amélie",  # &eacute; counts two bytes
        "— really.",  # &mdash; three
        "supervisor, Amélie",  # across an inline tag
        "poor.Very",  # across <br>
        "How is it?\nP1: My",  # across blocks (the newline between them counts)
        "s",
    ],
)
def test_every_highlight_lands_on_its_passage(passage: str) -> None:
    converted = html_to_text(TAGUETTE_HTML)
    start, end = converted.span(*taguette_offsets(TAGUETTE_HTML, passage))
    found = converted.text[start:end]
    assert "".join(found.split()) == "".join(passage.split())


def test_offsets_count_comments_but_not_leading_whitespace_and_crlf_as_one() -> None:
    html = "\r\n  <p>Caf\u00e9<!-- note --> au lait</p>\r\n<p>Second</p>"
    converted = html_to_text(html)
    assert converted.text == "Café au lait\n\nSecond"
    # Taguette's count: "Café" 5 bytes, the comment " note " 6, " au lait" 8, "\n" 1.
    start = 5 + 6 + 8 + 1
    assert converted.text[slice(*converted.span(start, start + 6))] == "Second"
    assert converted.text[slice(*converted.span(3, 5 + 6 + 3))] == "é au"


def test_decomposed_accents_are_composed_and_positions_follow() -> None:
    converted = html_to_text("<p>Ame\u0301lie said yes</p>")
    assert converted.text == "Amélie said yes"
    start = len("Ame\u0301lie ".encode())
    assert converted.text[slice(*converted.span(start, start + 4))] == "said"


def test_reads_a_project_with_tags_highlights_and_their_authors(tmp_path: Path) -> None:
    project, report = read_taguette(taguette_database(tmp_path / "t.sqlite3"))
    assert project.name == "Peer study" and project.origin == "Taguette"
    assert {c.name for c, _ in project.all_codes()} == {"support", "pay"}
    (source,) = project.sources
    assert source.description == "First" and source.original_path == "i1.docx"
    users = {u.guid: u.name for u in project.users}
    tags = {c.guid: c.name for c, _ in project.all_codes()}
    found = {
        x.of(source.text): (
            users[x.creating_user or ""],
            sorted(tags[c.code_guid] for c in x.codings),
        )
        for x in source.selections
    }
    assert found == {
        "supervisor, Amélie, gets it — really.": ("sam", ["support"]),
        "The pay is\u00a0poor.\nVery poor.": ("admin", ["pay", "support"]),
    }
    assert not any("snippet" in n for n in report.notices)


def test_refuses_offsets_beyond_the_text_and_unknown_databases(tmp_path: Path) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE highlights SET end_offset = 9999 WHERE id = 2")
    connection.commit()
    connection.close()
    with pytest.raises(InvalidInputError, match="highlight 2"):
        read_taguette(path)
    other = tmp_path / "o.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(InvalidInputError, match="not a Taguette database"):
        read_taguette(other)


def test_several_projects_need_one_named(tmp_path: Path) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute("INSERT INTO projects VALUES (2, 'Other', '', '2024-01-01 00:00:00')")
    connection.commit()
    connection.close()
    with pytest.raises(InvalidInputError, match="several projects"):
        read_taguette(path)
    assert read_taguette(path, project="Peer study")[0].name == "Peer study"
    assert read_taguette(path, project="2")[0].sources == ()


def test_tags_nested_in_a_cycle_are_refused(tmp_path: Path) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute("ALTER TABLE tags ADD COLUMN parent_id INTEGER")
    connection.execute("UPDATE tags SET parent_id = 3 - id")  # 1 in 2, 2 in 1
    connection.commit()
    connection.close()
    with pytest.raises(InvalidInputError, match=r"cycle \(2 tags") as caught:
        read_taguette(path)
    assert caught.value.element == "tags"
    connection = sqlite3.connect(path)
    connection.execute("UPDATE tags SET parent_id = CASE id WHEN 2 THEN 1 END")
    connection.commit()
    connection.close()
    project, _ = read_taguette(path)
    assert [(c.name, [k.name for k in c.children]) for c in project.codes] == [("support", ["pay"])]


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE highlights SET start_offset = 'ten' WHERE id = 2", "highlight 2: start_offset is"),
        ("UPDATE highlights SET end_offset = 4.5 WHERE id = 1", "highlight 1: end_offset is float"),
        ("UPDATE documents SET contents = x'00ff' WHERE id = 1", "document 1: contents is bytes"),
    ],
)
def test_rows_of_the_wrong_type_are_refused_in_one_line(
    tmp_path: Path, sql: str, message: str
) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    connection = sqlite3.connect(path)
    connection.execute(sql)
    connection.commit()
    connection.close()
    with pytest.raises(InvalidInputError) as caught:
        read_taguette(path)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_a_document_over_the_source_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = taguette_database(tmp_path / "t.sqlite3")
    size = len(TAGUETTE_HTML.encode("utf-8"))
    assert read_taguette(path, max_source_bytes=size)[0].sources
    with pytest.raises(InvalidInputError, match=r"documents 1: its contents is [\d,]+ bytes"):
        read_taguette(path, max_source_bytes=size - 1)


def test_what_is_not_a_regular_file_or_too_big_is_refused(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.sqlite3"
    os.mkfifo(fifo)
    with pytest.raises(InvalidInputError, match="not a regular file"):
        read_taguette(fifo)  # a FIFO would block a reader forever
    path = taguette_database(tmp_path / "t.sqlite3")
    with pytest.raises(InvalidInputError, match="over the import limit of 1,000"):
        read_taguette(path, max_bytes=1000)
